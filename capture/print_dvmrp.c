/* capture/print_dvmrp.c: DVMRP (RFC 1075, draft-ietf-idmr-dvmrp-v3)
 * inside IGMP type 0x13, as tcpdump's print-dvmrp.c prints it. */
#include "print_ipapp.h"

#define IGMP_HDR_LEN 8

/* draft-ietf-idmr-dvmrp-v3 A: codes in the IGMP code byte. */
enum {
	DVMRP_PROBE = 1,
	DVMRP_REPORT = 2,
	DVMRP_ASK_NEIGHBORS = 3,
	DVMRP_NEIGHBORS = 4,
	DVMRP_ASK_NEIGHBORS2 = 5,
	DVMRP_NEIGHBORS2 = 6,
	DVMRP_PRUNE = 7,
	DVMRP_GRAFT = 8,
	DVMRP_GRAFT_ACK = 9,
};

/* Neighbor flags (mrinfo's Neighbors2). */
static const struct tok neighbor_flags[] = {
	{ 0x01, "/tunnel" }, { 0x02, "/srcrt" }, { 0x40, "/querier" }, { 0x20, "/disabled" }, { 0x10, "/down" },
	{ 0, NULL },
};

/* -1 when malformed. */
static int dvmrp_probe(struct pctx *c, const uint8_t *bp, unsigned len)
{
	if (len < 4) {
		out_fmt(c, " [full length %u < 4]", len);
		return -1;
	}
	out_str(c, c->o->vflag > 1 ? "\n\t" : " ");
	out_fmt(c, "genid %u", get_be32(c, bp));
	bp += 4;
	len -= 4;
	if (c->o->vflag < 2)
		return 0;
	while (len > 0 && pc_avail(c, bp) > 0) {
		if (len < 4) {
			out_fmt(c, "[remaining length %u < 4]", len);
			return -1;
		}
		out_ip4_after(c, "\n\tneighbor ", bp);
		bp += 4;
		len -= 4;
	}
	return 0;
}

/* Old-style neighbors: local address, metric, threshold, count, list. */
static int dvmrp_neighbors(struct pctx *c, const uint8_t *bp, unsigned len)
{
	while (len > 0) {
		if (len < 7) {
			out_fmt(c, " [length %u < 7]", len);
			return -1;
		}
		const uint8_t *laddr = bp;
		unsigned metric = get_u8(c, bp + 4), thresh = get_u8(c, bp + 5);
		int ncount = get_u8(c, bp + 6);
		bp += 7;
		len -= 7;
		while (--ncount >= 0) {
			if (len < 4) {
				out_fmt(c, " [length %u < 4]", len);
				return -1;
			}
			out_ip4_after(c, " [", laddr);
			out_str(c, " ->");
			out_ip4_after(c, " ", bp);
			out_fmt(c, ", (%u/%u)]", metric, thresh);
			bp += 4;
			len -= 4;
		}
	}
	return 0;
}

static int dvmrp_neighbors2(struct pctx *c, const uint8_t *bp, unsigned len, unsigned major, unsigned minor)
{
	out_fmt(c, " (v %u.%u):", major, minor);
	while (len > 0) {
		if (len < 8) {
			out_fmt(c, " [length %u < 8]", len);
			return -1;
		}
		const uint8_t *laddr = bp;
		unsigned metric = get_u8(c, bp + 4), thresh = get_u8(c, bp + 5);
		unsigned flags = get_u8(c, bp + 6);
		int ncount = get_u8(c, bp + 7);
		bp += 8;
		len -= 8;
		while (--ncount >= 0 && len > 0) {
			if (len < 4) {
				out_fmt(c, " [length %u < 4]", len);
				return -1;
			}
			out_str(c, " [");
			out_ip4(c, laddr);
			out_str(c, " -> ");
			out_ip4(c, bp);
			out_fmt(c, " (%u/%u", metric, thresh);
			for (const struct tok *f = neighbor_flags; f->s; f++)
				if (flags & f->v)
					out_str(c, f->s);
			out_str(c, ")]");
			bp += 4;
			len -= 4;
		}
		if (ncount != -1) {
			out_str(c, " [invalid ncount]");
			return -1;
		}
	}
	return 0;
}

/* An address in host order as dotted quad. */
static void out_ip4_host(struct pctx *c, uint32_t a)
{
	out_fmt(c, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

/* RFC 1075 3.4 route reports: a 3-byte mask (the first octet 255 is
 * implied), then origins as wide as the mask's significant octets, each
 * with a metric whose high bit ends the list for that mask. */
static int dvmrp_report(struct pctx *c, const uint8_t *bp, unsigned len)
{
	while (len > 0) {
		if (len < 3) {
			out_fmt(c, " [length %u < 3]", len);
			return -1;
		}
		unsigned m0 = get_u8(c, bp), m1 = get_u8(c, bp + 1), m2 = get_u8(c, bp + 2);
		uint32_t mask = 0xffu << 24 | m0 << 16 | m1 << 8 | m2;
		unsigned width = m2 ? 4 : m1 ? 3 : m0 ? 2 : 1;
		out_str(c, "\n\tMask ");
		out_ip4_host(c, mask);
		bp += 3;
		len -= 3;
		unsigned done;
		do {
			if (len < width + 1) {
				out_str(c, "\n\t  [Truncated Report]");
				return -1;
			}
			uint32_t origin = 0;
			unsigned i;
			for (i = 0; i < width; i++)
				origin = origin << 8 | get_u8(c, bp++);
			for (; i < 4; i++)
				origin <<= 8;
			unsigned metric = get_u8(c, bp++);
			done = metric & 0x80;
			out_str(c, "\n\t  ");
			out_ip4_host(c, origin);
			out_fmt(c, " metric %u", metric & 0x7f);
			len -= width + 1;
		} while (!done);
	}
	return 0;
}

/* Prune, graft and graft-ack: source and group; a prune adds its
 * lifetime. */
static void dvmrp_src_grp(struct pctx *c, const uint8_t *bp, int timer)
{
	pc_need(c, bp, 8); /* both read before either is printed */
	out_str(c, " src ");
	out_ip4(c, bp);
	out_str(c, " grp ");
	out_ip4(c, bp + 4);
	if (timer) {
		out_str(c, " timer ");
		out_relts(c, get_be32(c, bp + 8));
	}
}

void print_dvmrp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "dvmrp";
	c->last = "dvmrp";
	if (len < IGMP_HDR_LEN) {
		out_fmt(c, " [length %u < 8]", len);
		out_invalid(c);
		return;
	}
	unsigned type = get_u8(c, bp + 1);
	const uint8_t *igmp = bp;
	bp += IGMP_HDR_LEN;
	len -= IGMP_HDR_LEN;
	int rc = 0;
	switch (type) {
	case DVMRP_PROBE:
		out_str(c, " Probe");
		if (c->o->vflag)
			rc = dvmrp_probe(c, bp, len);
		break;
	case DVMRP_REPORT:
		out_str(c, " Report");
		if (c->o->vflag > 1)
			rc = dvmrp_report(c, bp, len);
		break;
	case DVMRP_ASK_NEIGHBORS:
		out_str(c, " Ask-neighbors(old)");
		break;
	case DVMRP_NEIGHBORS:
		out_str(c, " Neighbors(old)");
		rc = dvmrp_neighbors(c, bp, len);
		break;
	case DVMRP_ASK_NEIGHBORS2:
		out_str(c, " Ask-neighbors2");
		break;
	case DVMRP_NEIGHBORS2:
		out_str(c, " Neighbors2");
		/* the version sits in the IGMP group address field */
		rc = dvmrp_neighbors2(c, bp, len, get_u8(c, igmp + 7), get_u8(c, igmp + 6));
		break;
	case DVMRP_PRUNE:
		out_str(c, " Prune");
		dvmrp_src_grp(c, bp, 1);
		break;
	case DVMRP_GRAFT:
		out_str(c, " Graft");
		dvmrp_src_grp(c, bp, 0);
		break;
	case DVMRP_GRAFT_ACK:
		out_str(c, " Graft-ACK");
		dvmrp_src_grp(c, bp, 0);
		break;
	default:
		out_fmt(c, " [type %u]", type);
		break;
	}
	if (rc < 0)
		out_invalid(c);
}
