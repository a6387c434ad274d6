/* capture/print_pppoe.c: PPPoE discovery and session stages (RFC 2516)
 * as tcpdump 4.99.3's print-pppoe.c prints them: the discovery tags
 * (RFC 2516 appendix A) as text when mostly printable, hex otherwise;
 * the session payload as a PPP frame (print_ppp.h). */
#include "print_ppp.h"

#define PPPOE_HDRLEN 6
#define PPPOE_PADI 0x09
#define PPPOE_TAG_EOL 0x0000
/* tcpdump prints at most this many characters of a text tag. */
#define PPPOE_MAXTAGPRINT 79
/* RFC 2516 A: a PADI must not exceed 1484 octets with the headers. */
#define PPPOE_PADI_MAX (1484 - PPPOE_HDRLEN)

static const struct tok pppoe_codes[] = {
	{ PPPOE_PADI, "PADI" }, { 0x07, "PADO" }, { 0x19, "PADR" }, { 0x65, "PADS" }, { 0xa7, "PADT" },
	{ 0, "" }, /* session data */
	{ 0, NULL },
};

static const struct tok pppoe_tags[] = {
	{ PPPOE_TAG_EOL, "EOL" },
	{ 0x0101, "Service-Name" },
	{ 0x0102, "AC-Name" },
	{ 0x0103, "Host-Uniq" },
	{ 0x0104, "AC-Cookie" },
	{ 0x0105, "Vendor-Specific" },
	{ 0x0110, "Relay-Session-ID" },
	{ 0x0120, "PPP-Max-Payload" },
	{ 0x0201, "Service-Name-Error" },
	{ 0x0202, "AC-System-Error" },
	{ 0x0203, "Generic-Error" },
	{ 0, NULL },
};

static int pppoe_printable(uint8_t ch)
{
	return ch >= 0x20 && ch <= 0x7e;
}

/* One tag's value: quoted text (unprintables as '.') when printable
 * bytes outnumber the rest among the first 79, else hex. */
static void pppoe_print_tag_value(struct pctx *c, const char *name, const uint8_t *v, unsigned n)
{
	pc_need(c, v, n);
	unsigned shown = n < PPPOE_MAXTAGPRINT ? n : PPPOE_MAXTAGPRINT, text = 0;
	for (unsigned i = 0; i < shown; i++)
		text += pppoe_printable(v[i]);
	if (text > shown - text) {
		out_fmt(c, " [%s \"", name);
		for (unsigned i = 0; i < shown; i++)
			out_char(c, pppoe_printable(v[i]) ? (char)v[i] : '.');
		out_str(c, "\"]");
		return;
	}
	out_fmt(c, " [%s 0x", name);
	for (unsigned i = 0; i < n; i++)
		out_fmt(c, "%02X", v[i]);
	out_char(c, ']');
}

/* The discovery tags up to the EOL tag or the payload's end. */
static void pppoe_print_tags(struct pctx *c, const uint8_t *p, unsigned len)
{
	const uint8_t *end = p + len;
	unsigned type = 0xffff;
	while (type != PPPOE_TAG_EOL && p < end) {
		type = get_be16(c, p);
		unsigned tlen = get_be16(c, p + 2);
		p += 4;
		char buf[16];
		const char *name = tok2str(pppoe_tags, "TAG-0x%x", type, buf, sizeof(buf));
		if (tlen)
			pppoe_print_tag_value(c, name, p, tlen);
		else
			out_fmt(c, " [%s]", name);
		p += tlen;
	}
}

int print_pppoe(struct pctx *c, uint16_t type, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "pppoe";
	c->last = "pppoe";
	if (len < PPPOE_HDRLEN) {
		out_fmt(c, " (length %u < %u)", len, PPPOE_HDRLEN);
		out_invalid(c);
		return 1;
	}
	len -= PPPOE_HDRLEN;
	pc_need(c, p, PPPOE_HDRLEN);
	unsigned ver = get_u8(c, p) >> 4, ptype = get_u8(c, p) & 0x0f;
	unsigned code = get_u8(c, p + 1), session = get_be16(c, p + 2), plen = get_be16(c, p + 4);
	if (ver != 1)
		out_fmt(c, " [ver %u]", ver);
	if (ptype != 1)
		out_fmt(c, " [type %u]", ptype);
	char buf[16];
	out_fmt(c, "PPPoE %s", tok2str(pppoe_codes, "PAD-%x", code, buf, sizeof(buf)));
	if (code == PPPOE_PADI && plen > PPPOE_PADI_MAX)
		out_fmt(c, " [len %u!]", plen);
	if (plen > len) {
		out_fmt(c, " [len %u > %u!]", plen, len);
		plen = len;
	}
	if (session)
		out_fmt(c, " [ses 0x%x]", session);
	if (code) {
		pppoe_print_tags(c, p + PPPOE_HDRLEN, plen);
		return 1;
	}
	out_char(c, ' ');
	ppp_print_frame(c, p + PPPOE_HDRLEN, plen);
	return 1;
}
