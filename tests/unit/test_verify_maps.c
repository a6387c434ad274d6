/* test_verify_maps: the verifier's rules for helper calls and map values
 * (vm/verify_call.c), the counting programs (vm/count.h) and the
 * userspace maps behind them.
 *   - a catalogue of programs rejected, each with its instruction and its
 *     message (unknown helper, argument kinds, keys, unchecked NULL with a
 *     variable and with a constant key, value bounds, map fds, r1-r5 after
 *     a call, leaks);
 *   - hand-written programs accepted (the NULL check in both forms, a copy
 *     of the result split with it);
 *   - every counting program bpfcap emits: each expression of the
 *     differential lists, both targets, both modes, accepted by
 *     ebpf_verify_maps;
 *   - the userspace runners: map lookups, pseudo-map faults, the counter. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define bpf_insn pcap_bpf_insn
#include "harness.h"
#undef bpf_insn
#include "count.h"
#include "ebpf.h"
#include "interp.h"
#include "jit.h"
#include "map.h"
#include "run.h"
#include "translate.h"
#include "verify.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define PROG(...)                                                     \
	.prog = (const struct ebpf_insn[]){ __VA_ARGS__ },            \
	.len = sizeof((const struct ebpf_insn[]){ __VA_ARGS__ }) / sizeof(struct ebpf_insn)

#define SOCK EBPF_TARGET_SOCKET
#define DIRECT EBPF_TARGET_DIRECT
#define R0 EBPF_REG_0
#define R1 EBPF_REG_1
#define R2 EBPF_REG_2
#define R3 EBPF_REG_3
#define R6 EBPF_REG_6
#define R7 EBPF_REG_7
#define R10 EBPF_REG_10

/* The maps every case is verified with: fd 5 the counters' per-CPU array
 * (32-byte values), fd 6 a hash map (a type we do not support). */
static const struct ebpf_map_desc maps[] = {
	{ .fd = 5, .type = BPF_MAP_TYPE_PERCPU_ARRAY, .key_size = 4, .value_size = 32,
	  .max_entries = 1 },
	{ .fd = 6, .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 16 },
};

#define RET0 EBPF_MOV32_IMM(R0, 0), EBPF_EXIT_INSN()
/* key 0 at r10-8, r1 = map fd 5, r2 = &key: insns 0..4; the call is insn 5. */
#define ARGS                                                          \
	EBPF_ST_MEM(EBPF_W, R10, -8, 0), EBPF_LD_MAP_FD(R1, 5),       \
	EBPF_MOV64_REG(R2, R10), EBPF_ALU64_IMM(EBPF_ADD, R2, -8)
#define LOOKUP ARGS, EBPF_CALL_HELPER(EBPF_HELPER_MAP_LOOKUP_ELEM)
/* ... then "if r0 != 0 goto +2; return 0": r0 is a value from insn 9. */
#define CHECKED LOOKUP, EBPF_JMP_IMM(EBPF_JNE, R0, 0, 2), RET0

struct bad_case {
	const char *name;
	enum ebpf_target target;
	const struct ebpf_insn *prog;
	size_t len;
	int with_maps;     /* 0: plain ebpf_verify */
	int insn;
	const char *why;
};

#define BAD_CASES { \
	{ "helper 1 without a map table", SOCK, PROG(EBPF_CALL_HELPER(1), RET0), 0, 0, \
	  "unknown helper 1 (a socket filter may call only 7 bpf_get_prandom_u32 and 8" }, \
	{ "unknown helper with maps", SOCK, PROG(EBPF_CALL_HELPER(2), RET0), 1, 0, \
	  "unknown helper 2 (a socket program with maps may call only 1 bpf_map_lookup_elem, 7" }, \
	{ "unknown helper 12, direct", DIRECT, PROG(ARGS, EBPF_CALL_HELPER(12), RET0), 1, 5, \
	  "unknown helper 12 (a direct program with maps may call only 1" }, \
	{ "map fd that is not a map", SOCK, PROG(EBPF_LD_MAP_FD(R1, 9), RET0), 1, 0, \
	  "map fd 9 is not a map: the program was verified with 2 maps and none has that fd" }, \
	{ "map fd without a map table", SOCK, PROG(EBPF_LD_MAP_FD(R1, 5), RET0), 0, 0, \
	  "LD_IMM64 with pseudo source 1 (maps, BTF, functions) is not supported" }, \
	{ "hash map", SOCK, PROG(EBPF_LD_MAP_FD(R1, 6), RET0), 1, 0, \
	  "map fd 6 is a hash map: only arrays are supported" }, \
	{ "map reference with a high half", SOCK, \
	  PROG(EBPF_LD_IMM64_RAW(R1, EBPF_PSEUDO_MAP_FD, 0x100000005ull), RET0), 1, 0, \
	  "a map reference's second slot must have imm 0 (it has 1)" }, \
	{ "arg1 a number", SOCK, \
	  PROG(EBPF_ST_MEM(EBPF_W, R10, -8, 0), EBPF_MOV64_IMM(R1, 5), EBPF_MOV64_REG(R2, R10), \
	       EBPF_ALU64_IMM(EBPF_ADD, R2, -8), EBPF_CALL_HELPER(1), RET0), 1, 4, \
	  "bpf_map_lookup_elem's argument 1 (r1) must be a map pointer (r1 = map[fd:N]), but r1 is a number" }, \
	{ "arg1 the context", SOCK, \
	  PROG(EBPF_ST_MEM(EBPF_W, R10, -8, 0), EBPF_MOV64_REG(R2, R10), \
	       EBPF_ALU64_IMM(EBPF_ADD, R2, -8), EBPF_CALL_HELPER(1), RET0), 1, 3, \
	  "argument 1 (r1) must be a map pointer (r1 = map[fd:N]), but r1 is the context pointer" }, \
	{ "arg2 a number", SOCK, \
	  PROG(EBPF_LD_MAP_FD(R1, 5), EBPF_MOV64_IMM(R2, 0), EBPF_CALL_HELPER(1), RET0), 1, 3, \
	  "argument 2 (r2) must point to the key on the stack, but r2 is a number" }, \
	{ "arg2 the context", SOCK, \
	  PROG(EBPF_MOV64_REG(R2, R1), EBPF_LD_MAP_FD(R1, 5), EBPF_CALL_HELPER(1), RET0), 1, 3, \
	  "argument 2 (r2) must point to the key on the stack, but r2 is the context pointer" }, \
	{ "arg2 unset", SOCK, PROG(EBPF_LD_MAP_FD(R1, 5), EBPF_CALL_HELPER(1), RET0), 1, 2, \
	  "argument 2 (r2) must point to the key on the stack, but r2 is not set on every path" }, \
	{ "key not written", SOCK, \
	  PROG(EBPF_LD_MAP_FD(R1, 5), EBPF_MOV64_REG(R2, R10), EBPF_ALU64_IMM(EBPF_ADD, R2, -8), \
	       EBPF_CALL_HELPER(1), RET0), 1, 4, \
	  "bpf_map_lookup_elem's key [r10-8, r10-4) (4 bytes) is not written on every path to here" }, \
	{ "key half written", SOCK, \
	  PROG(EBPF_ST_MEM(EBPF_H, R10, -8, 0), EBPF_LD_MAP_FD(R1, 5), EBPF_MOV64_REG(R2, R10), \
	       EBPF_ALU64_IMM(EBPF_ADD, R2, -8), EBPF_CALL_HELPER(1), RET0), 1, 5, \
	  "(stack byte r10-6)" }, \
	{ "key past the frame", SOCK, \
	  PROG(EBPF_LD_MAP_FD(R1, 5), EBPF_MOV64_REG(R2, R10), EBPF_CALL_HELPER(1), RET0), 1, 3, \
	  "bpf_map_lookup_elem's key [r10+0, r10+4) is outside the 512-byte stack frame" }, \
	{ "unchecked NULL, constant key", SOCK, \
	  PROG(LOOKUP, EBPF_LDX_MEM(EBPF_DW, R1, R0, 0), RET0), 1, 6, \
	  "r0 may be NULL: the bpf_map_lookup_elem at insn 5 returns NULL for a missing key; compare it with 0 first" }, \
	{ "unchecked NULL, variable key", SOCK, \
	  PROG(EBPF_MOV64_REG(R6, R1), EBPF_LD_ABS(EBPF_B, 23), EBPF_STX_MEM(EBPF_W, R10, R0, -8), \
	       EBPF_LD_MAP_FD(R1, 5), EBPF_MOV64_REG(R2, R10), EBPF_ALU64_IMM(EBPF_ADD, R2, -8), \
	       EBPF_CALL_HELPER(1), EBPF_ST_MEM(EBPF_DW, R0, 0, 1), RET0), 1, 8, \
	  "r0 may be NULL: the bpf_map_lookup_elem at insn 7 returns NULL" }, \
	{ "NULL side dereferenced", SOCK, \
	  PROG(LOOKUP, EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 2), RET0, EBPF_LDX_MEM(EBPF_DW, R1, R0, 0), \
	       RET0), 1, 9, "r0 is a number, not a pointer: memory access through it is not allowed" }, \
	{ "value load past the end", SOCK, \
	  PROG(CHECKED, EBPF_LDX_MEM(EBPF_DW, R1, R0, 32), RET0), 1, 9, \
	  "map value load [32, 40) through r0 is outside the 32-byte value of map[fd:5]" }, \
	{ "value store straddling the end", SOCK, \
	  PROG(CHECKED, EBPF_ST_MEM(EBPF_DW, R0, 28, 1), RET0), 1, 9, \
	  "map value store [28, 36) through r0 is outside the 32-byte value" }, \
	{ "value load before the start", DIRECT, \
	  PROG(CHECKED, EBPF_ALU64_IMM(EBPF_ADD, R0, -8), EBPF_LDX_MEM(EBPF_W, R1, R0, 4), RET0), 1, 10, \
	  "map value load [-4, 0) through r0" }, \
	{ "map pointer dereferenced", SOCK, \
	  PROG(EBPF_LD_MAP_FD(R1, 5), EBPF_LDX_MEM(EBPF_DW, R0, R1, 0), EBPF_EXIT_INSN()), 1, 2, \
	  "r1 is a map pointer (map[fd:5]): it may only be passed to a helper, not dereferenced" }, \
	{ "arithmetic on a map pointer", SOCK, \
	  PROG(EBPF_LD_MAP_FD(R1, 5), EBPF_ALU64_IMM(EBPF_ADD, R1, 8), RET0), 1, 2, \
	  "arithmetic on a map pointer (r1) is not allowed" }, \
	{ "arithmetic before the NULL check", SOCK, \
	  PROG(LOOKUP, EBPF_ALU64_IMM(EBPF_ADD, R0, 8), RET0), 1, 6, \
	  "arithmetic on a map value pointer that may be NULL (r0) is not allowed before its NULL check" }, \
	{ "r1 read after the call", SOCK, PROG(CHECKED, EBPF_MOV64_REG(R0, R1), EBPF_EXIT_INSN()), 1, 9, \
	  "r1 is unreadable: the helper call at insn 5 clobbered r1-r5" }, \
	{ "r3 read after the call", SOCK, \
	  PROG(EBPF_MOV64_IMM(R3, 1), LOOKUP, EBPF_MOV64_REG(R0, R3), EBPF_EXIT_INSN()), 1, 7, \
	  "r3 is unreadable: the helper call at insn 6 clobbered r1-r5" }, \
	{ "value returned", SOCK, PROG(CHECKED, EBPF_EXIT_INSN()), 1, 9, \
	  "r0 holds a map value pointer at exit: returning it would leak an address" }, \
	{ "maybe-NULL returned", SOCK, PROG(LOOKUP, EBPF_EXIT_INSN()), 1, 6, \
	  "r0 holds a map value pointer that may be NULL at exit" }, \
	{ "compared with 1", SOCK, \
	  PROG(LOOKUP, EBPF_JMP_IMM(EBPF_JEQ, R0, 1, 2), RET0, RET0), 1, 6, \
	  "comparison of a map value pointer that may be NULL with a number: a map pointer or value may only be compared" }, \
	{ "32-bit NULL check", SOCK, \
	  PROG(LOOKUP, EBPF_JMP32_IMM(EBPF_JNE, R0, 0, 2), RET0, RET0), 1, 6, \
	  "may only be compared, as a lookup's result, with 0 (if rN == 0 / if rN != 0, 64-bit)" }, \
	{ "map pointer stored in a value", SOCK, \
	  PROG(CHECKED, EBPF_LD_MAP_FD(R1, 5), EBPF_STX_MEM(EBPF_DW, R0, R1, 0), RET0), 1, 11, \
	  "stores a pointer (a map pointer) into memory: that would leak an address" }, \
	{ "value spilled to the stack", SOCK, \
	  PROG(CHECKED, EBPF_STX_MEM(EBPF_DW, R10, R0, -16), RET0), 1, 9, \
	  "spilling a pointer (a map value pointer) to the stack is not supported" }, \
	{ "value truncated", SOCK, PROG(CHECKED, EBPF_MOV32_REG(R1, R0), RET0), 1, 9, \
	  "32-bit operation of a pointer (a map value pointer in r0) would leak or truncate it" }, \
	{ "different lookups joined", SOCK, \
	  PROG(LOOKUP, EBPF_MOV64_REG(R6, R0), LOOKUP, EBPF_JMP_IMM(EBPF_JEQ, R6, 0, 1), \
	       EBPF_MOV64_REG(R6, R0), EBPF_JMP_IMM(EBPF_JEQ, R6, 0, 2), \
	       EBPF_LDX_MEM(EBPF_DW, R0, R6, 0), EBPF_EXIT_INSN(), RET0), 1, 15, \
	  "r6 holds a different kind of value on different paths to here" }, \
}

static void expect_rejected(const struct bad_case *c)
{
	struct bpfcap_error err = { 0 };
	int rc = c->with_maps ? ebpf_verify_maps(c->prog, c->len, c->target, maps, N(maps), &err)
			      : ebpf_verify(c->prog, c->len, c->target, &err);
	ck_assert_msg(rc == BPFCAP_E_INVALID, "%s: expected rejection, got %d (%s)", c->name, rc,
		      err.msg);
	if (getenv("TEST_VERIFY_SHOW"))
		fprintf(stderr, "%-36s %s\n", c->name, err.msg);
	char prefix[32];
	snprintf(prefix, sizeof prefix, "insn %d: (", c->insn);
	ck_assert_msg(strncmp(err.msg, prefix, strlen(prefix)) == 0,
		      "%s: message '%s' does not start with '%s'", c->name, err.msg, prefix);
	ck_assert_msg(strstr(err.msg, c->why) != NULL, "%s: message '%s' lacks '%s'", c->name,
		      err.msg, c->why);
}

START_TEST(test_bad)
{
	const struct bad_case bad[] = BAD_CASES;
	expect_rejected(&bad[_i]);
}
END_TEST

START_TEST(test_catalogue_size)
{
	const struct bad_case bad[] = BAD_CASES;
	ck_assert_uint_ge(N(bad), 15);
}
END_TEST

static size_t bad_count(void)
{
	const struct bad_case bad[] = BAD_CASES;
	return N(bad);
}

struct good_case {
	const char *name;
	enum ebpf_target target;
	const struct ebpf_insn *prog;
	size_t len;
};

#define GOOD_CASES { \
	{ "count: JNE check, load, add, store", SOCK, \
	  PROG(CHECKED, EBPF_LDX_MEM(EBPF_DW, R1, R0, 8), EBPF_ALU64_IMM(EBPF_ADD, R1, 1), \
	       EBPF_STX_MEM(EBPF_DW, R0, R1, 8), RET0) }, \
	{ "JEQ check, direct", DIRECT, \
	  PROG(LOOKUP, EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 1), EBPF_ST_MEM(EBPF_DW, R0, 24, 7), RET0) }, \
	{ "a copy is split with the original", SOCK, \
	  PROG(LOOKUP, EBPF_MOV64_REG(R6, R0), EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 1), \
	       EBPF_LDX_MEM(EBPF_W, R1, R6, 28), RET0) }, \
	{ "moved by a constant inside the value", SOCK, \
	  PROG(CHECKED, EBPF_ALU64_IMM(EBPF_ADD, R0, 16), EBPF_LDX_MEM(EBPF_DW, R1, R0, 8), RET0) }, \
	{ "atomic add on a value", SOCK, \
	  PROG(CHECKED, EBPF_MOV64_IMM(R1, 1), \
	       EBPF_ATOMIC_OP(EBPF_DW, EBPF_ADD, R0, R1, 0), RET0) }, \
	{ "helper 7 beside maps", SOCK, PROG(EBPF_CALL_HELPER(7), EBPF_EXIT_INSN()) }, \
}

START_TEST(test_good)
{
	const struct good_case good[] = GOOD_CASES;
	const struct good_case *c = &good[_i];
	struct bpfcap_error err = { 0 };
	int rc = ebpf_verify_maps(c->prog, c->len, c->target, maps, N(maps), &err);
	ck_assert_msg(rc == 0, "%s: rejected: %s", c->name, err.msg);
}
END_TEST

static size_t good_count(void)
{
	const struct good_case good[] = GOOD_CASES;
	return N(good);
}

/* Every counting program bpfcap emits: the expressions of every
 * differential list, optimized, each target, each mode. */
START_TEST(test_every_counting_program)
{
	struct th_linktype lts[4];
	size_t nlt = th_linktypes(lts);
	char *tests = th_tests_dir();
	size_t accepted = 0, unsupported = 0;
	for (size_t k = 0; k <= nlt; k++) {
		const char *list = k < nlt ? lts[k].name : "live";
		int dlt = k < nlt ? lts[k].bpfcap_dlt : lts[0].bpfcap_dlt;
		char *path = th_asprintf("%s/diff/exprs/%s.txt", tests, list);
		struct th_list l = { 0 };
		char err[256];
		ck_assert_msg(th_list_load(path, &l, err, sizeof err) > 0, "%s: %s", path, err);
		for (size_t i = 0; i < l.count; i++) {
			struct bpfcap_compile_opts o = { .linktype = dlt, .snaplen = 262144,
							 .mode = k < nlt ? BPFCAP_MODE_OFFLINE
									 : BPFCAP_MODE_LIVE,
							 .optimize = 1 };
			struct bpfcap_prog cbpf;
			struct bpfcap_error e = { 0 };
			if (bpfcap_compile(l.items[i], &o, &cbpf, &e))
				continue;
			for (int t = 0; t < 2; t++) {
				struct ebpf_prog f;
				int rc = ebpf_translate(cbpf.insns, cbpf.len, (enum ebpf_target)t, &f, &e);
				if (rc == BPFCAP_E_UNSUPPORTED) { /* HATYPE on the socket target */
					unsupported++;
					continue;
				}
				ck_assert_msg(rc == 0, "%s '%s': %s", list, l.items[i], e.msg);
				for (int m = 0; m < 2; m++) {
					struct ebpf_prog c;
					ck_assert_int_eq(ebpf_count_wrap(&f, (enum ebpf_count_mode)m, 5, &c, &e),
							 0);
					rc = ebpf_verify_maps(c.insns, c.len, (enum ebpf_target)t, maps,
							      N(maps), &e);
					ck_assert_msg(rc == 0, "%s '%s' (%s, mode %d): %s", list, l.items[i],
						      t ? "direct" : "socket", m, e.msg);
					accepted++;
					ebpf_prog_free(&c);
				}
				ebpf_prog_free(&f);
			}
			bpfcap_prog_free(&cbpf);
		}
		th_list_free(&l);
		free(path);
	}
	free(tests);
	/* ~1,000 expressions x 2 targets x 2 modes */
	ck_assert_msg(accepted > 3000, "only %zu counting programs checked", accepted);
	ck_assert_uint_lt(unsupported, accepted / 10);
}
END_TEST

/* ---- the userspace side ----------------------------------------------------- */

START_TEST(test_umap)
{
	struct ebpf_umap *m;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_umap_create(BPF_MAP_TYPE_ARRAY, 12, 3, 2, &m, &err), 0);
	ck_assert_int_eq(m->desc.fd, 2);
	ck_assert_uint_eq(m->stride, 16); /* rounded to 8, as the kernel's elem_size */
	uint32_t k = 2;
	uint8_t *v2 = ebpf_umap_lookup(m, &k);
	ck_assert_ptr_eq(v2, m->values + 32);
	k = 3;
	ck_assert_ptr_null(ebpf_umap_lookup(m, &k));
	ebpf_umap_free(m);
	ck_assert_int_eq(ebpf_umap_create(BPF_MAP_TYPE_HASH, 8, 4, 0, &m, &err), BPFCAP_E_INVALID);
	ck_assert_ptr_nonnull(strstr(err.msg, "hash"));
}
END_TEST

/* A reference outside the run's map table is a fault, not a wild pointer. */
START_TEST(test_interp_map_reference)
{
	static const struct ebpf_insn prog[] = { EBPF_LD_MAP_FD(R1, 1), RET0 };
	uint64_t addrs[1] = { 0x1000 };
	struct ebpf_run_env env = { .map_addrs = addrs, .nmaps = 1 };
	struct ebpf_run_result res;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_run(prog, N(prog), &env, &res, &err), BPFCAP_E_INVALID);
	ck_assert_int_eq(res.fault, EBPF_FAULT_INSN);
	ck_assert_ptr_nonnull(strstr(err.msg, "map reference 1 is not in the run's table of 1"));
	static const struct ebpf_insn ok[] = { EBPF_LD_MAP_FD(R0, 0), EBPF_EXIT_INSN() };
	ck_assert_int_eq(ebpf_run(ok, N(ok), &env, &res, &err), 0);
	ck_assert_uint_eq(res.r0, 0x1000);
}
END_TEST

/* The lookup helper answers NULL for a pointer that is not one of its maps. */
START_TEST(test_lookup_helper_checks_map)
{
	struct ebpf_umap *m;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_umap_create(BPF_MAP_TYPE_PERCPU_ARRAY, 32, 1, 0, &m, &err), 0);
	struct ebpf_helper_env env = { .maps = &m, .nmaps = 1 };
	uint32_t key = 0;
	ebpf_helper_fn lookup = ebpf_map_helpers[EBPF_HELPER_MAP_LOOKUP_ELEM];
	ck_assert_uint_eq(lookup(&env, (uintptr_t)m, (uintptr_t)&key, 0, 0, 0), (uintptr_t)m->values);
	ck_assert_uint_eq(lookup(&env, (uintptr_t)&key, (uintptr_t)&key, 0, 0, 0), 0);
	ebpf_umap_free(m);
}
END_TEST

/* A long filter: r6 = ctx, an EXIT early (not taken), gap no-ops
 * (r0 += 0), a second EXIT (not taken), gap more, then "return 1".  The early EXIT is
 * more than 32,767 instructions before the end. */
static struct ebpf_prog long_filter(size_t gap)
{
	struct ebpf_prog f = { .len = 2 * gap + 8, .target = SOCK };
	f.insns = calloc(f.len, sizeof *f.insns);
	size_t n = 0;
	f.insns[n++] = EBPF_MOV64_REG(R6, R1);
	f.insns[n++] = EBPF_MOV64_IMM(R0, 0);
	for (int k = 0; k < 2; k++) {
		f.insns[n++] = EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 1);
		f.insns[n++] = EBPF_EXIT_INSN();
		for (size_t i = 0; i < gap; i++)
			f.insns[n++] = EBPF_ALU64_IMM(EBPF_ADD, R0, 0);
	}
	f.insns[n++] = EBPF_MOV64_IMM(R0, 1);
	f.insns[n++] = EBPF_EXIT_INSN();
	ck_assert_uint_eq(n, f.len);
	return f;
}

/* EXITs far from the end: chained through nearer EXITs (gap 20,000: no
 * instruction added), or the epilogue inlined at each EXIT with the jumps
 * relocated (gap 34,000: the EXITs are too far apart to chain).  Both
 * verified and counting right in the interpreter. */
START_TEST(test_far_exits)
{
	static const size_t gaps[] = { 20000, 34000 };
	for (size_t g = 0; g < N(gaps); g++) {
		struct ebpf_prog f = long_filter(gaps[g]);
		for (int m = 0; m < 2; m++) {
			struct ebpf_prog c;
			struct bpfcap_error err = { 0 };
			ck_assert_msg(ebpf_count_wrap(&f, (enum ebpf_count_mode)m, 0, &c, &err) == 0, "%s",
				      err.msg);
			size_t added = c.len - f.len;
			if (g == 0)
				ck_assert_uint_lt(added, 40); /* one epilogue (+ prologue) */
			else
				ck_assert_uint_gt(added, 3 * 10); /* an epilogue per EXIT */
			struct ebpf_map_desc d = ebpf_count_map_desc(0, BPF_MAP_TYPE_PERCPU_ARRAY);
			ck_assert_msg(ebpf_verify_maps(c.insns, c.len, SOCK, &d, 1, &err) == 0, "gap %zu: %s",
				      gaps[g], err.msg);
			struct ebpf_umap *map;
			ck_assert_int_eq(ebpf_umap_create(BPF_MAP_TYPE_PERCPU_ARRAY, 32, 1, 0, &map, &err),
					 0);
			struct ebpf_helper_env henv = { .maps = &map, .nmaps = 1 };
			uint8_t pkt[60] = { 0 };
			uint32_t ret = 9;
			ck_assert_int_eq(ebpf_prog_run_interp_maps(&c, pkt, 60, 77, NULL, &henv, &ret, &err),
					 0);
			ck_assert_uint_eq(ret, m ? 1 : 0);
			uint32_t key = 0;
			struct bpfcap_counts k;
			memcpy(&k, ebpf_umap_lookup(map, &key), sizeof k);
			ck_assert_uint_eq(k.matched_packets, 1);
			ck_assert_uint_eq(k.matched_bytes, 77);
			ck_assert_uint_eq(k.seen_packets, (unsigned)m);
			ebpf_umap_free(map);
			ebpf_prog_free(&c);
		}
		ebpf_prog_free(&f);
	}
}
END_TEST

/* The interpreter and the JIT on the same map-using program (lookup, NULL
 * check, stores and adds through the value, a key out of range): the same
 * r0 and the same map contents, run after run. */
START_TEST(test_interp_jit_same_maps)
{
	static const struct ebpf_insn prog[] = {
		EBPF_MOV64_REG(R6, R1),                      /* r1 = a number from the caller */
		EBPF_ST_MEM(EBPF_W, R10, -8, 1),
		EBPF_LD_MAP_FD(R1, 0), EBPF_MOV64_REG(R2, R10), EBPF_ALU64_IMM(EBPF_ADD, R2, -8),
		EBPF_CALL_HELPER(EBPF_HELPER_MAP_LOOKUP_ELEM), /* key 1: exists */
		EBPF_JMP_IMM(EBPF_JEQ, R0, 0, 16),
		EBPF_LDX_MEM(EBPF_DW, R1, R0, 0), EBPF_ALU64_REG(EBPF_ADD, R1, R6),
		EBPF_STX_MEM(EBPF_DW, R0, R1, 0),
		EBPF_LDX_MEM(EBPF_W, R1, R0, 8), EBPF_ALU32_IMM(EBPF_ADD, R1, 3),
		EBPF_STX_MEM(EBPF_W, R0, R1, 8),
		EBPF_MOV64_REG(R7, R0),
		EBPF_ST_MEM(EBPF_W, R10, -8, 9),
		EBPF_LD_MAP_FD(R1, 0), EBPF_MOV64_REG(R2, R10), EBPF_ALU64_IMM(EBPF_ADD, R2, -8),
		EBPF_CALL_HELPER(EBPF_HELPER_MAP_LOOKUP_ELEM), /* key 9: NULL */
		EBPF_LDX_MEM(EBPF_DW, R1, R7, 0),
		EBPF_ALU64_REG(EBPF_ADD, R0, R1),              /* NULL (0) + the counter */
		EBPF_EXIT_INSN(),
		RET0,
	};
	struct bpfcap_error err = { 0 };
	struct ebpf_umap *m[2];
	for (int e = 0; e < 2; e++)
		ck_assert_int_eq(ebpf_umap_create(BPF_MAP_TYPE_ARRAY, 16, 4, 0, &m[e], &err), 0);
	ck_assert_msg(ebpf_verify_maps(prog, N(prog), SOCK, &m[0]->desc, 1, &err) != 0,
		      "r0 + r1 with r0 NULL-or-value must be refused");
	struct ebpf_helper_env henv[2] = { { .maps = &m[0], .nmaps = 1 },
					   { .maps = &m[1], .nmaps = 1 } };
	uint64_t addrs[2][1] = { { (uintptr_t)m[0] }, { (uintptr_t)m[1] } };
	struct ebpf_region region = { m[0]->values, ebpf_umap_bytes(m[0]), 1 };
	struct ebpf_jit_prog *jp;
	struct ebpf_jit_opts o = { ebpf_map_helpers, EBPF_FILTER_NHELPERS, &henv[1] };
	ck_assert_int_eq(ebpf_jit_compile_maps(prog, N(prog), &o, addrs[1], 1, &jp, &err), 0);
	for (uint64_t run = 1; run <= 5; run++) {
		struct ebpf_run_env env = { .r1 = run * 1000, .regions = &region, .nregions = 1,
					    .helpers = ebpf_map_helpers,
					    .nhelpers = EBPF_FILTER_NHELPERS, .helper_user = &henv[0],
					    .map_addrs = addrs[0], .nmaps = 1 };
		struct ebpf_run_result res;
		ck_assert_msg(ebpf_run(prog, N(prog), &env, &res, &err) == 0, "%s", err.msg);
		uint64_t j = ebpf_jit_entry(jp)(run * 1000, NULL, 0, 0);
		ck_assert_uint_eq(res.r0, j);
		ck_assert_uint_eq(res.r0, 1000 * run * (run + 1) / 2);
		ck_assert_int_eq(memcmp(m[0]->values, m[1]->values, ebpf_umap_bytes(m[0])), 0);
	}
	uint32_t k1 = 1;
	uint32_t w;
	memcpy(&w, (uint8_t *)ebpf_umap_lookup(m[1], &k1) + 8, 4);
	ck_assert_uint_eq(w, 15);
	ebpf_jit_free(jp);
	ebpf_umap_free(m[0]);
	ebpf_umap_free(m[1]);
}
END_TEST

/* bpfcap_counter: matches and wire bytes, both engines, both modes. */
START_TEST(test_counter)
{
	struct bpfcap_prog p;
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(bpfcap_compile("udp", NULL, &p, &err), 0);
	uint8_t udp[42] = { [12] = 0x08, [14] = 0x45, [23] = 17 };
	uint8_t tcp[42] = { [12] = 0x08, [14] = 0x45, [23] = 6 };
	for (int engine = 0; engine < 2; engine++) {
		for (int mode = 0; mode < 2; mode++) {
			struct bpfcap_counter *c;
			ck_assert_int_eq(bpfcap_counter_load(&p, (enum bpfcap_engine)engine,
							     (enum bpfcap_count_mode)mode, &c, &err), 0);
			uint32_t a = bpfcap_counter_run(c, udp, sizeof udp, 1000, NULL);
			uint32_t b = bpfcap_counter_run(c, tcp, sizeof tcp, 60, NULL);
			uint32_t d = bpfcap_counter_run(c, udp, 20, 70, NULL); /* too short: rejected */
			struct bpfcap_counts k;
			bpfcap_counter_read(c, &k);
			ck_assert_uint_eq(a, mode ? 262144 : 0);
			ck_assert_uint_eq(b, 0);
			ck_assert_uint_eq(d, 0);
			ck_assert_uint_eq(k.matched_packets, 1);
			ck_assert_uint_eq(k.matched_bytes, 1000);
			ck_assert_uint_eq(k.seen_packets, mode ? 3 : 0);
			ck_assert_uint_eq(k.seen_bytes, mode ? 1130 : 0);
			bpfcap_counter_free(c);
		}
	}
	struct bpfcap_counter *c;
	ck_assert_int_eq(bpfcap_counter_load(&p, BPFCAP_ENGINE_JIT, (enum bpfcap_count_mode)7, &c,
					     &err), BPFCAP_E_INVALID);
	bpfcap_prog_free(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify_maps");
	TCase *tc = tcase_create("verify_maps");
	tcase_add_loop_test(tc, test_bad, 0, (int)bad_count());
	tcase_add_test(tc, test_catalogue_size);
	tcase_add_loop_test(tc, test_good, 0, (int)good_count());
	tcase_add_test(tc, test_every_counting_program);
	tcase_add_test(tc, test_umap);
	tcase_add_test(tc, test_interp_map_reference);
	tcase_add_test(tc, test_lookup_helper_checks_map);
	tcase_add_test(tc, test_counter);
	tcase_add_test(tc, test_interp_jit_same_maps);
	tcase_add_test(tc, test_far_exits);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
