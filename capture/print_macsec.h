/* capture/print_macsec.h: IEEE 802.1AE MACsec as the outermost Ethernet
 * type (tcpdump's ether_common_print calls its MACsec printer there
 * only; under a VLAN tag, SNAP or a cooked header 0x88e5 is an unknown
 * EtherType and gets the default dump). */
#ifndef BPFCAP_PRINT_MACSEC_H
#define BPFCAP_PRINT_MACSEC_H

#include "print_get.h"

/* P points at the SecTAG (after the 0x88e5), EH at the Ethernet header.
 * Returns:
 *   < 0  the payload is in clear: *P, *LEN, *CAPLEN, *HDRLEN now cover
 *        what follows the SecTAG (the ICV removed, cut to SL), and the
 *        caller goes on with the EtherType at *P (VLAN tags, LLC...);
 *   0    the payload is encrypted: the caller dumps *P (default dump);
 *   > 0  the SecTAG was bad: the caller returns this header length.
 * With -e the caller has printed "ethertype 802.1AE MACsec (0x88e5),
 * length N: " before. c->snapend is pulled in over the ICV (the caller
 * keeps its own copy if it needs the whole frame after). */
int print_macsec_ether(struct pctx *c, const uint8_t **p, unsigned *len, unsigned *caplen, unsigned *hdrlen,
		       const uint8_t *eh);

#endif
