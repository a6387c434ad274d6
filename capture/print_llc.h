/* capture/print_llc.h: what the IEEE 802.2 LLC printer and the
 * protocols riding on it (SNAP, IPX, ISO CLNS, Cisco's SNAP protocols)
 * share. Private to print_ether.c, print_llc.c, print_ipx.c,
 * print_isoclns.c and print_cisco.c. */
#ifndef BPFCAP_PRINT_LLC_H
#define BPFCAP_PRINT_LLC_H

#include "print_get.h"

/* tcpdump's llc_print: the LLC header at P and what follows. SRC and
 * DST are the MAC-layer addresses (NULL when the link has none, as in
 * cooked captures); they are printed before an undecoded SAP when -e
 * did not print them already. Returns the header length consumed when
 * the payload was printed, its negation when the caller should dump
 * the payload, 0 for the headerless Novell "raw 802.3" IPX frame. */
int llc_print_addrs(struct pctx *c, const uint8_t *p, unsigned length, unsigned caplen,
		    const uint8_t *src, const uint8_t *dst);

/* tcpdump's snap_print: the 5-byte SNAP header (OUI, protocol id) at P
 * and its payload. BRIDGE_PAD is the pad before a bridged frame
 * (RFC 2684). 1 if printed, 0 if the caller should dump it. */
int snap_print(struct pctx *c, const uint8_t *p, unsigned length, unsigned caplen,
	       const uint8_t *src, const uint8_t *dst, unsigned bridge_pad);

/* Novell IPX (print_ipx.c), tcpdump's ipx_print. */
void print_ipx(struct pctx *c, const uint8_t *p, unsigned length);

/* ISO 8473 CLNP / ISO 9542 ES-IS / ISO 10589 IS-IS by their NLPID
 * (print_isoclns.c), tcpdump's isoclns_print. */
void print_isoclns(struct pctx *c, const uint8_t *p, unsigned length);

/* Cisco's SNAP protocols: CDP and DTP (print_cisco.c), UDLD
 * (print_udld.c), VTP (print_vtp.c). */
void print_cdp(struct pctx *c, const uint8_t *p, unsigned length);
void print_dtp(struct pctx *c, const uint8_t *p, unsigned length);
void print_udld(struct pctx *c, const uint8_t *p, unsigned length);
void print_vtp(struct pctx *c, const uint8_t *p, unsigned length);

/* tcpdump's print_unknown_data: a hex dump of LEN bytes at P (clipped
 * to the capture), each line led by IDENT. */
void llc_unknown_data(struct pctx *c, const uint8_t *p, const char *ident, unsigned len);

#endif
