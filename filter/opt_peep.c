/* Peephole rewrites at block scope that need both value numbers and
 * liveness:
 * - a compare of a value just computed by "A op c" whose result is dead
 *   afterwards compares the operand instead: x+c==k is x==k-c (addition
 *   is a bijection on 32-bit words), likewise x-c and x^c; (x&c)==0 is
 *   "not (x jset c)" and (x&c) jset j is x jset (c&j); x-X==0 and x^X==0
 *   are x==X;
 * - an indirect load whose X was just computed as v+c ("add; tax") loads
 *   at [x+k+c] with X = v when the sum cannot wrap (v has a known bound)
 *   and X is dead after the load (bpf_filter checks X + k + size against
 *   the buffer without wrapping, so both forms fail alike). */
#include "bpfcap.h"
#include "opt.h"

#define BIT(r) ((opt_regmask)1 << (r))

/* The live statement before index i in block b, or OPT_NONE. */
static uint32_t prev_live(const struct opt_cfg *cfg, const struct opt_block *b, uint32_t i)
{
	while (i-- > b->first)
		if (cfg->stmts[i].code != OPT_NOP)
			return i;
	return OPT_NONE;
}

static opt_regmask live_out_of(const struct opt_block *b, const opt_regmask *live_in)
{
	if (b->term == OPT_RET)
		return 0;
	return live_in[b->succ[0]] | (b->term == OPT_COND ? live_in[b->succ[1]] : 0);
}

static void swap_targets(struct opt_block *b)
{
	uint32_t t = b->succ[0];
	b->succ[0] = b->succ[1];
	b->succ[1] = t;
}

/* Returns 1 when the block's compare absorbed its last statement. */
static int fold_compare(struct opt_cfg *cfg, struct opt_block *b, opt_regmask live_out)
{
	if (b->term != OPT_COND || CBPF_SRC(b->code) != CBPF_K || (live_out & BIT(OPT_REG_A)))
		return 0;
	uint32_t last = prev_live(cfg, b, b->first + b->nstmts);
	if (last == OPT_NONE)
		return 0;
	struct winsn *w = &cfg->stmts[last];
	if (CBPF_CLASS(w->code) != CBPF_ALU)
		return 0;
	uint16_t op = CBPF_OP(w->code), jop = CBPF_OP(b->code);
	uint32_t c = w->k, k = b->k;
	if (CBPF_SRC(w->code) == CBPF_K) {
		if (jop == CBPF_JEQ && op == CBPF_ADD)
			b->k = k - c;
		else if (jop == CBPF_JEQ && op == CBPF_SUB)
			b->k = k + c;
		else if (jop == CBPF_JEQ && op == CBPF_XOR)
			b->k = k ^ c;
		else if (jop == CBPF_JEQ && op == CBPF_AND && k == 0) {
			b->code = CBPF_JMP | CBPF_JSET | CBPF_K;
			b->k = c;
			swap_targets(b);
		} else if (jop == CBPF_JSET && op == CBPF_AND)
			b->k = k & c;
		else
			return 0;
	} else {
		if (jop != CBPF_JEQ || k != 0)
			return 0;
		if (op == CBPF_SUB || op == CBPF_XOR) {
			b->code = CBPF_JMP | CBPF_JEQ | CBPF_X;
		} else if (op == CBPF_AND) {
			b->code = CBPF_JMP | CBPF_JSET | CBPF_X;
			swap_targets(b);
		} else {
			return 0;
		}
		b->k = 0;
	}
	w->code = OPT_NOP;
	return 1;
}

/* An upper bound of a value, from how it was made. */
static uint64_t value_bound(const struct opt_vn_table *t, uint32_t vn)
{
	const struct opt_vn *v = &t->vals[vn];
	switch (v->kind) {
	case VN_CONST:
		return v->k;
	case VN_MSH:
		return 60;
	case VN_LDABS:
	case VN_LDIND:
		return v->b == CBPF_B ? 0xff : v->b == CBPF_H ? 0xffff : 0xffffffffu;
	case VN_ALUK:
		if (v->b == CBPF_AND)
			return v->k;
		if (v->b == CBPF_RSH && v->k < 32)
			return 0xffffffffu >> v->k;
		return 0xffffffffu;
	default:
		return 0xffffffffu;
	}
}

/* ld [x+k] after "add; tax" (see the file comment); returns 1 if done. */
static int fold_ind_offset(struct opt_cfg *cfg, const struct opt_flow *f,
			   const struct opt_block *b, uint32_t i)
{
	uint32_t tax = prev_live(cfg, b, i);
	if (tax == OPT_NONE || cfg->stmts[tax].code != (CBPF_MISC | CBPF_TAX))
		return 0;
	uint32_t add = prev_live(cfg, b, tax);
	if (add == OPT_NONE || CBPF_CLASS(cfg->stmts[add].code) != CBPF_ALU ||
	    CBPF_OP(cfg->stmts[add].code) != CBPF_ADD)
		return 0;
	const struct winsn *s1 = &cfg->stmts[add];
	uint32_t c, v, ac, xc;
	int drop_tax = 0;
	if (CBPF_SRC(s1->code) == CBPF_K) {
		c = s1->k;
		v = f->a_before[add];
	} else if (opt_vn_const(&f->vn, f->a_before[add], &ac)) {
		c = ac;
		v = f->x_before[add];
		drop_tax = 1; /* X already holds v */
	} else if (opt_vn_const(&f->vn, f->x_before[add], &xc)) {
		c = xc;
		v = f->a_before[add];
	} else {
		return 0;
	}
	if (v == 0 || v >= f->vn.nvals || value_bound(&f->vn, v) + c > 0xffffffffu ||
	    (uint64_t)cfg->stmts[i].k + c >= 0x80000000u)
		return 0;
	cfg->stmts[i].k += c;
	cfg->stmts[add].code = OPT_NOP;
	if (drop_tax)
		cfg->stmts[tax].code = OPT_NOP;
	return 1;
}

/* Walks the block backward to know what is live after each statement. */
static int fold_ind_offsets(struct opt_cfg *cfg, const struct opt_flow *f,
			    const struct opt_block *b, opt_regmask live)
{
	for (uint32_t i = b->first + b->nstmts; i-- > b->first;) {
		struct winsn *w = &cfg->stmts[i];
		if (w->code == OPT_NOP)
			continue;
		if (CBPF_CLASS(w->code) == CBPF_LD && CBPF_MODE(w->code) == CBPF_IND &&
		    !(live & BIT(OPT_REG_X)) && fold_ind_offset(cfg, f, b, i))
			return 1; /* liveness above changed; the next round goes on */
		live = (live & ~opt_insn_defs(w)) | opt_insn_uses(w);
	}
	return 0;
}

int opt_peephole(struct opt_cfg *cfg, struct opt_flow *f, const opt_regmask *live_in)
{
	int changes = 0;
	for (uint32_t bi = cfg->entry; bi < cfg->nblocks; bi++) {
		if (!cfg->reachable[bi] || !f->seen[bi])
			continue;
		struct opt_block *b = &cfg->blocks[bi];
		opt_regmask out = live_out_of(b, live_in);
		if (fold_compare(cfg, b, out)) {
			changes++;
			continue;
		}
		struct winsn t = { b->code, b->k, 0, 0 };
		opt_regmask live = out | (b->term == OPT_GOTO ? 0 : opt_insn_uses(&t));
		changes += fold_ind_offsets(cfg, f, b, live);
	}
	return changes;
}
