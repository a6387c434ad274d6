#!/usr/bin/env bash
# Offline throughput, bpfcap against tcpdump in the same run: packets per
# second for "-r big -w /dev/null EXPR" and "-r big --count EXPR" over a
# file of 2,000,000 packets (build/tests/gen_bigpcap, written once into
# $BUILD/bench/), medians of BENCH_REPEATS runs (default 5, at least 3),
# with the ratio bpfcap/tcpdump (target: 3).
# Usage: BUILD=build tests/bench/bench_offline.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$ROOT/$BUILD ;;
esac
BPFCAP=$BUILD/bpfcap
GEN=$BUILD/tests/gen_bigpcap
PACKETS=2000000
REPEATS=${BENCH_REPEATS:-5}
[[ $REPEATS -ge 3 ]] || REPEATS=3
BIG=$BUILD/bench/big-$PACKETS.pcap

for x in "$BPFCAP" "$GEN"; do
	[[ -x $x ]] || {
		echo "bench_offline: $x not built (make tests)"
		exit 1
	}
done
command -v tcpdump >/dev/null || {
	echo "bench_offline: tcpdump is not installed"
	exit 1
}
mkdir -p "$BUILD/bench"
if [[ ! -s $BIG || $GEN -nt $BIG ]]; then
	"$GEN" "$PACKETS" "$BIG"
fi
cat "$BIG" >/dev/null # in the page cache for every contender

chain="host 10.0.0.1"
for i in $(seq 2 100); do chain+=" or host 10.0.$((i / 250)).$((i % 250 + 1))"; done
EXPRS=("ip" "tcp port 80" "udp and host 10.0.0.1" "$chain")
NAMES=("ip" "tcp port 80" "udp and host 10.0.0.1" "100-host chain")

# median_seconds CMD...: the median wall time of REPEATS runs.
median_seconds() {
	local t0 t1 times=()
	for _ in $(seq "$REPEATS"); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		t1=$(date +%s%N)
		times+=($((t1 - t0)))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.4f", a[int((NR + 1) / 2)] / 1e9 }'
}

echo "file: $BIG ($PACKETS packets, $(($(stat -c %s "$BIG") / 1000000)) MB), median of $REPEATS runs"
printf '%-24s %-16s %14s %14s %7s\n' "expression" "mode" "bpfcap pkt/s" "tcpdump pkt/s" "ratio"
status=0
for i in "${!EXPRS[@]}"; do
	e=${EXPRS[$i]}
	# Both must agree before their speed means anything.
	b=$("$BPFCAP" -r "$BIG" --count -- "$e" 2>/dev/null)
	t=$(tcpdump -r "$BIG" --count -- "$e" 2>/dev/null)
	if [[ $b != "$t" ]]; then
		echo "bench_offline: '${NAMES[$i]}': bpfcap counts '$b', tcpdump '$t'"
		status=1
		continue
	fi
	for mode in "-w /dev/null" "--count"; do
		# shellcheck disable=SC2086
		sb=$(median_seconds "$BPFCAP" -r "$BIG" $mode -- "$e")
		# shellcheck disable=SC2086
		st=$(median_seconds tcpdump -r "$BIG" $mode -- "$e")
		awk -v n="$PACKETS" -v b="$sb" -v t="$st" -v name="${NAMES[$i]}" -v mode="$mode" 'BEGIN {
			printf "%-24s %-16s %14.0f %14.0f %6.2fx\n", name, mode, n / b, n / t, t / b }'
	done
done
exit "$status"
