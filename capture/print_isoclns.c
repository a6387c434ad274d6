/* capture/print_isoclns.c: the ISO network layer carried on the OSI
 * SAP, dispatched by its NLPID (ISO/TR 9577), as tcpdump 4.99's
 * print-isoclns.c prints it. IS-IS (ISO 10589): the common header's
 * sanity checks and each PDU's one-line summary; CLNP (ISO 8473): the
 * header checks and the one-line summary; ES-IS (ISO 9542) likewise.
 * The -v details of the three are not decoded yet: those lines keep
 * the unclaimed "llc" tag. */
#include "print_llc.h"

/* ISO/TR 9577 network layer protocol identifiers. */
#define NLPID_NULLNS 0x00
#define NLPID_CLNP   0x81
#define NLPID_ESIS   0x82
#define NLPID_ISIS   0x83
#define NLPID_IP6    0x8e
#define NLPID_IP     0xcc

/* tcpdump's nlpid_values. */
static const struct tok nlpid_names[] = {
	{ NLPID_NULLNS, "NULL" }, { 0x08, "Q.933" },  { 0x09, "LMI" },     { 0x80, "SNAP" },
	{ NLPID_CLNP, "CLNP" },   { NLPID_ESIS, "ES-IS" }, { NLPID_ISIS, "IS-IS" }, { 0x84, "CONS" },
	{ 0x85, "IDRP" },         { 0xb1, "FRF.15" }, { NLPID_IP, "IPv4" }, { 0xcf, "PPP" },
	{ 0x8a, "X25 ES-IS" },    { NLPID_IP6, "IPv6" },
	{ 0, NULL },
};

/* An NSAP address (ISO 8348) as tcpdump's isonsap_string: hex digits,
 * a dot after the first byte and then after every other one. */
#define ISONSAP_MAX_LENGTH 20
static void isonsap(struct pctx *c, const uint8_t *p, unsigned len)
{
	if (len < 1 || len > ISONSAP_MAX_LENGTH) {
		out_str(c, "isonsap_string: illegal length");
		return;
	}
	pc_need(c, p, len);
	for (unsigned i = 0; i < len; i++)
		out_fmt(c, (i & 1) == 0 && i + 1 < len ? "%02x." : "%02x", p[i]);
}

/* ---- CLNP (ISO 8473-1 7.2) ---------------------------------------------- */

#define CLNP_VERSION       1
#define CLNP_FIXED_HDR     9 /* NLPID, length indicator, version, lifetime,
                                type, segment length, checksum */
#define CLNP_PDU_TYPE_MASK 0x1f

static const struct tok clnp_pdu_names[] = {
	{ 1, "Error Report" }, { 29, "MD" }, { 28, "Data" }, { 30, "Echo Request" }, { 31, "Echo Response" },
	{ 0, NULL },
};

/* One address of the address part: its length byte, then the NSAP. 0
 * when the header's length indicator leaves no room for it. */
static const uint8_t *clnp_address(struct pctx *c, const uint8_t *p, unsigned *li_remaining, unsigned *len)
{
	if (*li_remaining < 1)
		return NULL;
	*len = get_u8(c, p);
	*li_remaining -= 1;
	if (*li_remaining < *len)
		return NULL;
	*li_remaining -= *len;
	return p + 1;
}

/* tcpdump's clnp_print: the header checks and the one-line summary;
 * -v (header fields, options, the PDU's data) is not decoded yet. 0
 * when the caller should dump the PDU. */
static int clnp_print(struct pctx *c, const uint8_t *p, unsigned length)
{
	c->proto = "clnp";
	c->last = "clnp";
	if (!pc_has(c, p, CLNP_FIXED_HDR)) {
		out_trunc(c);
		return 1;
	}
	unsigned li = get_u8(c, p + 1), version = get_u8(c, p + 2);
	if (!c->o->eflag)
		out_str(c, "CLNP");
	if (version != CLNP_VERSION) {
		out_fmt(c, "version %u packet not supported", version);
		return 0;
	}
	if (li > length) {
		out_fmt(c, " length indicator(%u) > PDU size (%u)!", li, length);
		return 0;
	}
	if (li < CLNP_FIXED_HDR) {
		out_fmt(c, " length indicator %u < min PDU size:", li);
		for (const uint8_t *q = p; q < c->snapend; q++)
			out_fmt(c, "%02X", *q);
		return 0;
	}
	unsigned type = get_u8(c, p + 4) & CLNP_PDU_TYPE_MASK;
	unsigned li_remaining = li - CLNP_FIXED_HDR, dst_len, src_len;
	const uint8_t *dst = clnp_address(c, p + CLNP_FIXED_HDR, &li_remaining, &dst_len);
	if (dst)
		pc_need(c, dst, dst_len);
	const uint8_t *src = dst ? clnp_address(c, dst + dst_len, &li_remaining, &src_len) : NULL;
	if (!src) {
		out_str(c, "li < size of fixed part of CLNP header and addresses");
		return 0;
	}
	pc_need(c, src, src_len);
	if (c->o->vflag) {
		c->last = "llc"; /* not decoded yet (unclaimed) */
		return 0;
	}
	out_str(c, c->o->eflag ? "" : ", ");
	isonsap(c, src, src_len);
	out_str(c, " > ");
	isonsap(c, dst, dst_len);
	char buf[24];
	out_fmt(c, ", %s, length %u", tok2str(clnp_pdu_names, "unknown (%u)", type, buf, sizeof(buf)), length);
	return 1;
}

/* ---- ES-IS (ISO 9542 9) -------------------------------------------------- */

#define ESIS_VERSION       1
#define ESIS_FIXED_HDR     9 /* NLPID, length indicator, version, reserved,
                                type, holding time, checksum */
#define ESIS_PDU_TYPE_MASK 0x1f

static const struct tok esis_pdu_names[] = {
	{ 6, "redirect" }, { 2, "ESH" }, { 4, "ISH" }, { 0, NULL },
};

/* tcpdump's esis_print: the header checks and the one-line summary; the
 * -v fields, addresses and options are not decoded yet (tagged "llc"). */
static void esis_print(struct pctx *c, const uint8_t *p, unsigned length)
{
	c->proto = "esis";
	c->last = "esis";
	if (!c->o->eflag)
		out_str(c, "ES-IS");
	if (length <= 2) {
		out_str(c, c->o->qflag ? "bad pkt!" : "no header at all!");
		return;
	}
	if (!pc_has(c, p, ESIS_FIXED_HDR)) {
		out_trunc(c);
		return;
	}
	unsigned li = get_u8(c, p + 1), version = get_u8(c, p + 2);
	if (version != ESIS_VERSION) {
		out_fmt(c, " version %u packet not supported", version);
		return;
	}
	if (li > length) {
		out_fmt(c, " length indicator(%u) > PDU size (%u)!", li, length);
		return;
	}
	if (li < ESIS_FIXED_HDR + 2) {
		out_fmt(c, " length indicator %u < min PDU size:", li);
		for (const uint8_t *q = p; q < c->snapend; q++)
			out_fmt(c, "%02X", *q);
		return;
	}
	if (c->o->vflag) {
		c->last = "llc"; /* not decoded yet (unclaimed) */
		llc_unknown_data(c, p, "\n\t", length);
		return;
	}
	char buf[32];
	out_fmt(c, "%s%s, length %u", c->o->eflag ? "" : ", ",
		tok2str(esis_pdu_names, "unknown type (%u)", get_u8(c, p + 4) & ESIS_PDU_TYPE_MASK, buf, sizeof(buf)),
		length);
}

/* ---- IS-IS (ISO 10589 9.5-9.13) ----------------------------------------- */

#define ISIS_VERSION      1
#define ISIS_COMMON_HDR   8 /* NLPID, header length, version, id length,
                               PDU type, version, reserved, max areas */
#define SYSTEM_ID_LEN     6
#define NODE_ID_LEN       (SYSTEM_ID_LEN + 1)
#define LSP_ID_LEN        (SYSTEM_ID_LEN + 2)
#define ISIS_PDU_TYPE_MASK 0x1f

/* The PDU-specific fixed header lengths (after the common header). */
#define ISIS_IIH_LAN_HDR 19
#define ISIS_IIH_PTP_HDR 12
#define ISIS_LSP_HDR     19
#define ISIS_CSNP_HDR    25
#define ISIS_PSNP_HDR    9

enum {
	ISIS_PDU_L1_LAN_IIH = 15, ISIS_PDU_L2_LAN_IIH = 16, ISIS_PDU_PTP_IIH = 17,
	ISIS_PDU_L1_LSP = 18, ISIS_PDU_L2_LSP = 20, ISIS_PDU_L1_CSNP = 24,
	ISIS_PDU_L2_CSNP = 25, ISIS_PDU_L1_PSNP = 26, ISIS_PDU_L2_PSNP = 27,
};

static const struct tok isis_pdu_names[] = {
	{ ISIS_PDU_L1_LAN_IIH, "L1 Lan IIH" }, { ISIS_PDU_L2_LAN_IIH, "L2 Lan IIH" },
	{ ISIS_PDU_PTP_IIH, "p2p IIH" },       { ISIS_PDU_L1_LSP, "L1 LSP" },
	{ ISIS_PDU_L2_LSP, "L2 LSP" },         { ISIS_PDU_L1_CSNP, "L1 CSNP" },
	{ ISIS_PDU_L2_CSNP, "L2 CSNP" },       { ISIS_PDU_L1_PSNP, "L1 PSNP" },
	{ ISIS_PDU_L2_PSNP, "L2 PSNP" },
	{ 0, NULL },
};

/* A system, node or LSP identifier: xxxx.xxxx.xxxx[.nn[-ff]]. */
static void isis_id(struct pctx *c, const uint8_t *p, unsigned id_len)
{
	for (unsigned i = 0; i < SYSTEM_ID_LEN; i++) {
		uint8_t b = get_u8(c, p + i);
		out_fmt(c, i == 2 || i == 4 ? ".%02x" : "%02x", b);
	}
	if (id_len >= NODE_ID_LEN)
		out_fmt(c, ".%02x", get_u8(c, p + SYSTEM_ID_LEN));
	if (id_len == LSP_ID_LEN)
		out_fmt(c, "-%02x", get_u8(c, p + NODE_ID_LEN));
}

/* The common header checks (ISO 10589 9.5): 0 with the reason printed
 * when tcpdump rejects the PDU. */
static int isis_header_ok(struct pctx *c, const uint8_t *p, unsigned length)
{
	unsigned version = get_u8(c, p + 2), id_length = get_u8(c, p + 3);
	if (version != ISIS_VERSION) {
		out_fmt(c, "version %u packet not supported", version);
		return 0;
	}
	if (id_length != SYSTEM_ID_LEN && id_length != 0) {
		out_fmt(c, "system ID length of %u is not supported", id_length);
		return 0;
	}
	unsigned pdu_version = get_u8(c, p + 5);
	if (pdu_version != ISIS_VERSION) {
		out_fmt(c, "version %u packet not supported", pdu_version);
		return 0;
	}
	unsigned fixed_len = get_u8(c, p + 1);
	if (length < fixed_len) {
		out_fmt(c, "fixed header length %u > packet length %u", fixed_len, length);
		return 0;
	}
	if (fixed_len < ISIS_COMMON_HDR) {
		out_fmt(c, "fixed header length %u < minimum header size %u", fixed_len, ISIS_COMMON_HDR);
		return 0;
	}
	if (get_u8(c, p + 7) == 255) {
		out_str(c, "bad packet -- 255 areas");
		return 0;
	}
	return 1;
}

/* The non-verbose summary of a PDU type with a fixed header: 1 if
 * printed, 0 when tcpdump rejects the header length. */
static int isis_brief(struct pctx *c, unsigned type, const uint8_t *h, unsigned fixed_len, unsigned length)
{
	unsigned want;
	switch (type) {
	case ISIS_PDU_L1_LAN_IIH: case ISIS_PDU_L2_LAN_IIH: want = ISIS_IIH_LAN_HDR; break;
	case ISIS_PDU_PTP_IIH: want = ISIS_IIH_PTP_HDR; break;
	case ISIS_PDU_L1_LSP: case ISIS_PDU_L2_LSP: want = ISIS_LSP_HDR; break;
	case ISIS_PDU_L1_CSNP: case ISIS_PDU_L2_CSNP: want = ISIS_CSNP_HDR; break;
	default: want = ISIS_PSNP_HDR; break;
	}
	if (fixed_len != ISIS_COMMON_HDR + want) {
		/* tcpdump's LSP message names the LSP header size alone, its
		 * PSNP message starts with a dash */
		int lsp = type == ISIS_PDU_L1_LSP || type == ISIS_PDU_L2_LSP;
		int psnp = type == ISIS_PDU_L1_PSNP || type == ISIS_PDU_L2_PSNP;
		out_fmt(c, "%s bogus fixed header length %u should be %u", psnp ? "-" : ",", fixed_len,
			lsp ? want : ISIS_COMMON_HDR + want);
		return 0;
	}
	/* tcpdump's ND_TCHECK here ends the PDU, not the packet */
	if (!pc_has(c, h, want) || length < ISIS_COMMON_HDR + want) {
		out_trunc(c);
		return 1;
	}
	if (c->o->vflag) {
		/* the -v header fields and TLVs: not decoded by bpfcap yet */
		c->last = "llc"; /* not decoded yet (unclaimed) */
		return 1;
	}
	switch (type) {
	case ISIS_PDU_L1_LAN_IIH:
	case ISIS_PDU_L2_LAN_IIH:
		out_str(c, ", src-id ");
		isis_id(c, h + 1, SYSTEM_ID_LEN);
		out_str(c, ", lan-id ");
		isis_id(c, h + 12, NODE_ID_LEN);
		out_fmt(c, ", prio %u", get_u8(c, h + 11));
		break;
	case ISIS_PDU_PTP_IIH:
		out_str(c, ", src-id ");
		isis_id(c, h + 1, SYSTEM_ID_LEN);
		break;
	case ISIS_PDU_L1_LSP:
	case ISIS_PDU_L2_LSP:
		out_str(c, ", lsp-id ");
		isis_id(c, h + 4, LSP_ID_LEN);
		out_fmt(c, ", seq 0x%08x, lifetime %5us", get_be32(c, h + 12), get_be16(c, h + 2));
		break;
	default: /* CSNP, PSNP */
		out_str(c, ", src-id ");
		isis_id(c, h + 2, NODE_ID_LEN);
		break;
	}
	out_fmt(c, ", length %u", length);
	return 1;
}

/* tcpdump's isis_print: 0 when the caller should dump the PDU. */
static int isis_print(struct pctx *c, const uint8_t *p, unsigned length)
{
	c->proto = "isis";
	c->last = "isis";
	if (!pc_has(c, p, ISIS_COMMON_HDR) || length < ISIS_COMMON_HDR) {
		out_trunc(c);
		return 1;
	}
	if (!c->o->eflag)
		out_str(c, "IS-IS");
	if (!isis_header_ok(c, p, length))
		return 0;
	unsigned id_length = get_u8(c, p + 3), max_area = get_u8(c, p + 7);
	unsigned fixed_len = get_u8(c, p + 1), type = get_u8(c, p + 4);
	unsigned pdu_type = type;
	char buf[32];
	const char *sep = c->o->eflag ? "" : ", ";
	if (!c->o->vflag) {
		out_fmt(c, "%s%s", sep, tok2str(isis_pdu_names, "unknown PDU-Type %u", pdu_type, buf, sizeof(buf)));
	} else {
		out_fmt(c, "%slength %u", sep, length);
		out_fmt(c, "\n\t%s, hlen: %u, v: %u, pdu-v: %u, sys-id-len: %u (%u), max-area: %u (%u)",
			tok2str(isis_pdu_names, "unknown, type %u", pdu_type, buf, sizeof(buf)), fixed_len,
			get_u8(c, p + 2), get_u8(c, p + 5), SYSTEM_ID_LEN, id_length,
			max_area ? max_area : 3, max_area);
		if (c->o->vflag > 1)
			llc_unknown_data(c, p, "\n\t", 8);
	}
	const uint8_t *h = p + ISIS_COMMON_HDR;
	if (!tok_find(isis_pdu_names, pdu_type)) {
		if (!c->o->vflag) {
			out_fmt(c, ", length %u", length);
			return 1;
		}
		llc_unknown_data(c, h, "\n\t  ", length);
		return 0;
	}
	return isis_brief(c, pdu_type, h, fixed_len, length);
}

void print_isoclns(struct pctx *c, const uint8_t *p, unsigned length)
{
	c->proto = "isoclns";
	c->last = "osi";
	unsigned nlpid = get_u8(c, p);
	char buf[16];
	if (c->o->eflag)
		out_fmt(c, "OSI NLPID %s (0x%02x): ", tok2str(nlpid_names, "Unknown", nlpid, buf, sizeof(buf)), nlpid);
	switch (nlpid) {
	case NLPID_ISIS:
		if (!isis_print(c, p, length))
			llc_unknown_data(c, p, "\n\t", length);
		break;
	case NLPID_NULLNS:
		out_fmt(c, "%slength: %u", c->o->eflag ? "" : ", ", length);
		break;
	case NLPID_IP:
		print_ip(c, p + 1, length - 1);
		break;
	case NLPID_IP6:
		print_ip6(c, p + 1, length - 1);
		break;
	case NLPID_CLNP:
		if (!clnp_print(c, p, length))
			llc_unknown_data(c, p, "\n\t", length);
		break;
	case NLPID_ESIS:
		esis_print(c, p, length);
		break;
	case 0x08: /* Q.933 */
	case 0xcf: /* PPP */
		/* tcpdump decodes these; bpfcap not yet */
		c->last = "llc"; /* not decoded yet (unclaimed) */
		llc_unknown_data(c, p, "\n\t", length);
		break;
	default:
		if (!c->o->eflag)
			out_fmt(c, "OSI NLPID 0x%02x unknown", nlpid);
		out_fmt(c, "%slength: %u", c->o->eflag ? "" : ", ", length);
		if (length > 1)
			llc_unknown_data(c, p, "\n\t", length);
		break;
	}
}
