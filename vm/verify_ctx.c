/* Context access rules per target.
 *
 * socket: the fields net/core/filter.c's sk_filter_is_valid_access (via
 * bpf_skb_is_valid_access) lets a socket filter read: the __u32 fields
 * below, whole or narrowed (1, 2 or 4 bytes, aligned, inside the field, as
 * bpf_ctx_narrow_access_ok), and cb[0..4], the only writable part (any
 * aligned size inside cb).  The kernel also refuses tc_classid, data,
 * data_meta, data_end, family..local_port, tstamp, wire_len and hwtstamp
 * to socket filters; we refuse everything not listed, including sk and
 * flow_keys (pointers) and the padding, which is stricter.
 * direct: every field of struct ebpf_direct_ctx, read with its own size;
 * data and data_end (u64) are the packet pointers; nothing is writable
 * (the context is the capture's, shared by every filter run).
 * xdp: struct xdp_md's data and data_end (the packet pointers, u32 in the
 * uapi, widened by the kernel's ctx rewrite) and the two scalars an XDP
 * program attached to a device reads, ingress_ifindex and rx_queue_index,
 * each whole; data_meta (another pointer) and egress_ifindex (devmap
 * programs only, net/core/filter.c xdp_is_valid_access) are refused.
 */
#include <stdio.h>

#include "verify_ctx.h"

struct ctx_field {
	const char *name;
	int64_t off;
	unsigned size;
};

#define SKB_FIELD(f) { #f, EBPF_SKB_OFF(f), 4 }
static const struct ctx_field skb_readable[] = {
	SKB_FIELD(len),         SKB_FIELD(pkt_type),  SKB_FIELD(mark),
	SKB_FIELD(queue_mapping), SKB_FIELD(protocol), SKB_FIELD(vlan_present),
	SKB_FIELD(vlan_tci),    SKB_FIELD(vlan_proto), SKB_FIELD(priority),
	SKB_FIELD(ingress_ifindex), SKB_FIELD(ifindex), SKB_FIELD(tc_index),
	SKB_FIELD(hash),        SKB_FIELD(napi_id),   SKB_FIELD(gso_segs),
	SKB_FIELD(gso_size),
};
#undef SKB_FIELD

#define DCTX_META(f) { "meta." #f, EBPF_DCTX_META_OFF(f), 4 }
static const struct ctx_field direct_fields[] = {
	{ "data", EBPF_DCTX_OFF(data), 8 },
	{ "data_end", EBPF_DCTX_OFF(data_end), 8 },
	{ "wire_len", EBPF_DCTX_OFF(wire_len), 4 },
	DCTX_META(pkt_type), DCTX_META(ifindex), DCTX_META(protocol), DCTX_META(vlan_tci),
	DCTX_META(vlan_present), DCTX_META(vlan_tpid), DCTX_META(mark), DCTX_META(hash),
	DCTX_META(queue), DCTX_META(hatype), DCTX_META(net_off),
};
#undef DCTX_META

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The field containing offset off, or NULL. */
static const struct ctx_field *field_at(const struct ctx_field *f, size_t n, int64_t off)
{
	for (size_t i = 0; i < n; i++)
		if (off >= f[i].off && off < f[i].off + (int64_t)f[i].size)
			return &f[i];
	return NULL;
}

/* __sk_buff's name for an offset, for messages. */
static const char *skb_name_at(int64_t off)
{
	static const struct ctx_field others[] = {
		{ "cb", EBPF_SKB_OFF(cb), 20 },
		{ "tc_classid", EBPF_SKB_OFF(tc_classid), 4 },
		{ "data", EBPF_SKB_OFF(data), 4 },
		{ "data_end", EBPF_SKB_OFF(data_end), 4 },
		{ "data_meta", EBPF_SKB_OFF(data_meta), 4 },
		{ "tstamp", EBPF_SKB_OFF(tstamp), 8 },
		{ "wire_len", EBPF_SKB_OFF(wire_len), 4 },
		{ "sk", EBPF_SKB_OFF(sk), 8 },
		{ "flow_keys", EBPF_SKB_OFF(flow_keys), 8 },
		{ "hwtstamp", EBPF_SKB_OFF(hwtstamp), 8 },
	};
	const struct ctx_field *f = field_at(skb_readable, N(skb_readable), off);
	if (!f)
		f = field_at(others, N(others), off);
	if (!f && off >= EBPF_SKB_OFF(family) && off < EBPF_SKB_OFF(data_meta))
		return "family..local_port";
	return f ? f->name : NULL;
}

static int reject(char *why, size_t whysz, const char *fmt, const char *name, int64_t off,
		  unsigned size)
{
	char where[64];
	if (name)
		snprintf(where, sizeof where, "offset %lld (%s)", (long long)off, name);
	else
		snprintf(where, sizeof where, "offset %lld", (long long)off);
	snprintf(why, whysz, fmt, where, size);
	return -1;
}

static int socket_access(int64_t off, unsigned size, int write, char *why, size_t whysz)
{
	int64_t cb0 = EBPF_SKB_OFF(cb), cb_end = cb0 + 20;
	const char *name = skb_name_at(off);

	if (off < 0 || off >= (int64_t)sizeof(struct __sk_buff))
		return reject(why, whysz, "context %s is outside struct __sk_buff (size %u)", name,
			      off, (unsigned)sizeof(struct __sk_buff));
	if (off % size != 0)
		return reject(why, whysz, "context %s is not aligned to the access size %u", name,
			      off, size);
	if (off >= cb0 && off < cb_end) {
		if (off + size > cb_end)
			return reject(why, whysz, "context %s: %u bytes run past cb[4]", name, off,
				      size);
		return 0;
	}
	if (write)
		return reject(why, whysz,
			      "context %s is not writable by a socket filter (only cb[0..4] is; %u bytes)",
			      name, off, size);
	const struct ctx_field *f = field_at(skb_readable, N(skb_readable), off);
	if (!f)
		return reject(why, whysz, "context %s is not readable by a socket filter (%u bytes)",
			      name, off, size);
	if (size > f->size)
		return reject(why, whysz, "context %s is a u32 field: a %u-byte load is too wide",
			      name, off, size);
	return 0;
}

static int direct_access(int64_t off, unsigned size, int write, enum ctx_field_kind *kind,
			 char *why, size_t whysz)
{
	const struct ctx_field *f = field_at(direct_fields, N(direct_fields), off);
	const char *name = f ? f->name : NULL;

	if (write)
		return reject(why, whysz,
			      "context %s is read-only on the direct target (%u bytes written)", name,
			      off, size);
	if (!f)
		return reject(why, whysz,
			      "context %s is not a field of struct ebpf_direct_ctx (%u bytes)", name, off,
			      size);
	if (off != f->off || size != f->size)
		return reject(why, whysz,
			      f->size == 8 ? "context %s must be read whole as u64 (not %u bytes there)"
					   : "context %s must be read whole as u32 (not %u bytes there)",
			      name, off, size);
	*kind = off == EBPF_DCTX_OFF(data)       ? CTX_FIELD_PACKET
		: off == EBPF_DCTX_OFF(data_end) ? CTX_FIELD_PACKET_END
						 : CTX_FIELD_SCALAR;
	return 0;
}

static const struct ctx_field xdp_fields[] = {
	{ "data", EBPF_XDP_OFF(data), 4 },
	{ "data_end", EBPF_XDP_OFF(data_end), 4 },
	{ "ingress_ifindex", EBPF_XDP_OFF(ingress_ifindex), 4 },
	{ "rx_queue_index", EBPF_XDP_OFF(rx_queue_index), 4 },
};

static int xdp_access(int64_t off, unsigned size, int write, enum ctx_field_kind *kind,
		      char *why, size_t whysz)
{
	const struct ctx_field *f = field_at(xdp_fields, N(xdp_fields), off);
	const char *name = f ? f->name : NULL;

	if (write)
		return reject(why, whysz, "context %s is read-only for an XDP filter (%u bytes written)",
			      name, off, size);
	if (!f)
		return reject(why, whysz,
			      "context %s is not a field of struct xdp_md an XDP filter may read "
			      "(%u bytes)", name, off, size);
	if (off != f->off || size != f->size)
		return reject(why, whysz, "context %s must be read whole as u32 (not %u bytes there)",
			      name, off, size);
	*kind = off == EBPF_XDP_OFF(data)       ? CTX_FIELD_PACKET
		: off == EBPF_XDP_OFF(data_end) ? CTX_FIELD_PACKET_END
						: CTX_FIELD_SCALAR;
	return 0;
}

int ctx_access_check(enum ebpf_target target, int64_t off, unsigned size, int write,
		     enum ctx_field_kind *kind, char *why, size_t whysz)
{
	*kind = CTX_FIELD_SCALAR;
	if (target == EBPF_TARGET_DIRECT)
		return direct_access(off, size, write, kind, why, whysz);
	if (target == EBPF_TARGET_XDP)
		return xdp_access(off, size, write, kind, why, whysz);
	return socket_access(off, size, write, why, whysz);
}
