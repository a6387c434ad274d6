/* capture/print_ether_app.h: EtherType payload printers that
 * print_ether.c's print_ethertype dispatches to. */
#ifndef BPFCAP_PRINT_ETHER_APP_H
#define BPFCAP_PRINT_ETHER_APP_H

#include "print_get.h"

/* IEEE 802.3ah MPCP, EtherType 0x8808 (print_mpcp.c). */
void print_mpcp(struct pctx *c, const uint8_t *p, unsigned len);
/* ETSI EN 302 636-4-1 GeoNetworking, EtherType 0x8947 (print_geonet.c);
 * SRC is the frame's MAC-48 source, NULL when the link has none. */
void print_geonet(struct pctx *c, const uint8_t *p, unsigned len, const uint8_t *src);

#endif
