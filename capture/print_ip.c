/* capture/print_ip.c: IPv4 (RFC 791) as tcpdump's print-ip.c prints it:
 * the -v header fields, options, fragments, the header checksum, and
 * the demultiplexer shared with IPv6. */
#include <string.h>

#include "print_ipapp.h"

/* tcpdump's ipproto_values. */
const struct tok ipproto_names[] = {
	{ 0, "Options" },   { 1, "ICMP" },     { 2, "IGMP" },     { 4, "IPIP" },
	{ 6, "TCP" },       { 8, "EGP" },      { 9, "IGRP" },     { 17, "UDP" },
	{ 33, "DCCP" },     { 41, "IPv6" },    { 43, "Routing" }, { 44, "Fragment" },
	{ 46, "RSVP" },     { 47, "GRE" },     { 50, "ESP" },     { 51, "AH" },
	{ 55, "Mobile IP" }, { 58, "ICMPv6" },
	{ 62, "Mobile IP (old)" }, { 88, "EIGRP" }, { 89, "OSPF" }, { 103, "PIM" },
	{ 108, "Compressed IP" }, { 112, "VRRP" }, { 113, "PGM" }, { 132, "SCTP" },
	{ 135, "Mobility" }, { 0, NULL },
};

static const struct tok ipopt_names[] = {
	{ 0, "EOL" },   { 1, "NOP" },   { 68, "timestamp" }, { 130, "security" },
	{ 7, "RR" },    { 137, "SSRR" }, { 131, "LSRR" },    { 148, "RA" },
	{ 82, "traceroute" }, { 0, NULL },
};

/* Record route, loose and strict source route (RFC 791 3.1); -1 when
 * the option is cut short. */
static int opt_route(struct pctx *c, const uint8_t *cp, unsigned length)
{
	if (length < 3) {
		out_fmt(c, " [bad length %u]", length);
		return 0;
	}
	if ((length + 1) & 3)
		out_fmt(c, " [bad length %u]", length);
	unsigned ptr = get_u8(c, cp + 2) - 1u;
	if (ptr < 3 || ((ptr + 1) & 3) || ptr > length + 1)
		out_fmt(c, " [bad ptr %u]", get_u8(c, cp + 2));
	for (unsigned len = 3; len < length; len += 4) {
		if (!pc_has(c, cp + len, 4))
			return -1;
		out_char(c, ' ');
		out_ip4(c, cp + len);
		if (ptr > len)
			out_char(c, ',');
	}
	return 0;
}

/* Internet timestamp (RFC 791 3.1); -1 when cut short. */
static int opt_ts(struct pctx *c, const uint8_t *cp, unsigned length)
{
	if (length < 4) {
		out_fmt(c, "[bad length %u]", length);
		return 0;
	}
	out_str(c, " TS{");
	unsigned flag = get_u8(c, cp + 3);
	unsigned hoplen = (flag & 0xf) != 0 ? 8 : 4;
	if ((length - 4) & (hoplen - 1))
		out_fmt(c, "[bad length %u]", length);
	unsigned ptr = get_u8(c, cp + 2) - 1u;
	unsigned len = 0;
	if (ptr < 4 || ((ptr - 4) & (hoplen - 1)) || ptr > length + 1)
		out_fmt(c, "[bad ptr %u]", get_u8(c, cp + 2));
	switch (flag & 0xf) {
	case 0:
		out_str(c, "TSONLY");
		break;
	case 1:
		out_str(c, "TS+ADDR");
		break;
	case 3:
		out_str(c, "PRESPEC");
		break;
	default:
		out_fmt(c, "[bad ts type %u]", flag & 0xf);
		goto done;
	}
	const char *type = " ";
	for (len = 4; len < length; len += hoplen) {
		if (ptr == len)
			type = " ^ ";
		if (!pc_has(c, cp + len, hoplen))
			return -1;
		out_fmt(c, "%s%u@", type, get_be32(c, cp + len + hoplen - 4));
		if (hoplen == 8)
			out_ip4(c, cp + len);
		type = " ";
	}
done:
	out_str(c, ptr == len ? " ^ " : "");
	if (flag >> 4)
		out_fmt(c, " [%u hops not recorded]} ", flag >> 4);
	else
		out_char(c, '}');
	return 0;
}

/* 0 done, -1 truncated. */
static int ip_options(struct pctx *c, const uint8_t *cp, unsigned length)
{
	char buf[24];
	const char *sep = "";
	unsigned option_len;
	for (; length > 0; cp += option_len, length -= option_len) {
		out_str(c, sep);
		sep = ",";
		unsigned code = get_u8(c, cp);
		out_str(c, tok2str(ipopt_names, "unknown %u", code, buf, sizeof(buf)));
		if (code == 1 || code == 0) {
			option_len = 1;
		} else {
			option_len = get_u8(c, cp + 1);
			if (option_len < 2) {
				out_fmt(c, " [bad length %u]", option_len);
				return 0;
			}
		}
		if (option_len > length) {
			out_fmt(c, " [bad length %u]", option_len);
			return 0;
		}
		if (!pc_has(c, cp, option_len))
			return -1; /* tcpdump's ND_TCHECK_LEN of the whole option */
		switch (code) {
		case 0:
			return 0;
		case 68:
			if (opt_ts(c, cp, option_len) == -1)
				return -1;
			break;
		case 7:
		case 137:
		case 131:
			if (opt_route(c, cp, option_len) == -1)
				return -1;
			break;
		case 148:
			if (option_len < 4) {
				out_fmt(c, " [bad length %u]", option_len);
				break;
			}
			if (get_be16(c, cp + 2) != 0)
				out_fmt(c, " value %u", get_be16(c, cp + 2));
			break;
		default:
			break;
		}
	}
	return 0;
}

static void out_frag_flags(struct pctx *c, uint16_t off)
{
	const char *sep = "";
	int any = 0;
	if (off & 0x2000) {
		out_str(c, "+");
		sep = ", ";
		any = 1;
	}
	if (off & 0x4000) {
		out_str(c, sep);
		out_str(c, "DF");
		sep = ", ";
		any = 1;
	}
	if (off & 0x8000) {
		out_str(c, sep);
		out_str(c, "rsvd");
		any = 1;
	}
	if (!any)
		out_str(c, "none");
}

void print_ip(struct pctx *c, const uint8_t *bp, unsigned length)
{
	char buf[24];
	c->proto = "ip";
	c->last = "ip";
	unsigned ver = get_u8(c, bp) >> 4;
	if (ver != 4) {
		if (ver == 6)
			out_str(c, "IP6, wrong link-layer encapsulation");
		else
			out_fmt(c, "IP%u", ver);
		out_invalid(c);
		return;
	}
	if (!c->o->eflag)
		out_str(c, "IP ");
	if (!pc_has(c, bp, 20)) {
		/* tcpdump's ND_TCHECK_SIZE: marker, then a normal return */
		out_trunc(c);
		return;
	}
	if (length < 20) {
		out_fmt(c, "truncated-ip %u", length);
		return;
	}
	unsigned hlen = (get_u8(c, bp) & 0xf) * 4u;
	if (hlen < 20) {
		out_fmt(c, "bad-hlen %u", hlen);
		return;
	}
	unsigned len = get_be16(c, bp + 2);
	if (length < len)
		out_fmt(c, "truncated-ip - %u bytes missing! ", len - length);
	if (len < hlen) {
		out_fmt(c, "bad-len %u", len);
		return;
	}
	/* tcpdump's nd_push_snaplen: nothing past the datagram is read. */
	const uint8_t *saved_end = c->snapend;
	if (pc_avail(c, bp) > len)
		c->snapend = bp + len;
	len -= hlen;
	uint16_t off = get_be16(c, bp + 6);
	unsigned proto = get_u8(c, bp + 9);
	int options_cut = 0;
	if (c->o->vflag) {
		unsigned tos = get_u8(c, bp + 1);
		out_fmt(c, "(tos 0x%x", tos);
		switch (tos & 3) {
		case 1:
			out_str(c, ",ECT(1)");
			break;
		case 2:
			out_str(c, ",ECT(0)");
			break;
		case 3:
			out_str(c, ",CE");
			break;
		}
		unsigned ttl = get_u8(c, bp + 8);
		if (ttl >= 1)
			out_fmt(c, ", ttl %u", ttl);
		out_fmt(c, ", id %u, offset %u, flags [", get_be16(c, bp + 4), (off & 0x1fff) * 8u);
		out_frag_flags(c, off);
		out_fmt(c, "], proto %s (%u)", tok2str(ipproto_names, "unknown", proto, buf, sizeof(buf)), proto);
		out_fmt(c, ", length %u", get_be16(c, bp + 2));
		if (hlen > 20) {
			out_str(c, ", options (");
			if (ip_options(c, bp + 20, hlen - 20) == -1) {
				out_str(c, " [truncated-option]");
				options_cut = 1;
			}
			out_char(c, ')');
		}
		if (pc_has(c, bp, hlen)) {
			uint16_t sum = cksum_fold(cksum_add(0, bp, hlen));
			if (sum != 0) {
				uint16_t ip_sum = get_be16(c, bp + 10);
				out_fmt(c, ", bad cksum %x (->%x)!", ip_sum, cksum_shouldbe(ip_sum, sum));
			}
		}
		out_str(c, ")\n    ");
		if (options_cut) {
			/* tcpdump 4.99.3 abandons the datagram after the
			 * addresses when an option was cut short (a marker
			 * and a return: -x still dumps from this header) */
			out_ip4(c, bp + 12);
			out_str(c, " > ");
			out_ip4(c, bp + 16);
			out_str(c, ": ");
			c->proto = "ip";
			out_trunc(c);
			c->snapend = saved_end;
			return;
		}
	}
	if ((off & 0x1fff) == 0) {
		if (proto != 6 && proto != 17 && proto != 132 && proto != 33) {
			out_ip4(c, bp + 12);
			out_str(c, " > ");
			out_ip4(c, bp + 16);
			out_str(c, ": ");
		}
		if (!pc_has(c, bp, hlen)) {
			out_fmt(c, " [remaining caplen(%zu) < header length(%u)]", pc_avail(c, bp), hlen);
			c->proto = "ip";
			pc_trunc(c); /* tcpdump's nd_trunc_longjmp */
		}
		print_ip_demux(c, bp + hlen, len, 4, off & 0x2000, get_u8(c, bp + 8), proto, bp);
	} else {
		if (c->o->qflag > 1) {
			c->snapend = saved_end;
			return;
		}
		out_ip4(c, bp + 12);
		out_str(c, " > ");
		out_ip4(c, bp + 16);
		out_fmt(c, ": ip-proto-%u", proto);
		(void)0;
	}
	c->snapend = saved_end;
}

/* RFC 4302 2: next header, payload length in 32-bit words minus 2,
 * reserved, SPI, sequence number, ICV. Returns the header's length;
 * a field past the capture ends the packet where tcpdump's ah_print
 * does ("AH" before the length is read, "(" after). */
static unsigned print_ah(struct pctx *c, const uint8_t *bp)
{
	c->proto = "ah";
	out_str(c, "AH");
	unsigned ah_len = get_u8(c, bp + 1);
	unsigned len = (ah_len + 2u) * 4;
	out_char(c, '(');
	if (c->o->vflag)
		out_fmt(c, "length=%u(%u-bytes),", ah_len, len);
	unsigned reserved = get_be16(c, bp + 2);
	if (reserved)
		out_fmt(c, "reserved=0x%x[MustBeZero],", reserved);
	out_fmt(c, "spi=0x%08x,", get_be32(c, bp + 4));
	out_fmt(c, "seq=0x%x", get_be32(c, bp + 8));
	out_str(c, ",icv=0x");
	for (unsigned i = 12; i < len; i++)
		out_fmt(c, "%02x", get_u8(c, bp + i));
	out_str(c, "): ");
	return len;
}

void print_ip_demux(struct pctx *c, const uint8_t *p, unsigned len, int ver, int fragmented,
		    unsigned ttl, unsigned nh, const uint8_t *ip)
{
again:
	switch (nh) {
	case 51: {
		c->last = "ah";
		if (!pc_has(c, p, 1)) {
			c->proto = "ah";
			out_trunc(c);
			break;
		}
		nh = get_u8(c, p);
		unsigned adv = print_ah(c, p);
		p += adv;
		len -= adv; /* wraps when AH claims more, as tcpdump's u_int does */
		goto again;
	}
	case 50:
		print_esp(c, p, len);
		break;
	case 6:
		print_tcp(c, p, len, ip, fragmented);
		break;
	case 17:
		print_udp(c, p, len, ip, fragmented);
		break;
	case 132:
		print_sctp(c, p, len, ip);
		break;
	case 143: /* RFC 8986 8.5: Ethernet, as from a segment routing header */
		print_ether(c, p, len, (unsigned)pc_avail(c, p));
		break;
	case 62: /* Mobility's pre-RFC 3775 number, IPv6 only in tcpdump */
	case 135:
		if (ver == 6) {
			print_mobility(c, p);
			break;
		}
		c->last = "ip-app";
		out_fmt(c, " ip-proto-%u %u", nh, len);
		break;
	case 1:
		if (ver == 4) {
			print_icmp(c, p, len, ip, fragmented);
		} else {
			out_str(c, "[ICMP requires IPv4]");
			out_invalid(c);
		}
		break;
	case 58:
		if (ver == 6) {
			print_icmp6(c, p, len, ip, fragmented);
		} else {
			out_str(c, "[ICMPv6 requires IPv6]");
			out_invalid(c);
		}
		break;
	case 4:
		print_ip(c, p, len);
		break;
	case 41:
		print_ip6(c, p, len);
		break;
	case 77:
		out_fmt(c, " nd %u", len);
		break;
	case 59:
		out_str(c, "no next header");
		break;
	case 47:
		print_gre(c, p, len);
		break;
	case 2:
		if (ver == 4) {
			print_igmp(c, p, len);
		} else {
			out_str(c, "[IGMP requires IPv4]");
			out_invalid(c);
		}
		break;
	case IPPROTO_NUM_IGRP:
		print_igrp(c, p, len);
		break;
	case IPPROTO_NUM_MOBILE:
		print_mobile(c, p, len);
		break;
	case IPPROTO_NUM_EIGRP:
		print_eigrp(c, p, len);
		break;
	case IPPROTO_NUM_PIM:
		print_pim(c, p, len, ip);
		break;
	case IPPROTO_NUM_IPCOMP:
		print_ipcomp(c, p);
		break;
	case IPPROTO_NUM_VRRP:
		print_vrrp(c, p, len, ip, ttl);
		break;
	case IPPROTO_NUM_EGP:
		print_egp(c, p, len);
		break;
	case 33: case 46: case 89: case 113:
		/* DCCP, RSVP, OSPF, PGM: tcpdump decodes them, bpfcap
		 * does not yet. */
		c->last = "ip-app";
		out_fmt(c, " ip-proto-%u %u", nh, len);
		break;
	default:
		c->last = "ip-proto";
		out_fmt(c, " ip-proto-%u %u", nh, len);
		break;
	}
}

/* The destination the pseudo-header uses: the last address of a source
 * route option (RFC 791 3.1), else the header's (tcpdump's ip_finddst). */
static const uint8_t *ip4_final_dst(struct pctx *c, const uint8_t *ip)
{
	unsigned length = (ip[0] & 0xf) * 4u;
	const uint8_t *cp = ip + 20;
	if (length < 20 || !pc_has(c, ip, length))
		return ip + 16;
	length -= 20;
	unsigned len;
	for (; length > 0; cp += len, length -= len) {
		unsigned tt = cp[0];
		if (tt == 0)
			break;
		if (tt == 1) {
			len = 1;
		} else {
			if (length < 2)
				break;
			len = cp[1];
			if (len < 2)
				break;
		}
		if (length < len)
			break;
		if ((tt == 137 || tt == 131) && len >= 7)
			return cp + len - 4;
	}
	return ip + 16;
}

/* RFC 793 3.1 / RFC 768 / RFC 8200 8.1 pseudo-header plus L4 bytes;
 * the caller has checked L4[0..len) is captured. */
uint16_t ip_l4_cksum(struct pctx *c, const uint8_t *ip, const uint8_t *l4, unsigned len, unsigned proto)
{
	uint32_t sum = 0;
	uint8_t ph[8];
	if ((ip[0] >> 4) == 4) {
		sum = cksum_add(sum, ip + 12, 4);
		sum = cksum_add(sum, ip4_final_dst(c, ip), 4);
	} else {
		/* RFC 8200 8.1: the final destination is the routing header's
		 * last address; tcpdump's nextproto6_cksum finds it. */
		const uint8_t *dst = ip6_final_dst(c, ip);
		sum = cksum_add(sum, ip + 8, 16);
		sum = cksum_add(sum, dst, 16);
	}
	ph[0] = (uint8_t)(len >> 24);
	ph[1] = (uint8_t)(len >> 16);
	ph[2] = (uint8_t)(len >> 8);
	ph[3] = (uint8_t)len;
	ph[4] = ph[5] = ph[6] = 0;
	ph[7] = (uint8_t)proto;
	if ((ip[0] >> 4) == 4) {
		sum = cksum_add(sum, ph + 2, 2);
		sum += proto;
	} else {
		sum = cksum_add(sum, ph, 8);
	}
	sum = cksum_add(sum, l4, len);
	return cksum_fold(sum);
}
