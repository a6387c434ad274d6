/* Evaluating one statement symbolically: which register it writes, the
 * value number it writes there, whether it can stop the program, and its
 * simplest equivalent form.  The rules are bpf_filter's: a load past the
 * buffer and a division by a zero X both return 0 at once, A, X and M[]
 * are 32-bit unsigned words. */
#include "opt.h"

static uint32_t load_size(uint16_t code)
{
	return CBPF_SIZE(code) == CBPF_W ? 4 : CBPF_SIZE(code) == CBPF_H ? 2 : 1;
}

/* Offsets from 2^31 up are Linux ancillary data (SKF_AD_OFF and the
 * negative SKF_*_OFF bases): the kernel answers them whatever the buffer
 * length, so they neither prove nor need any length. */
#define LOAD_OFFSET_LIMIT 0x80000000u

static int load_in_range(uint32_t k, uint32_t size, uint32_t minlen)
{
	return k < LOAD_OFFSET_LIMIT && (uint64_t)k + size <= minlen;
}

/* Constant folding; 0 when the result must stay symbolic: division by
 * zero stops the program, and shifts of 32 or more are undefined in C, so
 * the reference interpreter gives no portable answer. */
static int fold_alu(uint16_t op, uint32_t a, uint32_t k, uint32_t *out)
{
	switch (op) {
	case CBPF_ADD: *out = a + k; return 1;
	case CBPF_SUB: *out = a - k; return 1;
	case CBPF_MUL: *out = a * k; return 1;
	case CBPF_OR: *out = a | k; return 1;
	case CBPF_AND: *out = a & k; return 1;
	case CBPF_XOR: *out = a ^ k; return 1;
	case CBPF_DIV:
		if (!k)
			return 0;
		*out = a / k;
		return 1;
	case CBPF_MOD:
		if (!k)
			return 0;
		*out = a % k;
		return 1;
	case CBPF_LSH:
		if (k >= 32)
			return 0;
		*out = a << k;
		return 1;
	case CBPF_RSH:
		if (k >= 32)
			return 0;
		*out = a >> k;
		return 1;
	default:
		return 0;
	}
}

/* Algebraic identities with an unknown A: x+0, x-0, x|0, x^0, x<<0,
 * x>>0, x*1, x/1, x&~0 are x; x&0, x*0, x%1 are 0; x|~0 is ~0.  Returns
 * the value number or 0 when no identity applies. */
static uint32_t simplify_alu(struct opt_vn_table *t, uint16_t op, uint32_t a, uint32_t k)
{
	switch (op) {
	case CBPF_ADD: case CBPF_SUB: case CBPF_OR: case CBPF_XOR: case CBPF_LSH: case CBPF_RSH:
		return k == 0 ? a : 0;
	case CBPF_MUL:
		return k == 1 ? a : k == 0 ? opt_vn_get(t, VN_CONST, 0, 0, 0) : 0;
	case CBPF_DIV:
		return k == 1 ? a : 0;
	case CBPF_MOD:
		return k == 1 ? opt_vn_get(t, VN_CONST, 0, 0, 0) : 0;
	case CBPF_AND:
		return k == 0xffffffffu ? a : k == 0 ? opt_vn_get(t, VN_CONST, 0, 0, 0) : 0;
	default:
		return 0;
	}
}

static void eval_alu(struct opt_vn_table *t, const struct opt_sim *s, struct opt_eval *e)
{
	uint16_t op = CBPF_OP(e->canon.code);
	uint32_t a = s->regs.r[OPT_REG_A], ac, xc;
	e->dest = OPT_REG_A;
	if (op == CBPF_NEG) {
		e->vn = opt_vn_const(t, a, &ac) ? opt_vn_get(t, VN_CONST, 0, 0, 0u - ac) :
						  opt_vn_get(t, VN_NEG, 0, a, 0);
		return;
	}
	int divides = op == CBPF_DIV || op == CBPF_MOD;
	if (CBPF_SRC(e->canon.code) == CBPF_X) {
		uint32_t x = s->regs.r[OPT_REG_X];
		/* A known X turns "op x" into "op #k", except for a zero
		 * divisor (which must still stop the program) and shifts of
		 * 32 or more (bpf_filter gives 0 for those by X, while by K
		 * they are undefined in C). */
		int shifts = op == CBPF_LSH || op == CBPF_RSH;
		if (opt_vn_const(t, x, &xc) && !(divides && xc == 0) && !(shifts && xc >= 32)) {
			e->canon.code = (uint16_t)(CBPF_ALU | op | CBPF_K);
			e->canon.k = xc;
		} else {
			e->safe = !divides;
			e->vn = opt_vn_get(t, VN_ALUX, op, a, x);
			return;
		}
	}
	uint32_t k = e->canon.k, folded;
	if (divides && k == 0) {
		e->safe = 0;
		e->vn = opt_vn_get(t, VN_ALUK, op, a, k);
		return;
	}
	if (opt_vn_const(t, a, &ac) && fold_alu(op, ac, k, &folded)) {
		e->vn = opt_vn_get(t, VN_CONST, 0, 0, folded);
		return;
	}
	uint32_t same = simplify_alu(t, op, a, k);
	e->vn = same ? same : opt_vn_get(t, VN_ALUK, op, a, k);
}

static void eval_load(struct opt_vn_table *t, const struct opt_sim *s, struct opt_eval *e)
{
	uint16_t code = e->canon.code;
	uint32_t size = load_size(code), xc;
	e->dest = CBPF_CLASS(code) == CBPF_LD ? OPT_REG_A : OPT_REG_X;
	switch (CBPF_MODE(code)) {
	case CBPF_IMM:
		e->vn = opt_vn_get(t, VN_CONST, 0, 0, e->canon.k);
		return;
	case CBPF_LEN:
		e->vn = opt_vn_get(t, VN_LEN, 0, 0, 0);
		return;
	case CBPF_MEM:
		e->vn = s->regs.r[OPT_REG_M(e->canon.k)];
		return;
	case CBPF_MSH:
		e->safe = load_in_range(e->canon.k, 1, s->minlen);
		e->vn = opt_vn_get(t, VN_MSH, 0, 0, e->canon.k);
		return;
	case CBPF_IND:
		/* bpf_filter checks X + k + size <= buflen without wrapping, so
		 * with X known the load is the absolute one at X + k.  When
		 * X + k wraps past 2^32 the load always fails; libpcap's
		 * optimizer then loads at the wrapped sum ("ip[-8]" reads
		 * byte 6), and so do we: the contract (wprog.h) leaves the
		 * verdict free where the input's run fails a load, and
		 * tcpdump's verdict is that program's. */
		if (opt_vn_const(t, s->regs.r[OPT_REG_X], &xc) &&
		    ((uint64_t)xc + e->canon.k < LOAD_OFFSET_LIMIT ||
		     ((uint64_t)xc + e->canon.k > 0xffffffffu &&
		      (uint32_t)(xc + e->canon.k) < LOAD_OFFSET_LIMIT))) {
			e->canon.code = (uint16_t)(CBPF_LD | CBPF_SIZE(code) | CBPF_ABS);
			e->canon.k += xc;
		} else {
			e->safe = 0;
			e->vn = opt_vn_get(t, VN_LDIND, CBPF_SIZE(code), s->regs.r[OPT_REG_X],
					   e->canon.k);
			return;
		}
		/* fall through */
	default: /* ABS */
		e->safe = load_in_range(e->canon.k, size, s->minlen);
		e->vn = opt_vn_get(t, VN_LDABS, CBPF_SIZE(code), 0, e->canon.k);
		return;
	}
}

void opt_eval_stmt(struct opt_vn_table *t, const struct opt_sim *s, const struct winsn *w,
		   struct opt_eval *e)
{
	e->canon = *w;
	e->dest = -1;
	e->vn = 0;
	e->safe = 1;
	switch (CBPF_CLASS(w->code)) {
	case CBPF_LD:
	case CBPF_LDX:
		eval_load(t, s, e);
		break;
	case CBPF_ST:
		e->dest = OPT_REG_M(w->k);
		e->vn = s->regs.r[OPT_REG_A];
		break;
	case CBPF_STX:
		e->dest = OPT_REG_M(w->k);
		e->vn = s->regs.r[OPT_REG_X];
		break;
	case CBPF_ALU:
		eval_alu(t, s, e);
		break;
	case CBPF_MISC:
		if (CBPF_MISCOP(w->code) == CBPF_TAX) {
			e->dest = OPT_REG_X;
			e->vn = s->regs.r[OPT_REG_A];
		} else {
			e->dest = OPT_REG_A;
			e->vn = s->regs.r[OPT_REG_X];
		}
		break;
	default:
		break;
	}
}

/* After a load succeeds the buffer holds at least its end; for an
 * indirect load X + k + size <= buflen with X >= 0, so k + size too. */
void opt_apply_stmt(struct opt_sim *s, const struct opt_eval *e)
{
	if (e->dest >= 0)
		s->regs.r[e->dest] = e->vn;
	uint16_t code = e->canon.code;
	uint32_t end = 0, k = e->canon.k;
	if (CBPF_CLASS(code) == CBPF_LD &&
	    (CBPF_MODE(code) == CBPF_ABS || CBPF_MODE(code) == CBPF_IND))
		end = k < LOAD_OFFSET_LIMIT ? k + load_size(code) : 0;
	else if (code == (CBPF_LDX | CBPF_B | CBPF_MSH))
		end = k < LOAD_OFFSET_LIMIT ? k + 1 : 0;
	if (end > s->minlen)
		s->minlen = end;
}
