/* The verifier's rules for helper calls and maps (internal to
 * vm/verify*.c; see vm/verify_call.c).  Each check returns 0, or -1 with
 * why[0..whysz) for the caller's "insn N: (op) image: why" message. */
#ifndef BPFCAP_VM_VERIFY_CALL_H
#define BPFCAP_VM_VERIFY_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "map.h"
#include "verify_state.h"

struct vcall_maps {
	const struct ebpf_map_desc *maps; /* NULL: no map table (ebpf_verify) */
	size_t nmaps;
};

/* Pass 1, LD_IMM64 with src = EBPF_PSEUDO_MAP_FD: imm must name a map of
 * the table and the second slot's imm must be 0 (the kernel's
 * resolve_pseudo_ldimm64 refuses anything else). */
int vcall_check_ld_map(const struct vcall_maps *m, const struct ebpf_insn *in,
		       const struct ebpf_insn *hi, char *why, size_t whysz);

/* Pass 2: the register that LD_IMM64 pseudo-map loads. */
struct vreg vcall_ld_map_reg(const struct vcall_maps *m, const struct ebpf_insn *in);

/* CALL of helper id at pc: the helper allowed on target, its arguments as
 * the kernel's check_helper_call checks them for a socket filter, and *r0,
 * its result (the caller then clobbers r1-r5).  next_id names lookups. */
int vcall_helper(const struct vcall_maps *m, enum ebpf_target target, const struct vstate *st,
		 int32_t id, size_t pc, uint32_t *next_id, struct vreg *r0, char *why, size_t whysz);

/* An access of size bytes at p + off (p a map kind held by reg): inside
 * [0, value_size) of a value, never through a map pointer or a value not
 * yet NULL-checked.  write: a store (map values are writable). */
int vcall_map_access(const struct vcall_maps *m, const struct vreg *p, int reg, int64_t off,
		     unsigned size, int write, char *why, size_t whysz);

/* A conditional jump in whose operands a map kind appears.  The one
 * comparison allowed: a lookup's result against 0 with JEQ/JNE (64-bit,
 * immediate 0), which makes every register holding that result a value on
 * the non-NULL side and the number 0 on the other (the kernel's
 * mark_ptr_or_null_regs).  fall is the state if not taken, taken if taken. */
int vcall_cond_jump(const struct ebpf_insn *in, const struct vreg *dst, const struct vreg *src,
		    struct vstate *fall, struct vstate *taken, char *why, size_t whysz);

/* 1 if r is a map kind (the callers route it here). */
static inline int vcall_is_map_kind(const struct vreg *r)
{
	return r->kind == VREG_MAP_PTR || r->kind == VREG_MAP_VALUE ||
	       r->kind == VREG_MAP_VALUE_OR_NULL;
}

#endif
