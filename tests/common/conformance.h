/* The bpf_conformance test files (tests/NAME.data in
 * $BPFCAP_SHARED/corpus/bpf_conformance): their parser, shared by
 * diff_conformance (the interpreter) and diff_jit (the JIT).
 *
 * A file has sections "-- asm" (vm/asm text), "-- mem" (hex bytes),
 * "-- result" (r0), optionally "-- raw" (the instruction words); "-- c"
 * and "-- no register offset" are informative. */
#ifndef BPFCAP_TEST_CONFORMANCE_H
#define BPFCAP_TEST_CONFORMANCE_H

#include <stddef.h>
#include <stdint.h>

#include "ebpf.h"

struct conf_test {
	char *asm_text;
	size_t asm_len, asm_cap;
	uint8_t *mem;
	size_t mem_len, mem_cap;
	uint64_t raw[256];
	size_t nraw;
	int has_result;
	uint64_t result;
};

/* Parses one .data file's text (modified in place); 0, or -1 with a
 * message in why.  conf_free releases what it allocated either way. */
int conf_parse(char *text, struct conf_test *t, char *why, size_t whysz);
void conf_free(struct conf_test *t);

/* The raw word of an instruction: code | regs << 8 | off << 16 | imm << 32. */
uint64_t conf_raw_word(const struct ebpf_insn *in);

/* uBPF's test helper 5 ("unwind"): returns its argument. */
uint64_t conf_helper_unwind(void *user, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			    uint64_t r5);
#define CONF_HELPER_UNWIND 5

/* A test's group: the name's leading letters; "rfc9669" for the RFC's. */
void conf_group_of(const char *name, char *g, size_t size);

/* The test names (without .data) in dir, sorted; NULL on error (errno). */
char **conf_list(const char *dir, size_t *n);
void conf_list_free(char **names, size_t n);

#endif
