/* capture/print_ppp.h: the PPP printers other encapsulations share —
 * PPPoE's session stage (RFC 2516), PPTP's enhanced GRE (RFC 2637) and
 * the PPP link types all end in the same "PPP protocol number →
 * payload" dispatch (tcpdump's handle_ppp) or in a whole PPP frame
 * (tcpdump's ppp_print). */
#ifndef BPFCAP_PRINT_PPP_H
#define BPFCAP_PRINT_PPP_H

#include "print_get.h"

/* RFC 1661 section 2 / IANA PPP DLL protocol numbers tcpdump dispatches on. */
#define PPP_PROTO_IP 0x0021
#define PPP_PROTO_OSI 0x0023
#define PPP_PROTO_IPX 0x002b
#define PPP_PROTO_VJC 0x002d
#define PPP_PROTO_VJNC 0x002f
#define PPP_PROTO_ML 0x003d      /* RFC 1990 multilink */
#define PPP_PROTO_IPV6 0x0057
#define PPP_PROTO_COMP 0x00fd    /* RFC 1962 compressed datagram */
#define PPP_PROTO_MPLS_UCAST 0x0281
#define PPP_PROTO_MPLS_MCAST 0x0283
#define PPP_PROTO_IPCP 0x8021    /* RFC 1332 */
#define PPP_PROTO_OSICP 0x8023
#define PPP_PROTO_IPV6CP 0x8057  /* RFC 5072 */
#define PPP_PROTO_CCP 0x80fd     /* RFC 1962 */
#define PPP_PROTO_MPLSCP 0x8281  /* RFC 3032 */
#define PPP_PROTO_LCP 0xc021     /* RFC 1661 */
#define PPP_PROTO_PAP 0xc023     /* RFC 1334 */
#define PPP_PROTO_LQM 0xc025
#define PPP_PROTO_SPAP 0xc027
#define PPP_PROTO_BACP 0xc02b    /* RFC 2125 */
#define PPP_PROTO_BAP 0xc02d     /* RFC 2125 */
#define PPP_PROTO_MPCP 0xc03d
#define PPP_PROTO_SPAP_OLD 0xc123
#define PPP_PROTO_CHAP 0xc223    /* RFC 1994 */
#define PPP_PROTO_EAP 0xc227

/* The payload P (LEN bytes) of a PPP frame whose protocol field was
 * PROTO, as tcpdump's handle_ppp prints it. */
void ppp_print_payload(struct pctx *c, unsigned proto, const uint8_t *p, unsigned len);

/* A PPP frame at P, address/control optional, protocol field possibly
 * compressed (RFC 1661 6.5, RFC 1662 3.2), as tcpdump's ppp_print:
 * the header length consumed, 0 when the frame was too short. */
unsigned ppp_print_frame(struct pctx *c, const uint8_t *p, unsigned len);

/* LINKTYPE_PPP_HDLC (NetBSD's DLT_PPP_SERIAL): RFC 1662 HDLC-like
 * framing, or Cisco HDLC (RFC 1547 4.3.1), as tcpdump's
 * ppp_hdlc_if_print; returns the link header length. */
unsigned print_ppp_hdlc(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);

/* LINKTYPE_FRELAY (print_fr.c), whose NLPID 0xcf payload is PPP. */
unsigned print_fr(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen);

#endif
