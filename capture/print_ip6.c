/* capture/print_ip6.c: IPv6 (RFC 8200) and its extension headers as
 * tcpdump's print-ip6.c, print-ip6opts.c, print-frag6.c and
 * print-rt6.c print them. */
#include "print_get.h"


/* Jumbo payload state (RFC 2675) across one packet's headers. */
struct jumbo {
	int found;
	uint32_t *payload_len; /* NULL in a destination options header */
};

/* Hop-by-hop and destination options (RFC 8200 4.2), printed at -v
 * only but always walked (a jumbo payload option counts either way).
 * Returns 0, or -1 when the options are malformed. */
static int ip6_opts(struct pctx *c, const uint8_t *bp, unsigned len, int print, struct jumbo *j)
{
	unsigned i, optlen = 0;
	for (i = 0; i < len; i += optlen) {
		unsigned type = get_u8(c, bp + i);
		if (type == 0) {
			optlen = 1;
			if (print)
				out_str(c, "(pad1)");
			continue;
		}
		if (i + 1 < len)
			optlen = get_u8(c, bp + i + 1) + 2u;
		else
			return -1;
		if (i + optlen > len)
			return -1;
		switch (type) {
		case 0x01:
			if (print)
				out_fmt(c, "(padn)");
			break;
		case 0x05:
			if (optlen != 4) {
				if (print)
					out_fmt(c, "(rtalert: invalid len %u)", optlen - 2);
				return -1;
			}
			if (print)
				out_fmt(c, "(rtalert: 0x%04x) ", get_be16(c, bp + i + 2));
			break;
		case 0xc2: { /* RFC 2675 2: once, in hop-by-hop, payload length 0 */
			if (optlen != 6) {
				if (print)
					out_fmt(c, "(jumbo: invalid len %u)", optlen - 2);
				return -1;
			}
			uint32_t jl = get_be32(c, bp + i + 2);
			const char *why = NULL;
			if (j->found)
				why = " - already seen";
			else if (!j->payload_len)
				why = " - not a hop-by-hop option";
			else if (*j->payload_len != 0)
				why = " - payload len != 0";
			if (!j->found && j->payload_len && *j->payload_len == 0)
				*j->payload_len = jl;
			j->found = 1;
			if (print)
				out_fmt(c, "(jumbo: %u%s) ", jl, why ? why : "");
			break;
		}
		default:
			if (print)
				out_fmt(c, "(opt_type 0x%02x: len=%u)", type, optlen - 2);
			break;
		}
	}
	return 0;
}

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
	struct jumbo dst = { j->found, NULL };
	if (ip6_opts(c, cp + 2, hlen - 2, c->o->vflag, hbh ? j : &dst) == -1) {
		out_trunc(c);
		return -1;
	}
	if (!hbh)
		j->found = dst.found;
	if (c->o->vflag)
		out_char(c, ' ');
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

/* Routing header (RFC 8200 4.4): types 0 (RFC 5095 deprecated it) and
 * 2 (RFC 6275 6.4) list addresses; tcpdump's rt6_print. */
static int ext_routing(struct pctx *c, const uint8_t *cp)
{
	c->proto = "rt6";
	unsigned len = get_u8(c, cp + 1);
	out_fmt(c, "RT6 (len=%u", len);
	unsigned type = get_u8(c, cp + 2);
	out_fmt(c, ", type=%u", type);
	if (type == 0)
		out_str(c, " [Deprecated]");
	out_fmt(c, ", segleft=%u", get_u8(c, cp + 3));
	switch (type) {
	case 0:
	case 2: {
		if (c->o->vflag)
			out_fmt(c, ", rsv=0x%0x", get_be32(c, cp + 4));
		unsigned n = len / 2;
		const uint8_t *a = cp + 8;
		for (unsigned i = 0; i < n; i++, a += 16) {
			pc_need(c, a, 16);
			out_fmt(c, ", [%u]", i);
			out_ip6(c, a);
		}
		out_str(c, ") ");
		return (int)((len + 1) * 8);
	}
	case 4: {
		/* RFC 8754 2: last entry, flags, tag, segment list */
		unsigned last = get_u8(c, cp + 4), flags = get_u8(c, cp + 5);
		out_fmt(c, ", last-entry=%u", last);
		if (flags || c->o->vflag)
			out_fmt(c, ", flags=0x%x", flags);
		out_fmt(c, ", tag=%x", get_be16(c, cp + 6));
		/* tcpdump 4.99.3 takes no TLVs: the header must hold exactly
		 * the segment list */
		if (len != (last + 1) * 2) {
			out_fmt(c, " (invalid length %u)", len);
			out_invalid(c);
			return -1;
		}
		const uint8_t *a = cp + 8;
		for (unsigned i = 0; i <= last; i++, a += 16) {
			out_fmt(c, ", [%u]", i);
			out_ip6(c, a);
		}
		out_str(c, ") ");
		return (int)((len + 1) * 8);
	}
	default:
		c->last = "ip6-app"; /* other routing types are not decoded yet */
		out_str(c, ") ");
		return (int)((len + 1) * 8);
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
