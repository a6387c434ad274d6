/* capture/print_cisco.c: Cisco's protocols behind SNAP OUI 00-00-0c as
 * tcpdump 4.99.3 prints them: the Cisco Discovery Protocol (print-cdp.c)
 * and the Dynamic Trunking Protocol (print-dtp.c). VTP and UDLD are not
 * decoded yet (print_llc.c keeps them tagged "llc"). */
#include <string.h>

#include "print_llc.h"

/* ---- CDP ---------------------------------------------------------------- */

#define CDP_HDR_LEN     4 /* version, ttl, checksum */
#define CDP_TLV_HDR_LEN 4 /* type, length (the length counts the header) */
#define CDP_T_DEV_ID    0x01
#define NLPID_IP        0xcc

/* Address TLV protocol types: an OSI NLPID, or an 802.2 LLC+SNAP header. */
#define CDP_PT_NLPID      1
#define CDP_PT_IEEE_802_2 2

static const struct tok cdp_capability_names[] = {
	{ 0x01, "Router" },      { 0x02, "Transparent Bridge" }, { 0x04, "Source Route Bridge" },
	{ 0x08, "L2 Switch" },   { 0x10, "L3 capable" },        { 0x20, "IGMP snooping" },
	{ 0x40, "L1 capable" },  { 0, NULL },
};

static void cdp_string(struct pctx *c, const uint8_t *p, unsigned len)
{
	out_char(c, '\'');
	out_printjn(c, p, len);
	out_char(c, '\'');
}

/* Addresses: a count, then (protocol type, protocol, address) triples. */
static void cdp_addresses(struct pctx *c, const uint8_t *p, unsigned l)
{
	static const uint8_t llc_snap_ipv6[8] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd };
	if (l < 4) {
		out_str(c, " (not enough space for num)");
		goto invalid;
	}
	unsigned num = get_be32(c, p);
	p += 4;
	l -= 4;
	while (num) {
		if (l < 2) {
			out_str(c, " (not enough space for PT+PL)");
			goto invalid;
		}
		unsigned pt = get_u8(c, p), pl = get_u8(c, p + 1);
		p += 2;
		l -= 2;
		if (l < pl + 2) {
			out_str(c, " (not enough space for P+AL)");
			goto invalid;
		}
		unsigned al = get_be16(c, p + pl);
		int ipv4 = pt == CDP_PT_NLPID && pl == 1 && get_u8(c, p) == NLPID_IP && al == 4;
		int ipv6 = pt == CDP_PT_IEEE_802_2 && pl == 8 && pc_has(c, p, 8) &&
			   memcmp(p, llc_snap_ipv6, 8) == 0 && al == 16;
		if (ipv4 || ipv6) {
			p += pl + 2;
			l -= pl + 2;
			if (l < al) {
				out_str(c, " (not enough space for A)");
				goto invalid;
			}
			pc_need(c, p, al); /* tcpdump reads the address first */
			out_fmt(c, "%s (%u) ", ipv4 ? "IPv4" : "IPv6", num);
			if (ipv4)
				out_ip4(c, p);
			else
				out_ip6(c, p);
		} else {
			out_fmt(c, "pt=0x%02x, pl=%u, pb=", pt, pl);
			for (; pl != 0; pl--, p++, l--)
				out_fmt(c, " %02x", get_u8(c, p));
			out_fmt(c, ", al=%u, a=", al);
			p += 2;
			l -= 2;
			if (l < al) {
				out_str(c, " (not enough space for A)");
				goto invalid;
			}
			for (unsigned i = 0; i < al; i++)
				out_fmt(c, " %02x", get_u8(c, p + i));
		}
		p += al;
		l -= al;
		num--;
		if (num)
			out_char(c, ' ');
	}
	if (l)
		out_fmt(c, " (%u bytes of stray data)", l);
	return;
invalid:
	pc_need(c, p, l);
}

static void cdp_prefixes(struct pctx *c, const uint8_t *p, unsigned l)
{
	if (l % 5) {
		out_fmt(c, " [length %u is not a multiple of 5]", l);
		pc_need(c, p, l);
		return;
	}
	out_fmt(c, " IPv4 Prefixes (%u):", l / 5);
	for (; l > 0; l -= 5, p += 5) {
		out_char(c, ' ');
		out_ip4(c, p);
		out_fmt(c, "/%u", get_u8(c, p + 4));
	}
}

static void cdp_capability(struct pctx *c, const uint8_t *p, unsigned len)
{
	(void)len;
	uint32_t val = get_be32(c, p);
	out_fmt(c, "(0x%08x): ", val);
	out_bitnames(c, cdp_capability_names, val, "none");
}

/* The software version, its lines indented. */
static void cdp_version(struct pctx *c, const uint8_t *p, unsigned len)
{
	out_str(c, "\n\t  ");
	for (unsigned i = 0; i < len; i++) {
		if (get_u8(c, p + i) == '\n')
			out_str(c, "\n\t  ");
		else
			out_printjn(c, p + i, 1);
	}
}

static void cdp_uint16(struct pctx *c, const uint8_t *p, unsigned len)
{
	(void)len;
	out_fmt(c, "%u", get_be16(c, p));
}

static void cdp_duplex(struct pctx *c, const uint8_t *p, unsigned len)
{
	(void)len;
	out_str(c, get_u8(c, p) ? "full" : "half");
}

/* ATA-186 VoIP VLAN TLVs: 2 bytes of unknown meaning, or app + VLAN. */
static void cdp_ata186(struct pctx *c, const uint8_t *p, unsigned len)
{
	if (len == 2)
		out_fmt(c, "unknown 0x%04x", get_be16(c, p));
	else
		out_fmt(c, "app %u, vlan %u", get_u8(c, p), get_be16(c, p + 1));
}

static void cdp_power(struct pctx *c, const uint8_t *p, unsigned len)
{
	unsigned val = len == 1 ? get_u8(c, p) : len == 2 ? get_be16(c, p) : len == 3 ? get_be24(c, p) : 0;
	out_fmt(c, "%1.2fW", val / 1000.0);
}

static void cdp_mtu(struct pctx *c, const uint8_t *p, unsigned len)
{
	(void)len;
	out_fmt(c, "%u bytes", get_be32(c, p));
}

static void cdp_uint8x(struct pctx *c, const uint8_t *p, unsigned len)
{
	(void)len;
	out_fmt(c, "0x%02x", get_u8(c, p));
}

static void cdp_phys_loc(struct pctx *c, const uint8_t *p, unsigned len)
{
	out_fmt(c, "0x%02x", get_u8(c, p));
	if (len > 1) {
		out_char(c, '/');
		out_printjn(c, p + 1, len - 1);
	}
}

struct cdp_tlv_info {
	const char *name;
	void (*print)(struct pctx *c, const uint8_t *p, unsigned len); /* NULL: not decoded */
	int min_len, max_len; /* -1: no bound */
};

/* The TLV types tcpdump 4.99.3 knows (0x00-0x17). */
static const struct cdp_tlv_info cdp_tlvs[] = {
	[0x01] = { "Device-ID", cdp_string, -1, -1 },
	[0x02] = { "Address", cdp_addresses, -1, -1 },
	[0x03] = { "Port-ID", cdp_string, -1, -1 },
	[0x04] = { "Capability", cdp_capability, 4, 4 },
	[0x05] = { "Version String", cdp_version, -1, -1 },
	[0x06] = { "Platform", cdp_string, -1, -1 },
	[0x07] = { "Prefixes", cdp_prefixes, -1, -1 },
	[0x08] = { "Protocol-Hello option", NULL, -1, -1 },
	[0x09] = { "VTP Management Domain", cdp_string, -1, -1 },
	[0x0a] = { "Native VLAN ID", cdp_uint16, 2, 2 },
	[0x0b] = { "Duplex", cdp_duplex, 1, 1 },
	[0x0e] = { "ATA-186 VoIP VLAN assignment", cdp_ata186, 3, 3 },
	[0x0f] = { "ATA-186 VoIP VLAN request", cdp_ata186, 2, 3 },
	[0x10] = { "power consumption", cdp_power, 1, 3 },
	[0x11] = { "MTU", cdp_mtu, 4, 4 },
	[0x12] = { "AVVID trust bitmap", cdp_uint8x, 1, 1 },
	[0x13] = { "AVVID untrusted ports CoS", cdp_uint8x, 1, 1 },
	[0x14] = { "System Name", cdp_string, -1, -1 },
	[0x15] = { "System Object ID (not decoded)", NULL, -1, -1 },
	[0x16] = { "Management Addresses", cdp_addresses, 4, -1 },
	[0x17] = { "Physical Location", cdp_phys_loc, 1, -1 },
};
#define CDP_T_MAX (sizeof cdp_tlvs / sizeof cdp_tlvs[0] - 1)

/* One TLV's value: decoded when tcpdump decodes it at this verbosity,
 * else (even without -v, as tcpdump does) a hex dump. */
static void cdp_tlv_value(struct pctx *c, const struct cdp_tlv_info *info, unsigned type, const uint8_t *p,
			  unsigned len)
{
	if (info && info->name) {
		if ((info->min_len > 0 && len < (unsigned)info->min_len) ||
		    (info->max_len > 0 && len > (unsigned)info->max_len)) {
			out_str(c, " (malformed TLV)");
		} else if (c->o->vflag || type == CDP_T_DEV_ID) {
			if (info->print)
				info->print(c, p, len);
			else
				pc_need(c, p, len);
			return;
		}
	}
	pc_need(c, p, len);
	llc_unknown_data(c, p, "\n\t  ", len);
}

void print_cdp(struct pctx *c, const uint8_t *p, unsigned length)
{
	unsigned orig_length = length;
	c->proto = "cdp";
	c->last = "cdp";
	if (length < CDP_HDR_LEN) {
		out_fmt(c, " (packet length %u < %u)", length, CDP_HDR_LEN);
		goto invalid;
	}
	unsigned version = get_u8(c, p), ttl = get_u8(c, p + 1);
	out_fmt(c, "CDPv%u, ttl: %us", version, ttl);
	unsigned checksum = get_be16(c, p + 2);
	if (c->o->vflag)
		out_fmt(c, ", checksum: 0x%04x (unverified), length %u", checksum, orig_length);
	p += CDP_HDR_LEN;
	length -= CDP_HDR_LEN;
	while (length) {
		if (length < CDP_TLV_HDR_LEN) {
			out_fmt(c, " (remaining packet length %u < %u)", length, CDP_TLV_HDR_LEN);
			goto invalid;
		}
		unsigned type = get_be16(c, p), len = get_be16(c, p + 2);
		const struct cdp_tlv_info *info = type <= CDP_T_MAX ? &cdp_tlvs[type] : NULL;
		const char *name = info && info->name ? info->name : "unknown field type";
		if (len < CDP_TLV_HDR_LEN) {
			if (c->o->vflag)
				out_fmt(c, "\n\t%s (0x%02x), TLV length: %u byte%s (too short)", name, type, len,
					len == 1 ? "" : "s");
			else
				out_fmt(c, ", %s TLV length %u too short", name, len);
			goto invalid;
		}
		if (len > length) {
			out_fmt(c, " (TLV length %u > %u)", len, length);
			goto invalid;
		}
		p += CDP_TLV_HDR_LEN;
		length -= CDP_TLV_HDR_LEN;
		len -= CDP_TLV_HDR_LEN;
		if (!c->o->vflag && type == CDP_T_DEV_ID)
			out_str(c, ", Device-ID ");
		else if (c->o->vflag)
			out_fmt(c, "\n\t%s (0x%02x), value length: %u byte%s: ", name, type, len, len == 1 ? "" : "s");
		cdp_tlv_value(c, info, type, p, len);
		p += len;
		length -= len;
	}
	if (!c->o->vflag)
		out_fmt(c, ", length %u", orig_length);
	return;
invalid:
	out_invalid(c);
	pc_need(c, p, length);
}

/* ---- DTP ---------------------------------------------------------------- */

#define DTP_HDR_LEN      1 /* version */
#define DTP_DOMAIN_TLV   0x0001
#define DTP_STATUS_TLV   0x0002
#define DTP_TYPE_TLV     0x0003
#define DTP_NEIGHBOR_TLV 0x0004

static const struct tok dtp_tlv_names[] = {
	{ DTP_DOMAIN_TLV, "Domain" }, { DTP_STATUS_TLV, "Status" },
	{ DTP_TYPE_TLV, "DTP type" }, { DTP_NEIGHBOR_TLV, "Neighbor" },
	{ 0, NULL },
};

/* tcpdump's nd_printjnp: up to N characters, a NUL ends the string. */
static void dtp_printjnp(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (get_u8(c, p + i) == 0)
			return;
		out_printjn(c, p + i, 1);
	}
}

void print_dtp(struct pctx *c, const uint8_t *p, unsigned length)
{
	c->proto = "dtp";
	c->last = "dtp";
	if (length < DTP_HDR_LEN) {
		out_str(c, "[zero packet length]");
		goto invalid;
	}
	out_fmt(c, "DTPv%u, length %u", get_u8(c, p), length);
	if (c->o->vflag < 1)
		return;
	p += DTP_HDR_LEN;
	length -= DTP_HDR_LEN;
	while (length) {
		if (length < 4) {
			out_fmt(c, "[%u bytes remaining]", length);
			goto invalid;
		}
		unsigned type = get_be16(c, p), len = get_be16(c, p + 2);
		if (type == 0)
			return; /* tcpdump stops at a zero type (padding seen in captures) */
		char buf[16];
		out_fmt(c, "\n\t%s (0x%04x) TLV, length %u", tok2str(dtp_tlv_names, "Unknown", type, buf, sizeof(buf)),
			type, len);
		if (len < 4 || len > length) {
			out_fmt(c, "[invalid TLV length %u]", len);
			goto invalid;
		}
		switch (type) {
		case DTP_DOMAIN_TLV:
			out_str(c, ", ");
			dtp_printjnp(c, p + 4, len - 4);
			break;
		case DTP_STATUS_TLV:
		case DTP_TYPE_TLV:
			if (len != 5)
				goto invalid;
			out_fmt(c, ", 0x%x", get_u8(c, p + 4));
			break;
		case DTP_NEIGHBOR_TLV:
			if (len != 10)
				goto invalid;
			pc_need(c, p + 4, 6);
			out_str(c, ", ");
			out_mac(c, p + 4);
			break;
		default:
			pc_need(c, p, len);
			break;
		}
		p += len;
		length -= len;
	}
	return;
invalid:
	out_invalid(c);
	pc_need(c, p, length);
}
