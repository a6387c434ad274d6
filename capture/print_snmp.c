/* capture/print_snmp.c: SNMP (RFC 1157, RFC 3416 PDUs, BER) as tcpdump 4.99.3's print-snmp.c prints it.
 *
 * Not decoded yet: returns 0 so the caller prints tcpdump's fallback
 * (the default dump) and the statistics keep the line apart. */
#include "print_get.h"

int print_snmp(struct pctx *c, const uint8_t *p, unsigned len)
{
	return 0;
}
