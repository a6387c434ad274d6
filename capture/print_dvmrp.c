/* capture/print_dvmrp.c: DVMRP (RFC 1075, draft-ietf-idmr-dvmrp-v3)
 * inside IGMP type 0x13, as tcpdump's print-dvmrp.c prints it. The -vv
 * route report listing is not decoded yet (tagged "igmp-other"). */
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
		out_fmt(c, " [full length %u]", len);
		return -1;
	}
	unsigned genid = get_be32(c, bp);
	bp += 4;
	len -= 4;
	out_str(c, c->o->vflag > 1 ? "\n\t" : " ");
	out_fmt(c, "genid %u", genid);
	if (c->o->vflag < 2)
		return 0;
	while (len > 0 && pc_avail(c, bp) > 0) {
		out_str(c, "\n\tneighbor ");
		out_ip4(c, bp);
		bp += 4;
		len -= 4; /* wraps as tcpdump's does: on to the capture's end */
	}
	return 0;
}

/* Old-style neighbors: local address, metric, threshold, count, list. */
static int dvmrp_neighbors(struct pctx *c, const uint8_t *bp, unsigned len)
{
	while (len > 0) {
		const uint8_t *laddr = bp;
		unsigned metric = get_u8(c, bp + 4), thresh = get_u8(c, bp + 5);
		int ncount = get_u8(c, bp + 6);
		bp += 7;
		len -= 7; /* wraps as tcpdump's does */
		while (--ncount >= 0) {
			out_str(c, " [");
			out_ip4(c, laddr);
			out_str(c, " ->");
			pc_need(c, bp, 4);
			out_char(c, ' ');
			out_ip4(c, bp);
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
	while (len >= 8) {
		const uint8_t *laddr = bp;
		unsigned metric = get_u8(c, bp + 4), thresh = get_u8(c, bp + 5);
		unsigned flags = get_u8(c, bp + 6);
		int ncount = get_u8(c, bp + 7);
		bp += 8;
		len -= 8;
		while (--ncount >= 0 && len >= 4 && pc_has(c, bp, 4)) {
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
			out_str(c, " [|]");
			return -1;
		}
	}
	return 0;
}

/* Prune, graft and graft-ack: source and group; a prune adds its
 * lifetime. */
static void dvmrp_src_grp(struct pctx *c, const uint8_t *bp, int timer)
{
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
			c->last = "igmp-other"; /* route reports: not decoded yet */
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
