# shellcheck shell=bash
# Shared by tests/cli/test_*.sh: locate the build, count results.
# BUILD (default build, relative to the repository) holds bpfcap.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$ROOT/$BUILD ;;
esac
BPFCAP=$BUILD/bpfcap
PASSED=0
FAILED=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if [[ ! -x $BPFCAP ]]; then
	echo "FAIL: $BPFCAP not found or not executable (build it: make BUILD=${BUILD#"$ROOT"/})"
	echo "0 passed, 1 failed"
	exit 1
fi

pass() { PASSED=$((PASSED + 1)); }
fail() {
	FAILED=$((FAILED + 1))
	printf 'FAIL %s\n' "$*"
}

# Sanitizer or crash reports in a stderr file?
sanitizer_report() {
	grep -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer' "$1" >/dev/null 2>&1
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[[ $FAILED -eq 0 && $PASSED -gt 0 ]]
}
