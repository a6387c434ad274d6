/* capture/print_arp.c: ARP and RARP (RFC 826, RFC 903; the Inverse ARP
 * codes of RFC 2390), as tcpdump's print-arp.c prints them. */
#include "print_get.h"

static const struct tok arpop_names[] = {
	{ 1, "Request" },         { 2, "Reply" },          { 3, "Reverse Request" },
	{ 4, "Reverse Reply" },   { 8, "Inverse Request" }, { 9, "Inverse Reply" },
	{ 10, "NACK Reply" },     { 0, NULL },
};

static const struct tok arphrd_names[] = {
	{ 1, "Ethernet" },  { 6, "TokenRing" }, { 7, "ArcNet" },   { 15, "FrameRelay" },
	{ 19, "ATM" },      { 23, "Strip" },    { 24, "IEEE 1394" }, { 0, NULL },
};

/* tcpdump's linkaddr_string for a MAC-48 link: colon-separated hex. */
static void linkaddr(struct pctx *c, const uint8_t *p, unsigned len)
{
	if (len == 0) {
		out_str(c, "<empty>");
		return;
	}
	pc_need(c, p, len);
	if (len == 6) {
		out_mac(c, p);
		return;
	}
	for (unsigned i = 0; i < len; i++)
		out_fmt(c, i ? ":%02x" : "%02x", p[i]);
}

/* ITU-T Q.922 address as tcpdump's q922_string: "DLCI n" from a 2-, 3-
 * or 4-byte address (the EA bit, 0x01, ends it), "<Invalid DLCI>" when
 * it ends too early or runs past 4 bytes, "<Truncated>" past LEN. */
#define Q922_EA 0x01
static void q922_addr(struct pctx *c, const uint8_t *p, unsigned len)
{
	if (len < 1)
		goto truncated;
	if (get_u8(c, p) & Q922_EA)
		goto invalid;
	if (len < 2)
		goto truncated;
	unsigned dlci = (get_u8(c, p) & 0xfcu) << 2 | (get_u8(c, p + 1) & 0xf0u) >> 4;
	if (get_u8(c, p + 1) & Q922_EA)
		goto done;
	p += 2;
	len -= 2;
	if (len < 1)
		goto truncated;
	if (!(get_u8(c, p) & Q922_EA)) { /* a 4-byte address */
		dlci = dlci << 7 | get_u8(c, p) >> 1;
		p++;
		len--;
	}
	if (len < 1)
		goto truncated;
	if (!(get_u8(c, p) & Q922_EA))
		goto invalid;
	dlci = dlci << 6 | get_u8(c, p) >> 2;
done:
	out_fmt(c, "DLCI %u", dlci);
	return;
invalid:
	out_str(c, "<Invalid DLCI>");
	return;
truncated:
	out_str(c, "<Truncated>");
}

#define ARPHRD_FRELAY 15
/* A hardware address of the ARP's hardware type: Frame Relay's are
 * Q.922 addresses (tcpdump's LINKADDR_FRELAY), others MAC-style hex. */
static void arp_hwaddr(struct pctx *c, const uint8_t *p, unsigned len, unsigned hrd)
{
	if (hrd == ARPHRD_FRELAY && len) {
		pc_need(c, p, len);
		q922_addr(c, p, len);
		return;
	}
	linkaddr(c, p, len);
}

static void paddr(struct pctx *c, const uint8_t *p, uint16_t pro, unsigned plen)
{
	if (pro != 0x0800 && pro != 0x1000)
		out_str(c, "<wrong proto type>");
	else if (plen != 4)
		out_str(c, "<wrong len>");
	else
		out_ip4(c, p);
}

/* RFC 2225 8.7 ATMARP: type/length octets instead of hardware lengths. */
#define ARPHRD_ATM2225 19
#define ATMARP_HDR_LEN 12
#define ATMARP_LEN_MASK 0x3f /* the low 6 bits of a type/length octet */

/* An ATM number and its optional subaddress ("<No address>" if none). */
static void atmarp_addr(struct pctx *c, const uint8_t *ha, unsigned ha_len, const uint8_t *sa,
			unsigned sa_len)
{
	if (ha_len == 0) {
		out_str(c, "<No address>");
		return;
	}
	linkaddr(c, ha, ha_len);
	if (sa_len) {
		out_char(c, ',');
		linkaddr(c, sa, sa_len);
	}
}

static void atmarp_paddr(struct pctx *c, const uint8_t *p, uint16_t pro, unsigned plen,
			 const char *wrong_len)
{
	if (pro != 0x0800 && pro != 0x1000)
		out_str(c, "<wrong proto type>");
	else if (plen != 4)
		out_str(c, wrong_len);
	else
		out_ip4(c, p);
}

/* tcpdump's atmarp_print: the whole fixed header, then every address,
 * must be captured before anything is printed. */
static void print_atmarp(struct pctx *c, const uint8_t *p, unsigned len)
{
	char b1[48], b2[48];
	pc_need(c, p, ATMARP_HDR_LEN);
	uint16_t hrd = get_be16(c, p), pro = get_be16(c, p + 2), op = get_be16(c, p + 6);
	unsigned shl = p[4] & ATMARP_LEN_MASK, ssl = p[5] & ATMARP_LEN_MASK, spl = p[8];
	unsigned thl = p[9] & ATMARP_LEN_MASK, tsl = p[10] & ATMARP_LEN_MASK, tpl = p[11];
	const uint8_t *sha = p + ATMARP_HDR_LEN, *ssa = sha + shl, *spa = ssa + ssl;
	const uint8_t *tha = spa + spl, *tsa = tha + thl, *tpa = tsa + tsl;
	pc_need(c, tpa, tpl);
	if (!c->o->eflag)
		out_str(c, "ARP, ");
	if ((pro != 0x0800 && pro != 0x1000) || spl != 4 || tpl != 4 || c->o->vflag) {
		out_fmt(c, "%s, %s (len %u/%u)",
			tok2str(arphrd_names, "Unknown Hardware (%u)", hrd, b1, sizeof(b1)),
			tok2str(ethertype_names, "Unknown Protocol (0x%04x)", pro, b2, sizeof(b2)), spl, tpl);
		if (!c->o->vflag)
			goto out;
	}
	out_fmt(c, "%s%s ", c->o->vflag ? ", " : "", tok2str(arpop_names, "Unknown (%u)", op, b1, sizeof(b1)));
	switch (op) {
	case 1:
		out_str(c, "who-has ");
		atmarp_paddr(c, tpa, pro, tpl, "<wrong tplen>");
		if (thl) {
			out_str(c, " (");
			atmarp_addr(c, tha, thl, tsa, tsl);
			out_char(c, ')');
		}
		out_str(c, " tell ");
		atmarp_paddr(c, spa, pro, spl, "<wrong splen>");
		break;
	case 2:
		atmarp_paddr(c, spa, pro, spl, "<wrong splen>");
		out_str(c, " is-at ");
		atmarp_addr(c, sha, shl, ssa, ssl);
		break;
	case 8:
		out_str(c, "who-is ");
		atmarp_addr(c, tha, thl, tsa, tsl);
		out_str(c, " tell ");
		atmarp_addr(c, sha, shl, ssa, ssl);
		break;
	case 9:
		atmarp_addr(c, sha, shl, ssa, ssl);
		out_str(c, "at ");
		atmarp_paddr(c, spa, pro, spl, "<wrong splen>");
		break;
	case 10:
		out_str(c, "for ");
		atmarp_paddr(c, spa, pro, spl, "<wrong splen>");
		break;
	default:
		out_hexascii(c, p, pc_avail(c, p));
		return;
	}
out:
	out_fmt(c, ", length %u", len);
}

void print_arp(struct pctx *c, const uint8_t *p, unsigned len)
{
	char b1[48], b2[48];
	c->proto = "arp";
	c->last = "arp";
	pc_need(c, p, 8);
	uint16_t hrd = get_be16(c, p), pro = get_be16(c, p + 2), op = get_be16(c, p + 6);
	unsigned hln = get_u8(c, p + 4), pln = get_u8(c, p + 5);
	if (hrd == ARPHRD_ATM2225) {
		print_atmarp(c, p, len);
		return;
	}
	const uint8_t *sha = p + 8, *spa = sha + hln, *tha = spa + pln, *tpa = tha + hln;
	pc_need(c, tpa, pln);
	if (!c->o->eflag)
		out_str(c, "ARP, ");
	if ((pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0 || c->o->vflag) {
		out_fmt(c, "%s (len %u), %s (len %u)",
			tok2str(arphrd_names, "Unknown Hardware (%u)", hrd, b1, sizeof(b1)), hln,
			tok2str(ethertype_names, "Unknown Protocol (0x%04x)", pro, b2, sizeof(b2)), pln);
		if (!c->o->vflag)
			goto out;
	}
	out_fmt(c, "%s%s ", c->o->vflag ? ", " : "", tok2str(arpop_names, "Unknown (%u)", op, b1, sizeof(b1)));
	switch (op) {
	case 1:
		out_str(c, "who-has ");
		paddr(c, tpa, pro, pln);
		for (unsigned i = 0; i < hln; i++) {
			if (get_u8(c, tha + i)) {
				out_str(c, " (");
				arp_hwaddr(c, tha, hln, hrd);
				out_char(c, ')');
				break;
			}
		}
		out_str(c, " tell ");
		paddr(c, spa, pro, pln);
		break;
	case 2:
		paddr(c, spa, pro, pln);
		out_str(c, " is-at ");
		arp_hwaddr(c, sha, hln, hrd);
		break;
	case 3:
	case 8:
		out_str(c, "who-is ");
		arp_hwaddr(c, tha, hln, hrd);
		out_str(c, " tell ");
		arp_hwaddr(c, sha, hln, hrd);
		break;
	case 4:
		arp_hwaddr(c, tha, hln, hrd);
		out_str(c, " at ");
		paddr(c, tpa, pro, pln);
		break;
	case 9:
		arp_hwaddr(c, sha, hln, hrd);
		out_str(c, " at ");
		paddr(c, spa, pro, pln);
		break;
	default:
		/* tcpdump calls ND_DEFAULTPRINT itself here: the hex and
		 * ASCII dump of what was captured, even under -x/-X/-q/-A. */
		out_hexascii(c, p, pc_avail(c, p));
		return;
	}
out:
	out_fmt(c, ", length %u", len);
}
