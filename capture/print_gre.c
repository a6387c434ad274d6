/* capture/print_gre.c: GRE version 0 (RFC 2784, RFC 2890 key and
 * sequence number) as tcpdump 4.99.3's print-gre.c prints it; the
 * payload goes by its EtherType. */
#include "print_get.h"

#define GRE_CP 0x8000 /* checksum present */
#define GRE_RP 0x4000 /* routing present (RFC 1701) */
#define GRE_KP 0x2000 /* key present */
#define GRE_SP 0x1000 /* sequence number present */

void print_gre(struct pctx *c, const uint8_t *bp, unsigned length)
{
	c->proto = "gre";
	c->last = "gre";
	unsigned len = length;
	pc_need(c, bp, 2);
	if (length < 2) {
		out_trunc(c);
		return;
	}
	unsigned flags = get_be16(c, bp);
	unsigned vers = flags & 7;
	out_fmt(c, "GREv%u", vers);
	if (vers != 0 || (flags & GRE_RP)) {
		c->last = "gre-other"; /* PPTP's enhanced GRE, source routes: not decoded yet */
		return;
	}
	if (c->o->vflag) {
		static const struct tok names[] = {
			{ GRE_CP, "checksum present" }, { GRE_RP, "routing present" }, { GRE_KP, "key present" },
			{ GRE_SP, "sequence# present" }, { 0, NULL },
		};
		const char *sep = "";
		out_str(c, ", Flags [");
		for (const struct tok *t = names; t->s; t++)
			if (flags & t->v) {
				out_str(c, sep);
				out_str(c, t->s);
				sep = ", ";
			}
		if (!*sep)
			out_str(c, "none");
		out_char(c, ']');
	}
	len -= 2;
	bp += 2;
	if (len < 2) {
		out_trunc(c);
		return;
	}
	unsigned prot = get_be16(c, bp);
	len -= 2;
	bp += 2;
	if (flags & GRE_CP) {
		if (len < 2) {
			out_trunc(c);
			return;
		}
		if (c->o->vflag)
			out_fmt(c, ", sum 0x%x", get_be16(c, bp));
		bp += 2;
		len -= 2;
		if (len < 2) {
			out_trunc(c);
			return;
		}
		out_fmt(c, ", off 0x%x", get_be16(c, bp));
		bp += 2;
		len -= 2;
	}
	if (flags & GRE_KP) {
		if (len < 4) {
			out_trunc(c);
			return;
		}
		out_fmt(c, ", key=0x%x", get_be32(c, bp));
		bp += 4;
		len -= 4;
	}
	if (flags & GRE_SP) {
		if (len < 4) {
			out_trunc(c);
			return;
		}
		out_fmt(c, ", seq %u", get_be32(c, bp));
		bp += 4;
		len -= 4;
	}
	if (c->o->eflag) {
		const char *s = tok_find(ethertype_names, prot);
		out_fmt(c, ", proto %s (0x%04x)", s ? s : "unknown", prot);
	}
	out_fmt(c, ", length %u", length);
	out_str(c, c->o->vflag < 1 ? ": " : "\n\t");
	if (prot == 0x6558) {
		print_ether(c, bp, len, (unsigned)pc_avail(c, bp));
	} else if (!print_ethertype(c, (uint16_t)prot, bp, len, (unsigned)pc_avail(c, bp))) {
		if (tok_find(ethertype_names, prot))
			c->last = "gre-other"; /* a payload tcpdump may decode */
		out_fmt(c, "gre-proto-0x%x", prot);
	}
}
