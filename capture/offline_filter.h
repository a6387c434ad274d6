/* The engine offline filters run on, behind one indirection so the
 * command line names one place that chooses it (and tests or a future
 * engine can swap it). */
#ifndef BPFCAP_CAPTURE_OFFLINE_FILTER_H
#define BPFCAP_CAPTURE_OFFLINE_FILTER_H

#include <stdint.h>

#include "bpfcap.h"

struct offline_engine {
	const char *name;
	int (*load)(const struct bpfcap_prog *cbpf, enum bpfcap_engine engine,
		    struct bpfcap_filter **out, struct bpfcap_error *err);
	uint32_t (*run)(struct bpfcap_filter *f, const uint8_t *data, uint32_t caplen,
			uint32_t wirelen, const struct bpfcap_pkt_meta *meta);
	void (*free)(struct bpfcap_filter *f);
};

/* The engine offline.c uses: the library's (bpfcap_filter_load/run/free,
 * jit/engine.c). */
extern const struct offline_engine *const offline_engine;

#endif
