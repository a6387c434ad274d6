/* capture/print_sl.c: LINKTYPE_SLIP as tcpdump 4.99.3's print-sl.c
 * prints it. Each record starts with BSD's 16-byte pseudo-header: a
 * direction byte, then the first 15 bytes of the line's (possibly Van
 * Jacobson compressed, RFC 1144) TCP/IP header; the uncompressed
 * datagram follows.
 *
 * With -e tcpdump prints the direction and what the line header says:
 * "ip LEN", "utcp CONN" or the compressed header's changes, which it
 * reads against what it remembered of earlier packets (kept here in the
 * printer, printer_slip_state). */
#include "print_get.h"

#define SLIP_HDRLEN 16
#define SLX_DIR 0      /* the direction byte */
#define SLX_CHDR 1     /* the line header's first byte */
#define SLIPDIR_IN 0
#define SLIPDIR_OUT 1

/* RFC 1144 3.2: the packet type in the line header's high bits. */
#define VJ_TYPE_IP 0x40
#define VJ_TYPE_UNCOMPRESSED_TCP 0x70
#define VJ_TYPE_COMPRESSED_TCP 0x80
/* RFC 1144 3.2.2: the change mask of a compressed header. */
#define VJ_NEW_C 0x40
#define VJ_NEW_I 0x20
#define VJ_NEW_S 0x08
#define VJ_NEW_A 0x04
#define VJ_NEW_W 0x02
#define VJ_NEW_U 0x01
#define VJ_SPECIALS_MASK (VJ_NEW_S | VJ_NEW_A | VJ_NEW_W | VJ_NEW_U)
#define VJ_SPECIAL_I (VJ_NEW_S | VJ_NEW_W | VJ_NEW_U) /* echoed interactive traffic */
#define VJ_SPECIAL_D (VJ_NEW_S | VJ_NEW_A | VJ_NEW_W | VJ_NEW_U) /* unidirectional data */

/* RFC 1144 3.2.2: a delta is one byte, or 0 and then two bytes.
 * tcpdump's print_sl_change moves past the delta only in the two-byte
 * form: a one-byte delta is read again by the next field, and the
 * compressed header length it prints counts accordingly. */
static const uint8_t *sl_delta(struct pctx *c, const char *what, const uint8_t *cp)
{
	unsigned v = get_u8(c, cp);
	if (v == 0) {
		v = get_be16(c, cp + 1);
		cp += 3;
	}
	out_fmt(c, " %s%u", what, v);
	return cp;
}

/* The window delta is signed: tcpdump prints "W+n" or "W-n" (and moves
 * on as sl_delta does). */
static const uint8_t *sl_window_delta(struct pctx *c, const uint8_t *cp)
{
	int v = get_u8(c, cp);
	if (v == 0) {
		v = (int16_t)get_be16(c, cp + 1);
		cp += 3;
	}
	if (v >= 0)
		out_fmt(c, " W+%d", v);
	else
		out_fmt(c, " W%d", v);
	return cp;
}

/* The uncompressed TCP/IP header length in bytes: IHL plus the TCP data
 * offset found after it, read from the datagram as tcpdump does (which
 * wants the TCP header's 20 fixed bytes captured to read its offset). */
#define TCP_FIXED_HDRLEN 20
static unsigned sl_tcpip_header_len(struct pctx *c, const uint8_t *ip)
{
	unsigned hlen = get_u8(c, ip) & 0x0f;
	const uint8_t *th = ip + 4 * hlen;
	pc_need(c, th, TCP_FIXED_HDRLEN);
	hlen += get_u8(c, th + 12) >> 4;
	return hlen << 2;
}

static void sl_compressed_print(struct pctx *c, struct slip_vj_state *st, const uint8_t *chdr,
				const uint8_t *ip, unsigned length, int dir)
{
	const uint8_t *cp = chdr;
	unsigned flags = get_u8(c, cp);
	cp++;
	if (flags & VJ_NEW_C) {
		st->lastconn = get_u8(c, cp);
		cp++;
		out_fmt(c, "ctcp %u", st->lastconn);
	} else {
		out_str(c, "ctcp *");
	}
	cp += 2; /* the TCP checksum */
	switch (flags & VJ_SPECIALS_MASK) {
	case VJ_SPECIAL_I:
		out_fmt(c, " *SA+%u", st->lastlen[dir][st->lastconn]);
		break;
	case VJ_SPECIAL_D:
		out_fmt(c, " *S+%u", st->lastlen[dir][st->lastconn]);
		break;
	default:
		if (flags & VJ_NEW_U)
			cp = sl_delta(c, "U=", cp);
		if (flags & VJ_NEW_W)
			cp = sl_window_delta(c, cp);
		if (flags & VJ_NEW_A)
			cp = sl_delta(c, "A+", cp);
		if (flags & VJ_NEW_S)
			cp = sl_delta(c, "S+", cp);
		break;
	}
	if (flags & VJ_NEW_I)
		cp = sl_delta(c, "I+", cp);
	st->lastlen[dir][st->lastconn] = length - sl_tcpip_header_len(c, ip);
	out_fmt(c, " %u (%ld)", st->lastlen[dir][st->lastconn], (long)(cp - chdr));
}

static void sliplink_print(struct pctx *c, const uint8_t *p, const uint8_t *ip, unsigned length)
{
	struct slip_vj_state *st = printer_slip_state(c->pr);
	int dir = get_u8(c, p + SLX_DIR);
	if (dir == SLIPDIR_IN) {
		out_str(c, "I ");
	} else if (dir == SLIPDIR_OUT) {
		out_str(c, "O ");
	} else {
		out_fmt(c, "Invalid direction %d ", dir);
		dir = -1;
	}
	unsigned type = get_u8(c, p + SLX_CHDR);
	switch (type & 0xf0) {
	case VJ_TYPE_IP:
		out_fmt(c, "ip %u: ", length + SLIP_HDRLEN);
		break;
	case VJ_TYPE_UNCOMPRESSED_TCP:
		/* RFC 1144 3.2.3: the connection number replaces the
		 * protocol field of the line's IP header copy. */
		st->lastconn = get_u8(c, p + SLX_CHDR + 9);
		out_fmt(c, "utcp %u: ", st->lastconn);
		if (dir == -1)
			return;
		st->lastlen[dir][st->lastconn] = length - sl_tcpip_header_len(c, ip);
		break;
	default:
		if (dir == -1)
			return;
		if (type & VJ_TYPE_COMPRESSED_TCP) {
			sl_compressed_print(c, st, p + SLX_CHDR, ip, length, dir);
			out_str(c, ": ");
		} else {
			out_fmt(c, "slip-%u!: ", type);
		}
	}
}

unsigned print_sl(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "slip";
	c->last = "slip";
	pc_need(c, p, SLIP_HDRLEN);
	const uint8_t *ip = p + SLIP_HDRLEN;
	unsigned iplen = len - SLIP_HDRLEN;
	if (c->o->eflag)
		sliplink_print(c, p, ip, iplen);
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
