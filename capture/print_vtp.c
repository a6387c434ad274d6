/* capture/print_vtp.c: Cisco's VLAN Trunking Protocol behind SNAP OUI
 * 00-00-0c, as tcpdump 4.99.3's print-vtp.c prints it: the common
 * header, then by message type the summary advertisement, the subset
 * advertisement's VLAN records and their TLVs, the request. */
#include "print_llc.h"

#define VTP_HDR_LEN           36 /* version, code, byte 3, domain length, domain */
#define VTP_DOMAIN_NAME_LEN   32
#define VTP_TIMESTAMP_LEN     12
#define VTP_MD5_DIGEST_LEN    16
#define VTP_VLAN_INFO_FIXED   12 /* VLAN record before its name */

#define VTP_SUMMARY_ADV  0x01
#define VTP_SUBSET_ADV   0x02
#define VTP_ADV_REQUEST  0x03
#define VTP_JOIN_MESSAGE 0x04

static const struct tok vtp_message_names[] = {
	{ VTP_SUMMARY_ADV, "Summary advertisement" }, { VTP_SUBSET_ADV, "Subset advertisement" },
	{ VTP_ADV_REQUEST, "Advertisement request" }, { VTP_JOIN_MESSAGE, "Join message" },
	{ 0, NULL },
};

/* What the header's third byte means for each message type. */
static const struct tok vtp_byte3_names[] = {
	{ 0x01, "Followers" }, { 0x02, "Seq number" }, { 0x03, "Rsvd" }, { 0x04, "Rsvd" }, { 0, NULL },
};

static const struct tok vtp_vlan_type_names[] = {
	{ 0x01, "Ethernet" }, { 0x02, "FDDI" }, { 0x03, "TrCRF" }, { 0x04, "FDDI-net" }, { 0x05, "TrBRF" },
	{ 0, NULL },
};

static const struct tok vtp_vlan_status_names[] = {
	{ 0x00, "Operational" }, { 0x01, "Suspended" }, { 0, NULL },
};

#define VTP_VLAN_STP_TYPE         0x03
#define VTP_VLAN_PRUNING          0x06
#define VTP_VLAN_BRIDGE_TYPE      0x07
#define VTP_VLAN_STE_HOP_COUNT    0x09
#define VTP_VLAN_BACKUP_CRF_MODE  0x0a

static const struct tok vtp_vlan_tlv_names[] = {
	{ 0x01, "Source-Routing Ring Number TLV" }, { 0x02, "Source-Routing Bridge Number TLV" },
	{ VTP_VLAN_STP_TYPE, "STP type TLV" },      { 0x04, "Parent VLAN TLV" },
	{ 0x05, "Translationally bridged VLANs TLV" }, { VTP_VLAN_PRUNING, "Pruning TLV" },
	{ VTP_VLAN_BRIDGE_TYPE, "Bridge Type TLV" }, { 0x08, "Max ARP Hop Count TLV" },
	{ VTP_VLAN_STE_HOP_COUNT, "Max STE Hop Count TLV" }, { VTP_VLAN_BACKUP_CRF_MODE, "Backup CRF Mode TLV" },
	{ 0, NULL },
};

static const struct tok vtp_stp_type_names[] = {
	{ 1, "SRT" }, { 2, "SRB" }, { 3, "Auto" }, { 0, NULL },
};

/* tcpdump's nd_printjnp: up to N characters, a NUL ends the string. */
static void vtp_printjnp(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (get_u8(c, p + i) == 0)
			return;
		out_printjn(c, p + i, 1);
	}
}

static void vtp_summary(struct pctx *c, const uint8_t *p)
{
	uint32_t rev = get_be32(c, p);
	pc_need(c, p + 4, 4);
	out_fmt(c, "\n\t  Config Rev %x, Updater ", rev);
	out_ip4(c, p + 4);
	p += 8;
	out_fmt(c, ", Timestamp 0x%08x 0x%08x 0x%08x", get_be32(c, p), get_be32(c, p + 4), get_be32(c, p + 8));
	p += VTP_TIMESTAMP_LEN;
	out_fmt(c, ", MD5 digest: %08x%08x%08x%08x", get_be32(c, p), get_be32(c, p + 4), get_be32(c, p + 8),
		get_be32(c, p + 12));
}

/* A VLAN record's TLVs (1-byte type, length in 16-bit words): 0 if
 * malformed. */
static int vtp_vlan_tlvs(struct pctx *c, const uint8_t *p, unsigned len)
{
	char buf[48];
	while (len != 0) {
		if (len < 2)
			return 0;
		unsigned type = get_u8(c, p), tlv_len = get_u8(c, p + 1);
		out_fmt(c, "\n\t\t%s (0x%04x) TLV", tok2str(vtp_vlan_tlv_names, "Unknown", type, buf, sizeof(buf)), type);
		if (len < tlv_len * 2 + 2) {
			out_str(c, " (TLV goes past the end of the packet)");
			return 0;
		}
		pc_need(c, p, tlv_len * 2 + 2);
		if (tlv_len != 1) {
			out_fmt(c, " (invalid TLV length %u != 1)", tlv_len);
			return 0;
		}
		unsigned value = get_be16(c, p + 2);
		switch (type) {
		case VTP_VLAN_STE_HOP_COUNT:
			out_fmt(c, ", %u", value);
			break;
		case VTP_VLAN_PRUNING:
			out_fmt(c, ", %s (%u)", value == 1 ? "Enabled" : "Disabled", value);
			break;
		case VTP_VLAN_STP_TYPE:
			out_fmt(c, ", %s (%u)", tok2str(vtp_stp_type_names, "Unknown", value, buf, sizeof(buf)), value);
			break;
		case VTP_VLAN_BRIDGE_TYPE:
			out_fmt(c, ", %s (%u)", value == 1 ? "SRB" : "SRT", value);
			break;
		case VTP_VLAN_BACKUP_CRF_MODE:
			out_fmt(c, ", %s (%u)", value == 1 ? "Backup" : "Not backup", value);
			break;
		default:
			llc_unknown_data(c, p, "\n\t\t  ", 2 + tlv_len * 2);
			break;
		}
		len -= 2 + tlv_len * 2;
		p += 2 + tlv_len * 2;
	}
	return 1;
}

/* The subset advertisement's VLAN records: 0 if malformed. */
static int vtp_subset(struct pctx *c, const uint8_t *start, const uint8_t *p, unsigned length)
{
	out_fmt(c, ", Config Rev %x", get_be32(c, p));
	p += 4;
	while ((unsigned)(p - start) < length) {
		unsigned len = get_u8(c, p);
		if (len == 0)
			break;
		pc_need(c, p, len);
		if (len < VTP_VLAN_INFO_FIXED)
			return 0;
		char sbuf[16], tbuf[16];
		out_fmt(c, "\n\tVLAN info status %s, type %s, VLAN-id %u, MTU %u, SAID 0x%08x, Name ",
			tok2str(vtp_vlan_status_names, "Unknown", get_u8(c, p + 1), sbuf, sizeof(sbuf)),
			tok2str(vtp_vlan_type_names, "Unknown", get_u8(c, p + 2), tbuf, sizeof(tbuf)),
			get_be16(c, p + 4), get_be16(c, p + 6), get_be32(c, p + 8));
		unsigned name_len = get_u8(c, p + 3), padded = 4 * ((name_len + 3) / 4);
		len -= VTP_VLAN_INFO_FIXED;
		p += VTP_VLAN_INFO_FIXED;
		if (len < padded)
			return 0;
		vtp_printjnp(c, p, name_len);
		len -= padded; /* names are padded to 32-bit boundaries */
		p += padded;
		if (!vtp_vlan_tlvs(c, p, len))
			return 0;
		p += len;
	}
	return 1;
}

void print_vtp(struct pctx *c, const uint8_t *p, unsigned length)
{
	const uint8_t *start = p;
	c->proto = "vtp";
	c->last = "vtp";
	if (length < VTP_HDR_LEN)
		goto invalid;
	pc_need(c, p, VTP_HDR_LEN);
	unsigned version = get_u8(c, p), type = get_u8(c, p + 1);
	char buf[32];
	out_fmt(c, "VTPv%u, Message %s (0x%02x), length %u", version,
		tok2str(vtp_message_names, "Unknown message type", type, buf, sizeof(buf)), type, length);
	if (c->o->vflag < 1)
		goto tcheck;
	out_str(c, "\n\tDomain name: ");
	unsigned mgmtd_len = get_u8(c, p + 3);
	if (mgmtd_len < 1 || mgmtd_len > VTP_DOMAIN_NAME_LEN) {
		out_fmt(c, " [invalid MgmtD Len %u]", mgmtd_len);
		goto invalid;
	}
	vtp_printjnp(c, p + 4, mgmtd_len);
	out_fmt(c, ", %s: %u", tok2str(vtp_byte3_names, "Unknown", type, buf, sizeof(buf)), get_u8(c, p + 2));
	p += VTP_HDR_LEN;
	switch (type) {
	case VTP_SUMMARY_ADV:
		vtp_summary(c, p);
		break;
	case VTP_SUBSET_ADV:
		if (!vtp_subset(c, start, p, length))
			goto invalid;
		break;
	case VTP_ADV_REQUEST:
		out_fmt(c, "\n\tStart value: %u", get_be32(c, p));
		break;
	default: /* the join message's format is not published */
		break;
	}
	return;
invalid:
	out_invalid(c);
tcheck:
	pc_need(c, start, length);
}
