/* capture/print_macsec.c: IEEE 802.1AE MACsec as tcpdump 4.99.3's print-macsec.c prints it.
 *
 * Not decoded yet: returns 0 so the caller prints tcpdump's fallback
 * (the default dump) and the statistics keep the line apart. */
#include "print_get.h"

int print_macsec(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	return 0;
}
