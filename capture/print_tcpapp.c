/* capture/print_tcpapp.c: TCP payloads bpfcap decodes after
 * ", length N" — SSH's identification line (RFC 4253 4.2), BGP's name,
 * BEEP's frame keyword (RFC 3080), the data of a reset at -v — in the
 * text of tcpdump 4.99's print-ssh.c, print-bgp.c, print-beep.c and
 * print-tcp.c's print_tcp_rst_data. The text protocols (HTTP, FTP,
 * SMTP...) are in print_txtproto.c. */

#include <string.h>

#include "print_tcpapp.h"

static int is_print(uint8_t ch)
{
	return ch >= 0x20 && ch <= 0x7e;
}

/* ": SSH: <line>" when the payload starts with an identification line;
 * nothing for binary data. */
void print_ssh(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->proto = "ssh";
	c->last = "ssh";
	static const char pre[] = "SSH-";
	for (unsigned i = 0; i < 4; i++)
		if (i >= len || get_u8(c, p + i) != (uint8_t)pre[i])
			return;
	for (unsigned idx = 4; idx < len; idx++) {
		uint8_t ch = get_u8(c, p + idx);
		if (ch == '\n' || (ch == '\r' && idx + 1 < len && get_u8(c, p + idx + 1) == '\n')) {
			out_str(c, ": SSH: ");
			out_mem(c, (const char *)p, idx);
			return;
		}
		if (ch == '\r' || !is_print(ch))
			return;
	}
}

/* RFC 4271 4.1: every message starts with 16 bytes of ones. */
#define BGP_MARKER_LEN 16

/* Does a BGP message start somewhere in the payload? tcpdump looks for
 * the marker byte by byte up to the end of the payload or capture. */
static int bgp_has_marker(struct pctx *c, const uint8_t *p, unsigned len)
{
	const uint8_t *ep = p + len;
	if (ep > c->snapend)
		ep = c->snapend;
	for (; p < ep; p++) {
		if (!pc_has(c, p, 1))
			return 0;
		if (*p != 0xff)
			continue;
		if (!pc_has(c, p, BGP_MARKER_LEN))
			return 0;
		unsigned i = 1;
		while (i < BGP_MARKER_LEN && p[i] == 0xff)
			i++;
		if (i == BGP_MARKER_LEN)
			return 1;
	}
	return 0;
}

/* print-bgp.c: the name, and at -v the messages. A payload without a
 * message prints nothing more, as in tcpdump; the messages themselves
 * are not decoded here (the line keeps the undecoded tag). */
void print_bgp(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->proto = "bgp";
	c->last = "bgp";
	out_str(c, ": BGP");
	if (c->o->vflag && bgp_has_marker(c, p, len))
		c->last = "tcp-app";
}

/* RFC 3080 2.2.1: a BEEP frame starts with its keyword. tcpdump compares
 * four bytes, so "MSG" and "END" (three letters and the NUL of tcpdump's
 * string) match only when a NUL byte follows them. */
void print_beep(struct pctx *c, const uint8_t *p, unsigned len)
{
	static const char keywords[][5] = { "MSG", "RPY ", "ERR ", "ANS ", "NUL ", "SEQ ", "END" };
	c->proto = "beep";
	c->last = "beep";
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (pc_has(c, p, 4) && len >= 4 && !memcmp(p, keywords[i], 4)) {
			out_fmt(c, " BEEP %.3s", keywords[i]);
			return;
		}
	out_str(c, " BEEP (payload or undecoded)");
}

/* RFC 9293 3.10.7.1 allows data on a reset; tcpdump shows up to 30
 * bytes of it at -v, in cat -v notation. */
void print_tcp_rst_data(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->last = "tcp";
	out_str(c, pc_has(c, p, len) ? " [RST" : " [!RST");
	if (len > 30) {
		len = 30;
		out_char(c, '+');
	}
	out_char(c, ' ');
	for (unsigned i = 0; i < len && p + i < c->snapend; i++) {
		out_safe_char(c, p[i]);
	}
	out_char(c, ']');
}
