/* The eBPF assembler (see asm.h).  Two passes: the first encodes every
 * line and records labels and the jumps that name one, the second patches
 * those jumps. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "error.h"

#define MAX_TOKENS 8

struct tok {
	const char *s;
	size_t n;
	size_t col;  /* byte offset into the whole text */
};

struct label {
	const char *name;
	size_t n;
	size_t at;   /* instruction index */
	int line;
};

struct fixup {
	struct tok target;
	size_t at;   /* the instruction to patch */
	int line;
	int in_imm;  /* patch imm (ja32, call local) rather than off */
};

struct as {
	const char *text;
	struct ebpf_insn *insns;
	size_t n, cap;
	struct label *labels;
	size_t nlabels, caplabels;
	struct fixup *fix;
	size_t nfix, capfix;
	long first_exit;   /* -1 until an exit is seen */
	int line;
	struct bpfcap_error *err;
};

static int fail_at(struct as *as, const struct tok *t, const char *fmt, const char *what)
{
	char msg[200];
	snprintf(msg, sizeof msg, fmt, what);
	return bpfcap_fail(as->err, BPFCAP_E_SYNTAX, t ? (int)t->col : -1, t ? (int)t->n : 0,
			   "line %d: %s", as->line, msg);
}

/* A token as a C string, for messages (truncated). */
static const char *tstr(const struct tok *t, char *buf, size_t size)
{
	size_t n = t->n < size - 1 ? t->n : size - 1;
	memcpy(buf, t->s, n);
	buf[n] = '\0';
	return buf;
}

static int bad(struct as *as, const struct tok *t, const char *fmt)
{
	char b[64];
	return fail_at(as, t, fmt, tstr(t, b, sizeof b));
}

static int teq(const struct tok *t, const char *s)
{
	return strlen(s) == t->n && memcmp(t->s, s, t->n) == 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	void *q = realloc(*p, nc * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = nc;
	return 0;
}

static int emit(struct as *as, struct ebpf_insn in)
{
	if (grow((void **)&as->insns, &as->cap, as->n + 1, sizeof *as->insns))
		return bpfcap_fail(as->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	as->insns[as->n++] = in;
	return 0;
}

/* ---- operands --------------------------------------------------------------- */

static int parse_reg(struct as *as, const struct tok *t, uint8_t *r)
{
	const char *s = t->s;
	size_t n = t->n;
	if (n && *s == '%')
		s++, n--;
	if (n < 2 || n > 3 || s[0] != 'r' || !isdigit((unsigned char)s[1]) ||
	    (n == 3 && (!isdigit((unsigned char)s[2]) || s[1] == '0')))
		return bad(as, t, "expected a register %%r0..%%r10, got '%s'");
	unsigned v = (unsigned)(s[1] - '0');
	if (n == 3)
		v = v * 10 + (unsigned)(s[2] - '0');
	if (v > 10)
		return bad(as, t, "no such register '%s' (%%r0..%%r10)");
	*r = (uint8_t)v;
	return 0;
}

static int is_reg(const struct tok *t)
{
	return t->n >= 2 && (t->s[0] == '%' || (t->s[0] == 'r' && isdigit((unsigned char)t->s[1])));
}

/* A number: [+-] (decimal | 0x hex).  *neg and *mag give sign and size. */
static int parse_num(const char *s, size_t n, int *neg, uint64_t *mag)
{
	char buf[40];
	*neg = 0;
	if (n && (*s == '-' || *s == '+')) {
		*neg = *s == '-';
		s++, n--;
	}
	if (n == 0 || n >= sizeof buf || !isdigit((unsigned char)*s))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	int base = (n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) ? 16 : 10;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(buf, &end, base);
	if (errno || *end)
		return -1;
	*mag = v;
	return 0;
}

/* An immediate that must fit lo..hi (as a signed 64-bit value, except
 * that hi may go to UINT64_MAX for positive numbers). */
static int parse_imm(struct as *as, const struct tok *t, int64_t lo, uint64_t hi, uint64_t *out,
		     const char *what)
{
	int neg;
	uint64_t mag;
	char b[64], m[160];
	if (parse_num(t->s, t->n, &neg, &mag)) {
		snprintf(m, sizeof m, "expected %s, got '%%s'", what);
		return bad(as, t, m);
	}
	if (neg ? mag > (uint64_t)-(lo + 1) + 1 : mag > hi) {
		snprintf(m, sizeof m, "%s out of range: %s", what, tstr(t, b, sizeof b));
		return fail_at(as, t, "%s", m);
	}
	*out = neg ? -mag : mag;
	return 0;
}

static int parse_imm32(struct as *as, const struct tok *t, int32_t *imm)
{
	uint64_t v;
	int rc = parse_imm(as, t, INT32_MIN, UINT32_MAX, &v, "a 32-bit immediate");
	if (!rc)
		*imm = (int32_t)(uint32_t)v;
	return rc;
}

static int parse_off16(struct as *as, const struct tok *t, const char *s, size_t n, int16_t *off)
{
	int neg;
	uint64_t mag;
	if (parse_num(s, n, &neg, &mag))
		return bad(as, t, "bad offset in '%s'");
	if (neg ? mag > 32768 : mag > 32767)
		return bad(as, t, "offset out of range (-32768..32767) in '%s'");
	*off = (int16_t)(neg ? -(int64_t)mag : (int64_t)mag);
	return 0;
}

/* [%rN], [%rN+off], [%rN-off] */
static int parse_mem(struct as *as, const struct tok *t, uint8_t *r, int16_t *off)
{
	if (t->n < 3 || t->s[0] != '[' || t->s[t->n - 1] != ']')
		return bad(as, t, "expected a memory operand [%%rN+off], got '%s'");
	const char *s = t->s + 1, *e = t->s + t->n - 1;
	while (s < e && isspace((unsigned char)*s))
		s++;
	const char *p = s;
	while (p < e && *p != '+' && *p != '-' && !isspace((unsigned char)*p))
		p++;
	struct tok rt = { s, (size_t)(p - s), t->col + (size_t)(s - t->s) };
	if (parse_reg(as, &rt, r))
		return -1;
	while (p < e && isspace((unsigned char)*p))
		p++;
	*off = 0;
	if (p == e)
		return 0;
	if (*p != '+' && *p != '-')
		return bad(as, t, "expected '+' or '-' in '%s'");
	/* Join the sign with the number, skipping blanks between them. */
	char buf[40];
	size_t k = 0;
	buf[k++] = *p++;
	while (p < e && isspace((unsigned char)*p))
		p++;
	while (p < e && !isspace((unsigned char)*p) && k < sizeof buf - 1)
		buf[k++] = *p++;
	while (p < e && isspace((unsigned char)*p))
		p++;
	if (p != e)
		return bad(as, t, "junk in memory operand '%s'");
	return parse_off16(as, t, buf, k, off);
}

/* A jump target: +N/-N, or a label to patch later. */
static int parse_target(struct as *as, const struct tok *t, int in_imm, int16_t *off, int32_t *imm)
{
	if (t->n && (t->s[0] == '+' || t->s[0] == '-')) {
		if (in_imm)
			return parse_imm32(as, t, imm);
		return parse_off16(as, t, t->s, t->n, off);
	}
	if (!t->n || !(isalpha((unsigned char)t->s[0]) || t->s[0] == '_' || t->s[0] == '.'))
		return bad(as, t, "expected a jump target (+N, -N or a label), got '%s'");
	if (grow((void **)&as->fix, &as->capfix, as->nfix + 1, sizeof *as->fix))
		return bpfcap_fail(as->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	as->fix[as->nfix++] = (struct fixup){ *t, as->n, as->line, in_imm };
	return 0;
}

/* ---- mnemonics ---------------------------------------------------------------- */

static const struct { const char *name; uint8_t op; int16_t off; } alu_ops[] = {
	{ "add", EBPF_ADD, 0 }, { "sub", EBPF_SUB, 0 }, { "mul", EBPF_MUL, 0 },
	{ "div", EBPF_DIV, 0 }, { "sdiv", EBPF_DIV, EBPF_OFF_SIGNED },
	{ "mod", EBPF_MOD, 0 }, { "smod", EBPF_MOD, EBPF_OFF_SIGNED },
	{ "or", EBPF_OR, 0 }, { "and", EBPF_AND, 0 }, { "xor", EBPF_XOR, 0 },
	{ "lsh", EBPF_LSH, 0 }, { "rsh", EBPF_RSH, 0 }, { "arsh", EBPF_ARSH, 0 },
	{ "mov", EBPF_MOV, 0 }, { "neg", EBPF_NEG, 0 },
};

static const struct { const char *name; uint8_t op; } jmp_ops[] = {
	{ "jeq", EBPF_JEQ }, { "jne", EBPF_JNE }, { "jgt", EBPF_JGT }, { "jge", EBPF_JGE },
	{ "jlt", EBPF_JLT }, { "jle", EBPF_JLE }, { "jset", EBPF_JSET }, { "jsgt", EBPF_JSGT },
	{ "jsge", EBPF_JSGE }, { "jslt", EBPF_JSLT }, { "jsle", EBPF_JSLE },
};

static const struct { const char *name; uint8_t size; } sizes[] = {
	{ "b", EBPF_B }, { "h", EBPF_H }, { "w", EBPF_W }, { "dw", EBPF_DW },
};

static const struct { const char *name; int32_t op; } atomic_ops[] = {
	{ "add", EBPF_ADD }, { "and", EBPF_AND }, { "or", EBPF_OR }, { "xor", EBPF_XOR },
	{ "xchg", EBPF_XCHG }, { "cmpxchg", EBPF_CMPXCHG },
};

/* name == prefix + suffix */
static int split(const struct tok *t, const char *prefix, struct tok *rest)
{
	size_t k = strlen(prefix);
	if (t->n < k || memcmp(t->s, prefix, k) != 0)
		return 0;
	*rest = (struct tok){ t->s + k, t->n - k, t->col + k };
	return 1;
}

static int nargs(struct as *as, const struct tok *m, int have, int want)
{
	if (have == want)
		return 0;
	char b[64], msg[120];
	snprintf(msg, sizeof msg, "'%s' takes %d operand%s, not %d", tstr(m, b, sizeof b), want,
		 want == 1 ? "" : "s", have);
	return fail_at(as, m, "%s", msg);
}

static int size_of(const struct tok *t, uint8_t *size, int allow_dw)
{
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (teq(t, sizes[i].name) && (allow_dw || sizes[i].size != EBPF_DW)) {
			*size = sizes[i].size;
			return 1;
		}
	return 0;
}

/* One instruction: m is the mnemonic, a[0..na) the operands. */
static int encode(struct as *as, const struct tok *m, const struct tok *a, int na)
{
	struct ebpf_insn in = { 0 };
	struct tok rest;
	uint8_t size;

	if (teq(m, "exit")) {
		if (nargs(as, m, na, 0))
			return -1;
		if (as->first_exit < 0)
			as->first_exit = (long)as->n;
		return emit(as, EBPF_EXIT_INSN());
	}

	if (teq(m, "lddw")) {
		uint64_t v;
		if (nargs(as, m, na, 2) || parse_reg(as, &a[0], &size) ||
		    parse_imm(as, &a[1], INT64_MIN, UINT64_MAX, &v, "a 64-bit immediate"))
			return -1;
		struct ebpf_insn two[2] = { EBPF_LD_IMM64(size, v) };
		return emit(as, two[0]) || emit(as, two[1]);
	}

	if (teq(m, "call")) {
		if (na == 1 && is_reg(&a[0])) {
			if (parse_reg(as, &a[0], &size))
				return -1;
			return emit(as, EBPF_CALLX(size));
		}
		const struct tok *target = &a[0];
		int local = 0;
		if (na == 2) {
			if (teq(&a[0], "local"))
				local = 1;
			else if (!teq(&a[0], "helper"))
				return bad(as, &a[0], "unknown call kind '%s' (helper, local)");
			target = &a[1];
		} else if (nargs(as, m, na, 1)) {
			return -1;
		}
		if (local) {
			in = EBPF_CALL_LOCAL(0);
			if (parse_target(as, target, 1, &in.off, &in.imm))
				return -1;
			return emit(as, in);
		}
		in = EBPF_CALL_HELPER(0);
		if (parse_imm32(as, target, &in.imm))
			return -1;
		return emit(as, in);
	}

	if (teq(m, "ja") || teq(m, "ja32")) {
		int j32 = m->n == 4;
		in = j32 ? EBPF_JMP32_A(0) : EBPF_JMP_A(0);
		if (nargs(as, m, na, 1) || parse_target(as, &a[0], j32, &in.off, &in.imm))
			return -1;
		return emit(as, in);
	}

	/* Conditional jumps. */
	for (size_t i = 0; i < sizeof jmp_ops / sizeof jmp_ops[0]; i++) {
		if (!split(m, jmp_ops[i].name, &rest) || !(rest.n == 0 || teq(&rest, "32")))
			continue;
		uint8_t cls = rest.n ? EBPF_JMP32 : EBPF_JMP;
		if (nargs(as, m, na, 3) || parse_reg(as, &a[0], &size))
			return -1;
		in.dst = size;
		if (is_reg(&a[1])) {
			if (parse_reg(as, &a[1], &size))
				return -1;
			in.src = size;
			in.code = cls | jmp_ops[i].op | EBPF_X;
		} else {
			if (parse_imm32(as, &a[1], &in.imm))
				return -1;
			in.code = cls | jmp_ops[i].op | EBPF_K;
		}
		if (parse_target(as, &a[2], 0, &in.off, &in.imm))
			return -1;
		return emit(as, in);
	}

	/* Byte swaps. */
	{
		static const struct { const char *p; uint8_t cls, type; } sw[] = {
			{ "be", EBPF_ALU, EBPF_TO_BE }, { "le", EBPF_ALU, EBPF_TO_LE },
			{ "bswap", EBPF_ALU64, EBPF_TO_LE }, { "swap", EBPF_ALU64, EBPF_TO_LE },
		};
		for (size_t i = 0; i < sizeof sw / sizeof sw[0]; i++) {
			if (!split(m, sw[i].p, &rest) ||
			    !(teq(&rest, "16") || teq(&rest, "32") || teq(&rest, "64")))
				continue;
			if (nargs(as, m, na, 1) || parse_reg(as, &a[0], &size))
				return -1;
			in = EBPF_RAW_INSN(sw[i].cls | EBPF_END | sw[i].type, size, 0, 0,
					   atoi(rest.s));
			return emit(as, in);
		}
	}

	/* movsx{8,16}32 and movsx{8,16,32}64 */
	if (split(m, "movsx", &rest)) {
		static const struct { const char *s; uint8_t cls; int16_t off; } mx[] = {
			{ "832", EBPF_ALU, 8 }, { "1632", EBPF_ALU, 16 }, { "864", EBPF_ALU64, 8 },
			{ "1664", EBPF_ALU64, 16 }, { "3264", EBPF_ALU64, 32 },
		};
		for (size_t i = 0; i < sizeof mx / sizeof mx[0]; i++) {
			if (!teq(&rest, mx[i].s))
				continue;
			uint8_t d, s;
			if (nargs(as, m, na, 2) || parse_reg(as, &a[0], &d) || parse_reg(as, &a[1], &s))
				return -1;
			return emit(as, EBPF_RAW_INSN(mx[i].cls | EBPF_MOV | EBPF_X, d, s, mx[i].off, 0));
		}
		return bad(as, m, "unknown mnemonic '%s'");
	}

	/* ALU */
	for (size_t i = 0; i < sizeof alu_ops / sizeof alu_ops[0]; i++) {
		if (!split(m, alu_ops[i].name, &rest) || !(rest.n == 0 || teq(&rest, "32")))
			continue;
		uint8_t cls = rest.n ? EBPF_ALU : EBPF_ALU64;
		in.off = alu_ops[i].off;
		if (alu_ops[i].op == EBPF_NEG) {
			if (nargs(as, m, na, 1) || parse_reg(as, &a[0], &size))
				return -1;
			in.dst = size;
			in.code = cls | EBPF_NEG | EBPF_K;
			return emit(as, in);
		}
		if (nargs(as, m, na, 2) || parse_reg(as, &a[0], &size))
			return -1;
		in.dst = size;
		if (is_reg(&a[1])) {
			if (parse_reg(as, &a[1], &size))
				return -1;
			in.src = size;
			in.code = cls | alu_ops[i].op | EBPF_X;
		} else {
			if (parse_imm32(as, &a[1], &in.imm))
				return -1;
			in.code = cls | alu_ops[i].op | EBPF_K;
		}
		return emit(as, in);
	}

	/* Loads and stores. */
	int sx = 0;
	if (split(m, "ldxs", &rest) && size_of(&rest, &size, 0))
		sx = 1;
	if (sx || (split(m, "ldx", &rest) && size_of(&rest, &size, 1))) {
		uint8_t d, s;
		if (nargs(as, m, na, 2) || parse_reg(as, &a[0], &d) || parse_mem(as, &a[1], &s, &in.off))
			return -1;
		return emit(as, sx ? EBPF_LDX_MEMSX(size, d, s, in.off) : EBPF_LDX_MEM(size, d, s, in.off));
	}
	if (split(m, "stx", &rest) && size_of(&rest, &size, 1)) {
		uint8_t d, s;
		if (nargs(as, m, na, 2) || parse_mem(as, &a[0], &d, &in.off) || parse_reg(as, &a[1], &s))
			return -1;
		return emit(as, EBPF_STX_MEM(size, d, s, in.off));
	}
	if (split(m, "st", &rest) && size_of(&rest, &size, 1)) {
		uint8_t d;
		if (nargs(as, m, na, 2) || parse_mem(as, &a[0], &d, &in.off) || parse_imm32(as, &a[1], &in.imm))
			return -1;
		return emit(as, EBPF_ST_MEM(size, d, in.off, in.imm));
	}
	if (split(m, "ldabs", &rest) && size_of(&rest, &size, 0)) {
		if (nargs(as, m, na, 1) || parse_imm32(as, &a[0], &in.imm))
			return -1;
		return emit(as, EBPF_LD_ABS(size, in.imm));
	}
	if (split(m, "ldind", &rest) && size_of(&rest, &size, 0)) {
		uint8_t s;
		if (nargs(as, m, na, 2) || parse_reg(as, &a[0], &s) || parse_imm32(as, &a[1], &in.imm))
			return -1;
		return emit(as, EBPF_LD_IND(size, s, in.imm));
	}

	/* lock [fetch] OP[32] [%rD+off], %rS */
	if (teq(m, "lock")) {
		int k = 0, fetch = 0;
		if (na > 0 && teq(&a[0], "fetch"))
			fetch = 1, k = 1;
		if (na - k != 3)
			return fail_at(as, m, "%s", "lock takes [fetch] OP [%rD+off], %rS");
		for (size_t i = 0; i < sizeof atomic_ops / sizeof atomic_ops[0]; i++) {
			if (!split(&a[k], atomic_ops[i].name, &rest) || !(rest.n == 0 || teq(&rest, "32")))
				continue;
			int32_t op = atomic_ops[i].op;
			if (fetch && (op & EBPF_FETCH))
				return bad(as, &a[k], "'%s' always fetches; drop 'fetch'");
			uint8_t d, s;
			if (parse_mem(as, &a[k + 1], &d, &in.off) || parse_reg(as, &a[k + 2], &s))
				return -1;
			return emit(as, EBPF_ATOMIC_OP(rest.n ? EBPF_W : EBPF_DW, op | (fetch ? EBPF_FETCH : 0),
						       d, s, in.off));
		}
		return bad(as, &a[k], "unknown atomic operation '%s'");
	}

	return bad(as, m, "unknown mnemonic '%s'");
}

/* Splits one line (without its comment) into tokens. */
static int tokenize(struct as *as, const char *s, const char *e, struct tok *t, int *nt)
{
	*nt = 0;
	while (s < e) {
		if (isspace((unsigned char)*s) || *s == ',') {
			s++;
			continue;
		}
		const char *b = s;
		if (*s == '[') {
			while (s < e && *s != ']')
				s++;
			if (s == e) {
				struct tok bt = { b, (size_t)(e - b), (size_t)(b - as->text) };
				return bad(as, &bt, "missing ']' in '%s'");
			}
			s++;
		} else {
			while (s < e && !isspace((unsigned char)*s) && *s != ',')
				s++;
		}
		struct tok tk = { b, (size_t)(s - b), (size_t)(b - as->text) };
		if (*nt == MAX_TOKENS)
			return bad(as, &tk, "too many operands at '%s'");
		t[(*nt)++] = tk;
	}
	return 0;
}

static int add_label(struct as *as, const struct tok *t)
{
	if (!t->n || !(isalpha((unsigned char)t->s[0]) || t->s[0] == '_' || t->s[0] == '.'))
		return bad(as, t, "bad label name '%s'");
	for (size_t i = 0; i < as->nlabels; i++)
		if (as->labels[i].n == t->n && !memcmp(as->labels[i].name, t->s, t->n)) {
			char b[64], msg[160];
			snprintf(msg, sizeof msg, "label '%s' already defined on line %d",
				 tstr(t, b, sizeof b), as->labels[i].line);
			return fail_at(as, t, "%s", msg);
		}
	if (grow((void **)&as->labels, &as->caplabels, as->nlabels + 1, sizeof *as->labels))
		return bpfcap_fail(as->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	as->labels[as->nlabels++] = (struct label){ t->s, t->n, as->n, as->line };
	return 0;
}

static int resolve(struct as *as)
{
	for (size_t i = 0; i < as->nfix; i++) {
		const struct fixup *f = &as->fix[i];
		long at = -1;
		for (size_t j = 0; j < as->nlabels; j++)
			if (as->labels[j].n == f->target.n &&
			    !memcmp(as->labels[j].name, f->target.s, f->target.n))
				at = (long)as->labels[j].at;
		if (at < 0 && teq(&f->target, "exit"))
			at = as->first_exit;
		as->line = f->line;
		if (at < 0)
			return bad(as, &f->target, "undefined label '%s'");
		long rel = at - (long)f->at - 1;
		if (f->in_imm) {
			as->insns[f->at].imm = (int32_t)rel;
		} else {
			if (rel < INT16_MIN || rel > INT16_MAX)
				return bad(as, &f->target, "jump to '%s' too far for a 16-bit offset");
			as->insns[f->at].off = (int16_t)rel;
		}
	}
	return 0;
}

int ebpf_asm(const char *text, struct ebpf_insn **out, size_t *len, struct bpfcap_error *err)
{
	struct bpfcap_error local;
	if (!err)
		err = &local;
	struct as as = { .text = text, .first_exit = -1, .err = err };
	int rc = 0;
	*out = NULL;
	*len = 0;
	const char *p = text;
	while (*p && rc == 0) {
		as.line++;
		const char *e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		const char *next = *e ? e + 1 : e;
		/* Cut the comment. */
		for (const char *c = p; c < e; c++)
			if (*c == '#' || (*c == '/' && c + 1 < e && c[1] == '/')) {
				e = c;
				break;
			}
		struct tok t[MAX_TOKENS];
		int nt;
		rc = tokenize(&as, p, e, t, &nt);
		p = next;
		if (rc || nt == 0)
			continue;
		int k = 0;
		if (t[0].n > 1 && t[0].s[t[0].n - 1] == ':') {
			struct tok lt = t[0];
			lt.n--;
			rc = add_label(&as, &lt);
			k = 1;
		}
		if (rc == 0 && nt > k && encode(&as, &t[k], &t[k + 1], nt - k - 1))
			rc = err->code;
	}
	if (rc == 0 && resolve(&as))
		rc = err->code;
	free(as.labels);
	free(as.fix);
	if (rc) {
		free(as.insns);
		return rc;
	}
	*out = as.insns;
	*len = as.n;
	return 0;
}
