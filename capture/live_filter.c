/* See live_filter.h. */
#include "live_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "elf_cli.h"
#include "cbpf.h"
#include "filter_select.h"
#include "kfilter.h"
#include "map_kernel.h"
#include "translate.h"
#include "verify.h"

const char *live_engine_name(enum engine_choice e)
{
	switch (e) {
	case ENGINE_DEFAULT:
	case ENGINE_KERNEL: return "kernel";
	case ENGINE_CBPF: return "cbpf";
	case ENGINE_JIT: return "jit";
	case ENGINE_INTERP: return "interp";
	}
	return "?";
}

static int copy_prog(const struct bpfcap_prog *from, struct bpfcap_prog *to)
{
	to->len = from->len;
	to->insns = malloc((from->len ? from->len : 1) * sizeof *to->insns);
	if (!to->insns)
		return -1;
	memcpy(to->insns, from->insns, from->len * sizeof *to->insns);
	return 0;
}

/* "ret #snaplen": what the kernel runs when userspace filters. */
static int snap_only_prog(uint32_t snaplen, struct bpfcap_prog *to)
{
	to->insns = calloc(1, sizeof *to->insns);
	if (!to->insns)
		return -1;
	to->insns[0] = (struct bpfcap_insn){ CBPF_RET | CBPF_K, 0, 0, snaplen };
	to->len = 1;
	return 0;
}

/* Our eBPF for the socket target, verified by us, loaded by the kernel. */
static int attach_kernel_ebpf(int fd, const struct bpfcap_prog *kprog, char *err, size_t errsz)
{
	struct ebpf_prog ep = { 0 };
	struct bpfcap_error e = { 0 };
	if (ebpf_translate(kprog->insns, kprog->len, EBPF_TARGET_SOCKET, &ep, &e) ||
	    ebpf_verify(ep.insns, ep.len, EBPF_TARGET_SOCKET, &e)) {
		snprintf(err, errsz, "%s", e.msg);
		ebpf_prog_free(&ep);
		return -1;
	}
	int rc = attach_ebpf(fd, &ep, err, errsz);
	ebpf_prog_free(&ep);
	return rc;
}

/* --count and --stats with the kernel engine: the filter wrapped by a
 * counter (vm/count.h), the counters map pinned if asked.  0, or -1 with
 * a message in err (the caller falls back to counting in userspace). */
static int attach_kernel_counting(const struct options *o, int fd, const struct bpfcap_prog *kprog,
				  struct live_filter *lf, char *err, size_t errsz)
{
	struct ebpf_kcount *kc = calloc(1, sizeof *kc);
	struct bpfcap_error e = { 0 };
	if (!kc) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	enum ebpf_count_mode mode = o->count_only ? EBPF_COUNT_ONLY : EBPF_COUNT_STATS;
	if (ebpf_kcount_open(kprog, mode, kc, &e)) {
		snprintf(err, errsz, "%s", e.msg);
		free(kc);
		return -1;
	}
	int prog = ebpf_kcount_load(kc, NULL, 0, &e);
	if (prog < 0)
		snprintf(err, errsz, "%s", e.msg);
	if (prog < 0 || attach_prog_fd(fd, prog, err, errsz)) {
		ebpf_kcount_close(kc);
		free(kc);
		return -1;
	}
	lf->kcount = kc;
	lf->kcount_only = mode == EBPF_COUNT_ONLY;
	return 0;
}

int live_filter_counts(const struct live_filter *lf, struct bpfcap_counts *out)
{
	struct bpfcap_error e;
	if (!lf->kcount)
		return -1;
	return ebpf_kcount_read(lf->kcount, out, &e) ? -1 : 0;
}

/* Tries the kernel engines from lf->engine down; returns 0 when one took
 * the program, with lf->engine saying which, or -1 when userspace must
 * filter. */
static int attach_in_kernel(int fd, const struct bpfcap_prog *kprog, struct live_filter *lf)
{
	char err[512];
	if (lf->engine == ENGINE_KERNEL) {
		if (!attach_kernel_ebpf(fd, kprog, err, sizeof err))
			return 0;
		fprintf(stderr, "bpfcap: the kernel did not take the eBPF filter (%s); "
				"attaching the classic filter\n", err);
		lf->engine = ENGINE_CBPF;
	}
	if (!attach_cbpf(fd, kprog, err, sizeof err))
		return 0;
	fprintf(stderr, "bpfcap: the kernel did not take the classic filter (%s); "
			"filtering in userspace with the JIT\n", err);
	lf->engine = ENGINE_JIT;
	return -1;
}

/* The userspace side: the kernel only applies direction and snap length. */
static int attach_userspace(const struct options *o, int fd, uint32_t snaplen,
			    const struct iface *ifc, const struct bpfcap_prog *prog,
			    int has_expression, struct live_filter *lf)
{
	struct bpfcap_prog kprog = { 0 };
	char err[512];
	if (snap_only_prog(snaplen, &kprog) ||
	    kfilter_add_direction(&kprog, o->direction, ifc->lo_ifindex)) {
		bpfcap_prog_free(&kprog);
		fprintf(stderr, "bpfcap: out of memory\n");
		return 1;
	}
	int rc = attach_cbpf(fd, &kprog, err, sizeof err);
	bpfcap_prog_free(&kprog);
	if (rc) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return 1;
	}
	if (!has_expression)
		return 0;
	struct bpfcap_error e = { 0 };
	enum bpfcap_engine engine = lf->engine == ENGINE_INTERP ? BPFCAP_ENGINE_INTERP
								: BPFCAP_ENGINE_JIT;
	if (bpfcap_filter_load(prog, engine, &lf->user, &e)) {
		fprintf(stderr, "bpfcap: cannot load the filter: %s\n", e.msg);
		return 1;
	}
	return 0;
}

int live_kernel_program(const struct options *o, const struct iface *ifc,
			struct bpfcap_prog *prog)
{
	if (ifc->cooked && kfilter_rebase_sll2(prog))
		return -1;
	return kfilter_add_direction(prog, o->direction, ifc->lo_ifindex);
}

uint32_t live_filter_run(struct live_filter *lf, const uint8_t *data, uint32_t caplen,
			 uint32_t wirelen, const struct bpfcap_pkt_meta *meta)
{
	if (lf->user)
		return bpfcap_filter_run(lf->user, data, caplen, wirelen, meta);
	if (lf->elf_in_userspace)
		return elf_filter_run(lf->elf, data, caplen, wirelen, meta);
	return 1;
}

/* --filter-elf live: the object's socket filter in the kernel, or, if the
 * kernel refuses it (or --engine=jit|interp), run by us on each frame.
 * The object replaces the whole kernel program, so -Q cannot be added. */
static int setup_elf_filter(const struct options *o, const struct iface *ifc, int fd,
			    uint32_t snaplen, struct live_filter *lf)
{
	if (o->direction != DIR_INOUT || lf->engine == ENGINE_CBPF) {
		fprintf(stderr, "bpfcap: --filter-elf runs the object's eBPF as it is: "
				"-Q and --engine=cbpf cannot apply to it\n");
		return 1;
	}
	if (!(lf->elf = elf_filter_open(o)))
		return 1;
	char err[512];
	if (lf->engine == ENGINE_KERNEL) {
		if (!elf_filter_attach(lf->elf, fd, err, sizeof err))
			return 0;
		fprintf(stderr, "bpfcap: the kernel did not take %s (%s); filtering in userspace\n",
			o->filter_elf, err);
		lf->engine = ENGINE_JIT;
	}
	lf->elf_in_userspace = 1;
	return attach_userspace(o, fd, snaplen, ifc, NULL, 0, lf);
}

int live_filter_setup(const struct options *o, const struct iface *ifc, int fd, uint32_t snaplen,
		      struct live_filter *lf)
{
	memset(lf, 0, sizeof *lf);
	lf->engine = o->engine == ENGINE_DEFAULT ? ENGINE_KERNEL : o->engine;
	if (o->filter_elf)
		return setup_elf_filter(o, ifc, fd, snaplen, lf);
	struct bpfcap_prog prog = { 0 }, kprog = { 0 };
	if (compile_filter_netmask(o, ifc->dlt, BPFCAP_MODE_LIVE, ifc->netmask, &prog))
		return 1;
	int in_kernel = lf->engine == ENGINE_KERNEL || lf->engine == ENGINE_CBPF;
	if (copy_prog(&prog, &kprog)) {
		bpfcap_prog_free(&prog);
		fprintf(stderr, "bpfcap: out of memory\n");
		return 1;
	}
	if (in_kernel && live_kernel_program(o, ifc, &kprog)) {
		fprintf(stderr, "bpfcap: the filter reads LINUX_SLL2 header fields a cooked socket "
				"does not have in the kernel; filtering in userspace with the JIT\n");
		lf->engine = ENGINE_JIT;
		in_kernel = 0;
	}
	int rc = 0;
	int counting = o->count_only || o->stats_seconds;
	char err[512];
	if (in_kernel && counting && lf->engine == ENGINE_KERNEL &&
	    attach_kernel_counting(o, fd, &kprog, lf, err, sizeof err))
		fprintf(stderr, "bpfcap: the kernel did not take the counting program (%s); "
				"counting in userspace\n", err);
	if (in_kernel && !lf->kcount && attach_in_kernel(fd, &kprog, lf))
		in_kernel = 0;
	struct bpfcap_error e = { 0 };
	if (o->pin_path && !lf->kcount) {
		fprintf(stderr, "bpfcap: --pin: no counters map (the kernel engine counts in one)\n");
		rc = 1;
	} else if (o->pin_path && ebpf_kcount_pin(lf->kcount, o->pin_path, &e)) {
		fprintf(stderr, "bpfcap: --pin: %s\n", e.msg);
		rc = 1;
	}
	if (!rc && !in_kernel)
		rc = attach_userspace(o, fd, snaplen, ifc, &prog, !expression_is_empty(o->expression),
				      lf);
	bpfcap_prog_free(&kprog);
	bpfcap_prog_free(&prog);
	return rc;
}

void live_filter_free(struct live_filter *lf)
{
	elf_filter_free(lf->elf);
	lf->elf = NULL;
	if (lf->kcount) {
		ebpf_kcount_close(lf->kcount);
		free(lf->kcount);
		lf->kcount = NULL;
	}
	bpfcap_filter_free(lf->user);
	lf->user = NULL;
}
