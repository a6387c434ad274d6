/* capture/print_udp.c: UDP (RFC 768) as tcpdump's print-udp.c prints
 * it when the port names no application printer bpfcap has. */
#include "print_get.h"
#include "print_udpapp.h"

/* The application printers, in the order tcpdump 4.99.3's udp_print
 * tries them (print-udp.c): the first rule whose port matches wins,
 * whichever printer the other port would have picked. APP_OTHER marks
 * a printer tcpdump has and bpfcap does not yet. */
enum udp_app {
	APP_NONE, APP_DNS, APP_MDNS, APP_TIMED, APP_TFTP, APP_BOOTP, APP_RIP, APP_ISAKMP, APP_ISAKMP_NATT,
	APP_SNMP, APP_NTP, APP_KRB, APP_VAT, APP_RIPNG, APP_DHCP6, APP_HSRP, APP_BCM_LI, APP_BFD, APP_SYSLOG, APP_OTV, APP_VXLAN, APP_GENEVE, APP_VXLAN_GPE, APP_MPLS, APP_SOMEIP,
	APP_OTHER,
};

enum port_side { EITHER, DST_ONLY, SRC_ONLY };

struct udp_rule {
	uint16_t lo, hi;
	uint8_t side;
	uint8_t app;
};

static const struct udp_rule udp_rules[] = {
	{ 53, 53, EITHER, APP_DNS },
	{ 5353, 5353, EITHER, APP_MDNS },      /* RFC 6762 */
	{ 525, 525, EITHER, APP_TIMED },
	{ 69, 69, EITHER, APP_TFTP },
	{ 67, 68, EITHER, APP_BOOTP },
	{ 520, 520, EITHER, APP_RIP },
	{ 654, 654, EITHER, APP_OTHER },       /* AODV */
	{ 500, 500, EITHER, APP_ISAKMP },
	{ 4500, 4500, EITHER, APP_ISAKMP_NATT }, /* RFC 3948 */
	{ 161, 162, EITHER, APP_SNMP },
	{ 123, 123, EITHER, APP_NTP },
	{ 88, 88, EITHER, APP_KRB },           /* Kerberos */
	{ 750, 750, EITHER, APP_KRB },
	{ 1701, 1701, EITHER, APP_OTHER },     /* L2TP */
	{ 137, 138, EITHER, APP_OTHER },       /* NetBIOS */
	{ 3456, 3456, DST_ONLY, APP_VAT },
	{ 2103, 2104, EITHER, APP_OTHER },     /* Zephyr */
	{ 7000, 7009, EITHER, APP_OTHER },     /* AFS Rx */
	{ 521, 521, EITHER, APP_RIPNG },       /* RFC 2080 */
	{ 546, 547, EITHER, APP_DHCP6 },
	{ 5359, 5359, EITHER, APP_OTHER },     /* AHCP */
	{ 6696, 6697, EITHER, APP_OTHER },     /* Babel */
	{ 8231, 8231, EITHER, APP_OTHER },     /* HNCP */
	{ 4567, 4567, DST_ONLY, APP_OTHER },   /* wb */
	{ 496, 496, EITHER, APP_OTHER },       /* Cisco auto-RP */
	{ 1645, 1646, EITHER, APP_OTHER },     /* RADIUS */
	{ 1812, 1813, EITHER, APP_OTHER },
	{ 3799, 3799, EITHER, APP_OTHER },
	{ 1985, 1985, DST_ONLY, APP_HSRP },    /* RFC 2281 */
	{ 921, 921, EITHER, APP_OTHER },       /* lwres */
	{ 646, 646, EITHER, APP_OTHER },       /* LDP */
	{ 698, 698, EITHER, APP_OTHER },       /* OLSR */
	{ 3503, 3503, EITHER, APP_OTHER },     /* LSP ping */
	{ 49152, 49152, SRC_ONLY, APP_BCM_LI },
	{ 3784, 3785, DST_ONLY, APP_BFD },     /* RFC 5881, RFC 5883 */
	{ 4784, 4784, DST_ONLY, APP_BFD },
	{ 701, 701, EITHER, APP_OTHER },       /* LMP */
	{ 6343, 6343, EITHER, APP_OTHER },     /* sFlow */
	{ 12222, 12223, EITHER, APP_OTHER },   /* LWAPP */
	{ 5246, 5247, EITHER, APP_OTHER },
	{ 5060, 5060, EITHER, APP_OTHER },     /* SIP */
	{ 514, 514, EITHER, APP_SYSLOG },
	{ 8472, 8472, EITHER, APP_OTV },
	{ 4789, 4789, EITHER, APP_VXLAN },
	{ 6081, 6081, EITHER, APP_GENEVE },
	{ 4341, 4342, EITHER, APP_OTHER },     /* LISP */
	{ 4790, 4790, EITHER, APP_VXLAN_GPE },
	{ 17754, 17754, EITHER, APP_OTHER },   /* ZEP */
	{ 6635, 6635, EITHER, APP_MPLS },      /* RFC 7510 3 */
	{ 319, 320, EITHER, APP_OTHER },       /* PTP */
	{ 30490, 30490, EITHER, APP_SOMEIP },
	{ 7, 7, EITHER, APP_OTHER },
	{ 111, 111, EITHER, APP_OTHER },       /* Sun RPC */
	{ 2049, 2049, EITHER, APP_OTHER },     /* NFS */
};

static int rule_matches(const struct udp_rule *r, unsigned sport, unsigned dport)
{
	int s = sport >= r->lo && sport <= r->hi, d = dport >= r->lo && dport <= r->hi;
	switch (r->side) {
	case DST_ONLY:
		return d;
	case SRC_ONLY:
		return s;
	default:
		return s || d;
	}
}

/* The payload printer tcpdump picks for these ports. */
static enum udp_app udp_app(unsigned sport, unsigned dport)
{
	for (size_t i = 0; i < sizeof(udp_rules) / sizeof(udp_rules[0]); i++)
		if (rule_matches(&udp_rules[i], sport, dport))
			return (enum udp_app)udp_rules[i].app;
	return APP_NONE;
}

void udpapp_unknown_data(struct pctx *c, const uint8_t *p, const char *indent, unsigned len)
{
	size_t avail = pc_avail(c, p);
	out_hex_ident(c, indent, p, len < avail ? len : avail);
}

#define VXLAN_HDR_LEN 8     /* RFC 7348 5: flags, 3 reserved, VNI, 1 reserved */
#define VXLAN_FLAG_I 0x08   /* RFC 7348 5: the VNI is valid */

/* RFC 7348 5: flags (I = 0x08), reserved, VNI, reserved, then Ethernet.
 * tcpdump 4.99.3 names the protocol first, checks the UDP length, then
 * prints each field as it reads it (a short capture cuts after "flags"). */
static void print_vxlan(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "vxlan";
	c->last = "vxlan";
	out_str(c, "VXLAN");
	if (len < VXLAN_HDR_LEN) {
		out_invalid(c);
		return;
	}
	unsigned flags = get_u8(c, bp);
	out_fmt(c, ", flags [%s] (0x%02x), ", (flags & VXLAN_FLAG_I) ? "I" : "invalid", flags);
	out_fmt(c, "vni %u\n", get_be24(c, bp + 4));
	/* the frame starts past a cut reserved byte: tcpdump ends as VXLAN */
	pc_need(c, bp + VXLAN_HDR_LEN - 1, 1);
	print_ether(c, bp + VXLAN_HDR_LEN, len - VXLAN_HDR_LEN, (unsigned)pc_avail(c, bp + VXLAN_HDR_LEN));
}

/* draft-hasmit-otv-04 3.1: flags (I = 0x08), 24-bit overlay ID, 24-bit
 * instance ID, reserved; then Ethernet (tcpdump's print-otv.c). */
static void print_otv(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "otv";
	c->last = "otv";
	out_str(c, "OTV, ");
	if (len < 8) {
		out_str(c, "[|OTV]");
		return;
	}
	unsigned flags = get_u8(c, bp);
	out_fmt(c, "flags [%s] (0x%02x), ", flags & 0x08 ? "I" : ".", flags);
	out_fmt(c, "overlay %u, ", get_be24(c, bp + 1));
	out_fmt(c, "instance %u\n", get_be24(c, bp + 4));
	pc_need(c, bp + 7, 1);
	print_ether(c, bp + 8, len - 8, (unsigned)pc_avail(c, bp + 8));
}

/* Option class names as tcpdump 4.99.3 prints them: the five IANA
 * assignments, "Standard" for the IETF range 0x0000-0x00ff, "Experimental"
 * for 0xfff0 and above, "Unknown" for everything else. */
static const char *geneve_class(unsigned cls)
{
	static const struct tok names[] = {
		{ 0x0100, "Linux" }, { 0x0101, "Open vSwitch" }, { 0x0102, "Open Virtual Networking (OVN)" },
		{ 0x0103, "In-band Network Telemetry (INT)" }, { 0x0104, "VMware" }, { 0, NULL },
	};
	const char *s = tok_find(names, cls);
	if (s)
		return s;
	if (cls <= 0x00ff)
		return "Standard";
	if (cls >= 0xfff0)
		return "Experimental";
	return "Unknown";
}

/* RFC 8926 3.4: the flags byte is O, C, then six reserved bits that
 * tcpdump names R1..R6, all printed without separator. */
static void geneve_flags(struct pctx *c, unsigned flags)
{
	static const char *const names[8] = { "R6", "R5", "R4", "R3", "R2", "R1", "C", "O" };
	out_str(c, ", Flags [");
	if (flags == 0)
		out_str(c, "none");
	for (int bit = 7; bit >= 0; bit--)
		if (flags & (1u << bit))
			out_str(c, names[bit]);
	out_char(c, ']');
}

/* RFC 8926 3.5: class, type (C bit 0x80), length in words, data. */
static void geneve_opts(struct pctx *c, const uint8_t *bp, unsigned len)
{
	const char *sep = "";
	while (len > 0) {
		out_str(c, sep);
		sep = ", ";
		unsigned cls = get_be16(c, bp), type = get_u8(c, bp + 2);
		unsigned olen = 4 + (get_u8(c, bp + 3) & 0x1f) * 4u;
		out_fmt(c, "class %s (0x%x) type 0x%x%s len %u", geneve_class(cls), cls, type,
			(type & 0x80) ? "(C)" : "", olen);
		if (olen > len) {
			out_str(c, " [bad length]");
			return;
		}
		if (c->o->vflag > 1 && olen > 4) {
			out_str(c, " data");
			for (unsigned i = 4; i < olen; i += 4)
				out_fmt(c, " %08x", get_be32(c, bp + i));
		}
		bp += olen;
		len -= olen;
	}
}

/* RFC 8926 3.4: version and option length, O/C flags, protocol, VNI,
 * options, then the payload named by the protocol. */
static void print_geneve(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "geneve";
	c->last = "geneve";
	out_str(c, "Geneve");
	pc_need(c, bp, 8);
	unsigned ver_opt = get_u8(c, bp);
	if (ver_opt >> 6) {
		out_fmt(c, " ERROR: unknown-version %u", ver_opt >> 6);
		return;
	}
	unsigned flags = get_u8(c, bp + 1), prot = get_be16(c, bp + 2), vni = get_be24(c, bp + 4);
	len -= 8;
	unsigned reserved = get_u8(c, bp + 7);
	geneve_flags(c, flags);
	out_fmt(c, ", vni 0x%x", vni);
	if (reserved)
		out_fmt(c, ", rsvd 0x%x", reserved);
	if (c->o->eflag) {
		const char *s = tok_find(ethertype_names, prot);
		out_fmt(c, ", proto %s (0x%04x)", s ? s : "unknown", prot);
	}
	unsigned opts_len = (ver_opt & 0x3f) * 4u;
	if (len < opts_len) {
		out_fmt(c, " truncated-geneve - %u bytes missing", opts_len - len);
		return;
	}
	if (!pc_has(c, bp + 8, opts_len)) {
		out_trunc(c);
		return;
	}
	if (opts_len > 0) {
		out_str(c, ", options");
		if (c->o->vflag) {
			out_str(c, " [");
			geneve_opts(c, bp + 8, opts_len);
			out_char(c, ']');
		} else {
			out_fmt(c, " [%u bytes]", opts_len);
		}
	}
	bp += 8 + opts_len;
	len -= opts_len;
	out_str(c, c->o->vflag < 1 ? ": " : "\n\t");
	if (prot == 0x6558)
		print_ether(c, bp, len, (unsigned)pc_avail(c, bp));
	else if (!print_ethertype(c, (uint16_t)prot, bp, len, (unsigned)pc_avail(c, bp)))
		out_fmt(c, "geneve-proto-0x%x", prot);
}

/* tcpdump's udpipaddr_print: addresses only when the IP header's own
 * protocol is UDP; SPORT < 0 prints no ports. */
static void udp_endpoints(struct pctx *c, const uint8_t *ip, int v6, int sport, int dport)
{
	if (get_u8(c, ip + (v6 ? 6 : 9)) == 17) {
		out_ip_src(c, ip, v6);
		if (sport >= 0)
			out_fmt(c, ".%d", sport);
		out_str(c, " > ");
		out_ip_dst(c, ip, v6);
		if (sport >= 0)
			out_fmt(c, ".%d", dport);
		out_str(c, ": ");
	} else if (sport >= 0) {
		out_fmt(c, "%d > %d: ", sport, dport);
	}
}

void print_udp(struct pctx *c, const uint8_t *bp, unsigned length, const uint8_t *ip, int fragmented)
{
	c->proto = "udp";
	c->last = "udp";
	int v6 = (get_u8(c, ip) >> 4) == 6;
	if (!pc_has(c, bp + 2, 2)) {
		udp_endpoints(c, ip, v6, -1, -1);
		out_trunc(c);
		return;
	}
	unsigned sport = get_be16(c, bp), dport = get_be16(c, bp + 2);
	if (length < 8) {
		udp_endpoints(c, ip, v6, (int)sport, (int)dport);
		out_fmt(c, "truncated-udp %u", length);
		return;
	}
	if (!pc_has(c, bp + 4, 2)) {
		udp_endpoints(c, ip, v6, (int)sport, (int)dport);
		out_trunc(c);
		return;
	}
	unsigned ulen = get_be16(c, bp + 4);
	/* RFC 2675: a jumbogram's UDP length is zero. */
	if (ulen == 0 && length > 65535)
		ulen = length;
	if (ulen < 8) {
		udp_endpoints(c, ip, v6, (int)sport, (int)dport);
		out_fmt(c, "truncated-udplength %u", ulen);
		return;
	}
	ulen -= 8;
	length -= 8;
	if (ulen < length)
		length = ulen;
	const uint8_t *cp = bp + 8;
	if (cp > c->snapend) {
		udp_endpoints(c, ip, v6, (int)sport, (int)dport);
		out_trunc(c);
		return;
	}
	udp_endpoints(c, ip, v6, (int)sport, (int)dport);
	if (c->o->vflag && !fragmented) {
		uint16_t udp_sum = get_be16(c, bp + 6);
		if (!v6 && c->o->vflag > 1) {
			if (udp_sum == 0) {
				out_str(c, "[no cksum] ");
			} else if (pc_has(c, cp, length)) {
				uint16_t sum = ip_l4_cksum(c, ip, bp, length + 8, 17);
				if (sum != 0)
					out_fmt(c, "[bad udp cksum 0x%04x -> 0x%04x!] ", udp_sum, cksum_shouldbe(udp_sum, sum));
				else
					out_str(c, "[udp sum ok] ");
			}
		} else if (v6) {
			if (pc_has(c, cp, length)) {
				uint16_t sum = ip_l4_cksum(c, ip, bp, length + 8, 17);
				if (sum != 0)
					out_fmt(c, "[bad udp cksum 0x%04x -> 0x%04x!] ", udp_sum, cksum_shouldbe(udp_sum, sum));
				else
					out_str(c, "[udp sum ok] ");
			}
		}
	}
	if (!c->o->qflag) {
		switch (udp_app(sport, dport)) {
		case APP_NONE:
			break;
		case APP_DNS:
			print_dns(c, cp, length);
			return;
		case APP_MDNS:
			print_mdns(c, cp, length);
			return;
		case APP_TIMED:
			print_timed(c, cp, length);
			return;
		case APP_TFTP:
			print_tftp(c, cp, length);
			return;
		case APP_BOOTP:
			print_bootp(c, cp, length);
			return;
		case APP_RIP:
			print_rip(c, cp, length);
			return;
		case APP_ISAKMP:
			print_isakmp(c, cp, length);
			return;
		case APP_ISAKMP_NATT:
			print_isakmp_natt(c, cp, length);
			return;
		case APP_SNMP:
			if (print_snmp(c, cp, length))
				return;
			c->last = "udp-app";
			break;
		case APP_NTP:
			print_ntp(c, cp, length);
			return;
		case APP_KRB:
			print_krb(c, cp, length);
			return;
		case APP_VAT:
			print_vat(c, cp, length);
			return;
		case APP_RIPNG:
			print_ripng(c, cp, length);
			return;
		case APP_DHCP6:
			print_dhcp6(c, cp, length);
			return;
		case APP_HSRP:
			print_hsrp(c, cp, length);
			return;
		case APP_BCM_LI:
			print_bcm_li(c, cp, length);
			return;
		case APP_BFD:
			print_bfd(c, cp, length, dport);
			return;
		case APP_SYSLOG:
			print_syslog(c, cp, length);
			return;
		case APP_OTV:
			print_otv(c, cp, length);
			return;
		case APP_VXLAN:
			print_vxlan(c, cp, length);
			return;
		case APP_GENEVE:
			print_geneve(c, cp, length);
			return;
		case APP_VXLAN_GPE:
			print_vxlan_gpe(c, cp, length);
			return;
		case APP_MPLS:
			print_mpls(c, cp, length);
			return;
		case APP_SOMEIP:
			print_someip(c, cp, length);
			return;
		case APP_OTHER:
			c->last = "udp-app"; /* tcpdump decodes this payload; bpfcap does not yet */
			break;
		}
	}
	if (ulen > length && !fragmented)
		out_fmt(c, "UDP, bad length %u > %u", ulen, length);
	else
		out_fmt(c, "UDP, length %u", ulen);
}
