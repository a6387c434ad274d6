/* capture/print_pptp.c: PPTP control messages (RFC 2637 2) as tcpdump
 * 4.99.3's print-pptp.c prints them: the common header, then each
 * message's fields in wire order, NAME(value). */
#include "print_get.h"

#define PPTP_MSG_TYPE_CTRL 1
#define PPTP_MSG_TYPE_MGMT 2
#define PPTP_MAGIC_COOKIE 0x1a2b3c4d
#define PPTP_HDRLEN 12

/* RFC 2637 2: control message types. */
enum {
	PPTP_SCCRQ = 1,
	PPTP_SCCRP = 2,
	PPTP_StopCCRQ = 3,
	PPTP_StopCCRP = 4,
	PPTP_ECHORQ = 5,
	PPTP_ECHORP = 6,
	PPTP_OCRQ = 7,
	PPTP_OCRP = 8,
	PPTP_ICRQ = 9,
	PPTP_ICRP = 10,
	PPTP_ICCN = 11,
	PPTP_CCRQ = 12,
	PPTP_CDN = 13,
	PPTP_WEN = 14,
	PPTP_SLI = 15,
	PPTP_NMSGTYPES = 16,
};

static const char *const pptp_msg_names[PPTP_NMSGTYPES] = {
	"NOT_DEFINED", "SCCRQ", "SCCRP", "StopCCRQ", "StopCCRP", "ECHORQ", "ECHORP", "OCRQ",
	"OCRP",        "ICRQ",  "ICRP",  "ICCN",     "CCRQ",     "CDN",    "WEN",    "SLI",
};

/* ---- fields shared by several messages ---------------------------------- */

static void pptp_u16(struct pctx *c, const char *name, const uint8_t *p)
{
	out_fmt(c, " %s(%u)", name, get_be16(c, p));
}
static void pptp_u32(struct pctx *c, const char *name, const uint8_t *p)
{
	out_fmt(c, " %s(%u)", name, get_be32(c, p));
}

static void pptp_reserved8(struct pctx *c, const uint8_t *p)
{
	if (get_u8(c, p))
		out_fmt(c, " [ERROR: reserved=%u must be zero]", get_u8(c, p));
}
static void pptp_reserved16(struct pctx *c, const uint8_t *p)
{
	if (get_be16(c, p))
		out_fmt(c, " [ERROR: reserved=%u must be zero]", get_be16(c, p));
}

/* tcpdump's nd_printjnp: up to N characters, stopping at a NUL. */
static void pptp_string(struct pctx *c, const char *name, const uint8_t *p, unsigned n)
{
	out_fmt(c, " %s(", name);
	for (unsigned i = 0; i < n && get_u8(c, p + i); i++)
		out_printjn(c, p + i, 1);
	out_char(c, ')');
}

/* A NAME_LEN field then, later, the NAME itself cut at 64 bytes. */
static void pptp_counted_string(struct pctx *c, const char *name, const uint8_t *p, const uint8_t *lenp)
{
	unsigned n = get_be16(c, lenp);
	pptp_string(c, name, p, n < 64 ? n : 64);
}

static void pptp_proto_ver(struct pctx *c, const uint8_t *p)
{
	unsigned v = get_be16(c, p);
	out_fmt(c, " PROTO_VER(%u.%u)", v >> 8, v & 0xff);
}

static void pptp_framing_cap(struct pctx *c, const uint8_t *p)
{
	out_str(c, " FRAME_CAP("); /* tcpdump prints this before reading */
	uint32_t v = get_be32(c, p);
	out_fmt(c, "%s%s)", (v & 1) ? "A" : "", (v & 2) ? "S" : "");
}

static void pptp_bearer_cap(struct pctx *c, const uint8_t *p)
{
	uint32_t v = get_be32(c, p);
	out_fmt(c, " BEARER_CAP(%s%s)", (v & 2) ? "D" : "", (v & 1) ? "A" : "");
}

static void pptp_bearer_type(struct pctx *c, const uint8_t *p)
{
	static const struct tok names[] = { { 1, "A" }, { 2, "D" }, { 3, "Any" }, { 0, NULL } };
	char buf[8];
	out_fmt(c, " BEARER_TYPE(%s)", tok2str(names, "?", get_be32(c, p), buf, sizeof(buf)));
}

static void pptp_framing_type(struct pctx *c, const uint8_t *p)
{
	static const struct tok names[] = { { 1, "A" }, { 2, "S" }, { 3, "E" }, { 0, NULL } };
	char buf[8];
	out_fmt(c, " FRAME_TYPE(%s)", tok2str(names, "?", get_be32(c, p), buf, sizeof(buf)));
}

static void pptp_err_code(struct pctx *c, const uint8_t *p)
{
	static const struct tok names[] = {
		{ 0, "None" },        { 1, "Not-Connected" }, { 2, "Bad-Format" }, { 3, "Bad-Value" },
		{ 4, "No-Resource" }, { 5, "Bad-Call-ID" },   { 6, "PAC-Error" },  { 0, NULL },
	};
	unsigned v = get_u8(c, p);
	out_fmt(c, " ERR_CODE(%u", v);
	if (c->o->vflag) {
		char buf[8];
		out_fmt(c, ":%s", tok2str(names, "?", v, buf, sizeof(buf)));
	}
	out_char(c, ')');
}

/* RFC 2637 result codes, a table per message type. */
static const struct tok pptp_sccrp_results[] = {
	{ 1, "Successful channel establishment" },
	{ 2, "General error" },
	{ 3, "Command channel already exists" },
	{ 4, "Requester is not authorized to establish a command channel" },
	{ 5, "The protocol version of the requester is not supported" },
	{ 0, NULL },
};
static const struct tok pptp_echorp_results[] = { { 1, "OK" }, { 2, "General Error" }, { 0, NULL } };
static const struct tok pptp_ocrp_results[] = {
	{ 1, "Connected" }, { 2, "General Error" }, { 3, "No Carrier" },    { 4, "Busy" },
	{ 5, "No Dial Tone" }, { 6, "Time-out" }, { 7, "Do Not Accept" }, { 0, NULL },
};
static const struct tok pptp_icrp_results[] = {
	{ 1, "Connect" }, { 2, "General Error" }, { 3, "Do Not Accept" }, { 0, NULL },
};
static const struct tok pptp_cdn_results[] = {
	{ 1, "Lost Carrier" }, { 2, "General Error" }, { 3, "Admin Shutdown" }, { 4, "Request" }, { 0, NULL },
};

static void pptp_result_code(struct pctx *c, const uint8_t *p, const struct tok *names)
{
	unsigned v = get_u8(c, p);
	out_fmt(c, " RESULT_CODE(%u", v);
	if (c->o->vflag) {
		char buf[8];
		out_fmt(c, ":%s", tok2str(names, "?", v, buf, sizeof(buf)));
	}
	out_char(c, ')');
}

/* ---- messages (RFC 2637 2.1-2.16), P at the first field after the header */

/* SCCRQ and SCCRP share their layout but for the result/error bytes. */
static void pptp_sccr(struct pctx *c, const uint8_t *p, int reply)
{
	pptp_proto_ver(c, p);
	if (reply) {
		pptp_result_code(c, p + 2, pptp_sccrp_results);
		pptp_err_code(c, p + 3);
	} else {
		pptp_reserved16(c, p + 2);
	}
	pptp_framing_cap(c, p + 4);
	pptp_bearer_cap(c, p + 8);
	pptp_u16(c, "MAX_CHAN", p + 12);
	pptp_u16(c, "FIRM_REV", p + 14);
	pptp_string(c, "HOSTNAME", p + 16, 64);
	pptp_string(c, "VENDOR", p + 80, 64);
}

static void pptp_stopccrq(struct pctx *c, const uint8_t *p)
{
	static const struct tok reasons[] = {
		{ 1, "None" }, { 2, "Stop-Protocol" }, { 3, "Stop-Local-Shutdown" }, { 0, NULL },
	};
	unsigned v = get_u8(c, p);
	out_fmt(c, " REASON(%u", v);
	if (c->o->vflag) {
		char buf[24];
		out_fmt(c, ":%s", tok2str(reasons, "?", v, buf, sizeof(buf)));
	}
	out_char(c, ')');
	pptp_reserved8(c, p + 1);
	pptp_reserved16(c, p + 2);
}

static void pptp_ocrq(struct pctx *c, const uint8_t *p)
{
	pptp_u16(c, "CALL_ID", p);
	pptp_u16(c, "CALL_SER_NUM", p + 2);
	pptp_u32(c, "MIN_BPS", p + 4);
	pptp_u32(c, "MAX_BPS", p + 8);
	pptp_bearer_type(c, p + 12);
	pptp_framing_type(c, p + 16);
	pptp_u16(c, "RECV_WIN", p + 20);
	pptp_u16(c, "PROC_DELAY", p + 22);
	pptp_u16(c, "PHONE_NO_LEN", p + 24);
	pptp_reserved16(c, p + 26);
	pptp_counted_string(c, "PHONE_NO", p + 28, p + 24);
	pptp_string(c, "SUB_ADDR", p + 92, 64);
}

static void pptp_ocrp(struct pctx *c, const uint8_t *p)
{
	pptp_u16(c, "CALL_ID", p);
	pptp_u16(c, "PEER_CALL_ID", p + 2);
	pptp_result_code(c, p + 4, pptp_ocrp_results);
	pptp_err_code(c, p + 5);
	pptp_u16(c, "CAUSE_CODE", p + 6);
	pptp_u32(c, "CONN_SPEED", p + 8);
	pptp_u16(c, "RECV_WIN", p + 12);
	pptp_u16(c, "PROC_DELAY", p + 14);
	pptp_u32(c, "PHY_CHAN_ID", p + 16);
}

static void pptp_icrq(struct pctx *c, const uint8_t *p)
{
	pptp_u16(c, "CALL_ID", p);
	pptp_u16(c, "CALL_SER_NUM", p + 2);
	pptp_bearer_type(c, p + 4);
	pptp_u32(c, "PHY_CHAN_ID", p + 8);
	pptp_u16(c, "DIALED_NO_LEN", p + 12);
	pptp_u16(c, "DIALING_NO_LEN", p + 14);
	pptp_counted_string(c, "DIALED_NO", p + 16, p + 12);
	pptp_counted_string(c, "DIALING_NO", p + 80, p + 14);
	pptp_string(c, "SUB_ADDR", p + 144, 64);
}

static void pptp_icrp(struct pctx *c, const uint8_t *p)
{
	pptp_u16(c, "CALL_ID", p);
	pptp_u16(c, "PEER_CALL_ID", p + 2);
	pptp_result_code(c, p + 4, pptp_icrp_results);
	pptp_err_code(c, p + 5);
	pptp_u16(c, "RECV_WIN", p + 6);
	pptp_u16(c, "PROC_DELAY", p + 8);
	pptp_reserved16(c, p + 10);
}

static void pptp_iccn(struct pctx *c, const uint8_t *p)
{
	pptp_u16(c, "PEER_CALL_ID", p);
	pptp_reserved16(c, p + 2);
	pptp_u32(c, "CONN_SPEED", p + 4);
	pptp_u16(c, "RECV_WIN", p + 8);
	pptp_u16(c, "PROC_DELAY", p + 10);
	pptp_framing_type(c, p + 12);
}

static void pptp_cdn(struct pctx *c, const uint8_t *p)
{
	pptp_u16(c, "CALL_ID", p);
	pptp_result_code(c, p + 2, pptp_cdn_results);
	pptp_err_code(c, p + 3);
	pptp_u16(c, "CAUSE_CODE", p + 4);
	pptp_reserved16(c, p + 6);
	pptp_string(c, "CALL_STATS", p + 8, 128);
}

static void pptp_wen(struct pctx *c, const uint8_t *p)
{
	static const char *const counters[] = {
		"CRC_ERR", "FRAMING_ERR", "HARDWARE_OVERRUN", "BUFFER_OVERRUN", "TIMEOUT_ERR", "ALIGN_ERR",
	};
	pptp_u16(c, "PEER_CALL_ID", p);
	pptp_reserved16(c, p + 2);
	for (unsigned i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		pptp_u32(c, counters[i], p + 4 + 4 * i);
}

static void pptp_sli(struct pctx *c, const uint8_t *p)
{
	pptp_u16(c, "PEER_CALL_ID", p);
	pptp_reserved16(c, p + 2);
	out_fmt(c, " SEND_ACCM(0x%08x)", get_be32(c, p + 4));
	out_fmt(c, " RECV_ACCM(0x%08x)", get_be32(c, p + 8));
}

static void pptp_message(struct pctx *c, unsigned type, const uint8_t *p)
{
	switch (type) {
	case PPTP_SCCRQ:
		pptp_sccr(c, p, 0);
		break;
	case PPTP_SCCRP:
		pptp_sccr(c, p, 1);
		break;
	case PPTP_StopCCRQ:
		pptp_stopccrq(c, p);
		break;
	case PPTP_StopCCRP:
		pptp_result_code(c, p, pptp_echorp_results);
		pptp_err_code(c, p + 1);
		pptp_reserved16(c, p + 2);
		break;
	case PPTP_ECHORQ:
		pptp_u32(c, "ID", p);
		break;
	case PPTP_ECHORP:
		pptp_u32(c, "ID", p);
		pptp_result_code(c, p + 4, pptp_echorp_results);
		pptp_err_code(c, p + 5);
		pptp_reserved16(c, p + 6);
		break;
	case PPTP_OCRQ:
		pptp_ocrq(c, p);
		break;
	case PPTP_OCRP:
		pptp_ocrp(c, p);
		break;
	case PPTP_ICRQ:
		pptp_icrq(c, p);
		break;
	case PPTP_ICRP:
		pptp_icrp(c, p);
		break;
	case PPTP_ICCN:
		pptp_iccn(c, p);
		break;
	case PPTP_CCRQ:
		pptp_u16(c, "CALL_ID", p);
		pptp_reserved16(c, p + 2);
		break;
	case PPTP_CDN:
		pptp_cdn(c, p);
		break;
	case PPTP_WEN:
		pptp_wen(c, p);
		break;
	case PPTP_SLI:
		pptp_sli(c, p);
		break;
	default:
		break;
	}
}

void print_pptp(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->proto = "pptp";
	c->last = "pptp";
	out_str(c, ": pptp");
	if (c->o->vflag) {
		out_fmt(c, " Length=%u", get_be16(c, p));
		switch (get_be16(c, p + 2)) {
		case PPTP_MSG_TYPE_CTRL:
			out_str(c, " CTRL-MSG");
			break;
		case PPTP_MSG_TYPE_MGMT:
			out_str(c, " MGMT-MSG");
			break;
		default:
			out_str(c, " UNKNOWN-MSG-TYPE");
		}
	}
	uint32_t cookie = get_be32(c, p + 4);
	if (cookie != PPTP_MAGIC_COOKIE)
		out_fmt(c, " UNEXPECTED Magic-Cookie!!(%08x)", cookie);
	if (c->o->vflag || cookie != PPTP_MAGIC_COOKIE)
		out_fmt(c, " Magic-Cookie=%08x", cookie);
	unsigned type = get_be16(c, p + 8);
	if (type < PPTP_NMSGTYPES)
		out_fmt(c, " CTRL_MSGTYPE=%s", pptp_msg_names[type]);
	else
		out_fmt(c, " UNKNOWN_CTRL_MSGTYPE(%u)", type);
	pptp_reserved16(c, p + 10);
	pptp_message(c, type, p + PPTP_HDRLEN);
}
