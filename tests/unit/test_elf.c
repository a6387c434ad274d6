/* test_elf: vm/elf objects in and out, and the hook adaptations.
 *
 * Round trips (memory and file), the tc/XDP verdict rewrite judged packet
 * by packet on the EN10MB corpus against the unwrapped program, the xdp
 * context rewrite and its refusals, the C objects of tests/data (one
 * loads and filters, four need a loader's work), and a malformed-object
 * suite: a good object built by elf_write_prog_fd, then damaged one field
 * at a time.  Each refusal prints its message (the suite's figures). */
#include <check.h>
/* libpcap's <pcap/bpf.h> (through harness.h) and the kernel's <linux/bpf.h>
 * both define struct bpf_insn; libpcap's is renamed here, as in diff_kernel.c. */
#define bpf_insn pcap_bpf_insn
#include "harness.h"
#undef bpf_insn
#include <elf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cbpf.h"
#include "ebpf_elf.h"
#include "run.h"
#include "translate.h"
#include "translate_target.h"
#include "verify.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- building programs and images ------------------------------------------- */

static void compile(const char *expr, enum bpfcap_mode mode, struct bpfcap_prog *cp)
{
	struct bpfcap_compile_opts opts = { .linktype = 1, .mode = mode, .optimize = 1 };
	struct bpfcap_error err = { 0 };
	ck_assert_msg(bpfcap_compile(expr, &opts, cp, &err) == 0, "%s: %s", expr, err.msg);
}

/* expr as a verified program for target (live mode unless xdp). */
static void translated(const char *expr, enum ebpf_target target, struct ebpf_prog *ep)
{
	struct bpfcap_prog cp;
	struct bpfcap_error err = { 0 };
	compile(expr, target == EBPF_TARGET_XDP ? BPFCAP_MODE_OFFLINE : BPFCAP_MODE_LIVE, &cp);
	ck_assert_msg(ebpf_translate(cp.insns, cp.len, target, ep, &err) == 0, "%s: %s", expr,
		      err.msg);
	bpfcap_prog_free(&cp);
	ck_assert_msg(ebpf_verify(ep->insns, ep->len, target, &err) == 0, "%s: %s", expr, err.msg);
}

/* The object for p, written by elf_write_prog_fd into a memfd and read back. */
static unsigned char *image_of(const struct ebpf_prog *p, const char *section, size_t *size)
{
	struct bpfcap_error err = { 0 };
	int fd = memfd_create("test_elf", 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(elf_write_prog_fd(fd, p, section, "GPL", &err) == 0, "%s", err.msg);
	off_t end = lseek(fd, 0, SEEK_END);
	ck_assert_int_gt(end, 0);
	unsigned char *img = malloc((size_t)end);
	ck_assert_ptr_nonnull(img);
	ck_assert_int_eq(pread(fd, img, (size_t)end, 0), end);
	close(fd);
	*size = (size_t)end;
	return img;
}

static int same_insns(const struct ebpf_prog *a, const struct ebpf_prog *b)
{
	return a->len == b->len && memcmp(a->insns, b->insns, a->len * sizeof a->insns[0]) == 0;
}

/* ---- round trips ---------------------------------------------------------------- */

static const char *const exprs[] = {
	"tcp port 80", "udp and (port 53 or port 123)", "vlan 10 and ip", "less 100",
	"inbound and icmp", "tcp[tcpflags] & tcp-syn != 0 or ip6", "ether broadcast",
	"net 10.0.0.0/8 or greater 1000", "",
};

START_TEST(test_round_trip_memory)
{
	for (size_t i = 0; i < N(exprs); i++) {
		struct ebpf_prog p, back;
		struct bpfcap_error err = { 0 };
		translated(exprs[i], EBPF_TARGET_SOCKET, &p);
		size_t size;
		unsigned char *img = image_of(&p, "socket", &size);
		ck_assert_msg(elf_load_filter_mem(img, size, "socket", &back, &err) == 0, "%s: %s",
			      exprs[i], err.msg);
		ck_assert_msg(same_insns(&p, &back), "%s: instructions differ", exprs[i]);
		ck_assert_int_eq(back.target, EBPF_TARGET_SOCKET);
		ebpf_prog_free(&back);
		/* No section named: the only code section. */
		ck_assert_msg(elf_load_filter_mem(img, size, NULL, &back, &err) == 0, "%s", err.msg);
		ck_assert(same_insns(&p, &back));
		ebpf_prog_free(&back);
		free(img);
		ebpf_prog_free(&p);
	}
}
END_TEST

START_TEST(test_round_trip_file)
{
	char path[] = "/tmp/test_elf_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct ebpf_prog p, back;
	struct bpfcap_error err = { 0 };
	translated("tcp port 80", EBPF_TARGET_SOCKET, &p);
	ck_assert_msg(elf_write_prog(path, &p, "socket", "GPL", &err) == 0, "%s", err.msg);
	ck_assert_msg(elf_load_filter(path, "socket", &back, &err) == 0, "%s", err.msg);
	ck_assert(same_insns(&p, &back));
	ebpf_prog_free(&back);
	unlink(path);
	ck_assert_int_eq(elf_load_filter(path, NULL, &back, &err), BPFCAP_E_INVALID);
	ck_assert_msg(strstr(err.msg, "No such file"), "%s", err.msg);
	printf("%-34s %s\n", "missing file:", err.msg);
	ck_assert_int_eq(elf_load_filter("/proc/self", NULL, &back, &err), BPFCAP_E_INVALID);
	ebpf_prog_free(&p);
}
END_TEST

/* ---- verdicts -------------------------------------------------------------------- */

/* As the kernel runs it: skb->len is the bytes there are (caplen). */
static uint32_t run_socket(const struct ebpf_prog *p, const struct th_packet *pkt)
{
	struct bpfcap_error err = { 0 };
	struct bpfcap_pkt_meta meta = { .net_off = 14 };
	struct ebpf_rng rng;
	uint32_t ret = 0;
	ebpf_rng_seed(&rng, 1);
	ck_assert_msg(ebpf_prog_run_interp(p, pkt->data, pkt->caplen, pkt->caplen, &meta, &rng,
					   &ret, &err) == 0,
		      "%s", err.msg);
	return ret;
}

/* The wrapped program on every corpus frame answers on_match exactly
 * where the plain one accepts.  Returns how many frames matched. */
static size_t check_wrap(const struct ebpf_prog *plain, int32_t on_match, int32_t on_nomatch,
			 const struct th_pcap *pf, const char *what)
{
	struct ebpf_prog w = { 0 };
	struct bpfcap_error err = { 0 };
	w.len = plain->len;
	w.target = plain->target;
	w.insns = malloc(plain->len * sizeof *w.insns);
	ck_assert_ptr_nonnull(w.insns);
	memcpy(w.insns, plain->insns, plain->len * sizeof *w.insns);
	ck_assert_msg(ebpf_guard_packet_loads(&w, &err) == 0, "%s", err.msg);
	ck_assert_msg(ebpf_wrap_verdict(&w, on_match, on_nomatch, &err) == 0, "%s", err.msg);
	ck_assert_msg(ebpf_verify(w.insns, w.len, w.target, &err) == 0, "%s: %s", what, err.msg);
	size_t matched = 0;
	for (size_t i = 0; i < pf->count; i++) {
		uint32_t v = run_socket(plain, &pf->pkts[i]), wv = run_socket(&w, &pf->pkts[i]);
		ck_assert_msg(wv == (uint32_t)(v ? on_match : on_nomatch),
			      "%s: packet %zu: plain %u, wrapped %u", what, i, v, wv);
		matched += v != 0;
	}
	ebpf_prog_free(&w);
	return matched;
}

static void load_corpus(struct th_pcap *pf)
{
	char err[256];
	char *path = th_asprintf("%s/en10mb.pcap", th_corpus_dir());
	ck_assert_msg(th_pcap_load(path, pf, err, sizeof err) == 0, "%s (make the corpus: %s)", err,
		      "build/tests/gen_corpus build/corpus");
	free(path);
	ck_assert_int_gt(pf->count, 1000);
}

START_TEST(test_tc_verdicts)
{
	struct th_pcap pf;
	load_corpus(&pf);
	size_t total = 0;
	for (size_t i = 0; i < N(exprs); i++) {
		struct ebpf_prog p;
		translated(exprs[i], EBPF_TARGET_SOCKET, &p);
		size_t m = check_wrap(&p, TC_ACT_OK, TC_ACT_SHOT, &pf, exprs[i]);
		ck_assert_uint_eq(check_wrap(&p, TC_ACT_SHOT, TC_ACT_OK, &pf, exprs[i]), m);
		total += m;
		ebpf_prog_free(&p);
	}
	/* RET A: a verdict that is not a constant goes through the shared tail. */
	const struct bpfcap_insn ret_a[] = {
		{ CBPF_LD | CBPF_B | CBPF_ABS, 0, 0, 23 },
		{ CBPF_ALU | CBPF_AND | CBPF_K, 0, 0, 2 },
		{ CBPF_RET | CBPF_A, 0, 0, 0 },
	};
	struct ebpf_prog p;
	struct bpfcap_error err = { 0 };
	ck_assert(ebpf_translate(ret_a, N(ret_a), EBPF_TARGET_SOCKET, &p, &err) == 0);
	size_t m = check_wrap(&p, XDP_PASS, XDP_DROP, &pf, "ld [23] & 2; ret a");
	ck_assert_msg(m > 0 && m < pf.count, "RET A matched %zu of %zu", m, pf.count);
	ebpf_prog_free(&p);
	printf("tc verdicts: %zu expressions x %zu frames, %zu matches, agree\n", N(exprs),
	       pf.count, total);
	th_pcap_free(&pf);
}
END_TEST

/* ---- the xdp target ------------------------------------------------------------------ */

START_TEST(test_xdp_context)
{
	struct ebpf_prog p;
	translated("tcp port 80 or less 100", EBPF_TARGET_XDP, &p);
	ck_assert_int_eq(p.target, EBPF_TARGET_XDP);
	/* r9 = xdp_md->data, r8 = xdp_md->data_end (u32 fields at 0 and 4). */
	ck_assert_int_eq(p.insns[1].code, EBPF_LDX | EBPF_W | EBPF_MEM);
	ck_assert_int_eq(p.insns[1].off, 0);
	ck_assert_int_eq(p.insns[2].code, EBPF_LDX | EBPF_W | EBPF_MEM);
	ck_assert_int_eq(p.insns[2].off, 4);
	size_t len_reads = 0;
	for (size_t i = 3; i < p.len; i++) {
		ck_assert_msg(p.insns[i].src != EBPF_REG_6 || EBPF_CLASS(p.insns[i].code) != EBPF_LDX,
			      "insn %zu reads the context", i);
		len_reads += EBPF_CLASS(p.insns[i].code) == EBPF_LDX &&
			     p.insns[i].src == EBPF_REG_FP && p.insns[i].off == EBPF_XDP_LEN_SLOT;
	}
	ck_assert_uint_eq(len_reads, 1);
	ebpf_prog_free(&p);
	/* Without `len`, no length slot. */
	translated("vlan 10 and udp", EBPF_TARGET_XDP, &p);
	for (size_t i = 0; i < p.len; i++)
		ck_assert_int_ne(p.insns[i].off == EBPF_XDP_LEN_SLOT && p.insns[i].dst == EBPF_REG_FP, 1);
	ebpf_prog_free(&p);

	/* Metadata an XDP frame lacks: an ancillary load, SKF_NET_OFF. */
	const struct bpfcap_insn proto[] = {
		{ CBPF_LD | CBPF_W | CBPF_ABS, 0, 0, (uint32_t)(CBPF_SKF_AD_OFF + CBPF_SKF_AD_PROTOCOL) },
		{ CBPF_RET | CBPF_A, 0, 0, 0 },
	};
	const struct bpfcap_insn net[] = {
		{ CBPF_LD | CBPF_B | CBPF_ABS, 0, 0, (uint32_t)(CBPF_SKF_NET_OFF + 9) },
		{ CBPF_RET | CBPF_A, 0, 0, 0 },
	};
	struct bpfcap_error err = { 0 };
	ck_assert_int_eq(ebpf_translate(proto, N(proto), EBPF_TARGET_XDP, &p, &err),
			 BPFCAP_E_UNSUPPORTED);
	ck_assert_msg(strstr(err.msg, "protocol") && strstr(err.msg, "XDP"), "%s", err.msg);
	printf("%-34s %s\n", "xdp, SKF_AD_PROTOCOL:", err.msg);
	ck_assert_int_eq(ebpf_translate(net, N(net), EBPF_TARGET_XDP, &p, &err),
			 BPFCAP_E_UNSUPPORTED);
	ck_assert_msg(strstr(err.msg, "SKF_NET_OFF"), "%s", err.msg);

	/* The verifier's xdp rules: data_meta is not a field we allow. */
	const struct ebpf_insn meta[] = {
		EBPF_LDX_MEM(EBPF_W, EBPF_REG_0, EBPF_REG_1, 8),
		EBPF_EXIT_INSN(),
	};
	ck_assert_int_eq(ebpf_verify(meta, N(meta), EBPF_TARGET_XDP, &err), BPFCAP_E_INVALID);
	ck_assert_msg(strstr(err.msg, "xdp_md"), "%s", err.msg);
}
END_TEST

/* ---- objects from clang (tests/data, built by the Makefile) ------------------------ */

static char *data_object(const char *name)
{
	const char *build = getenv("BUILD");
	return th_asprintf("%s/tests/data/%s.o", build && *build ? build : "build", name);
}

START_TEST(test_clang_filter)
{
	char *path = data_object("elf_filter");
	struct ebpf_prog p;
	struct bpfcap_error err = { 0 };
	ck_assert_msg(elf_load_filter(path, NULL, &p, &err) == 0, "%s: %s", path, err.msg);
	free(path);
	/* Same verdicts as the expression it implements. */
	struct ebpf_prog ref;
	translated("ip and tcp port 80", EBPF_TARGET_SOCKET, &ref);
	struct th_pcap pf;
	load_corpus(&pf);
	size_t matched = 0;
	for (size_t i = 0; i < pf.count; i++) {
		uint32_t a = run_socket(&p, &pf.pkts[i]), b = run_socket(&ref, &pf.pkts[i]);
		ck_assert_msg(!a == !b, "packet %zu: C filter %u, expression %u", i, a, b);
		matched += a != 0;
	}
	ck_assert_uint_gt(matched, 0);
	printf("clang-14 C filter: %zu instructions, %zu of %zu frames, as 'ip and tcp port 80'\n",
	       p.len, matched, pf.count);
	th_pcap_free(&pf);
	ebpf_prog_free(&ref);
	ebpf_prog_free(&p);
}
END_TEST

static const struct {
	const char *object;
	const char *section;
	const char *expect;
} needs[] = {
	{ "elf_needs_map", NULL, "map relocation" },
	{ "elf_needs_call", "socket", "bpf-to-bpf call" },
	{ "elf_needs_global", NULL, "global data relocation" },
	{ "elf_needs_core", NULL, "CO-RE relocations" },
};

START_TEST(test_clang_refused)
{
	for (size_t i = 0; i < N(needs); i++) {
		char *path = data_object(needs[i].object);
		struct ebpf_prog p;
		struct bpfcap_error err = { 0 };
		ck_assert_int_eq(elf_load_filter(path, needs[i].section, &p, &err),
				 BPFCAP_E_UNSUPPORTED);
		ck_assert_msg(strstr(err.msg, needs[i].expect), "%s: %s", path, err.msg);
		printf("%-34s %s\n", needs[i].object, err.msg);
		free(path);
	}
}
END_TEST

/* ---- malformed objects ---------------------------------------------------------------- */

/* The good object's layout (elf_write.c): 1 program, 2 license, 3 .symtab,
 * 4 .strtab, 5 .shstrtab. */
static Elf64_Ehdr *eh(unsigned char *img)
{
	return (Elf64_Ehdr *)(void *)img;
}

static Elf64_Shdr *sh(unsigned char *img, size_t i)
{
	return (Elf64_Shdr *)(void *)(img + eh(img)->e_shoff) + i;
}

#define MUT(name) static void name(unsigned char *img, size_t *size)
MUT(m_empty) { (void)img; *size = 0; }
MUT(m_magic) { (void)size; img[1] = 'X'; }
MUT(m_class32) { (void)size; img[EI_CLASS] = ELFCLASS32; }
MUT(m_msb) { (void)size; img[EI_DATA] = ELFDATA2MSB; }
MUT(m_version) { (void)size; img[EI_VERSION] = 0; }
MUT(m_short) { (void)img; *size = 40; }
MUT(m_machine) { (void)size; eh(img)->e_machine = EM_X86_64; }
MUT(m_exec) { (void)size; eh(img)->e_type = ET_EXEC; }
MUT(m_noshdr) { (void)size; eh(img)->e_shnum = 0; }
MUT(m_shdr_cut) { *size = eh(img)->e_shoff + 100; }
MUT(m_shentsize) { (void)size; eh(img)->e_shentsize = 32; }
MUT(m_shstrndx) { (void)size; eh(img)->e_shstrndx = 99; }
MUT(m_shstr_type) { (void)size; eh(img)->e_shstrndx = 2; }
MUT(m_sec_size) { (void)size; sh(img, 1)->sh_size = 1u << 20; }
MUT(m_sec_off) { sh(img, 2)->sh_offset = *size + 8; }
MUT(m_overlap) { (void)size; sh(img, 2)->sh_offset = sh(img, 1)->sh_offset + 8; }
MUT(m_over_ehdr) { (void)size; sh(img, 1)->sh_offset = 16; }
MUT(m_over_shdr) { (void)size; sh(img, 4)->sh_offset = eh(img)->e_shoff + 8; }
MUT(m_name) { (void)size; sh(img, 1)->sh_name = 5000; }
MUT(m_odd) { (void)size; sh(img, 1)->sh_size -= 4; }
MUT(m_zero) { (void)size; sh(img, 1)->sh_size = 0; }
MUT(m_nobits) { (void)size; sh(img, 1)->sh_type = SHT_NOBITS; }
MUT(m_noexec) { (void)size; sh(img, 1)->sh_flags &= ~(uint64_t)SHF_EXECINSTR; }
MUT(m_two_code) { (void)size; sh(img, 2)->sh_flags |= SHF_EXECINSTR; }
MUT(m_bad_insn) { (void)size; img[sh(img, 1)->sh_offset] = 0xff; }
MUT(m_rel) {
	/* The license section turned into a relocation section for the program. */
	(void)size;
	sh(img, 2)->sh_type = SHT_REL;
	sh(img, 2)->sh_info = 1;
	sh(img, 2)->sh_link = 3;
}
MUT(m_none) { (void)img; (void)size; }

static const struct {
	const char *what;
	void (*mutate)(unsigned char *, size_t *);
	const char *section;
	int code;
	const char *expect;
} bad[] = {
	{ "empty file", m_empty, NULL, BPFCAP_E_INVALID, "not an ELF object" },
	{ "bad magic", m_magic, NULL, BPFCAP_E_INVALID, "not an ELF object" },
	{ "32-bit class", m_class32, NULL, BPFCAP_E_INVALID, "ELFCLASS32" },
	{ "big-endian", m_msb, NULL, BPFCAP_E_INVALID, "big-endian" },
	{ "ELF version 0", m_version, NULL, BPFCAP_E_INVALID, "ELF version 0" },
	{ "shorter than the ELF header", m_short, NULL, BPFCAP_E_INVALID, "ELF64 header" },
	{ "machine x86-64", m_machine, NULL, BPFCAP_E_INVALID, "not EM_BPF" },
	{ "ET_EXEC", m_exec, NULL, BPFCAP_E_INVALID, "not a relocatable object" },
	{ "no section headers", m_noshdr, NULL, BPFCAP_E_INVALID, "no section header table" },
	{ "section table truncated", m_shdr_cut, NULL, BPFCAP_E_INVALID, "section header table" },
	{ "section entry size", m_shentsize, NULL, BPFCAP_E_INVALID, "entries of 32 bytes" },
	{ "name table index", m_shstrndx, NULL, BPFCAP_E_INVALID, "index 99" },
	{ "name table not strings", m_shstr_type, NULL, BPFCAP_E_INVALID, "not a string table" },
	{ "section size past end", m_sec_size, NULL, BPFCAP_E_INVALID, "runs past the end" },
	{ "section offset past end", m_sec_off, NULL, BPFCAP_E_INVALID, "runs past the end" },
	{ "overlapping sections", m_overlap, NULL, BPFCAP_E_INVALID, "overlap" },
	{ "section over the ELF header", m_over_ehdr, NULL, BPFCAP_E_INVALID, "ELF headers" },
	{ "section over the section table", m_over_shdr, NULL, BPFCAP_E_INVALID, "overlap" },
	{ "section name out of range", m_name, NULL, BPFCAP_E_INVALID, "not a string" },
	{ "program size 212 bytes", m_odd, NULL, BPFCAP_E_INVALID, "not a multiple of 8" },
	{ "empty program section", m_zero, "socket", BPFCAP_E_INVALID, "is empty" },
	{ "program section NOBITS", m_nobits, "socket", BPFCAP_E_INVALID, "not SHT_PROGBITS" },
	{ "program not executable", m_noexec, "socket", BPFCAP_E_INVALID, "no SHF_EXECINSTR" },
	{ "no code at all", m_noexec, NULL, BPFCAP_E_INVALID, "no program" },
	{ "missing section", m_none, "tc", BPFCAP_E_INVALID, "no section named \"tc\"" },
	{ "data section named", m_none, "license", BPFCAP_E_INVALID, "not executable" },
	{ "two code sections", m_two_code, NULL, BPFCAP_E_INVALID, "name one as FILE:SECTION" },
	{ "relocation section of 4 bytes", m_rel, NULL, BPFCAP_E_INVALID, "not a multiple of its entry size" },
	{ "bad instruction", m_bad_insn, NULL, BPFCAP_E_INVALID, "the verifier rejects" },
};

START_TEST(test_malformed)
{
	struct ebpf_prog p;
	translated("tcp port 80", EBPF_TARGET_SOCKET, &p);
	size_t good_size;
	unsigned char *good = image_of(&p, "socket", &good_size);
	ck_assert_uint_eq(p.len * 8, sh(good, 1)->sh_size);
	ebpf_prog_free(&p);
	for (size_t i = 0; i < N(bad); i++) {
		size_t size = good_size;
		/* An exact-size copy, so that ASan sees any read past the image. */
		unsigned char *img = malloc(good_size);
		ck_assert_ptr_nonnull(img);
		memcpy(img, good, good_size);
		bad[i].mutate(img, &size);
		struct bpfcap_error err = { 0 };
		int rc = elf_load_filter_mem(img, size, bad[i].section, &p, &err);
		ck_assert_msg(rc == bad[i].code, "%s: status %d, expected %d (%s)", bad[i].what, rc,
			      bad[i].code, err.msg);
		ck_assert_msg(strstr(err.msg, bad[i].expect), "%s: \"%s\" lacks \"%s\"", bad[i].what,
			      err.msg, bad[i].expect);
		ck_assert_ptr_null(p.insns);
		printf("%-34s %s\n", bad[i].what, err.msg);
		free(img);
	}
	printf("malformed objects: %zu cases refused with their messages\n", N(bad));
	free(good);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("elf");
	TCase *tc = tcase_create("elf");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_round_trip_memory);
	tcase_add_test(tc, test_round_trip_file);
	tcase_add_test(tc, test_tc_verdicts);
	tcase_add_test(tc, test_xdp_context);
	tcase_add_test(tc, test_clang_filter);
	tcase_add_test(tc, test_clang_refused);
	tcase_add_test(tc, test_malformed);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
