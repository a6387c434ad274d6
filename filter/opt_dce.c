/* Liveness of A, X and M[] and dead statement removal.
 *
 * Backward over the blocks in reverse index order (every successor comes
 * later, so one sweep is exact on a DAG).  A statement goes when nothing
 * downstream reads what it writes AND it cannot stop the program: a load
 * that may run past the buffer, or a division by an X that may be zero,
 * returns 0 in bpf_filter, so such a statement stays even when its result
 * is dead (the forward pass recorded which statements are safe). */
#include "bpfcap.h"
#include "opt.h"

static opt_regmask live_out_of(const struct opt_cfg *cfg, const struct opt_block *b,
			       const opt_regmask *live_in)
{
	if (b->term == OPT_RET)
		return 0;
	if (b->term == OPT_GOTO)
		return live_in[b->succ[0]];
	return live_in[b->succ[0]] | live_in[b->succ[1]];
}

static opt_regmask terminal_uses(const struct opt_block *b)
{
	if (b->term == OPT_GOTO)
		return 0;
	struct winsn t = { b->code, b->k, 0, 0 };
	return opt_insn_uses(&t);
}

/* One backward sweep; deletes dead safe statements when safe != NULL
 * (statements live in cfg->stmts, which a const cfg still lets us edit). */
static int sweep(const struct opt_cfg *cfg, const uint8_t *safe, opt_regmask *live_in)
{
	int removed = 0;
	for (uint32_t bi = cfg->nblocks; bi-- > 0;) {
		live_in[bi] = 0;
		if (!cfg->reachable[bi])
			continue;
		const struct opt_block *b = &cfg->blocks[bi];
		opt_regmask live = live_out_of(cfg, b, live_in) | terminal_uses(b);
		for (uint32_t i = b->first + b->nstmts; i-- > b->first;) {
			struct winsn *w = &cfg->stmts[i];
			if (w->code == OPT_NOP)
				continue;
			opt_regmask defs = opt_insn_defs(w);
			if (safe && safe[i] && !(defs & live)) {
				w->code = OPT_NOP;
				removed++;
				continue;
			}
			live = (live & ~defs) | opt_insn_uses(w);
		}
		live_in[bi] = live;
	}
	return removed;
}

int opt_liveness(const struct opt_cfg *cfg, opt_regmask *live_in)
{
	return sweep(cfg, NULL, live_in);
}

int opt_remove_dead_stmts(struct opt_cfg *cfg, const struct opt_flow *f, opt_regmask *live_in)
{
	return sweep(cfg, f->safe, live_in);
}
