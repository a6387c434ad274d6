/* capture/print_igmp.c: IGMP v1/v2/v3 (RFC 1112, 2236, 3376) as
 * tcpdump's print-igmp.c prints it, with mtrace; DVMRP and PIMv1 go to
 * their printers. */
#include "print_ipapp.h"

static void v3_query(struct pctx *c, const uint8_t *bp, unsigned len)
{
	if (len < 12 || (len & 3)) {
		out_fmt(c, " [invalid len %u]", len);
		return;
	}
	unsigned mrc = get_u8(c, bp + 1), mrt;
	/* RFC 3376 4.1.1: exponential form from 128 on */
	mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
	if (mrc != 100) {
		out_str(c, " [max resp time ");
		if (mrt < 600)
			out_fmt(c, "%.1fs", mrt * 0.1);
		else
			out_relts(c, mrt / 10);
		out_char(c, ']');
	}
	if (get_be32(c, bp + 4) == 0)
		return;
	out_ip4_after(c, " [gaddr ", bp + 4);
	unsigned nsrcs = get_be16(c, bp + 10);
	if (nsrcs > 0) {
		if (len < 12 + (nsrcs << 2)) {
			out_str(c, " [invalid number of sources]");
		} else if (c->o->vflag > 1) {
			out_str(c, " {");
			for (unsigned i = 0; i < nsrcs; i++) {
				out_ip4_after(c, " ", bp + 12 + (i << 2));
			}
			out_str(c, " }");
		} else {
			out_fmt(c, ", %u source(s)", nsrcs);
		}
	}
	out_char(c, ']');
}

static void v3_report(struct pctx *c, const uint8_t *bp, unsigned len)
{
	static const struct tok rtypes[] = {
		{ 1, "is_in" }, { 2, "is_ex" }, { 3, "to_in" }, { 4, "to_ex" }, { 5, "allow" }, { 6, "block" },
		{ 0, NULL },
	};
	char buf[32];
	if (len < 16 || (len & 3)) {
		out_fmt(c, " [invalid len %u]", len);
		return;
	}
	unsigned ngroups = get_be16(c, bp + 6);
	out_fmt(c, ", %u group record(s)", ngroups);
	if (!c->o->vflag)
		return;
	unsigned group = 8;
	for (unsigned i = 0; i < ngroups; i++) {
		if (len < group + 8) {
			out_str(c, " [invalid number of groups]");
			return;
		}
		out_ip4_after(c, " [gaddr ", bp + group + 4);
		out_fmt(c, " %s", tok2str(rtypes, " [v3-report-#%u]", get_u8(c, bp + group), buf, sizeof(buf)));
		unsigned nsrcs = get_be16(c, bp + group + 2);
		if (len < group + 8 + (nsrcs << 2)) {
			out_fmt(c, " [invalid number of sources %u]", nsrcs);
			return;
		}
		if (c->o->vflag == 1) {
			out_fmt(c, ", %u source(s)", nsrcs);
		} else {
			out_str(c, " {");
			for (unsigned j = 0; j < nsrcs; j++) {
				out_ip4_after(c, " ", bp + group + 8 + (j << 2));
			}
			out_str(c, " }");
		}
		group += 8 + (nsrcs << 2);
		out_char(c, ']');
	}
}

/* IGMP types carrying other protocols (RFC 1075, the PIMv1 draft). */
#define IGMP_DVMRP 0x13
#define IGMP_PIMV1 0x14

void print_igmp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "igmp";
	c->last = "igmp";
	if (c->o->qflag) {
		out_str(c, "igmp");
		return;
	}
	unsigned type = get_u8(c, bp);
	switch (type) {
	case 0x11:
		out_str(c, "igmp query");
		if (len >= 12) {
			out_str(c, " v3");
			v3_query(c, bp, len);
		} else {
			unsigned mrt = get_u8(c, bp + 1);
			if (mrt) {
				out_str(c, " v2");
				if (mrt != 100)
					out_fmt(c, " [max resp time %u]", mrt);
			} else {
				out_str(c, " v1");
			}
			if (get_be32(c, bp + 4)) {
				out_ip4_after(c, " [gaddr ", bp + 4);
				out_char(c, ']');
			}
			if (len != 8)
				out_fmt(c, " [len %u]", len);
		}
		break;
	case 0x12:
		out_ip4_after(c, "igmp v1 report ", bp + 4);
		if (len != 8)
			out_fmt(c, " [len %u]", len);
		break;
	case 0x16:
		out_ip4_after(c, "igmp v2 report ", bp + 4);
		break;
	case 0x22:
		out_str(c, "igmp v3 report");
		v3_report(c, bp, len);
		break;
	case 0x17:
		out_ip4_after(c, "igmp leave ", bp + 4);
		break;
	case 0x1e:
	case 0x1f: {
		/* draft-ietf-idmr-traceroute-ipm 3: query/request header
		 * after the IGMP header: source, destination, response
		 * address, response TTL and 24-bit query ID. */
		if (len < 8 + 16) {
			out_fmt(c, " [invalid len %u]", len);
			break;
		}
		const uint8_t *tr = bp + 8;
		pc_need(c, tr, 16); /* tcpdump reads every field before the line */
		out_fmt(c, "%s %u: ", type == 0x1f ? "mtrace" : "mtrace-resp", get_be24(c, tr + 13));
		out_ip4(c, tr);
		out_str(c, " to ");
		out_ip4(c, tr + 4);
		out_str(c, " reply-to ");
		out_ip4(c, tr + 8);
		if ((get_u8(c, tr + 8) & 0xf0) == 0xe0) /* a multicast response address */
			out_fmt(c, " with-ttl %u", get_u8(c, tr + 12));
		break;
	}
	case IGMP_DVMRP:
		out_str(c, "igmp dvmrp");
		if (len < 8)
			out_fmt(c, " [len %u]", len);
		else
			print_dvmrp(c, bp, len);
		break;
	case IGMP_PIMV1:
		out_str(c, "igmp pimv1");
		print_pimv1(c, bp, len);
		break;
	default:
		out_fmt(c, "igmp-%u", type);
		break;
	}
	if (c->o->vflag && len >= 4 && pc_has(c, bp, len) && cksum_fold(cksum_add(0, bp, len)) != 0)
		out_fmt(c, " bad igmp cksum %x!", get_be16(c, bp + 2));
}
