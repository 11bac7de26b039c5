# shellcheck shell=bash
# shellcheck disable=SC2034 # tmp and pids are the benches' own
# Sourced by the benches: a temp dir and the processes to stop on exit,
# free loopback ports, nginx-light answering `return 200` as the
# reference server, and CPU ticks of a process.

tmp=$(mktemp -d)
pids=()

bench_cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap bench_cleanup EXIT

# A port nothing listens on, on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_http URL: until it answers, for 5 s at most.
wait_http() {
	local _
	for _ in $(seq 50); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "bench: nothing answers at $1" >&2
	return 1
}

# start_nginx PORT: nginx-light, one worker, `return 200` on 127.0.0.1.
start_nginx() {
	local dir=$tmp/nginx
	mkdir -p "$dir"
	cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log error;
events { worker_connections 8192; }
http {
	access_log off;
	client_body_temp_path $dir/body;
	proxy_temp_path $dir/proxy;
	fastcgi_temp_path $dir/fastcgi;
	uwsgi_temp_path $dir/uwsgi;
	scgi_temp_path $dir/scgi;
	server {
		listen 127.0.0.1:$1 backlog=4096;
		location / { return 200 "ok\n"; }
	}
}
CONF
	PATH=$PATH:/usr/sbin nginx -p "$dir" -c "$dir/nginx.conf" \
		-e "$dir/error.log" &
	pids+=($!)
	wait_http "http://127.0.0.1:$1/"
}

# cpu_ticks PID: user+sys of PID so far, in clock ticks.
cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$1/stat"
}
