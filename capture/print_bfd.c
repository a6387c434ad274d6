/* capture/print_bfd.c: BFD (RFC 5880 4.1 control packets over UDP,
 * RFC 5881 single hop 3784, RFC 5883 multihop 4784, echo 3785) as
 * tcpdump 4.99.3's print-bfd.c prints it: version 1 with its -v fields
 * and authentication section (RFC 5880 4.2), the draft's version 0 on
 * the control port, and the hex of the others and of echo packets. */
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

/* draft-katz-ward-bfd-02 flags (version 0), named as tcpdump does. */
static const struct tok bfd_v0_flags[] = {
	{ 0x80, "I Hear You" }, { 0x40, "Demand" }, { 0x20, "Poll" }, { 0x10, "Final" },
	{ 0x08, "Control Plane Independent" }, { 0x04, "Authentication Present" },
	{ 0x02, "Reserved" }, { 0x01, "Reserved" }, { 0, NULL },
};

/* RFC 5880 4.2 Auth Type. */
enum bfd_auth { AUTH_PASSWORD = 1, AUTH_MD5, AUTH_MET_MD5, AUTH_SHA1, AUTH_MET_SHA1 };
static const struct tok bfd_auth_types[] = {
	{ AUTH_PASSWORD, "Simple Password" }, { AUTH_MD5, "Keyed MD5" },
	{ AUTH_MET_MD5, "Meticulous Keyed MD5" }, { AUTH_SHA1, "Keyed SHA1" },
	{ AUTH_MET_SHA1, "Meticulous Keyed SHA1" }, { 0, NULL },
};
#define AUTH_HEADER_LEN 4u       /* type, length, key ID and one byte */
#define AUTH_PASSWORD_MIN_LEN 4u /* RFC 5880 4.2.2: 1 to 16 bytes of password, plus 3 */
#define AUTH_PASSWORD_MAX_LEN 19u
#define AUTH_MD5_LEN 24u         /* RFC 5880 4.3 */
#define AUTH_MD5_DIGEST_LEN 16u
#define AUTH_SHA1_LEN 28u        /* RFC 5880 4.4 */
#define AUTH_SHA1_HASH_LEN 20u

/* RFC 5880 4.1 P F C A D M, as tcpdump's bittok2str lists them. */
static const struct tok bfd_v1_flags[] = {
	{ 0x20, "Poll" }, { 0x10, "Final" }, { 0x08, "Control Plane Independent" },
	{ 0x04, "Authentication Present" }, { 0x02, "Demand" }, { 0x01, "Multipoint" },
	{ 0, NULL },
};

/* tcpdump's bittok2str: the names of the bits set, ", " between, or
 * "none". */
static void bfd_flag_names(struct pctx *c, const struct tok *names, unsigned flags)
{
	const char *sep = "";
	for (const struct tok *t = names; t->s; t++)
		if (flags & t->v) {
			out_fmt(c, "%s%s", sep, t->s);
			sep = ", ";
		}
	if (!*sep)
		out_str(c, "none");
}

/* RFC 5880 4.1: multiplier, length, discriminators and intervals (in
 * microseconds, printed in ms). */
static void bfd_timers(struct pctx *c, const uint8_t *bp)
{
	unsigned mult = get_u8(c, bp + 2);
	uint32_t tx = get_be32(c, bp + 12);
	out_fmt(c, "\n\tDetection Timer Multiplier: %u (%u ms Detection time), BFD Length: %u", mult,
		(uint32_t)(mult * tx) / 1000 /* 32 bits, as tcpdump */, get_u8(c, bp + 3));
	out_fmt(c, "\n\tMy Discriminator: 0x%08x", get_be32(c, bp + 4));
	out_fmt(c, ", Your Discriminator: 0x%08x", get_be32(c, bp + 8));
	out_fmt(c, "\n\t  Desired min Tx Interval:    %4u ms", tx / 1000);
	out_fmt(c, "\n\t  Required min Rx Interval:   %4u ms", get_be32(c, bp + 16) / 1000);
	out_fmt(c, "\n\t  Required min Echo Interval: %4u ms", get_be32(c, bp + 20) / 1000);
}

static void bfd_digest(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		out_fmt(c, "%02x", get_u8(c, p + i));
}

/* RFC 5880 4.2-4.4: type, length, key ID, then the password or the
 * sequence number and digest; a length that does not fit the type is
 * flagged and the rest skipped. */
static void bfd_auth(struct pctx *c, const uint8_t *ap)
{
	pc_need(c, ap, AUTH_HEADER_LEN);
	unsigned type = get_u8(c, ap), alen = get_u8(c, ap + 1);
	const char *name = tok_find(bfd_auth_types, type);
	out_fmt(c, "\n\tAuthentication: %s (%u), length: %u", name ? name : "Unknown", type, alen);
	out_fmt(c, "\n\t  Auth Key ID: %u", get_u8(c, ap + 2));
	switch (type) {
	case AUTH_PASSWORD:
		if (alen < AUTH_PASSWORD_MIN_LEN || alen > AUTH_PASSWORD_MAX_LEN) {
			out_fmt(c, "[invalid length %u]", alen);
			break;
		}
		out_str(c, ", Password: ");
		out_printjn(c, ap + 3, alen - 3);
		break;
	case AUTH_MD5:
	case AUTH_MET_MD5:
	case AUTH_SHA1:
	case AUTH_MET_SHA1: {
		int md5 = type == AUTH_MD5 || type == AUTH_MET_MD5;
		if (alen != (md5 ? AUTH_MD5_LEN : AUTH_SHA1_LEN)) {
			out_fmt(c, "[invalid length %u]", alen);
			break;
		}
		out_fmt(c, ", Sequence Number: 0x%08x", get_be32(c, ap + 4));
		unsigned n = md5 ? AUTH_MD5_DIGEST_LEN : AUTH_SHA1_HASH_LEN;
		pc_need(c, ap + 8, n);
		out_str(c, md5 ? "\n\t  Digest: " : "\n\t  Hash: ");
		bfd_digest(c, ap + 8, n);
		break;
	}
	default:
		break;
	}
}

static void bfd_v1(struct pctx *c, const uint8_t *bp, unsigned len, const char *port)
{
	char sbuf[32];
	unsigned vd = get_u8(c, bp), flags = get_u8(c, bp + 1);
	const char *state = tok2str(bfd_states, "unknown (%u)", flags >> 6, sbuf, sizeof(sbuf));
	if (c->o->vflag < 1) {
		out_fmt(c, "BFDv1, %s, State %s, Flags: [", port, state);
		bfd_flag_names(c, bfd_v1_flags, flags & 0x3f);
		out_fmt(c, "], length: %u", len);
		return;
	}
	out_fmt(c, "BFDv1, length: %u\n\t%s, State %s, Flags: [", len, port, state);
	bfd_flag_names(c, bfd_v1_flags, flags & 0x3f);
	const char *diag = tok_find(bfd_diags, vd & 0x1f);
	out_fmt(c, "], Diagnostic: %s (0x%02x)", diag ? diag : "unknown", vd & 0x1f);
	bfd_timers(c, bp);
	if (flags & BFD_FLAG_AUTH)
		bfd_auth(c, bp + BFD_HEADER_LEN);
}

/* Draft version 0: no state field, its own flags; tcpdump names the
 * port "Control" whichever it was. */
static void bfd_v0(struct pctx *c, const uint8_t *bp, unsigned len)
{
	unsigned vd = get_u8(c, bp), flags = get_u8(c, bp + 1);
	if (c->o->vflag < 1) {
		out_str(c, "BFDv0, Control, Flags: [");
		bfd_flag_names(c, bfd_v0_flags, flags);
		out_fmt(c, "], length: %u", len);
		return;
	}
	out_fmt(c, "BFDv0, length: %u\n\tControl, Flags: [", len);
	bfd_flag_names(c, bfd_v0_flags, flags);
	const char *diag = tok_find(bfd_diags, vd & 0x1f);
	out_fmt(c, "], Diagnostic: %s (0x%02x)", diag ? diag : "unknown", vd & 0x1f);
	bfd_timers(c, bp);
	if (flags & BFD_FLAG_AUTH)
		bfd_auth(c, bp + BFD_HEADER_LEN);
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
	if (version == 0) {
		bfd_v0(c, bp, len);
		return;
	}
	out_fmt(c, "BFDv%u, %s, length: %u", version, port, len);
	if (c->o->vflag >= 1)
		udpapp_unknown_data(c, bp, "\n\t", len);
}
