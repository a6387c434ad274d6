/* capture/print_pim.c: PIM as tcpdump's print-pim.c prints it —
 * version 2 over IP (RFC 7761 4.9): the type line, and under -v the
 * checksum and every message body tcpdump 4.99.3 decodes; version 1
 * inside IGMP (the PIMv1 draft, IGMP type 0x14). */
#include "print_ipapp.h"

/* RFC 7761 4.9: message types. */
enum {
	PIMV2_HELLO = 0,
	PIMV2_REGISTER = 1,
	PIMV2_REGISTER_STOP = 2,
	PIMV2_JOIN_PRUNE = 3,
	PIMV2_BOOTSTRAP = 4,
	PIMV2_ASSERT = 5,
	PIMV2_GRAFT = 6,
	PIMV2_GRAFT_ACK = 7,
	PIMV2_CANDIDATE_RP = 8,
	PIMV2_PRUNE_REFRESH = 9,
	PIMV2_DF_ELECTION = 10,
};

/* RFC 5015 3.7: DF election subtypes, in the high nibble of the
 * reserved byte. */
enum { DF_OFFER = 1, DF_WINNER = 2, DF_BACKOFF = 3, DF_PASS = 4 };
static const struct tok df_subtypes[] = {
	{ DF_OFFER, "Offer" }, { DF_WINNER, "Winner" }, { DF_BACKOFF, "Backoff" }, { DF_PASS, "Pass" }, { 0, NULL },
};

static const struct tok pimv2_types[] = {
	{ 0, "Hello" },     { 1, "Register" }, { 2, "Register Stop" },
	{ 3, "Join / Prune" }, { 4, "Bootstrap" }, { 5, "Assert" },
	{ 6, "Graft" },     { 7, "Graft Acknowledgement" },
	{ 8, "Candidate RP Advertisement" }, { 9, "Prune Refresh" },
	{ 10, "DF Election" }, { 11, "ECMP Redirect" }, { 0, NULL },
};

/* RFC 7761 4.9.2 and the IANA PIM-Hello Options registry. */
enum {
	HELLO_HOLDTIME = 1,
	HELLO_LANPRUNEDELAY = 2,
	HELLO_DR_PRIORITY_OLD = 18,
	HELLO_DR_PRIORITY = 19,
	HELLO_GENID = 20,
	HELLO_REFRESH_CAP = 21,
	HELLO_BIDIR_CAP = 22,
	HELLO_ADDRESS_LIST = 24,
	HELLO_ADDRESS_LIST_OLD = 65001,
};

static const struct tok hello_options[] = {
	{ HELLO_HOLDTIME, "Hold Time" },
	{ HELLO_LANPRUNEDELAY, "LAN Prune Delay" },
	{ HELLO_DR_PRIORITY_OLD, "DR Priority (Old)" },
	{ HELLO_DR_PRIORITY, "DR Priority" },
	{ HELLO_GENID, "Generation ID" },
	{ HELLO_REFRESH_CAP, "State Refresh Capability" },
	{ HELLO_BIDIR_CAP, "Bi-Directional Capability" },
	{ HELLO_ADDRESS_LIST, "Address List" },
	{ HELLO_ADDRESS_LIST_OLD, "Address List (Old)" },
	{ 0, NULL },
};

/* RFC 7761 4.9.3: Register flags; tcpdump looks the whole word up. */
static const struct tok register_flags[] = { { 0x80000000u, "Border" }, { 0x40000000u, "Null" }, { 0, NULL } };

/* tcpdump's print_unknown_data: hex of what was captured of LEN bytes. */
static void unknown_data(struct pctx *c, const uint8_t *p, unsigned len)
{
	size_t avail = pc_avail(c, p);
	out_hex_ident(c, "\n\t    ", p, len < avail ? len : avail);
}

enum pim_addr_kind { PIM_UNICAST, PIM_GROUP, PIM_SOURCE };

/* RFC 7761 4.9.1 encoded addresses (ADDR_LEN 0: family and encoding
 * bytes first; else RFC 2117's fixed-length form). The bytes used, or
 * -1 when malformed or cut short. */
static int pim_addr(struct pctx *c, const uint8_t *bp, unsigned len, enum pim_addr_kind kind,
		    unsigned addr_len)
{
	unsigned hdrlen = 0;
	if (addr_len == 0) {
		if (len < 2)
			return -1;
		unsigned family = get_u8(c, bp);
		if (family == 1)
			addr_len = 4;
		else if (family == 2)
			addr_len = 16;
		else
			return -1;
		if (get_u8(c, bp + 1) != 0)
			return -1;
		hdrlen = 2;
	} else if (addr_len != 4 && addr_len != 16) {
		return -1;
	}
	bp += hdrlen;
	len -= hdrlen;
	if (kind == PIM_UNICAST) {
		if (len < addr_len || !pc_has(c, bp, addr_len))
			return -1;
		if (addr_len == 4)
			out_ip4(c, bp);
		else
			out_ip6(c, bp);
		return (int)(hdrlen + addr_len);
	}
	if (len < addr_len + 2 || !pc_has(c, bp, addr_len + 2))
		return -1;
	unsigned masklen = get_u8(c, bp + 1), flags = get_u8(c, bp);
	if (addr_len == 4)
		out_ip4(c, bp + 2);
	else
		out_ip6(c, bp + 2);
	if (masklen != addr_len * 8)
		out_fmt(c, "/%u", masklen);
	if (flags) {
		if (kind == PIM_GROUP) {
			out_fmt(c, "(0x%02x)", flags);
		} else {
			out_fmt(c, "(%s%s%s", flags & 4 ? "S" : "", flags & 2 ? "W" : "", flags & 1 ? "R" : "");
			if (flags & 0xf8)
				out_fmt(c, "+0x%02x", flags & 0xf8);
			out_char(c, ')');
		}
	}
	return (int)(hdrlen + 2 + addr_len);
}

/* The body printers return 0, or PIM_CUT when the message is cut
 * short: tcpdump's "goto trunc" prints the marker and returns (no
 * longjmp, so -x still dumps from the network header). */
#define PIM_CUT (-1)
#define PIM_STOP 1

/* tcpdump 4.99.3: a Hello option of the wrong size ends the message. */
static int bad_option_len(struct pctx *c, unsigned olen, unsigned want)
{
	out_fmt(c, "[option length %u != %u]", olen, want);
	out_invalid(c);
	return PIM_STOP;
}

/* PIM_STOP when the option's length is wrong, PIM_CUT when cut short. */
static int hello_option_value(struct pctx *c, const uint8_t *bp, unsigned otype, unsigned olen,
			      unsigned len, unsigned addr_len)
{
	switch (otype) {
	case HELLO_HOLDTIME:
		if (olen != 2)
			return bad_option_len(c, olen, 2);
		out_relts(c, get_be16(c, bp));
		break;
	case HELLO_LANPRUNEDELAY:
		if (olen != 4)
			return bad_option_len(c, olen, 4);
		unsigned delay = get_be16(c, bp);
		out_fmt(c, "\n\t    T-bit=%u, LAN delay %ums, Override interval %ums", delay >> 15, delay & 0x7fff,
			get_be16(c, bp + 2));
		break;
	case HELLO_DR_PRIORITY_OLD:
	case HELLO_DR_PRIORITY:
		if (olen == 0)
			out_str(c, "Bi-Directional Capability (Old)");
		else if (olen == 4)
			out_fmt(c, "%u", get_be32(c, bp));
		else
			return bad_option_len(c, olen, 4);
		break;
	case HELLO_GENID:
		if (olen != 4)
			return bad_option_len(c, olen, 4);
		out_fmt(c, "0x%08x", get_be32(c, bp));
		break;
	case HELLO_REFRESH_CAP:
		if (olen != 4)
			return bad_option_len(c, olen, 4);
		out_fmt(c, "v%u", get_u8(c, bp));
		if (get_u8(c, bp + 1) != 0) {
			out_str(c, ", interval ");
			out_relts(c, get_u8(c, bp + 1));
		}
		if (get_be16(c, bp + 2) != 0)
			out_fmt(c, " ?0x%04x?", get_be16(c, bp + 2));
		break;
	case HELLO_BIDIR_CAP:
		break;
	case HELLO_ADDRESS_LIST:
	case HELLO_ADDRESS_LIST_OLD:
		if (c->o->vflag > 1) {
			const uint8_t *ptr = bp;
			unsigned plen = len;
			while (ptr < bp + olen) {
				out_str(c, "\n\t    ");
				int adv = pim_addr(c, ptr, plen, PIM_UNICAST, addr_len);
				if (adv < 0)
					return PIM_CUT;
				ptr += adv;
				plen -= (unsigned)adv;
			}
		}
		break;
	default:
		if (c->o->vflag <= 1)
			unknown_data(c, bp, olen);
		break;
	}
	return 0;
}

/* RFC 7761 4.9.2: type-length-value options to the end. */
static int pimv2_hello(struct pctx *c, const uint8_t *bp, unsigned len, unsigned addr_len)
{
	char buf[24];
	while (len > 0) {
		if (len < 4)
			return PIM_CUT;
		unsigned otype = get_be16(c, bp), olen = get_be16(c, bp + 2);
		out_fmt(c, "\n\t  %s Option (%u), length %u, Value: ",
			tok2str(hello_options, "Unknown", otype, buf, sizeof(buf)), otype, olen);
		bp += 4;
		len -= 4;
		if (len < olen || !pc_has(c, bp, olen))
			return PIM_CUT;
		int rc = hello_option_value(c, bp, otype, olen, len, addr_len);
		if (rc != 0)
			return rc == PIM_STOP ? 0 : rc;
		if (c->o->vflag > 1)
			unknown_data(c, bp, olen);
		bp += olen;
		len -= olen;
	}
	return 0;
}

/* RFC 7761 4.9.3: flags, then the multicast data packet. */
static int pimv2_register(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char buf[24];
	if (len < 4 || !pc_has(c, bp, 4))
		return PIM_CUT;
	out_fmt(c, ", Flags [ %s ]\n\t", tok2str(register_flags, "none", get_be32(c, bp), buf, sizeof(buf)));
	bp += 4;
	len -= 4;
	if (len == 0)
		return PIM_CUT;
	unsigned ver = get_u8(c, bp) >> 4;
	switch (ver) {
	case 0: /* a null register: only the addresses */
		pc_need(c, bp + 12, 8);
		out_str(c, "IP-Null-header ");
		out_ip4(c, bp + 12);
		out_str(c, " > ");
		out_ip4(c, bp + 16);
		break;
	case 4:
		print_ip(c, bp, len);
		break;
	case 6:
		print_ip6(c, bp, len);
		break;
	default:
		out_fmt(c, "IP ver %u", ver);
		break;
	}
	return 0;
}

/* RFC 7761 4.9.4: group and source addresses. */
static int pimv2_register_stop(struct pctx *c, const uint8_t *bp, unsigned len, unsigned addr_len)
{
	out_str(c, " group=");
	int adv = pim_addr(c, bp, len, PIM_GROUP, addr_len);
	if (adv < 0)
		return PIM_CUT;
	bp += adv;
	len -= (unsigned)adv;
	out_str(c, " source=");
	return pim_addr(c, bp, len, PIM_UNICAST, addr_len) < 0 ? PIM_CUT : 0;
}

/* The next encoded address: KIND, after LABEL; PIM_CUT when malformed
 * or cut short (tcpdump's "goto trunc" either way). */
static int pim_next_addr(struct pctx *c, const uint8_t **bp, unsigned *len, enum pim_addr_kind kind,
			 unsigned addr_len)
{
	int adv = pim_addr(c, *bp, *len, kind, addr_len);
	if (adv < 0)
		return PIM_CUT;
	*bp += adv;
	*len -= (unsigned)adv;
	return 0;
}

/* RFC 7761 4.9.5 join/prune, and the graft and graft-ack of RFC 3973
 * 4.7.3/4.7.4 (no upstream neighbor or hold time in a graft-ack). */
static int pimv2_join_prune(struct pctx *c, const uint8_t *bp, unsigned len, unsigned type, unsigned addr_len)
{
	int ack = type == PIMV2_GRAFT_ACK;
	if (!ack) {
		out_str(c, ", upstream-neighbor: ");
		if (pim_next_addr(c, &bp, &len, PIM_UNICAST, addr_len))
			return PIM_CUT;
	}
	if (len < 4 || !pc_has(c, bp, 4))
		return PIM_CUT;
	unsigned ngroup = get_u8(c, bp + 1), holdtime = get_be16(c, bp + 2);
	out_fmt(c, "\n\t  %u group(s)", ngroup);
	if (!ack) {
		out_str(c, ", holdtime: ");
		if (holdtime == 0xffff)
			out_str(c, "infinite");
		else
			out_relts(c, holdtime);
	}
	bp += 4;
	len -= 4;
	for (unsigned i = 0; i < ngroup; i++) {
		out_fmt(c, "\n\t    group #%u: ", i + 1);
		if (pim_next_addr(c, &bp, &len, PIM_GROUP, addr_len))
			return PIM_CUT;
		if (len < 4 || !pc_has(c, bp, 4))
			return PIM_CUT;
		unsigned njoin = get_be16(c, bp), nprune = get_be16(c, bp + 2);
		out_fmt(c, ", joined sources: %u, pruned sources: %u", njoin, nprune);
		bp += 4;
		len -= 4;
		for (unsigned j = 0; j < njoin; j++) {
			out_fmt(c, "\n\t      joined source #%u: ", j + 1);
			if (pim_next_addr(c, &bp, &len, PIM_SOURCE, addr_len))
				return PIM_CUT;
		}
		for (unsigned j = 0; j < nprune; j++) {
			out_fmt(c, "\n\t      pruned source #%u: ", j + 1);
			if (pim_next_addr(c, &bp, &len, PIM_SOURCE, addr_len))
				return PIM_CUT;
		}
	}
	return 0;
}

/* RFC 5059 4.1: fragment tag, hash mask length, BSR priority and
 * address, then group-to-RP mappings. */
static int pimv2_bootstrap(struct pctx *c, const uint8_t *bp, unsigned len, unsigned addr_len)
{
	if (len < 2)
		return PIM_CUT;
	out_fmt(c, " tag=%x", get_be16(c, bp));
	bp += 2;
	len -= 2;
	if (len < 1)
		return PIM_CUT;
	out_fmt(c, " hashmlen=%u", get_u8(c, bp));
	if (len < 2 || !pc_has(c, bp, 3))
		return PIM_CUT;
	out_fmt(c, " BSRprio=%u", get_u8(c, bp + 1));
	bp += 2;
	len -= 2;
	out_str(c, " BSR=");
	if (pim_next_addr(c, &bp, &len, PIM_UNICAST, addr_len))
		return PIM_CUT;
	for (unsigned i = 0; len > 0; i++) {
		out_fmt(c, " (group%u: ", i);
		if (pim_next_addr(c, &bp, &len, PIM_GROUP, addr_len))
			return PIM_CUT;
		if (len < 1)
			return PIM_CUT;
		out_fmt(c, " RPcnt=%u", get_u8(c, bp));
		if (len < 2)
			return PIM_CUT;
		unsigned frpcnt = get_u8(c, bp + 1);
		out_fmt(c, " FRPcnt=%u", frpcnt);
		if (len < 4)
			return PIM_CUT;
		bp += 4;
		len -= 4;
		for (unsigned j = 0; j < frpcnt && len > 0; j++) {
			out_fmt(c, " RP%u=", j);
			if (pim_next_addr(c, &bp, &len, PIM_UNICAST, addr_len))
				return PIM_CUT;
			if (len < 2)
				return PIM_CUT;
			out_str(c, ",holdtime=");
			out_relts(c, get_be16(c, bp));
			if (len < 3)
				return PIM_CUT;
			out_fmt(c, ",prio=%u", get_u8(c, bp + 2));
			if (len < 4)
				return PIM_CUT;
			bp += 4;
			len -= 4;
		}
		out_char(c, ')');
	}
	return 0;
}

/* RFC 7761 4.9.6: group, source, RPT bit, preference and metric. */
static int pimv2_assert(struct pctx *c, const uint8_t *bp, unsigned len, unsigned addr_len)
{
	out_str(c, " group=");
	if (pim_next_addr(c, &bp, &len, PIM_GROUP, addr_len))
		return PIM_CUT;
	out_str(c, " src=");
	if (pim_next_addr(c, &bp, &len, PIM_UNICAST, addr_len))
		return PIM_CUT;
	if (len < 8 || !pc_has(c, bp, 8))
		return PIM_CUT;
	if (get_u8(c, bp) & 0x80)
		out_str(c, " RPT");
	out_fmt(c, " pref=%u", get_be32(c, bp) & 0x7fffffffu);
	out_fmt(c, " metric=%u", get_be32(c, bp + 4));
	return 0;
}

/* RFC 7761 4.9.7: prefix count, priority, hold time, RP, groups. */
static int pimv2_candidate_rp(struct pctx *c, const uint8_t *bp, unsigned len, unsigned addr_len)
{
	if (len < 1)
		return PIM_CUT;
	unsigned pfxcnt = get_u8(c, bp);
	out_fmt(c, " prefix-cnt=%u", pfxcnt);
	if (len < 2)
		return PIM_CUT;
	out_fmt(c, " prio=%u", get_u8(c, bp + 1));
	if (len < 4)
		return PIM_CUT;
	out_str(c, " holdtime=");
	out_relts(c, get_be16(c, bp + 2));
	bp += 4;
	len -= 4;
	out_str(c, " RP=");
	if (pim_next_addr(c, &bp, &len, PIM_UNICAST, addr_len))
		return PIM_CUT;
	for (unsigned i = 0; i < pfxcnt && len > 0; i++) {
		out_fmt(c, " Group%u=", i);
		if (pim_next_addr(c, &bp, &len, PIM_GROUP, addr_len))
			return PIM_CUT;
	}
	return 0;
}

/* draft-ietf-pim-refresh: source, group, forwarder, then the 16-bit
 * state refresh interval tcpdump calls TUNR. */
static int pimv2_prune_refresh(struct pctx *c, const uint8_t *bp, unsigned len, unsigned addr_len)
{
	out_str(c, " src=");
	if (pim_next_addr(c, &bp, &len, PIM_UNICAST, addr_len))
		return PIM_CUT;
	out_str(c, " grp=");
	if (pim_next_addr(c, &bp, &len, PIM_GROUP, addr_len))
		return PIM_CUT;
	out_str(c, " forwarder=");
	if (pim_next_addr(c, &bp, &len, PIM_UNICAST, addr_len))
		return PIM_CUT;
	out_str(c, " TUNR ");
	out_relts(c, get_be16(c, bp));
	return 0;
}

/* RFC 5015 3.7: RP address, sender's preference and metric; a Backoff
 * adds the offering router and an interval, a Pass the new winner. */
static int pimv2_df_election(struct pctx *c, const uint8_t *bp, unsigned len, unsigned subtype,
			     unsigned addr_len)
{
	char buf[24];
	out_fmt(c, "\n\t  %s, rpa=", tok2str(df_subtypes, "Unknown", subtype, buf, sizeof(buf)));
	if (pim_next_addr(c, &bp, &len, PIM_UNICAST, addr_len))
		return PIM_CUT;
	out_fmt(c, " sender pref=%u", get_be32(c, bp));
	out_fmt(c, " sender metric=%u", get_be32(c, bp + 4));
	bp += 8;
	len = len > 8 ? len - 8 : 0;
	if (subtype != DF_BACKOFF && subtype != DF_PASS)
		return 0;
	const char *who = subtype == DF_BACKOFF ? "offer" : "new winner";
	out_fmt(c, "\n\t  %s addr=", who);
	if (pim_next_addr(c, &bp, &len, PIM_UNICAST, addr_len))
		return PIM_CUT;
	out_fmt(c, " %s pref=%u", who, get_be32(c, bp));
	out_fmt(c, " %s metric=%u", who, get_be32(c, bp + 4));
	bp += 8;
	if (subtype == DF_BACKOFF)
		out_fmt(c, " interval %ums", get_be16(c, bp));
	return 0;
}

enum cksum_status { CKSUM_CORRECT, CKSUM_INCORRECT, CKSUM_UNVERIFIED };

/* Over LEN bytes from BP: plain for IPv4, with the RFC 8200 8.1
 * pseudo-header over IPv6 (RFC 7761 4.9). */
static enum cksum_status pimv2_cksum(struct pctx *c, const uint8_t *bp, const uint8_t *ip, unsigned len)
{
	if (!pc_has(c, bp, len))
		return CKSUM_UNVERIFIED;
	unsigned ipver = get_u8(c, ip) >> 4;
	uint16_t sum;
	if (ipver == 4)
		sum = cksum_fold(cksum_add(0, bp, len));
	else if (ipver == 6)
		sum = ip_l4_cksum(c, ip, bp, len, IPPROTO_NUM_PIM);
	else
		return CKSUM_UNVERIFIED;
	return sum ? CKSUM_INCORRECT : CKSUM_CORRECT;
}

/* The PIMv2 header's -v part and the message body. */
static void pimv2_body(struct pctx *c, const uint8_t *bp, unsigned len, const uint8_t *ip)
{
	c->proto = "pimv2";
	if (len < 2) {
		out_fmt(c, "[length %u < 2]", len);
		out_invalid(c);
		return;
	}
	unsigned type = get_u8(c, bp) & 0x0f;
	/* RFC 2117's unicast address length in the reserved byte; RFC
	 * 5015's subtype in its high nibble */
	unsigned addr_len = get_u8(c, bp + 1) & 0x0f;
	unsigned subtype = get_u8(c, bp + 1) >> 4;
	if (addr_len != 0)
		out_str(c, ", RFC2117-encoding");
	if (len < 4) {
		out_fmt(c, "[length %u < 4]", len);
		out_invalid(c);
		return;
	}
	unsigned cksum = get_be16(c, bp + 2);
	out_fmt(c, ", cksum 0x%04x ", cksum);
	if (cksum == 0) {
		out_str(c, "(unverified)");
	} else {
		enum cksum_status st;
		if (type == PIMV2_REGISTER) {
			/* RFC 7761 4.9.3: over the header only, though one over
			 * the whole message is accepted too */
			st = pimv2_cksum(c, bp, ip, 8);
			if (st == CKSUM_INCORRECT)
				st = pimv2_cksum(c, bp, ip, len);
		} else {
			st = pimv2_cksum(c, bp, ip, len);
		}
		out_str(c, st == CKSUM_CORRECT ? "(correct)" : st == CKSUM_INCORRECT ? "(incorrect)" : "(unverified)");
	}
	bp += 4;
	len -= 4;
	int rc = 0;
	switch (type) {
	case PIMV2_HELLO:
		rc = pimv2_hello(c, bp, len, addr_len);
		break;
	case PIMV2_REGISTER:
		rc = pimv2_register(c, bp, len);
		break;
	case PIMV2_REGISTER_STOP:
		rc = pimv2_register_stop(c, bp, len, addr_len);
		break;
	case PIMV2_JOIN_PRUNE:
	case PIMV2_GRAFT:
	case PIMV2_GRAFT_ACK:
		rc = pimv2_join_prune(c, bp, len, type, addr_len);
		break;
	case PIMV2_BOOTSTRAP:
		rc = pimv2_bootstrap(c, bp, len, addr_len);
		break;
	case PIMV2_ASSERT:
		rc = pimv2_assert(c, bp, len, addr_len);
		break;
	case PIMV2_CANDIDATE_RP:
		rc = pimv2_candidate_rp(c, bp, len, addr_len);
		break;
	case PIMV2_PRUNE_REFRESH:
		rc = pimv2_prune_refresh(c, bp, len, addr_len);
		break;
	case PIMV2_DF_ELECTION:
		rc = pimv2_df_election(c, bp, len, subtype, addr_len);
		break;
	default:
		out_fmt(c, " [type %u]", type);
		break;
	}
	if (rc == PIM_CUT)
		out_trunc(c);
}

void print_pim(struct pctx *c, const uint8_t *bp, unsigned len, const uint8_t *ip)
{
	char buf[32];
	c->proto = "pim";
	c->last = "pim";
	unsigned typever = get_u8(c, bp);
	unsigned ver = typever >> 4;
	const char *type = tok2str(pimv2_types, "Unknown Type", typever & 0x0f, buf, sizeof(buf));
	if (ver != 2) {
		out_fmt(c, "PIMv%u, length %u", ver, len);
		return;
	}
	if (!c->o->vflag) {
		out_fmt(c, "PIMv%u, %s, length %u", ver, type, len);
		return;
	}
	out_fmt(c, "PIMv%u, length %u\n\t%s", ver, len, type);
	pimv2_body(c, bp, len, ip);
}

/* ---- PIMv1 inside IGMP ------------------------------------------------ */

enum {
	PIMV1_QUERY = 0,
	PIMV1_REGISTER = 1,
	PIMV1_REGISTER_STOP = 2,
	PIMV1_JOIN_PRUNE = 3,
	PIMV1_RP_REACHABLE = 4,
	PIMV1_ASSERT = 5,
	PIMV1_GRAFT = 6,
	PIMV1_GRAFT_ACK = 7,
};

static const struct tok pimv1_types[] = {
	{ 0, "Query" }, { 1, "Register" }, { 2, "Register-Stop" }, { 3, "Join/Prune" }, { 4, "RP-reachable" },
	{ 5, "Assert" }, { 6, "Graft" }, { 7, "Graft-ACK" }, { 0, NULL },
};

static void pimv1_query(struct pctx *c, const uint8_t *bp)
{
	static const char *const modes[] = { " Dense-mode", " Sparse-mode", " Sparse-Dense-mode" };
	if (pc_has(c, bp + 8, 1)) {
		unsigned mode = get_u8(c, bp + 8) >> 4;
		if (mode < 3)
			out_str(c, modes[mode]);
		else
			out_fmt(c, " mode-%u", mode);
	}
	if (c->o->vflag) {
		out_str(c, " (Hold-time ");
		out_relts(c, get_be16(c, bp + 10));
		out_char(c, ')');
	}
}

/* The one-line form of a single source in a single group. */
static void pimv1_join_prune_line(struct pctx *c, const uint8_t *bp, unsigned njoin)
{
	out_str(c, " RPF ");
	out_ip4(c, bp);
	out_char(c, ' ');
	unsigned hold = get_be16(c, bp + 6);
	if (hold != 180) {
		out_str(c, "Hold ");
		out_relts(c, hold);
	}
	unsigned fl = get_u8(c, bp + 25);
	out_fmt(c, "%s (", njoin ? "Join" : "Prune");
	out_ip4(c, bp + 26);
	out_fmt(c, "/%u, ", fl & 0x3f);
	out_ip4(c, bp + 12);
	if (get_be32(c, bp + 16) != 0xffffffffu) {
		out_char(c, '/');
		out_ip4(c, bp + 16);
	}
	out_fmt(c, ") %s%s %s", (get_u8(c, bp + 24) & 1) ? "Sparse" : "Dense", (fl & 0x80) ? " WC" : "",
		(fl & 0x40) ? "RP" : "SPT");
}

/* The PIMv1 draft's join/prune (graft, graft-ack) body: upstream
 * neighbor, hold time, then at -vv the groups with their sources. */
static int pimv1_join_prune(struct pctx *c, const uint8_t *bp, unsigned len)
{
	if (pc_has(c, bp, 30) && get_u8(c, bp + 11) == 1) {
		unsigned njoin = get_be16(c, bp + 20);
		if (njoin + get_be16(c, bp + 22) == 1) {
			pimv1_join_prune_line(c, bp, njoin);
			return 0;
		}
	}
	int vv = c->o->vflag > 1;
	if (len < 4)
		return PIM_CUT;
	if (vv)
		out_char(c, '\n');
	out_ip4_after(c, " Upstream Nbr: ", bp);
	bp += 4;
	len -= 4;
	if (len < 4)
		return PIM_CUT;
	if (vv)
		out_char(c, '\n');
	out_str(c, " Hold time: ");
	out_relts(c, get_be16(c, bp + 2));
	if (!vv)
		return 0;
	bp += 4;
	len -= 4;
	if (len < 4)
		return PIM_CUT;
	unsigned ngroups = get_u8(c, bp + 3);
	bp += 4;
	len -= 4;
	for (; ngroups != 0; ngroups--) {
		if (len < 4)
			return PIM_CUT;
		out_ip4_after(c, "\n\tGroup: ", bp);
		bp += 4;
		len -= 4;
		if (len < 4)
			return PIM_CUT;
		if (get_be32(c, bp) != 0xffffffffu) {
			out_char(c, '/');
			out_ip4(c, bp);
		}
		bp += 4;
		len -= 4;
		if (len < 4)
			return PIM_CUT;
		unsigned njoin = get_be16(c, bp), nprune = get_be16(c, bp + 2);
		out_fmt(c, " joined: %u pruned: %u", njoin, nprune);
		bp += 4;
		len -= 4;
		for (unsigned i = 0; i < njoin + nprune; i++) {
			if (len < 6)
				return PIM_CUT;
			unsigned f0 = get_u8(c, bp), f1 = get_u8(c, bp + 1);
			pc_need(c, bp + 2, 4);
			out_fmt(c, "\n\t%s %s%s%s", i < njoin ? "Join " : "Prune", (f0 & 1) ? "Sparse " : "Dense ",
				(f1 & 0x80) ? "WC " : "", (f1 & 0x40) ? "RP " : "SPT ");
			out_ip4(c, bp + 2);
			out_fmt(c, "/%u", f1 & 0x3f);
			bp += 6;
			len -= 6;
		}
	}
	return 0;
}

void print_pimv1(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char buf[24];
	c->proto = "pimv1";
	c->last = "pim";
	unsigned type = get_u8(c, bp + 1);
	out_fmt(c, " %s", tok2str(pimv1_types, "[type %u]", type, buf, sizeof(buf)));
	switch (type) {
	case PIMV1_QUERY:
		pimv1_query(c, bp);
		break;
	case PIMV1_REGISTER:
		if (!pc_has(c, bp + 8, 20)) { /* the encapsulated IP header */
			out_trunc(c);
			return;
		}
		out_str(c, " for ");
		out_ip4(c, bp + 20);
		out_str(c, " > ");
		out_ip4(c, bp + 24);
		break;
	case PIMV1_REGISTER_STOP:
		pc_need(c, bp + 8, 8);
		out_str(c, " for ");
		out_ip4(c, bp + 8);
		out_str(c, " > ");
		out_ip4(c, bp + 12);
		break;
	case PIMV1_RP_REACHABLE:
		if (c->o->vflag) {
			out_ip4_after(c, " group ", bp + 8);
			if (get_be32(c, bp + 12) != 0xffffffffu) {
				out_char(c, '/');
				out_ip4(c, bp + 12);
			}
			out_ip4_after(c, " RP ", bp + 16);
			out_str(c, " hold ");
			out_relts(c, get_be16(c, bp + 22));
		}
		break;
	case PIMV1_ASSERT:
		pc_need(c, bp + 8, 12);
		out_str(c, " for ");
		out_ip4(c, bp + 16);
		out_str(c, " > ");
		out_ip4(c, bp + 8);
		if (get_be32(c, bp + 12) != 0xffffffffu) {
			out_char(c, '/');
			out_ip4(c, bp + 12);
		}
		out_fmt(c, " %s pref %u metric %u", (get_u8(c, bp + 20) & 0x80) ? "RP-tree" : "SPT",
			get_be32(c, bp + 20) & 0x7fffffffu, get_be32(c, bp + 24));
		break;
	case PIMV1_JOIN_PRUNE:
	case PIMV1_GRAFT:
	case PIMV1_GRAFT_ACK:
		if (c->o->vflag) {
			if (len < 8) {
				out_trunc(c);
				return;
			}
			/* a cut list is marked, and the version check still follows */
			if (pimv1_join_prune(c, bp + 8, len - 8) == PIM_CUT)
				out_trunc(c);
		}
		break;
	}
	if ((get_u8(c, bp + 4) >> 4) != 1)
		out_fmt(c, " [v%u]", get_u8(c, bp + 4) >> 4);
}
