/* capture/print_bcm_li.c: the Broadcom lawful-intercept shim (UDP
 * source port 49152) as tcpdump 4.99.3's print-bcm-li.c prints it: the
 * 32-bit shim's direction, packet type and subtype and intercept ID;
 * with -v the intercepted Ethernet, IPv4 or IPv6 packet after it. */
#include "print_get.h"
#include "print_udpapp.h"

#define BCM_LI_SHIM_LEN 4u

enum bcm_li_type { BCM_LI_UNDECIDED = 4, BCM_LI_IPV4 = 5, BCM_LI_IPV6 = 6, BCM_LI_ETHERNET = 7 };

static const struct tok bcm_li_directions[] = {
	{ 1, "unused" }, { 2, "egress" }, { 3, "ingress" }, { 0, NULL },
};

static const struct tok bcm_li_types[] = {
	{ BCM_LI_UNDECIDED, "undecided" }, { BCM_LI_IPV4, "ipv4" }, { BCM_LI_IPV6, "ipv6" },
	{ BCM_LI_ETHERNET, "ethernet" }, { 0, NULL },
};

static const struct tok bcm_li_subtypes[] = {
	{ 1, "single VLAN tag" }, { 2, "double VLAN tag" }, { 3, "untagged" }, { 0, NULL },
};

static const char *name_or_unknown(const struct tok *t, unsigned v)
{
	const char *s = tok_find(t, v);
	return s ? s : "unknown";
}

/* tcpdump picks the IP version of an "undecided" payload by its first
 * nibble. */
static void bcm_li_guess(struct pctx *c, const uint8_t *bp, unsigned len)
{
	unsigned version = get_u8(c, bp) >> 4;
	if (version == 4)
		print_ip(c, bp, len);
	else if (version == 6)
		print_ip6(c, bp, len);
	else
		out_str(c, "unknown payload");
}

void print_bcm_li(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "bcm_li";
	c->last = "bcm-li";
	if (len < BCM_LI_SHIM_LEN) {
		out_fmt(c, " (length %u < %u)", len, BCM_LI_SHIM_LEN);
		out_invalid(c);
		return;
	}
	uint32_t shim = get_be32(c, bp);
	unsigned type = (shim >> 25) & 0xf;
	const char *nl = c->o->vflag ? "\n    " : "";
	out_fmt(c, "%sBCM-LI-SHIM: direction %s, pkt-type %s, pkt-subtype %s, li-id %u%s", nl,
		name_or_unknown(bcm_li_directions, (shim >> 29) & 0x7), name_or_unknown(bcm_li_types, type),
		name_or_unknown(bcm_li_subtypes, (shim >> 22) & 0x7), shim & 0x3fffff, nl);
	if (!c->o->vflag)
		return;
	bp += BCM_LI_SHIM_LEN;
	len -= BCM_LI_SHIM_LEN;
	switch (type) {
	case BCM_LI_ETHERNET:
		print_ether(c, bp, len, (unsigned)pc_avail(c, bp));
		break;
	case BCM_LI_IPV4:
		print_ip(c, bp, len);
		break;
	case BCM_LI_IPV6:
		print_ip6(c, bp, len);
		break;
	case BCM_LI_UNDECIDED:
		bcm_li_guess(c, bp, len);
		break;
	default:
		out_invalid(c);
		break;
	}
}
