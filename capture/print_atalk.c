/* capture/print_atalk.c: AppleTalk DDP and AARP as tcpdump 4.99.3's print-atalk.c prints them.
 *
 * Not decoded yet: returns 0 so the caller prints tcpdump's fallback
 * (the default dump) and the statistics keep the line apart. */
#include "print_get.h"

int print_atalk(struct pctx *c, uint16_t type, const uint8_t *p, unsigned len, unsigned caplen)
{
	return 0;
}
