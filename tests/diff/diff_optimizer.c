/* Differential test of filter_optimize against libpcap.
 *
 * 1. Filter expressions (libpcap's own test corpus plus ours) compiled by
 *    libpcap with optimize=0, optimized by filter_optimize, assembled, and
 *    run by libpcap's bpf_filter on thousands of generated packets: every
 *    verdict must equal the unoptimized program's.  The packets plant the
 *    program's own constants at the offsets it loads, so the tests inside
 *    the program actually go both ways, and truncated copies exercise
 *    loads past the end of the buffer.
 * 2. Size: our instruction total against libpcap's optimizer (optimize=1).
 * 3. Random forward-only programs x random packets.
 * 4. Time to optimize a 1000-term host chain.
 *
 * Usage: diff_optimizer [-v|-vv] [-fuzz PROGRAMS [SEED]]   (-v lists the
 * programs where libpcap's optimizer is smaller, -vv with both listings).
 * Last line: "N passed, N failed". */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfcap.h"
#include "cbpf.h"
#include "cbpf_ref.h"
#include "wprog.h"

#define CORPUS "../shared/corpus/libpcap-filter-tests/accept.jsonl"
#define SNAPLEN 262144
#define PKT_MAX 160

static int verbose;
static long n_passed, n_failed;

/* --- deterministic PRNG (xorshift64*) -------------------------------- */
static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* --- expressions ----------------------------------------------------- */
struct expr {
	int dlt;
	char *text;
};

static struct expr *exprs;
static size_t n_exprs, cap_exprs;

static void add_expr(int dlt, const char *text)
{
	if (n_exprs == cap_exprs) {
		cap_exprs = cap_exprs ? 2 * cap_exprs : 256;
		exprs = realloc(exprs, cap_exprs * sizeof *exprs);
		if (!exprs)
			abort();
	}
	exprs[n_exprs].dlt = dlt;
	exprs[n_exprs].text = strdup(text);
	n_exprs++;
}

/* Reads a JSON string starting at the opening quote; returns the char
 * after the closing quote, or NULL. */
static const char *json_string(const char *s, char *out, size_t size)
{
	size_t n = 0;
	if (*s != '"')
		return NULL;
	for (s++; *s && *s != '"'; s++) {
		char c = *s;
		if (c == '\\') {
			s++;
			switch (*s) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'u': c = '?'; s += 4; break;
			default: c = *s; break;
			}
		}
		if (n + 1 < size)
			out[n++] = c;
	}
	out[n] = 0;
	return *s == '"' ? s + 1 : NULL;
}

static void load_corpus(void)
{
	FILE *f = fopen(CORPUS, "r");
	if (!f) {
		printf("note: %s missing, using the built-in expressions only\n", CORPUS);
		return;
	}
	static char line[1 << 16];
	char dltname[64], alias[4096];
	while (fgets(line, sizeof line, f)) {
		if (strstr(line, "\"skip\":"))
			continue;
		const char *d = strstr(line, "\"DLT\": ");
		const char *a = strstr(line, "\"aliases\": [");
		if (!d || !a || !json_string(d + 7, dltname, sizeof dltname))
			continue;
		if (strcmp(dltname, "EN10MB") && strcmp(dltname, "RAW") &&
		    strcmp(dltname, "LINUX_SLL") && strcmp(dltname, "LINUX_SLL2"))
			continue;
		int dlt = pcap_datalink_name_to_val(dltname);
		for (a += 12; *a == '"';) {
			a = json_string(a, alias, sizeof alias);
			if (!a)
				break;
			add_expr(dlt, alias);
			while (*a == ',' || *a == ' ')
				a++;
		}
	}
	fclose(f);
}

static char *host_chain(int terms)
{
	size_t size = (size_t)terms * 32 + 1;
	char *s = malloc(size), *p = s;
	for (int i = 0; i < terms; i++)
		p += sprintf(p, "%shost 10.%d.%d.%d", i ? " or " : "", ((i + 1) >> 16) & 255,
			     ((i + 1) >> 8) & 255, (i + 1) & 255);
	return s;
}

static const char *own_exprs[] = {
	"tcp port 80",
	"host 10.0.0.1 and (port 22 or port 80)",
	"vlan 10 and tcp",
	"vlan and vlan 20",
	"ip6 and tcp",
	"portrange 1000-2000",
	"tcp[tcpflags] & tcp-syn != 0",
	"ip[2:2] > 100",
	"not arp",
	"icmp or udp port 53",
	"ether host 00:11:22:33:44:55",
	"net 192.168.0.0/16",
	"greater 100",
	"len < 60",
	"mpls and ip",
	"mpls 100 and udp",
	"pppoes and ip",
	"pppoes 7 and tcp port 80",
	"ip proto 47",
	"ip6 proto 58",
	"udp[8:4] = 0x12345678",
	"tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420",
	"ip[0] & 0xf > 5",
	"ether[0] & 1 = 0",
	"src net 10.0.0.0/8 and dst port 443",
	"(tcp or udp) and not port 22",
	"ip and ip[8] < 64",
	"icmp[icmptype] == icmp-echo",
	"ip host 1.2.3.4 or ip6",
	"tcp src port 1024 and tcp dst port 80 or udp port 53",
	"ip[6:2] & 0x1fff = 0 and udp",
	"ip6 host ::1 or ip6 net fe80::/10",
	"sctp port 9899",
	"ip multicast or ip broadcast",
	"ether broadcast or ether multicast",
	"tcp and (tcp[13] & 2 != 0) and (tcp[13] & 16 == 0)",
	"udp and udp[4:2] > 100 and udp[4:2] < 200",
	"ip[1] * 4 + 2 == 10",
	"ip[1] - ip[2] == 0",
	"ip[0] / 0 == 1",
	"ip[0] % 3 == 1 or ip[1] ^ 5 == 2",
	"arp and arp[7] == 2",
	"vlan 100 and host 10.1.2.3",
	"not (port 22 or port 23 or port 80 or port 443)",
	"ip and not ip[6:2] & 0x3fff != 0",
	"icmp6 and ip6[40] == 128",
	NULL,
};

static const char *const own_dlts[] = { "EN10MB", "RAW", "LINUX_SLL", "LINUX_SLL2" };

static void add_own_exprs(void)
{
	for (size_t d = 0; d < 4; d++) {
		int dlt = pcap_datalink_name_to_val(own_dlts[d]);
		for (const char **e = own_exprs; *e; e++)
			add_expr(dlt, *e);
		char *chain = host_chain(50);
		add_expr(dlt, chain);
		free(chain);
	}
}

/* --- packets ---------------------------------------------------------- */
struct packet {
	uint8_t data[PKT_MAX];
	uint32_t caplen, wirelen;
};

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint32_t pick(const uint32_t *v, size_t n)
{
	return v[rnd_below((uint32_t)n)];
}

#define PICK(arr) pick(arr, sizeof arr / sizeof arr[0])

static const uint32_t ethertypes[] = { 0x0800, 0x0800, 0x0800, 0x86dd, 0x86dd, 0x0806,
				       0x8035, 0x8100, 0x8847, 0x8864, 0x8863, 0x809b,
				       0x0600, 0x05dc, 0x88a8, 0x9100 };
static const uint32_t ipprotos[] = { 6, 6, 17, 17, 1, 58, 132, 2, 47, 50, 51, 0, 44, 103 };
static const uint32_t ports[] = { 22, 23, 53, 80, 80, 443, 1024, 1500, 2000, 9899, 67, 68 };

static void fill_l4(uint8_t *p, uint32_t proto)
{
	put16(p, rnd_below(3) ? PICK(ports) : rnd() & 0xffff);
	put16(p + 2, rnd_below(3) ? PICK(ports) : rnd() & 0xffff);
	if (proto == 1 || proto == 58)
		p[0] = (uint8_t)(rnd_below(2) ? PICK(((const uint32_t[]){ 0, 8, 128, 129, 135, 136 })) :
						rnd());
	if (proto == 6)
		p[12] = (uint8_t)(rnd_below(3) ? 0x50 : (rnd() & 0xf0));
}

/* An IPv4 or IPv6 packet at p; returns its length. */
static uint32_t fill_ip(uint8_t *p, uint32_t room, int v6)
{
	uint32_t proto = PICK(ipprotos);
	for (uint32_t i = 0; i < room; i++)
		p[i] = (uint8_t)rnd();
	if (!v6) {
		uint32_t ihl = rnd_below(4) ? 5 : 6 + rnd_below(3);
		p[0] = (uint8_t)(0x40 | ihl);
		put16(p + 6, rnd_below(4) ? 0 : rnd() & 0x3fff);
		p[9] = (uint8_t)proto;
		static const uint32_t addrs[] = { 0x0a000001, 0x0a000002, 0xc0a80001, 0x01020304,
						  0xe0000001, 0xffffffff, 0x7f000001 };
		put32(p + 12, rnd_below(2) ? PICK(addrs) : rnd());
		put32(p + 16, rnd_below(2) ? PICK(addrs) : rnd());
		fill_l4(p + ihl * 4, proto);
		return 20 + 4 * (ihl - 5) + 20 + rnd_below(40);
	}
	p[0] = 0x60;
	p[6] = (uint8_t)proto;
	if (rnd_below(2))
		memset(p + 8, 0, 15), p[23] = 1; /* ::1 */
	if (rnd_below(3) == 0)
		p[24] = 0xfe, p[25] = 0x80;
	fill_l4(p + 40, proto);
	return 40 + 20 + rnd_below(40);
}

/* A frame for the link type: returns its length. */
static uint32_t fill_frame(uint8_t *p, int dlt)
{
	uint32_t et = PICK(ethertypes), hdr;
	memset(p, 0, PKT_MAX);
	if (dlt == DLT_RAW) {
		return fill_ip(p, PKT_MAX, rnd_below(3) == 0);
	} else if (dlt == DLT_LINUX_SLL) {
		put16(p, rnd_below(5));
		put16(p + 14, et);
		hdr = 16;
	} else if (dlt == DLT_LINUX_SLL2) {
		put16(p, et);
		hdr = 20;
	} else {
		for (int i = 0; i < 12; i++)
			p[i] = (uint8_t)rnd();
		if (rnd_below(4) == 0)
			memset(p, 0xff, 6);
		put16(p + 12, et);
		hdr = 14;
	}
	/* Tagged and encapsulated frames: the inner type after the tag. */
	while ((et == 0x8100 || et == 0x88a8 || et == 0x9100) && hdr < 40) {
		put16(p + hdr, rnd() & 0xfff);
		et = PICK(ethertypes);
		put16(p + hdr + 2, et);
		hdr += 4;
	}
	if (et == 0x8847) {
		uint32_t labels = 1 + rnd_below(3);
		for (uint32_t i = 0; i < labels; i++, hdr += 4)
			put32(p + hdr, (rnd_below(300) << 12) | (i + 1 == labels ? 0x100 : 0) | 64);
		return hdr + fill_ip(p + hdr, PKT_MAX - hdr, rnd_below(3) == 0);
	}
	if (et == 0x8864) {
		p[hdr] = 0x11;
		put16(p + hdr + 2, rnd_below(10));
		put16(p + hdr + 6, rnd_below(2) ? 0x0021 : 0x0057);
		hdr += 8;
		return hdr + fill_ip(p + hdr, PKT_MAX - hdr, p[hdr - 1] == 0x57);
	}
	if (et == 0x0800 || et == 0x86dd)
		return hdr + fill_ip(p + hdr, PKT_MAX - hdr, et == 0x86dd);
	for (uint32_t i = hdr; i < PKT_MAX; i++)
		p[i] = (uint8_t)rnd();
	if (et == 0x0806 || et == 0x8035)
		put16(p + hdr, 1), put16(p + hdr + 2, 0x0800), p[hdr + 7] = (uint8_t)rnd_below(3);
	return hdr + 28 + rnd_below(30);
}

/* What a program tests: offsets it loads and the constants it compares
 * with, so packets can be made to match. */
struct plant_info {
	uint32_t abs_off[256], abs_size[256], n_abs;
	uint32_t ind_off[256], ind_size[256], n_ind;
	uint32_t msh_off[16], n_msh;
	uint32_t consts[512], n_consts;
};

static uint32_t insn_size(uint16_t code)
{
	return BPF_SIZE(code) == BPF_W ? 4 : BPF_SIZE(code) == BPF_H ? 2 : 1;
}

static void collect_plants(const struct bpf_program *prog, struct plant_info *pi)
{
	memset(pi, 0, sizeof *pi);
	for (u_int i = 0; i < prog->bf_len; i++) {
		const struct bpf_insn *in = &prog->bf_insns[i];
		uint16_t c = in->code;
		if (BPF_CLASS(c) == BPF_LD && BPF_MODE(c) == BPF_ABS && pi->n_abs < 256) {
			pi->abs_off[pi->n_abs] = in->k;
			pi->abs_size[pi->n_abs++] = insn_size(c);
		} else if (BPF_CLASS(c) == BPF_LD && BPF_MODE(c) == BPF_IND && pi->n_ind < 256) {
			pi->ind_off[pi->n_ind] = in->k;
			pi->ind_size[pi->n_ind++] = insn_size(c);
		} else if (c == (BPF_LDX | BPF_B | BPF_MSH) && pi->n_msh < 16) {
			pi->msh_off[pi->n_msh++] = in->k;
		} else if ((BPF_CLASS(c) == BPF_JMP && BPF_OP(c) != BPF_JA) ||
			   BPF_CLASS(c) == BPF_ALU) {
			if (BPF_SRC(c) == BPF_K && pi->n_consts < 510) {
				pi->consts[pi->n_consts++] = in->k;
				pi->consts[pi->n_consts++] = in->k + 1;
			}
		}
	}
	if (pi->n_consts == 0)
		pi->consts[pi->n_consts++] = 0;
}

static void put_sized(struct packet *pk, uint32_t off, uint32_t size, uint32_t v)
{
	if (off >= PKT_MAX || off + size > PKT_MAX)
		return;
	if (size == 4)
		put32(pk->data + off, v);
	else if (size == 2)
		put16(pk->data + off, v);
	else
		pk->data[off] = (uint8_t)v;
	if (off + size > pk->caplen)
		pk->caplen = pk->wirelen = off + size;
}

/* Writes a constant of the program where one of its loads reads. */
static void plant_one(struct packet *pk, const struct plant_info *pi)
{
	uint32_t v = pi->consts[rnd_below(pi->n_consts)];
	if (pi->n_ind && pi->n_msh && rnd_below(3) == 0) {
		uint32_t j = rnd_below(pi->n_ind), m = pi->msh_off[rnd_below(pi->n_msh)];
		uint32_t x = m < PKT_MAX ? 4u * (pk->data[m] & 0xf) : 0;
		put_sized(pk, pi->ind_off[j] + x, pi->ind_size[j], v);
	} else if (pi->n_abs) {
		uint32_t j = rnd_below(pi->n_abs);
		put_sized(pk, pi->abs_off[j], pi->abs_size[j], v);
	}
}

static void make_packet(struct packet *pk, int dlt, const struct plant_info *pi)
{
	pk->caplen = fill_frame(pk->data, dlt);
	if (pk->caplen > PKT_MAX)
		pk->caplen = PKT_MAX;
	pk->wirelen = pk->caplen;
	if (pi) {
		uint32_t plants = rnd_below(6);
		for (uint32_t i = 0; i < plants; i++)
			plant_one(pk, pi);
	}
	if (rnd_below(8) == 0)
		pk->wirelen += rnd_below(1500);
}

/* --- running programs --------------------------------------------------- */
static uint32_t run(const struct bpf_insn *insns, const struct packet *pk, uint32_t caplen)
{
	return bpf_filter(insns, pk->data, pk->wirelen, caplen);
}

/* The input's verdict, and whether its run ended on a failed load.  The
 * optimizer's contract is libpcap's: it deletes loads whose values are
 * unused, so where the input's run fails a load (a packet cut short) the
 * optimized program may go on; everywhere else the verdicts are equal. */
static uint32_t run_input(const struct bpf_insn *insns, const struct packet *pk, uint32_t caplen,
			  int *load_failed)
{
	return ref_run_checked(insns, pk->data, caplen, pk->wirelen, load_failed);
}

/* filter_optimize + filter_assemble of a cBPF program; 0 on success. */
static int optimize_cbpf(const struct bpf_insn *insns, size_t len, struct bpfcap_prog *out,
			 double *seconds)
{
	struct wprog w;
	struct bpfcap_error err;
	if (wprog_from_cbpf(&w, (const struct cbpf_insn *)insns, len))
		return -1;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = filter_optimize(&w, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (seconds)
		*seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	if (rc == 0)
		rc = filter_assemble(&w, out, &err);
	if (rc)
		fprintf(stderr, "optimize failed: %s\n", err.msg);
	wprog_free(&w);
	return rc;
}

static void dump_prog(const char *title, const struct bpf_insn *insns, size_t len)
{
	fprintf(stderr, "%s (%zu):\n", title, len);
	for (size_t i = 0; i < len; i++) {
		struct bpf_insn in = insns[i];
		fprintf(stderr, "  %s\n", bpf_image(&in, (int)i));
	}
}

static void report_packet(const struct packet *pk, uint32_t caplen)
{
	fprintf(stderr, "  packet caplen %u wirelen %u:", caplen, pk->wirelen);
	for (uint32_t i = 0; i < caplen && i < 80; i++)
		fprintf(stderr, " %02x", pk->data[i]);
	fprintf(stderr, "\n");
}

#define PACKETS_PER_EXPR 2500
#define TRUNCATED_SOURCES 16

static long total_ours, total_pcap, total_unopt;

/* Compares unoptimized and optimized verdicts on every packet; 1 if all
 * agree. */
static int compare_verdicts(const struct bpf_program *ref, const struct bpfcap_prog *opt,
			    const struct packet *pks, size_t npk, const char *what)
{
	const struct bpf_insn *oi = (const struct bpf_insn *)opt->insns;
	for (size_t i = 0; i < npk; i++) {
		const struct packet *pk = &pks[i];
		uint32_t ncap = i < TRUNCATED_SOURCES ? 61 : 1;
		for (uint32_t t = 0; t < ncap; t++) {
			uint32_t caplen = ncap > 1 ? (t < pk->caplen ? t : pk->caplen) : pk->caplen;
			int failed;
			uint32_t want = run_input(ref->bf_insns, pk, caplen, &failed);
			uint32_t got = run(oi, pk, caplen);
			if (!failed && want != got) {
				fprintf(stderr, "MISMATCH %s: want %u got %u\n", what, want, got);
				report_packet(pk, caplen);
				dump_prog("unoptimized", ref->bf_insns, ref->bf_len);
				dump_prog("optimized", oi, opt->len);
				return 0;
			}
		}
	}
	return 1;
}

static long n_skipped;

static int has_backward_jump(const struct bpf_program *p)
{
	for (u_int i = 0; i < p->bf_len; i++) {
		const struct bpf_insn *in = &p->bf_insns[i];
		if (BPF_CLASS(in->code) != BPF_JMP)
			continue;
		/* Offsets are unsigned; libpcap stores a backward one wrapped. */
		if (BPF_OP(in->code) == BPF_JA ? in->k >= 0x80000000u : 0)
			return 1;
		if (BPF_OP(in->code) == BPF_JA && i + 1 + in->k >= p->bf_len)
			return 1;
		if (BPF_OP(in->code) != BPF_JA &&
		    (i + 1 + in->jt >= p->bf_len || i + 1 + in->jf >= p->bf_len))
			return 1;
	}
	return 0;
}

static void check_expression(const struct expr *e, struct packet *pks)
{
	pcap_t *pc = pcap_open_dead(e->dlt, SNAPLEN);
	struct bpf_program unopt, opt;
	if (!pc)
		return;
	if (pcap_compile(pc, &unopt, e->text, 0, PCAP_NETMASK_UNKNOWN) != 0) {
		pcap_close(pc);
		return;
	}
	int have_opt = pcap_compile(pc, &opt, e->text, 1, PCAP_NETMASK_UNKNOWN) == 0;
	struct bpfcap_prog ours = { 0 };
	char what[600];
	if (has_backward_jump(&unopt)) {
		n_skipped++; /* protochain loops: no forward-only form to optimize */
		goto out;
	}
	snprintf(what, sizeof what, "[%s] %.500s", pcap_datalink_val_to_name(e->dlt), e->text);
	if (optimize_cbpf(unopt.bf_insns, unopt.bf_len, &ours, NULL)) {
		n_failed++;
		fprintf(stderr, "FAIL %s: optimizer error\n", what);
		goto out;
	}
	struct plant_info pi;
	collect_plants(&unopt, &pi);
	for (size_t i = 0; i < PACKETS_PER_EXPR; i++)
		make_packet(&pks[i], e->dlt, i % 5 == 4 ? NULL : &pi);
	int ok = compare_verdicts(&unopt, &ours, pks, PACKETS_PER_EXPR, what);
	/* Idempotence: optimizing our output again changes nothing. */
	struct bpfcap_prog again = { 0 };
	if (ok && optimize_cbpf((const struct bpf_insn *)ours.insns, ours.len, &again, NULL) == 0 &&
	    (again.len != ours.len ||
	     memcmp(again.insns, ours.insns, ours.len * sizeof *ours.insns) != 0)) {
		fprintf(stderr, "NOT IDEMPOTENT %s: %zu then %zu instructions\n", what, ours.len,
			again.len);
		ok = 0;
	}
	bpfcap_prog_free(&again);
	if (ok)
		n_passed++;
	else
		n_failed++;
	if (have_opt) {
		total_ours += (long)ours.len;
		total_pcap += opt.bf_len;
		total_unopt += unopt.bf_len;
		if (verbose && ours.len > opt.bf_len) {
			printf("bigger: ours %zu libpcap %u: %s\n", ours.len, opt.bf_len, what);
			if (verbose > 1) {
				dump_prog("libpcap", opt.bf_insns, opt.bf_len);
				dump_prog("ours", (const struct bpf_insn *)ours.insns, ours.len);
			}
		}
	}
out:
	if (have_opt)
		pcap_freecode(&opt);
	pcap_freecode(&unopt);
	bpfcap_prog_free(&ours);
	pcap_close(pc);
}

/* --- random programs ------------------------------------------------------ */
static const uint32_t fuzz_consts[] = { 0, 1, 2, 3, 4, 5, 7, 8, 12, 14, 0x0f, 0x10, 0x20,
					0x40, 0x80, 0xff, 0x800, 0x86dd, 0xffff, 0xffffffff };

static struct bpf_insn random_insn(size_t i, size_t n)
{
	struct bpf_insn in = { 0, 0, 0, 0 };
	uint32_t room = (uint32_t)(n - 2 - i); /* forward offsets that stay inside */
	uint32_t k = rnd_below(2) ? PICK(fuzz_consts) : rnd_below(48);
	static const uint16_t sizes[] = { BPF_W, BPF_H, BPF_B };
	static const uint16_t alu_ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR,
					    BPF_AND, BPF_LSH, BPF_RSH, BPF_MOD, BPF_XOR };
	static const uint16_t jmp_ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET };
	switch (rnd_below(16)) {
	case 0: case 1:
		in.code = (uint16_t)(BPF_LD | sizes[rnd_below(3)] | BPF_ABS);
		in.k = rnd_below(40);
		break;
	case 2:
		in.code = (uint16_t)(BPF_LD | sizes[rnd_below(3)] | BPF_IND);
		in.k = rnd_below(24);
		break;
	case 3:
		in.code = rnd_below(2) ? BPF_LDX | BPF_B | BPF_MSH : BPF_LDX | BPF_IMM;
		in.k = rnd_below(2) ? rnd_below(20) : k;
		break;
	case 4:
		in.code = rnd_below(2) ? BPF_LD | BPF_IMM : BPF_LD | BPF_W | BPF_LEN;
		in.k = k;
		break;
	case 5:
		in.code = rnd_below(2) ? BPF_LD | BPF_MEM : BPF_LDX | BPF_MEM;
		in.k = rnd_below(4);
		break;
	case 6:
		in.code = rnd_below(2) ? BPF_ST : BPF_STX;
		in.k = rnd_below(4);
		break;
	case 7: case 8: {
		uint16_t op = alu_ops[rnd_below(10)];
		int src_x = rnd_below(3) == 0;
		in.code = (uint16_t)(BPF_ALU | op | (src_x ? BPF_X : BPF_K));
		in.k = k;
		if (!src_x && (op == BPF_DIV || op == BPF_MOD) && k == 0)
			in.k = 3; /* bpf_filter would trap on a constant zero divisor */
		if (!src_x && (op == BPF_LSH || op == BPF_RSH))
			in.k = k & 31;
		if (rnd_below(12) == 0)
			in.code = BPF_ALU | BPF_NEG;
		break;
	}
	case 9:
		in.code = rnd_below(2) ? BPF_MISC | BPF_TAX : BPF_MISC | BPF_TXA;
		break;
	case 10: case 11: case 12: case 13:
		in.code = (uint16_t)(BPF_JMP | jmp_ops[rnd_below(4)] |
				     (rnd_below(4) == 0 ? BPF_X : BPF_K));
		in.k = k;
		in.jt = (uint8_t)rnd_below(room < 8 ? room + 1 : 8);
		in.jf = (uint8_t)rnd_below(room < 8 ? room + 1 : 8);
		break;
	case 14:
		in.code = BPF_JMP | BPF_JA;
		in.k = rnd_below(room < 6 ? room + 1 : 6);
		break;
	default:
		in.code = rnd_below(2) ? BPF_RET | BPF_A : BPF_RET | BPF_K;
		in.k = rnd_below(3);
		break;
	}
	return in;
}

/* Chains of tests over a few loads, leaving to a pool of returns at the
 * end: the shapes (or/and chains, repeated tests, loads of growing
 * length) that jump threading and chain grouping work on. */
static size_t random_chain_program(struct bpf_insn *prog, size_t cap)
{
	static const struct bpf_insn loads[] = {
		{ BPF_LD | BPF_H | BPF_ABS, 0, 0, 12 }, { BPF_LD | BPF_B | BPF_ABS, 0, 0, 23 },
		{ BPF_LD | BPF_W | BPF_ABS, 0, 0, 26 }, { BPF_LD | BPF_W | BPF_ABS, 0, 0, 30 },
		{ BPF_LD | BPF_H | BPF_IND, 0, 0, 14 }, { BPF_LD | BPF_H | BPF_IND, 0, 0, 16 },
		{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 40 }, { BPF_LD | BPF_W | BPF_LEN, 0, 0, 0 },
	};
	static const uint32_t ks[] = { 0, 1, 2, 3, 0x800, 6, 17 };
	size_t nret = 2 + rnd_below(3), n = 8 + rnd_below((uint32_t)(cap - 8 - nret)), i = 0;
	if (rnd_below(2))
		prog[i++] = (struct bpf_insn){ BPF_LDX | BPF_B | BPF_MSH, 0, 0, rnd_below(3) };
	while (i < n) {
		if (i + 1 < n && rnd_below(3))
			prog[i++] = loads[rnd_below(8)];
		uint32_t room = (uint32_t)(n + nret - 1 - i); /* instructions after this jump */
		uint32_t to_ret = (uint32_t)(n - i - 1) + rnd_below((uint32_t)nret);
		uint32_t fwd = rnd_below(room < 4 ? room : 4);
		uint8_t jt = (uint8_t)(rnd_below(2) ? to_ret : fwd);
		uint8_t jf = (uint8_t)(rnd_below(2) ? fwd : to_ret);
		uint16_t op = rnd_below(4) ? BPF_JEQ : (rnd_below(2) ? BPF_JGT : BPF_JSET);
		prog[i++] = (struct bpf_insn){ (uint16_t)(BPF_JMP | op | BPF_K), jt, jf,
					       PICK(ks) };
	}
	for (size_t r = 0; r < nret; r++)
		prog[i++] = (struct bpf_insn){ (uint16_t)(BPF_RET | (r == 2 ? BPF_A : BPF_K)), 0, 0,
					       r == 0 ? 0 : (uint32_t)r * 100 };
	return i;
}

static void random_packet(struct packet *pk)
{
	pk->caplen = rnd_below(48);
	for (uint32_t i = 0; i < pk->caplen; i++)
		pk->data[i] = (uint8_t)(rnd_below(3) ? PICK(fuzz_consts) : rnd());
	for (uint32_t i = 0; i < pk->caplen; i++)
		if (rnd_below(6) == 0)
			pk->data[i] = (uint8_t)PICK(((const uint32_t[]){ 0, 1, 2, 3, 6, 17, 8 }));
	if (rnd_below(2) && pk->caplen > 0)
		pk->data[0] = (uint8_t)rnd_below(3); /* small X from 4*([0..2]&0xf) */
	pk->wirelen = pk->caplen + (rnd_below(4) == 0 ? rnd_below(100) : 0);
}

static int fuzz_programs = 6000; /* -fuzz N [SEED] for longer runs */
#define FUZZ_PACKETS 64

static void fuzz_random_programs(void)
{
	struct bpf_insn prog[64];
	struct packet pks[FUZZ_PACKETS];
	long pairs = 0, bad = 0;
	for (int p = 0; p < fuzz_programs; p++) {
		size_t n = 12 + rnd_below(40);
		if (p % 2) {
			n = random_chain_program(prog, 60);
			goto run;
		}
		/* bpf_filter leaves M[] uninitialized, so the program writes it
		 * first (as pcap_compile's programs and the kernel checker do). */
		static const struct bpf_insn prologue[] = {
			{ BPF_LD | BPF_W | BPF_LEN, 0, 0, 0 }, { BPF_ST, 0, 0, 0 },
			{ BPF_LD | BPF_IMM, 0, 0, 0x800 },     { BPF_ST, 0, 0, 1 },
			{ BPF_LDX | BPF_IMM, 0, 0, 0 },        { BPF_STX, 0, 0, 2 },
			{ BPF_STX, 0, 0, 3 },                  { BPF_LD | BPF_IMM, 0, 0, 0 },
		};
		size_t np = sizeof prologue / sizeof prologue[0];
		memcpy(prog, prologue, sizeof prologue);
		for (size_t i = np; i + 1 < n; i++)
			prog[i] = random_insn(i, n);
		prog[n - 1] = (struct bpf_insn){ BPF_RET | (rnd_below(2) ? BPF_A : BPF_K), 0, 0, 7 };
run:;
		struct bpfcap_prog ours = { 0 };
		if (optimize_cbpf(prog, n, &ours, NULL)) {
			bad++;
			continue;
		}
		for (int j = 0; j < FUZZ_PACKETS; j++) {
			random_packet(&pks[j]);
			pairs++;
			int failed;
			uint32_t want = run_input(prog, &pks[j], pks[j].caplen, &failed);
			uint32_t got = run((const struct bpf_insn *)ours.insns, &pks[j], pks[j].caplen);
			if (!failed && want != got) {
				bad++;
				fprintf(stderr, "MISMATCH random program %d: want %u got %u\n", p, want,
					got);
				report_packet(&pks[j], pks[j].caplen);
				dump_prog("original", prog, n);
				dump_prog("optimized", (const struct bpf_insn *)ours.insns, ours.len);
				break;
			}
		}
		bpfcap_prog_free(&ours);
		if (bad > 3)
			break;
	}
	printf("random programs: %d programs x %d packets = %ld pairs, %ld failures\n",
	       fuzz_programs, FUZZ_PACKETS, pairs, bad);
	if (bad)
		n_failed++;
	else
		n_passed++;
}

/* --- timing of a big program ---------------------------------------------- */
static void time_big_program(int terms, struct packet *pks)
{
	char *chain = host_chain(terms);
	pcap_t *pc = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	struct bpf_program unopt;
	if (pcap_compile(pc, &unopt, chain, 0, PCAP_NETMASK_UNKNOWN) != 0) {
		printf("big program: libpcap could not compile it: %s\n", pcap_geterr(pc));
		n_failed++;
		goto out;
	}
	struct bpfcap_prog ours = { 0 };
	double best = 1e9, s;
	for (int rep = 0; rep < 3; rep++) {
		if (optimize_cbpf(unopt.bf_insns, unopt.bf_len, &ours, &s)) {
			n_failed++;
			break;
		}
		best = s < best ? s : best;
		if (rep < 2)
			bpfcap_prog_free(&ours);
	}
	printf("big program: %d-term host chain, %u -> %zu instructions, optimized in %.2f ms\n",
	       terms, unopt.bf_len, ours.len, best * 1e3);
	struct plant_info pi;
	collect_plants(&unopt, &pi);
	for (size_t i = 0; i < 400; i++)
		make_packet(&pks[i], DLT_EN10MB, &pi);
	if (ours.insns && compare_verdicts(&unopt, &ours, pks, 400, "big program"))
		n_passed++;
	else
		n_failed++;
	bpfcap_prog_free(&ours);
	pcap_freecode(&unopt);
out:
	pcap_close(pc);
	free(chain);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-v"))
			verbose++;
		else if (!strcmp(argv[i], "-vv"))
			verbose += 2;
		else if (!strcmp(argv[i], "-fuzz") && i + 1 < argc) {
			fuzz_programs = atoi(argv[++i]);
			if (i + 1 < argc)
				rng_state ^= strtoull(argv[++i], NULL, 0) * 0x9e3779b97f4a7c15ull;
		}
	load_corpus();
	add_own_exprs();
	struct packet *pks = calloc(PACKETS_PER_EXPR, sizeof *pks);
	if (!pks)
		return 2;
	for (size_t i = 0; i < n_exprs; i++)
		check_expression(&exprs[i], pks);
	printf("expressions: %ld checked, %ld skipped (backward jumps), %zu listed "
	       "(the rest libpcap rejects)\n", n_passed + n_failed, n_skipped, n_exprs);
	printf("instructions: unoptimized %ld, libpcap -O %ld, ours %ld, ratio ours/libpcap %.3f\n",
	       total_unopt, total_pcap, total_ours,
	       total_pcap ? (double)total_ours / (double)total_pcap : 0.0);
	fuzz_random_programs();
	time_big_program(1000, pks);
	for (size_t i = 0; i < n_exprs; i++)
		free(exprs[i].text);
	free(exprs);
	free(pks);
	printf("%ld passed, %ld failed\n", n_passed, n_failed);
	return n_failed != 0;
}
