/* capture/print_udld.c: Cisco's UniDirectional Link Detection (RFC 5171)
 * behind SNAP OUI 00-00-0c, as tcpdump 4.99.3's print-udld.c prints it. */
#include "print_llc.h"

#define UDLD_HDR_LEN     4 /* version and opcode, flags, checksum */
#define UDLD_TLV_HDR_LEN 4 /* type, length (the length counts the header) */

/* RFC 5171 3.2: TLV types. */
#define UDLD_DEVICE_ID_TLV        0x0001
#define UDLD_PORT_ID_TLV          0x0002
#define UDLD_ECHO_TLV             0x0003
#define UDLD_MESSAGE_INTERVAL_TLV 0x0004
#define UDLD_TIMEOUT_INTERVAL_TLV 0x0005
#define UDLD_DEVICE_NAME_TLV      0x0006
#define UDLD_SEQ_NUMBER_TLV       0x0007

static const struct tok udld_tlv_names[] = {
	{ UDLD_DEVICE_ID_TLV, "Device-ID TLV" },
	{ UDLD_PORT_ID_TLV, "Port-ID TLV" },
	{ UDLD_ECHO_TLV, "Echo TLV" },
	{ UDLD_MESSAGE_INTERVAL_TLV, "Message Interval TLV" },
	{ UDLD_TIMEOUT_INTERVAL_TLV, "Timeout Interval TLV" },
	{ UDLD_DEVICE_NAME_TLV, "Device Name TLV" },
	{ UDLD_SEQ_NUMBER_TLV, "Sequence Number TLV" },
	{ 0, NULL },
};

/* RFC 5171 3.1: opcodes. */
static const struct tok udld_code_names[] = {
	{ 0x00, "Reserved" }, { 0x01, "Probe message" }, { 0x02, "Echo message" },
	{ 0x03, "Flush message" }, { 0, NULL },
};

/* RFC 5171 3.1: flags; the other bits must be zero. */
static const struct tok udld_flag_names[] = {
	{ 1U << 0, "RT" },    { 1U << 1, "RSY" },   { 1U << 2, "MBZ-2" }, { 1U << 3, "MBZ-3" },
	{ 1U << 4, "MBZ-4" }, { 1U << 5, "MBZ-5" }, { 1U << 6, "MBZ-6" }, { 1U << 7, "MBZ-7" },
	{ 0, NULL },
};

static void udld_flags(struct pctx *c, unsigned flags)
{
	out_bitnames(c, udld_flag_names, flags, "none");
}

/* tcpdump's nd_printjnp: up to N characters, a NUL ends the string. */
static void udld_printjnp(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (get_u8(c, p + i) == 0)
			return;
		out_printjn(c, p + i, 1);
	}
}

/* One TLV's value: 0 when its length is wrong for its type. */
static int udld_tlv_value(struct pctx *c, unsigned type, const uint8_t *p, unsigned len)
{
	switch (type) {
	case UDLD_DEVICE_ID_TLV:
	case UDLD_PORT_ID_TLV:
	case UDLD_DEVICE_NAME_TLV:
		out_str(c, ", ");
		udld_printjnp(c, p, len);
		return 1;
	case UDLD_ECHO_TLV:
		out_str(c, ", ");
		out_printjn(c, p, len);
		return 1;
	case UDLD_MESSAGE_INTERVAL_TLV:
	case UDLD_TIMEOUT_INTERVAL_TLV:
		if (len != 1)
			return 0;
		out_fmt(c, ", %us", get_u8(c, p));
		return 1;
	case UDLD_SEQ_NUMBER_TLV:
		if (len != 4)
			return 0;
		out_fmt(c, ", %u", get_be32(c, p));
		return 1;
	default:
		pc_need(c, p, len);
		return 1;
	}
}

void print_udld(struct pctx *c, const uint8_t *p, unsigned length)
{
	c->proto = "udld";
	c->last = "udld";
	if (length < UDLD_HDR_LEN)
		goto invalid;
	unsigned b = get_u8(c, p), flags = get_u8(c, p + 1);
	char buf[16];
	out_fmt(c, "UDLDv%u, Code %s (%x), Flags [", b >> 5, tok2str(udld_code_names, "Reserved", b & 0x1f, buf, sizeof(buf)),
		b & 0x1f);
	udld_flags(c, flags);
	out_fmt(c, "] (0x%02x), length %u", flags, length);
	p += 2;
	length -= 2;
	if (c->o->vflag < 1)
		goto tcheck;
	out_fmt(c, "\n\tChecksum 0x%04x (unverified)", get_be16(c, p));
	p += 2;
	length -= 2;
	while (length) {
		if (length < UDLD_TLV_HDR_LEN)
			goto invalid;
		unsigned type = get_be16(c, p), len = get_be16(c, p + 2);
		p += UDLD_TLV_HDR_LEN;
		length -= UDLD_TLV_HDR_LEN;
		out_fmt(c, "\n\t%s (0x%04x) TLV, length %u", tok2str(udld_tlv_names, "Unknown", type, buf, sizeof(buf)),
			type, len);
		if (len <= UDLD_TLV_HDR_LEN)
			goto invalid;
		len -= UDLD_TLV_HDR_LEN;
		if (length < len || !udld_tlv_value(c, type, p, len))
			goto invalid;
		p += len;
		length -= len;
	}
	return;
invalid:
	out_invalid(c);
tcheck:
	pc_need(c, p, length);
}
