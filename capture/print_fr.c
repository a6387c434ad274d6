/* capture/print_fr.c: LINKTYPE_FRELAY (107), Frame Relay (ITU-T Q.922
 * address, RFC 2427 multiprotocol encapsulation) as tcpdump 4.99.3's
 * print-fr.c prints it: the Q.922 address, then either a Cisco-style
 * EtherType or the UI control byte, optional pad and NLPID. IPv4,
 * IPv6 and PPP payloads are decoded; OSI, SNAP, Q.933 and FRF.15 are
 * tagged "fr-other". */
#include "print_ppp.h"

#define FR_EA_BIT 0x01
#define FR_LLC_UI 0x03 /* RFC 2427 control field: unnumbered information */

/* The 32-bit flags word tcpdump builds from the address bytes. */
#define FR_CR_BIT 0x02000000
#define FR_DE_BIT 0x00020000
#define FR_BECN_BIT 0x00040000
#define FR_FECN_BIT 0x00080000
#define FR_SDLC_BIT 0x00000002

/* ISO/IEC TR 9577 network layer protocol identifiers. */
enum {
	NLPID_Q933 = 0x08,
	NLPID_SNAP = 0x80,
	NLPID_CLNP = 0x81,
	NLPID_ESIS = 0x82,
	NLPID_ISIS = 0x83,
	NLPID_IP6 = 0x8e,
	NLPID_MFR = 0xb1,
	NLPID_IP = 0xcc,
	NLPID_PPP = 0xcf,
};

static const struct tok nlpid_names[] = {
	{ 0x00, "NULL" },      { NLPID_Q933, "Q.933" }, { 0x09, "LMI" },        { NLPID_SNAP, "SNAP" },
	{ NLPID_CLNP, "CLNP" }, { NLPID_ESIS, "ES-IS" }, { NLPID_ISIS, "IS-IS" }, { 0x84, "CONS" },
	{ 0x85, "IDRP" },      { 0xc1, "ISIS_SPB" },    { NLPID_MFR, "FRF.15" }, { NLPID_IP, "IPv4" },
	{ NLPID_PPP, "PPP" },  { 0x8a, "X25 ES-IS" },   { NLPID_IP6, "IPv6" },  { 0, NULL },
};

struct q922_addr {
	unsigned dlci;
	unsigned len;    /* 2 to 4 bytes */
	uint32_t flags;  /* FR_*_BIT */
};

/* ITU-T Q.922 3.3: the address, its extension bits closing it; 1 when
 * parsed, 0 when invalid, -1 when cut short. */
static int fr_parse_addr(struct pctx *c, const uint8_t *p, unsigned length, struct q922_addr *a)
{
	if (!pc_has(c, p, 1) || length < 1)
		return -1;
	if (p[0] & FR_EA_BIT)
		return 0;
	if (!pc_has(c, p, 2) || length < 2)
		return -1;
	a->len = 2;
	a->dlci = (unsigned)((p[0] & 0xfc) << 2) | ((p[1] & 0xf0) >> 4);
	a->flags = (uint32_t)(p[0] & 0x02) << 24 | (uint32_t)(p[1] & 0x0e) << 16;
	if (p[1] & FR_EA_BIT)
		return 1;
	p += 2;
	length -= 2;
	if (!pc_has(c, p, 1) || length < 1)
		return -1;
	a->len++;
	if (!(p[0] & FR_EA_BIT)) { /* a 4-byte address */
		a->dlci = a->dlci << 7 | p[0] >> 1;
		a->len++;
		p++;
		length--;
	}
	if (!pc_has(c, p, 1) || length < 1)
		return -1;
	if (!(p[0] & FR_EA_BIT))
		return 0; /* longer than 4 bytes */
	a->flags |= p[0] & 0x02;
	a->dlci = a->dlci << 6 | p[0] >> 2;
	return 1;
}

/* tcpdump's fr_hdr_print: TYPE is an NLPID when under 256, else an
 * EtherType. */
static void fr_print_hdr(struct pctx *c, unsigned length, unsigned addr_len, const struct q922_addr *a, unsigned type)
{
	static const struct tok flag_names[] = {
		{ FR_CR_BIT, "C!" },     { FR_DE_BIT, "DE" },        { FR_BECN_BIT, "BECN" },
		{ FR_FECN_BIT, "FECN" }, { FR_SDLC_BIT, "sdlcore" }, { 0, NULL },
	};
	if (c->o->qflag) {
		out_fmt(c, "Q.922, DLCI %u, length %u: ", a->dlci, length);
		return;
	}
	out_fmt(c, "Q.922, hdr-len %u, DLCI %u, Flags [", addr_len, a->dlci);
	out_bitnames(c, flag_names, a->flags, "none");
	const char *name;
	if (type <= 0xff) {
		name = tok_find(nlpid_names, type);
		out_fmt(c, "], NLPID %s (0x%02x), length %u: ", name ? name : "unknown", type, length);
	} else {
		name = tok_find(ethertype_names, type);
		out_fmt(c, "], cisco-ethertype %s (0x%04x), length %u: ", name ? name : "unknown", type, length);
	}
}

/* Cisco encapsulation: an EtherType right after the address. 1 when
 * printed (the header is ADDR_LEN + 2 bytes). */
static int fr_print_cisco(struct pctx *c, const uint8_t *p, unsigned length, const struct q922_addr *a)
{
	const uint8_t *et = p + a->len;
	if (pc_has(c, et, 2) && length >= a->len + 2) {
		unsigned type = get_be16(c, et);
		if (c->o->eflag)
			fr_print_hdr(c, length, a->len, a, type);
		const uint8_t *payload = et + 2;
		if (print_ethertype(c, (uint16_t)type, payload, length - a->len - 2, (unsigned)pc_avail(c, payload)))
			return 1;
	}
	out_fmt(c, "UI %02x! ", et[0]);
	return 0;
}

static void fr_print_nlpid(struct pctx *c, unsigned nlpid, const uint8_t *p, unsigned length, unsigned hdr_len,
			   const struct q922_addr *a)
{
	switch (nlpid) {
	case NLPID_IP:
		print_ip(c, p, length);
		break;
	case NLPID_IP6:
		print_ip6(c, p, length);
		break;
	case NLPID_PPP:
		ppp_print_frame(c, p, length);
		break;
	case NLPID_CLNP:
	case NLPID_ESIS:
	case NLPID_ISIS:
	case NLPID_SNAP:
	case NLPID_Q933:
	case NLPID_MFR:
		/* tcpdump decodes these; bpfcap does not yet */
		c->last = "fr-other";
		break;
	default:
		if (!c->o->eflag)
			fr_print_hdr(c, length + hdr_len, a->len, a, nlpid);
		/* tcpdump dumps it unless -x is on, whatever -q says */
		if (c->o->dump_mode != PRINT_DUMP_HEX && c->o->dump_mode != PRINT_DUMP_HEX_LL)
			out_hexascii(c, p, length);
	}
}

/* tcpdump's fr_print: the header length, 0 when invalid or cut short. */
static unsigned fr_print(struct pctx *c, const uint8_t *p, unsigned length)
{
	struct q922_addr a = { 0, 0, 0 };
	int r = fr_parse_addr(c, p, length, &a);
	if (r < 0)
		goto trunc;
	if (r == 0) {
		out_str(c, "Q.922, invalid address");
		return 0;
	}
	if (!pc_has(c, p + a.len, 1) || length < a.len + 1)
		goto trunc;
	if (p[a.len] != FR_LLC_UI && a.dlci != 0 && fr_print_cisco(c, p, length, &a))
		return a.len + 2;
	if (!pc_has(c, p + a.len + 1, 1) || length < a.len + 2)
		goto trunc;
	unsigned hdr_len;
	if (p[a.len + 1] == 0) { /* a pad byte, expected with 3-byte addresses only */
		if (a.len != 3)
			out_str(c, "Pad! ");
		hdr_len = a.len + 3;
	} else {
		if (a.len == 3)
			out_str(c, "No pad! ");
		hdr_len = a.len + 2;
	}
	if (!pc_has(c, p + hdr_len - 1, 1) || length < hdr_len)
		goto trunc;
	unsigned nlpid = p[hdr_len - 1];
	if (c->o->eflag)
		fr_print_hdr(c, length, a.len, &a, nlpid);
	fr_print_nlpid(c, nlpid, p + hdr_len, length - hdr_len, hdr_len, &a);
	return hdr_len;
trunc:
	out_trunc(c);
	return 0;
}

#define FR_MIN_HDRLEN 4

unsigned print_fr(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "fr";
	c->last = "fr";
	if (caplen < FR_MIN_HDRLEN) {
		out_trunc(c);
		return caplen;
	}
	return fr_print(c, p, len);
}
