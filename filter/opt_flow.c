/* The forward pass: value numbering across blocks, with the rewrites it
 * justifies done on the spot.
 *
 * Blocks are visited in index order (topological), so every predecessor
 * of a block is done before it and pushes its exit state into it: a
 * register keeps its value number where all predecessors agree and gets a
 * fresh "merge" number otherwise; the proven buffer length is the least
 * over predecessors; the facts are those every incoming edge carries.
 *
 * Rewrites (each keeps every verdict, including on short packets):
 * - a statement writing the value its destination already holds goes
 *   (a reload, a redundant store, x+0...) when it cannot stop the program;
 *   a reload of a packet value already in the register cannot fail either,
 *   since the same bytes were loaded on every path here;
 * - a statement whose result is a known constant becomes "ld #k"/"ldx #k";
 * - an X operand known constant becomes an immediate, an indirect load at
 *   a known X becomes absolute;
 * - a conditional jump whose outcome the facts decide becomes a goto;
 * - "ret a" with A known becomes "ret #k";
 * - a scratch reload of the value in the other register becomes tax/txa. */
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "opt.h"

int opt_flow_init(struct opt_flow *f, const struct opt_cfg *cfg)
{
	memset(f, 0, sizeof *f);
	uint32_t nb = cfg->nblocks;
	f->nblocks = nb;
	f->nstmts = cfg->nstmts;
	f->in = calloc(nb, sizeof *f->in);
	f->out = calloc(nb, sizeof *f->out);
	f->minlen_in = calloc(nb, sizeof *f->minlen_in);
	f->minlen_out = calloc(nb, sizeof *f->minlen_out);
	f->facts = calloc(nb, sizeof *f->facts);
	f->seen = calloc(nb, 1);
	f->safe = calloc(f->nstmts + 1, 1);
	f->a_before = calloc(f->nstmts + 1, sizeof *f->a_before);
	f->x_before = calloc(f->nstmts + 1, sizeof *f->x_before);
	opt_vn_init(&f->vn);
	if (!f->in || !f->out || !f->minlen_in || !f->minlen_out || !f->facts || !f->seen ||
	    !f->safe || !f->a_before || !f->x_before) {
		opt_flow_free(f);
		return BPFCAP_E_NOMEM;
	}
	return 0;
}

void opt_flow_free(struct opt_flow *f)
{
	free(f->in);
	free(f->out);
	free(f->minlen_in);
	free(f->minlen_out);
	free(f->facts);
	free(f->seen);
	free(f->safe);
	free(f->a_before);
	free(f->x_before);
	opt_vn_free(&f->vn);
	memset(f, 0, sizeof *f);
}

struct opt_fact opt_edge_fact(const struct opt_vn_table *t, const struct opt_block *b,
			      const struct opt_regs *exit, int side)
{
	struct opt_fact f = { exit->r[OPT_REG_A], b->code, side == 0, b->k };
	uint32_t xk;
	if (CBPF_SRC(b->code) == CBPF_X) {
		if (opt_vn_const(t, exit->r[OPT_REG_X], &xk)) {
			f.code = (uint16_t)(CBPF_JMP | CBPF_OP(b->code) | CBPF_K);
			f.k = xk;
		} else {
			f.k = exit->r[OPT_REG_X];
		}
	}
	return f;
}

static void push_edge(struct opt_flow *f, uint32_t from, uint32_t to, const struct opt_fact *fact)
{
	if (!f->seen[to]) {
		f->seen[to] = 1;
		f->in[to] = f->out[from];
		f->minlen_in[to] = f->minlen_out[from];
		opt_facts_copy(&f->facts[to], &f->facts[from]);
		if (fact)
			opt_facts_add(&f->facts[to], *fact);
		return;
	}
	for (int r = 0; r < OPT_NREGS; r++)
		if (f->in[to].r[r] != f->out[from].r[r])
			f->in[to].r[r] = OPT_NONE;
	if (f->minlen_out[from] < f->minlen_in[to])
		f->minlen_in[to] = f->minlen_out[from];
	opt_facts_meet(&f->facts[to], &f->facts[from], fact);
}

static int is_load(uint16_t code)
{
	return CBPF_CLASS(code) == CBPF_LD || CBPF_CLASS(code) == CBPF_LDX;
}

static int same_insn(const struct winsn *x, const struct winsn *y)
{
	return x->code == y->code && x->k == y->k;
}

/* Rewrites statement w after evaluation; returns 1 if it changed. */
static int simplify_stmt(struct opt_flow *f, const struct opt_sim *s, struct winsn *w,
			 const struct opt_eval *e)
{
	uint32_t c;
	if (e->dest >= 0 && e->vn == s->regs.r[e->dest] && (e->safe || is_load(w->code))) {
		w->code = OPT_NOP;
		return 1;
	}
	if ((e->dest == OPT_REG_A || e->dest == OPT_REG_X) && e->safe &&
	    opt_vn_const(&f->vn, e->vn, &c)) {
		struct winsn imm = { e->dest == OPT_REG_A ? CBPF_LD | CBPF_IMM : CBPF_LDX | CBPF_IMM,
				     c, 0, 0 };
		if (same_insn(w, &imm))
			return 0;
		*w = imm;
		return 1;
	}
	/* A scratch reload of a value the other register holds is a copy
	 * ("st M[3]; ldx M[3]" is "st M[3]; tax"), and the store may die. */
	if (CBPF_MODE(w->code) == CBPF_MEM && (CBPF_CLASS(w->code) == CBPF_LD ||
					       CBPF_CLASS(w->code) == CBPF_LDX)) {
		int other = e->dest == OPT_REG_A ? OPT_REG_X : OPT_REG_A;
		if (e->vn == s->regs.r[other]) {
			w->code = e->dest == OPT_REG_A ? CBPF_MISC | CBPF_TXA : CBPF_MISC | CBPF_TAX;
			w->k = 0;
			return 1;
		}
	}
	if (!same_insn(w, &e->canon)) {
		*w = e->canon;
		return 1;
	}
	return 0;
}

/* Jump folding: the block's own test, decided by the facts at its entry
 * and its own values.  A known X operand also becomes an immediate. */
static int fold_terminal(struct opt_flow *f, struct opt_block *b, const struct opt_factset *facts,
			 const struct opt_regs *exit)
{
	uint32_t xk;
	/* "ret a" with A known returns that constant. */
	if (b->term == OPT_RET && b->code == (CBPF_RET | CBPF_A) &&
	    opt_vn_const(&f->vn, exit->r[OPT_REG_A], &xk)) {
		b->code = CBPF_RET | CBPF_K;
		b->k = xk;
		return 1;
	}
	if (b->term != OPT_COND)
		return 0;
	int changes = 0;
	if (CBPF_SRC(b->code) == CBPF_X && opt_vn_const(&f->vn, exit->r[OPT_REG_X], &xk)) {
		b->code = (uint16_t)(CBPF_JMP | CBPF_OP(b->code) | CBPF_K);
		b->k = xk;
		changes++;
	}
	uint32_t operand = CBPF_SRC(b->code) == CBPF_X ? exit->r[OPT_REG_X] : b->k;
	int d = opt_facts_decide(facts, NULL, 0, &f->vn, exit->r[OPT_REG_A], b->code, operand);
	if (d >= 0) {
		b->term = OPT_GOTO;
		b->succ[0] = b->succ[1] = b->succ[d ? 0 : 1];
		changes++;
	}
	return changes;
}

static int run_block(struct opt_cfg *cfg, struct opt_flow *f, uint32_t bi)
{
	struct opt_block *b = &cfg->blocks[bi];
	struct opt_sim s = { f->in[bi], f->minlen_in[bi] };
	int changes = 0;
	for (int r = 0; r < OPT_NREGS; r++)
		if (s.regs.r[r] == OPT_NONE)
			s.regs.r[r] = opt_vn_get(&f->vn, VN_PHI, (uint16_t)r, bi, 0);
	for (uint32_t i = b->first; i < b->first + b->nstmts; i++) {
		struct winsn *w = &cfg->stmts[i];
		if (w->code == OPT_NOP)
			continue;
		struct opt_eval e;
		f->a_before[i] = s.regs.r[OPT_REG_A];
		f->x_before[i] = s.regs.r[OPT_REG_X];
		opt_eval_stmt(&f->vn, &s, w, &e);
		changes += simplify_stmt(f, &s, w, &e);
		f->safe[i] = (uint8_t)e.safe;
		opt_apply_stmt(&s, &e);
	}
	f->out[bi] = s.regs;
	f->minlen_out[bi] = s.minlen;
	changes += fold_terminal(f, b, &f->facts[bi], &s.regs);
	if (b->term == OPT_GOTO) {
		push_edge(f, bi, b->succ[0], NULL);
	} else if (b->term == OPT_COND) {
		for (int side = 0; side < 2; side++) {
			struct opt_fact fact = opt_edge_fact(&f->vn, b, &s.regs, side);
			push_edge(f, bi, b->succ[side], &fact);
		}
	}
	return changes;
}

int opt_flow_run(struct opt_cfg *cfg, struct opt_flow *f)
{
	opt_vn_reset(&f->vn);
	memset(f->seen, 0, cfg->nblocks);
	uint32_t zero = opt_vn_get(&f->vn, VN_CONST, 0, 0, 0);
	uint32_t e = cfg->entry;
	/* A and X start at 0.  M[] is taken as unknown: bpf_filter leaves it
	 * uninitialized (the kernel rejects reading it before a store), so a
	 * store of 0 before any other must not pass for redundant. */
	for (int r = 0; r < OPT_NREGS; r++)
		f->in[e].r[r] = r == OPT_REG_A || r == OPT_REG_X ?
					zero :
					opt_vn_get(&f->vn, VN_PHI, (uint16_t)r, OPT_NONE, 0);
	f->minlen_in[e] = 0;
	f->facts[e].n = 0;
	f->seen[e] = 1;
	int changes = 0;
	for (uint32_t bi = e; bi < cfg->nblocks; bi++)
		if (cfg->reachable[bi] && f->seen[bi])
			changes += run_block(cfg, f, bi);
	if (f->vn.oom)
		return BPFCAP_E_NOMEM;
	return changes;
}
