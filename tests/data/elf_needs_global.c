/* Refused by --filter-elf: a global variable (in .data, a map to libbpf). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

unsigned int min_len = 100;

SEC("socket")
int long_frames(struct __sk_buff *skb)
{
	return skb->len > min_len ? 262144 : 0;
}

char _license[] SEC("license") = "GPL";
