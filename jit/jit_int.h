/* The JIT's internals shared by its passes (jit.c), its memory (jit_mem.c)
 * and its dump (jit_dump.c). */
#ifndef BPFCAP_JIT_JIT_INT_H
#define BPFCAP_JIT_JIT_INT_H

#include "jit.h"
#include "x86_emit.h"

struct ebpf_jit_prog {
	void *code;             /* executable, read-only: the entry point */
	size_t code_len;        /* bytes of machine code */
	size_t map_len;         /* bytes mapped (whole pages) */
	/* What --dump=jit needs to emit the same bytes again, with text. */
	int32_t *labels;        /* converged offsets (see struct jit) */
	size_t nlabels;
	int force_near;
	ebpf_helper_fn *helpers; /* a copy of the table the program was bound to */
	size_t nhelpers;
	void *helper_user;
	uint64_t *map_addrs;     /* a copy of the map table (pseudo-map loads) */
	size_t nmaps;
};

/* One compilation: the program, the options, the pass state. */
struct jit {
	const struct ebpf_insn *prog;
	size_t len;
	const ebpf_helper_fn *helpers;
	size_t nhelpers;
	void *helper_user;
	const uint64_t *map_addrs;
	size_t nmaps;

	/* Labels: [0, len) the start of each instruction's code; len the
	 * shared "return 0" block; then per LD_IND a pair: its out-of-line
	 * stub (negative offsets) and the point in line it returns to. */
	size_t nlabels;
	int32_t *prev;          /* offsets of the previous pass (have_prev) */
	int32_t *cur;           /* offsets of this pass */
	int have_prev;
	int force_near;         /* every jump rel32 (the fallback) */
	int cur_block;          /* label of the block being emitted */
	size_t nstubs;          /* LD_IND stubs queued in this pass */
	size_t *stub_insn;      /* stub -> instruction */

	/* What the program uses (set by a scan before the passes). */
	unsigned regs_used;     /* bit per eBPF register */
	int uses_pkt;           /* LD_ABS / LD_IND */
	int uses_call;
	int frame;              /* rbp-based frame: r10, packet slots, calls */
	int frame_size;         /* bytes below the saved registers */
	int slot_base;          /* rbp offset of the packet slots' top: -512 with a stack, else 0 */
	int saved[6];           /* callee-saved registers pushed, in order */
	int nsaved;

	struct x86_emit e;
	struct bpfcap_error *err;
};

/* Scans the program before the passes: registers named, packet loads,
 * calls, hence the frame and the registers to save; *nind = LD_IND count. */
void jit_scan(struct jit *j, size_t *nind);

/* Emits the whole program once with j->prev as the layout estimate
 * (x86 code in j->e, offsets in j->cur).  0, or a BPFCAP_E_* error. */
int jit_emit_program(struct jit *j);

/* W^X memory (jit_mem.c): copies code into fresh pages mapped read-write,
 * then makes them read+execute.  0 or BPFCAP_E_NOMEM. */
int jit_mem_install(struct ebpf_jit_prog *jp, const uint8_t *code, size_t len,
		    struct bpfcap_error *err);
void jit_mem_release(struct ebpf_jit_prog *jp);

#endif
