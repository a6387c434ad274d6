/* capture/print_pptp.c: PPTP control messages (RFC 2637) as tcpdump
 * 4.99.3's print-pptp.c prints them.
 *
 * Not decoded yet: the line ends after the TCP header, tagged so the
 * statistics keep it apart. */
#include "print_get.h"

void print_pptp(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->last = "tcp-app";
}
