/* The optimizer's driver: build the block graph, run the passes until none
 * changes anything, flatten, and repeat from the flattened program until
 * it stops changing (re-splitting can merge blocks that fell through to
 * each other, which exposes more to value numbering) or flattening joined
 * no blocks; so optimizing an optimized program gives it back unchanged.
 *
 * One round of passes, in the order their analyses stay valid:
 *   forward value numbering (rewrites, jump folding)     opt_flow.c
 *   liveness, then jump threading                         opt_thread.c
 *   liveness again, then dead statement removal           opt_dce.c
 *   compare and indirect-offset peepholes                 opt_peep.c
 *   grouping the tests of or/and chains by value          opt_chain.c
 *   tests whose outcome leads to the same place           opt_useless.c
 *   graph cleanup (merging, bypassing, unreachable code)  opt_clean.c
 * Threading only removes uses (it skips blocks whose writes are dead), so
 * the liveness it starts from stays an over-approximation, which is the
 * safe side for both threading and removal.
 *
 * The contract is libpcap's optimizer's (wprog.h): the same verdict
 * wherever the input's run does not fail a load; a load whose value is
 * unused goes (opt_dce.c), as libpcap's does, so that on truncated packets
 * our verdicts are tcpdump's; a division by X stays exact. */
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "error.h"
#include "opt.h"

#define ROUNDS_MAX 8         /* flatten / re-split rounds */
#define PASSES_MAX 64        /* pass iterations per round */

static int is_known_alu(uint16_t code)
{
	switch (CBPF_OP(code)) {
	case CBPF_ADD: case CBPF_SUB: case CBPF_MUL: case CBPF_DIV: case CBPF_OR:
	case CBPF_AND: case CBPF_LSH: case CBPF_RSH: case CBPF_MOD: case CBPF_XOR:
		return 1;
	case CBPF_NEG:
		return CBPF_SRC(code) == CBPF_K;
	default:
		return 0;
	}
}

/* The instructions bpf_filter executes; the optimizer leaves any other
 * program alone rather than guess what it means. */
static int is_known_insn(uint16_t code)
{
	switch (CBPF_CLASS(code)) {
	case CBPF_LD:
		if (CBPF_MODE(code) == CBPF_ABS || CBPF_MODE(code) == CBPF_IND)
			return CBPF_SIZE(code) != 0x18;
		return code == (CBPF_LD | CBPF_IMM) || code == (CBPF_LD | CBPF_MEM) ||
		       code == (CBPF_LD | CBPF_W | CBPF_LEN);
	case CBPF_LDX:
		return code == (CBPF_LDX | CBPF_IMM) || code == (CBPF_LDX | CBPF_MEM) ||
		       code == (CBPF_LDX | CBPF_W | CBPF_LEN) ||
		       code == (CBPF_LDX | CBPF_B | CBPF_MSH);
	case CBPF_ST:
	case CBPF_STX:
		return code == CBPF_ST || code == CBPF_STX;
	case CBPF_ALU:
		return (code & 0x07) == CBPF_ALU && is_known_alu(code);
	case CBPF_JMP:
		if (CBPF_OP(code) == CBPF_JA)
			return code == (CBPF_JMP | CBPF_JA);
		return CBPF_OP(code) <= CBPF_JSET && (code & ~0xf8) == CBPF_JMP;
	case CBPF_RET:
		return code == (CBPF_RET | CBPF_K) || code == (CBPF_RET | CBPF_A);
	default:
		return code == (CBPF_MISC | CBPF_TAX) || code == (CBPF_MISC | CBPF_TXA);
	}
}

static int all_insns_known(const struct wprog *p)
{
	for (size_t i = 0; i < p->len; i++)
		if (!is_known_insn(p->insns[i].code))
			return 0;
	return 1;
}

/* Passes to a fixed point on one graph: 1 when reached, 0 when the pass
 * budget ran out first. */
static int run_passes(struct opt_cfg *cfg, struct opt_flow *f, opt_regmask *live_in)
{
	/* Reachability is swept again after each pass that can change it:
	 * the forward pass, threading and the cleanup (which ends with it). */
	opt_cfg_mark_reachable(cfg);
	for (int iter = 0; iter < PASSES_MAX; iter++) {
		int changes = 0, rc;
		if ((rc = opt_flow_run(cfg, f)) < 0)
			return rc;
		changes += rc;
		opt_cfg_mark_reachable(cfg);
		opt_liveness(cfg, live_in);
		if ((rc = opt_thread_jumps(cfg, f, live_in)) < 0)
			return rc;
		changes += rc;
		opt_cfg_mark_reachable(cfg);
		if ((rc = opt_remove_dead_stmts(cfg, f, live_in)) < 0)
			return rc;
		changes += rc;
		changes += opt_peephole(cfg, f, live_in);
		if ((rc = opt_sort_chains(cfg, f, live_in)) < 0)
			return rc;
		changes += rc;
		/* After every pass that reads the forward pass's facts: it
		 * makes some of them false. */
		changes += opt_remove_useless_tests(cfg, &f->vn);
		if ((rc = opt_simplify_cfg(cfg)) < 0)
			return rc;
		changes += rc;
		if (changes == 0)
			return 1;
	}
	return 0;
}

/* One round: split, optimize, flatten into *out.  *settled is 1 when
 * another round cannot change the program: the passes reached their fixed
 * point and flattening joins no blocks, so re-splitting *out gives back
 * the same graph (up to the return islands of opt_layout.c, which merge
 * back into the blocks they copy).  That saves the round that would only
 * confirm it, a fifth of the time on a 1000-term chain. */
static int optimize_round(const struct wprog *in, struct wprog *out, int *settled)
{
	struct opt_cfg cfg;
	struct opt_flow f;
	int rc = opt_cfg_build(&cfg, in);
	if (rc)
		return rc;
	opt_regmask *live_in = calloc(cfg.nblocks, sizeof *live_in);
	rc = opt_flow_init(&f, &cfg);
	if (rc == 0 && !live_in)
		rc = BPFCAP_E_NOMEM;
	int fixed = 0;
	if (rc == 0) {
		rc = run_passes(&cfg, &f, live_in);
		fixed = rc == 1;
		rc = rc < 0 ? rc : 0;
	}
	if (rc == 0) {
		*settled = fixed && !opt_cfg_layout_joins(&cfg);
		rc = opt_cfg_linearize(&cfg, out);
	}
	if (f.in)
		opt_flow_free(&f);
	free(live_in);
	opt_cfg_free(&cfg);
	return rc;
}

static int same_program(const struct wprog *x, const struct wprog *y)
{
	if (x->len != y->len)
		return 0;
	for (size_t i = 0; i < x->len; i++) {
		const struct winsn *a = &x->insns[i], *b = &y->insns[i];
		if (a->code != b->code || a->k != b->k || a->jt != b->jt || a->jf != b->jf)
			return 0;
	}
	return 1;
}

int filter_optimize(struct wprog *p, struct bpfcap_error *err)
{
	int rc = wprog_validate(p, err);
	if (rc)
		return rc;
	if (!all_insns_known(p))
		return 0;
	for (int round = 0; round < ROUNDS_MAX; round++) {
		struct wprog next;
		int settled = 0;
		rc = optimize_round(p, &next, &settled);
		if (rc)
			return bpfcap_fail(err, rc, -1, 0, "optimizer: out of memory");
		int done = settled || same_program(p, &next);
		wprog_free(p);
		*p = next;
		if (done)
			break;
	}
	return 0;
}
