/* capture/print_lldp_org.c: the organizationally specific LLDP TLVs
 * (IEEE 802.1AB-2016 8.6) tcpdump 4.99.3 decodes: IEEE 802.1 (Annex D,
 * with the DCB and EVB subtypes of 802.1Q), IEEE 802.3 (Annex E), IANA
 * (RFC 8520 MUD URL), TIA LLDP-MED (ANSI/TIA-1057) and DCBX 1.01. */
#include <inttypes.h>

#include "print_lldp.h"

#define OUI_IANA 0x00005e
#define OUI_IEEE_8021 0x0080c2
#define OUI_IEEE_8023 0x00120f
#define OUI_TIA 0x0012bb
#define OUI_DCBX 0x001b21
#define LLDP_TLV_HDR_LEN 2

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
	out_bitnames(c, aggregation_flags, get_u8(c, p), "none");
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
			out_bitnames(c, port_protocol_flags, flags, "none");
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
		lldp_print_string(c, p + 7, sublen);
		return 0;
	case 4:
		if (len < 5)
			return 0;
		sublen = get_u8(c, p + 4);
		if (len < 5 + sublen)
			return 0;
		out_str(c, "\n\t    protocol identity: ");
		lldp_print_string(c, p + 5, sublen);
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
	out_bitnames(c, autoneg_flags, an, "none");
	out_fmt(c, "] (0x%02x)", an);
	out_str(c, "\n\t    PMD autoneg capability [");
	if (pmd & 0x7fff)
		out_bitnames(c, pmd_capabilities, pmd, "none");
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
			out_bitnames(c, mdi_flags, get_u8(c, p + 4), "none");
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

static const struct tok tia_location_formats[] = {
	{ 1, "coordinate-based LCI" }, { 2, "civic address LCI" }, { 3, "ECS ELIN" }, { 0, NULL },
};
static const struct tok tia_altitude_types[] = { { 1, "meters" }, { 2, "floors" }, { 0, NULL } };
static const struct tok tia_datums[] = {
	{ 1, "World Geodesic System 1984" },
	{ 2, "North American Datum 1983 (NAVD88)" },
	{ 3, "North American Datum 1983 (MLLW)" },
	{ 0, NULL },
};
/* ANSI/TIA-1057 Annex B civic address types */
static const struct tok tia_ca_types[] = {
	{ 1, "national subdivisions (state,canton,region,province,prefecture)" },
	{ 2, "county, parish, gun, district" },
	{ 3, "city, township, shi" },
	{ 4, "city division, borough, city district, ward chou" },
	{ 5, "neighborhood, block" },
	{ 6, "street" },
	{ 0, NULL },
};
static const struct tok tia_lci_what[] = {
	{ 0, "location of DHCP server" },
	{ 1, "location of the network element believed to be closest to the client" },
	{ 2, "location of the client" },
	{ 0, NULL },
};
static const struct tok tia_power_sources[] = {
	{ 1, "PSE - primary power source" }, { 2, "local - backup power source" }, { 3, "PSE+local - reserved" },
	{ 0, NULL },
};
static const struct tok tia_power_priorities[] = { { 1, "critical" }, { 2, "high" }, { 3, "low" }, { 0, NULL } };
static const struct tok tia_inventory[] = {
	{ 5, "Hardware revision" }, { 6, "Firmware revision" }, { 7, "Software revision" }, { 8, "Serial number" },
	{ 9, "Manufacturer name" }, { 10, "Model name" },       { 11, "Asset ID" },         { 0, NULL },
};
#define TIA_POWER_VAL_MAX 1024

/* 34 bits of a coordinate: the low 2 bits of P[0], then P[1..4]. */
static uint64_t tia_latlon(struct pctx *c, const uint8_t *p)
{
	return (uint64_t)(get_u8(c, p) & 0x3) << 32 | get_be32(c, p + 1);
}

/* TIA-1057 10.2.4.3: the civic address elements after the country code. */
static void print_tia_civic(struct pctx *c, const uint8_t *p, unsigned len)
{
	char b1[80];
	if (len < 6)
		return;
	unsigned lci_len = get_u8(c, p + 5);
	if (lci_len < 3 || len < 7 + lci_len)
		return;
	unsigned what = get_u8(c, p + 6);
	out_fmt(c, "\n\t    LCI length %u, LCI what %s (0x%02x), Country-code ", lci_len,
		tok2str(tia_lci_what, "unknown", what, b1, sizeof(b1)), what);
	lldp_print_string(c, p + 7, 2);
	lci_len -= 3;
	const uint8_t *t = p + 9;
	while (lci_len != 0) {
		if (lci_len < 2)
			return;
		unsigned ca_type = get_u8(c, t), ca_len = get_u8(c, t + 1);
		t += 2;
		lci_len -= 2;
		out_fmt(c, "\n\t      CA type '%s' (%u), length %u: ",
			tok2str(tia_ca_types, "unknown", ca_type, b1, sizeof(b1)), ca_type, ca_len);
		if (ca_type == 0 || ca_len == 0 || lci_len < ca_len)
			return;
		lldp_print_string(c, t, ca_len);
		t += ca_len;
		lci_len -= ca_len;
	}
}

/* TIA-1057 10.2.4: location identification. */
static void print_tia_location(struct pctx *c, const uint8_t *p, unsigned len)
{
	char b1[48];
	if (len < 5)
		return;
	unsigned format = get_u8(c, p + 4);
	out_fmt(c, "\n\t    Location data format %s (0x%02x)",
		tok2str(tia_location_formats, "unknown", format, b1, sizeof(b1)), format);
	switch (format) {
	case 1:
		if (len < 21)
			return;
		out_fmt(c, "\n\t    Latitude resolution %u, latitude value %" PRIu64, get_u8(c, p + 5) >> 2,
			tia_latlon(c, p + 5));
		out_fmt(c, "\n\t    Longitude resolution %u, longitude value %" PRIu64, get_u8(c, p + 10) >> 2,
			tia_latlon(c, p + 10));
		out_fmt(c, "\n\t    Altitude type %s (%u)",
			tok2str(tia_altitude_types, "unknown", get_u8(c, p + 15) >> 4, b1, sizeof(b1)),
			get_u8(c, p + 15) >> 4);
		out_fmt(c, "\n\t    Altitude resolution %u, altitude value 0x%x", (get_be16(c, p + 15) >> 6) & 0x3f,
			get_be32(c, p + 16) & 0x3fffffff);
		out_fmt(c, "\n\t    Datum %s (0x%02x)", tok2str(tia_datums, "unknown", get_u8(c, p + 20), b1, sizeof(b1)),
			get_u8(c, p + 20));
		return;
	case 2:
		print_tia_civic(c, p, len);
		return;
	case 3:
		out_str(c, "\n\t    ECS ELIN id ");
		lldp_print_string(c, p + 5, len - 5);
		return;
	default:
		out_str(c, "\n\t    Location ID ");
		out_hex_ident(c, "\n\t      ", p + 5, len - 5);
		return;
	}
}

/* TIA-1057 10.2.5: extended power-via-MDI. tcpdump tests the power
 * type with "& 0xC0 >> 6", that is the two low bits; kept. */
static void print_tia_power(struct pctx *c, const uint8_t *p, unsigned len)
{
	char b1[40], b2[16];
	if (len < 7)
		return;
	unsigned b = get_u8(c, p + 4);
	out_fmt(c, "\n\t    Power type [%s]", (b & 0x03) ? "PD device" : "PSE device");
	out_fmt(c, ", Power source [%s]", tok2str(tia_power_sources, "none", (b & 0x30) >> 4, b1, sizeof(b1)));
	out_fmt(c, "\n\t    Power priority [%s] (0x%02x)", tok2str(tia_power_priorities, "none", b & 0x0f, b2, sizeof(b2)),
		b & 0x0f);
	unsigned power = get_be16(c, p + 5);
	if (power < TIA_POWER_VAL_MAX)
		out_fmt(c, ", Power %.1f Watts", (double)((float)power / 10));
	else
		out_fmt(c, ", Power %u (Reserved)", power);
}

/* TIA-1057 10.2: LLDP-MED subtypes. Returns 1 for a hex dump. */
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
		out_bitnames(c, tia_capabilities, caps, "none");
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
		out_bitnames(c, tia_policy_flags, get_u8(c, p + 5), "none");
		out_char(c, ']');
		out_fmt(c, "\n\t    Vlan id %u", (get_be16(c, p + 5) & 0x1ffe) >> 1);
		unsigned w = get_be16(c, p + 6);
		out_fmt(c, ", L2 priority %u", (w & 0x01ff) >> 6);
		out_fmt(c, ", DSCP value %u", w & 0x003f);
		return 0;
	}
	case 3:
		print_tia_location(c, p, len);
		return 0;
	case 4:
		print_tia_power(c, p, len);
		return 0;
	default:
		if (subtype < 5 || subtype > 11)
			return 1;
		out_fmt(c, "\n\t  %s ", tok2str(tia_inventory, "unknown", subtype, b1, sizeof(b1)));
		lldp_print_string(c, p + 4, len - 4);
		return 0;
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

int lldp_print_org(struct pctx *c, unsigned oui, const uint8_t *p, unsigned len)
{
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
