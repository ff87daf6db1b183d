/*
 * kernel/debug/klog.c - the kernel log's ring (kernel/debug/klog.h).
 */
#include "kernel/debug/klog.h"

#include "kernel/lib/kstring.h"

char klog_buf[KLOG_SIZE];
uint64_t klog_written;

void klog_putc(char c)
{
	klog_buf[klog_written % KLOG_SIZE] = c;
	klog_written++;
}

uint64_t klog_oldest(void)
{
	return klog_written > KLOG_SIZE ? klog_written - KLOG_SIZE : 0;
}

size_t klog_read(uint64_t *pos, char *dst, size_t n)
{
	size_t copied = 0;

	if (*pos < klog_oldest())
		*pos = klog_oldest();
	while (copied < n && *pos < klog_written) {
		size_t at = (size_t)(*pos % KLOG_SIZE);
		/* Up to the end of the ring, and to the newest byte. */
		size_t run = MIN(n - copied, KLOG_SIZE - at);

		run = (size_t)MIN((uint64_t)run, klog_written - *pos);
		memcpy(dst + copied, klog_buf + at, run);
		copied += run;
		*pos += run;
	}
	return copied;
}
