/* capture/print_null.c: LINKTYPE_NULL (BSD loopback) as tcpdump 4.99's
 * print-null.c prints it. The 4-byte header is the address family in
 * the byte order of the host that wrote the file: a value with bits in
 * the upper half was written by the other byte order (tcpdump's rule). */
#include "print_get.h"

#define NULL_HDRLEN 4

static const struct tok bsd_af[] = {
	{ 2, "IPv4" }, { 7, "OSI" }, { 16, "Appletalk" }, { 23, "IPX" },
	{ 24, "IPv6" }, { 28, "IPv6" }, { 30, "IPv6" }, { 0, NULL },
};

static void null_header(struct pctx *c, uint32_t family, unsigned len)
{
	char buf[24];
	if (!c->o->qflag)
		out_fmt(c, "AF %s (%u)", tok2str(bsd_af, "Unknown", family, buf, sizeof(buf)), family);
	else
		out_str(c, tok2str(bsd_af, "Unknown AF %u", family, buf, sizeof(buf)));
	out_fmt(c, ", length %u: ", len);
}

unsigned print_null(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "null";
	c->last = "null";
	if (caplen < NULL_HDRLEN) {
		out_trunc(c);
		return caplen;
	}
	uint32_t family = get_le32(c, p);
	if (family & 0xffff0000u)
		family = __builtin_bswap32(family);
	if (c->o->eflag)
		null_header(c, family, len);
	p += NULL_HDRLEN;
	len -= NULL_HDRLEN;
	caplen -= NULL_HDRLEN;
	switch (family) {
	case 2:
		print_ip(c, p, len);
		break;
	case 24:
	case 28:
	case 30:
		print_ip6(c, p, len);
		break;
	default:
		c->last = "null-other"; /* OSI, AppleTalk, IPX: not decoded */
		if (!c->o->eflag)
			null_header(c, family, len + NULL_HDRLEN);
		out_default(c, p, caplen);
	}
	return NULL_HDRLEN;
}
