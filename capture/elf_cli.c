/* --emit-elf and --filter-elf (see elf_cli.h and docs/DESIGN.md "vm/elf").
 *
 * The three object kinds:
 *   socket  the socket translation, verdict = the snap length as usual,
 *           compiled in live mode (a socket filter sees the outer VLAN tag
 *           in skb->vlan_*, as bpfcap's own live capture does), or offline
 *           with -y (for frames as a file holds them, tags inline);
 *   tc      the same program with the verdict turned into TC_ACT_OK (match)
 *           or TC_ACT_SHOT, and its packet loads guarded by skb->len (a
 *           failing LD_ABS would return 0, TC_ACT_OK, on its own): SCHED_CLS accepts LD_ABS/LD_IND, and at tc
 *           ingress the outer tag is already in skb->vlan_*
 *           (__netif_receive_skb_core untags before taps and tc);
 *   xdp     the direct translation over struct xdp_md in offline mode (an
 *           XDP program sees the frame as the driver received it, tags
 *           inline), verdict XDP_PASS or XDP_DROP.
 * --on-match=drop swaps the two return codes: the expression becomes a
 * drop rule. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "ebpf_elf.h"
#include "elf_cli.h"
#include "filter_select.h"
#include "jit.h"
#include "run.h"
#include "translate_target.h"
#include "verify.h"

/* The object's license.  "GPL": the kernel lets only GPL-compatible
 * programs call gpl_only helpers (kernel/bpf/verifier.c, check_helper_call)
 * and a filter is generated code the user owns; declaring GPL keeps every
 * helper (bpf_get_prandom_u32 for `random`-style ancillary loads, and the
 * map helpers to come) available, as libbpf's own examples do. */
#define ELF_LICENSE "GPL"

static const char *section_for(enum elf_target t)
{
	return t == ELF_TARGET_TC ? "tc" : t == ELF_TARGET_XDP ? "xdp" : "socket";
}

/* Compiles, translates and wraps; 0 or 1 with the message printed. */
static int build_program(const struct options *o, struct ebpf_prog *ep)
{
	int linktype = select_linktype(o);
	if (linktype < 0)
		return 1;
	if (o->elf_target != ELF_TARGET_SOCKET && linktype != bpfcap_linktype_from_name("EN10MB")) {
		fprintf(stderr, "bpfcap: --target=%s objects see Ethernet frames: the link type must "
				"be EN10MB\n", section_for(o->elf_target));
		return 1;
	}
	/* A socket object with -y describes a file's frames: offline. */
	enum bpfcap_mode mode = o->elf_target == ELF_TARGET_XDP ||
					(o->elf_target == ELF_TARGET_SOCKET && o->linktype_name)
					? BPFCAP_MODE_OFFLINE
					: BPFCAP_MODE_LIVE;
	enum ebpf_target target = o->elf_target == ELF_TARGET_XDP ? EBPF_TARGET_XDP
								  : EBPF_TARGET_SOCKET;
	struct bpfcap_prog prog = { 0 };
	if (compile_filter(o, linktype, mode, &prog))
		return 1;
	struct bpfcap_error err = { 0 };
	int rc = ebpf_translate(prog.insns, prog.len, target, ep, &err);
	bpfcap_prog_free(&prog);
	if (rc) {
		fprintf(stderr, "bpfcap: translating to eBPF (%s target): %s\n",
			ebpf_target_name(target), err.msg);
		return 1;
	}
	/* tc: a failing LD_ABS returns 0, TC_ACT_OK, whatever the verdict. */
	if (o->elf_target == ELF_TARGET_TC && ebpf_guard_packet_loads(ep, &err)) {
		fprintf(stderr, "bpfcap: tc packet loads: %s\n", err.msg);
		return 1;
	}
	int32_t pass = o->elf_target == ELF_TARGET_TC ? TC_ACT_OK : XDP_PASS;
	int32_t drop = o->elf_target == ELF_TARGET_TC ? TC_ACT_SHOT : XDP_DROP;
	if (o->elf_target != ELF_TARGET_SOCKET &&
	    ebpf_wrap_verdict(ep, o->drop_on_match ? drop : pass, o->drop_on_match ? pass : drop,
			      &err)) {
		fprintf(stderr, "bpfcap: %s verdict: %s\n", section_for(o->elf_target), err.msg);
		return 1;
	}
	if (ebpf_verify(ep->insns, ep->len, target, &err)) {
		fprintf(stderr, "bpfcap: the verifier rejects the %s program: %s\n",
			section_for(o->elf_target), err.msg);
		return 1;
	}
	return 0;
}

int elf_emit(const struct options *o)
{
	if (o->drop_on_match && o->elf_target == ELF_TARGET_SOCKET) {
		fprintf(stderr, "bpfcap: --on-match=drop is for --target=tc or xdp (a socket filter "
				"keeps what matches: negate the expression instead)\n");
		return 1;
	}
	if (o->read_file || o->filter_elf) {
		fprintf(stderr, "bpfcap: --emit-elf writes an object and exits: it takes neither -r "
				"nor --filter-elf\n");
		return 1;
	}
	struct ebpf_prog ep = { 0 };
	int rc = build_program(o, &ep);
	if (!rc) {
		struct bpfcap_error err = { 0 };
		if (elf_write_prog(o->emit_elf, &ep, section_for(o->elf_target), ELF_LICENSE, &err)) {
			fprintf(stderr, "bpfcap: writing %s: %s\n", o->emit_elf, err.msg);
			rc = 1;
		}
	}
	ebpf_prog_free(&ep);
	return rc;
}

/* ---- --filter-elf ----------------------------------------------------------- */

struct elf_filter {
	struct ebpf_prog prog;
	struct ebpf_jit_prog *jit; /* NULL: the interpreter runs prog */
	struct ebpf_rng rng;
};

void elf_filter_free(struct elf_filter *f)
{
	if (!f)
		return;
	ebpf_jit_free(f->jit);
	ebpf_prog_free(&f->prog);
	free(f);
}

struct elf_filter *elf_filter_open(const struct options *o)
{
	struct elf_filter *f = calloc(1, sizeof *f);
	char *path = strdup(o->filter_elf);
	if (!f || !path) {
		fprintf(stderr, "bpfcap: out of memory\n");
		free(f);
		free(path);
		return NULL;
	}
	/* FILE:SECTION, split at the last colon unless FILE itself exists. */
	char *colon = access(path, F_OK) == 0 ? NULL : strrchr(path, ':');
	const char *section = NULL;
	if (colon) {
		*colon = '\0';
		section = colon + 1;
	}
	struct bpfcap_error err = { 0 };
	ebpf_rng_seed(&f->rng, (uint64_t)(uintptr_t)f);
	int rc = elf_load_filter(path, section, &f->prog, &err);
	if (!rc && o->engine != ENGINE_INTERP)
		rc = ebpf_prog_jit_compile(&f->prog, &f->rng, &f->jit, &err);
	if (rc) {
		fprintf(stderr, "bpfcap: %s: %s\n", o->filter_elf, err.msg);
		elf_filter_free(f);
		f = NULL;
	}
	free(path);
	return f;
}

uint32_t elf_filter_run(struct elf_filter *f, const uint8_t *data, uint32_t caplen,
			uint32_t wirelen, const struct bpfcap_pkt_meta *meta)
{
	if (f->jit)
		return ebpf_prog_run_jit(f->jit, EBPF_TARGET_SOCKET, data, caplen, wirelen, meta);
	uint32_t ret = 0;
	/* A verified program cannot fault; were it to, the packet is rejected. */
	if (ebpf_prog_run_interp(&f->prog, data, caplen, wirelen, meta, &f->rng, &ret, NULL))
		return 0;
	return ret;
}

int elf_filter_attach(struct elf_filter *f, int fd, char *err, size_t errsz)
{
	return attach_ebpf(fd, &f->prog, err, errsz);
}
