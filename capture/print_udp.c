/* capture/print_udp.c: UDP (RFC 768) as tcpdump's print-udp.c prints
 * it when the port names no application printer bpfcap has. */
#include "print_get.h"

/* The ports tcpdump 4.99's udp_print hands to an application printer
 * (print-udp.c): bpfcap prints "UDP, length N" for the others only. */
static int udp_app_port(unsigned p)
{
	static const uint16_t ports[] = {
		7, 53, 67, 68, 69, 88, 111, 123, 137, 138, 161, 162, 319, 320, 496, 500, 514, 520, 521,
		525, 546, 547, 646, 654, 698, 701, 750, 921, 1645, 1646, 1701, 1812, 1813, 1985, 2049,
		2103, 2104, 3456, 3503, 3784, 3785, 3799, 4341, 4342, 4500, 4567, 4784, 4789, 4790,
		5060, 5246, 5247, 5353, 5355, 5359, 6081, 6343, 6635, 6696, 6697, 8231, 8472, 12222,
		12223, 17754, 30490, 49152,
	};
	if (p >= 7000 && p <= 7009)
		return 1;
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (p == ports[i])
			return 1;
	return 0;
}

/* tcpdump's udpipaddr_print: addresses only when the IP header's own
 * protocol is UDP; SPORT < 0 prints no ports. */
static void udp_endpoints(struct pctx *c, const uint8_t *ip, int v6, int sport, int dport)
{
	if (get_u8(c, ip + (v6 ? 6 : 9)) == 17) {
		if (v6)
			out_ip6(c, ip + 8);
		else
			out_ip4(c, ip + 12);
		if (sport >= 0)
			out_fmt(c, ".%d", sport);
		out_str(c, " > ");
		if (v6)
			out_ip6(c, ip + 24);
		else
			out_ip4(c, ip + 16);
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
	if (!c->o->qflag && (udp_app_port(sport) || udp_app_port(dport)))
		c->last = "udp-app"; /* tcpdump decodes this payload; we do not yet */
	if (ulen > length && !fragmented)
		out_fmt(c, "UDP, bad length %u > %u", ulen, length);
	else
		out_fmt(c, "UDP, length %u", ulen);
}
