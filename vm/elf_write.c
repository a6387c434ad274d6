/* Writing a translated program as an eBPF ELF object (see ebpf_elf.h).
 *
 * Layout (libelf places the sections; section 0 is the null one):
 *   1 <prog>      SHT_PROGBITS, SHF_ALLOC|SHF_EXECINSTR, align 8: the insns
 *   2 license     SHT_PROGBITS, SHF_ALLOC|SHF_WRITE: the NUL-terminated string
 *   3 .symtab     null symbol, then the globals ELF_PROG_SYMBOL (STT_FUNC,
 *                 size = program bytes) and _license (STT_OBJECT)
 *   4 .strtab
 *   5 .shstrtab
 * which is what clang -target bpf -c gives for one SEC() function and a
 * license, minus .text, BTF and relocations: libbpf's bpf_object__open
 * (libbpf.c, bpf_object__elf_collect) finds the programs through the
 * STT_FUNC symbols of executable sections and the license by section
 * name; the kernel takes the license string at BPF_PROG_LOAD.
 * eBPF instructions are stored in the object's byte order, little-endian
 * here, which is the host's: the bytes are copied as they are. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <unistd.h>

#include "ebpf_elf.h"
#include "error.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "objects are written in the host's byte order, which must be ELFDATA2LSB");

/* Section indexes of the layout above. */
enum { SEC_PROG = 1, SEC_LICENSE, SEC_SYMTAB, SEC_STRTAB, SEC_SHSTRTAB };

static int libelf_fail(struct bpfcap_error *err, const char *what)
{
	return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "libelf: %s: %s", what, elf_errmsg(-1));
}

/* Appends a section with one data block; its header is filled by the caller. */
static Elf_Scn *add_section(Elf *e, void *buf, size_t size, Elf_Type type, size_t align,
			    GElf_Shdr *shdr)
{
	Elf_Scn *scn = elf_newscn(e);
	if (!scn)
		return NULL;
	Elf_Data *d = elf_newdata(scn);
	if (!d)
		return NULL;
	d->d_buf = buf;
	d->d_size = size;
	d->d_type = type;
	d->d_align = align;
	d->d_version = EV_CURRENT;
	if (!gelf_getshdr(scn, shdr))
		return NULL;
	shdr->sh_addralign = align;
	return scn;
}

/* A string table built in a caller's buffer: offset of s, or 0 if full. */
struct strtab {
	char buf[160];
	size_t len;
};

static size_t strtab_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, at = t->len;
	if (at + n > sizeof t->buf)
		return 0;
	memcpy(t->buf + at, s, n);
	t->len += n;
	return at;
}

static int write_elf(Elf *e, const struct ebpf_prog *prog, const char *section,
		     const char *license, struct bpfcap_error *err)
{
	struct strtab shstr = { .len = 1 }, str = { .len = 1 }; /* offset 0: "" */
	size_t n_prog = strtab_add(&shstr, section), n_lic = strtab_add(&shstr, "license"),
	       n_sym = strtab_add(&shstr, ".symtab"), n_str = strtab_add(&shstr, ".strtab"),
	       n_shstr = strtab_add(&shstr, ".shstrtab");
	size_t s_prog = strtab_add(&str, ELF_PROG_SYMBOL), s_lic = strtab_add(&str, "_license");
	if (!n_prog || !n_lic || !n_sym || !n_str || !n_shstr || !s_prog || !s_lic)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "section name \"%s\" is too long", section);
	size_t lic_size = strlen(license) + 1;
	Elf64_Sym syms[3];
	memset(syms, 0, sizeof syms);
	syms[1] = (Elf64_Sym){ .st_name = (Elf64_Word)s_prog,
			       .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
			       .st_shndx = SEC_PROG,
			       .st_size = prog->len * sizeof prog->insns[0] };
	syms[2] = (Elf64_Sym){ .st_name = (Elf64_Word)s_lic,
			       .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
			       .st_shndx = SEC_LICENSE,
			       .st_size = lic_size };

	Elf64_Ehdr *eh = elf64_newehdr(e);
	if (!eh)
		return libelf_fail(err, "elf64_newehdr");
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_REL;
	eh->e_machine = EM_BPF;
	eh->e_version = EV_CURRENT;

	GElf_Shdr sh;
	Elf_Scn *scn;
	/* libelf copies nothing until elf_update: the buffers are the caller's
	 * (prog) or live in this frame until then. */
	if (!(scn = add_section(e, prog->insns, prog->len * sizeof prog->insns[0], ELF_T_BYTE, 8,
				&sh)))
		return libelf_fail(err, "program section");
	sh.sh_name = n_prog;
	sh.sh_type = SHT_PROGBITS;
	sh.sh_flags = SHF_ALLOC | SHF_EXECINSTR;
	if (!gelf_update_shdr(scn, &sh))
		return libelf_fail(err, "program section header");

	if (!(scn = add_section(e, (void *)license, lic_size, ELF_T_BYTE, 1, &sh)))
		return libelf_fail(err, "license section");
	sh.sh_name = n_lic;
	sh.sh_type = SHT_PROGBITS;
	sh.sh_flags = SHF_ALLOC | SHF_WRITE;
	if (!gelf_update_shdr(scn, &sh))
		return libelf_fail(err, "license section header");

	if (!(scn = add_section(e, syms, sizeof syms, ELF_T_SYM, 8, &sh)))
		return libelf_fail(err, "symbol table");
	sh.sh_name = n_sym;
	sh.sh_type = SHT_SYMTAB;
	sh.sh_link = SEC_STRTAB;
	sh.sh_info = 1; /* the first non-local symbol */
	sh.sh_entsize = sizeof(Elf64_Sym);
	if (!gelf_update_shdr(scn, &sh))
		return libelf_fail(err, "symbol table header");

	if (!(scn = add_section(e, str.buf, str.len, ELF_T_BYTE, 1, &sh)))
		return libelf_fail(err, "string table");
	sh.sh_name = n_str;
	sh.sh_type = SHT_STRTAB;
	if (!gelf_update_shdr(scn, &sh))
		return libelf_fail(err, "string table header");

	if (!(scn = add_section(e, shstr.buf, shstr.len, ELF_T_BYTE, 1, &sh)))
		return libelf_fail(err, "section name table");
	sh.sh_name = n_shstr;
	sh.sh_type = SHT_STRTAB;
	if (!gelf_update_shdr(scn, &sh))
		return libelf_fail(err, "section name table header");
	eh->e_shstrndx = SEC_SHSTRTAB;

	if (elf_update(e, ELF_C_WRITE) < 0)
		return libelf_fail(err, "elf_update");
	return 0;
}

int elf_write_prog_fd(int fd, const struct ebpf_prog *prog, const char *section,
		      const char *license, struct bpfcap_error *err)
{
	if (!prog || !prog->insns || prog->len == 0 || !section || !*section || !license)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "no program, section or license");
	if (elf_version(EV_CURRENT) == EV_NONE)
		return libelf_fail(err, "elf_version");
	Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e)
		return libelf_fail(err, "elf_begin");
	int rc = write_elf(e, prog, section, license, err);
	elf_end(e);
	return rc;
}

int elf_write_prog(const char *path, const struct ebpf_prog *prog, const char *section,
		   const char *license, struct bpfcap_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "%s: %s", path, strerror(errno));
	int rc = elf_write_prog_fd(fd, prog, section, license, err);
	if (close(fd) && !rc)
		rc = bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "%s: %s", path, strerror(errno));
	return rc;
}
