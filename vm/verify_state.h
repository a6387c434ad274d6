/* The verifier's abstract domain (internal to vm/verify*.c).
 *
 * A register is one of the kinds below; a scalar carries unsigned bounds
 * [umin, umax] (enough for what filters do: constants, masked loads,
 * zero-extended 32-bit values); pointers carry a fixed offset, packet
 * pointers also an id naming their variable part, its upper bound and the
 * proven range (kernel/bpf/verifier.c's bpf_reg_state, reduced).  A stack
 * byte is initialised or not; the stack holds only scalars (pointer spills
 * are refused, see verify.c).
 */
#ifndef BPFCAP_VM_VERIFY_STATE_H
#define BPFCAP_VM_VERIFY_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "ebpf.h"

enum vreg_kind {
	VREG_NOT_INIT = 0,
	VREG_SCALAR,
	VREG_CTX,        /* the context, + off */
	VREG_STACK,      /* r10 + off */
	VREG_PACKET,     /* data + var (id, umax) + off; bytes [.., + range) proven */
	VREG_PACKET_END, /* data_end */
	VREG_MIXED,      /* different kinds (or pointers) on different paths */
	/* Maps (vm/verify_call.c): map is the index in the verifier's map table. */
	VREG_MAP_PTR,           /* a map, from LD_IMM64 pseudo-map: only a helper argument */
	VREG_MAP_VALUE,         /* a value of map, + off */
	VREG_MAP_VALUE_OR_NULL, /* a lookup's result (id, at = the call), not yet NULL-checked */
};

/* Why a register is not readable, for the message. */
enum vreg_unset {
	UNSET_NEVER = 0,   /* never written on any path */
	UNSET_SOME_PATH,   /* written on some paths only */
	UNSET_CALL,        /* clobbered by the CALL at insn `at` */
	UNSET_LD_PKT,      /* clobbered by the LD_ABS/LD_IND at insn `at` */
};

struct vreg {
	uint8_t kind;      /* enum vreg_kind */
	uint8_t unset;     /* enum vreg_unset, for VREG_NOT_INIT */
	uint32_t id;       /* packet pointers: 0 = no variable part */
	int64_t off;       /* pointers: fixed offset */
	uint64_t umin, umax; /* scalars: bounds; packet pointers: umax of the variable part */
	int64_t range;     /* packet pointers: [ptr - off, ptr - off + range) proven */
	size_t at;         /* the clobbering instruction (UNSET_CALL, UNSET_LD_PKT); the lookup */
	uint32_t map;      /* map pointers and values: index in the map table */
};

struct vstate {
	struct vreg r[EBPF_NREGS];
	uint8_t stack_init[EBPF_STACK_SIZE / 8]; /* bit i: byte r10 - 512 + i written */
};

/* Joins b into a (least upper bound, see docs/DESIGN.md "vm/verify"). */
void vstate_join(struct vstate *a, const struct vstate *b);

/* Scalar constructors. */
struct vreg vreg_scalar(uint64_t umin, uint64_t umax);
static inline struct vreg vreg_const(uint64_t v)
{
	return vreg_scalar(v, v);
}
static inline int vreg_is_const(const struct vreg *r)
{
	return r->kind == VREG_SCALAR && r->umin == r->umax;
}
static inline int vreg_is_pointer(const struct vreg *r)
{
	return r->kind == VREG_CTX || r->kind == VREG_STACK || r->kind == VREG_PACKET ||
	       r->kind == VREG_PACKET_END || r->kind == VREG_MAP_PTR || r->kind == VREG_MAP_VALUE ||
	       r->kind == VREG_MAP_VALUE_OR_NULL;
}

/* dst OP src for scalars, OP the ALU or ALU64 instruction in (MOV, NEG,
 * END, signed div/mod and movsx included; src is the immediate as a
 * constant for the K form).  Sound: every run's result lies in the bounds. */
struct vreg scalar_alu(const struct ebpf_insn *in, struct vreg dst, struct vreg src);

/* The exact value of one ALU instruction on constants, with the kernel's
 * semantics (vm/interp.c does the same at run time). */
uint64_t alu_exact(const struct ebpf_insn *in, uint64_t a, uint64_t b);

/* Narrows r (a scalar) by the outcome of "r OP k" (unsigned compare, 64-bit
 * values).  Returns 0 if the outcome is impossible. */
int scalar_refine(struct vreg *r, uint8_t op, uint64_t k, int taken);

#endif
