/* capture/print_m3ua.c: M3UA (RFC 4666) messages as tcpdump 4.99's
 * print-m3ua.c prints them at -vv: the message class and type from the
 * common header (3.1), then each parameter's name with, for Network
 * Appearance, Routing Context and Correlation ID, a 32-bit value (read,
 * as tcpdump does, from the parameter header itself), else its length. */
#include "print_sctp_app.h"

#define M3UA_VERSION 1       /* RFC 4666 3.1.1: release 1.0 */
#define M3UA_HDR_LEN 8       /* version, reserved, class, type, length */
#define M3UA_PARAM_HDR_LEN 4 /* tag, length */

/* RFC 4666 3.1.2 message classes. */
enum { CLASS_MGMT = 0, CLASS_TRANSFER = 1, CLASS_SSNM = 2, CLASS_ASPSM = 3, CLASS_ASPTM = 4, CLASS_RKM = 9 };

static const struct tok class_names[] = {
	{ CLASS_MGMT, "Management" }, { CLASS_TRANSFER, "Transfer" }, { CLASS_SSNM, "SS7" },
	{ CLASS_ASPSM, "ASP" }, { CLASS_ASPTM, "ASP" }, { CLASS_RKM, "Routing Key Management" }, { 0, NULL },
};

/* RFC 4666 3.1.3 message types per class. */
static const struct tok mgmt_types[] = { { 0, "Error" }, { 1, "Notify" }, { 0, NULL } };
static const struct tok transfer_types[] = { { 1, "Data" }, { 0, NULL } };
static const struct tok ssnm_types[] = {
	{ 1, "Destination Unavailable" }, { 2, "Destination Available" }, { 3, "Destination State Audit" },
	{ 4, "Signalling Congestion" }, { 5, "Destination User Part Unavailable" },
	{ 6, "Destination Restricted" }, { 0, NULL },
};
static const struct tok aspsm_types[] = {
	{ 1, "Up" }, { 2, "Down" }, { 3, "Heartbeat" }, { 4, "Up Acknowledgement" },
	{ 5, "Down Acknowledgement" }, { 6, "Heartbeat Acknowledgement" }, { 0, NULL },
};
static const struct tok asptm_types[] = {
	{ 1, "Active" }, { 2, "Inactive" }, { 3, "Active Acknowledgement" }, { 4, "Inactive Acknowledgement" },
	{ 0, NULL },
};
static const struct tok rkm_types[] = {
	{ 1, "Registration Request" }, { 2, "Registration Response" }, { 3, "Deregistration Request" },
	{ 4, "Deregistration Response" }, { 0, NULL },
};

/* RFC 4666 3.2 parameter tags. */
#define TAG_ROUTING_CTX 0x0006
#define TAG_CORR_ID 0x0013
#define TAG_NETWORK_APPEARANCE 0x0200

static const struct tok param_names[] = {
	{ 0x0004, "INFO String" }, { TAG_ROUTING_CTX, "Routing Context" }, { 0x0007, "Diagnostic Info" },
	{ 0x0009, "Heartbeat Data" }, { 0x000b, "Traffic Mode Type" }, { 0x000c, "Error Code" },
	{ 0x000d, "Status" }, { 0x0011, "ASP Identifier" }, { 0x0012, "Affected Point Code" },
	{ TAG_CORR_ID, "Correlation ID" }, { TAG_NETWORK_APPEARANCE, "Network Appearance" },
	{ 0x0204, "User/Cause" }, { 0x0205, "Congestion Indications" }, { 0x0206, "Concerned Destination" },
	{ 0x0207, "Routing Key" }, { 0x0208, "Registration Result" }, { 0x0209, "Deregistration Result" },
	{ 0x020a, "Local Routing Key Identifier" }, { 0x020b, "Destination Point Code" },
	{ 0x020c, "Service Indicators" }, { 0x020e, "Originating Point Code List" },
	{ 0x0210, "Protocol Data" }, { 0x0212, "Registration Status" }, { 0x0213, "Deregistration Status" },
	{ 0, NULL },
};

static const struct tok *types_of_class(unsigned cls)
{
	switch (cls) {
	case CLASS_MGMT:
		return mgmt_types;
	case CLASS_TRANSFER:
		return transfer_types;
	case CLASS_SSNM:
		return ssnm_types;
	case CLASS_ASPSM:
		return aspsm_types;
	case CLASS_ASPTM:
		return asptm_types;
	case CLASS_RKM:
		return rkm_types;
	default:
		return NULL;
	}
}

/* tcpdump's " (invalid)" then ND_TCHECK_LEN of the whole span: a span
 * past the capture adds the truncation marker. */
static void invalid_span(struct pctx *c, const uint8_t *p, unsigned len)
{
	out_invalid(c);
	if (!pc_has(c, p, len))
		out_trunc(c);
}

/* One parameter's value; P is the parameter header (tcpdump hands the
 * header, not the value, to its tag_value_print), DLEN the value length. */
static void param_value(struct pctx *c, const uint8_t *p, unsigned tag, unsigned dlen)
{
	switch (tag) {
	case TAG_NETWORK_APPEARANCE:
	case TAG_ROUTING_CTX:
	case TAG_CORR_ID:
		if (dlen < 4) {
			invalid_span(c, p, dlen);
			return;
		}
		if (!pc_has(c, p, dlen)) {
			out_trunc(c);
			return;
		}
		out_fmt(c, "0x%08x", get_be32(c, p));
		return;
	default:
		out_fmt(c, "(length %u)", dlen + M3UA_PARAM_HDR_LEN);
		if (!pc_has(c, p, dlen))
			out_trunc(c);
		return;
	}
}

/* RFC 4666 3.2: tag-length-value parameters, each padded to 4 bytes. */
static void params(struct pctx *c, const uint8_t *base, unsigned size)
{
	char buf[40];
	unsigned off = 0;
	while (off < size) {
		if (size - off < M3UA_PARAM_HDR_LEN) {
			invalid_span(c, base, size);
			return;
		}
		const uint8_t *p = base + off;
		if (!pc_has(c, p, M3UA_PARAM_HDR_LEN)) {
			out_trunc(c);
			return;
		}
		unsigned tag = get_be16(c, p);
		out_fmt(c, "\n\t\t\t%s: ", tok2str(param_names, "Unknown Parameter (0x%04x)", tag, buf, sizeof(buf)));
		unsigned plen = get_be16(c, p + 2);
		if (plen < M3UA_PARAM_HDR_LEN) {
			invalid_span(c, base, size);
			return;
		}
		unsigned end = off + plen;
		unsigned pad = end % 4 ? 4 - end % 4 : 0;
		if (!pc_has(c, p, plen + pad)) {
			out_trunc(c);
			return;
		}
		param_value(c, p, tag, plen - M3UA_PARAM_HDR_LEN);
		off = end + pad;
	}
}

void print_m3ua(struct pctx *c, const uint8_t *p, unsigned len)
{
	char buf[40], buf2[40];
	c->proto = "m3ua";
	c->last = "m3ua";
	if (len < M3UA_HDR_LEN) {
		invalid_span(c, p, len);
		return;
	}
	if (!pc_has(c, p, M3UA_HDR_LEN)) {
		out_trunc(c);
		return;
	}
	if (get_u8(c, p) != M3UA_VERSION)
		return;
	unsigned cls = get_u8(c, p + 2);
	const struct tok *types = types_of_class(cls);
	out_fmt(c, "\n\t\t%s", tok2str(class_names, "Unknown message class %i", cls, buf, sizeof(buf)));
	if (types)
		out_fmt(c, " %s Message", tok2str(types, "Unknown (0x%02x)", get_u8(c, p + 3), buf2, sizeof(buf2)));
	uint32_t mlen = get_be32(c, p + 4);
	if (mlen != len)
		out_fmt(c, "\n\t\t\t@@@@@@ Corrupted length %u of message @@@@@@", mlen);
	else
		params(c, p + M3UA_HDR_LEN, mlen - M3UA_HDR_LEN);
}
