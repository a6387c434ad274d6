/* bpfcap: the library's one public header.
 *
 * Every function returns 0 on success and a negative BPFCAP_E* code on
 * failure, with a message (and, for expressions, the column it concerns)
 * in the caller's struct bpfcap_error.  Nothing here prints or exits, and
 * no function keeps state between calls.
 */
#ifndef BPFCAP_H
#define BPFCAP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bpfcap_status {
	BPFCAP_OK = 0,
	BPFCAP_E_SYNTAX = -1,      /* the expression does not parse */
	BPFCAP_E_SEMANTIC = -2,    /* parses, but means nothing valid (bad port, mask...) */
	BPFCAP_E_UNSUPPORTED = -3, /* valid pcap-filter, not compiled by bpfcap: use libpcap */
	BPFCAP_E_NOMEM = -4,
	BPFCAP_E_INVALID = -5,     /* bad argument */
	BPFCAP_E_TOOBIG = -6,      /* a program past an implementation limit */
};

struct bpfcap_error {
	int code;          /* an enum bpfcap_status */
	int column;        /* 0-based byte offset into the expression, -1 if none */
	int length;        /* how many bytes the problem spans (>= 1 when column >= 0) */
	char msg[256];
};

/* One classic BPF instruction: the layout of struct bpf_insn and struct
 * sock_filter, so a program can be handed to either without copying. */
struct bpfcap_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

struct bpfcap_prog {
	struct bpfcap_insn *insns;
	size_t len;
};

/* Code generation modes (see docs/DESIGN.md, "Offline and live"). */
enum bpfcap_mode {
	BPFCAP_MODE_OFFLINE = 0, /* what pcap_open_dead produces: VLAN tags in the frame */
	BPFCAP_MODE_LIVE = 1,    /* Linux socket: SKF_AD loads for pkttype, ifindex, vlan */
};

struct bpfcap_compile_opts {
	int linktype;        /* DLT_*: EN10MB, RAW, LINUX_SLL, LINUX_SLL2 */
	uint32_t snaplen;    /* returned on a match; 0 means 262144 */
	enum bpfcap_mode mode;
	int optimize;        /* 1 (default when opts is NULL) or 0 */
	int netmask_known;   /* 0: unknown, as pcap_compile's PCAP_NETMASK_UNKNOWN */
	uint32_t netmask;    /* host byte order; "ip broadcast" needs it known */
};

/* Compile a pcap-filter(7) expression to classic BPF.  opts may be NULL
 * (EN10MB, snaplen 262144, offline, optimized).  The empty expression (or
 * NULL) accepts every packet.  On success *out owns its instructions:
 * release them with bpfcap_prog_free. */
int bpfcap_compile(const char *expr, const struct bpfcap_compile_opts *opts,
		   struct bpfcap_prog *out, struct bpfcap_error *err);

void bpfcap_prog_free(struct bpfcap_prog *prog);

/* Link types by pcap name ("EN10MB", "RAW", ...), as -y takes them.
 * Returns the DLT number or -1. */
int bpfcap_linktype_from_name(const char *name);
const char *bpfcap_linktype_name(int linktype);
/* 1 if bpfcap's own compiler covers this link type. */
int bpfcap_linktype_supported(int linktype);

/* Dump formats of tcpdump -d, -dd, -ddd (level 1, 2, 3) into buf.
 * Returns the length the full dump needs (like snprintf). */
size_t bpfcap_dump_cbpf(const struct bpfcap_prog *prog, int level, char *buf, size_t size);

/* One instruction as tcpdump -d prints it, without the "(NNN) " prefix
 * when bare is nonzero.  Returns like snprintf. */
int bpfcap_cbpf_image(const struct bpfcap_insn *insn, size_t pc, int bare, char *buf, size_t size);

/* ---- running filters -------------------------------------------------------- */

/* Packet metadata: what cBPF's Linux ancillary loads (SKF_AD_*) and the
 * negative offset SKF_NET_OFF read.  Host byte order throughout.  Live it
 * comes from the ring's headers; offline from a LINUX_SLL/SLL2 header
 * (or zeros). */
struct bpfcap_pkt_meta {
	uint32_t pkt_type;     /* SKF_AD_PKTTYPE: PACKET_HOST ... PACKET_OUTGOING */
	uint32_t ifindex;      /* SKF_AD_IFINDEX */
	uint32_t protocol;     /* SKF_AD_PROTOCOL: the EtherType (skb->protocol) */
	uint32_t vlan_tci;     /* SKF_AD_VLAN_TAG */
	uint32_t vlan_present; /* SKF_AD_VLAN_TAG_PRESENT: 0 or 1 */
	uint32_t vlan_tpid;    /* SKF_AD_VLAN_TPID */
	uint32_t mark;         /* SKF_AD_MARK */
	uint32_t hash;         /* SKF_AD_RXHASH */
	uint32_t queue;        /* SKF_AD_QUEUE */
	uint32_t hatype;       /* SKF_AD_HATYPE: ARPHRD_* */
	uint32_t net_off;      /* where the network header starts in the packet */
};

/* Where a loaded filter runs in userspace. */
enum bpfcap_engine {
	BPFCAP_ENGINE_JIT = 0,    /* x86-64 native code (the default) */
	BPFCAP_ENGINE_INTERP = 1, /* the eBPF interpreter */
};

/* A classic program translated to eBPF (direct target), verified, and
 * loaded into an engine.  Opaque; one per thread at a time. */
struct bpfcap_filter;

int bpfcap_filter_load(const struct bpfcap_prog *cbpf, enum bpfcap_engine engine,
		       struct bpfcap_filter **out, struct bpfcap_error *err);

/* The filter's verdict on data[0..caplen) of a packet wirelen bytes long:
 * 0 rejects, otherwise the number of bytes to keep (cBPF's return value).
 * meta may be NULL (all zero). */
uint32_t bpfcap_filter_run(struct bpfcap_filter *f, const uint8_t *data, uint32_t caplen,
			   uint32_t wirelen, const struct bpfcap_pkt_meta *meta);

void bpfcap_filter_free(struct bpfcap_filter *f);

/* ---- counting in a map (--count, --stats) ----------------------------------- */

/* What a counting program adds up (the value of its map; docs/DESIGN.md
 * "vm/maps").  Bytes are wire lengths. */
struct bpfcap_counts {
	uint64_t seen_packets;    /* every packet the program ran on (COUNT_STATS only) */
	uint64_t seen_bytes;
	uint64_t matched_packets; /* packets the filter accepted */
	uint64_t matched_bytes;
};

enum bpfcap_count_mode {
	BPFCAP_COUNT_ONLY = 0,  /* count matches; the program rejects every packet */
	BPFCAP_COUNT_STATS = 1, /* count seen and matched; the filter's verdict is kept */
};

/* A classic program made into a counting program (direct target) over a
 * userspace map, verified, and loaded into an engine: the same program
 * shape the kernel runs for live --count (vm/map_kernel.h).  Opaque; one
 * per thread at a time. */
struct bpfcap_counter;

int bpfcap_counter_load(const struct bpfcap_prog *cbpf, enum bpfcap_engine engine,
			enum bpfcap_count_mode mode, struct bpfcap_counter **out,
			struct bpfcap_error *err);

/* Runs the program on one packet (arguments as bpfcap_filter_run) and
 * returns what it returns: 0 in COUNT_ONLY mode, the filter's verdict in
 * COUNT_STATS mode. */
uint32_t bpfcap_counter_run(struct bpfcap_counter *c, const uint8_t *data, uint32_t caplen,
			    uint32_t wirelen, const struct bpfcap_pkt_meta *meta);

/* The totals so far. */
void bpfcap_counter_read(const struct bpfcap_counter *c, struct bpfcap_counts *out);

void bpfcap_counter_free(struct bpfcap_counter *c);

#ifdef __cplusplus
}
#endif

#endif
