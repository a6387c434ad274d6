#!/usr/bin/env bash
# make demo: what bpfcap can do today.
#
# Live capture (AF_PACKET rings, the filter in the kernel, on a throwaway
# veth pair) is not built yet: this demo shows the parts that exist — the
# filter compiler next to tcpdump's, the eBPF translation and its x86-64
# JIT code, and an offline run that filters a capture with the JIT, writes
# a pcap file and prints packets as tcpdump does.
set -euo pipefail
BUILD=${BUILD:-build}
bin="$BUILD/bpfcap"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "bpfcap compiles tcpdump filter expressions to classic BPF, with tcpdump's -d/-dd/-ddd"
echo "(live capture is not implemented yet; this demo shows the compiler, eBPF, the JIT and offline files)"

expr='tcp port 80 and host 10.0.0.1'
say "$bin -d '$expr'    (our compiler)"
"$bin" -d "$expr"
if command -v tcpdump >/dev/null; then
	ours=$("$bin" -d "$expr" | wc -l)
	theirs=$(tcpdump -d -y EN10MB "$expr" 2>/dev/null | wc -l)
	echo "-> $ours instructions; tcpdump/libpcap: $theirs"
fi

say "$bin -dd 'vlan 10 and udp'    (C initializer, as tcpdump -dd)"
"$bin" -dd 'vlan 10 and udp'

say "$bin -ddd 'icmp[icmptype] == icmp-echo'    (decimal, as tcpdump -ddd)"
"$bin" -ddd 'icmp[icmptype] == icmp-echo'

say "$bin -d -i lo 'vlan 10'    (live mode: the tag may be in skb metadata)"
"$bin" -d -i lo 'vlan 10'

say "$bin -d -y LINUX_SLL2 'inbound and ip6 protochain 6'"
out=$("$bin" -d -y LINUX_SLL2 'inbound and ip6 protochain 6')
sed -n 1,20p <<<"$out"
echo "... ($(wc -l <<<"$out") instructions: protochain is unrolled 8 headers deep, see docs/DESIGN.md)"

say "a 1000-term host chain: $bin -d 'host 10.0.0.1 or host 10.0.0.2 or ...'"
chain=$(for i in $(seq 1 1000); do printf 'host 10.%d.%d.%d or ' $((i / 65536)) $((i / 256 % 256)) $((i % 256)); done)
chain="${chain% or }"
start=$(date +%s%N)
n=$("$bin" -d "$chain" | wc -l)
end=$(date +%s%N)
echo "-> $n instructions; the whole command, printing included, took $(( (end - start) / 1000000 )) ms; libpcap needs about a minute to compile it"

say "an invalid expression: $bin -d 'tcp port 80 and and udp'"
"$bin" -d 'tcp port 80 and and udp' || echo "(exit status $?)"

say "the eBPF a kernel socket filter would run: $bin --dump=ebpf -i lo 'tcp port 80'"
"$bin" --dump=ebpf -i lo 'tcp port 80'

say "the userspace form (packet bounds checked explicitly) and its x86-64: $bin --dump=jit 'ip'"
"$bin" --dump=jit ip | sed -n 1,40p
echo "..."

corpus=$BUILD/demo-corpus
mkdir -p "$corpus"
"$BUILD/tests/gen_corpus" "$corpus" >/dev/null
say "offline: $bin -r en10mb.pcap -w $BUILD/demo.pcap 'tcp port 80'    (filtered by the JIT)"
"$bin" -r "$corpus/en10mb.pcap" -w "$BUILD/demo.pcap" 'tcp port 80'
if command -v tcpdump >/dev/null; then
	tcpdump -r "$corpus/en10mb.pcap" -w "$BUILD/demo-tcpdump.pcap" 'tcp port 80' 2>/dev/null
	if cmp -s "$BUILD/demo.pcap" "$BUILD/demo-tcpdump.pcap"; then
		echo "-> $("$bin" -r "$BUILD/demo.pcap" --count 2>/dev/null); byte-identical to what tcpdump -w writes"
	else
		echo "-> differs from tcpdump's file (a bug: please report it)"
	fi
fi

say "printing: TZ=UTC $bin -n -r en10mb.pcap -c 12 'arp or icmp or udp port 53'"
TZ=UTC "$bin" -n -r "$corpus/en10mb.pcap" -c 12 'arp or icmp or udp port 53'
