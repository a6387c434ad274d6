/* capture/print_tcpapp.h: TCP payload printers print_tcp.c dispatches to
 * that print_get.h does not declare (the newer ones). Each prints what
 * tcpdump 4.99.3's printer for that port prints after ", length N". */
#ifndef BPFCAP_PRINT_TCPAPP_H
#define BPFCAP_PRINT_TCPAPP_H

#include "print_get.h"

/* Text protocols (print_txtproto.c). */
void print_whois(struct pctx *c, const uint8_t *p, unsigned len);
void print_rtsp(struct pctx *c, const uint8_t *p, unsigned len);
/* RFC 854 option negotiation (print_telnet.c). */
void print_telnet(struct pctx *c, const uint8_t *p, unsigned len);
/* RFC 3080 BEEP, TCP 10288 (print_tcpapp.c). */
void print_beep(struct pctx *c, const uint8_t *p, unsigned len);
/* RFC 3618 MSDP, TCP 639 (print_msdp.c). */
void print_msdp(struct pctx *c, const uint8_t *p, unsigned len);
/* Redis serialization protocol, TCP 6379 (print_resp.c). */
void print_resp(struct pctx *c, const uint8_t *p, unsigned len);

#endif
