/* eBPF ELF objects in and out, with libelf (not named elf.h: <gelf.h>
 * includes the system <elf.h>, and vm/ is on the include path).
 *
 * Out: an ELF64 relocatable object for EM_BPF, little-endian, as clang
 * -target bpf -c writes one and libbpf 1.x opens it: the program in one
 * executable section named for its program type ("socket", "tc", "xdp":
 * libbpf's section names for SOCKET_FILTER, SCHED_CLS, XDP), a "license"
 * section, a symbol table with one global STT_FUNC symbol for the program
 * (libbpf names programs after it) and one for the license, no .text, no
 * relocations, no BTF.
 *
 * In: a socket-filter program from such an object (clang's or ours):
 * checked for the structure (class, byte order, machine, type, section
 * bounds and overlaps, program size), refused when it needs a loader's
 * work we do not do (relocations: maps, global data, bpf-to-bpf calls;
 * CO-RE relocations in .BTF.ext), then verified as a socket target.
 *
 * Every refusal is BPFCAP_E_INVALID (a malformed object) or
 * BPFCAP_E_UNSUPPORTED (a well-formed object needing maps, BTF or calls),
 * with a one-line message naming the section and what is wrong.  libelf's
 * elf_version is set by every call (it is libelf's own state, not ours).
 */
#ifndef BPFCAP_VM_EBPF_ELF_H
#define BPFCAP_VM_EBPF_ELF_H

#include <stddef.h>

#include "bpfcap.h"
#include "translate.h"

/* The program's symbol (and so its name in the kernel: 15 bytes at most). */
#define ELF_PROG_SYMBOL "bpfcap_filter"
/* Largest object elf_load_filter reads. */
#define ELF_MAX_OBJECT (64u << 20)

/* Writes prog as an object to fd (from its current position, which must be
 * 0 for a regular file), with the program in section (e.g. "tc") and the
 * license string license ("GPL": see docs/DESIGN.md "vm/elf" for why). */
int elf_write_prog_fd(int fd, const struct ebpf_prog *prog, const char *section,
		      const char *license, struct bpfcap_error *err);

/* The same into a file created (or truncated) at path. */
int elf_write_prog(const char *path, const struct ebpf_prog *prog, const char *section,
		   const char *license, struct bpfcap_error *err);

/* Reads the program of section (NULL: the one executable section with
 * code in it) from the object image[0..size), checking its structure but
 * not the instructions.  out->target is EBPF_TARGET_SOCKET; free with
 * ebpf_prog_free. */
int elf_read_prog_mem(const void *image, size_t size, const char *section,
		      struct ebpf_prog *out, struct bpfcap_error *err);

/* elf_read_prog_mem, then the verifier for the socket target: a program
 * ready for the JIT, the interpreter, or BPF_PROG_LOAD as a socket filter. */
int elf_load_filter_mem(const void *image, size_t size, const char *section,
			struct ebpf_prog *out, struct bpfcap_error *err);

/* The same from a file (at most ELF_MAX_OBJECT bytes). */
int elf_load_filter(const char *path, const char *section, struct ebpf_prog *out,
		    struct bpfcap_error *err);

#endif
