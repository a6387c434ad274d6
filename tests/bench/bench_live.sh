#!/usr/bin/env bash
# Live capture, bpfcap against tcpdump and netsniff-ng in the same run
# (issue 6, "Must show" 2 and 3).
#
# Two network namespaces joined by a veth pair; trafgen (netsniff-ng's
# generator, --no-sock-mem, one worker, which trafgen pins to CPU 0) sends
# bursts of 60-byte UDP frames whose destination port runs over 100 values
# (7000..7099) to a MAC nobody owns, so the receiving stack drops them at
# once and answers nothing; the capturer runs in the other namespace,
# pinned with taskset to CPU 1.  Every tool gets the same filter and the
# same ring memory (-B KiB for bpfcap and tcpdump, -S KiB for netsniff-ng).
#
# Per burst and tool: the capturer's CPU time (user + sys, in nanoseconds
# from /proc/PID/task/*/schedstat; /proc/PID/stat's ticks give the
# user/sys split) from "listening" to the end of the burst, the
# generator's own rate (trafgen's "N sec, M usec on CPU0") divided by the
# rate of the burst sent with nothing capturing in the same round, and the
# tool's own captured and dropped counts against the packets the veth sent.
# On veth the kernel's share of capture (filter, copy into the ring) runs
# on the sending CPU, so it shows as a slower sender, not as drops.
#
# Configurations: filter "udp" (every packet) and "udp dst port 7042"
# (1 in 100), each with -w /dev/null and -w FILE (/tmp, deleted after
# every burst); then printing -n to /dev/null (bpfcap and tcpdump, TZ as
# the caller has it); then bpfcap's VmRSS every 0.5 s over a long capture.
#
# Usage: BUILD=build tests/bench/bench_live.sh        (as root)
#   BENCH_LIVE_BURSTS       bursts per configuration (median; default 5)
#   BENCH_LIVE_PACKETS      packets per burst (default 2000000)
#   BENCH_LIVE_RSS_PACKETS  packets in the RSS capture (default 10000000)
#   BENCH_LIVE_BUFFER_KIB   ring memory for every tool (default 4096)
#   BENCH_LIVE_RAW=FILE     keep the per-burst rows in FILE
# Exits 77 if a prerequisite is missing, 1 if a tool lost packets in a
# -w run (captured + dropped != sent) or a burst failed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$ROOT/$BUILD ;;
esac
BPFCAP=$BUILD/bpfcap
BURSTS=${BENCH_LIVE_BURSTS:-5}
PACKETS=${BENCH_LIVE_PACKETS:-2000000}
RSS_PACKETS=${BENCH_LIVE_RSS_PACKETS:-10000000}
BUF_KIB=${BENCH_LIVE_BUFFER_KIB:-4096}
GEN_CPU=0 # trafgen -P 1 pins its worker to CPU 0 itself
CAP_CPU=1
FILTER_ALL="udp"
FILTER_SEL="udp dst port 7042"
PORTS=100 # destination ports the generator cycles through

skip() {
	echo "bench_live: skipped: $*"
	exit 77
}
[[ $(id -u) -eq 0 ]] || skip "needs root (network namespaces, packet sockets)"
[[ -x $BPFCAP ]] || skip "$BPFCAP not built (make)"
for t in trafgen netsniff-ng tcpdump ip taskset; do
	command -v "$t" >/dev/null || skip "$t is not installed"
done
[[ $(nproc) -ge 2 ]] || skip "needs 2 CPUs (generator and capturer on different CPUs)"
[[ $((PACKETS % PORTS)) -eq 0 ]] || {
	echo "bench_live: BENCH_LIVE_PACKETS must be a multiple of $PORTS"
	exit 1
}

TAG=$$
TXNS=bcbench-tx-$TAG
RXNS=bcbench-rx-$TAG
TXIF=bcbt$TAG
RXIF=bcbr$TAG
WORK=$(mktemp -d /tmp/bench-live.XXXXXX)
RAW=$WORK/raw
CAP_PID=
SAMPLER_PID=

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local p
	for p in $CAP_PID $SAMPLER_PID; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	ip netns del "$TXNS" 2>/dev/null || true
	ip netns del "$RXNS" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$TXNS"
ip netns add "$RXNS"
ip link add "$TXIF" netns "$TXNS" type veth peer name "$RXIF" netns "$RXNS"
for ns in "$TXNS" "$RXNS"; do
	# No IPv6 on the pair: no neighbour discovery or MLD in the counts.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$TXNS" link set "$TXIF" up
ip -n "$RXNS" link set "$RXIF" up

# 14 + 20 + 8 + 18 = 60 bytes; dinc steps the port once per packet, so
# every run of 100 packets has each port once.
CFG=$WORK/udp.cfg
cat >"$CFG" <<EOF
{
  eth(da=02:00:00:00:00:02, sa=02:00:00:00:00:01, type=0x0800),
  ipv4(sa=10.200.0.1, da=10.200.0.2, ttl=64),
  udp(sp=4000, dp=dinc(7000, $((7000 + PORTS - 1)))),
  fill(0x00, 18)
}
EOF

# cpu_ns PID: nanoseconds on a CPU, every thread of the process.
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d", s }'
}
# wakeups PID: voluntary context switches (one per poll that slept).
wakeups() {
	awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/"$1"/status
}
# cpu_ticks PID: "utime stime" in clock ticks.
cpu_ticks() {
	sed 's/^.*) //' /proc/"$1"/stat | awk '{ print $12, $13 }'
}
counter() { # NS IF tx_packets|rx_packets
	ip netns exec "$1" cat /sys/class/net/"$2"/statistics/"$3"
}

# capture_cmd TOOL MODE FILTER OUT: the capturer's command line in CMD.
capture_cmd() {
	local tool=$1 mode=$2 filter=$3 out=$4
	case $tool/$mode in
	bpfcap/print) CMD=("$BPFCAP" -n -i "$RXIF" -B "$BUF_KIB" -- "$filter") ;;
	# --count: the kernel counts in a BPF map; no packet reaches the ring.
	bpfcap/count) CMD=("$BPFCAP" --count -i "$RXIF" -B "$BUF_KIB" -- "$filter") ;;
	bpfcap/*) CMD=("$BPFCAP" -i "$RXIF" -B "$BUF_KIB" -w "$out" -- "$filter") ;;
	# -Z root: tcpdump would otherwise become user tcpdump before
	# opening the file.
	tcpdump/print) CMD=(tcpdump -n -i "$RXIF" -B "$BUF_KIB" -Z root "$filter") ;;
	tcpdump/*) CMD=(tcpdump -i "$RXIF" -B "$BUF_KIB" -Z root -w "$out" "$filter") ;;
	# -s: no dissector; -o takes a .pcap name or /dev/null; --notouch-irq
	# and --no-sock-mem: change no system setting.
	netsniff-ng/*) CMD=(netsniff-ng --no-sock-mem --notouch-irq -i "$RXIF" -S "${BUF_KIB}KiB"
		-s -o "$out" -f "$filter") ;;
	esac
}

# wait_ready TOOL OUTFILE ERRFILE: until the capturer says it listens.
wait_ready() {
	local pattern=listening file=$3
	if [[ $1 == netsniff-ng ]]; then
		pattern=Running
		file=$2
	fi
	for _ in $(seq 200); do
		grep -q "$pattern" "$file" 2>/dev/null && return 0
		kill -0 "$CAP_PID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# settle PID SECONDS: the tool's last block retires after its block
# timeout (tcpdump: 1 s, libpcap's to_ms), then it works until its CPU
# time stops moving (a printer that is behind).
settle() {
	local a b
	sleep "$2"
	a=$(cpu_ns "$1")
	for _ in $(seq 300); do
		sleep 0.2
		b=$(cpu_ns "$1")
		((b - a < 2000000)) && break
		a=$b
	done
}

# stop_capturer: SIGINT, then the wait; KILL after 15 s.
stop_capturer() {
	kill -INT "$CAP_PID" 2>/dev/null || true
	for _ in $(seq 150); do
		kill -0 "$CAP_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	CAP_PID=
}

# tool_counts TOOL OUT ERR: "captured dropped" from the tool's own lines.
tool_counts() {
	case $1 in
	netsniff-ng)
		# "N packets incoming (U unread on exit)", "N packets passed
		# filter", "N packets failed filter (out of space)": the last
		# is the ring's drop count; read = passed - unread.
		tr '\r' '\n' <"$2" | awk '
			/packets incoming/ { u = $5; sub(/\(/, "", u) }
			/packets passed filter/ { p = $1 }
			/out of space/ { d = $1 }
			END { printf "%d %d", p - u, d }' ;;
	*)
		awk '/packets captured/ { c = $1 } /dropped by kernel/ { d = $1 }
			END { printf "%d %d", c, d }' "$3" ;;
	esac
}

# burst ROUND TOOL MODE FILTER_NAME FILTER: one burst, one row in RAW:
# round tool mode filter sent captured dropped cpu_ns utick stick rate gen_ns
# wakeups
burst() {
	local round=$1 tool=$2 mode=$3 fname=$4 filter=$5
	local out=/dev/null so=$WORK/cap.out se=$WORK/cap.err
	local c0=0 c1=0 w0=0 w1=0 t0="0 0" t1="0 0" tx0 tx1 rate gen_ns counts TIMEFORMAT='%3U %3S'
	[[ $mode == file ]] && out=$WORK/burst.pcap
	[[ $mode == print ]] && so=/dev/null
	: >"$so"
	: >"$se"
	if [[ $tool != none ]]; then
		capture_cmd "$tool" "$mode" "$filter" "$out"
		ip netns exec "$RXNS" taskset -c "$CAP_CPU" "${CMD[@]}" >"$so" 2>"$se" &
		CAP_PID=$!
		if ! wait_ready "$tool" "$so" "$se"; then
			echo "bench_live: $tool did not start: $(head -c 300 "$se")"
			stop_capturer
			return 1
		fi
		sleep 0.1
		c0=$(cpu_ns "$CAP_PID")
		t0=$(cpu_ticks "$CAP_PID")
		w0=$(wakeups "$CAP_PID")
	fi
	tx0=$(counter "$TXNS" "$TXIF" tx_packets)
	# The generator's CPU time (its worker is trafgen's waited-for child,
	# and the receive softirq that runs the capturers' filters and copies
	# runs in its context) counts what capture costs the sender even when
	# other work on the machine takes CPU 0 away from it.
	if ! { time ip netns exec "$TXNS" taskset -c "$GEN_CPU" trafgen --no-sock-mem \
		-o "$TXIF" -n "$PACKETS" -c "$CFG" -P 1 >"$WORK/gen.out" 2>&1; } 2>"$WORK/gen.time"; then
		echo "bench_live: trafgen failed: $(head -c 300 "$WORK/gen.out")"
		[[ -z $CAP_PID ]] || stop_capturer
		return 1
	fi
	tx1=$(counter "$TXNS" "$TXIF" tx_packets)
	rate=$(tr -d '\r' <"$WORK/gen.out" | awk '/usec on CPU/ { t = $1 + $3 / 1e6; n = $7; sub(/\(/, "", n) }
		END { if (t > 0) printf "%.0f", n / t; else print 0 }')
	gen_ns=$(awk '{ printf "%.0f", ($1 + $2) * 1e9 }' "$WORK/gen.time")
	counts="0 0"
	if [[ $tool != none ]]; then
		local wait_s=0.3
		[[ $tool == tcpdump ]] && wait_s=1.1
		settle "$CAP_PID" "$wait_s"
		c1=$(cpu_ns "$CAP_PID")
		t1=$(cpu_ticks "$CAP_PID")
		w1=$(wakeups "$CAP_PID")
		stop_capturer
		counts=$(tool_counts "$tool" "$so" "$se")
		# --count: what the map counted ("N packets" on stdout).
		[[ $mode == count ]] && counts="$(awk '/^[0-9]+ packets?$/ { c = $1 } END { print c + 0 }' "$so") ${counts#* }"
	fi
	rm -f "$WORK/burst.pcap"
	read -r u0 s0 <<<"$t0"
	read -r u1 s1 <<<"$t1"
	echo "$round $tool $mode $fname $((tx1 - tx0)) $counts $((c1 - c0)) $((u1 - u0))" \
		"$((s1 - s0)) $rate $gen_ns $((w1 - w0))" >>"$RAW"
}

rss_check() {
	local n=$1 samples=$WORK/rss so=$WORK/rss.out se=$WORK/rss.err
	ip netns exec "$RXNS" taskset -c "$CAP_CPU" "$BPFCAP" -i "$RXIF" -B "$BUF_KIB" \
		-w /dev/null -- "$FILTER_ALL" >"$so" 2>"$se" &
	CAP_PID=$!
	wait_ready bpfcap "$so" "$se" || {
		echo "bench_live: bpfcap did not start: $(head -c 300 "$se")"
		stop_capturer
		return 1
	}
	(
		while :; do
			awk '/^VmRSS/ { print $2 }' /proc/"$CAP_PID"/status 2>/dev/null || exit 0
			sleep 0.5
		done
	) >"$samples" &
	SAMPLER_PID=$!
	sleep 0.5
	ip netns exec "$TXNS" taskset -c "$GEN_CPU" trafgen --no-sock-mem -o "$TXIF" -n "$n" \
		-c "$CFG" -P 1 >/dev/null 2>&1
	settle "$CAP_PID" 0.3
	kill "$SAMPLER_PID" 2>/dev/null || true
	wait "$SAMPLER_PID" 2>/dev/null || true
	SAMPLER_PID=
	stop_capturer
	read -r cap drop <<<"$(tool_counts bpfcap "$so" "$se")"
	awk -v n="$n" -v cap="$cap" -v drop="$drop" -v kib="$BUF_KIB" '
		NF { v[++k] = $1; if (k == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
		END {
			printf "bpfcap -w /dev/null over %d packets (captured %d, dropped %d), ring %d KiB:\n",
				n, cap, drop, kib
			printf "  VmRSS every 0.5 s, %d samples: first %d KiB, last %d KiB, min %d KiB, max %d KiB (max - min %d KiB)\n",
				k, v[1], v[k], lo, hi, hi - lo
			# The pcap writer buffer (1 MiB) is touched while the
			# first records go in; after that nothing may grow.
			for (i = 1; i <= k && v[i] < hi; i++) ;
			for (j = i; j <= k; j++) if (hi - v[j] > w) w = hi - v[j]
			printf "  the maximum is first reached at %.1f s, and the %d samples after it are within %d KiB of it\n",
				(i - 1) * 0.5, k - i, w
		}' "$samples"
}

: >"$RAW"
echo "veth $TXIF -> $RXIF in namespaces $TXNS / $RXNS; 60-byte UDP frames, destination port over $PORTS values"
echo "generator: trafgen --no-sock-mem -P 1 (its worker pinned to CPU $GEN_CPU); capturers: taskset -c $CAP_CPU"
echo "ring memory $BUF_KIB KiB for every tool; $BURSTS rounds of $PACKETS-packet bursts, tools interleaved per round;"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: figures are noisy)"
start=$(date +%s)
status=0
TOOLS=(bpfcap tcpdump netsniff-ng)
for round in $(seq "$BURSTS"); do
	for f in all sel; do
		# Two bursts with nothing capturing per round, one before each
		# filter's six: the sender's reference.
		burst "$round" none - - "" || status=1
		filter=$FILTER_ALL
		[[ $f == sel ]] && filter=$FILTER_SEL
		for mode in null file; do
			for tool in "${TOOLS[@]}"; do
				burst "$round" "$tool" "$mode" "$f" "$filter" || status=1
			done
		done
		burst "$round" bpfcap count "$f" "$filter" || status=1
	done
	for tool in bpfcap tcpdump; do
		burst "$round" "$tool" print all "$FILTER_ALL" || status=1
	done
	echo "  round $round of $BURSTS done ($(($(date +%s) - start)) s)" >&2
done
[[ -z ${BENCH_LIVE_RAW:-} ]] || cp "$RAW" "$BENCH_LIVE_RAW"

# The report: medians per (filter, output, tool).  The sender's figures
# are against the medians of the no-capture bursts: "sender CPU" is the
# generator's CPU time per packet sent (x alone; other work on the machine
# barely moves it), "rate" trafgen's own packets per second (share of
# alone; other work on CPU 0 lowers it too).
awk -v ports="$PORTS" -v fall="$FILTER_ALL" -v fsel="$FILTER_SEL" '
function median(s,    a, n, t, i, j) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function minof(s,    a, n, i, m) { n = split(s, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] < m) m = a[i]; return m }
function maxof(s,    a, n, i, m) { n = split(s, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
function add(arr, k, v) { arr[k] = (k in arr) ? arr[k] " " v : v }
# median [min-max]
function spread(s, fmt) { return sprintf(fmt " [" fmt "-" fmt "]", median(s), minof(s), maxof(s)) }
{ row[NR] = $0 }
$2 == "none" { add(brate, "x", $11 / 1e6); add(bcpu, "x", $5 > 0 ? $12 / $5 : 0) }
END {
	rate0 = median(brate["x"]) * 1e6; gcpu0 = median(bcpu["x"])
	for (r = 1; r <= NR; r++) {
		split(row[r], v, " ")
		if (v[2] == "none") continue
		k = v[4] SUBSEP v[3] SUBSEP v[2]
		keys[k] = 1
		add(cpu, k, v[6] > 0 ? v[8] / v[6] : 0) # ns per packet = ms per million
		add(cpuburst, k, v[8] / 1e6)
		add(wake, k, v[13])
		add(share, k, rate0 > 0 ? v[11] / rate0 : 0)
		add(gcost, k, gcpu0 > 0 && v[5] > 0 ? v[12] / v[5] / gcpu0 : 0)
		add(sysshare, k, (v[9] + v[10]) > 0 ? v[10] / (v[9] + v[10]) : 0)
		add(capd, k, v[6]); add(drop, k, v[7]); add(sent, k, v[5])
		add(dropshare, k, v[5] > 0 ? v[7] / v[5] : 0)
		add(droppct, k, sprintf("%.0f%%", v[5] > 0 ? 100 * v[7] / v[5] : 0))
		want = v[4] == "sel" ? v[5] / ports : v[5]
		if (v[3] != "print" && v[6] + v[7] != want)
			bad[k] = bad[k] " burst" v[1] ":" v[6] "+" v[7] "!=" want
	}
	printf "generator alone: %s M packets/s, %s ns of its CPU per packet (median [min-max])\n\n",
		spread(brate["x"], "%.2f"), spread(bcpu["x"], "%.0f")
	split("all sel", F, " "); split("null file", M, " "); split("bpfcap tcpdump netsniff-ng", T, " ")
	MN["null"] = "-w /dev/null"; MN["file"] = "-w FILE"
	FN["all"] = fall "\" (every packet)"; FN["sel"] = fsel "\" (1 in " ports ")"
	hdr = sprintf("%-11s %-12s %9s %7s %4s %7s  %-19s %-19s %s", "tool", "output", "CPU ms/M", "CPU ms",
		"sys", "wakeups", "sender CPU x alone", "sender rate share", "captured+dropped/sent (medians)")
	for (fi = 1; fi <= 2; fi++) {
		f = F[fi]
		printf "filter \"%s\n%s\n", FN[f], hdr
		for (mi = 1; mi <= 2; mi++) for (ti = 1; ti <= 3; ti++) {
			k = f SUBSEP M[mi] SUBSEP T[ti]
			if (!(k in keys)) continue
			want = f == "sel" ? median(sent[k]) / ports : median(sent[k])
			printf "%-11s %-12s %9.1f %7.1f %3.0f%% %7d  %-19s %-19s %d+%d/%d %s\n", T[ti], MN[M[mi]],
				median(cpu[k]), median(cpuburst[k]), 100 * median(sysshare[k]), median(wake[k]),
				spread(gcost[k], "%.2f"), spread(share[k], "%.2f"),
				median(capd[k]), median(drop[k]), want, (k in bad) ? "LOST:" bad[k] : "ok"
		}
		printf "\n"
	}
	printf "bpfcap against the others, ratios of the medians above (CPU: target <= 0.5 against tcpdump, <= 1 against netsniff-ng)\n"
	printf "%-18s %-12s %-17s %-17s %-21s %s\n", "filter", "output", "CPU/pkt b/tcpdump", "CPU/pkt b/netsniff",
		"sender CPU b/t/n", "sender rate b/t/n"
	for (fi = 1; fi <= 2; fi++) for (mi = 1; mi <= 2; mi++) {
		kb = F[fi] SUBSEP M[mi] SUBSEP "bpfcap"; kt = F[fi] SUBSEP M[mi] SUBSEP "tcpdump"
		kn = F[fi] SUBSEP M[mi] SUBSEP "netsniff-ng"
		if (!(kb in keys) || !(kt in keys) || !(kn in keys)) continue
		rt = median(cpu[kb]) / median(cpu[kt]); rn = median(cpu[kb]) / median(cpu[kn])
		printf "%-18s %-12s %5.2fx %-10s %5.2fx %-11s %.2f/%.2f/%.2f       %.2f/%.2f/%.2f\n",
			F[fi] == "all" ? fall : fsel, MN[M[mi]],
			rt, rt <= 0.5 ? "met" : "MISSED", rn, rn <= 1 ? "met" : "MISSED",
			median(gcost[kb]), median(gcost[kt]), median(gcost[kn]),
			median(share[kb]), median(share[kt]), median(share[kn])
	}
	printf "\nprinting -n to /dev/null at the generator maximum, filter \"%s\" (target: 0 drops)\n", fall
	printf "%-11s %10s %10s %11s  %-19s %s\n", "tool", "captured", "dropped", "drop share",
		"sender CPU x alone", "drop share per burst"
	for (ti = 1; ti <= 2; ti++) {
		k = "all" SUBSEP "print" SUBSEP T[ti]
		if (!(k in keys)) continue
		printf "%-11s %10d %10d %10.1f%%  %-19s %s\n", T[ti], median(capd[k]), median(drop[k]),
			100 * median(dropshare[k]), spread(gcost[k], "%.2f"), droppct[k]
	}
	printf "\nlive --count: the kernel counts matches in a BPF map and copies nothing, against tcpdump -w /dev/null (same filter, same ring)\n"
	printf "%-18s %-24s %9s %7s %7s  %-19s %-19s %s\n", "filter", "tool", "CPU ms/M", "CPU ms", "wakeups",
		"sender CPU x alone", "sender rate share", "counted/expected"
	for (fi = 1; fi <= 2; fi++) for (ti = 1; ti <= 2; ti++) {
		k = F[fi] SUBSEP (ti == 1 ? "count" : "null") SUBSEP T[ti]
		if (!(k in keys)) continue
		want = F[fi] == "sel" ? median(sent[k]) / ports : median(sent[k])
		printf "%-18s %-24s %9.2f %7.2f %7d  %-19s %-19s %d/%d %s\n", F[fi] == "all" ? fall : fsel,
			ti == 1 ? "bpfcap --count" : "tcpdump -w /dev/null", median(cpu[k]), median(cpuburst[k]),
			median(wake[k]), spread(gcost[k], "%.2f"), spread(share[k], "%.2f"), median(capd[k]), want,
			(k in bad) ? "WRONG:" bad[k] : "ok"
	}
	for (k in bad) exit 3
}' "$RAW" || status=1

echo
rss_check "$RSS_PACKETS" || status=1
echo "bench_live took $(($(date +%s) - start)) s"
exit "$status"
