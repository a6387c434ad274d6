/* capture/print_snmp.c: SNMP over UDP 161/162 (RFC 1157 v1, RFC 3416
 * v2c PDUs, RFC 3412/3414 v3 with USM) as tcpdump 4.99.3's print-snmp.c
 * prints it when built without libsmi.
 *
 * The message is BER (X.690): each element is read by ber_parse, which
 * prints tcpdump's complaint in brackets for a malformed element, and
 * printed by ber_print. The SNMP layers then check each field's type in
 * order and stop at the first surprise, printing what they found.
 *
 * Two ways out on a short capture, as in tcpdump: a tag or length byte
 * past the capture longjmps with " [|snmp]" (GET_U_1); element contents
 * past the capture print " [|snmp]" and unwind normally (ND_TCHECK_LEN),
 * so the -v closing braces of the outer layers still print.
 *
 * Object identifiers print numerically (tcpdump -n); the compiled-in MIB
 * names tcpdump prints without -n are not reproduced. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "print_get.h"

/* X.690 8.1.2: identifier octet. */
#define BER_ID_BITS 0x1f
#define BER_ID_EXT 0x1f     /* 8.1.2.4: the tag number follows */
#define BER_FORM_BIT 0x20   /* 8.1.2.5: constructed */
#define BER_CLASS_SHIFT 6
#define BER_MORE 0x80       /* 8.1.2.4.2 / 8.1.3.5 / 8.19.2: continuation */
#define BER_OID_MUX 40      /* 8.19.4: first subidentifier is X*40+Y */
#define INETADDR_LEN 4      /* RFC 1155 IpAddress */

enum ber_class { CLASS_UNIVERSAL, CLASS_APPLICATION, CLASS_CONTEXT, CLASS_PRIVATE };
enum ber_form { FORM_PRIMITIVE, FORM_CONSTRUCTED };

/* Universal tags (X.680 8.4) tcpdump names. */
enum { U_INTEGER = 2, U_STRING = 4, U_NULL = 5, U_OID = 6, U_SEQUENCE = 16 };
/* RFC 1155 / RFC 2578 application types. */
enum { A_IPADDR = 0, A_COUNTER = 1, A_GAUGE = 2, A_TIMETICKS = 3, A_COUNTER64 = 6 };
/* RFC 3416 3 PDU tags (context class, constructed). */
enum {
	PDU_GET, PDU_GETNEXT, PDU_RESPONSE, PDU_SET, PDU_TRAP, PDU_GETBULK,
	PDU_INFORM, PDU_V2TRAP, PDU_REPORT,
};
/* RFC 3416 3 exception values (context class, primitive). */
enum { EXC_NOSUCHOBJECT, EXC_NOSUCHINSTANCE, EXC_ENDOFMIBVIEW };

/* SNMP message versions (RFC 3412 6.1 msgVersion). */
enum { SNMP_V1 = 0, SNMP_V2C = 1, SNMP_V3 = 3 };
#define SNMP_MODEL_USM 3   /* RFC 3411 5 SnmpSecurityModel: USM */
#define SNMP_GT_ENTERPRISE 6 /* RFC 1157 4.1.6 enterpriseSpecific */

/* What ber_parse made of an element (tcpdump's BE_* kinds). */
enum ber_kind {
	BE_ANY, BE_NULL, BE_OCTET, BE_OID, BE_INT, BE_UNS, BE_STR, BE_SEQ,
	BE_INETADDR, BE_PDU, BE_UNS64, BE_NOSUCHOBJECT, BE_NOSUCHINST, BE_ENDOFMIBVIEW,
};

struct ber_elem {
	uint32_t asnlen;       /* contents length */
	const uint8_t *data;   /* first contents byte */
	int32_t integer;       /* BE_INT */
	uint32_t uns;          /* BE_UNS */
	uint64_t uns64;        /* BE_UNS64 */
	uint8_t id, form, cls;
	enum ber_kind kind;
};

/* The tag names per class; tcpdump's class table names every class "x"
 * (its defineCLASS macro quotes the parameter name literally). */
static const char *const universal_names[] = {
	"U-0", "Boolean", "Integer", "Bitstring", "String", "Null", "ObjID",
	"ObjectDes", "U-8", "U-9", "U-10", "U-11", "U-12", "U-13", "U-14",
	"U-15", "Sequence", "Set",
};
static const char *const application_names[] = {
	"IpAddress", "Counter", "Gauge", "TimeTicks", "Opaque", "C-5", "Counter64",
};
static const char *const context_names[] = {
	"GetRequest", "GetNextRequest", "GetResponse", "SetRequest", "Trap",
	"GetBulk", "Inform", "V2Trap", "Report",
};
static const char *const private_names[] = { "P-0" };
static const char *const exception_names[] = { "noSuchObject", "noSuchInstance", "endOfMibView" };

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *const *names;
	unsigned count;
} ber_classes[] = {
	[CLASS_UNIVERSAL] = { universal_names, NELEMS(universal_names) },
	[CLASS_APPLICATION] = { application_names, NELEMS(application_names) },
	[CLASS_CONTEXT] = { context_names, NELEMS(context_names) },
	[CLASS_PRIVATE] = { private_names, NELEMS(private_names) },
};
#define BER_CLASS_NAME "x"

/* RFC 3416 3 error-status values. */
static const char *const error_status_names[] = {
	"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr",
	"noAccess", "wrongType", "wrongLength", "wrongEncoding", "wrongValue",
	"noCreation", "inconsistentValue", "resourceUnavailable", "commitFailed",
	"undoFailed", "authorizationError", "notWritable", "inconsistentName",
};
/* RFC 1157 4.1.6 generic-trap values. */
static const char *const generic_trap_names[] = {
	"coldStart", "warmStart", "linkDown", "linkUp", "authenticationFailure",
	"egpNeighborLoss", "enterpriseSpecific",
};
static const char *const version_names[] = { "SNMPv1", "SNMPv2c", "SNMPv2u", "SNMPv3" };

#define DEFAULT_COMMUNITY "public" /* not printed, as tcpdump */

/* The unread rest of a constructed element. */
struct ber_cur {
	const uint8_t *p;
	unsigned len;
};

/* ---- BER element reader (tcpdump's asn1_parse) ----------------------- */

/* X.690 8.1.2.4: a high tag number, base 128, into tcpdump's 8-bit id. */
static int ber_long_tag(struct pctx *c, const uint8_t **pp, unsigned *len, unsigned *hdr,
			uint8_t *id)
{
	const uint8_t *p = *pp;
	uint8_t v = 0;
	while (get_u8(c, p) & BER_MORE) {
		if (*len < 1) {
			out_str(c, "[Xtagfield?]");
			return -1;
		}
		v = (uint8_t)(v << 7 | (get_u8(c, p) & ~BER_MORE));
		(*len)--, (*hdr)++, p++;
	}
	if (*len < 1) {
		out_str(c, "[Xtagfield?]");
		return -1;
	}
	*id = (uint8_t)(v << 7 | get_u8(c, p));
	(*len)--, (*hdr)++, p++;
	*pp = p;
	return 0;
}

/* X.690 8.1.3: the length octets, short or long form. */
static int ber_length(struct pctx *c, const uint8_t **pp, unsigned *len, unsigned *hdr,
		      uint32_t *asnlen)
{
	const uint8_t *p = *pp;
	if (*len < 1) {
		out_str(c, "[no asnlen]");
		return -1;
	}
	*asnlen = get_u8(c, p);
	p++, (*len)--, (*hdr)++;
	if (*asnlen & BER_MORE) {
		uint32_t noct = *asnlen % BER_MORE;
		*asnlen = 0;
		if (*len < noct) {
			out_fmt(c, "[asnlen? %d<%d]", (int)*len, (int)noct);
			return -1;
		}
		if (!pc_has(c, p, noct)) {
			out_trunc(c);
			return -1;
		}
		for (; noct; noct--, (*len)--, (*hdr)++)
			*asnlen = *asnlen << 8 | get_u8(c, p++);
	}
	*pp = p;
	return 0;
}

/* X.690 8.3: two's complement, sign-extended to 32 bits as tcpdump. */
static int32_t ber_integer(struct pctx *c, const uint8_t *p, uint32_t n)
{
	uint32_t v = (get_u8(c, p) & BER_MORE) ? UINT32_MAX : 0;
	for (; n; n--)
		v = v << 8 | get_u8(c, p++);
	return (int32_t)v;
}

static void ber_classify_primitive(struct pctx *c, struct ber_elem *e)
{
	const uint8_t *p = e->data;
	switch (e->cls) {
	case CLASS_UNIVERSAL:
		switch (e->id) {
		case U_STRING:
			e->kind = BE_STR;
			return;
		case U_INTEGER:
			e->kind = BE_INT;
			e->integer = ber_integer(c, p, e->asnlen);
			return;
		case U_OID:
			e->kind = BE_OID;
			return;
		case U_NULL:
			e->kind = BE_NULL;
			return;
		}
		e->kind = BE_OCTET;
		out_fmt(c, "[P/U/%s]", universal_names[e->id]);
		return;
	case CLASS_APPLICATION:
		switch (e->id) {
		case A_IPADDR:
			e->kind = BE_INETADDR;
			return;
		case A_COUNTER:
		case A_GAUGE:
		case A_TIMETICKS:
			e->kind = BE_UNS;
			e->uns = 0;
			for (uint32_t i = 0; i < e->asnlen; i++)
				e->uns = (e->uns << 8) + get_u8(c, p + i);
			return;
		case A_COUNTER64:
			e->kind = BE_UNS64;
			e->uns64 = 0;
			for (uint32_t i = 0; i < e->asnlen; i++)
				e->uns64 = (e->uns64 << 8) + get_u8(c, p + i);
			return;
		}
		e->kind = BE_OCTET;
		out_fmt(c, "[P/A/%s]", application_names[e->id]);
		return;
	case CLASS_CONTEXT:
		/* RFC 3416 exceptions; other context tags stay BE_ANY */
		if (e->id == EXC_NOSUCHOBJECT)
			e->kind = BE_NOSUCHOBJECT;
		else if (e->id == EXC_NOSUCHINSTANCE)
			e->kind = BE_NOSUCHINST;
		else if (e->id == EXC_ENDOFMIBVIEW)
			e->kind = BE_ENDOFMIBVIEW;
		return;
	default:
		out_fmt(c, "[P/%s/%s]", BER_CLASS_NAME, ber_classes[e->cls].names[e->id]);
		e->kind = BE_OCTET;
		return;
	}
}

static void ber_classify_constructed(struct pctx *c, struct ber_elem *e)
{
	switch (e->cls) {
	case CLASS_UNIVERSAL:
		if (e->id == U_SEQUENCE) {
			e->kind = BE_SEQ;
			return;
		}
		e->kind = BE_OCTET;
		out_fmt(c, "C/U/%s", universal_names[e->id]);
		return;
	case CLASS_CONTEXT:
		e->kind = BE_PDU;
		return;
	default:
		e->kind = BE_OCTET;
		out_fmt(c, "C/%s/%s", BER_CLASS_NAME, ber_classes[e->cls].names[e->id]);
		return;
	}
}

/* Read the element at P within LEN bytes into E: the bytes it takes, or
 * -1 after printing why not. */
static int ber_parse(struct pctx *c, const uint8_t *p, unsigned len, struct ber_elem *e)
{
	unsigned hdr;
	*e = (struct ber_elem){ .kind = BE_ANY };
	if (len < 1) {
		out_str(c, "[nothing to parse]");
		return -1;
	}
	uint8_t octet = get_u8(c, p);
	e->id = octet & BER_ID_BITS;
	e->form = (octet & BER_FORM_BIT) ? FORM_CONSTRUCTED : FORM_PRIMITIVE;
	e->cls = octet >> BER_CLASS_SHIFT;
	p++, len--, hdr = 1;
	if (e->id == BER_ID_EXT && ber_long_tag(c, &p, &len, &hdr, &e->id) < 0)
		return -1;
	if (ber_length(c, &p, &len, &hdr, &e->asnlen) < 0)
		return -1;
	if (len < e->asnlen) {
		out_fmt(c, "[len%d<asnlen%u]", (int)len, e->asnlen);
		return -1;
	}
	if (e->id >= ber_classes[e->cls].count) {
		out_fmt(c, "[id?%c/%s/%d]", e->form == FORM_PRIMITIVE ? 'P' : 'C', BER_CLASS_NAME,
			e->id);
		return -1;
	}
	if (!pc_has(c, p, e->asnlen)) {
		out_trunc(c);
		return -1;
	}
	if (e->cls == CLASS_UNIVERSAL && e->form == FORM_PRIMITIVE && e->id == U_INTEGER &&
	    e->asnlen == 0) {
		out_str(c, "[asnlen=0]");
		return -1;
	}
	e->data = p;
	if (e->form == FORM_PRIMITIVE)
		ber_classify_primitive(c, e);
	else
		ber_classify_constructed(c, e);
	return (int)(e->asnlen + hdr);
}

/* ---- BER element printer (tcpdump's asn1_print) ---------------------- */

static void ber_print_octets(struct pctx *c, const struct ber_elem *e)
{
	for (uint32_t i = 0; i < e->asnlen; i++)
		out_fmt(c, "_%.2x", get_u8(c, e->data + i));
}

/* A string in quotes when every byte is printable ASCII, else hex
 * bytes joined by '_'. */
static void ber_print_string(struct pctx *c, const struct ber_elem *e)
{
	uint32_t i;
	for (i = 0; i < e->asnlen; i++) {
		uint8_t ch = get_u8(c, e->data + i);
		if (ch < 0x20 || ch > 0x7e)
			break;
	}
	if (i == e->asnlen) {
		out_char(c, '"');
		out_mem(c, (const char *)e->data, e->asnlen);
		out_char(c, '"');
		return;
	}
	for (i = 0; i < e->asnlen; i++)
		out_fmt(c, i ? "_%.2x" : "%.2x", get_u8(c, e->data + i));
}

/* X.690 8.19: subidentifiers base 128, the first one split in two
 * (capped at 2 for the first arc); a trailing unfinished one is not
 * printed. tcpdump's int arithmetic wraps; printed unsigned. */
static void ber_print_oid(struct pctx *c, const struct ber_elem *e)
{
	uint32_t o = 0;
	int first = 1;
	for (uint32_t i = 0; i < e->asnlen; i++) {
		uint8_t b = get_u8(c, e->data + i);
		o = (o << 7) + (b & ~BER_MORE);
		if (b & BER_MORE)
			continue;
		if (first) {
			int32_t s = (int32_t)o / BER_OID_MUX;
			if (s > 2)
				s = 2;
			out_fmt(c, ".%u", (uint32_t)s);
			o -= (uint32_t)s * BER_OID_MUX;
			first = 0;
		}
		out_fmt(c, ".%u", o);
		o = 0;
	}
}

static void ber_print_inetaddr(struct pctx *c, const struct ber_elem *e)
{
	if (e->asnlen != INETADDR_LEN)
		out_fmt(c, "[inetaddr len!=%d]", INETADDR_LEN);
	for (uint32_t i = 0; i < e->asnlen; i++)
		out_fmt(c, i ? ".%u" : "%u", get_u8(c, e->data + i));
}

/* The element's value as tcpdump's asn1_print shows it. The contents
 * were bounds-checked by ber_parse. */
static void ber_print(struct pctx *c, const struct ber_elem *e)
{
	switch (e->kind) {
	case BE_OCTET:
		ber_print_octets(c, e);
		break;
	case BE_NULL:
		break;
	case BE_OID:
		ber_print_oid(c, e);
		break;
	case BE_INT:
		out_fmt(c, "%d", e->integer);
		break;
	case BE_UNS:
		out_fmt(c, "%u", e->uns);
		break;
	case BE_UNS64:
		out_fmt(c, "%" PRIu64, e->uns64);
		break;
	case BE_STR:
		ber_print_string(c, e);
		break;
	case BE_SEQ:
		out_fmt(c, "Seq(%u)", e->asnlen);
		break;
	case BE_INETADDR:
		ber_print_inetaddr(c, e);
		break;
	case BE_NOSUCHOBJECT:
	case BE_NOSUCHINST:
	case BE_ENDOFMIBVIEW:
		out_fmt(c, "[%s]", exception_names[e->id]);
		break;
	case BE_PDU:
		out_fmt(c, "%s(%u)", context_names[e->id], e->asnlen);
		break;
	case BE_ANY:
		out_str(c, "[BE_ANY!?]");
		break;
	}
}

/* ---- SNMP layers ------------------------------------------------------ */

/* Read the next element of CUR, which must be of KIND: on a mismatch
 * print "[COMPLAINT]" and the element, as tcpdump does. Advances CUR;
 * -1 when the layer must stop. */
static int snmp_field(struct pctx *c, struct ber_cur *cur, struct ber_elem *e,
		      enum ber_kind kind, const char *complaint)
{
	int n = ber_parse(c, cur->p, cur->len, e);
	if (n < 0)
		return -1;
	if (e->kind != kind) {
		out_fmt(c, "[%s]", complaint);
		ber_print(c, e);
		return -1;
	}
	cur->p += n;
	cur->len -= (unsigned)n;
	return n;
}

/* Descend into a SEQUENCE: CUR becomes its contents. */
static void ber_descend(struct ber_cur *cur, const struct ber_elem *e)
{
	cur->p = e->data;
	cur->len = e->asnlen;
}

static int pdu_is_request(unsigned id)
{
	return id == PDU_GET || id == PDU_GETNEXT || id == PDU_GETBULK;
}

/* RFC 3416 3: the variable-bindings; requests carry NULL values. */
static void varbind_list(struct pctx *c, unsigned pduid, struct ber_cur cur)
{
	struct ber_elem e;
	int n = ber_parse(c, cur.p, cur.len, &e);
	if (n < 0)
		return;
	if (e.kind != BE_SEQ) {
		out_str(c, "[!SEQ of varbind]");
		ber_print(c, &e);
		return;
	}
	if ((unsigned)n < cur.len)
		out_fmt(c, "[%d extra after SEQ of varbind]", (int)(cur.len - (unsigned)n));
	ber_descend(&cur, &e);
	while (cur.len > 0) {
		struct ber_cur vb;
		out_char(c, ' ');
		if (snmp_field(c, &cur, &e, BE_SEQ, "!varbind") < 0)
			return;
		ber_descend(&vb, &e);
		if (snmp_field(c, &vb, &e, BE_OID, "objName!=OID") < 0)
			return;
		ber_print(c, &e);
		if (!pdu_is_request(pduid))
			out_char(c, '=');
		if (ber_parse(c, vb.p, vb.len, &e) < 0)
			return;
		if (pdu_is_request(pduid)) {
			if (e.kind != BE_NULL) {
				out_str(c, "[objVal!=NULL]");
				ber_print(c, &e);
			}
		} else if (e.kind != BE_NULL) {
			ber_print(c, &e);
		}
	}
}

static const char *error_status_name(int32_t v, char *buf, size_t bufsz)
{
	if (v >= 0 && (size_t)v < NELEMS(error_status_names))
		return error_status_names[v];
	snprintf(buf, bufsz, "err=%u", (uint32_t)v);
	return buf;
}

/* PDUs that must carry error-status and error-index 0 (RFC 3416 4.2). */
static int pdu_wants_no_error(unsigned id)
{
	return id == PDU_GET || id == PDU_GETNEXT || id == PDU_SET || id == PDU_INFORM ||
	       id == PDU_V2TRAP || id == PDU_REPORT;
}

/* RFC 3416 3 PDU: request-id, error-status (non-repeaters for GetBulk),
 * error-index (max-repetitions), variable-bindings. */
static void snmp_pdu(struct pctx *c, unsigned pduid, struct ber_cur cur)
{
	struct ber_elem e;
	char buf[24];
	if (snmp_field(c, &cur, &e, BE_INT, "reqId!=INT") < 0)
		return;
	if (c->o->vflag)
		out_fmt(c, "R=%d ", e.integer);
	if (snmp_field(c, &cur, &e, BE_INT, "errorStatus!=INT") < 0)
		return;
	int32_t error_status = 0;
	if (pdu_wants_no_error(pduid) && e.integer != 0) {
		out_fmt(c, "[errorStatus(%s)!=0]", error_status_name(e.integer, buf, sizeof(buf)));
	} else if (pduid == PDU_GETBULK) {
		out_fmt(c, " N=%d", e.integer);
	} else if (e.integer != 0) {
		out_fmt(c, " %s", error_status_name(e.integer, buf, sizeof(buf)));
		error_status = e.integer;
	}
	if (snmp_field(c, &cur, &e, BE_INT, "errorIndex!=INT") < 0)
		return;
	if (pdu_wants_no_error(pduid) && e.integer != 0)
		out_fmt(c, "[errorIndex(%d)!=0]", e.integer);
	else if (pduid == PDU_GETBULK)
		out_fmt(c, " M=%d", e.integer);
	else if (e.integer != 0 && !error_status)
		out_fmt(c, "[errorIndex(%d) w/o errorStatus]", e.integer);
	else if (e.integer != 0)
		out_fmt(c, "@%d", e.integer);
	else if (error_status)
		out_str(c, "[errorIndex==0]");
	varbind_list(c, pduid, cur);
}

/* RFC 1157 4.1.6 Trap-PDU: enterprise, agent-addr, generic-trap,
 * specific-trap, time-stamp, variable-bindings. */
static void trap_pdu(struct pctx *c, struct ber_cur cur)
{
	struct ber_elem e;
	out_char(c, ' ');
	if (snmp_field(c, &cur, &e, BE_OID, "enterprise!=OID") < 0)
		return;
	ber_print(c, &e);
	out_char(c, ' ');
	if (snmp_field(c, &cur, &e, BE_INETADDR, "agent-addr!=INETADDR") < 0)
		return;
	ber_print(c, &e);
	if (snmp_field(c, &cur, &e, BE_INT, "generic-trap!=INT") < 0)
		return;
	int32_t generic = e.integer;
	if (generic >= 0 && (size_t)generic < NELEMS(generic_trap_names))
		out_fmt(c, " %s", generic_trap_names[generic]);
	else
		out_fmt(c, " gt=%d", generic);
	if (snmp_field(c, &cur, &e, BE_INT, "specific-trap!=INT") < 0)
		return;
	if (generic != SNMP_GT_ENTERPRISE) {
		if (e.integer != 0)
			out_fmt(c, "[specific-trap(%d)!=0]", e.integer);
	} else {
		out_fmt(c, " s=%d", e.integer);
	}
	out_char(c, ' ');
	if (snmp_field(c, &cur, &e, BE_UNS, "time-stamp!=TIMETICKS") < 0)
		return;
	ber_print(c, &e);
	varbind_list(c, PDU_TRAP, cur);
}

/* The PDU of any version: its name and length, then its fields. */
static void any_pdu(struct pctx *c, struct ber_cur cur, int version)
{
	struct ber_elem pdu;
	int n = ber_parse(c, cur.p, cur.len, &pdu);
	if (n < 0)
		return;
	if (pdu.kind != BE_PDU) {
		out_str(c, "[no PDU]");
		return;
	}
	if ((unsigned)n < cur.len)
		out_fmt(c, "[%d extra after PDU]", (int)(cur.len - (unsigned)n));
	if (c->o->vflag)
		out_str(c, "{ ");
	ber_print(c, &pdu);
	out_char(c, ' ');
	ber_descend(&cur, &pdu);
	if (version == SNMP_V1 && (pdu.id == PDU_GETBULK || pdu.id == PDU_INFORM ||
				   pdu.id == PDU_V2TRAP || pdu.id == PDU_REPORT)) {
		out_str(c, "[v2 PDU in v1 message]");
		return;
	}
	if (version == SNMP_V2C && pdu.id == PDU_TRAP) {
		out_str(c, "[v1 PDU in v2 message]");
		return;
	}
	if (pdu.id == PDU_TRAP)
		trap_pdu(c, cur);
	else
		snmp_pdu(c, pdu.id, cur);
	if (c->o->vflag)
		out_str(c, " } ");
}

/* RFC 3412 6: ScopedPDU = contextEngineID, contextName, data. */
static void scoped_pdu(struct pctx *c, struct ber_cur cur)
{
	struct ber_elem e;
	if (snmp_field(c, &cur, &e, BE_SEQ, "!scoped PDU") < 0)
		return;
	ber_descend(&cur, &e);
	if (snmp_field(c, &cur, &e, BE_STR, "contextEngineID!=STR") < 0)
		return;
	out_str(c, "E=");
	ber_print_octets(c, &e);
	out_char(c, ' ');
	if (snmp_field(c, &cur, &e, BE_STR, "contextName!=STR") < 0)
		return;
	out_str(c, "C=");
	ber_print_string(c, &e);
	out_char(c, ' ');
	any_pdu(c, cur, SNMP_V3);
}

/* RFC 1157 4 / RFC 1901: the community string, not shown when "public". */
static void community_msg(struct pctx *c, struct ber_cur cur, int version)
{
	struct ber_elem e;
	if (snmp_field(c, &cur, &e, BE_STR, "comm!=STR") < 0)
		return;
	if (!(e.asnlen == sizeof(DEFAULT_COMMUNITY) - 1 &&
	      memcmp(e.data, DEFAULT_COMMUNITY, e.asnlen) == 0)) {
		out_str(c, "C=");
		ber_print_string(c, &e);
		out_char(c, ' ');
	}
	any_pdu(c, cur, version);
}

/* RFC 3414 2.4 UsmSecurityParameters. */
static void usm_params(struct pctx *c, struct ber_cur cur)
{
	struct ber_elem e;
	int n;
	if (snmp_field(c, &cur, &e, BE_SEQ, "!usm") < 0)
		return;
	ber_descend(&cur, &e);
	if (snmp_field(c, &cur, &e, BE_STR, "msgAuthoritativeEngineID!=STR") < 0)
		return;
	if (snmp_field(c, &cur, &e, BE_INT, "msgAuthoritativeEngineBoots!=INT") < 0)
		return;
	if (c->o->vflag)
		out_fmt(c, "B=%d ", e.integer);
	if (snmp_field(c, &cur, &e, BE_INT, "msgAuthoritativeEngineTime!=INT") < 0)
		return;
	if (c->o->vflag)
		out_fmt(c, "T=%d ", e.integer);
	if (snmp_field(c, &cur, &e, BE_STR, "msgUserName!=STR") < 0)
		return;
	out_str(c, "U=");
	ber_print_string(c, &e);
	out_char(c, ' ');
	if (snmp_field(c, &cur, &e, BE_STR, "msgAuthenticationParameters!=STR") < 0)
		return;
	if ((n = snmp_field(c, &cur, &e, BE_STR, "msgPrivacyParameters!=STR")) < 0)
		return;
	/* tcpdump compares the rest with the last field's size */
	if ((unsigned)n < cur.len)
		out_fmt(c, "[%d extra after usm SEQ]", (int)(cur.len - (unsigned)n));
}

/* RFC 3412 6: msgFlags values tcpdump accepts (auth, priv, reportable;
 * priv without auth is invalid). */
static int v3_flags_valid(uint8_t f)
{
	return f == 0x00 || f == 0x01 || f == 0x03 || f == 0x04 || f == 0x05 || f == 0x07;
}
#define V3_FLAG_AUTH 0x01
#define V3_FLAG_PRIV 0x02
#define V3_FLAG_REPORTABLE 0x04

/* RFC 3412 6: msgGlobalData, msgSecurityParameters, the scoped PDU. */
static void v3_msg(struct pctx *c, struct ber_cur cur)
{
	struct ber_elem e;
	const struct ber_cur msg = cur;
	int n;
	if (snmp_field(c, &cur, &e, BE_SEQ, "!message") < 0)
		return;
	ber_descend(&cur, &e);
	if (c->o->vflag)
		out_str(c, "{ ");
	if (snmp_field(c, &cur, &e, BE_INT, "msgID!=INT") < 0)
		return;
	if (snmp_field(c, &cur, &e, BE_INT, "msgMaxSize!=INT") < 0)
		return;
	n = ber_parse(c, cur.p, cur.len, &e);
	if (n < 0)
		return;
	if (e.kind != BE_STR) {
		out_str(c, "[msgFlags!=STR]");
		ber_print(c, &e);
		return;
	}
	if (e.asnlen != 1) {
		out_fmt(c, "[msgFlags size %d]", (int)e.asnlen);
		return;
	}
	uint8_t flags = get_u8(c, e.data);
	if (!v3_flags_valid(flags)) {
		out_fmt(c, "[msgFlags=0x%02X]", flags);
		return;
	}
	cur.p += n;
	cur.len -= (unsigned)n;
	out_fmt(c, "F=%s%s%s ", flags & V3_FLAG_AUTH ? "a" : "", flags & V3_FLAG_PRIV ? "p" : "",
		flags & V3_FLAG_REPORTABLE ? "r" : "");
	if ((n = snmp_field(c, &cur, &e, BE_INT, "msgSecurityModel!=INT")) < 0)
		return;
	int32_t model = e.integer;
	if ((unsigned)n < cur.len)
		out_fmt(c, "[%d extra after message SEQ]", (int)(cur.len - (unsigned)n));
	if (c->o->vflag)
		out_str(c, "} ");
	if (model != SNMP_MODEL_USM) {
		out_fmt(c, "[security model %d]", model);
		return;
	}
	if (c->o->vflag)
		out_str(c, "{ USM ");
	/* tcpdump goes on from the end of the last msgGlobalData field,
	 * counting the rest against the whole message */
	cur.len = msg.len - (unsigned)(cur.p - msg.p);
	if (snmp_field(c, &cur, &e, BE_STR, "msgSecurityParameters!=STR") < 0)
		return;
	usm_params(c, (struct ber_cur){ e.data, e.asnlen });
	if (c->o->vflag)
		out_str(c, "} ");
	if (c->o->vflag)
		out_str(c, "{ ScopedPDU ");
	scoped_pdu(c, cur);
	if (c->o->vflag)
		out_str(c, "} ");
}

int print_snmp(struct pctx *c, const uint8_t *p, unsigned len)
{
	struct ber_cur cur = { p, len };
	struct ber_elem e;
	c->proto = "snmp";
	c->last = "snmp";
	out_char(c, ' ');
	int n = ber_parse(c, cur.p, cur.len, &e);
	if (n < 0)
		return 1;
	if (e.kind != BE_SEQ) {
		out_str(c, "[!init SEQ]");
		ber_print(c, &e);
		return 1;
	}
	if ((unsigned)n < cur.len)
		out_fmt(c, "[%d extra after iSEQ]", (int)(cur.len - (unsigned)n));
	ber_descend(&cur, &e);
	if (snmp_field(c, &cur, &e, BE_INT, "version!=INT") < 0)
		return 1;
	int32_t version = e.integer;
	if (version != SNMP_V1 && version != SNMP_V2C && version != SNMP_V3) {
		out_fmt(c, "SNMP [version = %d]", version);
		return 1;
	}
	if (c->o->vflag)
		out_fmt(c, "{ %s ", version_names[version]);
	if (version == SNMP_V3)
		v3_msg(c, cur);
	else
		community_msg(c, cur, version);
	if (c->o->vflag)
		out_str(c, "} ");
	return 1;
}
