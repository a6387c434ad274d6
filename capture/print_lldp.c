/* capture/print_lldp.c: IEEE 802.1AB LLDP as tcpdump 4.99.3's print-lldp.c prints it.
 *
 * Not decoded yet: returns 0 so the caller prints tcpdump's fallback
 * (the default dump) and the statistics keep the line apart. */
#include "print_get.h"

int print_lldp(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	return 0;
}
