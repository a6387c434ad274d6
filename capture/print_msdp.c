/* capture/print_msdp.c: MSDP (RFC 3618) on TCP port 639 as tcpdump
 * 4.99.3's print-msdp.c prints it: ": msdp", then each TLV of a
 * compound packet ("SA n entries", "SA-Request for G", "Keepalive",
 * "Notification"), " [len N]" at -v; at -vv the IP packet an SA carries.
 * A first TLV that does not look like one prints the truncation marker
 * (tcpdump's way of saying "not decodable"). */
#include "print_tcpapp.h"

/* RFC 3618 12: TLV types. */
#define MSDP_SA 1
#define MSDP_SA_REQUEST 2
#define MSDP_SA_RESPONSE 3
#define MSDP_KEEPALIVE 4
#define MSDP_NOTIFICATION 5
#define MSDP_TYPE_MAX 7
#define MSDP_TLV_HDR 3
#define MSDP_MAX_LEN 1500
#define MSDP_BIG_LEN 1400 /* tcpdump shows longer lengths even without -v */
#define MSDP_SA_FIXED 8    /* type, length, entry count, RP address */
#define MSDP_SA_ENTRY 12

/* One TLV's body at P (after type and length). */
static void print_msdp_tlv(struct pctx *c, unsigned type, unsigned len, const uint8_t *p)
{
	switch (type) {
	case MSDP_SA:
	case MSDP_SA_RESPONSE: {
		out_str(c, type == MSDP_SA ? " SA" : " SA-Response");
		unsigned entries = get_u8(c, p);
		out_fmt(c, " %u entries", entries);
		unsigned fixed = entries * MSDP_SA_ENTRY + MSDP_SA_FIXED;
		if (fixed < len) {
			out_str(c, " [w/data]");
			if (c->o->vflag > 1) {
				out_char(c, ' ');
				/* tcpdump keeps the inner printer's marker name */
				print_ip(c, p + fixed - MSDP_TLV_HDR, len - fixed);
			}
		}
		break;
	}
	case MSDP_SA_REQUEST:
		out_str(c, " SA-Request");
		pc_need(c, p + 1, 4);
		out_str(c, " for ");
		out_ip4(c, p + 1);
		break;
	case MSDP_KEEPALIVE:
		out_str(c, " Keepalive");
		if (len != MSDP_TLV_HDR)
			out_fmt(c, "[len=%u] ", len);
		break;
	case MSDP_NOTIFICATION:
		out_str(c, " Notification");
		break;
	default:
		out_fmt(c, " [type=%u len=%u]", type, len);
		break;
	}
}

void print_msdp(struct pctx *c, const uint8_t *p, unsigned length)
{
	c->proto = "msdp";
	c->last = "msdp";
	out_str(c, ": msdp");
	unsigned type = get_u8(c, p), len = get_be16(c, p + 1);
	if (len > MSDP_MAX_LEN || len < MSDP_TLV_HDR || type == 0 || type > MSDP_TYPE_MAX) {
		out_trunc(c);
		return;
	}
	while (length != 0) {
		type = get_u8(c, p);
		len = get_be16(c, p + 1);
		if (len > MSDP_BIG_LEN || c->o->vflag)
			out_fmt(c, " [len %u]", len);
		if (len < MSDP_TLV_HDR || length < len) {
			out_trunc(c);
			return;
		}
		p += MSDP_TLV_HDR;
		length -= MSDP_TLV_HDR;
		print_msdp_tlv(c, type, len, p);
		p += len - MSDP_TLV_HDR;
		length -= len - MSDP_TLV_HDR;
	}
}
