/* Offline filters run on the library's engine: the classic program
 * translated to eBPF for the direct target, verified, then JIT-compiled
 * (default) or interpreted (--engine=interp). */
#include "offline_filter.h"

static const struct offline_engine library_engine = {
	.name = "bpfcap_filter (jit/engine.c)",
	.load = bpfcap_filter_load,
	.run = bpfcap_filter_run,
	.free = bpfcap_filter_free,
};

const struct offline_engine *const offline_engine = &library_engine;
