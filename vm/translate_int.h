/* Internals of the cBPF → eBPF translator, shared by its four files:
 *   translate.c         validation, one block of eBPF per cBPF
 *                       instruction (ALU, jumps, RET, memory), the prologue
 *   translate_flow.c    the analyses: reachability, stretches, liveness,
 *                       slots read before written, X small
 *   translate_load.c    packet and ancillary loads, per target
 *   translate_layout.c  jump layout: offsets, JA islands past ±32,767
 *
 * The blocks are emitted into one linear array; a jump to another cBPF
 * instruction (or to the shared "return 0" block) is recorded as a fixup
 * and resolved by the layout, which may insert islands of JA trampolines
 * between blocks.  Jumps inside a block are plain relative offsets: islands
 * never go inside a block. */
#ifndef BPFCAP_VM_TRANSLATE_INT_H
#define BPFCAP_VM_TRANSLATE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cbpf.h"
#include "translate.h"

/* eBPF jumps reach ±32,767 instructions (a signed 16-bit offset). */
#define TX_JUMP_MAX 32767

/* Register mapping (both targets; see translate.h and docs/DESIGN.md). */
#define TX_A    EBPF_REG_0 /* cBPF A; LD_ABS/LD_IND and calls return in r0 */
#define TX_X    EBPF_REG_7 /* cBPF X: callee-saved, survives LD_ABS and calls */
#define TX_CTX  EBPF_REG_6 /* the context: LD_ABS/LD_IND require it in r6 */
#define TX_SAVE EBPF_REG_8 /* socket: A across the LD_ABS of LDX MSH */
#define TX_END  EBPF_REG_8 /* direct: data_end */
#define TX_DATA EBPF_REG_9 /* direct: data */

/* Scratch memory M[i] at r10 - 64 + 4*i, 4-byte slots. */
#define TX_MEM_OFF(i) ((int16_t)(-64 + 4 * (int)(i)))

/* A bound on X that makes X + k non-negative for every k <= TX_K_SMALL. */
#define TX_X_SMALL 0x10000u
#define TX_K_SMALL 0x7fff0000u

/* Slots of the must-be-written and liveness analyses: A, X, M[0..15]. */
#define TX_SLOT_A 0x1u
#define TX_SLOT_X 0x2u
#define TX_SLOT_M(i) (0x4u << (i))

struct tx_fixup {
	size_t at;    /* index of the jump in tx->code */
	size_t label; /* cBPF instruction index, or tx->len for the reject block */
};

struct tx {
	const struct bpfcap_insn *in;
	size_t len;
	enum ebpf_target target;
	struct bpfcap_error *err;

	struct ebpf_insn *code; /* the blocks, concatenated */
	size_t n, cap;
	size_t *start;          /* [len + 2]: block i is code[start[i] .. start[i+1]);
				 * block len is the reject block */
	struct tx_fixup *fix;
	size_t nfix, capfix;
	int nomem;
	int reject_used;
	unsigned uses;          /* EBPF_USES_* */

	uint8_t *reach;         /* [len] reachable from instruction 0 */
	uint8_t *leader;        /* [len] starts a straight-line stretch (0, jump targets) */
	uint32_t *live_out;     /* [len] TX_SLOT_A/X live after the instruction */
	uint32_t init;          /* slots to zero at entry (may be read before written) */
	uint8_t *x_small;       /* [len] X <= TX_X_SMALL on every path (0 at entry, MSH) */
	/* direct target: bytes from data proven present in the current stretch,
	 * and what the stretch's one check covers. */
	uint32_t checked, stretch;
	uint32_t *stretch_need; /* [len] for leaders: largest off + size of the stretch */
	size_t *only_pred;      /* [len] the one predecessor, or SIZE_MAX (none or several) */
	uint32_t *checked_out;  /* [len] tx->checked after the block */
};

/* Emitting.  Both set tx->nomem on allocation failure. */
void tx_emit(struct tx *tx, struct ebpf_insn insn);
/* Emits a jump (JA, or a conditional) whose offset the layout fills in so
 * that it lands on the first instruction of block label. */
void tx_emit_jump(struct tx *tx, struct ebpf_insn insn, size_t label);
/* "goto reject": the shared block that returns 0. */
void tx_emit_jump_reject(struct tx *tx, struct ebpf_insn insn);

/* translate_flow.c: fills reach, leader, only_pred, live_out, init,
 * x_small, stretch_need (and allocates checked_out).  0 or BPFCAP_E_NOMEM. */
int tx_analyse(struct tx *tx);

/* translate_load.c */
/* 1 if instruction i is a constant-offset packet load that the direct
 * target checks together with its stretch; *end = offset + size. */
int tx_const_load(const struct tx *tx, const struct bpfcap_insn *in, uint32_t *end);
/* 1 if the load always fails (a negative offset below SKF_LL_OFF): on the
 * direct target it ends the program with 0, and what follows is not
 * reached through it. */
int tx_load_always_fails(const struct tx *tx, const struct bpfcap_insn *in);
/* What a load needs besides its opcode: a known, supported ancillary
 * offset; on the direct target an offset it can reach.  0, or
 * BPFCAP_E_INVALID/UNSUPPORTED with the message. */
int tx_check_load(struct tx *tx, size_t pc, const struct bpfcap_insn *in);
/* LD ABS/IND of any size, LDX MSH: the block for instruction pc. */
void tx_load(struct tx *tx, size_t pc, const struct bpfcap_insn *in);

/* translate_layout.c: resolves the fixups into final offsets, inserting JA
 * islands where a jump would reach past TX_JUMP_MAX.  Fills out->insns,
 * out->len.  0 or a BPFCAP_E_* status (message in tx->err). */
int tx_layout(struct tx *tx, struct ebpf_prog *out);

#endif
