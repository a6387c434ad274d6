/* --emit-elf and --filter-elf: eBPF ELF objects on the command line. */
#ifndef BPFCAP_CAPTURE_ELF_CLI_H
#define BPFCAP_CAPTURE_ELF_CLI_H

#include <stdint.h>

#include "bpfcap.h"
#include "options.h"

/* --emit-elf=FILE [--target=socket|tc|xdp] [--on-match=pass|drop] expr:
 * compiles, translates, wraps the verdict for the hook, verifies, writes.
 * Returns the exit status (messages printed). */
int elf_emit(const struct options *o);

/* --filter-elf=FILE[:SECTION] offline: the object's socket filter, verified
 * and compiled for o->engine (jit unless interp). */
struct elf_filter;

/* NULL with the message printed. */
struct elf_filter *elf_filter_open(const struct options *o);
/* The filter's verdict on a packet, as bpfcap_filter_run's. */
uint32_t elf_filter_run(struct elf_filter *f, const uint8_t *data, uint32_t caplen,
			uint32_t wirelen, const struct bpfcap_pkt_meta *meta);
/* Live: loads the object's program into the kernel as a socket filter and
 * attaches it to fd (SO_ATTACH_BPF).  0, or -1 with the kernel's reason. */
int elf_filter_attach(struct elf_filter *f, int fd, char *err, size_t errsz);
void elf_filter_free(struct elf_filter *f);

#endif
