# shellcheck shell=bash
# Helpers for the live-capture suite (tests/cli/test_live.sh), sourced after
# lib.sh: two network namespaces joined by a veth pair whose names carry the
# shell's pid (never eth0, never the root namespace's links), captures
# started in them, one replay of the corpus, and a trap that removes
# everything the run created.
#
#   sender    namespace $NS_S, interface $VETH_S: pktsend writes the corpus here
#   receiver  namespace $NS_R, interface $VETH_R: the captures under test
#
# A capture is "cap ID NS COMMAND...": COMMAND runs in namespace NS in the
# background, its stderr in $TMP/ID.err, its pid in CAP_PID[ID]; after
# cap_stop or cap_wait its exit status is in CAP_RC[ID].

LIVE_ID=bcl$$
NS_S=${LIVE_ID}s
NS_R=${LIVE_ID}r
VETH_S=${LIVE_ID}s # interface names: at most 15 characters (IFNAMSIZ)
VETH_R=${LIVE_ID}r
PKTSEND=$BUILD/tests/pktsend
PCAPDIFF=$BUILD/tests/pcapdiff
CORPUS_EN10MB=${BPFCAP_CORPUS:-$BUILD/corpus}/en10mb.pcap
LIVE_MNTS=()    # tiny tmpfs mounts for the ENOSPC checks, unmounted by the trap
LIVE_NETNS=0    # 1 once the namespaces exist
declare -A CAP_PID=() CAP_RC=()
BG_PIDS=()      # other background processes (readers, senders)
SENT=0          # frames the last live_send wrote

live_cleanup() {
	local id p
	for id in "${!CAP_PID[@]}"; do
		[[ -z ${CAP_RC[$id]:-} ]] && kill -KILL "${CAP_PID[$id]}" 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for p in "${LIVE_MNTS[@]}"; do
		mountpoint -q "$p" && umount "$p"
	done
	# Deleting a namespace destroys the veth end in it, and with it the pair.
	if [[ $LIVE_NETNS -eq 1 ]]; then
		ip netns del "$NS_S" 2>/dev/null
		ip netns del "$NS_R" 2>/dev/null
	fi
	if [[ -n ${LIVE_KEEP:-} ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap live_cleanup EXIT
trap 'exit 130' INT TERM

# skip REASON: a prerequisite is missing (exit 77, see tests/run-all.sh).
skip() {
	echo "SKIP: $*"
	exit 77
}

live_require() {
	[[ $(id -u) -eq 0 ]] || skip "live capture tests need root (network namespaces, packet sockets)"
	local t
	for t in ip tcpdump tshark capinfos setpriv mountpoint; do
		command -v "$t" >/dev/null || skip "$t is not installed"
	done
	[[ -x $PKTSEND && -x $PCAPDIFF ]] || skip "$PKTSEND or $PCAPDIFF not built (make tests)"
	# As test_offline.sh: a run of the cli suite alone makes its own corpus.
	if [[ ! -s $CORPUS_EN10MB && -x $BUILD/tests/gen_corpus ]]; then
		mkdir -p "$TMP/corpus" && "$BUILD/tests/gen_corpus" "$TMP/corpus" >/dev/null
		CORPUS_EN10MB=$TMP/corpus/en10mb.pcap
	fi
	[[ -s $CORPUS_EN10MB ]] || skip "$CORPUS_EN10MB missing (build/tests/gen_corpus build/corpus)"
}

# The two namespaces and the veth pair.  IPv6 is off in both before the
# links exist, so no router solicitation, DAD or MLD report appears in a
# capture: the only frames on the link are the ones the test sends (the
# namespaces have no addresses, so nothing answers them either).  lo gets
# the veth's MTU: tcpdump's immediate mode (TPACKET_V2) sizes its ring's
# frames by the largest MTU of the interface (of all of them for "any"), and
# lo's 64 KiB would leave a few hundred frames in the reference's ring.
live_setup() {
	ip netns add "$NS_S" || return 1
	LIVE_NETNS=1
	ip netns add "$NS_R" || return 1
	local ns
	for ns in "$NS_S" "$NS_R"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
		ip -n "$ns" link set lo mtu 1500 up || return 1
	done
	ip link add "$VETH_S" netns "$NS_S" type veth peer name "$VETH_R" netns "$NS_R" || return 1
	ip -n "$NS_S" link set "$VETH_S" up && ip -n "$NS_R" link set "$VETH_R" up
}

# Every fork costs this machine 10-15 ms of system time, and the polling
# loops below run while dozens of captures start: they use builtins only.
# nap SECONDS: sleep without a process (a read that times out on a FIFO
# nobody writes to).
mkfifo "$TMP/nap.fifo"
exec {NAP_FD}<>"$TMP/nap.fifo"
nap() {
	read -r -t "$1" -u "$NAP_FD" _ || :
}

# said ID TEXT: has capture ID written TEXT on stderr?
said() {
	local line
	[[ -e $TMP/$1.err ]] || return 1
	while IFS= read -r line; do
		[[ $line == *"$2"* ]] && return 0
	done <"$TMP/$1.err"
	return 1
}

# cap ID NS COMMAND...
cap() {
	local id=$1 ns=$2
	shift 2
	unset "CAP_RC[$id]"
	ip netns exec "$ns" "$@" 2>"$TMP/$id.err" {NAP_FD}<&- &
	CAP_PID[$id]=$!
}

# cap_listening ID...: wait (at most 30 s: eighty captures start at once on
# a busy machine) until every capture has said "listening on"; a capture
# that exits first or never says it is a failure.
cap_listening() {
	local id deadline=$((SECONDS + 30)) waiting
	while :; do
		waiting=()
		for id in "$@"; do
			said "$id" 'listening on' && continue
			if ! kill -0 "${CAP_PID[$id]}" 2>/dev/null; then
				fail "$id: exited before listening: $(head -3 "$TMP/$id.err")"
				return 1
			fi
			waiting+=("$id")
		done
		[[ ${#waiting[@]} -eq 0 ]] && return 0
		if [[ $SECONDS -ge $deadline ]]; then
			fail "not listening after 30 s: ${waiting[*]}"
			return 1
		fi
		nap 0.05
	done
}

# cap_wait ID [SECONDS]: wait for a capture to end (default 5 s, then
# SIGKILL and status 137); the exit status goes to CAP_RC[ID].
cap_wait() {
	local id=$1 limit=${2:-5} pid=${CAP_PID[$1]} t=0
	while kill -0 "$pid" 2>/dev/null && [[ $t -lt $((limit * 20)) ]]; do
		nap 0.05
		t=$((t + 1))
	done
	kill -KILL "$pid" 2>/dev/null
	local rc=0
	wait "$pid" || rc=$?
	CAP_RC[$id]=$rc
}

# cap_stop ID...: SIGINT to the captures still running, then wait for all.
cap_stop() {
	local id
	for id in "$@"; do
		[[ -n ${CAP_RC[$id]:-} ]] && continue
		kill -INT "${CAP_PID[$id]}" 2>/dev/null
	done
	for id in "$@"; do
		[[ -n ${CAP_RC[$id]:-} ]] || cap_wait "$id"
	done
}

# cap_running ID: still running (has not exited by itself)?
cap_running() {
	kill -0 "${CAP_PID[$1]}" 2>/dev/null
}

# live_send GAP_US [pktsend options...]: replay the corpus once from the
# sender; SENT is the number of frames written.
live_send() {
	local gap=$1
	shift
	local out
	out=$(ip netns exec "$NS_S" "$PKTSEND" -g "$gap" "$@" -i "$VETH_S" "$CORPUS_EN10MB") || return 1
	SENT=$(sed -n 's/^pktsend: \([0-9]*\) sent.*/\1/p' <<<"$out")
	[[ -n $SENT ]]
}

# stat_of ID WHAT: a number from the statistics lines a capture printed at
# exit ("N packets WHAT"), empty if there is none.
stat_of() {
	local line n=
	[[ -e $TMP/$1.err ]] || return 0
	while IFS= read -r line; do
		[[ $line =~ ^([0-9]+)\ packets?\ $2$ ]] && n=${BASH_REMATCH[1]}
	done <"$TMP/$1.err"
	echo "$n"
}

# records FILE: how many records a capture file holds (capinfos).
records() {
	capinfos -T -r -c "$1" 2>/dev/null | awk -F'\t' '{ print $2 }'
}

# reads_cleanly FILE: tcpdump and tshark read FILE and say nothing but
# tcpdump's "reading from file" line (and tshark's notice that it runs as
# root).
reads_cleanly() {
	local f=$1 msg
	if ! TZ=UTC tcpdump -nn -r "$f" >/dev/null 2>"$TMP/rc.tcpdump"; then
		msg="tcpdump -r failed: $(head -2 "$TMP/rc.tcpdump")"
	elif grep -v '^reading from file' "$TMP/rc.tcpdump" | grep -q .; then
		msg="tcpdump -r warns: $(grep -v '^reading from file' "$TMP/rc.tcpdump" | head -2)"
	elif ! tshark -n -r "$f" >/dev/null 2>"$TMP/rc.tshark"; then
		msg="tshark -r failed: $(head -2 "$TMP/rc.tshark")"
	elif grep -v '^Running as user "root"' "$TMP/rc.tshark" | grep -q .; then
		msg="tshark -r warns: $(head -2 "$TMP/rc.tshark")"
	fi
	if [[ -n ${msg:-} ]]; then
		echo "$msg"
		return 1
	fi
}
