/* capture/print_igrp.c: Cisco IGRP as tcpdump's print-igrp.c prints it:
 * the 12-byte header, then 14-byte routing entries — interior ones
 * first, then system, then exterior, as the header counts them. */
#include "print_ipapp.h"

#define IGRP_HDR_LEN 12
#define IGRP_RTE_LEN 14
#define IGRP_METRIC_MAX 0xffffffu

enum igrp_route_kind { IGRP_INTERIOR, IGRP_SYSTEM, IGRP_EXTERIOR };

static const struct tok igrp_opcodes[] = { { 1, "update" }, { 2, "request" }, { 0, NULL } };

/* One entry: 3 octets of network, 24-bit delay (10 us units), 24-bit
 * bandwidth (inverse, 10^7 / kbit/s), MTU, reliability, load, hops. */
static void igrp_entry(struct pctx *c, const uint8_t *e, enum igrp_route_kind kind)
{
	unsigned n0 = get_u8(c, e), n1 = get_u8(c, e + 1), n2 = get_u8(c, e + 2);
	if (kind == IGRP_INTERIOR)
		out_fmt(c, " *.%u.%u.%u", n0, n1, n2);
	else if (kind == IGRP_SYSTEM)
		out_fmt(c, " %u.%u.%u.0", n0, n1, n2);
	else
		out_fmt(c, " X%u.%u.%u.0", n0, n1, n2);
	unsigned delay = get_be24(c, e + 3), bandwidth = get_be24(c, e + 6);
	unsigned metric = bandwidth + delay;
	if (metric > IGRP_METRIC_MAX)
		metric = IGRP_METRIC_MAX;
	out_fmt(c, " d=%u b=%u r=%u l=%u M=%u mtu=%u in %u hops", 10 * delay,
		bandwidth == 0 ? 0 : 10000000 / bandwidth, get_u8(c, e + 11), get_u8(c, e + 12), metric,
		get_be16(c, e + 9), get_u8(c, e + 13));
}

void print_igrp(struct pctx *c, const uint8_t *bp, unsigned length)
{
	char buf[24];
	c->proto = "igrp";
	c->last = "igrp";
	out_str(c, "igrp:");
	unsigned vop = get_u8(c, bp);
	unsigned nint = get_be16(c, bp + 4), nsys = get_be16(c, bp + 6), next = get_be16(c, bp + 8);
	out_fmt(c, " %s V%u edit=%u AS=%u (%u/%u/%u)", tok2str(igrp_opcodes, "op-#%u", vop & 0x0f, buf, sizeof(buf)),
		vop >> 4, get_u8(c, bp + 1), get_be16(c, bp + 2), nint, nsys, next);
	if (c->o->vflag)
		out_fmt(c, " checksum=0x%04x", get_be16(c, bp + 10));
	pc_need(c, bp, IGRP_HDR_LEN); /* 4.99.3 ends here without the whole header */
	const uint8_t *cp = bp + IGRP_HDR_LEN;
	length -= IGRP_HDR_LEN; /* wraps when short, as tcpdump's u_int does */
	for (; length >= IGRP_RTE_LEN; cp += IGRP_RTE_LEN, length -= IGRP_RTE_LEN) {
		if (nint > 0) {
			igrp_entry(c, cp, IGRP_INTERIOR);
			nint--;
		} else if (nsys > 0) {
			igrp_entry(c, cp, IGRP_SYSTEM);
			nsys--;
		} else if (next > 0) {
			igrp_entry(c, cp, IGRP_EXTERIOR);
			next--;
		} else {
			out_fmt(c, " [extra bytes %u]", length);
			break;
		}
	}
	if (nint || nsys || next || length)
		out_invalid(c);
}
