/* capture/print_icmp6.c: ICMPv6 (RFC 4443), neighbor discovery
 * (RFC 4861) and MLD (RFC 2710) as tcpdump's print-icmp6.c prints them
 * at default verbosity. */
#include <string.h>

#include "print_get.h"

static const struct tok icmp6_names[] = {
	{ 1, "destination unreachable" }, { 2, "packet too big" },
	{ 3, "time exceeded in-transit" }, { 4, "parameter problem" },
	{ 128, "echo request" },          { 129, "echo reply" },
	{ 130, "multicast listener query" }, { 131, "multicast listener report" },
	{ 132, "multicast listener done" }, { 133, "router solicitation" },
	{ 134, "router advertisement" },  { 135, "neighbor solicitation" },
	{ 136, "neighbor advertisement" }, { 137, "redirect" },
	{ 138, "router renumbering" },    { 139, "who-are-you request" },
	{ 140, "who-are-you reply" },     { 141, "inverse neighbor solicitation" },
	{ 142, "inverse neighbor advertisement" }, { 143, "multicast listener report v2" },
	{ 144, "ha discovery request" },  { 145, "ha discovery reply" },
	{ 146, "mobile router solicitation" }, { 147, "mobile router advertisement" },
	{ 155, "RPL" },
	{ 200, "mtrace response" }, { 201, "mtrace message" },
	{ 0, NULL },
};

static const struct tok unreach_names[] = {
	{ 0, "unreachable route" },  { 1, " unreachable prohibited" }, { 2, "beyond scope" },
	{ 3, "unreachable address" }, { 4, "unreachable port" },
	{ 0, NULL },
};

/* The upper-layer header inside the quoted datagram of an error
 * (tcpdump's get_upperlayer): skips extension headers. NULL when cut. */
static const uint8_t *upper_layer(struct pctx *c, const uint8_t *ip6, unsigned *prot)
{
	if (!pc_has(c, ip6, 40))
		return NULL;
	unsigned nh = ip6[6];
	const uint8_t *cp = ip6 + 40;
	for (;;) {
		switch (nh) {
		case 6:
		case 17:
			*prot = nh;
			return pc_has(c, cp, 4) ? cp : NULL;
		case 0:
		case 60:
		case 43:
			if (!pc_has(c, cp, 2))
				return NULL;
			nh = cp[0];
			cp += (cp[1] + 1u) * 8;
			break;
		case 44:
			if (!pc_has(c, cp, 8))
				return NULL;
			if ((cp[2] << 8 | cp[3]) & 0xfff8)
				return NULL;
			nh = cp[0];
			cp += 8;
			break;
		default:
			*prot = nh;
			return pc_has(c, cp, 4) ? cp : NULL;
		}
	}
}

static const struct tok ndopt_names[] = {
	{ 1, "source link-address" }, { 2, "destination link-address" }, { 3, "prefix info" },
	{ 4, "redirected header" },   { 5, "mtu" },                      { 7, "advertisement interval" },
	{ 8, "homeagent information" }, { 24, "route info" },            { 25, "rdnss" },
	{ 31, "dnssl" },              { 0, NULL },
};

static const char *const rtpref[] = { "medium", "high", "rsv", "low" };

static void out_lifetime(struct pctx *c, uint32_t v)
{
	if (v == 0xffffffffu)
		out_str(c, "infinity");
	else
		out_fmt(c, "%us", v);
}

/* RFC 4861 4.6 options (and RFC 4191 route info, RFC 8106 RDNSS,
 * RFC 6275 7.3/7.4) as tcpdump's icmp6_opt_print; -1 when cut short. */
static int nd_opts(struct pctx *c, const uint8_t *icmp, const uint8_t *cp, int resid)
{
	char buf[32];
	const uint8_t *ep = c->snapend;
	/* tcpdump walks to the captured end, and stops on the length */
	while (cp < ep) {
		if (!pc_has(c, cp, 2))
			return -1;
		if (resid <= 0)
			return 0;
		unsigned type = cp[0], olen = cp[1];
		if (olen == 0 || cp + (olen << 3) > ep)
			return -1;
		out_fmt(c, "\n\t  %s option (%u), length %u (%u): ", tok2str(ndopt_names, "unknown", type, buf, sizeof(buf)),
			type, olen << 3, olen);
		switch (type) {
		case 1:
		case 2:
			for (unsigned i = 0; i < (olen << 3) - 2; i++)
				out_fmt(c, i ? ":%02x" : "%02x", get_u8(c, cp + 2 + i));
			break;
		case 3: {
			out_ip6(c, cp + 16);
			unsigned fl = get_u8(c, cp + 3);
			out_fmt(c, "/%u%s, Flags [", get_u8(c, cp + 2), olen != 4 ? "badlen" : "");
			/* RFC 4861 4.6.2 L and A, RFC 6275 7.2 R */
			static const struct tok prefix_flags[] = {
				{ 0x80, "onlink" }, { 0x40, "auto" }, { 0x20, "router" }, { 0, NULL },
			};
			out_bitnames(c, prefix_flags, fl, "none");
			out_str(c, "], valid time ");
			out_lifetime(c, get_be32(c, cp + 4));
			out_str(c, ", pref. time ");
			out_lifetime(c, get_be32(c, cp + 8));
			break;
		}
		case 4:
			/* tcpdump dumps from the options' start here */
			c->last = "icmp6-v";
			return 0;
		case 5:
			out_fmt(c, " %u%s", get_be32(c, cp + 4), olen != 1 ? "bad option length" : "");
			break;
		case 25: {
			unsigned n = (olen - 1) / 2;
			out_fmt(c, " lifetime %us,", get_be32(c, cp + 4));
			for (unsigned i = 0; i < n; i++) {
				out_str(c, " addr: ");
				out_ip6(c, cp + 8 + 16 * i);
			}
			break;
		}
		case 7:
			out_fmt(c, " %ums", get_be32(c, cp + 4));
			break;
		case 8:
			out_fmt(c, " preference %u, lifetime %u", get_be16(c, cp + 4), get_be16(c, cp + 6));
			break;
		case 24: {
			uint8_t a[16];
			memset(a, 0, sizeof(a));
			pc_need(c, cp + 4, 4);
			if (olen == 2 || olen == 3) {
				pc_need(c, cp + 8, olen == 2 ? 8 : 16);
				memcpy(a, cp + 8, olen == 2 ? 8 : 16);
			} else if (olen != 1) {
				return -1;
			}
			/* the prefix is a local copy: print it without the packet check */
			const uint8_t *save_pkt = c->pkt, *save_end = c->snapend;
			c->pkt = a;
			c->snapend = a + 16;
			out_char(c, ' ');
			out_ip6(c, a);
			c->pkt = save_pkt;
			c->snapend = save_end;
			out_fmt(c, "/%u", get_u8(c, cp + 2));
			out_fmt(c, ", pref=%s", rtpref[(get_u8(c, cp + 3) >> 3) & 3]);
			out_str(c, ", lifetime=");
			out_lifetime(c, get_be32(c, cp + 4));
			break;
		}
		case 31: { /* RFC 8106 5.2: lifetime, then RFC 1035 names */
			out_fmt(c, " lifetime %us, domain(s):", get_be32(c, cp + 4));
			const uint8_t *dom = cp + 8, *end = cp + (olen << 3);
			while (dom < end && get_u8(c, dom) != 0) {
				out_char(c, ' ');
				dom = dns_name_print(c, dom, icmp);
				if (!dom)
					return -1;
			}
			break;
		}
		default:
			if (c->o->vflag <= 1) {
				out_hex_ident(c, "\n\t  ", cp + 2, (olen << 3) - 2);
				return 0;
			}
			break;
		}
		if (c->o->vflag > 1)
			out_hex_ident(c, "\n\t    ", cp + 2, (olen << 3) - 2);
		cp += olen << 3;
		resid -= (int)(olen << 3);
	}
	return 0;
}

/* RFC 3810 5.1.3 and 5.1.9: the exponential codes of Maximum Response
 * Code and QQIC. */
static unsigned mldv2_exp(unsigned v, unsigned limit, unsigned mant_mask, unsigned exp_shift, unsigned exp_mask)
{
	if (v < limit)
		return v;
	return ((v & mant_mask) | (mant_mask + 1)) << (((v & exp_mask) >> exp_shift) + 3);
}

/* RFC 3810 5.1: MLDv2 query. */
static void mldv2_query(struct pctx *c, const uint8_t *bp, unsigned len)
{
	unsigned mrt = mldv2_exp(get_be16(c, bp + 4), 32768, 0x0fff, 12, 0x7000);
	if (c->o->vflag)
		out_fmt(c, " [max resp delay=%u]", mrt);
	pc_need(c, bp + 8, 16); /* read before the text is printed */
	out_str(c, " [gaddr ");
	out_ip6(c, bp + 8);
	if (c->o->vflag) {
		unsigned f = get_u8(c, bp + 24);
		if (f & 0x08)
			out_str(c, " sflag");
		if (f & 0x07)
			out_fmt(c, " robustness=%u", f & 0x07);
		out_fmt(c, " qqi=%u", mldv2_exp(get_u8(c, bp + 25), 128, 0x0f, 4, 0x70));
	}
	unsigned nsrcs = get_be16(c, bp + 26);
	if (nsrcs > 0) {
		if (len < 28 + nsrcs * 16u) {
			out_str(c, " [invalid number of sources]");
		} else if (c->o->vflag > 1) {
			out_str(c, " {");
			for (unsigned i = 0; i < nsrcs; i++) {
				out_char(c, ' ');
				out_ip6(c, bp + 28 + 16 * i);
			}
			out_str(c, " }");
		} else {
			out_fmt(c, ", %u source(s)", nsrcs);
		}
	}
	out_char(c, ']');
}

/* RFC 3810 5.2: MLDv2 report, one bracket per multicast address record. */
static void mldv2_report(struct pctx *c, const uint8_t *bp, unsigned len)
{
	static const struct tok rtypes[] = {
		{ 1, "is_in" }, { 2, "is_ex" }, { 3, "to_in" }, { 4, "to_ex" }, { 5, "allow" }, { 6, "block" }, { 0, NULL },
	};
	if (len < 8) {
		out_fmt(c, " [invalid len %u]", len);
		return;
	}
	unsigned ngroups = get_be16(c, bp + 6);
	out_fmt(c, ", %u group record(s)", ngroups);
	if (!c->o->vflag)
		return;
	unsigned group = 8;
	for (unsigned i = 0; i < ngroups; i++) {
		if (len < group + 20) {
			out_str(c, " [invalid number of groups]");
			return;
		}
		pc_need(c, bp + group + 4, 16);
		out_str(c, " [gaddr ");
		out_ip6(c, bp + group + 4);
		char buf[24];
		out_char(c, ' ');
		out_str(c, tok2str(rtypes, " [v2-report-#%u]", get_u8(c, bp + group), buf, sizeof(buf)));
		unsigned nsrcs = get_be16(c, bp + group + 2);
		if (len < group + 20 + nsrcs * 16u) {
			out_fmt(c, " [invalid number of sources %u]", nsrcs);
			return;
		}
		if (c->o->vflag == 1) {
			out_fmt(c, ", %u source(s)", nsrcs);
		} else {
			out_str(c, " {");
			for (unsigned j = 0; j < nsrcs; j++) {
				out_char(c, ' ');
				out_ip6(c, bp + group + 20 + 16 * j);
			}
			out_str(c, " }");
		}
		group += 20 + nsrcs * 16;
		out_char(c, ']');
	}
}

/* RFC 2894 3: router renumbering header, then for a command the
 * match-prefix part and its use-prefix parts (3.1, 3.2). */
/* tcpdump's icmp6_rrenum_print: a cut message is marked and the
 * caller goes on (its ND_TCHECKs jump to a local label). */
static void rrenum(struct pctx *c, const uint8_t *bp)
{
	if (!pc_has(c, bp + 12, 4)) {
		out_trunc(c);
		return;
	}
	unsigned code = bp[1];
	if (code == 0)
		out_str(c, ", command");
	else if (code == 1)
		out_str(c, ", result");
	else if (code == 255)
		out_str(c, ", sequence number reset");
	else
		out_fmt(c, ", code-#%u", code);
	out_fmt(c, ", seq=%u", get_be32(c, bp + 4));
	if (c->o->vflag) {
		unsigned f = bp[9];
		out_char(c, '[');
		if (f)
			out_fmt(c, "%s%s%s%s%s,", f & 0x80 ? "T" : "", f & 0x40 ? "R" : "", f & 0x20 ? "A" : "",
				f & 0x10 ? "S" : "", f & 0x08 ? "P" : "");
		out_fmt(c, "seg=%u,maxdelay=%u", bp[8], get_be16(c, bp + 10));
		if (get_be32(c, bp + 12))
			out_fmt(c, "rsvd=0x%x", get_be32(c, bp + 12));
		out_char(c, ']');
	}
	if (code != 0)
		return;
	const uint8_t *m = bp + 16;
	if (!pc_has(c, m, 24)) {
		out_trunc(c);
		return;
	}
	out_str(c, c->o->vflag > 1 ? "\n\tmatch(" : " match(");
	static const char *const mcodes[] = { NULL, "add", "change", "setglobal" };
	if (m[0] >= 1 && m[0] <= 3)
		out_str(c, mcodes[m[0]]);
	else
		out_fmt(c, "#%u", m[0]);
	if (c->o->vflag)
		out_fmt(c, ",ord=%u,min=%u,max=%u", m[2], m[4], m[5]);
	out_char(c, ',');
	out_ip6(c, m + 8);
	out_fmt(c, "/%u)", m[3]);
	int n = (int)m[1] - 3;
	if (n % 4) {
		out_trunc(c);
		return;
	}
	const uint8_t *u = m + 24;
	for (n /= 4; n > 0; n--, u += 32) {
		if (!pc_has(c, u, 32)) {
			out_trunc(c);
			return;
		}
		out_str(c, c->o->vflag > 1 ? "\n\tuse(" : " use(");
		/* RFC 2894 3.2: the 32-bit flags word after the lifetimes */
		unsigned uflags = get_u8(c, u + 12); /* tcpdump tests its first octet */
		if (uflags)
			out_fmt(c, "%s%s,", uflags & 0x80 ? "V" : "", uflags & 0x40 ? "P" : "");
		if (c->o->vflag) {
			out_fmt(c, "mask=0x%x,raflags=0x%x,", u[2], u[3]);
			uint32_t vl = get_be32(c, u + 4), pl = get_be32(c, u + 8);
			out_fmt(c, vl == 0xffffffffu ? "vltime=infty," : "vltime=%u,", vl);
			out_fmt(c, pl == 0xffffffffu ? "pltime=infty," : "pltime=%u,", pl);
		}
		out_ip6(c, u + 16);
		out_fmt(c, "/%u/%u)", u[0], u[1]);
	}
}

/* RFC 4620 4: the Node Addresses flags, in tcpdump's order. */
static void ni_addr_flags(struct pctx *c, unsigned f, int with_t)
{
	if (!f)
		return;
	out_fmt(c, " [%s%s%s%s%s%s%s]", f & 0x40 ? "a" : "", f & 0x20 ? "G" : "", f & 0x10 ? "S" : "",
		f & 0x08 ? "L" : "", f & 0x04 ? "C" : "", f & 0x02 ? "A" : "", with_t && (f & 0x01) ? "T" : "");
}

/* RFC 4620 node information query (139) and reply (140) as tcpdump's
 * icmp6_nodeinfo_print; 1 when cut short (the caller marks it).
 * DNS-name subjects and replies are not decoded (tagged "icmp6-other"). */
static int nodeinfo(struct pctx *c, const uint8_t *bp, unsigned length)
{
	unsigned siz = (unsigned)pc_avail(c, bp);
	unsigned type = get_u8(c, bp), code = get_u8(c, bp + 1);
	if (type == 139) {
		if (siz == 12) { /* KAME's who-are-you */
			out_str(c, " who-are-you request");
			return 0;
		}
		out_str(c, " node information query");
		if (!pc_has(c, bp, 16))
			return 1;
		unsigned qtype = get_be16(c, bp + 4), flags = get_be16(c, bp + 6);
		out_str(c, " (");
		switch (qtype) {
		case 0:
			out_str(c, "noop");
			break;
		case 1:
			out_str(c, "supported qtypes");
			if (flags)
				out_fmt(c, " [%s]", flags & 1 ? "C" : "");
			break;
		case 2:
			out_str(c, "DNS name");
			break;
		case 3:
			out_str(c, "node addresses");
			ni_addr_flags(c, flags, 0);
			break;
		default:
			out_str(c, "unknown");
		}
		if (qtype <= 1) {
			if (siz != 16 && c->o->vflag)
				out_str(c, ", invalid len");
			out_char(c, ')');
			return 0;
		}
		if (siz == 16) {
			out_str(c, ", 03 draft)");
			return 0;
		}
		const uint8_t *cp = bp + 16;
		switch (code) {
		case 0:
		case 2: {
			unsigned alen = code == 0 ? 16 : 4;
			if (!pc_has(c, bp, 16 + alen))
				break;
			if (siz != 16 + alen) {
				if (c->o->vflag)
					out_str(c, ", invalid subject len");
				break;
			}
			out_str(c, ", subject=");
			if (code == 0)
				out_ip6(c, cp);
			else
				out_ip4(c, cp);
			break;
		}
		case 1:
			out_str(c, ", subject=DNS name");
			c->last = "icmp6-other"; /* the name: not decoded */
			break;
		default:
			out_str(c, ", unknown subject");
		}
		out_char(c, ')');
		return 0;
	}
	if (length > siz)
		return 1;
	if (!pc_has(c, bp, 16))
		return 1;
	out_str(c, " node information reply (");
	int comma = 0;
	if (code == 0 && c->o->vflag) {
		out_str(c, "success");
		comma = 1;
	} else if (code == 1 || code == 2) {
		out_str(c, code == 1 ? "refused" : "unknown");
		comma = 1;
		if (siz != 16 && c->o->vflag)
			out_str(c, ", invalid length");
	}
	if (code != 0) {
		out_char(c, ')');
		return 0;
	}
	unsigned qtype = get_be16(c, bp + 4), flags = get_be16(c, bp + 6);
	if (comma)
		out_str(c, ", ");
	switch (qtype) {
	case 0:
		out_str(c, "noop");
		if (siz != 16 && c->o->vflag)
			out_str(c, ", invalid length");
		break;
	case 1:
		out_str(c, "supported qtypes");
		if (flags)
			out_fmt(c, " [%s]", flags & 1 ? "C" : "");
		break;
	case 2:
		out_str(c, "DNS name");
		c->last = "icmp6-other"; /* the names: not decoded */
		break;
	case 3:
		out_str(c, "node addresses");
		for (unsigned i = 16; i + 20 <= siz; i += 20) {
			out_char(c, ' ');
			out_ip6(c, bp + i + 4);
			out_fmt(c, "(%u)", get_be32(c, bp + i));
		}
		ni_addr_flags(c, flags, 1);
		break;
	default:
		out_str(c, "unknown");
	}
	out_char(c, ')');
	return 0;
}

/* RFC 6275 6.6: home agent addresses to the end of the message. */
static void ha_discovery_reply(struct pctx *c, const uint8_t *bp, unsigned length)
{
	out_fmt(c, ", id 0x%04x", get_be16(c, bp + 4));
	for (const uint8_t *p = bp + 8; p < bp + length; p += 16) {
		pc_need(c, p, 16); /* read before the comma is printed */
		out_str(c, ", ");
		out_ip6(c, p);
	}
}

/* RFC 6275 6.8: identifier, the M and O flags, then ND options; -1
 * when the options are cut short. */
static int mobile_prefix_advert(struct pctx *c, const uint8_t *bp, unsigned length)
{
	out_fmt(c, ", id 0x%04x", get_be16(c, bp + 4));
	unsigned flags = get_be16(c, bp + 6);
	if (flags & 0xc000)
		out_char(c, ' ');
	if (flags & 0x8000)
		out_char(c, 'M');
	if (flags & 0x4000)
		out_char(c, 'O');
	return nd_opts(c, bp, bp + 8, (int)length - 8);
}

static void mld6(struct pctx *c, const uint8_t *bp)
{
	if (!pc_has(c, bp, 24))
		return;
	out_fmt(c, "max resp delay: %u ", get_be16(c, bp + 4));
	out_str(c, "addr: ");
	out_ip6(c, bp + 8);
}

void print_icmp6(struct pctx *c, const uint8_t *bp, unsigned length, const uint8_t *ip, int fragmented)
{
	char buf[48];
	c->proto = "icmp6";
	c->last = "icmp6";
	if (length == 0) {
		out_str(c, "ICMP6, length 0");
		out_invalid(c);
		return;
	}
	if (c->o->vflag && !fragmented && pc_has(c, bp, length)) {
		uint16_t sum6 = get_be16(c, bp + 2);
		uint16_t sum = ip_l4_cksum(c, ip, bp, length, 58);
		if (sum != 0)
			out_fmt(c, "[bad icmp6 cksum 0x%04x -> 0x%04x!] ", sum6, cksum_shouldbe(sum6, sum));
		else
			out_str(c, "[icmp6 sum ok] ");
	}
	unsigned type = get_u8(c, bp);
	out_fmt(c, "ICMP6, %s", tok2str(icmp6_names, "unknown icmp6 type (%u)", type, buf, sizeof(buf)));
	if (c->o->vflag && (type == 133 || type == 134 || type == 135 || type == 136 || type == 137 ||
			    type == 145 || type == 147)) {
		out_fmt(c, ", length %u", length);
	}
	unsigned code = get_u8(c, bp + 1);
	const uint8_t *oip = bp + 8;
	switch (type) {
	case 1:
		out_fmt(c, ", %s", tok2str(unreach_names, "unknown unreach code (%u)", code, buf, sizeof(buf)));
		switch (code) {
		case 0:
		case 1:
		case 3:
			pc_need(c, oip + 24, 16); /* read before the space is printed */
			out_char(c, ' ');
			out_ip6(c, oip + 24);
			break;
		case 2:
			pc_need(c, oip + 24, 16);
			out_char(c, ' ');
			out_ip6(c, oip + 24);
			out_str(c, ", source address ");
			out_ip6(c, oip + 8);
			break;
		case 4: {
			unsigned prot = 0;
			const uint8_t *ouh = upper_layer(c, oip, &prot);
			if (!ouh) {
				out_trunc(c);
				return;
			}
			unsigned dport = get_be16(c, ouh + 2);
			out_str(c, ", ");
			out_ip6(c, oip + 24);
			if (prot == 6)
				out_fmt(c, " tcp port %u", dport);
			else if (prot == 17)
				out_fmt(c, " udp port %u", dport);
			else
				out_fmt(c, " protocol %u port %u unreachable", prot, dport);
			break;
		}
		default:
			if (c->o->vflag <= 1) {
				/* print_unknown_data: what was captured, no marker */
				size_t avail = pc_avail(c, bp);
				out_hex(c, bp, length < avail ? length : avail);
				return;
			}
			break;
		}
		break;
	case 2:
		out_fmt(c, ", mtu %u", get_be32(c, bp + 4));
		break;
	case 3:
		if (code == 0) {
			pc_need(c, oip + 24, 16); /* read before the text is printed */
			out_str(c, " for ");
			out_ip6(c, oip + 24);
		} else if (code == 1) {
			out_str(c, " (reassembly)");
		} else {
			out_fmt(c, ", unknown code (%u)", code);
		}
		break;
	case 4:
		pc_need(c, oip + 24, 16);
		switch (code) {
		case 0:
			out_fmt(c, ", erroneous - octet %u", get_be32(c, bp + 4));
			break;
		case 1:
			out_fmt(c, ", next header - octet %u", get_be32(c, bp + 4));
			break;
		case 2:
			out_fmt(c, ", option - octet %u", get_be32(c, bp + 4));
			break;
		case 3:
			out_fmt(c, ", incomplete header chain - octet %u", get_be32(c, bp + 4));
			break;
		default:
			out_fmt(c, ", code-#%u", code);
			break;
		}
		break;
	case 128:
	case 129:
		out_fmt(c, ", id %u, seq %u", get_be16(c, bp + 4), get_be16(c, bp + 6));
		break;
	case 130:
		if (length == 24) {
			mld6(c, bp);
		} else if (length >= 28) {
			out_str(c, " v2");
			mldv2_query(c, bp, length);
		} else {
			out_fmt(c, " unknown-version (len %u) ", length);
		}
		break;
	case 131:
	case 132:
		mld6(c, bp);
		break;
	case 143:
		mldv2_report(c, bp, length);
		break;
	case 138:
		rrenum(c, bp);
		break;
	case 139:
	case 140:
		/* tcpdump's icmp6_nodeinfo_print marks a cut message and
		 * returns: the length still follows */
		if (nodeinfo(c, bp, length))
			out_trunc(c);
		break;
	case 133:
		if (c->o->vflag && nd_opts(c, bp, bp + 8, (int)length - 8) == -1)
			goto trunc;
		break;
	case 134:
		if (c->o->vflag) {
			if (!pc_has(c, bp, 16)) /* tcpdump checks the fixed part first */
				goto trunc;
			unsigned fl = get_u8(c, bp + 5);
			out_fmt(c, "\n\thop limit %u, Flags [", get_u8(c, bp + 4));
			static const struct tok raflags[] = {
				{ 0x80, "managed" }, { 0x40, "other stateful" }, { 0x20, "home agent" },
				{ 0x02, "ipv6 only" }, { 0, NULL },
			};
			out_bitnames(c, raflags, fl, "none");
			out_fmt(c, "], pref %s, router lifetime %us, reachable time %ums, retrans timer %ums",
				rtpref[(fl >> 3) & 3], get_be16(c, bp + 6), get_be32(c, bp + 8), get_be32(c, bp + 12));
			if (nd_opts(c, bp, bp + 16, (int)length - 16) == -1)
				goto trunc;
		}
		break;
	case 135:
		pc_need(c, bp + 8, 16); /* read before the text is printed */
		out_str(c, ", who has ");
		out_ip6(c, bp + 8);
		if (c->o->vflag && nd_opts(c, bp, bp + 24, (int)length - 24) == -1)
			goto trunc;
		break;
	case 136:
		pc_need(c, bp + 8, 16);
		out_str(c, ", tgt is ");
		out_ip6(c, bp + 8);
		if (c->o->vflag) {
			uint32_t fl = get_be32(c, bp + 4);
			out_str(c, ", Flags [");
			static const struct tok naflags[] = {
				{ 0x80000000u, "router" }, { 0x40000000u, "solicited" }, { 0x20000000u, "override" },
				{ 0, NULL },
			};
			out_bitnames(c, naflags, fl, "none");
			out_char(c, ']');
			if (nd_opts(c, bp, bp + 24, (int)length - 24) == -1)
				goto trunc;
		}
		break;
	case 137:
		pc_need(c, bp + 8, 32); /* both read before the text is printed */
		out_str(c, ", ");
		out_ip6(c, bp + 24);
		out_str(c, " to ");
		out_ip6(c, bp + 8);
		if (c->o->vflag && nd_opts(c, bp, bp + 40, (int)length - 40) == -1)
			goto trunc;
		break;
	case 141:
	case 142:
		break;
	case 144:
	case 146:
		out_fmt(c, ", id 0x%04x", get_be16(c, bp + 4));
		break;
	case 145:
		if (c->o->vflag)
			ha_discovery_reply(c, bp, length);
		break;
	case 147:
		if (c->o->vflag && mobile_prefix_advert(c, bp, length) == -1)
			goto trunc;
		break;
	default: {
		if (type == 155)
			c->last = "icmp6-other"; /* RFC 6550 RPL: not decoded yet */
		/* tcpdump's print_unknown_data: what was captured, no marker */
		out_fmt(c, ", length %u", length);
		size_t avail = pc_avail(c, bp);
		if (c->o->vflag <= 1)
			out_hex(c, bp, length < avail ? length : avail);
		return;
	}
	}
	if (!c->o->vflag)
		out_fmt(c, ", length %u", length);
	return;
trunc:
	out_trunc(c);
}
