/* capture/print_mobile.c: RFC 2004 minimal encapsulation (IP protocol
 * 55) as tcpdump's print-mobile.c prints it. */
#include "print_ipapp.h"

/* RFC 2004 3.1: protocol, S bit, reserved, checksum, original
 * destination, then the original source when S is set. */
#define MOBILE_MIN_LEN 8
#define MOBILE_STRUCT_LEN 12  /* what tcpdump requires captured */
#define MOBILE_OSRC_PRESENT 0x0080

void print_mobile(struct pctx *c, const uint8_t *bp, unsigned length)
{
	c->proto = "mobile";
	c->last = "mobile";
	if (length < MOBILE_MIN_LEN || !pc_has(c, bp, MOBILE_STRUCT_LEN)) {
		out_trunc(c);
		return;
	}
	out_str(c, "mobile: ");
	unsigned proto = get_be16(c, bp);
	unsigned crc = get_be16(c, bp + 2);
	int osrc = (proto & MOBILE_OSRC_PRESENT) != 0;
	if (osrc) {
		out_str(c, "[S] ");
		if (c->o->vflag) {
			out_ip4(c, bp + 8);
			out_char(c, ' ');
		}
	} else {
		out_str(c, "[] ");
	}
	if (c->o->vflag) {
		out_str(c, "> ");
		out_ip4(c, bp + 4);
		out_fmt(c, " (oproto=%u)", proto >> 8);
	}
	if (cksum_fold(cksum_add(0, bp, osrc ? 12 : 8)) != 0)
		out_fmt(c, " (bad checksum %u)", crc);
}
