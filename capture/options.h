/* The command line, parsed.  Flag letters and meanings are tcpdump's. */
#ifndef BPFCAP_CAPTURE_OPTIONS_H
#define BPFCAP_CAPTURE_OPTIONS_H

#include <stdint.h>

enum compiler_choice { COMPILER_BPFCAP, COMPILER_LIBPCAP };

struct options {
	int dump_level;          /* -d count: 1, 2 or 3 */
	int no_optimize;         /* -O */
	const char *interface;   /* -i */
	const char *read_file;   /* -r */
	const char *linktype_name; /* -y */
	const char *filter_file; /* -F */
	uint32_t snaplen;        /* -s (0: default 262144) */
	enum compiler_choice compiler;
	char *expression;        /* the words after the options, joined by spaces */
};

/* Returns 0, or prints a message and returns the exit status to use. */
int options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);

#endif
