/* capture/print_sl.c: LINKTYPE_SLIP as tcpdump 4.99.3's print-sl.c
 * prints it. Each record starts with a 16-byte pseudo-header (BSD's
 * SLIP_HDRLEN): a direction byte, then the first 15 bytes of the
 * (possibly Van Jacobson compressed, RFC 1144) TCP/IP header as it was
 * on the line; the uncompressed datagram follows.
 *
 * With -e tcpdump prints the direction and, under -n, that header as
 * dotted hex. Without -n it would decode the VJ header against state
 * kept across packets; bpfcap prints the -n form there too (as it
 * prints numbers where tcpdump resolves names). */
#include "print_get.h"

#define SLIP_HDRLEN 16
#define SLX_DIR 0      /* the direction byte */
#define SLX_CHDR 1     /* the compressed header's first byte */
#define SLIP_CHDR_LEN 15
#define SLIPDIR_IN 0
#define SLIPDIR_OUT 1

static void sliplink_print(struct pctx *c, const uint8_t *p)
{
	unsigned dir = get_u8(c, p + SLX_DIR);
	if (dir == SLIPDIR_IN)
		out_str(c, "I ");
	else if (dir == SLIPDIR_OUT)
		out_str(c, "O ");
	else
		out_fmt(c, "Invalid direction %d ", (int)(int8_t)dir);
	for (unsigned i = SLX_CHDR; i < SLX_CHDR + SLIP_CHDR_LEN - 1; i++)
		out_fmt(c, "%02x.", get_u8(c, p + i));
	out_fmt(c, "%02x: ", get_u8(c, p + SLX_CHDR + SLIP_CHDR_LEN - 1));
}

unsigned print_sl(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "slip";
	c->last = "slip";
	pc_need(c, p, SLIP_HDRLEN);
	if (c->o->eflag)
		sliplink_print(c, p);
	const uint8_t *ip = p + SLIP_HDRLEN;
	unsigned iplen = len - SLIP_HDRLEN;
	switch (get_u8(c, ip) >> 4) {
	case 4:
		print_ip(c, ip, iplen);
		break;
	case 6:
		print_ip6(c, ip, iplen);
		break;
	default:
		out_fmt(c, "ip v%u", get_u8(c, ip) >> 4);
		break;
	}
	return SLIP_HDRLEN;
}
