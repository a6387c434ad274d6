/* The command line, parsed.  Flag letters and meanings are tcpdump's. */
#ifndef BPFCAP_CAPTURE_OPTIONS_H
#define BPFCAP_CAPTURE_OPTIONS_H

#include <stdint.h>

enum compiler_choice { COMPILER_BPFCAP, COMPILER_LIBPCAP };

/* --dump: a stage of the pipeline, printed instead of capturing. */
enum dump_stage { DUMP_NONE, DUMP_CBPF, DUMP_EBPF, DUMP_EBPF_RAW, DUMP_JIT };

/* --engine: where the filter runs (PRODUCT.md).  ENGINE_DEFAULT: kernel
 * live, jit offline. */
enum engine_choice { ENGINE_DEFAULT, ENGINE_KERNEL, ENGINE_CBPF, ENGINE_JIT, ENGINE_INTERP };

struct options {
	int dump_level;          /* -d count: 1, 2 or 3 */
	int no_optimize;         /* -O */
	const char *interface;   /* -i */
	const char *read_file;   /* -r */
	const char *linktype_name; /* -y */
	const char *filter_file; /* -F */
	uint32_t snaplen;        /* -s (0: default 262144) */
	enum compiler_choice compiler;
	enum dump_stage dump_stage; /* --dump= */
	enum engine_choice engine;  /* --engine= */
	const char *write_file;  /* -w ("-": the standard output) */
	long long count_limit;   /* -c (0: no limit) */
	int64_t file_size;       /* -C, in bytes (0: no rotation by size) */
	int rotate_seconds;      /* -G (0: no rotation by time) */
	int file_count;          /* -W (0: no limit) */
	int count_only;          /* --count */
	int pcapng;              /* --pcapng */
	int nano;                /* --time-stamp-precision=nano */
	/* Printing (tcpdump's letters; counts where tcpdump counts them). */
	int n_level;             /* -n */
	int eflag;               /* -e */
	int vflag;               /* -v */
	int qflag;               /* -q */
	int tflag;               /* -t */
	int xflag, Xflag, Aflag; /* -x, -X, -A */
	int abs_seq;             /* -S */
	int number;              /* -#, --number */
	int line_buffered;       /* -l */
	/* Live capture (issue 6). */
	int list_interfaces;     /* -D */
	int no_promisc;          /* -p */
	enum direction { DIR_INOUT, DIR_IN, DIR_OUT } direction; /* -Q */
	uint32_t buffer_kib;     /* -B (0: default) */
	int packet_buffered;     /* -U */
	const char *user;        /* -Z */
	int immediate;           /* --immediate-mode */
	/* Maps (issue 10). */
	int stats_seconds;       /* --stats=N (0: off) */
	const char *pin_path;    /* --pin= */
	/* ELF objects (issue 9). */
	const char *emit_elf;    /* --emit-elf= */
	enum elf_target { ELF_TARGET_SOCKET, ELF_TARGET_TC, ELF_TARGET_XDP } elf_target; /* --target= */
	int drop_on_match;       /* --on-match=drop */
	const char *filter_elf;  /* --filter-elf=FILE[:SECTION] */
	char *expression;        /* the words after the options, joined by spaces */
};

/* Returns 0, or prints a message and returns the exit status to use. */
int options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);

#endif
