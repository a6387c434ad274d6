/* capture/print_txtproto.c: the line-oriented text protocols — HTTP
 * (RFC 9112), FTP (RFC 959), SMTP (RFC 5321), WHOIS (RFC 3912), RTSP
 * (RFC 2326) — as tcpdump 4.99.3's util-print.c txtproto_print shows
 * them: ": NAME", then the first line when the payload is a request or
 * a response (always, for protocols that are only requests and
 * responses); at -v ", length: N" and every text line, one a line.
 *
 * A line ends at LF or CR LF; a byte that is neither printable ASCII
 * nor a tab, or a CR not followed by LF, ends the printing without
 * printing that line; printable text running to the end of the payload
 * is printed with the truncation marker, as tcpdump does. */
#include <string.h>

#include "print_tcpapp.h"

/* The longest command token or response code looked at (tcpdump's
 * MAX_TOKEN). */
#define TXT_MAX_TOKEN 128

static int is_print(uint8_t ch)
{
	return ch >= 0x20 && ch <= 0x7e;
}

static int is_blank_or_eol(uint8_t ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* A printable ASCII token at IDX (up to a blank or a line end) into TOK,
 * then the blanks after it; returns the index after them, 0 when there
 * is no token (a blank first, a non-ASCII or control byte inside, too
 * long, or past the capture). */
static unsigned fetch_token(struct pctx *c, const uint8_t *p, unsigned idx, unsigned len, char *tok,
			    size_t toksz)
{
	size_t n = 0;
	for (; idx < len; idx++) {
		if (!pc_has(c, p + idx, 1))
			return 0;
		uint8_t ch = p[idx];
		if (ch & 0x80)
			return 0;
		if (is_blank_or_eol(ch))
			break;
		if (!is_print(ch) || n + 2 > toksz)
			return 0;
		tok[n++] = (char)ch;
	}
	if (n == 0)
		return 0;
	tok[n] = 0;
	for (; idx < len && pc_has(c, p + idx, 1); idx++) {
		uint8_t ch = p[idx];
		if (ch != ' ' && ch != '\t')
			break;
	}
	return idx;
}

/* The line at IDX after PREFIX; returns the next line's index, 0 when
 * the rest is not a text line (then nothing is printed, unless the
 * text simply runs to the end: printed with the marker). */
static unsigned txt_line(struct pctx *c, const char *prefix, const uint8_t *p, unsigned idx, unsigned len)
{
	unsigned start = idx, linelen, next;
	for (;;) {
		if (idx >= len) {
			out_str(c, prefix);
			out_mem(c, (const char *)p + start, idx - start);
			out_trunc(c);
			return 0;
		}
		uint8_t ch = get_u8(c, p + idx);
		if (ch == '\n') {
			linelen = idx - start;
			next = idx + 1;
			break;
		}
		if (ch == '\r') {
			if (idx + 1 >= len || get_u8(c, p + idx + 1) != '\n')
				return 0;
			linelen = idx - start;
			next = idx + 2;
			break;
		}
		if (!is_print(ch) && ch != '\t')
			return 0;
		idx++;
	}
	out_str(c, prefix);
	out_mem(c, (const char *)p + start, linelen);
	return next;
}

/* Is the payload a request (its first token one of CMDS, any case) or a
 * response (a three-digit code as the first token, or the second when
 * CODE_SECOND: "HTTP/1.1 200 OK")? */
static int is_request_or_response(struct pctx *c, const uint8_t *p, unsigned len, const char *const *cmds,
				  int code_second)
{
	char tok[TXT_MAX_TOKEN + 1];
	int found = 0;
	unsigned idx = fetch_token(c, p, 0, len, tok, sizeof(tok));
	if (idx == 0)
		return 0;
	for (int i = 0; cmds[i]; i++)
		if (!strcasecmp(tok, cmds[i])) {
			found = 1;
			break;
		}
	if (code_second)
		idx = fetch_token(c, p, idx, len, tok, sizeof(tok));
	if (idx != 0 && is_digit(tok[0]) && is_digit(tok[1]) && is_digit(tok[2]) && tok[3] == 0)
		found = 1;
	return found;
}

/* PROTO is the marker and tag name, NAME what the line shows. CMDS NULL:
 * a protocol of requests and responses only, every payload is one. */
static void print_txtproto(struct pctx *c, const uint8_t *p, unsigned len, const char *proto, const char *name,
			   const char *const *cmds, int code_second)
{
	c->proto = proto;
	c->last = proto;
	out_str(c, ": ");
	int print_this = cmds ? is_request_or_response(c, p, len, cmds, code_second) : 1;
	out_str(c, name);
	if (!print_this)
		return;
	if (c->o->vflag) {
		out_fmt(c, ", length: %u", len);
		unsigned idx = 0, eol;
		while (idx < len && (eol = txt_line(c, "\n\t", p, idx, len)) != 0)
			idx = eol;
	} else {
		txt_line(c, ": ", p, 0, len);
	}
}

/* RFC 9110 9 and WebDAV/DeltaV methods, tcpdump's httpcmds. */
static const char *const http_methods[] = {
	"GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE", "MKCOL",
	"TRACE", "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY",
	"BDELETE", "CONNECT", "OPTIONS", "CHECKIN", "PROPFIND", "CHECKOUT", "CHECKOUT", "BPROPFIND",
	"BPROPPATCH", "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT",
	"VERSION-CONTROL", "BASELINE-CONTROL", NULL,
};

/* RFC 2326 10, tcpdump's rtspcmds. */
static const char *const rtsp_methods[] = {
	"DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS", "PAUSE", "PLAY", "RECORD", "REDIRECT",
	"SETUP", "SET_PARAMETER", "TEARDOWN", NULL,
};

void print_http(struct pctx *c, const uint8_t *p, unsigned len)
{
	print_txtproto(c, p, len, "http", "HTTP", http_methods, 1);
}

void print_rtsp(struct pctx *c, const uint8_t *p, unsigned len)
{
	print_txtproto(c, p, len, "rtsp", "RTSP", rtsp_methods, 1);
}

void print_ftp(struct pctx *c, const uint8_t *p, unsigned len)
{
	print_txtproto(c, p, len, "ftp", "FTP", NULL, 0);
}

void print_smtp(struct pctx *c, const uint8_t *p, unsigned len)
{
	print_txtproto(c, p, len, "smtp", "SMTP", NULL, 0);
}

void print_whois(struct pctx *c, const uint8_t *p, unsigned len)
{
	print_txtproto(c, p, len, "whois", "WHOIS", NULL, 0);
}
