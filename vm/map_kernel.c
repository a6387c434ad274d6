/* Counting in the kernel (see map_kernel.h): bpf(2) for the map, the
 * program, the reads and the pin. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "error.h"
#include "map_kernel.h"
#include "verify.h"

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof *attr);
}

/* "0-1", "0,2-3", "0": the highest index + 1 is not the count when the
 * mask has holes; the kernel's num_possible_cpus() counts bits, and the
 * per-CPU copy has that many slots. */
unsigned ebpf_possible_cpus(struct bpfcap_error *err)
{
	const char *path = "/sys/devices/system/cpu/possible";
	FILE *f = fopen(path, "r");
	char buf[256];
	if (!f) {
		bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "%s: %s", path, strerror(errno));
		return 0;
	}
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	unsigned count = 0;
	for (char *p = buf; *p && *p != '\n';) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;
		if (end == p)
			break;
		if (*end == '-') {
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p || b < a)
				break;
		}
		count += (unsigned)(b - a + 1);
		p = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	if (count == 0)
		bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "%s: cannot parse \"%.40s\"", path, buf);
	return count;
}

int ebpf_kcount_map_create(struct bpfcap_error *err)
{
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.map_type = BPF_MAP_TYPE_PERCPU_ARRAY;
	a.key_size = EBPF_COUNT_KEY_SIZE;
	a.value_size = EBPF_COUNT_VALUE_SIZE;
	a.max_entries = EBPF_COUNT_MAX_ENTRIES;
	snprintf(a.map_name, sizeof a.map_name, "bpfcap_counts");
	int fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
	if (fd < 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "BPF_MAP_CREATE of a per-CPU array: %s", strerror(errno));
	return fd;
}

int ebpf_kcount_open(const struct bpfcap_prog *cbpf, enum ebpf_count_mode mode,
		     struct ebpf_kcount *kc, struct bpfcap_error *err)
{
	memset(kc, 0, sizeof *kc);
	kc->map_fd = kc->prog_fd = -1;
	kc->mode = mode;
	if (!cbpf || !cbpf->insns || !cbpf->len)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "no program to count with");
	if (!(kc->ncpus = ebpf_possible_cpus(err)))
		return BPFCAP_E_INVALID;
	int fd = ebpf_kcount_map_create(err);
	if (fd < 0)
		return fd;
	kc->map_fd = fd;
	struct ebpf_prog filter;
	int rc = ebpf_translate(cbpf->insns, cbpf->len, EBPF_TARGET_SOCKET, &filter, err);
	if (!rc) {
		rc = ebpf_count_wrap(&filter, mode, kc->map_fd, &kc->prog, err);
		ebpf_prog_free(&filter);
	}
	if (!rc) {
		struct ebpf_map_desc d = ebpf_count_map_desc(kc->map_fd, BPF_MAP_TYPE_PERCPU_ARRAY);
		rc = ebpf_verify_maps(kc->prog.insns, kc->prog.len, EBPF_TARGET_SOCKET, &d, 1, err);
	}
	if (rc)
		ebpf_kcount_close(kc);
	return rc;
}

int ebpf_kcount_load(struct ebpf_kcount *kc, char *log, size_t logsz, struct bpfcap_error *err)
{
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uint64_t)(uintptr_t)kc->prog.insns;
	a.insn_cnt = (uint32_t)kc->prog.len;
	a.license = (uint64_t)(uintptr_t)"GPL";
	snprintf(a.prog_name, sizeof a.prog_name, "bpfcap_count");
	if (log && logsz) {
		log[0] = '\0';
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = (uint32_t)(logsz > UINT32_MAX ? UINT32_MAX : logsz);
		a.log_level = 1;
	}
	int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0 && errno == ENOSPC && log) {
		/* The log did not fit: load again without it, for the verdict. */
		a.log_buf = 0;
		a.log_size = 0;
		a.log_level = 0;
		fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	}
	if (fd < 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "BPF_PROG_LOAD of the counting program: %s", strerror(errno));
	kc->prog_fd = fd;
	return fd;
}

int ebpf_kcount_read_fd(int map_fd, unsigned ncpus, struct bpfcap_counts *out,
			struct bpfcap_error *err)
{
	size_t stride = (EBPF_COUNT_VALUE_SIZE + 7) & ~7u;
	uint8_t *vals = calloc(ncpus ? ncpus : 1, stride);
	if (!vals)
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory reading counters");
	uint32_t key = 0;
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.map_fd = (uint32_t)map_fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)vals;
	if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) < 0) {
		int e = errno;
		free(vals);
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "reading the counters map: %s",
				   strerror(e));
	}
	memset(out, 0, sizeof *out);
	for (unsigned cpu = 0; cpu < ncpus; cpu++) {
		struct bpfcap_counts c;
		memcpy(&c, vals + cpu * stride, sizeof c);
		out->seen_packets += c.seen_packets;
		out->seen_bytes += c.seen_bytes;
		out->matched_packets += c.matched_packets;
		out->matched_bytes += c.matched_bytes;
	}
	free(vals);
	return 0;
}

int ebpf_kcount_read(const struct ebpf_kcount *kc, struct bpfcap_counts *out,
		     struct bpfcap_error *err)
{
	return ebpf_kcount_read_fd(kc->map_fd, kc->ncpus, out, err);
}

int ebpf_kcount_pin(struct ebpf_kcount *kc, const char *path, struct bpfcap_error *err)
{
	if (strlen(path) >= sizeof kc->pin_path)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "pin path too long: %s", path);
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.pathname = (uint64_t)(uintptr_t)path;
	a.bpf_fd = (uint32_t)kc->map_fd;
	if (sys_bpf(BPF_OBJ_PIN, &a) < 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "pinning the counters map at %s: %s (is it on a bpffs, e.g. "
				   "/sys/fs/bpf?)", path, strerror(errno));
	snprintf(kc->pin_path, sizeof kc->pin_path, "%s", path);
	return 0;
}

void ebpf_kcount_close(struct ebpf_kcount *kc)
{
	if (kc->pin_path[0])
		unlink(kc->pin_path);
	kc->pin_path[0] = '\0';
	if (kc->prog_fd >= 0)
		close(kc->prog_fd);
	if (kc->map_fd >= 0)
		close(kc->map_fd);
	kc->prog_fd = kc->map_fd = -1;
	ebpf_prog_free(&kc->prog);
}
