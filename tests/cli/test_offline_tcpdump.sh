#!/usr/bin/env bash
# bpfcap -r F -w O EXPR writes the very bytes tcpdump -r F -w O EXPR writes,
# for 10 representative expressions over every capture (distinct by
# content) in /work/shared/corpus/tcpdump-tests ($TCPDUMP_TESTS): damaged
# and odd files included, link types our compiler does not cover going
# through the libpcap fallback.  Two captures run at a time: one tcpdump
# run costs about 15 ms on an idle machine, 1,890 of them make this suite,
# so each comparison spawns only tcpdump, bpfcap and cmp.
# Usage: BUILD=build tests/cli/test_offline_tcpdump.sh
set -uo pipefail
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

TCPDUMP_TESTS=${TCPDUMP_TESTS:-$ROOT/../shared/corpus/tcpdump-tests}
command -v tcpdump >/dev/null || fail "tcpdump is not installed (make deps)"

# tcpdump's own test captures, two comparisons at a time.
REPRESENTATIVE=(
	"" "ip" "ip6" "tcp" "udp port 53" "tcp port 80 or tcp port 443" "icmp or icmp6"
	"vlan" "host 10.0.0.1 or net 192.168.0.0/16" "not arp and greater 100"
)
compare_capture() { # FILE: one line per expression, "ok" or a reason
	local file=$1 dir expr i=0
	dir=$(mktemp -d "$TMP/cap.XXXXXX")
	for expr in "${REPRESENTATIVE[@]}"; do
		i=$((i + 1))
		local trc=0 brc=0
		tcpdump -r "$file" -w "$dir/t$i" -- "$expr" 2>/dev/null || trc=$?
		"$BPFCAP" -r "$file" -w "$dir/b$i" -- "$expr" 2>"$dir/e$i" || brc=$?
		if sanitizer_report "$dir/e$i"; then
			echo "FAIL $file '$expr': sanitizer report"
		elif [[ $trc -ne $brc ]]; then
			echo "FAIL $file '$expr': exit $brc, tcpdump $trc: $(tail -1 "$dir/e$i")"
		elif [[ -e $dir/t$i ]] && ! cmp -s "$dir/t$i" "$dir/b$i"; then
			echo "FAIL $file '$expr': output differs from tcpdump's"
		else
			echo ok
		fi
	done
	rm -rf "$dir"
}
if [[ -d $TCPDUMP_TESTS ]]; then
	export BPFCAP TMP
	export -f compare_capture sanitizer_report
	REP_DEF=$(declare -p REPRESENTATIVE)
	export REP_DEF
	# One capture per distinct content (4.99.3/ and master/ share files).
	find "$TCPDUMP_TESTS" \( -name '*.pcap' -o -name '*.pcapng' \) -exec md5sum {} + |
		sort | awk '!seen[$1]++ { print $2 }' >"$TMP/captures"
	# Under sanitizers the point is memory safety, not coverage: every 4th.
	if [[ ${BPFCAP_SANITIZED:-0} == 1 ]]; then
		awk 'NR % 4 == 1' "$TMP/captures" >"$TMP/captures.some"
		mv "$TMP/captures.some" "$TMP/captures"
		echo "sanitized build: every 4th capture"
	fi
	xargs -P 2 -I{} bash -c 'eval "$REP_DEF"; compare_capture "$1"' _ {} <"$TMP/captures" >"$TMP/cap.results"
	caps=$(wc -l <"$TMP/captures")
	while IFS= read -r line; do
		if [[ $line == ok ]]; then pass; else fail "${line#FAIL }"; fi
	done <"$TMP/cap.results"
	echo "tcpdump-tests: $caps captures x ${#REPRESENTATIVE[@]} expressions compared with tcpdump"
	[[ $(wc -l <"$TMP/cap.results") -eq $((caps * ${#REPRESENTATIVE[@]})) ]] ||
		fail "tcpdump-tests: $(wc -l <"$TMP/cap.results") results for $((caps * ${#REPRESENTATIVE[@]})) comparisons"
else
	echo "SKIP test_offline_tcpdump.sh: $TCPDUMP_TESTS is missing (the shared tcpdump test captures, ../shared)"
	exit 77
fi


finish
