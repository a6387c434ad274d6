/* -d, -dd, -ddd and --dump=STAGE: one stage of the pipeline printed
 * instead of capturing.  The filter is compiled in the mode the command
 * would capture with: live with -i (and no -r or -y), offline otherwise.
 *
 * The eBPF shown is the eBPF the command would run: the socket target when
 * the filter runs in the kernel (live with the default engine, or
 * --engine=kernel), the direct target when it runs in userspace (offline,
 * or --engine=jit|interp).  --dump=jit always shows the direct target: the
 * kernel JITs socket programs itself. */
#include <stdio.h>
#include <stdlib.h>

#include "dump_stages.h"
#include "iface.h"
#include "live_filter.h"
#include "ebpf_dump.h"
#include "filter_select.h"
#include "jit.h"
#include "run.h"
#include "translate.h"
#include "verify.h"

static enum ebpf_target target_for(const struct options *o, enum bpfcap_mode mode)
{
	if (o->dump_stage == DUMP_JIT)
		return EBPF_TARGET_DIRECT;
	if (o->engine == ENGINE_KERNEL)
		return EBPF_TARGET_SOCKET;
	if (o->engine == ENGINE_DEFAULT && mode == BPFCAP_MODE_LIVE)
		return EBPF_TARGET_SOCKET;
	return EBPF_TARGET_DIRECT;
}

/* Prints a dump function's text: need = f(NULL, 0), then the text. */
static int print_text(char *text, size_t need)
{
	if (!text) {
		fprintf(stderr, "bpfcap: out of memory (a dump of %zu bytes)\n", need);
		return 1;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}

static int dump_ebpf(const struct ebpf_prog *ep, int raw)
{
	size_t need = ebpf_dump(ep->insns, ep->len, raw, NULL, 0);
	char *text = malloc(need + 1);
	if (text)
		ebpf_dump(ep->insns, ep->len, raw, text, need + 1);
	return print_text(text, need);
}

static int dump_jit(const struct ebpf_prog *ep)
{
	struct bpfcap_error err = { 0 };
	struct ebpf_rng rng;
	ebpf_rng_seed(&rng, 1);
	struct ebpf_jit_prog *jp = NULL;
	if (ebpf_prog_jit_compile(ep, &rng, &jp, &err)) {
		fprintf(stderr, "bpfcap: JIT: %s\n", err.msg);
		return 1;
	}
	size_t need = ebpf_jit_dump(jp, ep->insns, ep->len, NULL, 0);
	char *text = malloc(need + 1);
	if (text)
		ebpf_jit_dump(jp, ep->insns, ep->len, text, need + 1);
	ebpf_jit_free(jp);
	return print_text(text, need);
}

/* With -i (and neither -r nor -y) the program is the one a capture on
 * the interface attaches: its link type, live mode, its netmask. */
static int compile_for_dump(const struct options *o, struct iface *ifc, enum bpfcap_mode *mode,
			    struct bpfcap_prog *prog)
{
	if (o->interface && !o->read_file && !o->linktype_name) {
		char err[256];
		if (iface_lookup(o->interface, ifc, err, sizeof err)) {
			fprintf(stderr, "bpfcap: %s\n", err);
			return 1;
		}
		*mode = BPFCAP_MODE_LIVE;
		return compile_filter_netmask(o, ifc->dlt, BPFCAP_MODE_LIVE, ifc->netmask, prog);
	}
	*mode = BPFCAP_MODE_OFFLINE;
	int linktype = select_linktype(o);
	if (linktype < 0)
		return 1;
	return compile_filter(o, linktype, BPFCAP_MODE_OFFLINE, prog);
}

int dump_stage(const struct options *o)
{
	struct bpfcap_prog prog = { 0 };
	struct iface ifc;
	enum bpfcap_mode mode;
	if (compile_for_dump(o, &ifc, &mode, &prog))
		return 1;
	int rc = 1;
	if (o->dump_level || o->dump_stage == DUMP_CBPF) {
		/* -d, -dd, -ddd: tcpdump's three formats; --dump=cbpf is -d. */
		int level = o->dump_level ? o->dump_level : 1;
		size_t need = bpfcap_dump_cbpf(&prog, level, NULL, 0);
		char *text = malloc(need + 1);
		if (text)
			bpfcap_dump_cbpf(&prog, level, text, need + 1);
		rc = print_text(text, need);
		bpfcap_prog_free(&prog);
		return rc;
	}
	enum ebpf_target target = target_for(o, mode);
	/* The socket program of a live capture is the one the kernel gets:
	 * rebased for a cooked socket, behind the direction prologue. */
	if (mode == BPFCAP_MODE_LIVE && target == EBPF_TARGET_SOCKET &&
	    live_kernel_program(o, &ifc, &prog)) {
		fprintf(stderr, "bpfcap: this filter runs in userspace on %s (it reads cooked header "
				"fields the kernel does not have)\n", ifc.name);
		bpfcap_prog_free(&prog);
		return 1;
	}
	struct ebpf_prog ep = { 0 };
	struct bpfcap_error err = { 0 };
	if (ebpf_translate(prog.insns, prog.len, target, &ep, &err)) {
		fprintf(stderr, "bpfcap: translating to eBPF (%s target): %s\n",
			ebpf_target_name(target), err.msg);
	} else if (ebpf_verify(ep.insns, ep.len, target, &err)) {
		fprintf(stderr, "bpfcap: the verifier rejects the %s program: %s\n",
			ebpf_target_name(target), err.msg);
	} else if (o->dump_stage == DUMP_JIT) {
		rc = dump_jit(&ep);
	} else {
		rc = dump_ebpf(&ep, o->dump_stage == DUMP_EBPF_RAW);
	}
	ebpf_prog_free(&ep);
	bpfcap_prog_free(&prog);
	return rc;
}
