/* capture/print_tcpapp.c: the TCP payloads bpfcap decodes after
 * ", length N" — SSH's identification line (RFC 4253 4.2), HTTP's request
 * or status line (RFC 9112 3, 4; all lines at -v), the data of a reset at
 * -v — in the text of tcpdump 4.99's print-ssh.c, util-print.c's
 * txtproto_print and print-tcp.c's print_tcp_rst_data. */
#include <string.h>

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

/* tcpdump's fetch_token: a printable ASCII token of at most 128 bytes
 * at IDX, then the blanks after it; returns the index after them, or 0. */
static unsigned fetch_token(struct pctx *c, const uint8_t *p, unsigned idx, unsigned len, char *tok, size_t toksz)
{
	size_t n = 0;
	for (; idx < len; idx++) {
		if (!pc_has(c, p + idx, 1))
			return 0;
		uint8_t ch = p[idx];
		if (ch & 0x80)
			return 0;
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			break;
		if (!is_print(ch) || n + 2 > toksz)
			return 0;
		tok[n++] = (char)ch;
	}
	if (n == 0)
		return 0;
	tok[n] = 0;
	for (; idx < len; idx++) {
		if (!pc_has(c, p + idx, 1))
			break;
		uint8_t ch = p[idx];
		if (ch == '\r' || ch == '\n' || !is_print(ch) || (ch != ' ' && ch != '\t'))
			break;
	}
	return idx;
}

/* tcpdump's print_txt_line: the line at IDX after PREFIX; returns the
 * next line's index, 0 when the rest is not a text line. */
static unsigned txt_line(struct pctx *c, const char *prefix, const uint8_t *p, unsigned idx, unsigned len)
{
	unsigned start = idx, linelen;
	while (idx < len) {
		uint8_t ch = get_u8(c, p + idx);
		if (ch == '\n') {
			linelen = idx - start;
			idx++;
			goto print;
		}
		if (ch == '\r') {
			if (idx + 1 >= len)
				return 0;
			if (get_u8(c, p + idx + 1) == '\n') {
				linelen = idx - start;
				idx += 2;
				goto print;
			}
			return 0;
		}
		if (!is_print(ch) && ch != '\t')
			return 0;
		idx++;
	}
	/* printable to the end without a line end: as if truncated */
	out_str(c, prefix);
	out_mem(c, (const char *)p + start, idx - start);
	out_trunc(c);
	return 0;
print:
	out_str(c, prefix);
	out_mem(c, (const char *)p + start, linelen);
	return idx;
}

static const char *const http_methods[] = {
	"GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE", "MKCOL",
	"TRACE", "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY",
	"BDELETE", "CONNECT", "OPTIONS", "CHECKIN", "PROPFIND", "CHECKOUT", "CHECKOUT", "BPROPFIND",
	"BPROPPATCH", "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT",
	"VERSION-CONTROL", "BASELINE-CONTROL", NULL,
};

/* tcpdump's txtproto_print: ": NAME", then the first line when it is a
 * command (one of cmds, if any) or a response (a three-digit second
 * token); every line at -v, after ", length: N". */
static void print_txtproto(struct pctx *c, const uint8_t *p, unsigned len, const char *proto,
			   const char *name, const char *const *cmds)
{
	char tok[129];
	int print_this = 0;
	c->proto = proto;
	c->last = proto;
	out_str(c, ": ");
	unsigned idx = fetch_token(c, p, 0, len, tok, sizeof(tok));
	if (idx != 0) {
		for (int i = 0; cmds && cmds[i]; i++)
			if (!strcasecmp(tok, cmds[i])) {
				print_this = 1;
				break;
			}
		idx = fetch_token(c, p, idx, len, tok, sizeof(tok));
		if (idx != 0 && tok[0] >= '0' && tok[0] <= '9' && tok[1] >= '0' && tok[1] <= '9' && tok[2] >= '0' &&
		    tok[2] <= '9' && tok[3] == 0)
			print_this = 1;
	}
	out_str(c, name);
	if (!print_this)
		return;
	if (c->o->vflag) {
		unsigned eol;
		out_fmt(c, ", length: %u", len); /* once, before the lines */
		for (idx = 0; idx < len && (eol = txt_line(c, "\n\t", p, idx, len)) != 0; idx = eol)
			;
	} else {
		txt_line(c, ": ", p, 0, len);
	}
}

void print_http(struct pctx *c, const uint8_t *p, unsigned len)
{
	print_txtproto(c, p, len, "http", "HTTP", http_methods);
}

/* print-ftp.c and print-smtp.c: text protocols without a command list. */
void print_ftp(struct pctx *c, const uint8_t *p, unsigned len)
{
	print_txtproto(c, p, len, "ftp", "FTP", NULL);
}

void print_smtp(struct pctx *c, const uint8_t *p, unsigned len)
{
	print_txtproto(c, p, len, "smtp", "SMTP", NULL);
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
