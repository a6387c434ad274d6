/* capture/print_atalk.c: AppleTalk over Ethernet (Inside AppleTalk, 2nd
 * ed.) as tcpdump 4.99.3's print-atalk.c prints it: DDP (EtherType
 * 0x809b) with its ATP and NBP payloads, and AARP (0x80f3).
 *
 * Addresses print as "net.node" ("net" alone for node 255) and sockets
 * as numbers (names without -n); tcpdump never loads /etc/atalk.names. */
#include "print_get.h"

#define ETHERTYPE_ATALK 0x809b
#define ETHERTYPE_AARP 0x80f3

/* Long DDP header (Inside AppleTalk 4-11): length, checksum, dst net,
 * src net, dst node, src node, dst socket, src socket, type. */
#define DDP_LEN 13
#define DDP_DST_NET 4
#define DDP_SRC_NET 6
#define DDP_DST_NODE 8
#define DDP_SRC_NODE 9
#define DDP_DST_SKT 10
#define DDP_SRC_SKT 11
#define DDP_TYPE 12

/* DDP protocol types (Inside AppleTalk C-6). */
#define DDP_NBP 2
#define DDP_ATP 3
#define DDP_EIGRP 88
static const struct tok ddp_type_names[] = {
	{ 1, "rtmp" }, { 5, "rtmpReq" }, { 4, "echo" }, { 22, "IP" }, { 23, "ARP" }, { 0x4b, "KLAP" }, { 0, NULL },
};

/* Well-known sockets (Inside AppleTalk C-7). */
static const struct tok socket_names[] = {
	{ 1, "rtmp" }, { 2, "nis" }, { 4, "echo" }, { 6, "zip" }, { 0, NULL },
};

/* ATP header (Inside AppleTalk 9-12): control, bitmap/sequence,
 * transaction id, user bytes. */
#define ATP_LEN 8
#define ATP_REQ 0x40
#define ATP_RSP 0x80
#define ATP_REL 0xc0
#define ATP_XO 0x20
#define ATP_EOM 0x10
#define ATP_STS 0x08

/* NBP (Inside AppleTalk 7-18): control (function, tuple count), id,
 * then tuples of net, node, socket, enumerator and three counted
 * strings (object, type, zone) of at most 32 bytes. */
#define NBP_HDR_LEN 2
#define NBP_TUPLE_LEN 5
#define NBP_BRRQ 0x10
#define NBP_LKUP 0x20
#define NBP_LKUP_REPLY 0x30
#define NBP_MAX_STRING 32

/* AARP (Inside AppleTalk 2-9): hardware and protocol types and lengths,
 * function, then sender and target hardware/AppleTalk addresses. */
#define AARP_LEN 28
#define AARP_HW_SRC 8
#define AARP_AT_SRC 14
#define AARP_AT_DST 24

static void out_ataddr(struct pctx *c, unsigned net, unsigned node)
{
	if (node != 255)
		out_fmt(c, "%u.%u", net, node);
	else
		out_fmt(c, "%u", net);
}

static void out_socket(struct pctx *c, unsigned skt)
{
	const char *s = c->o->n_level ? NULL : tok_find(socket_names, skt);
	if (s)
		out_str(c, s);
	else
		out_fmt(c, "%u", skt);
}

/* The bitmap of a request or release: a contiguous run from 0 as
 * "<0-N>", anything else bit by bit "<1,3>". */
static void print_atp_bitmap(struct pctx *c, unsigned bm)
{
	unsigned i;
	if ((bm + 1) & bm) {
		char sep = '<';
		for (i = 0; bm; ++i, bm >>= 1)
			if (bm & 1) {
				out_fmt(c, "%c%u", sep, i);
				sep = ',';
			}
		out_char(c, '>');
	} else {
		for (i = 0; bm; ++i)
			bm >>= 1;
		if (i > 1)
			out_fmt(c, "<0-%u>", i - 1);
		else
			out_str(c, "<0>");
	}
}

static void print_atp(struct pctx *c, const uint8_t *ap, unsigned length)
{
	if (!pc_has(c, ap, ATP_LEN)) {
		out_trunc(c);
		return;
	}
	if (length < ATP_LEN) {
		out_fmt(c, " [|atp %u]", length);
		return;
	}
	length -= ATP_LEN;
	unsigned control = get_u8(c, ap), bitmap = get_u8(c, ap + 1), tid = get_be16(c, ap + 2);
	switch (control & 0xc0) {
	case ATP_REQ:
		out_fmt(c, " atp-req%s %u", (control & ATP_XO) ? " " : "*", tid);
		print_atp_bitmap(c, bitmap);
		if (length != 0)
			out_fmt(c, " [len=%u]", length);
		switch (control & (ATP_EOM | ATP_STS)) {
		case ATP_EOM:
			out_str(c, " [EOM]");
			break;
		case ATP_STS:
			out_str(c, " [STS]");
			break;
		case ATP_EOM | ATP_STS:
			out_str(c, " [EOM,STS]");
			break;
		}
		break;
	case ATP_RSP:
		out_fmt(c, " atp-resp%s%u:%u (%u)", (control & ATP_EOM) ? "*" : " ", tid, bitmap, length);
		switch (control & (ATP_XO | ATP_STS)) {
		case ATP_XO:
			out_str(c, " [XO]");
			break;
		case ATP_STS:
			out_str(c, " [STS]");
			break;
		case ATP_XO | ATP_STS:
			out_str(c, " [XO,STS]");
			break;
		}
		break;
	case ATP_REL:
		out_fmt(c, " atp-rel  %u", tid);
		print_atp_bitmap(c, bitmap);
		if (length)
			out_fmt(c, " [len=%u]", length);
		if (control & (ATP_XO | ATP_EOM | ATP_STS)) {
			char sep = '[';
			if (control & ATP_XO) {
				out_fmt(c, "%cXO", sep);
				sep = ',';
			}
			if (control & ATP_EOM) {
				out_fmt(c, "%cEOM", sep);
				sep = ',';
			}
			if (control & ATP_STS)
				out_fmt(c, "%cSTS", sep);
			out_char(c, ']');
		}
		break;
	default:
		out_fmt(c, " atp-0x%x  %u (%u)", control, tid, length);
		break;
	}
	uint32_t data = get_be32(c, ap + 4);
	if (data != 0)
		out_fmt(c, " 0x%x", data);
}

/* One counted string; NULL when it is too long or cut by the capture. */
static const uint8_t *print_cstring(struct pctx *c, const uint8_t *cp)
{
	if (!pc_has(c, cp, 1)) {
		out_trunc(c);
		return NULL;
	}
	unsigned length = get_u8(c, cp++);
	if (length > NBP_MAX_STRING) {
		out_fmt(c, "[len=%u]", length);
		return NULL;
	}
	for (; length != 0; length--, cp++) {
		if (!pc_has(c, cp, 1)) {
			out_trunc(c);
			return NULL;
		}
		out_safe_char(c, get_u8(c, cp));
	}
	return cp;
}

/* " \"object:type@zone\"": returns the byte after the tuple's strings,
 * NULL when one was cut. */
static const uint8_t *print_nbp_name(struct pctx *c, const uint8_t *tp)
{
	const uint8_t *cp = tp + NBP_TUPLE_LEN;
	out_str(c, " \"");
	if ((cp = print_cstring(c, cp)) == NULL)
		return NULL;
	out_char(c, ':');
	if ((cp = print_cstring(c, cp)) == NULL)
		return NULL;
	out_char(c, '@');
	if ((cp = print_cstring(c, cp)) == NULL)
		return NULL;
	out_char(c, '"');
	return cp;
}

static const uint8_t *print_nbp_tuple(struct pctx *c, const uint8_t *tp, unsigned snet, unsigned snode,
				      unsigned skt)
{
	if (!pc_has(c, tp, NBP_TUPLE_LEN)) {
		out_trunc(c);
		return NULL;
	}
	const uint8_t *next = print_nbp_name(c, tp);
	unsigned net = get_be16(c, tp), node = get_u8(c, tp + 2), tskt = get_u8(c, tp + 3), en = get_u8(c, tp + 4);
	if (en != 1)
		out_fmt(c, "(%u)", en);
	if (tskt != skt)
		out_fmt(c, " %u", tskt);
	if (net != snet || node != snode) {
		out_str(c, " [addr=");
		out_ataddr(c, net, node);
		out_char(c, ']');
	}
	return next;
}

static void print_nbp(struct pctx *c, const uint8_t *np, unsigned length, unsigned snet, unsigned snode,
		      unsigned skt)
{
	const uint8_t *tp = np + NBP_HDR_LEN;
	if (length < NBP_HDR_LEN) {
		out_fmt(c, " truncated-nbp %u", length);
		return;
	}
	length -= NBP_HDR_LEN;
	if (length < 8) { /* room for one tuple at least */
		out_fmt(c, " truncated-nbp %u", length + NBP_HDR_LEN);
		return;
	}
	if (tp > c->snapend) {
		out_trunc(c);
		return;
	}
	unsigned control = get_u8(c, np), fn = control & 0xf0;
	switch (fn) {
	case NBP_BRRQ:
	case NBP_LKUP: {
		out_fmt(c, fn == NBP_LKUP ? " nbp-lkup %u:" : " nbp-brRq %u:", get_u8(c, np + 1));
		if (!pc_has(c, tp, NBP_TUPLE_LEN)) {
			out_trunc(c);
			return;
		}
		print_nbp_name(c, tp);
		/* the spec allows one tuple, of the sender, enumerator 0 */
		if ((control & 0xf) != 1)
			out_fmt(c, " [ntup=%u]", control & 0xf);
		unsigned en = get_u8(c, tp + 4);
		if (en)
			out_fmt(c, " [enum=%u]", en);
		unsigned net = get_be16(c, tp), node = get_u8(c, tp + 2), tskt = get_u8(c, tp + 3);
		if (net != snet || node != snode || tskt != skt) {
			out_str(c, " [addr=");
			out_ataddr(c, net, node);
			out_fmt(c, ".%u]", tskt);
		}
		break;
	}
	case NBP_LKUP_REPLY:
		out_fmt(c, " nbp-reply %u:", get_u8(c, np + 1));
		for (unsigned i = control & 0xf; i != 0 && tp; i--)
			tp = print_nbp_tuple(c, tp, snet, snode, skt);
		break;
	default:
		out_fmt(c, " nbp-0x%x  %u (%u)", control, get_u8(c, np + 1), length);
		break;
	}
}

static void print_ddp_payload(struct pctx *c, const uint8_t *bp, unsigned length, unsigned type, unsigned snet,
			      unsigned snode, unsigned skt)
{
	char buf[16];
	switch (type) {
	case DDP_NBP:
		print_nbp(c, bp, length, snet, snode, skt);
		break;
	case DDP_ATP:
		print_atp(c, bp, length);
		break;
	case DDP_EIGRP:
		c->last = "ether-app"; /* tcpdump's EIGRP printer: not in bpfcap */
		break;
	default:
		out_fmt(c, " at-%s %u", tok2str(ddp_type_names, "#%u", type, buf, sizeof(buf)), length);
		break;
	}
}

static void print_ddp(struct pctx *c, const uint8_t *bp, unsigned length)
{
	c->proto = "atalk";
	c->last = "atalk";
	if (!c->o->eflag)
		out_str(c, "AT ");
	if (length < DDP_LEN) {
		out_fmt(c, " [|ddp %u]", length);
		return;
	}
	if (!pc_has(c, bp, DDP_LEN)) {
		out_str(c, " [|ddp]");
		return;
	}
	unsigned snet = get_be16(c, bp + DDP_SRC_NET), snode = get_u8(c, bp + DDP_SRC_NODE);
	unsigned sskt = get_u8(c, bp + DDP_SRC_SKT);
	out_ataddr(c, snet, snode);
	out_char(c, '.');
	out_socket(c, sskt);
	out_str(c, " > ");
	out_ataddr(c, get_be16(c, bp + DDP_DST_NET), get_u8(c, bp + DDP_DST_NODE));
	out_char(c, '.');
	out_socket(c, get_u8(c, bp + DDP_DST_SKT));
	out_str(c, ": ");
	print_ddp_payload(c, bp + DDP_LEN, length - DDP_LEN, get_u8(c, bp + DDP_TYPE), snet, snode, sskt);
}

/* An AppleTalk protocol address in AARP: a pad byte, net, node. */
static void out_aarp_ataddr(struct pctx *c, const uint8_t *a)
{
	out_ataddr(c, get_be16(c, a + 1), get_u8(c, a + 3));
}

static void print_aarp(struct pctx *c, const uint8_t *ap, unsigned length)
{
	c->proto = "aarp";
	c->last = "aarp";
	out_str(c, "aarp ");
	if (!pc_has(c, ap, AARP_LEN)) {
		out_trunc(c);
		return;
	}
	if (length < AARP_LEN) {
		out_fmt(c, " [|aarp %u]", length);
		return;
	}
	unsigned htype = get_be16(c, ap), ptype = get_be16(c, ap + 2), halen = get_u8(c, ap + 4);
	unsigned palen = get_u8(c, ap + 5), op = get_be16(c, ap + 6);
	if (htype == 1 && ptype == ETHERTYPE_ATALK && halen == 6 && palen == 4) {
		switch (op) {
		case 1: /* request */
		case 3: /* probe */
			out_str(c, op == 1 ? "who-has " : "probe ");
			out_aarp_ataddr(c, ap + AARP_AT_DST);
			out_str(c, " tell ");
			out_aarp_ataddr(c, ap + AARP_AT_SRC);
			return;
		case 2: /* response */
			out_str(c, "reply ");
			out_aarp_ataddr(c, ap + AARP_AT_SRC);
			out_str(c, " is-at ");
			out_mac(c, ap + AARP_HW_SRC);
			return;
		}
	}
	out_fmt(c, "len %u op %u htype %u ptype %#x halen %u palen %u", length, op, htype, ptype, halen, palen);
}

int print_atalk(struct pctx *c, uint16_t type, const uint8_t *p, unsigned len, unsigned caplen)
{
	(void)caplen;
	if (type == ETHERTYPE_AARP) {
		print_aarp(c, p, len);
	} else {
		if (c->o->vflag)
			out_str(c, "et1 "); /* tcpdump's ethertype_print says so for DDP */
		print_ddp(c, p, len);
	}
	return 1;
}
