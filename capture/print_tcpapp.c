/* capture/print_tcpapp.c: TCP payloads bpfcap decodes after
 * ", length N" — SSH's identification line (RFC 4253 4.2), BGP's name,
 * the data of a reset at -v — in the text of tcpdump 4.99's print-ssh.c,
 * print-bgp.c and print-tcp.c's print_tcp_rst_data. The text protocols
 * (HTTP, FTP, SMTP...) are in print_txtproto.c. */

#include "print_get.h"

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

/* print-bgp.c: the name, and at -v the messages (not decoded here: the
 * caller tags the line as undecoded then). */
void print_bgp(struct pctx *c, const uint8_t *p, unsigned len)
{
	(void)p;
	(void)len;
	c->proto = "bgp";
	c->last = c->o->vflag ? "tcp-app" : "bgp";
	out_str(c, ": BGP");
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
		uint8_t ch = p[i];
		if (ch & 0x80) {
			ch &= 0x7f;
			out_str(c, "M-");
		}
		if (!is_print(ch)) {
			ch ^= 0x40;
			out_char(c, '^');
		}
		out_char(c, (char)ch);
	}
	out_char(c, ']');
}
