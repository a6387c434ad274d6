#!/usr/bin/env bash
# Checks the packet corpus written by build/tests/gen_corpus (see
# tests/pktgen/README.md):
#   - the generator runs, quickly, and writes the four files;
#   - each file is a well-formed pcap of the right link type (record walk:
#     caplen <= wirelen, strictly increasing timestamps, nothing left over),
#     with at least the promised number of packets, truncated records and
#     tiny records;
#   - tcpdump reads every file to the end without error (and capinfos and
#     tshark too, when installed);
#   - two runs give byte-identical files;
#   - every scenario family is there in numbers: a table of filter
#     expressions and the least number of packets each must match, counted
#     by tcpdump's libpcap.
# Usage: BUILD=build tests/cli/test_corpus.sh
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$ROOT/$BUILD ;;
esac
GEN=$BUILD/tests/gen_corpus
PASSED=0
FAILED=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

pass() { PASSED=$((PASSED + 1)); }
fail() {
	FAILED=$((FAILED + 1))
	printf 'FAIL %s\n' "$*"
}
finish() {
	echo "$PASSED passed, $FAILED failed"
	[[ $FAILED -eq 0 && $PASSED -gt 0 ]]
}
check() {   # check LABEL COMMAND...: pass if the command succeeds
	local label=$1
	shift
	if "$@"; then pass; else fail "$label"; fi
}

if [[ ! -x $GEN ]]; then
	echo "FAIL: $GEN not found (build it: make ${BUILD#"$ROOT"/}/tests/gen_corpus)"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! command -v tcpdump >/dev/null; then
	echo "FAIL: tcpdump is not installed (apt-get install tcpdump): it is this test's reader"
	echo "0 passed, 1 failed"
	exit 1
fi

FILES=(en10mb raw sll sll2)
declare -A LINKTYPE=([en10mb]=1 [raw]=101 [sll]=113 [sll2]=276)
declare -A MIN_PACKETS=([en10mb]=2500 [raw]=1500 [sll]=1500 [sll2]=1500)
# Records must include some cut short (caplen < wirelen) and some tiny ones.
declare -A MIN_TRUNCATED=([en10mb]=100 [raw]=80 [sll]=100 [sll2]=100)

# ---- generation -----------------------------------------------------------
start=$(date +%s%N)
if "$GEN" "$TMP/a" >"$TMP/summary" 2>"$TMP/gen.err"; then
	pass
else
	fail "gen_corpus exited nonzero: $(head -3 "$TMP/gen.err")"
	finish
	exit 1
fi
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
# The brief is < 1 s; allow slack for sanitizer builds and loaded machines.
check "gen_corpus took ${elapsed_ms} ms (limit 5000)" test "$elapsed_ms" -lt 5000
check "gen_corpus printed no summary" grep -q '^total ' "$TMP/summary"

# ---- determinism ----------------------------------------------------------
"$GEN" "$TMP/b" >/dev/null 2>&1
for f in "${FILES[@]}"; do
	check "$f.pcap: two runs differ" cmp -s "$TMP/a/$f.pcap" "$TMP/b/$f.pcap"
done

# ---- record walk ----------------------------------------------------------
# Prints: packets truncated tiny maxwire error-or-"ok"
walk_pcap() {
	od -An -v -tu1 -w1 "$1" | awk -v want_lt="$2" '
	function u32(o) { return b[o] + b[o+1] * 256 + b[o+2] * 65536 + b[o+3] * 16777216 }
	{ b[n++] = $1 + 0 }
	END {
		err = "ok"
		if (n < 24 || u32(0) != 2712847316) err = "bad magic"
		else if (u32(20) != want_lt) err = "linktype " u32(20) " not " want_lt
		snap = u32(16); off = 24; prev = -1
		while (err == "ok" && off < n) {
			if (off + 16 > n) { err = "partial record header at " off; break }
			ts = u32(off) * 1000000 + u32(off + 4)
			cap = u32(off + 8); wire = u32(off + 12)
			if (ts <= prev) err = "timestamp not increasing at record " pkts + 1
			if (cap > wire) err = "caplen > wirelen at record " pkts + 1
			if (cap > snap) err = "caplen > snaplen at record " pkts + 1
			if (off + 16 + cap > n) err = "record " pkts + 1 " runs past the end"
			prev = ts; pkts++
			if (cap < wire) trunc++
			if (wire <= 20) tiny++
			if (wire > maxwire) maxwire = wire
			off += 16 + cap
		}
		printf "%d %d %d %d %s\n", pkts, trunc, tiny, maxwire, err
	}'
}

declare -A NPKTS
for f in "${FILES[@]}"; do
	read -r pkts trunc tiny maxwire err < <(walk_pcap "$TMP/a/$f.pcap" "${LINKTYPE[$f]}")
	NPKTS[$f]=$pkts
	check "$f.pcap: malformed: $err" test "$err" = ok
	check "$f.pcap: $pkts packets, want >= ${MIN_PACKETS[$f]}" test "$pkts" -ge "${MIN_PACKETS[$f]}"
	check "$f.pcap: $trunc truncated records, want >= ${MIN_TRUNCATED[$f]}" test "$trunc" -ge "${MIN_TRUNCATED[$f]}"
	check "$f.pcap: $tiny records of <= 20 bytes, want >= 15" test "$tiny" -ge 15
	check "$f.pcap: largest packet $maxwire bytes, want >= 8000" test "$maxwire" -ge 8000
	case $f in en10mb) col=2 ;; raw) col=3 ;; sll) col=4 ;; sll2) col=5 ;; esac
	said=$(awk -v c="$col" '$1 == "total" { print $c }' "$TMP/summary")
	check "$f.pcap: summary says ${said:-nothing}, file has $pkts" test "${said:-x}" = "$pkts"
done

# ---- readers --------------------------------------------------------------
for f in "${FILES[@]}"; do
	p=$TMP/a/$f.pcap
	if tcpdump -vv -nr "$p" >/dev/null 2>"$TMP/td.err"; then pass; else fail "tcpdump -r $f.pcap failed"; fi
	# Only the banner and tcpdump's SLL2 interface-name notice are expected.
	if grep -v -e '^reading from file' -e 'interface names might be incorrect' "$TMP/td.err" | grep -q .; then
		fail "tcpdump -r $f.pcap complained: $(grep -v '^reading from file' "$TMP/td.err" | head -1)"
	else
		pass
	fi
	n=$(tcpdump -nr "$p" --count 2>/dev/null | awk '{ print $1 }')
	check "tcpdump counts ${n:-nothing} packets in $f.pcap, record walk ${NPKTS[$f]}" test "${n:-x}" = "${NPKTS[$f]}"
	if ! command -v capinfos >/dev/null || ! command -v tshark >/dev/null; then
		fail "capinfos/tshark not installed (scripts/install-deps.sh installs them)"
	fi
	if command -v capinfos >/dev/null; then
		if capinfos -c "$p" >"$TMP/ci.out" 2>&1 && ! grep -qi -e error -e corrupt "$TMP/ci.out"; then
			pass
		else
			fail "capinfos $f.pcap: $(head -2 "$TMP/ci.out")"
		fi
	fi
	if command -v tshark >/dev/null; then
		if tshark -n -r "$p" >/dev/null 2>"$TMP/ts.err" && ! grep -qi -e corrupt -e damaged -e "isn't a capture" "$TMP/ts.err"; then
			pass
		else
			fail "tshark -r $f.pcap: $(head -2 "$TMP/ts.err")"
		fi
	fi
done

# ---- scenario families, counted by libpcap ---------------------------------
# FILE(S) | EXPRESSION | at least (so no '|' inside expressions).  Files: a comma-separated subset of
# en10mb,raw,sll,sll2, or "ip" for all four (expressions valid everywhere).
TABLE=$(
	cat <<'EOF'
en10mb         | vlan                                   | 150
en10mb         | vlan 0                                 | 10
en10mb         | vlan 100                               | 10
en10mb         | vlan 4095                              | 10
en10mb         | vlan and vlan                          | 50
en10mb         | vlan and vlan and vlan                 | 20
en10mb         | ether proto 0x88a8                     | 20
en10mb         | ether proto 0x9100                     | 20
en10mb         | ether[14] & 0xe0 == 0xe0 and vlan      | 5
en10mb         | mpls                                   | 80
en10mb         | mpls 0                                 | 5
en10mb         | mpls 16                                | 5
en10mb         | mpls 1000                              | 5
en10mb         | mpls 1048575                           | 5
en10mb         | mpls and mpls                          | 40
en10mb         | mpls and mpls and mpls                 | 20
en10mb         | mpls and ip                            | 10
en10mb         | mpls and ip6                           | 10
en10mb         | mpls and mpls and ip                   | 10
en10mb         | ether broadcast                        | 50
en10mb         | ether multicast and not ether broadcast | 50
en10mb         | llc                                    | 60
en10mb         | stp                                    | 10
en10mb,sll     | netbeui                                | 10
en10mb,sll     | ipx                                    | 10
en10mb,sll     | iso                                    | 5
en10mb         | ether[14:2] == 0xaaaa                  | 10
en10mb,sll,sll2 | pppoed                                | 15
en10mb,sll,sll2 | pppoes                                | 60
en10mb,sll,sll2 | pppoes 0x1234                         | 5
en10mb,sll,sll2 | pppoes and ip                         | 20
en10mb,sll,sll2 | pppoes and ip6                        | 20
en10mb,sll,sll2 | arp                                   | 40
en10mb,sll,sll2 | rarp                                  | 15
en10mb,sll,sll2 | decnet or lat or atalk or ether proto 0x88cc | 12
ip             | ip                                     | 1000
ip             | ip6                                    | 450
ip             | ip[6:2] & 0x1fff != 0                  | 40
ip             | ip[6] & 0x20 != 0                      | 40
ip             | ip[6] & 0x40 != 0                      | 100
ip             | ip[0] & 0xf > 5                        | 90
ip             | ip[0] & 0xf == 15                      | 10
ip             | dst host 255.255.255.255               | 10
ip             | ip multicast                           | 40
ip             | ip6 multicast                          | 20
ip             | net 10.0.0.0/8                         | 100
ip             | net 192.168.0.0/16                     | 100
ip             | net 172.16.0.0/12                      | 100
ip             | net 127.0.0.0/8                        | 100
ip             | net 224.0.0.0/4                        | 40
ip             | ip6 protochain 0                       | 100
ip             | ip6 protochain 43                      | 50
ip             | ip6 protochain 44                      | 50
ip             | ip6 protochain 51                      | 50
ip             | ip6 protochain 60                      | 50
ip             | ip6 protochain 6                       | 100
ip             | ip6 protochain 17                      | 50
ip             | ip6 protochain 58                      | 50
ip             | tcp[tcpflags] & tcp-syn != 0           | 100
ip             | tcp[tcpflags] & 0x12 == 0x12           | 50
ip             | tcp[tcpflags] & tcp-fin != 0           | 100
ip             | tcp[tcpflags] & tcp-rst != 0           | 100
ip             | tcp[tcpflags] & tcp-push != 0          | 100
ip             | tcp[tcpflags] & tcp-urg != 0           | 100
ip             | tcp[tcpflags] & tcp-ece != 0           | 100
ip             | tcp[tcpflags] & tcp-cwr != 0           | 100
ip             | tcp[tcpflags] == 0                     | 1
ip             | tcp port 80                            | 20
ip             | tcp port 443                           | 20
ip             | port 0                                 | 10
ip             | port 65535                             | 10
ip             | portrange 20-25                        | 50
ip             | udp port 53                            | 10
ip             | udp port 67 or udp port 68             | 8
ip             | udp port 123                           | 4
ip             | udp port 4789                          | 40
ip             | geneve                                 | 30
ip             | icmp                                   | 100
ip             | icmp[icmptype] == icmp-echo            | 20
ip             | icmp[icmptype] == icmp-unreach         | 16
ip             | icmp[icmptype] == icmp-timxceed        | 2
ip             | icmp[icmptype] == icmp-redirect        | 4
ip             | icmp6                                  | 50
ip             | icmp6 and ip6[40] == 135               | 4
ip             | icmp6 and ip6[40] == 134               | 4
ip             | icmp6 and ip6[40] == 133               | 4
ip             | ip6 protochain 58 and ip6[6] == 0      | 12
ip             | igmp                                   | 15
ip             | igrp                                   | 5
ip             | pim                                    | 8
ip             | ah                                     | 10
ip             | esp                                    | 6
ip             | vrrp                                   | 6
ip             | sctp                                   | 12
ip             | sctp port 2905                         | 2
ip             | ip proto 47 or ip6 proto 47            | 12
ip             | ip proto 41                            | 4
ip             | ip6 proto 4                            | 4
ip             | ip proto 4                             | 2
ip             | ip proto 253 or ip6 proto 253          | 2
ip             | greater 1500                           | 30
ip             | greater 8000                           | 15
ip             | less 20                                | 15
sll,sll2       | inbound                                | 1000
sll            | link[0:2] == 1                         | 50
sll            | link[0:2] == 2                         | 50
sll            | link[0:2] == 3                         | 300
sll            | link[0:2] == 4                         | 300
sll            | link[2:2] == 772                       | 100
sll            | link[2:2] == 778 and link[4:2] == 4    | 100
sll            | link[2:2] == 0xfffe and link[4:2] == 0 | 100
sll            | link[14:2] == 4                        | 50
sll            | link[14:2] == 1                        | 5
sll            | link[14:2] == 0x8100                   | 100
sll            | link[14:2] == 0x88a8                   | 10
sll            | link[14:2] == 0x9100                   | 10
sll            | link[14:2] == 0x8847                   | 50
sll2           | link[10] == 1                          | 50
sll2           | link[10] == 2                          | 50
sll2           | link[10] == 3                          | 300
sll2           | link[10] == 4                          | 300
sll2           | link[8:2] == 772                       | 100
sll2           | link[8:2] == 778 and link[11] == 4     | 100
sll2           | link[8:2] == 0xfffe and link[11] == 0  | 100
sll2           | link[0:2] == 4                         | 50
sll2           | link[0:2] == 1                         | 5
sll2           | link[0:2] == 0x8100                    | 100
sll2           | link[0:2] == 0x88a8                    | 10
sll2           | link[0:2] == 0x9100                    | 10
sll2           | link[0:2] == 0x8847                    | 50
sll,sll2       | outbound                               | 300
sll2           | ifindex 7                              | 100
sll2           | ifindex 100                            | 100
sll2           | ifindex 1                              | 100
sll2           | ifindex 2                              | 100
sll2           | link[4:4] == 0x7fffffff                | 100
EOF
)

while IFS='|' read -r files expr least; do
	files=${files//[[:space:]]/}
	expr=$(echo "$expr" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
	least=${least//[[:space:]]/}
	[[ -z $files ]] && continue
	[[ $files == ip ]] && files=en10mb,raw,sll,sll2
	IFS=, read -r -a which <<<"$files"
	for f in "${which[@]}"; do
		if ! n=$(tcpdump -nr "$TMP/a/$f.pcap" --count "$expr" 2>"$TMP/cnt.err" | awk '{ print $1 }') || [[ -z $n ]]; then
			fail "$f.pcap '$expr': tcpdump: $(grep -v -e '^reading' -e 'interface names' "$TMP/cnt.err" | head -1)"
		elif [[ $n -lt $least ]]; then
			fail "$f.pcap '$expr': $n packets, want >= $least"
		else
			pass
		fi
	done
done <<<"$TABLE"

finish
