#!/usr/bin/env bash
# Invalid expressions (tests/cli/invalid-exprs.txt): for each one,
# bpfcap -d -- EXPR must
#   - exit non-zero and below 128 (no crash, no signal),
#   - print nothing on stdout,
#   - print a first stderr line starting with "bpfcap: ",
#   - for a syntax error, show a caret line (a line of blanks then ^),
#   - leave no sanitizer report on stderr (the ASan build is run too).
# Each entry is also checked against tcpdump -d: libpcap must reject it,
# or the entry is wrong.
# Usage: BUILD=build tests/cli/test_errors.sh
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

LIST=$ROOT/tests/cli/invalid-exprs.txt
have_tcpdump=1
command -v tcpdump >/dev/null || have_tcpdump=0
if [[ $have_tcpdump -eq 0 ]]; then
	fail "tcpdump is not installed: cannot check that libpcap rejects each entry"
fi

n=0
while IFS= read -r line || [[ -n $line ]]; do
	case $line in
	'#'* | '') continue ;;
	syntax:* | semantic:*) ;;
	*)
		fail "bad line in invalid-exprs.txt: $line"
		continue
		;;
	esac
	kind=${line%%:*}
	expr=${line#*: }
	n=$((n + 1))
	shown=$expr
	if [[ ${#shown} -gt 60 ]]; then
		shown="${shown:0:60}...(${#expr} bytes)"
	fi
	label="[$kind] '$shown'"

	if [[ $have_tcpdump -eq 1 ]] && tcpdump -d -y EN10MB -- "$expr" >/dev/null 2>&1; then
		fail "$label: bad entry: libpcap (tcpdump -d) accepts it"
		continue
	fi

	rc=0
	"$BPFCAP" -d -y EN10MB -- "$expr" >"$TMP/out" 2>"$TMP/err" || rc=$?
	problems=()
	if [[ $rc -eq 0 ]]; then
		problems+=("exit status 0")
	elif [[ $rc -ge 128 ]]; then
		problems+=("exit status $rc (killed by signal $((rc - 128)))")
	fi
	if [[ -s $TMP/out ]]; then
		problems+=("stdout not empty: $(head -c 80 "$TMP/out" | head -1)")
	fi
	first=$(head -1 "$TMP/err")
	if [[ $first != "bpfcap: "* ]]; then
		problems+=("stderr does not start with 'bpfcap: ': '${first:0:100}'")
	fi
	if [[ $kind == syntax ]] && ! grep -Eq '^[[:space:]]*\^+[[:space:]]*$' "$TMP/err"; then
		problems+=("no caret line (^) under the error")
	fi
	if sanitizer_report "$TMP/err"; then
		problems+=("sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$TMP/err")")
	fi
	if [[ ${#problems[@]} -eq 0 ]]; then
		pass
	else
		msg=$(printf '%s; ' "${problems[@]}")
		fail "$label: ${msg%; }"
	fi
done <"$LIST"

if [[ $n -lt 40 ]]; then
	fail "only $n invalid expressions in $LIST (want at least 40)"
fi

# Usage errors are errors too: an unknown link type, an unknown option.
rc=0
"$BPFCAP" -d -y NO_SUCH_LINKTYPE ip >"$TMP/out" 2>"$TMP/err" || rc=$?
if [[ $rc -ne 0 && $rc -lt 128 && ! -s $TMP/out && $(head -1 "$TMP/err") == "bpfcap: "* ]]; then
	pass
else
	fail "-y NO_SUCH_LINKTYPE: exit $rc, stderr '$(head -1 "$TMP/err")'"
fi
rc=0
"$BPFCAP" -d --compiler=nosuch ip >"$TMP/out" 2>"$TMP/err" || rc=$?
if [[ $rc -ne 0 && $rc -lt 128 && ! -s $TMP/out && $(head -1 "$TMP/err") == "bpfcap: "* ]]; then
	pass
else
	fail "--compiler=nosuch: exit $rc, stderr '$(head -1 "$TMP/err")'"
fi

finish
