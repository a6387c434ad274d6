/* Lexer for pcap-filter(7) expressions.
 *
 * libpcap's scanner is a flex scanner: at each point the rule matching
 * the longest text wins, and among equally long matches the rule listed
 * first.  This file reproduces that choice by measuring, at each point,
 * how much text each token shape could take, instead of a DFA: the
 * shapes are few and each measurement is a short linear scan.  The
 * priority order on ties (keyword, MAC, number, IPv4, IPv6, bogus MAC,
 * named constant, name) is libpcap's rule order.
 */
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

#include "ast.h"

struct keyword {
	const char *name;
	unsigned char name_len;
	unsigned char kind;    /* enum tok_kind */
	unsigned short value;  /* token.num */
};

/* Every reserved word of libpcap 1.10's scanner, plus "vxlan" (libpcap
 * 1.11), and the named constants (icmp-echo, tcp-syn ...) that it turns
 * into numbers.  Keywords are lowercase only: "HOST" is a name.
 * Sorted by strcmp() for bsearch(); tests check the order. */
static const struct keyword keywords[] = {
	{ "aarp", 4, T_PNAME, AP_AARP },
	{ "action", 6, T_PF_ACTION, 0 },
	{ "addr1", 5, T_ADDR, AD_ADDR1 },
	{ "addr2", 5, T_ADDR, AD_ADDR2 },
	{ "addr3", 5, T_ADDR, AD_ADDR3 },
	{ "addr4", 5, T_ADDR, AD_ADDR4 },
	{ "address1", 8, T_ADDR, AD_ADDR1 },
	{ "address2", 8, T_ADDR, AD_ADDR2 },
	{ "address3", 8, T_ADDR, AD_ADDR3 },
	{ "address4", 8, T_ADDR, AD_ADDR4 },
	{ "ah", 2, T_PNAME, AP_AH },
	{ "and", 3, T_AND, 0 },
	{ "arp", 3, T_PNAME, AP_ARP },
	{ "atalk", 5, T_PNAME, AP_ATALK },
	{ "bcc", 3, T_ATM_ABBREV, 0 },
	{ "broadcast", 9, T_BROADCAST, 0 },
	{ "byte", 4, T_BYTE, 0 },
	{ "carp", 4, T_PNAME, AP_CARP },
	{ "clnp", 4, T_PNAME, AP_CLNP },
	{ "connectmsg", 10, T_ATM_ABBREV, 0 },
	{ "csnp", 4, T_PNAME, AP_CSNP },
	{ "decnet", 6, T_PNAME, AP_DECNET },
	{ "dir", 3, T_DIR, 0 },
	{ "direction", 9, T_DIR, 0 },
	{ "dpc", 3, T_MTP3_FIELD, 0 },
	{ "dst", 3, T_DST, 0 },
	{ "es-is", 5, T_PNAME, AP_ESIS },
	{ "esis", 4, T_PNAME, AP_ESIS },
	{ "esp", 3, T_PNAME, AP_ESP },
	{ "ether", 5, T_PNAME, AP_LINK },
	{ "fddi", 4, T_PNAME, AP_LINK },
	{ "fisu", 4, T_MTP2_ABBREV, 0 },
	{ "gateway", 7, T_GATEWAY, 0 },
	{ "geneve", 6, T_GENEVE, 0 },
	{ "greater", 7, T_GREATER, 0 },
	{ "hdpc", 4, T_MTP3_FIELD, 0 },
	{ "hfisu", 5, T_MTP2_ABBREV, 0 },
	{ "hlssu", 5, T_MTP2_ABBREV, 0 },
	{ "hmsu", 4, T_MTP2_ABBREV, 0 },
	{ "hopc", 4, T_MTP3_FIELD, 0 },
	{ "host", 4, T_HOST, 0 },
	{ "hsio", 4, T_MTP3_FIELD, 0 },
	{ "hsls", 4, T_MTP3_FIELD, 0 },
	{ "icmp", 4, T_PNAME, AP_ICMP },
	{ "icmp-echo", 9, T_NUM, 8 },
	{ "icmp-echoreply", 14, T_NUM, 0 },
	{ "icmp-ireq", 9, T_NUM, 15 },
	{ "icmp-ireqreply", 14, T_NUM, 16 },
	{ "icmp-maskreply", 14, T_NUM, 18 },
	{ "icmp-maskreq", 12, T_NUM, 17 },
	{ "icmp-paramprob", 14, T_NUM, 12 },
	{ "icmp-redirect", 13, T_NUM, 5 },
	{ "icmp-routeradvert", 17, T_NUM, 9 },
	{ "icmp-routersolicit", 18, T_NUM, 10 },
	{ "icmp-sourcequench", 17, T_NUM, 4 },
	{ "icmp-timxceed", 13, T_NUM, 11 },
	{ "icmp-tstamp", 11, T_NUM, 13 },
	{ "icmp-tstampreply", 16, T_NUM, 14 },
	{ "icmp-unreach", 12, T_NUM, 3 },
	{ "icmp6", 5, T_PNAME, AP_ICMP6 },
	{ "icmp6-certpathadvert", 20, T_NUM, 149 },
	{ "icmp6-certpathsolicit", 21, T_NUM, 148 },
	{ "icmp6-destinationunreach", 24, T_NUM, 1 },
	{ "icmp6-echo", 10, T_NUM, 128 },
	{ "icmp6-echoreply", 15, T_NUM, 129 },
	{ "icmp6-homeagentdiscoveryreply", 29, T_NUM, 145 },
	{ "icmp6-homeagentdiscoveryrequest", 31, T_NUM, 144 },
	{ "icmp6-ineighbordiscoveryadvert", 30, T_NUM, 142 },
	{ "icmp6-ineighbordiscoverysolicit", 31, T_NUM, 141 },
	{ "icmp6-mobileprefixadvert", 24, T_NUM, 147 },
	{ "icmp6-mobileprefixsolicit", 25, T_NUM, 146 },
	{ "icmp6-multicastlistenerdone", 27, T_NUM, 132 },
	{ "icmp6-multicastlistenerquery", 28, T_NUM, 130 },
	{ "icmp6-multicastlistenerreportv1", 31, T_NUM, 131 },
	{ "icmp6-multicastlistenerreportv2", 31, T_NUM, 143 },
	{ "icmp6-multicastrouteradvert", 27, T_NUM, 151 },
	{ "icmp6-multicastroutersolicit", 28, T_NUM, 152 },
	{ "icmp6-multicastrouterterm", 25, T_NUM, 153 },
	{ "icmp6-neighboradvert", 20, T_NUM, 136 },
	{ "icmp6-neighborsolicit", 21, T_NUM, 135 },
	{ "icmp6-nodeinformationquery", 26, T_NUM, 139 },
	{ "icmp6-nodeinformationresponse", 29, T_NUM, 140 },
	{ "icmp6-packettoobig", 18, T_NUM, 2 },
	{ "icmp6-parameterproblem", 22, T_NUM, 4 },
	{ "icmp6-redirect", 14, T_NUM, 137 },
	{ "icmp6-routeradvert", 18, T_NUM, 134 },
	{ "icmp6-routerrenum", 17, T_NUM, 138 },
	{ "icmp6-routersolicit", 19, T_NUM, 133 },
	{ "icmp6-timeexceeded", 18, T_NUM, 3 },
	{ "icmp6code", 9, T_NUM, 1 },
	{ "icmp6type", 9, T_NUM, 0 },
	{ "icmpcode", 8, T_NUM, 1 },
	{ "icmptype", 8, T_NUM, 0 },
	{ "ifindex", 7, T_IFINDEX, 0 },
	{ "ifname", 6, T_PF_IFNAME, 0 },
	{ "igmp", 4, T_PNAME, AP_IGMP },
	{ "igrp", 4, T_PNAME, AP_IGRP },
	{ "iih", 3, T_PNAME, AP_IIH },
	{ "ilmic", 5, T_ATM_ABBREV, 0 },
	{ "inbound", 7, T_INBOUND, 0 },
	{ "ip", 2, T_PNAME, AP_IP },
	{ "ip6", 3, T_PNAME, AP_IP6 },
	{ "ipx", 3, T_PNAME, AP_IPX },
	{ "is-is", 5, T_PNAME, AP_ISIS },
	{ "isis", 4, T_PNAME, AP_ISIS },
	{ "iso", 3, T_PNAME, AP_ISO },
	{ "l1", 2, T_PNAME, AP_L1 },
	{ "l2", 2, T_PNAME, AP_L2 },
	{ "lane", 4, T_ATM_ABBREV, 0 },
	{ "lat", 3, T_PNAME, AP_LAT },
	{ "len", 3, T_LEN, 0 },
	{ "length", 6, T_LEN, 0 },
	{ "less", 4, T_LESS, 0 },
	{ "link", 4, T_PNAME, AP_LINK },
	{ "llc", 3, T_LLC, 0 },
	{ "lsp", 3, T_PNAME, AP_LSP },
	{ "lssu", 4, T_MTP2_ABBREV, 0 },
	{ "lsu", 3, T_MTP2_ABBREV, 0 },
	{ "mask", 4, T_MASK, 0 },
	{ "metac", 5, T_ATM_ABBREV, 0 },
	{ "metaconnect", 11, T_ATM_ABBREV, 0 },
	{ "mopdl", 5, T_PNAME, AP_MOPDL },
	{ "moprc", 5, T_PNAME, AP_MOPRC },
	{ "mpls", 4, T_MPLS, 0 },
	{ "msu", 3, T_MTP2_ABBREV, 0 },
	{ "multicast", 9, T_MULTICAST, 0 },
	{ "net", 3, T_NET, 0 },
	{ "netbeui", 7, T_PNAME, AP_NETBEUI },
	{ "not", 3, T_NOT, 0 },
	{ "oam", 3, T_ATM_ABBREV, 0 },
	{ "oamf4", 5, T_ATM_ABBREV, 0 },
	{ "oamf4ec", 7, T_ATM_ABBREV, 0 },
	{ "oamf4sc", 7, T_ATM_ABBREV, 0 },
	{ "on", 2, T_PF_IFNAME, 0 },
	{ "opc", 3, T_MTP3_FIELD, 0 },
	{ "or", 2, T_OR, 0 },
	{ "outbound", 8, T_OUTBOUND, 0 },
	{ "pim", 3, T_PNAME, AP_PIM },
	{ "port", 4, T_PORT, 0 },
	{ "portrange", 9, T_PORTRANGE, 0 },
	{ "ppp", 3, T_PNAME, AP_LINK },
	{ "pppoed", 6, T_PPPOED, 0 },
	{ "pppoes", 6, T_PPPOES, 0 },
	{ "proto", 5, T_PROTO, 0 },
	{ "protochain", 10, T_PROTOCHAIN, 0 },
	{ "psnp", 4, T_PNAME, AP_PSNP },
	{ "ra", 2, T_ADDR, AD_RA },
	{ "radio", 5, T_PNAME, AP_RADIO },
	{ "rarp", 4, T_PNAME, AP_RARP },
	{ "reason", 6, T_PF_REASON, 0 },
	{ "rnr", 3, T_PF_RNR, 0 },
	{ "rset", 4, T_PF_RSET, 0 },
	{ "rulenum", 7, T_PF_RNR, 0 },
	{ "ruleset", 7, T_PF_RSET, 0 },
	{ "sc", 2, T_ATM_ABBREV, 0 },
	{ "sca", 3, T_PNAME, AP_SCA },
	{ "sctp", 4, T_PNAME, AP_SCTP },
	{ "sio", 3, T_MTP3_FIELD, 0 },
	{ "slip", 4, T_PNAME, AP_LINK },
	{ "sls", 3, T_MTP3_FIELD, 0 },
	{ "snp", 3, T_PNAME, AP_SNP },
	{ "src", 3, T_SRC, 0 },
	{ "srnr", 4, T_PF_SRNR, 0 },
	{ "stp", 3, T_PNAME, AP_STP },
	{ "subrulenum", 10, T_PF_SRNR, 0 },
	{ "subtype", 7, T_SUBTYPE, 0 },
	{ "ta", 2, T_ADDR, AD_TA },
	{ "tcp", 3, T_PNAME, AP_TCP },
	{ "tcp-ack", 7, T_NUM, 16 },
	{ "tcp-cwr", 7, T_NUM, 128 },
	{ "tcp-ece", 7, T_NUM, 64 },
	{ "tcp-fin", 7, T_NUM, 1 },
	{ "tcp-push", 8, T_NUM, 8 },
	{ "tcp-rst", 7, T_NUM, 4 },
	{ "tcp-syn", 7, T_NUM, 2 },
	{ "tcp-urg", 7, T_NUM, 32 },
	{ "tcpflags", 8, T_NUM, 13 },
	{ "tr", 2, T_PNAME, AP_LINK },
	{ "type", 4, T_TYPE, 0 },
	{ "udp", 3, T_PNAME, AP_UDP },
	{ "vci", 3, T_ATM_FIELD, 0 },
	{ "vlan", 4, T_VLAN, 0 },
	{ "vpi", 3, T_ATM_FIELD, 0 },
	{ "vrrp", 4, T_PNAME, AP_VRRP },
	{ "vxlan", 5, T_VXLAN, 0 },
	{ "wlan", 4, T_PNAME, AP_LINK },
};

#define N_KEYWORDS (sizeof keywords / sizeof keywords[0])

int lexer_keywords_sorted(void)
{
	for (size_t i = 1; i < N_KEYWORDS; i++)
		if (strcmp(keywords[i - 1].name, keywords[i].name) >= 0)
			return 0;
	return 1;
}

const char *lexer_keyword(size_t i)
{
	return i < N_KEYWORDS ? keywords[i].name : NULL;
}

struct word {
	const char *s;
	size_t n;
};

static int compare_word_keyword(const void *key, const void *elem)
{
	const struct word *w = key;
	const struct keyword *k = elem;
	size_t n = w->n < k->name_len ? w->n : k->name_len;
	int c = memcmp(w->s, k->name, n);
	if (c)
		return c;
	return (w->n > k->name_len) - (w->n < k->name_len);
}

static const struct keyword *find_keyword(const char *s, size_t n)
{
	struct word w = { s, n };
	return bsearch(&w, keywords, N_KEYWORDS, sizeof keywords[0], compare_word_keyword);
}

/* ASCII classes: the scanner's character sets, independent of locale. */
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(char c) { return is_alpha(c) || is_digit(c); }

static size_t count_hex(const char *s, size_t n, size_t max)
{
	size_t i = 0;
	while (i < n && i < max && is_hex(s[i]))
		i++;
	return i;
}

/* A number as the scanner sees it: decimal digits, or 0x/0X and hex
 * digits.  (Octal is decided later, when the value is read.) */
static size_t match_number(const char *s, size_t n)
{
	if (n >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && is_hex(s[2]))
		return 2 + count_hex(s + 2, n - 2, (size_t)-1);
	size_t i = 0;
	while (i < n && is_digit(s[i]))
		i++;
	return i;
}

/* IPv4: two to four numbers joined by dots (a lone number is a number). */
static size_t match_ipv4(const char *s, size_t n)
{
	size_t end = match_number(s, n), best = 0;
	if (!end)
		return 0;
	for (int parts = 2; parts <= 4; parts++) {
		if (end >= n || s[end] != '.')
			break;
		size_t part = match_number(s + end + 1, n - end - 1);
		if (!part)
			break;
		end += 1 + part;
		best = end;
	}
	return best;
}

/* "B sep B sep ... B" with count bytes of 1..2 hex digits each. */
static size_t match_bytes_sep(const char *s, size_t n, char sep, int count)
{
	size_t i = 0;
	for (int k = 0; k < count; k++) {
		if (k) {
			if (i >= n || s[i] != sep)
				return 0;
			i++;
		}
		size_t h = count_hex(s + i, n - i, 2);
		if (!h)
			return 0;
		i += h;
	}
	return i;
}

/* MACs: xx:xx:xx:xx:xx:xx, xx-..., xx.... (1 or 2 digits each),
 * xxxx.xxxx.xxxx, and 12 bare hex digits. */
static size_t match_mac(const char *s, size_t n)
{
	size_t best = 0, m;
	if ((m = match_bytes_sep(s, n, ':', 6)) > best)
		best = m;
	if ((m = match_bytes_sep(s, n, '-', 6)) > best)
		best = m;
	if ((m = match_bytes_sep(s, n, '.', 6)) > best)
		best = m;
	if (n >= 14 && count_hex(s, 4, 4) == 4 && s[4] == '.' && count_hex(s + 5, 4, 4) == 4 &&
	    s[9] == '.' && count_hex(s + 10, 4, 4) == 4 && 14 > best)
		best = 14;
	if (count_hex(s, n, 12) == 12 && 12 > best)
		best = 12;
	return best;
}

/* "B:" "B:"... : colon-separated bytes that are not a MAC (the scanner
 * reports them as a bogus ethernet address).  At least two groups, each
 * ending in one or more colons. */
static size_t match_bogus_mac(const char *s, size_t n)
{
	size_t i = 0, best = 0;
	for (int groups = 0;; groups++) {
		size_t h = count_hex(s + i, n - i, 2);
		if (!h || i + h >= n || s[i + h] != ':')
			break;
		i += h;
		while (i < n && s[i] == ':')
			i++;
		if (groups >= 1)
			best = i;
	}
	return best;
}

/* One side of an IPv6 address split at "::": groups of 1..4 hex digits
 * separated by single colons, the last optionally a dotted IPv4 of exactly
 * four numbers.  Counts the hex groups. */
static int ipv6_side(const char *s, size_t n, int allow_v4, int *groups, int *has_v4)
{
	*groups = 0;
	*has_v4 = 0;
	if (n == 0)
		return 1;
	size_t i = 0;
	for (;;) {
		size_t piece = 0;
		while (i + piece < n && s[i + piece] != ':')
			piece++;
		if (piece == 0)
			return 0;
		int last = i + piece == n;
		if (last && allow_v4 && memchr(s + i, '.', piece)) {
			size_t m = match_ipv4(s + i, piece);
			int dots = 0;
			for (size_t k = 0; k < m; k++)
				dots += s[i + k] == '.';
			if (m != piece || dots != 3)
				return 0;
			*has_v4 = 1;
			return 1;
		}
		if (piece > 4 || count_hex(s + i, piece, 4) != piece)
			return 0;
		++*groups;
		if (last)
			return 1;
		i += piece + 1;
	}
}

/* The IPv6 spellings the scanner lists: eight groups, or fewer with one
 * "::" (at most seven written), optionally ending in a dotted IPv4 that
 * stands for the last two groups. */
static int is_ipv6_form(const char *s, size_t n)
{
	const char *dc = NULL;
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == ':' && s[i + 1] == ':') {
			if (dc)
				return 0;
			dc = s + i;
		}
	}
	int gl, gr, v4l, v4r;
	if (!dc) {
		if (!ipv6_side(s, n, 1, &gl, &v4l))
			return 0;
		return v4l ? gl == 6 : gl == 8;
	}
	size_t left = (size_t)(dc - s);
	if (!ipv6_side(s, left, 0, &gl, &v4l) || !ipv6_side(dc + 2, n - left - 2, 1, &gr, &v4r))
		return 0;
	return v4r ? gl + gr <= 5 : gl + gr <= 7;
}

static size_t match_ipv6(const char *s, size_t n)
{
	size_t run = 0;
	int colons = 0;
	/* Longest prefix of hex digits, colons, dots (and the x of 0x, which
	 * the embedded IPv4 numbers may use) that is an IPv6 form.  An address
	 * longer than the cap cannot be one (the dotted tail aside). */
	while (run < n && run < 96 &&
	       (is_hex(s[run]) || s[run] == ':' || s[run] == '.' || s[run] == 'x' || s[run] == 'X'))
		colons += s[run++] == ':';
	if (colons < 2)
		return 0;
	for (size_t len = run; len >= 2; len--)
		if (is_ipv6_form(s, len))
			return len;
	return 0;
}

/* A name: a letter or digit, then letters, digits, '-', '_', '.', not
 * ending in '-' or '_'. */
static size_t match_name(const char *s, size_t n)
{
	if (n == 0 || !is_alnum(s[0]))
		return 0;
	size_t i = 1;
	while (i < n && (is_alnum(s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
		i++;
	while (s[i - 1] == '-' || s[i - 1] == '_')
		i--;
	return i;
}

/* Value of a number token: 0x hex, 0-prefixed octal, else decimal. */
static enum lex_error number_value(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (n >= 2 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < n; i++) {
		unsigned d = is_digit(s[i]) ? (unsigned)(s[i] - '0')
			   : (unsigned)((s[i] | 0x20) - 'a' + 10);
		if (d >= base)
			return LEX_NON_OCTAL; /* only octal can meet a digit it lacks */
		v = v * base + d;
		if (v > UINT32_MAX)
			return LEX_OVERFLOW;
	}
	*out = (uint32_t)v;
	return LEX_OK;
}

void lexer_init(struct lexer *lx, const char *src, size_t len)
{
	lx->src = src;
	lx->len = len;
	lx->pos = 0;
}

/* Operators of one or two characters; 0 if none starts at s. */
static size_t match_operator(const char *s, size_t n, enum tok_kind *kind)
{
	static const struct {
		char text[3];
		unsigned char kind;
	} ops[] = {
		{ ">=", T_GE }, { "<=", T_LE }, { "!=", T_NE }, { "==", T_EQ },
		{ "<<", T_LSH }, { ">>", T_RSH }, { "&&", T_AND }, { "||", T_OR },
		{ "+", T_PLUS }, { "-", T_MINUS }, { "*", T_STAR }, { "/", T_SLASH },
		{ "%", T_PERCENT }, { ":", T_COLON }, { "[", T_LBRACK }, { "]", T_RBRACK },
		{ "!", T_NOT }, { "<", T_LT }, { ">", T_GT }, { "(", T_LPAREN },
		{ ")", T_RPAREN }, { "&", T_AMP }, { "|", T_PIPE }, { "^", T_CARET },
		{ "=", T_EQ },
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t len = ops[i].text[1] ? 2 : 1;
		if (len <= n && memcmp(s, ops[i].text, len) == 0) {
			*kind = ops[i].kind;
			return len;
		}
	}
	return 0;
}

/* Rules of the scanner in its order, for breaking ties between equally
 * long matches. */
enum shape { SH_KEYWORD, SH_MAC, SH_NUMBER, SH_IPV4, SH_IPV6, SH_BOGUS_MAC, SH_CONSTANT, SH_NAME, SH_NONE };

static void scan_word(const char *s, size_t n, struct token *tok)
{
	size_t len[SH_NONE] = { 0 };
	size_t name = match_name(s, n);
	/* No keyword or named constant starts with a digit. */
	const struct keyword *kw = name && !is_digit(s[0]) ? find_keyword(s, name) : NULL;
	if (kw)
		len[kw->kind == T_NUM ? SH_CONSTANT : SH_KEYWORD] = name;
	if (is_hex(s[0])) {
		len[SH_MAC] = match_mac(s, n);
		len[SH_IPV6] = match_ipv6(s, n);
		len[SH_BOGUS_MAC] = match_bogus_mac(s, n);
	}
	if (is_digit(s[0])) {
		len[SH_NUMBER] = match_number(s, n);
		len[SH_IPV4] = match_ipv4(s, n);
	}
	len[SH_NAME] = name;

	enum shape best = SH_NONE;
	size_t best_len = 0;
	for (int sh = 0; sh < SH_NONE; sh++) {
		if (len[sh] > best_len) {
			best_len = len[sh];
			best = (enum shape)sh;
		}
	}
	tok->len = (int)best_len;
	switch (best) {
	case SH_KEYWORD:
		tok->kind = (enum tok_kind)kw->kind;
		tok->num = kw->value;
		break;
	case SH_CONSTANT:
		tok->kind = T_NUM;
		tok->num = kw->value;
		break;
	case SH_MAC:
		tok->kind = T_EID;
		break;
	case SH_NUMBER: {
		enum lex_error e = number_value(s, best_len, &tok->num);
		if (e != LEX_OK) {
			tok->kind = T_ERROR;
			tok->lexerr = (uint8_t)e;
		} else {
			tok->kind = T_NUM;
		}
		break;
	}
	case SH_IPV4:
		tok->kind = T_HID;
		break;
	case SH_IPV6:
		tok->kind = T_HID6;
		break;
	case SH_BOGUS_MAC:
		tok->kind = T_ERROR;
		tok->lexerr = LEX_BOGUS_MAC;
		break;
	case SH_NAME:
		tok->kind = T_ID;
		break;
	case SH_NONE:
		tok->kind = T_ERROR;
		tok->lexerr = LEX_BAD_CHAR;
		tok->len = 1;
		break;
	}
}

void lexer_next(struct lexer *lx, struct token *tok)
{
	const char *src = lx->src;
	while (lx->pos < lx->len &&
	       (src[lx->pos] == ' ' || src[lx->pos] == '\t' || src[lx->pos] == '\n' || src[lx->pos] == '\r'))
		lx->pos++;
	memset(tok, 0, sizeof *tok);
	tok->col = (int)lx->pos;
	if (lx->pos >= lx->len) {
		tok->kind = T_EOF;
		return;
	}
	const char *s = src + lx->pos;
	size_t n = lx->len - lx->pos;
	enum tok_kind op;
	size_t oplen;

	if (s[0] == '\\') {
		/* "\word": the word as a name, whatever it looks like (so
		 * "\tcp" is the protocol name, not the keyword), up to a
		 * blank, '!', or a parenthesis. */
		size_t i = 1;
		while (i < n && !strchr(" !()\n\t", s[i]))
			i++;
		if (i == 1) {
			tok->kind = T_ERROR;
			tok->lexerr = LEX_BAD_CHAR;
			tok->len = 1;
		} else {
			tok->kind = T_ID;
			tok->escaped = 1;
			tok->len = (int)i;
		}
	} else if (s[0] == '$' && n >= 2 && is_hex(s[1])) {
		tok->kind = T_AID;
		tok->len = 1 + (int)count_hex(s + 1, n - 1, 2);
	} else if (is_alnum(s[0])) {
		scan_word(s, n, tok);
	} else if (s[0] == ':' && match_ipv6(s, n)) {
		/* "::1": an IPv6 address may start with a colon; it is longer
		 * than the ':' operator, so it wins. */
		tok->kind = T_HID6;
		tok->len = (int)match_ipv6(s, n);
	} else if ((oplen = match_operator(s, n, &op)) != 0) {
		tok->kind = op;
		tok->len = (int)oplen;
	} else {
		tok->kind = T_ERROR;
		tok->lexerr = LEX_BAD_CHAR;
		tok->len = 1;
	}
	lx->pos += (size_t)tok->len;
}
