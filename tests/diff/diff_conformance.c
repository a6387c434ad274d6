/* diff_conformance: the eBPF conformance tests (bpf_conformance, the
 * kernel as authority) through vm/asm and vm/interp.
 *
 * For every tests/NAME.data in $BPFCAP_SHARED/corpus/bpf_conformance: assemble
 * the "-- asm" section (and, where a "-- raw" section exists, check that
 * the assembler produced exactly those words), run it with r1 = the
 * "-- mem" bytes and r2 = their length (r1 = r2 = 0 without one), and
 * compare r0 with "-- result".  "-- c" and "-- no register offset" are
 * informative (upstream's parser ignores them too: the three files that
 * carry the latter run the same way as the rest).
 *
 * Prints one line per failing test, a table per group (the name's leading
 * letters; "rfc9669" for the RFC examples), then "N passed, N failed".
 * Exit 1 on any failure, 77 (SKIP) without the corpus. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "harness.h"
#include "interp.h"

/* Groups not run, with the reason.  None today: every group passes. */
static const struct {
	const char *group;
	const char *reason;
} skipped_groups[] = {
	{ NULL, NULL },
};

struct test {
	char *asm_text;
	size_t asm_len, asm_cap;
	uint8_t *mem;
	size_t mem_len, mem_cap;
	uint64_t raw[256];
	size_t nraw;
	int has_result;
	uint64_t result;
};

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap * 2 : 256) + n;
		char *q = realloc(*buf, nc);
		if (!q)
			return -1;
		*buf = q;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	while (*s == ' ' || *s == '\t')
		s++;
	int neg = *s == '-';
	if (neg)
		s++;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	while (*end == ' ' || *end == '\t' || *end == '\r')
		end++;
	if (errno || end == s || *end)
		return -1;
	*v = neg ? -(uint64_t)x : (uint64_t)x;
	return 0;
}

/* Parses one .data file; 0, or -1 with a message in why. */
static int parse_test(char *text, struct test *t, char *why, size_t whysz)
{
	enum { NONE, ASM, MEM, RESULT, RAW, IGNORE } sec = NONE;
	memset(t, 0, sizeof *t);
	int lineno = 0;
	for (char *line = text, *next; line && *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (!strncmp(line, "-- ", 3)) {
			const char *name = line + 3;
			if (!strcmp(name, "asm"))
				sec = ASM;
			else if (!strcmp(name, "mem"))
				sec = MEM;
			else if (!strcmp(name, "result"))
				sec = RESULT;
			else if (!strcmp(name, "raw"))
				sec = RAW;
			else if (!strcmp(name, "c") || !strcmp(name, "no register offset"))
				sec = IGNORE;
			else {
				snprintf(why, whysz, "line %d: unknown section '%s'", lineno, name);
				return -1;
			}
			continue;
		}
		if (sec != ASM && sec != IGNORE && line[0] == '#')
			continue;
		switch (sec) {
		case ASM:
			/* Line numbers in assembler messages count from the asm section. */
			if (append(&t->asm_text, &t->asm_len, &t->asm_cap, line, n) ||
			    append(&t->asm_text, &t->asm_len, &t->asm_cap, "\n", 1))
				return snprintf(why, whysz, "out of memory"), -1;
			break;
		case MEM:
			for (char *p = strtok(line, " \t"); p; p = strtok(NULL, " \t")) {
				char *end;
				unsigned long b = strtoul(p, &end, 16);
				if (*end || b > 255) {
					snprintf(why, whysz, "line %d: bad byte '%s' in -- mem", lineno, p);
					return -1;
				}
				if (t->mem_len == t->mem_cap) {
					t->mem_cap = t->mem_cap ? t->mem_cap * 2 : 64;
					uint8_t *q = realloc(t->mem, t->mem_cap);
					if (!q)
						return snprintf(why, whysz, "out of memory"), -1;
					t->mem = q;
				}
				t->mem[t->mem_len++] = (uint8_t)b;
			}
			break;
		case RESULT:
			if (!n)
				break;
			if (t->has_result || parse_u64(line, &t->result)) {
				snprintf(why, whysz, "line %d: bad -- result '%s'", lineno, line);
				return -1;
			}
			t->has_result = 1;
			break;
		case RAW:
			if (!n)
				break;
			if (t->nraw == sizeof t->raw / sizeof t->raw[0] || parse_u64(line, &t->raw[t->nraw])) {
				snprintf(why, whysz, "line %d: bad -- raw word '%s'", lineno, line);
				return -1;
			}
			t->nraw++;
			break;
		case NONE:
			if (n && line[0] != '#') {
				snprintf(why, whysz, "line %d: text before any section", lineno);
				return -1;
			}
			break;
		case IGNORE:
			break;
		}
	}
	if (!t->asm_text) {
		snprintf(why, whysz, "no -- asm section");
		return -1;
	}
	if (!t->has_result) {
		snprintf(why, whysz, "no -- result section");
		return -1;
	}
	return 0;
}

static void free_test(struct test *t)
{
	free(t->asm_text);
	free(t->mem);
}

/* The raw word of an instruction: code | regs << 8 | off << 16 | imm << 32. */
static uint64_t raw_word(const struct ebpf_insn *in)
{
	return (uint64_t)in->code | (uint64_t)(in->dst | in->src << 4) << 8 |
	       (uint64_t)(uint16_t)in->off << 16 | (uint64_t)(uint32_t)in->imm << 32;
}

/* uBPF's test helper 5 ("unwind"): returns its argument. */
static uint64_t helper_unwind(void *user, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			      uint64_t r5)
{
	return r1;
}

static void group_of(const char *name, char *g, size_t size)
{
	if (!strncmp(name, "rfc9669_", 8)) {
		snprintf(g, size, "rfc9669");
		return;
	}
	size_t k = 0;
	while (name[k] && ((name[k] >= 'a' && name[k] <= 'z') || (name[k] >= 'A' && name[k] <= 'Z')) &&
	       k < size - 1) {
		g[k] = name[k];
		k++;
	}
	g[k] = '\0';
}

/* Runs one test: 1 passed, 0 failed (message in why). */
static int run_test(const char *path, char *why, size_t whysz)
{
	size_t flen;
	char *text = th_slurp(path, &flen);
	if (!text) {
		snprintf(why, whysz, "cannot read: %s", strerror(errno));
		return 0;
	}
	struct test t;
	int ok = 0;
	struct ebpf_insn *prog = NULL;
	size_t len = 0;
	if (parse_test(text, &t, why, whysz))
		goto out;
	struct bpfcap_error err = { 0 };
	if (ebpf_asm(t.asm_text, &prog, &len, &err)) {
		snprintf(why, whysz, "asm: %s", err.msg);
		goto out;
	}
	if (t.nraw) {
		if (t.nraw != len) {
			snprintf(why, whysz, "asm: %zu instructions, -- raw has %zu", len, t.nraw);
			goto out;
		}
		for (size_t i = 0; i < len; i++)
			if (raw_word(&prog[i]) != t.raw[i]) {
				snprintf(why, whysz, "asm: instruction %zu is 0x%016llx, -- raw says 0x%016llx", i,
					 (unsigned long long)raw_word(&prog[i]),
					 (unsigned long long)t.raw[i]);
				goto out;
			}
	}
	/* The memory in a buffer of exactly its size, so that ASan would see
	 * any access the interpreter let through past it. */
	uint8_t *mem = t.mem_len ? malloc(t.mem_len) : NULL;
	if (t.mem_len && !mem) {
		snprintf(why, whysz, "out of memory");
		goto out;
	}
	if (mem)
		memcpy(mem, t.mem, t.mem_len);
	ebpf_helper_fn helpers[6] = { [5] = helper_unwind };
	struct ebpf_region region = { mem, t.mem_len, 1 };
	struct ebpf_run_env env = {
		.r1 = (uint64_t)(uintptr_t)mem,
		.r2 = t.mem_len,
		.regions = &region,
		.nregions = mem ? 1 : 0,
		.pkt = mem,
		.pkt_len = t.mem_len,
		.helpers = helpers,
		.nhelpers = 6,
	};
	struct ebpf_run_result res;
	if (ebpf_run(prog, len, &env, &res, &err))
		snprintf(why, whysz, "run: %s (%s)", err.msg, ebpf_fault_name(res.fault));
	else if (res.r0 != t.result)
		snprintf(why, whysz, "r0 = 0x%llx, expected 0x%llx", (unsigned long long)res.r0,
			 (unsigned long long)t.result);
	else
		ok = 1;
	free(mem);
out:
	free(prog);
	free_test(&t);
	free(text);
	return ok;
}

struct group {
	char name[32];
	int passed, failed, skipped;
	const char *skip_reason;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char *shared = th_shared_dir();
	if (!shared) {
		printf("SKIP: ../shared not found (set BPFCAP_SHARED)\n");
		return 77;
	}
	char *dir = th_asprintf("%s/corpus/bpf_conformance/tests", shared);
	DIR *d = opendir(dir);
	if (!d) {
		printf("SKIP: %s: %s\n", dir, strerror(errno));
		free(dir);
		free(shared);
		return 77;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".data"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 512;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				return 2;
		}
		names[n++] = strndup(e->d_name, l - 5);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);

	struct group groups[256];
	size_t ngroups = 0;
	int passed = 0, failed = 0, skipped = 0;
	double t0 = th_now();
	for (size_t i = 0; i < n; i++) {
		char g[32];
		group_of(names[i], g, sizeof g);
		struct group *gr = NULL;
		for (size_t k = 0; k < ngroups; k++)
			if (!strcmp(groups[k].name, g))
				gr = &groups[k];
		if (!gr) {
			if (ngroups == sizeof groups / sizeof groups[0])
				return 2;
			gr = &groups[ngroups++];
			memset(gr, 0, sizeof *gr);
			snprintf(gr->name, sizeof gr->name, "%s", g);
			for (size_t k = 0; skipped_groups[k].group; k++)
				if (!strcmp(skipped_groups[k].group, g))
					gr->skip_reason = skipped_groups[k].reason;
		}
		if (gr->skip_reason) {
			gr->skipped++;
			skipped++;
			continue;
		}
		char *path = th_asprintf("%s/%s.data", dir, names[i]);
		char why[512] = "";
		if (run_test(path, why, sizeof why)) {
			gr->passed++;
			passed++;
		} else {
			printf("FAIL %s: %s\n", names[i], why);
			gr->failed++;
			failed++;
		}
		free(path);
	}
	double dt = th_now() - t0;

	printf("\n%-10s %6s %6s %7s\n", "group", "passed", "failed", "skipped");
	for (size_t k = 0; k < ngroups; k++)
		printf("%-10s %6d %6d %7d\n", groups[k].name, groups[k].passed, groups[k].failed,
		       groups[k].skipped);
	for (size_t k = 0; k < ngroups; k++)
		if (groups[k].skip_reason)
			printf("skipped group %s: %s\n", groups[k].name, groups[k].skip_reason);
	printf("%zu test files in %s, %.2f s; %d skipped\n", n, dir, dt, skipped);
	printf("%d passed, %d failed\n", passed, failed);

	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	free(shared);
	return failed ? 1 : 0;
}
