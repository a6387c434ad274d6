/* capture/print_ppp.c: PPP frames (RFC 1661, RFC 1662 framing) as
 * tcpdump 4.99.3's print-ppp.c prints them: the protocol-number
 * dispatch PPPoE, enhanced GRE and Frame Relay share (print_ppp.h),
 * the control protocols (LCP, IPCP, IP6CP, CCP, BACP and their
 * options), CHAP, PAP and multilink, and the link types PPP (9) and
 * PPP_HDLC (50). What bpfcap cannot decode (vendor OUIs, SLARP, OSI
 * over Cisco HDLC) is tagged "ppp-other". */
#include "print_ppp.h"

#include <string.h>

#include "print_llc.h"

/* tcpdump's ppptype2str: the names it prints for protocol numbers. */
static const struct tok ppp_proto_names[] = {
	{ PPP_PROTO_IP, "IP" },
	{ PPP_PROTO_OSI, "OSI" },
	{ 0x0025, "NS" },
	{ 0x0027, "DECNET" },
	{ 0x0029, "APPLE" },
	{ PPP_PROTO_IPX, "IPX" },
	{ PPP_PROTO_VJC, "VJC IP" },
	{ PPP_PROTO_VJNC, "VJNC IP" },
	{ 0x0031, "BRPDU" },
	{ 0x0033, "STII" },
	{ 0x0035, "VINES" },
	{ PPP_PROTO_MPLS_UCAST, "MPLS" },
	{ PPP_PROTO_MPLS_MCAST, "MPLS" },
	{ PPP_PROTO_COMP, "Compressed" },
	{ PPP_PROTO_ML, "MLPPP" },
	{ PPP_PROTO_IPV6, "IP6" },
	{ 0x0201, "HELLO" },
	{ 0x0231, "LUXCOM" },
	{ 0x0233, "SNS" },
	{ PPP_PROTO_IPCP, "IPCP" },
	{ PPP_PROTO_OSICP, "OSICP" },
	{ 0x8025, "NSCP" },
	{ 0x8027, "DECNETCP" },
	{ 0x8029, "APPLECP" },
	{ 0x802b, "IPXCP" },
	{ 0x8033, "STIICP" },
	{ 0x8035, "VINESCP" },
	{ PPP_PROTO_IPV6CP, "IP6CP" },
	{ PPP_PROTO_MPLSCP, "MPLSCP" },
	{ PPP_PROTO_LCP, "LCP" },
	{ PPP_PROTO_PAP, "PAP" },
	{ PPP_PROTO_LQM, "LQM" },
	{ PPP_PROTO_CHAP, "CHAP" },
	{ PPP_PROTO_EAP, "EAP" },
	{ PPP_PROTO_SPAP, "SPAP" },
	{ PPP_PROTO_SPAP_OLD, "Old-SPAP" },
	{ PPP_PROTO_BACP, "BACP" },
	{ PPP_PROTO_BAP, "BAP" },
	{ PPP_PROTO_MPCP, "MLPPP-CP" },
	{ PPP_PROTO_CCP, "CCP" },
	{ 0, NULL },
};

/* RFC 1661 5 (and RFC 1570, RFC 1962, RFC 2153) control packet codes. */
enum {
	CP_VEXT = 0,
	CP_CONF_REQ = 1,
	CP_CONF_ACK = 2,
	CP_CONF_NAK = 3,
	CP_CONF_REJ = 4,
	CP_TERM_REQ = 5,
	CP_TERM_ACK = 6,
	CP_CODE_REJ = 7,
	CP_PROT_REJ = 8,
	CP_ECHO_REQ = 9,
	CP_ECHO_RPL = 10,
	CP_DISC_REQ = 11,
	CP_ID = 12,
	CP_TIME_REM = 13,
};

static const struct tok cp_code_names[] = {
	{ CP_VEXT, "Vendor-Extension" }, { CP_CONF_REQ, "Conf-Request" }, { CP_CONF_ACK, "Conf-Ack" },
	{ CP_CONF_NAK, "Conf-Nack" },    { CP_CONF_REJ, "Conf-Reject" },  { CP_TERM_REQ, "Term-Request" },
	{ CP_TERM_ACK, "Term-Ack" },     { CP_CODE_REJ, "Code-Reject" },  { CP_PROT_REJ, "Prot-Reject" },
	{ CP_ECHO_REQ, "Echo-Request" }, { CP_ECHO_RPL, "Echo-Reply" },   { CP_DISC_REQ, "Disc-Req" },
	{ CP_ID, "Ident" },              { CP_TIME_REM, "Time-Rem" },     { 14, "Reset-Req" },
	{ 15, "Reset-Ack" },             { 0, NULL },
};

/* ---- small shared helpers ------------------------------------------------ */

/* tcpdump's print_unknown_data: hex of what was captured of LEN bytes. */
static void ppp_unknown_data(struct pctx *c, const uint8_t *p, const char *ident, unsigned len)
{
	if (p < c->pkt || p > c->snapend) {
		out_str(c, ident);
		out_str(c, "Dissector error: print_unknown_data called with pointer past end of packet");
		return;
	}
	size_t avail = pc_avail(c, p);
	out_hex_ident(c, ident, p, len < avail ? len : avail);
}

/* tcpdump's fn_print_char over N bytes (a byte past the capture ends
 * the packet). */
static void ppp_print_chars(struct pctx *c, const uint8_t *p, unsigned n)
{
	out_printjn(c, p, n);
}

/* tcpdump's bittok2str with its ", " separator. */
static void ppp_print_bits(struct pctx *c, const struct tok *t, const char *none, unsigned v)
{
	const char *sep = "";
	for (; t->s; t++)
		if (v & t->v) {
			out_str(c, sep);
			out_str(c, t->s);
			sep = ", ";
		}
	if (!*sep)
		out_str(c, none);
}

/* ---- control protocol options (RFC 1661 6, RFC 1332, RFC 5072...) ------- */

/* One option printer per control protocol: the option at P, LEN the
 * bytes the packet says are left (tcpdump passes the whole length);
 * returns the option's length, 0 to stop the loop. */
typedef unsigned (*ppp_opt_printer)(struct pctx *c, const uint8_t *p, unsigned len);

/* RFC 1661 6 and later: LCP option names, by type, as tcpdump spells them. */
static const char *const lcp_option_names[] = {
	"Vend-Ext",       "MRU",            "ACCM",           "Auth-Prot",      "Qual-Prot",
	"Magic-Num",      "deprecated(6)",  "PFC",            "ACFC",           "FCS-Alt",
	"SDP",            "Num-Mode",       "deprecated(12)", "Call-Back",      "deprecated(14)",
	"deprecated(15)", "deprecated(16)", "MRRU",           "12-Bit seq #",   "End-Disc",
	"Proprietary",    "DCE-Id",         "MP+",            "Link-Disc",      "LCP-Auth-Opt",
	"COBS",           "Prefix-elision", "Multilink-header-Form", "I18N",    "SDL-over-SONET/SDH",
	"PPP-Muxing",
};
#define LCP_NOPTIONS (sizeof(lcp_option_names) / sizeof(lcp_option_names[0]))

enum {
	LCPOPT_VEXT = 0,
	LCPOPT_MRU = 1,
	LCPOPT_ACCM = 2,
	LCPOPT_AP = 3,
	LCPOPT_QP = 4,
	LCPOPT_MN = 5,
	LCPOPT_PFC = 7,
	LCPOPT_ACFC = 8,
	LCPOPT_CBACK = 13,
	LCPOPT_MLMRRU = 17,
	LCPOPT_MLED = 19,
	LCPOPT_LD = 23,
};

/* RFC 1994 and RFC 2433/2759 CHAP algorithms. */
static const struct tok chap_alg_names[] = {
	{ 5, "MD5" }, { 128, "MS-CHAPv1" }, { 129, "MS-CHAPv2" }, { 0, NULL },
};

/* RFC 1570 callback operations. */
static const struct tok lcp_callback_names[] = {
	{ 0, "UserAuth" }, { 1, "DialString" }, { 2, "LocalID" }, { 3, "E.164" },
	{ 4, "X.500" },    { 6, "CBCP" },       { 0, NULL },
};

/* " (length bogus, should be OP N)" */
static void opt_bogus(struct pctx *c, const char *op, unsigned n)
{
	out_fmt(c, " (length bogus, should be %s %u)", op, n);
}

/* An option printer's own check of the type and length bytes: tcpdump
 * prints "[|NAME]" (no space) and stops the options loop. */
static int opt_header_captured(struct pctx *c, const uint8_t *p, const char *name)
{
	if (pc_has(c, p, 2))
		return 1;
	out_fmt(c, "[|%s]", name);
	return 0;
}

/* The start every NCP option shares (RFC 1661 6: type, length, data):
 * checks the list still holds it, prints "\n\t  NAME Option (0xTT),
 * length L" and refuses a length under 2. 0 ends the options loop, as
 * tcpdump's print_*_config_options return 0; else *OPT and *LEN. */
static int ncp_option_start(struct pctx *c, const uint8_t *p, unsigned length, const char *proto,
			    const struct tok *names, const char *unknown, unsigned *opt, unsigned *len)
{
	if (length < 2)
		return 0;
	if (!opt_header_captured(c, p, proto))
		return 0;
	*opt = get_u8(c, p);
	*len = get_u8(c, p + 1);
	if (length < *len)
		return 0;
	char buf[16];
	out_fmt(c, "\n\t  %s Option (0x%02x), length %u", tok2str(names, unknown, *opt, buf, sizeof(buf)), *opt,
		*len);
	if (*len < 2) {
		out_str(c, " (length bogus, should be >= 2)");
		return 0;
	}
	return 1;
}

/* RFC 1990 5.1.3 endpoint discriminator; 0 when tcpdump stops the loop. */
static int lcp_print_discriminator(struct pctx *c, const uint8_t *p, unsigned len)
{
	unsigned cls = get_u8(c, p + 2);
	switch (cls) {
	case 0:
		out_str(c, ": Null");
		break;
	case 1:
		out_str(c, ": Local");
		break;
	case 2:
		if (len != 7) {
			opt_bogus(c, "=", 7);
			return 0;
		}
		pc_need(c, p + 3, 4); /* tcpdump reads the address before printing */
		out_str(c, ": IPv4 ");
		out_ip4(c, p + 3);
		break;
	case 3:
		if (len != 9) {
			opt_bogus(c, "=", 9);
			return 0;
		}
		pc_need(c, p + 3, 6);
		out_str(c, ": MAC ");
		out_mac(c, p + 3);
		break;
	case 4:
		out_str(c, ": Magic-Num-Block");
		break;
	case 5:
		out_str(c, ": PSNDN");
		break;
	default:
		out_fmt(c, ": Unknown class %u", cls);
		break;
	}
	return 1;
}

/* LCP authentication protocol option (RFC 1661 6.2). */
static void lcp_print_auth(struct pctx *c, const uint8_t *p, unsigned len)
{
	unsigned proto = get_be16(c, p + 2);
	char buf[32];
	out_str(c, ": ");
	out_str(c, tok2str(ppp_proto_names, "Unknown Auth Proto (0x04x)", proto, buf, sizeof(buf)));
	switch (proto) {
	case PPP_PROTO_CHAP:
		out_fmt(c, ", %s", tok2str(chap_alg_names, "Unknown Auth Alg %u", get_u8(c, p + 4), buf, sizeof(buf)));
		break;
	case PPP_PROTO_PAP:
	case PPP_PROTO_EAP:
	case PPP_PROTO_SPAP:
	case PPP_PROTO_SPAP_OLD:
		break;
	default:
		ppp_unknown_data(c, p, "\n\t", len);
	}
}

/* The value of an LCP option tcpdump knows; 0 to stop, 1 to go on,
 * 2 to return the length without the -vv dump. */
static int lcp_print_option_value(struct pctx *c, unsigned opt, const uint8_t *p, unsigned len)
{
	switch (opt) {
	case LCPOPT_VEXT:
		if (len < 6) {
			opt_bogus(c, ">=", 6);
			return 2;
		}
		/* tcpdump names the OUI from its table; bpfcap has none */
		c->last = "ppp-other";
		out_fmt(c, ": Vendor: %s (%u)", "Unknown", get_be24(c, p + 2));
		return 1;
	case LCPOPT_MRU:
	case LCPOPT_MLMRRU:
		if (len != 4) {
			opt_bogus(c, "=", 4);
			return opt == LCPOPT_MRU ? 2 : 0;
		}
		out_fmt(c, ": %u", get_be16(c, p + 2));
		return 1;
	case LCPOPT_ACCM:
		if (len != 6) {
			opt_bogus(c, "=", 6);
			return 2;
		}
		out_fmt(c, ": 0x%08x", get_be32(c, p + 2));
		return 1;
	case LCPOPT_AP:
		if (len < 4) {
			opt_bogus(c, ">=", 4);
			return 2;
		}
		lcp_print_auth(c, p, len);
		return 1;
	case LCPOPT_QP:
		if (len < 4) {
			opt_bogus(c, ">=", 4);
			return 0;
		}
		out_str(c, get_be16(c, p + 2) == PPP_PROTO_LQM ? ": LQR" : ": unknown");
		return 1;
	case LCPOPT_MN:
		if (len != 6) {
			opt_bogus(c, "=", 6);
			return 0;
		}
		out_fmt(c, ": 0x%08x", get_be32(c, p + 2));
		return 1;
	case LCPOPT_PFC:
	case LCPOPT_ACFC:
		return 1;
	case LCPOPT_LD:
		if (len != 4) {
			opt_bogus(c, "=", 4);
			return 0;
		}
		out_fmt(c, ": 0x%04x", get_be16(c, p + 2));
		return 1;
	case LCPOPT_CBACK: {
		if (len < 3) {
			opt_bogus(c, ">=", 3);
			return 0;
		}
		char buf[16];
		unsigned op = get_u8(c, p + 2);
		out_fmt(c, ": : Callback Operation %s (%u)", tok2str(lcp_callback_names, "Unknown", op, buf, sizeof(buf)),
			op);
		return 1;
	}
	case LCPOPT_MLED:
		if (len < 3) {
			opt_bogus(c, ">=", 3);
			return 0;
		}
		return lcp_print_discriminator(c, p, len);
	default:
		if (c->o->vflag < 2)
			ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
		return 1;
	}
}

static unsigned lcp_print_option(struct pctx *c, const uint8_t *p, unsigned length)
{
	if (length < 2)
		return 0;
	if (!opt_header_captured(c, p, "lcp"))
		return 0;
	unsigned opt = get_u8(c, p), len = get_u8(c, p + 1);
	if (length < len)
		return 0;
	if (len < 2) {
		if (opt < LCP_NOPTIONS)
			out_fmt(c, "\n\t  %s Option (0x%02x), length %u (length bogus, should be >= 2)",
				lcp_option_names[opt], opt, len);
		else
			out_fmt(c, "\n\tunknown LCP option 0x%02x", opt);
		return 0;
	}
	if (opt >= LCP_NOPTIONS) {
		out_fmt(c, "\n\tunknown LCP option 0x%02x", opt);
		return len;
	}
	out_fmt(c, "\n\t  %s Option (0x%02x), length %u", lcp_option_names[opt], opt, len);
	int r = lcp_print_option_value(c, opt, p, len);
	if (r == 0)
		return 0;
	if (r == 2)
		return len;
	if (c->o->vflag > 1)
		ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
	return len;
}

/* RFC 1332, RFC 1877, RFC 2290 IPCP options. */
enum {
	IPCPOPT_2ADDR = 1,
	IPCPOPT_IPCOMP = 2,
	IPCPOPT_ADDR = 3,
	IPCPOPT_MOBILE4 = 4,
	IPCPOPT_PRIDNS = 129,
	IPCPOPT_PRINBNS = 130,
	IPCPOPT_SECDNS = 131,
	IPCPOPT_SECNBNS = 132,
};
static const struct tok ipcp_option_names[] = {
	{ IPCPOPT_2ADDR, "IP-Addrs" },    { IPCPOPT_IPCOMP, "IP-Comp" },    { IPCPOPT_ADDR, "IP-Addr" },
	{ IPCPOPT_MOBILE4, "Home-Addr" }, { IPCPOPT_PRIDNS, "Pri-DNS" },    { IPCPOPT_PRINBNS, "Pri-NBNS" },
	{ IPCPOPT_SECDNS, "Sec-DNS" },    { IPCPOPT_SECNBNS, "Sec-NBNS" },  { 0, NULL },
};
#define IPCP_HDRCOMP 0x61   /* RFC 3544 IP header compression */
#define IPCP_HDRCOMP_MINLEN 14
static const struct tok ipcp_comp_names[] = {
	{ PPP_PROTO_VJC, "VJ-Comp" }, { IPCP_HDRCOMP, "IP Header Compression" }, { 0, NULL },
};
static const struct tok ipcp_comp_subopt_names[] = {
	{ 1, "RTP-Compression" }, { 2, "Enhanced RTP-Compression" }, { 0, NULL },
};

/* RFC 3544 IP header compression parameters and suboptions: -1 to
 * stop, else how far tcpdump moved its option pointer (it skips the
 * parameters when suboptions follow, and its -vv dump starts from
 * there). */
static int ipcp_print_hdrcomp(struct pctx *c, const uint8_t *p, unsigned len)
{
	if (len < IPCP_HDRCOMP_MINLEN) {
		opt_bogus(c, ">=", IPCP_HDRCOMP_MINLEN);
		return -1;
	}
	if (!pc_has(c, p + 2, IPCP_HDRCOMP_MINLEN)) {
		out_str(c, "[|ipcp]");
		return -1;
	}
	out_fmt(c, "\n\t    TCP Space %u, non-TCP Space %u, maxPeriod %u, maxTime %u, maxHdr %u", get_be16(c, p + 4),
		get_be16(c, p + 6), get_be16(c, p + 8), get_be16(c, p + 10), get_be16(c, p + 12));
	if (len <= IPCP_HDRCOMP_MINLEN)
		return 0;
	unsigned left = len - IPCP_HDRCOMP_MINLEN;
	const uint8_t *q = p + IPCP_HDRCOMP_MINLEN;
	out_fmt(c, "\n\t      Suboptions, length %u", left);
	while (left >= 2) {
		if (!opt_header_captured(c, q, "ipcp"))
			return -1;
		unsigned sub = get_u8(c, q), sublen = get_u8(c, q + 1);
		if (sub == 0 || sublen == 0)
			break;
		char buf[16];
		out_fmt(c, "\n\t\t%s Suboption #%u, length %u",
			tok2str(ipcp_comp_subopt_names, "Unknown", sub, buf, sizeof(buf)), sub, sublen);
		if (left < sublen) {
			out_fmt(c, " [remaining suboptions length %u < %u]", left, sublen);
			out_invalid(c);
			break;
		}
		left -= sublen;
		q += sublen;
	}
	return IPCP_HDRCOMP_MINLEN;
}

static unsigned ipcp_print_option(struct pctx *c, const uint8_t *p, unsigned length)
{
	unsigned opt, len;
	if (!ncp_option_start(c, p, length, "ipcp", ipcp_option_names, "unknown", &opt, &len))
		return 0;
	const uint8_t *dump = p; /* where the -vv dump starts, less 2 */
	switch (opt) {
	case IPCPOPT_2ADDR:
		if (len != 10) {
			opt_bogus(c, "=", 10);
			return len;
		}
		pc_need(c, p + 2, 8); /* tcpdump reads both addresses before printing */
		out_str(c, ": src ");
		out_ip4(c, p + 2);
		out_str(c, ", dst ");
		out_ip4(c, p + 6);
		break;
	case IPCPOPT_IPCOMP: {
		if (len < 4) {
			opt_bogus(c, ">=", 4);
			return 0;
		}
		unsigned proto = get_be16(c, p + 2);
		char buf[16];
		out_fmt(c, ": %s (0x%02x):", tok2str(ipcp_comp_names, "Unknown", proto, buf, sizeof(buf)), proto);
		if (proto == IPCP_HDRCOMP) {
			int skipped = ipcp_print_hdrcomp(c, p, len);
			if (skipped < 0)
				return 0;
			dump += skipped;
		}
		break;
	}
	case IPCPOPT_ADDR:
	case IPCPOPT_MOBILE4:
	case IPCPOPT_PRIDNS:
	case IPCPOPT_PRINBNS:
	case IPCPOPT_SECDNS:
	case IPCPOPT_SECNBNS:
		if (len != 6) {
			opt_bogus(c, "=", 6);
			return 0;
		}
		pc_need(c, p + 2, 4);
		out_str(c, ": ");
		out_ip4(c, p + 2);
		break;
	default:
		if (c->o->vflag < 2)
			ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
		break;
	}
	if (c->o->vflag > 1)
		ppp_unknown_data(c, dump + 2, "\n\t    ", len - 2);
	return len;
}

/* RFC 5072 4.1 interface identifier, the only IP6CP option. */
#define IP6CP_IFID 1
static const struct tok ip6cp_option_names[] = { { IP6CP_IFID, "Interface-ID" }, { 0, NULL } };

static unsigned ip6cp_print_option(struct pctx *c, const uint8_t *p, unsigned length)
{
	unsigned opt, len;
	if (!ncp_option_start(c, p, length, "ip6cp", ip6cp_option_names, "unknown", &opt, &len))
		return 0;
	if (opt == IP6CP_IFID) {
		if (len != 10) {
			opt_bogus(c, "=", 10);
			return len;
		}
		if (!pc_has(c, p + 2, 8)) {
			out_str(c, "[|ip6cp]");
			return 0;
		}
		out_fmt(c, ": %04x:%04x:%04x:%04x", get_be16(c, p + 2), get_be16(c, p + 4), get_be16(c, p + 6),
			get_be16(c, p + 8));
	} else if (c->o->vflag < 2) {
		ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
	}
	if (c->o->vflag > 1)
		ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
	return len;
}

/* RFC 1962 and companions: CCP options. */
enum { CCPOPT_BSDCOMP = 21, CCPOPT_MVRCA = 24, CCPOPT_DEFLATE = 26 };
static const struct tok ccp_option_names[] = {
	{ 0, "OUI" },       { 1, "Pred-1" },     { 2, "Pred-2" },   { 3, "Puddle" },   { 16, "HP-PPC" },
	{ 17, "Stac-LZS" }, { 18, "MPPC" },      { 19, "Gand-FZA" }, { 20, "V.42bis" }, { 21, "BSD-Comp" },
	{ 23, "LZS-DCP" },  { 24, "MVRCA" },     { 25, "DEC" },      { 26, "Deflate" }, { 255, "Reserved" },
	{ 0, NULL },
};

static unsigned ccp_print_option(struct pctx *c, const uint8_t *p, unsigned length)
{
	unsigned opt, len;
	if (!ncp_option_start(c, p, length, "ccp", ccp_option_names, "Unknown", &opt, &len))
		return 0;
	switch (opt) {
	case CCPOPT_BSDCOMP:
		if (len < 3) {
			opt_bogus(c, ">=", 3);
			return len;
		}
		out_fmt(c, ": Version: %u, Dictionary Bits: %u", get_u8(c, p + 2) >> 5, get_u8(c, p + 2) & 0x1f);
		break;
	case CCPOPT_MVRCA:
		if (len < 4) {
			opt_bogus(c, ">=", 4);
			return len;
		}
		out_fmt(c, ": Features: %u, PxP: %s, History: %u, #CTX-ID: %u", (get_u8(c, p + 2) & 0xc0) >> 6,
			(get_u8(c, p + 2) & 0x20) ? "Enabled" : "Disabled", get_u8(c, p + 2) & 0x1f, get_u8(c, p + 3));
		break;
	case CCPOPT_DEFLATE:
		if (len < 4) {
			opt_bogus(c, ">=", 4);
			return len;
		}
		out_fmt(c, ": Window: %uK, Method: %s (0x%x), MBZ: %u, CHK: %u", (get_u8(c, p + 2) & 0xf0) >> 4,
			(get_u8(c, p + 2) & 0x0f) == 8 ? "zlib" : "unknown", get_u8(c, p + 2) & 0x0f,
			(get_u8(c, p + 3) & 0xfc) >> 2, get_u8(c, p + 3) & 0x03);
		break;
	default:
		if (c->o->vflag < 2)
			ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
		break;
	}
	if (c->o->vflag > 1)
		ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
	return len;
}

/* RFC 2125 6.1 BACP favored-peer option. */
#define BACPOPT_FPEER 1
static const struct tok bacp_option_names[] = { { BACPOPT_FPEER, "Favored-Peer" }, { 0, NULL } };

static unsigned bacp_print_option(struct pctx *c, const uint8_t *p, unsigned length)
{
	unsigned opt, len;
	if (!ncp_option_start(c, p, length, "bacp", bacp_option_names, "Unknown", &opt, &len))
		return 0;
	if (opt == BACPOPT_FPEER) {
		if (len != 6) {
			opt_bogus(c, "=", 6);
			return len;
		}
		out_fmt(c, ": Magic-Num 0x%08x", get_be32(c, p + 2));
	} else if (c->o->vflag < 2) {
		ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
	}
	if (c->o->vflag > 1)
		ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
	return len;
}

static ppp_opt_printer ctl_option_printer(unsigned proto)
{
	switch (proto) {
	case PPP_PROTO_LCP:
		return lcp_print_option;
	case PPP_PROTO_IPCP:
		return ipcp_print_option;
	case PPP_PROTO_IPV6CP:
		return ip6cp_print_option;
	case PPP_PROTO_CCP:
		return ccp_print_option;
	case PPP_PROTO_BACP:
		return bacp_print_option;
	default:
		return NULL;
	}
}

/* ---- control protocols (RFC 1661 5): LCP, IPCP, IP6CP, CCP... ---------- */

/* The Configure-* options list (RFC 1661 5.1-5.4). */
static void ctl_print_options(struct pctx *c, unsigned proto, const uint8_t *p, unsigned len)
{
	ppp_opt_printer pf = ctl_option_printer(proto);
	if (!pf)
		return;
	unsigned left = len - 4;
	do {
		unsigned advance = pf(c, p, len);
		if (advance == 0)
			break;
		if (left < advance) {
			out_fmt(c, " [remaining options length %u < %u]", left, advance);
			out_invalid(c);
			break;
		}
		left -= advance;
		p += advance;
	} while (left != 0);
}

/* The body after code, id and length, at -v; 0 on tcpdump's "[|proto]". */
static int ctl_print_body(struct pctx *c, unsigned proto, unsigned code, const uint8_t *pkt, const uint8_t *p,
			  unsigned len)
{
	char buf[40];
	switch (code) {
	case CP_VEXT:
		if (len < 11)
			break;
		c->last = "ppp-other"; /* the OUI table is tcpdump's */
		out_fmt(c, "\n\t  Magic-Num 0x%08x", get_be32(c, p));
		out_fmt(c, " Vendor: %s (%u)", "Unknown", get_be24(c, p + 4));
		break;
	case CP_CONF_REQ:
	case CP_CONF_ACK:
	case CP_CONF_NAK:
	case CP_CONF_REJ:
		ctl_print_options(c, proto, p, len);
		break;
	case CP_TERM_REQ:
	case CP_TERM_ACK:
	case CP_CODE_REJ:
		break;
	case CP_PROT_REJ: {
		if (len < 6)
			break;
		unsigned rejected = get_be16(c, p);
		out_fmt(c, "\n\t  Rejected %s Protocol (0x%04x)", tok2str(ppp_proto_names, "unknown", rejected, buf, sizeof(buf)),
			rejected);
		if (len > 6) {
			out_str(c, "\n\t  Rejected Packet");
			ppp_unknown_data(c, p + 2, "\n\t    ", len - 2);
		}
		break;
	}
	case CP_ECHO_REQ:
	case CP_ECHO_RPL:
	case CP_DISC_REQ:
		if (len < 8)
			break;
		out_fmt(c, "\n\t  Magic-Num 0x%08x", get_be32(c, p));
		if (len > 8) {
			out_str(c, "\n\t  -----trailing data-----");
			if (!pc_has(c, p + 4, len - 8))
				return 0;
			ppp_unknown_data(c, p + 4, "\n\t  ", len - 8);
		}
		break;
	case CP_ID:
		if (len < 8)
			break;
		out_fmt(c, "\n\t  Magic-Num 0x%08x", get_be32(c, p));
		if (len > 8) {
			/* tcpdump prints len - 4 bytes of the message, up
			 * to the end of the capture */
			out_str(c, "\n\t  Message\n\t    ");
			size_t avail = pc_avail(c, p + 4);
			ppp_print_chars(c, p + 4, (unsigned)(avail < len - 4 ? avail : len - 4));
			if (avail < len - 4)
				return 0;
		}
		break;
	case CP_TIME_REM:
		if (len < 12)
			break;
		out_fmt(c, "\n\t  Magic-Num 0x%08x", get_be32(c, p));
		out_fmt(c, ", Seconds-Remaining %us", get_be32(c, p + 4));
		break;
	default:
		if (c->o->vflag <= 1)
			ppp_unknown_data(c, pkt - 2, "\n\t  ", len + 2);
		break;
	}
	return 1;
}

/* tcpdump's handle_ctrl_proto. */
static void ppp_print_ctl(struct pctx *c, unsigned proto, const uint8_t *pkt, unsigned length)
{
	char tbuf[40];
	const char *typestr = tok2str(ppp_proto_names, "unknown ctrl-proto (0x%04x)", proto, tbuf, sizeof(tbuf));
	c->last = "ppp-ctl";
	out_fmt(c, "%s, ", typestr);
	if (length < 4 || !pc_has(c, pkt, 2)) {
		out_fmt(c, "[|%s]", typestr);
		return;
	}
	unsigned code = get_u8(c, pkt);
	char cbuf[16];
	out_fmt(c, "%s (0x%02x), id %u, length %u", tok2str(cp_code_names, "Unknown Opcode", code, cbuf, sizeof(cbuf)),
		code, get_u8(c, pkt + 1), length + 2);
	if (!c->o->vflag)
		return;
	unsigned len = get_be16(c, pkt + 2);
	if (len < 4) {
		out_fmt(c, "\n\tencoded length %u (< 4))", len);
		return;
	}
	if (len > length) {
		out_fmt(c, "\n\tencoded length %u (> packet length %u))", len, length);
		return;
	}
	out_fmt(c, "\n\tencoded length %u (=Option(s) length %u)", len, len - 4);
	if (len == 4)
		return;
	if (c->o->vflag > 1)
		ppp_unknown_data(c, pkt - 2, "\n\t", 6);
	if (!ctl_print_body(c, proto, code, pkt, pkt + 4, len))
		out_fmt(c, "[|%s]", typestr);
}

/* ---- authentication and multilink --------------------------------------- */

/* RFC 1990 3: the multilink fragment header (12-bit sequence numbers). */
static void ppp_print_mlppp(struct pctx *c, const uint8_t *p, unsigned length)
{
	static const struct tok ml_flags[] = { { 0x80, "begin" }, { 0x40, "end" }, { 0, NULL } };
	c->last = "ppp-ctl";
	if (!c->o->eflag)
		out_str(c, "MLPPP, ");
	if (length < 2 || !pc_has(c, p, 2)) {
		out_str(c, "[|mlppp]");
		return;
	}
	out_fmt(c, "seq 0x%03x, Flags [", get_be16(c, p) & 0x0fff);
	ppp_print_bits(c, ml_flags, "none", get_u8(c, p) & 0xc0);
	out_fmt(c, "], length %u", length);
}

/* CHAP/PAP's "[|proto]" or "[|proto 0xCODE]" for packets under 4 bytes;
 * 1 when printed. */
static int auth_too_short(struct pctx *c, const char *name, const uint8_t *p, unsigned length)
{
	if (length < 1) {
		out_fmt(c, "[|%s]", name);
		return 1;
	}
	if (length < 4) {
		out_fmt(c, "[|%s 0x%02x]", name, get_u8(c, p));
		return 1;
	}
	return 0;
}

/* RFC 1994 4: CHAP, decoded as tcpdump does whatever the algorithm. */
static void ppp_print_chap(struct pctx *c, const uint8_t *p0, unsigned length)
{
	static const struct tok codes[] = {
		{ 1, "Challenge" }, { 2, "Response" }, { 3, "Success" }, { 4, "Fail" }, { 0, NULL },
	};
	c->last = "ppp-ctl";
	if (auth_too_short(c, "chap", p0, length))
		return;
	unsigned code = get_u8(c, p0);
	char buf[16];
	out_fmt(c, "CHAP, %s (0x%02x)", tok2str(codes, "unknown", code, buf, sizeof(buf)), code);
	out_fmt(c, ", id %u", get_u8(c, p0 + 1));
	unsigned len = get_be16(c, p0 + 2);
	const uint8_t *p = p0 + 4;
	switch (code) {
	case 1:
	case 2: {
		if (length - 4 < 1)
			return;
		unsigned vsize = get_u8(c, p++);
		if (length - 5 < vsize)
			return;
		out_str(c, ", Value ");
		for (unsigned i = 0; i < vsize; i++)
			out_fmt(c, "%02x", get_u8(c, p++));
		out_str(c, ", Name ");
		ppp_print_chars(c, p, len - (unsigned)(p - p0));
		break;
	}
	case 3:
	case 4:
		out_str(c, ", Msg ");
		ppp_print_chars(c, p, len - 4);
		break;
	}
}

/* A PAP length-prefixed string (RFC 1334 2.2); 0 if it does not fit. */
static int pap_print_field(struct pctx *c, const char *label, const uint8_t **pp, const uint8_t *p0, unsigned length)
{
	if (length - (unsigned)(*pp - p0) < 1)
		return 0;
	unsigned n = get_u8(c, *pp);
	(*pp)++;
	if (length - (unsigned)(*pp - p0) < n)
		return 0;
	out_str(c, label);
	ppp_print_chars(c, *pp, n);
	*pp += n;
	return 1;
}

/* RFC 1334 2.2: PAP. */
static void ppp_print_pap(struct pctx *c, const uint8_t *p0, unsigned length)
{
	static const struct tok codes[] = {
		{ 1, "Auth-Req" }, { 2, "Auth-ACK" }, { 3, "Auth-NACK" }, { 0, NULL },
	};
	c->last = "ppp-ctl";
	if (auth_too_short(c, "pap", p0, length))
		return;
	unsigned code = get_u8(c, p0);
	char buf[16];
	out_fmt(c, "PAP, %s (0x%02x)", tok2str(codes, "unknown", code, buf, sizeof(buf)), code);
	out_fmt(c, ", id %u", get_u8(c, p0 + 1));
	unsigned len = get_be16(c, p0 + 2);
	const uint8_t *p = p0 + 4;
	if (len > length) {
		out_fmt(c, ", length %u > packet size", len);
		return;
	}
	length = len;
	if (length < 4) {
		out_fmt(c, ", length %u < PAP header length", length);
		return;
	}
	switch (code) {
	case 1:
		/* RFC 1334 2.2.1: at least 6 octets */
		if (len < 6) {
			out_str(c, "[|pap]");
			return;
		}
		if (!pap_print_field(c, ", Peer ", &p, p0, length))
			return;
		pap_print_field(c, ", Name ", &p, p0, length);
		break;
	case 2:
	case 3:
		/* RFC 1334 2.2.2: at least 5 octets */
		if (len < 5) {
			out_str(c, "[|pap]");
			return;
		}
		pap_print_field(c, ", Msg ", &p, p0, length);
		break;
	}
}

/* ---- dispatch --------------------------------------------------------- */

/* RFC 1662 4.2 octet stuffing: 0x7d escapes the next byte (XOR 0x20).
 * tcpdump unescapes what was captured into a private buffer and
 * dissects that; so does bpfcap, with the buffer on the stack (frames
 * longer than it are cut, a deviation only for huge escaped frames). */
#define PPP_HDLC_ESCAPE 0x7d
#define PPP_HDLC_BUFSZ 8192

static void ppp_print_unescaped(struct pctx *c, const uint8_t *b, unsigned length)
{
	if (length < 1)
		pc_trunc(c);
	unsigned proto = get_u8(c, b); /* first guess: a compressed protocol field */
	if (proto == PPP_PROTO_IP) {
		print_ip(c, b + 1, length - 1);
		return;
	}
	if (proto == PPP_PROTO_IPV6) {
		print_ip6(c, b + 1, length - 1);
		return;
	}
	if (length < 2)
		pc_trunc(c);
	proto = get_be16(c, b);
	if (proto == 0xff03) { /* address and control: a PPP frame */
		if (length < 4)
			pc_trunc(c);
		proto = get_be16(c, b + 2);
		b += 2;
		length -= 2;
	}
	if ((proto & 0xff00) == 0x7e00)
		out_fmt(c, "(protocol 0x%04x invalid)", proto);
	else
		ppp_print_payload(c, proto, b + 2, length - 2);
}

/* Dissect the private buffer B; a truncation inside it restores the
 * packet's bounds before going on to print_packet's handler. */
static void ppp_dissect_private(struct pctx *c, const uint8_t *b, size_t n)
{
	const uint8_t *volatile saved_pkt = c->pkt;
	const uint8_t *volatile saved_end = c->snapend;
	jmp_buf saved;
	memcpy(saved, c->trunc, sizeof(saved));
	c->pkt = b;
	c->snapend = b + n;
	int jumped = setjmp(c->trunc);
	if (!jumped)
		ppp_print_unescaped(c, b, (unsigned)n);
	c->pkt = saved_pkt;
	c->snapend = saved_end;
	memcpy(c->trunc, saved, sizeof(saved));
	if (jumped)
		longjmp(c->trunc, 1);
}

static void ppp_print_hdlc(struct pctx *c, const uint8_t *p, unsigned length)
{
	size_t caplen = pc_avail(c, p);
	if (caplen == 0 || length == 0)
		return;
	uint8_t buf[PPP_HDLC_BUFSZ];
	size_t n = 0;
	for (size_t i = 0; i < caplen && n < sizeof(buf); i++) {
		uint8_t ch = p[i];
		if (ch == PPP_HDLC_ESCAPE) {
			if (i + 1 >= caplen)
				break;
			ch = p[++i] ^ 0x20;
		}
		buf[n++] = ch;
	}
	ppp_dissect_private(c, buf, n);
}

#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_IPX 0x8137

void ppp_print_payload(struct pctx *c, unsigned proto, const uint8_t *p, unsigned len)
{
	if ((proto & 0xff00) == 0x7e00) { /* an escaped (RFC 1662) frame */
		ppp_print_hdlc(c, p - 1, len);
		return;
	}
	char buf[40];
	switch (proto) {
	case PPP_PROTO_LCP:
	case PPP_PROTO_IPCP:
	case PPP_PROTO_OSICP:
	case PPP_PROTO_MPLSCP:
	case PPP_PROTO_IPV6CP:
	case PPP_PROTO_CCP:
	case PPP_PROTO_BACP:
		ppp_print_ctl(c, proto, p, len);
		break;
	case PPP_PROTO_ML:
		ppp_print_mlppp(c, p, len);
		break;
	case PPP_PROTO_CHAP:
		ppp_print_chap(c, p, len);
		break;
	case PPP_PROTO_PAP:
		ppp_print_pap(c, p, len);
		break;
	case PPP_PROTO_BAP: /* tcpdump prints nothing for BAP yet */
		c->last = "ppp-ctl";
		break;
	case ETHERTYPE_IP:
	case PPP_PROTO_VJNC:
	case PPP_PROTO_IP:
		print_ip(c, p, len);
		break;
	case ETHERTYPE_IPV6:
	case PPP_PROTO_IPV6:
		print_ip6(c, p, len);
		break;
	case PPP_PROTO_MPLS_UCAST:
	case PPP_PROTO_MPLS_MCAST:
		print_mpls(c, p, len);
		break;
	case PPP_PROTO_COMP:
		c->last = "ppp-ctl";
		out_str(c, "compressed PPP data");
		break;
	case ETHERTYPE_IPX:
	case PPP_PROTO_IPX:
		print_ipx(c, p, len);
		break;
	case PPP_PROTO_OSI:
		print_isoclns(c, p, len);
		break;
	default:
		out_fmt(c, "%s ", tok2str(ppp_proto_names, "unknown PPP protocol (0x%04x)", proto, buf, sizeof(buf)));
		ppp_unknown_data(c, p, "\n\t", len);
		break;
	}
}

/* tcpdump's pppd direction bytes in place of the address (RFC 1662's 0xff). */
#define PPP_ADDRESS 0xff
#define PPP_CONTROL 0x03
#define PPPD_IN 0x00
#define PPPD_OUT 0x01

unsigned ppp_print_frame(struct pctx *c, const uint8_t *p, unsigned length)
{
	c->proto = "ppp";
	c->last = "ppp";
	unsigned olen = length, hdr = 0;
	if (length < 2)
		goto trunc;
	switch (get_be16(c, p)) {
	case PPPD_IN << 8 | PPP_CONTROL:
		if (c->o->eflag)
			out_str(c, "In  ");
		goto skip_ac;
	case PPPD_OUT << 8 | PPP_CONTROL:
		if (c->o->eflag)
			out_str(c, "Out ");
		goto skip_ac;
	case PPP_ADDRESS << 8 | PPP_CONTROL:
	skip_ac:
		p += 2;
		length -= 2;
		hdr += 2;
		break;
	default:
		break;
	}
	if (length < 2)
		goto trunc;
	unsigned proto;
	if (get_u8(c, p) & 1) { /* RFC 1661 6.5: a compressed protocol field */
		proto = get_u8(c, p);
		p++;
		length--;
		hdr++;
	} else {
		proto = get_be16(c, p);
		p += 2;
		length -= 2;
		hdr += 2;
	}
	if (c->o->eflag) {
		const char *name = tok_find(ppp_proto_names, proto);
		out_fmt(c, "%s (0x%04x), length %u", name ? name : "unknown", proto, olen);
		if (!name) {
			c->last = "ppp-other";
			return hdr;
		}
		out_str(c, ": ");
	}
	ppp_print_payload(c, proto, p, length);
	return hdr;
trunc:
	out_trunc(c);
	return 0;
}

/* LINKTYPE_PPP: the frame, the link header counted as 4 bytes for -x. */
#define PPP_HDRLEN 4

unsigned print_ppp(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "ppp";
	c->last = "ppp";
	if (caplen < PPP_HDRLEN) {
		out_trunc(c);
		return caplen;
	}
	ppp_print_frame(c, p, len);
	return PPP_HDRLEN;
}

/* Cisco HDLC (RFC 1547 4.3.1): address, control, then an EtherType. */
#define CHDLC_UNICAST 0x0f
#define CHDLC_BCAST 0x8f
#define CHDLC_HDRLEN 4

#define CHDLC_ETHERTYPE_ISO 0xfefe
/* NLPIDs (ISO/IEC TR 9577) tcpdump looks for after a Cisco "fudge" byte. */
#define NLPID_CLNP 0x81
#define NLPID_ESIS 0x82
#define NLPID_ISIS 0x83

/* OSI over Cisco HDLC: tcpdump skips a leading pad byte when the next
 * one is a CLNP, ES-IS or IS-IS NLPID. 0 when too short (tcpdump's
 * trunc exit, which counts the whole frame as header: no -x dump). */
static int chdlc_osi(struct pctx *c, const uint8_t *p, unsigned length)
{
	if (length < 2) {
		out_trunc(c);
		return 0;
	}
	unsigned next = get_u8(c, p + 1);
	if (next == NLPID_CLNP || next == NLPID_ESIS || next == NLPID_ISIS)
		print_isoclns(c, p + 1, length - 1);
	else
		print_isoclns(c, p, length);
	return 1;
}

/* tcpdump's chdlc_print for the payloads bpfcap decodes; SLARP is
 * tagged "ppp-other". */
static unsigned chdlc_print(struct pctx *c, const uint8_t *p, unsigned length)
{
	static const struct tok casts[] = { { CHDLC_UNICAST, "unicast" }, { CHDLC_BCAST, "bcast" }, { 0, NULL } };
	c->proto = "chdlc";
	if (length < CHDLC_HDRLEN) {
		out_trunc(c);
		return length;
	}
	unsigned proto = get_be16(c, p + 2);
	if (c->o->eflag) {
		char buf[16];
		const char *name = tok_find(ethertype_names, proto);
		out_fmt(c, "%s, ethertype %s (0x%04x), length %u: ", tok2str(casts, "0x%02x", get_u8(c, p), buf, sizeof(buf)),
			name ? name : "Unknown", proto, length);
	}
	length -= CHDLC_HDRLEN;
	p += CHDLC_HDRLEN;
	switch (proto) {
	case ETHERTYPE_IP:
		print_ip(c, p, length);
		break;
	case ETHERTYPE_IPV6:
		print_ip6(c, p, length);
		break;
	case 0x8847: /* MPLS unicast and multicast */
	case 0x8848:
		print_mpls(c, p, length);
		break;
	case CHDLC_ETHERTYPE_ISO:
		if (!chdlc_osi(c, p, length))
			return CHDLC_HDRLEN + length;
		break;
	case 0x8035: /* SLARP */
		c->last = "ppp-other";
		break;
	default:
		if (!c->o->eflag)
			out_fmt(c, "unknown CHDLC protocol (0x%04x)", proto);
		break;
	}
	return CHDLC_HDRLEN;
}

unsigned print_ppp_hdlc(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	c->proto = "ppp_hdlc";
	c->last = "ppp";
	if (caplen < 2) {
		out_trunc(c);
		return caplen;
	}
	unsigned addr = get_u8(c, p);
	if (addr == CHDLC_UNICAST || addr == CHDLC_BCAST)
		return chdlc_print(c, p, len);
	if (caplen < 4) {
		out_trunc(c);
		return caplen;
	}
	if (c->o->eflag)
		out_fmt(c, "%02x %02x %u ", addr, get_u8(c, p + 1), len);
	if (addr != PPP_ADDRESS) {
		/* tcpdump shows the two bytes after address and control */
		out_fmt(c, "unknown addr %02x; ctrl %02x", get_u8(c, p + 2), get_u8(c, p + 3));
		return 2;
	}
	unsigned proto = get_be16(c, p + 2);
	char buf[40];
	out_fmt(c, "%s: ", tok2str(ppp_proto_names, "unknown PPP protocol (0x%04x)", proto, buf, sizeof(buf)));
	ppp_print_payload(c, proto, p + 4, len - 4);
	return 4;
}
