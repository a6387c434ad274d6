/* capture/print_rip.c: RIP (RFC 1058, RFC 2453 4) as tcpdump 4.99.3's
 * print-rip.c prints it: version, command and length; with -v the
 * route entries of requests and responses (version 1, version 2 with
 * its authentication entries, RFC 2453 4.1 and RFC 4822 2) and the hex
 * of the commands it does not decode; with -vv the whole message in
 * hex. And RIPng (RFC 2080) as print-ripng.c prints it. */
#include "print_get.h"
#include "print_udpapp.h"

#include <stdio.h>

#define RIP_HDR_LEN 4u     /* RFC 2453 4: command, version, zero */
#define RIP_ROUTELEN 20u   /* RFC 2453 4: one route entry */
#define RIP_ENTRY_HDR 4u   /* address family and route tag */
#define RIP_AUTHLEN 16u    /* RFC 2453 4.1: simple password */
#define RIP_CRYPTO_LEN 16u /* RFC 4822 2.2: the cryptographic header */
#define RIP_AF_INET 2
#define RIP_VERSION_0 0    /* RFC 1058 3.4: ignored, no defined format */
#define RIP_AF_AUTH 0xffff /* RFC 2453 4.1 */

enum rip_auth { RIP_AUTH_TRAILER = 1, RIP_AUTH_SIMPLE = 2, RIP_AUTH_CRYPTO = 3 };

/* tcpdump's bsd_af_values. */
static const struct tok bsd_afs[] = {
	{ 2, "IPv4" }, { 6, "NS" }, { 7, "ISO" }, { 16, "Appletalk" }, { 23, "IPX" },
	{ 24, "IPv6" }, { 28, "IPv6" }, { 30, "IPv6" }, { 0, NULL },
};

enum rip_cmd { RIP_REQUEST = 1, RIP_RESPONSE, RIP_TRACEON, RIP_TRACEOFF, RIP_POLL, RIP_POLLENTRY };

static const struct tok rip_cmds[] = {
	{ RIP_REQUEST, "Request" },   { RIP_RESPONSE, "Response" }, { RIP_TRACEON, "Trace on" },
	{ RIP_TRACEOFF, "Trace off" }, { RIP_POLL, "Poll" },        { RIP_POLLENTRY, "Poll Entry" },
	{ 0, NULL },
};

/* tcpdump's mask2plen: the prefix length of a contiguous mask, -1 for
 * any other. */
static int mask_plen(uint32_t mask)
{
	for (int plen = 32; plen >= 0; plen--) {
		uint32_t m = plen ? ~0u << (32 - plen) : 0;
		if (mask == m)
			return plen;
	}
	return -1;
}

/* RFC 1058 3.1 entry; the bytes used, 0 when fewer than an entry are
 * left or captured. */
static unsigned rip_v1_entry(struct pctx *c, const uint8_t *p, unsigned remaining)
{
	char buf[32];
	if (remaining < RIP_ROUTELEN || !pc_has(c, p, RIP_ROUTELEN))
		return 0;
	unsigned family = get_be16(c, p);
	if (family != RIP_AF_INET && family != 0) {
		out_fmt(c, "\n\t AFI %s, ", tok2str(bsd_afs, "Unknown (%u)", family, buf, sizeof(buf)));
		udpapp_unknown_data(c, p + RIP_ENTRY_HDR, "\n\t  ", RIP_ROUTELEN - RIP_ENTRY_HDR);
		return RIP_ROUTELEN;
	}
	if (get_be16(c, p + 2) || get_be32(c, p + 8) || get_be32(c, p + 12)) {
		/* RFC 1058 3.1: must-be-zero fields that are not */
		udpapp_unknown_data(c, p, "\n\t  ", RIP_ROUTELEN);
		return RIP_ROUTELEN;
	}
	out_str(c, family == 0 ? "\n\t  AFI 0, " : "\n\t  ");
	out_ip4(c, p + 4);
	out_fmt(c, ", metric: %u", get_be32(c, p + 16));
	return RIP_ROUTELEN;
}

/* tcpdump's nd_printjzp: N bytes up to the first NUL, cat -v style. */
static void printjzp(struct pctx *c, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (get_u8(c, p + i) == '\0')
			break;
		out_printjn(c, p + i, 1);
	}
}

/* RFC 2453 4.1 authentication entry (family 0xffff); the bytes used, 0
 * when cut short. */
static unsigned rip_v2_auth(struct pctx *c, const uint8_t *p, unsigned remaining)
{
	unsigned type = get_be16(c, p + 2);
	p += RIP_ENTRY_HDR;
	remaining -= RIP_ENTRY_HDR;
	switch (type) {
	case RIP_AUTH_SIMPLE:
		out_str(c, "\n\t  Simple Text Authentication data: ");
		printjzp(c, p, RIP_AUTHLEN);
		return RIP_ROUTELEN;
	case RIP_AUTH_CRYPTO: /* RFC 4822 2.2 */
		if (remaining < RIP_CRYPTO_LEN)
			return 0;
		out_fmt(c, "\n\t  Auth header: Packet Len %u,", get_be16(c, p));
		out_fmt(c, " Key-ID %u,", get_u8(c, p + 2));
		out_fmt(c, " Auth Data Len %u,", get_u8(c, p + 3));
		out_fmt(c, " SeqNo %u,", get_be32(c, p + 4));
		out_fmt(c, " MBZ %u,", get_be32(c, p + 8));
		out_fmt(c, " MBZ %u", get_be32(c, p + 12));
		return RIP_ROUTELEN;
	case RIP_AUTH_TRAILER: /* RFC 4822 2.2: runs to the end of the packet */
		out_str(c, "\n\t  Auth trailer:");
		break;
	default:
		out_fmt(c, "\n\t  Unknown (%u) Authentication data:", type);
		break;
	}
	udpapp_unknown_data(c, p, "\n\t  ", remaining);
	return RIP_ENTRY_HDR + remaining;
}

/* RFC 2453 4 entry: family, tag, prefix/mask, next hop, metric. */
static unsigned rip_v2_entry(struct pctx *c, const uint8_t *p, unsigned remaining)
{
	char buf[32];
	if (remaining < RIP_ENTRY_HDR)
		return 0;
	unsigned family = get_be16(c, p);
	if (family == RIP_AF_AUTH)
		return rip_v2_auth(c, p, remaining);
	if (family != RIP_AF_INET && family != 0) {
		out_fmt(c, "\n\t  AFI %s", tok2str(bsd_afs, "Unknown (%u)", family, buf, sizeof(buf)));
		udpapp_unknown_data(c, p + RIP_ENTRY_HDR, "\n\t  ", RIP_ROUTELEN - RIP_ENTRY_HDR);
		return RIP_ROUTELEN;
	}
	if (remaining < RIP_ROUTELEN)
		return 0;
	char dest[16];
	pc_need(c, p + 4, 4);
	snprintf(dest, sizeof(dest), "%u.%u.%u.%u", p[4], p[5], p[6], p[7]);
	out_fmt(c, "\n\t  AFI %s, %15s/%-2d, tag 0x%04x, metric: %u, next-hop: ",
		tok2str(bsd_afs, "%u", family, buf, sizeof(buf)), dest, mask_plen(get_be32(c, p + 8)),
		get_be16(c, p + 2), get_be32(c, p + 16));
	if (get_be32(c, p + 12))
		out_ip4(c, p + 12);
	else
		out_str(c, "self");
	return RIP_ROUTELEN;
}

/* The entries after the header; an entry that claims more than is
 * left ends the walk as invalid. */
static void rip_entries(struct pctx *c, const uint8_t *p, unsigned len, unsigned vers)
{
	while (len != 0) {
		unsigned used = vers == 1 ? rip_v1_entry(c, p, len) : rip_v2_entry(c, p, len);
		if (used == 0) {
			out_trunc(c);
			return;
		}
		if (len < used) {
			out_fmt(c, " [remaining entries length %u < %u]", len, used);
			out_invalid(c);
			return;
		}
		p += used;
		len -= used;
	}
}

void print_rip(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char buf[32];
	c->proto = "rip";
	c->last = "rip";
	size_t avail = pc_avail(c, bp);
	unsigned left = avail < len ? (unsigned)avail : len;
	if (left < RIP_HDR_LEN) {
		out_trunc(c);
		return;
	}
	left -= RIP_HDR_LEN;
	unsigned cmd = get_u8(c, bp), vers = get_u8(c, bp + 1);
	out_fmt(c, "%sRIPv%u", c->o->vflag >= 1 ? "\n\t" : "", vers);
	if (vers == RIP_VERSION_0) {
		/* RFC 1058 3.4: version 0 is machine specific and to be ignored;
		 * tcpdump dumps the whole message in hex at every -v level. */
		udpapp_unknown_data(c, bp, "\n\t", len);
		return;
	}
	out_fmt(c, ", %s, length: %u", tok2str(rip_cmds, "unknown command (%u)", cmd, buf, sizeof(buf)), len);
	if (c->o->vflag < 1)
		return;
	switch (cmd) {
	case RIP_REQUEST:
	case RIP_RESPONSE:
		if (vers == 1)
			out_fmt(c, ", routes: %u", len / RIP_ROUTELEN);
		else if (vers == 2)
			out_fmt(c, ", routes: %u or less", len / RIP_ROUTELEN);
		else
			out_str(c, ", unknown version");
		if (vers == 1 || vers == 2)
			rip_entries(c, bp + RIP_HDR_LEN, left, vers);
		break;
	case RIP_TRACEOFF:
	case RIP_POLL:
	case RIP_POLLENTRY:
		break;
	default:
		/* tcpdump dumps what it does not decode, once even at -vv */
		if (c->o->vflag == 1)
			udpapp_unknown_data(c, bp, "\n\t", len);
		break;
	}
	if (c->o->vflag > 1)
		udpapp_unknown_data(c, bp, "\n\t", len);
}

/* ---- RIPng (RFC 2080), UDP 521 ------------------------------------- */

#define RIPNG_HDR_LEN 4u    /* RFC 2080 2.1: command, version, zero */
#define RIPNG_RTE_LEN 20u   /* RFC 2080 2.1: prefix, tag, length, metric */
#define RIPNG_VERSION 1
#define RIPNG_INFINITY 16   /* RFC 2080 2.1: metric of an unreachable route */

/* RFC 2080 2.1 route table entry: prefix/length, [tag] when not 0, and
 * (metric) in responses. */
static void ripng_rte(struct pctx *c, const uint8_t *ni, int with_metric)
{
	pc_need(c, ni, 19); /* tcpdump reads prefix and length before printing */
	out_ip6(c, ni);
	out_fmt(c, "/%u", get_u8(c, ni + 18));
	unsigned tag = get_be16(c, ni + 16);
	if (tag)
		out_fmt(c, " [%u]", tag);
	if (with_metric)
		out_fmt(c, " (%u)", get_u8(c, ni + 19));
}

static int ipv6_unspecified(struct pctx *c, const uint8_t *p)
{
	pc_need(c, p, 16);
	for (unsigned i = 0; i < 16; i++)
		if (p[i])
			return 0;
	return 1;
}

/* RFC 2080 2.4.1: one entry of prefix :: and metric 16 asks for the
 * whole table. 0 when the entries do not fill the message. */
static int ripng_entries(struct pctx *c, const uint8_t *bp, unsigned len, int response)
{
	unsigned left = len - RIPNG_HDR_LEN, n = left / RIPNG_RTE_LEN;
	const uint8_t *ni = bp + RIPNG_HDR_LEN;
	const char *what = response ? "resp" : "req";
	if (!response && n == 1 && get_u8(c, ni + 19) == RIPNG_INFINITY && ipv6_unspecified(c, ni)) {
		out_str(c, " ripng-req dump");
		return 1;
	}
	if (n * RIPNG_RTE_LEN != left)
		out_fmt(c, " ripng-%s %u[%u]:", what, n, len);
	else
		out_fmt(c, " ripng-%s %u:", what, n);
	for (; left >= RIPNG_RTE_LEN; left -= RIPNG_RTE_LEN, ni += RIPNG_RTE_LEN) {
		out_str(c, c->o->vflag > 1 ? "\n\t" : " ");
		ripng_rte(c, ni, response);
	}
	return left == 0;
}

void print_ripng(struct pctx *c, const uint8_t *bp, unsigned len)
{
	c->proto = "ripng";
	c->last = "ripng";
	unsigned cmd = get_u8(c, bp), vers = get_u8(c, bp + 1);
	if (vers != RIPNG_VERSION) {
		out_fmt(c, " [vers %u]", vers);
		out_invalid(c);
		return;
	}
	if (cmd != RIP_REQUEST && cmd != RIP_RESPONSE) {
		out_fmt(c, " ripng-%u ?? %u", cmd, len);
		out_invalid(c);
		return;
	}
	if (len < RIPNG_HDR_LEN || !ripng_entries(c, bp, len, cmd == RIP_RESPONSE))
		out_invalid(c);
}
