/* capture/print_vxlan_gpe.c: VXLAN Generic Protocol Extension
 * (draft-ietf-nvo3-vxlan-gpe-12 3.3) as tcpdump 4.99.3's
 * print-vxlan-gpe.c prints it: flags, VNI, then the IPv4, IPv6 or
 * Ethernet payload the next protocol names. An NSH payload is not
 * decoded yet and keeps the "udp-app" tag. */
#include "print_get.h"
#include "print_udpapp.h"

#define VXLAN_GPE_HDR_LEN 8u

enum gpe_next { GPE_IPV4 = 1, GPE_IPV6 = 2, GPE_ETHERNET = 3, GPE_NSH = 4 };

/* draft 3.3: I, P, B and O bits, printed as tcpdump's bittok2str_nosep. */
static const struct tok gpe_flags[] = {
	{ 0x08, "I" }, { 0x04, "P" }, { 0x02, "B" }, { 0x01, "O" }, { 0, NULL },
};

void print_vxlan_gpe(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "vxlan_gpe";
	c->last = "vxlan-gpe";
	out_str(c, "VXLAN-GPE, ");
	if (len < VXLAN_GPE_HDR_LEN) {
		out_fmt(c, " (len %u < %u)", len, VXLAN_GPE_HDR_LEN);
		out_invalid(c);
		return;
	}
	unsigned flags = get_u8(c, bp), next = get_u8(c, bp + 3);
	out_str(c, "flags [");
	int any = 0;
	for (const struct tok *t = gpe_flags; t->s; t++)
		if (flags & t->v) {
			out_str(c, t->s);
			any = 1;
		}
	out_fmt(c, "%s], ", any ? "" : "none");
	out_fmt(c, "vni %u", get_be24(c, bp + 4));
	out_str(c, c->o->vflag ? "\n    " : ": ");
	bp += VXLAN_GPE_HDR_LEN;
	len -= VXLAN_GPE_HDR_LEN;
	switch (next) {
	case GPE_IPV4:
		print_ip(c, bp, len);
		break;
	case GPE_IPV6:
		print_ip6(c, bp, len);
		break;
	case GPE_ETHERNET:
		print_ether(c, bp, len, (unsigned)pc_avail(c, bp));
		break;
	case GPE_NSH:
		c->last = "udp-app"; /* RFC 8300 NSH: not decoded yet */
		break;
	default:
		out_str(c, "ERROR: unknown-next-protocol");
		out_invalid(c);
		break;
	}
}
