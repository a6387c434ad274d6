#!/usr/bin/env bash
# make demo's script runs to the end and shows what it promises: dumps in
# the three formats, live-mode VLAN code, the 1000-term chain, an error
# with a caret, the socket eBPF, the JIT's code, an offline file equal to
# tcpdump's, printed packets.
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/lib.sh"

if BUILD=$BUILD "$ROOT/scripts/demo.sh" >"$TMP/demo.out" 2>&1; then
	pass
else
	fail "scripts/demo.sh exited $?: $(tail -3 "$TMP/demo.out")"
fi
for want in 'ret      #262144' '{ 0x28, 0, 0, 0x0000000c },' '[vlanp]' 'instructions; the whole command' \
	"found 'and'" '^^^' 'r0 = *(u16 *)skb[12]' '; prologue' 'byte-identical to what tcpdump -w writes' \
	'ARP, Request who-has'; do
	if grep -qF -- "$want" "$TMP/demo.out"; then pass; else fail "demo output lacks: $want"; fi
done
finish
