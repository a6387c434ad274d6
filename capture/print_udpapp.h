/* capture/print_udpapp.h: the UDP application printers print_udp.c
 * dispatches to (one file each), private to the UDP printer. */
#ifndef BPFCAP_PRINT_UDPAPP_H
#define BPFCAP_PRINT_UDPAPP_H

#include <stdint.h>

struct pctx;

/* TFTP, UDP 69 (print_tftp.c). */
void print_tftp(struct pctx *c, const uint8_t *p, unsigned len);
/* RIP, UDP 520 (print_rip.c). */
void print_rip(struct pctx *c, const uint8_t *p, unsigned len);
/* RIPng, UDP 521 (print_rip.c). */
void print_ripng(struct pctx *c, const uint8_t *p, unsigned len);
/* BFD, UDP destination port DPORT 3784/4784/3785 (print_bfd.c). */
void print_bfd(struct pctx *c, const uint8_t *p, unsigned len, unsigned dport);
/* ISAKMP/IKE, UDP 500 (print_isakmp.c). */
void print_isakmp(struct pctx *c, const uint8_t *p, unsigned len);
/* RFC 3948 UDP encapsulation of ESP or IKE, UDP 4500 (print_isakmp.c). */
void print_isakmp_natt(struct pctx *c, const uint8_t *p, unsigned len);
/* Syslog, UDP 514 (print_syslog.c). */
void print_syslog(struct pctx *c, const uint8_t *p, unsigned len);
/* Cisco HSRP, UDP destination port 1985 (print_hsrp.c). */
void print_hsrp(struct pctx *c, const uint8_t *p, unsigned len);
/* VXLAN-GPE, UDP 4790 (print_vxlan_gpe.c). */
void print_vxlan_gpe(struct pctx *c, const uint8_t *p, unsigned len);
/* vat/vt audio, UDP destination port 3456 (print_vat.c). */
void print_vat(struct pctx *c, const uint8_t *p, unsigned len);
/* Kerberos, UDP 88 and 750 (print_krb.c). */
void print_krb(struct pctx *c, const uint8_t *p, unsigned len);
/* Broadcom LI shim, UDP source port 49152 (print_bcm_li.c). */
void print_bcm_li(struct pctx *c, const uint8_t *p, unsigned len);
/* TSP (timed), UDP 525 (print_timed.c). */
void print_timed(struct pctx *c, const uint8_t *p, unsigned len);
/* SOME/IP, UDP 30490 (print_someip.c). */
void print_someip(struct pctx *c, const uint8_t *p, unsigned len);
/* Multicast DNS (RFC 6762), UDP 5353 (print_dns.c). */
void print_mdns(struct pctx *c, const uint8_t *p, unsigned len);

/* tcpdump's print_unknown_data: the bytes in hex under INDENT, clipped
 * to what was captured, without a truncation marker (print_udp.c). */
void udpapp_unknown_data(struct pctx *c, const uint8_t *p, const char *indent, unsigned len);

#endif
