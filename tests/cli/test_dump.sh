#!/usr/bin/env bash
# bpfcap -d/-dd/-ddd against tcpdump -d/-dd/-ddd (same libpcap), byte for
# byte on stdout (stderr aside).
#   group "libpcap": bpfcap --compiler=libpcap: the CLI's plumbing and the
#                    dump formats, independent of bpfcap's compiler;
#   group "our compiler": bpfcap's own compiler where it must produce
#                    libpcap's program exactly;
#   group "options": "--", words joined with spaces, -O.
# Usage: BUILD=build tests/cli/test_dump.sh
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v tcpdump >/dev/null; then
	echo "FAIL: tcpdump is not installed (apt-get install tcpdump): it is this test's oracle"
	echo "0 passed, 1 failed"
	exit 1
fi

# compare GROUP LABEL -- BPFCAP_ARGS... ::: TCPDUMP_ARGS...
compare() {
	local group=$1 label=$2
	shift 3
	local -a ours=() theirs=()
	while [[ $1 != ::: ]]; do
		ours+=("$1")
		shift
	done
	shift
	theirs=("$@")
	local ors=0 trs=0
	"$BPFCAP" "${ours[@]}" >"$TMP/ours.out" 2>"$TMP/ours.err" || ors=$?
	tcpdump "${theirs[@]}" >"$TMP/theirs.out" 2>"$TMP/theirs.err" || trs=$?
	if [[ $trs -ne 0 ]]; then
		fail "[$group] $label: tcpdump itself failed ($trs): $(tail -1 "$TMP/theirs.err")"
		return
	fi
	if [[ $ors -ne 0 ]]; then
		fail "[$group] $label: bpfcap exited $ors: $(head -1 "$TMP/ours.err")"
		return
	fi
	if sanitizer_report "$TMP/ours.err"; then
		fail "[$group] $label: sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$TMP/ours.err")"
		return
	fi
	if ! cmp -s "$TMP/ours.out" "$TMP/theirs.out"; then
		fail "[$group] $label: output differs from tcpdump's (- tcpdump, + bpfcap):"
		diff -u "$TMP/theirs.out" "$TMP/ours.out" | sed -n '3,14p' | sed 's/^/      /'
		return
	fi
	if [[ ! -s $TMP/ours.out ]]; then
		fail "[$group] $label: no output at all"
		return
	fi
	pass
}

EXPRS=(
	""
	"ip"
	"ip6"
	"arp"
	"tcp"
	"udp port 53"
	"tcp port 80"
	"host 10.0.0.1"
	"src host 192.168.1.1 and dst port 443"
	"net 10.0.0.0/8"
	"net 172.16.0.0 mask 255.240.0.0"
	"ip6 net 2001:db8::/32"
	"portrange 20-25"
	"ether host 02:00:00:00:00:01"
	"ether broadcast"
	"ip multicast"
	"vlan 10 and ip"
	"vlan and vlan 20"
	"mpls 16 and mpls"
	"pppoes 1 and ip"
	"pppoed"
	"llc"
	"ip proto \\udp"
	"protochain 6"
	"icmp[icmptype] == icmp-echo"
	"tcp[tcpflags] & tcp-syn != 0"
	"ip[2:2] - 20 > 80"
	"less 100"
	"greater 1000"
	"tcp or udp and host 10.0.0.1"
	"not (port 22 or port 53)"
	"ip6[6] = 58 and icmp6[icmp6type] == icmp6-echo"
)

for expr in "${EXPRS[@]}"; do
	for level in -d -dd -ddd; do
		compare libpcap "$level '$expr'" -- "$level" --compiler=libpcap -y EN10MB "$expr" ::: "$level" -y EN10MB "$expr"
	done
	compare libpcap "-d -O '$expr'" -- -d -O --compiler=libpcap -y EN10MB "$expr" ::: -d -O -y EN10MB "$expr"
done
for lt in RAW LINUX_SLL LINUX_SLL2; do
	for expr in "ip" "tcp port 80" "host 10.0.0.1 or host 2001:db8::1"; do
		compare libpcap "-d -y $lt '$expr'" -- -d --compiler=libpcap -y "$lt" "$expr" ::: -d -y "$lt" "$expr"
	done
done

# Our compiler: expressions whose program bpfcap must produce exactly as
# libpcap does (trivial ones: any other program is a needless difference).
for expr in "" "ip" "ip6" "arp" "rarp"; do
	for level in -d -dd -ddd; do
		compare "our compiler" "$level '$expr'" -- "$level" -y EN10MB "$expr" ::: "$level" -y EN10MB "$expr"
	done
done
compare "our compiler" "-d (no -y: EN10MB by default) 'ip'" -- -d ip ::: -d -y EN10MB ip
compare "our compiler" "-d -y RAW ''" -- -d -y RAW ::: -d -y RAW
compare "our compiler" "-d -y LINUX_SLL 'ip'" -- -d -y LINUX_SLL ip ::: -d -y LINUX_SLL ip
compare "our compiler" "-d -y EN10MB -- '-ip[8] + 300 > 200'" -- -d -y EN10MB -- '-ip[8] + 300 > 200' ::: -d -y EN10MB -- '-ip[8] + 300 > 200'

# Options: "--" ends the options, so an expression may start with '-'.
compare options "-d -y EN10MB --compiler=libpcap -- '-ip[8] + 300 > 200'" \
	-- -d -y EN10MB --compiler=libpcap -- '-ip[8] + 300 > 200' ::: -d -y EN10MB -- '-ip[8] + 300 > 200'
# Words after the options are joined with single spaces.
compare options "-d --compiler=libpcap tcp port 80 (three words)" \
	-- -d --compiler=libpcap -y EN10MB tcp port 80 ::: -d -y EN10MB 'tcp port 80'
compare options "-d --compiler=libpcap -- not tcp and port 80 (words after --)" \
	-- -d --compiler=libpcap -y EN10MB -- not tcp and port 80 ::: -d -y EN10MB -- not tcp and port 80
compare options "-ddd as -d -d -d" -- -d -d -d --compiler=libpcap -y EN10MB ip ::: -ddd -y EN10MB ip
compare options "-dd as -d -d" -- -d -d --compiler=libpcap -y EN10MB ip ::: -dd -y EN10MB ip

# Word joining with bpfcap's own compiler: both spellings must give the same
# output (and succeed).
words_same() {
	local label=$1
	shift
	local a=0 b=0
	"$BPFCAP" -d "$@" >"$TMP/w1.out" 2>"$TMP/w1.err" || a=$?
	"$BPFCAP" -d "$*" >"$TMP/w2.out" 2>"$TMP/w2.err" || b=$?
	if [[ $a -ne 0 || $b -ne 0 ]]; then
		fail "[our compiler] $label: bpfcap failed (exit $a and $b): $(head -1 "$TMP/w1.err")"
	elif ! cmp -s "$TMP/w1.out" "$TMP/w2.out"; then
		fail "[our compiler] $label: 'bpfcap -d $*' as words differs from the same as one argument"
	else
		pass
	fi
}
words_same "bpfcap -d tcp port 80 == bpfcap -d 'tcp port 80'" tcp port 80
words_same "bpfcap -d host 10.0.0.1 and not udp == one argument" host 10.0.0.1 and not udp

finish
