/* capture/print_krb.c: Kerberos on UDP 88/750 as tcpdump 4.99.3's
 * print-krb.c tells the versions apart by the first byte: " v1".." v3",
 * " v5" for the RFC 4120 5.4.1 application tags AS-REQ (0x6a) and AS-REP
 * (0x6b), nothing for the others. Version 4 messages are not decoded
 * yet and keep the "udp-app" tag. */
#include "print_get.h"
#include "print_udpapp.h"

#define KRB5_AS_REQ 0x6a /* RFC 4120 5.4.1: [APPLICATION 10] */
#define KRB5_AS_REP 0x6b /* [APPLICATION 11] */

void print_krb(struct pctx *c, const uint8_t *bp, unsigned len)
{
	(void)len;
	c->proto = "krb";
	c->last = "krb";
	unsigned pvno = get_u8(c, bp);
	switch (pvno) {
	case 1:
	case 2:
	case 3:
		out_fmt(c, " v%u", pvno);
		break;
	case 4:
		out_str(c, " v4");
		c->last = "udp-app"; /* Kerberos 4 messages: not decoded yet */
		break;
	case KRB5_AS_REQ:
	case KRB5_AS_REP:
		out_str(c, " v5");
		break;
	default:
		break;
	}
}
