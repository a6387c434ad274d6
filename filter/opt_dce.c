/* Liveness of A, X and M[] and dead statement removal.
 *
 * Backward over the blocks in reverse index order (every successor comes
 * later, so one sweep is exact on a DAG).  A statement goes when nothing
 * downstream reads what it writes, with one reservation: a division by X
 * makes bpf_filter return 0 when X is 0, so a dead division stays unless
 * - it cannot happen: the forward pass proved X nonzero (safe), or
 * - it would not matter: every path onwards returns 0 anyway.
 * Packet loads are not reserved: libpcap's optimizer deletes a dead load
 * even where it would have failed on a short packet, and our verdicts are
 * libpcap's (see bytes_needed).  The machinery that decides whether a
 * failing statement matters ("anticipated length", the least over paths
 * of the longest load still to come, with "ret #0" needing everything)
 * stays general. */
#include <stdlib.h>

#include "bpfcap.h"
#include "opt.h"

#define NEED_ALL UINT32_MAX /* only removable where every path returns 0 */

/* Buffer length without which the statement stops the program (0 if it
 * never does); a wrapping or unknown bound counts as NEED_ALL.
 *
 * Packet loads count as never stopping it: libpcap's optimizer deletes a
 * load whose value is unused even when the load could have failed (so
 * "ip6 net fe80::/10" reads one address word, not four, and accepts a
 * packet cut after it).  bpfcap's filters are libpcap's packet for packet,
 * tcpdump's verdicts included, so ours does the same; unoptimized
 * programs (-O) keep every load.  A division by X can still stop the
 * program and is kept unless proven harmless. */
static uint32_t bytes_needed(const struct winsn *w)
{
	uint16_t c = w->code;
	if (CBPF_CLASS(c) == CBPF_ALU && (CBPF_OP(c) == CBPF_DIV || CBPF_OP(c) == CBPF_MOD) &&
	    (CBPF_SRC(c) == CBPF_X || w->k == 0))
		return NEED_ALL;
	return 0;
}

/* A length every successful completion of the statement guarantees: an
 * indirect load at [x+k] succeeding means at least k+size bytes. */
static uint32_t bytes_proven(const struct winsn *w)
{
	uint16_t c = w->code;
	uint32_t size = CBPF_SIZE(c) == CBPF_W ? 4 : CBPF_SIZE(c) == CBPF_H ? 2 : 1;
	if (CBPF_CLASS(c) == CBPF_LD && (CBPF_MODE(c) == CBPF_ABS || CBPF_MODE(c) == CBPF_IND))
		return w->k < 0x80000000u ? w->k + size : 0;
	if (c == (CBPF_LDX | CBPF_B | CBPF_MSH))
		return w->k < 0x80000000u ? w->k + 1 : 0;
	return 0;
}

static uint32_t anticipated_out(const struct opt_block *b, const uint32_t *ant_in)
{
	if (b->term == OPT_RET)
		return b->code == (CBPF_RET | CBPF_K) && b->k == 0 ? NEED_ALL : 0;
	uint32_t a = ant_in[b->succ[0]], c = ant_in[b->succ[1]];
	return b->term == OPT_GOTO || a < c ? a : c;
}

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

/* One backward sweep; deletes dead statements when safe != NULL
 * (statements live in cfg->stmts, which a const cfg still lets us edit). */
static int sweep(const struct opt_cfg *cfg, const uint8_t *safe, opt_regmask *live_in,
		 uint32_t *ant_in)
{
	int removed = 0;
	for (uint32_t bi = cfg->nblocks; bi-- > 0;) {
		live_in[bi] = 0;
		if (ant_in)
			ant_in[bi] = NEED_ALL;
		if (!cfg->reachable[bi])
			continue;
		const struct opt_block *b = &cfg->blocks[bi];
		opt_regmask live = live_out_of(cfg, b, live_in) | terminal_uses(b);
		uint32_t ant = ant_in ? anticipated_out(b, ant_in) : 0;
		for (uint32_t i = b->first + b->nstmts; i-- > b->first;) {
			struct winsn *w = &cfg->stmts[i];
			if (w->code == OPT_NOP)
				continue;
			opt_regmask defs = opt_insn_defs(w);
			if (safe && !(defs & live) && (safe[i] || bytes_needed(w) <= ant)) {
				w->code = OPT_NOP;
				removed++;
				continue;
			}
			live = (live & ~defs) | opt_insn_uses(w);
			uint32_t proven = bytes_proven(w);
			ant = proven > ant ? proven : ant;
		}
		live_in[bi] = live;
		if (ant_in)
			ant_in[bi] = ant;
	}
	return removed;
}

int opt_liveness(const struct opt_cfg *cfg, opt_regmask *live_in)
{
	return sweep(cfg, NULL, live_in, NULL);
}

int opt_remove_dead_stmts(struct opt_cfg *cfg, const struct opt_flow *f, opt_regmask *live_in)
{
	uint32_t *ant_in = malloc(cfg->nblocks * sizeof *ant_in);
	if (!ant_in)
		return BPFCAP_E_NOMEM;
	int removed = sweep(cfg, f->safe, live_in, ant_in);
	free(ant_in);
	return removed;
}
