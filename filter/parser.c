/* Recursive-descent parser for pcap-filter(7) expressions.
 *
 * It accepts what libpcap 1.10's yacc grammar accepts and builds the tree
 * of ast.h.  The grammar facts it reproduces, each cited where it is
 * implemented:
 *
 *  - "and" and "or" have the same precedence and group to the left;
 *    "not" applies to the one primitive (or id) after it.
 *  - A bare id (number, address, name, parenthesised and/or group of ids,
 *    "not id") is allowed only right after a qualifier head, or after
 *    "and"/"or", where it takes the qualifiers of the term before the
 *    operator.  libpcap passes them along in yacc's $<blk>0 slot: a term
 *    that has none (a protocol alone, a relation, "vlan" ...) passes an
 *    undefined qualifier, which libpcap's code generator rejects as a
 *    syntax error; a parenthesised expression passes on what was in force
 *    before its "(".  This parser carries the same value explicitly
 *    (struct qctx) and copies it into every AK_QUALIFIED node, so codegen
 *    never sees inheritance.
 *  - A "(" can open a group of ids, a group of primitives or an
 *    arithmetic expression; yacc decides with its LALR states, this parser
 *    by trying the narrower reading first and backtracking (see
 *    parse_paren_id_or_term and paren_starts_relation).
 *  - Arithmetic: '|' binds loosest, then '&', then shifts, then '+' '-',
 *    then '*' '/', then unary minus.  '%' and '^' have no precedence in
 *    libpcap's grammar, so yacc always shifts them: each takes the operand
 *    just before it and everything after it up to the end of the
 *    arithmetic expression ("a * b % c + d" is a * (b % (c + d))).
 *
 * Errors carry the column and length of the offending token.  Nesting is
 * capped (MAX_DEPTH) so hostile input cannot exhaust the C stack.  All
 * memory comes from the caller's arena.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "bpfcap.h"
#include "error.h"
#include "lexer.h"

enum { MAX_DEPTH = 1000 };

/* The qualifiers a bare id would inherit at this point: libpcap's
 * $<blk>0.q.  "defined" is 0 where libpcap has its undefined qualifier. */
struct qctx {
	uint8_t defined;
	struct ast_qual q;
};

static const struct qctx QCTX_NONE = { 0, { 0, 0, 0 } };

struct parser {
	struct lexer lx;
	struct token tok;     /* the current token, not yet consumed */
	int prev_end;         /* where the last consumed token ended */
	int depth;
	struct ast_arena *arena;
	int srclen;

	int failed;
	struct bpfcap_error e;

	/* An error found inside an id that must not end the parse yet because
	 * the id may be a speculative reading; raised by the caller once the
	 * reading is settled (take_deferred). */
	int has_deferred;
	struct bpfcap_error deferred;

	/* The first construct bpfcap parses but has no AST for. */
	int has_unsupported;
	int unsupported_col, unsupported_len;
	const char *unsupported_what;
};

/* Where the parse stands, for backtracking. */
struct mark {
	struct lexer lx;
	struct token tok;
	int prev_end, depth, has_deferred, has_unsupported;
};

/* ---- tokens ---------------------------------------------------------- */

static void advance(struct parser *p)
{
	p->prev_end = p->tok.col + p->tok.len;
	lexer_next(&p->lx, &p->tok);
}

static struct token peek(const struct parser *p)
{
	struct lexer copy = p->lx;
	struct token t;
	lexer_next(&copy, &t);
	return t;
}

static int is_id_token(enum tok_kind k)
{
	return k == T_ID || k == T_HID || k == T_HID6 || k == T_EID || k == T_AID;
}

static int is_relop(enum tok_kind k)
{
	return k == T_GT || k == T_GE || k == T_LT || k == T_LE || k == T_EQ || k == T_NE;
}

static int is_arith_op(enum tok_kind k)
{
	return k == T_PLUS || k == T_MINUS || k == T_STAR || k == T_SLASH || k == T_PERCENT ||
	       k == T_AMP || k == T_PIPE || k == T_CARET || k == T_LSH || k == T_RSH;
}

/* Reserved words: every kind from T_PNAME on (lexer.h lists them last). */
static int is_keyword(enum tok_kind k)
{
	return k >= T_PNAME || k == T_NOT || k == T_AND || k == T_OR;
}

static struct mark mark(const struct parser *p)
{
	return (struct mark){ p->lx, p->tok, p->prev_end, p->depth, p->has_deferred,
			      p->has_unsupported };
}

static void reset(struct parser *p, const struct mark *m)
{
	p->lx = m->lx;
	p->tok = m->tok;
	p->prev_end = m->prev_end;
	p->depth = m->depth;
	p->has_deferred = m->has_deferred;
	p->has_unsupported = m->has_unsupported;
	p->failed = 0;
}

/* ---- errors ---------------------------------------------------------- */

static void vset_error(struct bpfcap_error *e, int code, int col, int len, const char *fmt,
		       va_list ap)
{
	e->code = code;
	e->column = col;
	e->length = col >= 0 && len < 1 ? 1 : len;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

/* Records the first error; returns NULL so callers can "return fail(...)". */
__attribute__((format(printf, 5, 6)))
static void *fail(struct parser *p, int code, int col, int len, const char *fmt, ...)
{
	if (!p->failed) {
		va_list ap;
		va_start(ap, fmt);
		vset_error(&p->e, code, col, len, fmt, ap);
		va_end(ap);
		p->failed = 1;
	}
	return NULL;
}

__attribute__((format(printf, 5, 6)))
static void defer(struct parser *p, int code, int col, int len, const char *fmt, ...)
{
	if (p->has_deferred)
		return;
	va_list ap;
	va_start(ap, fmt);
	vset_error(&p->deferred, code, col, len, fmt, ap);
	va_end(ap);
	p->has_deferred = 1;
}

/* Raises a deferred error once the id that caused it is settled. */
static int take_deferred(struct parser *p)
{
	if (!p->has_deferred)
		return 0;
	if (!p->failed) {
		p->e = p->deferred;
		p->failed = 1;
	}
	return 1;
}

static void note_unsupported(struct parser *p, int col, int len, const char *what)
{
	if (p->has_unsupported)
		return;
	p->has_unsupported = 1;
	p->unsupported_col = col;
	p->unsupported_len = len;
	p->unsupported_what = what;
}

static int tok_col(const struct parser *p, const struct token *t)
{
	return t->kind == T_EOF ? p->srclen : t->col;
}

static const char *tok_text(const struct parser *p, const struct token *t)
{
	return p->lx.src + t->col;
}

/* The text of a token for a message ("'and'", "the end of the expression").
 * Long tokens are cut: the column already says where they are. */
static const char *describe(const struct parser *p, const struct token *t, char *buf, size_t size)
{
	if (t->kind == T_EOF)
		return "the end of the expression";
	int n = t->len > 40 ? 40 : t->len;
	snprintf(buf, size, "'%.*s%s'", n, tok_text(p, t), t->len > n ? "..." : "");
	return buf;
}

/* The message for a token the lexer could not make sense of. */
static void *fail_lexical(struct parser *p)
{
	const struct token *t = &p->tok;
	const char *s = tok_text(p, t);
	switch (t->lexerr) {
	case LEX_OVERFLOW:
		return fail(p, BPFCAP_E_SYNTAX, t->col, t->len, "number %.*s overflows 32 bits",
			    t->len, s);
	case LEX_NON_OCTAL:
		return fail(p, BPFCAP_E_SYNTAX, t->col, t->len,
			    "number %.*s contains a non-octal digit (a leading 0 means octal)", t->len, s);
	case LEX_BOGUS_MAC:
		return fail(p, BPFCAP_E_SYNTAX, t->col, t->len, "bogus ethernet address '%.*s'",
			    t->len, s);
	default:
		if (s[0] == '\\')
			return fail(p, BPFCAP_E_SYNTAX, t->col, 1,
				    "a '\\' must be followed by the name it escapes");
		if ((unsigned char)s[0] >= 0x20 && (unsigned char)s[0] < 0x7f)
			return fail(p, BPFCAP_E_SYNTAX, t->col, 1, "unexpected character '%c'", s[0]);
		return fail(p, BPFCAP_E_SYNTAX, t->col, 1, "unexpected byte 0x%02x",
			    (unsigned char)s[0]);
	}
}

/* "expected WHAT [after AFTER], found TOKEN", with a hint when the token
 * is a keyword where a name was wanted (pcap-filter(7): "\" escapes it). */
static void *fail_expected(struct parser *p, const char *what, const struct token *after)
{
	if (p->tok.kind == T_ERROR)
		return fail_lexical(p);
	char found[64], prev[64];
	const char *hint = "";
	if (is_keyword(p->tok.kind) && strncmp(what, "an id", 5) == 0)
		hint = " (a keyword: write it with a leading '\\' to use it as a name)";
	else if (p->tok.kind == T_EID && strstr(what, "number"))
		hint = " (read as a MAC address, as libpcap does with 12 hex digits)";
	int col = tok_col(p, &p->tok);
	if (after)
		return fail(p, BPFCAP_E_SYNTAX, col, p->tok.len, "expected %s after %s, found %s%s",
			    what, describe(p, after, prev, sizeof prev),
			    describe(p, &p->tok, found, sizeof found), hint);
	return fail(p, BPFCAP_E_SYNTAX, col, p->tok.len, "expected %s, found %s%s", what,
		    describe(p, &p->tok, found, sizeof found), hint);
}

static int expect_close(struct parser *p, const struct token *open)
{
	if (p->tok.kind == T_RPAREN) {
		advance(p);
		return 1;
	}
	char what[64];
	snprintf(what, sizeof what, "')' to close the '(' at column %d", open->col);
	fail_expected(p, what, NULL);
	return 0;
}

/* Counts nesting; every recursive rule goes through it. */
static int enter(struct parser *p)
{
	if (++p->depth > MAX_DEPTH) {
		fail(p, BPFCAP_E_TOOBIG, tok_col(p, &p->tok), p->tok.len,
		     "expression nests too deeply (more than %d levels)", MAX_DEPTH);
		return 0;
	}
	return 1;
}

/* ---- nodes ----------------------------------------------------------- */

static void *fail_nomem(struct parser *p)
{
	return fail(p, BPFCAP_E_NOMEM, -1, 0, "out of memory");
}

static struct ast_node *new_node(struct parser *p, enum ast_kind kind, int col)
{
	struct ast_node *n = ast_alloc(p->arena, sizeof *n);
	if (!n)
		return fail_nomem(p);
	n->kind = (uint8_t)kind;
	n->col = col;
	n->len = p->prev_end - col;
	return n;
}

static struct ast_node *new_unary(struct parser *p, enum ast_kind kind, int col,
				  struct ast_node *operand)
{
	struct ast_node *n = new_node(p, kind, col);
	if (n)
		n->left = operand;
	return n;
}

static struct ast_node *new_binary(struct parser *p, enum ast_kind kind, struct ast_node *l,
				   struct ast_node *r)
{
	struct ast_node *n = new_node(p, kind, l->col);
	if (n) {
		n->left = l;
		n->right = r;
	}
	return n;
}

static struct ast_arith *new_arith(struct parser *p, enum ast_arith_kind kind, int col)
{
	struct ast_arith *a = ast_alloc(p->arena, sizeof *a);
	if (!a)
		return fail_nomem(p);
	a->kind = (uint8_t)kind;
	a->col = col;
	a->len = p->prev_end - col;
	return a;
}

/* ---- ids ------------------------------------------------------------- */

/* libpcap refuses these qualifiers with an IPv4/IPv6 address in its
 * grammar actions ("'port' modifier applied to ip host"). */
static void check_address_qualifier(struct parser *p, const struct qctx *ctx, int col, int len,
				    const char *what)
{
	static const char *const names[] = {
		[AT_PORT] = "port", [AT_PORTRANGE] = "portrange",
		[AT_PROTO] = "proto", [AT_PROTOCHAIN] = "protochain",
	};
	unsigned t = ctx->q.type;
	if (ctx->defined && t < sizeof names / sizeof names[0] && names[t])
		defer(p, BPFCAP_E_SEMANTIC, col, len, "'%s' modifier applied to %s", names[t], what);
}

/* An IPv4 token's value the way libpcap reads it: parts are decimal, at
 * most 255, and a short address fills the high-order bytes ("10.0.1" is
 * 10.0.1.0).  Returns the number of parts, 0 if it is not an address. */
static int ipv4_value(const char *s, int n, uint32_t *out)
{
	uint32_t v = 0;
	int parts = 0, i = 0;
	while (i < n) {
		unsigned part = 0;
		int digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			part = part * 10 + (unsigned)(s[i] - '0');
			if (part > 255)
				return 0;
			i++;
			digits++;
		}
		if (!digits || (i < n && s[i] != '.') || parts == 4)
			return 0;
		v = v << 8 | part;
		parts++;
		i++; /* the dot */
	}
	*out = parts ? v << (8 * (4 - parts)) : 0;
	return parts;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

/* A MAC token's bytes: groups of hex digits, separated or not. */
static void mac_value(const char *s, int n, uint8_t mac[6])
{
	int b = 0, i = 0;
	while (i < n && b < 6) {
		int digits = 0;
		unsigned v = 0;
		/* 12 bare digits or xxxx.xxxx.xxxx: two digits a byte; else
		 * one or two digits up to a separator. */
		while (i < n && digits < 2 && s[i] != ':' && s[i] != '-' && s[i] != '.') {
			v = v << 4 | (unsigned)hex_value(s[i++]);
			digits++;
		}
		mac[b++] = (uint8_t)v;
		if (i < n && (s[i] == ':' || s[i] == '-' || s[i] == '.'))
			i++;
	}
}

static struct ast_node *new_qualified(struct parser *p, const struct qctx *ctx, int col)
{
	struct ast_node *n = new_node(p, AK_QUALIFIED, col);
	if (!n)
		return NULL;
	n->q = ctx->q;
	if (!ctx->defined)
		defer(p, BPFCAP_E_SYNTAX, n->col, n->len,
		      "'%.*s' needs a qualifier (e.g. 'host', 'net', 'port'): the term before it passes "
		      "none on for it to inherit",
		      n->len, p->lx.src + n->col);
	n->id.text = ast_strndup(p->arena, p->lx.src + col, (size_t)n->len);
	if (!n->id.text)
		return fail_nomem(p);
	return n;
}

/* "/len" after an IPv4 or IPv6 address: the prefix length, at most max. */
static int parse_prefix_len(struct parser *p, int max, int *prefix)
{
	struct token slash = p->tok;
	advance(p);
	if (p->tok.kind != T_NUM) {
		fail_expected(p, "a prefix length", &slash);
		return 0;
	}
	if (p->tok.num > (uint32_t)max) {
		fail(p, BPFCAP_E_SEMANTIC, p->tok.col, p->tok.len, "mask length must be <= %d", max);
		return 0;
	}
	*prefix = (int)p->tok.num;
	advance(p);
	return 1;
}

static struct ast_node *parse_ipv4_id(struct parser *p, const struct qctx *ctx)
{
	struct token addr = p->tok;
	uint32_t v4 = 0, mask = 0;
	int parts = ipv4_value(tok_text(p, &addr), addr.len, &v4);
	/* A DECnet address "area.node" has the same shape but other ranges
	 * (node up to 1023): codegen reads it from the text. */
	int decnet = ctx->defined && ctx->q.proto == AP_DECNET;
	if (!parts && !decnet)
		return fail(p, BPFCAP_E_SEMANTIC, addr.col, addr.len, "invalid IPv4 address '%.*s'",
			    addr.len, tok_text(p, &addr));
	advance(p);
	enum ast_id_kind kind = AID_IPV4;
	int prefix = 0;
	const char *what = "an IP address";
	if (p->tok.kind == T_SLASH) {
		if (!parse_prefix_len(p, 32, &prefix))
			return NULL;
		kind = AID_IPV4_LEN;
		what = "an IP address and prefix length";
	} else if (p->tok.kind == T_MASK) {
		struct token mask_kw = p->tok;
		advance(p);
		if (p->tok.kind != T_HID)
			return fail_expected(p, "a dotted IPv4 netmask", &mask_kw);
		if (!ipv4_value(tok_text(p, &p->tok), p->tok.len, &mask))
			return fail(p, BPFCAP_E_SEMANTIC, p->tok.col, p->tok.len,
				    "invalid IPv4 netmask '%.*s'", p->tok.len, tok_text(p, &p->tok));
		advance(p);
		kind = AID_IPV4_MASK;
		what = "an IP address and netmask";
	}
	struct ast_node *n = new_qualified(p, ctx, addr.col);
	if (!n)
		return NULL;
	check_address_qualifier(p, ctx, n->col, n->len, what);
	n->id.kind = (uint8_t)kind;
	n->id.v4 = v4;
	n->id.v4_parts = (uint8_t)parts;
	n->id.v4_mask = mask;
	n->id.prefix = prefix;
	return n;
}

static struct ast_node *parse_ipv6_id(struct parser *p, const struct qctx *ctx)
{
	struct token addr = p->tok;
	char text[INET6_ADDRSTRLEN + 64];
	uint8_t v6[16];
	/* The lexer took the shape; inet_pton judges the value (libpcap asks
	 * getaddrinfo and reports a "bogus IPv6 address"). */
	if ((size_t)addr.len >= sizeof text)
		return fail(p, BPFCAP_E_SEMANTIC, addr.col, addr.len, "bogus IPv6 address");
	memcpy(text, tok_text(p, &addr), (size_t)addr.len);
	text[addr.len] = '\0';
	if (inet_pton(AF_INET6, text, v6) != 1)
		return fail(p, BPFCAP_E_SEMANTIC, addr.col, addr.len, "bogus IPv6 address '%s'", text);
	advance(p);
	enum ast_id_kind kind = AID_IPV6;
	int prefix = 0;
	if (p->tok.kind == T_SLASH) {
		if (!parse_prefix_len(p, 128, &prefix))
			return NULL;
		kind = AID_IPV6_LEN;
	}
	struct ast_node *n = new_qualified(p, ctx, addr.col);
	if (!n)
		return NULL;
	check_address_qualifier(p, ctx, n->col, n->len,
				kind == AID_IPV6 ? "an IP address" : "an IP address and prefix length");
	n->id.kind = (uint8_t)kind;
	memcpy(n->id.v6, v6, sizeof v6);
	n->id.prefix = prefix;
	return n;
}

/* nid: a name, number or address token (with "/len" or "mask M"). */
static struct ast_node *parse_nid(struct parser *p, const struct qctx *ctx)
{
	struct token t = p->tok;
	struct ast_node *n;
	switch (t.kind) {
	case T_HID:
		return parse_ipv4_id(p, ctx);
	case T_HID6:
		return parse_ipv6_id(p, ctx);
	case T_NUM:
		advance(p);
		if (!(n = new_qualified(p, ctx, t.col)))
			return NULL;
		n->id.kind = AID_NUM;
		n->id.v4 = t.num;
		return n;
	case T_EID:
		advance(p);
		if (!(n = new_qualified(p, ctx, t.col)))
			return NULL;
		n->id.kind = AID_MAC;
		mac_value(tok_text(p, &t), t.len, n->id.mac);
		return n;
	case T_AID:
		/* ARCnet "$xx": no AST form; kept as a name and refused at the end. */
		note_unsupported(p, t.col, t.len, "ARCnet addresses");
		/* fall through */
	case T_ID:
		advance(p);
		if (!(n = new_qualified(p, ctx, t.col)))
			return NULL;
		n->id.kind = AID_NAME;
		if (t.escaped)
			n->id.text++; /* the name without its '\' */
		return n;
	default:
		return fail_expected(p, "an id", NULL);
	}
}

/* pnum: NUM or "(" pnum ")".  Sets *value; returns 0 on error. */
static int parse_pnum(struct parser *p, uint32_t *value, const struct token *after)
{
	if (!enter(p))
		return 0;
	int ok = 0;
	if (p->tok.kind == T_NUM) {
		*value = p->tok.num;
		advance(p);
		ok = 1;
	} else if (p->tok.kind == T_LPAREN) {
		struct token open = p->tok;
		advance(p);
		ok = parse_pnum(p, value, &open) && expect_close(p, &open);
	} else {
		fail_expected(p, "a number", after);
	}
	p->depth--;
	return ok;
}

static struct ast_node *parse_id(struct parser *p, const struct qctx *ctx, struct qctx *qout,
				 const struct token *after);

/* "(" pid ")": ids joined by and/or, all with the qualifiers in force
 * before the "(".  The first may be a parenthesised number (yacc's qid:
 * pnum) but not a parenthesised group: "((a or b) or c)" is refused, as
 * by libpcap. */
static struct ast_node *parse_paren_ids(struct parser *p, const struct qctx *ctx)
{
	struct token open = p->tok;
	advance(p);
	struct ast_node *left;
	struct qctx q = *ctx;
	if (p->tok.kind == T_LPAREN) {
		struct token first = p->tok;
		struct token inner = peek(p);
		uint32_t v;
		if (inner.kind != T_NUM && inner.kind != T_LPAREN && inner.kind != T_ERROR)
			return fail(p, BPFCAP_E_SYNTAX, tok_col(p, &inner), inner.len,
				    "a parenthesized group of ids cannot start with another group "
				    "(libpcap's grammar); write the ids without the inner parentheses");
		if (!parse_pnum(p, &v, &open))
			return NULL;
		if (!(left = new_qualified(p, ctx, first.col)))
			return NULL;
		left->id.kind = AID_NUM;
		left->id.v4 = v;
	} else if (!(left = parse_id(p, ctx, &q, &open))) {
		return NULL;
	}
	while (p->tok.kind == T_AND || p->tok.kind == T_OR) {
		struct token op = p->tok;
		advance(p);
		struct ast_node *right = parse_id(p, ctx, &q, &op);
		if (!right)
			return NULL;
		left = new_binary(p, op.kind == T_AND ? AK_AND : AK_OR, left, right);
		if (!left)
			return NULL;
	}
	if (!expect_close(p, &open))
		return NULL;
	left->col = open.col;
	left->len = p->prev_end - open.col;
	return left;
}

/* id: nid | pnum | "(" pid ")" | "not" id.  *qout: the qualifiers the
 * id passes on (those it was given). */
static struct ast_node *parse_id(struct parser *p, const struct qctx *ctx, struct qctx *qout,
				 const struct token *after)
{
	if (!enter(p))
		return NULL;
	struct ast_node *n = NULL;
	*qout = *ctx;
	if (p->tok.kind == T_NOT) {
		struct token not_tok = p->tok;
		advance(p);
		struct ast_node *inner = parse_id(p, ctx, qout, &not_tok);
		if (inner)
			n = new_unary(p, AK_NOT, not_tok.col, inner);
	} else if (p->tok.kind == T_LPAREN) {
		n = parse_paren_ids(p, ctx);
	} else if (is_id_token(p->tok.kind) || p->tok.kind == T_NUM) {
		n = parse_nid(p, ctx);
	} else {
		fail_expected(p, "an id (a host, network, port, number or name)", after);
	}
	p->depth--;
	return n;
}

/* ---- arithmetic ------------------------------------------------------ */

static struct ast_arith *parse_arith(struct parser *p);

/* proto "[" index [":" size] "]" */
static struct ast_arith *parse_load(struct parser *p)
{
	struct token proto = p->tok;
	advance(p);
	if (p->tok.kind != T_LBRACK)
		return fail_expected(p, "'[' (an arithmetic expression uses proto[offset])", &proto);
	advance(p);
	struct ast_arith *index = parse_arith(p);
	if (!index)
		return NULL;
	uint32_t size = 1;
	if (p->tok.kind == T_COLON) {
		struct token colon = p->tok;
		advance(p);
		if (p->tok.kind != T_NUM)
			return fail_expected(p, "a size of 1, 2 or 4", &colon);
		size = p->tok.num;
		/* libpcap's code generator: "data size must be 1, 2, or 4". */
		if (size != 1 && size != 2 && size != 4)
			return fail(p, BPFCAP_E_SYNTAX, p->tok.col, p->tok.len,
				    "data size must be 1, 2 or 4, not %u", size);
		advance(p);
	}
	if (p->tok.kind != T_RBRACK)
		return fail_expected(p, "']'", NULL);
	advance(p);
	struct ast_arith *a = new_arith(p, AX_LOAD, proto.col);
	if (a) {
		a->proto = (uint8_t)proto.num;
		a->size = (uint8_t)size;
		a->a = index;
	}
	return a;
}

static struct ast_arith *parse_arith_primary(struct parser *p)
{
	struct token t = p->tok;
	struct ast_arith *a;
	switch (t.kind) {
	case T_NUM:
		advance(p);
		if ((a = new_arith(p, AX_NUM, t.col)))
			a->num = t.num;
		return a;
	case T_LEN:
		advance(p);
		return new_arith(p, AX_LEN, t.col);
	case T_PNAME:
		return parse_load(p);
	case T_LPAREN:
		advance(p);
		if (!(a = parse_arith(p)) || !expect_close(p, &t))
			return NULL;
		return a;
	default:
		return fail_expected(p, "a number, 'len' or proto[offset]", NULL);
	}
}

static struct ast_arith *new_binop(struct parser *p, enum ast_binop op, struct ast_arith *l,
				   struct ast_arith *r)
{
	struct ast_arith *a = new_arith(p, AX_BINOP, l->col);
	if (a) {
		a->op = (uint8_t)op;
		a->a = l;
		a->b = r;
	}
	return a;
}

/* Unary minus, and the '%' '^' operators that libpcap's grammar leaves
 * without precedence (see the file comment). */
static struct ast_arith *parse_arith_unary(struct parser *p)
{
	if (!enter(p))
		return NULL;
	struct ast_arith *a = NULL;
	struct token t = p->tok;
	if (t.kind == T_MINUS) {
		advance(p);
		struct ast_arith *operand = parse_arith_unary(p);
		if (operand && (a = new_arith(p, AX_NEG, t.col)))
			a->a = operand;
	} else if ((a = parse_arith_primary(p)) &&
		   (p->tok.kind == T_PERCENT || p->tok.kind == T_CARET)) {
		enum ast_binop op = p->tok.kind == T_PERCENT ? AB_MOD : AB_XOR;
		advance(p);
		struct ast_arith *rhs = parse_arith(p);
		a = rhs ? new_binop(p, op, a, rhs) : NULL;
	}
	p->depth--;
	return a;
}

/* Binding strength of a binary operator, 0 if the token is none. */
static int binop_level(enum tok_kind k, enum ast_binop *op)
{
	switch (k) {
	case T_PIPE: *op = AB_OR; return 1;
	case T_AMP: *op = AB_AND; return 2;
	case T_LSH: *op = AB_LSH; return 3;
	case T_RSH: *op = AB_RSH; return 3;
	case T_PLUS: *op = AB_ADD; return 4;
	case T_MINUS: *op = AB_SUB; return 4;
	case T_STAR: *op = AB_MUL; return 5;
	case T_SLASH: *op = AB_DIV; return 5;
	default: return 0;
	}
}

/* Precedence climbing over the left-associative binary operators. */
static struct ast_arith *parse_arith_level(struct parser *p, int min_level)
{
	struct ast_arith *left = parse_arith_unary(p);
	enum ast_binop op;
	int level;
	while (left && (level = binop_level(p->tok.kind, &op)) >= min_level && level) {
		advance(p);
		struct ast_arith *right = parse_arith_level(p, level + 1);
		left = right ? new_binop(p, op, left, right) : NULL;
	}
	return left;
}

static struct ast_arith *parse_arith(struct parser *p)
{
	return parse_arith_level(p, 1);
}

/* arth relop arth */
static struct ast_node *parse_relation(struct parser *p)
{
	static const enum ast_relop relops[] = {
		[T_GT] = AR_GT, [T_GE] = AR_GE, [T_LT] = AR_LT,
		[T_LE] = AR_LE, [T_EQ] = AR_EQ, [T_NE] = AR_NE,
	};
	int col = p->tok.col;
	struct ast_arith *lhs = parse_arith(p);
	if (!lhs)
		return NULL;
	if (!is_relop(p->tok.kind))
		return fail_expected(p, "a comparison (==, !=, <, <=, >, >=) or an arithmetic operator",
				     NULL);
	enum ast_relop op = relops[p->tok.kind];
	struct token relop = p->tok;
	advance(p);
	if (p->tok.kind == T_EOF || p->tok.kind == T_AND || p->tok.kind == T_OR)
		return fail_expected(p, "an arithmetic expression", &relop);
	struct ast_arith *rhs = parse_arith(p);
	if (!rhs)
		return NULL;
	struct ast_node *n = new_node(p, AK_RELATION, col);
	if (n) {
		n->relop = (uint8_t)op;
		n->lhs = lhs;
		n->rhs = rhs;
	}
	return n;
}

/* Whether the "(" here opens arithmetic ("(ip[0] + 1) > 2") rather than
 * a group of primitives: try it, and look for a comparison after. */
static int paren_starts_relation(struct parser *p)
{
	/* Cheap look first: past the "("s, arithmetic starts with a number,
	 * "len", '-' or "proto[". */
	struct lexer lx = p->lx;
	struct token t = p->tok;
	/* Looking no deeper than the parse may go keeps this linear. */
	for (int parens = p->depth; t.kind == T_LPAREN; parens++) {
		if (parens > MAX_DEPTH)
			return 0;
		lexer_next(&lx, &t);
	}
	if (t.kind == T_PNAME) {
		lexer_next(&lx, &t);
		if (t.kind != T_LBRACK)
			return 0;
	} else if (t.kind != T_NUM && t.kind != T_LEN && t.kind != T_MINUS) {
		return 0;
	}
	struct mark m = mark(p);
	struct bpfcap_error saved = p->e;
	int is_relation = parse_arith(p) && is_relop(p->tok.kind);
	reset(p, &m);
	p->e = saved;
	return is_relation;
}

/* ---- primitives ------------------------------------------------------ */

static struct ast_node *parse_expr(struct parser *p, const struct qctx *ctx, struct qctx *qout);

/* head id: [proto] [dir] [type] id, [proto] proto|protochain|gateway id.
 * pcap-filter(7) "qualifiers"; dir "src or dst" / "src and dst" are
 * single qualifiers. */
/* An address-type qualifier (host, net, port, portrange), if one is here. */
static void take_type_qualifier(struct parser *p, struct qctx *ctx, struct token *last)
{
	static const uint8_t types[] = {
		[T_HOST] = AT_HOST, [T_NET] = AT_NET, [T_PORT] = AT_PORT, [T_PORTRANGE] = AT_PORTRANGE,
	};
	enum tok_kind k = p->tok.kind;
	if (k == T_HOST || k == T_NET || k == T_PORT || k == T_PORTRANGE) {
		ctx->q.type = types[k];
		*last = p->tok;
		advance(p);
	}
}

static int is_head_start(enum tok_kind k)
{
	return k == T_SRC || k == T_DST || k == T_ADDR || k == T_HOST || k == T_NET ||
	       k == T_PORT || k == T_PORTRANGE || k == T_PROTO || k == T_PROTOCHAIN ||
	       k == T_GATEWAY;
}

/* head id: [proto] [dir] [type] id, [proto] proto|protochain|gateway id.
 * pcap-filter(7) "qualifiers"; "src or dst" and "src and dst" are single
 * direction qualifiers (libpcap's dqual), and no type may follow proto,
 * protochain or gateway. */
static struct ast_node *parse_head_id(struct parser *p, uint8_t proto, int start_col,
				     struct qctx *qout)
{
	struct qctx ctx = { 1, { proto, AD_DEFAULT, AT_DEFAULT } };
	struct token last = p->tok; /* the last qualifier, for messages */
	int start = start_col >= 0 ? start_col : p->tok.col;
	enum tok_kind k = p->tok.kind;
	if (k == T_SRC || k == T_DST) {
		ctx.q.dir = k == T_SRC ? AD_SRC : AD_DST;
		advance(p);
		if (p->tok.kind == T_AND || p->tok.kind == T_OR) {
			struct token op = p->tok;
			enum tok_kind other = k == T_SRC ? T_DST : T_SRC;
			advance(p);
			if (p->tok.kind != other)
				return fail_expected(p, other == T_DST ? "'dst'" : "'src'", &op);
			ctx.q.dir = op.kind == T_AND ? AD_AND : AD_OR;
			last = p->tok;
			advance(p);
		}
		take_type_qualifier(p, &ctx, &last);
	} else if (k == T_ADDR) {
		ctx.q.dir = (uint8_t)p->tok.num;
		advance(p);
		take_type_qualifier(p, &ctx, &last);
	} else if (k == T_PROTO || k == T_PROTOCHAIN || k == T_GATEWAY) {
		ctx.q.type = k == T_PROTO ? AT_PROTO : k == T_PROTOCHAIN ? AT_PROTOCHAIN : AT_GATEWAY;
		advance(p);
	} else {
		take_type_qualifier(p, &ctx, &last);
	}
	struct ast_node *n = parse_id(p, &ctx, qout, &last);
	if (!n || take_deferred(p))
		return NULL;
	/* The primitive's node spans its qualifiers too. */
	n->col = start;
	n->len = p->prev_end - start;
	return n;
}

/* 802.11 "type T [subtype S]", "subtype S", "dir D": parsed, not built. */
static struct ast_node *parse_p80211(struct parser *p, int col)
{
	struct token kw = p->tok;
	advance(p);
	int subtype_needs_name = kw.kind == T_SUBTYPE;
	if (p->tok.kind != T_ID && (subtype_needs_name || p->tok.kind != T_NUM))
		return fail_expected(p, subtype_needs_name ? "a subtype name" : "a number or name", &kw);
	advance(p);
	if (kw.kind == T_TYPE && p->tok.kind == T_SUBTYPE) {
		struct token sub = p->tok;
		advance(p);
		if (p->tok.kind != T_ID && p->tok.kind != T_NUM)
			return fail_expected(p, "a number or name", &sub);
		advance(p);
	}
	note_unsupported(p, col, p->prev_end - col, "802.11 type/subtype/dir primitives");
	return new_node(p, AK_TRUE, col);
}

static enum ast_llc llc_subtype(const char *s, int n)
{
	static const char *const names[] = {
		[ALLC_I] = "i", [ALLC_S] = "s", [ALLC_U] = "u", [ALLC_RR] = "rr",
		[ALLC_RNR] = "rnr", [ALLC_REJ] = "rej", [ALLC_UI] = "ui", [ALLC_UA] = "ua",
		[ALLC_DISC] = "disc", [ALLC_DM] = "dm", [ALLC_SABME] = "sabme",
		[ALLC_TEST] = "test", [ALLC_XID] = "xid", [ALLC_FRMR] = "frmr",
	};
	for (unsigned i = ALLC_I; i < sizeof names / sizeof names[0]; i++)
		if ((int)strlen(names[i]) == n && strncasecmp(names[i], s, (size_t)n) == 0)
			return (enum ast_llc)i;
	return ALLC_ANY;
}

/* llc [i|s|u|rr|rnr|...]: libpcap takes any name there and judges it
 * (case-insensitively) in its action; "rnr" is a pflog keyword, which
 * the grammar allows by name. */
static struct ast_node *parse_llc(struct parser *p, int col)
{
	advance(p);
	enum ast_llc sub = ALLC_ANY;
	if (p->tok.kind == T_PF_RNR) {
		sub = ALLC_RNR;
		advance(p);
	} else if (p->tok.kind == T_ID) {
		const char *name = tok_text(p, &p->tok) + p->tok.escaped;
		int n = p->tok.len - p->tok.escaped;
		sub = llc_subtype(name, n);
		if (sub == ALLC_ANY)
			return fail(p, BPFCAP_E_SEMANTIC, p->tok.col, p->tok.len,
				    "unknown LLC type name '%.*s'", n, name);
		advance(p);
	}
	struct ast_node *n = new_node(p, AK_LLC, col);
	if (n)
		n->num = sub;
	return n;
}

/* keyword NUM: less, greater, ifindex (a plain number, no parentheses). */
static struct ast_node *parse_keyword_num(struct parser *p, enum ast_kind kind)
{
	struct token kw = p->tok;
	advance(p);
	if (p->tok.kind != T_NUM)
		return fail_expected(p, "a number", &kw);
	uint32_t v = p->tok.num;
	advance(p);
	struct ast_node *n = new_node(p, kind, kw.col);
	if (n)
		n->num = v;
	return n;
}

/* vlan, mpls, pppoes, geneve, vxlan: keyword [pnum]. */
static struct ast_node *parse_keyword_opt_num(struct parser *p, enum ast_kind kind)
{
	struct token kw = p->tok;
	advance(p);
	uint32_t v = 0;
	int has_num = p->tok.kind == T_NUM || p->tok.kind == T_LPAREN;
	if (has_num && !parse_pnum(p, &v, &kw))
		return NULL;
	struct ast_node *n = new_node(p, kind, kw.col);
	if (n) {
		n->has_num = has_num;
		n->num = v;
	}
	return n;
}

/* "byte N op M" (op one of & | < > =): parsed, not built. */
static struct ast_node *parse_byte(struct parser *p, int col)
{
	struct token kw = p->tok;
	advance(p);
	if (p->tok.kind != T_NUM)
		return fail_expected(p, "a byte offset", &kw);
	struct token off = p->tok;
	advance(p);
	enum tok_kind k = p->tok.kind;
	if (k != T_AMP && k != T_PIPE && k != T_LT && k != T_GT && k != T_EQ)
		return fail_expected(p, "one of & | < > =", &off);
	struct token op = p->tok;
	advance(p);
	if (p->tok.kind != T_NUM)
		return fail_expected(p, "a number", &op);
	advance(p);
	note_unsupported(p, col, p->prev_end - col, "'byte' primitives");
	return new_node(p, AK_TRUE, col);
}

/* SunATM vpi/vci and SS7 sio/opc/dpc/sls...: field value, field relop
 * value, or field "(" value or value ... ")": parsed, not built. */
static struct ast_node *parse_field_value(struct parser *p, int col, const char *what)
{
	struct token kw = p->tok;
	advance(p);
	if (is_relop(p->tok.kind)) {
		kw = p->tok;
		advance(p);
	}
	if (p->tok.kind == T_LPAREN && !is_relop(kw.kind)) {
		struct token open = p->tok;
		do {
			struct token prev = p->tok;
			advance(p);
			if (p->tok.kind != T_NUM)
				return fail_expected(p, "a number", &prev);
			advance(p);
		} while (p->tok.kind == T_OR);
		if (!expect_close(p, &open))
			return NULL;
	} else if (p->tok.kind == T_NUM) {
		advance(p);
	} else {
		return fail_expected(p, "a number", &kw);
	}
	note_unsupported(p, col, p->prev_end - col, what);
	return new_node(p, AK_TRUE, col);
}

/* OpenBSD pflog: on/ifname NAME, rset NAME, rnr N, srnr N, reason R, action A. */
static struct ast_node *parse_pflog(struct parser *p, int col)
{
	struct token kw = p->tok;
	advance(p);
	int want_name = kw.kind == T_PF_IFNAME || kw.kind == T_PF_RSET || kw.kind == T_PF_ACTION;
	int want_num = kw.kind == T_PF_RNR || kw.kind == T_PF_SRNR;
	if ((want_name && p->tok.kind != T_ID) || (want_num && p->tok.kind != T_NUM) ||
	    (!want_name && !want_num && p->tok.kind != T_ID && p->tok.kind != T_NUM))
		return fail_expected(p, want_num ? "a number" : want_name ? "a name" : "a number or name",
				     &kw);
	advance(p);
	note_unsupported(p, col, p->prev_end - col, "pflog primitives");
	return new_node(p, AK_TRUE, col);
}

/* A protocol name not followed by "[": a qualifier of what follows, or a
 * primitive alone ("tcp", "ip6"). */
static struct ast_node *parse_proto_led(struct parser *p, struct qctx *qout)
{
	struct token proto = p->tok;
	advance(p);
	struct ast_node *n;
	if (is_head_start(p->tok.kind))
		return parse_head_id(p, (uint8_t)proto.num, proto.col, qout);
	switch (p->tok.kind) {
	case T_BROADCAST:
	case T_MULTICAST:
		n = new_node(p, p->tok.kind == T_BROADCAST ? AK_BROADCAST : AK_MULTICAST, proto.col);
		advance(p);
		if (n) {
			n->q.proto = (uint8_t)proto.num;
			n->len = p->prev_end - n->col;
		}
		return n;
	case T_TYPE: case T_SUBTYPE: case T_DIR:
		return parse_p80211(p, proto.col);
	default:
		n = new_node(p, AK_PROTO, proto.col);
		if (n)
			n->q.proto = (uint8_t)proto.num;
		return n;
	}
}

/* A "(" where a primitive is expected: arithmetic, or a group. */
static struct ast_node *parse_paren_term(struct parser *p, const struct qctx *ctx,
					 struct qctx *qout)
{
	if (paren_starts_relation(p))
		return parse_relation(p);
	struct token open = p->tok;
	advance(p);
	struct qctx inner_q;
	/* The group's first bare id, if any, inherits what was in force before
	 * the "(", and so does a bare id after the group. */
	struct ast_node *inner = parse_expr(p, ctx, &inner_q);
	if (!inner || !expect_close(p, &open))
		return NULL;
	*qout = *ctx;
	return inner;
}

/* pcap-filter(7): a bare id needs a qualifier; only after and/or can it
 * borrow one.  (Kept out of parse_primitive so the message buffer is not
 * in every frame of a deep recursion.) */
__attribute__((noinline))
static void *fail_bare_id(struct parser *p)
{
	const struct token *t = &p->tok;
	char text[64];
	return fail(p, BPFCAP_E_SYNTAX, t->col, t->len,
		    "%s needs a qualifier before it (e.g. 'host %.*s'): a bare id may only "
		    "follow 'and'/'or' after a qualified primitive",
		    describe(p, t, text, sizeof text), t->len > 40 ? 40 : t->len, tok_text(p, t));
}

/* rterm: one primitive (no "not", no and/or at this level). */
static struct ast_node *parse_primitive(struct parser *p, const struct qctx *ctx,
					struct qctx *qout, const struct token *after)
{
	struct token t = p->tok;
	*qout = QCTX_NONE;
	switch (t.kind) {
	case T_LPAREN:
		return parse_paren_term(p, ctx, qout);
	case T_NUM: case T_LEN: case T_MINUS:
		return parse_relation(p);
	case T_PNAME:
		if (peek(p).kind == T_LBRACK)
			return parse_relation(p);
		return parse_proto_led(p, qout);
	case T_SRC: case T_DST: case T_ADDR: case T_HOST: case T_NET: case T_PORT:
	case T_PORTRANGE: case T_PROTO: case T_PROTOCHAIN: case T_GATEWAY:
		return parse_head_id(p, AP_DEFAULT, -1, qout);
	case T_BROADCAST:
	case T_MULTICAST:
		advance(p);
		return new_node(p, t.kind == T_BROADCAST ? AK_BROADCAST : AK_MULTICAST, t.col);
	case T_LESS:
		return parse_keyword_num(p, AK_LESS);
	case T_GREATER:
		return parse_keyword_num(p, AK_GREATER);
	case T_IFINDEX:
		return parse_keyword_num(p, AK_IFINDEX);
	case T_INBOUND:
	case T_OUTBOUND:
	case T_PPPOED:
		advance(p);
		return new_node(p, t.kind == T_INBOUND ? AK_INBOUND
				   : t.kind == T_OUTBOUND ? AK_OUTBOUND : AK_PPPOED, t.col);
	case T_VLAN:
		return parse_keyword_opt_num(p, AK_VLAN);
	case T_MPLS:
		return parse_keyword_opt_num(p, AK_MPLS);
	case T_PPPOES:
		return parse_keyword_opt_num(p, AK_PPPOES);
	case T_GENEVE:
		return parse_keyword_opt_num(p, AK_GENEVE);
	case T_VXLAN:
		return parse_keyword_opt_num(p, AK_VXLAN);
	case T_LLC:
		return parse_llc(p, t.col);
	case T_BYTE:
		return parse_byte(p, t.col);
	case T_TYPE: case T_SUBTYPE: case T_DIR:
		return parse_p80211(p, t.col);
	case T_ATM_ABBREV:
	case T_MTP2_ABBREV:
		advance(p);
		note_unsupported(p, t.col, t.len, t.kind == T_ATM_ABBREV ? "SunATM primitives"
								 : "SS7 MTP2 primitives");
		return new_node(p, AK_TRUE, t.col);
	case T_ATM_FIELD:
		return parse_field_value(p, t.col, "SunATM vpi/vci primitives");
	case T_MTP3_FIELD:
		return parse_field_value(p, t.col, "SS7 MTP3 primitives");
	case T_PF_IFNAME: case T_PF_RSET: case T_PF_RNR: case T_PF_SRNR:
	case T_PF_REASON: case T_PF_ACTION:
		return parse_pflog(p, t.col);
	case T_ID: case T_HID: case T_HID6: case T_EID: case T_AID:
		return fail_bare_id(p);
	default:
		return fail_expected(p, "a primitive (e.g. 'host 10.0.0.1', 'tcp', 'port 80')", after);
	}
}

/* term: "not" term | primitive.  "not" binds tighter than and/or. */
static struct ast_node *parse_term(struct parser *p, const struct qctx *ctx, struct qctx *qout,
				   const struct token *after)
{
	if (!enter(p))
		return NULL;
	struct ast_node *n = NULL;
	if (p->tok.kind == T_NOT) {
		struct token not_tok = p->tok;
		advance(p);
		struct ast_node *inner = parse_term(p, ctx, qout, &not_tok);
		if (inner)
			n = new_unary(p, AK_NOT, not_tok.col, inner);
	} else {
		n = parse_primitive(p, ctx, qout, after);
	}
	p->depth--;
	return n;
}

/* After and/or, a "(" may open a group of ids ("port 80 or (443 or
 * 8080)") or a term.  Try the ids first: they are the narrower reading,
 * and a number in parentheses followed by an operator is arithmetic.  If
 * both readings fail, report the error that got further. */
static struct ast_node *parse_paren_id_or_term(struct parser *p, const struct qctx *ctx,
					       struct qctx *qout, const struct token *after)
{
	struct mark m = mark(p);
	struct ast_node *n = parse_id(p, ctx, qout, after);
	int operator_follows = is_relop(p->tok.kind) || is_arith_op(p->tok.kind) ||
			       p->tok.kind == T_LBRACK;
	if (n && !operator_follows)
		return take_deferred(p) ? NULL : n;
	/* Only the column is kept (this frame is on the recursion path, so it
	 * stays small); if the id reading wins, it is parsed again below. */
	int id_error_col = n ? tok_col(p, &p->tok) : p->e.column;
	reset(p, &m);
	n = parse_term(p, ctx, qout, after);
	if (n || p->e.code == BPFCAP_E_TOOBIG || id_error_col < p->e.column)
		return n;
	reset(p, &m);
	if (parse_id(p, ctx, qout, after)) {
		char found[64];
		fail(p, BPFCAP_E_SYNTAX, tok_col(p, &p->tok), p->tok.len,
		     "unexpected %s after a parenthesized id", describe(p, &p->tok, found, sizeof found));
	}
	return NULL;
}

/* What may follow and/or: an id inheriting ctx, or a term. */
static struct ast_node *parse_id_or_term(struct parser *p, const struct qctx *ctx,
					 struct qctx *qout, const struct token *after)
{
	if (!enter(p))
		return NULL;
	struct ast_node *n = NULL;
	enum tok_kind k = p->tok.kind;
	if (k == T_NOT) {
		/* Both "not id" and "not term" exist; the token after decides. */
		struct token not_tok = p->tok;
		advance(p);
		struct ast_node *inner = parse_id_or_term(p, ctx, qout, &not_tok);
		if (inner)
			n = new_unary(p, AK_NOT, not_tok.col, inner);
	} else if (is_id_token(k) || (k == T_NUM && !is_relop(peek(p).kind) &&
				       !is_arith_op(peek(p).kind))) {
		n = parse_id(p, ctx, qout, after);
		if (n && take_deferred(p))
			n = NULL;
	} else if (k == T_LPAREN) {
		n = parse_paren_id_or_term(p, ctx, qout, after);
	} else {
		n = parse_term(p, ctx, qout, after);
	}
	p->depth--;
	return n;
}

/* expr: term { (and|or) (term|id) }, equal precedence, left to right. */
static struct ast_node *parse_expr(struct parser *p, const struct qctx *ctx, struct qctx *qout)
{
	struct qctx q;
	struct ast_node *left = parse_term(p, ctx, &q, NULL);
	while (left && (p->tok.kind == T_AND || p->tok.kind == T_OR)) {
		struct token op = p->tok;
		advance(p);
		/* The and/or passes on the qualifiers of the term before it. */
		struct qctx inherited = q;
		struct ast_node *right = parse_id_or_term(p, &inherited, &q, &op);
		left = right ? new_binary(p, op.kind == T_AND ? AK_AND : AK_OR, left, right) : NULL;
	}
	*qout = q;
	return left;
}

static int finish_error(const struct parser *p, struct bpfcap_error *err)
{
	return bpfcap_fail(err, p->e.code, p->e.column, p->e.length, "%s", p->e.msg);
}

int filter_parse(const char *expr, struct ast_arena *arena, struct ast_node **root,
		 struct bpfcap_error *err)
{
	if (!arena || !root)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "filter_parse: no arena or root");
	*root = NULL;
	size_t len = expr ? strlen(expr) : 0;
	if (len > (size_t)1 << 30)
		return bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0, "expression too long");

	struct parser p;
	memset(&p, 0, sizeof p);
	p.arena = arena;
	p.srclen = (int)len;
	lexer_init(&p.lx, expr ? expr : "", len);
	advance(&p);
	p.prev_end = 0;

	struct ast_node *n;
	if (p.tok.kind == T_EOF) {
		/* pcap-filter(7): an empty expression matches every packet. */
		n = new_node(&p, AK_TRUE, 0);
	} else {
		struct qctx q;
		n = parse_expr(&p, &QCTX_NONE, &q);
		if (n && p.tok.kind != T_EOF) {
			char found[64];
			if (p.tok.kind == T_ERROR)
				fail_lexical(&p);
			else if (p.tok.kind == T_RPAREN)
				fail(&p, BPFCAP_E_SYNTAX, p.tok.col, 1, "unexpected ')' with no '(' open");
			else
				fail(&p, BPFCAP_E_SYNTAX, p.tok.col, p.tok.len,
				     "unexpected %s after a complete primitive: join primitives with "
				     "'and' or 'or'",
				     describe(&p, &p.tok, found, sizeof found));
			n = NULL;
		}
	}
	if (n && take_deferred(&p))
		n = NULL;
	if (!n)
		return finish_error(&p, err);
	if (p.has_unsupported)
		return bpfcap_fail(err, BPFCAP_E_UNSUPPORTED, p.unsupported_col, p.unsupported_len,
				   "%s are not supported by bpfcap's compiler", p.unsupported_what);
	*root = n;
	return 0;
}
