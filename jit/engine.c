/* The library's filter engine (bpfcap.h: bpfcap_filter_*): a classic
 * program translated for the direct target, verified, and run by the JIT
 * or the interpreter.
 *
 * The direct target is the userspace form: the packet is a (data, data_end)
 * pair with explicit bounds checks the verifier proved, so caplen and
 * wirelen stay apart (a socket program only knows skb->len).  It lives in
 * jit/ because it is the one place that sees both engines; vm/ knows
 * nothing of the JIT. */
#include <stdlib.h>

#include "bpfcap.h"
#include "error.h"
#include "jit.h"
#include "run.h"
#include "translate.h"
#include "verify.h"

struct bpfcap_filter {
	enum bpfcap_engine engine;
	struct ebpf_prog prog;
	struct ebpf_jit_prog *jit;
	struct ebpf_rng rng; /* bpf_get_prandom_u32's state, per filter */
};

int bpfcap_filter_load(const struct bpfcap_prog *cbpf, enum bpfcap_engine engine,
		       struct bpfcap_filter **out, struct bpfcap_error *err)
{
	*out = NULL;
	if (!cbpf || !cbpf->insns || cbpf->len == 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "no program to load");
	if (engine != BPFCAP_ENGINE_JIT && engine != BPFCAP_ENGINE_INTERP)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "unknown engine %d", (int)engine);
	struct bpfcap_filter *f = calloc(1, sizeof *f);
	if (!f)
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory loading a filter");
	f->engine = engine;
	ebpf_rng_seed(&f->rng, (uint64_t)(uintptr_t)f);
	int rc = ebpf_translate(cbpf->insns, cbpf->len, EBPF_TARGET_DIRECT, &f->prog, err);
	if (!rc)
		rc = ebpf_verify(f->prog.insns, f->prog.len, EBPF_TARGET_DIRECT, err);
	if (!rc && engine == BPFCAP_ENGINE_JIT)
		rc = ebpf_prog_jit_compile(&f->prog, &f->rng, &f->jit, err);
	if (rc) {
		bpfcap_filter_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

uint32_t bpfcap_filter_run(struct bpfcap_filter *f, const uint8_t *data, uint32_t caplen,
			   uint32_t wirelen, const struct bpfcap_pkt_meta *meta)
{
	if (f->jit)
		return ebpf_prog_run_jit(f->jit, EBPF_TARGET_DIRECT, data, caplen, wirelen, meta);
	uint32_t ret = 0;
	/* A verified program cannot fault; were the interpreter to report one,
	 * the packet is rejected, as a failed load rejects it. */
	if (ebpf_prog_run_interp(&f->prog, data, caplen, wirelen, meta, &f->rng, &ret, NULL))
		return 0;
	return ret;
}

void bpfcap_filter_free(struct bpfcap_filter *f)
{
	if (!f)
		return;
	ebpf_jit_free(f->jit);
	ebpf_prog_free(&f->prog);
	free(f);
}
