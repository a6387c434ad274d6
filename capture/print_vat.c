/* capture/print_vat.c: the LBL vat/vt audio tools' packets on UDP
 * destination port 3456, as tcpdump 4.99.3's vat_print (print-udp.c)
 * tells them apart and prints them. */
#include "print_get.h"
#include "print_udpapp.h"

#define VAT_HDR_LEN 8u

void print_vat(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "vat";
	c->last = "vat";
	if (len < 2) {
		out_fmt(c, "udp/va/vat, length %u < 2", len);
		return;
	}
	unsigned ts = get_be16(c, bp);
	if (ts & 0xf060) { /* bits vat leaves clear: probably vt */
		out_fmt(c, "udp/vt %u %u / %u", len, ts & 0x3ff, ts >> 10);
		return;
	}
	if (len < VAT_HDR_LEN) {
		out_fmt(c, "udp/vat, length %u < %u", len, VAT_HDR_LEN);
		return;
	}
	uint32_t i0 = get_be32(c, bp), i1 = get_be32(c, bp + 4);
	out_fmt(c, "udp/vat %u c%u %u%s", i0 & 0xffff, i1 >> 16, len - VAT_HDR_LEN, (i0 & 0x800000) ? "*" : "");
	if (i0 & 0x1f0000) /* audio format */
		out_fmt(c, " f%u", (i0 >> 16) & 0x1f);
	if (i0 & 0x3f000000)
		out_fmt(c, " s%u", (i0 >> 24) & 0x3f);
}
