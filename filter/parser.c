/* Placeholder parser: accepts only the empty expression. Replaced by the
 * recursive-descent parser. */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "bpfcap.h"
#include "error.h"

struct ast_chunk {
	struct ast_chunk *next;
	max_align_t data[];
};

void *ast_alloc(struct ast_arena *arena, size_t size)
{
	struct ast_chunk *c = calloc(1, sizeof *c + size);
	if (!c)
		return NULL;
	c->next = arena->head;
	arena->head = c;
	return c->data;
}

char *ast_strndup(struct ast_arena *arena, const char *s, size_t n)
{
	char *d = ast_alloc(arena, n + 1);
	if (d)
		memcpy(d, s, n);
	return d;
}

void ast_arena_free(struct ast_arena *arena)
{
	while (arena->head) {
		struct ast_chunk *c = arena->head;
		arena->head = c->next;
		free(c);
	}
}

const char *ast_proto_name(enum ast_proto p)
{
	(void)p;
	return "?";
}

int filter_parse(const char *expr, struct ast_arena *arena, struct ast_node **root,
		 struct bpfcap_error *err)
{
	if (expr && expr[strspn(expr, " \t\n")] != '\0')
		return bpfcap_fail(err, BPFCAP_E_SYNTAX, 0, 1, "parser not implemented");
	*root = ast_alloc(arena, sizeof **root);
	if (!*root)
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	(*root)->kind = AK_TRUE;
	return 0;
}
