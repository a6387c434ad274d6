/* capture/print_ip6.c: IPv6 (RFC 8200) and its extension headers as
 * tcpdump's print-ip6.c, print-ip6opts.c, print-frag6.c and
 * print-rt6.c print them. */
#include "print_get.h"


/* Hop-by-hop and destination option types (IANA "Destination Options
 * and Hop-by-Hop Options") and the lengths tcpdump checks. */
#define OPT_PAD1 0x00
#define OPT_PADN 0x01
#define OPT_RTALERT 0x05     /* RFC 2711 */
#define OPT_JUMBO 0xc2       /* RFC 2675 */
#define OPT_HOMEADDR 0xc9    /* RFC 6275 6.3 */
#define OPT_MINLEN 2
#define OPT_RTALERT_LEN 4
#define OPT_JUMBO_LEN 6
#define OPT_HOMEADDR_MINLEN 18
#define JUMBO_MIN 65536u     /* RFC 2675 2: a smaller length is invalid */

/* A valid jumbo payload option (RFC 2675) found in the hop-by-hop
 * header sets FOUND and replaces the IPv6 payload length. */
struct jumbo {
	int found;
	uint32_t *payload_len; /* NULL in a destination options header */
};

/* The sub-options of a home address option (RFC 6275 6.3), printed at
 * -v as tcpdump's ip6_sopt_print. Returns 0, or -1 when malformed. */
static int ip6_subopts(struct pctx *c, const uint8_t *bp, unsigned len)
{
	unsigned optlen;
	for (unsigned i = 0; i < len; i += optlen) {
		unsigned type = get_u8(c, bp + i);
		if (type == OPT_PAD1)
			optlen = 1;
		else if (i + 1 < len)
			optlen = get_u8(c, bp + i + 1) + 2u;
		else
			return -1;
		if (i + optlen > len)
			return -1;
		if (type == OPT_PAD1)
			out_str(c, ", pad1");
		else if (type == OPT_PADN)
			out_str(c, ", padn");
		else
			out_fmt(c, ", sopt_type 0x%02x: len=%u", type, optlen - 2);
	}
	return 0;
}

/* The jumbo payload option's value, judged as tcpdump 4.99.3 does:
 * once per header, hop-by-hop only, with a zero IPv6 payload length
 * and at least 65536 bytes; only then does it replace the length. */
static void opt_jumbo(struct pctx *c, uint32_t jl, int *seen, struct jumbo *j)
{
	const char *why = "";
	if (*seen) {
		why = " - already seen";
	} else {
		*seen = 1;
		if (!j->payload_len) {
			why = " - not a hop-by-hop option";
		} else if (*j->payload_len != 0) {
			why = " - payload len != 0";
		} else if (jl < JUMBO_MIN) {
			why = " - < 65536";
		} else {
			j->found = 1;
			*j->payload_len = jl;
		}
	}
	if (c->o->vflag)
		out_fmt(c, "(jumbo: %u%s) ", jl, why);
}

/* One option of TYPE and OPTLEN bytes at OPT, REST bytes left in the
 * header from it: tcpdump's ip6_opt_process prints a malformed option
 * at any -v level, a good one at -v only. Returns 0 or -1. */
static int ip6_opt(struct pctx *c, const uint8_t *opt, unsigned type, unsigned optlen, unsigned rest,
		   int *seen, struct jumbo *j)
{
	int v = c->o->vflag;
	switch (type) {
	case OPT_PAD1:
		if (v)
			out_str(c, "(pad1)");
		return 0;
	case OPT_PADN:
		if (v)
			out_str(c, "(padn)");
		return 0;
	case OPT_RTALERT:
		if (rest < OPT_RTALERT_LEN) {
			out_str(c, "(rtalert: trunc)");
			return -1;
		}
		if (optlen != OPT_RTALERT_LEN) {
			out_fmt(c, "(rtalert: invalid len %u)", optlen - 2);
			return -1;
		}
		if (v)
			out_fmt(c, "(rtalert: 0x%04x) ", get_be16(c, opt + 2));
		return 0;
	case OPT_JUMBO:
		if (rest < OPT_JUMBO_LEN) {
			out_str(c, "(jumbo: trunc)");
			return -1;
		}
		if (optlen != OPT_JUMBO_LEN) {
			out_fmt(c, "(jumbo: invalid len %u)", optlen - 2);
			return -1;
		}
		opt_jumbo(c, get_be32(c, opt + 2), seen, j);
		return 0;
	case OPT_HOMEADDR:
		if (rest < OPT_HOMEADDR_MINLEN) {
			out_str(c, "(homeaddr: trunc)");
			return -1;
		}
		if (optlen < OPT_HOMEADDR_MINLEN) {
			out_fmt(c, "(homeaddr: invalid len %u)", optlen - 2);
			return -1;
		}
		if (v) {
			pc_need(c, opt + 2, 16);
			out_str(c, "(homeaddr: ");
			out_ip6(c, opt + 2);
			if (optlen > OPT_HOMEADDR_MINLEN &&
			    ip6_subopts(c, opt + OPT_HOMEADDR_MINLEN, optlen - OPT_HOMEADDR_MINLEN) == -1)
				return -1;
			out_char(c, ')');
		}
		return 0;
	default:
		if (v)
			out_fmt(c, "(opt_type 0x%02x: len=%u)", type, optlen - 2);
		return 0;
	}
}

/* Hop-by-hop and destination options (RFC 8200 4.2) as tcpdump's
 * ip6_opt_process. Returns 0, or -1 when the options are malformed. */
static int ip6_opts(struct pctx *c, const uint8_t *bp, unsigned len, struct jumbo *j)
{
	unsigned optlen;
	int seen = 0;
	if (len == 0)
		return 0;
	for (unsigned i = 0; i < len; i += optlen) {
		unsigned type = get_u8(c, bp + i);
		if (type == OPT_PAD1)
			optlen = 1;
		else if (i + 1 < len)
			optlen = get_u8(c, bp + i + 1) + 2u;
		else
			return -1;
		if (i + optlen > len)
			return -1;
		if (ip6_opt(c, bp + i, type, optlen, len - i, &seen, j) == -1)
			return -1;
	}
	if (c->o->vflag)
		out_char(c, ' ');
	return 0;
}

/* tcpdump's hbhopt_process / dstopt_process: the whole header must be
 * captured (else the marker and the packet ends); hop-by-hop options
 * are always walked (a jumbo payload counts at any -v level),
 * destination options only at -v. */
static int ext_hbh_dst(struct pctx *c, const uint8_t *cp, int hbh, struct jumbo *j)
{
	c->proto = hbh ? "hbhopt" : "dstopt";
	unsigned hlen = (get_u8(c, cp + 1) + 1u) * 8;
	if (!pc_has(c, cp, hlen)) {
		/* tcpdump's ND_TCHECK_LEN: marker, then a normal return */
		out_trunc(c);
		return -1;
	}
	out_str(c, hbh ? "HBH " : "DSTOPT ");
	struct jumbo dst = { 0, NULL };
	if ((hbh || c->o->vflag) && ip6_opts(c, cp + 2, hlen - 2, hbh ? j : &dst) == -1) {
		out_trunc(c);
		return -1;
	}
	return (int)hlen;
}

static int ext_frag(struct pctx *c, const uint8_t *cp, const uint8_t *ip6)
{
	c->proto = "frag6";
	unsigned offlg = get_be16(c, cp + 2);
	/* tcpdump computes the rest in size_t: a short payload wraps at 2^64 */
	uint64_t rest = 40u + (uint64_t)get_be16(c, ip6 + 4) - (uint64_t)(cp - ip6) - 8u;
	if (c->o->vflag)
		out_fmt(c, "frag (0x%08x:%u|%llu)", get_be32(c, cp + 4), offlg & 0xfff8, (unsigned long long)rest);
	else
		out_fmt(c, "frag (%u|%llu)", offlg & 0xfff8, (unsigned long long)rest);
	if (offlg & 0xfff8)
		return -1;
	out_char(c, ' ');
	return 8;
}

/* Routing header types tcpdump decodes (IANA "Routing Types"). */
#define RT6_TYPE_SOURCE 0   /* RFC 8200 4.4, deprecated by RFC 5095 */
#define RT6_TYPE_MIP6 2     /* RFC 6275 6.4 */
#define RT6_TYPE_SRH 4      /* RFC 8754 2 */

/* The address list of a type 0, 2 or 4 routing header: LEN 8-octet
 * units, two per address; an odd LEN is invalid (tcpdump 4.99.3 checks
 * nothing else, an SRH's TLVs print as addresses). */
static int rt6_addresses(struct pctx *c, const uint8_t *cp, unsigned len)
{
	if (len % 2 == 1) {
		out_fmt(c, " (invalid length %u)", len);
		out_invalid(c);
		return -1;
	}
	const uint8_t *a = cp + 8;
	for (unsigned i = 0; i < len / 2; i++, a += 16) {
		pc_need(c, a, 16);
		out_fmt(c, ", [%u]", i);
		out_ip6(c, a);
	}
	out_str(c, ") ");
	return (int)((len + 1) * 8);
}

/* Routing header (RFC 8200 4.4) as tcpdump 4.99.3's rt6_print: the
 * name first, then each field as it is read; the reserved word (type
 * 0/2) and SRH flags show when non-zero or at -v; other types are
 * invalid and end the packet. */
static int ext_routing(struct pctx *c, const uint8_t *cp)
{
	c->proto = "rt6";
	out_str(c, "RT6");
	unsigned len = get_u8(c, cp + 1);
	out_fmt(c, " (len=%u", len);
	unsigned type = get_u8(c, cp + 2);
	out_fmt(c, ", type=%u", type);
	if (type == RT6_TYPE_SOURCE)
		out_str(c, " [Deprecated]");
	out_fmt(c, ", segleft=%u", get_u8(c, cp + 3));
	switch (type) {
	case RT6_TYPE_SOURCE:
	case RT6_TYPE_MIP6: {
		uint32_t rsv = get_be32(c, cp + 4);
		if (rsv || c->o->vflag)
			out_fmt(c, ", rsv=0x%x", rsv);
		return rt6_addresses(c, cp, len);
	}
	case RT6_TYPE_SRH: {
		out_fmt(c, ", last-entry=%u", get_u8(c, cp + 4));
		unsigned flags = get_u8(c, cp + 5);
		if (flags || c->o->vflag)
			out_fmt(c, ", flags=0x%x", flags);
		out_fmt(c, ", tag=%x", get_be16(c, cp + 6));
		return rt6_addresses(c, cp, len);
	}
	default:
		out_str(c, " (unknown type)");
		out_invalid(c);
		return -1;
	}
}

const uint8_t *ip6_final_dst(struct pctx *c, const uint8_t *ip6)
{
	/* tcpdump's ip6_finddst: walk hop-by-hop, destination options and AH
	 * headers; the first routing header of type 0 or 2 gives its last
	 * address; anything else ends the walk. */
	const uint8_t *dst = ip6 + 24;
	const uint8_t *cp = ip6 + 40;
	unsigned nh = ip6[6];
	for (;;) {
		if (!pc_has(c, cp, 2))
			return dst;
		switch (nh) {
		case 0:
		case 60:
			nh = cp[0];
			cp += (cp[1] + 1u) * 8;
			break;
		case 51:
			nh = cp[0];
			cp += (cp[1] + 2u) * 4;
			break;
		case 43: {
			if (!pc_has(c, cp, 4))
				return dst;
			unsigned type = cp[2], n = cp[1] / 2u;
			if (cp[1] % 2 == 1)
				return dst; /* tcpdump gives up on an odd length */
			if (type == 4 && pc_has(c, cp + 8, 16))
				dst = cp + 8; /* tcpdump takes the SRH's first segment */
			if (type == 0 || type == 2)
				for (unsigned i = 0; i < n && pc_has(c, cp + 8 + i * 16, 16); i++)
					dst = cp + 8 + i * 16;
			return dst;
		}
		default:
			return dst;
		}
	}
}

void print_ip6(struct pctx *c, const uint8_t *bp, unsigned length)
{
	char buf[24];
	c->proto = "ip6";
	c->last = "ip6";
	if (!pc_has(c, bp, 40)) {
		/* tcpdump's ND_TCHECK_SIZE: marker, then a normal return */
		out_trunc(c);
		return;
	}
	if (length < 40) {
		out_fmt(c, "IP6 truncated-ip6 %u", length);
		return;
	}
	if (!c->o->eflag)
		out_str(c, "IP6 ");
	unsigned ver = get_u8(c, bp) >> 4;
	if (ver != 6) {
		out_fmt(c, "version error: %u != 6", ver);
		return;
	}
	uint32_t payload_len = get_be16(c, bp + 4);
	unsigned len;
	if (payload_len != 0) {
		len = payload_len + 40;
		if (len > length)
			out_fmt(c, "truncated-ip6 - %u bytes missing!", len - length);
	} else {
		/* RFC 2675: a jumbo payload option may give the length; walk
		 * the extension headers over what was captured to find it */
		len = length + 40;
	}
	struct jumbo jumbo = { 0, &payload_len };
	int found_ext = 0;
	unsigned total_advance = 0;
	unsigned nh = get_u8(c, bp + 6);
	if (c->o->vflag) {
		uint32_t flow = get_be32(c, bp);
		out_char(c, '(');
		if (flow & 0x0ff00000)
			out_fmt(c, "class 0x%02x, ", (flow & 0x0ff00000) >> 20);
		if (flow & 0x000fffff)
			out_fmt(c, "flowlabel 0x%05x, ", flow & 0x000fffff);
		out_fmt(c, "hlim %u, next-header %s (%u) payload length: %u) ", get_u8(c, bp + 7),
			tok2str(ipproto_names, "unknown", nh, buf, sizeof(buf)), nh, payload_len);
	}
	const uint8_t *saved_end = c->snapend;
	if (pc_avail(c, bp) > len)
		c->snapend = bp + len;
	const uint8_t *cp = bp;
	int advance = 40;
	int fragmented = 0, found_hbh = 0;
	while (cp < c->snapend && advance > 0) {
		if (len < (unsigned)advance) {
			out_trunc(c);
			break;
		}
		cp += advance;
		len -= (unsigned)advance;
		total_advance += (unsigned)advance;
		if (cp == bp + 40 && nh != 6 && nh != 17 && nh != 33 && nh != 132) {
			out_ip6(c, bp + 8);
			out_str(c, " > ");
			out_ip6(c, bp + 24);
			out_str(c, ": ");
		}
		switch (nh) {
		case 0:
			/* RFC 8200 4.1: hop-by-hop options only right after the
			 * IPv6 header, once. */
			if (found_hbh) {
				out_str(c, "[The Hop-by-Hop Options header was already found]");
				out_invalid(c);
				goto done;
			}
			if (cp != bp + 40) {
				out_str(c, "[The Hop-by-Hop Options header don't follow the IPv6 header]");
				out_invalid(c);
				goto done;
			}
			advance = ext_hbh_dst(c, cp, 1, &jumbo);
			if (payload_len == 0 && !jumbo.found) {
				out_str(c, "[No valid Jumbo Payload Hop-by-Hop option found]");
				out_invalid(c);
				goto done;
			}
			if (advance < 0)
				goto done;
			found_hbh = found_ext = 1;
			nh = get_u8(c, cp);
			break;
		case 60:
			advance = ext_hbh_dst(c, cp, 0, &jumbo);
			if (advance < 0)
				goto done;
			found_ext = 1;
			nh = get_u8(c, cp);
			break;
		case 44:
			advance = ext_frag(c, cp, bp);
			if (advance < 0 || c->snapend <= cp + advance)
				goto done;
			nh = get_u8(c, cp);
			fragmented = found_ext = 1;
			break;
		case 43:
			if (!pc_has(c, cp, 1)) {
				out_trunc(c); /* tcpdump's ND_TCHECK_1: no longjmp */
				goto done;
			}
			advance = ext_routing(c, cp);
			if (advance < 0)
				goto done;
			found_ext = 1;
			nh = get_u8(c, cp);
			break;
		default:
			/* The payload's length: the jumbo option's (RFC 2675 3),
			 * else none for a zero payload length (tcpdump 4.99.3's
			 * order of checks) */
			if (jumbo.found) {
				len = payload_len + 40;
				if (len < total_advance) {
					out_trunc(c);
					goto done;
				}
				if (length < len)
					out_fmt(c, "truncated-ip6 - %u bytes missing!", len - length);
				if (pc_avail(c, bp) > len)
					c->snapend = bp + len;
				len -= total_advance;
			} else if (payload_len == 0) {
				if (found_ext) {
					out_trunc(c);
					goto done;
				}
				if (pc_avail(c, bp) > 40)
					c->snapend = bp + 40;
				len = 0;
			}
			print_ip_demux(c, cp, len, 6, fragmented, get_u8(c, bp + 7), nh, bp);
			goto done;
		}
		c->proto = "ip6";
	}
done:
	c->snapend = saved_end;
}
