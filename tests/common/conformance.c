/* The bpf_conformance test files: parser (see conformance.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap * 2 : 256) + n;
		char *q = realloc(*buf, nc);
		if (!q)
			return -1;
		*buf = q;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	while (*s == ' ' || *s == '\t')
		s++;
	int neg = *s == '-';
	if (neg)
		s++;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	while (*end == ' ' || *end == '\t' || *end == '\r')
		end++;
	if (errno || end == s || *end)
		return -1;
	*v = neg ? -(uint64_t)x : (uint64_t)x;
	return 0;
}

int conf_parse(char *text, struct conf_test *t, char *why, size_t whysz)
{
	enum { NONE, ASM, MEM, RESULT, RAW, IGNORE } sec = NONE;
	memset(t, 0, sizeof *t);
	int lineno = 0;
	for (char *line = text, *next; line && *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (!strncmp(line, "-- ", 3)) {
			const char *name = line + 3;
			if (!strcmp(name, "asm"))
				sec = ASM;
			else if (!strcmp(name, "mem"))
				sec = MEM;
			else if (!strcmp(name, "result"))
				sec = RESULT;
			else if (!strcmp(name, "raw"))
				sec = RAW;
			else if (!strcmp(name, "c") || !strcmp(name, "no register offset"))
				sec = IGNORE;
			else {
				snprintf(why, whysz, "line %d: unknown section '%s'", lineno, name);
				return -1;
			}
			continue;
		}
		if (sec != ASM && sec != IGNORE && line[0] == '#')
			continue;
		switch (sec) {
		case ASM:
			/* Line numbers in assembler messages count from the asm section. */
			if (append(&t->asm_text, &t->asm_len, &t->asm_cap, line, n) ||
			    append(&t->asm_text, &t->asm_len, &t->asm_cap, "\n", 1))
				return snprintf(why, whysz, "out of memory"), -1;
			break;
		case MEM:
			for (char *p = strtok(line, " \t"); p; p = strtok(NULL, " \t")) {
				char *end;
				unsigned long b = strtoul(p, &end, 16);
				if (*end || b > 255) {
					snprintf(why, whysz, "line %d: bad byte '%s' in -- mem", lineno, p);
					return -1;
				}
				if (t->mem_len == t->mem_cap) {
					t->mem_cap = t->mem_cap ? t->mem_cap * 2 : 64;
					uint8_t *q = realloc(t->mem, t->mem_cap);
					if (!q)
						return snprintf(why, whysz, "out of memory"), -1;
					t->mem = q;
				}
				t->mem[t->mem_len++] = (uint8_t)b;
			}
			break;
		case RESULT:
			if (!n)
				break;
			if (t->has_result || parse_u64(line, &t->result)) {
				snprintf(why, whysz, "line %d: bad -- result '%s'", lineno, line);
				return -1;
			}
			t->has_result = 1;
			break;
		case RAW:
			if (!n)
				break;
			if (t->nraw == sizeof t->raw / sizeof t->raw[0] || parse_u64(line, &t->raw[t->nraw])) {
				snprintf(why, whysz, "line %d: bad -- raw word '%s'", lineno, line);
				return -1;
			}
			t->nraw++;
			break;
		case NONE:
			if (n && line[0] != '#') {
				snprintf(why, whysz, "line %d: text before any section", lineno);
				return -1;
			}
			break;
		case IGNORE:
			break;
		}
	}
	if (!t->asm_text) {
		snprintf(why, whysz, "no -- asm section");
		return -1;
	}
	if (!t->has_result) {
		snprintf(why, whysz, "no -- result section");
		return -1;
	}
	return 0;
}

void conf_free(struct conf_test *t)
{
	free(t->asm_text);
	free(t->mem);
}

uint64_t conf_raw_word(const struct ebpf_insn *in)
{
	return (uint64_t)in->code | (uint64_t)(in->dst | in->src << 4) << 8 |
	       (uint64_t)(uint16_t)in->off << 16 | (uint64_t)(uint32_t)in->imm << 32;
}

uint64_t conf_helper_unwind(void *user, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			      uint64_t r5)
{
	return r1;
}

void conf_group_of(const char *name, char *g, size_t size)
{
	if (!strncmp(name, "rfc9669_", 8)) {
		snprintf(g, size, "rfc9669");
		return;
	}
	size_t k = 0;
	while (name[k] && ((name[k] >= 'a' && name[k] <= 'z') || (name[k] >= 'A' && name[k] <= 'Z')) &&
	       k < size - 1) {
		g[k] = name[k];
		k++;
	}
	g[k] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **conf_list(const char *dir, size_t *np)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".data"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 512;
			char **q = realloc(names, cap * sizeof *names);
			if (!q)
				abort();
			names = q;
		}
		names[n++] = strndup(e->d_name, l - 5);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	*np = n;
	if (!names)
		names = calloc(1, sizeof *names);
	return names;
}

void conf_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
