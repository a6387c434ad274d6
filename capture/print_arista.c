/* capture/print_arista.c: Arista's vendor EtherType 0xd28b carrying a
 * switch timestamp ahead of the original EtherType, as tcpdump 4.99's
 * print-arista.c prints it: subtype, then for the timestamp subtype the
 * timescale, format and hardware nibbles of the version field and the
 * 64-bit (seconds, nanoseconds: a UTC date) or 48-bit timestamp. */
#include <time.h>

#include "print_get.h"

/* Bytes consumed (the caller reads the inner EtherType next), or -1 for
 * a subtype or format tcpdump does not know. */
int print_arista(struct pctx *c, const uint8_t *bp)
{
	c->proto = "arista";
	c->last = "arista";
	unsigned subtype = get_be16(c, bp);
	out_fmt(c, "SubType %s (0x%04x), ", subtype == 1 ? "Timestamp" : "Unknown", subtype);
	if (subtype != 1)
		return -1;
	unsigned scale = get_u8(c, bp + 2), fmt = get_u8(c, bp + 3) >> 4, hw = bp[3] & 0x0f;
	out_fmt(c, "Timescale %s (%u), ", scale == 0 ? "TAI" : scale == 1 ? "UTC" : "Unknown", scale);
	out_fmt(c, "Format %s (%u), HwInfo %s (%u), Timestamp ",
		fmt == 1 ? "64-bit" : fmt == 2 ? "48-bit" : "Unknown", fmt,
		hw == 0 ? "R/R2" : hw == 1 ? "R3" : "Unknown", hw);
	if (fmt == 1) {
		uint32_t ns = get_be32(c, bp + 8);
		time_t t = (time_t)get_be32(c, bp + 4) + ns / 1000000000u;
		struct tm tm;
		char buf[64];
		if (!gmtime_r(&t, &tm))
			out_str(c, "gmtime() error");
		else if (!strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm))
			out_str(c, "strftime() error");
		else
			out_fmt(c, "%s.%09u", buf, ns % 1000000000u);
		out_str(c, ": ");
		return 12;
	}
	if (fmt == 2) {
		uint32_t ns = get_be32(c, bp + 6);
		uint64_t secs = get_be16(c, bp + 4) + ns / 1000000000u;
		out_fmt(c, "%llu.%09u: ", (unsigned long long)secs, ns % 1000000000u);
		return 10;
	}
	return -1;
}
