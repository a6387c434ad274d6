/* diff_count: counting programs (vm/count.h) in the kernel and in
 * userspace, against the plain filter.
 *
 * For every expression of tests/diff/exprs/EN10MB.txt (offline mode) and
 * live.txt (live mode), optimized, compiled by bpfcap:
 *   1. the socket translation wrapped as COUNT_ONLY and as COUNT_STATS over
 *      a real BPF_MAP_TYPE_PERCPU_ARRAY (vm/map_kernel.h) passes our
 *      verifier (ebpf_verify_maps) and the kernel's (BPF_PROG_LOAD as
 *      SOCKET_FILTER), and is run as SCHED_CLS with BPF_PROG_TEST_RUN on
 *      every EN10MB corpus packet a test run takes (a SCHED_CLS run sees the
 *      frame from the Ethernet header, as a packet socket's filter does;
 *      skb->len is the frame's length) with the skb metadata the kernel
 *      derives (probed per packet, as diff_kernel does);
 *   2. the same socket counting programs run in our interpreter and JIT
 *      over a userspace map, and the library's bpfcap_counter (the direct
 *      target) in both engines and both modes;
 *   3. every total must be exact: matched packets and bytes equal to the
 *      plain filter's (our interpreter's verdicts, which diff_kernel proves
 *      equal to the kernel's), seen packets and bytes equal to the packets
 *      run (STATS), 0 seen in ONLY mode; per packet, COUNT_ONLY returns 0
 *      and COUNT_STATS the plain verdict, everywhere.
 * Programs that call CPU or RANDOM are left out (their verdicts cannot be
 * replayed), counted.
 *
 * -b: the cost of counting in the kernel: ns per BPF_PROG_TEST_RUN (repeat
 * 200000, SCHED_CLS, median of 5) of the plain filter, COUNT_STATS and
 * COUNT_ONLY for a few expressions on a matching and a non-matching packet.
 *
 * Usage: diff_count [-q] [-b] [-e EXPR]
 * Exit 0 when every case passed, 77 when the kernel cannot load eBPF here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <arpa/inet.h>

#define bpf_insn pcap_bpf_insn
#include "harness.h"
#undef bpf_insn
#include "count.h"
#include "interp.h"
#include "jit.h"
#include "kbench.h"
#include "kbpf.h"
#include "map.h"
#include "map_kernel.h"
#include "run.h"
#include "translate.h"
#include "verify.h"

static int quiet;

struct totals {
	size_t programs, helper_programs, kernel_loads, kernel_runs, user_runs, failed;
};

/* ---- the kernel's view of each packet (as diff_kernel) ------------------- */

enum { P_PKT_TYPE, P_PROTOCOL, P_QUEUE, P_VLAN_PRESENT, P_VLAN_TCI, P_VLAN_PROTO, P_HASH,
       NPROBES };

static const int16_t probe_offsets[NPROBES] = {
	[P_PKT_TYPE] = EBPF_SKB_OFF(pkt_type),   [P_PROTOCOL] = EBPF_SKB_OFF(protocol),
	[P_QUEUE] = EBPF_SKB_OFF(queue_mapping), [P_VLAN_PRESENT] = EBPF_SKB_OFF(vlan_present),
	[P_VLAN_TCI] = EBPF_SKB_OFF(vlan_tci),   [P_VLAN_PROTO] = EBPF_SKB_OFF(vlan_proto),
	[P_HASH] = EBPF_SKB_OFF(hash),
};

static void ctx_for(const struct kpacket *kp, struct __sk_buff *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->mark = kp->mark;
	ctx->ifindex = 1;
}

static int probe_corpus(const struct th_pcap *pf, struct kpacket *kps)
{
	int fds[NPROBES];
	for (int i = 0; i < NPROBES; i++) {
		const struct ebpf_insn prog[] = {
			EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_1, probe_offsets[i]),
			EBPF_EXIT_INSN(),
		};
		fds[i] = kbpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, prog, 2, NULL, 0);
		if (fds[i] < 0) {
			printf("ERROR: cannot load a metadata probe: %s\n", strerror(-fds[i]));
			while (i--)
				close(fds[i]);
			return -1;
		}
	}
	uint64_t seed = 0x2545f4914f6cdd1dull;
	for (size_t n = 0; n < pf->count; n++) {
		const struct th_packet *p = &pf->pkts[n];
		struct kpacket *kp = &kps[n];
		memset(kp, 0, sizeof *kp);
		kp->len = p->caplen;
		if (p->caplen < TEST_RUN_MIN_LEN || p->caplen > TEST_RUN_MAX_LEN)
			continue;
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		kp->mark = (uint32_t)(seed >> 33);
		uint32_t v[NPROBES];
		int refused = 0;
		for (int i = 0; i < NPROBES && !refused; i++) {
			struct __sk_buff ctx;
			ctx_for(kp, &ctx);
			refused = kbpf_test_run(fds[i], p->data, p->caplen, &ctx, 1, &v[i], NULL) != 0;
		}
		if (refused)
			continue;
		kp->usable = 1;
		kp->meta.pkt_type = v[P_PKT_TYPE];
		kp->meta.protocol = ntohs((uint16_t)v[P_PROTOCOL]);
		kp->meta.queue = v[P_QUEUE];
		kp->meta.vlan_present = v[P_VLAN_PRESENT];
		kp->meta.vlan_tci = v[P_VLAN_TCI];
		kp->meta.vlan_tpid = ntohs((uint16_t)v[P_VLAN_PROTO]);
		kp->meta.hash = v[P_HASH];
		kp->meta.ifindex = 1;
		kp->meta.mark = kp->mark;
		kp->meta.net_off = TEST_RUN_NET_OFF;
	}
	for (int i = 0; i < NPROBES; i++)
		close(fds[i]);
	return 0;
}

/* ---- one expression ----------------------------------------------------------- */

/* What every counter must hold after the corpus. */
struct expect {
	struct bpfcap_counts stats, only;
	uint32_t *verdict; /* per packet (usable ones) */
};

static int same_counts(const char *tag, const char *who, const struct bpfcap_counts *got,
		       const struct bpfcap_counts *want)
{
	if (!memcmp(got, want, sizeof *got))
		return 0;
	printf("FAIL %s: %s counts seen %llu/%llu matched %llu/%llu, want seen %llu/%llu matched "
	       "%llu/%llu\n", tag, who, (unsigned long long)got->seen_packets,
	       (unsigned long long)got->seen_bytes, (unsigned long long)got->matched_packets,
	       (unsigned long long)got->matched_bytes, (unsigned long long)want->seen_packets,
	       (unsigned long long)want->seen_bytes, (unsigned long long)want->matched_packets,
	       (unsigned long long)want->matched_bytes);
	return -1;
}

/* The kernel: COUNT mode of cbpf over a real per-CPU map. */
static int kernel_counts(const char *tag, const struct bpfcap_prog *cbpf, enum ebpf_count_mode mode,
			 const struct th_pcap *pf, const struct kpacket *kps,
			 const struct expect *want, struct totals *t)
{
	struct ebpf_kcount kc;
	struct bpfcap_error err = { 0 };
	static char log[1 << 16];
	if (ebpf_kcount_open(cbpf, mode, &kc, &err)) {
		printf("FAIL %s: counting program (our verifier): %s\n", tag, err.msg);
		return -1;
	}
	int rc = -1;
	int fd = ebpf_kcount_load(&kc, log, sizeof log, &err);
	if (fd < 0) {
		size_t l = strlen(log);
		printf("FAIL %s: BPF_PROG_LOAD socket filter: %s\n  %s\n", tag, err.msg,
		       l > 600 ? log + l - 600 : log);
		goto out;
	}
	int cls = kbpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, kc.prog.insns, kc.prog.len, log, sizeof log);
	if (cls < 0) {
		printf("FAIL %s: BPF_PROG_LOAD sched_cls: %s\n", tag, strerror(-cls));
		goto out;
	}
	t->kernel_loads++;
	rc = 0;
	for (size_t n = 0; n < pf->count && !rc; n++) {
		if (!kps[n].usable)
			continue;
		struct __sk_buff ctx;
		ctx_for(&kps[n], &ctx);
		uint32_t ret = 0;
		int e = kbpf_test_run(cls, pf->pkts[n].data, kps[n].len, &ctx, 1, &ret, NULL);
		t->kernel_runs++;
		uint32_t expect = mode == EBPF_COUNT_ONLY ? 0 : want->verdict[n];
		if (e || ret != expect) {
			printf("FAIL %s: kernel %s packet %zu: %s returns %u, want %u\n", tag,
			       mode == EBPF_COUNT_ONLY ? "ONLY" : "STATS", n, e ? strerror(-e) : "",
			       ret, expect);
			rc = -1;
		}
	}
	close(cls);
	struct bpfcap_counts got;
	if (!rc && ebpf_kcount_read(&kc, &got, &err)) {
		printf("FAIL %s: %s\n", tag, err.msg);
		rc = -1;
	}
	if (!rc)
		rc = same_counts(tag, mode == EBPF_COUNT_ONLY ? "kernel ONLY" : "kernel STATS", &got,
				 mode == EBPF_COUNT_ONLY ? &want->only : &want->stats);
out:
	ebpf_kcount_close(&kc);
	return rc;
}

/* Our interpreter and JIT on the socket counting program over a userspace map. */
static int user_socket_counts(const char *tag, const struct ebpf_prog *filter,
			      enum ebpf_count_mode mode, const struct th_pcap *pf,
			      const struct kpacket *kps, const struct expect *want, struct totals *t)
{
	struct bpfcap_error err = { 0 };
	struct ebpf_prog cp;
	struct ebpf_umap *maps[2] = { NULL, NULL };
	struct ebpf_rng rng;
	ebpf_rng_seed(&rng, 1);
	int rc = ebpf_count_wrap(filter, mode, 0, &cp, &err);
	if (rc) {
		printf("FAIL %s: wrap: %s\n", tag, err.msg);
		return -1;
	}
	struct ebpf_map_desc d = ebpf_count_map_desc(0, BPF_MAP_TYPE_PERCPU_ARRAY);
	if (ebpf_verify_maps(cp.insns, cp.len, EBPF_TARGET_SOCKET, &d, 1, &err)) {
		printf("FAIL %s: our verifier rejects the socket counting program: %s\n", tag, err.msg);
		ebpf_prog_free(&cp);
		return -1;
	}
	struct ebpf_helper_env henv[2];
	struct ebpf_jit_prog *jp = NULL;
	for (int e = 0; e < 2; e++) {
		if (ebpf_umap_create(BPF_MAP_TYPE_PERCPU_ARRAY, EBPF_COUNT_VALUE_SIZE, 1, 0, &maps[e],
				     &err))
			goto fail;
		henv[e] = (struct ebpf_helper_env){ .rng = &rng, .maps = &maps[e], .nmaps = 1 };
	}
	if (ebpf_prog_jit_compile_maps(&cp, &henv[1], &jp, &err))
		goto fail;
	for (size_t n = 0; n < pf->count && !rc; n++) {
		const struct kpacket *kp = &kps[n];
		if (!kp->usable)
			continue;
		const uint8_t *data = pf->pkts[n].data;
		uint32_t iret = 0, jret;
		if (ebpf_prog_run_interp_maps(&cp, data, kp->len, kp->len, &kp->meta, &henv[0], &iret,
					      &err))
			goto fail;
		jret = ebpf_prog_run_jit(jp, EBPF_TARGET_SOCKET, data, kp->len, kp->len, &kp->meta);
		t->user_runs += 2;
		uint32_t expect = mode == EBPF_COUNT_ONLY ? 0 : want->verdict[n];
		if (iret != expect || jret != expect) {
			printf("FAIL %s: socket %s packet %zu: interpreter %u, JIT %u, want %u\n", tag,
			       mode == EBPF_COUNT_ONLY ? "ONLY" : "STATS", n, iret, jret, expect);
			rc = -1;
		}
	}
	const struct bpfcap_counts *w = mode == EBPF_COUNT_ONLY ? &want->only : &want->stats;
	uint32_t key = 0;
	if (!rc)
		rc = same_counts(tag, "socket interpreter", ebpf_umap_lookup(maps[0], &key), w) |
		     same_counts(tag, "socket JIT", ebpf_umap_lookup(maps[1], &key), w);
	goto out;
fail:
	printf("FAIL %s: socket counting program in userspace: %s\n", tag, err.msg);
	rc = -1;
out:
	ebpf_jit_free(jp);
	ebpf_umap_free(maps[0]);
	ebpf_umap_free(maps[1]);
	ebpf_prog_free(&cp);
	return rc;
}

/* The library's counter (direct target), both engines. */
static int library_counts(const char *tag, const struct bpfcap_prog *cbpf,
			  enum bpfcap_count_mode mode, const struct th_pcap *pf,
			  const struct kpacket *kps, const struct expect *want, struct totals *t)
{
	int rc = 0;
	for (int engine = 0; engine < 2 && !rc; engine++) {
		struct bpfcap_counter *c;
		struct bpfcap_error err = { 0 };
		const char *who = engine == BPFCAP_ENGINE_JIT ? "bpfcap_counter JIT"
							     : "bpfcap_counter interpreter";
		if (bpfcap_counter_load(cbpf, (enum bpfcap_engine)engine, mode, &c, &err)) {
			printf("FAIL %s: %s: %s\n", tag, who, err.msg);
			return -1;
		}
		for (size_t n = 0; n < pf->count && !rc; n++) {
			const struct kpacket *kp = &kps[n];
			if (!kp->usable)
				continue;
			uint32_t r = bpfcap_counter_run(c, pf->pkts[n].data, kp->len, kp->len, &kp->meta);
			t->user_runs++;
			uint32_t expect = mode == BPFCAP_COUNT_ONLY ? 0 : want->verdict[n];
			if (r != expect) {
				printf("FAIL %s: %s packet %zu returns %u, want %u\n", tag, who, n, r,
				       expect);
				rc = -1;
			}
		}
		struct bpfcap_counts got;
		bpfcap_counter_read(c, &got);
		if (!rc)
			rc = same_counts(tag, who, &got,
					 mode == BPFCAP_COUNT_ONLY ? &want->only : &want->stats);
		bpfcap_counter_free(c);
	}
	return rc;
}

static int check_expression(const char *tag, const struct bpfcap_prog *cbpf,
			    const struct th_pcap *pf, const struct kpacket *kps, struct totals *t)
{
	struct bpfcap_error err = { 0 };
	struct ebpf_prog filter;
	t->programs++;
	if (ebpf_translate(cbpf->insns, cbpf->len, EBPF_TARGET_SOCKET, &filter, &err)) {
		printf("FAIL %s: translation: %s\n", tag, err.msg);
		return -1;
	}
	if (filter.uses & EBPF_USES_HELPERS) {
		t->helper_programs++;
		ebpf_prog_free(&filter);
		return 0;
	}
	struct expect want = { .verdict = calloc(pf->count, sizeof(uint32_t)) };
	int rc = 0;
	for (size_t n = 0; n < pf->count && !rc; n++) {
		const struct kpacket *kp = &kps[n];
		if (!kp->usable)
			continue;
		uint32_t v = 0;
		if (ebpf_prog_run_interp(&filter, pf->pkts[n].data, kp->len, kp->len, &kp->meta, NULL,
					 &v, &err)) {
			printf("FAIL %s: plain filter, packet %zu: %s\n", tag, n, err.msg);
			rc = -1;
		}
		want.verdict[n] = v;
		want.stats.seen_packets++;
		want.stats.seen_bytes += kp->len;
		if (v) {
			want.stats.matched_packets++;
			want.stats.matched_bytes += kp->len;
		}
	}
	want.only.matched_packets = want.stats.matched_packets;
	want.only.matched_bytes = want.stats.matched_bytes;
	for (int m = 0; m < 2 && !rc; m++) {
		enum ebpf_count_mode mode = m ? EBPF_COUNT_STATS : EBPF_COUNT_ONLY;
		rc = kernel_counts(tag, cbpf, mode, pf, kps, &want, t);
		if (!rc)
			rc = user_socket_counts(tag, &filter, mode, pf, kps, &want, t);
		if (!rc)
			rc = library_counts(tag, cbpf, (enum bpfcap_count_mode)mode, pf, kps, &want, t);
	}
	free(want.verdict);
	ebpf_prog_free(&filter);
	if (rc)
		t->failed++;
	return rc;
}

static int compile(const char *expr, enum bpfcap_mode mode, struct bpfcap_prog *out)
{
	struct bpfcap_compile_opts o = { .linktype = 1 /* EN10MB */, .snaplen = 262144,
					 .mode = mode, .optimize = 1 };
	struct bpfcap_error err = { 0 };
	return bpfcap_compile(expr, &o, out, &err);
}

static size_t run_list(const char *path, enum bpfcap_mode mode, const struct th_pcap *pf,
		       const struct kpacket *kps, struct totals *t)
{
	struct th_list l = { 0 };
	char err[512];
	if (th_list_load(path, &l, err, sizeof err) < 0 || l.count == 0) {
		printf("ERROR: %s: %s\n", path, l.count ? err : "no expression");
		return 1;
	}
	size_t failed = 0;
	for (size_t i = 0; i < l.count; i++) {
		struct bpfcap_prog prog = { 0 };
		if (compile(l.items[i], mode, &prog))
			continue; /* not ours to compile: diff_filter's business */
		char *one = th_oneline(l.items[i], 100);
		char *tag = th_asprintf("[%s] %s:%d '%s'", mode == BPFCAP_MODE_LIVE ? "live" : "offline",
					path, l.lineno[i], one ? one : "");
		if (check_expression(tag, &prog, pf, kps, t))
			failed++;
		free(tag);
		free(one);
		bpfcap_prog_free(&prog);
	}
	th_list_free(&l);
	return failed;
}

/* ---- -b: the kernel's cost of counting ---------------------------------------- */

static double median_ns(int fd, const uint8_t *pkt, size_t len)
{
	double v[5];
	uint32_t ret;
	for (int i = 0; i < 5; i++)
		v[i] = kbench_run(fd, pkt, len, 200000, &ret);
	return th_median(v, 5);
}

static int bench(const struct th_pcap *pf, const struct kpacket *kps)
{
	static const char *const exprs[] = { "tcp port 80", "ip", "udp and dst port 53",
					     "host 10.0.0.1 or host 10.0.0.2 or net 192.168.0.0/16" };
	/* a matching and a non-matching packet per expression, from the corpus */
	printf("%-66s %8s %10s %10s %10s\n", "expression (packet)", "plain", "STATS", "ONLY",
	       "STATS-plain");
	for (size_t e = 0; e < sizeof exprs / sizeof exprs[0]; e++) {
		struct bpfcap_prog cbpf;
		if (compile(exprs[e], BPFCAP_MODE_OFFLINE, &cbpf))
			continue;
		struct ebpf_prog plain;
		struct bpfcap_error err = { 0 };
		if (ebpf_translate(cbpf.insns, cbpf.len, EBPF_TARGET_SOCKET, &plain, &err))
			return -1;
		for (int want_match = 1; want_match >= 0; want_match--) {
			size_t pick = SIZE_MAX;
			for (size_t n = 0; n < pf->count && pick == SIZE_MAX; n++) {
				uint32_t v = 0;
				if (kps[n].usable &&
				    !ebpf_prog_run_interp(&plain, pf->pkts[n].data, kps[n].len, kps[n].len,
							  &kps[n].meta, NULL, &v, NULL) &&
				    (v != 0) == want_match)
					pick = n;
			}
			if (pick == SIZE_MAX)
				continue;
			const uint8_t *pkt = pf->pkts[pick].data;
			size_t len = kps[pick].len;
			char why[256];
			int fp = kbench_load(plain.insns, plain.len, why, sizeof why);
			struct ebpf_kcount ks, ko;
			if (fp < 0 || ebpf_kcount_open(&cbpf, EBPF_COUNT_STATS, &ks, &err))
				return -1;
			if (ebpf_kcount_open(&cbpf, EBPF_COUNT_ONLY, &ko, &err))
				return -1;
			int fs = kbench_load(ks.prog.insns, ks.prog.len, why, sizeof why);
			int fo = kbench_load(ko.prog.insns, ko.prog.len, why, sizeof why);
			if (fs < 0 || fo < 0) {
				printf("bench: %s\n", why);
				return -1;
			}
			double np = median_ns(fp, pkt, len), ns = median_ns(fs, pkt, len),
			       no = median_ns(fo, pkt, len);
			char label[80];
			snprintf(label, sizeof label, "%s (%s)", exprs[e], want_match ? "match" : "no match");
			printf("%-66s %8.1f %10.1f %10.1f %+10.1f\n", label, np, ns, no, ns - np);
			kbench_close(fp);
			kbench_close(fs);
			kbench_close(fo);
			ebpf_kcount_close(&ks);
			ebpf_kcount_close(&ko);
		}
		ebpf_prog_free(&plain);
		bpfcap_prog_free(&cbpf);
	}
	printf("(ns per BPF_PROG_TEST_RUN run, SCHED_CLS, repeat 200000, median of 5; the harness "
	       "floor is ~17 ns)\n");
	return 0;
}

/* --pin: the map pinned in bpffs is the one the program counts in (read
 * back through the pin with BPF_OBJ_GET), and closing removes the pin.
 * Returns 0, or -1 with a FAIL line; a missing bpffs is a FAIL too (the
 * machine has one at /sys/fs/bpf). */
static int check_pin(const struct th_pcap *pf, const struct kpacket *kps)
{
	struct bpfcap_prog cbpf;
	struct bpfcap_error err = { 0 };
	struct ebpf_kcount kc;
	char path[128];
	snprintf(path, sizeof path, "/sys/fs/bpf/bpfcap_diff_count_%d", (int)getpid());
	if (compile("", BPFCAP_MODE_OFFLINE, &cbpf) || ebpf_kcount_open(&cbpf, EBPF_COUNT_ONLY,
									   &kc, &err)) {
		printf("FAIL pin: %s\n", err.msg);
		return -1;
	}
	bpfcap_prog_free(&cbpf);
	int rc = -1, cls = -1, got_fd = -1;
	if (ebpf_kcount_pin(&kc, path, &err)) {
		printf("FAIL pin: %s\n", err.msg);
		goto out;
	}
	cls = kbpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, kc.prog.insns, kc.prog.len, NULL, 0);
	size_t n = 0;
	while (n < pf->count && !kps[n].usable)
		n++;
	uint32_t ret;
	if (cls < 0 || n == pf->count ||
	    kbpf_test_run(cls, pf->pkts[n].data, kps[n].len, NULL, 3, &ret, NULL)) {
		printf("FAIL pin: cannot run the counting program\n");
		goto out;
	}
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.pathname = (uint64_t)(uintptr_t)path;
	got_fd = (int)syscall(__NR_bpf, BPF_OBJ_GET, &a, sizeof a);
	struct bpfcap_counts c = { 0 };
	if (got_fd < 0 || ebpf_kcount_read_fd(got_fd, kc.ncpus, &c, &err) ||
	    c.matched_packets != 3 || c.matched_bytes != 3ull * kps[n].len) {
		printf("FAIL pin: through %s: %llu matched, %llu bytes; want 3, %u (%s)\n", path,
		       (unsigned long long)c.matched_packets, (unsigned long long)c.matched_bytes,
		       3 * kps[n].len, got_fd < 0 ? strerror(errno) : err.msg);
		goto out;
	}
	rc = 0;
out:
	if (got_fd >= 0)
		close(got_fd);
	if (cls >= 0)
		close(cls);
	ebpf_kcount_close(&kc);
	if (access(path, F_OK) == 0) {
		printf("FAIL pin: %s still exists after ebpf_kcount_close\n", path);
		unlink(path);
		rc = -1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const char *single = NULL;
	int do_bench = 0, opt;
	while ((opt = getopt(argc, argv, "qbe:")) != -1) {
		switch (opt) {
		case 'q': quiet = 1; break;
		case 'b': do_bench = 1; break;
		case 'e': single = optarg; break;
		default:
			fprintf(stderr, "usage: diff_count [-q] [-b] [-e EXPR]\n");
			return 2;
		}
	}
	char why[256];
	if (!kbpf_available(why, sizeof why)) {
		printf("SKIP diff_count: %s\n", why);
		return 77;
	}
	double t0 = th_now();
	char err[512];
	char *pcap_path = th_asprintf("%s/en10mb.pcap", th_corpus_dir());
	struct th_pcap pf = { 0 };
	if (th_pcap_load(pcap_path, &pf, err, sizeof err) || pf.count == 0) {
		printf("ERROR: cannot read the corpus %s: %s (run tests/run-all.sh, which generates "
		       "it)\n", pcap_path, pf.count ? err : "empty");
		return 1;
	}
	struct kpacket *kps = calloc(pf.count, sizeof *kps);
	if (probe_corpus(&pf, kps))
		return 1;
	size_t usable = 0;
	for (size_t n = 0; n < pf.count; n++)
		usable += kps[n].usable;
	if (do_bench)
		return bench(&pf, kps) ? 1 : 0;
	struct totals t = { 0 };
	size_t failed = 0;
	if (single) {
		struct bpfcap_prog prog;
		if (compile(single, BPFCAP_MODE_OFFLINE, &prog)) {
			printf("ERROR: cannot compile '%s'\n", single);
			return 1;
		}
		failed += check_expression(single, &prog, &pf, kps, &t) != 0;
		bpfcap_prog_free(&prog);
	} else {
		char *tests = th_tests_dir();
		const char *lists[2] = { "EN10MB", "live" };
		for (int m = 0; m < 2; m++) {
			char *path = th_asprintf("%s/diff/exprs/%s.txt", tests, lists[m]);
			failed += run_list(path, m ? BPFCAP_MODE_LIVE : BPFCAP_MODE_OFFLINE, &pf, kps, &t);
			free(path);
		}
		free(tests);
	}
	int pin_failed = check_pin(&pf, kps) != 0;
	failed += (size_t)pin_failed;
	printf("count: %zu expressions (%zu calling CPU/RANDOM left out) x COUNT_ONLY, COUNT_STATS "
	       "on %zu of %zu packets: %zu kernel loads, %zu kernel runs, %zu userspace runs "
	       "(socket interp+JIT, bpfcap_counter interp+JIT); pin %s; %zu failed; %.1f s\n",
	       t.programs, t.helper_programs, usable, pf.count, t.kernel_loads, t.kernel_runs,
	       t.user_runs, pin_failed ? "FAILED" : "read back through bpffs and removed", failed,
	       th_now() - t0);
	free(kps);
	th_pcap_free(&pf);
	free(pcap_path);
	return failed ? 1 : 0;
}
