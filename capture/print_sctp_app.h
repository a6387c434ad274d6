/* capture/print_sctp_app.h: the SCTP payload printers print_sctp hands
 * DATA chunks to — ForCES (RFC 5810) and M3UA (RFC 4666). Private to
 * capture/print_sctp.c and these printers. */
#ifndef BPFCAP_PRINT_SCTP_APP_H
#define BPFCAP_PRINT_SCTP_APP_H

#include "print_get.h"

/* A ForCES message of LEN bytes at P (a DATA chunk's user data). */
void print_forces(struct pctx *c, const uint8_t *p, unsigned len);

/* An M3UA message of LEN bytes at P (printed at -vv only). */
void print_m3ua(struct pctx *c, const uint8_t *p, unsigned len);

#endif
