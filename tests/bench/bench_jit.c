/* bench_jit: ns per packet of four engines on the same filters:
 *   libpcap   bpf_filter on pcap_compile(optimize=1)'s classic program
 *   interp    bpfcap's eBPF interpreter (ebpf_run)
 *   jit       bpfcap's x86-64 JIT
 *   kernel    the kernel's JIT, BPF_PROG_TEST_RUN with repeat (SCHED_CLS),
 *             one packet per call: the kernel's own average, which
 *             includes its per-run harness; the floor (an empty program,
 *             "r0 = 0; exit") is printed beside it and not subtracted.
 * Filters: `ip`, `tcp port 80`, a 100-host `host A or host B ...` chain on
 * EN10MB, compiled by bpfcap (optimized) and translated by vm/translate:
 * the socket program for the interpreter, the JIT and the kernel, the
 * direct program for the JIT too.  libpcap runs its own compiled program.
 * The JIT is timed through its entry with a context set up per packet as
 * an engine would (direct: data/data_end/wire_len; socket: len), the
 * interpreter through ebpf_prog_run_interp (which builds its context).
 *
 * Two sets: (1) cache-resident, a few packets looped (compute-bound);
 * (2) BENCH_PACKETS (default 1,000,000) packets in memory (memory-bound),
 * visited in order with random kinds, with the floor of reading one byte
 * per packet beside it.  In (1) the JIT is also timed as the kernel is:
 * each packet repeated (perfectly predicted branches), and an empty
 * program gives the JIT's call floor.  Medians of
 * BENCH_REPEATS (default 7, at least 5) timings; the verdicts of all
 * engines are checked to agree on every packet first.
 * Exit 1 if an engine fails or they disagree. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpcap's struct bpf_insn and the kernel's (vm/context.h) clash: the
 * former is renamed here, used only through <pcap/pcap.h> and harness.h. */
#define bpf_insn pcap_bpf_insn
#include <pcap/pcap.h>
#include "harness.h"
#undef bpf_insn
#include "interp.h"
#include "jit.h"
#include "kbench.h"
#include "run.h"
#include "translate.h"

/* ---- filters ---------------------------------------------------------------------- */

struct filter {
	const char *name;
	char *expr;
	struct bpf_program cbpf;      /* libpcap's */
	struct ebpf_prog e[2];        /* bpfcap's, translated: [EBPF_TARGET_SOCKET], [..._DIRECT] */
	struct ebpf_jit_prog *jp[2];
	int kfd;
};

#define NHOSTS 100

static char *chain_expr(void)
{
	size_t cap = NHOSTS * 32, len = 0;
	char *s = malloc(cap);
	for (int i = 0; i < NHOSTS; i++)
		len += (size_t)snprintf(s + len, cap - len, "%shost 10.1.%d.%d", i ? " or " : "", i / 250,
					i % 250 + 1);
	return s;
}

/* ---- packets ----------------------------------------------------------------------- */

struct pkt {
	const uint8_t *data;
	uint32_t len;
};

static size_t build_packet(uint8_t *b, int kind, uint32_t rnd)
{
	memset(b, 0, 128);
	memcpy(b, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb", 12);
	switch (kind) {
	case 0: /* IPv4 TCP, port 80 on odd rnd */
	case 1: /* IPv4 UDP */
		b[12] = 0x08, b[13] = 0x00;
		b[14] = 0x45, b[16] = 0, b[17] = 60;
		b[22] = 64, b[23] = kind == 0 ? 6 : 17;
		b[26] = 10, b[27] = 1, b[28] = (uint8_t)(rnd >> 8 & 1), b[29] = (uint8_t)(rnd % 200 + 1);
		b[30] = 192, b[31] = 168, b[32] = 1, b[33] = (uint8_t)rnd;
		b[34] = (uint8_t)(rnd >> 16), b[35] = (uint8_t)(rnd >> 24);
		b[36] = (rnd & 1) ? 0 : 0x01, b[37] = (rnd & 1) ? 80 : 0xbb; /* 80 or 443 */
		return 74;
	case 2: /* IPv6 TCP */
		b[12] = 0x86, b[13] = 0xdd;
		b[14] = 0x60, b[19] = 20, b[20] = 6, b[21] = 64;
		b[54] = (uint8_t)(rnd >> 8), b[55] = (uint8_t)rnd;
		b[56] = 0, b[57] = (rnd & 2) ? 80 : 22;
		return 94;
	default: /* ARP */
		b[12] = 0x08, b[13] = 0x06;
		b[14] = 0, b[15] = 1, b[16] = 8, b[18] = 6, b[19] = 4, b[21] = 1;
		b[28] = 10, b[29] = 1, b[30] = 0, b[31] = (uint8_t)(rnd % 250 + 1);
		b[38] = 10, b[39] = 2, b[41] = 1;
		return 60;
	}
}

/* ---- engines --------------------------------------------------------------------- */

enum engine { E_LIBPCAP, E_INTERP, E_JIT_SOCKET, E_JIT_DIRECT, E_NENGINES };

/* What an engine keeps per run: the contexts, set up per packet. */
static struct __sk_buff bench_skb;
static struct ebpf_direct_ctx bench_dctx;

static uint64_t run_one(enum engine e, const struct filter *f, const struct pkt *p)
{
	switch (e) {
	case E_LIBPCAP:
		return bpf_filter(f->cbpf.bf_insns, p->data, p->len, p->len);
	case E_INTERP: {
		uint32_t ret;
		if (ebpf_prog_run_interp(&f->e[EBPF_TARGET_SOCKET], p->data, p->len, p->len, NULL, NULL,
					 &ret, NULL))
			return UINT64_MAX;
		return ret;
	}
	case E_JIT_SOCKET:
		bench_skb.len = p->len;
		return ebpf_jit_entry(f->jp[EBPF_TARGET_SOCKET])((uint64_t)(uintptr_t)&bench_skb, p->data,
								  p->len, 14);
	default:
		bench_dctx.data = (uint64_t)(uintptr_t)p->data;
		bench_dctx.data_end = (uint64_t)(uintptr_t)(p->data + p->len);
		bench_dctx.wire_len = p->len;
		return ebpf_jit_entry(f->jp[EBPF_TARGET_DIRECT])((uint64_t)(uintptr_t)&bench_dctx, p->data,
								  p->len, 14);
	}
}

static volatile uint64_t sink;

/* ns per packet of one pass over pkts[0..n) repeated loops times. */
static double time_pass(enum engine e, const struct filter *f, const struct pkt *pkts, size_t n,
			size_t loops)
{
	uint64_t acc = 0;
	double t0 = th_now();
	if (e == E_JIT_DIRECT) {
		/* the JIT's entry called directly, as an engine's hot loop would */
		ebpf_jit_fn fn = ebpf_jit_entry(f->jp[EBPF_TARGET_DIRECT]);
		for (size_t l = 0; l < loops; l++)
			for (size_t i = 0; i < n; i++) {
				bench_dctx.data = (uint64_t)(uintptr_t)pkts[i].data;
				bench_dctx.data_end = (uint64_t)(uintptr_t)(pkts[i].data + pkts[i].len);
				bench_dctx.wire_len = pkts[i].len;
				acc += fn((uint64_t)(uintptr_t)&bench_dctx, pkts[i].data, pkts[i].len, 14);
			}
	} else if (e == E_JIT_SOCKET) {
		ebpf_jit_fn fn = ebpf_jit_entry(f->jp[EBPF_TARGET_SOCKET]);
		for (size_t l = 0; l < loops; l++)
			for (size_t i = 0; i < n; i++) {
				bench_skb.len = pkts[i].len;
				acc += fn((uint64_t)(uintptr_t)&bench_skb, pkts[i].data, pkts[i].len, 14);
			}
	} else if (e == E_LIBPCAP) {
		for (size_t l = 0; l < loops; l++)
			for (size_t i = 0; i < n; i++)
				acc += bpf_filter(f->cbpf.bf_insns, pkts[i].data, pkts[i].len, pkts[i].len);
	} else {
		for (size_t l = 0; l < loops; l++)
			for (size_t i = 0; i < n; i++)
				acc += run_one(e, f, &pkts[i]);
	}
	double dt = th_now() - t0;
	sink += acc;
	return dt * 1e9 / (double)(n * loops);
}

/* The floor of a memory-bound pass: one byte read per packet. */
static double time_touch(const struct pkt *pkts, size_t n)
{
	uint64_t acc = 0;
	double t0 = th_now();
	for (size_t i = 0; i < n; i++)
		acc += pkts[i].data[13];
	double dt = th_now() - t0;
	sink += acc;
	return dt * 1e9 / (double)n;
}

static int check_agree(const struct filter *f, const struct pkt *pkts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v[E_NENGINES];
		for (int e = 0; e < E_NENGINES; e++)
			v[e] = run_one((enum engine)e, f, &pkts[i]);
		if (v[E_INTERP] != v[E_JIT_SOCKET] || v[E_INTERP] != v[E_JIT_DIRECT] ||
		    v[E_LIBPCAP] != v[E_INTERP]) {
			printf("FAIL %s: packet %zu: libpcap %llu, interp %llu, jit socket %llu, direct %llu\n",
			       f->name, i, (unsigned long long)v[0], (unsigned long long)v[1],
			       (unsigned long long)v[2], (unsigned long long)v[3]);
			return 0;
		}
	}
	return 1;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int repeats = getenv("BENCH_REPEATS") ? atoi(getenv("BENCH_REPEATS")) : 7;
	if (repeats < 5)
		repeats = 5;
	size_t nbig = getenv("BENCH_PACKETS") ? strtoul(getenv("BENCH_PACKETS"), NULL, 0) : 1000000;
	struct filter filters[] = {
		{ .name = "ip", .expr = strdup("ip") },
		{ .name = "tcp port 80", .expr = strdup("tcp port 80") },
		{ .name = "100-host chain", .expr = chain_expr() },
	};
	size_t nf = sizeof filters / sizeof filters[0];
	int status = 0;
	char why[512];

	printf("programs: libpcap's own (pcap_compile, optimize=1, EN10MB); bpfcap's compiled\n"
	       "(optimized) and translated: interp and kernel run the socket program, the JIT both.\n");
	for (size_t i = 0; i < nf; i++) {
		struct filter *f = &filters[i];
		if (th_libpcap_compile(DLT_EN10MB, f->expr, 1, 0, 0, &f->cbpf, why, sizeof why)) {
			printf("FAIL %s: pcap_compile: %s\n", f->name, why);
			return 1;
		}
		struct bpfcap_prog bp;
		struct bpfcap_error err = { 0 };
		if (th_bpfcap_compile(bpfcap_linktype_from_name("EN10MB"), f->expr, 1, 0, 0, &bp, &err)) {
			printf("FAIL %s: bpfcap_compile: %s\n", f->name, err.msg);
			return 1;
		}
		for (int t = 0; t < 2; t++)
			if (ebpf_translate(bp.insns, bp.len, (enum ebpf_target)t, &f->e[t], &err) ||
			    ebpf_prog_jit_compile(&f->e[t], NULL, &f->jp[t], &err)) {
				printf("FAIL %s (%s): %s\n", f->name, ebpf_target_name((enum ebpf_target)t), err.msg);
				return 1;
			}
		printf("  %-15s cBPF %zu insns (libpcap %u); eBPF socket %zu, direct %zu\n", f->name, bp.len,
		       f->cbpf.bf_len, f->e[EBPF_TARGET_SOCKET].len, f->e[EBPF_TARGET_DIRECT].len);
		bpfcap_prog_free(&bp);
		f->kfd = kbench_load(f->e[EBPF_TARGET_SOCKET].insns, f->e[EBPF_TARGET_SOCKET].len, why,
				     sizeof why);
		if (f->kfd < 0)
			printf("note: %s: the kernel refused the program: %s\n", f->name, why);
	}

	/* (1) cache-resident: 8 packets of 4 kinds, looped. */
	static uint8_t small[8][128];
	struct pkt spk[8];
	for (int i = 0; i < 8; i++)
		spk[i] = (struct pkt){ small[i], (uint32_t)build_packet(small[i], i % 4,
								       (uint32_t)i * 2654435761u) };
	static const struct ebpf_insn empty[] = { EBPF_MOV64_IMM(EBPF_REG_0, 0), EBPF_EXIT_INSN() };
	int floor_fd = kbench_load(empty, 2, why, sizeof why);
	struct filter empty_f = { .name = "empty" };
	struct bpfcap_error eerr = { 0 };
	if (ebpf_jit_compile(empty, 2, NULL, &empty_f.jp[EBPF_TARGET_DIRECT], &eerr)) {
		printf("FAIL: jit of an empty program: %s\n", eerr.msg);
		return 1;
	}

	printf("\n(1) cache-resident: 8 packets (IPv4 TCP/UDP, IPv6 TCP, ARP) looped; "
	       "ns/packet, median of %d\n\n", repeats);
	printf("%-15s %8s %8s %8s %8s %8s %8s %8s  %9s %9s %9s\n", "filter", "libpcap", "interp",
	       "jit-dir", "jit-sock", "sock-rep", "kernel", "(floor)", "pcap/dir", "pcap/sock",
	       "kern/rep");
	double lg_dir = 0, lg_sock = 0;
	for (size_t i = 0; i < nf; i++) {
		struct filter *f = &filters[i];
		if (!check_agree(f, spk, 8)) {
			status = 1;
			continue;
		}
		double med[E_NENGINES];
		for (int e = 0; e < E_NENGINES; e++) {
			double v[64];
			size_t loops = e == E_INTERP ? 20000 : 200000;
			for (int r = 0; r < repeats && r < 64; r++)
				v[r] = time_pass((enum engine)e, f, spk, 8, loops);
			med[e] = th_median(v, repeats);
		}
		/* the JIT as the kernel is timed: one packet repeated */
		double rv[64];
		for (int r = 0; r < repeats && r < 64; r++) {
			double sum = 0;
			for (int k = 0; k < 8; k++)
				sum += time_pass(E_JIT_SOCKET, f, &spk[k], 1, 100000);
			rv[r] = sum / 8;
		}
		double rep = th_median(rv, repeats);
		double kern = -1, flo = -1;
		if (f->kfd >= 0 && floor_fd >= 0) {
			double kv[64], fv[64];
			for (int r = 0; r < repeats && r < 64; r++) {
				double ks = 0, fs = 0;
				for (int k = 0; k < 8; k++) {
					uint32_t ret = 0;
					double d = kbench_run(f->kfd, spk[k].data, spk[k].len, 20000, &ret);
					if (d < 0 || ret != (uint32_t)run_one(E_JIT_SOCKET, f, &spk[k])) {
						printf("FAIL %s: kernel run on packet %d: %s r0 %u\n", f->name, k,
						       d < 0 ? "error" : "different", ret);
						status = 1;
					}
					ks += d;
					fs += kbench_run(floor_fd, spk[k].data, spk[k].len, 20000, NULL);
				}
				kv[r] = ks / 8;
				fv[r] = fs / 8;
			}
			kern = th_median(kv, repeats);
			flo = th_median(fv, repeats);
		}
		lg_dir += log(med[E_LIBPCAP] / med[E_JIT_DIRECT]);
		lg_sock += log(med[E_LIBPCAP] / med[E_JIT_SOCKET]);
		printf("%-15s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f  %8.1fx %8.1fx %8.2fx\n", f->name,
		       med[E_LIBPCAP], med[E_INTERP], med[E_JIT_DIRECT], med[E_JIT_SOCKET], rep, kern, flo,
		       med[E_LIBPCAP] / med[E_JIT_DIRECT], med[E_LIBPCAP] / med[E_JIT_SOCKET],
		       kern > 0 ? kern / rep : 0.0);
	}
	double ev[64];
	for (int r = 0; r < repeats && r < 64; r++)
		ev[r] = time_pass(E_JIT_DIRECT, &empty_f, spk, 8, 200000);
	printf("geometric mean libpcap/jit: direct %.1fx, socket %.1fx (target >= 5x)\n",
	       exp(lg_dir / (double)nf), exp(lg_sock / (double)nf));
	printf("jit floor (an empty program through the same loop): %.1f ns\n", th_median(ev, repeats));
	ebpf_jit_free(empty_f.jp[EBPF_TARGET_DIRECT]);
	printf("jit-dir/jit-sock: the 8 packets in turn; sock-rep: the socket program on each packet\n"
	       "100000 times in a row, as the kernel is timed.  kernel: BPF_PROG_TEST_RUN's own per-run\n"
	       "average (whole ns), SCHED_CLS, repeat 20000 per packet; (floor) an empty program the\n"
	       "same way: the harness cost inside the kernel figure (not subtracted).\n");

	/* (2) memory-bound: nbig packets laid out in one buffer. */
	if (nbig) {
		uint8_t *big = malloc(nbig * 128);
		struct pkt *bpk = malloc(nbig * sizeof *bpk);
		if (!big || !bpk) {
			printf("FAIL: out of memory for %zu packets\n", nbig);
			return 1;
		}
		uint32_t x = 12345;
		for (size_t i = 0; i < nbig; i++) {
			x = x * 1103515245u + 12345u;
			bpk[i] = (struct pkt){ big + i * 128,
					       (uint32_t)build_packet(big + i * 128, (int)(x >> 28) % 4, x) };
		}
		printf("\n(2) memory-bound: %zu packets in memory (%zu MB), in order, as from a capture; "
		       "ns/packet, median of %d\n\n", nbig, nbig * 128 >> 20, repeats);
		double tv[64];
		for (int r = 0; r < repeats && r < 64; r++)
			tv[r] = time_touch(bpk, nbig);
		printf("floor (read one byte of each packet): %.1f ns\n", th_median(tv, repeats));
		printf("%-15s %8s %8s %8s %8s  %9s %9s\n", "filter", "libpcap", "interp", "jit-dir",
		       "jit-sock", "pcap/dir", "pcap/sock");
		double lg = 0;
		for (size_t i = 0; i < nf; i++) {
			struct filter *f = &filters[i];
			if (!check_agree(f, bpk, nbig < 20000 ? nbig : 20000)) {
				status = 1;
				continue;
			}
			double med[E_NENGINES];
			for (int e = 0; e < E_NENGINES; e++) {
				double v[64];
				for (int r = 0; r < repeats && r < 64; r++)
					v[r] = time_pass((enum engine)e, f, bpk, nbig, 1);
				med[e] = th_median(v, repeats);
			}
			lg += log(med[E_LIBPCAP] / med[E_JIT_DIRECT]);
			printf("%-15s %8.1f %8.1f %8.1f %8.1f  %8.1fx %8.1fx\n", f->name, med[E_LIBPCAP],
			       med[E_INTERP], med[E_JIT_DIRECT], med[E_JIT_SOCKET],
			       med[E_LIBPCAP] / med[E_JIT_DIRECT], med[E_LIBPCAP] / med[E_JIT_SOCKET]);
		}
		printf("geometric mean libpcap/jit (direct): %.1fx\n", exp(lg / (double)nf));
		free(big);
		free(bpk);
	}

	for (size_t i = 0; i < nf; i++) {
		struct filter *f = &filters[i];
		pcap_freecode(&f->cbpf);
		for (int t = 0; t < 2; t++) {
			ebpf_jit_free(f->jp[t]);
			ebpf_prog_free(&f->e[t]);
		}
		kbench_close(f->kfd);
		free(f->expr);
	}
	kbench_close(floor_fd);
	return status;
}
