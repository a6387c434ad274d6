/* The engine offline filters run on, behind one indirection so the
 * command line does not care which engine it is.
 *
 * INTERIM: until the library's engine (bpfcap_filter_load/run/free,
 * jit/engine.c) is in main, the functions behind this run the classic
 * program with libpcap's bpf_filter; --engine is accepted and recorded
 * but not yet honoured.  The lead points offline_engine at the library. */
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

/* The engine offline.c uses. */
extern const struct offline_engine *const offline_engine;

#endif
