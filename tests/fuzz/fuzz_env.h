/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VXF_FUZZ_ENV_H
#define VXF_FUZZ_ENV_H

/*
 * What the libFuzzer harnesses of tests/fuzz/ share: one EAL per process
 * (--no-huge --in-memory, one lcore), three ethdevs made from rings that
 * stand for the switch's ports, two mempools, and a "world" built afresh
 * for every input: a struct vx_dp with one worker slot, the control
 * thread's core and underlay over those ports, configured by a script of
 * CLI lines. The worker runs on the fuzzer's own thread, between control
 * polls, so a run is deterministic: the same input does the same thing.
 * The worker does not register on the QSBR variable (grace periods end at
 * once), which is sound because it never runs while the control thread
 * changes a table.
 *
 * What it checks besides the sanitizers:
 *   - no mbuf leaks: when a world is freed every mbuf is back in its pool
 *     (abort otherwise);
 *   - no read past a received frame: the tailroom of every mbuf a harness
 *     receives is poisoned for AddressSanitizer. The pools return their
 *     mbufs through a mempool driver of their own (no per-lcore cache)
 *     that unpoisons each one as it comes back, so an mbuf the code under
 *     test allocates is always whole.
 *
 * Frames come from the input as records (fz_frame()): a control byte, a
 * length and the bytes, with receive metadata as a NIC sets it (VLAN
 * stripped, checksum verdicts, RSS hash), optionally split into two
 * segments and with lengths and checksums fixed up so that mutated frames
 * get past the checksum tests.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "cli/cli.h"
#include "core/core.h"
#include "lib/ctl.h"
#include "underlay/underlay.h"
#include "vx_worker.h"

#define FZ_PORTS     3
#define FZ_MAX_FRAME 2000

/* The input, consumed front to back; reads past the end give zeros. */
struct fz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t
fz_u8(struct fz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static inline uint16_t
fz_u16(struct fz_in *in)
{
	uint16_t hi = fz_u8(in);

	return (uint16_t)(hi << 8 | fz_u8(in));
}

static inline uint32_t
fz_u32(struct fz_in *in)
{
	uint32_t hi = fz_u16(in);

	return hi << 16 | fz_u16(in);
}

/* Control byte of a frame record. */
#define FZ_F_PORT  0x03 /* port index (3 = port 0) */
#define FZ_F_VLAN  0x04 /* VLAN stripped by the NIC: u16 TCI follows */
#define FZ_F_CSUM  0x08 /* checksum verdicts: u8 follows (IP good/bad, L4 good/bad) */
#define FZ_F_SPLIT 0x10 /* two segments: u8 split offset follows */
#define FZ_F_RSS   0x20 /* RSS hash: u32 follows */
#define FZ_F_FIX   0x40 /* fix up outer and inner lengths and checksums */
#define FZ_F_POLL  0x80 /* after this frame: worker, control, worker */

/* The switch of the packet harnesses (fuzz_env.c says what it is). */
extern const char *const fz_switch[];

/* Once per process. Returns 0 or exits. */
int fz_init(void);

/* A fresh world configured by script (NULL-terminated lines); aborts when a line fails. */
struct vx_ctl *fz_world_new(const char *const *script);
/* Drain every ring, free the world, abort on a leaked mbuf. */
void fz_world_free(struct vx_ctl *c);

/* Run one CLI line (split in place in a copy); 0 or -errno, out may be NULL. */
int fz_cmd(struct vx_ctl *c, const char *line, struct vx_out *out);

/* One worker iteration over every port's rx ring (worker 0, on this thread). */
void fz_worker_poll(struct vx_ctl *c);
/* One control loop iteration (core, underlay), the clocks one step on. */
void fz_ctl_poll(struct vx_ctl *c);
/* Worker, control, worker, control, worker: requests applied and answers sent. */
void fz_settle(struct vx_ctl *c);
/* Free what the ports transmitted; returns how many frames. */
unsigned int fz_drain_tx(void);

/*
 * The next frame record of in as an mbuf (tail poisoned), or NULL at the end
 * of the input. *port: the record's port index. *ctl: its control byte.
 * raw/raw_len: the frame's bytes as given (after any fix-up).
 */
struct rte_mbuf *fz_frame(struct fz_in *in, uint16_t *port, uint8_t *ctl, uint8_t *raw,
			  uint16_t *raw_len);
/* Put m on the rx ring of port (freed when the ring is full). */
void fz_rx(uint16_t port, struct rte_mbuf *m);
/* An mbuf holding f[0..len) on port, tail poisoned. */
struct rte_mbuf *fz_mbuf(const uint8_t *f, uint16_t len, uint16_t port);

/* Fix lengths and checksums of an Ethernet frame (IPv4/IPv6, UDP, ICMP, inner VXLAN). */
void fz_fix_frame(uint8_t *f, uint32_t len);

/* The pools (for tests of what they hold). */
struct rte_mempool *fz_pool(void);

#endif /* VXF_FUZZ_ENV_H */
