/* capture/print_decnet.c: DECnet Phase IV routing and NSP messages
 * (DNA Routing Layer Functional Specification 2.0.0, section 10; NSP
 * Functional Specification 4.0.1) as tcpdump 4.99.3's print-decnet.c
 * prints them. Multi-byte fields are little-endian; a node address is
 * "area.node" (6 bits, 10 bits). A message shorter than its fixed part
 * ends with " (invalid)"; a fixed part past the capture with the
 * " [|decnet]" marker. */
#include "print_get.h"

/* Route header (section 10.2): flags, then the short or long form. */
#define RMF_MASK 7
#define RMF_SHORT 2
#define RMF_LONG 6
#define RMF_RQR 010
#define RMF_RTS 020
#define RMF_IE 040
#define RMF_FVER 0100
#define RMF_PAD 0200
#define RMF_PADMASK 0177
#define VIS_MASK 077

/* Control messages (section 10.3). */
#define RMF_CTLMASK 017
#define RMF_CTLMSG 01
#define RMF_INIT 01
#define RMF_VER 03
#define RMF_TEST 05
#define RMF_L1ROUT 07
#define RMF_L2ROUT 011
#define RMF_RHELLO 013
#define RMF_EHELLO 015

#define TI_VERIF 04
#define TI_BLOCK 010
#define II_TYPEMASK 03
#define II_VERIF 04
#define II_NOMCAST 040
#define II_BLOCK 0100

/* Fixed sizes of the structures tcpdump overlays. */
#define SHORTHDR_LEN 6
#define LONGHDR_LEN 21
#define LONG_DST_NODE 7   /* offsets in the long header */
#define LONG_SRC_NODE 15
#define LONG_VISITS 18
#define INITMSG_LEN 12
#define VERIFMSG_LEN 4
#define TESTMSG_LEN 4
#define ROUTMSG_LEN 4
#define RHELLO_LEN 18
#define EHELLO_LEN 32

/* NSP (section 6 of the NSP specification). */
#define NSP_TYPEMASK 014
#define NSP_SUBMASK 0160
#define MFT_DATA 0
#define MFT_ACK 04
#define MFT_CTL 010
#define MFS_ILS 020
#define MFS_BOM 040
#define MFS_MOM 0
#define MFS_EOM 0100
#define MFS_INT 040
#define MFS_DACK 0
#define MFS_IACK 020
#define MFS_CACK 040
#define MFS_CI 020
#define MFS_CC 040
#define MFS_DI 060
#define MFS_DC 0100
#define MFS_RCI 0140

#define SGQ_ACK 0100000
#define SGQ_NAK 0110000
#define SGQ_OACK 0120000
#define SGQ_ONAK 0130000
#define SGQ_MASK 07777

#define LSM_MASK 03
#define LSM_NOCHANGE 0
#define LSM_DONOTSEND 1
#define LSM_SEND 2
#define LSI_MASK 014
#define LSI_DATA 0
#define LSI_INTR 4

#define COS_MASK 014
#define COS_SEGMENT 04
#define COS_MESSAGE 010
#define COI_MASK 3

#define NSPHDR_LEN 5
#define MINSEG_LEN 7
#define SEGHDR_LEN 11
#define LSMSG_LEN 2
#define ACKMSG_LEN 9
#define CIMSG_LEN 9
#define CCMSG_LEN 10
#define DIMSG_LEN 8

static const struct tok reason_names[] = {
	{ 0, "object rejected connect" },
	{ 1, "insufficient resources" },
	{ 2, "unrecognized node name" },
	{ 3, "node is shutting down" },
	{ 4, "unrecognized object" },
	{ 5, "invalid object name format" },
	{ 6, "object too busy" },
	{ 7, "protocol error discovered" },
	{ 8, "third party abort" },
	{ 9, "user abort" },
	{ 10, "invalid node name format" },
	{ 11, "local node shutting down" },
	{ 32, "insufficient local resources" },
	{ 33, "insufficient remote user resources" },
	{ 34, "invalid access control information" },
	{ 36, "bad ACCOUNT information" },
	{ 38, "no response from object" },
	{ 39, "node unreachable" },
	{ 41, "no link terminate" },
	{ 42, "disconnect complete" },
	{ 43, "bad image data in connect" },
	{ 54, "cryptographic service mismatch" },
	{ 0, NULL },
};

/* tcpdump's ND_DEFAULTPRINT inside a printer: hex and ASCII whatever the
 * flags; bytes past the capture end the packet with the marker. */
static void default_print(struct pctx *c, const uint8_t *p, unsigned len)
{
	size_t avail = pc_avail(c, p);
	if (len > avail) {
		out_hexascii(c, p, avail);
		pc_trunc(c);
	}
	out_hexascii(c, p, len);
}

static void out_dnaddr(struct pctx *c, unsigned addr)
{
	out_fmt(c, "%u.%u", (addr & 0176000) >> 10, addr & 01777);
}

static const char *const node_types[] = { "reserved-ntype? ", "l2rout ", "l1rout ", "endnode " };

/* Initialization message's "tiinfo" (10.3.1). */
static void print_t_info(struct pctx *c, unsigned info)
{
	out_str(c, node_types[info & 3]);
	if (info & TI_VERIF)
		out_str(c, "verif ");
	if (info & TI_BLOCK)
		out_str(c, "blo ");
}

/* Hello messages' "iinfo" (10.3.6, 10.3.7). */
static void print_i_info(struct pctx *c, unsigned info)
{
	out_str(c, node_types[info & II_TYPEMASK]);
	if (info & II_VERIF)
		out_str(c, "verif ");
	if (info & II_NOMCAST)
		out_str(c, "nomcast ");
	if (info & II_BLOCK)
		out_str(c, "blo ");
}

/* Routing messages (10.3.4, 10.3.5): segments of count, first id, and
 * cost/hops; the last 16 bits are a checksum. */
static void print_routes(struct pctx *c, const uint8_t *rp, unsigned len, const char *what)
{
	while (len > 6) {
		pc_need(c, rp, 6);
		unsigned count = get_le16(c, rp);
		if (count > 1024)
			return; /* tcpdump stops at what looks bogus */
		unsigned id = get_le16(c, rp + 2), info = get_le16(c, rp + 4);
		out_fmt(c, "{%s %u-%u cost %u hops %u} ", what, id, id + count, info & 0777, (info >> 10) & 037);
		rp += 6;
		len -= 6;
	}
}

/* 0 when LENGTH is short of the message's fixed part. */
static int print_ctlmsg(struct pctx *c, const uint8_t *rh, unsigned length, unsigned caplen)
{
	unsigned mflags = get_u8(c, rh);
	switch (mflags & RMF_CTLMASK) {
	case RMF_INIT:
		out_str(c, "init ");
		if (length < INITMSG_LEN)
			return 0;
		pc_need(c, rh, INITMSG_LEN);
		print_t_info(c, get_u8(c, rh + 3));
		out_str(c, "src ");
		out_dnaddr(c, get_le16(c, rh + 1));
		out_fmt(c, "blksize %u vers %u eco %u ueco %u hello %u", get_le16(c, rh + 4), get_u8(c, rh + 6),
			get_u8(c, rh + 7), get_u8(c, rh + 8), get_le16(c, rh + 9));
		break;
	case RMF_VER:
	case RMF_TEST: {
		int ver = (mflags & RMF_CTLMASK) == RMF_VER;
		out_str(c, ver ? "verification " : "test ");
		if (length < (ver ? VERIFMSG_LEN : TESTMSG_LEN))
			return 0;
		unsigned src = get_le16(c, rh + 1), other = get_u8(c, rh + 3);
		out_str(c, "src ");
		out_dnaddr(c, src);
		out_fmt(c, ver ? " fcnval %o" : " data %o", other);
		break;
	}
	case RMF_L1ROUT:
	case RMF_L2ROUT: {
		int l1 = (mflags & RMF_CTLMASK) == RMF_L1ROUT;
		out_str(c, l1 ? "lev-1-routing " : "lev-2-routing ");
		if (length < ROUTMSG_LEN)
			return 0;
		pc_need(c, rh, ROUTMSG_LEN);
		out_str(c, "src ");
		out_dnaddr(c, get_le16(c, rh + 1));
		out_char(c, ' ');
		print_routes(c, rh + ROUTMSG_LEN, length - ROUTMSG_LEN, l1 ? "ids" : "areas");
		break;
	}
	case RMF_RHELLO:
		out_str(c, "router-hello ");
		if (length < RHELLO_LEN)
			return 0;
		pc_need(c, rh, RHELLO_LEN);
		print_i_info(c, get_u8(c, rh + 10));
		out_fmt(c, "vers %u eco %u ueco %u src ", get_u8(c, rh + 1), get_u8(c, rh + 2), get_u8(c, rh + 3));
		out_dnaddr(c, get_le16(c, rh + 8));
		out_fmt(c, " blksize %u pri %u hello %u", get_le16(c, rh + 11), get_u8(c, rh + 13),
			get_le16(c, rh + 15));
		break; /* tcpdump does not print the router list */
	case RMF_EHELLO:
		out_str(c, "endnode-hello ");
		if (length < EHELLO_LEN)
			return 0;
		pc_need(c, rh, EHELLO_LEN); /* every field is read before printing */
		print_i_info(c, get_u8(c, rh + 10));
		out_fmt(c, "vers %u eco %u ueco %u src ", get_u8(c, rh + 1), get_u8(c, rh + 2), get_u8(c, rh + 3));
		out_dnaddr(c, get_le16(c, rh + 8));
		out_fmt(c, " blksize %u rtr ", get_le16(c, rh + 11));
		out_dnaddr(c, get_le16(c, rh + 26));
		out_fmt(c, " hello %u data %o", get_le16(c, rh + 28), get_u8(c, rh + 31));
		break;
	default:
		out_str(c, "unknown control message");
		default_print(c, rh, length < caplen ? length : caplen);
		break;
	}
	return 1;
}

/* "ack N " or "nak N ": an acknowledgement field whose qualifier bits
 * under NAK_BITS say negative. */
static void print_ack(struct pctx *c, unsigned ack, unsigned nak_bits, const char *ack_name, const char *nak_name)
{
	out_fmt(c, "%s %u ", (ack & nak_bits) == nak_bits ? nak_name : ack_name, ack & SGQ_MASK);
}

/* The acknowledgement fields then the segment number of a data or
 * interrupt message; 0 when NSPLEN is short. */
static int print_seg_numbers(struct pctx *c, const uint8_t *nsp, unsigned nsplen, const char *oack,
			     const char *onak)
{
	unsigned off = MINSEG_LEN;
	if (nsplen < off)
		return 0;
	unsigned ack = get_le16(c, nsp + 5);
	if (ack & SGQ_ACK) {
		print_ack(c, ack, SGQ_NAK, "ack", "nak");
		off += 2;
		if (nsplen < off)
			return 0;
		ack = get_le16(c, nsp + 7);
		if (ack & SGQ_OACK) {
			print_ack(c, ack, SGQ_ONAK, oack, onak);
			off += 2;
			if (nsplen < off)
				return 0;
			ack = get_le16(c, nsp + 9);
		}
	}
	out_fmt(c, "seg %u ", ack & SGQ_MASK);
	return 1;
}

static int print_link_service(struct pctx *c, const uint8_t *nsp, unsigned nsplen)
{
	if (nsplen < SEGHDR_LEN + LSMSG_LEN)
		return 0;
	unsigned ack = get_le16(c, nsp + 5);
	if (ack & SGQ_ACK) {
		print_ack(c, ack, SGQ_NAK, "ack", "nak");
		ack = get_le16(c, nsp + 7);
		if (ack & SGQ_OACK) {
			print_ack(c, ack, SGQ_ONAK, "ackdat", "nakdat");
			ack = get_le16(c, nsp + 9);
		}
	}
	out_fmt(c, "seg %u ", ack & SGQ_MASK);
	unsigned lsflags = get_u8(c, nsp + SEGHDR_LEN), fcval = get_u8(c, nsp + SEGHDR_LEN + 1);
	switch (lsflags & LSI_MASK) {
	case LSI_DATA:
		out_fmt(c, "dat seg count %u ", fcval);
		switch (lsflags & LSM_MASK) {
		case LSM_NOCHANGE:
			break;
		case LSM_DONOTSEND:
			out_str(c, "donotsend-data ");
			break;
		case LSM_SEND:
			out_str(c, "send-data ");
			break;
		default:
			out_fmt(c, "reserved-fcmod? %x", lsflags);
			break;
		}
		break;
	case LSI_INTR:
		out_fmt(c, "intr req count %u ", fcval);
		break;
	default:
		out_fmt(c, "reserved-fcval-int? %x", lsflags);
		break;
	}
	return 1;
}

static int print_ack_msg(struct pctx *c, const uint8_t *nsp, unsigned nsplen, const char *oack, const char *onak)
{
	if (nsplen < ACKMSG_LEN)
		return 0;
	pc_need(c, nsp, ACKMSG_LEN);
	unsigned ack = get_le16(c, nsp + 5);
	if (ack & SGQ_ACK) {
		print_ack(c, ack, SGQ_NAK, "ack", "nak");
		ack = get_le16(c, nsp + 7);
		if (ack & SGQ_OACK)
			print_ack(c, ack, SGQ_ONAK, oack, onak);
	}
	return 1;
}

static void print_services_info(struct pctx *c, unsigned services, unsigned info)
{
	static const char *const versions[] = { "ver 3.2 ", "ver 3.1 ", "ver 4.0 ", "ver 4.1 " };
	if ((services & COS_MASK) == COS_SEGMENT)
		out_str(c, "seg ");
	else if ((services & COS_MASK) == COS_MESSAGE)
		out_str(c, "msg ");
	out_str(c, versions[info & COI_MASK]);
}

static void print_reason(struct pctx *c, unsigned reason)
{
	char buf[24];
	out_fmt(c, "%s ", tok2str(reason_names, "reason-%u", reason, buf, sizeof(buf)));
}

static int print_nsp_ctl(struct pctx *c, const uint8_t *nsp, unsigned nsplen, unsigned flags, unsigned src,
			 unsigned dst)
{
	switch (flags & NSP_SUBMASK) {
	case MFS_CI:
	case MFS_RCI: {
		out_str(c, (flags & NSP_SUBMASK) == MFS_CI ? "conn-initiate " : "retrans-conn-initiate ");
		out_fmt(c, "%u>%u ", src, dst);
		if (nsplen < CIMSG_LEN)
			return 0;
		unsigned services = get_u8(c, nsp + 5), info = get_u8(c, nsp + 6), segsize = get_le16(c, nsp + 7);
		print_services_info(c, services, info);
		out_fmt(c, "segsize %u ", segsize);
		return 1;
	}
	case MFS_CC: {
		out_fmt(c, "conn-confirm %u>%u ", src, dst);
		if (nsplen < CCMSG_LEN)
			return 0;
		unsigned services = get_u8(c, nsp + 5), info = get_u8(c, nsp + 6);
		unsigned segsize = get_le16(c, nsp + 7), optlen = get_u8(c, nsp + 9);
		print_services_info(c, services, info);
		out_fmt(c, "segsize %u ", segsize);
		if (optlen)
			out_fmt(c, "optlen %u ", optlen);
		return 1;
	}
	case MFS_DI: {
		out_fmt(c, "disconn-initiate %u>%u ", src, dst);
		if (nsplen < DIMSG_LEN)
			return 0;
		unsigned reason = get_le16(c, nsp + 5), optlen = get_u8(c, nsp + 7);
		print_reason(c, reason);
		if (optlen)
			out_fmt(c, "optlen %u ", optlen);
		return 1;
	}
	case MFS_DC:
		out_fmt(c, "disconn-confirm %u>%u ", src, dst);
		print_reason(c, get_le16(c, nsp + 5));
		return 1;
	default:
		out_fmt(c, "reserved-ctltype? %x %u > %u", flags, src, dst);
		return 1;
	}
}

/* The NSP message after the route header; 0 when it is short. */
static int print_nsp(struct pctx *c, const uint8_t *nsp, unsigned nsplen)
{
	if (nsplen < NSPHDR_LEN) {
		out_fmt(c, " (nsplen %u < %u)", nsplen, NSPHDR_LEN);
		return 0;
	}
	unsigned flags = get_u8(c, nsp), dst = get_le16(c, nsp + 1), src = get_le16(c, nsp + 3);
	switch (flags & NSP_TYPEMASK) {
	case MFT_DATA:
		switch (flags & NSP_SUBMASK) {
		case MFS_BOM:
		case MFS_MOM:
		case MFS_EOM:
		case MFS_BOM + MFS_EOM:
			out_fmt(c, "data %u>%u ", src, dst);
			return print_seg_numbers(c, nsp, nsplen, "oack", "onak");
		case MFS_ILS + MFS_INT:
			out_str(c, "intr ");
			return print_seg_numbers(c, nsp, nsplen, "ackdat", "nakdat");
		case MFS_ILS:
			out_fmt(c, "link-service %u>%u ", src, dst);
			return print_link_service(c, nsp, nsplen);
		default:
			out_fmt(c, "reserved-subtype? %x %u > %u", flags, src, dst);
			return 1;
		}
	case MFT_ACK:
		switch (flags & NSP_SUBMASK) {
		case MFS_DACK:
			out_fmt(c, "data-ack %u>%u ", src, dst);
			return print_ack_msg(c, nsp, nsplen, "oack", "onak");
		case MFS_IACK:
			out_fmt(c, "ils-ack %u>%u ", src, dst);
			return print_ack_msg(c, nsp, nsplen, "ackdat", "nakdat");
		case MFS_CACK:
			out_fmt(c, "conn-ack %u", dst);
			return 1;
		default:
			out_fmt(c, "reserved-acktype? %x %u > %u", flags, src, dst);
			return 1;
		}
	case MFT_CTL:
		return print_nsp_ctl(c, nsp, nsplen, flags, src, dst);
	default:
		out_fmt(c, "reserved-type? %x %u > %u", flags, src, dst);
		return 1;
	}
}

/* Returns 0 when the message is malformed (the caller adds " (invalid)"). */
static int print_message(struct pctx *c, const uint8_t *ap, unsigned length, unsigned caplen)
{
	if (length < SHORTHDR_LEN) {
		out_fmt(c, " (length %u < %u)", length, SHORTHDR_LEN);
		return 0;
	}
	/* a 16-bit length precedes the route header (not in the
	 * specification; tcpdump and Wireshark read it) */
	unsigned pktlen = get_le16(c, ap);
	if (pktlen < SHORTHDR_LEN) {
		out_fmt(c, " (pktlen %u < %u)", pktlen, SHORTHDR_LEN);
		return 0;
	}
	if (pktlen > length) {
		out_fmt(c, " (pktlen %u > %u)", pktlen, length);
		return 0;
	}
	length = pktlen;
	const uint8_t *rh = ap + 2;
	unsigned mflags = get_u8(c, rh);
	if (mflags & RMF_PAD) {
		unsigned padlen = mflags & RMF_PADMASK;
		if (c->o->vflag)
			out_fmt(c, "[pad:%u] ", padlen);
		if (length < padlen + 2) {
			out_fmt(c, " (length %u < %u)", length, padlen + 2);
			return 0;
		}
		pc_need(c, rh, padlen);
		ap += padlen;
		length -= padlen;
		caplen -= padlen;
		rh = ap + 2;
		mflags = get_u8(c, rh);
	}
	if (mflags & RMF_FVER) {
		out_str(c, "future-version-decnet");
		default_print(c, ap, length < caplen ? length : caplen);
		return 1;
	}
	if (mflags & RMF_CTLMSG)
		return print_ctlmsg(c, rh, length, caplen);
	unsigned dst, src, hops, hdrlen;
	switch (mflags & RMF_MASK) {
	case RMF_LONG:
		if (length < LONGHDR_LEN) {
			out_fmt(c, " (length %u < %u)", length, LONGHDR_LEN);
			return 0;
		}
		pc_need(c, rh, LONGHDR_LEN);
		dst = get_le16(c, rh + LONG_DST_NODE);
		src = get_le16(c, rh + LONG_SRC_NODE);
		hops = get_u8(c, rh + LONG_VISITS);
		hdrlen = LONGHDR_LEN;
		break;
	case RMF_SHORT:
		dst = get_le16(c, rh + 1);
		src = get_le16(c, rh + 3);
		hops = (get_u8(c, rh + 5) & VIS_MASK) + 1;
		hdrlen = SHORTHDR_LEN;
		break;
	default:
		out_str(c, "unknown message flags under mask");
		default_print(c, ap, length < caplen ? length : caplen);
		return 1;
	}
	out_dnaddr(c, src);
	out_str(c, " > ");
	out_dnaddr(c, dst);
	out_fmt(c, " %u ", pktlen);
	if (c->o->vflag) {
		if (mflags & RMF_RQR)
			out_str(c, "RQR ");
		if (mflags & RMF_RTS)
			out_str(c, "RTS ");
		if (mflags & RMF_IE)
			out_str(c, "IE ");
		out_fmt(c, "%u hops ", hops);
	}
	return print_nsp(c, rh + hdrlen, length - hdrlen);
}

int print_decnet(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "decnet";
	c->last = "decnet";
	if (!print_message(c, p, len, caplen))
		out_invalid(c);
	return 1;
}
