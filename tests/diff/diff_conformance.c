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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "conformance.h"
#include "harness.h"
#include "interp.h"

/* Groups not run, with the reason.  None today: every group passes. */
static const struct {
	const char *group;
	const char *reason;
} skipped_groups[] = {
	{ NULL, NULL },
};

/* Runs one test: 1 passed, 0 failed (message in why). */
static int run_test(const char *path, char *why, size_t whysz)
{
	size_t flen;
	char *text = th_slurp(path, &flen);
	if (!text) {
		snprintf(why, whysz, "cannot read: %s", strerror(errno));
		return 0;
	}
	struct conf_test t;
	int ok = 0;
	struct ebpf_insn *prog = NULL;
	size_t len = 0;
	if (conf_parse(text, &t, why, whysz))
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
			if (conf_raw_word(&prog[i]) != t.raw[i]) {
				snprintf(why, whysz, "asm: instruction %zu is 0x%016llx, -- raw says 0x%016llx", i,
					 (unsigned long long)conf_raw_word(&prog[i]),
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
	ebpf_helper_fn helpers[6] = { [CONF_HELPER_UNWIND] = conf_helper_unwind };
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
	conf_free(&t);
	free(text);
	return ok;
}

struct group {
	char name[32];
	int passed, failed, skipped;
	const char *skip_reason;
};

int main(void)
{
	char *shared = th_shared_dir();
	if (!shared) {
		printf("SKIP: ../shared not found (set BPFCAP_SHARED)\n");
		return 77;
	}
	char *dir = th_asprintf("%s/corpus/bpf_conformance/tests", shared);
	size_t n = 0;
	char **names = conf_list(dir, &n);
	if (!names) {
		printf("SKIP: %s: %s\n", dir, strerror(errno));
		free(dir);
		free(shared);
		return 77;
	}

	struct group groups[256];
	size_t ngroups = 0;
	int passed = 0, failed = 0, skipped = 0;
	double t0 = th_now();
	for (size_t i = 0; i < n; i++) {
		char g[32];
		conf_group_of(names[i], g, sizeof g);
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

	conf_list_free(names, n);
	free(dir);
	free(shared);
	return failed ? 1 : 0;
}
