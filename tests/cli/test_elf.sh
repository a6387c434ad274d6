#!/usr/bin/env bash
# --emit-elf and --filter-elf on the command line, judged by the kernel's own
# tools: bpftool 7.1 loads every socket object and llvm-objdump shows the
# instructions --dump=ebpf-raw prints, byte for byte (a slice of the
# differential suite's EN10MB expressions: every 15th; ELF_ALL=1 for all);
# --filter-elf of an emitted object writes the same packets as the
# expression; the clang-compiled C filter of tests/data writes those of
# 'ip and tcp port 80'; and in two network namespaces joined by a veth pair,
# tc and XDP objects attached at the receiver pass exactly the frames the
# expression matches (counted by the receiver's clsact qdisc: after XDP,
# and tc's own pass/drop counters), for both --on-match modes.
# Usage: BUILD=build tests/cli/test_elf.sh   (root: bpftool, netns)
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

CORPUS=${BPFCAP_CORPUS:-$BUILD/corpus}/en10mb.pcap
PKTSEND=$BUILD/tests/pktsend
CFILTER=$BUILD/tests/data/elf_filter.o
for need in "$CORPUS" "$PKTSEND" "$CFILTER"; do
	if [[ ! -e $need ]]; then
		fail "$need missing (make tests; build/tests/gen_corpus build/corpus)"
		finish
		exit 1
	fi
done
for tool in bpftool llvm-objdump tc ip tcpdump; do
	if ! command -v "$tool" >/dev/null; then
		fail "$tool not installed (scripts/install-deps.sh)"
		finish
		exit 1
	fi
done

offline_count() { "$BPFCAP" -r "$1" --count -- "$2" 2>/dev/null | awk '{print $1}'; }
frames_in() { offline_count "$1" ""; }

# The suite's expressions: comments and blank lines out, <empty> is "".
EXPRS=()
n=0
while IFS= read -r line; do
	line=${line#"${line%%[![:space:]]*}"}
	[[ -z $line || $line == \#* ]] && continue
	[[ $line == "<empty>" ]] && line=""
	if [[ ${ELF_ALL:-0} == 1 || $((n % 15)) == 0 ]]; then
		EXPRS+=("$line")
	fi
	n=$((n + 1))
done <"$ROOT/tests/diff/exprs/EN10MB.txt"

# objdump's bytes as --dump=ebpf-raw's five fields per 8-byte instruction.
objdump_raw() {
	llvm-objdump -d --section="$2" "$1" | awk -F'\t' '
		function hex(s,  i, v) { v = 0; for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
		/^ *[0-9]+:\t/ {
			n = split($2, b, " ")
			for (j = 1; j + 7 <= n; j += 8) {
				off = hex(b[j+2]) + 256 * hex(b[j+3]); if (off >= 32768) off -= 65536
				imm = hex(b[j+4]) + 256 * hex(b[j+5]) + 65536 * hex(b[j+6]) + 16777216 * hex(b[j+7])
				if (imm >= 2147483648) imm -= 4294967296
				r = hex(b[j+1])
				printf "%d %d %d %d %d\n", hex(b[j]), r % 16, int(r / 16), off, imm
			}
		}'
}

# ---- 1. bpftool loads, objdump agrees, round trip -------------------------------
# --dump with -i shows the program a capture on that interface attaches; on
# lo that includes the loopback-duplicate prologue, which an object does
# not have: dump for a veth in a namespace of our own instead.
ND=bceD$$
ip netns add "$ND"
trap 'ip netns del "$ND" 2>/dev/null || true; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM # run-all's timeout sends TERM: the EXIT trap still cleans up
ip -n "$ND" link add bcedx type veth peer name bcedy
ip -n "$ND" link set bcedx up
dump() { ip netns exec "$ND" "$BPFCAP" -i bcedx "$@"; }
loaded=0 agreed=0 round=0 total=0 uncompiled=0
pin=/sys/fs/bpf/bpfcap_test_elf_$$
for e in "${EXPRS[@]}"; do
	o=$TMP/s.o
	if ! "$BPFCAP" --emit-elf="$o" -- "$e" 2>"$TMP/err"; then
		# The compiler's own refusal ("expression rejects all packets")
		# is not the object writer's: -d refuses it too.
		if dump -d -- "$e" >/dev/null 2>&1; then
			fail "emit '$e': $(head -1 "$TMP/err")"
		else
			uncompiled=$((uncompiled + 1))
		fi
		continue
	fi
	total=$((total + 1))
	if bpftool prog load "$o" "$pin" 2>"$TMP/err"; then
		loaded=$((loaded + 1))
		rm -f "$pin"
	else
		fail "bpftool prog load '$e': $(grep -v '^$' "$TMP/err" | tail -3 | tr '\n' ' ')"
	fi
	dump --dump=ebpf-raw -- "$e" >"$TMP/raw.txt"
	objdump_raw "$o" socket >"$TMP/obj.txt"
	if [[ -s $TMP/raw.txt ]] && cmp -s "$TMP/raw.txt" "$TMP/obj.txt" &&
		[[ $(wc -l <"$TMP/raw.txt") == $(dump --dump=ebpf -- "$e" | wc -l) ]]; then
		agreed=$((agreed + 1))
	else
		fail "llvm-objdump of '$e' differs from --dump=ebpf-raw: $(diff "$TMP/raw.txt" "$TMP/obj.txt" | head -3 | tr '\n' ' ')"
	fi
	# Round trip, offline meaning (-y): the same packets written.
	"$BPFCAP" -y EN10MB --emit-elf="$TMP/y.o" -- "$e"
	"$BPFCAP" -r "$CORPUS" -w "$TMP/a.pcap" --filter-elf="$TMP/y.o:socket" 2>/dev/null
	"$BPFCAP" -r "$CORPUS" -w "$TMP/b.pcap" -- "$e" 2>/dev/null
	if cmp -s "$TMP/a.pcap" "$TMP/b.pcap"; then
		round=$((round + 1))
	else
		fail "round trip '$e': --filter-elf and the expression write different packets"
	fi
done
[[ $loaded == "$total" ]] && pass
[[ $agreed == "$total" ]] && pass
[[ $round == "$total" ]] && pass
echo "socket objects: bpftool loaded $loaded/$total, llvm-objdump = --dump=ebpf-raw $agreed/$total, round trip (-w identical) $round/$total ($uncompiled expressions the compiler refuses)"

# ---- 2. the C filter compiled by clang-14 ----------------------------------------------
"$BPFCAP" -r "$CORPUS" -w "$TMP/c.pcap" --filter-elf="$CFILTER" 2>/dev/null
"$BPFCAP" -r "$CORPUS" -w "$TMP/d.pcap" 'ip and tcp port 80' 2>/dev/null
cmatch=$(frames_in "$TMP/c.pcap")
if cmp -s "$TMP/c.pcap" "$TMP/d.pcap" && [[ $cmatch -gt 0 ]] &&
	[[ $cmatch == $(tcpdump -n -r "$CORPUS" -w - 'ip and tcp port 80' 2>/dev/null |
		"$BPFCAP" -r - --count 2>/dev/null | awk '{print $1}') ]]; then
	pass
else
	fail "the clang C filter and 'ip and tcp port 80' differ"
fi
# The kernel takes it too (a socket filter, as its section says).
if bpftool prog load "$CFILTER" "$pin" 2>"$TMP/err" &&
	bpftool prog show pinned "$pin" | grep -q socket_filter; then
	pass
else
	fail "bpftool prog load $CFILTER: $(tail -2 "$TMP/err" | tr '\n' ' ')"
fi
rm -f "$pin"
echo "clang-14 C filter: bpftool loads it; $cmatch frames, as 'ip and tcp port 80' (bpfcap and tcpdump)"
# Refusals keep their messages.
if "$BPFCAP" -r "$CORPUS" --count --filter-elf="$BUILD/tests/data/elf_needs_map.o" 2>"$TMP/err"; then
	fail "an object with a map relocation was accepted"
elif grep -q "map relocation" "$TMP/err"; then
	pass
else
	fail "map relocation: $(cat "$TMP/err")"
fi

# Command-line refusals, each with its reason.
expect_refusal() {
	local want=$1
	shift
	if "$BPFCAP" "$@" >/dev/null 2>"$TMP/err"; then
		fail "accepted: $*"
	elif grep -q -- "$want" "$TMP/err"; then
		pass
	else
		fail "$*: '$(head -1 "$TMP/err")' lacks '$want'"
	fi
}
expect_refusal "packet metadata (pkt_type" --emit-elf="$TMP/z.o" --target=xdp inbound
expect_refusal "packet metadata (ifindex)" --emit-elf="$TMP/z.o" --target=xdp ifindex 3
expect_refusal "for --target=tc or xdp" --emit-elf="$TMP/z.o" --on-match=drop tcp
expect_refusal "must be EN10MB" --emit-elf="$TMP/z.o" --target=tc -y RAW tcp
expect_refusal "one or the other" -r "$CORPUS" --filter-elf="$CFILTER" tcp
expect_refusal 'no section named "xdp"' -r "$CORPUS" --count --filter-elf="$CFILTER:xdp"

# ---- 3. tc and XDP in network namespaces ---------------------------------------------
NA=bceA$$ NB=bceB$$ VA=bce$$a VB=bce$$b
cleanup_ns() {
	ip netns del "$ND" 2>/dev/null || true
	ip netns del "$NA" 2>/dev/null || true
	ip netns del "$NB" 2>/dev/null || true
	rm -f "$pin"
	rm -rf "$TMP"
}
trap cleanup_ns EXIT
ip netns add "$NA"
ip netns add "$NB"
ip link add "$VA" netns "$NA" type veth peer name "$VB" netns "$NB"
for ns in "$NA" "$NB"; do
	# No IPv6 autoconfiguration: nothing but the test's frames on the wire.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$NA" link set "$VA" up
ip -n "$NB" link set "$VB" up
ip netns exec "$NB" tc qdisc add dev "$VB" clsact

# The frames pktsend sends (complete, within the MTU), as the receiver got
# them: captured once with nothing attached (libpcap puts the VLAN tag the
# kernel moved into metadata back in the frame).
ip netns exec "$NB" tcpdump -i "$VB" -Q in -U -w "$TMP/base.pcap" 2>"$TMP/tcpdump.err" &
tpid=$!
for _ in $(seq 100); do grep -q listening "$TMP/tcpdump.err" && break; sleep 0.05; done
sent=$(ip netns exec "$NA" "$PKTSEND" -i "$VA" "$CORPUS" | awk '{print $2}')
for _ in $(seq 100); do
	[[ $(frames_in "$TMP/base.pcap") -ge $sent ]] && break
	sleep 0.05
done
kill -INT "$tpid"
wait "$tpid" || true
got=$(frames_in "$TMP/base.pcap")
if [[ $got != "$sent" ]]; then
	fail "baseline: $sent frames sent, $got received"
	finish
	exit 1
fi
"$BPFCAP" -r "$TMP/base.pcap" -w "$TMP/untagged.pcap" 'not vlan' 2>/dev/null
# Tagged: the TPIDs the receiver moves into metadata (eth_type_vlan:
# 802.1Q, 802.1ad); libpcap's `vlan` also takes 0x9100, left out here.
"$BPFCAP" -r "$TMP/base.pcap" -w "$TMP/tagged.pcap" \
	'ether[12:2] = 0x8100 or ether[12:2] = 0x88a8' 2>/dev/null

# clsact's counters at the receiver's ingress: packets, drops.
ingress_counts() {
	ip netns exec "$NB" tc -s qdisc show dev "$VB" ingress |
		awk '/Sent/ { gsub(",", "", $7); print $4, $7; exit }'
}

# FRAMES (N of them) sent once with tc object OBJ at ingress; prints passed.
tc_round() {
	local obj=$1 frames=$2 n=$3
	ip netns exec "$NB" tc filter replace dev "$VB" ingress pref 1 handle 1 bpf da obj "$obj" sec tc
	read -r p0 d0 < <(ingress_counts)
	ip netns exec "$NA" "$PKTSEND" -i "$VA" "$frames" >/dev/null
	local p1 d1
	for _ in $(seq 40); do
		read -r p1 d1 < <(ingress_counts)
		[[ $((p1 - p0)) -ge $n ]] && break
		sleep 0.05
	done
	echo $(((p1 - p0) - (d1 - d0)))
}

# Each expression, and what it means offline for the tagged frames as tc
# ingress sees them: the outer tag is metadata, so the frame is judged by
# what follows the tag (libpcap's "vlan and (E)"), and skb->len lacks the
# tag's 4 bytes; expressions about VLANs mean what they say.
TC_EXPRS=("tcp port 80" "udp" "ip6 and not tcp" "arp or icmp" "vlan 10 and tcp" "vlan and ip"
	"less 100" "net 10.0.0.0/8 and not port 22")
TC_TAGGED=("vlan and tcp port 80" "vlan and udp" "vlan and (ip6 and not tcp)"
	"vlan and (arp or icmp)" "vlan 10 and tcp" "vlan and ip" "vlan and less 104"
	"vlan and (net 10.0.0.0/8 and not port 22)")
tc_ok=0 tc_n=0 tc_report=""
nu=$(frames_in "$TMP/untagged.pcap") nt=$(frames_in "$TMP/tagged.pcap")
for i in "${!TC_EXPRS[@]}"; do
	e=${TC_EXPRS[$i]}
	for mode in pass drop; do
		"$BPFCAP" --emit-elf="$TMP/t.o" --target=tc --on-match=$mode -- "$e"
		for set in untagged tagged; do
			f=$TMP/$set.pcap
			n=$nu oe=$e
			[[ $set == tagged ]] && n=$nt oe=${TC_TAGGED[$i]}
			m=$(offline_count "$f" "$oe")
			want=$m
			[[ $mode == drop ]] && want=$((n - m))
			got=$(tc_round "$TMP/t.o" "$f" "$n")
			tc_n=$((tc_n + 1))
			if [[ $got == "$want" ]]; then
				tc_ok=$((tc_ok + 1))
			else
				fail "tc '$e' --on-match=$mode, $set frames: $got passed, expected $want of $n"
			fi
			[[ $mode == pass && $set == untagged ]] && tc_report+=" '$e' $got/$n;"
		done
	done
done
[[ $tc_ok == "$tc_n" ]] && pass
echo "tc ingress: $tc_ok/$tc_n rounds exact ($nu untagged + $nt tagged frames); passed:$tc_report"

# XDP: survivors reach tc ingress, where a pass-all tc object counts them.
"$BPFCAP" --emit-elf="$TMP/all.o" --target=tc ''
ip netns exec "$NB" tc filter replace dev "$VB" ingress pref 1 handle 1 bpf da obj "$TMP/all.o" sec tc
XDP_EXPRS=("tcp port 80" "udp" "vlan 10 and tcp" "ip6 and not tcp" "less 100"
	"ether[len - 1] = 0" "net 10.0.0.0/8 or arp" "tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420")
xdp_ok=0 xdp_n=0 xdp_report=""
for e in "${XDP_EXPRS[@]}"; do
	m=$(offline_count "$TMP/base.pcap" "$e")
	for mode in pass drop; do
		"$BPFCAP" --emit-elf="$TMP/x.o" --target=xdp --on-match=$mode -- "$e"
		ip -n "$NB" link set dev "$VB" xdp obj "$TMP/x.o" sec xdp
		read -r p0 _ < <(ingress_counts)
		ip netns exec "$NA" "$PKTSEND" -i "$VA" "$TMP/base.pcap" >/dev/null
		want=$m
		[[ $mode == drop ]] && want=$((sent - m))
		for _ in $(seq 40); do
			read -r p1 _ < <(ingress_counts)
			[[ $((p1 - p0)) -ge $want ]] && break
			sleep 0.05
		done
		sleep 0.05
		read -r p1 _ < <(ingress_counts)
		ip -n "$NB" link set dev "$VB" xdp off
		xdp_n=$((xdp_n + 1))
		if [[ $((p1 - p0)) == "$want" ]]; then
			xdp_ok=$((xdp_ok + 1))
		else
			fail "xdp '$e' --on-match=$mode: $((p1 - p0)) passed, expected $want of $sent"
		fi
		[[ $mode == pass ]] && xdp_report+=" '$e' $((p1 - p0))/$sent;"
	done
done
[[ $xdp_ok == "$xdp_n" ]] && pass
echo "xdp: $xdp_ok/$xdp_n rounds exact; passed:$xdp_report"

# ---- 4. --filter-elf live: the object attached to the capture's socket ---------------
# The emitted 'tcp' object and the clang C filter, each beside the
# expression they stand for (kernel engine), and the object run in
# userspace (--engine=jit): the same packets are captured.
"$BPFCAP" --emit-elf="$TMP/tcp.o" -- tcp
live_args=("--filter-elf=$TMP/tcp.o" "tcp" "--engine=jit --filter-elf=$TMP/tcp.o"
	"--filter-elf=$CFILTER" "ip and tcp port 80")
for k in "${!live_args[@]}"; do
	# shellcheck disable=SC2086 # the words of one argument set
	ip netns exec "$NB" "$BPFCAP" -i "$VB" -w "$TMP/live$k.pcap" ${live_args[$k]} 2>"$TMP/live$k.err" &
done
for k in "${!live_args[@]}"; do
	for _ in $(seq 100); do grep -q 'listening on' "$TMP/live$k.err" && break; sleep 0.05; done
done
ip netns exec "$NA" "$PKTSEND" -i "$VA" -g 20 "$TMP/base.pcap" >/dev/null
sleep 0.3
jobs -p | xargs -r kill -INT
wait || true
same_capture() { # $1 $2: indexes into live_args
	if cmp -s <(tcpdump -nn -t -xx -r "$TMP/live$1.pcap" 2>/dev/null) \
		<(tcpdump -nn -t -xx -r "$TMP/live$2.pcap" 2>/dev/null) &&
		[[ $(tcpdump -n -r "$TMP/live$1.pcap" 2>/dev/null | wc -l) -gt 0 ]]; then
		pass
	else
		fail "live '${live_args[$1]}' and '${live_args[$2]}' captured different packets"
	fi
}
same_capture 0 1
same_capture 2 1
same_capture 3 4
if grep -qx "$(grep -oE '^[0-9]+ packets captured' "$TMP/live0.err" | cut -d' ' -f1) packets received by filter" \
	"$TMP/live0.err"; then pass; else fail "--filter-elf live: the object did not filter in the kernel"; fi
echo "--filter-elf live: $(grep -oE '^[0-9]+ packets captured' "$TMP/live0.err") with the 'tcp' object," \
	"$(grep -oE '^[0-9]+ packets captured' "$TMP/live3.err") with the C filter"

finish
