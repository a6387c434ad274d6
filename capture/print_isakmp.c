/* capture/print_isakmp.c: ISAKMP/IKE (RFC 2408 3.1, RFC 7296 3.1) as
 * tcpdump 4.99.3's print-isakmp.c prints the fixed header, and the
 * RFC 3948 UDP encapsulation on port 4500 (NAT keep-alive, non-ESP
 * marker then IKE, or ESP); for IKEv2 the exchange summary. Not decoded
 * yet, keeping the "udp-app" tag: IKEv1 exchanges (tcpdump tells
 * initiator from responder by cookies of earlier packets, state bpfcap's
 * printer does not keep) and the IKEv2 -v payload chain. */
#include "print_get.h"
#include "print_udpapp.h"

#define ISAKMP_HDR_LEN 28u /* RFC 2408 3.1 */
#define IKEV1_MAJOR 1
#define IKEV2_MAJOR 2

/* tcpdump's hexprint: the bytes as hex pairs, no separator. */
static void hex_bytes(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		out_fmt(c, "%02x", get_u8(c, p + i));
}

/* Exchange types: RFC 2408 3.1 and RFC 2409 for IKEv1, RFC 7296 3.1
 * for IKEv2 (one table, as tcpdump's etypestr). */
static const struct tok isakmp_etypes[] = {
	{ 0, "none" }, { 1, "base" }, { 2, "ident" }, { 3, "auth" }, { 4, "agg" }, { 5, "info" },
	{ 32, "oakley-quick" }, { 33, "oakley-newgroup" }, { 34, "ikev2_init" }, { 35, "ikev2_auth" },
	{ 36, "child_sa" }, { 37, "inf2" }, { 0, NULL },
};

#define IKEV2_FLAG_I 0x08 /* RFC 7296 3.1: Initiator */
#define IKEV2_FLAG_V 0x10 /* Version */
#define IKEV2_FLAG_R 0x20 /* Response */

/* RFC 7296 3.1: the SA the message belongs to (message ID 0 is the
 * IKE SA's first exchange), the exchange type and the flags. The -v
 * payload chain is not decoded yet: such lines keep "udp-app". */
static void ikev2_summary(struct pctx *c, const uint8_t *hdr)
{
	char buf[16];
	out_str(c, get_be32(c, hdr + 20) == 0 ? " parent_sa" : " child_sa ");
	out_fmt(c, " %s", tok2str(isakmp_etypes, "#%u", get_u8(c, hdr + 18), buf, sizeof(buf)));
	unsigned flags = get_u8(c, hdr + 19);
	if (flags)
		out_fmt(c, "[%s%s%s]", (flags & IKEV2_FLAG_I) ? "I" : "", (flags & IKEV2_FLAG_V) ? "V" : "",
			(flags & IKEV2_FLAG_R) ? "R" : "");
	if (c->o->vflag) {
		out_char(c, ':');
		c->last = "udp-app";
	}
}

/* RFC 2408 3.1: initiator and responder cookies (8 bytes each), next
 * payload, version (major.minor nibbles), exchange type, flags,
 * message ID, length. */
void print_isakmp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	(void)len;
	c->proto = "isakmp";
	c->last = "isakmp";
	if (!pc_has(c, bp, ISAKMP_HDR_LEN)) {
		out_trunc(c);
		return;
	}
	out_str(c, "isakmp");
	unsigned vers = get_u8(c, bp + 17), major = vers >> 4, minor = vers & 0x0f;
	if (c->o->vflag) {
		out_fmt(c, " %u.%u", major, minor);
		out_str(c, " msgid ");
		hex_bytes(c, bp + 20, 4);
	}
	if (c->o->vflag > 1) {
		out_str(c, " cookie ");
		hex_bytes(c, bp, 8);
		out_str(c, "->");
		hex_bytes(c, bp + 8, 8);
	}
	out_char(c, ':');
	if (major == IKEV2_MAJOR)
		ikev2_summary(c, bp);
	else if (major == IKEV1_MAJOR)
		c->last = "udp-app"; /* IKEv1: initiator/responder needs the cookies seen before */
}

void print_isakmp_natt(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "isakmp_rfc3948";
	c->last = "isakmp";
	/* RFC 3948 2.3: a NAT-keepalive is the single byte 0xff */
	if (len == 1 && get_u8(c, bp) == 0xff) {
		out_str(c, "isakmp-nat-keep-alive");
		return;
	}
	if (len < 4) {
		out_trunc(c);
		return;
	}
	/* RFC 3948 2.2: four zero bytes (the non-ESP marker) before IKE */
	if (get_be32(c, bp) == 0) {
		out_str(c, "NONESP-encap: ");
		print_isakmp(c, bp + 4, len - 4);
		return;
	}
	out_str(c, "UDP-encap: ");
	print_esp(c, bp, len);
}
