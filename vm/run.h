/* Running a translated filter in the interpreter: the context for its
 * target, the packet regions, and the helpers a filter may call.
 *
 * The helper table is exported so that the JIT binds the same functions:
 * bpf_get_smp_processor_id (8) answers sched_getcpu(), bpf_get_prandom_u32
 * (7) a xorshift generator whose state the caller owns (struct ebpf_rng,
 * passed as the helpers' user pointer): no global state. */
#ifndef BPFCAP_VM_RUN_H
#define BPFCAP_VM_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "bpfcap.h"
#include "interp.h"
#include "translate.h"

/* bpf_get_prandom_u32's state (xorshift64*).  Any seed; 0 is replaced by
 * a fixed nonzero one. */
struct ebpf_rng {
	uint64_t state;
};

void ebpf_rng_seed(struct ebpf_rng *rng, uint64_t seed);
uint32_t ebpf_rng_next(struct ebpf_rng *rng);

/* Helpers indexed by number, for struct ebpf_run_env's helpers (user: a
 * struct ebpf_rng *).  Entries other than 7 and 8 are NULL. */
#define EBPF_FILTER_NHELPERS 9
extern const ebpf_helper_fn ebpf_filter_helpers[EBPF_FILTER_NHELPERS];

/* Helpers for programs that use maps (counting programs): the table
 * above plus bpf_map_lookup_elem (1) over vm/map.h's userspace arrays.
 * user: a struct ebpf_helper_env *.  The lookup answers NULL for a map
 * pointer that is not one of env->maps (the verifier proved it is one; an
 * unverified program gets no wild pointer from it) and trusts the key
 * pointer, as the verifier proved it points to key_size stack bytes. */
struct ebpf_umap;
struct ebpf_helper_env {
	struct ebpf_rng *rng;            /* bpf_get_prandom_u32's state (may be NULL) */
	struct ebpf_umap *const *maps;   /* map i: LD_IMM64 pseudo-map imm = i */
	size_t nmaps;
};
extern const ebpf_helper_fn ebpf_map_helpers[EBPF_FILTER_NHELPERS];

/* At most this many maps per program in userspace. */
#define EBPF_RUN_MAX_MAPS 8

/* The map table of env as struct ebpf_run_env / ebpf_jit_opts take it
 * (addrs[i] = the address of map i).  Returns env->nmaps, or 0 if it is
 * above EBPF_RUN_MAX_MAPS. */
size_t ebpf_helper_env_addrs(const struct ebpf_helper_env *env, uint64_t addrs[EBPF_RUN_MAX_MAPS]);

/* Runs p (either target) on pkt[0..caplen) of a wirelen-byte packet with
 * metadata meta (NULL: zeros) in the interpreter; *ret = the filter's
 * return value (cBPF's: 0 rejects, else bytes to keep).  rng may be NULL
 * when p does not use the helpers.  0, or the interpreter's error (a
 * fault: p was not a verified program). */
int ebpf_prog_run_interp(const struct ebpf_prog *p, const uint8_t *pkt, uint32_t caplen,
			 uint32_t wirelen, const struct bpfcap_pkt_meta *meta, struct ebpf_rng *rng,
			 uint32_t *ret, struct bpfcap_error *err);

/* The same for a program that uses maps: helpers ebpf_map_helpers with
 * henv, pseudo-map loads resolved from henv->maps, the maps' values
 * writable by the program. */
int ebpf_prog_run_interp_maps(const struct ebpf_prog *p, const uint8_t *pkt, uint32_t caplen,
			      uint32_t wirelen, const struct bpfcap_pkt_meta *meta,
			      const struct ebpf_helper_env *henv, uint32_t *ret,
			      struct bpfcap_error *err);

#endif
