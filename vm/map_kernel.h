/* Counting in the kernel: the counters map (BPF_MAP_TYPE_PERCPU_ARRAY of
 * one struct bpfcap_counts), the counting program for the socket target
 * (vm/count.h's wrapping of the socket translation, verified by our
 * verifier with the map table), loading it, reading the summed totals,
 * pinning the map, closing.  Nothing here prints or exits.
 *
 * How live capture calls it (capture/, for --count and --stats):
 *
 *     struct ebpf_kcount kc;
 *     struct bpfcap_error err;
 *     // cbpf: the expression compiled with BPFCAP_MODE_LIVE for the
 *     // interface's link type (what SO_ATTACH_FILTER would get).
 *     // --count: EBPF_COUNT_ONLY (the program returns 0: nothing reaches
 *     // the ring); --stats=N on a normal capture: EBPF_COUNT_STATS (the
 *     // verdict is kept, seen - matched = rejected in the kernel).
 *     if (ebpf_kcount_open(&cbpf, EBPF_COUNT_ONLY, &kc, &err)) ...err.msg
 *     char log[4096];
 *     int prog_fd = ebpf_kcount_load(&kc, log, sizeof log, &err);
 *     if (prog_fd < 0) ...err.msg (the kernel verifier's log in log)
 *     setsockopt(sock, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof prog_fd);
 *     if (pin_path && ebpf_kcount_pin(&kc, pin_path, &err)) ...
 *     ...
 *     struct bpfcap_counts c;
 *     ebpf_kcount_read(&kc, &c, &err);   // any time, from any thread
 *     ...
 *     ebpf_kcount_close(&kc);            // unpins, closes program and map
 *
 * The socket keeps its own reference to the program: closing prog_fd (in
 * ebpf_kcount_close) after the attach does not detach it; closing the
 * socket does.  The lookup of key 0 in a per-CPU array returns one value
 * per possible CPU (kernel/bpf/arraymap.c, bpf_percpu_array_copy: each
 * round_up(value_size, 8) bytes), which ebpf_kcount_read sums.
 */
#ifndef BPFCAP_VM_MAP_KERNEL_H
#define BPFCAP_VM_MAP_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "bpfcap.h"
#include "count.h"
#include "translate.h"

struct ebpf_kcount {
	int map_fd;               /* -1 when closed */
	int prog_fd;              /* -1 until ebpf_kcount_load */
	unsigned ncpus;           /* possible CPUs: the per-CPU slots to sum */
	enum ebpf_count_mode mode;
	struct ebpf_prog prog;    /* socket target, references map_fd, verified */
	char pin_path[256];       /* "" when not pinned */
};

/* The number of possible CPUs, from /sys/devices/system/cpu/possible (as
 * libbpf_num_possible_cpus does): 0 with a message on error. */
unsigned ebpf_possible_cpus(struct bpfcap_error *err);

/* BPF_MAP_CREATE of the counters map; its fd or a negative BPFCAP_E_*. */
int ebpf_kcount_map_create(struct bpfcap_error *err);

/* Creates the map and builds the counting program for cbpf (a classic
 * program for a live socket): translated for the socket target, wrapped,
 * verified with ebpf_verify_maps.  0, or a BPFCAP_E_* (kc is then closed). */
int ebpf_kcount_open(const struct bpfcap_prog *cbpf, enum ebpf_count_mode mode,
		     struct ebpf_kcount *kc, struct bpfcap_error *err);

/* BPF_PROG_LOAD of kc->prog as BPF_PROG_TYPE_SOCKET_FILTER.  The program
 * fd (also kept in kc->prog_fd, closed by ebpf_kcount_close), or a
 * negative BPFCAP_E_* with the kernel's verifier log in log (if given). */
int ebpf_kcount_load(struct ebpf_kcount *kc, char *log, size_t logsz, struct bpfcap_error *err);

/* The totals: key 0 summed over every possible CPU. */
int ebpf_kcount_read(const struct ebpf_kcount *kc, struct bpfcap_counts *out,
		     struct bpfcap_error *err);

/* Sums the per-CPU values of map_fd's key 0 (any counters map). */
int ebpf_kcount_read_fd(int map_fd, unsigned ncpus, struct bpfcap_counts *out,
			struct bpfcap_error *err);

/* BPF_OBJ_PIN of the map at path (on a bpffs, e.g. /sys/fs/bpf/NAME), so
 * that `bpftool map dump pinned PATH` reads it while we run. */
int ebpf_kcount_pin(struct ebpf_kcount *kc, const char *path, struct bpfcap_error *err);

/* Unlinks the pin (if any), closes the program and the map, frees the
 * program.  Safe after a failed ebpf_kcount_open and on a closed kc (not
 * on a merely zeroed one: fd 0 is a valid descriptor). */
void ebpf_kcount_close(struct ebpf_kcount *kc);

#endif
