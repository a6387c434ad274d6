/* capture/print_mpcp.c: the IEEE 802.3ah (clause 64) Multi-Point Control
 * Protocol, EtherType 0x8808, as tcpdump 4.99's print-mpcp.c prints it. */
#include "print_ether_app.h"

/* IEEE 802.3ah 64.3.6: the MPCPDU opcodes. */
#define MPCP_OPCODE_PAUSE 1
#define MPCP_OPCODE_GATE 2
#define MPCP_OPCODE_REPORT 3
#define MPCP_OPCODE_REG_REQ 4
#define MPCP_OPCODE_REG 5
#define MPCP_OPCODE_REG_ACK 6

#define MPCP_COMMON_LEN 6       /* opcode, timestamp */
#define MPCP_GRANT_LEN 6        /* start time, duration */
#define MPCP_GRANT_NUMBER_MASK 0x7

static const struct tok mpcp_opcodes[] = {
	{ MPCP_OPCODE_PAUSE, "Pause" },
	{ MPCP_OPCODE_GATE, "Gate" },
	{ MPCP_OPCODE_REPORT, "Report" },
	{ MPCP_OPCODE_REG_REQ, "Register Request" },
	{ MPCP_OPCODE_REG, "Register" },
	{ MPCP_OPCODE_REG_ACK, "Register ACK" },
	{ 0, NULL },
};

static const struct tok mpcp_grant_flags[] = {
	{ 0x08, "Discovery" },      { 0x10, "Force Grant #1" }, { 0x20, "Force Grant #2" },
	{ 0x40, "Force Grant #3" }, { 0x80, "Force Grant #4" }, { 0, NULL },
};

static const struct tok mpcp_report_bitmap[] = {
	{ 0x01, "Q0" }, { 0x02, "Q1" }, { 0x04, "Q2" }, { 0x08, "Q3" },
	{ 0x10, "Q4" }, { 0x20, "Q5" }, { 0x40, "Q6" }, { 0x80, "Q7" }, { 0, NULL },
};

static const struct tok mpcp_reg_req_flags[] = {
	{ 1, "Register" }, { 3, "De-Register" }, { 0, NULL },
};

static const struct tok mpcp_reg_flags[] = {
	{ 1, "Re-Register" }, { 2, "De-Register" }, { 3, "ACK" }, { 4, "NACK" }, { 0, NULL },
};

static const struct tok mpcp_reg_ack_flags[] = {
	{ 0, "NACK" }, { 1, "ACK" }, { 0, NULL },
};

/* tcpdump 4.99's bittok2str: every nonzero value whose bits are all
 * set in V, ", " between; DFLT when none. */
static void mpcp_bits(struct pctx *c, const struct tok *t, unsigned v, const char *dflt)
{
	const char *sep = "";
	for (; t->s; t++)
		if (t->v && (v & t->v) == t->v) {
			out_str(c, sep);
			out_str(c, t->s);
			sep = ", ";
		}
	if (!*sep)
		out_str(c, dflt);
}

/* 64.3.6.1 GATE: grant count and flags, each grant, the sync time. */
static void mpcp_gate(struct pctx *c, const uint8_t *p)
{
	unsigned info = get_u8(c, p);
	unsigned grants = info & MPCP_GRANT_NUMBER_MASK;
	out_fmt(c, "\n\tGrant Numbers %u, Flags [ ", grants);
	mpcp_bits(c, mpcp_grant_flags, info & ~MPCP_GRANT_NUMBER_MASK & 0xff, "?");
	out_str(c, " ]");
	p++;
	for (unsigned g = 1; g <= grants; g++, p += MPCP_GRANT_LEN) {
		pc_need(c, p, MPCP_GRANT_LEN);
		out_fmt(c, "\n\tGrant #%u, Start-Time %u ticks, duration %u ticks", g, get_be32(c, p),
			get_be16(c, p + 4));
	}
	out_fmt(c, "\n\tSync-Time %u ticks", get_be16(c, p));
}

/* 64.3.6.2 REPORT: tcpdump walks queue sets 1..n-1 and labels each with
 * the set count (its own numbering quirk, kept). */
static void mpcp_report(struct pctx *c, const uint8_t *p)
{
	unsigned sets = get_u8(c, p++);
	out_fmt(c, "\n\tTotal Queue-Sets %u", sets);
	for (unsigned set = 1; set < sets; set++) {
		unsigned bitmap = get_u8(c, p++);
		out_fmt(c, "\n\t  Queue-Set #%u, Report-Bitmap [ ", sets);
		mpcp_bits(c, mpcp_report_bitmap, bitmap, "Unknown");
		out_str(c, " ]");
		for (unsigned q = 1; bitmap; q++, bitmap >>= 1) {
			if (!(bitmap & 1))
				continue;
			out_fmt(c, "\n\t    Q%u Report, Duration %u ticks", q, get_be16(c, p));
			p += 2;
		}
	}
}

/* The opcode-specific fields tcpdump shows with -v. */
static void mpcp_body(struct pctx *c, unsigned opcode, const uint8_t *pdu, unsigned len)
{
	const uint8_t *p = pdu + MPCP_COMMON_LEN;
	switch (opcode) {
	case MPCP_OPCODE_PAUSE:
		break;
	case MPCP_OPCODE_GATE:
		mpcp_gate(c, p);
		break;
	case MPCP_OPCODE_REPORT:
		mpcp_report(c, p);
		break;
	case MPCP_OPCODE_REG_REQ: /* 64.3.6.3: flags, pending grants */
		pc_need(c, p, 2);
		out_str(c, "\n\tFlags [ ");
		mpcp_bits(c, mpcp_reg_req_flags, p[0], "Reserved");
		out_fmt(c, " ], Pending-Grants %u", p[1]);
		break;
	case MPCP_OPCODE_REG: /* 64.3.6.4: port, flags, sync time, grants */
		pc_need(c, p, 6);
		out_fmt(c, "\n\tAssigned-Port %u, Flags [ ", get_be16(c, p));
		mpcp_bits(c, mpcp_reg_flags, p[2], "Reserved");
		out_fmt(c, " ]\n\tSync-Time %u ticks, Echoed-Pending-Grants %u", get_be16(c, p + 3), p[5]);
		break;
	case MPCP_OPCODE_REG_ACK: /* 64.3.6.5: flags, echoed port and sync time */
		pc_need(c, p, 5);
		out_fmt(c, "\n\tEchoed-Assigned-Port %u, Flags [ ", get_be16(c, p + 1));
		mpcp_bits(c, mpcp_reg_ack_flags, p[0], "Reserved");
		out_fmt(c, " ]\n\tEchoed-Sync-Time %u ticks", get_be16(c, p + 3));
		break;
	default: { /* tcpdump's print_unknown_data: the PDU, clipped silently */
		size_t n = pc_avail(c, pdu);
		out_hex_ident(c, "\n\t", pdu, n < len ? n : len);
		break;
	}
	}
}

void print_mpcp(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->proto = "mpcp";
	c->last = "mpcp";
	pc_need(c, p, MPCP_COMMON_LEN);
	unsigned opcode = get_be16(c, p);
	char buf[24];
	out_fmt(c, "MPCP, Opcode %s", tok2str(mpcp_opcodes, "Unknown (%u)", opcode, buf, sizeof(buf)));
	if (opcode != MPCP_OPCODE_PAUSE)
		out_fmt(c, ", Timestamp %u ticks", get_be32(c, p + 2));
	out_fmt(c, ", length %u", len);
	if (c->o->vflag)
		mpcp_body(c, opcode, p, len);
}
