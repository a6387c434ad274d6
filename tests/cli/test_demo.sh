#!/usr/bin/env bash
# make demo's script runs to the end and shows what it promises: a live
# capture on a veth pair between two namespaces it creates (and removes),
# the filter in the kernel, printed packets of the real traffic it sent
# (ARP, UDP, ICMP, TCP) and of the replayed VLAN frames, statistics, and
# demo.pcap holding as many packets as the capture reported.
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/lib.sh"

if [[ $(id -u) -ne 0 ]]; then
	echo "SKIP: make demo needs root (network namespaces, packet sockets)"
	exit 77
fi
rm -f "$BUILD/demo.pcap"
if BUILD=$BUILD "$ROOT/scripts/demo.sh" >"$TMP/demo.out" 2>&1; then
	pass
else
	fail "scripts/demo.sh exited $?: $(tail -3 "$TMP/demo.out")"
fi
for want in 'r0 = *(u16 *)skb[12]' '(000) ' 'listening on bcd' 'ARP, Request who-has 10.99.0.2 tell 10.99.0.1' \
	'10.99.0.2.53: ' 'udp port 9999 unreachable' '10.99.0.2.80: Flags [S]' 'Flags [R.]' \
	'127.0.48.200.24 > 192.0.2.180.21' 'packets received by filter' 'dropped by kernel' \
	"found 'and'" '^^^' 'instructions in'; do
	if grep -qF -- "$want" "$TMP/demo.out"; then pass; else fail "demo output lacks: $want"; fi
done
# Every capture line "N packets captured" agrees with the file.
captured=$(grep -m1 -oE '^[0-9]+ packets captured' "$TMP/demo.out" | cut -d' ' -f1 || true)
in_file=$(tcpdump -r "$BUILD/demo.pcap" 2>/dev/null | wc -l)
if [[ -n $captured && $captured -ge 15 && $captured == "$in_file" ]]; then pass; else
	fail "demo.pcap has $in_file packets, the capture said ${captured:-nothing}"; fi
# The 3 datagrams to port 9999 were filtered out in the kernel: the writer
# reports as many received by the filter as captured.
if grep -A2 -F "writer's statistics" "$TMP/demo.out" >/dev/null &&
	awk '/packets captured/{c=$1} /received by filter/{r=$1} END{exit !(c==r && c>0)}' \
		<(sed -n "/writer's statistics/,\$p" "$TMP/demo.out"); then pass; else
	fail "the writer's statistics do not show kernel filtering"; fi
if ip netns list | grep -q bcdemo; then fail "namespaces left behind: $(ip netns list | grep bcdemo)"; else pass; fi
if ip link show | grep -q 'bcd[0-9]*[ab]'; then fail "veth left behind"; else pass; fi
finish
