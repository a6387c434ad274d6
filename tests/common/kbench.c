/* The kernel JIT as a benchmark peer (see kbench.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kbench.h"
#include "kbpf.h"

int kbench_load(const struct ebpf_insn *prog, size_t len, char *why, size_t whysz)
{
	static char log[16384];
	int fd = kbpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, prog, len, log, sizeof log);
	if (fd < 0) {
		size_t l = strlen(log);
		while (l && log[l - 1] == '\n')
			log[--l] = '\0';
		const char *last = strrchr(log, '\n');
		snprintf(why, whysz, "BPF_PROG_LOAD: %s (%s)", strerror(-fd), last ? last + 1 : log);
		return -1;
	}
	return fd;
}

double kbench_run(int fd, const uint8_t *pkt, size_t len, uint32_t repeat, uint32_t *retval)
{
	uint32_t ns = 0;
	if (kbpf_test_run(fd, pkt, len, NULL, repeat, retval, &ns))
		return -1;
	return ns;
}

void kbench_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
