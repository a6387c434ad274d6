/* diff_print: capture/print_* against tcpdump 4.99.3, line by line.
 *
 * Two corpora:
 *  - the project's (every capture in $BPFCAP_CORPUS, from gen_corpus),
 *    each printed with several flag sets; the reference is the installed
 *    tcpdump run on the same file with TZ=GMT0 (read through popen, never
 *    stored);
 *  - tcpdump's own tests ($BPFCAP_SHARED/corpus/tcpdump-tests/tests.tsv):
 *    a row marked matches_debian12_tcpdump_4.99.3=yes is compared with its
 *    .out file, any other row with the installed tcpdump's output.
 *
 * A third, the damaged project corpus: three damaged copies of every
 * project packet (bytes and 16-bit fields overwritten, a third of them
 * cut short) written to a temporary capture and compared with tcpdump
 * on it with three flag sets; its identical-line share is printed.
 *
 * Packets are read with libpcap (pcap_next_ex); a row's filter expression
 * goes through pcap_compile/pcap_offline_filter. Every flag set carries
 * -# so the reference splits into packets by their numbers; each line of
 * a packet is counted under the protocol our printer reports for it
 * (printer_last_protocol). Prints a table per corpus and protocol.
 *
 * Robustness (for the sanitizer pass): every capture of both corpora
 * (each .pcap/.pcapng file of the project corpus and of tcpdump-tests/
 * 4.99.3 and master, in the tsv or not) is printed with three flag
 * sets, each packet from a heap copy of exactly caplen bytes so ASan
 * sees a read past it; then the malformed-packet corpus, derived from
 * every one of those packets with a fixed seed: the record cut at many
 * lengths (wirelen kept, as a short snaplen does) and copies with bytes
 * and 16-bit fields overwritten (lengths, counts, offsets). Every print
 * must end its text with a newline. DIFF_TAG=a,b shows every differing
 * packet under those tags. PRINT_MALFORMED_ALL=1 cuts at every
 * length instead of a sample.
 *
 * Exit 1 when a protocol we claim (all but NOT_YET_DECODED below) has a
 * differing line on the project corpus, a robustness print fails or the
 * damaged corpus falls under its regression floor; 0 otherwise; 77
 * without tcpdump or the corpus. */
#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "print.h"

/* Every line must match on the project corpus, except under these
 * tags: what a printer reached but does not decode yet (tcpdump would
 * print the payload; bpfcap prints its fallback). A new printer's tag
 * is claimed as soon as it exists. */
static const char *const NOT_YET_DECODED[] = {
	"ether-app",
	"llc",
	"tcp-app",
	"udp-app",
	"ip-app",
	"icmp6-other",
	"gre-other",
	"ppp-other",
	"fr-other",
	NULL,
};

/* Is PROTO one of the comma-separated tags in LIST (DIFF_TAG=llc,ipx
 * shows every differing packet under those tags)? */
static int tag_listed(const char *list, const char *proto)
{
	size_t n = strlen(proto);
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == n && !strncmp(p, proto, n))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static int tag_claimed(const char *proto)
{
	for (int i = 0; NOT_YET_DECODED[i]; i++)
		if (!strcmp(NOT_YET_DECODED[i], proto))
			return 0;
	return 1;
}

static const char *const PROJECT_FLAGS[] = {
	"-# -n", "-# -nn -e", "-# -n -v", "-# -n -x", "-# -n -vv -e", "-# -n -X", "-# -n -q -ttt",
	"-# -n -tttt -XX", "-# -n -A", "-# -n -S -tt", NULL,
};

struct stat_row {
	char name[32];
	unsigned long same, total;
};

struct table {
	struct stat_row rows[64];
	int n;
};

static struct stat_row *table_row(struct table *t, const char *name)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->rows[i].name, name))
			return &t->rows[i];
	if (t->n == 64)
		return &t->rows[63];
	struct stat_row *r = &t->rows[t->n++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

static int verbose;

/* ---- flags -------------------------------------------------------------- */

struct run_flags {
	struct print_opts o;
	int count;      /* -c */
	char *filter;   /* expression words */
	int unsupported;
	char why[64];
};

static void parse_flags(const char *s, struct run_flags *f)
{
	memset(f, 0, sizeof(*f));
	char *copy = strdup(s), *save = NULL;
	char filt[512] = "";
	char *w = strtok_r(copy, " ", &save);
	int want_count = 0;
	for (; w; w = strtok_r(NULL, " ", &save)) {
		if (want_count) {
			f->count = atoi(w);
			want_count = 0;
			continue;
		}
		if (!strcmp(w, "--nano")) {
			f->o.nano = 1;
			continue;
		}
		if (!strcmp(w, "-#") || !strcmp(w, "--number")) {
			f->o.number = 1;
			continue;
		}
		if (!strcmp(w, "-c")) {
			want_count = 1;
			continue;
		}
		if (w[0] == '-' && w[1] == '-') {
			f->unsupported = 1;
			snprintf(f->why, sizeof(f->why), "%s", w);
			continue;
		}
		if (w[0] == '-') {
			int t = 0, x = 0, X = 0, A = 0;
			for (const char *q = w + 1; *q; q++) {
				switch (*q) {
				case 'n': f->o.n_level++; break;
				case 'e': f->o.eflag = 1; break;
				case 'v': f->o.vflag++; break;
				case 'q': f->o.qflag++; break;
				case 'S': f->o.abs_seq = 1; break;
				case 't': t++; break;
				case 'x': x++; break;
				case 'X': X++; break;
				case 'A': A++; break;
				default:
					f->unsupported = 1;
					snprintf(f->why, sizeof(f->why), "-%c", *q);
				}
			}
			if (t)
				f->o.ts_mode = t > 5 ? 5 : t;
			if (X)
				f->o.dump_mode = X > 1 ? PRINT_DUMP_HEXASCII_LL : PRINT_DUMP_HEXASCII;
			else if (x)
				f->o.dump_mode = x > 1 ? PRINT_DUMP_HEX_LL : PRINT_DUMP_HEX;
			else if (A)
				f->o.dump_mode = A > 1 ? PRINT_DUMP_ASCII_LL : PRINT_DUMP_ASCII;
			continue;
		}
		/* A filter word; strip the quotes of the tsv's shell form. */
		char word[128];
		snprintf(word, sizeof(word), "%s", w);
		char *p = word;
		if (*p == '"')
			p++;
		size_t l = strlen(p);
		if (l && p[l - 1] == '"')
			p[l - 1] = 0;
		if (filt[0])
			strncat(filt, " ", sizeof(filt) - strlen(filt) - 1);
		strncat(filt, p, sizeof(filt) - strlen(filt) - 1);
	}
	if (filt[0])
		f->filter = strdup(filt);
	free(copy);
}

/* ---- reading text --------------------------------------------------------- */

struct text {
	char *buf;
	size_t len;
};

static int read_stream(FILE *fp, struct text *t)
{
	size_t cap = 1 << 16;
	t->buf = malloc(cap);
	t->len = 0;
	if (!t->buf)
		return -1;
	size_t n;
	while ((n = fread(t->buf + t->len, 1, cap - t->len - 1, fp)) > 0) {
		t->len += n;
		if (cap - t->len < 4096) {
			cap *= 2;
			char *q = realloc(t->buf, cap);
			if (!q)
				return -1;
			t->buf = q;
		}
	}
	t->buf[t->len] = 0;
	return 0;
}

static int read_file(const char *path, struct text *t)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	int r = read_stream(fp, t);
	fclose(fp);
	return r;
}

static int run_tcpdump(const char *pcap, const char *flags, struct text *t)
{
	char cmd[16384];
	snprintf(cmd, sizeof(cmd), "TZ=GMT0 tcpdump -r '%s' %s 2>/dev/null", pcap, flags);
	FILE *fp = popen(cmd, "r");
	if (!fp)
		return -1;
	int r = read_stream(fp, t);
	pclose(fp);
	return r;
}

/* Where packet N's text starts in the reference: the line beginning
 * with "%5u  " (the -# prefix), searching from FROM. */
static const char *find_packet(const char *from, unsigned n)
{
	char prefix[24];
	int pl = snprintf(prefix, sizeof(prefix), "%5u  ", n);
	const char *p = from;
	while (p && *p) {
		if (!strncmp(p, prefix, (size_t)pl))
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* Compare the lines of [a, a_end) and [b, b_end): counts lines of the
 * longer one; returns identical lines. */
static unsigned compare_lines(const char *a, const char *a_end, const char *b, const char *b_end,
			      unsigned *total)
{
	unsigned same = 0, n = 0;
	while (a < a_end || b < b_end) {
		const char *ae = a < a_end ? memchr(a, '\n', (size_t)(a_end - a)) : NULL;
		const char *be = b < b_end ? memchr(b, '\n', (size_t)(b_end - b)) : NULL;
		if (a < a_end && !ae)
			ae = a_end;
		if (b < b_end && !be)
			be = b_end;
		n++;
		if (ae && be && ae - a == be - b && !memcmp(a, b, (size_t)(ae - a)))
			same++;
		a = ae ? ae + 1 : a_end;
		b = be ? be + 1 : b_end;
	}
	*total = n;
	return same;
}

/* Print PCAP with FLAGS and compare with REF; add to T. Returns
 * nonzero on a setup failure. */
static int compare_capture(const char *pcap, const char *flags, const struct text *ref, struct table *t,
			   const char *label, unsigned long *bad_claimed)
{
	struct run_flags f;
	parse_flags(flags, &f);
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		pcap, f.o.nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, err);
	if (!p) {
		fprintf(stderr, "%s: %s\n", pcap, err);
		free(f.filter);
		return -1;
	}
	struct bpf_program prog;
	int have_prog = 0;
	if (f.filter) {
		if (pcap_compile(p, &prog, f.filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fprintf(stderr, "%s: filter %s: %s\n", pcap, f.filter, pcap_geterr(p));
			pcap_close(p);
			free(f.filter);
			return -1;
		}
		have_prog = 1;
	}
	int lt = pcap_datalink(p);
	struct printer *pr = printer_new(&f.o, lt);
	const char *r = ref->buf, *r_end = ref->buf + ref->len;
	if (!pr) {
		/* A link type we do not print: every reference line differs. */
		unsigned total = 0;
		compare_lines(r, r_end, r_end, r_end, &total);
		struct stat_row *row = table_row(t, "(linktype)");
		row->total += total;
		if (verbose)
			printf("  %s %s: linktype %d not printed\n", label, flags, lt);
		pcap_close(p);
		if (have_prog)
			pcap_freecode(&prog);
		free(f.filter);
		return 0;
	}
	struct pbuf out = { 0 };
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned n = 0;
	int shown = 0;
	while (pcap_next_ex(p, &h, &data) == 1) {
		if (have_prog && !pcap_offline_filter(&prog, h, data))
			continue;
		if (f.count && (int)n >= f.count)
			break;
		n++;
		struct print_record rec = {
			.ts_sec = h->ts.tv_sec,
			.ts_frac = (uint32_t)h->ts.tv_usec,
			.caplen = h->caplen,
			.wirelen = h->len,
			.data = data,
		};
		out.len = 0;
		print_packet(pr, &rec, &out);
		const char *start = find_packet(r, n);
		const char *next = start ? find_packet(start, n + 1) : NULL;
		const char *end = next ? next : r_end;
		if (!start)
			start = end = r_end;
		unsigned total = 0;
		unsigned same = compare_lines(out.data, out.data + out.len, start, end, &total);
		const char *proto = printer_last_protocol(pr);
		struct stat_row *row = table_row(t, proto);
		row->same += same;
		row->total += total;
		int claimed = tag_claimed(proto);
		if (same != total && claimed && bad_claimed)
			*bad_claimed += total - same;
		if (same != total && (verbose > 1 || tag_listed(getenv("DIFF_TAG"), proto) ||
				      (verbose && shown < 3 && (claimed || getenv("DIFF_ALL"))))) {
			shown++;
			printf("--- %s %s packet %u [%s]\n+%.*s-%.*s", label, flags, n, proto,
			       (int)out.len, out.data, (int)(end - start), start);
		}
		r = end;
	}
	pbuf_free(&out);
	printer_free(pr);
	pcap_close(p);
	if (have_prog)
		pcap_freecode(&prog);
	free(f.filter);
	return 0;
}

static void print_table(const char *title, const struct table *t)
{
	unsigned long s = 0, n = 0;
	printf("%s\n  %-14s %10s %10s %8s\n", title, "protocol", "identical", "lines", "%");
	for (int i = 0; i < t->n; i++) {
		const struct stat_row *r = &t->rows[i];
		printf("  %-14s %10lu %10lu %7.2f%%\n", r->name, r->same, r->total,
		       r->total ? 100.0 * r->same / r->total : 100.0);
		s += r->same;
		n += r->total;
	}
	printf("  %-14s %10lu %10lu %7.2f%%\n", "overall", s, n, n ? 100.0 * s / n : 100.0);
}

static int project_corpus(unsigned long *bad)
{
	const char *dir = th_corpus_dir();
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d) {
		printf("diff_print: SKIP project corpus: no corpus directory (run gen_corpus)\n");
		return 77;
	}
	struct table t = { .n = 0 };
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 5, ".pcap"))
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		files++;
		for (int i = 0; PROJECT_FLAGS[i]; i++) {
			struct text ref;
			if (run_tcpdump(path, PROJECT_FLAGS[i], &ref) < 0) {
				printf("diff_print: SKIP: cannot run tcpdump\n");
				closedir(d);
				return 77;
			}
			compare_capture(path, PROJECT_FLAGS[i], &ref, &t, e->d_name, bad);
			free(ref.buf);
		}
	}
	closedir(d);
	char title[128];
	snprintf(title, sizeof(title), "project corpus (%d captures x %d flag sets), by protocol:", files, 10);
	print_table(title, &t);
	return 0;
}

static int tcpdump_corpus(void)
{
	char *shared = th_shared_dir();
	if (!shared) {
		printf("diff_print: no shared corpus; tcpdump tests not run\n");
		return 0;
	}
	char base[4096], path[8192];
	snprintf(base, sizeof(base), "%s/corpus/tcpdump-tests", shared);
	snprintf(path, sizeof(path), "%s/tests.tsv", base);
	struct text tsv;
	if (read_file(path, &tsv) < 0) {
		printf("diff_print: no %s; tcpdump tests not run\n", path);
		free(shared);
		return 0;
	}
	struct table t = { .n = 0 }, by_tag = { .n = 0 };
	int rows = 0, skipped = 0, exact = 0;
	char *save = NULL;
	char *line = strtok_r(tsv.buf, "\n", &save);
	for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *col[8] = { 0 };
		int nc = 0;
		for (char *q = line; nc < 8;) {
			col[nc++] = q;
			char *tab = strchr(q, '\t');
			if (!tab)
				break;
			*tab = 0;
			q = tab + 1;
		}
		if (nc < 7)
			continue;
		struct run_flags f;
		parse_flags(col[4], &f);
		free(f.filter);
		if (f.unsupported) {
			skipped++;
			if (verbose)
				printf("  skip %s: flag %s\n", col[0], f.why);
			continue;
		}
		char pcap[8192], out[8192];
		snprintf(pcap, sizeof(pcap), "%s/%s/%s", base, col[1], col[2]);
		snprintf(out, sizeof(out), "%s/%s/%s", base, col[1], col[3]);
		struct text ref;
		int ok = !strcmp(col[6], "yes") ? read_file(out, &ref) : run_tcpdump(pcap, col[4], &ref);
		if (ok < 0) {
			skipped++;
			continue;
		}
		rows++;
		struct table one = { .n = 0 };
		compare_capture(pcap, col[4], &ref, &one, col[0], NULL);
		unsigned long s = 0, n = 0;
		for (int i = 0; i < one.n; i++) {
			struct stat_row *r = table_row(&t, one.rows[i].name);
			r->same += one.rows[i].same;
			r->total += one.rows[i].total;
			s += one.rows[i].same;
			n += one.rows[i].total;
		}
		if (s == n)
			exact++;
		char tags[256];
		snprintf(tags, sizeof(tags), "%s", col[5]);
		char *ts = NULL;
		for (char *tag = strtok_r(tags, ",", &ts); tag; tag = strtok_r(NULL, ",", &ts)) {
			struct stat_row *r = table_row(&by_tag, tag);
			r->same += s;
			r->total += n;
		}
		if (verbose)
			printf("  %-40s %6lu/%-6lu %s\n", col[0], s, n, s == n ? "ok" : "DIFF");
		free(ref.buf);
	}
	free(tsv.buf);
	free(shared);
	printf("tcpdump corpus: %d rows compared (%d identical), %d skipped (flags not supported)\n", rows, exact,
	       skipped);
	print_table("tcpdump corpus, by the protocol our printer reached:", &t);
	print_table("tcpdump corpus, by the row's protocol tags:", &by_tag);
	return 0;
}

/* ---- robustness: every capture, and the malformed-packet corpus ---------- */

struct robust {
	unsigned long files, packets, variants, failures, unprinted_files;
	int all_lengths;
	struct pbuf out;
};

/* One print from a heap copy of exactly CAPLEN bytes. */
static void robust_print(struct robust *rb, struct printer *pr, const uint8_t *data, uint32_t caplen,
			 uint32_t wirelen, const struct pcap_pkthdr *h, const char *file)
{
	uint8_t *copy = malloc(caplen ? caplen : 1);
	if (!copy) {
		rb->failures++;
		return;
	}
	memcpy(copy, data, caplen);
	struct print_record rec = {
		.ts_sec = h->ts.tv_sec, .ts_frac = (uint32_t)h->ts.tv_usec,
		.caplen = caplen, .wirelen = wirelen, .data = copy,
	};
	rb->out.len = 0;
	size_t n = print_packet(pr, &rec, &rb->out);
	if (n == 0 || rb->out.data[rb->out.len - 1] != '\n') {
		if (rb->failures < 5)
			printf("robustness: %s: a %u-byte record printed %zu bytes without its newline\n", file, caplen, n);
		rb->failures++;
	}
	free(copy);
}

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Damage M (CAPLEN >= 2 bytes) in one to four places, the way broken
 * or hostile packets differ from good ones. */
static void damage_packet(uint8_t *m, uint32_t caplen, uint32_t *s)
{
	int edits = 1 + (int)(xorshift(s) % 4);
	for (int e = 0; e < edits; e++) {
		uint32_t at = xorshift(s) % (caplen - 1);
		switch (xorshift(s) % 4) {
		case 0: /* a random byte */
			m[at] = (uint8_t)xorshift(s);
			break;
		case 1: /* a length or count at its largest */
			m[at] = 0xff;
			m[at + 1] = 0xff;
			break;
		case 2: /* ... or zero */
			m[at] = 0;
			m[at + 1] = 0;
			break;
		default: /* off by a little */
			m[at + 1] = (uint8_t)(m[at + 1] + 1 + xorshift(s) % 8);
			break;
		}
	}
}

/* The malformed variants of one packet. */
static void robust_variants(struct robust *rb, struct printer *pr, const uint8_t *data,
			    const struct pcap_pkthdr *h, const char *file, uint32_t seed)
{
	uint32_t caplen = h->caplen;
	/* Cut short: every length up to 96 bytes (where the headers are),
	 * then 16 points spread over the rest. */
	for (uint32_t cut = 0; cut < caplen; cut++) {
		if (!rb->all_lengths && cut > 96 && (cut - 96) % ((caplen - 96) / 16 + 1))
			continue;
		robust_print(rb, pr, data, cut, h->len, h, file);
		rb->variants++;
	}
	if (caplen < 2)
		return;
	uint8_t *m = malloc(caplen);
	if (!m)
		return;
	uint32_t s = seed | 1;
	for (int v = 0; v < 8; v++) {
		memcpy(m, data, caplen);
		damage_packet(m, caplen, &s);
		robust_print(rb, pr, m, caplen, h->len, h, file);
		rb->variants++;
	}
	free(m);
}

static void robust_file(struct robust *rb, const char *path)
{
	static const char *const flags[] = { "-n -vvv -e -X", "-n -v", "-n -q -A -tttt" };
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return; /* damaged on purpose (a tcpdump test of the reader) */
	int lt = pcap_datalink(p);
	struct printer *pr[3] = { NULL, NULL, NULL };
	for (int i = 0; i < 3; i++) {
		struct run_flags f;
		parse_flags(flags[i], &f);
		free(f.filter);
		pr[i] = printer_new(&f.o, lt);
	}
	if (!pr[0]) {
		rb->unprinted_files++;
	} else {
		rb->files++;
		struct pcap_pkthdr *h;
		const u_char *data;
		uint32_t n = 0;
		while (pcap_next_ex(p, &h, &data) == 1) {
			n++;
			rb->packets++;
			for (int i = 0; i < 3; i++)
				robust_print(rb, pr[i], data, h->caplen, h->len, h, path);
			robust_variants(rb, pr[0], data, h, path, n * 2654435761u ^ (uint32_t)h->caplen);
		}
	}
	for (int i = 0; i < 3; i++)
		if (pr[i])
			printer_free(pr[i]);
	pcap_close(p);
}

static void robust_capture(void *rb, const char *path)
{
	robust_file(rb, path);
}

static void robust_dir(struct robust *rb, const char *dir)
{
	th_for_each_capture(dir, robust_capture, rb);
}

static unsigned long robustness(void)
{
	struct robust rb = { .all_lengths = getenv("PRINT_MALFORMED_ALL") != NULL };
	robust_dir(&rb, th_corpus_dir());
	char *shared = th_shared_dir();
	if (shared) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/corpus/tcpdump-tests/4.99.3", shared);
		robust_dir(&rb, dir);
		snprintf(dir, sizeof(dir), "%s/corpus/tcpdump-tests/master", shared);
		robust_dir(&rb, dir);
		free(shared);
	}
	pbuf_free(&rb.out);
	printf("robustness: %lu captures (%lu more of link types not printed), %lu packets x 3 flag sets, "
	       "%lu malformed variants: %lu failures\n",
	       rb.files, rb.unprinted_files, rb.packets, rb.variants, rb.failures);
	return rb.failures;
}

/* ---- the damaged project corpus, against tcpdump ------------------------ */

#define DAMAGED_COPIES 3
static const char *const DAMAGED_FLAGS[] = { "-# -n", "-# -n -v", "-# -n -e -vv", NULL };

/* Write DAMAGED_COPIES damaged copies of every packet of SRC to a new
 * capture at DST (a third of them also cut short, as a snap length
 * does): 0, or -1 when a file cannot be made. */
static int write_damaged(const char *src, const char *dst)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *in = pcap_open_offline(src, err);
	if (!in)
		return -1;
	pcap_t *dead = pcap_open_dead(pcap_datalink(in), 262144);
	pcap_dumper_t *out = dead ? pcap_dump_open(dead, dst) : NULL;
	uint8_t *m = malloc(262144);
	int rc = out && m ? 0 : -1;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint32_t n = 0;
	while (rc == 0 && pcap_next_ex(in, &h, &data) == 1) {
		uint32_t s = (++n * 2654435761u) ^ 0x5eed;
		for (int v = 0; v < DAMAGED_COPIES && h->caplen >= 2; v++) {
			memcpy(m, data, h->caplen);
			damage_packet(m, h->caplen, &s);
			struct pcap_pkthdr dh = *h;
			if (xorshift(&s) % 3 == 0)
				dh.caplen = xorshift(&s) % h->caplen;
			pcap_dump((u_char *)out, &dh, m);
		}
	}
	free(m);
	if (out)
		pcap_dump_close(out);
	if (dead)
		pcap_close(dead);
	pcap_close(in);
	return rc;
}

/* Print the damaged copies of every project capture with each flag set
 * and count the lines identical to tcpdump's. tcpdump's output for
 * nonsense is part of what bpfcap copies, so this is measured and
 * printed; the floor below only guards against regressions. */
#define DAMAGED_FLOOR 99.0
static int damaged_corpus(void)
{
	const char *dir = th_corpus_dir();
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d)
		return 0;
	struct table t = { .n = 0 };
	char tmp[] = "/tmp/bpfcap-damaged-XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0) {
		closedir(d);
		return 0;
	}
	close(fd);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 5, ".pcap"))
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (write_damaged(path, tmp) < 0)
			continue;
		for (int i = 0; DAMAGED_FLAGS[i]; i++) {
			struct text ref;
			if (run_tcpdump(tmp, DAMAGED_FLAGS[i], &ref) < 0)
				continue;
			char label[300];
			snprintf(label, sizeof(label), "damaged-%s", e->d_name);
			compare_capture(tmp, DAMAGED_FLAGS[i], &ref, &t, label, NULL);
			free(ref.buf);
		}
	}
	closedir(d);
	unlink(tmp);
	unsigned long same = 0, total = 0;
	for (int i = 0; i < t.n; i++) {
		same += t.rows[i].same;
		total += t.rows[i].total;
	}
	if (verbose)
		print_table("damaged project corpus (3 copies of every packet), by protocol:", &t);
	double pct = total ? 100.0 * (double)same / (double)total : 100.0;
	printf("damaged project corpus: %lu of %lu lines identical to tcpdump (%.2f%%; floor %.1f%%)\n", same,
	       total, pct, DAMAGED_FLOOR);
	return pct < DAMAGED_FLOOR;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-v"))
			verbose++;
	/* The reference runs with TZ=GMT0 (tcpdump's test convention); so do we. */
	setenv("TZ", "GMT0", 1);
	tzset();
	if (system("tcpdump --version >/dev/null 2>&1") != 0) {
		printf("diff_print: SKIP: tcpdump not installed\n");
		return 77;
	}
	unsigned long bad = 0;
	int r = project_corpus(&bad);
	tcpdump_corpus();
	int damaged_below_floor = damaged_corpus();
	unsigned long failures = robustness();
	if (r == 77)
		return 77;
	printf("diff_print: %lu differing lines in claimed protocols on the project corpus\n", bad);
	return bad || failures || damaged_below_floor ? 1 : 0;
}
