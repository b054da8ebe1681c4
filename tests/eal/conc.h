/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VXT_CONC_H
#define VXT_CONC_H

/*
 * Helpers of the concurrency tests: a monotonic clock, a small PRNG, and
 * waits bounded in time. Reader threads are plain pthreads registered on
 * the dataplane's QSBR variable as workers are (the QSBR and ring calls
 * need no lcore), so that pthread_create/join order them for
 * ThreadSanitizer.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <rte_pause.h>

static inline uint64_t
conc_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline uint64_t
conc_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* Sleep for us microseconds (a reader's idle period). */
static inline void
conc_sleep_us(unsigned int us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000};

	nanosleep(&ts, NULL);
}

/* Wait until *p == v (acquire), at most ms milliseconds; true when it did. */
static inline bool
conc_wait_eq(const uint32_t *p, uint32_t v, unsigned int ms)
{
	uint64_t end = conc_ns() + (uint64_t)ms * 1000000;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != v) {
		if (conc_ns() > end)
			return false;
		rte_pause();
	}
	return true;
}

#endif /* VXT_CONC_H */
