/* A one-line S-expression rendering of an AST, for tests and debugging.
 *
 *   true                      the empty expression
 *   (and L R) (or L R) (not X)
 *   (q PROTO DIR TYPE ID)     a qualified primitive; "-" for a default
 *                             qualifier, e.g. (q tcp dst port num:80)
 *   (proto tcp)               a protocol alone
 *   (broadcast -) (multicast ip6)
 *   (less N) (greater N) (ifindex N) inbound outbound pppoed
 *   (vlan) (vlan N)           also mpls, pppoes, geneve, vxlan
 *   (llc) (llc rnr)
 *   (RELOP A B)               RELOP one of == != < <= > >=
 * Ids: name:TEXT, num:N, v4:A.B.C.D#PARTS, v4:A.B.C.D#PARTS/LEN,
 * v4:A.B.C.D#PARTS&MASK, v6:ADDR, v6:ADDR/LEN, mac:xx:xx:xx:xx:xx:xx.
 * Arithmetic: N, len, PROTO[INDEX:SIZE], (OP A B), (neg A).
 */
#ifndef BPFCAP_FILTER_AST_DUMP_H
#define BPFCAP_FILTER_AST_DUMP_H

#include <stddef.h>

#include "ast.h"

/* Writes the rendering of root into buf (always NUL-terminated when size
 * > 0) and returns the length the whole rendering needs, like snprintf. */
size_t ast_dump(const struct ast_node *root, char *buf, size_t size);

#endif
