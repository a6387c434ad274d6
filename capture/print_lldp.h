/* capture/print_lldp.h: what print_lldp.c and print_lldp_org.c share. */
#ifndef BPFCAP_PRINT_LLDP_H
#define BPFCAP_PRINT_LLDP_H

#include "print_get.h"

/* tcpdump's nd_printjnp: up to N bytes, stopping at a NUL, cat -v style. */
void lldp_print_string(struct pctx *c, const uint8_t *p, unsigned n);
/* The value of an organizationally specific TLV (P at its OUI, LEN
 * bytes) after its ": OUI name (0x...)": returns 1 when tcpdump adds a
 * hex dump of the TLV. */
int lldp_print_org(struct pctx *c, unsigned oui, const uint8_t *p, unsigned len);

#endif
