/* capture/print_geonet.c: ETSI GeoNetworking (EN 302 636-4-1, EtherType
 * 0x8947) and its Basic Transport Protocol (EN 302 636-5-1), as
 * tcpdump 4.99's print-geonet.c prints them. */
#include "print_ether_app.h"

#define GEONET_COMMON_LEN 36 /* basic + common header as tcpdump counts it */
#define GEONET_ADDR_LEN 8
#define GEONET_POS_LAT 12    /* in the long position vector */
#define GEONET_POS_LON 16
#define GEONET_TSB_MH_EXT (68 - GEONET_COMMON_LEN)
#define BTP_HDR_LEN 4

/* Next header values (the low nibble of the first byte). */
#define GEONET_NH_BTP_A 1
#define GEONET_NH_BTP_B 2

static const struct tok geonet_next_headers[] = {
	{ 0, "Any" }, { 1, "BTP-A" }, { 2, "BTP-B" }, { 3, "IPv6" }, { 0, NULL },
};

/* Header type (high nibble) and subtype (low nibble) names. */
static const char *geonet_header_type(unsigned type, unsigned sub)
{
	static const char *const anycast[] = { "GeoAnycastCircle", "GeoAnycastRect", "GeoAnycastElipse" };
	static const char *const bcast[] = { "GeoBroadcastCircle", "GeoBroadcastRect", "GeoBroadcastElipse" };
	static const char *const tsb[] = { "TopoScopeBcast-SH", "TopoScopeBcast-MH" };
	static const char *const ls[] = { "LocService-Request", "LocService-Reply" };
	switch (type) {
	case 0: return "Any";
	case 1: return "Beacon";
	case 2: return "GeoUnicast";
	case 3: return sub < 3 ? anycast[sub] : "Unknown";
	case 4: return sub < 3 ? bcast[sub] : "Unknown";
	case 5: return sub < 2 ? tsb[sub] : "Unknown";
	case 6: return sub < 2 ? ls[sub] : "Unknown";
	default: return "Unknown";
	}
}

/* The extended header size tcpdump knows how to skip, -1 if it does not
 * (then it stops after the common header). */
static int geonet_ext_size(unsigned type, unsigned sub)
{
	if (type == 0 || type == 1)
		return 0;
	if (type == 5 && sub == 0)
		return 0;
	if (type == 5 && sub == 1)
		return GEONET_TSB_MH_EXT;
	return -1;
}

static const struct tok its_msg_types[] = {
	{ 0, "CAM" },   { 1, "DENM" },   { 101, "TPEGM" }, { 102, "TSPDM" }, { 103, "VPM" },
	{ 104, "SRM" }, { 105, "SLAM" }, { 106, "ecoCAM" }, { 107, "ITM" }, { 150, "SA" },
	{ 0, NULL },
};

/* The source position vector: GN address, latitude, longitude. */
static void geonet_position(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, GEONET_ADDR_LEN);
	out_str(c, "GN_ADDR:");
	for (unsigned i = 0; i < GEONET_ADDR_LEN; i++)
		out_fmt(c, i ? ":%02x" : "%02x", p[i]);
	out_char(c, ' ');
	out_fmt(c, "lat:%u ", get_be32(c, p + GEONET_POS_LAT));
	out_fmt(c, "lon:%u", get_be32(c, p + GEONET_POS_LON));
}

/* EN 302 636-5-1 7.2: BTP ports, then the ITS PDU header if present. */
static int geonet_btp(struct pctx *c, const uint8_t *p, unsigned len)
{
	char buf[24];
	if (len < BTP_HDR_LEN) {
		out_fmt(c, " (BTP length %u < 4)", len);
		return 0;
	}
	out_fmt(c, "; BTP Dst:%u", get_be16(c, p));
	out_fmt(c, " Src:%u", get_be16(c, p + 2));
	if (len - BTP_HDR_LEN >= 2) {
		out_fmt(c, "; ItsPduHeader v:%u", get_u8(c, p + BTP_HDR_LEN));
		unsigned type = get_u8(c, p + BTP_HDR_LEN + 1);
		out_fmt(c, " t:%u-%s", type, tok2str(its_msg_types, "unknown (%u)", type, buf, sizeof(buf)));
	}
	return 1;
}

void print_geonet(struct pctx *c, const uint8_t *p, unsigned len, const uint8_t *src)
{
	char buf[24];
	c->proto = "geonet";
	c->last = "geonet";
	out_str(c, "GeoNet ");
	if (src) {
		out_str(c, "src:");
		out_mac(c, src);
	}
	out_str(c, "; ");
	if (len < GEONET_COMMON_LEN) {
		out_fmt(c, " (common header length %u < 36)", len);
		out_invalid(c);
		return;
	}
	unsigned b0 = get_u8(c, p), b1 = get_u8(c, p + 1);
	unsigned next = b0 & 0x0f, type = b1 >> 4, sub = b1 & 0x0f;
	unsigned payload = get_be16(c, p + 4), hops = get_u8(c, p + 7);
	out_fmt(c, "v:%u ", b0 >> 4);
	out_fmt(c, "NH:%u-%s ", next, tok2str(geonet_next_headers, "Unknown", next, buf, sizeof(buf)));
	out_fmt(c, "HT:%u-%u-%s ", type, sub, geonet_header_type(type, sub));
	out_fmt(c, "HopLim:%u ", hops);
	out_fmt(c, "Payload:%u ", payload);
	geonet_position(c, p + 8);
	pc_need(c, p, GEONET_COMMON_LEN);
	p += GEONET_COMMON_LEN;
	len -= GEONET_COMMON_LEN;
	int ext = geonet_ext_size(type, sub);
	if (ext >= 0) {
		if (len < (unsigned)ext) {
			out_fmt(c, " (header size %d > %u)", ext, len);
			out_invalid(c);
			return;
		}
		pc_need(c, p, (unsigned)ext);
		p += ext;
		len -= (unsigned)ext;
		if (next == GEONET_NH_BTP_A || next == GEONET_NH_BTP_B) {
			if (!geonet_btp(c, p, len)) {
				out_invalid(c);
				return;
			}
			p += BTP_HDR_LEN;
			len -= BTP_HDR_LEN;
		}
	}
	if (c->o->vflag) /* tcpdump's ND_DEFAULTPRINT: even under -x/-q */
		out_hexascii(c, p, len);
}
