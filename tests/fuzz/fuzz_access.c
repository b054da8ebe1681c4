/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The access path: frames from the input (fuzz_env.h records) arrive on
 * eth1 (record ports 0 and 1: vxlan10 untagged, vxlan20 on VLAN 20) or on
 * eth2 (vxlan30 on VLAN 30, vxlan40 on VLAN 40, the underlay on VLAN 100)
 * of the switch of fz_switch[]: classification, learning requests, local
 * switching, encapsulation to resolved and unresolved VTEPs of both
 * families (software and offloaded UDP checksums), flooding to local
 * members and the flood lists, and the overlay's ARP/ND/echo answer path
 * (proxy entries, overlay addresses) through the punt ring to the control
 * thread and back out. A record's poll flag and the end of the input run
 * the control thread (learning applied, answers built, unresolved next
 * hops resolved) and the worker again.
 *
 * What must hold: the sanitizers (AddressSanitizer sees reads past each
 * received frame) and the leak check of fz_world_free().
 */

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t port_of[FZ_PORTS] = {1, 1, 2};
	struct fz_in in = {.p = data, .n = size};
	struct vx_ctl *c = fz_world_new(fz_switch);
	static uint8_t raw[FZ_MAX_FRAME];
	struct rte_mbuf *m;
	uint16_t port, len;
	uint8_t ctl;

	while ((m = fz_frame(&in, &port, &ctl, raw, &len)) != NULL) {
		fz_rx(port_of[port], m);
		if (ctl & FZ_F_POLL)
			fz_settle(c);
	}
	fz_settle(c);
	fz_world_free(c);
	return 0;
}
