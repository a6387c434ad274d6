/* The tokens of pcap-filter(7) expressions, split the way libpcap's
 * scanner splits them (longest match wins; on a tie the earlier rule of
 * the scanner wins: keywords, then MAC, number, IPv4, IPv6, named
 * constants, names).  The lexer only classifies: converting an address
 * token to bytes, and every message, is the parser's job.
 */
#ifndef BPFCAP_FILTER_LEXER_H
#define BPFCAP_FILTER_LEXER_H

#include <stddef.h>
#include <stdint.h>

enum tok_kind {
	T_EOF,
	T_ERROR,      /* a lexical error; token.lexerr says which */

	/* identifiers (pcap-filter(7) "id") */
	T_NUM,        /* number or named constant (tcp-syn ...): token.num */
	T_ID,         /* a name, or a "\"-escaped anything (token.escaped) */
	T_HID,        /* IPv4 address with 2..4 dotted parts */
	T_HID6,       /* IPv6 address */
	T_EID,        /* MAC address */
	T_AID,        /* ARCnet address "$xx" */

	/* punctuation and operators */
	T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COLON,
	T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT,
	T_AMP, T_PIPE, T_CARET, T_LSH, T_RSH,
	T_GT, T_GE, T_LT, T_LE, T_EQ, T_NE,
	T_NOT, T_AND, T_OR,

	/* qualifiers */
	T_PNAME,      /* protocol name: token.num is an enum ast_proto */
	T_SRC, T_DST,
	T_ADDR,       /* addr1..addr4, ra, ta: token.num is an enum ast_dir */
	T_HOST, T_NET, T_PORT, T_PORTRANGE, T_MASK,
	T_PROTO, T_PROTOCHAIN, T_GATEWAY,

	/* other primitives */
	T_LESS, T_GREATER, T_BYTE, T_BROADCAST, T_MULTICAST, T_LEN,
	T_INBOUND, T_OUTBOUND, T_IFINDEX,
	T_VLAN, T_MPLS, T_PPPOED, T_PPPOES, T_GENEVE, T_VXLAN, T_LLC,
	T_TYPE, T_SUBTYPE, T_DIR,                   /* 802.11 */
	T_ATM_ABBREV, T_ATM_FIELD,                  /* SunATM */
	T_MTP2_ABBREV, T_MTP3_FIELD,                /* SS7 */
	T_PF_IFNAME, T_PF_RSET, T_PF_RNR, T_PF_SRNR, /* OpenBSD pflog */
	T_PF_REASON, T_PF_ACTION,
};

enum lex_error {
	LEX_OK,
	LEX_BAD_CHAR,       /* a character no token starts with */
	LEX_OVERFLOW,       /* number past 32 bits */
	LEX_NON_OCTAL,      /* 0-prefixed number with an 8 or 9 */
	LEX_BOGUS_MAC,      /* "aa:bb:" and the like */
};

struct token {
	enum tok_kind kind;
	int col, len;          /* byte span in the source (escapes included) */
	uint32_t num;          /* T_NUM value; T_PNAME proto; T_ADDR dir */
	uint8_t escaped;       /* T_ID written with a leading '\' */
	uint8_t lexerr;        /* T_ERROR: enum lex_error */
};

struct lexer {
	const char *src;
	size_t len;
	size_t pos;
};

void lexer_init(struct lexer *lx, const char *src, size_t len);

/* Scan the token at lx->pos into *tok and move past it. */
void lexer_next(struct lexer *lx, struct token *tok);

/* 1 if the keyword table is sorted (it is searched by bisection); for tests. */
int lexer_keywords_sorted(void);

/* Each keyword's spelling in turn (NULL past the end); for tests. */
const char *lexer_keyword(size_t i);

#endif
