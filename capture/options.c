/* getopt_long over tcpdump's flags.  As tcpdump does, the arguments left
 * after the options are joined with single spaces into one expression, and
 * "--" ends the options so an expression may begin with '-'. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

enum long_only {
	OPT_COMPILER = 256,
	OPT_HELP,
	OPT_VERSION,
	OPT_DUMP,
	OPT_ENGINE,
	OPT_COUNT,
	OPT_PCAPNG,
	OPT_TSTAMP_PRECISION,
	OPT_NUMBER,
	OPT_IMMEDIATE,
	OPT_STATS,
	OPT_PIN,
	OPT_EMIT_ELF,
	OPT_TARGET,
	OPT_ON_MATCH,
	OPT_FILTER_ELF,
};

/* One line per flag; a new long option is a new line here and a case in
 * options_parse. */
static const struct option long_options[] = {
	{ "compiler", required_argument, NULL, OPT_COMPILER },
	{ "count", no_argument, NULL, OPT_COUNT },
	{ "dump", required_argument, NULL, OPT_DUMP },
	{ "emit-elf", required_argument, NULL, OPT_EMIT_ELF },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "filter-elf", required_argument, NULL, OPT_FILTER_ELF },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "immediate-mode", no_argument, NULL, OPT_IMMEDIATE },
	{ "number", no_argument, NULL, OPT_NUMBER },
	{ "on-match", required_argument, NULL, OPT_ON_MATCH },
	{ "pcapng", no_argument, NULL, OPT_PCAPNG },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "stats", required_argument, NULL, OPT_STATS },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "time-stamp-precision", required_argument, NULL, OPT_TSTAMP_PRECISION },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

#define SHORT_OPTIONS "#AB:c:C:dDeF:G:hi:lnOpqQ:r:s:StUvw:W:xXy:Z:"

static void usage(FILE *f)
{
	fprintf(f, "Usage: bpfcap [-#AdDehlnOpqStUvxX] [-c count] [-C file_size] [-G seconds]\n"
		   "              [-W filecount] [-i interface] [-r file] [-w file] [-s snaplen]\n"
		   "              [-B buffer_KiB] [-y linktype] [-Q in|out|inout] [-F file] [-Z user]\n"
		   "              [--count] [--pcapng] [--time-stamp-precision=micro|nano]\n"
		   "              [--compiler=bpfcap|libpcap] [--immediate-mode]\n"
		   "              [--dump=cbpf|ebpf|ebpf-raw|jit] [--engine=kernel|cbpf|jit|interp]\n"
		   "              [--stats=SECONDS] [--pin=PATH]\n"
		   "              [--emit-elf=FILE] [--target=socket|tc|xdp] [--on-match=pass|drop]\n"
		   "              [--filter-elf=FILE[:SECTION]]\n"
		   "              [--] [expression]\n");
}

static char *join_words(char **words, int n)
{
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	char *s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, words[i]);
	}
	return s;
}

/* -F: the whole file is the expression (tcpdump ignores the command-line
 * words then; so do we). */
static char *read_expression_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bpfcap: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, len = 0, n;
	char *s = malloc(cap);
	while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *grown = realloc(s, cap * 2);
			if (!grown)
				free(s);
			s = grown;
			cap *= 2;
		}
	}
	fclose(f);
	if (!s) {
		fprintf(stderr, "bpfcap: %s: out of memory\n", path);
		return NULL;
	}
	s[len] = '\0';
	return s;
}

/* The index of arg in names[0..n), or -1. */
static int word_index(const char *arg, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	return -1;
}

static int parse_dump(const char *arg, enum dump_stage *out)
{
	static const char *const names[] = { "cbpf", "ebpf", "ebpf-raw", "jit" };
	static const enum dump_stage stages[] = { DUMP_CBPF, DUMP_EBPF, DUMP_EBPF_RAW, DUMP_JIT };
	int i = word_index(arg, names, 4);
	if (i < 0) {
		fprintf(stderr, "bpfcap: --dump must be cbpf, ebpf, ebpf-raw or jit\n");
		return 1;
	}
	*out = stages[i];
	return 0;
}

static int parse_engine(const char *arg, enum engine_choice *out)
{
	static const char *const names[] = { "kernel", "cbpf", "jit", "interp" };
	static const enum engine_choice engines[] = { ENGINE_KERNEL, ENGINE_CBPF, ENGINE_JIT,
						      ENGINE_INTERP };
	int i = word_index(arg, names, 4);
	if (i < 0) {
		fprintf(stderr, "bpfcap: --engine must be kernel, cbpf, jit or interp\n");
		return 1;
	}
	*out = engines[i];
	return 0;
}

/* A whole decimal number in [min, max], or a message naming the flag. */
static int parse_number(const char *arg, long long min, long long max, const char *what,
			long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		fprintf(stderr, "bpfcap: invalid %s %s\n", what, arg);
		return 1;
	}
	*out = v;
	return 0;
}

static int parse_direction(const char *arg, enum direction *out)
{
	static const char *const names[] = { "inout", "in", "out" };
	static const enum direction dirs[] = { DIR_INOUT, DIR_IN, DIR_OUT };
	int i = word_index(arg, names, 3);
	if (i < 0) {
		fprintf(stderr, "bpfcap: -Q must be in, out or inout\n");
		return 1;
	}
	*out = dirs[i];
	return 0;
}

static int parse_elf_target(const char *arg, enum elf_target *out)
{
	static const char *const names[] = { "socket", "tc", "xdp" };
	static const enum elf_target targets[] = { ELF_TARGET_SOCKET, ELF_TARGET_TC,
						   ELF_TARGET_XDP };
	int i = word_index(arg, names, 3);
	if (i < 0) {
		fprintf(stderr, "bpfcap: --target must be socket, tc or xdp\n");
		return 1;
	}
	*out = targets[i];
	return 0;
}

static int parse_on_match(const char *arg, int *drop)
{
	static const char *const names[] = { "pass", "drop" };
	int i = word_index(arg, names, 2);
	if (i < 0) {
		fprintf(stderr, "bpfcap: --on-match must be pass or drop\n");
		return 1;
	}
	*drop = i == 1;
	return 0;
}

static int parse_precision(const char *arg, int *nano)
{
	if (strcmp(arg, "nano") == 0)
		*nano = 1;
	else if (strcmp(arg, "micro") == 0)
		*nano = 0;
	else {
		fprintf(stderr, "bpfcap: --time-stamp-precision must be micro or nano\n");
		return 1;
	}
	return 0;
}

static int parse_snaplen(const char *arg, uint32_t *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 0);
	if (errno || *end || v < 0 || v > 262144) {
		fprintf(stderr, "bpfcap: invalid snaplen %s\n", arg);
		return 1;
	}
	*out = v == 0 ? 262144u : (uint32_t)v;
	return 0;
}

int options_parse(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof *o);
	int c;
	long long n;
	while ((c = getopt_long(argc, argv, SHORT_OPTIONS, long_options, NULL)) != -1) {
		switch (c) {
		case 'd': o->dump_level++; break;
		case 'n': o->n_level++; break;
		case 'e': o->eflag = 1; break;
		case 'v': o->vflag++; break;
		case 'q': o->qflag = 1; break;
		case 't': o->tflag++; break;
		case 'x': o->xflag++; break;
		case 'X': o->Xflag++; break;
		case 'A': o->Aflag++; break;
		case 'S': o->abs_seq = 1; break;
		case 'l': o->line_buffered = 1; break;
		case '#':
		case OPT_NUMBER: o->number = 1; break;
		case 'O': o->no_optimize = 1; break;
		case 'i': o->interface = optarg; break;
		case 'r': o->read_file = optarg; break;
		case 'w': o->write_file = optarg; break;
		case 'c':
			if (parse_number(optarg, 1, LLONG_MAX, "packet count", &o->count_limit))
				return 1;
			break;
		case 'C': /* millions of bytes, as tcpdump */
			if (parse_number(optarg, 1, INT64_MAX / 1000000, "file size", &n))
				return 1;
			o->file_size = n * 1000000;
			break;
		case 'G':
			if (parse_number(optarg, 1, INT_MAX, "number of seconds", &n))
				return 1;
			o->rotate_seconds = (int)n;
			break;
		case 'W':
			if (parse_number(optarg, 1, INT_MAX, "number of output files", &n))
				return 1;
			o->file_count = (int)n;
			break;
		case 'D': o->list_interfaces = 1; break;
		case 'p': o->no_promisc = 1; break;
		case 'U': o->packet_buffered = 1; break;
		case 'Z': o->user = optarg; break;
		case 'Q':
			if (parse_direction(optarg, &o->direction))
				return 1;
			break;
		case 'B':
			if (parse_number(optarg, 1, 4194304, "buffer size", &n))
				return 1;
			o->buffer_kib = (uint32_t)n;
			break;
		case OPT_IMMEDIATE: o->immediate = 1; break;
		case OPT_STATS:
			if (parse_number(optarg, 1, 86400, "number of seconds", &n))
				return 1;
			o->stats_seconds = (int)n;
			break;
		case OPT_PIN: o->pin_path = optarg; break;
		case OPT_EMIT_ELF: o->emit_elf = optarg; break;
		case OPT_FILTER_ELF: o->filter_elf = optarg; break;
		case OPT_TARGET:
			if (parse_elf_target(optarg, &o->elf_target))
				return 1;
			break;
		case OPT_ON_MATCH:
			if (parse_on_match(optarg, &o->drop_on_match))
				return 1;
			break;
		case OPT_COUNT: o->count_only = 1; break;
		case OPT_PCAPNG: o->pcapng = 1; break;
		case OPT_TSTAMP_PRECISION:
			if (parse_precision(optarg, &o->nano))
				return 1;
			break;
		case 'y': o->linktype_name = optarg; break;
		case 'F': o->filter_file = optarg; break;
		case 's':
			if (parse_snaplen(optarg, &o->snaplen))
				return 1;
			break;
		case OPT_COMPILER:
			if (strcmp(optarg, "bpfcap") == 0)
				o->compiler = COMPILER_BPFCAP;
			else if (strcmp(optarg, "libpcap") == 0)
				o->compiler = COMPILER_LIBPCAP;
			else {
				fprintf(stderr, "bpfcap: --compiler must be bpfcap or libpcap\n");
				return 1;
			}
			break;
		case OPT_DUMP:
			if (parse_dump(optarg, &o->dump_stage))
				return 1;
			break;
		case OPT_ENGINE:
			if (parse_engine(optarg, &o->engine))
				return 1;
			break;
		case 'h':
		case OPT_HELP: usage(stdout); exit(0);
		case OPT_VERSION: printf("bpfcap version 0.1.0\n"); exit(0);
		default: usage(stderr); return 1;
		}
	}
	if (o->dump_level > 3)
		o->dump_level = 3;
	o->expression = o->filter_file ? read_expression_file(o->filter_file)
				       : join_words(argv + optind, argc - optind);
	return o->expression ? 0 : 1;
}

void options_free(struct options *o)
{
	free(o->expression);
	o->expression = NULL;
}
