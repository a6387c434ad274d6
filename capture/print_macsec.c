/* capture/print_macsec.c: IEEE 802.1AE MACsec SecTAGs as tcpdump 4.99.3's
 * print-macsec.c prints them: with -e (or for an encrypted payload)
 * "an A, pn N, flags F[, sl L][, sci S], ", then the protected frame's
 * EtherType and payload when in clear (E and C flags both 0).
 *
 * tcpdump decodes MACsec only as the outermost Ethernet type
 * (print_macsec_ether, for print_ether); reached from the EtherType
 * dispatch (a cooked header, a VLAN tag, SNAP) it is an unknown type
 * and print_ethertype leaves it to the default dump, as tcpdump does. */
#include <inttypes.h>

#include "print_macsec.h"

/* IEEE 802.1AE-2018 9.3: TCI/AN (version, ES, SC, SCB, E, C, AN), SL
 * (6 bits), PN (32 bits), then the SCI (64 bits) when SC is set. */
#define TCI_VERSION 0x80
#define TCI_ES 0x40
#define TCI_SC 0x20
#define TCI_SCB 0x10
#define TCI_E 0x08
#define TCI_C 0x04
#define TCI_AN_MASK 0x03
#define TCI_FLAGS (TCI_ES | TCI_SC | TCI_SCB | TCI_E | TCI_C)
#define TCI_CONFIDENTIAL (TCI_E | TCI_C)
#define SL_MASK 0x3f
#define SECTAG_LEN 6
#define SECTAG_SCI_LEN 14
#define ICV_LEN 16 /* the default cipher suite's (9.7) */

/* tcpdump's flag letters, in its table's order, run together. */
static const struct tok tci_flag_names[] = {
	{ TCI_E, "E" }, { TCI_C, "C" }, { TCI_ES, "S" }, { TCI_SCB, "B" }, { TCI_SC, "I" }, { 0, NULL },
};

static void print_sectag(struct pctx *c, const uint8_t *tag, unsigned sl)
{
	unsigned tci = get_u8(c, tag);
	out_fmt(c, "an %u, pn %u, flags ", tci & TCI_AN_MASK, get_be32(c, tag + 2));
	unsigned flags = tci & TCI_FLAGS;
	if (!flags)
		out_str(c, "none");
	for (const struct tok *t = tci_flag_names; t->s; t++)
		if (flags & t->v)
			out_str(c, t->s);
	if (sl != 0)
		out_fmt(c, ", sl %u", sl);
	if (tci & TCI_SC) {
		uint64_t sci = (uint64_t)get_be32(c, tag + 6) << 32 | get_be32(c, tag + 10);
		out_fmt(c, ", sci %016" PRIx64, sci);
	}
	out_str(c, ", ");
}

int print_macsec_ether(struct pctx *c, const uint8_t **pp, unsigned *lenp, unsigned *caplenp, unsigned *hdrlenp,
		       const uint8_t *eh)
{
	const char *save = c->proto;
	const uint8_t *tag = *pp;
	unsigned len = *lenp, caplen = *caplenp, hdrlen = *hdrlenp;
	int ret = (int)(hdrlen + caplen);
	c->proto = "macsec";
	c->last = "macsec";
	if (caplen < SECTAG_LEN || len < SECTAG_LEN) {
		out_trunc(c);
		goto out;
	}
	unsigned tci = get_u8(c, tag), sectag_len = SECTAG_LEN;
	if (tci & TCI_SC) {
		sectag_len = SECTAG_SCI_LEN;
		if (caplen < SECTAG_SCI_LEN || len < SECTAG_SCI_LEN) {
			out_trunc(c);
			goto out;
		}
	}
	unsigned slbyte = get_u8(c, tag + 1);
	if ((slbyte & ~SL_MASK) != 0 || (tci & TCI_VERSION)) {
		out_invalid(c);
		goto out;
	}
	unsigned sl = slbyte & SL_MASK;
	if (c->o->eflag)
		print_sectag(c, tag, sl);
	*pp += sectag_len;
	*hdrlenp += sectag_len;
	*lenp -= sectag_len;
	*caplenp -= sectag_len;
	if (tci & TCI_CONFIDENTIAL) {
		if (!c->o->eflag) {
			out_mac(c, eh + 6);
			out_str(c, " > ");
			out_mac(c, eh);
			out_str(c, " 802.1AE MACsec, ");
			print_sectag(c, tag, sl);
		}
		ret = 0;
		goto out;
	}
	/* in clear: the ICV ends the frame and is not payload */
	if (*lenp < ICV_LEN || *caplenp < ICV_LEN) {
		out_trunc(c);
		goto out;
	}
	*lenp -= ICV_LEN;
	*caplenp -= ICV_LEN;
	c->snapend -= ICV_LEN;
	if (sl != 0) {
		/* SL, when set, is the length of the secure data */
		if (sl > *lenp || sl > *caplenp) {
			out_trunc(c);
			goto out;
		}
		if (*lenp > sl)
			*lenp = sl;
		if (*caplenp > sl)
			*caplenp = sl;
	}
	ret = -1;
out:
	c->proto = save;
	return ret;
}
