/* capture/print_ipx.c: Novell IPX (IPX Router Specification, Novell
 * 1992) as tcpdump 4.99's print-ipx.c prints it: the 30-byte header,
 * then by destination socket the SAP and RIP messages; other sockets
 * are named and sized. */
#include "print_llc.h"

#define IPX_HDR_LEN 30

/* Well-known sockets. */
#define IPX_SKT_NCP         0x0451
#define IPX_SKT_SAP         0x0452
#define IPX_SKT_RIP         0x0453
#define IPX_SKT_NETBIOS     0x0455
#define IPX_SKT_DIAGNOSTICS 0x0456
#define IPX_SKT_NWLINK_DGM  0x0553 /* NWLink datagrams */
#define IPX_SKT_EIGRP       0x85be /* Cisco EIGRP over IPX */

#define SAP_ENTRY_NAME_LEN 48
#define SAP_ENTRY_LEN      64 /* type, name, network, node, socket, hops */
#define SAP_MAX_ENTRIES    8
#define RIP_ENTRY_LEN      8  /* network, hops, ticks */
#define RIP_MAX_ENTRIES    50

/* An IPX address: network.node, as tcpdump's ipxaddr_string. */
static void ipx_addr(struct pctx *c, uint32_t net, const uint8_t *node)
{
	out_fmt(c, "%08x.", net);
	out_mac(c, node);
}

/* " type": with -n tcpdump names no service type, it prints 4 hex
 * digits (read before the space is printed). */
static void ipx_sap_type(struct pctx *c, const uint8_t *p)
{
	out_fmt(c, " %04x", get_be16(c, p));
}

/* tcpdump's nd_printjzp: up to N characters, a NUL ends the string. */
static void ipx_printjzp(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (get_u8(c, p + i) == 0)
			return;
		out_printjn(c, p + i, 1);
	}
}

/* Service Advertising Protocol: requests name a type, responses list
 * up to eight services. */
static void ipx_sap(struct pctx *c, const uint8_t *p, unsigned length)
{
	unsigned command = get_be16(c, p);
	p += 2;
	length -= 2;
	switch (command) {
	case 1:
	case 3:
		out_str(c, command == 1 ? "ipx-sap-req" : "ipx-sap-nearest-req");
		ipx_sap_type(c, p);
		break;
	case 2:
	case 4:
		out_str(c, command == 2 ? "ipx-sap-resp" : "ipx-sap-nearest-resp");
		for (int i = 0; i < SAP_MAX_ENTRIES && length != 0; i++) {
			ipx_sap_type(c, p);
			out_str(c, " '");
			ipx_printjzp(c, p + 2, SAP_ENTRY_NAME_LEN);
			out_char(c, '\'');
			pc_need(c, p + 50, 10); /* the address is read before " addr " */
			out_str(c, " addr ");
			ipx_addr(c, get_be32(c, p + 50), p + 54);
			p += SAP_ENTRY_LEN;
			length -= SAP_ENTRY_LEN;
		}
		break;
	default:
		out_fmt(c, "ipx-sap-?%x", command);
		break;
	}
}

/* Routing Information Protocol: network/hops.ticks entries. */
static void ipx_rip_entry(struct pctx *c, const uint8_t *p)
{
	uint32_t net = get_be32(c, p);
	unsigned hops = get_be16(c, p + 4), ticks = get_be16(c, p + 6);
	out_fmt(c, " %08x/%u.%u", net, hops, ticks);
}

static void ipx_rip(struct pctx *c, const uint8_t *p, unsigned length)
{
	unsigned command = get_be16(c, p);
	p += 2;
	length -= 2;
	switch (command) {
	case 1:
		out_str(c, "ipx-rip-req");
		if (length != 0)
			ipx_rip_entry(c, p);
		break;
	case 2:
		out_str(c, "ipx-rip-resp");
		for (int i = 0; i < RIP_MAX_ENTRIES && length != 0; i++) {
			ipx_rip_entry(c, p);
			p += RIP_ENTRY_LEN;
			length -= RIP_ENTRY_LEN;
		}
		break;
	default:
		out_fmt(c, "ipx-rip-?%x", command);
		break;
	}
}

static void ipx_decode(struct pctx *c, unsigned socket, const uint8_t *p, unsigned length)
{
	switch (socket) {
	case IPX_SKT_NCP:
		out_fmt(c, "ipx-ncp %u", length);
		break;
	case IPX_SKT_SAP:
		ipx_sap(c, p, length);
		break;
	case IPX_SKT_RIP:
		ipx_rip(c, p, length);
		break;
	case IPX_SKT_NETBIOS:
		out_fmt(c, "ipx-netbios %u", length);
		break;
	case IPX_SKT_DIAGNOSTICS:
		out_fmt(c, "ipx-diags %u", length);
		break;
	case IPX_SKT_NWLINK_DGM:
		out_fmt(c, "ipx-nwlink-dgm %u", length);
		break;
	case IPX_SKT_EIGRP:
		/* tcpdump prints EIGRP here; bpfcap does not decode it */
		c->last = "llc"; /* not decoded yet (unclaimed) */
		break;
	default:
		out_fmt(c, "ipx-#%x %u", socket, length);
		break;
	}
}

void print_ipx(struct pctx *c, const uint8_t *p, unsigned length)
{
	(void)length; /* the IPX header carries its own length */
	c->proto = "ipx";
	c->last = "ipx";
	if (!c->o->eflag)
		out_str(c, "IPX ");
	pc_need(c, p, IPX_HDR_LEN);
	ipx_addr(c, get_be32(c, p + 18), p + 22);
	out_fmt(c, ".%04x > ", get_be16(c, p + 28));
	ipx_addr(c, get_be32(c, p + 6), p + 10);
	unsigned socket = get_be16(c, p + 16);
	out_fmt(c, ".%04x: ", socket);
	unsigned ipx_len = get_be16(c, p + 2);
	if (ipx_len < IPX_HDR_LEN) {
		out_fmt(c, "[length %u < %u]", ipx_len, IPX_HDR_LEN);
		out_invalid(c);
		return;
	}
	ipx_decode(c, socket, p + IPX_HDR_LEN, ipx_len - IPX_HDR_LEN);
}
