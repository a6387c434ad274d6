/* Userspace array maps (see map.h). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "map.h"

int ebpf_map_type_supported(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

const char *ebpf_map_type_name(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH: return "hash";
	case BPF_MAP_TYPE_ARRAY: return "array";
	case BPF_MAP_TYPE_PERCPU_HASH: return "percpu_hash";
	case BPF_MAP_TYPE_PERCPU_ARRAY: return "percpu_array";
	case BPF_MAP_TYPE_RINGBUF: return "ringbuf";
	default: return "unknown";
	}
}

int ebpf_umap_create(uint32_t type, uint32_t value_size, uint32_t max_entries, int32_t index,
		     struct ebpf_umap **out, struct bpfcap_error *err)
{
	*out = NULL;
	if (!ebpf_map_type_supported(type))
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "map type %u (%s) is not supported (arrays only)", type,
				   ebpf_map_type_name(type));
	/* The kernel's array_map_alloc_check: a value fits in a page-ish
	 * bound (KMALLOC_MAX_SIZE); ours is smaller and enough for counters. */
	if (value_size == 0 || value_size > 4096 || max_entries == 0 || max_entries > 65536)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "array map of %u values of %u bytes: sizes out of range", max_entries,
				   value_size);
	struct ebpf_umap *m = calloc(1, sizeof *m);
	if (!m)
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory creating a map");
	m->desc = (struct ebpf_map_desc){ .fd = index, .type = type, .key_size = 4,
					  .value_size = value_size, .max_entries = max_entries };
	m->stride = ((size_t)value_size + 7) & ~(size_t)7;
	m->values = calloc(max_entries, m->stride);
	if (!m->values) {
		free(m);
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory creating a map");
	}
	*out = m;
	return 0;
}

void *ebpf_umap_lookup(const struct ebpf_umap *m, const void *key)
{
	uint32_t k;
	memcpy(&k, key, sizeof k);
	if (k >= m->desc.max_entries)
		return NULL;
	return m->values + (size_t)k * m->stride;
}

size_t ebpf_umap_bytes(const struct ebpf_umap *m)
{
	return (size_t)m->desc.max_entries * m->stride;
}

void ebpf_umap_free(struct ebpf_umap *m)
{
	if (!m)
		return;
	free(m->values);
	free(m);
}
