#!/usr/bin/env bash
# --dump=ebpf, --dump=ebpf-raw and --dump=jit on the command line: the two
# eBPF dumps describe the same instructions, each target has its shape, the
# JIT dump has one group per eBPF instruction, and failures are reported.
# (What the instructions mean is diff_translate's and diff_kernel's job.)
# Usage: BUILD=build tests/cli/test_dump_ebpf.sh
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

EXPRS=(
	"" "ip" "tcp port 80" "udp and host 10.0.0.1" "vlan 10 and tcp" "ip6 and icmp6"
	"arp or rarp" "ether host 01:02:03:04:05:06" "tcp[tcpflags] & tcp-syn != 0"
	"ip[2:2] > 576" "len > 100" "net 192.168.0.0/16 and not port 22" "ip6 protochain 17"
	"ether[12:2] = 0x0800 and ip[9] = 17" "portrange 1000-2000" "ip and ip[6] & 0x20 != 0"
	"mpls 100" "pppoes and ip" "ip proto 47" "icmp[icmptype] = icmp-echo"
)

# dump_pair LABEL ARGS...: ebpf and ebpf-raw of the same command agree.
dump_pair() {
	local label=$1
	shift
	if ! "$BPFCAP" --dump=ebpf "$@" >"$TMP/x.txt" 2>"$TMP/x.err" ||
		! "$BPFCAP" --dump=ebpf-raw "$@" >"$TMP/r.txt" 2>>"$TMP/x.err"; then
		fail "$label: exit status non-zero: $(head -1 "$TMP/x.err")"
		return 1
	fi
	if [[ -s $TMP/x.err ]]; then
		fail "$label: stderr: $(head -1 "$TMP/x.err")"
		return 1
	fi
	# Every --dump=ebpf line is "N: (hh) text"; its opcode is the raw
	# line's first field (LD_IMM64 takes two raw lines, none here).
	local bad
	bad=$(awk 'function hex(s,  i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
		   NR == FNR { if ($0 !~ /^ *[0-9]+: \([0-9a-f][0-9a-f]\) /) { print "format: " $0; exit }
			      op[FNR] = hex(substr($2, 2, 2)); n = FNR; next }
		   { if (NF != 5) { print "raw fields: " $0; exit }
		     if ($1 != op[FNR]) { print "line " FNR ": opcode " op[FNR] " vs raw " $1; exit } ; m = FNR }
		   END { if (n != m) print "lines: " n " vs " m }' "$TMP/x.txt" "$TMP/r.txt")
	if [[ -n $bad ]]; then
		fail "$label: ebpf and ebpf-raw disagree: $bad"
		return 1
	fi
	return 0
}

for e in "${EXPRS[@]}"; do
	# Direct target (offline, the JIT's): packet through data/data_end.
	if dump_pair "direct '$e'" -y EN10MB -- "$e"; then
		if grep -q 'skb\[' "$TMP/x.txt" || ! grep -q 'r9 = \*(u64 \*)(r6 +0)' "$TMP/x.txt" &&
			[[ -n $e ]]; then
			fail "direct '$e': not the direct shape: $(head -3 "$TMP/x.txt" | tr '\n' '|')"
		else
			pass
		fi
	fi
	# Socket target (the kernel engine's): LD_ABS with r6 = ctx, never the
	# direct context's 64-bit data pointers.
	if dump_pair "socket '$e'" --engine=kernel -y EN10MB -- "$e"; then
		if grep -q '(u64 \*)(r6 +' "$TMP/x.txt"; then
			fail "socket '$e': reads data/data_end: $(head -3 "$TMP/x.txt" | tr '\n' '|')"
		else
			pass
		fi
	fi
	# JIT: one "; N: (hh) ..." group per eBPF instruction, in order.
	"$BPFCAP" --dump=ebpf -y EN10MB -- "$e" | sed 's/^ *//' >"$TMP/x.txt"
	if ! "$BPFCAP" --dump=jit -y EN10MB -- "$e" >"$TMP/j.txt" 2>"$TMP/j.err"; then
		fail "jit '$e': $(head -1 "$TMP/j.err")"
	elif ! grep '^; [0-9]' "$TMP/j.txt" | sed 's/^; //' | cmp -s - "$TMP/x.txt"; then
		fail "jit '$e': its groups are not the eBPF instructions"
	elif ! grep -qE '^ +[0-9a-f]+: ([0-9a-f]{2} )+ +ret' "$TMP/j.txt"; then
		fail "jit '$e': no ret instruction in the code"
	else
		pass
	fi
done

# Live mode with -i uses the kernel engine: the socket target.
if "$BPFCAP" --dump=ebpf -i lo ip >"$TMP/x.txt" 2>"$TMP/x.err" && grep -q 'skb\[12\]' "$TMP/x.txt"; then
	pass
else
	fail "-i lo --dump=ebpf: expected the socket target: $(head -2 "$TMP/x.txt" "$TMP/x.err" | tr '\n' '|')"
fi

# Errors: a bad stage; a libpcap program the translator cannot take
# (protochain's backward jump) is refused with a message, exit 1.
rc=0
"$BPFCAP" --dump=bogus ip >/dev/null 2>"$TMP/e.err" || rc=$?
if [[ $rc -ne 0 ]] && grep -q -- '--dump must be' "$TMP/e.err"; then pass; else fail "--dump=bogus: status $rc: $(cat "$TMP/e.err")"; fi
rc=0
"$BPFCAP" --compiler=libpcap --dump=ebpf 'ip protochain 6' >/dev/null 2>"$TMP/e.err" || rc=$?
if [[ $rc -eq 1 ]] && grep -q 'translating to eBPF' "$TMP/e.err"; then
	pass
else
	fail "libpcap protochain --dump=ebpf: status $rc: $(cat "$TMP/e.err")"
fi
finish
