/* The AST's arena and names.
 *
 * A parse allocates many small nodes and frees them all at once, so the
 * arena is a list of chunks carved by bumping an offset: one malloc per
 * chunk, not per node.  Chunks double in size (up to a cap) so a long
 * expression needs few of them.
 */
#include <arpa/inet.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "ast_dump.h"

enum {
	ARENA_FIRST_CHUNK = 4096,
	ARENA_MAX_CHUNK = 64 * 1024, /* under malloc's mmap threshold: recycled, not faulted in */
};

struct ast_chunk {
	struct ast_chunk *next;
	size_t used, cap;  /* bytes of data[] handed out, and available */
	max_align_t data[];
};

static struct ast_chunk *chunk_new(size_t cap)
{
	/* calloc: ast_alloc promises zeroed memory, and bump allocation never
	 * reuses a byte, so zeroing each chunk once is enough. */
	struct ast_chunk *c = calloc(1, sizeof *c + cap);
	if (c)
		c->cap = cap;
	return c;
}

void *ast_alloc(struct ast_arena *arena, size_t size)
{
	const size_t align = alignof(max_align_t);
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX / 2)
		return NULL;
	size = (size + align - 1) & ~(align - 1);

	struct ast_chunk *head = arena->head;
	if (head && head->cap - head->used >= size) {
		void *p = (char *)head->data + head->used;
		head->used += size;
		return p;
	}

	size_t cap = head ? head->cap * 2 : ARENA_FIRST_CHUNK;
	if (cap > ARENA_MAX_CHUNK)
		cap = ARENA_MAX_CHUNK;
	if (cap < size) {
		/* An outsized request gets a chunk of its own, kept behind the
		 * current one so the current one's free space stays in use. */
		struct ast_chunk *big = chunk_new(size);
		if (!big)
			return NULL;
		big->used = size;
		if (head) {
			big->next = head->next;
			head->next = big;
		} else {
			arena->head = big;
		}
		return big->data;
	}
	struct ast_chunk *c = chunk_new(cap);
	if (!c)
		return NULL;
	c->next = head;
	arena->head = c;
	c->used = size;
	return c->data;
}

char *ast_strndup(struct ast_arena *arena, const char *s, size_t n)
{
	char *d = ast_alloc(arena, n + 1);
	if (d)
		memcpy(d, s, n); /* the terminator is already zero */
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

/* The qualifier as pcap-filter(7) spells it (AP_LINK as "link", which
 * libpcap treats like ether/fddi/tr/wlan/ppp/slip). */
const char *ast_proto_name(enum ast_proto p)
{
	static const char *const names[AP__COUNT] = {
		[AP_DEFAULT] = "default", [AP_LINK] = "link", [AP_IP] = "ip", [AP_IP6] = "ip6",
		[AP_ARP] = "arp", [AP_RARP] = "rarp", [AP_TCP] = "tcp", [AP_UDP] = "udp",
		[AP_SCTP] = "sctp", [AP_ICMP] = "icmp", [AP_ICMP6] = "icmp6", [AP_IGMP] = "igmp",
		[AP_IGRP] = "igrp", [AP_PIM] = "pim", [AP_AH] = "ah", [AP_ESP] = "esp",
		[AP_VRRP] = "vrrp", [AP_CARP] = "carp", [AP_RADIO] = "radio", [AP_DECNET] = "decnet",
		[AP_LAT] = "lat", [AP_SCA] = "sca", [AP_MOPRC] = "moprc", [AP_MOPDL] = "mopdl",
		[AP_ATALK] = "atalk", [AP_AARP] = "aarp", [AP_ISO] = "iso", [AP_ESIS] = "esis",
		[AP_ISIS] = "isis", [AP_CLNP] = "clnp", [AP_STP] = "stp", [AP_IPX] = "ipx",
		[AP_NETBEUI] = "netbeui", [AP_L1] = "l1", [AP_L2] = "l2", [AP_IIH] = "iih",
		[AP_LSP] = "lsp", [AP_SNP] = "snp", [AP_CSNP] = "csnp", [AP_PSNP] = "psnp",
	};
	if ((unsigned)p >= AP__COUNT || !names[p])
		return "?";
	return names[p];
}

/* ---- ast_dump ------------------------------------------------------- */

/* Output that counts what it could not store, so the caller can size a
 * buffer from the return value as with snprintf. */
struct dump_out {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3)))
static void out_printf(struct dump_out *o, const char *fmt, ...)
{
	char *dst = o->len < o->size ? o->buf + o->len : NULL;
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static const char *dir_name(unsigned d)
{
	static const char *const names[] = { "-", "src", "dst", "src-or-dst", "src-and-dst",
					     "addr1", "addr2", "addr3", "addr4", "ra", "ta" };
	return d < sizeof names / sizeof names[0] ? names[d] : "?";
}

static const char *type_name(unsigned t)
{
	static const char *const names[] = { "-", "host", "net", "port", "portrange",
					     "gateway", "proto", "protochain" };
	return t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static const char *qual_proto_name(unsigned p)
{
	return p == AP_DEFAULT ? "-" : ast_proto_name((enum ast_proto)p);
}

static void dump_v4(struct dump_out *o, uint32_t a)
{
	out_printf(o, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void dump_id(struct dump_out *o, const struct ast_id *id)
{
	char v6[INET6_ADDRSTRLEN];
	switch (id->kind) {
	case AID_NAME:
		out_printf(o, "name:%s", id->text ? id->text : "");
		break;
	case AID_NUM:
		out_printf(o, "num:%u", id->v4);
		break;
	case AID_IPV4:
	case AID_IPV4_LEN:
	case AID_IPV4_MASK:
		out_printf(o, "v4:");
		dump_v4(o, id->v4);
		out_printf(o, "#%u", id->v4_parts);
		if (id->kind == AID_IPV4_LEN)
			out_printf(o, "/%d", id->prefix);
		if (id->kind == AID_IPV4_MASK) {
			out_printf(o, "&");
			dump_v4(o, id->v4_mask);
		}
		break;
	case AID_IPV6:
	case AID_IPV6_LEN:
		if (!inet_ntop(AF_INET6, id->v6, v6, sizeof v6))
			v6[0] = '\0';
		out_printf(o, "v6:%s", v6);
		if (id->kind == AID_IPV6_LEN)
			out_printf(o, "/%d", id->prefix);
		break;
	case AID_MAC:
		out_printf(o, "mac:%02x:%02x:%02x:%02x:%02x:%02x", id->mac[0], id->mac[1],
			   id->mac[2], id->mac[3], id->mac[4], id->mac[5]);
		break;
	default:
		out_printf(o, "?id");
	}
}

static void dump_arith(struct dump_out *o, const struct ast_arith *a)
{
	static const char *const binops[] = { "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>" };
	switch (a->kind) {
	case AX_NUM:
		out_printf(o, "%u", a->num);
		break;
	case AX_LEN:
		out_printf(o, "len");
		break;
	case AX_LOAD:
		out_printf(o, "%s[", ast_proto_name((enum ast_proto)a->proto));
		dump_arith(o, a->a);
		out_printf(o, ":%u]", a->size);
		break;
	case AX_BINOP:
		out_printf(o, "(%s ", a->op < sizeof binops / sizeof binops[0] ? binops[a->op] : "?");
		dump_arith(o, a->a);
		out_printf(o, " ");
		dump_arith(o, a->b);
		out_printf(o, ")");
		break;
	case AX_NEG:
		out_printf(o, "(neg ");
		dump_arith(o, a->a);
		out_printf(o, ")");
		break;
	default:
		out_printf(o, "?arith");
	}
}

static const char *llc_name(uint32_t v)
{
	static const char *const names[] = { "", "i", "s", "u", "rr", "rnr", "rej", "ui", "ua",
					     "disc", "dm", "sabme", "test", "xid", "frmr" };
	return v < sizeof names / sizeof names[0] ? names[v] : "?";
}

static void dump_optional_num(struct dump_out *o, const char *name, const struct ast_node *n)
{
	if (n->has_num)
		out_printf(o, "(%s %u)", name, n->num);
	else
		out_printf(o, "(%s)", name);
}

static void dump_node(struct dump_out *o, const struct ast_node *n)
{
	static const char *const relops[] = { "==", "!=", "<", "<=", ">", ">=" };
	switch (n->kind) {
	case AK_TRUE:
		out_printf(o, "true");
		break;
	case AK_AND:
	case AK_OR:
		out_printf(o, "(%s ", n->kind == AK_AND ? "and" : "or");
		dump_node(o, n->left);
		out_printf(o, " ");
		dump_node(o, n->right);
		out_printf(o, ")");
		break;
	case AK_NOT:
		out_printf(o, "(not ");
		dump_node(o, n->left);
		out_printf(o, ")");
		break;
	case AK_QUALIFIED:
		out_printf(o, "(q %s %s %s ", qual_proto_name(n->q.proto), dir_name(n->q.dir),
			   type_name(n->q.type));
		dump_id(o, &n->id);
		out_printf(o, ")");
		break;
	case AK_PROTO:
		out_printf(o, "(proto %s)", qual_proto_name(n->q.proto));
		break;
	case AK_BROADCAST:
		out_printf(o, "(broadcast %s)", qual_proto_name(n->q.proto));
		break;
	case AK_MULTICAST:
		out_printf(o, "(multicast %s)", qual_proto_name(n->q.proto));
		break;
	case AK_LESS:
		out_printf(o, "(less %u)", n->num);
		break;
	case AK_GREATER:
		out_printf(o, "(greater %u)", n->num);
		break;
	case AK_INBOUND:
		out_printf(o, "inbound");
		break;
	case AK_OUTBOUND:
		out_printf(o, "outbound");
		break;
	case AK_IFINDEX:
		out_printf(o, "(ifindex %u)", n->num);
		break;
	case AK_VLAN:
		dump_optional_num(o, "vlan", n);
		break;
	case AK_MPLS:
		dump_optional_num(o, "mpls", n);
		break;
	case AK_PPPOED:
		out_printf(o, "pppoed");
		break;
	case AK_PPPOES:
		dump_optional_num(o, "pppoes", n);
		break;
	case AK_GENEVE:
		dump_optional_num(o, "geneve", n);
		break;
	case AK_VXLAN:
		dump_optional_num(o, "vxlan", n);
		break;
	case AK_LLC:
		if (n->num == ALLC_ANY)
			out_printf(o, "(llc)");
		else
			out_printf(o, "(llc %s)", llc_name(n->num));
		break;
	case AK_RELATION:
		out_printf(o, "(%s ", n->relop < 6 ? relops[n->relop] : "?");
		dump_arith(o, n->lhs);
		out_printf(o, " ");
		dump_arith(o, n->rhs);
		out_printf(o, ")");
		break;
	default:
		out_printf(o, "?node");
	}
}

size_t ast_dump(const struct ast_node *root, char *buf, size_t size)
{
	struct dump_out o = { buf, size, 0 };
	if (size)
		buf[0] = '\0';
	if (root)
		dump_node(&o, root);
	else
		out_printf(&o, "null");
	return o.len;
}
