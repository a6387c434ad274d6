/* A generator of random eBPF programs that are safe by construction, for
 * differential tests (diff_jit): every register and stack byte written
 * before it is read; packet reads behind the bounds-check shapes of the
 * direct target (/tmp/direct_pattern.md: r9 = data, r8 = data_end) or
 * through LD_ABS/LD_IND with r6 = ctx (socket target); r1-r5 written again
 * after LD_ABS/LD_IND and calls; every ALU/ALU64 op with edge immediates
 * (div/mod by zero and huge shift counts through registers: the verifier
 * refuses them as constants), movsx, byte swaps, LD_IMM64, JMP/JMP32 of
 * every condition (forward; JA inside a diamond, so nothing is
 * unreachable), stack loads/stores of every size, calls of helpers 7 and 8.  Every program passes ebpf_verify for its target
 * (diff_jit checks).  The generator state is one xorshift64* word. */
#ifndef BPFCAP_TEST_EBPF_GEN_H
#define BPFCAP_TEST_EBPF_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "ebpf.h"

/* The values of enum ebpf_target (context.h, which includes <linux/bpf.h>:
 * this header is used beside <pcap.h>, whose struct bpf_insn clashes). */
enum egen_target { EGEN_SOCKET = 0, EGEN_DIRECT = 1 };

/* The helpers generated programs call (context.h's EBPF_HELPER_*). */
#define EGEN_HELPER_PRANDOM 7
#define EGEN_HELPER_CPU 8
#define EGEN_NHELPERS 9

#define EGEN_MAX_PROG (80 * 24 + 64)

/* The random state: seed it (non-zero) before use. */
extern uint64_t egen_rng_state;
uint64_t egen_rnd(void);
uint32_t egen_below(uint32_t n);

/* A new program in out; returns its length, *target what it was made for. */
size_t egen_program(struct ebpf_insn out[EGEN_MAX_PROG], enum egen_target *target);

/* The context a program of target runs with over pkt[0..len), random
 * metadata; returns its size. */
union egen_ctx {
	uint64_t align;
	uint8_t bytes[256]; /* a struct ebpf_direct_ctx or a struct __sk_buff */
};
size_t egen_context(enum egen_target target, union egen_ctx *ctx, const uint8_t *pkt, size_t len,
		    size_t net_off);

#endif
