/* The optimizer's internal interface: a control-flow graph of basic
 * blocks over a wide program, and the passes that rewrite it.
 *
 * Blocks keep the index order of the program they came from, which is a
 * topological order (every jump goes forward), so every pass walks them
 * forward or backward without building a worklist.  A pass may only
 * redirect an edge to a block of higher index, which keeps that order
 * valid.  Statements are never inserted: a pass rewrites one in place or
 * deletes it (code OPT_NOP), so each block owns a fixed range of
 * cfg->stmts. */
#ifndef BPFCAP_FILTER_OPT_H
#define BPFCAP_FILTER_OPT_H

#include <stddef.h>
#include <stdint.h>
#include "wprog.h"

#define OPT_NOP 0xffffu      /* a deleted statement (no cBPF code is 0xffff) */
#define OPT_NONE UINT32_MAX  /* no block / no value */

enum opt_term {
	OPT_RET,   /* code/k hold the RET instruction */
	OPT_GOTO,  /* succ[0] (a JA, or falling into the next block) */
	OPT_COND,  /* code/k hold the jump; succ[0] when true, succ[1] when false */
};

struct opt_block {
	uint32_t first, nstmts;   /* the block's range of cfg->stmts */
	uint8_t term;             /* enum opt_term */
	uint16_t code;            /* RET or conditional JMP instruction */
	uint32_t k;
	uint32_t succ[2];
};

struct opt_cfg {
	struct winsn *stmts;      /* every block's statements, jumps excluded */
	uint32_t nstmts;
	struct opt_block *blocks;
	uint32_t nblocks;
	uint32_t entry;           /* first block executed */
	uint8_t *reachable;       /* per block, from opt_cfg_mark_reachable */
	uint32_t *npreds;         /* per block, reachable predecessors' edges */
};

/* Scratch registers as value numbers: A, X, M[0..15]. */
#define OPT_NREGS (2 + CBPF_MEMWORDS)
#define OPT_REG_A 0
#define OPT_REG_X 1
#define OPT_REG_M(i) (2 + (i))

/* Liveness masks use the same numbering: bit r is register r. */
typedef uint32_t opt_regmask;

/* --- opt_cfg.c: building --------------------------------------------- */
int opt_cfg_build(struct opt_cfg *cfg, const struct wprog *p);
void opt_cfg_free(struct opt_cfg *cfg);
/* Sets reachable[] and npreds[] from cfg->entry. */
void opt_cfg_mark_reachable(struct opt_cfg *cfg);
/* opt_layout.c: the reachable blocks as a wide program (into *out). */
int opt_cfg_linearize(const struct opt_cfg *cfg, struct wprog *out);
/* opt_layout.c: 1 when flattening joins two blocks into one (a goto falls
 * into a block nothing else jumps to), so that splitting the flat program
 * again gives a different graph. */
int opt_cfg_layout_joins(const struct opt_cfg *cfg);
/* Registers an instruction reads / writes (stmts and terminals alike). */
opt_regmask opt_insn_uses(const struct winsn *w);
opt_regmask opt_insn_defs(const struct winsn *w);

/* --- opt_vn.c: value numbers ------------------------------------------ */
enum opt_vn_kind {
	VN_CONST = 1, /* k */
	VN_PHI,       /* a = block, b = register: a merge of differing values */
	VN_LEN,       /* the wire length */
	VN_LDABS,     /* b = size code, k = offset: packet bytes are immutable */
	VN_LDIND,     /* b = size code, a = X's value, k */
	VN_MSH,       /* k: 4*([k]&0xf) */
	VN_ALUK,      /* b = operation, a = operand, k */
	VN_ALUX,      /* b = operation, a = A's value, k = X's value */
	VN_NEG,       /* a */
};

struct opt_vn {
	uint8_t kind;
	uint16_t b;
	uint32_t a, k;
};

struct opt_vn_table {
	struct opt_vn *vals;      /* value number n is vals[n]; 0 is unused */
	uint32_t nvals, cap;
	uint32_t *slots;          /* open addressing hash of value numbers */
	uint32_t nslots;
	int oom;
};

void opt_vn_init(struct opt_vn_table *t);
void opt_vn_reset(struct opt_vn_table *t);
void opt_vn_free(struct opt_vn_table *t);
/* The value number of an expression; 0 (never a valid number) sets t->oom. */
uint32_t opt_vn_get(struct opt_vn_table *t, uint8_t kind, uint16_t b, uint32_t a, uint32_t k);
int opt_vn_const(const struct opt_vn_table *t, uint32_t vn, uint32_t *k);

/* --- opt_facts.c: conditions known to hold on an edge ------------------ */
/* "value vn compared by jump code with operand k gave outcome".  For an
 * X-source jump, k is X's value number. */
struct opt_fact {
	uint32_t vn;
	uint16_t code;
	uint8_t outcome;
	uint32_t k;
};

#define OPT_FACT_CAP 32

struct opt_factset {
	uint32_t n;
	struct opt_fact f[OPT_FACT_CAP];
};

void opt_facts_add(struct opt_factset *s, struct opt_fact f);
void opt_facts_copy(struct opt_factset *dst, const struct opt_factset *src);
/* s becomes the facts it shares with other plus extra (when not NULL):
 * what holds on both of two incoming edges. */
void opt_facts_meet(struct opt_factset *s, const struct opt_factset *other,
		    const struct opt_fact *extra);
/* 1 or 0 when the jump's outcome on value vn is implied by the facts of s
 * and the nmore of more, else -1. */
int opt_facts_decide(const struct opt_factset *s, const struct opt_fact *more, uint32_t nmore,
		     const struct opt_vn_table *t, uint32_t vn, uint16_t code, uint32_t k);

/* --- opt_flow.c: forward analysis ------------------------------------ */
struct opt_regs {
	uint32_t r[OPT_NREGS];
};

/* What the forward pass learns, per block and per statement. */
struct opt_flow {
	struct opt_regs *in, *out;      /* value numbers at entry / exit */
	uint32_t *minlen_in, *minlen_out; /* bytes proven present in the buffer */
	struct opt_factset *facts;      /* facts holding at block entry */
	uint8_t *seen;                  /* block got an incoming edge yet */
	uint8_t *safe;                  /* per statement: cannot make the program return early */
	uint32_t *a_before, *x_before;  /* per statement: A's and X's value numbers before it */
	uint32_t nblocks, nstmts;
	struct opt_vn_table vn;
};

int opt_flow_init(struct opt_flow *f, const struct opt_cfg *cfg);
void opt_flow_free(struct opt_flow *f);
/* Value numbering with in-place simplification and jump folding; returns
 * the number of changes, or a negative BPFCAP_E code. */
int opt_flow_run(struct opt_cfg *cfg, struct opt_flow *f);

/* --- opt_eval.c: one statement, symbolically ------------------------- */
/* A register state being simulated; shared by the forward pass, jump
 * threading and the peepholes. */
struct opt_sim {
	struct opt_regs regs;
	uint32_t minlen;
};

struct opt_eval {
	int dest;            /* register written, -1 for none */
	uint32_t vn;         /* value written */
	int safe;            /* cannot stop the program (failed load, div by 0) */
	struct winsn canon;  /* the same statement in simplest form */
};

void opt_eval_stmt(struct opt_vn_table *t, const struct opt_sim *s, const struct winsn *w,
		   struct opt_eval *e);
void opt_apply_stmt(struct opt_sim *s, const struct opt_eval *e);

/* (opt_flow.c) The fact a conditional block's edge (side 0 true, 1 false) establishes,
 * given the block's registers at exit. */
struct opt_fact opt_edge_fact(const struct opt_vn_table *t, const struct opt_block *b,
			      const struct opt_regs *exit, int side);

/* --- opt_useless.c: tests whose outcome leads to the same place ------- */
int opt_remove_useless_tests(struct opt_cfg *cfg, const struct opt_vn_table *t);

/* --- opt_thread.c: jump threading ------------------------------------- */
int opt_thread_jumps(struct opt_cfg *cfg, struct opt_flow *f, const opt_regmask *live_in);

/* --- opt_dce.c: liveness, dead statements ----------------------------- */
int opt_liveness(const struct opt_cfg *cfg, opt_regmask *live_in);
int opt_remove_dead_stmts(struct opt_cfg *cfg, const struct opt_flow *f, opt_regmask *live_in);

/* --- opt_peep.c: compare and indirect-offset peepholes ----------------- */
int opt_peephole(struct opt_cfg *cfg, struct opt_flow *f, const opt_regmask *live_in);

/* --- opt_chain.c: grouping the tests of or/and chains ------------------ */
int opt_sort_chains(struct opt_cfg *cfg, const struct opt_flow *f, const opt_regmask *live_in);

/* --- opt_clean.c: merging, bypassing, unreachable blocks ---------------- */
int opt_simplify_cfg(struct opt_cfg *cfg);

#endif
