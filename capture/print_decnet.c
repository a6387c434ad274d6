/* capture/print_decnet.c: DECnet Phase IV routing as tcpdump 4.99.3's print-decnet.c prints it.
 *
 * Not decoded yet: returns 0 so the caller prints tcpdump's fallback
 * (the default dump) and the statistics keep the line apart. */
#include "print_get.h"

int print_decnet(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	return 0;
}
