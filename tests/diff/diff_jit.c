/* diff_jit: the JIT against the interpreter.
 *
 * (1) Every bpf_conformance test (../shared/corpus/bpf_conformance) through
 *     the JIT with the same memory: r0 must equal "-- result" (which the
 *     interpreter passes, see diff_conformance).  Tests using what the JIT
 *     refuses (atomics, local calls, callx: BPFCAP_E_UNSUPPORTED) are
 *     counted per group as skipped, with the reason.
 * (2) The test suite's filters: every expression of tests/diff/exprs
 *     (<LINKTYPE>.txt and -reject.txt) bpfcap compiles, optimized and not,
 *     translated for both targets, over the project corpus of its link
 *     type with random metadata: ebpf_prog_run_jit must return what
 *     ebpf_prog_run_interp does on every packet.
 * (3) A randomized differential fuzzer: random programs, safe by
 *     construction (every register and stack byte written before it is
 *     read, packet reads behind the bounds checks of /tmp/direct_pattern's
 *     shapes or through LD_ABS/LD_IND with r6 = ctx, helpers 7 and 8 bound
 *     to deterministic test functions; each must pass ebpf_verify for
 *     its target), each run over random packets by
 *     the JIT and the interpreter: r0 must agree on every run.
 *     JIT_FUZZ_SECONDS (default 60; 0 = until a mismatch), JIT_FUZZ_SEED
 *     (default: from the clock; printed).  A mismatch prints the program,
 *     the packet and both results.
 * Exit 0 if everything agreed, 1 otherwise, 77 without the corpus. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asm.h"
#include "conformance.h"
#include "ebpf_gen.h"
/* libpcap's <pcap/bpf.h> and the kernel's <linux/bpf.h> (vm/context.h's
 * struct __sk_buff) both define struct bpf_insn: libpcap's is renamed
 * here, which uses it only through harness.h. */
#define bpf_insn pcap_bpf_insn
#include "harness.h"
#undef bpf_insn
#include "interp.h"
#include "jit.h"
#include "run.h"
#include "translate.h"
#include "verify.h"

/* ---- (1) conformance --------------------------------------------------------- */

enum { CONF_PASS, CONF_FAIL, CONF_UNSUPPORTED };

static int conf_run_jit(const char *path, char *why, size_t whysz)
{
	size_t flen;
	char *text = th_slurp(path, &flen);
	if (!text) {
		snprintf(why, whysz, "cannot read: %s", strerror(errno));
		return CONF_FAIL;
	}
	struct conf_test t;
	int verdict = CONF_FAIL;
	struct ebpf_insn *prog = NULL;
	size_t len = 0;
	struct ebpf_jit_prog *jp = NULL;
	uint8_t *mem = NULL;
	if (conf_parse(text, &t, why, whysz))
		goto out;
	struct bpfcap_error err = { 0 };
	if (ebpf_asm(t.asm_text, &prog, &len, &err)) {
		snprintf(why, whysz, "asm: %s", err.msg);
		goto out;
	}
	ebpf_helper_fn helpers[CONF_HELPER_UNWIND + 1] = { [CONF_HELPER_UNWIND] = conf_helper_unwind };
	struct ebpf_jit_opts opts = { helpers, CONF_HELPER_UNWIND + 1, NULL };
	int rc = ebpf_jit_compile(prog, len, &opts, &jp, &err);
	if (rc == BPFCAP_E_UNSUPPORTED) {
		snprintf(why, whysz, "%s", err.msg);
		verdict = CONF_UNSUPPORTED;
		goto out;
	}
	if (rc) {
		snprintf(why, whysz, "jit: %s", err.msg);
		goto out;
	}
	mem = t.mem_len ? malloc(t.mem_len) : NULL;
	if (mem)
		memcpy(mem, t.mem, t.mem_len);
	/* r1 = mem, r2 = its length (the JIT's r2 is pkt_len), and the same
	 * bytes as the packet for LD_ABS/LD_IND. */
	uint64_t r0 = ebpf_jit_entry(jp)((uint64_t)(uintptr_t)mem, mem, t.mem_len, 0);
	if (r0 != t.result)
		snprintf(why, whysz, "jit r0 = 0x%" PRIx64 ", expected 0x%" PRIx64, r0, t.result);
	else
		verdict = CONF_PASS;
out:
	ebpf_jit_free(jp);
	free(mem);
	free(prog);
	conf_free(&t);
	free(text);
	return verdict;
}

struct group {
	char name[32];
	int passed, failed, skipped;
	char reason[160];
};

/* Returns the number of failures (-1: no corpus). */
static int run_conformance(void)
{
	char *shared = th_shared_dir();
	if (!shared)
		return -1;
	char *dir = th_asprintf("%s/corpus/bpf_conformance/tests", shared);
	size_t n = 0;
	char **names = conf_list(dir, &n);
	if (!names) {
		printf("conformance: %s: %s\n", dir, strerror(errno));
		free(dir);
		free(shared);
		return -1;
	}
	struct group groups[128];
	size_t ngroups = 0;
	int passed = 0, failed = 0, skipped = 0;
	for (size_t i = 0; i < n; i++) {
		char g[32];
		conf_group_of(names[i], g, sizeof g);
		struct group *gr = NULL;
		for (size_t k = 0; k < ngroups; k++)
			if (!strcmp(groups[k].name, g))
				gr = &groups[k];
		if (!gr) {
			if (ngroups == sizeof groups / sizeof groups[0])
				abort();
			gr = &groups[ngroups++];
			memset(gr, 0, sizeof *gr);
			snprintf(gr->name, sizeof gr->name, "%s", g);
		}
		char *path = th_asprintf("%s/%s.data", dir, names[i]);
		char why[512] = "";
		switch (conf_run_jit(path, why, sizeof why)) {
		case CONF_PASS:
			gr->passed++;
			passed++;
			break;
		case CONF_UNSUPPORTED:
			gr->skipped++;
			skipped++;
			if (!gr->reason[0])
				snprintf(gr->reason, sizeof gr->reason, "%s: %s", names[i], why);
			break;
		default:
			printf("FAIL %s: %s\n", names[i], why);
			gr->failed++;
			failed++;
		}
		free(path);
	}
	printf("conformance through the JIT:\n%-10s %6s %6s %7s\n", "group", "passed", "failed",
	       "skipped");
	for (size_t k = 0; k < ngroups; k++)
		printf("%-10s %6d %6d %7d\n", groups[k].name, groups[k].passed, groups[k].failed,
		       groups[k].skipped);
	for (size_t k = 0; k < ngroups; k++)
		if (groups[k].reason[0])
			printf("  skipped in %s (JIT refuses, BPFCAP_E_UNSUPPORTED), e.g. %s\n", groups[k].name,
			       groups[k].reason);
	printf("conformance: %d passed, %d failed, %d unsupported by the JIT (of %zu)\n", passed,
	       failed, skipped, n);
	conf_list_free(names, n);
	free(dir);
	free(shared);
	return failed;
}

/* ---- (2) the fuzzer: generation ------------------------------------------------ */

/* ---- (2) the suite's expressions over the corpus -------------------------------- */

struct suite_stats {
	size_t programs, runs, mismatches, jit_failures, not_compiled;
};

static void meta_draw(struct bpfcap_pkt_meta *m, const struct th_packet *p)
{
	memset(m, 0, sizeof *m);
	m->pkt_type = egen_below(5);
	m->ifindex = egen_below(8);
	m->protocol = egen_below(2) ? 0x0800 : (uint32_t)egen_rnd() & 0xffff;
	m->vlan_present = egen_below(2);
	m->vlan_tci = m->vlan_present ? egen_below(4096) : 0;
	m->vlan_tpid = m->vlan_present ? 0x8100 : 0;
	m->mark = (uint32_t)egen_rnd();
	m->hash = (uint32_t)egen_rnd();
	m->net_off = egen_below(p->caplen + 1);
}

static void suite_prog(struct suite_stats *st, const struct ebpf_prog *e, const char *what,
		       const struct th_packet *pk, size_t npk)
{
	struct ebpf_rng rng_i, rng_j;
	struct ebpf_jit_prog *jp;
	struct bpfcap_error err = { 0 };
	st->programs++;
	if (ebpf_prog_jit_compile(e, &rng_j, &jp, &err)) {
		st->jit_failures++;
		if (st->jit_failures + st->mismatches <= 20)
			printf("FAIL %s: the JIT refused it: %s\n", what, err.msg);
		return;
	}
	for (size_t i = 0; i < npk; i++) {
		struct bpfcap_pkt_meta m;
		meta_draw(&m, &pk[i]);
		ebpf_rng_seed(&rng_i, i + 1);
		ebpf_rng_seed(&rng_j, i + 1);
		uint32_t want;
		if (ebpf_prog_run_interp(e, pk[i].data, pk[i].caplen, pk[i].wirelen, &m, &rng_i, &want,
					 &err)) {
			st->mismatches++;
			if (st->jit_failures + st->mismatches <= 20)
				printf("FAIL %s: packet #%zu: the interpreter faulted: %s\n", what, i, err.msg);
			continue;
		}
		uint32_t got = ebpf_prog_run_jit(jp, e->target, pk[i].data, pk[i].caplen, pk[i].wirelen, &m);
		st->runs++;
		if (got != want) {
			st->mismatches++;
			if (st->jit_failures + st->mismatches <= 20)
				printf("FAIL %s: packet #%zu: interpreter %u, JIT %u\n", what, i, want, got);
		}
	}
	ebpf_jit_free(jp);
}

/* Returns the number of failures (-1: a list or the corpus is missing). */
static int run_suite(void)
{
	struct th_linktype lts[4];
	size_t nlt = th_linktypes(lts);
	char *tests = th_tests_dir();
	struct suite_stats st = { 0 };
	double t0 = th_now();
	int missing = 0;
	for (size_t l = 0; l < nlt; l++) {
		char err[512];
		struct th_pcap pf;
		char *path = th_asprintf("%s/%s.pcap", th_corpus_dir(), lts[l].stem);
		if (th_pcap_load(path, &pf, err, sizeof err)) {
			printf("suite: %s\n", err);
			free(path);
			missing = 1;
			continue;
		}
		free(path);
		static const char *const kinds[] = { "", "-reject" };
		for (int k = 0; k < 2; k++) {
			struct th_list list;
			path = th_asprintf("%s/diff/exprs/%s%s.txt", tests, lts[l].name, kinds[k]);
			if (th_list_load(path, &list, err, sizeof err) < 0) {
				printf("suite: %s\n", err);
				free(path);
				missing = 1;
				continue;
			}
			free(path);
			for (size_t x = 0; x < list.count; x++)
				for (int opt = 1; opt >= 0; opt--) {
					struct bpfcap_prog prog;
					struct bpfcap_error e;
					if (th_bpfcap_compile(lts[l].bpfcap_dlt, list.items[x], opt, 0, 0, &prog, &e)) {
						st.not_compiled++;
						continue;
					}
					for (int t = 0; t < 2; t++) {
						struct ebpf_prog ep;
						if (ebpf_translate(prog.insns, prog.len, (enum ebpf_target)t, &ep, &e))
							continue; /* diff_translate judges translation */
						char what[600];
						snprintf(what, sizeof what, "%s '%s' (%s, %s)", lts[l].name, list.items[x],
							 opt ? "optimized" : "unoptimized", ebpf_target_name((enum ebpf_target)t));
						suite_prog(&st, &ep, what, pf.pkts, pf.count);
						ebpf_prog_free(&ep);
					}
					bpfcap_prog_free(&prog);
				}
			th_list_free(&list);
		}
		th_pcap_free(&pf);
	}
	free(tests);
	printf("suite: %zu translated programs (both targets) x corpus = %zu runs, %.1f s: "
	       "%zu mismatches, %zu refused by the JIT\n",
	       st.programs, st.runs, th_now() - t0, st.mismatches, st.jit_failures);
	if (missing)
		return -1;
	return (int)(st.mismatches + st.jit_failures);
}

/* ---- (3) the fuzzer: running ------------------------------------------------------ */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 31;
	x *= UINT64_C(0x7fb5d329728ea185);
	x ^= x >> 27;
	x *= UINT64_C(0x81dadef4bc2dd44d);
	return x ^ (x >> 33);
}

/* Helpers 7 and 8, deterministic: they depend on every argument, so the
 * JIT's register shuffle is checked too. */
static uint64_t fuzz_prandom(void *user, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			     uint64_t r5)
{
	uint64_t s = *(const uint64_t *)user;
	return mix64(s ^ r1 ^ (r2 << 7 | r2 >> 57) ^ (r3 << 13 | r3 >> 51) ^ (r4 << 29 | r4 >> 35) ^
		     (r5 << 41 | r5 >> 23)) & UINT32_MAX;
}

static uint64_t fuzz_cpu(void *user, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			 uint64_t r5)
{
	return (r1 * 3 + r2 * 5 + r3 * 7 + r4 * 11 + r5 * 13) & 0xff;
}

#define MAX_PKT 160

struct pkt {
	uint8_t bytes[MAX_PKT];
	size_t len;
	size_t net_off;
};

static void rnd_packet(struct pkt *p)
{
	p->len = egen_below(4) == 0 ? egen_below(20) : egen_below(MAX_PKT + 1);
	for (size_t i = 0; i < p->len; i++)
		p->bytes[i] = egen_below(3) ? (uint8_t)egen_rnd() : (uint8_t)(egen_below(2) ? 0 : 0xff);
	p->net_off = egen_below((uint32_t)p->len + 8);
}

static void print_program(const struct ebpf_insn *prog, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("  %4zu: code 0x%02x dst r%u src r%u off %d imm %d\n", i, prog[i].code,
		       prog[i].dst, prog[i].src, prog[i].off, prog[i].imm);
}

static void print_packet(const struct pkt *p)
{
	printf("  packet (%zu bytes, net_off %zu):", p->len, p->net_off);
	for (size_t i = 0; i < p->len; i++)
		printf("%s%02x", i % 32 ? " " : "\n    ", p->bytes[i]);
	printf("\n");
}

struct fuzz_stats {
	uint64_t programs, runs, mismatches, failures;
};

/* One program over npkts packets.  0 when everything agreed. */
static int fuzz_one(struct fuzz_stats *st, uint64_t seed_user)
{
	static struct ebpf_insn prog[EGEN_MAX_PROG];
	enum egen_target target;
	size_t len = egen_program(prog, &target);

	uint64_t user = seed_user;
	ebpf_helper_fn helpers[EGEN_NHELPERS] = { [EGEN_HELPER_PRANDOM] = fuzz_prandom,
						  [EGEN_HELPER_CPU] = fuzz_cpu };
	struct ebpf_jit_opts opts = { helpers, EGEN_NHELPERS, &user };
	struct ebpf_jit_prog *jp;
	struct bpfcap_error err = { 0 };
	st->programs++;
	/* Safe by construction means the verifier agrees. */
	if (ebpf_verify(prog, len, (enum ebpf_target)target, &err)) {
		printf("FAIL: ebpf_verify (%s) rejects a generated program: %s\n",
		       target == EGEN_DIRECT ? "direct" : "socket", err.msg);
		print_program(prog, len);
		st->failures++;
		return 1;
	}
	if (ebpf_jit_compile(prog, len, &opts, &jp, &err)) {
		printf("FAIL: the JIT refused a generated program: %s\n", err.msg);
		print_program(prog, len);
		st->failures++;
		return 1;
	}
	ebpf_jit_fn fn = ebpf_jit_entry(jp);
	int bad = 0;
	for (int k = 0; k < 16 && !bad; k++) {
		struct pkt p;
		rnd_packet(&p);
		/* The packet in a buffer of exactly its length: ASan sees any
		 * read past it. */
		uint8_t *buf = malloc(p.len ? p.len : 1);
		memcpy(buf, p.bytes, p.len);
		union egen_ctx ectx;
		size_t ctx_len = egen_context(target, &ectx, buf, p.len, p.net_off);
		void *ctx = ectx.bytes;
		struct ebpf_region regions[2] = { { ctx, ctx_len, 0 }, { buf, p.len, 0 } };
		struct ebpf_run_env env = {
			.r1 = (uint64_t)(uintptr_t)ctx, .r2 = p.len,
			.regions = regions, .nregions = 2,
			.pkt = buf, .pkt_len = p.len, .net_off = p.net_off,
			.helpers = helpers, .nhelpers = EGEN_NHELPERS, .helper_user = &user,
		};
		struct ebpf_run_result res;
		int rc = ebpf_run(prog, len, &env, &res, &err);
		uint64_t jr0 = fn((uint64_t)(uintptr_t)ctx, buf, p.len, p.net_off);
		st->runs++;
		if (rc) {
			printf("FAIL: the interpreter faulted on a generated program (%s): %s\n",
			       ebpf_fault_name(res.fault), err.msg);
			bad = 1;
			st->failures++;
		} else if (res.r0 != jr0) {
			printf("MISMATCH: interpreter r0 = 0x%" PRIx64 ", JIT r0 = 0x%" PRIx64 " (%s target)\n",
			       res.r0, jr0, target == EGEN_DIRECT ? "direct" : "socket");
			bad = 1;
			st->mismatches++;
		}
		if (bad) {
			print_program(prog, len);
			print_packet(&p);
		}
		free(buf);
	}
	ebpf_jit_free(jp);
	return bad;
}

static int run_fuzzer(void)
{
	const char *s = getenv("JIT_FUZZ_SECONDS");
	double seconds = s && *s ? atof(s) : 60;
	const char *sd = getenv("JIT_FUZZ_SEED");
	uint64_t seed = sd && *sd ? strtoull(sd, NULL, 0) : (uint64_t)time(NULL) ^ (uint64_t)clock();
	if (!seed)
		seed = 1;
	egen_rng_state = seed;
	printf("fuzz: JIT_FUZZ_SEED=0x%" PRIx64 " JIT_FUZZ_SECONDS=%g\n", seed, seconds);
	fflush(stdout);
	struct fuzz_stats st = { 0 };
	double t0 = th_now(), dt = 0;
	for (;;) {
		if (fuzz_one(&st, seed ^ st.programs))
			break;
		if ((st.programs & 63) == 0) {
			dt = th_now() - t0;
			if (seconds > 0 && dt >= seconds)
				break;
		}
	}
	dt = th_now() - t0;
	printf("fuzz: %" PRIu64 " programs x packets = %" PRIu64 " runs in %.1f s (%.0f runs/s): "
	       "%" PRIu64 " mismatches, %" PRIu64 " failures\n",
	       st.programs, st.runs, dt, dt > 0 ? (double)st.runs / dt : 0.0, st.mismatches,
	       st.failures);
	return st.mismatches || st.failures;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int conf = run_conformance();
	if (conf < 0) {
		printf("SKIP: the bpf_conformance corpus is missing (set BPFCAP_SHARED)\n");
		return 77;
	}
	egen_rng_state = 0x5eed;
	int suite = run_suite();
	if (suite < 0) {
		printf("SKIP: an expression list or the corpus is missing (make build/tests/gen_corpus)\n");
		return 77;
	}
	int fuzz = run_fuzzer();
	int failed = (conf != 0) + (suite != 0) + (fuzz != 0);
	printf("%d passed, %d failed\n", 3 - failed, failed);
	return failed ? 1 : 0;
}
