/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control thread's punt handlers (control/underlay/punt.c, input.c,
 * and the core's overlay input): frames put straight on worker 0's punt
 * ring of the switch of fz_switch[], as a worker would, with a reason and
 * the word that goes with it (the VTEP index of an unresolved frame, the
 * link, VLAN and flags of an overlay frame). The input is records of
 *   u8 reason (0..7: none, ARP, ND, ICMP, UNRESOLVED, OVERLAY, ARP, ICMP),
 *   u32 hash.fdir.lo, then a frame record of fuzz_env.h
 * (port 0..2 = eth0..2). The ARP, ND and ICMP parsers of the underlay also
 * run on a plain buffer of exactly the frame's size first, so that
 * AddressSanitizer sees any byte they read past it. A record's poll flag
 * and the end of the input run the control thread, then the worker (which
 * sends the answers).
 *
 * What must hold: the sanitizers and the leak check of fz_world_free().
 */

#include <stdlib.h>
#include <string.h>

#include "fuzz_env.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return fz_init();
}

/* The underlay's frame parsers on exact copies of f. */
static void
parse_plain(struct vx_ctl *c, const uint8_t *f, uint16_t len, uint16_t port)
{
	const struct vx_ul_addr *a6 = vx_ul_addr_on_port(c, port, AF_INET6);
	uint8_t *copy = malloc(len != 0 ? len : 1);
	struct vx_arp arp;
	struct vx_nd nd;

	if (copy == NULL)
		abort();
	memcpy(copy, f, len);
	(void)vx_arp_parse(copy, len, &arp);
	(void)vx_nd_parse(copy, len, &nd);
	(void)vx_icmp_echo_reply(copy, len, a6 != NULL ? &a6->ip : NULL);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t reason_of[8] = {
		0,
		VX_PUNT_ARP,
		VX_PUNT_ND,
		VX_PUNT_ICMP,
		VX_PUNT_UNRESOLVED,
		VX_PUNT_OVERLAY,
		VX_PUNT_ARP,
		VX_PUNT_ICMP,
	};
	struct fz_in in = {.p = data, .n = size};
	struct vx_ctl *c = fz_world_new(fz_switch);
	static uint8_t raw[FZ_MAX_FRAME];
	struct rte_mbuf *m;
	uint16_t port, len;
	uint32_t why, lo;
	uint8_t ctl;

	for (;;) {
		why = reason_of[fz_u8(&in) & 7];
		lo = fz_u32(&in);
		m = fz_frame(&in, &port, &ctl, raw, &len);
		if (m == NULL)
			break;
		parse_plain(c, raw, len, port);
		m->hash.fdir.hi = why;
		m->hash.fdir.lo = lo;
		if (rte_ring_sp_enqueue(c->dp->punt_ring[0], m) != 0)
			rte_pktmbuf_free(m);
		if (ctl & FZ_F_POLL) {
			fz_ctl_poll(c);
			fz_worker_poll(c);
		}
	}
	fz_settle(c);
	fz_world_free(c);
	return 0;
}
