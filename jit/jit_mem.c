/* Executable memory, never writable and executable at once (W^X): the
 * code is written into an anonymous read-write mapping, which is then
 * mprotect'ed to read+execute before anyone can call it.  Freed with
 * munmap. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "jit_int.h"

int jit_mem_install(struct ebpf_jit_prog *jp, const uint8_t *code, size_t len,
		    struct bpfcap_error *err)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t ps = page > 0 ? (size_t)page : 4096;
	size_t map_len = (len + ps - 1) / ps * ps;
	if (!map_len)
		map_len = ps;
	void *p = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "jit: mmap of %zu bytes: %s", map_len,
				   strerror(errno));
	memcpy(p, code, len);
	/* The tail of the last page: int3, so a stray jump traps. */
	memset((uint8_t *)p + len, 0xcc, map_len - len);
	if (mprotect(p, map_len, PROT_READ | PROT_EXEC)) {
		int e = errno;
		munmap(p, map_len);
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "jit: mprotect(PROT_READ|PROT_EXEC): %s",
				   strerror(e));
	}
	jp->code = p;
	jp->code_len = len;
	jp->map_len = map_len;
	return 0;
}

void jit_mem_release(struct ebpf_jit_prog *jp)
{
	if (jp->code)
		munmap(jp->code, jp->map_len);
	jp->code = NULL;
}
