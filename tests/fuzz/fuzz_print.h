/* tests/fuzz/fuzz_print.h: the input layout of fuzz_print, shared with
 * the seed generator (tests/pktgen/gen_print_seeds.c).
 *
 *   byte 0   link type: an index into fuzz_print_linktypes (modulo)
 *   byte 1   flags: bit 0 -e, bits 1-2 the -v count, bit 3 -q,
 *            bits 4-6 the dump mode (modulo 7), bit 7 -S
 *   byte 2   a second captured length: the record is printed whole,
 *            then cut there (wirelen = packet length + this byte)
 *   byte 3.. the packet
 */
#ifndef BPFCAP_FUZZ_PRINT_H
#define BPFCAP_FUZZ_PRINT_H

#include "print.h"

static const int fuzz_print_linktypes[] = {
	LINKTYPE_EN10MB, LINKTYPE_RAW, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL_BSD, LINKTYPE_PPP_LINK,
	LINKTYPE_IPNET_LINK, LINKTYPE_PPP_HDLC, LINKTYPE_FRELAY,
	LINKTYPE_SLIP,
};
#define FUZZ_PRINT_NLINKTYPES (sizeof(fuzz_print_linktypes) / sizeof(fuzz_print_linktypes[0]))
#define FUZZ_PRINT_HEADER 3

#endif
