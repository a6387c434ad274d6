/* A translated filter in the interpreter (see run.h). */
#include <sched.h>
#include <string.h>

#include "error.h"
#include "map.h"
#include "run.h"

void ebpf_rng_seed(struct ebpf_rng *rng, uint64_t seed)
{
	rng->state = seed ? seed : 0x9e3779b97f4a7c15ull;
}

/* xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift
 * generators"): the high half of the product is the output. */
uint32_t ebpf_rng_next(struct ebpf_rng *rng)
{
	uint64_t x = rng->state ? rng->state : 0x9e3779b97f4a7c15ull;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng->state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

static uint64_t helper_prandom_u32(void *user, uint64_t r1, uint64_t r2, uint64_t r3,
				   uint64_t r4, uint64_t r5)
{
	struct ebpf_rng local = { 0 };
	return ebpf_rng_next(user ? (struct ebpf_rng *)user : &local);
}

static uint64_t helper_smp_processor_id(void *user, uint64_t r1, uint64_t r2, uint64_t r3,
					uint64_t r4, uint64_t r5)
{
	int cpu = sched_getcpu();
	return cpu < 0 ? 0 : (uint64_t)(uint32_t)cpu;
}

const ebpf_helper_fn ebpf_filter_helpers[EBPF_FILTER_NHELPERS] = {
	[EBPF_HELPER_GET_PRANDOM_U32] = helper_prandom_u32,
	[EBPF_HELPER_GET_SMP_PROCESSOR_ID] = helper_smp_processor_id,
};

static uint64_t helper_prandom_env(void *user, uint64_t r1, uint64_t r2, uint64_t r3,
				   uint64_t r4, uint64_t r5)
{
	const struct ebpf_helper_env *env = user;
	return helper_prandom_u32(env ? env->rng : NULL, r1, r2, r3, r4, r5);
}

static uint64_t helper_map_lookup_elem(void *user, uint64_t r1, uint64_t r2, uint64_t r3,
				       uint64_t r4, uint64_t r5)
{
	const struct ebpf_helper_env *env = user;
	const struct ebpf_umap *m = (const struct ebpf_umap *)(uintptr_t)r1;
	for (size_t i = 0; env && i < env->nmaps; i++)
		if (env->maps[i] == m)
			return (uint64_t)(uintptr_t)ebpf_umap_lookup(m, (const void *)(uintptr_t)r2);
	return 0;
}

const ebpf_helper_fn ebpf_map_helpers[EBPF_FILTER_NHELPERS] = {
	[EBPF_HELPER_MAP_LOOKUP_ELEM] = helper_map_lookup_elem,
	[EBPF_HELPER_GET_PRANDOM_U32] = helper_prandom_env,
	[EBPF_HELPER_GET_SMP_PROCESSOR_ID] = helper_smp_processor_id,
};

size_t ebpf_helper_env_addrs(const struct ebpf_helper_env *env, uint64_t addrs[EBPF_RUN_MAX_MAPS])
{
	if (env->nmaps > EBPF_RUN_MAX_MAPS)
		return 0;
	for (size_t i = 0; i < env->nmaps; i++)
		addrs[i] = (uint64_t)(uintptr_t)env->maps[i];
	return env->nmaps;
}

/* Regions: the context, the packet (direct), each map's values. */
#define MAX_REGIONS (2 + EBPF_RUN_MAX_MAPS)

static int run_interp(const struct ebpf_prog *p, const uint8_t *pkt, uint32_t caplen,
		      uint32_t wirelen, const struct bpfcap_pkt_meta *meta,
		      const ebpf_helper_fn *helpers, void *user, const struct ebpf_helper_env *henv,
		      uint32_t *ret, struct bpfcap_error *err)
{
	static const struct bpfcap_pkt_meta none;
	static const uint8_t empty[1];
	const struct bpfcap_pkt_meta *m = meta ? meta : &none;
	struct ebpf_run_env env;
	struct ebpf_run_result res;
	struct ebpf_region regions[MAX_REGIONS];
	uint64_t addrs[EBPF_RUN_MAX_MAPS];
	struct __sk_buff skb;
	struct ebpf_direct_ctx dctx;

	if (!pkt)
		pkt = empty, caplen = 0;
	memset(&env, 0, sizeof env);
	env.helpers = helpers;
	env.nhelpers = EBPF_FILTER_NHELPERS;
	env.helper_user = user;
	env.regions = regions;
	if (p->target == EBPF_TARGET_SOCKET) {
		/* The packet is reached only through LD_ABS/LD_IND. */
		ebpf_skb_fill(&skb, wirelen, m);
		regions[0] = (struct ebpf_region){ &skb, sizeof skb, 0 };
		env.nregions = 1;
		env.r1 = (uint64_t)(uintptr_t)&skb;
		env.pkt = pkt;
		env.pkt_len = caplen;
		env.net_off = m->net_off;
	} else {
		ebpf_direct_fill(&dctx, pkt, caplen, wirelen, m);
		regions[0] = (struct ebpf_region){ &dctx, sizeof dctx, 0 };
		regions[1] = (struct ebpf_region){ (void *)(uintptr_t)pkt, caplen, 0 };
		env.nregions = 2;
		env.r1 = (uint64_t)(uintptr_t)&dctx;
	}
	if (henv && henv->nmaps) {
		if (!ebpf_helper_env_addrs(henv, addrs))
			return bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0, "more than %d maps",
					   EBPF_RUN_MAX_MAPS);
		for (size_t i = 0; i < henv->nmaps; i++)
			regions[env.nregions++] = (struct ebpf_region){
				henv->maps[i]->values, ebpf_umap_bytes(henv->maps[i]), 1 };
		env.map_addrs = addrs;
		env.nmaps = henv->nmaps;
	}
	int rc = ebpf_run(p->insns, p->len, &env, &res, err);
	if (rc)
		return rc;
	*ret = (uint32_t)res.r0;
	return 0;
}

int ebpf_prog_run_interp(const struct ebpf_prog *p, const uint8_t *pkt, uint32_t caplen,
			 uint32_t wirelen, const struct bpfcap_pkt_meta *meta, struct ebpf_rng *rng,
			 uint32_t *ret, struct bpfcap_error *err)
{
	return run_interp(p, pkt, caplen, wirelen, meta, ebpf_filter_helpers, rng, NULL, ret, err);
}

int ebpf_prog_run_interp_maps(const struct ebpf_prog *p, const uint8_t *pkt, uint32_t caplen,
			      uint32_t wirelen, const struct bpfcap_pkt_meta *meta,
			      const struct ebpf_helper_env *henv, uint32_t *ret,
			      struct bpfcap_error *err)
{
	return run_interp(p, pkt, caplen, wirelen, meta, ebpf_map_helpers, (void *)henv, henv, ret,
			  err);
}
