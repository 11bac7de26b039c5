#!/usr/bin/env bash
# Build the Dockerfile with podman (no daemon, vfs storage) and run the
# image headless: JSON lines on its stdout, `luna health` inside it, a
# non-root user, every shared library present, and a clean stop. With no
# image registry at hand, the Debian base image is made here with
# debootstrap from the machine's own apt mirror. Where podman, runc or
# debootstrap is missing, or containers cannot run here, it says why and
# exits 77 (skipped).
set -euo pipefail
: "${LUNA_SOURCE_DIR:?}"

skip() {
	echo "SKIP: $*"
	exit 77
}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
for tool in podman runc debootstrap jq curl; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[ "$(id -u)" = 0 ] || skip "building a base with debootstrap needs root"
# The image is built from the sources, whatever LUNA is: once is enough,
# so the sanitizer run leaves it to the plain one.
if [ -n "${LUNA:-}" ] && ldd "$LUNA" 2>/dev/null | grep -q libasan; then
	skip "the image is built and run by the plain test run"
fi

# Only the base image is kept between runs: vfs copies the whole tree
# for every layer, so build layers are not cached (--layers=false).
store=${LUNA_PODMAN_STORE:-/var/tmp/luna-podman}
image=localhost/luna:test
work=$(mktemp -d "${TMPDIR:-/tmp}/luna-container.XXXXXX")
name=luna-test-$$
pm=(podman --storage-driver vfs --root "$store/root" --runroot "$store/run"
	--cgroup-manager=cgroupfs --runtime runc)
# This machine refuses the default process limit: lower it.
limits=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
cleanup() {
	"${pm[@]}" rm -f -t 0 "$name" >/dev/null 2>&1 || true
	"${pm[@]}" rmi -f "$image" >/dev/null 2>&1 || true
	"${pm[@]}" image prune -f >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

# The base image: Debian 12 from the mirror apt already uses.
base=localhost/luna-base:bookworm
if ! "${pm[@]}" image exists "$base"; then
	mirror=$(apt-cache policy | awk '$3 == "bookworm/main" { print $2; exit }')
	[ -n "$mirror" ] || skip "no Debian mirror in the apt sources"
	timeout 600 debootstrap --variant=minbase bookworm "$work/rootfs" \
		"$mirror" >"$work/debootstrap.log" 2>&1 ||
		skip "debootstrap failed: $(tail -3 "$work/debootstrap.log")"
	# What debootstrap downloaded is no part of an image.
	rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb \
		"$work"/rootfs/var/lib/apt/lists/*
	tar -C "$work/rootfs" -c . | "${pm[@]}" import - "$base" >/dev/null ||
		fail "cannot import the base image"
	rm -rf "$work/rootfs"
fi
"${pm[@]}" run --rm --network host "${limits[@]}" "$base" true \
	2>"$work/run.err" || skip "containers cannot run here: $(cat "$work/run.err")"

# Build: the Docker format keeps HEALTHCHECK.
"${pm[@]}" build --layers=false --format docker --network host "${limits[@]}" \
	--build-arg BASE_IMAGE="${base%:*}" --build-arg BASE_TAG="${base##*:}" \
	-t "$image" "$LUNA_SOURCE_DIR" \
	>"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; fail "build"; }

# The image: non-root, headless by default, health check, libraries.
"${pm[@]}" image inspect "$image" >"$work/inspect.json"
jq -e '.[0] | (.Config.User | startswith("10001"))
	and .Config.Entrypoint == ["/usr/local/bin/luna"]
	and .Config.Cmd == ["--headless"]
	and .Healthcheck.Test == ["CMD", "/usr/local/bin/luna", "health"]' \
	"$work/inspect.json" >/dev/null ||
	fail "image config: $(jq -c '.[0] | [.Config, .Healthcheck]' "$work/inspect.json")"
"${pm[@]}" run --rm --network host "${limits[@]}" --entrypoint ldd "$image" \
	/usr/local/bin/luna >"$work/ldd" || fail "ldd in the image"
! grep -q "not found" "$work/ldd" || fail "missing libraries: $(cat "$work/ldd")"
size=$(jq '.[0].Size' "$work/inspect.json")
echo "image size: $((size / 1024 / 1024)) MiB"

# Run it headless on free loopback ports, configured by environment.
ports=$(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
read -r mock_port status_port <<<"$ports"
# Health checks are exercised by hand: podman's timers need systemd.
"${pm[@]}" run -d --name "$name" --network host "${limits[@]}" --no-healthcheck \
	-e LUNA_MOCK_LISTEN="127.0.0.1:$mock_port" \
	-e LUNA_STATUS_LISTEN="127.0.0.1:$status_port" \
	-e LUNA_INTERVAL=200ms -e LUNA_SUMMARY_INTERVAL=1s \
	"$image" >/dev/null || fail "cannot start the container"
for ((i = 0; i < 100; i++)); do
	"${pm[@]}" logs "$name" 2>/dev/null | grep -q '"event":"summary"' && break
	sleep 0.1
done
"${pm[@]}" exec "$name" /usr/local/bin/luna health ||
	fail "luna health fails inside the container"
code=$(curl -sS -m 5 --noproxy '*' -o /dev/null -w '%{http_code}' \
	"http://127.0.0.1:$status_port/healthz")
[ "$code" = 200 ] || fail "/healthz from outside answered $code"
"${pm[@]}" exec "$name" id -u | grep -qx 10001 || fail "not running as 10001"
"${pm[@]}" exec "$name" /usr/local/bin/luna ctl scenario list |
	grep -q '^outage ' || fail "the built-in scenarios are not in the image"

# podman stop sends SIGTERM: exit 0, stop logged last, no line cut.
t0=$(date +%s)
"${pm[@]}" stop -t 30 "$name" >/dev/null
took=$(($(date +%s) - t0))
[ "$took" -lt 10 ] || fail "stopping took $took s"
"${pm[@]}" logs "$name" >"$work/out.log" 2>"$work/err.log"
rc=$("${pm[@]}" inspect -f '{{.State.ExitCode}}' "$name")
[ "$rc" = 0 ] || fail "exit status $rc: $(tail -3 "$work/err.log")"
jq -e -s 'length > 3 and .[0].event == "start" and .[-1].event == "stop"
	and ([.[] | select(.event == "probe" and .ok)] | length > 2)' \
	"$work/out.log" >/dev/null || fail "log: $(head -c 800 "$work/out.log")"
echo "ok: image built, ran headless, healthy, stopped cleanly in $took s"
