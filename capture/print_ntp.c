/* capture/print_ntp.c: NTP (RFC 5905) as tcpdump 4.99's print-ntp.c
 * prints it: the summary line, and with -v the time message fields
 * (stratum, poll, precision, root delay and dispersion, reference ID,
 * the four timestamps and two differences, key ID and digest) or the
 * mode 6 control header (RFC 9327 2). */
#include <time.h>

#include "print_get.h"

#define NTP_TIMEMSG_MINLEN 48u /* RFC 5905 7.3: the header without MAC */
#define NTP_CTRLMSG_MINLEN 12u /* RFC 9327 2: the control header */
#define NTP_JAN_1970 2208988800u /* seconds from 1900 to 1970 */

static const char *const ntp_modes[] = {
	"unspecified", "symmetric active", "symmetric passive", "Client",
	"Server", "Broadcast", "Control Message", "Reserved",
};

/* RFC 5905 7.3 short format: 16.16 seconds, printed to microseconds. */
static void ntp_short(struct pctx *c, const uint8_t *p)
{
	unsigned i = get_be16(c, p), f = get_be16(c, p + 2);
	out_fmt(c, "%d.%06d", (int)i, (int)(unsigned)(f / 65536.0 * 1000000.0));
}

/* The fraction of a 32.32 timestamp in nanoseconds, truncated. */
static uint32_t ntp_nanos(uint32_t frac)
{
	return (uint32_t)((double)frac / 4294967296.0 * 1000000000.0);
}

/* RFC 5905 6 timestamp format: seconds.nanoseconds since 1900 and,
 * when the seconds are not 0, the UTC date (era 0). */
static void ntp_time(struct pctx *c, const uint8_t *p)
{
	uint32_t i = get_be32(c, p), f = get_be32(c, p + 4);
	out_fmt(c, "%u.%09u", i, ntp_nanos(f));
	if (i) {
		time_t t = (time_t)((int64_t)i - NTP_JAN_1970);
		struct tm tm;
		char buf[64];
		if (gmtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
			out_fmt(c, " (%s)", buf);
	}
}

/* NEW - OLD as tcpdump's p_ntp_delta computes it: signed seconds (64
 * bits: two 32-bit seconds fields may differ by more than 2^31) with the
 * borrow, then the fraction. OLD = 0 prints NEW. */
static void ntp_delta(struct pctx *c, const uint8_t *old, const uint8_t *new)
{
	uint32_t u = get_be32(c, new), ou = get_be32(c, old);
	uint32_t uf = get_be32(c, new + 4), ouf = get_be32(c, old + 4);
	if (ou == 0 && ouf == 0) {
		ntp_time(c, new);
		return;
	}
	int64_t i = (int64_t)u - (int64_t)ou;
	uint32_t f;
	int neg;
	if (i > 0) {
		neg = 0;
		f = uf - ouf;
		if (ouf > uf)
			i -= 1;
	} else if (i < 0) {
		neg = 1;
		f = ouf - uf;
		if (uf > ouf)
			i += 1;
		i = -i;
	} else if (uf > ouf) {
		neg = 0;
		f = uf - ouf;
	} else {
		neg = 1;
		f = ouf - uf;
	}
	out_fmt(c, "%s%lld.%09d", neg ? "-" : "+", (long long)i, (int)ntp_nanos(f));
}

static void ntp_time_msg(struct pctx *c, const uint8_t *bp, unsigned len)
{
	if (len < NTP_TIMEMSG_MINLEN) {
		out_invalid(c);
		return;
	}
	unsigned stratum = get_u8(c, bp + 1);
	const char *sname = stratum == 0 ? "unspecified"
			    : stratum == 1 ? "primary reference"
			    : stratum <= 15 ? "secondary reference" : "reserved";
	out_fmt(c, ", Stratum %u (%s)", stratum, sname);
	int poll = (int8_t)get_u8(c, bp + 2);
	out_fmt(c, ", poll %d", poll);
	if (poll > -32 && poll < 32)
		out_fmt(c, poll >= 0 ? " (%us)" : " (1/%us)", 1u << (poll >= 0 ? poll : -poll));
	out_fmt(c, ", precision %d", (int8_t)get_u8(c, bp + 3));
	/* tcpdump checks each field is captured before printing its label. */
	pc_need(c, bp + 4, 4);
	out_str(c, "\n\tRoot Delay: ");
	ntp_short(c, bp + 4);
	pc_need(c, bp + 8, 4);
	out_str(c, ", Root dispersion: ");
	ntp_short(c, bp + 8);
	const uint8_t *ref = bp + 12;
	pc_need(c, ref, 4);
	out_str(c, ", Reference-ID: ");
	switch (stratum) {
	case 0:
		pc_need(c, ref, 4);
		out_str(c, "(unspec)");
		break;
	case 1:
		out_printjn(c, ref, 4);
		break;
	case 62:
	case 63:
		out_ip4(c, ref);
		out_str(c, stratum == 62 ? " INFO_QUERY" : " INFO_REPLY");
		return;
	default:
		out_fmt(c, "0x%08x", get_be32(c, ref));
	}
	static const char *const labels[] = {
		"Reference Timestamp:  ", "Originator Timestamp: ", "Receive Timestamp:    ",
		"Transmit Timestamp:   ",
	};
	for (unsigned k = 0; k < 4; k++) {
		pc_need(c, bp + 16 + 8 * k, 8);
		out_fmt(c, "\n\t  %s", labels[k]);
		ntp_time(c, bp + 16 + 8 * k);
	}
	out_str(c, "\n\t    Originator - Receive Timestamp:  ");
	ntp_delta(c, bp + 24, bp + 32);
	out_str(c, "\n\t    Originator - Transmit Timestamp: ");
	ntp_delta(c, bp + 24, bp + 40);
	/* RFC 5905 7.3: an optional key identifier and MD5 or SHA-1 digest. */
	const uint8_t *key = bp + NTP_TIMEMSG_MINLEN;
	unsigned extra = len - NTP_TIMEMSG_MINLEN;
	if (extra == 4 || extra == 20 || extra == 24) {
		out_fmt(c, "\n\tKey id: %u", get_be32(c, key));
		if (extra > 4) {
			/* the whole digest is read before anything is printed */
			pc_need(c, key + 4, extra - 4);
			out_str(c, "\n\tAuthentication: ");
			for (unsigned k = 0; k < (extra - 4) / 4; k++)
				out_fmt(c, "%08x", get_be32(c, key + 4 + 4 * k));
		}
	} else if (extra > 0) {
		out_fmt(c, "\n\t(%u more bytes after the header)", extra);
	}
}

static void ntp_control_msg(struct pctx *c, const uint8_t *bp, unsigned len)
{
	unsigned ctl = get_u8(c, bp + 1);
	out_fmt(c, ", %s, %s, %s, OpCode=%u\n", ctl & 0x80 ? "Response" : "Request", ctl & 0x40 ? "Error" : "OK",
		ctl & 0x20 ? "More" : "Last", ctl & 0x1f);
	out_fmt(c, "\tSequence=%u", get_be16(c, bp + 2));
	unsigned status = get_be16(c, bp + 4);
	out_fmt(c, status ? ", Status=%#x" : ", Status=%x", status);
	out_fmt(c, ", Assoc.=%u", get_be16(c, bp + 6));
	out_fmt(c, ", Offset=%u", get_be16(c, bp + 8));
	unsigned count = get_be16(c, bp + 10);
	out_fmt(c, ", Count=%u", count);
	if (NTP_CTRLMSG_MINLEN + count > len) {
		/* tcpdump then wants the whole message captured */
		out_invalid(c);
		pc_need(c, bp, len);
		return;
	}
	if (count) {
		pc_need(c, bp + 12, count);
		out_str(c, "\n\tTO-BE-DONE: data not interpreted");
	}
}

void print_ntp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "ntp";
	c->last = "ntp";
	unsigned status = get_u8(c, bp);
	unsigned mode = status & 7;
	out_fmt(c, "NTPv%u, %s, length %u", (status >> 3) & 7, ntp_modes[mode], len);
	if (!c->o->vflag)
		return;
	static const char *const leap[] = { "", "+1s", "-1s", "clock unsynchronized" };
	out_fmt(c, "\n\tLeap indicator: %s (%u)", leap[status >> 6], status & 0xc0);
	if (mode <= 5)
		ntp_time_msg(c, bp, len);
	else if (mode == 6)
		ntp_control_msg(c, bp, len);
}
