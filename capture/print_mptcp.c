/* capture/print_mptcp.c: the Multipath TCP option (RFC 8684 3, and the
 * version 0 forms of RFC 6824) as tcpdump 4.99's print-mptcp.c prints
 * it inside "options [...]". */
#include <inttypes.h>

#include "print_get.h"

#define TH_SYN 0x02
#define TH_ACK 0x10

static uint64_t get_be64(struct pctx *c, const uint8_t *p)
{
	return (uint64_t)get_be32(c, p) << 32 | get_be32(c, p + 4);
}

/* RFC 8684 3.1 MP_CAPABLE. */
static int capable(struct pctx *c, const uint8_t *o, unsigned len, unsigned flags)
{
	if (!((len == 12 || len == 4) && (flags & TH_SYN)) &&
	    !((len == 20 || len == 22) && (flags & (TH_SYN | TH_ACK)) == TH_ACK))
		return 0;
	unsigned version = get_u8(c, o + 2) & 0xf;
	if (version > 1) {
		out_fmt(c, " Unknown Version (%u)", version);
		return 1;
	}
	out_fmt(c, " v%u", version);
	if (get_u8(c, o + 3) & 0x80)
		out_str(c, " csum");
	if (len == 12 || len >= 20) {
		out_fmt(c, " {0x%" PRIx64, get_be64(c, o + 4));
		if (len >= 20)
			out_fmt(c, ",0x%" PRIx64, get_be64(c, o + 12));
		out_char(c, '}');
	}
	return 1;
}

/* RFC 8684 3.2 MP_JOIN: SYN, SYN/ACK and third-ACK forms. */
static int join(struct pctx *c, const uint8_t *o, unsigned len, unsigned flags)
{
	if (!(len == 12 && (flags & TH_SYN)) &&
	    !(len == 16 && (flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) &&
	    !(len == 24 && (flags & TH_ACK)))
		return 0;
	if (len != 24) {
		if (get_u8(c, o + 2) & 0x01)
			out_str(c, " backup");
		out_fmt(c, " id %u", get_u8(c, o + 3));
	}
	switch (len) {
	case 12:
		out_fmt(c, " token 0x%x nonce 0x%x", get_be32(c, o + 4), get_be32(c, o + 8));
		break;
	case 16:
		out_fmt(c, " hmac 0x%" PRIx64 " nonce 0x%x", get_be64(c, o + 4), get_be32(c, o + 12));
		break;
	case 24:
		out_str(c, " hmac 0x");
		for (unsigned i = 0; i < 20; i++)
			out_fmt(c, "%02x", get_u8(c, o + 4 + i));
		break;
	}
	return 1;
}

/* A DSS data ACK or sequence number: 8 bytes when wide, else 4.  0 when
 * the option is too short for it; otherwise prints it and moves past. */
static int dss_number(struct pctx *c, const uint8_t **o, unsigned *len, int wide)
{
	unsigned n = wide ? 8 : 4;
	if (*len < n)
		return 0;
	if (wide)
		out_fmt(c, "%" PRIu64, get_be64(c, *o));
	else
		out_fmt(c, "%u", get_be32(c, *o));
	*o += n;
	*len -= n;
	return 1;
}

/* RFC 8684 3.3 DSS: data ACK, mapping, checksum. */
static int dss(struct pctx *c, const uint8_t *o, unsigned len, unsigned flags)
{
	if (len < 4 || (flags & TH_SYN))
		return 0;
	unsigned f = get_u8(c, o + 3);
	if (f & 0x10)
		out_str(c, " fin");
	o += 4;
	len -= 4;
	if (f & 0x01) {
		out_str(c, " ack ");
		if (!dss_number(c, &o, &len, f & 0x02))
			return 0;
	}
	if (f & 0x04) {
		out_str(c, " seq ");
		if (!dss_number(c, &o, &len, f & 0x08))
			return 0;
		if (len < 4)
			return 0;
		out_fmt(c, " subseq %u", get_be32(c, o));
		o += 4;
		len -= 4;
		if (len < 2)
			return 0;
		out_fmt(c, " len %u", get_be16(c, o));
		o += 2;
		len -= 2;
		if (len >= 2) {
			out_fmt(c, " csum 0x%x", get_be16(c, o));
			len -= 2;
		}
	}
	return len == 0;
}

/* RFC 6824 3.4.1 (v0: IP version in the low nibble) and RFC 8684 3.4.1
 * (v1: the echo flag, an HMAC unless echoed) ADD_ADDR. */
static int add_addr(struct pctx *c, const uint8_t *o, unsigned len, unsigned flags)
{
	unsigned low = get_u8(c, o + 2) & 0xf;
	int v6, port, hmac = 0;
	if (low == 4 || low == 6) {
		if (!((len == 8 || len == 10) && low == 4) && !((len == 20 || len == 22) && low == 6))
			return 0;
		v6 = low == 6;
		port = len == 10 || len == 22;
		out_fmt(c, " v0-ip%u", low);
	} else {
		int echo = low & 1;
		if (echo ? (len == 8 || len == 10) : (len == 16 || len == 18))
			v6 = 0;
		else if (echo ? (len == 20 || len == 22) : (len == 28 || len == 30))
			v6 = 1;
		else
			return 0;
		port = len == 10 || len == 18 || len == 22 || len == 30;
		hmac = !echo;
		out_str(c, echo ? " v1-echo" : " v1");
	}
	out_fmt(c, " id %u ", get_u8(c, o + 3));
	if (v6)
		out_ip6(c, o + 4);
	else
		out_ip4(c, o + 4);
	const uint8_t *q = o + 4 + (v6 ? 16 : 4);
	if (port) {
		out_fmt(c, ":%u", get_be16(c, q));
		q += 2;
	}
	if (hmac)
		out_fmt(c, " hmac 0x%" PRIx64, get_be64(c, q));
	(void)flags;
	return 1;
}

static int rem_addr(struct pctx *c, const uint8_t *o, unsigned len, unsigned flags)
{
	if (len < 4)
		return 0;
	out_str(c, " id");
	for (unsigned i = 3; i < len; i++)
		out_fmt(c, " %u", get_u8(c, o + i));
	(void)flags;
	return 1;
}

static int prio(struct pctx *c, const uint8_t *o, unsigned len, unsigned flags)
{
	if (len != 3 && len != 4)
		return 0;
	out_str(c, (get_u8(c, o + 2) & 0x01) ? " backup" : " non-backup");
	if (len == 4)
		out_fmt(c, " id %u", get_u8(c, o + 3));
	(void)flags;
	return 1;
}

static int fail(struct pctx *c, const uint8_t *o, unsigned len, unsigned flags)
{
	if (len != 12)
		return 0;
	out_fmt(c, " seq %" PRIu64, get_be64(c, o + 4));
	(void)flags;
	return 1;
}

static int fast_close(struct pctx *c, const uint8_t *o, unsigned len, unsigned flags)
{
	if (len != 12)
		return 0;
	out_fmt(c, " key 0x%" PRIx64, get_be64(c, o + 4));
	(void)flags;
	return 1;
}

static int other(struct pctx *c, const uint8_t *o, unsigned len, unsigned flags)
{
	(void)c;
	(void)o;
	(void)len;
	(void)flags;
	return 1;
}

static const struct {
	const char *name;
	int (*print)(struct pctx *, const uint8_t *, unsigned, unsigned);
} subtypes[] = {
	{ "capable", capable }, { "join", join },   { "dss", dss },
	{ "add-addr", add_addr }, { "rem-addr", rem_addr }, { "prio", prio },
	{ "fail", fail },       { "fast-close", fast_close }, { "unknown", other },
};

int print_mptcp(struct pctx *c, const uint8_t *opt, unsigned len, unsigned flags)
{
	if (len < 3)
		return 0;
	unsigned sub = get_u8(c, opt + 2) >> 4;
	if (sub > 8)
		sub = 8; /* tcpdump 4.99.3 names no subtype past fast-close */
	out_fmt(c, " %u %s", len, subtypes[sub].name);
	return subtypes[sub].print(c, opt, len, flags);
}
