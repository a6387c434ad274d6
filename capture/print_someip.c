/* capture/print_someip.c: SOME/IP (AUTOSAR SOME/IP protocol
 * specification 4.1.2, UDP 30490) as tcpdump 4.99.3's print-someip.c
 * prints its 16-byte header: message ID (service, method or event),
 * length, request ID (client, session), versions, message type and
 * return code, then a newline of its own. */
#include "print_get.h"
#include "print_udpapp.h"

#define SOMEIP_HDR_LEN 16u
#define SOMEIP_EVENT_BIT 0x8000u /* in the message ID's low half */

static const struct tok someip_msgtypes[] = {
	{ 0x00, "REQUEST" },    { 0x01, "REQUEST_NO_RETURN" },    { 0x02, "NOTIFICATION" },
	{ 0x80, "RESPONSE" },   { 0x81, "ERROR" },                { 0x20, "TP_REQUEST" },
	{ 0x21, "TP_REQUEST_NO_RETURN" }, { 0x22, "TP_NOTIFICATION" }, { 0xa0, "TP_RESPONSE" },
	{ 0xa1, "TP_ERROR" },   { 0, NULL },
};

static const struct tok someip_retcodes[] = {
	{ 0x00, "E_OK" },              { 0x01, "E_NOT_OK" },        { 0x02, "E_UNKNOWN_SERVICE" },
	{ 0x03, "E_UNKNOWN_METHOD" },  { 0x04, "E_NOT_READY" },     { 0x05, "E_NOT_REACHABLE" },
	{ 0x06, "E_TIMEOUT" },         { 0x07, "E_WRONG_PROTOCOL_VERSION" },
	{ 0x08, "E_WRONG_INTERFACE_VERSION" }, { 0x09, "E_MALFORMED_MESSAGE" },
	{ 0x0a, "E_WRONG_MESSAGE_TYPE" }, { 0, NULL },
};

static const char *name_or_unknown(const struct tok *t, unsigned v)
{
	const char *s = tok_find(t, v);
	return s ? s : "Unknown";
}

void print_someip(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "someip";
	c->last = "someip";
	out_str(c, "SOMEIP");
	if (len < SOMEIP_HDR_LEN) {
		out_invalid(c);
		return;
	}
	uint32_t msg_id = get_be32(c, bp);
	out_fmt(c, ", service %u, %s %u", msg_id >> 16, (msg_id & SOMEIP_EVENT_BIT) ? "event" : "method",
		msg_id & 0x7fff);
	out_fmt(c, ", len %u", get_be32(c, bp + 4));
	uint32_t req_id = get_be32(c, bp + 8);
	out_fmt(c, ", client %u, session %u", req_id >> 16, req_id & 0xffff);
	out_fmt(c, ", pver %u", get_u8(c, bp + 12));
	out_fmt(c, ", iver %u", get_u8(c, bp + 13));
	out_fmt(c, ", msgtype %s", name_or_unknown(someip_msgtypes, get_u8(c, bp + 14)));
	out_fmt(c, ", retcode %s\n", name_or_unknown(someip_retcodes, get_u8(c, bp + 15)));
}
