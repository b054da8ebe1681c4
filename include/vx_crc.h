/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VX_CRC_H
#define VX_CRC_H

/*
 * CRC32C steps for the hot path: the same values as rte_hash_crc_8byte()
 * and rte_hash_crc_4byte(), without their per-call check of which
 * implementation the CPU has (a load of a global and a branch per call;
 * the build targets SSE4.2 already, -march=corei7).
 */

#include <stdint.h>

#include <rte_hash_crc.h>

#ifdef __SSE4_2__
#include <nmmintrin.h>
#endif

static inline uint32_t
vx_crc_8byte(uint64_t data, uint32_t init)
{
#if defined(__SSE4_2__) && defined(RTE_ARCH_X86_64)
	return (uint32_t)_mm_crc32_u64(init, data);
#else
	return rte_hash_crc_8byte(data, init);
#endif
}

static inline uint32_t
vx_crc_4byte(uint32_t data, uint32_t init)
{
#ifdef __SSE4_2__
	return _mm_crc32_u32(init, data);
#else
	return rte_hash_crc_4byte(data, init);
#endif
}

#endif /* VX_CRC_H */
