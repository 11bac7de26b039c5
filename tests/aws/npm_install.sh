# Install tests/aws's npm packages once (package-lock.json pins them),
# under a lock since tests run in parallel. Sourced; sets npm_ok=1 when
# node_modules is ready, else prints why. Needs npm, and the registry.
# shellcheck shell=bash

npm_ok=
aws_dir=$LUNA_SOURCE_DIR/tests/aws
if ! command -v npm >/dev/null; then
	echo "npm is not installed"
else
	(
		flock 9
		if [ ! -d "$aws_dir/node_modules" ]; then
			cd "$aws_dir" && timeout 300 npm ci --no-audit --no-fund \
				--loglevel=error >&2
		fi
	) 9>"$aws_dir/.npm.lock" && [ -d "$aws_dir/node_modules" ] && npm_ok=1
	[ -n "$npm_ok" ] || echo "npm ci failed in tests/aws"
fi
