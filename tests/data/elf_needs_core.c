/* Refused by --filter-elf: a CO-RE field access (a .BTF.ext relocation
 * that libbpf resolves against the kernel's BTF). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int long_frames(struct __sk_buff *skb)
{
	return __builtin_preserve_access_index(skb->len) > 100 ? 262144 : 0;
}

char _license[] SEC("license") = "GPL";
