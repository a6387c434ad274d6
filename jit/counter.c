/* The library's counter (bpfcap.h: bpfcap_counter_*): a classic program
 * translated for the direct target, wrapped into a counting program
 * (vm/count.h) over a userspace per-CPU array of one struct bpfcap_counts
 * (one CPU slot: vm/map.h), verified with that map, and run by the JIT or
 * the interpreter.  The kernel runs the same wrapping of the socket
 * translation for live --count (vm/map_kernel.h), so a count means the
 * same thing offline and live. */
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "count.h"
#include "error.h"
#include "jit.h"
#include "map.h"
#include "run.h"
#include "translate.h"
#include "verify.h"

/* The map's reference in the program: index 0 of the counter's table. */
#define COUNTER_MAP_INDEX 0

struct bpfcap_counter {
	struct ebpf_prog prog;
	struct ebpf_jit_prog *jit;
	struct ebpf_umap *map;
	struct ebpf_rng rng;
	struct ebpf_helper_env henv; /* bound into the JIT's code: lives as long */
};

static int build(const struct bpfcap_prog *cbpf, enum bpfcap_count_mode mode,
		 struct bpfcap_counter *c, struct bpfcap_error *err)
{
	struct ebpf_prog filter;
	int rc = ebpf_translate(cbpf->insns, cbpf->len, EBPF_TARGET_DIRECT, &filter, err);
	if (rc)
		return rc;
	rc = ebpf_count_wrap(&filter, mode == BPFCAP_COUNT_STATS ? EBPF_COUNT_STATS : EBPF_COUNT_ONLY,
			     COUNTER_MAP_INDEX, &c->prog, err);
	ebpf_prog_free(&filter);
	if (rc)
		return rc;
	return ebpf_verify_maps(c->prog.insns, c->prog.len, EBPF_TARGET_DIRECT, &c->map->desc, 1,
				err);
}

int bpfcap_counter_load(const struct bpfcap_prog *cbpf, enum bpfcap_engine engine,
			enum bpfcap_count_mode mode, struct bpfcap_counter **out,
			struct bpfcap_error *err)
{
	*out = NULL;
	if (!cbpf || !cbpf->insns || cbpf->len == 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "no program to load");
	if (engine != BPFCAP_ENGINE_JIT && engine != BPFCAP_ENGINE_INTERP)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "unknown engine %d", (int)engine);
	if (mode != BPFCAP_COUNT_ONLY && mode != BPFCAP_COUNT_STATS)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "unknown count mode %d", (int)mode);
	struct bpfcap_counter *c = calloc(1, sizeof *c);
	if (!c)
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory loading a counter");
	ebpf_rng_seed(&c->rng, (uint64_t)(uintptr_t)c);
	int rc = ebpf_umap_create(BPF_MAP_TYPE_PERCPU_ARRAY, EBPF_COUNT_VALUE_SIZE,
				  EBPF_COUNT_MAX_ENTRIES, COUNTER_MAP_INDEX, &c->map, err);
	if (!rc) {
		c->henv = (struct ebpf_helper_env){ .rng = &c->rng, .maps = &c->map, .nmaps = 1 };
		rc = build(cbpf, mode, c, err);
	}
	if (!rc && engine == BPFCAP_ENGINE_JIT)
		rc = ebpf_prog_jit_compile_maps(&c->prog, &c->henv, &c->jit, err);
	if (rc) {
		bpfcap_counter_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

uint32_t bpfcap_counter_run(struct bpfcap_counter *c, const uint8_t *data, uint32_t caplen,
			    uint32_t wirelen, const struct bpfcap_pkt_meta *meta)
{
	if (c->jit)
		return ebpf_prog_run_jit(c->jit, EBPF_TARGET_DIRECT, data, caplen, wirelen, meta);
	uint32_t ret = 0;
	/* A verified program cannot fault (see bpfcap_filter_run). */
	if (ebpf_prog_run_interp_maps(&c->prog, data, caplen, wirelen, meta, &c->henv, &ret, NULL))
		return 0;
	return ret;
}

void bpfcap_counter_read(const struct bpfcap_counter *c, struct bpfcap_counts *out)
{
	uint32_t key = 0;
	memcpy(out, ebpf_umap_lookup(c->map, &key), sizeof *out);
}

void bpfcap_counter_free(struct bpfcap_counter *c)
{
	if (!c)
		return;
	ebpf_jit_free(c->jit);
	ebpf_prog_free(&c->prog);
	ebpf_umap_free(c->map);
	free(c);
}
