/* capture/print_stp.c: spanning tree BPDUs (IEEE 802.1D-2004 9.3,
 * 802.1w RSTP, 802.1Q-2003 clause 14 MSTP, 802.1aq clause 14 SPB) as
 * tcpdump 4.99's print-stp.c prints them.
 *
 * tcpdump formats each printf's arguments before printing anything, so
 * a field whose bytes are not all captured truncates the line before
 * the label that introduces it: every group below checks its bytes
 * (pc_need) before writing. */
#include "print_get.h"

#define STP_TIME_BASE 256.0 /* 802.1D 9.3.1: times are in 1/256 s */

/* 802.1D 9.3.1 BPDU layout (offsets from the protocol identifier). */
#define STP_OFF_VERSION 2
#define STP_OFF_TYPE 3
#define STP_OFF_FLAGS 4
#define STP_OFF_ROOT_ID 5
#define STP_OFF_ROOT_COST 13
#define STP_OFF_BRIDGE_ID 17
#define STP_OFF_PORT_ID 25
#define STP_OFF_TIMES 27     /* message age, max age, hello, forward delay */
#define STP_OFF_V1_LENGTH 35 /* 802.1w 9.3.3 */
#define STP_BPDU_LEN 36      /* through the version 1 length */
#define STP_BRIDGE_ID_LEN 8

#define STP_PROTO_REGULAR 0x00
#define STP_PROTO_RAPID 0x02
#define STP_PROTO_MSTP 0x03
#define STP_PROTO_SPB 0x04

#define STP_BPDU_CONFIG 0x00
#define STP_BPDU_RSTP 0x02
#define STP_BPDU_TOPO_CHANGE 0x80

/* 802.1Q-2003 14.6: MST BPDU offsets. */
#define MST_MIN_LEN 102
#define MST_OFF_V3_LENGTH 36
#define MST_OFF_CONFIG_NAME 39
#define MST_OFF_CONFIG_REV 71
#define MST_OFF_CONFIG_DIGEST 73
#define MST_OFF_CIST_INT_COST 89
#define MST_OFF_CIST_BRIDGE_ID 93
#define MST_OFF_CIST_HOPS 101
#define MST_OFF_MSTI 102
#define MST_CONFIG_NAME_LEN 32
#define MST_CONFIG_INFO_LEN 64 /* v3 length before the MSTI records */
#define MST_MSTI_LEN 16
/* Within one MSTI configuration message (14.6.1). */
#define MSTI_OFF_ROOT_ID 1
#define MSTI_OFF_ROOT_COST 9
#define MSTI_OFF_BRIDGE_PRIO 13
#define MSTI_OFF_PORT_PRIO 14
#define MSTI_OFF_HOPS 15

/* 802.1aq 14.4: the SPB extension after the MST part (from v4 length). */
#define SPB_MIN_LEN 87
#define SPB_OFF_CONFIG_NAME 3
#define SPB_OFF_CONFIG_REV 35
#define SPB_OFF_CONFIG_DIGEST 37
#define SPB_OFF_AGREEMENT 53
#define SPB_OFF_FORMAT 55
#define SPB_OFF_CONVENTION 56
#define SPB_OFF_EDGE_COUNT 57
#define SPB_OFF_AGREEMENT_DIGEST 67
#define SPB_AGREEMENT_DIGEST_WORDS 5

static const struct tok stp_versions[] = {
	{ STP_PROTO_REGULAR, "802.1d" }, { STP_PROTO_RAPID, "802.1w" },
	{ STP_PROTO_MSTP, "802.1s" },    { STP_PROTO_SPB, "802.1aq" },
	{ 0, NULL },
};

static const struct tok stp_bpdu_types[] = {
	{ STP_BPDU_CONFIG, "Config" },
	{ STP_BPDU_RSTP, "Rapid STP" },
	{ STP_BPDU_TOPO_CHANGE, "Topology Change" },
	{ 0, NULL },
};

/* 802.1w 9.3.3: the port role sits in bits 2-3 of the flags. */
static const char *stp_port_role(unsigned flags)
{
	static const char *const roles[] = { "Unknown", "Alternate", "Root", "Designated" };
	return roles[(flags & 0x0c) >> 2];
}

/* Root and bridge identifiers: priority (2 bytes, hex), then a MAC. */
static void stp_bridge_id(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, STP_BRIDGE_ID_LEN);
	out_fmt(c, "%02x%02x.", p[0], p[1]);
	out_mac(c, p + 2);
}

/* tcpdump's bittok2str over the BPDU flag bits, "none" when none is set. */
static void stp_flags(struct pctx *c, unsigned flags)
{
	static const struct tok names[] = {
		{ 0x01, "Topology change" }, { 0x02, "Proposal" }, { 0x10, "Learn" },
		{ 0x20, "Forward" }, { 0x40, "Agreement" }, { 0x80, "Topology change ACK" }, { 0, NULL },
	};
	const char *sep = "";
	int any = 0;
	for (const struct tok *t = names; t->s; t++)
		if (flags & t->v) {
			out_fmt(c, "%s%s", sep, t->s);
			sep = ", ";
			any = 1;
		}
	if (!any)
		out_str(c, "none");
}

/* The four 802.1D 9.3.1 timers, each in 1/256 s. */
static void stp_times(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p + STP_OFF_TIMES, 8);
	out_fmt(c, "\n\tmessage-age %.2fs, max-age %.2fs, hello-time %.2fs, forwarding-delay %.2fs",
		get_be16(c, p + STP_OFF_TIMES) / STP_TIME_BASE,
		get_be16(c, p + STP_OFF_TIMES + 2) / STP_TIME_BASE,
		get_be16(c, p + STP_OFF_TIMES + 4) / STP_TIME_BASE,
		get_be16(c, p + STP_OFF_TIMES + 6) / STP_TIME_BASE);
}

/* 802.1D 9.3.1 configuration BPDU (and the RSTP BPDU's same fields). */
static void stp_config(struct pctx *c, const uint8_t *p, unsigned len, unsigned version)
{
	unsigned flags = get_u8(c, p + STP_OFF_FLAGS);
	out_str(c, ", Flags [");
	stp_flags(c, flags);
	out_char(c, ']');
	pc_need(c, p + STP_OFF_BRIDGE_ID, STP_BRIDGE_ID_LEN + 2);
	out_str(c, ", bridge-id ");
	stp_bridge_id(c, p + STP_OFF_BRIDGE_ID);
	out_fmt(c, ".%04x, length %u", get_be16(c, p + STP_OFF_PORT_ID), len);
	if (!c->o->vflag)
		return;
	stp_times(c, p);
	pc_need(c, p + STP_OFF_ROOT_ID, STP_BRIDGE_ID_LEN + 4);
	out_str(c, "\n\troot-id ");
	stp_bridge_id(c, p + STP_OFF_ROOT_ID);
	out_fmt(c, ", root-pathcost %u", get_be32(c, p + STP_OFF_ROOT_COST));
	if (version == STP_PROTO_RAPID)
		out_fmt(c, ", port-role %s", stp_port_role(flags));
}

/* tcpdump's nd_printjnp: up to N bytes, stopping at a NUL, cat -v style. */
static void stp_printjnp(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n && get_u8(c, p + i); i++)
		out_printjn(c, p + i, 1);
}

/* 802.1Q-2003 14.6.1: one MSTI configuration message. */
static void stp_msti(struct pctx *c, const uint8_t *m)
{
	unsigned id = get_be16(c, m + MSTI_OFF_ROOT_ID) & 0x0fff, flags = get_u8(c, m);
	out_fmt(c, "\n\tMSTI %u, Flags [", id);
	stp_flags(c, flags);
	out_fmt(c, "], port-role %s", stp_port_role(flags));
	pc_need(c, m + MSTI_OFF_ROOT_ID, STP_BRIDGE_ID_LEN + 4);
	out_str(c, "\n\t\tMSTI regional-root-id ");
	stp_bridge_id(c, m + MSTI_OFF_ROOT_ID);
	out_fmt(c, ", pathcost %u", get_be32(c, m + MSTI_OFF_ROOT_COST));
	pc_need(c, m + MSTI_OFF_BRIDGE_PRIO, 3);
	out_fmt(c, "\n\t\tMSTI bridge-prio %u, port-prio %u, hops %u", m[MSTI_OFF_BRIDGE_PRIO] >> 4,
		m[MSTI_OFF_PORT_PRIO] >> 4, m[MSTI_OFF_HOPS]);
}

/* 802.1Q-2003 14.6: the MST BPDU (CIST fields, then each MSTI). */
static void stp_mstp(struct pctx *c, const uint8_t *p, unsigned len)
{
	unsigned flags = get_u8(c, p + STP_OFF_FLAGS);
	out_str(c, ", CIST Flags [");
	stp_flags(c, flags);
	out_fmt(c, "], length %u", len);
	if (!c->o->vflag)
		return;
	out_fmt(c, "\n\tport-role %s, ", stp_port_role(flags));
	pc_need(c, p + STP_OFF_ROOT_ID, STP_BRIDGE_ID_LEN + 4);
	out_str(c, "CIST root-id ");
	stp_bridge_id(c, p + STP_OFF_ROOT_ID);
	out_fmt(c, ", CIST ext-pathcost %u", get_be32(c, p + STP_OFF_ROOT_COST));
	pc_need(c, p + STP_OFF_BRIDGE_ID, STP_BRIDGE_ID_LEN);
	out_str(c, "\n\tCIST regional-root-id ");
	stp_bridge_id(c, p + STP_OFF_BRIDGE_ID);
	out_str(c, ", ");
	out_fmt(c, "CIST port-id %04x,", get_be16(c, p + STP_OFF_PORT_ID));
	stp_times(c, p);
	unsigned v3len = get_be16(c, p + MST_OFF_V3_LENGTH);
	out_fmt(c, "\n\tv3len %u, MCID Name ", v3len);
	stp_printjnp(c, p + MST_OFF_CONFIG_NAME, MST_CONFIG_NAME_LEN);
	pc_need(c, p + MST_OFF_CONFIG_REV, 2 + 16);
	const uint8_t *d = p + MST_OFF_CONFIG_DIGEST;
	out_fmt(c, ", rev %u,\n\t\tdigest %08x%08x%08x%08x, ", get_be16(c, p + MST_OFF_CONFIG_REV),
		get_be32(c, d), get_be32(c, d + 4), get_be32(c, d + 8), get_be32(c, d + 12));
	out_fmt(c, "CIST int-root-pathcost %u,", get_be32(c, p + MST_OFF_CIST_INT_COST));
	pc_need(c, p + MST_OFF_CIST_BRIDGE_ID, STP_BRIDGE_ID_LEN);
	out_str(c, "\n\tCIST bridge-id ");
	stp_bridge_id(c, p + MST_OFF_CIST_BRIDGE_ID);
	out_str(c, ", ");
	out_fmt(c, "CIST remaining-hops %u", get_u8(c, p + MST_OFF_CIST_HOPS));
	if (v3len <= MST_CONFIG_INFO_LEN)
		return;
	for (unsigned left = v3len - MST_CONFIG_INFO_LEN, off = MST_OFF_MSTI; left >= MST_MSTI_LEN;
	     left -= MST_MSTI_LEN, off += MST_MSTI_LEN)
		stp_msti(c, p + off);
}

/* 802.1aq 14.4: the SPB fields at S (the v4 length), -v only. */
static void stp_spb(struct pctx *c, const uint8_t *s)
{
	if (!c->o->vflag)
		return;
	out_fmt(c, "\n\tv4len %u, AUXMCID Name ", get_be16(c, s));
	stp_printjnp(c, s + SPB_OFF_CONFIG_NAME, MST_CONFIG_NAME_LEN);
	pc_need(c, s + SPB_OFF_CONFIG_REV, 2 + 16);
	const uint8_t *d = s + SPB_OFF_CONFIG_DIGEST;
	out_fmt(c, ", Rev %u,\n\t\tdigest %08x%08x%08x%08x", get_be16(c, s + SPB_OFF_CONFIG_REV),
		get_be32(c, d), get_be32(c, d + 4), get_be32(c, d + 8), get_be32(c, d + 12));
	const uint8_t *ad = s + SPB_OFF_AGREEMENT_DIGEST;
	pc_need(c, s + SPB_OFF_AGREEMENT, SPB_OFF_AGREEMENT_DIGEST + 4 * SPB_AGREEMENT_DIGEST_WORDS - SPB_OFF_AGREEMENT);
	unsigned agr = s[SPB_OFF_AGREEMENT], fmt = s[SPB_OFF_FORMAT], conv = s[SPB_OFF_CONVENTION];
	out_fmt(c, "\n\tAgreement num %u, Discarded Agreement num %u, Agreement valid-flag %u,"
		   "\n\tRestricted role-flag: %u, Format id %u cap %u, Convention id %u cap %u,"
		   "\n\tEdge count %u, Agreement digest %08x%08x%08x%08x%08x",
		agr >> 6, agr >> 4 & 0x3, agr >> 3 & 0x1, agr >> 2 & 0x1, fmt >> 4, fmt, conv >> 4, conv,
		get_be16(c, s + SPB_OFF_EDGE_COUNT), get_be32(c, ad), get_be32(c, ad + 4),
		get_be32(c, ad + 8), get_be32(c, ad + 12), get_be32(c, ad + 16));
}

/* An 802.1s/802.1aq BPDU of type 2: tcpdump's length checks, then the
 * MST part and, for SPB, its extension. 0 when invalid. */
static int stp_mstp_or_spb(struct pctx *c, const uint8_t *p, unsigned len, unsigned version)
{
	if (len < MST_MIN_LEN || get_u8(c, p + STP_OFF_V1_LENGTH) != 0)
		return 0;
	unsigned mst_len = get_be16(c, p + MST_OFF_V3_LENGTH) + 2u; /* with the length field */
	if (len < STP_BPDU_LEN + mst_len)
		return 0;
	stp_mstp(c, p, len);
	if (version != STP_PROTO_SPB)
		return 1;
	const uint8_t *s = p + STP_BPDU_LEN + mst_len;
	unsigned spb_len = get_be16(c, s) + 2u;
	if (len < STP_BPDU_LEN + mst_len + spb_len || spb_len < SPB_MIN_LEN)
		return 0;
	stp_spb(c, s);
	return 1;
}

/* The BPDU body after its type: 0 when tcpdump calls it invalid. */
static int stp_body(struct pctx *c, const uint8_t *p, unsigned len, unsigned version, unsigned type)
{
	switch (type) {
	case STP_BPDU_CONFIG:
		if (len < STP_BPDU_LEN - 1)
			return 0;
		stp_config(c, p, len, version);
		return 1;
	case STP_BPDU_RSTP:
		if (version == STP_PROTO_RAPID) {
			if (len < STP_BPDU_LEN)
				return 0;
			stp_config(c, p, len, version);
			return 1;
		}
		if (version == STP_PROTO_MSTP || version == STP_PROTO_SPB)
			return stp_mstp_or_spb(c, p, len, version);
		return 1;
	default: /* Topology Change: no body; unknown types: nothing more */
		return 1;
	}
}

void print_stp(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->proto = "stp";
	c->last = "stp";
	if (len < 4) {
		out_invalid(c);
		return;
	}
	if (get_be16(c, p) != 0) {
		out_fmt(c, "unknown STP version, length %u", len);
		return;
	}
	unsigned version = get_u8(c, p + STP_OFF_VERSION);
	char buf[40];
	out_str(c, "STP ");
	out_str(c, tok2str(stp_versions, "Unknown STP protocol (0x%02x)", version, buf, sizeof(buf)));
	if (!tok_find(stp_versions, version))
		return;
	unsigned type = get_u8(c, p + STP_OFF_TYPE);
	out_str(c, ", ");
	out_str(c, tok2str(stp_bpdu_types, "Unknown BPDU Type (0x%02x)", type, buf, sizeof(buf)));
	if (!stp_body(c, p, len, version, type))
		out_invalid(c);
}
