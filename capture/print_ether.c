/* capture/print_ether.c: Ethernet II / IEEE 802.3 (tcpdump's
 * print-ether.c), IEEE 802.1Q/802.1ad tags, Linux cooked captures v1
 * and v2 (print-sll.c), and the EtherType dispatch. */
#include <string.h>

#include "print_ether_app.h"
#include "print_llc.h"
#include "print_macsec.h"
#include "print_ppp.h"

/* tcpdump's ethertype_values (ethertype.h numbers, print-ether.c names). */
const struct tok ethertype_names[] = {
	{ 0x0800, "IPv4" },      { 0x8847, "MPLS unicast" }, { 0x8848, "MPLS multicast" },
	{ 0x86dd, "IPv6" },      { 0x8100, "802.1Q" },     { 0x9100, "802.1Q-9100" },
	{ 0x88a8, "802.1Q-QinQ" }, { 0x9200, "802.1Q-9200" }, { 0x0200, "PUP" },
	{ 0x0806, "ARP" },       { 0x8035, "Reverse ARP" }, { 0x0600, "NS" },
	{ 0x0500, "Sprite" },    { 0x1000, "Trail" },      { 0x6001, "MOP DL" },
	{ 0x6002, "MOP RC" },    { 0x6003, "DN" },         { 0x6004, "LAT" },
	{ 0x6007, "SCA" },       { 0x6558, "TEB" },        { 0x8038, "Lanbridge" },
	{ 0x803c, "DEC DNS" },   { 0x803e, "DEC DTS" },    { 0x805b, "VEXP" },
	{ 0x805c, "VPROD" },     { 0x809b, "Appletalk" },  { 0x80f3, "Appletalk ARP" },
	{ 0x8137, "IPX" },       { 0x880b, "PPP" },        { 0x8808, "MPCP" },
	{ 0x8809, "Slow Protocols" }, { 0x8863, "PPPoE D" }, { 0x8864, "PPPoE S" },
	{ 0x888e, "EAPOL" },     { 0x8899, "RRCP" },       { 0x886f, "MS NLB heartbeat" },
	{ 0x8870, "Jumbo" },     { 0x894f, "NSH" },        { 0x9000, "Loopback" },
	{ 0xfefe, "OSI" },       { 0x00fe, "GRE-OSI" },    { 0xabcd, "CFM (old)" },
	{ 0x8902, "CFM" },       { 0x893a, "IEEE1905.1" }, { 0x88cc, "LLDP" },
	{ 0x88ca, "TIPC" },      { 0x0707, "GeoNet (old)" }, { 0x8947, "GeoNet" },
	{ 0x1111, "CALM FAST" }, { 0x88a2, "AoE" },        { 0xdada, "MEDSA" },
	{ 0x88e5, "802.1AE MACsec" },    { 0xd28b, "Arista Vendor Specific Protocol" },
	{ 0x88f7, "PTP" },       { 0x22f0, "AVTP" },
	{ 0, NULL },
};

#define MAX_ETHERNET_LENGTH_VAL 1500
#define ETHERTYPE_IPX 0x8137
#define ETHERTYPE_ISO 0xfefe
#define ETHERTYPE_MPCP 0x8808   /* IEEE 802.3 31.4: MAC Control (MPCP) */
#define ETHERTYPE_GEONET 0x8947 /* ETSI EN 302 636-4-1 GeoNetworking */

static int is_vlan_type(uint16_t t)
{
	return t == 0x8100 || t == 0x9100 || t == 0x9200 || t == 0x88a8;
}

static void ether_type_print(struct pctx *c, uint16_t type)
{
	const char *s = tok_find(ethertype_names, type);
	if (!c->o->qflag)
		out_fmt(c, "ethertype %s (0x%04x)", s ? s : "Unknown", type);
	else if (s)
		out_str(c, s);
	else
		out_fmt(c, "Unknown Ethertype (0x%04x)", type);
}

static void ether_addresses(struct pctx *c, const uint8_t *eh)
{
	out_mac(c, eh + 6);
	out_str(c, " > ");
	out_mac(c, eh);
	out_str(c, ", ");
}

/* IEEE 802.1Q-2018 9.6: PCP (3 bits), DEI, VID (12 bits). */
static void tci_print(struct pctx *c, uint16_t tci)
{
	out_fmt(c, "vlan %u, p %u%s, ", tci & 0xfff, tci >> 13, (tci & 0x1000) ? ", DEI" : "");
}

/* print_ethertype with the frame's MAC-48 source, which GeoNet prints
 * (tcpdump's lladdr_info src; NULL when the link has none). */
static int ethertype_dispatch(struct pctx *c, uint16_t type, const uint8_t *p, unsigned len,
			      unsigned caplen, const uint8_t *src)
{
	switch (type) {
	case ETHERTYPE_MPCP:
		print_mpcp(c, p, len);
		return 1;
	case ETHERTYPE_GEONET:
		print_geonet(c, p, len, src);
		return 1;
	case 0x0800:
		print_ip(c, p, len);
		return 1;
	case 0x86dd:
		print_ip6(c, p, len);
		return 1;
	case 0x0806:
	case 0x8035:
		print_arp(c, p, len);
		return 1;
	case 0x8847:
	case 0x8848:
		print_mpls(c, p, len);
		return 1;
	case 0x9000:
		print_loopback(c, p, len);
		return 1;
	case 0x880b:
		/* tcpdump's ethertype_print: PPP directly over Ethernet is
		 * ": " and the PPP frame, nothing for an empty payload. */
		if (len) {
			out_str(c, ": ");
			ppp_print_frame(c, p, len);
		}
		return 1;
	case 0x8863:
	case 0x8864:
		if (print_pppoe(c, type, p, len, caplen))
			return 1;
		c->last = "ether-app";
		return 0;
	case 0x88cc:
		if (print_lldp(c, p, len, caplen))
			return 1;
		c->last = "ether-app";
		return 0;
	case 0x88e5:
		/* tcpdump decodes MACsec only as the outermost Ethernet type
		 * (print_ether); here (cooked header, VLAN, SNAP) it prints
		 * the default dump, which is what the caller prints */
		c->last = "macsec";
		return 0;
	case 0x809b:
	case 0x80f3:
		if (print_atalk(c, type, p, len, caplen))
			return 1;
		c->last = "ether-app";
		return 0;
	case 0x6003:
		if (print_decnet(c, p, len, caplen))
			return 1;
		c->last = "ether-app";
		return 0;
	case ETHERTYPE_IPX:
		/* tcpdump's ethertype_print marks Novell's Ethernet II framing */
		out_str(c, "(NOV-ETHII) ");
		print_ipx(c, p, len);
		return 1;
	case ETHERTYPE_ISO:
		/* an OSI PDU after one byte (tcpdump skips it unexplained) */
		if (len == 0 || caplen == 0) {
			c->proto = "isoclns";
			c->last = "osi";
			out_trunc(c);
			return 1;
		}
		print_isoclns(c, p + 1, len - 1);
		return 1;
	case 0x888e: case 0x8899: case 0x8809: case 0x8902: case 0xabcd:
	case 0x894f: case 0x88ca: case 0x886f:
	case 0x0707: case 0x1111: case 0x88a2: case 0xdada: case 0x88f7:
	case 0x8870:
		/* tcpdump decodes these (DECnet, AppleTalk, IPX, OSI, PPPoE,
		 * EAPOL, LLDP, MPLS...); bpfcap does not yet: its default
		 * dump stands in, tagged so statistics keep it apart. */
		c->last = "ether-app";
		return 0;
	default:
		return 0;
	}
}

int print_ethertype(struct pctx *c, uint16_t type, const uint8_t *p, unsigned len, unsigned caplen)
{
	return ethertype_dispatch(c, type, p, len, caplen, NULL);
}

unsigned print_ether(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "ether";
	c->last = "ether";
	if (len < caplen) {
		out_fmt(c, "[length %u < caplen %u]", len, caplen);
		out_invalid(c);
		return len;
	}
	if (caplen < 14) {
		out_trunc(c);
		return caplen;
	}
	const uint8_t *eh = p;
	unsigned orig_len = len;
	if (c->o->eflag)
		ether_addresses(c, eh);
	uint16_t type = get_be16(c, p + 12);
	p += 14;
	len -= 14;
	caplen -= 14;
	unsigned hdrlen = 14;
	int printed_length;
again:
	printed_length = 0;
	if (type == 0x88e5) {
		/* IEEE 802.1AE: only as the outermost type (tcpdump's
		 * ether_common_print); the protected frame's type follows */
		if (c->o->eflag) {
			ether_type_print(c, type);
			out_fmt(c, ", length %u: ", orig_len);
			printed_length = 1;
		}
		int r = print_macsec_ether(c, &p, &len, &caplen, &hdrlen, eh);
		if (r == 0) {
			out_default(c, p, caplen);
			return hdrlen;
		}
		if (r > 0)
			return (unsigned)r;
		type = get_be16(c, p);
		if (caplen < 2) {
			out_fmt(c, " [caplen %u < 2]", caplen);
			return hdrlen;
		}
		p += 2;
		len -= 2;
		caplen -= 2;
		hdrlen += 2;
	}
	while (is_vlan_type(type)) {
		if (caplen < 4 || len < 4) {
			c->proto = "vlan";
			c->last = "vlan";
			out_trunc(c);
			return hdrlen + (caplen < 4 ? caplen : len);
		}
		c->last = "vlan";
		if (c->o->eflag) {
			ether_type_print(c, type);
			if (!printed_length) {
				out_fmt(c, ", length %u: ", orig_len);
				printed_length = 1;
			} else {
				out_str(c, ", ");
			}
			tci_print(c, get_be16(c, p));
		}
		type = get_be16(c, p + 2);
		p += 4;
		len -= 4;
		caplen -= 4;
		hdrlen += 4;
	}
	if (type <= MAX_ETHERNET_LENGTH_VAL) {
		/* IEEE 802.3 length field: an IEEE 802.2 LLC header follows.
		 * tcpdump trusts the field only when it is the shorter (a
		 * frame padded to the minimum size). */
		c->last = "llc";
		if (type < len)
			len = type;
		const uint8_t *save = c->snapend;
		if (caplen > len) {
			caplen = len;
			c->snapend = p + len;
		}
		if (c->o->eflag) {
			out_str(c, "802.3");
			if (!printed_length)
				out_fmt(c, ", length %u: ", len);
		}
		int llc = llc_print_addrs(c, p, len, caplen, eh + 6, eh);
		if (llc < 0) {
			out_default(c, p, caplen);
			llc = -llc;
		}
		c->snapend = save;
		return hdrlen + (unsigned)llc;
	}
	if (type == 0xd28b) {
		/* tcpdump's ether_common_print: the type and length always,
		 * then the Arista header, then the inner EtherType anew */
		if (caplen < 2 || len < 2) {
			out_str(c, "[|arista]");
			return caplen < 2 ? caplen : hdrlen + len;
		}
		ether_type_print(c, type);
		out_fmt(c, ", length %u: ", orig_len);
		int used = print_arista(c, p);
		if (used < 0) {
			if (!c->o->eflag) {
				ether_addresses(c, eh);
				ether_type_print(c, type);
				out_fmt(c, ", length %u: ", orig_len);
			}
			out_default(c, p, caplen);
			return hdrlen + len;
		}
		type = get_be16(c, p + used);
		p += used + 2;
		len -= (unsigned)used + 2;
		caplen -= (unsigned)used + 2;
		hdrlen += (unsigned)used + 2;
		goto again;
	}
	if (c->o->eflag) {
		ether_type_print(c, type);
		if (!printed_length)
			out_fmt(c, ", length %u: ", orig_len);
		else
			out_str(c, ", ");
	}
	if (!ethertype_dispatch(c, type, p, len, caplen, eh + 6)) {
		if (!c->o->eflag) {
			ether_addresses(c, eh);
			ether_type_print(c, type);
			out_fmt(c, ", length %u: ", orig_len);
		}
		out_default(c, p, caplen);
	}
	return hdrlen;
}

/* ---- Linux cooked captures -------------------------------------------- */

static const struct tok sll_pkttypes[] = {
	{ 0, "In" }, { 1, "B" }, { 2, "M" }, { 3, "P" }, { 4, "Out" }, { 0, NULL },
};

#define SLL_P_802_3 0x0001
#define SLL_P_802_2 0x0004

/* The "ethertype ..., length N: " part both cooked headers share. */
static void sll_type_length(struct pctx *c, uint16_t type, unsigned len)
{
	if (c->o->qflag)
		return;
	if (type <= MAX_ETHERNET_LENGTH_VAL) {
		if (type == SLL_P_802_3)
			out_str(c, "802.3");
		else if (type == SLL_P_802_2)
			out_str(c, "802.2");
		else
			out_fmt(c, "ethertype Unknown (0x%04x)", type);
	} else {
		const char *s = tok_find(ethertype_names, type);
		out_fmt(c, "ethertype %s (0x%04x)", s ? s : "Unknown", type);
	}
	out_fmt(c, ", length %u: ", len);
}

/* LINKTYPE_LINUX_SLL: packet type, ARPHRD type, address length,
 * 8 address bytes, protocol. */
static void sll_header(struct pctx *c, const uint8_t *h, unsigned len)
{
	char buf[16];
	out_fmt(c, "%3s ", tok2str(sll_pkttypes, "?", get_be16(c, h), buf, sizeof(buf)));
	if (get_be16(c, h + 4) == 6) {
		out_mac(c, h + 6);
		out_char(c, ' ');
	}
	sll_type_length(c, get_be16(c, h + 14), len);
}

static void sll2_header(struct pctx *c, const uint8_t *h, unsigned len)
{
	out_fmt(c, "ifindex %u ", get_be32(c, h + 4));
	if (get_u8(c, h + 11) == 6) {
		out_mac(c, h + 12);
		out_char(c, ' ');
	}
	sll_type_length(c, get_be16(c, h), len);
}

/* A cooked header's protocol at most 1500: Linux's own numbers for
 * frames without an EtherType (tcpdump's sll_if_print). Returns the
 * LLC header length when the payload was printed. */
static unsigned sll_8023(struct pctx *c, uint16_t type, const uint8_t *p, unsigned len, unsigned caplen)
{
	int llc;
	switch (type) {
	case SLL_P_802_3:
		/* Novell "raw 802.3": IPX with no LLC header */
		print_ipx(c, p, len);
		return 0;
	case SLL_P_802_2:
		llc = llc_print_addrs(c, p, len, caplen, NULL, NULL);
		if (llc >= 0)
			return (unsigned)llc;
		break;
	default:
		c->last = "sll";
		break;
	}
	out_default(c, p, caplen);
	return 0;
}

/* What follows both cooked headers: tcpdump's sll_if_print tail. */
static unsigned sll_payload(struct pctx *c, const uint8_t *h, unsigned hlen, uint16_t type,
			    const uint8_t *p, unsigned len, unsigned caplen,
			    void (*header)(struct pctx *, const uint8_t *, unsigned))
{
	unsigned hdrlen = hlen;
	for (;;) {
		if (type <= MAX_ETHERNET_LENGTH_VAL)
			return hdrlen + sll_8023(c, type, p, len, caplen);
		if (type == 0x8100) {
			if (caplen < 4) {
				c->proto = "vlan";
				c->last = "vlan";
				out_trunc(c);
				return hdrlen + caplen;
			}
			c->last = "vlan";
			if (c->o->eflag)
				tci_print(c, get_be16(c, p));
			type = get_be16(c, p + 2);
			if (type <= MAX_ETHERNET_LENGTH_VAL)
				type = SLL_P_802_2;
			if (!c->o->qflag) {
				const char *s = tok_find(ethertype_names, type);
				out_fmt(c, "ethertype %s, ", s ? s : "Unknown");
			}
			p += 4;
			len -= 4;
			caplen -= 4;
			hdrlen += 4;
			continue;
		}
		if (!print_ethertype(c, type, p, len, caplen)) {
			if (!c->o->eflag)
				header(c, h, len + hlen);
			out_default(c, p, caplen);
		}
		return hdrlen;
	}
}

unsigned print_sll(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "sll";
	c->last = "sll";
	pc_need(c, p, 16);
	if (c->o->eflag)
		sll_header(c, p, len);
	return sll_payload(c, p, 16, get_be16(c, p + 14), p + 16, len - 16, caplen - 16, sll_header);
}

unsigned print_sll2(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	char buf[16];
	c->proto = "sll2";
	c->last = "sll2";
	pc_need(c, p, 20);
	out_fmt(c, "%-5s ", printer_ifname(c->pr, get_be32(c, p + 4)));
	out_fmt(c, "%-3s ", tok2str(sll_pkttypes, "?", get_u8(c, p + 10), buf, sizeof(buf)));
	if (c->o->eflag)
		sll2_header(c, p, len);
	return sll_payload(c, p, 20, get_be16(c, p), p + 20, len - 20, caplen - 20, sll2_header);
}
