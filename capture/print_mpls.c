/* capture/print_mpls.c: MPLS label stacks (RFC 3032 2.1) as tcpdump's
 * print-mpls.c prints them, with its guess of the payload: the explicit
 * and implicit null labels name IPv4/IPv6 (RFC 3032 2.1, RFC 3031), else
 * the first payload byte does. */
#include "print_get.h"
#include "print_llc.h"

/* RFC 3032 2.1 / RFC 7274 reserved label values 0..15. */
static const char *const label_names[] = {
	"IPv4 explicit NULL", "router alert", "IPv6 explicit NULL", "implicit NULL", "rsvd", "rsvd",
	"rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd",
};

void print_mpls(struct pctx *c, const uint8_t *p, unsigned length)
{
	c->proto = "mpls";
	c->last = "mpls";
	out_str(c, "MPLS");
	uint32_t e;
	unsigned depth = 0;
	do {
		if (length < 4) {
			out_invalid(c);
			pc_need(c, p, length);
			return;
		}
		e = get_be32(c, p);
		unsigned label = e >> 12;
		out_fmt(c, "%s(label %u", depth && c->o->vflag ? "\n\t" : " ", label);
		depth++;
		if (c->o->vflag && label < 16)
			out_fmt(c, " (%s)", label_names[label]);
		out_fmt(c, ", tc %u", (e >> 9) & 7);
		if (e & 0x100)
			out_str(c, ", [S]");
		out_fmt(c, ", ttl %u)", e & 0xff);
		p += 4;
		length -= 4;
	} while (!(e & 0x100));
	int pt; /* 4, 6, or 0 unknown */
	switch (e >> 12) {
	case 0:
	case 3:
		pt = 4;
		break;
	case 2:
		pt = 6;
		break;
	default: {
		if (length < 1)
			return;
		unsigned first = get_u8(c, p);
		if (first >= 0x45 && first <= 0x4f)
			pt = 4;
		else if (first >= 0x60 && first <= 0x6f)
			pt = 6;
		else if (first == 0x81 || first == 0x82 || first == 0x83)
			pt = 1;
		else
			pt = 0;
		break;
	}
	}
	switch (pt) {
	case 4:
		out_str(c, c->o->vflag ? "\n\t" : " ");
		print_ip(c, p, length);
		break;
	case 6:
		out_str(c, c->o->vflag ? "\n\t" : " ");
		print_ip6(c, p, length);
		break;
	case 1:
		out_str(c, c->o->vflag ? "\n\t" : " ");
		print_isoclns(c, p, length);
		break;
	default:
		out_default(c, p, length);
		break;
	}
}
