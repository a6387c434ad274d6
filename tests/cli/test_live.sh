#!/usr/bin/env bash
# Live capture (issue 6, "Must show" 1), in two network namespaces joined by
# a veth pair that this script creates and removes (live_lib.sh).  The
# traffic is the project corpus (en10mb.pcap: VLAN and QinQ, MPLS, PPPoE,
# IPv4/IPv6 ...) replayed by tests/pktgen/pktsend; the reference is tcpdump
# capturing the same frames at the same time.  Files are compared with
# tests/pktgen/pcapdiff: link type, snap length, every record's lengths and
# bytes; times only to a second (on veth each socket stamps a packet itself).
#
#   1  receiver: every filter x every engine (kernel, cbpf, jit, interp)
#   2  sending side (tags inline)           3  -s 96
#   4  -i any (LINUX_SLL2), filtered in the kernel
#   5  -c N                                 6  SIGINT while traffic flows
#   7  in-kernel filtering (PACKET_STATISTICS)
#   8  > 4,096 cBPF instructions: cbpf falls back, kernel takes it
#   9  -Q in/out, loopback duplicates      10 error messages
#   11 -Z nobody                            12 -w - into tcpdump, ENOSPC
#   13 --immediate-mode: delivery latency (figures, one robust assertion)
# Most checks share the first replay: starting a process is what costs here.
# LIVE_KEEP=1 keeps the temporary directory (captures, stderr) for a look.
set -uo pipefail
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/live_lib.sh
source "$(dirname "$0")/live_lib.sh"

live_require
elapsed() { # T0 T1 ($EPOCHREALTIME readings)
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}
# phase NAME: the seconds since the last phase, for the timing line at the end.
PHASE_T=$EPOCHREALTIME
PHASES=""
phase() {
	PHASES+=" $1 $(elapsed "$PHASE_T" "$EPOCHREALTIME"),"
	PHASE_T=$EPOCHREALTIME
}
if ! live_setup; then
	fail "cannot create the namespaces and veth pair $VETH_S/$VETH_R"
	finish
	exit 1
fi

ENGINES=(kernel cbpf jit interp)
# Receiver-side filters, each matching at least one frame of the replay
# (checked on tcpdump's capture).  The first batch also serves the checks
# that share its replay: 0 (everything), 2 (selective), 3 and 4.
FILTERS=(
	''
	'vlan'
	'vlan 10 and tcp'
	'tcp'
	'udp port 53'
	'vlan and vlan'
	'vlan and ip[9]=6'
	'vlan 100 or mpls 16'
	'arp'
	'ip6 protochain 6'
	'inbound and icmp'
	'not ip'
	'ether broadcast'
	'len > 100'
	'portrange 20-25'
	'tcp[tcpflags] & tcp-syn != 0'
	'net 192.168.1.0/24'
	'host 8.8.8.8 or src net 172.16.0.0/12'
	'ip proto 47'
	'mpls'
	'pppoes and ip'
)
# LIVE_MORE_FILTERS=1: seven more (one more replay).
if [[ ${LIVE_MORE_FILTERS:-0} == 1 ]]; then
	FILTERS+=(
		'ip6'
		'vlan and (arp or pppoed)'
		'ether multicast and not ip6'
		'less 64'
		'udp portrange 500-5353 and not udp port 1900'
		'ip[6:2] & 0x3fff != 0'
		'sctp or igmp'
	)
fi
SELECTIVE=2 # 'vlan 10 and tcp': a handful of frames, for the statistics
BATCH=7     # filters per replay: one tcpdump and four bpfcaps each
GAP_US=20   # pktsend's gap; a replay in which tcpdump dropped is redone slower

COMPARED=0 # bpfcap captures found identical to tcpdump's
RECORDS=0  # records in them
ROUND=()   # the captures of the current replay
REFS=()    # the tcpdump references among them
declare -A EXITED_EARLY=() REF_RECORDS=()

# cap_round ID NS COMMAND...: a capture of the current replay.
cap_round() {
	ROUND+=("$1")
	cap "$@"
}
# tcpdump_ref ID NS IFACE [tcpdump options...] -- FILTER
# --immediate-mode: without it libpcap loses the frames of the block being
# filled at SIGINT.  Immediate mode is TPACKET_V2 with MTU-sized frames: on
# the veth 8 MiB hold over 4,000, more than a replay, so tcpdump cannot
# drop even if it lags (the drop check stays); live_setup gives lo the
# same MTU.  (A larger ring costs tcpdump 35 ms more to start, times 25.)
TCPDUMP_KIB=8192
tcpdump_ref() {
	local id=$1 ns=$2 ifc=$3
	shift 3
	REFS+=("$id")
	cap_round "$id" "$ns" tcpdump -B "$TCPDUMP_KIB" --immediate-mode -n -i "$ifc" -w "$TMP/$id.pcap" "$@"
}
# bpfcap_cap ID NS IFACE [bpfcap options...] -- FILTER
bpfcap_cap() {
	local id=$1 ns=$2 ifc=$3
	shift 3
	cap_round "$id" "$ns" "$BPFCAP" -n -i "$ifc" -w "$TMP/$id.pcap" "$@"
}


send_corpus() { live_send "$1"; }

# run_round START [SEND]: START starts the captures (cap_round), all must
# listen; SEND GAP sends (default: the corpus once from the sender); the
# last frames get 0.3 s; captures that ended by themselves are noted in
# EXITED_EARLY, the rest get SIGINT.  If a tcpdump reference dropped a
# frame the comparison would be void: once, the replay is redone with a
# five times longer gap.
run_round() {
	local start=$1 send=${2:-send_corpus} gap=$GAP_US id dropped t0 t1 t2 t3
	for _ in 1 2; do
		ROUND=()
		REFS=()
		EXITED_EARLY=()
		REF_RECORDS=()
		t0=$EPOCHREALTIME
		"$start"
		if ! cap_listening "${ROUND[@]}"; then
			cap_stop "${ROUND[@]}"
			return 1
		fi
		t1=$EPOCHREALTIME
		if ! "$send" "$gap"; then
			fail "$send: sending failed"
			cap_stop "${ROUND[@]}"
			return 1
		fi
		nap 0.3
		for id in "${ROUND[@]}"; do
			cap_running "$id" || EXITED_EARLY[$id]=1
		done
		t2=$EPOCHREALTIME
		cap_stop "${ROUND[@]}"
		t3=$EPOCHREALTIME
		echo "replay ($start): ${#ROUND[@]} captures start in $(elapsed "$t0" "$t1") s," \
			"$SENT frames in $(elapsed "$t1" "$t2") s, stop in $(elapsed "$t2" "$t3") s"
		dropped=()
		for id in "${REFS[@]}"; do
			[[ $(stat_of "$id" "dropped by kernel") == 0 ]] || dropped+=("$id")
		done
		[[ ${#dropped[@]} -eq 0 ]] && return 0
		echo "note: tcpdump dropped frames (${dropped[*]}) at a ${gap} us gap; replaying slower"
		gap=$((gap * 5))
	done
	fail "tcpdump dropped frames even at a ${gap} us gap (${dropped[*]}): comparison void"
	return 1
}

# same [-p] REF WHAT ID...: every capture ID exited 0 and its file holds the
# records of tcpdump's REF (-p: the first records of REF).  REF_RECORDS[REF]
# is set to REF's record count.
same() {
	local prefix=()
	[[ $1 == -p ]] && prefix=(-p) && shift
	local ref=$1 what=$2
	shift 2
	local id files=() out line n k
	for id in "$@"; do
		files+=("$TMP/$id.pcap")
	done
	out=$("$PCAPDIFF" "${prefix[@]}" "$TMP/$ref.pcap" "${files[@]}" 2>&1)
	line=${out%%$'\n'*}
	n=${line##*: }
	n=${n%% *}
	[[ $n =~ ^[0-9]+$ ]] || n=0
	REF_RECORDS[$ref]=$n
	for id in "$@"; do
		line=$(grep -F "$TMP/$id.pcap: " <<<"$out")
		if [[ ${CAP_RC[$id]:-?} != 0 ]]; then
			fail "$what ($id): exited ${CAP_RC[$id]:-?}: $(grep -v 'listening on' "$TMP/$id.err" | head -3 | tr '\n' ' ')"
		elif [[ $line == *' records identical'* ]]; then
			pass
			k=${line#*: }
			COMPARED=$((COMPARED + 1))
			RECORDS=$((RECORDS + ${k%% *}))
		else
			[[ -n $line ]] || line=$out
			fail "$what ($id), against tcpdump: ${line//"$TMP/"/} ($(stat_of "$id" "dropped by kernel") dropped by kernel)"
		fi
	done
}

# ---- the first replay: 1 (filters 0-6) and 2, 3, 4, 5, 7, 8, 9, 11, 12 -------
# 8: over 4,096 classic instructions; 198.18/15 is not in the corpus, so
# tcpdump's reference is the short filter the chain starts with.
BIG_REF='net 192.168.1.0/24 or host 8.8.8.8'
BIG=$BIG_REF
for ((i = 0; i < 1400; i++)); do
	BIG+=" or host 198.18.$((i / 256)).$((i % 256))"
done
SENDER_FILTERS=('' 'vlan' 'outbound and vlan and vlan')
# 12: a file system too small for the replay, for a file written at close
# (1 MiB buffer) and one written block by block (-U).
for m in a b; do
	mkdir -p "$TMP/full$m"
	LIVE_MNTS+=("$TMP/full$m")
	mount -t tmpfs -o size=96k tmpfs "$TMP/full$m" || fail "cannot mount a tmpfs on $TMP/full$m"
done

# tcpdump's reference for a filter using inbound/outbound is the filter
# without it, which selects the same frames on that side of the link:
# libpcap 1.10.3 filters the ring's first block in userland, where its
# bpf_filter rejects the SKF_AD_PKTTYPE load, so tcpdump loses the first
# frames ("229 packets received by filter", 228 captured).
ref_filter() {
	local f=${1#inbound and }
	echo "${f#outbound and }"
}

BATCH_FIRST=0
start_batch() {
	local i e
	for ((i = BATCH_FIRST; i < BATCH_FIRST + BATCH && i < ${#FILTERS[@]}; i++)); do
		tcpdump_ref "r$i.ref" "$NS_R" "$VETH_R" -- "$(ref_filter "${FILTERS[$i]}")"
		for e in "${ENGINES[@]}"; do
			bpfcap_cap "r$i.$e" "$NS_R" "$VETH_R" --engine="$e" -- "${FILTERS[$i]}"
		done
	done
	[[ $BATCH_FIRST -eq 0 ]] && start_extras
	return 0
}

start_extras() {
	local i e
	# 2: the sending side.
	for i in "${!SENDER_FILTERS[@]}"; do
		tcpdump_ref "s$i.ref" "$NS_S" "$VETH_S" -- "$(ref_filter "${SENDER_FILTERS[$i]}")"
		for e in "${ENGINES[@]}"; do
			bpfcap_cap "s$i.$e" "$NS_S" "$VETH_S" --engine="$e" -- "${SENDER_FILTERS[$i]}"
		done
	done
	# 9 on the sender: everything is outgoing.
	bpfcap_cap sq.out "$NS_S" "$VETH_S" -Q out -- ''
	for e in kernel jit; do
		bpfcap_cap "sq.in.$e" "$NS_S" "$VETH_S" -Q in --engine="$e" -- ''
	done
	# 3: truncation in the kernel (kernel, cbpf) and by "ret #96" under a
	# userspace filter (jit).
	tcpdump_ref snap.ref "$NS_R" "$VETH_R" -s 96 -- ''
	tcpdump_ref snapv.ref "$NS_R" "$VETH_R" -s 96 -- 'vlan'
	for e in kernel cbpf jit; do
		bpfcap_cap "snap.$e" "$NS_R" "$VETH_R" -s 96 --engine="$e" -- ''
		bpfcap_cap "snapv.$e" "$NS_R" "$VETH_R" -s 96 --engine="$e" -- 'vlan'
	done
	# 4
	tcpdump_ref any.ref "$NS_R" any -y LINUX_SLL2 -- ''
	tcpdump_ref anyp.ref "$NS_R" any -y LINUX_SLL2 -- 'tcp port 80'
	bpfcap_cap any.kernel "$NS_R" any -- ''
	# The protocol field read in the kernel is skb->protocol; with jit the
	# filter reads the SLL2 header built from sll_protocol, which Linux
	# 6.18 sets to the innermost protocol of a multi-tagged frame
	# (vlan_get_protocol_dgram): the two differ on QinQ frames, so this
	# filter is compared for the kernel engines only (see the report).
	tcpdump_ref anyq.ref "$NS_R" any -y LINUX_SLL2 -- 'ip6 or arp'
	for e in kernel cbpf; do
		bpfcap_cap "anyq.$e" "$NS_R" any --engine="$e" -- 'ip6 or arp'
	done
	for e in kernel cbpf jit; do
		bpfcap_cap "anyp.$e" "$NS_R" any --engine="$e" -- 'tcp port 80'
	done
	# 5
	bpfcap_cap count "$NS_R" "$VETH_R" -c 100 -- ''
	# 8
	tcpdump_ref big.ref "$NS_R" "$VETH_R" -- "$BIG_REF"
	for e in kernel cbpf; do
		bpfcap_cap "big.$e" "$NS_R" "$VETH_R" --engine="$e" -- "$BIG"
	done
	# 9
	for e in kernel jit; do
		bpfcap_cap "qout.$e" "$NS_R" "$VETH_R" -Q out --engine="$e" -- ''
	done
	bpfcap_cap qin.kernel "$NS_R" "$VETH_R" -Q in -- ''
	# 11
	bpfcap_cap zuser "$NS_R" "$VETH_R" -Z nobody -- 'tcp'
	# 12: tcpdump reads bpfcap's standard output and writes it out again.
	rm -f "$TMP/pipe.fifo"
	mkfifo "$TMP/pipe.fifo"
	tcpdump -r - -w "$TMP/pipe.pcap" <"$TMP/pipe.fifo" 2>"$TMP/pipe.rerr" {NAP_FD}<&- &
	PIPE_READER=$!
	BG_PIDS+=("$PIPE_READER")
	ROUND+=(pipe)
	cap pipe "$NS_R" "$BPFCAP" -n -i "$VETH_R" -w - 'udp port 53' >"$TMP/pipe.fifo"
	ROUND+=(enospc enospcU)
	cap enospc "$NS_R" "$BPFCAP" -n -i "$VETH_R" -w "$TMP/fulla/full.pcap"
	cap enospcU "$NS_R" "$BPFCAP" -n -U -i "$VETH_R" -w "$TMP/fullb/full.pcap"
}

check_filters() {
	local i e n
	for ((i = BATCH_FIRST; i < BATCH_FIRST + BATCH && i < ${#FILTERS[@]}; i++)); do
		same "r$i.ref" "receiver, '${FILTERS[$i]}'" "r$i.kernel" "r$i.cbpf" "r$i.jit" "r$i.interp"
		n=${REF_RECORDS[r$i.ref]}
		# A filter that matched nothing would compare nothing.
		if [[ $n -gt 0 ]]; then pass; else fail "'${FILTERS[$i]}': tcpdump captured $n frames"; fi
		for e in kernel cbpf; do
			kept_all "r$i.$e" "receiver --engine=$e '${FILTERS[$i]}'"
		done
	done
}

# kept_all ID WHAT: every frame the kernel filter accepted is in the file:
# captured = received by filter - dropped (PACKET_STATISTICS counts a drop
# in tp_packets too), so the stop (reject-all filter, retire, drain) lost
# nothing.
kept_all() {
	local got recv drop
	got=$(stat_of "$1" captured) recv=$(stat_of "$1" "received by filter") drop=$(stat_of "$1" "dropped by kernel")
	if [[ -n $got && -n $recv && -n $drop && $((got + drop)) -eq $recv ]]; then
		pass
	else
		fail "$2: $got captured, $recv received by filter, $drop dropped"
	fi
}

# enospc_checks ID WHAT: the capture stopped with one message, and its file
# reads cleanly and holds the first records tcpdump captured.
enospc_checks() {
	local id=$1 what=$2 said_err msg
	said_err=$(grep -v 'listening on\|^$\|packets\{0,1\} \(captured\|received by filter\|dropped by kernel\)' "$TMP/$id.err")
	if [[ ${CAP_RC[$id]} -ne 0 ]] && grep -q 'No space left on device' <<<"$said_err" &&
		[[ $(wc -l <<<"$said_err") -eq 1 ]]; then
		pass
	else
		fail "ENOSPC $what: status ${CAP_RC[$id]}, said: $said_err"
	fi
	cp "$TMP/full$3/full.pcap" "$TMP/$id.pcap"
	# tcpdump reads it without a word (tshark too, in the SIGINT checks;
	# it costs most of a second here); pcapdiff reads it to the end.
	if TZ=UTC tcpdump -nn -r "$TMP/$id.pcap" >/dev/null 2>"$TMP/$id.rerr" &&
		! grep -v '^reading from file' "$TMP/$id.rerr" | grep -q .; then
		pass
	else
		fail "ENOSPC $what: tcpdump -r says $(head -2 "$TMP/$id.rerr")"
	fi
	CAP_RC[$id]=0 # for same: the status was checked above
	same -p r0.ref "ENOSPC $what" "$id"
	echo "ENOSPC $what: $(records "$TMP/$id.pcap") whole records in $(stat -c %s "$TMP/$id.pcap") bytes," \
		"ended by itself: ${EXITED_EARLY[$id]:-0}; bpfcap said: $said_err"
}

check_extras() {
	local i e n got recv want
	# All frames arrived: the unfiltered reference holds everything sent.
	n=${REF_RECORDS[r0.ref]}
	if [[ $n -eq $SENT && $n -gt 2000 ]]; then pass; else fail "tcpdump captured $n of $SENT frames sent"; fi
	SENT_FIRST=$SENT

	# 2
	for i in "${!SENDER_FILTERS[@]}"; do
		same "s$i.ref" "sender, '${SENDER_FILTERS[$i]}'" "s$i.kernel" "s$i.cbpf" "s$i.jit" "s$i.interp"
	done
	# The tags travel inline on the sender and through metadata on the
	# receiver; the saved frames are the same.
	if "$PCAPDIFF" "$TMP/r1.ref.pcap" "$TMP/s1.ref.pcap" >/dev/null && [[ ${REF_RECORDS[r1.ref]} -gt 0 ]]; then
		pass
	else
		fail "'vlan': the sender's and the receiver's tcpdump captures differ"
	fi

	# 3
	same snap.ref "-s 96" snap.kernel snap.cbpf snap.jit
	same snapv.ref "-s 96 'vlan'" snapv.kernel snapv.cbpf snapv.jit
	# Against the unfiltered capture: caplen = min(96, caplen there), the
	# same wire length and first bytes, a snapshot length of 96.
	if out=$("$PCAPDIFF" -s 96 "$TMP/r0.ref.pcap" "$TMP/snap.kernel.pcap" "$TMP/snap.cbpf.pcap" \
		"$TMP/snap.jit.pcap"); then
		pass
	else
		fail "-s 96 against the full capture: ${out//"$TMP/"/}"
	fi

	# 4
	same any.ref "-i any" any.kernel
	same anyp.ref "-i any 'tcp port 80'" anyp.kernel anyp.cbpf anyp.jit
	same anyq.ref "-i any 'ip6 or arp'" anyq.kernel anyq.cbpf
	for e in kernel cbpf; do
		got=$(stat_of "anyp.$e" captured) recv=$(stat_of "anyp.$e" "received by filter")
		if [[ -n $got && $got -gt 0 && $recv == "$got" && $got -lt $((SENT / 10)) ]]; then
			pass
		else
			fail "-i any --engine=$e 'tcp port 80': received by filter $recv, captured $got, sent $SENT"
		fi
	done

	# 5
	same -p r0.ref "-c 100" count
	n=$(records "$TMP/count.pcap")
	if [[ ${EXITED_EARLY[count]:-0} -eq 1 && $n -eq 100 ]]; then
		pass
	else
		fail "-c 100: ended by itself: ${EXITED_EARLY[count]:-0}, $n records"
	fi

	# 7: with kernel and cbpf the frames the filter rejects never reach
	# the ring; with jit and interp the kernel passes everything (its
	# program only returns the snap length).
	for e in "${ENGINES[@]}"; do
		got=$(stat_of "r$SELECTIVE.$e" captured) recv=$(stat_of "r$SELECTIVE.$e" "received by filter")
		case $e in
		kernel | cbpf) want=$got ;;
		*) want=$SENT ;;
		esac
		if [[ -n $got && $got -gt 0 && $got -lt $((SENT / 10)) && $recv == "$want" ]]; then
			pass
		else
			fail "--engine=$e '${FILTERS[$SELECTIVE]}': received by filter $recv (want $want), captured $got, sent $SENT"
		fi
		echo "statistics, --engine=$e '${FILTERS[$SELECTIVE]}': $got captured, $recv received by filter, $SENT sent"
	done

	# 8
	BIG_INSNS=$("$BPFCAP" -d "$BIG" | wc -l)
	if [[ $BIG_INSNS -gt 4096 ]]; then pass; else fail "the long chain has only $BIG_INSNS cBPF instructions"; fi
	same big.ref "$BIG_INSNS-instruction filter" big.kernel big.cbpf
	if [[ $(grep -c 'did not take' "$TMP/big.cbpf.err") -eq 1 ]] && said big.cbpf 'filtering in userspace'; then
		pass
	else
		fail "--engine=cbpf, $BIG_INSNS instructions: no one-line notice: $(head -2 "$TMP/big.cbpf.err")"
	fi
	if said big.kernel 'did not take' || said big.kernel 'userspace'; then
		fail "--engine=kernel, $BIG_INSNS instructions: $(head -1 "$TMP/big.kernel.err")"
	else
		pass
	fi
	echo "fallback: $(grep 'did not take' "$TMP/big.cbpf.err")"

	# 9
	for e in kernel jit; do
		got=$(stat_of "qout.$e" captured) recv=$(stat_of "qout.$e" "received by filter")
		if [[ ${CAP_RC[qout.$e]} -eq 0 && $got == 0 && $recv == 0 && $(records "$TMP/qout.$e.pcap") == 0 ]]; then
			pass
		else
			fail "-Q out --engine=$e on the receiver: captured $got, received by filter $recv"
		fi
	done
	same r0.ref "-Q in" qin.kernel
	same s0.ref "-Q out on the sender" sq.out
	for e in kernel jit; do
		got=$(stat_of "sq.in.$e" captured)
		if [[ ${CAP_RC[sq.in.$e]} -eq 0 && $got == 0 && $(records "$TMP/sq.in.$e.pcap") == 0 ]]; then
			pass
		else
			fail "-Q in --engine=$e on the sender: captured $got"
		fi
	done

	# 11
	same r3.ref "-Z nobody" zuser

	# 12
	wait "$PIPE_READER"
	if grep -v '^reading from file' "$TMP/pipe.rerr" | grep -q .; then
		fail "-w - | tcpdump -r -: tcpdump said $(head -2 "$TMP/pipe.rerr")"
	else
		pass
	fi
	same r4.ref "-w - | tcpdump -r - -w" pipe
	enospc_checks enospc "(file written at close)" a
	enospc_checks enospcU "(-U, written block by block)" b
	umount "${LIVE_MNTS[@]}" && LIVE_MNTS=()
}

for ((BATCH_FIRST = 0; BATCH_FIRST < ${#FILTERS[@]}; BATCH_FIRST += BATCH)); do
	phase setup
	run_round start_batch || continue
	phase replay
	check_filters
	phase check_filters
	[[ $BATCH_FIRST -eq 0 ]] && check_extras
	phase check_extras
done
echo "differential: ${#FILTERS[@]} receiver filters x ${#ENGINES[@]} engines and the other" \
	"captures: $COMPARED bpfcap captures identical to tcpdump's, $RECORDS records compared" \
	"(replays of ${SENT_FIRST:-?} frames)"

# ---- 9: loopback, a frame sent on lo is captured once --------------------------
start_lo() {
	local e
	tcpdump_ref lo.ref "$NS_R" lo -- ''
	for e in kernel cbpf jit; do
		bpfcap_cap "lo.$e" "$NS_R" lo --engine="$e" -- ''
	done
	# "any" drops lo's outgoing copy too.
	tcpdump_ref loany.ref "$NS_R" any -y LINUX_SLL2 -- ''
	for e in kernel jit; do
		bpfcap_cap "loany.$e" "$NS_R" any --engine="$e" -- ''
	done
}
send_lo() {
	local out
	out=$(ip netns exec "$NS_R" "$PKTSEND" -c 200 -g "$1" -i lo "$CORPUS_EN10MB") || return 1
	SENT=$(sed -n 's/^pktsend: \([0-9]*\) sent.*/\1/p' <<<"$out")
}
# libpcap sizes lo's ring frames by the snap length, not the MTU (lo does
# segmentation offload): 8 MiB would be 32 frames.
TCPDUMP_KIB=32768
phase setup
if run_round start_lo send_lo; then
	same lo.ref "lo" lo.kernel lo.cbpf lo.jit
	same loany.ref "-i any, frames sent on lo" loany.kernel loany.jit
	if [[ ${REF_RECORDS[loany.ref]} == "$SENT" ]]; then pass; else fail "-i any: tcpdump captured ${REF_RECORDS[loany.ref]} of $SENT frames sent on lo"; fi
	for e in kernel cbpf jit; do
		got=$(stat_of "lo.$e" captured) recv=$(stat_of "lo.$e" "received by filter")
		# The outgoing copy is rejected in the kernel (received by filter
		# counts only what the kernel filter accepted; tcpdump drops it in
		# userspace and counts it).
		if [[ $got == "$SENT" && $recv == "$SENT" && ${REF_RECORDS[lo.ref]} == "$SENT" ]]; then
			pass
		else
			fail "lo --engine=$e: $SENT sent, $got captured, $recv received by filter, tcpdump ${REF_RECORDS[lo.ref]}"
		fi
	done
	echo "loopback: $SENT frames sent on lo; tcpdump captured ${REF_RECORDS[lo.ref]}" \
		"($(stat_of lo.ref "received by filter") received by filter), bpfcap $(stat_of lo.kernel captured)" \
		"($(stat_of lo.kernel "received by filter") received by filter)"
fi

# ---- 6: SIGINT while traffic flows -----------------------------------------------
start_mid() {
	bpfcap_cap mid.kernel "$NS_R" "$VETH_R" -- ''
	bpfcap_cap mid.cbpf "$NS_R" "$VETH_R" --engine=cbpf -- 'tcp or vlan'
	bpfcap_cap mid.jit "$NS_R" "$VETH_R" --engine=jit -- 'tcp or vlan'
}
send_looping() {
	ip netns exec "$NS_S" "$PKTSEND" -l 1000 -g "$1" -i "$VETH_S" "$CORPUS_EN10MB" >/dev/null {NAP_FD}<&- &
	SENDER=$!
	BG_PIDS+=("$SENDER")
	nap 0.5
	SENT="(looping)"
	if kill -0 "$SENDER" 2>/dev/null; then pass; else fail "the looping sender ended early"; fi
	# Stop the captures now, while frames still flow (SIGTERM for one).
	kill -INT "${CAP_PID[mid.kernel]}" "${CAP_PID[mid.jit]}"
	kill -TERM "${CAP_PID[mid.cbpf]}"
}
phase lo
if run_round start_mid send_looping; then
	kill "$SENDER" 2>/dev/null
	wait "$SENDER" 2>/dev/null
	kept_all mid.kernel "SIGINT mid-capture, --engine=kernel"
	kept_all mid.cbpf "SIGTERM mid-capture, --engine=cbpf 'tcp or vlan'"
	for id in mid.kernel mid.cbpf mid.jit; do
		got=$(stat_of "$id" captured)
		n=$(records "$TMP/$id.pcap")
		if [[ ${CAP_RC[$id]} -eq 0 && -n $got && $got -gt 0 && $n == "$got" ]] &&
			msg=$(reads_cleanly "$TMP/$id.pcap"); then
			pass
		else
			fail "stopped mid-capture ($id): status ${CAP_RC[$id]}, printed $got captured, file has $n records ${msg:-}"
		fi
		echo "stopped mid-capture ($id): $got captured, $(stat_of "$id" "received by filter") received by filter," \
			"$(stat_of "$id" "dropped by kernel") dropped, $n records in the file"
	done
fi

# ---- 13: delivery latency on a quiet link --------------------------------------
# Each printed line is stamped when it reaches the reader; the packet's own
# time is when the kernel handed it to the socket.  Ten frames 30 ms apart.
stamp() {
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "$EPOCHREALTIME" "$line"
	done
}
start_latency() {
	local m
	for m in default immediate; do
		rm -f "$TMP/lat.$m.fifo"
		mkfifo "$TMP/lat.$m.fifo"
		stamp <"$TMP/lat.$m.fifo" >"$TMP/lat.$m.txt" {NAP_FD}<&- &
		BG_PIDS+=($!)
		ROUND+=("lat.$m")
	done
	cap lat.default "$NS_R" "$BPFCAP" -n -tt -l -c 10 -i "$VETH_R" >"$TMP/lat.default.fifo"
	cap lat.immediate "$NS_R" "$BPFCAP" -n -tt -l -c 10 --immediate-mode -i "$VETH_R" >"$TMP/lat.immediate.fifo"
}
send_spaced() { live_send 30000 -c 10; }
phase mid
declare -A LAT_MED=() LAT_MAX=()
if run_round start_latency send_spaced; then
	for m in default immediate; do
		# Latency per frame in ms, sorted: median and maximum.
		awk '$2 ~ /^[0-9]+\.[0-9]+$/ { printf "%.3f\n", ($1 - $2) * 1000 }' "$TMP/lat.$m.txt" |
			sort -n >"$TMP/lat.$m.ms"
		n=$(wc -l <"$TMP/lat.$m.ms")
		LAT_MED[$m]=$(awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "?" }' "$TMP/lat.$m.ms")
		LAT_MAX[$m]=$(tail -1 "$TMP/lat.$m.ms")
		if [[ $n -eq 10 && ${CAP_RC[lat.$m]} -eq 0 ]]; then pass; else fail "latency ($m): $n of 10 frames printed"; fi
	done
	echo "latency on a quiet link (10 frames 30 ms apart, printed with -l): default median" \
		"${LAT_MED[default]} ms, max ${LAT_MAX[default]} ms; --immediate-mode median" \
		"${LAT_MED[immediate]} ms, max ${LAT_MAX[immediate]} ms"
	if awk -v m="${LAT_MED[immediate]}" 'BEGIN { exit !(m != "?" && m < 100) }'; then
		pass
	else
		fail "--immediate-mode: median delivery latency ${LAT_MED[immediate]} ms, not under 100 ms"
	fi
fi

phase latency
# ---- 10: errors -------------------------------------------------------------
# error_case WHAT PATTERN COMMAND...: non-zero status and one line on
# stderr that matches PATTERN.
error_case() {
	local what=$1 pattern=$2 rc=0
	shift 2
	"$@" >"$TMP/errcase.out" 2>"$TMP/errcase.err" || rc=$?
	if [[ $rc -ne 0 && $(wc -l <"$TMP/errcase.err") -eq 1 ]] && grep -q "$pattern" "$TMP/errcase.err"; then
		pass
	else
		fail "$what: status $rc, said: $(head -3 "$TMP/errcase.err" | tr '\n' ' ')"
	fi
	echo "error, $what: $(head -1 "$TMP/errcase.err")"
}
ip -n "$NS_R" link add "${LIVE_ID}d" type veth peer name "${LIVE_ID}e" # left down
error_case "no such interface" 'no such interface' \
	ip netns exec "$NS_R" "$BPFCAP" -n -i "${LIVE_ID}x" -w "$TMP/err.pcap"
error_case "interface down" 'down' \
	ip netns exec "$NS_R" "$BPFCAP" -n -i "${LIVE_ID}d" -w "$TMP/err.pcap"
error_case "no CAP_NET_RAW" 'CAP_NET_RAW' \
	ip netns exec "$NS_R" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$BPFCAP" -n -i "$VETH_R" -w /dev/null
# -D lists the namespace's interfaces and "any".
if ip netns exec "$NS_R" "$BPFCAP" -D >"$TMP/list.out" 2>&1 && grep -q "^[0-9]*\.$VETH_R " "$TMP/list.out" &&
	grep -q '^[0-9]*\.any ' "$TMP/list.out" && grep -q '^[0-9]*\.lo ' "$TMP/list.out"; then
	pass
else
	fail "-D: $(tr '\n' ' ' <"$TMP/list.out")"
fi

phase errors
echo "timing (s):$PHASES total $SECONDS"
finish
