/* capture/print_ipcomp.c: the IP Payload Compression header (RFC 3173
 * 2.2) as tcpdump's print-ipcomp.c prints it: the CPI only — the
 * compressed payload is not decoded. */
#include "print_ipapp.h"

void print_ipcomp(struct pctx *c, const uint8_t *bp)
{
	c->proto = "ipcomp";
	c->last = "ipcomp";
	out_fmt(c, "IPComp(cpi=0x%04x)", get_be16(c, bp + 2));
}
