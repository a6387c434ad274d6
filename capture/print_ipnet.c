/* capture/print_ipnet.c: LINKTYPE_IPNET (Solaris ipnet, 226) as tcpdump
 * 4.99's print-ipnet.c prints it: a 24-byte header (version, family,
 * hook type, length, interface indexes, source and destination zone
 * IDs), the zones and family at -e, then IPv4 or IPv6. */
#include "print_get.h"

#define IPNET_HDRLEN 24

static void ipnet_header(struct pctx *c, const uint8_t *p, unsigned len)
{
	unsigned family = get_u8(c, p + 1);
	const char *name = family == 2 ? "IPv4" : family == 26 ? "IPv6" : NULL;
	out_fmt(c, "%u > %u", get_be32(c, p + 16), get_be32(c, p + 20));
	if (!c->o->qflag)
		out_fmt(c, ", family %s (%u)", name ? name : "Unknown", family);
	else if (name)
		out_fmt(c, ", %s", name);
	else
		out_fmt(c, ", Unknown Ethertype (0x%04x)", family);
	out_fmt(c, ", length %u: ", len);
}

unsigned print_ipnet(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "ipnet";
	c->last = "ipnet";
	if (caplen < IPNET_HDRLEN) {
		out_trunc(c);
		return caplen;
	}
	if (c->o->eflag)
		ipnet_header(c, p, len);
	unsigned family = get_u8(c, p + 1);
	switch (family) {
	case 2:
		print_ip(c, p + IPNET_HDRLEN, len - IPNET_HDRLEN);
		break;
	case 26:
		print_ip6(c, p + IPNET_HDRLEN, len - IPNET_HDRLEN);
		break;
	default:
		if (!c->o->eflag)
			ipnet_header(c, p, len);
		out_default(c, p + IPNET_HDRLEN, caplen - IPNET_HDRLEN);
	}
	return IPNET_HDRLEN;
}
