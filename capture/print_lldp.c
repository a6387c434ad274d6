/* capture/print_lldp.c: IEEE 802.1AB LLDP as tcpdump 4.99.3's
 * print-lldp.c prints it: "LLDP, length N", the System Name TLV even
 * without -v, and at -v every TLV on its own line (chassis and port
 * IDs, TTL, descriptions, capabilities, management address, the OUI of
 * organizationally specific TLVs), with a hex dump of what is not
 * decoded (and of every TLV at -vv).
 *
 * Not decoded here: the TIA (LLDP-MED) location, extended power and
 * inventory subtypes; a packet carrying one keeps the "ether-app" tag. */
#include "print_get.h"

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
#define OUI_IANA 0x00005e
#define OUI_IEEE_8021 0x0080c2
#define OUI_IEEE_8023 0x00120f
#define OUI_TIA 0x0012bb
#define OUI_DCBX 0x001b21
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
static void print_string(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t ch = get_u8(c, p + i);
		if (ch == 0)
			break;
		if (ch & 0x80) {
			ch &= 0x7f;
			out_str(c, "M-");
		}
		if (!(ch >= 0x20 && ch <= 0x7e)) {
			ch ^= 0x40;
			out_char(c, '^');
		}
		out_char(c, (char)ch);
	}
}

/* tcpdump's bittok2str: the names of the bits set, ", " between them. */
static void print_bits(struct pctx *c, const struct tok *t, unsigned v)
{
	int any = 0;
	for (; t->s; t++)
		if (v & t->v) {
			out_str(c, any ? ", " : "");
			out_str(c, t->s);
			any = 1;
		}
	if (!any)
		out_str(c, "none");
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
		print_string(c, p + 1, len - 1);
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
			print_string(c, p + 1, oid_len);
		}
	}
	return 1;
}

/* ---- organizationally specific TLVs (802.1AB-2016 annexes) ------------ */

/* 802.1AB-2016 Annex D (IEEE 802.1) subtypes */
static const struct tok ieee8021_subtypes[] = {
	{ 1, "Port VLAN Id" },
	{ 2, "Port and Protocol VLAN ID" },
	{ 3, "VLAN name" },
	{ 4, "Protocol Identity" },
	{ 7, "Link aggregation" },
	{ 8, "Congestion Notification" },
	{ 9, "ETS Configuration" },
	{ 10, "ETS Recommendation" },
	{ 11, "Priority Flow Control Configuration" },
	{ 12, "Application Priority" },
	{ 13, "EVB" },
	{ 14, "CDCP" },
	{ 0, NULL },
};

/* Annex E (IEEE 802.3) subtypes */
static const struct tok ieee8023_subtypes[] = {
	{ 1, "MAC/PHY configuration/status" }, { 2, "Power via MDI" }, { 3, "Link aggregation" },
	{ 4, "Max frame size" },                { 0, NULL },
};

static const struct tok iana_subtypes[] = { { 1, "MUD-URL" }, { 0, NULL } };

/* ANSI/TIA-1057 (LLDP-MED) subtypes */
static const struct tok tia_subtypes[] = {
	{ 1, "LLDP-MED Capabilities" },
	{ 2, "Network policy" },
	{ 3, "Location identification" },
	{ 4, "Extended power-via-MDI" },
	{ 5, "Inventory - hardware revision" },
	{ 6, "Inventory - firmware revision" },
	{ 7, "Inventory - software revision" },
	{ 8, "Inventory - serial number" },
	{ 9, "Inventory - manufacturer name" },
	{ 10, "Inventory - model name" },
	{ 11, "Inventory - asset ID" },
	{ 0, NULL },
};

static const struct tok port_protocol_flags[] = { { 0x02, "supported" }, { 0x04, "enabled" }, { 0, NULL } };
static const struct tok aggregation_flags[] = { { 0x01, "supported" }, { 0x02, "enabled" }, { 0, NULL } };
static const struct tok mdi_flags[] = {
	{ 0x01, "PSE" }, { 0x02, "supported" }, { 0x04, "enabled" }, { 0x08, "can be controlled" }, { 0, NULL },
};
static const struct tok mdi_power_pairs[] = { { 1, "signal" }, { 2, "spare" }, { 0, NULL } };
static const struct tok mdi_power_classes[] = {
	{ 1, "class0" }, { 2, "class1" }, { 3, "class2" }, { 4, "class3" }, { 5, "class4" }, { 0, NULL },
};

/* A subtype tcpdump decodes and bpfcap does not: the line keeps the
 * undecoded tag (its text will differ). */
static int undecoded(struct pctx *c)
{
	c->last = "ether-app";
	return 0;
}

/* "\n\t  Name Subtype (n)" once the TLV holds MIN bytes (OUI, subtype
 * and what the printer reads first); 0 when it does not (tcpdump then
 * prints nothing more and no hex dump). */
static int print_subtype_header(struct pctx *c, const uint8_t *p, unsigned len, unsigned min,
				const struct tok *names)
{
	char buf[24];
	if (len < min)
		return 0;
	unsigned subtype = get_u8(c, p + 3);
	out_fmt(c, "\n\t  %s Subtype (%u)", tok2str(names, "unknown", subtype, buf, sizeof(buf)), subtype);
	return 1;
}

static void print_aggregation(struct pctx *c, const uint8_t *p)
{
	out_str(c, "\n\t    aggregation status [");
	print_bits(c, aggregation_flags, get_u8(c, p));
	out_fmt(c, "], aggregation port ID %u", get_be32(c, p + 1));
}

/* Eight one-bit values, priority 0 first (802.1Q-2018 D.2.7, D.2.10). */
static void print_priority_bits(struct pctx *c, const char *title, unsigned v)
{
	out_fmt(c, "\n\t    %s", title);
	out_str(c, "\n\t     Priority : 0  1  2  3  4  5  6  7");
	out_str(c, "\n\t     Value    : ");
	for (unsigned i = 0; i < 8; i++)
		out_fmt(c, "%-2u ", (v >> i) & 1);
}

/* The three ETS tables (802.1Q-2018 D.2.8): priority assignment (eight
 * nibbles), TC bandwidth (eight bytes), TSA assignment (eight bytes). */
static void print_ets_tables(struct pctx *c, const uint8_t *p)
{
	out_str(c, "\n\t    Priority Assignment Table");
	out_str(c, "\n\t     Priority : 0   1   2   3   4   5   6   7");
	out_str(c, "\n\t     Value    :");
	for (unsigned i = 0; i < 4; i++) {
		unsigned b = get_u8(c, p + i);
		out_fmt(c, " %-3u %-3u", b >> 4, b & 0x0f);
	}
	out_str(c, "\n\t    TC Bandwidth Table");
	out_str(c, "\n\t     TC%   : 0   1   2   3   4   5   6   7");
	out_str(c, "\n\t     Value :");
	for (unsigned i = 0; i < 8; i++)
		out_fmt(c, " %-3u", get_u8(c, p + 4 + i));
	out_str(c, "\n\t    TSA Assignment Table");
	out_str(c, "\n\t     Traffic Class: 0   1   2   3   4   5   6   7");
	out_str(c, "\n\t     Value        :");
	for (unsigned i = 0; i < 8; i++)
		out_fmt(c, " %-3u", get_u8(c, p + 12 + i));
}

static const struct tok evb_modes[] = {
	{ 0, "Not Supported" }, { 1, "EVB Bridge" }, { 2, "EVB Station" },
	{ 3, "Reserved for future Standardization" }, { 0, NULL },
};

/* Subtypes 8 to 14 (DCB and EVB, 802.1Q-2018 D.2.7 to D.2.14). */
static int print_8021_dcb(struct pctx *c, unsigned subtype, const uint8_t *p, unsigned len)
{
	char buf[40];
	unsigned tval, sublen;
	switch (subtype) {
	case 8:
		if (len < 6)
			return 0;
		print_priority_bits(c, "Pre-Priority CNPV Indicator", get_u8(c, p + 4));
		print_priority_bits(c, "Pre-Priority Ready Indicator", get_u8(c, p + 5));
		return 0;
	case 9:
		if (len < 25)
			return 0;
		tval = get_u8(c, p + 4);
		out_fmt(c, "\n\t    Willing:%u, CBS:%u, RES:%u, Max TCs:%u", tval >> 7, (tval >> 6) & 0x02,
			(tval >> 3) & 0x07, tval & 0x07);
		print_ets_tables(c, p + 5);
		return 0;
	case 10:
		if (len < 25)
			return 0;
		out_fmt(c, "\n\t    RES: %u", get_u8(c, p + 4));
		print_ets_tables(c, p + 5);
		return 0;
	case 11:
		if (len < 6)
			return 0;
		tval = get_u8(c, p + 4);
		out_fmt(c, "\n\t    Willing: %u, MBC: %u, RES: %u, PFC cap:%u ", tval >> 7, (tval >> 6) & 0x01,
			(tval >> 4) & 0x03, tval & 0x0f);
		print_priority_bits(c, "PFC Enable", get_u8(c, p + 5));
		return 0;
	case 12:
		if (len < 5)
			return 0;
		out_fmt(c, "\n\t    RES: %u", get_u8(c, p + 4));
		if (len <= 5)
			return 0;
		sublen = len - 5;
		if (sublen % 3 != 0)
			return 0;
		out_str(c, "\n\t    Application Priority Table");
		for (unsigned i = 0; i < sublen; i += 3) {
			tval = get_u8(c, p + i + 5);
			out_fmt(c, "\n\t      Priority: %u, RES: %u, Sel: %u, Protocol ID: %u", tval >> 5,
				(tval >> 3) & 0x03, tval & 0x07, get_be16(c, p + i + 6));
		}
		return 0;
	case 13:
		if (len < 9)
			return 0;
		out_str(c, "\n\t    EVB Bridge Status");
		tval = get_u8(c, p + 4);
		out_fmt(c, "\n\t      RES: %u, BGID: %u, RRCAP: %u, RRCTR: %u", tval >> 3, (tval >> 2) & 0x01,
			(tval >> 1) & 0x01, tval & 0x01);
		out_str(c, "\n\t    EVB Station Status");
		tval = get_u8(c, p + 5);
		out_fmt(c, "\n\t      RES: %u, SGID: %u, RRREQ: %u,RRSTAT: %u", tval >> 4, (tval >> 3) & 0x01,
			(tval >> 2) & 0x01, tval & 0x03);
		tval = get_u8(c, p + 6);
		out_fmt(c, "\n\t    R: %u, RTE: %u, ", tval >> 5, tval & 0x1f);
		tval = get_u8(c, p + 7);
		out_fmt(c, "EVB Mode: %s [%u]", tok2str(evb_modes, "unknown", tval >> 6, buf, sizeof(buf)), tval >> 6);
		out_fmt(c, "\n\t    ROL: %u, RWD: %u, ", (tval >> 5) & 0x01, tval & 0x1f);
		tval = get_u8(c, p + 8);
		out_fmt(c, "RES: %u, ROL: %u, RKA: %u", tval >> 6, (tval >> 5) & 0x01, tval & 0x1f);
		return 0;
	default: /* 14 */
		if (len < 8)
			return 0;
		tval = get_u8(c, p + 4);
		out_fmt(c, "\n\t    Role: %u, RES: %u, Scomp: %u ", tval >> 7, (tval >> 4) & 0x07, (tval >> 3) & 0x01);
		out_fmt(c, "ChnCap: %u", get_be16(c, p + 6) & 0x0fff);
		sublen = len - 8;
		if (sublen % 3 != 0)
			return 0;
		for (unsigned i = 0; i < sublen; i += 3) {
			tval = get_be24(c, p + i + 8);
			out_fmt(c, "\n\t    SCID: %u, SVID: %u", tval >> 12, tval & 0x000fff);
		}
		return 0;
	}
}

/* Returns 1 for a hex dump. */
static int print_8021(struct pctx *c, const uint8_t *p, unsigned len)
{
	if (!print_subtype_header(c, p, len, 4, ieee8021_subtypes))
		return 0;
	unsigned sublen;
	switch (get_u8(c, p + 3)) {
	case 1:
		if (len >= 6)
			out_fmt(c, "\n\t    port vlan id (PVID): %u", get_be16(c, p + 4));
		return 0;
	case 2:
		if (len >= 7) {
			unsigned flags = get_u8(c, p + 4);
			out_fmt(c, "\n\t    port and protocol vlan id (PPVID): %u, flags [", get_be16(c, p + 5));
			print_bits(c, port_protocol_flags, flags);
			out_fmt(c, "] (0x%02x)", flags);
		}
		return 0;
	case 3:
		if (len < 6)
			return 0;
		out_fmt(c, "\n\t    vlan id (VID): %u", get_be16(c, p + 4));
		if (len < 7)
			return 0;
		sublen = get_u8(c, p + 6);
		if (len < 7 + sublen)
			return 0;
		out_str(c, "\n\t    vlan name: ");
		print_string(c, p + 7, sublen);
		return 0;
	case 4:
		if (len < 5)
			return 0;
		sublen = get_u8(c, p + 4);
		if (len < 5 + sublen)
			return 0;
		out_str(c, "\n\t    protocol identity: ");
		print_string(c, p + 5, sublen);
		return 0;
	case 7:
		if (len >= 9)
			print_aggregation(c, p + 4);
		return 0;
	case 8: case 9: case 10: case 11: case 12: case 13: case 14:
		return print_8021_dcb(c, get_u8(c, p + 3), p, len);
	default:
		return 1;
	}
}

/* RFC 3636 ifMauAutoNegCapAdvertisedBits, most significant first. */
static const struct tok pmd_capabilities[] = {
	{ 1 << 14, "10BASE-T hdx" },
	{ 1 << 13, "10BASE-T fdx" },
	{ 1 << 12, "100BASE-T4" },
	{ 1 << 11, "100BASE-TX hdx" },
	{ 1 << 10, "100BASE-TX fdx" },
	{ 1 << 9, "100BASE-T2 hdx" },
	{ 1 << 8, "100BASE-T2 fdx" },
	{ 1 << 7, "Pause for fdx links" },
	{ 1 << 6, "Asym PAUSE for fdx" },
	{ 1 << 5, "Sym PAUSE for fdx" },
	{ 1 << 4, "Asym and Sym PAUSE for fdx" },
	{ 1 << 3, "1000BASE-{X LX SX CX} hdx" },
	{ 1 << 2, "1000BASE-{X LX SX CX} fdx" },
	{ 1 << 1, "1000BASE-T hdx" },
	{ 1 << 0, "1000BASE-T fdx" },
	{ 0, NULL },
};

/* RFC 3636 dot3MauType, in tcpdump's names. */
static const char *const mau_types[] = {
	"Unknown", "AUI", "10BASE_5", "FOIRL", "10BASE2", "10BASET duplex mode unknown", "10BASEFP", "10BASEFB",
	"10BASEFL duplex mode unknown", "10BROAD36", "10BASET hdx", "10BASET fdx", "10BASEFL hdx", "10BASEFL fdx",
	"100BASET4", "100BASETX hdx", "100BASETX fdx", "100BASEFX hdx", "100BASEFX fdx", "100BASET2 hdx",
	"100BASET2 fdx", "1000BASEX hdx", "1000BASEX fdx", "1000BASELX hdx", "1000BASELX fdx", "1000BASESX hdx",
	"1000BASESX fdx", "1000BASECX hdx", "1000BASECX fdx", "1000BASET hdx", "1000BASET fdx", "10GBASEX",
	"10GBASELX4", "10GBASER", "10GBASEER", "10GBASELR", "10GBASESR", "10GBASEW", "10GBASEEW", "10GBASELW",
	"10GBASESW",
};

static const struct tok autoneg_flags[] = { { 0x01, "supported" }, { 0x02, "enabled" }, { 0, NULL } };

/* Annex E.2: MAC/PHY configuration/status. */
static void print_macphy(struct pctx *c, const uint8_t *p)
{
	unsigned an = get_u8(c, p), pmd = get_be16(c, p + 1), mau = get_be16(c, p + 3);
	out_str(c, "\n\t    autonegotiation [");
	print_bits(c, autoneg_flags, an);
	out_fmt(c, "] (0x%02x)", an);
	out_str(c, "\n\t    PMD autoneg capability [");
	if (pmd & 0x7fff)
		print_bits(c, pmd_capabilities, pmd);
	else
		out_str(c, "unknown");
	out_fmt(c, "] (0x%04x)", pmd);
	out_fmt(c, "\n\t    MAU type %s (0x%04x)", mau < sizeof(mau_types) / sizeof(mau_types[0]) ? mau_types[mau] : "unknown",
		mau);
}

static int print_8023(struct pctx *c, const uint8_t *p, unsigned len)
{
	char b1[24], b2[24];
	if (!print_subtype_header(c, p, len, 4, ieee8023_subtypes))
		return 0;
	switch (get_u8(c, p + 3)) {
	case 1:
		if (len >= 9)
			print_macphy(c, p + 4);
		return 0;
	case 2:
		if (len >= 7) {
			out_str(c, "\n\t    MDI power support [");
			print_bits(c, mdi_flags, get_u8(c, p + 4));
			out_fmt(c, "], power pair %s, power class %s",
				tok2str(mdi_power_pairs, "unknown", get_u8(c, p + 5), b1, sizeof(b1)),
				tok2str(mdi_power_classes, "unknown", get_u8(c, p + 6), b2, sizeof(b2)));
		}
		return 0;
	case 3:
		if (len >= 9)
			print_aggregation(c, p + 4);
		return 0;
	case 4:
		if (len >= 6)
			out_fmt(c, "\n\t    MTU size %u", get_be16(c, p + 4));
		return 0;
	default:
		return 1;
	}
}

/* IANA's one subtype: the RFC 8520 MUD URL. */
static int print_iana(struct pctx *c, const uint8_t *p, unsigned len)
{
	if (!print_subtype_header(c, p, len, 8, iana_subtypes))
		return 0;
	if (get_u8(c, p + 3) != 1)
		return 1;
	out_str(c, "\n\t  MUD-URL=");
	out_printjn(c, p + 4, len - 4);
	return 0;
}

/* ---- TIA (ANSI/TIA-1057 LLDP-MED) and DCBX ------------------------------ */

static const struct tok tia_capabilities[] = {
	{ 0x01, "LLDP-MED capabilities" },      { 0x02, "network policy" },
	{ 0x04, "location identification" },    { 0x08, "extended power via MDI-PSE" },
	{ 0x10, "extended power via MDI-PD" },  { 0x20, "Inventory" },
	{ 0, NULL },
};
static const struct tok tia_device_types[] = {
	{ 1, "endpoint class 1" }, { 2, "endpoint class 2" }, { 3, "endpoint class 3" },
	{ 4, "network connectivity" }, { 0, NULL },
};
static const struct tok tia_application_types[] = {
	{ 1, "voice" }, { 2, "voice signaling" }, { 3, "guest voice" }, { 4, "guest voice signaling" },
	{ 5, "softphone voice" }, { 6, "video conferencing" }, { 7, "streaming video" }, { 8, "video signaling" },
	{ 0, NULL },
};
static const struct tok tia_policy_flags[] = {
	{ 0x80, "Unknown" }, { 0x40, "Tagged" }, { 0x20, "reserved" }, { 0, NULL },
};

/* TIA-1057 10.2.2 (capabilities) and 10.2.3 (network policy); the
 * other subtypes are not decoded here. Returns 1 for a hex dump. */
static int print_tia(struct pctx *c, const uint8_t *p, unsigned len)
{
	char b1[32];
	if (!print_subtype_header(c, p, len, 4, tia_subtypes))
		return 0;
	unsigned subtype = get_u8(c, p + 3);
	switch (subtype) {
	case 1: {
		if (len < 7)
			return 0;
		unsigned caps = get_be16(c, p + 4), dev = get_u8(c, p + 6);
		out_str(c, "\n\t    Media capabilities [");
		print_bits(c, tia_capabilities, caps);
		out_fmt(c, "] (0x%04x)", caps);
		out_fmt(c, "\n\t    Device type [%s] (0x%02x)", tok2str(tia_device_types, "unknown", dev, b1, sizeof(b1)),
			dev);
		return 0;
	}
	case 2: {
		if (len < 8)
			return 0;
		unsigned app = get_u8(c, p + 4);
		out_fmt(c, "\n\t    Application type [%s] (0x%02x)",
			tok2str(tia_application_types, "none", app, b1, sizeof(b1)), app);
		out_str(c, ", Flags [");
		print_bits(c, tia_policy_flags, get_u8(c, p + 5));
		out_char(c, ']');
		out_fmt(c, "\n\t    Vlan id %u", (get_be16(c, p + 5) & 0x1ffe) >> 1);
		unsigned w = get_be16(c, p + 6);
		out_fmt(c, ", L2 priority %u", (w & 0x01ff) >> 6);
		out_fmt(c, ", DSCP value %u", w & 0x003f);
		return 0;
	}
	default:
		return subtype >= 3 && subtype <= 11 ? undecoded(c) : 1;
	}
}

static const struct tok dcbx_subtypes[] = {
	{ 1, "DCB Capability Exchange Protocol Rev 1" },
	{ 2, "DCB Capability Exchange Protocol Rev 1.01" },
	{ 0, NULL },
};

/* The version and info block every DCBX feature TLV starts with. */
static void print_dcbx_feature_head(struct pctx *c, const uint8_t *t)
{
	out_fmt(c, "\n\t      Oper_Version: %u", get_u8(c, t));
	out_fmt(c, "\n\t      Max_Version: %u", get_u8(c, t + 1));
	unsigned info = get_u8(c, t + 2);
	out_fmt(c, "\n\t      Info block(0x%02X): ", info);
	out_fmt(c, "Enable bit: %u, Willing bit: %u, Error Bit: %u", (info & 0x80) ? 1 : 0, (info & 0x40) ? 1 : 0,
		(info & 0x20) ? 1 : 0);
	out_fmt(c, "\n\t      SubType: %u", get_u8(c, t + 3));
}

/* One DCBX TLV; -1 when it is too short (tcpdump stops there). */
static int print_dcbx_tlv(struct pctx *c, unsigned type, const uint8_t *t, unsigned tl)
{
	switch (type) {
	case 1:
		if (tl < 10)
			return -1;
		out_fmt(c, "\n\t    Control - Protocol Control (type 0x%x, length %u)", type, tl);
		out_fmt(c, "\n\t      Oper_Version: %u", get_u8(c, t));
		out_fmt(c, "\n\t      Max_Version: %u", get_u8(c, t + 1));
		out_fmt(c, "\n\t      Sequence Number: %u", get_be32(c, t + 2));
		out_fmt(c, "\n\t      Acknowledgement Number: %u", get_be32(c, t + 6));
		return 0;
	case 2: {
		if (tl < 17)
			return -1;
		out_fmt(c, "\n\t    Feature - Priority Group (type 0x%x, length %u)", type, tl);
		print_dcbx_feature_head(c, t);
		out_str(c, "\n\t      Priority Allocation");
		uint32_t pg = get_be32(c, t + 4);
		for (unsigned i = 0; i <= 7; i++)
			out_fmt(c, "\n\t          PgId_%u: %u", i, (pg >> (28 - 4 * i)) & 0xf);
		out_str(c, "\n\t      Priority Group Allocation");
		for (unsigned i = 0; i <= 7; i++)
			out_fmt(c, "\n\t          Pg percentage[%u]: %u", i, get_u8(c, t + 8 + i));
		out_fmt(c, "\n\t      NumTCsSupported: %u", get_u8(c, t + 16));
		return 0;
	}
	case 3: {
		if (tl < 6)
			return -1;
		out_fmt(c, "\n\t    Feature - Priority Flow Control (type 0x%x, length %u)", type, tl);
		print_dcbx_feature_head(c, t);
		unsigned cfg = get_u8(c, t + 4);
		out_fmt(c, "\n\t      PFC Config (0x%02X)", cfg);
		for (unsigned i = 0; i <= 7; i++)
			out_fmt(c, "\n\t          Priority Bit %u: %s", i, (cfg & (1u << i)) ? "Enabled" : "Disabled");
		out_fmt(c, "\n\t      NumTCPFCSupported: %u", get_u8(c, t + 5));
		return 0;
	}
	case 4: {
		if (tl < 4)
			return -1;
		out_fmt(c, "\n\t    Feature - Application (type 0x%x, length %u)", type, tl);
		print_dcbx_feature_head(c, t);
		const uint8_t *m = t + 4;
		for (unsigned left = (tl - 4) & 0xffff; left >= 6; left -= 6, m += 6) {
			out_str(c, "\n\t      Application Value");
			out_fmt(c, "\n\t          Application Protocol ID: 0x%04x", get_be16(c, m));
			uint32_t u = get_be24(c, m + 2);
			out_fmt(c, "\n\t          SF (0x%x) Application Protocol ID is %s", u >> 22,
				(u >> 22) ? "Socket Number" : "L2 EtherType");
			out_fmt(c, "\n\t          OUI: 0x%06x", u & 0x3fffff);
			out_fmt(c, "\n\t          User Priority Map: 0x%02x", get_u8(c, m + 5));
		}
		return 0;
	}
	default:
		return 1;
	}
}

/* DCBX 1.01 (the IEEE 802.1Qaz precursor): TLVs inside the TLV. Returns
 * the last inner TLV's hex dump wish, as tcpdump does. */
static int print_dcbx(struct pctx *c, const uint8_t *p, unsigned len)
{
	if (!print_subtype_header(c, p, len, 4, dcbx_subtypes))
		return 0;
	if (get_u8(c, p + 3) == 1)
		return 1; /* Rev 1: not decoded by tcpdump either */
	const uint8_t *t = p + 4;
	unsigned rem = len - 4;
	int hexdump = 0;
	while (rem >= LLDP_TLV_HDR_LEN) {
		if (!pc_has(c, t, LLDP_TLV_HDR_LEN))
			return hexdump;
		unsigned tlv = get_be16(c, t), type = tlv >> 9, tl = tlv & 0x1ff;
		hexdump = 0;
		rem -= LLDP_TLV_HDR_LEN;
		t += LLDP_TLV_HDR_LEN;
		if (!type || !tl)
			break;
		if (!pc_has(c, t, tl) || rem < tl)
			return hexdump;
		int r = print_dcbx_tlv(c, type, t, tl);
		if (r < 0)
			return hexdump;
		hexdump = r;
		if (c->o->vflag > 1 || (c->o->vflag && hexdump))
			out_hex_ident(c, "\n\t    ", t, tl);
		rem -= tl;
		t += tl;
	}
	return hexdump;
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
			print_string(c, p, len);
		}
		return 0;
	case LLDP_SYSTEM_NAME_TLV:
		out_str(c, ": ");
		print_string(c, p, len);
		return 0;
	case LLDP_SYSTEM_DESCR_TLV:
		if (v) {
			out_str(c, "\n\t  ");
			print_string(c, p, len);
		}
		return 0;
	case LLDP_SYSTEM_CAP_TLV:
		if (v) {
			if (len < 4)
				return -1;
			unsigned cap = get_be16(c, p), ena = get_be16(c, p + 2);
			out_str(c, "\n\t  System  Capabilities [");
			print_bits(c, cap_names, cap);
			out_fmt(c, "] (0x%04x)", cap);
			out_str(c, "\n\t  Enabled Capabilities [");
			print_bits(c, cap_names, ena);
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
		switch (oui) {
		case OUI_IEEE_8021:
			return print_8021(c, p, len);
		case OUI_IEEE_8023:
			return print_8023(c, p, len);
		case OUI_IANA:
			return print_iana(c, p, len);
		case OUI_TIA:
			return print_tia(c, p, len);
		case OUI_DCBX:
			return print_dcbx(c, p, len);
		default:
			return 1;
		}
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
