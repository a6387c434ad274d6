/* The x86-64 JIT: verified eBPF to native code in W^X memory.
 *
 * The compiled function has the interpreter's entry: r1 = ctx, and for the
 * legacy LD_ABS/LD_IND the packet (pkt, pkt_len) and the network header's
 * offset in it (SKF_NET_OFF), exactly as struct ebpf_run_env gives them to
 * ebpf_run.  Helpers are bound at compile time (the same table and user
 * pointer the interpreter takes).  Input must have passed ebpf_verify: the
 * JIT does not check memory accesses the verifier proved.
 */
#ifndef BPFCAP_JIT_JIT_H
#define BPFCAP_JIT_JIT_H

#include <stddef.h>
#include <stdint.h>

#include "bpfcap.h"
#include "ebpf.h"
#include "interp.h" /* ebpf_helper_fn */

typedef uint64_t (*ebpf_jit_fn)(uint64_t ctx, const uint8_t *pkt, uint64_t pkt_len,
				uint64_t net_off);

struct ebpf_jit_opts {
	const ebpf_helper_fn *helpers; /* helpers[id] for CALL imm=id */
	size_t nhelpers;
	void *helper_user;
};

struct ebpf_jit_prog; /* opaque: code pages, size, per-insn offsets */

int ebpf_jit_compile(const struct ebpf_insn *prog, size_t len, const struct ebpf_jit_opts *opts,
		     struct ebpf_jit_prog **out, struct bpfcap_error *err);

/* The same with a map table: LD_IMM64 pseudo-map imm = i becomes
 * map_addrs[i] (vm/interp.h's rule), resolved at compile time as the
 * kernel resolves an fd at load time. */
int ebpf_jit_compile_maps(const struct ebpf_insn *prog, size_t len,
			  const struct ebpf_jit_opts *opts, const uint64_t *map_addrs, size_t nmaps,
			  struct ebpf_jit_prog **out, struct bpfcap_error *err);

/* The entry point (valid until ebpf_jit_free). */
ebpf_jit_fn ebpf_jit_entry(const struct ebpf_jit_prog *jp);

/* --dump=jit: the native code disassembled, grouped under the eBPF
 * instruction each run of bytes came from.  Returns like snprintf. */
size_t ebpf_jit_dump(const struct ebpf_jit_prog *jp, const struct ebpf_insn *prog, size_t len,
		     char *buf, size_t size);

void ebpf_jit_free(struct ebpf_jit_prog *jp);

/* ---- translated filters (jit_run.c): the JIT's ebpf_prog_run_interp ---- */

struct ebpf_prog;
struct ebpf_rng;

/* Compiles a translated filter with vm/run.h's helpers bound, rng as
 * bpf_get_prandom_u32's state (it must outlive the compiled program; NULL
 * when the filter does not use the helpers). */
int ebpf_prog_jit_compile(const struct ebpf_prog *p, struct ebpf_rng *rng,
			  struct ebpf_jit_prog **out, struct bpfcap_error *err);

/* The same for a program that uses maps: vm/run.h's ebpf_map_helpers
 * bound with henv (which must outlive the compiled program), pseudo-map
 * loads resolved from henv->maps now. */
struct ebpf_helper_env;
int ebpf_prog_jit_compile_maps(const struct ebpf_prog *p, const struct ebpf_helper_env *henv,
			       struct ebpf_jit_prog **out, struct bpfcap_error *err);

/* Runs it on pkt[0..caplen) of a wirelen-byte packet with metadata meta
 * (NULL: zeros), building target's context as ebpf_prog_run_interp does;
 * returns the filter's result (0 rejects, else bytes to keep). */
uint32_t ebpf_prog_run_jit(const struct ebpf_jit_prog *jp, int target, const uint8_t *pkt,
			   uint32_t caplen, uint32_t wirelen, const struct bpfcap_pkt_meta *meta);

#endif
