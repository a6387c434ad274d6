/* capture/print_icmp.c: ICMP (RFC 792, 950, 1256) as tcpdump's
 * print-icmp.c prints it, with the quoted datagram of error messages
 * at -v. */
#include <stdio.h>
#include <string.h>

#include "print_get.h"

static const struct tok icmp_names[] = {
	{ 0, "echo reply" },           { 4, "source quench" },       { 8, "echo request" },
	{ 10, "router solicitation" }, { 13, "time stamp request" }, { 14, "time stamp reply" },
	{ 15, "information request" }, { 16, "information reply" },  { 17, "address mask request" },
	{ 0, NULL },
};

static const struct tok unreach_fmt[] = {
	{ 0, "net %s unreachable" },
	{ 1, "host %s unreachable" },
	{ 5, "%s unreachable - source route failed" },
	{ 6, "net %s unreachable - unknown" },
	{ 7, "host %s unreachable - unknown" },
	{ 8, "%s unreachable - source host isolated" },
	{ 9, "net %s unreachable - admin prohibited" },
	{ 10, "host %s unreachable - admin prohibited" },
	{ 11, "net %s unreachable - tos prohibited" },
	{ 12, "host %s unreachable - tos prohibited" },
	{ 13, "host %s unreachable - admin prohibited filter" },
	{ 14, "host %s unreachable - host precedence violation" },
	{ 15, "host %s unreachable - precedence cutoff" },
	{ 0, NULL },
};

static const struct tok redirect_fmt[] = {
	{ 0, "redirect %s to net %s" },
	{ 1, "redirect %s to host %s" },
	{ 2, "redirect-tos %s to net %s" },
	{ 3, "redirect-tos %s to host %s" },
	{ 0, NULL },
};

/* An IPv4 address as text, bounds-checked (tcpdump's GET_IPADDR_STRING). */
static const char *ip4s(struct pctx *c, const uint8_t *p, char *b)
{
	pc_need(c, p, 4);
	snprintf(b, 16, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
	return b;
}

/* tcpdump's ND_TCHECK in icmp_print: when N bytes at P are not
 * captured, the marker alone ends the ICMP text, and the packet is not
 * abandoned (the -x dump still skips the link header). */
static int icmp_captured(struct pctx *c, const uint8_t *p, size_t n)
{
	if (pc_has(c, p, n))
		return 1;
	out_trunc(c);
	return 0;
}

static int icmp_errtype(unsigned t)
{
	return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
}

/* tcpdump's icmp_tstamp_print: milliseconds since midnight UT. */
static void tstamp(char *b, size_t n, uint32_t ms)
{
	unsigned h = ms / 3600000u, m = ms % 3600000u / 60000u, s = ms % 60000u / 1000u, f = ms % 1000u;
	snprintf(b, n, "%02u:%02u:%02u.%03u", h, m, s, f);
}

/* RFC 4884 5: the extension structure follows the 128-byte original
 * datagram field after the 8-byte ICMP header. */
#define ICMP_EXT_OFFSET 136u
/* What tcpdump checks is captured before an extension: its struct
 * icmp_ext_t, the offset, the 4-byte extension header and one byte. */
#define ICMP_EXT_CHECKED (ICMP_EXT_OFFSET + 4u + 1u)
#define ICMP_EXT_OBJ_HDR 4u /* RFC 4884 7.2: length, class, C-type */

/* tcpdump's print_unknown_data: hex of what was captured, no marker. */
static void hex_clipped(struct pctx *c, const uint8_t *p, unsigned len)
{
	size_t avail = pc_avail(c, p);
	out_hex_ident(c, "\n\t    ", p, len < avail ? len : avail);
}

/* RFC 4884 7 extension header (version 2, checksum) and RFC 4950 MPLS
 * label stack objects, as tcpdump 4.99.3 prints them at -v. A missing
 * extension or object header prints the marker and returns (tcpdump's
 * ND_TCHECK: the packet is not abandoned, so -x dumps from the network
 * header); a missing label abandons it. */
static void icmp_extensions(struct pctx *c, const uint8_t *bp, unsigned plen)
{
	c->proto = "icmp"; /* the quoted datagram's printer set its own */
	const uint8_t *ext = bp + ICMP_EXT_OFFSET;
	unsigned hlen = plen - ICMP_EXT_OFFSET;
	if (!pc_has(c, bp, ICMP_EXT_CHECKED)) {
		out_trunc(c);
		return;
	}
	/* Without the RFC 4884 length field, only a valid checksum says an
	 * extension is there (tcpdump's rule: not every sender sets it). */
	if (bp[5] == 0 && pc_has(c, ext, hlen) && cksum_fold(cksum_add(0, ext, hlen)) != 0)
		return;
	unsigned version = ext[0] >> 4;
	out_fmt(c, "\n\tICMP Multi-Part extension v%u", version);
	if (version != 2) {
		out_str(c, " packet not supported");
		return;
	}
	if (pc_has(c, ext, hlen))
		out_fmt(c, ", checksum 0x%04x (%scorrect), length %u", get_be16(c, ext + 2),
			cksum_fold(cksum_add(0, ext, hlen)) ? "in" : "", hlen);
	hlen -= 4;
	const uint8_t *obj = ext + 4;
	static const struct tok classes[] = { { 1, "MPLS Stack Entry" }, { 2, "Interface Identification" }, { 0, NULL } };
	while (hlen > ICMP_EXT_OBJ_HDR) {
		if (!pc_has(c, obj, ICMP_EXT_OBJ_HDR)) {
			out_trunc(c);
			return;
		}
		unsigned olen = get_be16(c, obj), cls = get_u8(c, obj + 2), ctype = get_u8(c, obj + 3);
		obj += 4;
		char buf[16];
		out_fmt(c, "\n\t  %s Object (%u), Class-Type: %u, length %u", tok2str(classes, "unknown", cls, buf, sizeof(buf)),
			cls, ctype, olen);
		hlen -= 4;
		if (cls == 0 || olen < 4)
			return;
		olen -= 4;
		if (cls == 1 && ctype == 1) {
			uint32_t e = get_be32(c, obj);
			out_fmt(c, "\n\t    label %u, tc %u", e >> 12, (e >> 9) & 7);
			if (e & 0x100)
				out_str(c, ", [S]");
			out_fmt(c, ", ttl %u", e & 0xff);
		} else {
			hex_clipped(c, obj, olen);
		}
		if (hlen < olen)
			break;
		hlen -= olen;
		obj += olen;
	}
}

void print_icmp(struct pctx *c, const uint8_t *bp, unsigned plen, const uint8_t *ip, int fragmented)
{
	/* tcpdump's text buffer: MAXHOSTNAMELEN (64 on Linux) + 100 bytes;
	 * a longer text is cut there */
	char buf[64 + 100], a1[16], a2[16], t1[24], t2[24], t3[24];
	const char *str = buf;
	c->proto = "icmp";
	c->last = "icmp";
	unsigned type = get_u8(c, bp), code = get_u8(c, bp + 1);
	const uint8_t *oip = bp + 8;
	switch (type) {
	case 0:
	case 8:
		snprintf(buf, sizeof(buf), "echo %s, id %u, seq %u", type == 8 ? "request" : "reply",
			 get_be16(c, bp + 4), get_be16(c, bp + 6));
		break;
	case 3:
		switch (code) {
		case 2:
			snprintf(buf, sizeof(buf), "%s protocol %u unreachable", ip4s(c, oip + 16, a1),
				 get_u8(c, oip + 9));
			break;
		case 3: {
			if (!icmp_captured(c, oip + 9, 1))
				return;
			unsigned hlen = (get_u8(c, oip) & 0xf) * 4u;
			unsigned dport = get_be16(c, oip + hlen + 2);
			unsigned proto = get_u8(c, oip + 9);
			if (proto == 6)
				snprintf(buf, sizeof(buf), "%s tcp port %u unreachable", ip4s(c, oip + 16, a1), dport);
			else if (proto == 17)
				snprintf(buf, sizeof(buf), "%s udp port %u unreachable", ip4s(c, oip + 16, a1), dport);
			else
				snprintf(buf, sizeof(buf), "%s protocol %u port %u unreachable", ip4s(c, oip + 16, a1),
					 proto, dport);
			break;
		}
		case 4: {
			unsigned mtu = get_be16(c, bp + 6);
			if (mtu)
				snprintf(buf, sizeof(buf), "%s unreachable - need to frag (mtu %u)",
					 ip4s(c, oip + 16, a1), mtu);
			else
				snprintf(buf, sizeof(buf), "%s unreachable - need to frag", ip4s(c, oip + 16, a1));
			break;
		}
		default: {
			const char *f = tok_find(unreach_fmt, code);
			if (f) {
				snprintf(buf, sizeof(buf), f, ip4s(c, oip + 16, a1));
			} else {
				snprintf(buf, sizeof(buf), "%s unreachable - #%u", ip4s(c, oip + 16, a1), code);
			}
			break;
		}
		}
		break;
	case 5: {
		const char *f = tok_find(redirect_fmt, code);
		ip4s(c, oip + 16, a1);
		ip4s(c, bp + 4, a2);
		if (f)
			snprintf(buf, sizeof(buf), f, a1, a2);
		else
			snprintf(buf, sizeof(buf), "redirect-#%u %s to %s", code, a1, a2);
		break;
	}
	case 9: {
		if (!icmp_captured(c, bp + 4, 4))
			return;
		unsigned life = get_be16(c, bp + 6);
		if (life < 60)
			snprintf(buf, sizeof(buf), "router advertisement lifetime %u", life);
		else if (life < 3600)
			snprintf(buf, sizeof(buf), "router advertisement lifetime %u:%02u", life / 60, life % 60);
		else
			snprintf(buf, sizeof(buf), "router advertisement lifetime %u:%02u:%02u", life / 3600,
				 life % 3600 / 60, life % 60);
		unsigned num = get_u8(c, bp + 4), size = get_u8(c, bp + 5);
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof(buf) - n, " %u:", num);
		if (size != 2) {
			n = strlen(buf);
			snprintf(buf + n, sizeof(buf) - n, " [size %u]", size);
			break;
		}
		/* every entry is checked, even once the text is full */
		const uint8_t *idp = bp + 8;
		for (; num > 0; num--, idp += 8) {
			if (!icmp_captured(c, idp, 8))
				return;
			n = strlen(buf);
			snprintf(buf + n, sizeof(buf) - n, " {%s %u}", ip4s(c, idp, a1), get_be32(c, idp + 4));
		}
		break;
	}
	case 11:
		/* tcpdump 4.99.3 checks the quoted destination first */
		if (!icmp_captured(c, oip + 16, 4))
			return;
		if (code == 0)
			str = "time exceeded in-transit";
		else if (code == 1)
			str = "ip reassembly time exceeded";
		else
			snprintf(buf, sizeof(buf), "time exceeded-#%u", code);
		break;
	case 12:
		if (code)
			snprintf(buf, sizeof(buf), "parameter problem - code %u", code);
		else
			snprintf(buf, sizeof(buf), "parameter problem - octet %u", get_u8(c, bp + 4));
		break;
	case 18:
		snprintf(buf, sizeof(buf), "address mask is 0x%08x", get_be32(c, bp + 8));
		break;
	case 13:
		snprintf(buf, sizeof(buf), "time stamp query id %u seq %u", get_be16(c, bp + 4), get_be16(c, bp + 6));
		break;
	case 14:
		if (!icmp_captured(c, bp + 16, 4))
			return;
		tstamp(t1, sizeof(t1), get_be32(c, bp + 8));
		tstamp(t2, sizeof(t2), get_be32(c, bp + 12));
		tstamp(t3, sizeof(t3), get_be32(c, bp + 16));
		snprintf(buf, sizeof(buf), "time stamp reply id %u seq %u: org %s, recv %s, xmit %s",
			 get_be16(c, bp + 4), get_be16(c, bp + 6), t1, t2, t3);
		break;
	default: {
		const char *s = tok_find(icmp_names, type);
		if (s)
			str = s;
		else
			snprintf(buf, sizeof(buf), "type-#%u", type);
		break;
	}
	}
	out_fmt(c, "ICMP %s, length %u", str, plen);
	if (c->o->vflag && !fragmented && pc_has(c, bp, plen)) {
		uint16_t sum = cksum_fold(cksum_add(0, bp, plen));
		if (sum != 0) {
			uint16_t icmp_sum = get_be16(c, bp + 2);
			out_fmt(c, " (wrong icmp cksum %x (->%x)!)", icmp_sum, cksum_shouldbe(icmp_sum, sum));
		}
	}
	if (c->o->vflag >= 1 && icmp_errtype(type)) {
		out_str(c, "\n\t");
		const uint8_t *saved = c->snapend;
		print_ip(c, oip, get_be16(c, oip + 2));
		c->snapend = saved;
		if (!strstr(c->last, "-app"))
			c->last = "icmp";
	}
	if (c->o->vflag >= 1 && plen > ICMP_EXT_OFFSET && (type == 3 || type == 11 || type == 12))
		icmp_extensions(c, bp, plen);
}
