/* capture/print_forces.c: ForCES (RFC 5810) messages as tcpdump 4.99's
 * print-forces.c prints them: the message type; at -v the common header
 * (6.1); at -vv its flags; then the walk of the top-level TLVs (LFB
 * selectors, operation TLVs, PATH-DATA and its FULLDATA, SPARSEDATA,
 * KEYINFO and RESULT TLVs, redirect and association TLVs, 7.x), whose
 * contents print at -vvv and whose errors print at every level. A
 * malformed message ends with a hex dump of the whole message.
 *
 * Return convention of the TLV printers (tcpdump's): 0 done, -1 the
 * message is invalid (the caller stops and the hex dump follows). */
#include <inttypes.h>

#include "print_sctp_app.h"

#define FORCES_HDR_LEN 24   /* RFC 5810 6.1 common header */
#define TLV_HDR_LEN 4       /* 16-bit type, 16-bit length */
#define ILV_HDR_LEN 8       /* 32-bit identifier, 32-bit length */
#define ALIGN4(n) (((n) + 3u) & ~3u)

/* Message types (RFC 5810 7.1) and what tcpdump expects after the header. */
enum tom_body { BODY_NONE, BODY_LFBSEL, BODY_TEARDOWN, BODY_REDIRECT, BODY_ASSOC_RESP };

/* tcpdump's tom_h flags: at most N top TLVs in bits 4-7, then whether
 * none, zero or more, or one or more top-level TLVs are allowed. */
#define TOP_NONE 0x01
#define TOP_ZERO_MORE 0x02
#define TOP_ONE_MORE 0x04
#define TOP_ONE (TOP_ONE_MORE | 0x10)
#define TOP_MANY (TOP_ONE_MORE | 0xf0)

/* Operation TLV bits (RFC 5810 A.2 operation types 1..14, bit op-1). */
#define OPB(op) (1u << ((op) - 1))
enum {
	OP_SET = 1, OP_SETPROP, OP_SETRESP, OP_SETPRESP, OP_DEL, OP_DELRESP, OP_GET, OP_GETPROP,
	OP_GETRESP, OP_GETPRESP, OP_REPORT, OP_COMMIT, OP_RCOMMIT, OP_RTRCOMP, OP_LAST = OP_RTRCOMP
};

struct tom {
	uint8_t type;
	uint16_t flags;
	uint16_t ops;
	const char *name;
	enum tom_body body;
};

static const struct tom toms[] = {
	{ 0x01, TOP_ZERO_MORE | 0x20, OPB(OP_REPORT), "Association Setup", BODY_LFBSEL },
	{ 0x02, TOP_ONE, 0, "Association TearDown", BODY_TEARDOWN },
	{ 0x03, TOP_MANY, OPB(OP_SET) | OPB(OP_SETPROP) | OPB(OP_DEL) | OPB(OP_COMMIT) | OPB(OP_RTRCOMP),
	  "Config", BODY_LFBSEL },
	{ 0x04, TOP_MANY, OPB(OP_GET) | OPB(OP_GETPROP), "Query", BODY_LFBSEL },
	{ 0x05, TOP_ONE, OPB(OP_REPORT), "Event Notification", BODY_LFBSEL },
	{ 0x06, TOP_MANY, 0, "Packet Redirect", BODY_REDIRECT },
	{ 0x0f, TOP_NONE, 0, "HeartBeat", BODY_NONE },
	{ 0x11, TOP_ONE, 0, "Association Response", BODY_ASSOC_RESP },
	{ 0x13, TOP_MANY, OPB(OP_SETRESP) | OPB(OP_SETPRESP) | OPB(OP_DELRESP) | OPB(OP_RCOMMIT),
	  "Config Response", BODY_LFBSEL },
	{ 0x14, TOP_MANY, OPB(OP_GETRESP) | OPB(OP_GETPRESP), "Query Response", BODY_LFBSEL },
};

/* Data-encoding bits an operation accepts, and the path flags' bits. */
#define B_FULLD 0x01
#define B_SPARD 0x02
#define B_RESTV 0x04
#define B_KEYIN 0x08
#define B_APPND 0x10
#define B_TRNG 0x20

enum op_body { OPBODY_NONE, OPBODY_PATHDATA, OPBODY_GENERIC, OPBODY_INVALID };

struct optlv {
	uint16_t data;
	const char *name;
	enum op_body body;
};

/* tcpdump's operation TLV table (names carry its leading space). */
static const struct optlv optlvs[OP_LAST + 1] = {
	{ 0, "Invalid OPTLV", OPBODY_INVALID },
	{ B_FULLD | B_SPARD, " Set", OPBODY_PATHDATA },
	{ B_FULLD | B_SPARD, " SetProp", OPBODY_PATHDATA },
	{ B_RESTV, " SetResp", OPBODY_PATHDATA },
	{ B_RESTV, " SetPropResp", OPBODY_PATHDATA },
	{ 0, " Del", OPBODY_PATHDATA },
	{ B_RESTV, " DelResp", OPBODY_PATHDATA },
	{ 0, " Get", OPBODY_PATHDATA },
	{ 0, " GetProp", OPBODY_PATHDATA },
	{ B_FULLD | B_SPARD | B_RESTV, " GetResp", OPBODY_PATHDATA },
	{ B_FULLD | B_RESTV, " GetPropResp", OPBODY_PATHDATA },
	{ B_FULLD | B_SPARD, " Report", OPBODY_PATHDATA },
	{ 0, " Commit", OPBODY_NONE },
	{ B_RESTV, " RCommit", OPBODY_GENERIC },
	{ 0, " RTRCOMP", OPBODY_NONE },
};

/* TLV types (RFC 5810 7.x, IANA "ForCES TLV types"). */
#define TLV_REDIRECT 0x0001
#define TLV_LFBSELECT 0x1000
#define TLV_PATHDATA 0x0110
#define TLV_KEYINFO 0x0111
#define TLV_FULLDATA 0x0112
#define TLV_SPARSEDATA 0x0113
#define TLV_RESULT 0x0114
#define TLV_METADATA 0x0115
#define TLV_REDIRECTDATA 0x0116

static const struct tok tlv_names[] = {
	{ 0x0000, "Invalid TLV" }, { TLV_REDIRECT, "REDIRECT TLV" }, { 0x0010, "ASResult TLV" },
	{ 0x0011, "ASTreason TLV" }, { TLV_LFBSELECT, "LFBselect TLV" }, { TLV_PATHDATA, "PATH-DATA TLV" },
	{ TLV_KEYINFO, "KEYINFO TLV" }, { TLV_FULLDATA, "FULLDATA TLV" }, { TLV_SPARSEDATA, "SPARSEDATA TLV" },
	{ TLV_RESULT, "RESULT TLV" }, { TLV_METADATA, "METADATA TLV" }, { TLV_REDIRECTDATA, "REDIRECTDATA TLV" },
	{ 0, NULL },
};

/* tlv_valid()'s verdicts. */
enum { TLV_OK, TLV_BAD_RLEN, TLV_TOO_SHORT, TLV_TOO_LONG, TLV_NO_PAD };
static const struct tok tlv_errs[] = {
	{ TLV_BAD_RLEN, "Invalid total length" }, { TLV_TOO_SHORT, "xLV too short" },
	{ TLV_TOO_LONG, "xLV too long" }, { TLV_NO_PAD, "data padding missing" }, { 0, NULL },
};

/* RFC 5810 7.1.7 result codes; 0x18-0xfe are reserved. */
static const struct tok result_names[] = {
	{ 0x00, "SUCCESS" }, { 0x01, "INVALID HEADER" }, { 0x02, "LENGTH MISMATCH" },
	{ 0x03, "VERSION MISMATCH" }, { 0x04, "INVALID DESTINATION PID" }, { 0x05, "LFB UNKNOWN" },
	{ 0x06, "LFB NOT FOUND" }, { 0x07, "LFB INSTANCE ID NOT FOUND" }, { 0x08, "INVALID PATH" },
	{ 0x09, "COMPONENT DOES NOT EXIST" }, { 0x0a, "EXISTS ALREADY" }, { 0x0b, "NOT FOUND" },
	{ 0x0c, "READ ONLY" }, { 0x0d, "INVALID ARRAY CREATION" }, { 0x0e, "VALUE OUT OF RANGE" },
	{ 0x0f, "CONTENTS TOO LONG" }, { 0x10, "INVALID PARAMETERS" }, { 0x11, "INVALID MESSAGE TYPE" },
	{ 0x12, "INVALID FLAGS" }, { 0x13, "INVALID TLV" }, { 0x14, "EVENT ERROR" },
	{ 0x15, "NOT SUPPORTED" }, { 0x16, "MEMORY ERROR" }, { 0x17, "INTERNAL ERROR" },
	{ 0xff, "UNSPECIFIED ERROR" }, { 0, NULL },
};

static const struct tok lfb_names[] = {
	{ 0, "Invalid TLV" }, { 1, "FEObj LFB" }, { 2, "FEProtoObj LFB" }, { 0, NULL },
};

static const struct tok teardown_reasons[] = {
	{ 0, "Normal Teardown" }, { 1, "Loss of Heartbeats" }, { 2, "Out of bandwidth" },
	{ 3, "Out of Memory" }, { 4, "Application Crash" }, { 0, NULL },
};

static const struct tok assoc_results[] = {
	{ 0, "Success " }, { 1, "FE ID invalid " }, { 2, "permission denied " }, { 0, NULL },
};

/* RFC 5810 6.1 flags: ACK, execution mode, atomicity, transaction phase. */
static const struct tok ack_names[] = {
	{ 0, "NoACK" }, { 1, "SuccessACK" }, { 2, "FailureACK" }, { 3, "AlwaysACK" }, { 0, NULL },
};
static const struct tok em_names[] = {
	{ 0, "EMReserved" }, { 1, "execute-all-or-none" }, { 2, "execute-until-failure" },
	{ 3, "continue-execute-on-failure" }, { 0, NULL },
};
static const struct tok at_names[] = { { 0, "Standalone" }, { 1, "2PCtransaction" }, { 0, NULL } };
static const struct tok tp_names[] = {
	{ 0, "StartofTransaction" }, { 1, "MiddleofTransaction" }, { 2, "EndofTransaction" },
	{ 3, "abort" }, { 0, NULL },
};

#define INDENT_MAX 255

/* tcpdump's indent_pr: N spaces, or a newline and N-1 spaces. */
static const char *indent_str(char *buf, int n, int newline)
{
	int i = 0;
	if (n > INDENT_MAX)
		n = INDENT_MAX;
	if (newline) {
		buf[i++] = '\n';
		n--;
	}
	while (--n >= 0)
		buf[i++] = ' ';
	buf[i] = '\0';
	return buf;
}

/* tok2str with tcpdump's NULL format ("#%d"). */
static const char *tok_or_num(const struct tok *t, uint32_t v, char *buf, size_t n)
{
	return tok2str(t, "#%d", v, buf, n); /* printed signed, as tcpdump does */
}

static unsigned tlv_check(unsigned tlv_len, unsigned rem)
{
	if (rem < TLV_HDR_LEN)
		return TLV_BAD_RLEN;
	if (tlv_len < TLV_HDR_LEN)
		return TLV_TOO_SHORT;
	if (tlv_len > rem)
		return TLV_TOO_LONG;
	if (rem < ALIGN4(tlv_len))
		return TLV_NO_PAD;
	return TLV_OK;
}

static unsigned ilv_check(struct pctx *c, const uint8_t *ilv, unsigned rem)
{
	if (rem < ILV_HDR_LEN)
		return TLV_BAD_RLEN;
	uint32_t ilen = get_be32(c, ilv + 4);
	if (ilen < ILV_HDR_LEN)
		return TLV_TOO_SHORT;
	if (ilen > rem)
		return TLV_TOO_LONG;
	if ((uint64_t)rem < ((uint64_t)ilen + 3) / 4 * 4)
		return TLV_NO_PAD;
	return TLV_OK;
}

static int path_data(struct pctx *c, const uint8_t *p, unsigned len, unsigned opmask, int ind);
static int path_data_tlvs(struct pctx *c, const uint8_t *p, unsigned len, unsigned opmask, int ind);

/* RESULT TLV (7.1.7): one result byte and three reserved. */
static int result_tlv(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	char ib[INDENT_MAX + 2], buf[16];
	unsigned dlen = len - TLV_HDR_LEN;
	if (dlen != 4) {
		out_fmt(c, "illegal RESULT-TLV: %u bytes!\n", dlen);
		return -1;
	}
	pc_need(c, p + TLV_HDR_LEN, 4);
	unsigned result = get_u8(c, p + TLV_HDR_LEN);
	if (result >= 0x18 && result <= 0xfe) {
		out_fmt(c, "illegal reserved result code: 0x%x!\n", result);
		return -1;
	}
	if (c->o->vflag >= 3)
		out_fmt(c, "%s  Result: %s (code 0x%x)\n", indent_str(ib, ind, 0),
			tok_or_num(result_names, result, buf, sizeof(buf)), result);
	return 0;
}

/* FULLDATA TLV (7.1.8): hex of its data at -vvv. */
static int fulldata_tlv(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	char ib[INDENT_MAX + 2];
	if (get_be16(c, p) != TLV_FULLDATA) {
		out_str(c, "Error: expecting FULLDATA!\n");
		return -1;
	}
	if (c->o->vflag >= 3) {
		indent_str(ib, ind + 2, 1);
		out_fmt(c, "%s[", ib + 1);
		out_hex_ident(c, ib, p + TLV_HDR_LEN, len - TLV_HDR_LEN);
		out_fmt(c, "\n%s]", ib + 1);
	}
	return 0;
}

/* SPARSEDATA TLV (7.1.9): a run of ILVs. */
static int sparsedata_tlv(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	char ib[INDENT_MAX + 2], buf[16];
	if (get_be16(c, p) != TLV_SPARSEDATA) {
		out_str(c, "Error: expecting SPARSEDATA!\n");
		return -1;
	}
	const uint8_t *ilv = p + TLV_HDR_LEN;
	unsigned rem = len - TLV_HDR_LEN;
	if (rem < ILV_HDR_LEN) {
		out_str(c, "Error: BAD SPARSEDATA-TLV!\n");
		return -1;
	}
	ind++;
	while (rem != 0) {
		indent_str(ib, ind, 1);
		unsigned bad = ilv_check(c, ilv, rem);
		if (bad) {
			out_fmt(c, "Error: %s, rlen %u\n", tok_or_num(tlv_errs, bad, buf, sizeof(buf)), rem);
			return -1;
		}
		uint32_t ilen = get_be32(c, ilv + 4);
		if (c->o->vflag >= 3) {
			out_fmt(c, "\n%s ILV: type %x length %u\n", ib + 1, get_be32(c, ilv), ilen);
			out_hex_ident(c, "\t\t[", ilv + ILV_HDR_LEN, ilen - ILV_HDR_LEN);
		}
		ilv += ALIGN4(ilen);
		rem -= ALIGN4(ilen);
	}
	return 0;
}

/* KEYINFO TLV (7.1.10): a key id, then a TLV whose data tcpdump reads
 * as a FULLDATA TLV. */
static int keyinfo_tlv(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	char ib[INDENT_MAX + 2], buf[32];
	const uint8_t *key = p + TLV_HDR_LEN + 4;
	out_fmt(c, "%sKeyinfo: Key 0x%x\n", indent_str(ib, ind, 0), get_be32(c, p + TLV_HDR_LEN));
	unsigned type = get_be16(c, key), klen = get_be16(c, key + 2);
	unsigned bad = tlv_check(klen, len);
	if (bad) {
		out_fmt(c, "%s TLV type 0x%x len %u\n", tok_or_num(tlv_errs, bad, buf, sizeof(buf)), type, klen);
		return -1;
	}
	return fulldata_tlv(c, key + TLV_HDR_LEN, klen, ind);
}

/* tcpdump's chk_op_type: the data encoding against the operation's. */
static void check_encoding(struct pctx *c, unsigned type, unsigned opmask, unsigned allowed)
{
	if (type == TLV_PATHDATA)
		return;
	if (opmask & B_KEYIN) {
		if (type != TLV_KEYINFO)
			out_str(c, "Based on flags expected KEYINFO TLV!\n");
	} else if (!(opmask & allowed)) {
		out_fmt(c, "Illegal DATA encoding for type 0x%x programmed %x got %x\n", type, allowed, opmask);
	}
}

static unsigned encoding_bits(unsigned type)
{
	switch (type) {
	case TLV_FULLDATA:
		return B_FULLD;
	case TLV_SPARSEDATA:
		return B_SPARD;
	case TLV_RESULT:
		return B_RESTV;
	default:
		return 0;
	}
}

/* The data TLV after a path's IDs (tcpdump's pdatacnt_print second
 * half): returns what is left of LEN, or -1. */
static int path_content(struct pctx *c, const uint8_t *p, unsigned len, unsigned opmask, int ind)
{
	char ib[INDENT_MAX + 2], buf[32];
	indent_str(ib, ind, 0);
	unsigned type = get_be16(c, p), tlen = get_be16(c, p + 2);
	unsigned bad = tlv_check(tlen, len);
	if (bad) {
		out_fmt(c, "%s Outstanding bytes %u for TLV type 0x%x TLV len %u\n",
			tok_or_num(tlv_errs, bad, buf, sizeof(buf)), len, type, tlen);
	} else if (type >= TLV_PATHDATA && type <= TLV_RESULT) {
		unsigned dlen = tlen - TLV_HDR_LEN, pad = ALIGN4(tlen) - tlen;
		if (c->o->vflag >= 3 && type != TLV_PATHDATA) {
			const char *name = type == TLV_PATHDATA ? "Inner PATH-DATA TLV" : tok_find(tlv_names, type);
			if (pad)
				out_fmt(c, "%s  %s (Length %u DataLen %u pad %u Bytes)\n", ib, name, tlen, dlen, pad);
			else
				out_fmt(c, "%s  %s (Length %u DataLen %u Bytes)\n", ib, name, tlen, dlen);
		}
		check_encoding(c, type, opmask, encoding_bits(type));
		unsigned sub = dlen + pad + TLV_HDR_LEN;
		int rc;
		switch (type) {
		case TLV_KEYINFO:
			rc = keyinfo_tlv(c, p, sub, ind + 2);
			break;
		case TLV_FULLDATA:
			rc = fulldata_tlv(c, p, sub, ind + 2);
			break;
		case TLV_SPARSEDATA:
			rc = sparsedata_tlv(c, p, sub, ind + 2);
			break;
		case TLV_RESULT:
			rc = result_tlv(c, p, sub, ind + 2);
			break;
		default:
			rc = path_data_tlvs(c, p, sub, opmask, ind + 2);
			break;
		}
		if (rc == -1)
			return -1;
		return (int)(len - sub);
	} else {
		out_fmt(c, "Invalid path data content type 0x%x len %u\n", type, tlen);
	}
	if (tlen) {
		out_hex_ident(c, "Bad Data val\n\t  [", p, len);
		out_str(c, "]\n");
		return -1;
	}
	return (int)len;
}

/* tcpdump's pdatacnt_print: the path IDs, the table range or key, then
 * the data TLV; returns the bytes left for more PATH-DATA, or -1. */
static int path_ids(struct pctx *c, const uint8_t *p, unsigned len, unsigned count, unsigned opmask,
		    int ind)
{
	char ib[INDENT_MAX + 2];
	indent_str(ib, ind, 0);
	if ((opmask & B_APPND) && c->o->vflag >= 3)
		out_fmt(c, "%sTABLE APPEND\n", ib);
	for (unsigned i = 0; i < count; i++, p += 4, len -= 4) {
		uint32_t id = get_be32(c, p);
		if (c->o->vflag >= 3)
			out_fmt(c, "%sID#%02u: %u\n", ib, i + 1, id);
	}
	if (opmask & B_TRNG) {
		if (len < 12) {
			out_fmt(c, "pathlength %u with key/range too short %u\n", len, 12u);
			return -1;
		}
		uint32_t start = get_be32(c, p + 4), end = get_be32(c, p + 8);
		p += 12;
		len -= 12;
		if (c->o->vflag >= 3)
			out_fmt(c, "%sTable range: [%u,%u]\n", ib, start, end);
	}
	if (opmask & B_KEYIN) {
		if (len < 12) {
			out_fmt(c, "pathlength %u with key/range too short %u\n", len, 12u);
			return -1;
		}
		unsigned klen = get_be16(c, p + 6);
		p += 8;
		len -= 8;
		if (klen < TLV_HDR_LEN) {
			out_fmt(c, "key content length %u < %u\n", klen, TLV_HDR_LEN);
			return -1;
		}
		klen -= TLV_HDR_LEN;
		if (len < klen) {
			out_str(c, "key content too short\n");
			return -1;
		}
		p += klen;
		len -= klen;
	}
	if (len == 0)
		return 0;
	return path_content(c, p, len, opmask, ind);
}

/* PATH-DATA body (7.1.6): flags, ID count, IDs, content. */
static int path_data(struct pctx *c, const uint8_t *p, unsigned len, unsigned opmask, int ind)
{
	char ib[INDENT_MAX + 2];
	pc_need(c, p, 4);
	if (len < 4) {
		out_trunc(c);
		return -1;
	}
	unsigned flags = get_be16(c, p), count = get_be16(c, p + 2);
	if (c->o->vflag >= 3)
		out_fmt(c, "\n%sPathdata: Flags 0x%x ID count %u\n", indent_str(ib, ind, 0), flags, count);
	if (flags & 1)
		opmask |= B_KEYIN;
	if (flags & 2)
		opmask |= B_TRNG;
	if (flags & 4)
		opmask |= B_APPND;
	p += 4;
	len -= 4;
	unsigned need = count * 4;
	if (len < need) {
		out_fmt(c, "\t\t\ttruncated IDs expected %uB got %uB\n", need, len);
		out_hex_ident(c, "\t\t\tID Data[", p, len);
		out_str(c, "]\n");
		return -1;
	}
	if ((opmask & B_TRNG) && (opmask & B_KEYIN)) {
		out_str(c, "\t\t\tIllegal to have both Table ranges and keys\n");
		return -1;
	}
	/* 4.99.3 drops an error of the path content here: the walk of the
	 * enclosing PATH-DATA run goes on */
	int more = path_ids(c, p, len, count, opmask, ind);
	if (more <= 0)
		return 0;
	return path_data_tlvs(c, p + (len - (unsigned)more), (unsigned)more, opmask, ind + 1);
}

/* A run of PATH-DATA TLVs (tcpdump's recpdoptlv_print). */
static int path_data_tlvs(struct pctx *c, const uint8_t *p, unsigned len, unsigned opmask, int ind)
{
	char ib[INDENT_MAX + 2], buf[16];
	while (len != 0) {
		unsigned tlen = get_be16(c, p + 2);
		if (tlv_check(tlen, len))
			break;
		unsigned type = get_be16(c, p);
		if (c->o->vflag >= 3)
			out_fmt(c, "%s%s, length %u (data encapsulated %u Bytes)", indent_str(ib, ind, 0),
				tok_or_num(tlv_names, type, buf, sizeof(buf)), tlen, tlen - TLV_HDR_LEN);
		if (path_data(c, p + TLV_HDR_LEN, tlen - TLV_HDR_LEN, opmask, ind + 1) == -1)
			return -1;
		p += ALIGN4(tlen);
		len -= ALIGN4(tlen);
	}
	if (len) {
		out_fmt(c, "\n\t\tMessy PATHDATA TLV header, type (0x%x)\n\t\texcess of %u Bytes ", get_be16(c, p),
			len - get_be16(c, p + 2));
		return -1;
	}
	return 0;
}

/* tcpdump's invoptlv_print: hex at -vvv, always invalid. */
static int invalid_op(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	char ib[INDENT_MAX + 2];
	if (c->o->vflag >= 3) {
		indent_str(ib, ind, 1);
		out_fmt(c, "%sData[", ib + 1);
		out_hex_ident(c, ib, p, len);
		out_fmt(c, "%s]\n", ib);
	}
	return -1;
}

static int ttlv_known(unsigned type)
{
	return type == TLV_REDIRECT || type == TLV_LFBSELECT || type == 0x10 || type == 0x11 ||
	       (type >= TLV_PATHDATA && type <= TLV_REDIRECTDATA);
}

/* tcpdump's genoptlv_print (RCommit): one PATH-DATA TLV. */
static int generic_op(struct pctx *c, const uint8_t *p, unsigned len, unsigned opmask, int ind)
{
	char ib[INDENT_MAX + 2], buf[16];
	unsigned type = get_be16(c, p), tlen = get_be16(c, p + 2);
	unsigned bad = tlv_check(tlen, len);
	out_fmt(c, "genoptlvprint - %s TLV type 0x%x len %u\n", tok_or_num(tlv_names, type, buf, sizeof(buf)),
		type, tlen);
	if (bad) {
		out_fmt(c, "\t\t\tInvalid ForCES TLV type=%x", type);
		return -1;
	}
	if (!ttlv_known(type)) {
		out_fmt(c, "%s TLV type 0x%x len %u\n", "#0", type, tlen);
		return -1;
	}
	if (c->o->vflag >= 3)
		out_fmt(c, "%s%s, length %u (data length %u Bytes)", indent_str(ib, ind, 0),
			tok_or_num(tlv_names, type, buf, sizeof(buf)), tlen, tlen - TLV_HDR_LEN);
	return path_data(c, p + TLV_HDR_LEN, tlen - TLV_HDR_LEN, opmask, ind + 1);
}

/* One operation TLV in an LFB selector (tcpdump's otlv_print). */
static void oper_tlv(struct pctx *c, const uint8_t *p, int ind)
{
	char ib[INDENT_MAX + 2];
	unsigned type = get_be16(c, p), tlen = get_be16(c, p + 2), dlen = tlen - TLV_HDR_LEN;
	const struct optlv *op = &optlvs[type > OP_LAST ? 0 : type];
	if (c->o->vflag >= 3)
		out_fmt(c, "%sOper TLV %s(0x%x) length %u\n", indent_str(ib, ind, 0), op->name, type, tlen);
	if (dlen < 8) { /* at least a PATH-DATA header with one ID */
		out_fmt(c, "\t\tOper TLV %s(0x%x) length %u\n", op->name, type, tlen);
		out_fmt(c, "\t\tTruncated data size %u minimum required %u\n", dlen, 8u);
		invalid_op(c, p + TLV_HDR_LEN, dlen, ind);
		return;
	}
	switch (op->body) {
	case OPBODY_PATHDATA:
		path_data_tlvs(c, p + TLV_HDR_LEN, dlen, op->data, ind + 1);
		break;
	case OPBODY_GENERIC:
		generic_op(c, p + TLV_HDR_LEN, dlen, op->data, ind + 1);
		break;
	case OPBODY_INVALID:
		invalid_op(c, p + TLV_HDR_LEN, dlen, ind + 1);
		break;
	case OPBODY_NONE:
		break;
	}
}

static int op_allowed(unsigned op, unsigned mask)
{
	if (op == 0)
		return 0;
	if (op <= OP_LAST)
		return (OPB(op) & mask) != 0;
	return op >= 0x8000; /* vendor operations */
}

#define LFB_SELECTOR_MIN 12 /* class, instance, an operation TLV header */

/* LFBselect TLV (7.1.5): class and instance, then operation TLVs. */
static int lfb_select(struct pctx *c, const uint8_t *p, unsigned len, unsigned opmask, int ind)
{
	char ib[INDENT_MAX + 2], buf[16];
	unsigned dlen = len - TLV_HDR_LEN;
	if (dlen <= LFB_SELECTOR_MIN) {
		out_fmt(c, "\n\t\ttruncated lfb selector: %u bytes missing! ", LFB_SELECTOR_MIN - dlen);
		return -1;
	}
	unsigned rem = dlen - 8;
	pc_need(c, p, 8);
	if (c->o->vflag >= 3) {
		uint32_t cls = get_be32(c, p);
		out_fmt(c, "\n%s%s(Classid %x) instance %x\n", indent_str(ib, ind, 0),
			tok_or_num(lfb_names, cls, buf, sizeof(buf)), cls, get_be32(c, p + 4));
	}
	const uint8_t *op = p + 8;
	ind++;
	while (rem != 0) {
		unsigned type = get_be16(c, op), tlen = get_be16(c, op + 2);
		if (tlv_check(tlen, rem))
			break;
		if (op_allowed(type, opmask)) {
			oper_tlv(c, op, ind);
		} else {
			if (c->o->vflag < 3)
				out_char(c, '\n');
			out_fmt(c, "\t\tINValid oper-TLV type 0x%x length %u for this ForCES message\n", type, tlen);
			invalid_op(c, op, rem, ind);
		}
		op += ALIGN4(tlen);
		rem -= ALIGN4(tlen);
	}
	if (rem) {
		out_fmt(c, "\n\t\tMessy oper TLV header, type (0x%x)\n\t\texcess of %u Bytes ", get_be16(c, op),
			rem - get_be16(c, op + 2));
		return -1;
	}
	return 0;
}

/* ASTreason TLV (7.1.1 teardown). */
static int teardown_tlv(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	char ib[INDENT_MAX + 2];
	unsigned dlen = len - TLV_HDR_LEN;
	if (dlen != 4) {
		out_fmt(c, "illegal ASTresult-TLV: %u bytes!\n", dlen);
		return -1;
	}
	uint32_t code = get_be32(c, p);
	if (code > 255) {
		out_fmt(c, "illegal ASTresult result code: %u!\n", code);
		return -1;
	}
	if (c->o->vflag >= 3) {
		const char *name = tok_find(teardown_reasons, code);
		indent_str(ib, ind, 0);
		out_fmt(c, "Teardown reason:\n%s%s", ib, name ? name : "Unknown Teardown reason");
		out_fmt(c, "(%x)\n%s", code, ib);
	}
	return 0;
}

/* ASResult TLV (association setup response). */
static int assoc_result_tlv(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	char ib[INDENT_MAX + 2];
	unsigned dlen = len - TLV_HDR_LEN;
	if (dlen != 4) {
		out_fmt(c, "illegal ASRresult-TLV: %u bytes!\n", dlen);
		return -1;
	}
	uint32_t code = get_be32(c, p);
	if (code > 3) {
		out_fmt(c, "illegal ASRresult result code: %u!\n", code);
		return -1;
	}
	if (c->o->vflag >= 3) {
		const char *name = tok_find(assoc_results, code);
		indent_str(ib, ind, 0);
		out_fmt(c, "\n%s%s", ib, name ? name : "Unknown ");
		out_fmt(c, "(%x)\n%s", code, ib);
	}
	return 0;
}

/* METADATA TLV in a redirect: ILVs of metadata. */
static void redirect_metadata(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	char ib[INDENT_MAX + 2];
	unsigned rem = len - TLV_HDR_LEN;
	out_fmt(c, "\n%s METADATA length %u\n", indent_str(ib, ind, 0), rem);
	while (rem != 0) {
		if (ilv_check(c, p, rem))
			break;
		uint32_t ilen = get_be32(c, p + 4);
		out_fmt(c, "%sMetaID 0x%x length %u\n", indent_str(ib, ind + 1, 0), get_be32(c, p), ilen);
		if (c->o->vflag >= 3) {
			out_hex_ident(c, "\t\t[", p + ILV_HDR_LEN, ilen - ILV_HDR_LEN);
			out_str(c, " ]\n");
		}
		p += ALIGN4(ilen);
		rem -= ALIGN4(ilen);
	}
}

static void redirect_data(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	char ib[INDENT_MAX + 2];
	unsigned rem = len - TLV_HDR_LEN;
	out_fmt(c, "\n%s Redirect Data length %u\n", indent_str(ib, ind, 0), rem);
	if (c->o->vflag >= 3) {
		out_str(c, "\t\t[");
		out_hex_ident(c, "\n\t\t", p, rem);
		out_str(c, "\n\t\t]");
	}
}

#define REDIRECT_MIN 8

/* REDIRECT TLV (7.1.3): METADATA and REDIRECTDATA TLVs. */
static int redirect_tlv(struct pctx *c, const uint8_t *p, unsigned len, int ind)
{
	unsigned rem = len - TLV_HDR_LEN;
	if (rem <= REDIRECT_MIN) {
		out_fmt(c, "\n\t\ttruncated Redirect TLV: %u bytes missing! ", REDIRECT_MIN - rem);
		return -1;
	}
	ind++;
	while (rem != 0) {
		unsigned type = get_be16(c, p), tlen = get_be16(c, p + 2);
		if (tlv_check(tlen, rem)) {
			out_str(c, "Bad Redirect data\n");
			break;
		}
		if (type == TLV_METADATA)
			redirect_metadata(c, p + TLV_HDR_LEN, tlen, ind);
		else if (type == TLV_REDIRECTDATA)
			redirect_data(c, p + TLV_HDR_LEN, tlen, ind);
		else
			out_fmt(c, "Unknown REDIRECT TLV 0x%x len %u\n", type, tlen);
		p += ALIGN4(tlen);
		rem -= ALIGN4(tlen);
	}
	if (rem) {
		out_fmt(c, "\n\t\tMessy Redirect TLV header, type (0x%x)\n\t\texcess of %u Bytes ", get_be16(c, p),
			rem - get_be16(c, p + 2));
		return -1;
	}
	return 0;
}

#define TOP_INDENT 9

static int top_tlv_body(struct pctx *c, const struct tom *t, const uint8_t *p, unsigned len)
{
	switch (t->body) {
	case BODY_LFBSEL:
		return lfb_select(c, p, len, t->ops, TOP_INDENT);
	case BODY_TEARDOWN:
		return teardown_tlv(c, p, len, TOP_INDENT);
	case BODY_REDIRECT:
		return redirect_tlv(c, p, len, TOP_INDENT);
	case BODY_ASSOC_RESP:
		return assoc_result_tlv(c, p, len, TOP_INDENT);
	case BODY_NONE:
		break;
	}
	return 0;
}

/* The top-level TLVs after the header (tcpdump's forces_type_print). */
static int top_tlvs(struct pctx *c, const uint8_t *msg, unsigned mlen, const struct tom *t)
{
	char buf[16];
	unsigned rem = mlen - FORCES_HDR_LEN;
	if (rem > TLV_HDR_LEN) {
		if (t->flags & TOP_NONE) {
			out_fmt(c, "<0x%x>Illegal Top level TLV!\n", t->flags);
			return -1;
		}
	} else {
		if (t->flags & TOP_ZERO_MORE)
			return 0;
		if (t->flags & TOP_ONE_MORE) {
			out_str(c, "\tTop level TLV Data missing!\n");
			return -1;
		}
	}
	if (t->flags & TOP_NONE)
		return 0;
	unsigned left = t->flags >> 4;
	const uint8_t *tlv = msg + FORCES_HDR_LEN;
	while (rem != 0) {
		unsigned type = get_be16(c, tlv), tlen = get_be16(c, tlv + 2);
		if (tlv_check(tlen, rem))
			break;
		if (!ttlv_known(type)) {
			out_fmt(c, "\n\tInvalid ForCES Top TLV type=0x%x", type);
			return -1;
		}
		if (c->o->vflag >= 3)
			out_fmt(c, "\t%s, length %u (data length %u Bytes)", tok_or_num(tlv_names, type, buf, sizeof(buf)),
				tlen, tlen - TLV_HDR_LEN);
		if (top_tlv_body(c, t, tlv + TLV_HDR_LEN, tlen) < 0)
			return -1;
		tlv += ALIGN4(tlen);
		rem -= ALIGN4(tlen);
		if (--left == 0)
			break;
	}
	if (rem) {
		out_fmt(c, "\tMess TopTLV header: min %u, total %u advertised %u ", TLV_HDR_LEN, rem,
			get_be16(c, tlv + 2));
		return -1;
	}
	return 0;
}

/* RFC 5810 4.3.1.1 ID ranges, as tcpdump names them. */
static const char *node_kind(uint32_t id)
{
	if (id <= 0x3fffffff)
		return "FE";
	if (id <= 0x7fffffff)
		return "CE";
	if (id >= 0xc0000000 && id <= 0xffffffef)
		return "AllMulticast";
	if (id == 0xfffffffd)
		return "AllCEsBroadcast";
	if (id == 0xfffffffe)
		return "AllFEsBroadcast";
	if (id == 0xffffffff)
		return "AllBroadcast";
	return "ForCESreserved";
}

static void header_details(struct pctx *c, const uint8_t *p, unsigned mlen)
{
	char b1[16], b2[16], b3[16], b4[16];
	uint32_t flags = get_be32(c, p + 20);
	if (c->o->vflag >= 1) {
		uint32_t sid = get_be32(c, p + 4), did = get_be32(c, p + 8);
		uint64_t cor = (uint64_t)get_be32(c, p + 12) << 32 | get_be32(c, p + 16);
		out_fmt(c, "\n\tForCES Version %u len %uB flags 0x%08x ", get_u8(c, p) >> 4, mlen, flags);
		out_fmt(c, "\n\tSrcID 0x%x(%s) DstID 0x%x(%s) Correlator 0x%" PRIx64, sid, node_kind(sid), did,
			node_kind(did), cor);
	}
	if (c->o->vflag >= 2) {
		unsigned ack = flags >> 30, em = (flags >> 22) & 3, at = (flags >> 21) & 1, tp = (flags >> 19) & 3;
		out_fmt(c, "\n\tForCES flags:\n\t  %s(0x%x), prio=%u, %s(0x%x),\n\t  %s(0x%x), %s(0x%x)\n",
			tok2str(ack_names, "ACKUnknown", ack, b1, sizeof(b1)), ack, (flags >> 27) & 7,
			tok2str(em_names, "EMUnknown", em, b2, sizeof(b2)), em,
			tok2str(at_names, "ATUnknown", at, b3, sizeof(b3)), at,
			tok2str(tp_names, "TPUnknown", tp, b4, sizeof(b4)), tp);
		out_fmt(c, "\t  Extra flags: rsv(b5-7) 0x%x rsv(b13-31) 0x%x\n", (flags >> 24) & 7, flags & 0x7ffff);
	}
}

/* RFC 5810 7: message types 1-6, 0xf, 0x11-0x14 (0x12 is reserved). */
static int tom_in_range(unsigned tom)
{
	return tom > 0 && !(tom >= 0x7 && tom <= 0xe) && tom != 0x10 && tom <= 0x14;
}

void print_forces(struct pctx *c, const uint8_t *p, unsigned len)
{
	c->proto = "forces";
	c->last = "forces";
	if (!pc_has(c, p, FORCES_HDR_LEN)) {
		out_trunc(c);
		return;
	}
	unsigned type = get_u8(c, p + 1);
	unsigned mlen = (unsigned)get_be16(c, p + 2) << 2;
	const struct tom *t = NULL;
	if (!tom_in_range(type)) {
		out_fmt(c, "Invalid ForCES message type %u\n", type);
		goto invalid;
	}
	for (size_t i = 0; i < sizeof(toms) / sizeof(toms[0]); i++)
		if (toms[i].type == type)
			t = &toms[i];
	if (!t) {
		out_fmt(c, "\n\tUnknown ForCES message type=0x%x", type);
		goto invalid;
	}
	out_fmt(c, "\n\tForCES %s ", t->name);
	if (len < FORCES_HDR_LEN || mlen < FORCES_HDR_LEN || mlen != len) {
		out_fmt(c, "Illegal ForCES pkt len - min %u, total recvd %u, advertised %u ", FORCES_HDR_LEN, len,
			mlen);
		goto invalid;
	}
	header_details(c, p, mlen);
	if (top_tlvs(c, p, mlen, t) < 0)
		goto invalid;
	if (c->o->vflag >= 4) {
		out_str(c, "\n\t  Raw ForCES message\n\t [");
		out_hex_ident(c, "\n\t ", p, len);
		out_str(c, "\n\t ]");
	}
	return;
invalid:
	out_hex_ident(c, "\n\t[", p, len);
	out_str(c, "\n\t]");
}
