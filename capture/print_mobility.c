/* capture/print_mobility.c: the IPv6 Mobility Header (RFC 6275 6.1) as
 * tcpdump 4.99's print-mobility.c prints it: the message type and its
 * fields, and with -v the mobility options (6.2). */
#include "print_get.h"

#define IP6M_MINLEN 8

/* RFC 6275 6.2: each option must be followed by a captured byte for
 * tcpdump (it checks the byte after the option): 1 when cut short. */
static int mobility_opts(struct pctx *c, const uint8_t *bp, unsigned len)
{
	unsigned optlen;
	for (unsigned i = 0; i < len; i += optlen) {
		unsigned type = get_u8(c, bp + i);
		if (type == 0) {
			optlen = 1;
		} else {
			if (i + 1 >= len)
				return 1;
			optlen = get_u8(c, bp + i + 1) + 2u;
		}
		if (i + optlen > len || !pc_has(c, bp + i + optlen, 1))
			return 1;
		switch (type) {
		case 0:
			out_str(c, "(pad1)");
			break;
		case 1:
			if (len - i < 2) {
				out_str(c, "(padn: trunc)");
				return 1;
			}
			out_str(c, "(padn)");
			break;
		case 2:
			if (len - i < 4) {
				out_str(c, "(refresh: trunc)");
				return 1;
			}
			out_fmt(c, "(refresh: %u)", (unsigned)get_be16(c, bp + i + 2) << 2);
			break;
		case 3:
			if (len - i < 18) {
				out_str(c, "(altcoa: trunc)");
				return 1;
			}
			out_str(c, "(alt-CoA: ");
			out_ip6(c, bp + i + 2);
			out_char(c, ')');
			break;
		case 4:
			if (len - i < 6) {
				out_str(c, "(ni: trunc)");
				return 1;
			}
			out_fmt(c, "(ni: ho=0x%04x co=0x%04x)", get_be16(c, bp + i + 2), get_be16(c, bp + i + 4));
			break;
		case 5:
			if (len - i < 12) {
				out_str(c, "(auth: trunc)");
				return 1;
			}
			out_str(c, "(auth)");
			break;
		default:
			if (len - i < 2) {
				out_fmt(c, "(sopt_type %u: trunc)", type);
				return 1;
			}
			out_fmt(c, "(type-0x%02x: len=%u)", type, get_u8(c, bp + i + 1));
			break;
		}
	}
	return 0;
}

void print_mobility(struct pctx *c, const uint8_t *bp)
{
	/* RFC 6275 6.1.2-6.1.9: the smallest header each type needs */
	static const unsigned minlen[] = { 8, 16, 16, 24, 24, 12, 12, 24 };
	static const char *const names[] = { "BRR", "HoTI", "CoTI", "HoT", "CoT", "BU", "BA", "BE" };
	c->proto = "mobility";
	c->last = "mobility";
	if (!pc_has(c, bp + 1, 1)) {
		out_trunc(c);
		return;
	}
	unsigned mhlen = (bp[1] + 1u) << 3;
	unsigned type = get_u8(c, bp + 2);
	if (type <= 7 && mhlen < minlen[type]) {
		out_fmt(c, "(header length %u is too small for type %u)", mhlen, type);
		out_trunc(c);
		return;
	}
	if (type <= 7)
		out_fmt(c, "mobility: %s", names[type]);
	else
		out_fmt(c, "mobility: type-#%u", type);
	unsigned hlen = IP6M_MINLEN;
	int v = c->o->vflag;
	switch (type) {
	case 0:
		break;
	case 1:
	case 2:
		if (v)
			out_fmt(c, " %s Init Cookie=%08x:%08x", type == 1 ? "Home" : "Care-of", get_be32(c, bp + 8),
				get_be32(c, bp + 12));
		hlen += 8;
		break;
	case 3:
	case 4:
		out_fmt(c, " nonce id=0x%x", get_be16(c, bp + 6));
		if (v)
			out_fmt(c, " %s Init Cookie=%08x:%08x", type == 3 ? "Home" : "Care-of", get_be32(c, bp + 8),
				get_be32(c, bp + 12));
		if (v)
			out_fmt(c, " %s Keygen Token=%08x:%08x", type == 3 ? "Home" : "Care-of",
				get_be32(c, bp + 16), get_be32(c, bp + 20));
		hlen += 16;
		break;
	case 5: {
		out_fmt(c, " seq#=%u", get_be16(c, bp + 6));
		pc_need(c, bp + 8, 2);
		unsigned bits = (bp[8] & 0xf0) >> 4;
		if (bits) {
			out_char(c, ' ');
			out_fmt(c, "%s%s%s%s", bits & 8 ? "A" : "", bits & 4 ? "H" : "", bits & 2 ? "L" : "",
				bits & 1 ? "K" : "");
		}
		out_fmt(c, " lifetime=%u", (unsigned)get_be16(c, bp + 10) << 2);
		hlen += 4;
		break;
	}
	case 6:
		out_fmt(c, " status=%u", get_u8(c, bp + 6));
		if (get_u8(c, bp + 7) & 0x80)
			out_str(c, " K");
		out_fmt(c, " seq#=%u", get_be16(c, bp + 8));
		out_fmt(c, " lifetime=%u", (unsigned)get_be16(c, bp + 10) << 2);
		hlen += 4;
		break;
	case 7:
		out_fmt(c, " status=%u", get_u8(c, bp + 6));
		out_str(c, " homeaddr ");
		out_ip6(c, bp + 8);
		hlen += 16;
		break;
	default:
		out_fmt(c, " len=%u", get_u8(c, bp + 1));
		return;
	}
	if (v && mobility_opts(c, bp + hlen, mhlen - hlen))
		out_trunc(c);
}
