/* File rotation as tcpdump 4.99's dump_packet_and_trunc does it (the
 * order matters: the time check comes first and restarts the size count). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rotate.h"

struct rotator {
	struct rotate_opts ro;
	struct pcapout_opts po;
	struct pcapin_iface first;
	struct pcapout *out;
	char current[PATH_MAX + 1];
	int width;          /* digits of the file number (-W) */
	int size_count;     /* tcpdump's Cflag_count */
	int time_count;     /* tcpdump's Gflag_count */
	time_t opened_at;   /* tcpdump's Gflag_time */
};

int rotate_count_width(int max_files)
{
	int c = 0;
	for (int x = max_files - 1; x > 0; x /= 10)
		c++;
	return c;
}

static time_t now(const struct rotator *r)
{
	return r->ro.clock ? r->ro.clock(r->ro.clock_ctx) : time(NULL);
}

/* tcpdump's MakeFilename: strftime with -G, then the count unless it is
 * 0 and no width was asked for. */
static int make_name(struct rotator *r, int count, int width, char *err, size_t errlen)
{
	char base[PATH_MAX + 1];
	if (r->ro.seconds) {
		struct tm tm;
		if (!localtime_r(&r->opened_at, &tm)) {
			snprintf(err, errlen, "localtime: %s", strerror(errno));
			return -1;
		}
		if (strftime(base, sizeof base, r->ro.name, &tm) == 0 && *r->ro.name) {
			snprintf(err, errlen, "%s: the file name is empty or too long after strftime",
				 r->ro.name);
			return -1;
		}
	} else {
		snprintf(base, sizeof base, "%s", r->ro.name);
	}
	int n = count == 0 && width == 0
			? snprintf(r->current, sizeof r->current, "%s", base)
			: snprintf(r->current, sizeof r->current, "%s%0*d", base, width, count);
	if (n < 0 || (size_t)n >= sizeof r->current) {
		snprintf(err, errlen, "too many output files or file name too long (> %d)", PATH_MAX);
		return -1;
	}
	return 0;
}

static int open_current(struct rotator *r, char *err, size_t errlen)
{
	int fd;
	if (strcmp(r->current, "-") == 0 && !r->ro.seconds && !r->ro.size_limit)
		fd = 1;
	else
		fd = open(r->current, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", r->current, strerror(errno));
		return -1;
	}
	return pcapout_open(fd, r->current, &r->po, &r->first, &r->out, err, errlen);
}

static int close_current(struct rotator *r, char *err, size_t errlen)
{
	int rc = pcapout_close(r->out, err, errlen);
	r->out = NULL;
	return rc;
}

int rotator_open(const struct rotate_opts *ro, const struct pcapout_opts *po,
		 const struct pcapin_iface *first, struct rotator **out, char *err, size_t errlen)
{
	struct rotator *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->ro = *ro;
	r->po = *po;
	r->first = *first;
	r->width = ro->max_files ? rotate_count_width(ro->max_files) : 0;
	r->opened_at = now(r);
	/* Numbering only with -C (tcpdump: "We do not need numbering for
	 * dumpfiles if Cflag isn't set"). */
	if (make_name(r, 0, ro->size_limit ? r->width : 0, err, errlen) ||
	    open_current(r, err, errlen)) {
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}

/* -G: a new file when the period has passed.  1 when -W says stop. */
static int rotate_on_time(struct rotator *r, char *err, size_t errlen)
{
	time_t t = now(r);
	if (t - r->opened_at < r->ro.seconds)
		return 0;
	r->opened_at = t;
	r->time_count++;
	if (close_current(r, err, errlen))
		return -1;
	if (!r->ro.size_limit && r->ro.max_files && r->time_count >= r->ro.max_files)
		return 1;
	r->size_count = 0;
	if (make_name(r, 0, r->ro.size_limit ? r->width : 0, err, errlen))
		return -1;
	return open_current(r, err, errlen);
}

/* -C: a new file once this one is past the limit. */
static int rotate_on_size(struct rotator *r, char *err, size_t errlen)
{
	if ((int64_t)pcapout_size(r->out) <= r->ro.size_limit)
		return 0;
	if (close_current(r, err, errlen))
		return -1;
	r->size_count++;
	if (r->ro.max_files && r->size_count >= r->ro.max_files)
		r->size_count = 0;
	if (make_name(r, r->size_count, r->width, err, errlen))
		return -1;
	return open_current(r, err, errlen);
}

int rotator_write(struct rotator *r, const struct pcap_record *rec, uint32_t iface_index,
		  const struct pcapin_iface *iface, char *err, size_t errlen)
{
	if (r->ro.seconds) {
		int rc = rotate_on_time(r, err, errlen);
		if (rc)
			return rc;
	}
	if (r->ro.size_limit && rotate_on_size(r, err, errlen))
		return -1;
	return pcapout_write(r->out, rec, iface_index, iface, err, errlen);
}

const char *rotator_current(const struct rotator *r)
{
	return r->current;
}

int rotator_flush(struct rotator *r, char *err, size_t errlen)
{
	return r->out ? pcapout_flush(r->out, err, errlen) : 0;
}

int rotator_close(struct rotator *r, char *err, size_t errlen)
{
	if (!r)
		return 0;
	int rc = r->out ? close_current(r, err, errlen) : 0;
	free(r);
	return rc;
}
