#!/usr/bin/env bash
# make bench: every $BUILD/tests/bench_* benchmark in turn, with a header
# saying what machine and which libpcap the figures come from.
#   BUILD          build directory (default build)
#   BENCH_QUICK=1  libpcap on a 300-term chain instead of the 1000-term one
#                  (that one takes about a minute in pcap_compile)
#   BENCH_REPEATS  bpfcap runs per timing (median; default 7, minimum 5)
#   BENCH_PACKETS  packets in bench_jit's memory-bound set (default 1000000)
# Exits non-zero if a benchmark failed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$ROOT/$BUILD ;;
esac
export BPFCAP_TESTS=$ROOT/tests

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "bpfcap benchmarks — $(date -u +%Y-%m-%dT%H:%MZ), ${cpu:-unknown CPU}, $(nproc) cores," \
	"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no git') build $BUILD"
if [[ ${BENCH_QUICK:-0} == 1 ]]; then
	echo "BENCH_QUICK=1: libpcap is timed on a 300-term chain, not the 1000-term one"
fi
echo

shopt -s nullglob
benches=("$BUILD"/tests/bench_*)
if [[ ${#benches[@]} -eq 0 ]]; then
	echo "run-bench.sh: no benchmark programs in $BUILD/tests (make tests)"
	exit 1
fi
status=0
for b in "${benches[@]}"; do
	[[ -x $b && -f $b ]] || continue
	echo "== $(basename "$b") =="
	"$b" || status=$?
	echo
done
for b in "$ROOT"/tests/bench/bench_*.sh; do
	echo "== $(basename "$b") =="
	BUILD=$BUILD bash "$b" || status=$?
	echo
done
if [[ $status -ne 0 ]]; then
	echo "run-bench.sh: a benchmark reported a failure (exit $status)"
fi
exit "$status"
