/* capture/print_gre.c: GRE as tcpdump 4.99.3's print-gre.c prints it —
 * version 0 (RFC 1701 source routes, RFC 2784, RFC 2890 key and
 * sequence number), the payload by its EtherType; version 1, PPTP's
 * enhanced GRE (RFC 2637 4.1), the payload a PPP frame. */
#include "print_ppp.h"

#define GRE_CP 0x8000 /* checksum present */
#define GRE_RP 0x4000 /* routing present (RFC 1701) */
#define GRE_KP 0x2000 /* key present */
#define GRE_SP 0x1000 /* sequence number present */
#define GRE_sP 0x0800 /* strict source route (RFC 1701) */
#define GRE_AP 0x0080 /* acknowledgment number present (RFC 2637) */
#define GRE_VERS_MASK 0x0007

/* RFC 1701 2.2.1 source route entry address families. */
#define GRESRE_IP 0x0800
#define GRESRE_ASN 0xfffe

/* EtherTypes tcpdump's GRE printer dispatches on. */
#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_MPLS 0x8847
#define ETHERTYPE_MPLS_MULTI 0x8848
#define ETHERTYPE_TEB 0x6558 /* transparent Ethernet bridging */
#define ETHERTYPE_PPP 0x880b
#define ETHERTYPE_IPX 0x8137
#define ETHERTYPE_ATALK 0x809b
#define ETHERTYPE_GRE_ISO 0x00fe
/* (4.99.3 prints NSH, CDP, NHRP and WCCP as "gre-proto-0x...") */

static void gre_print_flags(struct pctx *c, unsigned flags)
{
	static const struct tok names[] = {
		{ GRE_CP, "checksum present" }, { GRE_RP, "routing present" },
		{ GRE_KP, "key present" },      { GRE_SP, "sequence# present" },
		{ GRE_sP, "source routing present" }, { GRE_AP, "ack present" },
		{ 0, NULL },
	};
	const char *sep = "";
	out_str(c, ", Flags [");
	for (const struct tok *t = names; t->s; t++)
		if (flags & t->v) {
			out_str(c, sep);
			out_str(c, t->s);
			sep = ", ";
		}
	if (!*sep)
		out_str(c, "none");
	out_char(c, ']');
}

/* tcpdump checks the header's own length before each field: 0 (and
 * " [|gre]" printed) when LEN is under NEED. */
static int gre_has(struct pctx *c, unsigned len, unsigned need)
{
	if (len < need) {
		out_trunc(c);
		return 0;
	}
	return 1;
}

/* RFC 1701 2.2.1: a source route entry's addresses, the one at the
 * offset starred; 0 when an address was not captured (tcpdump closes
 * the parenthesis, then prints " [|gre]"). */
static int gre_print_sre_addrs(struct pctx *c, unsigned af, unsigned sreoff, unsigned srelen, const uint8_t *bp)
{
	unsigned unit = af == GRESRE_IP ? 4 : 2;
	if (sreoff & (unit - 1)) {
		out_fmt(c, ", badoffset=%u", sreoff);
		return 1;
	}
	if (srelen & (unit - 1)) {
		out_fmt(c, ", badlength=%u", srelen);
		return 1;
	}
	if (sreoff >= srelen) {
		out_fmt(c, ", badoff/len=%u/%u", sreoff, srelen);
		return 1;
	}
	for (unsigned off = 0; off < srelen; off += unit) {
		if (!pc_has(c, bp + off, unit))
			return 0;
		out_str(c, off == sreoff ? " *" : " ");
		if (unit == 4)
			out_ip4(c, bp + off);
		else
			out_fmt(c, "%x", get_be16(c, bp + off));
	}
	return 1;
}

/* One source route entry; 0 when cut short. */
static int gre_print_sre(struct pctx *c, unsigned af, unsigned sreoff, unsigned srelen, const uint8_t *bp)
{
	int ok;
	switch (af) {
	case GRESRE_IP:
		out_str(c, ", (rtaf=ip");
		ok = gre_print_sre_addrs(c, af, sreoff, srelen, bp);
		out_char(c, ')');
		return ok;
	case GRESRE_ASN:
		out_str(c, ", (rtaf=asn");
		ok = gre_print_sre_addrs(c, af, sreoff, srelen, bp);
		out_char(c, ')');
		return ok;
	default:
		out_fmt(c, ", (rtaf=0x%x)", af);
		return 1;
	}
}

/* The routing list up to its NULL entry; 0 when cut short. */
static int gre_print_routing(struct pctx *c, const uint8_t **bpp, unsigned *lenp)
{
	for (;;) {
		/* tcpdump tests the entry is captured (ND_TCHECK_4, its
		 * "trunc" exit: no longjmp) before testing the length. */
		if (!pc_has(c, *bpp, 4)) {
			out_trunc(c);
			return 0;
		}
		if (!gre_has(c, *lenp, 4))
			return 0;
		unsigned af = get_be16(c, *bpp);
		unsigned sreoff = get_u8(c, *bpp + 2), srelen = get_u8(c, *bpp + 3);
		*bpp += 4;
		*lenp -= 4;
		if (af == 0 && srelen == 0)
			return 1;
		if (!gre_print_sre(c, af, sreoff, srelen, *bpp)) {
			out_trunc(c);
			return 0;
		}
		if (!gre_has(c, *lenp, srelen))
			return 0;
		*bpp += srelen;
		*lenp -= srelen;
	}
}

static void gre_print_proto(struct pctx *c, unsigned prot)
{
	if (c->o->eflag) {
		const char *s = tok_find(ethertype_names, prot);
		out_fmt(c, ", proto %s (0x%04x)", s ? s : "unknown", prot);
	}
}

static void gre_print_payload0(struct pctx *c, unsigned prot, const uint8_t *bp, unsigned len)
{
	switch (prot) {
	case ETHERTYPE_IP:
		print_ip(c, bp, len);
		break;
	case ETHERTYPE_IPV6:
		print_ip6(c, bp, len);
		break;
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MULTI:
		print_mpls(c, bp, len);
		break;
	case ETHERTYPE_TEB:
		print_ether(c, bp, len, (unsigned)pc_avail(c, bp));
		break;
	case ETHERTYPE_ATALK: /* DDP without LLAP, as over Ethernet */
		if (print_atalk(c, (uint16_t)prot, bp, len, (unsigned)pc_avail(c, bp)))
			break;
		c->last = "gre-other";
		out_fmt(c, "gre-proto-0x%x", prot);
		break;
	case ETHERTYPE_IPX:
	case ETHERTYPE_GRE_ISO:
		c->last = "gre-other"; /* payloads tcpdump decodes; bpfcap does not yet */
		out_fmt(c, "gre-proto-0x%x", prot);
		break;
	default:
		out_fmt(c, "gre-proto-0x%x", prot);
	}
}

static void gre_print_v0(struct pctx *c, const uint8_t *bp, unsigned length)
{
	unsigned len = length;
	unsigned flags = get_be16(c, bp);
	if (c->o->vflag)
		gre_print_flags(c, flags);
	len -= 2;
	bp += 2;
	if (!gre_has(c, len, 2))
		return;
	unsigned prot = get_be16(c, bp);
	len -= 2;
	bp += 2;
	if (flags & (GRE_CP | GRE_RP)) {
		if (!gre_has(c, len, 2))
			return;
		if (c->o->vflag)
			out_fmt(c, ", sum 0x%x", get_be16(c, bp));
		bp += 2;
		len -= 2;
		if (!gre_has(c, len, 2))
			return;
		out_fmt(c, ", off 0x%x", get_be16(c, bp));
		bp += 2;
		len -= 2;
	}
	if (flags & GRE_KP) {
		if (!gre_has(c, len, 4))
			return;
		out_fmt(c, ", key=0x%x", get_be32(c, bp));
		bp += 4;
		len -= 4;
	}
	if (flags & GRE_SP) {
		if (!gre_has(c, len, 4))
			return;
		out_fmt(c, ", seq %u", get_be32(c, bp));
		bp += 4;
		len -= 4;
	}
	if ((flags & GRE_RP) && !gre_print_routing(c, &bp, &len))
		return;
	gre_print_proto(c, prot);
	out_fmt(c, ", length %u", length);
	out_str(c, c->o->vflag < 1 ? ": " : "\n\t");
	gre_print_payload0(c, prot, bp, len);
}

/* RFC 2637 4.1: the key field holds the payload length and call ID. */
static void gre_print_v1(struct pctx *c, const uint8_t *bp, unsigned length)
{
	unsigned len = length;
	unsigned flags = get_be16(c, bp);
	len -= 2;
	bp += 2;
	if (c->o->vflag)
		gre_print_flags(c, flags);
	if (!gre_has(c, len, 2))
		return;
	unsigned prot = get_be16(c, bp);
	len -= 2;
	bp += 2;
	if (flags & GRE_KP) {
		if (!gre_has(c, len, 4))
			return;
		out_fmt(c, ", call %u", get_be32(c, bp) & 0xffff);
		len -= 4;
		bp += 4;
	}
	if (flags & GRE_SP) {
		if (!gre_has(c, len, 4))
			return;
		out_fmt(c, ", seq %u", get_be32(c, bp));
		bp += 4;
		len -= 4;
	}
	if (flags & GRE_AP) {
		if (!gre_has(c, len, 4))
			return;
		out_fmt(c, ", ack %u", get_be32(c, bp));
		bp += 4;
		len -= 4;
	}
	if (!(flags & GRE_SP))
		out_str(c, ", no-payload");
	gre_print_proto(c, prot);
	out_fmt(c, ", length %u", length);
	if (!(flags & GRE_SP))
		return;
	out_str(c, c->o->vflag < 1 ? ": " : "\n\t");
	if (prot == ETHERTYPE_PPP)
		ppp_print_frame(c, bp, len);
	else
		out_fmt(c, "gre-proto-0x%x", prot);
}

void print_gre(struct pctx *c, const uint8_t *bp, unsigned length)
{
	c->proto = "gre";
	c->last = "gre";
	pc_need(c, bp, 2);
	if (!gre_has(c, length, 2))
		return;
	unsigned vers = get_be16(c, bp) & GRE_VERS_MASK;
	out_fmt(c, "GREv%u", vers);
	switch (vers) {
	case 0:
		gre_print_v0(c, bp, length);
		break;
	case 1:
		gre_print_v1(c, bp, length);
		break;
	default:
		out_str(c, " ERROR: unknown-version");
	}
}
