#!/usr/bin/env bash
# Live --count (issue 10): the kernel counts matching packets in a BPF map
# and copies none into the ring.  Two namespaces and a veth pair made here
# (removed on exit); the project corpus replayed from one side; on the
# other, for each filter, `bpfcap --count` (kernel engine) beside a
# reference tcpdump capturing the same filter live.  Checks: the counts
# equal the reference's, PACKET_STATISTICS says 0 packets reached the
# ring, --stats reports seen = matched + rejected, --pin's map is readable
# by bpftool while bpfcap runs and is gone after.
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/lib.sh"

if [[ $(id -u) -ne 0 ]]; then
	echo "SKIP: needs root (network namespaces, BPF maps)"
	exit 77
fi
for tool in tcpdump capinfos bpftool; do
	command -v $tool >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
CORPUS=${BPFCAP_CORPUS:-$BUILD/corpus}
PKTSEND=$BUILD/tests/pktsend
[[ -f $CORPUS/en10mb.pcap && -x $PKTSEND ]] || { echo "FAIL: $CORPUS/en10mb.pcap or $PKTSEND missing"; exit 1; }

nsa=bccnt$$a nsb=bccnt$$b va=bcc$$a vb=bcc$$b
bpffs=$TMP/bpffs
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null || true
	ip netns del "$nsa" 2>/dev/null || true
	ip netns del "$nsb" 2>/dev/null || true
	umount "$bpffs" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # run-all's timeout sends TERM: the EXIT trap still cleans up
ip netns add "$nsa"
ip netns add "$nsb"
# No IPv6 on the pair: the kernel's own router solicitations and MLD
# reports would reach one capture and not the other, depending on when
# each started.
for ns in "$nsa" "$nsb"; do ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
ip link add "$va" netns "$nsa" type veth peer name "$vb" netns "$nsb"
ip -n "$nsa" link set "$va" up
ip -n "$nsb" link set "$vb" up
mkdir -p "$bpffs"
mount -t bpf bpf "$bpffs"

filters=('tcp' 'udp' 'arp' 'icmp' 'ip6' 'vlan' 'vlan 10 and tcp' 'udp port 53' 'not ip'
	'tcp[tcpflags] & tcp-syn != 0' 'len > 200' 'ether broadcast' 'ip and src net 10.0.0.0/8')

wait_listening() {
	for _ in $(seq 200); do
		grep -q 'listening on' "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

i=0
for f in "${filters[@]}"; do
	ip netns exec "$nsb" "$BPFCAP" -i "$vb" --count -v "$f" >"$TMP/c$i.out" 2>"$TMP/c$i.err" &
	ip netns exec "$nsb" tcpdump -B 32768 --immediate-mode -i "$vb" -w "$TMP/r$i.pcap" "$f" 2>"$TMP/r$i.err" &
	i=$((i + 1))
done
ip netns exec "$nsb" "$BPFCAP" -i "$vb" --stats=1 --pin="$bpffs/counts" -w "$TMP/stats.pcap" udp \
	2>"$TMP/stats.err" &
for ((k = 0; k < i; k++)); do
	wait_listening "$TMP/c$k.err" && wait_listening "$TMP/r$k.err" || fail "filter $k did not start"
done
wait_listening "$TMP/stats.err" || fail "--stats capture did not start"
ip netns exec "$nsa" "$PKTSEND" -i "$va" -g 50 "$CORPUS/en10mb.pcap" >"$TMP/sent" 2>&1
sleep 0.3
# While it runs, another tool reads the pinned counters map.
if bpftool map dump pinned "$bpffs/counts" >"$TMP/bpftool.out" 2>&1 && grep -q 'value' "$TMP/bpftool.out"; then
	pass
else
	fail "bpftool could not read the pinned map: $(head -3 "$TMP/bpftool.out")"
fi
jobs -p | xargs -r kill -INT
wait || true

for ((k = 0; k < i; k++)); do
	f=${filters[$k]}
	dropped=$(grep -oE '^[0-9]+ packets? dropped by kernel' "$TMP/r$k.err" | cut -d' ' -f1 || true)
	if [[ ${dropped:-x} != 0 ]]; then
		fail "'$f': the reference tcpdump dropped ${dropped:-?} packets: comparison void"
		continue
	fi
	want=$(capinfos -c -M "$TMP/r$k.pcap" 2>/dev/null | awk '/Number of packets/ {print $NF}')
	got=$(grep -oE '^[0-9]+ packets?$' "$TMP/c$k.out" | cut -d' ' -f1 || true)
	if [[ -n $got && $got == "$want" ]]; then pass; else
		fail "'$f': --count says ${got:-nothing}, tcpdump captured $want"; fi
	# Nothing was queued to the ring: the counting program returns 0.
	if grep -qx '0 packets received by filter' "$TMP/c$k.err"; then pass; else
		fail "'$f': packets reached the ring during --count: $(grep 'received by filter' "$TMP/c$k.err")"
	fi
	# -v: the bytes line, nonzero when packets matched.
	if [[ $got == 0 ]] || grep -qE '^[1-9][0-9]* bytes on the wire$' "$TMP/c$k.out"; then pass; else
		fail "'$f': no byte count with -v"; fi
	printf '  %-32s %6s packets counted in the kernel (tcpdump: %s)\n' "'$f'" "$got" "$want"
done
[[ $(grep -c . "$TMP/sent") -ge 1 ]] && echo "  sent: $(cat "$TMP/sent")"

# --stats on a capture: seen = matched + rejected, matched = captured.
last=$(grep -E 'packets seen' "$TMP/stats.err" | tail -1)
read -r seen matched rejected < <(sed -E 's/.* ([0-9]+) packets seen .*, ([0-9]+) matched, ([0-9]+) rejected.*/\1 \2 \3/' <<<"$last")
captured=$(grep -oE '^[0-9]+ packets captured' "$TMP/stats.err" | cut -d' ' -f1)
sent=$(grep -oE '[0-9]+ sent' "$TMP/sent" | cut -d' ' -f1)
if [[ -n $seen && $((matched + rejected)) == "$seen" && $matched == "$captured" && $seen == "$sent" ]]; then
	pass
	echo "  --stats: $seen seen = sent, $matched matched = captured, $rejected rejected in the kernel"
else
	fail "--stats line does not add up: '$last' (captured $captured, sent $sent)"
fi
if [[ -e $bpffs/counts ]]; then fail "the pin outlived bpfcap"; else pass; fi
finish
