/* capture/print_tftp.c: TFTP (RFC 1350, options RFC 2347) as tcpdump
 * 4.99.3's print-tftp.c prints it: "TFTP, length N, " the opcode, then
 * the file name and mode (RRQ/WRQ), the options (RRQ/WRQ/OACK), the
 * block number (DATA/ACK) or the error code and message (ERROR). */
#include "print_get.h"
#include "print_udpapp.h"

enum tftp_op { TFTP_RRQ = 1, TFTP_WRQ, TFTP_DATA, TFTP_ACK, TFTP_ERROR, TFTP_OACK };

static const struct tok tftp_ops[] = {
	{ TFTP_RRQ, "RRQ" }, { TFTP_WRQ, "WRQ" },     { TFTP_DATA, "DATA" },
	{ TFTP_ACK, "ACK" }, { TFTP_ERROR, "ERROR" }, { TFTP_OACK, "OACK" },
	{ 0, NULL },
};

/* RFC 1350 5 error codes, RFC 2347 8 (option negotiation). */
static const struct tok tftp_errors[] = {
	{ 0, "EUNDEF" },  { 1, "ENOTFOUND" }, { 2, "EACCESS" }, { 3, "ENOSPACE" }, { 4, "EBADOP" },
	{ 5, "EBADID" },  { 6, "EEXISTS" },   { 7, "ENOUSER" }, { 8, "EOPTNEG" },  { 0, NULL },
};

/* tcpdump's nd_printztn: a NUL-terminated string of at most N bytes,
 * cat -v style; the bytes used with the NUL, 0 when no NUL came within
 * N bytes or the capture. */
static unsigned printztn(struct pctx *c, const uint8_t *s, unsigned n)
{
	unsigned used = 0;
	for (;;) {
		if (n == 0 || !pc_has(c, s, 1))
			return 0;
		uint8_t ch = get_u8(c, s++);
		used++;
		n--;
		if (ch == '\0')
			return used;
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
}

/* RFC 2347 2: option names and values, each NUL-terminated, one space
 * before each that is not empty. 0 when cut short. */
static int tftp_strings(struct pctx *c, const uint8_t *bp, unsigned len)
{
	while (len != 0) {
		if (get_u8(c, bp) != '\0')
			out_char(c, ' ');
		unsigned used = printztn(c, bp, len);
		if (used == 0)
			return 0;
		bp += used;
		len -= used;
	}
	return 1;
}

/* RFC 1350 5: file name and mode, then RFC 2347 options. */
static int tftp_request(struct pctx *c, const uint8_t *bp, unsigned len)
{
	if (len == 0)
		return 0;
	out_str(c, " \"");
	unsigned used = printztn(c, bp, len);
	out_char(c, '"');
	if (used == 0)
		return 0;
	bp += used;
	len -= used;
	if (len == 0)
		return 0; /* no mode */
	out_char(c, ' ');
	if ((used = printztn(c, bp, len)) == 0)
		return 0;
	return tftp_strings(c, bp + used, len - used);
}

static int tftp_error(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char buf[32];
	if (len < 2)
		return 0;
	out_fmt(c, " %s", tok2str(tftp_errors, "tftp-err-#%u \"", get_be16(c, bp), buf, sizeof(buf)));
	if (len == 2)
		return 0; /* no message */
	out_str(c, " \"");
	unsigned used = printztn(c, bp + 2, len - 2);
	out_char(c, '"');
	return used != 0;
}

void print_tftp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "tftp";
	c->last = "tftp";
	out_fmt(c, "TFTP, length %u", len);
	if (len < 2) {
		out_trunc(c);
		return;
	}
	unsigned op = get_be16(c, bp);
	const char *name = tok_find(tftp_ops, op);
	if (!name) {
		out_fmt(c, ", tftp-#%u", op); /* tcpdump stops at an unknown opcode */
		return;
	}
	out_fmt(c, ", %s", name);
	bp += 2;
	len -= 2;
	int ok = 1;
	switch (op) {
	case TFTP_RRQ:
	case TFTP_WRQ:
		ok = tftp_request(c, bp, len);
		break;
	case TFTP_OACK:
		ok = tftp_strings(c, bp, len);
		break;
	case TFTP_DATA:
	case TFTP_ACK:
		if (len < 2)
			ok = 0; /* no block number */
		else
			out_fmt(c, " block %u", get_be16(c, bp));
		break;
	case TFTP_ERROR:
		ok = tftp_error(c, bp, len);
		break;
	}
	if (!ok)
		out_trunc(c);
}
