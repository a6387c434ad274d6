/* Refused by --filter-elf: a bpf-to-bpf call to a subprogram in .text. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int is_long(struct __sk_buff *skb)
{
	return skb->len > 100;
}

SEC("socket")
int long_frames(struct __sk_buff *skb)
{
	return is_long(skb) ? 262144 : 0;
}

char _license[] SEC("license") = "GPL";
