/* eBPF maps: what the verifier knows of a map, and the userspace map the
 * interpreter and the JIT run against (the kernel side is map_kernel.h).
 *
 * A program names a map with LD_IMM64 src = EBPF_PSEUDO_MAP_FD, imm = a
 * reference: in the kernel the map's file descriptor, in userspace an
 * index into the runner's map table (struct ebpf_run_env's map_addrs,
 * struct ebpf_jit_opts' map_addrs).  Either way the loader resolves it to
 * the map's address before the program runs, as the kernel does
 * (kernel/bpf/verifier.c, resolve_pseudo_ldimm64), so the program holds a
 * map pointer it may only pass to a helper.
 *
 * Only arrays are supported (BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PERCPU_ARRAY,
 * u32 keys): what counting needs.  A userspace per-CPU array has one CPU
 * slot: the userspace engines run a filter on the calling thread only, one
 * packet at a time, so there is nothing to sum (and the caller reads the
 * value directly).
 */
#ifndef BPFCAP_VM_MAP_H
#define BPFCAP_VM_MAP_H

#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h> /* BPF_MAP_TYPE_* */

#include "bpfcap.h"

/* A map as the verifier sees it (the kernel's struct bpf_map, reduced). */
struct ebpf_map_desc {
	int32_t fd;            /* what LD_IMM64's imm names: fd (kernel) or index (userspace) */
	uint32_t type;         /* BPF_MAP_TYPE_ARRAY or BPF_MAP_TYPE_PERCPU_ARRAY */
	uint32_t key_size;     /* 4 for arrays */
	uint32_t value_size;
	uint32_t max_entries;
};

/* A userspace array map: max_entries values of value_size bytes, each at
 * an 8-byte-aligned stride (as the kernel's array_map_alloc rounds
 * elem_size), zeroed at creation. */
struct ebpf_umap {
	struct ebpf_map_desc desc;
	size_t stride;
	uint8_t *values;       /* max_entries * stride bytes */
};

/* Creates an array (or per-CPU array: one slot) map; desc.fd is set to
 * index, the reference programs use for it.  0, BPFCAP_E_INVALID for a
 * type or size the userspace maps do not support, BPFCAP_E_NOMEM. */
int ebpf_umap_create(uint32_t type, uint32_t value_size, uint32_t max_entries, int32_t index,
		     struct ebpf_umap **out, struct bpfcap_error *err);

/* bpf_map_lookup_elem on an array: the value of key *(u32 *)key, or NULL
 * when the key is out of range (kernel/bpf/arraymap.c, array_map_lookup_elem). */
void *ebpf_umap_lookup(const struct ebpf_umap *m, const void *key);

/* The value memory (for the interpreter's regions): [values, values + bytes). */
size_t ebpf_umap_bytes(const struct ebpf_umap *m);

void ebpf_umap_free(struct ebpf_umap *m);

/* 1 if type is a map type this project's verifier and runners know. */
int ebpf_map_type_supported(uint32_t type);
const char *ebpf_map_type_name(uint32_t type);

#endif
