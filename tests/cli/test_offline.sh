#!/usr/bin/env bash
# Offline reading and writing (-r, -w, --count, -c, -C/-G/-W, --pcapng):
#   1. bpfcap -r F -w O EXPR writes the very bytes tcpdump -r F -w O EXPR
#      writes: every 9th expression of tests/diff/exprs/{EN10MB,LINUX_SLL,
#      LINUX_SLL2,RAW}.txt over the project corpus (tcpdump's own test
#      captures are in test_offline_tcpdump.sh); --count, -c, -w - and
#      -C/-W rotation are compared the same way;
#   2. what bpfcap writes (pcap, nano pcap, pcapng, multi-link pcapng,
#      rotated files) is read by tcpdump, tshark and capinfos with exit 0
#      and no warning;
#   3. damaged inputs (build/tests/gen_malformed): exit 1, the expected
#      message with its byte offset, and the packets before the damage
#      written (compared with tcpdump's output where libpcap reads the file).
# Usage: BUILD=build tests/cli/test_offline.sh
set -uo pipefail
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

CORPUS=${BPFCAP_CORPUS:-$BUILD/corpus}
GEN_MALFORMED=$BUILD/tests/gen_malformed
GEN_BIG=$BUILD/tests/gen_bigpcap

for tool in tcpdump tshark capinfos mergecap; do
	command -v $tool >/dev/null || fail "$tool is not installed (make deps)"
done
# The corpus is made by the diff suite (tests/run-all.sh); run alone, make it.
if [[ ! -s $CORPUS/en10mb.pcap && -x $BUILD/tests/gen_corpus ]]; then
	CORPUS=$TMP/corpus
	mkdir -p "$CORPUS" && "$BUILD/tests/gen_corpus" "$CORPUS" >/dev/null
fi
for f in en10mb raw sll sll2; do
	[[ -s $CORPUS/$f.pcap ]] || fail "corpus file $CORPUS/$f.pcap missing (build/tests/gen_corpus $CORPUS)"
done
[[ -x $GEN_MALFORMED && -x $GEN_BIG ]] || fail "$GEN_MALFORMED or $GEN_BIG not built (make tests)"

# ---- 1. byte-identical output ----------------------------------------------

# same_as_tcpdump LABEL FILE EXPR [EXTRA_FLAG...]: compare exit status and
# output file of tcpdump and bpfcap.
same_as_tcpdump() {
	local label=$1 file=$2 expr=$3
	shift 3
	local trc=0 brc=0
	rm -f "$TMP/t.out" "$TMP/b.out"
	tcpdump -r "$file" -w "$TMP/t.out" "$@" -- "$expr" 2>/dev/null || trc=$?
	"$BPFCAP" -r "$file" -w "$TMP/b.out" "$@" -- "$expr" 2>"$TMP/b.err" || brc=$?
	if sanitizer_report "$TMP/b.err"; then
		fail "$label: sanitizer report: $(head -3 "$TMP/b.err")"
	elif [[ $trc -ne $brc ]]; then
		fail "$label: exit $brc, tcpdump $trc: $(tail -1 "$TMP/b.err")"
	elif [[ -e $TMP/t.out ]] && ! cmp -s "$TMP/t.out" "$TMP/b.out"; then
		fail "$label: output differs from tcpdump's ($(cmp "$TMP/t.out" "$TMP/b.out" 2>&1 | head -1))"
	else
		pass
	fi
}

# Every 9th expression of an expression list.  inbound/outbound are left
# out where there is no cooked header: libpcap refuses them on savefiles
# ("not supported ... when reading savefiles", gencode.c) while bpfcap's
# offline mode compiles them, a deviation of the compiler, not of -r.
sample_exprs() { # LIST DLT_NAME
	grep -v '^#' "$1" | grep -v '^[[:space:]]*$' | awk 'NR % 9 == 1' | sed 's/^<empty>$//' |
		if [[ $2 == LINUX_SLL* ]]; then cat; else grep -v -E 'inbound|outbound'; fi
}

n_exprs=0
for pair in EN10MB:en10mb LINUX_SLL:sll LINUX_SLL2:sll2 RAW:raw; do
	list=$ROOT/tests/diff/exprs/${pair%%:*}.txt
	file=$CORPUS/${pair#*:}.pcap
	while IFS= read -r expr; do
		n_exprs=$((n_exprs + 1))
		same_as_tcpdump "${pair#*:}.pcap '$expr'" "$file" "$expr"
	done < <(sample_exprs "$list" "${pair%%:*}")
done
echo "corpus: $n_exprs expressions compared with tcpdump"
[[ $n_exprs -ge 50 ]] || fail "only $n_exprs expressions sampled (at least 50 promised)"

# --engine=interp: the interpreter writes what the JIT (and tcpdump) write.
for expr in "tcp port 80 or udp" "ip6 and not icmp6" "vlan and ip"; do
	rm -f "$TMP/t.out" "$TMP/i.out"
	tcpdump -r "$CORPUS/en10mb.pcap" -w "$TMP/t.out" -- "$expr" 2>/dev/null
	"$BPFCAP" -r "$CORPUS/en10mb.pcap" -w "$TMP/i.out" --engine=interp -- "$expr" 2>/dev/null
	if cmp -s "$TMP/t.out" "$TMP/i.out"; then pass; else fail "--engine=interp '$expr': differs from tcpdump"; fi
done
rc=0
"$BPFCAP" -r "$CORPUS/en10mb.pcap" --count --engine=kernel tcp >/dev/null 2>"$TMP/err" || rc=$?
if [[ $rc -eq 1 ]] && grep -q "live capture" "$TMP/err"; then pass; else fail "--engine=kernel with -r: exit $rc"; fi

# --count: the same line on stdout.
for expr in "" "tcp" "udp and port 53" "ip6 and not tcp"; do
	t=$(tcpdump --count -r "$CORPUS/en10mb.pcap" -- "$expr" 2>/dev/null)
	b=$("$BPFCAP" --count -r "$CORPUS/en10mb.pcap" -- "$expr" 2>/dev/null)
	if [[ -n $t && $t == "$b" ]]; then pass; else fail "--count '$expr': '$b', tcpdump '$t'"; fi
done
# -c N with and without a filter; -w - to a pipe.
same_as_tcpdump "-c 1" "$CORPUS/en10mb.pcap" "" -c 1
same_as_tcpdump "-c 57 tcp" "$CORPUS/en10mb.pcap" "tcp" -c 57
same_as_tcpdump "-c past the end" "$CORPUS/sll.pcap" "udp" -c 1000000
if cmp -s <(tcpdump -r "$CORPUS/raw.pcap" -w - ip6 2>/dev/null) \
	<("$BPFCAP" -r "$CORPUS/raw.pcap" -w - ip6 2>/dev/null); then
	pass
else
	fail "-w -: differs from tcpdump -w -"
fi
# Nanosecond input: written as microseconds, as tcpdump does.
tcpdump -r "$CORPUS/en10mb.pcap" -w "$TMP/nano-src.pcap" --time-stamp-precision=nano 2>/dev/null ||
	editcap -F nsecpcap "$CORPUS/en10mb.pcap" "$TMP/nano-src.pcap"
same_as_tcpdump "nanosecond input" "$TMP/nano-src.pcap" "tcp"

# Rotation: -C and -C -W give tcpdump's files (names and bytes).
"$GEN_BIG" 30000 "$TMP/big.pcap"
rotation_same() { # LABEL FLAGS...
	local label=$1
	shift
	rm -rf "$TMP/rt" "$TMP/rb"
	mkdir -p "$TMP/rt" "$TMP/rb"
	# -Z root: with -C or -G tcpdump drops to user tcpdump before opening
	# its files, which could not write into our private directory.
	tcpdump -Z root -r "$TMP/big.pcap" -w "$TMP/rt/out" "$@" 2>/dev/null
	"$BPFCAP" -r "$TMP/big.pcap" -w "$TMP/rb/out" "$@" 2>/dev/null
	local tl bl
	tl=$(cd "$TMP/rt" && ls)
	bl=$(cd "$TMP/rb" && ls)
	if [[ $tl != "$bl" ]]; then
		fail "$label: files '$(echo $bl)', tcpdump's '$(echo $tl)'"
		return
	fi
	local f
	for f in $tl; do
		cmp -s "$TMP/rt/$f" "$TMP/rb/$f" || {
			fail "$label: $f differs from tcpdump's"
			return
		}
	done
	[[ $(echo "$tl" | wc -w) -ge 2 ]] || {
		fail "$label: no rotation happened ($(echo $tl))"
		return
	}
	pass
}
rotation_same "-C 1" -C 1
rotation_same "-C 1 -W 2 (ring)" -C 1 -W 2
rotation_same "-C 1 -W 12 (zero-padded)" -C 1 -W 12
rotation_same "-C 1 tcp" -C 1 tcp
# -G with a strftime name: one period, one file named as tcpdump names it.
rm -rf "$TMP/gt" "$TMP/gb" && mkdir -p "$TMP/gt" "$TMP/gb"
tcpdump -Z root -r "$CORPUS/en10mb.pcap" -w "$TMP/gt/g-%Y%m%d.pcap" -G 3600 udp 2>/dev/null
"$BPFCAP" -r "$CORPUS/en10mb.pcap" -w "$TMP/gb/g-%Y%m%d.pcap" -G 3600 udp 2>/dev/null
if [[ $(cd "$TMP/gt" && ls) == "$(cd "$TMP/gb" && ls)" && -n $(ls "$TMP/gb") ]] &&
	cmp -s "$TMP/gt/$(ls "$TMP/gt")" "$TMP/gb/$(ls "$TMP/gb")"; then
	pass
else
	fail "-G 3600 with a strftime name: '$(ls "$TMP/gb")', tcpdump's '$(ls "$TMP/gt")'"
fi

# Mixed link types (pcapng with an Ethernet and a cooked interface):
# libpcap refuses the file; bpfcap filters each with its own program.
mergecap -F pcapng -w "$TMP/mixed.pcapng" "$CORPUS/en10mb.pcap" "$CORPUS/sll.pcap"
want=$(($(tcpdump --count -r "$CORPUS/en10mb.pcap" tcp 2>/dev/null | cut -d' ' -f1) +
	$(tcpdump --count -r "$CORPUS/sll.pcap" tcp 2>/dev/null | cut -d' ' -f1)))
got=$("$BPFCAP" --count -r "$TMP/mixed.pcapng" tcp 2>/dev/null | cut -d' ' -f1)
if [[ $got == "$want" ]]; then pass; else fail "mixed link types --count tcp: $got, want $want"; fi
rc=0
"$BPFCAP" -r "$TMP/mixed.pcapng" -w "$TMP/mixed-out.pcap" tcp 2>"$TMP/err" || rc=$?
if [[ $rc -eq 1 ]] && grep -q -- "--pcapng" "$TMP/err"; then
	pass
else
	fail "mixed link types to pcap: exit $rc, '$(tail -1 "$TMP/err")' (want 1 and a hint to use --pcapng)"
fi

# Without -w or --count, -r prints: one line per packet at the default
# verbosity for a protocol the printer covers (test_print_cli.sh compares
# the lines with tcpdump's).
rc=0
"$BPFCAP" -n -r "$CORPUS/en10mb.pcap" arp >"$TMP/out" 2>"$TMP/err" || rc=$?
want=$("$BPFCAP" -r "$CORPUS/en10mb.pcap" --count arp 2>/dev/null | awk '{ print $1 }')
if [[ $rc -eq 0 && $(wc -l <"$TMP/out") -eq $want && $want -gt 0 ]]; then
	pass
else
	fail "-r without -w: exit $rc, $(wc -l <"$TMP/out") lines for $want packets"
fi

# ---- 2. others read what bpfcap writes ----------------------------------------

written=()
write_case() { # NAME FLAGS...: bpfcap -r ... FLAGS, output $TMP/w/NAME
	local name=$1
	shift
	mkdir -p "$TMP/w"
	if "$BPFCAP" "$@" 2>"$TMP/err"; then
		written+=("$TMP/w/$name")
	else
		fail "writing $name: $(tail -1 "$TMP/err")"
	fi
}
write_case micro.pcap -r "$CORPUS/en10mb.pcap" -w "$TMP/w/micro.pcap" ip
write_case nano.pcap -r "$CORPUS/en10mb.pcap" -w "$TMP/w/nano.pcap" --time-stamp-precision=nano tcp
write_case sll.pcap -r "$CORPUS/sll.pcap" -w "$TMP/w/sll.pcap" tcp
write_case micro.pcapng -r "$CORPUS/raw.pcap" -w "$TMP/w/micro.pcapng" --pcapng "udp or icmp"
write_case nano.pcapng -r "$CORPUS/en10mb.pcap" -w "$TMP/w/nano.pcapng" --pcapng --time-stamp-precision=nano
write_case mixed.pcapng -r "$TMP/mixed.pcapng" -w "$TMP/w/mixed.pcapng" --pcapng "ip or ip6"
write_case rot -r "$TMP/big.pcap" -w "$TMP/w/rot" -C 1 -W 3 --pcapng tcp
for f in "$TMP"/w/rot?; do written+=("$f"); done
for f in "${written[@]}"; do
	[[ -f $f ]] || continue
	name=${f#"$TMP"/w/}
	rc=0
	# libpcap 1.10 refuses interfaces of different link types in one file.
	[[ $name == mixed.pcapng ]] || tcpdump -r "$f" -w /dev/null 2>"$TMP/err" || rc=$?
	if [[ $name == mixed.pcapng ]]; then
		:
	elif [[ $rc -ne 0 ]] || grep -v '^reading from file' "$TMP/err" | grep -q .; then
		fail "tcpdump -r $name: exit $rc: $(grep -v '^reading from file' "$TMP/err" | head -1)"
	else
		pass
	fi
	rc=0
	# tshark's one note about running as root is not about the file.
	tshark -r "$f" >/dev/null 2>"$TMP/err.all" || rc=$?
	grep -v -e 'Running as user "root"' "$TMP/err.all" >"$TMP/err"
	if [[ $rc -ne 0 || -s $TMP/err ]]; then fail "tshark -r $name: exit $rc: $(head -1 "$TMP/err")"; else pass; fi
	rc=0
	capinfos "$f" >"$TMP/info" 2>"$TMP/err" || rc=$?
	if [[ $rc -ne 0 || -s $TMP/err ]]; then fail "capinfos $name: exit $rc: $(head -1 "$TMP/err")"; else pass; fi
done
# The pcapng headers say who wrote the file and with which filter.
if capinfos "$TMP/w/micro.pcapng" 2>/dev/null | grep -q "bpfcap 0.1.0"; then pass; else fail "shb_userappl not seen by capinfos"; fi
if capinfos "$TMP/w/micro.pcapng" 2>/dev/null | grep -q "Filter string = udp or icmp"; then
	pass
else
	fail "if_filter 'udp or icmp' not seen by capinfos"
fi
n_idb=$(capinfos "$TMP/w/mixed.pcapng" 2>/dev/null | grep -c "Encapsulation = ")
if [[ $n_idb -eq 2 ]]; then pass; else fail "mixed.pcapng: $n_idb interfaces, want 2"; fi
# Same packets in pcapng as in pcap.
a=$(tcpdump --count -r "$TMP/w/micro.pcapng" 2>/dev/null)
b=$(tcpdump --count -r "$CORPUS/raw.pcap" "udp or icmp" 2>/dev/null)
if [[ -n $a && $a == "$b" ]]; then pass; else fail "pcapng output: '$a', want '$b'"; fi

# ---- 3. damaged inputs ----------------------------------------------------------

mkdir -p "$TMP/mal"
"$GEN_MALFORMED" "$TMP/mal" >/dev/null
n_mal=0
while IFS=$'\t' read -r name good msg; do
	n_mal=$((n_mal + 1))
	f=$TMP/mal/$name
	rm -f "$TMP/mal.out" "$TMP/mal.tcpdump"
	rc=0
	"$BPFCAP" -r "$f" -w "$TMP/mal.out" 2>"$TMP/err" || rc=$?
	problems=()
	[[ $rc -eq 1 ]] || problems+=("exit $rc, not 1")
	grep -qF -- "$msg" "$TMP/err" || problems+=("message '$(grep -v '^reading' "$TMP/err" | tail -1)' lacks '$msg'")
	sanitizer_report "$TMP/err" && problems+=("sanitizer report")
	n=0
	if [[ -s $TMP/mal.out ]]; then
		n=$(tcpdump --count -r "$TMP/mal.out" 2>/dev/null | cut -d' ' -f1)
	fi
	[[ $n == "$good" ]] || problems+=("$n packets written, want $good")
	# Where libpcap reads the file too, tcpdump writes the same bytes.
	if tcpdump -r "$f" -w "$TMP/mal.tcpdump" 2>/dev/null || [[ -s $TMP/mal.tcpdump ]]; then
		if [[ -s $TMP/mal.tcpdump && $name == *.pcap ]] && ! cmp -s "$TMP/mal.tcpdump" "$TMP/mal.out"; then
			problems+=("output differs from tcpdump's")
		fi
	fi
	if [[ ${#problems[@]} -eq 0 ]]; then pass; else fail "malformed $name: ${problems[*]}"; fi
done <"$TMP/mal/cases.tsv"
echo "malformed: $n_mal cases"
[[ $n_mal -ge 25 ]] || fail "only $n_mal malformed cases (at least 25 promised)"

# A write error (a full device): a message and exit 1.
rc=0
"$BPFCAP" -r "$CORPUS/en10mb.pcap" -w /dev/full 2>"$TMP/err" || rc=$?
if [[ $rc -eq 1 ]] && grep -q "No space left on device" "$TMP/err"; then
	pass
else
	fail "-w /dev/full: exit $rc, '$(tail -1 "$TMP/err")'"
fi

finish
