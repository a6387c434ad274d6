/* capture/print_resp.c: the Redis serialization protocol (RESP 2,
 * redis.io/docs/reference/protocol-spec) on TCP port 6379 as tcpdump
 * 4.99.3's print-resp.c prints it: ": RESP" then every item of the
 * (possibly pipelined) payload, strings quoted, "empty"/"null" for empty
 * and null bulk strings and arrays; anything malformed or cut ends the
 * line with " [|resp]". */
#include <limits.h>

#include "print_tcpapp.h"

#define RESP_SIMPLE_STRING '+'
#define RESP_ERROR '-'
#define RESP_INTEGER ':'
#define RESP_BULK_STRING '$'
#define RESP_ARRAY '*'

/* What a <length>\r\n field said when it is not a length. */
#define LEN_NULL (-1)
#define LEN_TRUNC (-2)
#define LEN_TOO_LARGE (-3)
#define LEN_NEGATIVE (-4)
#define LEN_INVALID (-5)

static int resp_parse(struct pctx *c, const uint8_t *bp, int length);

/* ' "text"', cat -v style; -1 when a byte is past the capture. */
static int print_segment(struct pctx *c, const uint8_t *p, int n)
{
	out_str(c, " \"");
	for (int i = 0; i < n; i++) {
		if (!pc_has(c, p + i, 1))
			return -1;
		out_safe_char(c, p[i]);
	}
	out_char(c, '"');
	return 0;
}

/* Index of the next "\r\n" from P within LEN bytes, -1 if none or
 * past the capture (tcpdump's FIND_CRLF gives up without a longjmp). */
static int find_crlf(struct pctx *c, const uint8_t *p, int len)
{
	for (int i = 0; len - i >= 2; i++) {
		if (!pc_has(c, p + i, 2))
			return -1;
		if (p[i] == '\r' && p[i + 1] == '\n')
			return i;
	}
	return -1;
}

/* +text, -text, :number: the text up to CRLF. */
static int print_line_item(struct pctx *c, const uint8_t *bp, int length)
{
	int n = find_crlf(c, bp + 1, length - 1);
	if (n < 0 || print_segment(c, bp + 1, n) < 0)
		return -1;
	return 1 + n + 2;
}

/* A decimal length and its CRLF at BP; *END is set past what was read. */
static int get_length(struct pctx *c, const uint8_t *bp, int len, const uint8_t **end)
{
	int result = 0, saw_digit = 0, neg = 0, too_large = 0;
	if (len == 0) {
		*end = bp;
		return LEN_TRUNC;
	}
	if (get_u8(c, bp) == '-') {
		neg = 1;
		bp++;
		len--;
	}
	for (;;) {
		if (len == 0) {
			*end = bp;
			return LEN_TRUNC;
		}
		uint8_t ch = get_u8(c, bp);
		if (!(ch >= '0' && ch <= '9')) {
			if (!saw_digit) {
				*end = bp + 1;
				return LEN_INVALID;
			}
			break;
		}
		int d = ch - '0';
		if (result > INT_MAX / 10)
			too_large = 1;
		else if (result == (INT_MAX / 10) * 10 && d > INT_MAX % 10)
			too_large = 1;
		else
			result = result * 10 + d;
		bp++;
		len--;
		saw_digit = 1;
	}
	if (get_u8(c, bp) != '\r') {
		*end = bp + 1;
		return LEN_INVALID;
	}
	bp++;
	len--;
	if (len == 0) {
		*end = bp;
		return LEN_TRUNC;
	}
	if (get_u8(c, bp) != '\n') {
		*end = bp + 1;
		return LEN_INVALID;
	}
	*end = bp + 1;
	if (neg)
		return (too_large || result != 1) ? LEN_NEGATIVE : LEN_NULL;
	return too_large ? LEN_TOO_LARGE : result;
}

/* The words for a length that is not one; -1 when it was cut. */
static int print_bad_length(struct pctx *c, int n)
{
	switch (n) {
	case LEN_NULL:
		out_str(c, " null");
		return 0;
	case LEN_TRUNC:
		return -1;
	case LEN_TOO_LARGE:
		out_str(c, " length too large");
		return 0;
	case LEN_NEGATIVE:
		out_str(c, " length negative and not -1");
		return 0;
	default:
		out_str(c, " invalid");
		return 0;
	}
}

static int print_bulk_string(struct pctx *c, const uint8_t *bp, int length)
{
	const uint8_t *end;
	int cur = length - 1;
	bp++;
	int n = get_length(c, bp, cur, &end);
	cur -= (int)(end - bp);
	bp = end;
	if (n < 0)
		return print_bad_length(c, n) < 0 ? -1 : length - cur;
	if (n == 0) {
		out_str(c, " empty");
	} else {
		if (cur < n || !pc_has(c, bp, (size_t)n) || print_segment(c, bp, n) < 0)
			return -1;
		bp += n;
		cur -= n;
	}
	int crlf = find_crlf(c, bp, cur);
	if (crlf < 0)
		return -1;
	cur -= crlf + 2;
	return length - cur;
}

static int print_array(struct pctx *c, const uint8_t *bp, int length)
{
	const uint8_t *end;
	int cur = length - 1;
	bp++;
	int n = get_length(c, bp, cur, &end);
	cur -= (int)(end - bp);
	bp = end;
	if (n > 0) {
		for (int i = 0; i < n; i++) {
			int used = resp_parse(c, bp, cur);
			if (used < 0)
				return -1;
			bp += used;
			cur -= used;
		}
	} else if (n == 0) {
		out_str(c, " empty");
	} else if (print_bad_length(c, n) < 0) {
		return -1;
	}
	return length - cur;
}

/* An inline command: text up to CR or LF, leading and trailing line
 * ends skipped. */
static int print_inline(struct pctx *c, const uint8_t *bp, int length)
{
	int cur = length, found = 0;
	for (;;) {
		if (cur == 0 || !pc_has(c, bp, 1)) {
			if (found)
				break;
			return -1;
		}
		if (*bp != '\r' && *bp != '\n')
			break;
		found = 1;
		bp++;
		cur--;
	}
	const uint8_t *q = bp;
	for (;;) {
		if (cur < 1)
			return -1;
		uint8_t ch = get_u8(c, q);
		if (ch == '\r' || ch == '\n')
			break;
		q++;
		cur--;
	}
	if (print_segment(c, bp, (int)(q - bp)) < 0)
		return -1;
	found = 0;
	for (;;) {
		if (cur == 0 || !pc_has(c, q, 1)) {
			if (found)
				break;
			return -1;
		}
		if (*q != '\r' && *q != '\n')
			break;
		found = 1;
		q++;
		cur--;
	}
	return length - cur;
}

/* One item at BP; the bytes it used, -1 when malformed or cut. */
static int resp_parse(struct pctx *c, const uint8_t *bp, int length)
{
	if (length < 1)
		return -1;
	switch (get_u8(c, bp)) {
	case RESP_SIMPLE_STRING:
	case RESP_ERROR:
	case RESP_INTEGER:
		return print_line_item(c, bp, length);
	case RESP_BULK_STRING:
		return print_bulk_string(c, bp, length);
	case RESP_ARRAY:
		return print_array(c, bp, length);
	default:
		return print_inline(c, bp, length);
	}
}

void print_resp(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->proto = "resp";
	c->last = "resp";
	out_str(c, ": RESP");
	int rem = (int)len;
	while (rem > 0) {
		int used = resp_parse(c, p, rem);
		if (used < 0) {
			out_trunc(c);
			return;
		}
		p += used;
		rem -= used;
	}
}
