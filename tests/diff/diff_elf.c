/* diff_elf: bpfcap's ELF objects against libbpf and the kernel.
 *
 * For every expression of the differential suite (tests/diff/exprs/
 * EN10MB.txt and live.txt) the three objects --emit-elf writes (socket and
 * tc compiled live, xdp offline; built here with the same library calls as
 * capture/elf_cli.c) are opened from memory with libbpf 1.x
 * (bpf_object__open_mem) and loaded (bpf_object__load): each must load, as
 * the program type its section names (the live list: socket and tc only,
 * its expressions need skb metadata).  Each loaded xdp program is then run
 * by the kernel (BPF_PROG_TEST_RUN) on every EN10MB corpus frame it can
 * take, and must answer XDP_PASS exactly where bpfcap's own userspace
 * filter (cBPF offline, direct target, JIT) accepts the frame as received
 * (caplen bytes: the kernel has nothing more).
 *
 * Prints one summary line; exit 0 if everything agrees, 1 otherwise, 77 if
 * eBPF cannot be loaded here.  ELF_EXPRS=N limits each list to N
 * expressions (a quick look; 150 under sanitizers), ELF_VERBOSE=1 lists
 * the refusals. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define bpf_insn pcap_bpf_insn
#include "harness.h"
#undef bpf_insn
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>

#include "ebpf_elf.h"
#include "kbpf.h"
#include "translate.h"
#include "translate_target.h"
#include "verify.h"

/* The XDP test run's frame sizes (net/bpf/test_run.c: at least an Ethernet
 * header, at most a page less headroom and skb_shared_info). */
#define XDP_RUN_MIN 14u
#define XDP_RUN_MAX 3500u

enum kind { KIND_SOCKET, KIND_TC, KIND_XDP, NKINDS };
static const char *const kind_name[NKINDS] = { "socket", "tc", "xdp" };
static const enum bpf_prog_type kind_type[NKINDS] = { BPF_PROG_TYPE_SOCKET_FILTER,
						      BPF_PROG_TYPE_SCHED_CLS,
						      BPF_PROG_TYPE_XDP };

struct totals {
	size_t uncompiled; /* the compiler's own refusal ("rejects all packets") */
	size_t built[NKINDS], refused[NKINDS], loaded[NKINDS];
	size_t runs, mismatches, failures;
};

static char libbpf_log[4096];

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		size_t l = strlen(libbpf_log);
		if (l < sizeof libbpf_log - 1)
			vsnprintf(libbpf_log + l, sizeof libbpf_log - l, fmt, ap);
	}
	return 0;
}

/* The program --emit-elf would write for kind; 1 if refused as
 * unsupported (counted, not a failure), -1 on another error. */
static int build(const char *expr, enum kind k, struct ebpf_prog *ep, char *why, size_t whysz)
{
	struct bpfcap_compile_opts opts = {
		.linktype = 1,
		.mode = k == KIND_XDP ? BPFCAP_MODE_OFFLINE : BPFCAP_MODE_LIVE,
		.optimize = 1,
	};
	struct bpfcap_prog cp = { 0 };
	struct bpfcap_error err = { 0 };
	enum ebpf_target target = k == KIND_XDP ? EBPF_TARGET_XDP : EBPF_TARGET_SOCKET;
	int rc = bpfcap_compile(expr, &opts, &cp, &err);
	if (!rc)
		rc = ebpf_translate(cp.insns, cp.len, target, ep, &err);
	bpfcap_prog_free(&cp);
	if (!rc && k == KIND_TC)
		rc = ebpf_guard_packet_loads(ep, &err);
	if (!rc && k == KIND_TC)
		rc = ebpf_wrap_verdict(ep, TC_ACT_OK, TC_ACT_SHOT, &err);
	if (!rc && k == KIND_XDP)
		rc = ebpf_wrap_verdict(ep, XDP_PASS, XDP_DROP, &err);
	if (!rc)
		rc = ebpf_verify(ep->insns, ep->len, target, &err);
	if (rc)
		snprintf(why, whysz, "%s", err.msg);
	return rc == 0 ? 0 : rc == BPFCAP_E_UNSUPPORTED ? 1 : -1;
}

static unsigned char *image_of(const struct ebpf_prog *p, const char *section, size_t *size)
{
	struct bpfcap_error err = { 0 };
	unsigned char *img = NULL;
	int fd = memfd_create("diff_elf", 0);
	if (fd < 0)
		return NULL;
	if (elf_write_prog_fd(fd, p, section, "GPL", &err) == 0) {
		off_t end = lseek(fd, 0, SEEK_END);
		img = end > 0 ? malloc((size_t)end) : NULL;
		if (img && pread(fd, img, (size_t)end, 0) != end) {
			free(img);
			img = NULL;
		}
		*size = (size_t)end;
	} else {
		fprintf(stderr, "elf_write_prog_fd: %s\n", err.msg);
	}
	close(fd);
	return img;
}

/* Every corpus frame through the kernel's XDP test run and bpfcap's filter. */
static void xdp_runs(int fd, const char *expr, const struct th_pcap *pf, struct totals *t)
{
	struct bpfcap_prog cp = { 0 };
	struct bpfcap_error err = { 0 };
	struct bpfcap_compile_opts opts = { .linktype = 1, .optimize = 1 };
	struct bpfcap_filter *f = NULL;
	if (bpfcap_compile(expr, &opts, &cp, &err) || bpfcap_filter_load(&cp, BPFCAP_ENGINE_JIT, &f, &err)) {
		printf("FAIL %s: userspace filter: %s\n", expr, err.msg);
		t->failures++;
		bpfcap_prog_free(&cp);
		return;
	}
	bpfcap_prog_free(&cp);
	size_t shown = 0;
	for (size_t i = 0; i < pf->count; i++) {
		const struct th_packet *p = &pf->pkts[i];
		if (p->caplen < XDP_RUN_MIN || p->caplen > XDP_RUN_MAX)
			continue;
		LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = p->data, .data_size_in = p->caplen);
		if (bpf_prog_test_run_opts(fd, &run)) {
			printf("FAIL %s: frame %zu: test run: %s\n", expr, i, strerror(errno));
			t->failures++;
			break;
		}
		t->runs++;
		uint32_t want = bpfcap_filter_run(f, p->data, p->caplen, p->caplen, NULL) ? XDP_PASS
											 : XDP_DROP;
		if (run.retval != want) {
			t->mismatches++;
			if (shown++ < 3)
				printf("MISMATCH %s: frame %zu (%u bytes): kernel %u, bpfcap %u\n", expr,
				       i, p->caplen, run.retval, want);
		}
	}
	bpfcap_filter_free(f);
}

static void one_expression(const char *expr, int live, const struct th_pcap *pf,
			   struct totals *t)
{
	struct bpfcap_prog cp = { 0 };
	struct bpfcap_error cerr = { 0 };
	if (bpfcap_compile(expr, NULL, &cp, &cerr)) {
		t->uncompiled++;
		return;
	}
	bpfcap_prog_free(&cp);
	/* The live list's meaning needs skb metadata: no xdp object for it. */
	for (int k = 0; k < (live ? KIND_XDP : NKINDS); k++) {
		struct ebpf_prog ep = { 0 };
		char why[256];
		int rc = build(expr, (enum kind)k, &ep, why, sizeof why);
		if (rc) {
			if (rc > 0) {
				t->refused[k]++;
				if (getenv("ELF_VERBOSE"))
					printf("refused %s (%s): %s\n", expr, kind_name[k], why);
			} else {
				printf("FAIL %s (%s): %s\n", expr, kind_name[k], why);
				t->failures++;
			}
			ebpf_prog_free(&ep);
			continue;
		}
		t->built[k]++;
		size_t size = 0;
		unsigned char *img = image_of(&ep, kind_name[k], &size);
		ebpf_prog_free(&ep);
		libbpf_log[0] = '\0';
		struct bpf_object *obj = img ? bpf_object__open_mem(img, size, NULL) : NULL;
		int err = obj ? bpf_object__load(obj) : -1;
		struct bpf_program *prog = obj ? bpf_object__next_program(obj, NULL) : NULL;
		if (err || !prog || bpf_program__type(prog) != kind_type[k] ||
		    strcmp(bpf_program__name(prog), ELF_PROG_SYMBOL) != 0) {
			printf("FAIL %s (%s): libbpf: %s %.300s\n", expr, kind_name[k],
			       err ? strerror(-err) : "wrong program", libbpf_log);
			t->failures++;
		} else {
			t->loaded[k]++;
			if (k == KIND_XDP)
				xdp_runs(bpf_program__fd(prog), expr, pf, t);
		}
		bpf_object__close(obj);
		free(img);
	}
}

int main(void)
{
	char why[256], err[256];
	if (!kbpf_available(why, sizeof why)) {
		printf("SKIP diff_elf: %s\n", why);
		return 77;
	}
	libbpf_set_print(quiet_print);
	char *tests = th_tests_dir();
	struct th_pcap pf = { 0 };
	char *corpus = th_asprintf("%s/en10mb.pcap", th_corpus_dir());
	if (th_pcap_load(corpus, &pf, err, sizeof err)) {
		printf("FAIL diff_elf: %s\n", err);
		return 1;
	}
	const char *env = getenv("ELF_EXPRS");
	/* Under sanitizers a slice: the same code paths, a third of the time. */
	const char *san = getenv("BPFCAP_SANITIZED");
	size_t limit = env ? strtoul(env, NULL, 10) : san && !strcmp(san, "1") ? 150 : 0;
	struct totals t = { 0 };
	size_t exprs = 0;
	const char *lists[] = { "EN10MB", "live" };
	for (size_t l = 0; l < 2; l++) {
		char *path = th_asprintf("%s/diff/exprs/%s.txt", tests, lists[l]);
		struct th_list list = { 0 };
		if (th_list_load(path, &list, err, sizeof err) < 0 || list.count == 0) {
			printf("FAIL %s: %s\n", path, list.count ? err : "no expression");
			t.failures++;
		}
		for (size_t i = 0; i < list.count && (!limit || i < limit); i++, exprs++)
			one_expression(list.items[i], l == 1, &pf, &t);
		th_list_free(&list);
		free(path);
	}
	printf("diff_elf: %zu expressions (%zu not compiled); libbpf loaded socket %zu/%zu, tc %zu/%zu, xdp %zu/%zu "
	       "(refused as unsupported: socket %zu, tc %zu, xdp %zu); %zu xdp test runs on %zu "
	       "frames, %zu mismatches; %zu failures\n",
	       exprs, t.uncompiled, t.loaded[0], t.built[0], t.loaded[1], t.built[1], t.loaded[2], t.built[2],
	       t.refused[0], t.refused[1], t.refused[2], t.runs, pf.count, t.mismatches,
	       t.failures);
	th_pcap_free(&pf);
	free(corpus);
	free(tests);
	return t.failures || t.mismatches ? 1 : 0;
}
