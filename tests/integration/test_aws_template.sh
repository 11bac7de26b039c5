#!/usr/bin/env bash
# Offline checks of the AWS deployment (no account needed): the template
# against AWS's resource specification (@aws-cdk/cfnspec) and the API
# models (python3-botocore), alarms and dashboard against the filters,
# cfn-lint where it is installed, shellcheck on the scripts, and the
# deploy and teardown scripts run against a stand-in `aws` that records
# what it is asked.
set -euo pipefail
: "${LUNA_SOURCE_DIR:?}"
src=$LUNA_SOURCE_DIR
template=$src/scripts/aws/luna.yaml
work=$(mktemp -d "${TMPDIR:-/tmp}/luna-aws.XXXXXX")
trap 'rm -rf "$work"' EXIT
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
ran=()
skipped=()

if $PY -c 'import yaml' 2>/dev/null; then
	$PY "$src/tests/aws/check_template.py" "$template" --wiring ||
		fail "alarms or dashboard read metrics no filter makes"
	ran+=(wiring)
	if $PY -c 'import botocore' 2>/dev/null; then
		$PY "$src/tests/aws/check_template.py" "$template" --api ||
			fail "the template breaks the AWS API models"
		ran+=(botocore)
	else
		skipped+=("botocore: python3-botocore is not installed")
	fi
	# shellcheck source=../aws/npm_install.sh
	. "$src/tests/aws/npm_install.sh"
	if [ -n "$npm_ok" ]; then
		$PY "$src/tests/aws/check_template.py" "$template" --spec \
			"$src/tests/aws/node_modules/@aws-cdk/cfnspec/spec/specification.json" ||
			fail "the template breaks the resource specification"
		ran+=(cfnspec)
	else
		skipped+=("cfnspec: npm packages not installed")
	fi
else
	skipped+=("template checks: python3-yaml is not installed")
fi
# The Dockerfile, with the linter from npm.
if [ -n "${npm_ok:-}" ]; then
	"$src/tests/aws/node_modules/.bin/dockerfilelint" "$src/Dockerfile" ||
		fail "dockerfilelint rejects the Dockerfile"
	ran+=(dockerfilelint)
fi
if command -v cfn-lint >/dev/null; then
	cfn-lint "$template" || fail "cfn-lint rejects the template"
	ran+=(cfn-lint)
fi

if command -v shellcheck >/dev/null; then
	shellcheck -x -P SCRIPTDIR "$src"/scripts/aws/deploy "$src"/scripts/aws/teardown \
		"$src"/tests/integration/test_headless_*.sh \
		"$src"/tests/integration/test_aws_*.sh \
		"$src"/tests/integration/test_container.sh \
		"$src"/scripts/bench/headless.sh ||
		fail "shellcheck"
	ran+=(shellcheck)
else
	skipped+=("shellcheck is not installed")
fi

# A stand-in aws: records each call in $AWS_LOG.N; describe-stacks finds
# a stack once deployed here, or when STACK_EXISTS says so.
mkdir -p "$work/bin"
cat >"$work/bin/aws" <<'STUB'
#!/usr/bin/env bash
n=$(find "$(dirname "$AWS_LOG")" -name "$(basename "$AWS_LOG").*" | wc -l)
printf '%s\n' "$@" >"$AWS_LOG.$n"
case " $* " in
*" describe-stacks "*)
	[ -n "${STACK_EXISTS:-}" ] ||
		grep -qx deploy "$AWS_LOG".* 2>/dev/null || exit 254 ;;
esac
exit 0
STUB
chmod +x "$work/bin/aws"
export AWS_LOG=$work/call PATH=$work/bin:$PATH

"$src/scripts/aws/deploy" --stack probe-prod --region eu-west-1 \
	--image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/luna:0.1.0 \
	--subnets subnet-1,subnet-2 --vpc vpc-1 \
	--targets 'api=https://api.example.org/health,web=https://example.org/' \
	--alarm-email ops@example.org --latency-alarm-ms 800 --private >/dev/null ||
	fail "deploy failed against the stand-in aws"
call=$work/call.0
for want in --region eu-west-1 cloudformation deploy --stack-name probe-prod \
	"$template" CAPABILITY_IAM \
	Image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/luna:0.1.0 \
	Subnets=subnet-1,subnet-2 VpcId=vpc-1 \
	Targets=api=https://api.example.org/health,web=https://example.org/ \
	AlarmEmail=ops@example.org LatencyAlarmMs=800 AssignPublicIp=DISABLED; do
	grep -qxF -- "$want" "$call" || fail "deploy did not pass '$want'"
done
# Every parameter the script passes is one the template declares.
$PY - "$template" "$call" <<'PYEOF' || fail "deploy passes an unknown parameter"
import sys
sys.path.insert(0, sys.argv[0].rsplit("/", 1)[0])
import yaml
class L(yaml.SafeLoader):
    pass
L.add_multi_constructor("!", lambda loader, tag, node: None)
declared = set(yaml.load(open(sys.argv[1]), Loader=L)["Parameters"])
args = open(sys.argv[2]).read().split("\n")
passed = args[args.index("--parameter-overrides") + 1:]
bad = [p for p in passed if p and p.split("=", 1)[0] not in declared]
if bad:
    print("undeclared:", bad)
    sys.exit(1)
PYEOF
[ -f "$work/call.1" ] || fail "deploy did not show the stack outputs"
grep -qx describe-stacks "$work/call.1" || fail "second call is not describe-stacks"

# A new stack without an image is refused before any change; an update
# of an existing one may leave the image as it is.
rm -f "$work"/call.*
if "$src/scripts/aws/deploy" --subnets s --vpc v 2>"$work/err"; then
	fail "deploy without --image went ahead"
fi
grep -q -- "--image" "$work/err" || fail "no reason given: $(cat "$work/err")"
if grep -qx deploy "$work"/call.* 2>/dev/null; then
	fail "deploy changed something without an image"
fi
rm -f "$work"/call.*
STACK_EXISTS=1 "$src/scripts/aws/deploy" --interval 10s >/dev/null ||
	fail "an update of an existing stack was refused"
grep -qx Interval=10s "$work/call.1" || fail "the update lost --interval"
"$src/scripts/aws/deploy" --bogus x 2>/dev/null && fail "unknown option taken"

rm -f "$work"/call.*
"$src/scripts/aws/teardown" --stack probe-prod --yes >/dev/null ||
	fail "teardown failed"
grep -qx delete-stack "$work/call.0" || fail "teardown did not delete"
grep -qx probe-prod "$work/call.0" || fail "teardown deleted another stack"
grep -qx stack-delete-complete "$work/call.1" || fail "teardown did not wait"
"$src/scripts/aws/teardown" --stack x </dev/null 2>/dev/null &&
	fail "teardown without --yes and without a terminal went ahead"
ran+=(scripts)

echo "ran: ${ran[*]}"
for s in "${skipped[@]}"; do
	echo "skipped: $s"
done
[ ${#skipped[@]} -eq 0 ] || [ ${#ran[@]} -gt 1 ] || exit 77
echo "ok"
