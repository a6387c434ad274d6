/* diff_translate: the cBPF → eBPF translator against the cBPF it came from.
 *
 * Each program is translated for both targets (socket: LD_ABS with an
 * __sk_buff; direct: bounds-checked loads from a packet context), every
 * translation must pass vm/verify's ebpf_verify, and runs in the eBPF
 * interpreter (vm/run.c) on every packet:
 *   offline  every expression of tests/diff/exprs/<LINKTYPE>.txt and
 *            <LINKTYPE>-reject.txt that bpfcap compiles (optimized and
 *            not), over the project corpus of that link type plus the
 *            captures of ../shared/corpus/libpcap-filter-tests/filter of
 *            the same DLT: the result must equal libpcap's bpf_filter on
 *            the cBPF.  libpcap's own programs for the expressions are
 *            translated and run the same way.
 *   live     tests/diff/exprs/live.txt compiled in BPFCAP_MODE_LIVE
 *            (EN10MB), with several metadata draws per packet (every
 *            pkt_type, VLAN tag present and absent, random ifindex, mark,
 *            hash...): the result must equal tests/common/cbpf_ref.c's
 *            (the kernel's classic semantics) with the same metadata.
 *   cbpf     hand-written programs, tests/diff/cbpf/NAME.ddd, which together
 *            use every cBPF opcode and ancillary load: against cbpf_ref
 *            with random metadata; those without ancillary loads or
 *            negative offsets also against libpcap's bpf_filter.  CPU and
 *            RANDOM are not predictable: a program reading them declares a
 *            range its result must fall in ("# range LO HI").
 *
 *   random   RANDOM_PROGRAMS random valid classic programs (every opcode,
 *            ancillary loads but CPU/RANDOM/HATYPE, negative offsets, X + k
 *            wrapping, unreachable code, scratch read before written),
 *            each on RANDOM_PACKETS corpus packets with random metadata,
 *            against cbpf_ref.
 *
 * .ddd format (tcpdump -ddd): blank lines and lines starting with '#' are
 * skipped, the first other line is the instruction count, then one
 * instruction a line, "code jt jf k" in decimal.  Directives in comments:
 *   # range LO HI            results are checked to lie in [LO, HI]
 *   # socket: unsupported    translating for socket must say
 *                            BPFCAP_E_UNSUPPORTED (the direct target runs)
 *   # unsupported            both targets must say BPFCAP_E_UNSUPPORTED
 *   # libpcap: no            not compared with bpf_filter (e.g. it reads
 *                            M[] unwritten, which libpcap leaves undefined)
 * Together the files must use every opcode of classic BPF and every
 * ancillary load (checked: a missing one is a failure).
 *
 * Usage: diff_translate [-q] [-p offline|live|cbpf|random]... [-e EXPR]
 * Prints one summary line; exit 0 only with no mismatch. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bpfcap.h"
#include "cbpf.h"
/* libpcap's <pcap/bpf.h> and the kernel's <linux/bpf.h> (which vm/context.h
 * needs for struct __sk_buff) both define struct bpf_insn: libpcap's is
 * renamed in this file, which uses it only through these headers. */
#define bpf_insn pcap_bpf_insn
#include "cbpf_ref.h"
#include "harness.h"
#undef bpf_insn
#include "run.h"
#include "translate.h"
#include "verify.h"

#define MAX_REPORTS 20
#define LIVE_DRAWS 5  /* one per pkt_type */
#define CBPF_DRAWS 4
#define RANDOM_PROGRAMS 10000
#define RANDOM_PACKETS 24

struct stats {
	size_t programs, failed_programs, packets, runs[2], mismatches, translate_fail, not_compiled;
	size_t ebpf_insns[2], cbpf_insns, libpcap_checked, libpcap_loops, verified[2];
};

static int quiet;
static struct stats st;
static struct ebpf_rng rng;        /* draws: metadata, random programs */
static struct ebpf_rng helper_rng; /* bpf_get_prandom_u32 in the runs */

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	st.mismatches++;
	if (quiet || st.mismatches > MAX_REPORTS)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("FAIL ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
}

/* ---- packets ------------------------------------------------------------- */

struct pktset {
	struct th_packet *p;
	size_t n;
	struct th_pcap files[64];
	size_t nfiles;
};

static int pktset_add(struct pktset *s, const char *path, int dlt, int required)
{
	char err[512];
	if (s->nfiles == sizeof s->files / sizeof s->files[0])
		return 0;
	struct th_pcap *pf = &s->files[s->nfiles];
	if (th_pcap_load(path, pf, err, sizeof err)) {
		if (required)
			printf("ERROR: %s\n", err);
		return required ? -1 : 0;
	}
	if (pf->dlt != dlt) {
		th_pcap_free(pf);
		return 0;
	}
	s->nfiles++;
	struct th_packet *np = realloc(s->p, (s->n + pf->count) * sizeof *np);
	if (!np)
		return -1;
	s->p = np;
	memcpy(s->p + s->n, pf->pkts, pf->count * sizeof *np);
	s->n += pf->count;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && !strcmp(s + a - b, suffix);
}

/* The project corpus of a link type plus libpcap's filter-test captures of
 * the same DLT. */
static int pktset_load(struct pktset *s, const struct th_linktype *lt)
{
	memset(s, 0, sizeof *s);
	char *path = th_asprintf("%s/%s.pcap", th_corpus_dir(), lt->stem);
	int rc = pktset_add(s, path, lt->pcap_dlt, 1);
	free(path);
	if (rc)
		return rc;
	char *shared = th_shared_dir();
	if (!shared)
		return 0;
	char *dir = th_asprintf("%s/corpus/libpcap-filter-tests/filter", shared);
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!ends_with(e->d_name, ".pcap") && !ends_with(e->d_name, ".pcapng"))
				continue;
			char *p = th_asprintf("%s/%s", dir, e->d_name);
			pktset_add(s, p, lt->pcap_dlt, 0);
			free(p);
		}
		closedir(d);
	}
	free(dir);
	free(shared);
	return 0;
}

static void pktset_free(struct pktset *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		th_pcap_free(&s->files[i]);
	free(s->p);
}

/* ---- running ----------------------------------------------------------------- */

static const char *const target_names[2] = { "socket", "direct" };

/* Both translations of one cBPF program. */
struct pair {
	struct ebpf_prog e[2];
	int ok[2];
	size_t mismatches_before;
};

/* unsupported: bit t set when target t must refuse with BPFCAP_E_UNSUPPORTED. */
static int translate_both(const struct bpfcap_insn *insns, size_t len, const char *what,
			  unsigned unsupported, struct pair *pr)
{
	int all = 1;
	pr->mismatches_before = st.mismatches;
	for (int t = 0; t < 2; t++) {
		struct bpfcap_error err = { 0 };
		int rc = ebpf_translate(insns, len, (enum ebpf_target)t, &pr->e[t], &err);
		pr->ok[t] = rc == 0;
		if (unsupported & (1u << t)) {
			if (rc != BPFCAP_E_UNSUPPORTED) {
				report("%s [%s]: translation should be unsupported, got %d (%s)", what,
				       target_names[t], rc, rc ? err.msg : "translated");
				all = 0;
			}
			if (rc == 0)
				ebpf_prog_free(&pr->e[t]);
			pr->ok[t] = 0;
			continue;
		}
		if (rc) {
			st.translate_fail++;
			report("%s [%s]: translation failed: %s", what, target_names[t], err.msg);
			all = 0;
			continue;
		}
		st.ebpf_insns[t] += pr->e[t].len;
		/* Every translated program must pass our verifier. */
		struct bpfcap_error verr = { 0 };
		if (ebpf_verify(pr->e[t].insns, pr->e[t].len, (enum ebpf_target)t, &verr)) {
			report("%s [%s]: the verifier rejects the translation: %s", what, target_names[t],
			       verr.msg);
			all = 0;
		} else {
			st.verified[t]++;
		}
	}
	st.cbpf_insns += len;
	st.programs++;
	return all;
}

static void pair_free(struct pair *pr)
{
	if (st.mismatches != pr->mismatches_before)
		st.failed_programs++;
	for (int t = 0; t < 2; t++)
		if (pr->ok[t])
			ebpf_prog_free(&pr->e[t]);
}

/* Runs both targets on one packet; compares with want (or the range).
 * Returns 1 when all agree. */
static int check_packet(const struct pair *pr, const char *what, size_t pk,
			const struct th_packet *p, const struct bpfcap_pkt_meta *meta,
			uint32_t want, int ranged, uint32_t lo, uint32_t hi)
{
	int good = 1;
	for (int t = 0; t < 2; t++) {
		if (!pr->ok[t])
			continue;
		uint32_t got;
		struct bpfcap_error err = { 0 };
		st.runs[t]++;
		if (ebpf_prog_run_interp(&pr->e[t], p->data, p->caplen, p->wirelen, meta, &helper_rng, &got,
					 &err)) {
			report("%s [%s] packet #%zu: the run faulted: %s", what, target_names[t], pk,
			       err.msg);
			good = 0;
			continue;
		}
		if (ranged ? (got < lo || got > hi) : got != want) {
			if (ranged)
				report("%s [%s] packet #%zu: %u outside [%u, %u]", what, target_names[t],
				       pk, got, lo, hi);
			else
				report("%s [%s] packet #%zu (caplen %u): eBPF %u, reference %u", what,
				       target_names[t], pk, p->caplen, got, want);
			good = 0;
		}
	}
	return good;
}

/* ---- metadata draws --------------------------------------------------------------- */

static uint32_t rnd(void)
{
	return ebpf_rng_next(&rng);
}

/* Random metadata; pkt_type and VLAN presence as given. */
static void draw_meta(struct ref_meta *rm, const struct th_packet *p, uint32_t pkt_type,
		      int vlan)
{
	memset(rm, 0, sizeof *rm);
	struct bpfcap_pkt_meta *m = &rm->m;
	m->pkt_type = pkt_type;
	m->ifindex = 1 + rnd() % 4;
	m->protocol = p->caplen >= 14 ? (uint32_t)(p->data[12] << 8 | p->data[13]) : rnd() & 0xffff;
	m->vlan_present = (uint32_t)vlan;
	m->vlan_tci = vlan ? rnd() & 0xffff : 0;
	m->vlan_tpid = vlan ? (rnd() & 1 ? 0x8100 : 0x88a8) : 0;
	m->mark = rnd() % 3 ? rnd() : 0;
	m->hash = rnd();
	m->queue = rnd() % 8;
	m->hatype = rnd() % 2 ? 1 : 772;
	m->net_off = rnd() % 3 ? 14 : rnd() % 48;
}

/* A program with ancillary loads is judged by cbpf_ref with metadata
 * draws: libpcap's bpf_filter fails every such load. */
static int has_ancillary(const struct bpfcap_prog *prog)
{
	for (size_t i = 0; i < prog->len; i++)
		if (CBPF_CLASS(prog->insns[i].code) == CBPF_LD &&
		    CBPF_MODE(prog->insns[i].code) == CBPF_ABS &&
		    prog->insns[i].k >= (uint32_t)CBPF_SKF_AD_OFF)
			return 1;
	return 0;
}

/* Runs a compiled program's translations over a packet set: against
 * libpcap's bpf_filter, or (ancillary loads) against cbpf_ref with
 * LIVE_DRAWS metadata draws per packet, one per pkt_type, the VLAN tag
 * present on every other. */
static void run_compiled(const struct bpfcap_prog *prog, const struct pair *pr, const char *what,
			 const struct pktset *ps)
{
	int with_meta = has_ancillary(prog);
	int good = 1;
	for (size_t k = 0; k < ps->n && good; k++) {
		const struct th_packet *p = &ps->p[k];
		if (!with_meta) {
			uint32_t want = th_run(th_insns(prog), p);
			good = check_packet(pr, what, k, p, NULL, want, 0, 0, 0);
			continue;
		}
		for (uint32_t d = 0; d < LIVE_DRAWS && good; d++) {
			struct ref_meta rm;
			draw_meta(&rm, p, d, (int)((k + d) & 1));
			uint32_t want = ref_run(th_insns(prog), p->data, p->caplen, p->wirelen, &rm);
			good = check_packet(pr, what, k, p, &rm.m, want, 0, 0, 0);
		}
	}
}

/* ---- offline expressions ---------------------------------------------------- */

static int backward_ja(const struct bpfcap_prog *p)
{
	for (size_t i = 0; i < p->len; i++)
		if (p->insns[i].code == (CBPF_JMP | CBPF_JA) && p->insns[i].k >= 0x80000000u)
			return 1;
	return 0;
}

static void expect_invalid(const struct bpfcap_prog *p, const char *what)
{
	st.libpcap_loops++;
	for (int t = 0; t < 2; t++) {
		struct ebpf_prog e;
		struct bpfcap_error err = { 0 };
		int rc = ebpf_translate(p->insns, p->len, (enum ebpf_target)t, &e, &err);
		if (rc == 0)
			ebpf_prog_free(&e);
		if (rc != BPFCAP_E_INVALID)
			report("%s (libpcap's, with a backward ja) [%s]: translation should be invalid, "
			       "got %d", what, target_names[t], rc);
	}
}

static void offline_expr(const struct th_linktype *lt, const struct pktset *ps, const char *expr,
			 const char *where)
{
	for (int opt = 1; opt >= 0; opt--) {
		struct bpfcap_prog prog;
		struct bpfcap_error err;
		if (th_bpfcap_compile(lt->bpfcap_dlt, expr, opt, 0, 0, &prog, &err)) {
			st.not_compiled++;
			continue;
		}
		char *one = th_oneline(expr, 100);
		char *what = th_asprintf("[%s %s] %s '%s'", lt->name, opt ? "opt" : "noopt", where, one);
		struct pair pr;
		translate_both(prog.insns, prog.len, what, 0, &pr);
		run_compiled(&prog, &pr, what, ps);
		pair_free(&pr);
		free(what);
		bpfcap_prog_free(&prog);
		/* libpcap's own program for it too: other shapes (its jumps past
		 * 255 bridged with ja, its scratch use) through the translator. */
		struct bpf_program bp;
		char perr[PCAP_ERRBUF_SIZE + 64];
		if (th_libpcap_compile(lt->pcap_dlt, expr, opt, 0, 0, &bp, perr, sizeof perr) == 0) {
			struct bpfcap_prog theirs = { (struct bpfcap_insn *)(void *)bp.bf_insns, bp.bf_len };
			if (backward_ja(&theirs)) {
				/* libpcap's protochain loops with a backward JA: not
				 * classic BPF the kernel accepts, nor we. */
				expect_invalid(&theirs, one);
				pcap_freecode(&bp);
				free(one);
				continue;
			}
			what = th_asprintf("[%s %s libpcap] %s '%s'", lt->name, opt ? "opt" : "noopt", where,
					   one);
			translate_both(theirs.insns, theirs.len, what, 0, &pr);
			run_compiled(&theirs, &pr, what, ps);
			pair_free(&pr);
			free(what);
			pcap_freecode(&bp);
		}
		free(one);
	}
}

static int part_offline(const char *single)
{
	struct th_linktype lts[4];
	size_t n = th_linktypes(lts);
	char *tests = th_tests_dir();
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct pktset ps;
		if (pktset_load(&ps, &lts[i])) {
			rc = -1;
			continue;
		}
		st.packets += ps.n;
		if (single) {
			offline_expr(&lts[i], &ps, single, "-e");
		} else {
			const char *kinds[2] = { "", "-reject" };
			for (int r = 0; r < 2; r++) {
				char err[512];
				struct th_list l;
				char *path = th_asprintf("%s/diff/exprs/%s%s.txt", tests, lts[i].name, kinds[r]);
				if (th_list_load(path, &l, err, sizeof err) < 0) {
					printf("ERROR: %s\n", err);
					rc = -1;
				} else {
					for (size_t e = 0; e < l.count; e++) {
						char *where = th_asprintf("%s%s.txt:%d", lts[i].name, kinds[r],
									  l.lineno[e]);
						offline_expr(&lts[i], &ps, l.items[e], where);
						free(where);
					}
					th_list_free(&l);
				}
				free(path);
			}
		}
		pktset_free(&ps);
	}
	free(tests);
	return rc;
}

/* ---- live expressions -------------------------------------------------------------- */

static int part_live(void)
{
	char err[512];
	char *tests = th_tests_dir();
	char *path = th_asprintf("%s/diff/exprs/live.txt", tests);
	struct th_linktype lt;
	struct th_list l;
	struct pktset ps;
	int rc = 0;
	if (th_linktype_by_name("EN10MB", &lt) || pktset_load(&ps, &lt)) {
		rc = -1;
		goto out;
	}
	if (th_list_load(path, &l, err, sizeof err) < 0) {
		printf("ERROR: %s\n", err);
		pktset_free(&ps);
		rc = -1;
		goto out;
	}
	st.packets += ps.n;
	for (size_t e = 0; e < l.count; e++) {
		for (int opt = 1; opt >= 0; opt--) {
			struct bpfcap_compile_opts o = { .linktype = lt.bpfcap_dlt, .snaplen = 262144,
							 .mode = BPFCAP_MODE_LIVE, .optimize = opt };
			struct bpfcap_prog prog;
			struct bpfcap_error be;
			if (bpfcap_compile(l.items[e], &o, &prog, &be)) {
				st.not_compiled++;
				continue;
			}
			char *what = th_asprintf("[live %s] live.txt:%d '%s'", opt ? "opt" : "noopt",
						 l.lineno[e], l.items[e]);
			struct pair pr;
			translate_both(prog.insns, prog.len, what, 0, &pr);
			run_compiled(&prog, &pr, what, &ps);
			pair_free(&pr);
			free(what);
			bpfcap_prog_free(&prog);
		}
	}
	th_list_free(&l);
	pktset_free(&ps);
out:
	free(path);
	free(tests);
	return rc;
}

/* ---- hand-written cBPF ---------------------------------------------------------------- */

struct ddd {
	struct bpfcap_insn *insns;
	size_t len;
	int ranged, socket_unsupported, unsupported, not_libpcap;
	uint32_t lo, hi;
};

/* Parses a .ddd file; 0, or -1 with a message in err. */
static int ddd_parse(const char *text, struct ddd *d, char *err, size_t errsz)
{
	memset(d, 0, sizeof *d);
	long count = -1;
	size_t n = 0;
	int lineno = 0;
	for (const char *s = text; *s;) {
		const char *eol = strchr(s, '\n');
		size_t ll = eol ? (size_t)(eol - s) : strlen(s);
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)(ll < sizeof line - 1 ? ll : sizeof line - 1), s);
		s += ll + (eol ? 1 : 0);
		lineno++;
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#') {
			unsigned lo, hi;
			if (sscanf(p, "# range %u %u", &lo, &hi) == 2) {
				d->ranged = 1;
				d->lo = lo;
				d->hi = hi;
			} else if (!strncmp(p, "# socket: unsupported", 21)) {
				d->socket_unsupported = 1;
			} else if (!strncmp(p, "# libpcap: no", 13)) {
				d->not_libpcap = 1;
			} else if (!strncmp(p, "# unsupported", 13)) {
				d->unsupported = 1;
			}
			continue;
		}
		if (!*p || *p == '\r')
			continue;
		if (count < 0) {
			count = strtol(p, NULL, 10);
			if (count <= 0 || count > 100000) {
				snprintf(err, errsz, "line %d: bad instruction count", lineno);
				return -1;
			}
			d->insns = calloc((size_t)count, sizeof *d->insns);
			if (!d->insns)
				return -1;
			continue;
		}
		unsigned long code, jt, jf, k;
		if (sscanf(p, "%lu %lu %lu %lu", &code, &jt, &jf, &k) != 4 || code > 0xffff || jt > 255 ||
		    jf > 255 || k > 0xffffffffUL || n >= (size_t)count) {
			snprintf(err, errsz, "line %d: expected \"code jt jf k\" (%ld instructions)", lineno,
				 count);
			return -1;
		}
		d->insns[n++] = (struct bpfcap_insn){ (uint16_t)code, (uint8_t)jt, (uint8_t)jf, (uint32_t)k };
	}
	if (count < 0 || n != (size_t)count) {
		snprintf(err, errsz, "%zu instructions, the header says %ld", n, count);
		return -1;
	}
	d->len = n;
	return 0;
}

/* 1 if libpcap's bpf_filter means the same as the kernel on it: no
 * ancillary load and no negative offset (libpcap fails those loads). */
static int libpcap_comparable(const struct ddd *d)
{
	if (d->not_libpcap)
		return 0;
	for (size_t i = 0; i < d->len; i++) {
		uint16_t c = d->insns[i].code;
		if ((CBPF_CLASS(c) == CBPF_LD && (CBPF_MODE(c) == CBPF_ABS || CBPF_MODE(c) == CBPF_IND) &&
		     d->insns[i].k >= 0x80000000u) ||
		    (c == (CBPF_LDX | CBPF_B | CBPF_MSH) && d->insns[i].k >= 0x80000000u))
			return 0;
	}
	return 1;
}

/* What the hand-written programs use, against what they must. */
struct coverage {
	uint8_t opcodes[256];
	uint8_t ancillary[CBPF_SKF_AD_MAX];
};

static const uint16_t every_opcode[] = {
	0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74,
	0x7c, 0x84, 0x94, 0x9c, 0xa4, 0xac,                   /* ALU */
	0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x80, 0x00, 0x60, /* LD */
	0x81, 0x01, 0x61, 0xb1,                               /* LDX */
	0x02, 0x03, 0x07, 0x87, 0x06, 0x16,                   /* ST STX TAX TXA RET */
	0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, /* JMP */
};

static int coverage_check(const struct coverage *cov)
{
	int missing = 0;
	for (size_t i = 0; i < sizeof every_opcode / sizeof every_opcode[0]; i++)
		if (!cov->opcodes[every_opcode[i]]) {
			report("tests/diff/cbpf: no program uses opcode 0x%02x", every_opcode[i]);
			missing++;
		}
	for (unsigned n = 0; n < CBPF_SKF_AD_MAX; n += 4)
		if (!cov->ancillary[n]) {
			report("tests/diff/cbpf: no program uses the ancillary load SKF_AD_OFF + %u", n);
			missing++;
		}
	return missing;
}

static void cbpf_file(const char *path, const char *name, const struct pktset *ps, long ncpu,
		      struct coverage *cov)
{
	char err[256];
	char *text = th_slurp(path, NULL);
	struct ddd d;
	if (!text || ddd_parse(text, &d, err, sizeof err)) {
		report("cbpf/%s: cannot read: %s", name, text ? err : "no such file");
		st.programs++;
		st.failed_programs++;
		free(text);
		return;
	}
	free(text);
	char *what = th_asprintf("cbpf/%s", name);
	struct pair pr;
	translate_both(d.insns, d.len, what,
		       d.unsupported ? 3u : d.socket_unsupported ? 1u << EBPF_TARGET_SOCKET : 0u, &pr);
	for (size_t i = 0; i < d.len; i++) {
		cov->opcodes[d.insns[i].code & 0xff] = 1;
		if (CBPF_CLASS(d.insns[i].code) == CBPF_LD && CBPF_MODE(d.insns[i].code) == CBPF_ABS &&
		    d.insns[i].k >= (uint32_t)CBPF_SKF_AD_OFF &&
		    d.insns[i].k - (uint32_t)CBPF_SKF_AD_OFF < CBPF_SKF_AD_MAX)
			cov->ancillary[d.insns[i].k - (uint32_t)CBPF_SKF_AD_OFF] = 1;
	}
	int pcap_too = libpcap_comparable(&d);
	int good = 1;
	for (size_t k = 0; k < ps->n && good; k++) {
		const struct th_packet *p = &ps->p[k];
		for (int draw = 0; draw < CBPF_DRAWS && good; draw++) {
			struct ref_meta rm;
			uint32_t type = rnd() % 5; /* sequenced: same draws with any compiler */
			draw_meta(&rm, p, type, (int)(rnd() & 1));
			rm.cpu = (uint32_t)(rnd() % (unsigned long)ncpu);
			rm.random = rnd();
			uint32_t want = ref_run((const struct pcap_bpf_insn *)(const void *)d.insns, p->data, p->caplen,
						p->wirelen, &rm);
			if (d.ranged && (want < d.lo || want > d.hi)) {
				report("%s packet #%zu: the reference's %u is outside [%u, %u]", what, k, want,
				       d.lo, d.hi);
				good = 0;
				break;
			}
			if (pcap_too && draw == 0) {
				uint32_t theirs = th_run((const struct pcap_bpf_insn *)(const void *)d.insns, p);
				st.libpcap_checked++;
				if (theirs != want) {
					report("%s packet #%zu: libpcap's bpf_filter %u, cbpf_ref %u", what, k,
					       theirs, want);
					good = 0;
					break;
				}
			}
			good = check_packet(&pr, what, k, p, &rm.m, want, d.ranged, d.lo, d.hi);
		}
	}
	pair_free(&pr);
	free(what);
	free(d.insns);
}

/* ---- random programs ----------------------------------------------------------------- */

static uint32_t pick(const uint32_t *v, size_t n)
{
	return v[rnd() % n];
}

static uint32_t random_value(void)
{
	static const uint32_t v[] = { 0, 1, 2, 3, 4, 14, 31, 32, 33, 63, 64, 0x800, 0xffff,
				      0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };
	return rnd() % 4 == 0 ? rnd() : pick(v, sizeof v / sizeof v[0]);
}

/* An offset for LD ABS / LDX MSH / LD IND's k. */
static uint32_t random_offset(int allow_ancillary)
{
	static const uint32_t anc[] = { CBPF_SKF_AD_PROTOCOL, CBPF_SKF_AD_PKTTYPE, CBPF_SKF_AD_IFINDEX,
					CBPF_SKF_AD_MARK, CBPF_SKF_AD_QUEUE, CBPF_SKF_AD_RXHASH,
					CBPF_SKF_AD_ALU_XOR_X, CBPF_SKF_AD_VLAN_TAG,
					CBPF_SKF_AD_VLAN_TAG_PRESENT, CBPF_SKF_AD_VLAN_TPID };
	switch (rnd() % 20) {
	case 0: case 1: return (uint32_t)(CBPF_SKF_NET_OFF + (int32_t)(rnd() % 48));
	case 2: return (uint32_t)(CBPF_SKF_LL_OFF + (int32_t)(rnd() % 80));
	case 3: return allow_ancillary ? (uint32_t)CBPF_SKF_AD_OFF + pick(anc, sizeof anc / sizeof anc[0])
				       : (uint32_t)(CBPF_SKF_NET_OFF + 9);
	case 4: return rnd() % 2 ? (uint32_t)CBPF_SKF_LL_OFF - 1 - rnd() % 1000 : 32760 + rnd() % 16;
	case 5: return 1400 + rnd() % 200;
	default: return rnd() % 90;
	}
}

static void random_program(struct bpfcap_insn *p, size_t len)
{
	static const uint16_t alu[] = { CBPF_ADD, CBPF_SUB, CBPF_MUL, CBPF_DIV, CBPF_MOD, CBPF_AND,
					CBPF_OR, CBPF_XOR, CBPF_LSH, CBPF_RSH, CBPF_NEG };
	static const uint16_t jmp[] = { CBPF_JEQ, CBPF_JGT, CBPF_JGE, CBPF_JSET };
	static const uint16_t sizes[] = { CBPF_W, CBPF_H, CBPF_B };
	for (size_t i = 0; i + 1 < len; i++) {
		size_t room = len - i - 2; /* farthest jump: to the last instruction */
		struct bpfcap_insn *in = &p[i];
		memset(in, 0, sizeof *in);
		switch (rnd() % 16) {
		case 0: case 1:
			in->code = CBPF_LD | sizes[rnd() % 3] | CBPF_ABS;
			in->k = random_offset(1);
			break;
		case 2:
			in->code = CBPF_LD | sizes[rnd() % 3] | CBPF_IND;
			in->k = rnd() % 3 ? rnd() % 60 : random_offset(0);
			break;
		case 3:
			in->code = CBPF_LDX | CBPF_B | CBPF_MSH;
			in->k = random_offset(0);
			break;
		case 4: {
			static const uint16_t c[] = { CBPF_LD | CBPF_LEN, CBPF_LD | CBPF_IMM, CBPF_LD | CBPF_MEM,
						      CBPF_LDX | CBPF_LEN, CBPF_LDX | CBPF_IMM, CBPF_LDX | CBPF_MEM };
			in->code = c[rnd() % 6];
			in->k = CBPF_MODE(in->code) == CBPF_MEM ? rnd() % 16 : random_value();
			break;
		}
		case 5: in->code = rnd() % 2 ? CBPF_ST : CBPF_STX; in->k = rnd() % 16; break;
		case 6: in->code = CBPF_MISC | (rnd() % 2 ? CBPF_TAX : CBPF_TXA); break;
		case 7: case 8: case 9: {
			uint16_t op = alu[rnd() % (sizeof alu / sizeof alu[0])];
			int x = op != CBPF_NEG && rnd() % 2;
			in->code = CBPF_ALU | op | (x ? CBPF_X : CBPF_K);
			if (op == CBPF_LSH || op == CBPF_RSH)
				in->k = x ? 0 : rnd() % 32;
			else if (op == CBPF_DIV || op == CBPF_MOD)
				in->k = x ? 0 : 1 + rnd() % 0xfffffffeu;
			else if (op != CBPF_NEG && !x)
				in->k = random_value();
			break;
		}
		case 10: case 11: case 12: case 13:
			if (room == 0) {
				in->code = CBPF_MISC | CBPF_TAX;
				break;
			}
			in->code = CBPF_JMP | jmp[rnd() % 4] | (rnd() % 3 ? CBPF_K : CBPF_X);
			in->k = CBPF_SRC(in->code) == CBPF_K ? random_value() : 0;
			in->jt = (uint8_t)(rnd() % ((room < 255 ? room : 255) + 1));
			in->jf = (uint8_t)(rnd() % ((room < 255 ? room : 255) + 1));
			break;
		case 14:
			if (room == 0) {
				in->code = CBPF_MISC | CBPF_TXA;
				break;
			}
			in->code = CBPF_JMP | CBPF_JA;
			in->k = (uint32_t)(rnd() % (room + 1));
			break;
		default:
			in->code = CBPF_RET | (rnd() % 2 ? CBPF_A : CBPF_K);
			in->k = CBPF_RVAL(in->code) == CBPF_K ? random_value() : 0;
			break;
		}
	}
	uint16_t ret = (uint16_t)(CBPF_RET | (rnd() % 2 ? CBPF_A : CBPF_K));
	p[len - 1] = (struct bpfcap_insn){ ret, 0, 0, random_value() };
}

static int part_random(void)
{
	struct th_linktype lt;
	struct pktset ps;
	if (th_linktype_by_name("EN10MB", &lt) || pktset_load(&ps, &lt))
		return -1;
	st.packets += ps.n;
	struct bpfcap_insn p[64];
	for (int n = 0; n < RANDOM_PROGRAMS; n++) {
		size_t len = 2 + rnd() % 62;
		random_program(p, len);
		char *what = th_asprintf("random program #%d", n);
		struct pair pr;
		if (!translate_both(p, len, what, 0, &pr)) {
			/* Print it to reproduce. */
			for (size_t i = 0; i < len && st.mismatches <= MAX_REPORTS && !quiet; i++)
				printf("  %u %u %u %u\n", p[i].code, p[i].jt, p[i].jf, p[i].k);
		}
		int good = 1;
		for (int k = 0; k < RANDOM_PACKETS && good; k++) {
			size_t i = rnd() % ps.n;
			struct ref_meta rm;
			uint32_t type = rnd() % 5;
			draw_meta(&rm, &ps.p[i], type, (int)(rnd() & 1));
			uint32_t want = ref_run((const struct pcap_bpf_insn *)(const void *)p, ps.p[i].data,
						ps.p[i].caplen, ps.p[i].wirelen, &rm);
			good = check_packet(&pr, what, i, &ps.p[i], &rm.m, want, 0, 0, 0);
			if (!good && !quiet && st.mismatches <= MAX_REPORTS)
				for (size_t j = 0; j < len; j++)
					printf("  %u %u %u %u\n", p[j].code, p[j].jt, p[j].jf, p[j].k);
		}
		pair_free(&pr);
		free(what);
	}
	pktset_free(&ps);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int part_cbpf(void)
{
	char *tests = th_tests_dir();
	char *dir = th_asprintf("%s/diff/cbpf", tests);
	struct th_linktype lt;
	struct pktset ps;
	int rc = 0;
	DIR *dp = opendir(dir);
	if (!dp || th_linktype_by_name("EN10MB", &lt) || pktset_load(&ps, &lt)) {
		printf("ERROR: cannot open %s or the EN10MB corpus\n", dir);
		if (dp)
			closedir(dp);
		free(dir);
		free(tests);
		return -1;
	}
	st.packets += ps.n;
	char *names[512];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dp)) && n < 512) {
		if (ends_with(e->d_name, ".ddd"))
			names[n++] = strdup(e->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof *names, by_name);
	if (n == 0) {
		printf("ERROR: no .ddd program in %s\n", dir);
		rc = -1;
	}
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	if (ncpu < 1)
		ncpu = 1;
	struct coverage cov;
	memset(&cov, 0, sizeof cov);
	for (size_t i = 0; i < n; i++) {
		char *path = th_asprintf("%s/%s", dir, names[i]);
		cbpf_file(path, names[i], &ps, ncpu, &cov);
		free(path);
		free(names[i]);
	}
	if (coverage_check(&cov))
		rc = -1;
	pktset_free(&ps);
	free(dir);
	free(tests);
	return rc;
}

int main(int argc, char **argv)
{
	const char *single = NULL;
	int parts = 0, c;
	while ((c = getopt(argc, argv, "qp:e:")) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'e': single = optarg; break;
		case 'p':
			parts |= !strcmp(optarg, "offline") ? 1 : !strcmp(optarg, "live") ? 2
				 : !strcmp(optarg, "cbpf")  ? 4 : !strcmp(optarg, "random") ? 8 : 0;
			break;
		default:
			fprintf(stderr, "usage: diff_translate [-q] [-p offline|live|cbpf|random]... [-e EXPR]\n");
			return 2;
		}
	}
	if (!parts)
		parts = single ? 1 : 15;
	setvbuf(stdout, NULL, _IOLBF, 0);
	ebpf_rng_seed(&rng, 0x5eed);
	ebpf_rng_seed(&helper_rng, 0x7e1e);
	double t0 = th_now();
	int setup = 0;
	if (parts & 1)
		setup |= part_offline(single);
	if (parts & 2)
		setup |= part_live();
	if (parts & 4)
		setup |= part_cbpf();
	if (parts & 8)
		setup |= part_random();
	printf("diff_translate: %zu programs (%zu cBPF insns -> socket %zu, direct %zu eBPF insns), "
	       "%zu packets, runs: socket %zu, direct %zu; verified: socket %zu, direct %zu; "
	       "%zu checked against libpcap too; "
	       "%zu translation failures, %zu mismatches; %zu not compiled; %zu libpcap programs "
	       "refused for a backward ja (protochain); %.1f s\n",
	       st.programs, st.cbpf_insns, st.ebpf_insns[0], st.ebpf_insns[1], st.packets, st.runs[0],
	       st.runs[1], st.verified[0], st.verified[1], st.libpcap_checked, st.translate_fail,
	       st.mismatches, st.not_compiled,
	       st.libpcap_loops, th_now() - t0);
	size_t failed = st.mismatches + (setup ? 1 : 0);
	printf("%zu passed, %zu failed\n", st.programs - st.failed_programs,
	       st.failed_programs + (setup ? 1 : 0));
	return failed || st.programs == 0 ? 1 : 0;
}
