/* diff_kernel: our translation and interpreter against the kernel.
 *
 * The kernel is the reference for what eBPF means and what is safe
 * (docs/DESIGN.md, "Correctness is differential").  For every expression of
 * the differential suite (tests/diff/exprs/<LINKTYPE>.txt offline, live.txt
 * in live mode), optimized and not, compiled by bpfcap and translated for
 * the socket target:
 *   1. our verifier and BPF_PROG_LOAD as BPF_PROG_TYPE_SOCKET_FILTER must
 *      both accept it;
 *   2. loaded as SCHED_CLS (a test run of that type sees the packet from
 *      the Ethernet header, as a packet socket's filter does), it runs with
 *      BPF_PROG_TEST_RUN on every corpus packet the test run takes, and must
 *      return exactly what our interpreter returns on the same bytes and the
 *      same skb metadata.
 * The same for the hand-written classic programs of tests/diff/cbpf/NAME.ddd,
 * which use every opcode and ancillary load; where a result depends on CPU
 * or RANDOM (the kernel's values cannot be replayed) the file's
 * "# range LO HI" line gives the interval both sides must return in.
 *
 * What a test run cannot do, and how this suite deals with it
 * (../shared/MACHINE.md):
 *  - data is 14 to 3,712 bytes, and an IPv4 EtherType needs at least 34:
 *    other packets are left out, counted by reason;
 *  - there is no caplen/wirelen split (skb->len is the buffer's length): a
 *    truncated packet runs with wirelen = caplen on both sides;
 *  - of __sk_buff only mark, priority, ifindex, cb, tstamp and wire_len can
 *    be set: we set mark (random) and ifindex (1, the loopback device the
 *    test run uses anyway); pkt_type, protocol, queue_mapping, hash and the
 *    VLAN fields are what the kernel derives (eth_type_trans on the frame),
 *    so the suite reads them back with one-field probe programs per packet
 *    and gives our interpreter the same values.
 *
 * Usage: diff_kernel [-q] [-l LINKTYPE]... [-e EXPR]
 * Exit 0 when every case passed, 77 when the kernel cannot load eBPF here
 * (not root), 1 otherwise. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <arpa/inet.h>

/* libpcap's <pcap/bpf.h> and the kernel's <linux/bpf.h> both define
 * struct bpf_insn; libpcap's is renamed here (as in diff_translate.c). */
#define bpf_insn pcap_bpf_insn
#include "harness.h"
#undef bpf_insn
#include "interp.h"
#include "kbpf.h"
#include "run.h"
#include "translate.h"
#include "verify.h"

static int quiet;

struct totals {
	size_t programs, loaded, load_failed, runs, mismatches, translate_failed, verify_failed;
	size_t left_short, left_long, left_refused, truncated_runs;
	size_t helper_range_checked;
};

/* ---- metadata probes ------------------------------------------------------ */

/* A SCHED_CLS program returning one __sk_buff field as a u32. */
static int probe_load(int16_t off)
{
	const struct ebpf_insn prog[] = {
		EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_1, off),
		EBPF_EXIT_INSN(),
	};
	return kbpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, prog, 2, NULL, 0);
}

enum { P_PKT_TYPE, P_PROTOCOL, P_QUEUE, P_VLAN_PRESENT, P_VLAN_TCI, P_VLAN_PROTO, P_HASH,
       P_IFINDEX, P_MARK, NPROBES };

static const int16_t probe_offsets[NPROBES] = {
	[P_PKT_TYPE] = EBPF_SKB_OFF(pkt_type),     [P_PROTOCOL] = EBPF_SKB_OFF(protocol),
	[P_QUEUE] = EBPF_SKB_OFF(queue_mapping),   [P_VLAN_PRESENT] = EBPF_SKB_OFF(vlan_present),
	[P_VLAN_TCI] = EBPF_SKB_OFF(vlan_tci),     [P_VLAN_PROTO] = EBPF_SKB_OFF(vlan_proto),
	[P_HASH] = EBPF_SKB_OFF(hash),             [P_IFINDEX] = EBPF_SKB_OFF(ifindex),
	[P_MARK] = EBPF_SKB_OFF(mark),
};

static void ctx_for(const struct kpacket *kp, struct __sk_buff *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->mark = kp->mark;
	ctx->ifindex = 1;
}

/* Reads back what the kernel makes of each packet; marks the ones a test
 * run refuses.  Returns -1 if a probe cannot be loaded. */
static int probe_corpus(const struct th_pcap *pf, struct kpacket *kps, struct totals *t,
			uint64_t *seed)
{
	int fds[NPROBES];
	for (int i = 0; i < NPROBES; i++) {
		fds[i] = probe_load(probe_offsets[i]);
		if (fds[i] < 0) {
			printf("ERROR: cannot load the metadata probe %d: %s\n", i, strerror(-fds[i]));
			for (int j = 0; j < i; j++)
				close(fds[j]);
			return -1;
		}
	}
	for (size_t n = 0; n < pf->count; n++) {
		const struct th_packet *p = &pf->pkts[n];
		struct kpacket *kp = &kps[n];
		memset(kp, 0, sizeof *kp);
		kp->len = p->caplen;
		if (p->caplen < TEST_RUN_MIN_LEN) {
			t->left_short++;
			continue;
		}
		if (p->caplen > TEST_RUN_MAX_LEN) {
			t->left_long++;
			continue;
		}
		*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
		kp->mark = (uint32_t)(*seed >> 33);
		uint32_t v[NPROBES];
		int refused = 0;
		for (int i = 0; i < NPROBES && !refused; i++) {
			struct __sk_buff ctx;
			ctx_for(kp, &ctx);
			int rc = kbpf_test_run(fds[i], p->data, p->caplen, &ctx, 1, &v[i], NULL);
			if (rc == -EINVAL)
				refused = 1;
			else if (rc < 0) {
				printf("ERROR: test run of a probe: %s\n", strerror(-rc));
				refused = 1;
			}
		}
		if (refused) {
			t->left_refused++;
			continue;
		}
		if (v[P_MARK] != kp->mark || v[P_IFINDEX] != 1)
			printf("WARNING: packet %zu: the kernel shows mark %u ifindex %u, set %u and 1\n",
			       n, v[P_MARK], v[P_IFINDEX], kp->mark);
		kp->usable = 1;
		if (p->caplen < p->wirelen)
			t->truncated_runs++;
		/* protocol and vlan_proto read as the raw __be16 (the kernel's
		 * context rewrite loads skb->protocol as is). */
		kp->meta.pkt_type = v[P_PKT_TYPE];
		kp->meta.protocol = ntohs((uint16_t)v[P_PROTOCOL]);
		kp->meta.queue = v[P_QUEUE];
		kp->meta.vlan_present = v[P_VLAN_PRESENT];
		kp->meta.vlan_tci = v[P_VLAN_TCI];
		kp->meta.vlan_tpid = ntohs((uint16_t)v[P_VLAN_PROTO]);
		kp->meta.hash = v[P_HASH];
		kp->meta.ifindex = v[P_IFINDEX];
		kp->meta.mark = kp->mark;
		kp->meta.net_off = TEST_RUN_NET_OFF;
	}
	for (int i = 0; i < NPROBES; i++)
		close(fds[i]);
	return 0;
}

/* ---- one program ----------------------------------------------------------- */

/* Whether a program calls the CPU or RANDOM helpers: their values are
 * checked for range, not equality. */
static int calls_helpers(const struct ebpf_prog *ep)
{
	return (ep->uses & EBPF_USES_HELPERS) != 0;
}

/* Interpreter run of a socket program on a packet as the kernel sees it. */
static int interp_run(const struct ebpf_prog *ep, const struct th_packet *p,
		      const struct kpacket *kp, uint32_t *ret, char *msg, size_t msgsz)
{
	struct bpfcap_error err;
	memset(&err, 0, sizeof err);
	struct ebpf_rng rng;
	ebpf_rng_seed(&rng, 0x9e3779b97f4a7c15ull);
	int rc = ebpf_prog_run_interp(ep, p->data, kp->len, kp->len, &kp->meta, &rng, ret, &err);
	if (rc)
		snprintf(msg, msgsz, "%s", err.msg);
	return rc;
}

/* The values a program that calls CPU or RANDOM may return, from its
 * "# range LO HI" line: both sides must stay inside. */
struct range {
	int set;
	uint32_t lo, hi;
};

/* Loads, runs and compares one classic program; returns 0 when it passed. */
static int check_program(const char *tag, const struct bpfcap_prog *cbpf, const struct range *range,
			 const struct th_pcap *pf, const struct kpacket *kps, struct totals *t)
{
	struct ebpf_prog ep;
	struct bpfcap_error err;
	memset(&err, 0, sizeof err);
	t->programs++;
	if (ebpf_translate(cbpf->insns, cbpf->len, EBPF_TARGET_SOCKET, &ep, &err)) {
		t->translate_failed++;
		if (!quiet)
			printf("FAIL %s: translation: %s\n", tag, err.msg);
		return -1;
	}
	if (ebpf_verify(ep.insns, ep.len, EBPF_TARGET_SOCKET, &err)) {
		t->verify_failed++;
		if (!quiet)
			printf("FAIL %s: our verifier rejects the translation: %s\n", tag, err.msg);
		ebpf_prog_free(&ep);
		return -1;
	}
	static char log[1 << 16];
	int fd = kbpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, ep.insns, ep.len, log, sizeof log);
	if (fd < 0) {
		t->load_failed++;
		if (!quiet) {
			size_t l = strlen(log);
			const char *tail = l > 600 ? log + l - 600 : log;
			printf("FAIL %s: BPF_PROG_LOAD (socket filter, %zu insns): %s\n  verifier: %s\n",
			       tag, ep.len, strerror(-fd), tail);
		}
		ebpf_prog_free(&ep);
		return -1;
	}
	close(fd);
	t->loaded++;
	fd = kbpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, ep.insns, ep.len, log, sizeof log);
	if (fd < 0) {
		t->load_failed++;
		if (!quiet)
			printf("FAIL %s: BPF_PROG_LOAD (sched_cls): %s\n", tag, strerror(-fd));
		ebpf_prog_free(&ep);
		return -1;
	}
	int failed = 0;
	int helpers = calls_helpers(&ep);
	/* A program that calls CPU or RANDOM without a range line promises a
	 * result that does not depend on their values: compared exactly. */
	helpers = helpers && range && range->set;
	for (size_t n = 0; n < pf->count && !failed; n++) {
		const struct kpacket *kp = &kps[n];
		if (!kp->usable)
			continue;
		const struct th_packet *p = &pf->pkts[n];
		struct __sk_buff ctx;
		ctx_for(kp, &ctx);
		uint32_t kret = 0, iret = 0;
		int rc = kbpf_test_run(fd, p->data, kp->len, &ctx, 1, &kret, NULL);
		if (rc) {
			printf("FAIL %s: packet %zu: BPF_PROG_TEST_RUN: %s\n", tag, n, strerror(-rc));
			failed = 1;
			break;
		}
		char msg[300];
		if (interp_run(&ep, p, kp, &iret, msg, sizeof msg)) {
			printf("FAIL %s: packet %zu: interpreter: %s\n", tag, n, msg);
			failed = 1;
			break;
		}
		t->runs++;
		if (helpers) {
			t->helper_range_checked++;
			if (kret < range->lo || kret > range->hi || iret < range->lo || iret > range->hi) {
				t->mismatches++;
				failed = 1;
				printf("FAIL %s: packet %zu: kernel returns %u, interpreter %u: not both in "
				       "[%u, %u]\n", tag, n, kret, iret, range->lo, range->hi);
			}
			continue;
		}
		if (kret != iret) {
			t->mismatches++;
			failed = 1;
			if (!quiet)
				printf("FAIL %s: packet %zu (%u bytes): kernel returns %u, interpreter %u\n",
				       tag, n, kp->len, kret, iret);
		}
	}
	close(fd);
	ebpf_prog_free(&ep);
	return failed ? -1 : 0;
}

/* ---- the suite --------------------------------------------------------------- */

static int compile(int dlt, const char *expr, int optimize, enum bpfcap_mode mode,
		   struct bpfcap_prog *out, struct bpfcap_error *err)
{
	struct bpfcap_compile_opts o = {
		.linktype = dlt, .snaplen = 262144, .mode = mode, .optimize = optimize,
	};
	return bpfcap_compile(expr, &o, out, err);
}

/* Every expression of a list, optimized and not.  Expressions bpfcap does
 * not compile (the -reject lists, fallbacks) are diff_filter's business. */
static size_t run_list(const struct th_linktype *lt, enum bpfcap_mode mode, const char *path,
		       const struct th_list *l, const struct th_pcap *pf,
		       const struct kpacket *kps, struct totals *t)
{
	size_t failed = 0;
	for (size_t i = 0; i < l->count; i++) {
		for (int opt = 1; opt >= 0; opt--) {
			struct bpfcap_prog prog = { 0 };
			struct bpfcap_error err;
			memset(&err, 0, sizeof err);
			if (compile(lt->bpfcap_dlt, l->items[i], opt, mode, &prog, &err))
				continue;
			char *one = th_oneline(l->items[i], 120);
			char *tag = th_asprintf("[%s %s%s] %s:%d '%s'", lt->name, opt ? "opt" : "noopt",
						mode == BPFCAP_MODE_LIVE ? " live" : "", path,
						l->lineno[i], one ? one : "");
			if (check_program(tag, &prog, NULL, pf, kps, t))
				failed++;
			free(tag);
			free(one);
			bpfcap_prog_free(&prog);
		}
	}
	return failed;
}

/* A hand-written program in tcpdump -ddd form ("count" line, then
 * "code jt jf k" lines; '#' starts a comment, "# range LO HI" gives
 * the range of a program whose value depends on CPU or RANDOM). */
static int load_ddd(const char *path, struct bpfcap_prog *out, struct range *range, char *err,
		    size_t errsz)
{
	size_t len = 0;
	char *text = th_slurp(path, &len);
	if (!text) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 64, n = 0;
	long declared = -1;
	struct bpfcap_insn *insns = malloc(cap * sizeof *insns);
	int rc = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#');
		if (hash) {
			unsigned long lo, hi;
			if (sscanf(hash, "# range %lu %lu", &lo, &hi) == 2)
				*range = (struct range){ 1, (uint32_t)lo, (uint32_t)hi };
			*hash = 0;
		}
		unsigned long v[4];
		int got = sscanf(line, "%lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]);
		if (got <= 0)
			continue;
		if (declared < 0 && got == 1) {
			declared = (long)v[0];
			continue;
		}
		if (got != 4) {
			snprintf(err, errsz, "%s: expected 'code jt jf k': '%s'", path, line);
			rc = -1;
			break;
		}
		if (n == cap)
			insns = realloc(insns, (cap *= 2) * sizeof *insns);
		insns[n++] = (struct bpfcap_insn){ (uint16_t)v[0], (uint8_t)v[1], (uint8_t)v[2],
						   (uint32_t)v[3] };
	}
	free(text);
	if (!rc && declared >= 0 && (size_t)declared != n) {
		snprintf(err, errsz, "%s: declares %ld instructions, has %zu", path, declared, n);
		rc = -1;
	}
	if (rc) {
		free(insns);
		return -1;
	}
	out->insns = insns;
	out->len = n;
	return 0;
}

static size_t run_handwritten(const struct th_pcap *pf, const struct kpacket *kps,
			      struct totals *t, size_t *nprogs)
{
	char *tests = th_tests_dir();
	char *dir = th_asprintf("%s/diff/cbpf", tests);
	size_t failed = 0;
	struct dirent **names = NULL;
	int count = scandir(dir, &names, NULL, alphasort);
	if (count < 0) {
		printf("FAIL: cannot list %s: %s\n", dir, strerror(errno));
		failed++;
		count = 0;
	}
	for (int i = 0; i < count; i++) {
		const char *name = names[i]->d_name;
		size_t nl = strlen(name);
		if (nl > 4 && strcmp(name + nl - 4, ".ddd") == 0) {
			char *path = th_asprintf("%s/%s", dir, name);
			struct bpfcap_prog prog = { 0 };
			struct range range = { 0 };
			char err[512];
			if (load_ddd(path, &prog, &range, err, sizeof err)) {
				printf("FAIL %s\n", err);
				failed++;
			} else {
				char *tag = th_asprintf("[cbpf] %s", name);
				struct bpfcap_error terr;
				memset(&terr, 0, sizeof terr);
				struct ebpf_prog probe;
				/* Programs the socket target cannot express (HATYPE) are
				 * the translator's unit tests' business. */
				int trc = ebpf_translate(prog.insns, prog.len, EBPF_TARGET_SOCKET, &probe,
							 &terr);
				if (trc == BPFCAP_E_UNSUPPORTED) {
					if (!quiet)
						printf("note %s: not for the socket target: %s\n", tag,
						       terr.msg);
				} else {
					if (trc == 0)
						ebpf_prog_free(&probe);
					(*nprogs)++;
					if (check_program(tag, &prog, &range, pf, kps, t))
						failed++;
				}
				free(tag);
				free(prog.insns);
			}
			free(path);
		}
		free(names[i]);
	}
	free(names);
	free(dir);
	free(tests);
	return failed;
}

int main(int argc, char **argv)
{
	const char *only[8];
	size_t nonly = 0;
	const char *single = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "ql:e:")) != -1) {
		switch (opt) {
		case 'q': quiet = 1; break;
		case 'l':
			if (nonly < 8)
				only[nonly++] = optarg;
			break;
		case 'e': single = optarg; break;
		default:
			fprintf(stderr, "usage: diff_kernel [-q] [-l LINKTYPE]... [-e EXPR]\n");
			return 2;
		}
	}
	char why[256];
	if (!kbpf_available(why, sizeof why)) {
		printf("SKIP diff_kernel: %s\n", why);
		return 77;
	}
	double t0 = th_now();
	struct th_linktype lts[4];
	size_t nlt = th_linktypes(lts);
	struct totals all = { 0 };
	size_t failed = 0, handwritten = 0;
	uint64_t seed = 0x2545f4914f6cdd1dull;
	char *tests = th_tests_dir();
	for (size_t k = 0; k < nlt; k++) {
		const struct th_linktype *lt = &lts[k];
		int wanted = nonly == 0;
		for (size_t j = 0; j < nonly; j++)
			wanted |= strcasecmp(only[j], lt->name) == 0;
		if (!wanted)
			continue;
		char err[512];
		char *pcap_path = th_asprintf("%s/%s.pcap", th_corpus_dir(), lt->stem);
		struct th_pcap pf = { 0 };
		if (th_pcap_load(pcap_path, &pf, err, sizeof err) || pf.count == 0) {
			printf("ERROR [%s]: cannot read the corpus %s: %s (run tests/run-all.sh, "
			       "which generates it)\n", lt->name, pcap_path, pf.count ? err : "empty");
			failed++;
			free(pcap_path);
			continue;
		}
		struct kpacket *kps = calloc(pf.count, sizeof *kps);
		struct totals mine = { 0 };
		if (probe_corpus(&pf, kps, &mine, &seed)) {
			failed++;
		} else if (single) {
			struct th_list l = { 0 };
			char *item = (char *)single;
			int lineno = 0;
			l.count = 1, l.items = &item, l.lineno = &lineno;
			failed += run_list(lt, BPFCAP_MODE_OFFLINE, "-e", &l, &pf, kps, &mine);
		} else {
			const char *lists[2] = { lt->name, strcmp(lt->name, "EN10MB") == 0 ? "live" : NULL };
			for (int m = 0; m < 2 && lists[m]; m++) {
				char *path = th_asprintf("%s/diff/exprs/%s.txt", tests, lists[m]);
				struct th_list l = { 0 };
				if (th_list_load(path, &l, err, sizeof err) < 0 || l.count == 0) {
					printf("ERROR: %s: %s\n", path, l.count ? err : "no expression");
					failed++;
				} else {
					failed += run_list(lt, m ? BPFCAP_MODE_LIVE : BPFCAP_MODE_OFFLINE,
							   path, &l, &pf, kps, &mine);
				}
				th_list_free(&l);
				free(path);
			}
			if (strcmp(lt->name, "EN10MB") == 0)
				failed += run_handwritten(&pf, kps, &mine, &handwritten);
		}
		printf("%-10s %5zu packets (%zu left out: %zu < 14 bytes, %zu > 3712, %zu refused by "
		       "the test run; %zu truncated, run at caplen): %zu programs, %zu loaded, %zu "
		       "kernel runs, %zu mismatches\n",
		       lt->name, pf.count, mine.left_short + mine.left_long + mine.left_refused,
		       mine.left_short, mine.left_long, mine.left_refused, mine.truncated_runs,
		       mine.programs, mine.loaded, mine.runs, mine.mismatches);
		all.programs += mine.programs;
		all.loaded += mine.loaded;
		all.load_failed += mine.load_failed;
		all.translate_failed += mine.translate_failed;
		all.verify_failed += mine.verify_failed;
		all.runs += mine.runs;
		all.mismatches += mine.mismatches;
		all.helper_range_checked += mine.helper_range_checked;
		free(kps);
		th_pcap_free(&pf);
		free(pcap_path);
	}
	free(tests);
	printf("kernel: %zu programs (%zu hand-written), %zu loaded as socket filters, %zu failed "
	       "to translate, %zu rejected by our verifier, %zu failed to load; %zu test runs, %zu mismatches (%zu runs of "
	       "helper programs checked for range); %.1f s\n",
	       all.programs, handwritten, all.loaded, all.translate_failed, all.verify_failed,
	       all.load_failed,
	       all.runs, all.mismatches, all.helper_range_checked, th_now() - t0);
	if (failed)
		printf("%zu programs failed\n", failed);
	return failed ? 1 : 0;
}
