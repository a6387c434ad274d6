/* capture/print_ppp.c: LINKTYPE_PPP (RFC 1661 framing, RFC 1662 address
 * and control bytes optional) as tcpdump 4.99's ppp_print prints it for
 * the network protocols bpfcap decodes; control protocols (LCP, IPCP,
 * CHAP...) are dumped and tagged "ppp-other". */
#include "print_get.h"

static const struct tok ppp_protos[] = {
	{ 0x0021, "IP" }, { 0x0057, "IPv6" }, { 0x0281, "MPLS" }, { 0x0283, "MPLS" },
	{ 0xc021, "LCP" }, { 0x8021, "IPCP" }, { 0x8057, "IP6CP" }, { 0xc223, "CHAP" }, { 0xc023, "PAP" },
	{ 0, NULL },
};

unsigned print_ppp(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "ppp";
	c->last = "ppp";
	unsigned olen = len, hdr = 0;
	if (len < 2) {
		out_trunc(c);
		return caplen;
	}
	if (get_u8(c, p) == 0xff && get_u8(c, p + 1) == 0x03) {
		p += 2;
		len -= 2;
		hdr += 2;
	}
	if (len < 2) {
		out_trunc(c);
		return caplen;
	}
	unsigned proto;
	/* RFC 1661 2: protocol field compression, an odd first byte. */
	if (get_u8(c, p) & 1) {
		proto = p[0];
		p++;
		len--;
		hdr++;
	} else {
		proto = get_be16(c, p);
		p += 2;
		len -= 2;
		hdr += 2;
	}
	char buf[16];
	if (c->o->eflag)
		out_fmt(c, "%s (0x%04x), length %u: ", tok2str(ppp_protos, "unknown", proto, buf, sizeof(buf)), proto,
			olen);
	switch (proto) {
	case 0x0021:
		print_ip(c, p, len);
		break;
	case 0x0057:
		print_ip6(c, p, len);
		break;
	case 0x0281:
	case 0x0283:
		print_mpls(c, p, len);
		break;
	default:
		c->last = "ppp-other";
		out_fmt(c, "%sunknown PPP protocol (0x%04x)", c->o->eflag ? "" : "PPP, ", proto);
		out_hex(c, p, len);
	}
	return hdr;
}
