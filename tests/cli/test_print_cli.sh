#!/usr/bin/env bash
# -r without -w prints packets: the command line's printing plumbing (flags
# reach the printer, the filter selects what is printed, one write per
# batch, -c, -l) against the installed tcpdump, on records of a protocol
# the printer covers exactly (ARP).  How much of every protocol is printed
# identically is diff_print's measure, not this test's.
# Usage: BUILD=build tests/cli/test_print_cli.sh
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

CORPUS=${BPFCAP_CORPUS:-$BUILD/corpus}
export TZ=GMT0 # tcpdump's tests' zone; both tools print local time
FLAGS=("-n" "-nn -e" "-n -v" "-n -vv" "-n -x" "-n -xx" "-n -X" "-n -XX" "-n -A" "-n -q"
	"-n -t" "-n -tt" "-n -ttt" "-n -tttt" "-n -ttttt" "-n -#" "-n -S" "-n -l")

for f in en10mb sll sll2; do
	pcap=$CORPUS/$f.pcap
	if [[ ! -r $pcap ]]; then
		fail "$pcap: no corpus (tests/run-all.sh generates it)"
		continue
	fi
	for fl in "${FLAGS[@]}"; do
		# shellcheck disable=SC2086
		"$BPFCAP" $fl -r "$pcap" arp >"$TMP/o.txt" 2>"$TMP/o.err" || { fail "$f $fl: exit $?: $(tail -1 "$TMP/o.err")"; continue; }
		# shellcheck disable=SC2086
		tcpdump $fl -r "$pcap" arp >"$TMP/t.txt" 2>/dev/null
		if [[ ! -s $TMP/t.txt ]]; then
			fail "$f $fl: tcpdump printed nothing: no ARP in the corpus?"
		elif cmp -s "$TMP/o.txt" "$TMP/t.txt"; then
			pass
		else
			fail "$f 'arp' $fl: differs from tcpdump: $(diff "$TMP/o.txt" "$TMP/t.txt" | head -3 | tr '\n' '|')"
		fi
	done
done

# -c: exactly N packets printed; the filter and -c together.
n=$("$BPFCAP" -n -c 7 -r "$CORPUS/en10mb.pcap" arp 2>/dev/null | wc -l)
if [[ $n -eq 7 ]]; then pass; else fail "-c 7: $n lines"; fi
# The stderr line tcpdump prints when reading a file.
"$BPFCAP" -n -r "$CORPUS/en10mb.pcap" arp 2>"$TMP/e.txt" >/dev/null
tcpdump -n -r "$CORPUS/en10mb.pcap" arp 2>"$TMP/te.txt" >/dev/null
if cmp -s "$TMP/e.txt" "$TMP/te.txt"; then pass; else fail "stderr: $(cat "$TMP/e.txt") vs $(cat "$TMP/te.txt")"; fi
# A link type the printer does not cover yet is refused, not misprinted.
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x69\x00\x00\x00' >"$TMP/wlan.pcap"
rc=0
"$BPFCAP" -n -r "$TMP/wlan.pcap" >/dev/null 2>"$TMP/e.txt" || rc=$?
if [[ $rc -eq 1 ]] && grep -q "not supported yet" "$TMP/e.txt"; then pass; else fail "802.11 file: status $rc: $(cat "$TMP/e.txt")"; fi
finish
