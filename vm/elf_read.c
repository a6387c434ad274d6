/* Reading a socket-filter program from an eBPF ELF object (see ebpf_elf.h).
 *
 * The checks run in the order an object is built: the identification
 * bytes (magic, class, byte order) and the ELF header's section header
 * table, read before libelf sees the image so that a truncated table gets
 * its own message (libelf's elf_memory only says "invalid ELF file"); then,
 * through libelf, machine and type, every section's bytes inside the file
 * and no two sections (or a section and the headers) sharing bytes, the
 * program section, the relocations and CO-RE records that would need a
 * loader's work, and finally the instructions' count.  The image is copied
 * before libelf reads it (elf_memory takes a writable buffer). */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ebpf_elf.h"
#include "error.h"
#include "verify.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* ---- before libelf: identification and the section header table ---------- */

static int check_ident(const unsigned char *p, size_t size, struct bpfcap_error *err)
{
	if (size < EI_NIDENT || memcmp(p, ELFMAG, SELFMAG) != 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "not an ELF object (%zu bytes, no \\177ELF magic)", size);
	if (p[EI_CLASS] != ELFCLASS64)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "ELF class %u (%s): eBPF objects are ELF64 (ELFCLASS64)",
				   p[EI_CLASS], p[EI_CLASS] == ELFCLASS32 ? "ELFCLASS32" : "unknown");
	if (p[EI_DATA] != ELFDATA2LSB)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "byte order %u (%s): this host loads little-endian eBPF objects "
				   "(ELFDATA2LSB; clang -target bpfel)",
				   p[EI_DATA], p[EI_DATA] == ELFDATA2MSB ? "big-endian, ELFDATA2MSB"
									 : "unknown");
	if (p[EI_VERSION] != EV_CURRENT)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "ELF version %u (EV_CURRENT is 1)",
				   p[EI_VERSION]);
	if (size < sizeof(Elf64_Ehdr))
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "truncated: %zu bytes, shorter than the ELF64 header (%zu)", size,
				   sizeof(Elf64_Ehdr));
	return 0;
}

static int check_shdr_table(const Elf64_Ehdr *eh, size_t size, struct bpfcap_error *err)
{
	if (eh->e_shoff == 0 || eh->e_shnum == 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "no section header table (e_shoff %llu, e_shnum %u): a relocatable "
				   "object keeps its program in sections",
				   (unsigned long long)eh->e_shoff, eh->e_shnum);
	if (eh->e_shentsize != sizeof(Elf64_Shdr))
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "section header entries of %u bytes (ELF64's are %zu)",
				   eh->e_shentsize, sizeof(Elf64_Shdr));
	unsigned long long end = (unsigned long long)eh->e_shnum * sizeof(Elf64_Shdr);
	if (eh->e_shoff > size || end > size - eh->e_shoff)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "truncated: the section header table [%llu, %llu) runs past the "
				   "end of the %zu-byte file",
				   (unsigned long long)eh->e_shoff,
				   (unsigned long long)eh->e_shoff + end, size);
	if (eh->e_shstrndx == SHN_UNDEF || eh->e_shstrndx >= eh->e_shnum)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "section name table index %u is not a section (there are %u)",
				   eh->e_shstrndx, eh->e_shnum);
	return 0;
}

/* ---- through libelf ----------------------------------------------------------- */

struct span {
	unsigned long long lo, hi;
	size_t index; /* section index, or SIZE_MAX for the headers */
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

struct object {
	Elf *e;
	size_t size;        /* file bytes */
	size_t nsec;
	size_t shstrndx;
	struct bpfcap_error *err;
};

static Elf64_Shdr *shdr_at(const struct object *o, size_t i)
{
	Elf_Scn *scn = elf_getscn(o->e, i);
	return scn ? elf64_getshdr(scn) : NULL;
}

static const char *sec_name(const struct object *o, size_t i)
{
	Elf64_Shdr *sh = shdr_at(o, i);
	const char *n = sh ? elf_strptr(o->e, o->shstrndx, sh->sh_name) : NULL;
	return n ? n : "?";
}

static int has_bytes(const Elf64_Shdr *sh)
{
	return sh->sh_type != SHT_NOBITS && sh->sh_size > 0;
}

/* Every section inside the file; the section name table a string table;
 * then no two of (headers, sections) sharing a byte. */
static int check_sections(struct object *o, const Elf64_Ehdr *eh)
{
	struct span *s = calloc(o->nsec + 2, sizeof *s);
	size_t n = 0;
	int rc = 0;
	if (!s)
		return bpfcap_fail(o->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	s[n++] = (struct span){ 0, sizeof(Elf64_Ehdr), SIZE_MAX };
	s[n++] = (struct span){ eh->e_shoff, eh->e_shoff + o->nsec * sizeof(Elf64_Shdr), SIZE_MAX };
	for (size_t i = 1; i < o->nsec && !rc; i++) {
		Elf64_Shdr *sh = shdr_at(o, i);
		if (!sh) {
			rc = bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0, "section %zu: libelf: %s", i,
					 elf_errmsg(-1));
			break;
		}
		if (!has_bytes(sh))
			continue;
		if (sh->sh_offset > o->size || sh->sh_size > o->size - sh->sh_offset) {
			rc = bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
					 "truncated: section %zu [%llu, %llu) runs past the end of the "
					 "%zu-byte file",
					 i, (unsigned long long)sh->sh_offset,
					 (unsigned long long)sh->sh_offset + sh->sh_size, o->size);
			break;
		}
		s[n++] = (struct span){ sh->sh_offset, sh->sh_offset + sh->sh_size, i };
	}
	Elf64_Shdr *names = rc ? NULL : shdr_at(o, o->shstrndx);
	if (!rc && (!names || names->sh_type != SHT_STRTAB))
		rc = bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
				 "the section name table (section %zu) is not a string table",
				 o->shstrndx);
	if (!rc) {
		qsort(s, n, sizeof *s, span_cmp);
		for (size_t i = 1; i < n && !rc; i++) {
			if (s[i].lo >= s[i - 1].hi)
				continue;
			char a[48], b[48];
			if (s[i - 1].index == SIZE_MAX)
				snprintf(a, sizeof a, "the ELF headers");
			else
				snprintf(a, sizeof a, "section %zu", s[i - 1].index);
			if (s[i].index == SIZE_MAX)
				snprintf(b, sizeof b, "the ELF headers");
			else
				snprintf(b, sizeof b, "section %zu", s[i].index);
			rc = bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
					 "%s [%llu, %llu) and %s [%llu, %llu) overlap", a, s[i - 1].lo,
					 s[i - 1].hi, b, s[i].lo, s[i].hi);
		}
	}
	for (size_t i = 1; i < o->nsec && !rc; i++) {
		Elf64_Shdr *sh = shdr_at(o, i);
		if (!elf_strptr(o->e, o->shstrndx, sh->sh_name))
			rc = bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
					 "section %zu: its name (offset %u) is not a string of the "
					 "section name table",
					 i, sh->sh_name);
	}
	free(s);
	return rc;
}

static int is_code(const Elf64_Shdr *sh)
{
	return sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_EXECINSTR) && sh->sh_size > 0;
}

/* The program section: by name, or the only executable one with code
 * (.text aside when another has code: clang puts subprograms there, and
 * libbpf takes it for subprograms, not a program). */
static int find_program(const struct object *o, const char *section, size_t *idx)
{
	char names[160] = "";
	size_t count = 0, text = 0, other = 0, n_other = 0;
	for (size_t i = 1; i < o->nsec; i++) {
		const char *name = sec_name(o, i);
		if (section && strcmp(name, section) == 0) {
			*idx = i;
			return 0;
		}
		if (!is_code(shdr_at(o, i)))
			continue;
		if (strcmp(name, ".text") == 0) {
			text = i;
		} else {
			other = i;
			n_other++;
		}
		count++;
		size_t l = strlen(names);
		snprintf(names + l, sizeof names - l, "%s%s", l ? ", " : "", name);
	}
	if (section)
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
				   "no section named \"%s\" (code sections: %s)", section,
				   count ? names : "none");
	if (count == 0)
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
				   "no program: no executable section holds code");
	if (n_other > 1)
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
				   "%zu code sections (%s): name one as FILE:SECTION", count, names);
	*idx = n_other ? other : text;
	return 0;
}

static int check_program_section(const struct object *o, size_t i)
{
	Elf64_Shdr *sh = shdr_at(o, i);
	const char *name = sec_name(o, i);
	if (sh->sh_type != SHT_PROGBITS)
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
				   "section %s has type %u, not SHT_PROGBITS: it holds no code", name,
				   sh->sh_type);
	if (!(sh->sh_flags & SHF_EXECINSTR))
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
				   "section %s is not executable (no SHF_EXECINSTR): not a program",
				   name);
	if (sh->sh_size == 0)
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0, "section %s is empty", name);
	if (sh->sh_size % sizeof(struct ebpf_insn))
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
				   "section %s is %llu bytes: not a multiple of 8, the size of an "
				   "eBPF instruction (%llu bytes left over)",
				   name, (unsigned long long)sh->sh_size,
				   (unsigned long long)(sh->sh_size % sizeof(struct ebpf_insn)));
	if (sh->sh_size / sizeof(struct ebpf_insn) > EBPF_MAX_INSNS)
		return bpfcap_fail(o->err, BPFCAP_E_TOOBIG, -1, 0,
				   "section %s holds %llu instructions (at most %u)", name,
				   (unsigned long long)(sh->sh_size / sizeof(struct ebpf_insn)),
				   EBPF_MAX_INSNS);
	return 0;
}

/* What a relocation against a symbol in section target asks of a loader. */
static const char *relocation_kind(const struct object *o, size_t target)
{
	const char *n = target && target < o->nsec ? sec_name(o, target) : "";
	Elf64_Shdr *sh = target && target < o->nsec ? shdr_at(o, target) : NULL;
	if (!strcmp(n, "maps") || !strcmp(n, ".maps"))
		return "a map relocation (maps are created by a loader such as libbpf: bpfcap "
		       "loads self-contained socket filters)";
	if (sh && (sh->sh_flags & SHF_EXECINSTR))
		return "a bpf-to-bpf call relocation (subprograms are not supported: make them "
		       "static __always_inline)";
	if (!strncmp(n, ".data", 5) || !strncmp(n, ".rodata", 7) || !strncmp(n, ".bss", 4))
		return "a global data relocation (global variables live in maps libbpf creates: "
		       "not supported)";
	if (!strcmp(n, ".ksyms") || target == SHN_UNDEF)
		return "a relocation against an extern (kernel symbols and kfuncs need BTF: not "
		       "supported)";
	return "a relocation (bpfcap links nothing)";
}

/* The first relocation's symbol: its name and section, for the message. */
static void first_reloc(const struct object *o, size_t rel_idx, const char **sym, size_t *shndx)
{
	Elf64_Shdr *rs = shdr_at(o, rel_idx);
	Elf_Data *d = elf_getdata(elf_getscn(o->e, rel_idx), NULL);
	*sym = "?";
	*shndx = SIZE_MAX;
	if (!d || rs->sh_link == 0 || rs->sh_link >= o->nsec)
		return;
	GElf_Rela ra;
	GElf_Rel r;
	uint64_t info;
	if (rs->sh_type == SHT_RELA) {
		if (!gelf_getrela(d, 0, &ra))
			return;
		info = ra.r_info;
	} else {
		if (!gelf_getrel(d, 0, &r))
			return;
		info = r.r_info;
	}
	Elf_Data *sd = elf_getdata(elf_getscn(o->e, rs->sh_link), NULL);
	GElf_Sym s;
	if (!sd || !gelf_getsym(sd, (int)GELF_R_SYM(info), &s))
		return;
	Elf64_Shdr *symtab = shdr_at(o, rs->sh_link);
	const char *name = elf_strptr(o->e, symtab->sh_link, s.st_name);
	*sym = name && *name ? name : "(section symbol)";
	*shndx = s.st_shndx;
}

static int check_relocations(const struct object *o, size_t prog)
{
	for (size_t i = 1; i < o->nsec; i++) {
		Elf64_Shdr *sh = shdr_at(o, i);
		if ((sh->sh_type != SHT_REL && sh->sh_type != SHT_RELA) || sh->sh_info != prog ||
		    sh->sh_size == 0)
			continue;
		size_t ent = sh->sh_type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
		if (sh->sh_size % ent)
			return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
					   "relocation section %s is %llu bytes, not a multiple of its "
					   "entry size (%zu)",
					   sec_name(o, i), (unsigned long long)sh->sh_size, ent);
		const char *sym;
		size_t shndx;
		first_reloc(o, i, &sym, &shndx);
		return bpfcap_fail(o->err, BPFCAP_E_UNSUPPORTED, -1, 0,
				   "section %s has %llu relocation(s) in %s; the first, against %s in "
				   "%s, is %s",
				   sec_name(o, prog), (unsigned long long)(sh->sh_size / ent),
				   sec_name(o, i), sym,
				   shndx < o->nsec && shndx ? sec_name(o, shndx) : "no section",
				   relocation_kind(o, shndx));
	}
	return 0;
}

/* struct btf_ext_header (tools/lib/bpf/libbpf_internal.h): magic, version,
 * flags, hdr_len, then func_info, line_info and (hdr_len >= 32) core_relo
 * offset/length pairs. */
#define BTF_EXT_CORE_RELO_LEN_AT 28
#define BTF_MAGIC 0xeB9F

static int check_btf_ext(const struct object *o)
{
	for (size_t i = 1; i < o->nsec; i++) {
		if (strcmp(sec_name(o, i), ".BTF.ext") != 0)
			continue;
		Elf_Data *d = elf_getdata(elf_getscn(o->e, i), NULL);
		if (!d || d->d_size < BTF_EXT_CORE_RELO_LEN_AT + 4)
			return 0;
		const unsigned char *p = d->d_buf;
		uint16_t magic;
		uint32_t hdr_len, core_len;
		memcpy(&magic, p, 2);
		memcpy(&hdr_len, p + 4, 4);
		memcpy(&core_len, p + BTF_EXT_CORE_RELO_LEN_AT, 4);
		if (magic == BTF_MAGIC && hdr_len >= BTF_EXT_CORE_RELO_LEN_AT + 4 && core_len)
			return bpfcap_fail(o->err, BPFCAP_E_UNSUPPORTED, -1, 0,
					   ".BTF.ext holds CO-RE relocations (%u bytes): they are "
					   "resolved against the kernel's BTF by libbpf, which bpfcap "
					   "does not do (build without __builtin_preserve_access_index / "
					   "BPF_CORE_READ)",
					   core_len);
	}
	return 0;
}

static int read_object(struct object *o, const char *section, struct ebpf_prog *out)
{
	Elf64_Ehdr *eh = elf64_getehdr(o->e);
	if (!eh)
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0, "libelf: %s", elf_errmsg(-1));
	if (eh->e_machine != EM_BPF)
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
				   "machine %u, not EM_BPF (%u): not an eBPF object", eh->e_machine,
				   EM_BPF);
	if (eh->e_type != ET_REL)
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0,
				   "ELF type %u, not a relocatable object (ET_REL, what clang -c and "
				   "libbpf produce)",
				   eh->e_type);
	o->nsec = eh->e_shnum;
	o->shstrndx = eh->e_shstrndx;
	size_t prog = 0;
	int rc = check_sections(o, eh);
	if (!rc)
		rc = find_program(o, section, &prog);
	if (!rc)
		rc = check_program_section(o, prog);
	if (!rc)
		rc = check_relocations(o, prog);
	if (!rc)
		rc = check_btf_ext(o);
	if (rc)
		return rc;
	Elf_Data *d = elf_getdata(elf_getscn(o->e, prog), NULL);
	if (!d || d->d_size != shdr_at(o, prog)->sh_size)
		return bpfcap_fail(o->err, BPFCAP_E_INVALID, -1, 0, "section %s: libelf: %s",
				   sec_name(o, prog), elf_errmsg(-1));
	out->insns = malloc(d->d_size);
	if (!out->insns)
		return bpfcap_fail(o->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	memcpy(out->insns, d->d_buf, d->d_size);
	out->len = d->d_size / sizeof(struct ebpf_insn);
	out->target = EBPF_TARGET_SOCKET;
	return 0;
}

int elf_read_prog_mem(const void *image, size_t size, const char *section,
		      struct ebpf_prog *out, struct bpfcap_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = check_ident(image, size, err);
	if (rc)
		return rc;
	Elf64_Ehdr eh;
	memcpy(&eh, image, sizeof eh);
	if ((rc = check_shdr_table(&eh, size, err)))
		return rc;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "libelf: %s", elf_errmsg(-1));
	char *copy = malloc(size);
	if (!copy)
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	memcpy(copy, image, size);
	struct object o = { .size = size, .err = err };
	o.e = elf_memory(copy, size);
	if (!o.e)
		rc = bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "libelf: %s", elf_errmsg(-1));
	else
		rc = read_object(&o, section, out);
	if (o.e)
		elf_end(o.e);
	free(copy);
	if (rc)
		ebpf_prog_free(out);
	return rc;
}

int elf_load_filter_mem(const void *image, size_t size, const char *section,
			struct ebpf_prog *out, struct bpfcap_error *err)
{
	int rc = elf_read_prog_mem(image, size, section, out, err);
	if (rc)
		return rc;
	char msg[sizeof err->msg + 64];
	if ((rc = ebpf_verify(out->insns, out->len, EBPF_TARGET_SOCKET, err))) {
		if (err) {
			snprintf(msg, sizeof msg, "the verifier rejects the program: %s", err->msg);
			memcpy(err->msg, msg, sizeof err->msg - 1);
			err->msg[sizeof err->msg - 1] = '\0';
		}
		ebpf_prog_free(out);
	}
	return rc;
}

int elf_load_filter(const char *path, const char *section, struct ebpf_prog *out,
		    struct bpfcap_error *err)
{
	memset(out, 0, sizeof *out);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "%s: %s", path, strerror(errno));
	struct stat st;
	int rc = 0;
	char *buf = NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		rc = bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "%s: not a regular file", path);
	else if ((unsigned long long)st.st_size > ELF_MAX_OBJECT)
		rc = bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0, "%s: %lld bytes (at most %u)", path,
				 (long long)st.st_size, ELF_MAX_OBJECT);
	else if (!(buf = malloc(st.st_size ? (size_t)st.st_size : 1)))
		rc = bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	size_t got = 0;
	while (!rc && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0) {
			rc = bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "%s: %s", path,
					 n ? strerror(errno) : "shorter than its size");
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (!rc)
		rc = elf_load_filter_mem(buf, got, section, out, err);
	free(buf);
	return rc;
}
