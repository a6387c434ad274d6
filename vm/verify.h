/* The eBPF verifier: static checks before a program runs anywhere.
 *
 * Filters are loop-free: jumps go forward only, so the verifier walks the
 * instructions in order once, merging the abstract state of every edge
 * that reaches an instruction (registers: uninitialised, scalar with
 * bounds, context pointer, packet pointer with a proven range, packet end,
 * stack pointer; stack slots initialised or not).
 *
 * Checks, for each target: valid opcodes and fields, reserved fields zero;
 * jumps in range and forward only; every path reaches EXIT with r0 set; no
 * unreachable instruction; registers read only after being written (r1 and
 * r10 are live at entry); LD_ABS/LD_IND only with r6 holding the context,
 * r1-r5 unreadable after them and after CALL until written again; r10
 * read-only; stack accesses inside the 512-byte frame, aligned, and
 * initialised before being read; context accesses only to fields the
 * target allows, with their size; packet accesses (direct target) proven
 * inside [data, data_end); division by a constant zero rejected; CALL only
 * of the helpers the target allows; at most EBPF_MAX_INSNS instructions.
 *
 * Stricter than the kernel where filters do not need its latitude (see
 * docs/DESIGN.md "vm/verify": no uninitialised stack reads, no pointer
 * spills or leaks, no path-sensitivity).
 *
 * A rejection returns BPFCAP_E_INVALID (BPFCAP_E_TOOBIG for length,
 * BPFCAP_E_NOMEM if the verifier's own memory runs out) and a one-line
 * message: the instruction index, the instruction as
 * --dump=ebpf prints it, and what is wrong and why, e.g.
 *   "insn 7: (61) r2 = *(u32 *)(r1 +80): context offset 80 is not readable by a socket filter"
 */
#ifndef BPFCAP_VM_VERIFY_H
#define BPFCAP_VM_VERIFY_H

#include <stddef.h>

#include "bpfcap.h"
#include "context.h"
#include "ebpf.h"
#include "map.h"

int ebpf_verify(const struct ebpf_insn *prog, size_t len, enum ebpf_target target,
		struct bpfcap_error *err);

/* The same for a program that uses maps (vm/verify_call.c): maps[0..nmaps)
 * are the maps an LD_IMM64 pseudo-map may name (by fd), and the helper
 * bpf_map_lookup_elem (1) is allowed besides 7 and 8.  With maps NULL this
 * is ebpf_verify.  The rules and their messages: docs/DESIGN.md "vm/maps". */
int ebpf_verify_maps(const struct ebpf_insn *prog, size_t len, enum ebpf_target target,
		     const struct ebpf_map_desc *maps, size_t nmaps, struct bpfcap_error *err);

#endif
