/* cBPF → eBPF translation (the kernel's bpf_convert_filter, in spirit).
 *
 * Register use (both targets): A = r0, X = r7, scratch memory M[0..15] on
 * the stack at r10 - 64 + 4*i, r6 = the context (LD_ABS/LD_IND need it
 * there), r1-r5 temporaries; direct: r9 = data, r8 = data_end; socket: r8
 * keeps A across LDX MSH's LD_ABS.  docs/DESIGN.md, "vm/translate", has
 * the code shapes and the decisions.  Every cBPF instruction a filter can
 * contain is translated; the semantics are libpcap's bpf_filter where it
 * and the kernel differ (a shift by X >= 32 gives 0), and a division or
 * modulo by X = 0 returns 0 from the program, as both do.
 *
 * Ancillary loads (SKF_AD_*): __sk_buff fields on the socket target,
 * struct bpfcap_pkt_meta fields on the direct target; CPU and RANDOM are
 * calls of bpf_get_smp_processor_id / bpf_get_prandom_u32 (helpers 8 and 7).
 * HATYPE has no __sk_buff field: on the socket target it is
 * BPFCAP_E_UNSUPPORTED (run the filter through SO_ATTACH_FILTER or in
 * userspace).  PAY_OFFSET, NLATTR and NLATTR_NEST are unsupported on both.
 *
 * The output's jumps are all forward and within ±32,767 instructions
 * (farther ones are bridged with JA chains), so any program the compiler
 * emits translates, whatever its length, up to EBPF_MAX_INSNS.
 */
#ifndef BPFCAP_VM_TRANSLATE_H
#define BPFCAP_VM_TRANSLATE_H

#include <stddef.h>

#include "bpfcap.h"
#include "context.h"
#include "ebpf.h"

/* The kernel's BPF_COMPLEXITY_LIMIT_INSNS for a privileged loader. */
#define EBPF_MAX_INSNS 1000000u

struct ebpf_prog {
	struct ebpf_insn *insns;
	size_t len;
	enum ebpf_target target;
	unsigned uses;            /* EBPF_USES_* */
};

/* What a program needs from its runner. */
#define EBPF_USES_HELPERS 0x1u  /* calls bpf_get_prandom_u32 / bpf_get_smp_processor_id */
#define EBPF_USES_NET_OFF 0x2u  /* reads relative to the network header (SKF_NET_OFF) */

/* Translate cbpf[0..len) for target.  The input must be a valid classic
 * program (jumps in range, ends in RET, scratch indices < 16): anything
 * else is BPFCAP_E_INVALID with the cBPF instruction index in the message.
 * On success *out owns its instructions (ebpf_prog_free). */
int ebpf_translate(const struct bpfcap_insn *cbpf, size_t len, enum ebpf_target target,
		   struct ebpf_prog *out, struct bpfcap_error *err);

void ebpf_prog_free(struct ebpf_prog *prog);

#endif
