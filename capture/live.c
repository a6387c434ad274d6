/* Live capture: see live.h.
 *
 * Setup order (issue 6): the packet socket is opened with protocol 0 and
 * receives nothing; the filter is attached; only then the ring is mapped
 * and the socket bound, so no unfiltered packet is ever in the ring.
 * Output files are opened before -Z gives up root.
 *
 * The loop takes a whole block at a time: every frame of the block goes
 * through the (userspace) filter and the sinks, the printer writes the
 * block's text with one write(2), the block goes back to the kernel.
 *
 * Stopping (SIGINT, SIGTERM): userspace cannot retire the block the kernel
 * is filling, so a reject-all filter goes on the socket first (nothing new
 * enters the ring), the retire timer closes the open block, we drain it,
 * and only then exit: no packet the kernel accepted is lost. */
#include "live.h"

#include <errno.h>
#include <grp.h>
#include <pcap/pcap.h> /* link-type names for the "listening on" line */
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "frame.h"
#include "iface.h"
#include "live_filter.h"
#include "print_sink.h"
#include "protocols.h"
#include "ring.h"
#include "rotate.h"

#define DEFAULT_SNAPLEN 262144u
/* A quiet link's packets wait at most this long.  Each retired block costs
 * a wakeup (about 0.1 ms of CPU here): at 10 ms a sparse stream woke us
 * 100 times a second, 3.5x tcpdump's CPU for a 1-in-100 filter
 * (bench_live); at 100 ms it is 16 wakeups a burst, while a person
 * watching printed packets still sees them at once (tcpdump: 1,000 ms). */
#define DEFAULT_BLOCK_TOV_MS 100u
#define IMMEDIATE_BLOCK_TOV_MS 1u /* --immediate-mode */

/* The signal that asked us to stop (0: none).  A handler can only talk to
 * the loop through a variable like this one: the command line's only
 * mutable global. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

struct live {
	const struct options *o;
	struct iface ifc;
	struct ring *ring;
	struct live_filter filter;
	uint32_t snaplen;
	uint32_t block_tov_ms;
	struct pcapin_iface desc; /* link type and snap length, for the writer */
	struct rotator *out;
	struct print_sink *printer;
	unsigned long long captured;
	struct timespec last_got; /* -v -w: the last "Got N" */
	struct timespec started, next_stats, last_stats; /* --stats */
	struct bpfcap_counts last_counts;    /* --stats: the previous report's */
	char err[512];
};

enum live_end { LIVE_GO_ON, LIVE_LIMIT, LIVE_FILE_LIMIT, LIVE_ERROR };

static int install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll returns EINTR and the loop sees the flag. */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGHUP, &sa, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error we report */
	return 0;
}

static int check_flags(const struct options *o)
{
	if (!o->write_file && (o->file_size || o->rotate_seconds || o->file_count || o->pcapng)) {
		fprintf(stderr, "bpfcap: -C, -G, -W and --pcapng need -w\n");
		return 1;
	}
	if (o->write_file && strcmp(o->write_file, "-") == 0 && (o->file_size || o->rotate_seconds)) {
		fprintf(stderr, "bpfcap: -C and -G need a file name, not -w -\n");
		return 1;
	}
	if (o->count_only && o->write_file) {
		fprintf(stderr, "bpfcap: --count writes no file: drop -w or --count\n");
		return 1;
	}
	int kernel = o->engine == ENGINE_DEFAULT || o->engine == ENGINE_KERNEL;
	if (o->count_only && o->count_limit && kernel) {
		fprintf(stderr, "bpfcap: -c cannot stop a live --count: the kernel counts and no packet "
				"reaches bpfcap (--engine=jit counts in userspace)\n");
		return 1;
	}
	if (o->pin_path && !(o->count_only || o->stats_seconds)) {
		fprintf(stderr, "bpfcap: --pin pins the counters map of --count or --stats\n");
		return 1;
	}
	return 0;
}

static int open_sinks(struct live *lv)
{
	const struct options *o = lv->o;
	if (o->write_file) {
		struct rotate_opts ro = {
			.name = o->write_file,
			.size_limit = o->file_size,
			.seconds = o->rotate_seconds,
			.max_files = o->file_count,
		};
		struct pcapout_opts po = { .pcapng = o->pcapng, .nano = o->nano,
					   .filter = o->expression };
		if (rotator_open(&ro, &po, &lv->desc, &lv->out, lv->err, sizeof lv->err)) {
			fprintf(stderr, "bpfcap: %s\n", lv->err);
			return 1;
		}
		return 0;
	}
	if (o->count_only)
		return 0;
	if (!print_sink_supports(lv->ifc.dlt)) {
		fprintf(stderr, "bpfcap: printing link type %d is not supported; use -w\n",
			lv->ifc.dlt);
		return 1;
	}
	lv->printer = print_sink_open(o);
	return lv->printer ? 0 : 1;
}

/* -Z: give up root once everything privileged is open (tcpdump's
 * droproot: supplementary groups, then the group, then the user). */
static int drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		fprintf(stderr, "bpfcap: -Z: unknown user %s\n", user);
		return 1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) || setuid(pw->pw_uid)) {
		fprintf(stderr, "bpfcap: -Z %s: cannot change to that user: %s\n", user,
			strerror(errno));
		return 1;
	}
	return 0;
}

static void report_listening(const struct live *lv)
{
	const struct options *o = lv->o;
	if (!o->vflag && !o->write_file && !o->count_only)
		fprintf(stderr, "bpfcap: verbose output suppressed, use -v[v]... for full protocol "
				"decode\nlistening on %s", lv->ifc.name);
	else
		fprintf(stderr, "bpfcap: listening on %s", lv->ifc.name);
	const char *name = pcap_datalink_val_to_name(lv->ifc.dlt);
	fprintf(stderr, ", link-type %s (%s), snapshot length %u bytes\n", name ? name : "?",
		name ? pcap_datalink_val_to_description(lv->ifc.dlt) : "?", lv->snaplen);
}

/* The frame as libpcap delivers it: headers put back, cut to the snap
 * length.  Returns 1 if it passes the userspace filter (if any). */
static int take_frame(struct live *lv, struct ring_frame *f)
{
	struct bpfcap_pkt_meta meta;
	uint32_t net_off;
	if (lv->ifc.cooked) {
		frame_put_sll2(f);
		net_off = LINUX_SLL2_HDR_LEN;
	} else {
		net_off = lv->ifc.dlt == LINKTYPE_EN10MB ? ETHER_HDR_LEN : 0;
	}
	if (lv->filter.user || lv->filter.elf_in_userspace) {
		/* A live-mode program reads the outer tag from the metadata,
		 * so it runs on the frame as the kernel left it. */
		frame_meta(f, net_off, &meta);
		if (!live_filter_run(&lv->filter, f->data, f->caplen, f->wirelen, &meta))
			return 0;
	}
	if (!lv->ifc.cooked && lv->ifc.dlt == LINKTYPE_EN10MB)
		frame_put_vlan_tag(f);
	if (f->caplen > lv->snaplen)
		f->caplen = lv->snaplen;
	return 1;
}

static enum live_end deliver(struct live *lv, const struct ring_frame *f)
{
	if (lv->out) {
		struct pcap_record rec = {
			.ts_sec = f->ts_sec, .ts_nsec = f->ts_nsec, .caplen = f->caplen,
			.wirelen = f->wirelen, .iface = 0, .data = f->data,
		};
		int rc = rotator_write(lv->out, &rec, 0, &lv->desc, lv->err, sizeof lv->err);
		if (rc == 1)
			return LIVE_FILE_LIMIT;
		if (rc < 0)
			return LIVE_ERROR;
	}
	if (lv->printer && print_sink_packet(lv->printer, lv->ifc.dlt, f->ts_sec, f->ts_nsec,
					     f->caplen, f->wirelen, f->data)) {
		snprintf(lv->err, sizeof lv->err, "cannot print");
		return LIVE_ERROR;
	}
	lv->captured++;
	if (lv->o->count_limit && lv->captured >= (unsigned long long)lv->o->count_limit)
		return LIVE_LIMIT;
	return LIVE_GO_ON;
}

static enum live_end process_block(struct live *lv, struct ring_block *b)
{
	struct ring_frame f;
	enum live_end end = LIVE_GO_ON;
	while (end == LIVE_GO_ON && ring_block_frame(b, &f))
		if (take_frame(lv, &f))
			end = deliver(lv, &f);
	ring_release(lv->ring, b);
	if (lv->printer && print_sink_flush(lv->printer)) {
		snprintf(lv->err, sizeof lv->err, "cannot print");
		return LIVE_ERROR;
	}
	return end;
}

/* -v with -w: tcpdump's once-a-second count on stderr. */
static void report_progress(struct live *lv)
{
	if (!lv->o->vflag || !lv->out)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > lv->last_got.tv_sec) {
		fprintf(stderr, "Got %llu\r", lv->captured);
		lv->last_got = now;
	}
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* --stats=N: running totals on stderr every N seconds, from the kernel's
 * counters map when the kernel counts (the packets its filter rejected
 * are a number only the map knows), else from what reached userspace. */
static void report_running_stats(struct live *lv, int force)
{
	if (!lv->o->stats_seconds)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && seconds_between(&lv->next_stats, &now) < 0)
		return;
	double span = seconds_between(&lv->last_stats, &now);
	if (span <= 0)
		span = 1e-9;
	lv->last_stats = now;
	lv->next_stats.tv_sec += lv->o->stats_seconds;
	struct bpfcap_counts c;
	if (live_filter_counts(&lv->filter, &c) == 0) {
		double rate = (double)(c.matched_packets - lv->last_counts.matched_packets) / span;
		if (lv->filter.kcount_only)
			fprintf(stderr, "bpfcap: %.0fs: %llu packets matched (%llu bytes), %.0f packets/s\n",
				seconds_between(&lv->started, &now),
				(unsigned long long)c.matched_packets, (unsigned long long)c.matched_bytes,
				rate);
		else
			fprintf(stderr, "bpfcap: %.0fs: %llu packets seen (%llu bytes), %llu matched, "
					"%llu rejected in the kernel, %.0f matched/s\n",
				seconds_between(&lv->started, &now),
				(unsigned long long)c.seen_packets, (unsigned long long)c.seen_bytes,
				(unsigned long long)c.matched_packets,
				(unsigned long long)(c.seen_packets - c.matched_packets), rate);
		lv->last_counts = c;
	} else {
		uint64_t received = 0, dropped = 0;
		ring_stats(lv->ring, &received, &dropped);
		fprintf(stderr, "bpfcap: %.0fs: %llu packets captured, %llu received by filter, "
				"%llu dropped by kernel\n",
			seconds_between(&lv->started, &now), lv->captured,
			(unsigned long long)received, (unsigned long long)dropped);
	}
}

static enum live_end capture_loop(struct live *lv)
{
	int wait_ms = lv->o->stats_seconds ? 200 : 1000;
	while (!stop_signal) {
		struct ring_block b;
		int rc = ring_next_block(lv->ring, wait_ms, &b);
		if (rc < 0 && errno != EINTR) {
			snprintf(lv->err, sizeof lv->err, "reading the ring: %s", strerror(errno));
			return LIVE_ERROR;
		}
		if (rc > 0) {
			enum live_end end = process_block(lv, &b);
			if (end != LIVE_GO_ON)
				return end;
			if (lv->out && lv->o->packet_buffered &&
			    rotator_flush(lv->out, lv->err, sizeof lv->err))
				return LIVE_ERROR;
		}
		report_progress(lv);
		report_running_stats(lv, 0);
	}
	return LIVE_GO_ON;
}

/* After a stop signal: nothing new enters the ring, the open block
 * retires within block_tov_ms, and we take what it holds. */
static enum live_end drain(struct live *lv)
{
	if (attach_reject_all(ring_fd(lv->ring)))
		return LIVE_GO_ON; /* the ring keeps filling: there is no end to drain */
	int wait_ms = (int)(3 * lv->block_tov_ms + 50);
	for (;;) {
		struct ring_block b;
		int rc = ring_next_block(lv->ring, wait_ms, &b);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return LIVE_GO_ON;
		enum live_end end = process_block(lv, &b);
		if (end != LIVE_GO_ON)
			return end;
	}
}

/* --count: tcpdump's "N packets" (its --count line for files), from the
 * kernel's map when it counted; -v adds the bytes, as -r --count -v does. */
static void report_count(struct live *lv)
{
	struct bpfcap_counts c = { 0 };
	int in_kernel = live_filter_counts(&lv->filter, &c) == 0;
	unsigned long long n = in_kernel ? c.matched_packets : lv->captured;
	printf("%llu packet%s\n", n, n == 1 ? "" : "s");
	if (lv->o->vflag && in_kernel)
		printf("%llu byte%s on the wire\n", (unsigned long long)c.matched_bytes,
		       c.matched_bytes == 1 ? "" : "s");
	fflush(stdout);
}

/* tcpdump's three lines, from PACKET_STATISTICS. */
static void report_stats(struct live *lv)
{
	uint64_t received = 0, dropped = 0;
	ring_stats(lv->ring, &received, &dropped);
	fprintf(stderr, "%llu packet%s captured\n", lv->captured, lv->captured == 1 ? "" : "s");
	fprintf(stderr, "%llu packet%s received by filter\n", (unsigned long long)received,
		received == 1 ? "" : "s");
	fprintf(stderr, "%llu packet%s dropped by kernel\n", (unsigned long long)dropped,
		dropped == 1 ? "" : "s");
}

static int setup(struct live *lv)
{
	const struct options *o = lv->o;
	char name[IF_NAMESIZE + 4];
	const char *ifname = o->interface;
	if (!ifname) {
		if (iface_default(name, sizeof name, lv->err, sizeof lv->err)) {
			fprintf(stderr, "bpfcap: %s\n", lv->err);
			return 1;
		}
		ifname = name;
	}
	if (iface_lookup(ifname, &lv->ifc, lv->err, sizeof lv->err)) {
		fprintf(stderr, "bpfcap: %s\n", lv->err);
		return 1;
	}
	lv->snaplen = o->snaplen ? o->snaplen : DEFAULT_SNAPLEN;
	lv->desc = (struct pcapin_iface){ .dlt = lv->ifc.dlt, .snaplen = lv->snaplen, .nano = o->nano };
	lv->block_tov_ms = o->immediate ? IMMEDIATE_BLOCK_TOV_MS : DEFAULT_BLOCK_TOV_MS;
	struct ring_opts ro = {
		.ifindex = lv->ifc.ifindex,
		.cooked = lv->ifc.cooked,
		.buffer_kib = o->buffer_kib,
		.block_tov_ms = lv->block_tov_ms,
		.promisc = !o->no_promisc,
	};
	if (ring_open(&ro, &lv->ring, lv->err, sizeof lv->err)) {
		fprintf(stderr, "bpfcap: %s\n", lv->err);
		return 1;
	}
	if (live_filter_setup(o, &lv->ifc, ring_fd(lv->ring), lv->snaplen, &lv->filter))
		return 1;
	if (ring_start(lv->ring, lv->err, sizeof lv->err)) {
		fprintf(stderr, "bpfcap: %s: %s\n", lv->ifc.name, lv->err);
		return 1;
	}
	if (open_sinks(lv))
		return 1;
	if (o->user && drop_privileges(o->user))
		return 1;
	return install_signals() ? 1 : 0;
}

static void teardown(struct live *lv, enum live_end *end)
{
	char err[512];
	if (lv->out && rotator_close(lv->out, err, sizeof err)) {
		if (*end != LIVE_ERROR)
			fprintf(stderr, "bpfcap: %s\n", err);
		*end = LIVE_ERROR;
	}
	print_sink_close(lv->printer);
	live_filter_free(&lv->filter);
	ring_close(lv->ring);
}

int live_run(const struct options *o)
{
	int status = check_flags(o);
	if (status)
		return status;
	struct live lv = { .o = o };
	enum live_end end = LIVE_ERROR;
	if (setup(&lv)) {
		teardown(&lv, &end);
		return 1;
	}
	report_listening(&lv);
	clock_gettime(CLOCK_MONOTONIC, &lv.started);
	lv.next_stats = lv.last_stats = lv.started;
	lv.next_stats.tv_sec += o->stats_seconds;
	end = capture_loop(&lv);
	if (end == LIVE_GO_ON) {
		end = drain(&lv);
		fputc('\n', stderr); /* tcpdump: after the ^C the terminal echoed */
	}
	if (end == LIVE_ERROR)
		fprintf(stderr, "bpfcap: %s\n", lv.err);
	if (end == LIVE_FILE_LIMIT)
		fprintf(stderr, "Maximum file limit reached: %d\n", o->file_count);
	report_running_stats(&lv, 1);
	if (o->count_only)
		report_count(&lv);
	report_stats(&lv);
	teardown(&lv, &end);
	return end == LIVE_ERROR ? 1 : 0;
}

int live_list_interfaces(void)
{
	char err[256];
	if (iface_list(stdout, err, sizeof err)) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return 1;
	}
	return 0;
}
