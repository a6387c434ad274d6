/* Shared test helpers: see harness.h. */
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"

/* ---- packets ------------------------------------------------------------ */

int th_pcap_load(const char *path, struct th_pcap *out, char *err, size_t errsz)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	memset(out, 0, sizeof *out);
	pcap_t *p = pcap_open_offline(path, ebuf);
	if (!p) {
		snprintf(err, errsz, "%s: %s", path, ebuf);
		return -1;
	}
	out->dlt = pcap_datalink(p);
	size_t cap = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		if (out->count == cap) {
			cap = cap ? cap * 2 : 256;
			struct th_packet *n = realloc(out->pkts, cap * sizeof *n);
			if (!n)
				goto nomem;
			out->pkts = n;
		}
		struct th_packet *pk = &out->pkts[out->count];
		pk->caplen = h->caplen;
		pk->wirelen = h->len;
		pk->data = malloc(h->caplen ? h->caplen : 1);
		if (!pk->data)
			goto nomem;
		memcpy(pk->data, data, h->caplen);
		out->count++;
	}
	if (rc == -1) {
		snprintf(err, errsz, "%s: %s", path, pcap_geterr(p));
		pcap_close(p);
		th_pcap_free(out);
		return -1;
	}
	pcap_close(p);
	return 0;
nomem:
	snprintf(err, errsz, "%s: out of memory", path);
	pcap_close(p);
	th_pcap_free(out);
	return -1;
}

void th_pcap_free(struct th_pcap *pf)
{
	for (size_t i = 0; i < pf->count; i++)
		free(pf->pkts[i].data);
	free(pf->pkts);
	memset(pf, 0, sizeof *pf);
}

unsigned th_run(const struct bpf_insn *insns, const struct th_packet *p)
{
	return bpf_filter(insns, p->data, p->wirelen, p->caplen);
}

/* ---- compiling ------------------------------------------------------------ */

int th_libpcap_compile(int dlt, const char *expr, int optimize, uint32_t netmask,
		       uint32_t snaplen, struct bpf_program *prog, char *err, size_t errsz)
{
	pcap_t *p = pcap_open_dead(dlt, snaplen ? (int)snaplen : 262144);
	memset(prog, 0, sizeof *prog);
	if (!p) {
		snprintf(err, errsz, "pcap_open_dead(%d) failed", dlt);
		return -1;
	}
	int rc = pcap_compile(p, prog, expr, optimize,
			      netmask ? netmask : PCAP_NETMASK_UNKNOWN);
	if (rc < 0)
		snprintf(err, errsz, "%s", pcap_geterr(p));
	pcap_close(p);
	return rc < 0 ? -1 : 0;
}

int th_bpfcap_compile(int dlt, const char *expr, int optimize, uint32_t netmask,
		      uint32_t snaplen, struct bpfcap_prog *prog, struct bpfcap_error *err)
{
	struct bpfcap_compile_opts o = {
		.linktype = dlt,
		.snaplen = snaplen,
		.mode = BPFCAP_MODE_OFFLINE,
		.optimize = optimize,
		.netmask_known = netmask != 0, /* 0 stands for PCAP_NETMASK_UNKNOWN here */
		.netmask = netmask,
	};
	memset(err, 0, sizeof *err);
	return bpfcap_compile(expr, &o, prog, err);
}

static const char *const lt_names[4][2] = {
	{ "EN10MB", "en10mb" },
	{ "RAW", "raw" },
	{ "LINUX_SLL", "sll" },
	{ "LINUX_SLL2", "sll2" },
};

size_t th_linktypes(struct th_linktype out[4])
{
	for (size_t i = 0; i < 4; i++) {
		out[i].name = lt_names[i][0];
		out[i].stem = lt_names[i][1];
		out[i].pcap_dlt = pcap_datalink_name_to_val(lt_names[i][0]);
		out[i].bpfcap_dlt = bpfcap_linktype_from_name(lt_names[i][0]);
	}
	return 4;
}

int th_linktype_by_name(const char *name, struct th_linktype *out)
{
	struct th_linktype all[4];
	size_t n = th_linktypes(all);
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(name, all[i].name) == 0) {
			*out = all[i];
			return 0;
		}
	return -1;
}

/* ---- files and environment ------------------------------------------------ */

char *th_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
			cap *= 2;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int th_list_load(const char *path, struct th_list *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	char *text = th_slurp(path, NULL);
	if (!text) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno ? errno : EIO));
		return -1;
	}
	size_t cap = 0;
	int lineno = 0;

	for (char *line = text, *next; line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		size_t l = strlen(line);
		while (l && (line[l - 1] == ' ' || line[l - 1] == '\t' || line[l - 1] == '\r'))
			line[--l] = '\0';
		if (l == 0 || line[0] == '#')
			continue;
		if (strcmp(line, "<empty>") == 0)
			line[0] = '\0';
		if (out->count == cap) {
			cap = cap ? cap * 2 : 128;
			char **ni = realloc(out->items, cap * sizeof *ni);
			if (ni)
				out->items = ni;
			int *nl = realloc(out->lineno, cap * sizeof *nl);
			if (nl)
				out->lineno = nl;
			if (!ni || !nl) {
				snprintf(err, errsz, "out of memory");
				free(text);
				th_list_free(out);
				return -1;
			}
		}
		out->items[out->count] = strdup(line);
		out->lineno[out->count] = lineno;
		out->count++;
	}

	free(text);
	return (int)out->count;
}

void th_list_free(struct th_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	free(l->lineno);
	memset(l, 0, sizeof *l);
}

char *th_asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

char *th_oneline(const char *expr, size_t max)
{
	size_t n = strlen(expr);
	char *out = malloc(max * 4 + 64), *o = out;
	if (!out)
		return NULL;
	size_t i;
	for (i = 0; i < n && (size_t)(o - out) < max; i++) {
		unsigned char ch = (unsigned char)expr[i];
		if (ch == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (ch == '\t') {
			*o++ = '\\';
			*o++ = 't';
		} else if (ch < 0x20 || ch == 0x7f) {
			o += sprintf(o, "\\x%02x", ch);
		} else {
			*o++ = (char)ch;
		}
	}
	*o = '\0';
	if (i < n)
		sprintf(o, "...(%zu bytes)", n);
	return out;
}

double th_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *th_corpus_dir(void)
{
	const char *d = getenv("BPFCAP_CORPUS");
	return d && *d ? d : "build/corpus";
}

static int is_dir(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The repository's top directory from git, or NULL. */
static char *git_toplevel(void)
{
	FILE *f = popen("git rev-parse --show-toplevel 2>/dev/null", "r");
	if (!f)
		return NULL;
	char buf[4096];
	char *r = NULL;
	if (fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0])
			r = strdup(buf);
	}
	pclose(f);
	return r;
}

char *th_shared_dir(void)
{
	const char *env = getenv("BPFCAP_SHARED");
	if (env && *env)
		return is_dir(env) ? strdup(env) : NULL;
	char *top = git_toplevel();
	if (top) {
		char *p = th_asprintf("%s/../shared", top);
		free(top);
		if (is_dir(p))
			return p;
		free(p);
	}
	return is_dir("../shared") ? strdup("../shared") : NULL;
}

char *th_tests_dir(void)
{
	const char *env = getenv("BPFCAP_TESTS");
	if (env && *env)
		return strdup(env);
	if (is_dir("tests/diff"))
		return strdup("tests");
	char *top = git_toplevel();
	if (top) {
		char *p = th_asprintf("%s/tests", top);
		free(top);
		return p;
	}
	return strdup("tests");
}

/* ---- JSON ------------------------------------------------------------------ */

struct jp {
	const char *s;
	char *err;
	size_t errsz;
	int failed;
};

static void jp_fail(struct jp *p, const char *what)
{
	if (!p->failed)
		snprintf(p->err, p->errsz, "JSON: %s near '%.20s'", what, p->s);
	p->failed = 1;
}

static void jp_ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static void put_utf8(char **o, unsigned c)
{
	if (c < 0x80) {
		*(*o)++ = (char)c;
	} else if (c < 0x800) {
		*(*o)++ = (char)(0xc0 | (c >> 6));
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*(*o)++ = (char)(0xe0 | (c >> 12));
		*(*o)++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	} else {
		*(*o)++ = (char)(0xf0 | (c >> 18));
		*(*o)++ = (char)(0x80 | ((c >> 12) & 0x3f));
		*(*o)++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	}
}

static int hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int c = s[i];
		if (!isxdigit(c))
			return -1;
		*v = *v * 16 + (unsigned)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
	}
	return 0;
}

static char *jp_string(struct jp *p)
{
	/* p->s is at the opening quote; the decoded form is never longer. */
	const char *start = ++p->s;
	size_t max = 0;
	while (start[max] && start[max] != '"') {
		if (start[max] == '\\' && start[max + 1])
			max++;
		max++;
	}
	char *out = malloc(max * 2 + 8), *o = out;
	if (!out) {
		jp_fail(p, "out of memory");
		return NULL;
	}
	while (*p->s && *p->s != '"') {
		char c = *p->s++;
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = *p->s++;
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned v;
			if (hex4(p->s, &v)) {
				jp_fail(p, "bad \\u escape");
				free(out);
				return NULL;
			}
			p->s += 4;
			if (v >= 0xd800 && v < 0xdc00 && p->s[0] == '\\' && p->s[1] == 'u') {
				unsigned lo;
				if (hex4(p->s + 2, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
					v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
					p->s += 6;
				}
			}
			put_utf8(&o, v);
			break;
		}
		default:
			jp_fail(p, "bad escape");
			free(out);
			return NULL;
		}
	}
	if (*p->s != '"') {
		jp_fail(p, "unterminated string");
		free(out);
		return NULL;
	}
	p->s++;
	*o = '\0';
	return out;
}

static void jp_value(struct jp *p, struct th_json *v, int depth);

static void jp_push(struct jp *p, struct th_json *v, size_t *cap)
{
	if (v->count == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		struct th_json *ni = realloc(v->items, *cap * sizeof *ni);
		if (!ni) {
			jp_fail(p, "out of memory");
			return;
		}
		v->items = ni;
		if (v->type == TJ_OBJECT) {
			char **nk = realloc(v->keys, *cap * sizeof *nk);
			if (!nk) {
				jp_fail(p, "out of memory");
				return;
			}
			v->keys = nk;
		}
	}
	memset(&v->items[v->count], 0, sizeof v->items[0]);
	if (v->type == TJ_OBJECT)
		v->keys[v->count] = NULL;
	v->count++;
}

static void jp_value(struct jp *p, struct th_json *v, int depth)
{
	memset(v, 0, sizeof *v);
	jp_ws(p);
	if (depth > 64) {
		jp_fail(p, "nested too deeply");
		return;
	}
	char c = *p->s;
	if (c == '"') {
		v->type = TJ_STRING;
		v->string = jp_string(p);
	} else if (c == '[' || c == '{') {
		v->type = c == '[' ? TJ_ARRAY : TJ_OBJECT;
		char close = c == '[' ? ']' : '}';
		size_t cap = 0;
		p->s++;
		jp_ws(p);
		if (*p->s == close) {
			p->s++;
			return;
		}
		for (;;) {
			jp_push(p, v, &cap);
			if (p->failed)
				return;
			if (v->type == TJ_OBJECT) {
				jp_ws(p);
				if (*p->s != '"') {
					jp_fail(p, "expected a key");
					return;
				}
				v->keys[v->count - 1] = jp_string(p);
				if (p->failed)
					return;
				jp_ws(p);
				if (*p->s != ':') {
					jp_fail(p, "expected ':'");
					return;
				}
				p->s++;
			}
			jp_value(p, &v->items[v->count - 1], depth + 1);
			if (p->failed)
				return;
			jp_ws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			if (*p->s == close) {
				p->s++;
				return;
			}
			jp_fail(p, "expected ',' or a closing bracket");
			return;
		}
	} else if (strncmp(p->s, "true", 4) == 0) {
		v->type = TJ_BOOL;
		v->number = 1;
		p->s += 4;
	} else if (strncmp(p->s, "false", 5) == 0) {
		v->type = TJ_BOOL;
		p->s += 5;
	} else if (strncmp(p->s, "null", 4) == 0) {
		v->type = TJ_NULL;
		p->s += 4;
	} else if (c == '-' || isdigit((unsigned char)c)) {
		char *end;
		v->type = TJ_NUMBER;
		v->number = strtod(p->s, &end);
		if (end == p->s)
			jp_fail(p, "bad number");
		p->s = end;
	} else {
		jp_fail(p, "unexpected character");
	}
}

static void json_clear(struct th_json *j)
{
	free(j->string);
	for (size_t i = 0; i < j->count; i++) {
		json_clear(&j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
}

struct th_json *th_json_parse(const char *text, char *err, size_t errsz)
{
	struct jp p = { text, err, errsz, 0 };
	struct th_json *j = calloc(1, sizeof *j);
	if (!j) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	jp_value(&p, j, 0);
	if (!p.failed) {
		jp_ws(&p);
		if (*p.s)
			jp_fail(&p, "trailing characters");
	}
	if (p.failed) {
		th_json_free(j);
		return NULL;
	}
	return j;
}

void th_json_free(struct th_json *j)
{
	if (!j)
		return;
	json_clear(j);
	free(j);
}

const struct th_json *th_json_get(const struct th_json *obj, const char *key)
{
	if (!obj || obj->type != TJ_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->count; i++)
		if (obj->keys[i] && strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

const char *th_json_str(const struct th_json *obj, const char *key)
{
	const struct th_json *v = th_json_get(obj, key);
	return v && v->type == TJ_STRING ? v->string : NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double th_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void th_for_each_capture(const char *dir, void (*fn)(void *ctx, const char *path), void *ctx)
{
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if ((l > 5 && !strcmp(e->d_name + l - 5, ".pcap")) || (l > 7 && !strcmp(e->d_name + l - 7, ".pcapng"))) {
			char path[8192];
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			fn(ctx, path);
		}
	}
	closedir(d);
}
