/* Jump threading: an edge P -> C where C's test is decided by what holds
 * on that edge (P's facts, P's own outcome, P's values) goes straight to
 * the successor S that C would pick.
 *
 * Skipping C is only allowed when nothing C does matters:
 * - every statement of C is safe on this edge (it cannot stop the program:
 *   its loads lie inside the bytes already proven present when P exits),
 *   so no verdict on a short packet changes;
 * - no register C writes is live at S, so S and what follows read the same
 *   values as before (when S reads what C wrote, S itself may be decided
 *   too, and the run of skipped blocks then ends further on).
 * Facts learnt on the way stay true on the new edge: they speak of
 * values (packet bytes, lengths), not of registers, and the skipped loads
 * would have succeeded.  An empty block ending in a goto is skipped the
 * same way.  Each redirect
 * moves the edge to a higher-index block, so jumps stay forward. */
#include "bpfcap.h"
#include "opt.h"

/* Max blocks skipped from one edge in one round; later rounds go on. */
#define THREAD_CHAIN_MAX 64

/* Simulates C's statements on the edge's state: 1 when all are safe, with
 * the registers they write in *defs. */
static int simulate_skippable(const struct opt_cfg *cfg, struct opt_vn_table *t,
			      const struct opt_block *c, struct opt_sim *s, opt_regmask *defs)
{
	*defs = 0;
	for (uint32_t i = c->first; i < c->first + c->nstmts; i++) {
		const struct winsn *w = &cfg->stmts[i];
		if (w->code == OPT_NOP)
			continue;
		struct opt_eval e;
		opt_eval_stmt(t, s, w, &e);
		if (!e.safe)
			return 0;
		if (e.dest >= 0)
			*defs |= (opt_regmask)1 << e.dest;
		opt_apply_stmt(s, &e);
	}
	return 1;
}

static int block_is_empty(const struct opt_cfg *cfg, const struct opt_block *b)
{
	for (uint32_t i = b->first; i < b->first + b->nstmts; i++)
		if (cfg->stmts[i].code != OPT_NOP)
			return 0;
	return 1;
}

/* Follows edge `side` of block p as far as decided tests allow.  Blocks
 * are skipped in runs: when a decided block's target still reads what the
 * skipped blocks wrote (a test of the value the block before loaded), the
 * run goes on through the target, and the edge moves once the registers
 * written by the whole run are dead where it lands. */
static int thread_edge(struct opt_cfg *cfg, struct opt_flow *f, const opt_regmask *live_in,
		       uint32_t p, int side)
{
	struct opt_block *pb = &cfg->blocks[p];
	/* The facts on the edge: p's entry facts, read in place (copying a
	 * set per edge cost more than the rest of threading), and those the
	 * edge and the skipped tests add. */
	const struct opt_factset *facts = &f->facts[p];
	struct opt_fact learnt[THREAD_CHAIN_MAX + 1];
	uint32_t nlearnt = 0;
	if (pb->term == OPT_COND)
		learnt[nlearnt++] = opt_edge_fact(&f->vn, pb, &f->out[p], side);
	struct opt_sim s = { f->out[p], f->minlen_out[p] };
	opt_regmask run_defs = 0;
	uint32_t at = pb->succ[side];
	int changes = 0;
	for (int step = 0; step < THREAD_CHAIN_MAX; step++) {
		const struct opt_block *c = &cfg->blocks[at];
		uint32_t target;
		if (c->term == OPT_GOTO && block_is_empty(cfg, c)) {
			target = c->succ[0];
		} else if (c->term == OPT_COND) {
			opt_regmask defs;
			if (!simulate_skippable(cfg, &f->vn, c, &s, &defs))
				break;
			run_defs |= defs;
			uint32_t operand = CBPF_SRC(c->code) == CBPF_X ? s.regs.r[OPT_REG_X] : c->k;
			int d = opt_facts_decide(facts, learnt, nlearnt, &f->vn,
						 s.regs.r[OPT_REG_A], c->code, operand);
			if (d < 0)
				break;
			target = c->succ[d ? 0 : 1];
			learnt[nlearnt++] = opt_edge_fact(&f->vn, c, &s.regs, d ? 0 : 1);
		} else {
			break;
		}
		at = target;
		if (run_defs & live_in[target])
			continue; /* the target reads what the run wrote: go on */
		pb->succ[side] = target;
		if (pb->term == OPT_GOTO)
			pb->succ[1] = target;
		changes++;
		/* What the run wrote is dead here: start over from p's values. */
		s = (struct opt_sim){ f->out[p], f->minlen_out[p] };
		run_defs = 0;
	}
	return changes;
}

int opt_thread_jumps(struct opt_cfg *cfg, struct opt_flow *f, const opt_regmask *live_in)
{
	int changes = 0;
	for (uint32_t p = cfg->entry; p < cfg->nblocks; p++) {
		if (!cfg->reachable[p] || !f->seen[p])
			continue;
		const struct opt_block *pb = &cfg->blocks[p];
		if (pb->term == OPT_GOTO)
			changes += thread_edge(cfg, f, live_in, p, 0);
		else if (pb->term == OPT_COND)
			for (int side = 0; side < 2; side++)
				changes += thread_edge(cfg, f, live_in, p, side);
	}
	if (f->vn.oom)
		return BPFCAP_E_NOMEM;
	return changes;
}
