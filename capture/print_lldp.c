/* capture/print_lldp.c: IEEE 802.1AB LLDP as tcpdump 4.99.3's
 * print-lldp.c prints it: "LLDP, length N", the System Name TLV even
 * without -v, and at -v every TLV on its own line (chassis and port
 * IDs, TTL, descriptions, capabilities, management address, the OUI of
 * organizationally specific TLVs), with a hex dump of what is not
 * decoded (and of every TLV at -vv).
 * The organizationally specific TLVs' contents are print_lldp_org.c's. */
#include "print_lldp.h"

/* IEEE 802.1AB-2016 8.4.1: 7-bit type, 9-bit length. */
#define LLDP_TLV_HDR_LEN 2
#define LLDP_END_TLV 0
#define LLDP_CHASSIS_ID_TLV 1
#define LLDP_PORT_ID_TLV 2
#define LLDP_TTL_TLV 3
#define LLDP_PORT_DESCR_TLV 4
#define LLDP_SYSTEM_NAME_TLV 5
#define LLDP_SYSTEM_DESCR_TLV 6
#define LLDP_SYSTEM_CAP_TLV 7
#define LLDP_MGMT_ADDR_TLV 8
#define LLDP_PRIVATE_TLV 127

static const struct tok tlv_names[] = {
	{ LLDP_END_TLV, "End" },
	{ LLDP_CHASSIS_ID_TLV, "Chassis ID" },
	{ LLDP_PORT_ID_TLV, "Port ID" },
	{ LLDP_TTL_TLV, "Time to Live" },
	{ LLDP_PORT_DESCR_TLV, "Port Description" },
	{ LLDP_SYSTEM_NAME_TLV, "System Name" },
	{ LLDP_SYSTEM_DESCR_TLV, "System Description" },
	{ LLDP_SYSTEM_CAP_TLV, "System Capabilities" },
	{ LLDP_MGMT_ADDR_TLV, "Management Address" },
	{ LLDP_PRIVATE_TLV, "Organization specific" },
	{ 0, NULL },
};

/* 8.5.2.2 */
#define CHASSIS_MAC_ADDR 4
#define CHASSIS_NETWORK_ADDR 5
static const struct tok chassis_subtypes[] = {
	{ 1, "Chassis component" }, { 2, "Interface alias" }, { 3, "Port component" }, { 4, "MAC address" },
	{ 5, "Network address" },   { 6, "Interface name" },  { 7, "Local" },          { 0, NULL },
};

/* 8.5.3.2 */
#define PORT_MAC_ADDR 3
#define PORT_NETWORK_ADDR 4
static const struct tok port_subtypes[] = {
	{ 1, "Interface alias" }, { 2, "Port component" },   { 3, "MAC address" }, { 4, "Network Address" },
	{ 5, "Interface Name" },  { 6, "Agent circuit ID" }, { 7, "Local" },       { 0, NULL },
};

/* 8.5.8.1 system capabilities, in tcpdump's names */
static const struct tok cap_names[] = {
	{ 0x01, "Other" },  { 0x02, "Repeater" },  { 0x04, "Bridge" }, { 0x08, "WLAN AP" },
	{ 0x10, "Router" }, { 0x20, "Telephone" }, { 0x40, "Docsis" }, { 0x80, "Station Only" },
	{ 0, NULL },
};

/* 8.5.9.5 interface numbering subtypes */
#define LLDP_INTF_NUM_LEN 5
static const struct tok intf_numbering[] = {
	{ 1, "Unknown" }, { 2, "Interface Index" }, { 3, "System Port Number" }, { 0, NULL },
};

/* IANA address family numbers, as tcpdump's af_values names them. */
#define AFNUM_INET 1
#define AFNUM_INET6 2
#define AFNUM_802 6
static const struct tok af_names[] = {
	{ 0, "Reserved" },       { 1, "IPv4" },         { 2, "IPv6" },       { 3, "NSAP" },
	{ 4, "HDLC" },           { 5, "BBN 1822" },     { 6, "802" },        { 7, "E.163" },
	{ 8, "E.164" },          { 9, "F.69" },         { 10, "X.121" },     { 11, "Novell IPX" },
	{ 12, "Appletalk" },     { 13, "Decnet IV" },   { 14, "Banyan Vines" },
	{ 15, "E.164 with NSAP subaddress" },            { 196, "Layer-2 VPN" }, { 25, "VPLS" },
	{ 0, NULL },
};

/* Organizationally unique identifiers tcpdump names (oui.c); the first
 * match wins, so 00-80-C2 reads "Ethernet bridged". */
static const struct tok oui_names[] = {
	{ 0x000000, "Ethernet" },
	{ 0x00000c, "Cisco" },
	{ 0x00005e, "IANA" },
	{ 0x000081, "Nortel Networks SONMP" },
	{ 0x0000f8, "Cisco bridged" },
	{ 0x0080c2, "Ethernet bridged" },
	{ 0x00a03e, "ATM Forum" },
	{ 0x00e02f, "DOCSIS Spanning Tree" },
	{ 0x080007, "Appletalk" },
	{ 0x009069, "Juniper" },
	{ 0x080009, "Hewlett-Packard" },
	{ 0x00120f, "IEEE 802.3 Private" },
	{ 0x0012bb, "ANSI/TIA" },
	{ 0x001b21, "DCBX" },
	{ 0x002320, "Nicira Networks" },
	{ 0x5c16c7, "Big Switch Networks" },
	{ 0xb0d2f5, "Vello Systems" },
	{ 0x002481, "HP" },
	{ 0x0004ea, "HP-Labs" },
	{ 0x748771, "Infoblox Inc" },
	{ 0xa42305, "Open Networking Lab" },
	{ 0x00049f, "Freescale" },
	{ 0x0015ad, "Netronome" },
	{ 0x001018, "Broadcom" },
	{ 0x00e004, "PMC-Sierra" },
	{ 0xd0f0db, "Ericsson" },
	{ 0, NULL },
};

/* tcpdump's nd_printjnp: up to N bytes, stopping at a NUL, cat -v style. */
void lldp_print_string(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t ch = get_u8(c, p + i);
		if (ch == 0)
			break;
		out_safe_char(c, ch);
	}
}

/* The length of the address after an address family byte, 0 when
 * tcpdump has no printer for the family. */
static unsigned af_addr_len(unsigned af)
{
	return af == AFNUM_INET ? 4 : af == AFNUM_INET6 ? 16 : af == AFNUM_802 ? 6 : 0;
}

/* Can print_network_addr print the LEN bytes at P? tcpdump formats the
 * whole text before printing it, so nothing is printed when not. */
static int network_addr_ok(struct pctx *c, const uint8_t *p, unsigned len)
{
	if (len < 1)
		return 0;
	return len - 1 >= af_addr_len(get_u8(c, p));
}

/* "AFI name (n): address" for an address family byte and the address
 * after it (network_addr_ok has said yes). */
static void print_network_addr(struct pctx *c, const uint8_t *p)
{
	char buf[24];
	unsigned af = get_u8(c, p);
	pc_need(c, p + 1, af_addr_len(af));
	out_fmt(c, "AFI %s (%u)", tok2str(af_names, "Unknown", af, buf, sizeof(buf)), af);
	if (af == AFNUM_INET) {
		out_str(c, ": ");
		out_ip4(c, p + 1);
	} else if (af == AFNUM_INET6) {
		out_str(c, ": ");
		out_ip6(c, p + 1);
	} else if (af == AFNUM_802) {
		out_str(c, ": ");
		out_mac(c, p + 1);
	} else {
		out_str(c, ", no AF printer !");
	}
}

/* Chassis ID and Port ID share a layout: subtype, then the ID. Returns
 * -1 when malformed, 1 when the ID wants a hex dump, 0 otherwise. */
static int print_id(struct pctx *c, const uint8_t *p, unsigned len, const struct tok *names, unsigned mac_subtype,
		    unsigned net_subtype)
{
	char buf[16];
	if (len < 2)
		return -1;
	unsigned subtype = get_u8(c, p);
	out_fmt(c, "\n\t  Subtype %s (%u): ", tok2str(names, "Unknown", subtype, buf, sizeof(buf)), subtype);
	if (subtype == mac_subtype) {
		if (len < 1 + 6)
			return -1;
		out_mac(c, p + 1);
	} else if (subtype == net_subtype) {
		if (!network_addr_ok(c, p + 1, len - 1))
			return -1;
		print_network_addr(c, p + 1);
	} else if (subtype >= 1 && subtype <= 7) {
		lldp_print_string(c, p + 1, len - 1);
	} else {
		return 1;
	}
	return 0;
}

/* 8.5.9: address string length, the address, interface numbering, an
 * optional OID. 0 when malformed. */
static int print_mgmt_addr(struct pctx *c, const uint8_t *p, unsigned len)
{
	char buf[24];
	if (len < 1)
		return 0;
	unsigned alen = get_u8(c, p);
	p++;
	len--;
	if (len < alen)
		return 0;
	if (!network_addr_ok(c, p, alen))
		return 0;
	out_fmt(c, "\n\t  Management Address length %u, ", alen);
	print_network_addr(c, p);
	p += alen;
	len -= alen;
	if (len < LLDP_INTF_NUM_LEN)
		return 0;
	unsigned sub = get_u8(c, p);
	out_fmt(c, "\n\t  %s Interface Numbering (%u): %u", tok2str(intf_numbering, "Unknown", sub, buf, sizeof(buf)),
		sub, get_be32(c, p + 1));
	p += LLDP_INTF_NUM_LEN;
	len -= LLDP_INTF_NUM_LEN;
	if (len) {
		unsigned oid_len = get_u8(c, p);
		if (len < 1u + oid_len)
			return 0;
		if (oid_len) {
			out_fmt(c, "\n\t  OID length %u", oid_len);
			lldp_print_string(c, p + 1, oid_len);
		}
	}
	return 1;
}

/* One TLV's value at -v (System Name also without). Returns -1 when
 * malformed (the packet ends with the marker), 1 for a hex dump. */
static int print_tlv_value(struct pctx *c, unsigned type, const uint8_t *p, unsigned len)
{
	char buf[24];
	int v = c->o->vflag;
	switch (type) {
	case LLDP_CHASSIS_ID_TLV:
		return v ? print_id(c, p, len, chassis_subtypes, CHASSIS_MAC_ADDR, CHASSIS_NETWORK_ADDR) : 0;
	case LLDP_PORT_ID_TLV:
		return v ? print_id(c, p, len, port_subtypes, PORT_MAC_ADDR, PORT_NETWORK_ADDR) : 0;
	case LLDP_TTL_TLV:
		if (v) {
			if (len < 2)
				return -1;
			out_fmt(c, ": TTL %us", get_be16(c, p));
		}
		return 0;
	case LLDP_PORT_DESCR_TLV:
		if (v) {
			out_str(c, ": ");
			lldp_print_string(c, p, len);
		}
		return 0;
	case LLDP_SYSTEM_NAME_TLV:
		out_str(c, ": ");
		lldp_print_string(c, p, len);
		return 0;
	case LLDP_SYSTEM_DESCR_TLV:
		if (v) {
			out_str(c, "\n\t  ");
			lldp_print_string(c, p, len);
		}
		return 0;
	case LLDP_SYSTEM_CAP_TLV:
		if (v) {
			if (len < 4)
				return -1;
			unsigned cap = get_be16(c, p), ena = get_be16(c, p + 2);
			out_str(c, "\n\t  System  Capabilities [");
			out_bitnames(c, cap_names, cap, "none");
			out_fmt(c, "] (0x%04x)", cap);
			out_str(c, "\n\t  Enabled Capabilities [");
			out_bitnames(c, cap_names, ena, "none");
			out_fmt(c, "] (0x%04x)", ena);
		}
		return 0;
	case LLDP_MGMT_ADDR_TLV:
		if (v && !print_mgmt_addr(c, p, len))
			return -1;
		return 0;
	case LLDP_PRIVATE_TLV: {
		if (!v)
			return 0;
		if (len < 3)
			return -1;
		unsigned oui = get_be24(c, p);
		out_fmt(c, ": OUI %s (0x%06x)", tok2str(oui_names, "Unknown", oui, buf, sizeof(buf)), oui);
		return lldp_print_org(c, oui, p, len);
	}
	default:
		return 1;
	}
}

int print_lldp(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	char buf[16];
	(void)caplen;
	c->proto = "lldp";
	c->last = "lldp";
	out_fmt(c, "LLDP, length %u", len);
	unsigned rem = len;
	while (rem >= LLDP_TLV_HDR_LEN) {
		if (!pc_has(c, p, LLDP_TLV_HDR_LEN)) {
			out_trunc(c);
			return 1;
		}
		unsigned tlv = get_be16(c, p), type = tlv >> 9, tlen = tlv & 0x1ff;
		rem -= LLDP_TLV_HDR_LEN;
		p += LLDP_TLV_HDR_LEN;
		if (c->o->vflag)
			out_fmt(c, "\n\t%s TLV (%u), length %u", tok2str(tlv_names, "Unknown", type, buf, sizeof(buf)),
				type, tlen);
		if (!type || !tlen)
			break; /* End, or a TLV that would loop */
		if (!pc_has(c, p, tlen) || rem < tlen) {
			out_trunc(c);
			return 1;
		}
		int hexdump = print_tlv_value(c, type, p, tlen);
		if (hexdump < 0) {
			out_trunc(c);
			return 1;
		}
		if (c->o->vflag > 1 || (c->o->vflag && hexdump))
			out_hex_ident(c, "\n\t  ", p, tlen);
		rem -= tlen;
		p += tlen;
	}
	return 1;
}
