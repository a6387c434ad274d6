/* capture/print_out.c: appending text to the output buffer, tcpdump's
 * hex/ASCII dumps, address formatting, checksums and token tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print_get.h"

void pbuf_free(struct pbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static int pbuf_reserve(struct pctx *c, size_t n)
{
	struct pbuf *b = c->out;
	if (c->oom)
		return 0;
	if (b->cap - b->len >= n)
		return 1;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n)
		cap *= 2;
	char *d = realloc(b->data, cap);
	if (!d) {
		c->oom = 1;
		return 0;
	}
	b->data = d;
	b->cap = cap;
	return 1;
}

void out_mem(struct pctx *c, const char *s, size_t n)
{
	if (!pbuf_reserve(c, n))
		return;
	memcpy(c->out->data + c->out->len, s, n);
	c->out->len += n;
}

void out_str(struct pctx *c, const char *s)
{
	out_mem(c, s, strlen(s));
}

void out_char(struct pctx *c, char ch)
{
	if (!pbuf_reserve(c, 1))
		return;
	c->out->data[c->out->len++] = ch;
}

void out_uint(struct pctx *c, uint64_t v)
{
	char tmp[24];
	char *e = tmp + sizeof(tmp), *q = e;
	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_mem(c, q, (size_t)(e - q));
}

void out_int(struct pctx *c, int64_t v)
{
	if (v < 0) {
		out_char(c, '-');
		out_uint(c, (uint64_t)0 - (uint64_t)v);
	} else {
		out_uint(c, (uint64_t)v);
	}
}

void out_fmt(struct pctx *c, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		out_mem(c, tmp, (size_t)n);
		return;
	}
	if (!pbuf_reserve(c, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	vsnprintf(c->out->data + c->out->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	c->out->len += (size_t)n;
}

void out_ip4(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, 4);
	char tmp[16], *q = tmp;
	for (int i = 0; i < 4; i++) {
		unsigned v = p[i];
		if (i)
			*q++ = '.';
		if (v >= 100)
			*q++ = (char)('0' + v / 100);
		if (v >= 10)
			*q++ = (char)('0' + v / 10 % 10);
		*q++ = (char)('0' + v % 10);
	}
	out_mem(c, tmp, (size_t)(q - tmp));
}

/* RFC 5952 text (what inet_ntop prints, which tcpdump uses): the
 * longest run of two or more zero groups, the first of equals, is "::";
 * an IPv4-mapped or -compatible address ends in dotted quad. */
void out_ip6(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, 16);
	char tmp[48];
	unsigned g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)p[2 * i] << 8 | p[2 * i + 1];
	int best = -1, bestlen = 0;
	for (int i = 0; i < 8;) {
		if (g[i]) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && !g[j])
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j;
	}
	if (bestlen < 2)
		best = -1;
	char *q = tmp;
	/* glibc's inet_ntop: ::ffff:a.b.c.d and ::a.b.c.d (first 6 groups
	 * zero and not ::1/::) print the last 32 bits as a dotted quad. */
	int v4tail = best == 0 && (bestlen == 6 || (bestlen == 5 && g[5] == 0xffff)) && (g[6] || g[7] > 1 || bestlen == 5);
	if (bestlen == 7 && best == 0 && g[7] > 1)
		v4tail = 0; /* ::x prints as hex, e.g. ::2 */
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*q++ = ':';
			if (i == 0)
				*q++ = ':';
			i += bestlen - 1;
			continue;
		}
		if (v4tail && i == 6) {
			q += sprintf(q, "%u.%u.%u.%u", p[12], p[13], p[14], p[15]);
			break;
		}
		q += sprintf(q, "%x", g[i]);
		if (i < 7)
			*q++ = ':';
	}
	out_mem(c, tmp, (size_t)(q - tmp));
}

void out_mac(struct pctx *c, const uint8_t *p)
{
	static const char hex[] = "0123456789abcdef";
	pc_need(c, p, 6);
	char tmp[17];
	for (int i = 0; i < 6; i++) {
		tmp[3 * i] = hex[p[i] >> 4];
		tmp[3 * i + 1] = hex[p[i] & 15];
		if (i < 5)
			tmp[3 * i + 2] = ':';
	}
	out_mem(c, tmp, 17);
}

void out_safe_char(struct pctx *c, uint8_t ch)
{
	if (ch & 0x80) {
		ch &= 0x7f;
		out_str(c, "M-");
	}
	if (!(ch >= 0x20 && ch <= 0x7e)) {
		ch ^= 0x40;
		out_char(c, '^');
	}
	out_char(c, (char)ch);
}

void out_printjn(struct pctx *c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_safe_char(c, get_u8(c, p + i));
}

void out_trunc(struct pctx *c)
{
	out_str(c, " [|");
	out_str(c, c->proto);
	out_char(c, ']');
}

void out_invalid(struct pctx *c)
{
	out_str(c, " (invalid)");
}

/* tcpdump's hex_print_with_offset: 8 groups of 2 bytes per line. */
void out_hex(struct pctx *c, const uint8_t *p, size_t len)
{
	out_hex_ident(c, "\n\t", p, len);
}

void out_hex_ident(struct pctx *c, const char *ident, const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t avail = pc_avail(c, p);
	int truncated = len > avail;
	if (truncated)
		len = avail;
	char line[64];
	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;
		char *q = line;
		out_str(c, ident);
		q += sprintf(q, "0x%04zx: ", off);
		for (size_t i = 0; i < n; i++) {
			if (!(i & 1))
				*q++ = ' ';
			*q++ = hex[p[off + i] >> 4];
			*q++ = hex[p[off + i] & 15];
		}
		out_mem(c, line, (size_t)(q - line));
	}
	if (truncated)
		out_trunc(c);
}

static int ascii_graph(uint8_t ch)
{
	return ch > 0x20 && ch < 0x7f;
}

/* tcpdump's hex_and_ascii_print_with_offset: hex padded to 40 columns,
 * two spaces, the printable bytes. */
void out_hexascii(struct pctx *c, const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t avail = pc_avail(c, p);
	int truncated = len > avail;
	if (truncated)
		len = avail;
	char line[96];
	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;
		char *q = line;
		q += sprintf(q, "\n\t0x%04zx: ", off);
		char *hs = q;
		for (size_t i = 0; i < n; i++) {
			if (!(i & 1))
				*q++ = ' ';
			*q++ = hex[p[off + i] >> 4];
			*q++ = hex[p[off + i] & 15];
		}
		while (q - hs < 40)
			*q++ = ' ';
		*q++ = ' ';
		*q++ = ' ';
		for (size_t i = 0; i < n; i++)
			*q++ = ascii_graph(p[off + i]) ? (char)p[off + i] : '.';
		out_mem(c, line, (size_t)(q - line));
	}
	if (truncated)
		out_trunc(c);
}

/* tcpdump's ascii_print: a newline, then the bytes with unprintable ones
 * as '.', keeping tab, space and newline, dropping a CR before LF. */
void out_ascii(struct pctx *c, const uint8_t *p, size_t len)
{
	size_t avail = pc_avail(c, p);
	int truncated = len > avail;
	if (truncated)
		len = avail;
	out_char(c, '\n');
	for (size_t i = 0; i < len; i++) {
		uint8_t s = p[i];
		if (s == '\r') {
			/* tcpdump prints a CR as '.' only with two or more
			 * bytes after it and no LF next. */
			if (len - i - 1 > 1 && p[i + 1] != '\n')
				out_char(c, '.');
		} else if (!ascii_graph(s) && s != '\t' && s != ' ' && s != '\n') {
			out_char(c, '.');
		} else {
			out_char(c, (char)s);
		}
	}
	if (truncated)
		out_trunc(c);
}

void out_default(struct pctx *c, const uint8_t *p, size_t len)
{
	if (!c->suppress_default)
		out_hexascii(c, p, len);
}

const char *tok_find(const struct tok *t, uint32_t v)
{
	for (; t->s; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

const char *tok2str(const struct tok *t, const char *fmt, uint32_t v, char *buf, size_t bufsz)
{
	const char *s = tok_find(t, v);
	if (s)
		return s;
	snprintf(buf, bufsz, fmt, v);
	return buf;
}

void out_bitnames(struct pctx *c, const struct tok *t, uint32_t v, const char *none)
{
	const char *sep = "";
	for (; t->s; t++) {
		/* tcpdump's bittok2str matches a token only as a single bit */
		if (t->v == 0 || (t->v & (t->v - 1)) || !(v & t->v))
			continue;
		out_str(c, sep);
		out_str(c, t->s);
		sep = ", ";
	}
	if (!*sep)
		out_str(c, none);
}

void out_relts(struct pctx *c, unsigned secs)
{
	static const unsigned unit_secs[] = { 31536000, 604800, 86400, 3600, 60, 1 };
	static const char unit[] = "ywdhms";
	if (secs == 0) {
		out_str(c, "0s");
		return;
	}
	for (int i = 0; i < 6; i++)
		if (secs >= unit_secs[i]) {
			out_fmt(c, "%u%c", secs / unit_secs[i], unit[i]);
			secs %= unit_secs[i];
		}
}

uint32_t cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* RFC 1624 eqn. 3 as tcpdump applies it: the field value that would
 * have summed to zero. */
uint16_t cksum_shouldbe(uint16_t sum, uint16_t computed)
{
	uint32_t s = (uint32_t)sum + computed;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

void out_ip_src(struct pctx *c, const uint8_t *ip, int v6)
{
	if (v6)
		out_ip6(c, ip + 8);
	else
		out_ip4(c, ip + 12);
}

void out_ip_dst(struct pctx *c, const uint8_t *ip, int v6)
{
	if (v6)
		out_ip6(c, ip + 24);
	else
		out_ip4(c, ip + 16);
}
