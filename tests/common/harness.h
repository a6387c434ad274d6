/* Shared helpers for bpfcap's test, differential and benchmark programs.
 *
 * Compiled into every test binary (see the Makefile: every .c file in tests/common).
 * Nothing here knows about bpfcap's internals: only the public API and
 * libpcap. */
#ifndef BPFCAP_TEST_HARNESS_H
#define BPFCAP_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "bpfcap.h"

/* ---- packets ------------------------------------------------------------ */

struct th_packet {
	uint32_t caplen;  /* bytes captured (what data holds) */
	uint32_t wirelen; /* length on the wire */
	uint8_t *data;
};

struct th_pcap {
	int dlt;  /* pcap_datalink() of the file */
	size_t count;
	struct th_packet *pkts;
};

/* Read a whole savefile (pcap or pcapng) into memory.  0 on success; on
 * failure -1 and a message in err. */
int th_pcap_load(const char *path, struct th_pcap *out, char *err, size_t errsz);
void th_pcap_free(struct th_pcap *pf);

/* libpcap's interpreter: the filter's return value for one packet. */
unsigned th_run(const struct bpf_insn *insns, const struct th_packet *p);

/* ---- compiling ------------------------------------------------------------ */

/* pcap_open_dead(dlt, 262144 or snaplen) + pcap_compile.  0 on success
 * (free prog with pcap_freecode), -1 with libpcap's message in err. */
int th_libpcap_compile(int dlt, const char *expr, int optimize, uint32_t netmask,
		       uint32_t snaplen, struct bpf_program *prog, char *err, size_t errsz);

/* bpfcap_compile, offline mode.  Returns bpfcap's status (0 = OK). */
int th_bpfcap_compile(int dlt, const char *expr, int optimize, uint32_t netmask,
		      uint32_t snaplen, struct bpfcap_prog *prog, struct bpfcap_error *err);

/* A bpfcap program viewed as libpcap's instruction array (same layout). */
static inline const struct bpf_insn *th_insns(const struct bpfcap_prog *p)
{
	return (const struct bpf_insn *)(const void *)p->insns;
}

/* The four link types bpfcap compiles: pcap name, corpus file stem, and the
 * DLT numbers libpcap and bpfcap use for it. */
struct th_linktype {
	const char *name;   /* "EN10MB", ... */
	const char *stem;   /* corpus file: <stem>.pcap */
	int pcap_dlt;       /* pcap_datalink_name_to_val(name) */
	int bpfcap_dlt;     /* bpfcap_linktype_from_name(name) */
};
/* Fills the table; returns how many (4). */
size_t th_linktypes(struct th_linktype out[4]);

/* Call FN(CTX, path) for every .pcap and .pcapng file in DIR (none if
 * DIR cannot be opened). */
void th_for_each_capture(const char *dir, void (*fn)(void *ctx, const char *path), void *ctx);
/* One by pcap name (case-insensitive); 0 if found, -1 if not ours. */
int th_linktype_by_name(const char *name, struct th_linktype *out);

/* ---- files and environment ------------------------------------------------ */

/* Lines of an expression list: blank lines and lines whose first non-blank
 * character is '#' are skipped; surrounding blanks are trimmed; a line that
 * is exactly <empty> stands for the empty expression.  Returns the count,
 * or -1 (message in err) if the file cannot be read. */
struct th_list {
	size_t count;
	char **items;
	int *lineno;
};
int th_list_load(const char *path, struct th_list *out, char *err, size_t errsz);
void th_list_free(struct th_list *l);

/* Whole file into a NUL-terminated malloc'd buffer, or NULL. */
char *th_slurp(const char *path, size_t *len);

/* $BPFCAP_CORPUS or "build/corpus". */
const char *th_corpus_dir(void);
/* $BPFCAP_SHARED, else <git toplevel>/../shared, else ../shared; returns
 * a malloc'd path of an existing directory, or NULL. */
char *th_shared_dir(void);
/* Directory of the repository's tests/ (from $BPFCAP_TESTS, else the git
 * toplevel, else "tests"); malloc'd. */
char *th_tests_dir(void);

/* An expression fit for one line of a report: control characters escaped
 * (\n, \t, \xNN), cut to about max bytes with the full length noted.
 * Returns a malloc'd string. */
char *th_oneline(const char *expr, size_t max);

/* printf into a malloc'd string. */
char *th_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Monotonic clock in seconds. */
double th_now(void);

/* The median of v[0..n) (n >= 1); sorts v. */
double th_median(double *v, int n);

/* ---- a tiny JSON reader (one value per JSON line) ----------------------- */

enum th_json_type { TJ_NULL, TJ_BOOL, TJ_NUMBER, TJ_STRING, TJ_ARRAY, TJ_OBJECT };

struct th_json {
	enum th_json_type type;
	double number;      /* TJ_NUMBER, TJ_BOOL (0/1) */
	char *string;       /* TJ_STRING (decoded, NUL-terminated) */
	size_t count;       /* TJ_ARRAY, TJ_OBJECT */
	struct th_json *items;   /* TJ_ARRAY elements, TJ_OBJECT values */
	char **keys;        /* TJ_OBJECT keys */
};

/* Parse one JSON text.  Returns NULL (message in err) on a syntax error. */
struct th_json *th_json_parse(const char *text, char *err, size_t errsz);
void th_json_free(struct th_json *j);
/* Member of an object, or NULL. */
const struct th_json *th_json_get(const struct th_json *obj, const char *key);
/* The string of a member, or NULL when absent or not a string. */
const char *th_json_str(const struct th_json *obj, const char *key);

#endif
