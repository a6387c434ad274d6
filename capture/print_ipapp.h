/* capture/print_ipapp.h: the IP protocols print_ip_demux (and IGMP)
 * hands to their own printers — VRRP, PIM, EGP, IGRP, EIGRP, IPComp,
 * Mobile IP encapsulation, DVMRP. Private to capture/print_ip*.c, print_igmp.c
 * and these printers. */
#ifndef BPFCAP_PRINT_IPAPP_H
#define BPFCAP_PRINT_IPAPP_H

#include "print_get.h"

/* IP protocol numbers (IANA "Assigned Internet Protocol Numbers"). */
#define IPPROTO_NUM_EGP 8       /* RFC 904 */
#define IPPROTO_NUM_IGRP 9
#define IPPROTO_NUM_MOBILE 55    /* RFC 2004 minimal encapsulation */
#define IPPROTO_NUM_EIGRP 88     /* RFC 7868 */
#define IPPROTO_NUM_PIM 103      /* RFC 7761 */
#define IPPROTO_NUM_IPCOMP 108   /* RFC 3173 */
#define IPPROTO_NUM_VRRP 112     /* RFC 3768, RFC 5798 */

/* LABEL then the IPv4 address at P, both or neither: tcpdump reads the
 * address (GET_IPADDR_STRING) before printing the format around it. */
static inline void out_ip4_after(struct pctx *c, const char *label, const uint8_t *p)
{
	pc_need(c, p, 4);
	out_str(c, label);
	out_ip4(c, p);
}


/* IP is the enclosing IPv4/IPv6 header, TTL its TTL / hop limit. */
void print_vrrp(struct pctx *c, const uint8_t *p, unsigned len, const uint8_t *ip, unsigned ttl);
void print_pim(struct pctx *c, const uint8_t *p, unsigned len, const uint8_t *ip);
/* PIMv1 inside IGMP (type 0x14). */
void print_pimv1(struct pctx *c, const uint8_t *p, unsigned len);
void print_igrp(struct pctx *c, const uint8_t *p, unsigned len);
void print_eigrp(struct pctx *c, const uint8_t *p, unsigned len);
void print_ipcomp(struct pctx *c, const uint8_t *p);
void print_mobile(struct pctx *c, const uint8_t *p, unsigned len);
/* EGP (print_egp.c). */
void print_egp(struct pctx *c, const uint8_t *p, unsigned len);
/* DVMRP inside IGMP (type 0x13). */
void print_dvmrp(struct pctx *c, const uint8_t *p, unsigned len);

#endif
