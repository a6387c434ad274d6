/* capture/print_bfd.c: BFD (RFC 5880 4.1 control packets over UDP,
 * RFC 5881 single hop 3784, RFC 5883 multihop 4784, echo 3785) as
 * tcpdump 4.99.3's print-bfd.c prints it. Not decoded yet: version 0
 * (draft) packets and the -v authentication section (RFC 5880 4.2):
 * they keep the "udp-app" tag. */
#include "print_get.h"
#include "print_udpapp.h"

#define BFD_CONTROL_PORT 3784
#define BFD_ECHO_PORT 3785
#define BFD_MULTIHOP_PORT 4784
#define BFD_HEADER_LEN 24u  /* RFC 5880 4.1: the mandatory section */
#define BFD_FLAG_AUTH 0x04  /* RFC 5880 4.1: A bit */

/* RFC 5880 4.1 Diag. */
static const struct tok bfd_diags[] = {
	{ 0, "No Diagnostic" }, { 1, "Control Detection Time Expired" }, { 2, "Echo Function Failed" },
	{ 3, "Neighbor Signaled Session Down" }, { 4, "Forwarding Plane Reset" }, { 5, "Path Down" },
	{ 6, "Concatenated Path Down" }, { 7, "Administratively Down" },
	{ 8, "Reverse Concatenated Path Down" }, { 0, NULL },
};

/* RFC 5880 4.1 Sta. */
static const struct tok bfd_states[] = {
	{ 0, "AdminDown" }, { 1, "Down" }, { 2, "Init" }, { 3, "Up" }, { 0, NULL },
};

/* RFC 5880 4.1 P F C A D M, as tcpdump's bittok2str lists them. */
static const struct tok bfd_flags[] = {
	{ 0x20, "Poll" }, { 0x10, "Final" }, { 0x08, "Control Plane Independent" },
	{ 0x04, "Authentication Present" }, { 0x02, "Demand" }, { 0x01, "Multipoint" },
	{ 0, NULL },
};

/* tcpdump's bittok2str: the names of the bits set, ", " between, or
 * "none". */
static void bfd_flag_names(struct pctx *c, unsigned flags)
{
	const char *sep = "";
	for (const struct tok *t = bfd_flags; t->s; t++)
		if (flags & t->v) {
			out_fmt(c, "%s%s", sep, t->s);
			sep = ", ";
		}
	if (!*sep)
		out_str(c, "none");
}

static void bfd_v1(struct pctx *c, const uint8_t *bp, unsigned len, const char *port)
{
	char sbuf[32];
	unsigned vd = get_u8(c, bp), flags = get_u8(c, bp + 1);
	const char *state = tok2str(bfd_states, "unknown (%u)", flags >> 6, sbuf, sizeof(sbuf));
	if (c->o->vflag < 1) {
		out_fmt(c, "BFDv1, %s, State %s, Flags: [", port, state);
		bfd_flag_names(c, flags & 0x3f);
		out_fmt(c, "], length: %u", len);
		return;
	}
	out_fmt(c, "BFDv1, length: %u\n\t%s, State %s, Flags: [", len, port, state);
	bfd_flag_names(c, flags & 0x3f);
	const char *diag = tok_find(bfd_diags, vd & 0x1f);
	out_fmt(c, "], Diagnostic: %s (0x%02x)", diag ? diag : "unknown", vd & 0x1f);
	unsigned mult = get_u8(c, bp + 2);
	uint32_t tx = get_be32(c, bp + 12);
	out_fmt(c, "\n\tDetection Timer Multiplier: %u (%u ms Detection time), BFD Length: %u", mult,
		(unsigned)((uint64_t)mult * tx / 1000), get_u8(c, bp + 3));
	out_fmt(c, "\n\tMy Discriminator: 0x%08x", get_be32(c, bp + 4));
	out_fmt(c, ", Your Discriminator: 0x%08x", get_be32(c, bp + 8));
	out_fmt(c, "\n\t  Desired min Tx Interval:    %4u ms", tx / 1000);
	out_fmt(c, "\n\t  Required min Rx Interval:   %4u ms", get_be32(c, bp + 16) / 1000);
	out_fmt(c, "\n\t  Required min Echo Interval: %4u ms", get_be32(c, bp + 20) / 1000);
	if (flags & BFD_FLAG_AUTH)
		c->last = "udp-app"; /* the authentication section is not decoded */
}

void print_bfd(struct pctx *c, const uint8_t *bp, unsigned len, unsigned dport)
{
	c->proto = "bfd";
	c->last = "bfd";
	if (dport == BFD_ECHO_PORT) {
		/* RFC 5880 5: the echo payload is the sender's own */
		out_fmt(c, "BFD, Echo, length: %u", len);
		if (c->o->vflag >= 1)
			udpapp_unknown_data(c, bp, "\n\t", len);
		return;
	}
	pc_need(c, bp, BFD_HEADER_LEN);
	unsigned version = get_u8(c, bp) >> 5;
	const char *port = dport == BFD_CONTROL_PORT ? "Control" : "Multihop";
	if (version == 1) {
		bfd_v1(c, bp, len, port);
		return;
	}
	if (version == 0 && dport == BFD_CONTROL_PORT) {
		c->last = "udp-app"; /* draft-ietf-bfd-base-00 packets: not decoded */
		out_fmt(c, "BFDv0, %s, length: %u", port, len);
		return;
	}
	out_fmt(c, "BFDv%u, %s, length: %u", version, port, len);
	if (c->o->vflag >= 1)
		udpapp_unknown_data(c, bp, "\n\t", len);
}
