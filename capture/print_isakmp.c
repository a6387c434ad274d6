/* capture/print_isakmp.c: ISAKMP/IKE (RFC 2408 3.1, RFC 7296 3.1) as
 * tcpdump 4.99.3's print-isakmp.c prints the fixed header, and the
 * RFC 3948 UDP encapsulation on port 4500 (NAT keep-alive, non-ESP
 * marker then IKE, or ESP). The payloads of IKEv1 and IKEv2 messages
 * are not decoded yet: such a message keeps the "udp-app" tag. */
#include "print_get.h"
#include "print_udpapp.h"

#define ISAKMP_HDR_LEN 28u /* RFC 2408 3.1 */
#define ESP_HDR_LEN 8u    /* RFC 4303 2: SPI, sequence number */
#define IKEV1_MAJOR 1
#define IKEV2_MAJOR 2

/* tcpdump's hexprint: the bytes as hex pairs, no separator. */
static void hex_bytes(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		out_fmt(c, "%02x", get_u8(c, p + i));
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
	if (major == IKEV1_MAJOR || major == IKEV2_MAJOR)
		c->last = "udp-app"; /* the exchange's payloads: not decoded yet */
}

/* RFC 4303 2: SPI and sequence number; without the keys tcpdump prints
 * no more. */
static void esp_in_udp(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "esp";
	c->last = "esp";
	/* tcpdump's esp_print wants a byte past SPI and sequence number */
	if (pc_avail(c, bp) <= ESP_HDR_LEN) {
		out_trunc(c);
		return;
	}
	out_fmt(c, "ESP(spi=0x%08x", get_be32(c, bp));
	out_fmt(c, ",seq=0x%x)", get_be32(c, bp + 4));
	out_fmt(c, ", length %u", len);
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
	esp_in_udp(c, bp, len);
}
