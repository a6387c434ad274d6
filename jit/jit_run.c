/* A translated filter through the JIT: the contexts and helpers of
 * vm/run.c's ebpf_prog_run_interp, so both engines run a filter alike. */
#include <string.h>

#include "error.h"
#include "jit.h"
#include "run.h"

int ebpf_prog_jit_compile(const struct ebpf_prog *p, struct ebpf_rng *rng,
			  struct ebpf_jit_prog **out, struct bpfcap_error *err)
{
	struct ebpf_jit_opts opts = { ebpf_filter_helpers, EBPF_FILTER_NHELPERS, rng };
	return ebpf_jit_compile(p->insns, p->len, &opts, out, err);
}

int ebpf_prog_jit_compile_maps(const struct ebpf_prog *p, const struct ebpf_helper_env *henv,
			       struct ebpf_jit_prog **out, struct bpfcap_error *err)
{
	uint64_t addrs[EBPF_RUN_MAX_MAPS];
	size_t n = ebpf_helper_env_addrs(henv, addrs);
	if (henv->nmaps && !n)
		return bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0, "jit: more than %d maps",
				   EBPF_RUN_MAX_MAPS);
	struct ebpf_jit_opts opts = { ebpf_map_helpers, EBPF_FILTER_NHELPERS, (void *)henv };
	return ebpf_jit_compile_maps(p->insns, p->len, &opts, addrs, n, out, err);
}

uint32_t ebpf_prog_run_jit(const struct ebpf_jit_prog *jp, int target, const uint8_t *pkt,
			   uint32_t caplen, uint32_t wirelen, const struct bpfcap_pkt_meta *meta)
{
	static const struct bpfcap_pkt_meta none;
	static const uint8_t empty[1];
	const struct bpfcap_pkt_meta *m = meta ? meta : &none;
	if (!pkt)
		pkt = empty, caplen = 0;
	ebpf_jit_fn fn = ebpf_jit_entry(jp);
	if (target == EBPF_TARGET_SOCKET) {
		struct __sk_buff skb;
		ebpf_skb_fill(&skb, wirelen, m);
		return (uint32_t)fn((uint64_t)(uintptr_t)&skb, pkt, caplen, m->net_off);
	}
	struct ebpf_direct_ctx dctx;
	ebpf_direct_fill(&dctx, pkt, caplen, wirelen, m);
	return (uint32_t)fn((uint64_t)(uintptr_t)&dctx, pkt, caplen, m->net_off);
}
