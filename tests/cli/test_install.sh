#!/usr/bin/env bash
# make install into a scratch DESTDIR, then use what it installed as
# another project would: the binary runs, the man page is there, and a
# program built with `pkg-config --cflags --libs bpfcap` (static and
# shared) compiles an expression through the public header.
set -euo pipefail
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/lib.sh"

# The sanitizer build's objects need the sanitizer runtime to link; the
# install test is about the plain build.
if [[ -n ${BPFCAP_SANITIZED:-} ]]; then
	echo "install: checked in the plain build only"
	echo "1 passed, 0 failed"
	exit 0
fi

dest=$TMP/root
prefix=/opt/bpfcap
if make -s -C "$ROOT" BUILD="$BUILD" install DESTDIR="$dest" PREFIX="$prefix" >"$TMP/install.log" 2>&1; then
	pass
else
	fail "make install: $(tail -3 "$TMP/install.log")"
	finish
	exit 1
fi

for f in bin/bpfcap lib/libbpfcap.a lib/libbpfcap.so lib/libbpfcap.so.0 include/bpfcap.h \
	share/man/man8/bpfcap.8 lib/pkgconfig/bpfcap.pc; do
	if [[ -e $dest$prefix/$f ]]; then pass; else fail "not installed: $prefix/$f"; fi
done
if grep -q "^prefix=$prefix\$" "$dest$prefix/lib/pkgconfig/bpfcap.pc"; then
	pass
else
	fail "bpfcap.pc does not carry PREFIX"
fi

cat >"$TMP/client.c" <<'C'
#include <bpfcap.h>
#include <stdio.h>
int main(void)
{
	struct bpfcap_prog prog;
	struct bpfcap_error err;
	if (bpfcap_compile("tcp port 80", NULL, &prog, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	printf("%zu\n", prog.len);
	bpfcap_prog_free(&prog);
	return 0;
}
C
export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$dest$prefix/lib/pkgconfig
flags=$(pkg-config --cflags bpfcap)
libs=$(pkg-config --libs --static bpfcap)
# shellcheck disable=SC2086
if cc $flags -o "$TMP/client-static" "$TMP/client.c" "$dest$prefix/lib/libbpfcap.a" -lpcap 2>"$TMP/cc.log" &&
	[[ $("$TMP/client-static") -gt 5 ]]; then
	pass
else
	fail "static client: $(cat "$TMP/cc.log")"
fi
# shellcheck disable=SC2086
# shellcheck disable=SC2086
if cc $flags -o "$TMP/client-shared" "$TMP/client.c" $libs 2>"$TMP/cc.log" &&
	[[ $(LD_LIBRARY_PATH=$dest$prefix/lib "$TMP/client-shared") -gt 5 ]]; then
	pass
else
	fail "shared client (pkg-config: $flags $libs): $(cat "$TMP/cc.log")"
fi
expected=$("$BPFCAP" -d 'tcp port 80')
if [[ $("$dest$prefix/bin/bpfcap" -d 'tcp port 80') == "$expected" ]]; then
	pass
else
	fail "installed bpfcap differs from the built one"
fi
finish
