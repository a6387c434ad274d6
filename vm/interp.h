/* The eBPF interpreter: runs a program with the kernel's semantics, every
 * memory access checked against the regions the caller provides.
 *
 * No verification happens here (that is vm/verify's job): the interpreter
 * is safe on any input — a bad instruction, an access outside the regions,
 * a jump out of the program or a runaway loop stops the run with an error
 * value and a fault kind, never a crash.
 *
 * Registers hold host addresses: r1 = (uintptr_t)buffer is how a caller
 * passes memory.  r10 points at the top of a 512-byte stack the
 * interpreter owns (zeroed at entry; EBPF_MAX_CALL_FRAMES frames of 512
 * bytes for local calls, each callee's r10 512 bytes below its caller's).
 */
#ifndef BPFCAP_VM_INTERP_H
#define BPFCAP_VM_INTERP_H

#include <stddef.h>
#include <stdint.h>

#include "bpfcap.h"
#include "ebpf.h"

/* A helper: called with r1-r5, returns r0.  user is env->helper_user.
 * Pointers a helper receives are host addresses; checking them is the
 * helper's (and the verifier's) job.  The interpreter leaves r1-r5 as they
 * were, but programs must treat them as clobbered (the verifier enforces
 * that). */
typedef uint64_t (*ebpf_helper_fn)(void *user, uint64_t r1, uint64_t r2, uint64_t r3,
				   uint64_t r4, uint64_t r5);

/* Memory a program may touch besides its stack. */
struct ebpf_region {
	void *base;
	size_t len;
	int writable;  /* 0: loads only */
};

/* Instructions executed at most when env->budget is 0. */
#define EBPF_DEFAULT_BUDGET 1000000u

struct ebpf_run_env {
	uint64_t r1, r2;                    /* initial registers (others start at 0) */
	const struct ebpf_region *regions;  /* the context, packet, ... */
	size_t nregions;
	/* The packet for legacy LD_ABS/LD_IND (socket filters: skb->data). */
	const uint8_t *pkt;
	size_t pkt_len;
	size_t net_off;                     /* network header in pkt (SKF_NET_OFF) */
	/* helpers[id] for CALL imm=id (NULL entries: unknown helper). */
	const ebpf_helper_fn *helpers;
	size_t nhelpers;
	void *helper_user;
	uint64_t budget;                    /* instructions; 0: EBPF_DEFAULT_BUDGET */
	/* LD_IMM64 src = EBPF_PSEUDO_MAP_FD, imm = i loads map_addrs[i] (the
	 * map's address, as the kernel resolves an fd; vm/map.h).  The maps'
	 * values must be in regions (writable) for the program to use them. */
	const uint64_t *map_addrs;
	size_t nmaps;
};

/* Why a run stopped. */
enum ebpf_fault {
	EBPF_FAULT_NONE = 0,   /* EXIT, or LD_ABS/LD_IND out of bounds (r0 = 0) */
	EBPF_FAULT_INSN,       /* an instruction the interpreter does not accept */
	EBPF_FAULT_MEMORY,     /* a load or store outside every region */
	EBPF_FAULT_JUMP,       /* a jump or fall-through out of the program */
	EBPF_FAULT_HELPER,     /* a call to a helper not in the table */
	EBPF_FAULT_CALL_DEPTH, /* more than EBPF_MAX_CALL_FRAMES nested local calls */
	EBPF_FAULT_BUDGET,     /* env->budget instructions executed */
};

struct ebpf_run_result {
	uint64_t r0;           /* the return value (valid when fault is NONE) */
	enum ebpf_fault fault;
	size_t pc;             /* the instruction that faulted (or exited) */
	uint64_t steps;        /* instructions executed */
};

/* Runs prog[0..len) from instruction 0.  Returns 0 with res->r0 on a
 * normal end; on a fault BPFCAP_E_INVALID (BPFCAP_E_TOOBIG for the budget)
 * with res->fault, res->pc and a message naming the instruction in err.
 * res must not be NULL; err may be. */
int ebpf_run(const struct ebpf_insn *prog, size_t len, const struct ebpf_run_env *env,
	     struct ebpf_run_result *res, struct bpfcap_error *err);

/* Name of a fault kind ("memory", "budget", ...). */
const char *ebpf_fault_name(enum ebpf_fault f);

#endif
