#!/usr/bin/env bash
# make demo: a real capture.  Two network namespaces joined by a veth pair
# (created here, removed on exit, nothing touches another interface), a
# known mix of traffic between them, bpfcap capturing on the receiving
# side with the filter running in the kernel: printed packets, demo.pcap,
# the statistics, and the filter at every stage (-d, --dump=ebpf, --dump=jit).
set -euo pipefail
BUILD=${BUILD:-build}
bin=$(realpath "$BUILD/bpfcap")
out=$(realpath "$BUILD")/demo.pcap

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [[ $(id -u) -ne 0 ]]; then
	echo "make demo creates network namespaces and captures packets: run it as root" >&2
	exit 1
fi

# Names unique to this run; everything created is removed on any exit.
tag=$$
nsa=bcdemo${tag}a nsb=bcdemo${tag}b
va=bcd${tag}a vb=bcd${tag}b
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns del "$nsa" 2>/dev/null || true
	ip netns del "$nsb" 2>/dev/null || true
}
trap cleanup EXIT

say "a throwaway network: namespaces $nsa and $nsb joined by the veth pair $va <-> $vb"
ip netns add "$nsa"
ip netns add "$nsb"
ip link add "$va" netns "$nsa" type veth peer name "$vb" netns "$nsb"
ip -n "$nsa" addr add 10.99.0.1/24 dev "$va"
ip -n "$nsb" addr add 10.99.0.2/24 dev "$vb"
for ns in "$nsa" "$nsb"; do ip -n "$ns" link set lo up; done
ip -n "$nsa" link set "$va" up
ip -n "$nsb" link set "$vb" up
ip -n "$nsb" -br addr show dev "$vb"

filter='(host 10.99.0.2 and (arp or icmp or tcp or udp port 53)) or (vlan 10 and tcp)'
say "the filter, compiled for $vb in live mode: $bin -d -i $vb '$filter'"
ip netns exec "$nsb" "$bin" -d -i "$vb" "$filter"
say "the eBPF the kernel will run as a socket filter: $bin --dump=ebpf -i $vb '…'"
ip netns exec "$nsb" "$bin" --dump=ebpf -i "$vb" "$filter"

# Wait until a capture's stderr says it is listening (it has bound the
# socket: from then on no packet is missed).
wait_listening() {
	for _ in $(seq 100); do
		grep -q 'listening on' "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "a capture did not start: $(cat "$1")" >&2
	return 1
}

log=$(mktemp -d)
trap 'cleanup; rm -rf "$log"' EXIT
say "capturing on $vb: one bpfcap prints, one writes $out (both filter in the kernel)"
ip netns exec "$nsb" "$bin" -i "$vb" -n -l "$filter" >"$log/print.out" 2>"$log/print.err" &
pids+=($!)
ip netns exec "$nsb" "$bin" -i "$vb" -w "$out" "$filter" 2>"$log/write.err" &
pids+=($!)
wait_listening "$log/print.err"
wait_listening "$log/write.err"

# The traffic, all from $nsa to $nsb: real sockets (bash's /dev/udp and
# /dev/tcp), so ARP resolves, UDP to closed ports draws ICMP port
# unreachable and TCP connections are refused with RST; then frames
# replayed from the project's corpus (VLAN-tagged ones among them, whose
# tag the receiving kernel moves into metadata: bpfcap puts it back).
ip netns exec "$nsa" bash -c '
	for i in 1 2 3; do echo "dns query $i" >/dev/udp/10.99.0.2/53; done
	for i in 1 2 3; do echo "not captured $i" >/dev/udp/10.99.0.2/9999; done
	for p in 80 443; do (exec 3<>/dev/tcp/10.99.0.2/$p) 2>/dev/null || true; done'
corpus=$BUILD/demo-corpus
mkdir -p "$corpus"
"$BUILD/tests/gen_corpus" "$corpus" >/dev/null
sent=$(ip netns exec "$nsa" "$BUILD/tests/pktsend" -i "$va" -g 20 "$corpus/en10mb.pcap" 2>&1)
echo "sent: 3 UDP datagrams to port 53, 3 to port 9999, 2 TCP connections; replayed $sent"
sleep 0.3
for p in "${pids[@]}"; do kill -INT "$p"; done
wait "${pids[@]}" || true
pids=()

say "what bpfcap printed (tcpdump's format), then its statistics"
cat "$log/print.out"
cat "$log/print.err"
say "the writer's statistics: packets received by filter = captured, because the kernel filtered"
cat "$log/write.err"

say "$out, read back by tcpdump and by bpfcap"
if command -v capinfos >/dev/null; then capinfos -c -l "$out" | tail -2; fi
tcpdump -nn -r "$out" 2>/dev/null >"$log/tcpdump.txt"
"$bin" -nn -r "$out" 2>/dev/null >"$log/bpfcap.txt"
if cmp -s "$log/tcpdump.txt" "$log/bpfcap.txt"; then
	echo "-> $(wc -l <"$log/bpfcap.txt") lines; tcpdump -nn -r prints exactly what bpfcap -nn -r prints"
else
	echo "-> tcpdump and bpfcap print the file differently (please report it):"
	diff "$log/tcpdump.txt" "$log/bpfcap.txt" | head -10 || true
fi

say "the same filter as x86-64, for userspace filtering (--engine=jit, -r): $bin --dump=jit 'vlan 10 and tcp'"
"$bin" --dump=jit 'vlan 10 and tcp' | sed -n 1,30p
echo "..."

say "an invalid expression: $bin -d 'tcp port 80 and and udp'"
"$bin" -d 'tcp port 80 and and udp' || echo "(exit status $?)"

say "a 2000-term host chain: $bin -d 'host 10.0.0.1 or host 10.0.0.2 or ...'"
chain=$(for i in $(seq 1 2000); do printf 'host 10.%d.%d.%d or ' $((i / 65536)) $((i / 256 % 256)) $((i % 256)); done)
chain="${chain% or }"
start=$(date +%s%N)
n=$("$bin" -d "$chain" | wc -l)
end=$(date +%s%N)
echo "-> $n instructions in $(( (end - start) / 1000000 )) ms (libpcap needs minutes); past classic" \
	"BPF's 4,096, so SO_ATTACH_FILTER refuses it, but the kernel engine runs it in the kernel as eBPF"
say "done: $out kept; the namespaces and the veth pair are removed"
