#!/usr/bin/env bash
# Offline throughput, bpfcap against tcpdump in the same run: packets per
# second for "-r big -w /dev/null EXPR" and "-r big --count EXPR" over a
# file of 2,000,000 packets (build/tests/gen_bigpcap, written once into
# $BUILD/bench/), medians of BENCH_REPEATS runs (default 5, at least 3),
# with the ratio bpfcap/tcpdump (target: 3).
#
# Then printing: "-nr FILE > /dev/null" and "-nr -v FILE > /dev/null",
# packets per second, bpfcap against tcpdump, with TZ=UTC for both and
# with TZ unset for both (glibc's localtime() then stats /etc/localtime
# per call: tcpdump makes one call per packet), medians of
# BENCH_PRINT_REPEATS runs (default 3). FILE is the project corpus's
# en10mb.pcap repeated to about 2,000,000 packets: a fixed set of flows,
# as real traffic has (gen_bigpcap's file gives every packet a new TCP
# flow, and tcpdump's per-connection table for relative sequence numbers
# grows without bound: over ten minutes for that file). The share of
# identical lines is printed beside the figures. Last, strace -c counts
# bpfcap's system calls on a tenth of FILE with TZ unset: printing must
# make none per packet (fails at one per 100 packets; a run makes about
# 250 in all, for reading the file in blocks and writing in batches).
# BENCH_PRINT_ONLY=1 runs the printing part alone.
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

if [[ ${BENCH_PRINT_ONLY:-0} == 1 ]]; then
	EXPRS=()
fi
[[ ${#EXPRS[@]} -eq 0 ]] || echo "file: $BIG ($PACKETS packets, $(($(stat -c %s "$BIG") / 1000000)) MB), median of $REPEATS runs"
[[ ${#EXPRS[@]} -eq 0 ]] || printf '%-24s %-16s %14s %14s %7s\n' "expression" "mode" "bpfcap pkt/s" "tcpdump pkt/s" "ratio"
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

# ---- printing ---------------------------------------------------------------
CORPUS_FILE=${BPFCAP_CORPUS:-$BUILD/corpus}/en10mb.pcap
PRINT_REPEATS=${BENCH_PRINT_REPEATS:-3}
[[ $PRINT_REPEATS -ge 3 ]] || PRINT_REPEATS=3
if [[ ! -s $CORPUS_FILE && -x $BUILD/tests/gen_corpus ]]; then
	"$BUILD/tests/gen_corpus" "$(dirname "$CORPUS_FILE")" >/dev/null
fi
[[ -s $CORPUS_FILE ]] || {
	echo "bench_offline: no $CORPUS_FILE (make tests; build/tests/gen_corpus build/corpus)"
	exit 1
}
per_copy=$(tcpdump -nr "$CORPUS_FILE" 2>/dev/null | wc -l)
copies=$(((2000000 + per_copy - 1) / per_copy))
PRINT_FILE=$BUILD/bench/print-$copies.pcap
SMALL_FILE=$BUILD/bench/print-$((copies / 10)).pcap
# repeat_pcap N OUT: the corpus file's records N times after one header.
repeat_pcap() {
	{
		cat "$CORPUS_FILE"
		for _ in $(seq 2 "$1"); do tail -c +25 "$CORPUS_FILE"; done
	} >"$2"
}
[[ -s $PRINT_FILE && $PRINT_FILE -nt $CORPUS_FILE ]] || repeat_pcap "$copies" "$PRINT_FILE"
[[ -s $SMALL_FILE && $SMALL_FILE -nt $CORPUS_FILE ]] || repeat_pcap "$((copies / 10))" "$SMALL_FILE"
cat "$PRINT_FILE" >/dev/null
npkts=$((per_copy * copies))

# median_print TZ_SETTING CMD...: median seconds of PRINT_REPEATS runs with
# TZ=UTC ("utc") or without TZ ("unset").
median_print() {
	local tz=$1 t0 t1 times=()
	shift
	for _ in $(seq "$PRINT_REPEATS"); do
		t0=$(date +%s%N)
		if [[ $tz == utc ]]; then
			TZ=UTC "$@" >/dev/null 2>&1 || true
		else
			env -u TZ "$@" >/dev/null 2>&1 || true
		fi
		t1=$(date +%s%N)
		times+=($((t1 - t0)))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.4f", a[int((NR + 1) / 2)] / 1e9 }'
}

echo
echo "printing: $PRINT_FILE ($npkts packets: $copies copies of $(basename "$CORPUS_FILE")), median of $PRINT_REPEATS runs"
printf '%-24s %-16s %14s %14s %7s %10s\n' "command" "TZ" "bpfcap pkt/s" "tcpdump pkt/s" "ratio" "same lines"
for flags in "-n" "-n -v"; do
	# How much of the output is the same (the rest: protocols bpfcap
	# prints as hex where tcpdump decodes them).
	# shellcheck disable=SC2086
	TZ=UTC "$BPFCAP" -r "$CORPUS_FILE" $flags >"$BUILD/bench/print.b" 2>/dev/null || true
	# shellcheck disable=SC2086
	TZ=UTC tcpdump -r "$CORPUS_FILE" $flags >"$BUILD/bench/print.t" 2>/dev/null || true
	same=$(diff "$BUILD/bench/print.b" "$BUILD/bench/print.t" | grep -c '^>' || true)
	total=$(wc -l <"$BUILD/bench/print.t")
	for tz in utc unset; do
		# shellcheck disable=SC2086
		sb=$(median_print "$tz" "$BPFCAP" -r "$PRINT_FILE" $flags)
		# shellcheck disable=SC2086
		st=$(median_print "$tz" tcpdump -r "$PRINT_FILE" $flags)
		awk -v n="$npkts" -v b="$sb" -v t="$st" -v name="$flags -r FILE" -v tz="$tz" -v d="$same" -v tot="$total" 'BEGIN {
			printf "%-24s %-16s %14.0f %14.0f %6.2fx %9.1f%%\n", name, tz, n / b, n / t, t / b, 100 * (tot - d) / tot }'
	done
done
rm -f "$BUILD/bench/print.b" "$BUILD/bench/print.t"

if command -v strace >/dev/null; then
	small=$((per_copy * (copies / 10)))
	env -u TZ strace -c -f -o "$BUILD/bench/strace.txt" "$BPFCAP" -nr "$SMALL_FILE" >/dev/null 2>&1 || true
	calls=$(awk '$NF == "total" { print $4 }' "$BUILD/bench/strace.txt")
	echo "system calls, bpfcap -nr SMALL with TZ unset ($small packets): ${calls:-?}" \
		"($(awk -v c="${calls:-0}" -v n="$small" 'BEGIN { printf "%.2f", 1000 * c / n }') per 1,000 packets)"
	if [[ -z $calls || $((calls * 100)) -ge $small ]]; then
		echo "bench_offline: bpfcap makes a system call per packet or more while printing"
		status=1
	fi
	sed -n '1,10p' "$BUILD/bench/strace.txt"
fi
exit "$status"
