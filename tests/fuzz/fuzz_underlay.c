/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay receive path: frames from the input (fuzz_env.h records)
 * arrive on eth0 (record ports 0 and 1) or on eth2, where the underlay is
 * VLAN 100 and other frames are access traffic, of the switch of
 * fz_switch[]. Each frame is first parsed on a plain buffer of exactly
 * its size (vx_parse_underlay(), as the worker does; AddressSanitizer
 * sees every byte read past it), then received by the worker (decap,
 * learning requests, the punt ring, local forwarding and flooding) and,
 * at a record's poll flag and at the end, handled by the control thread
 * (learning, ARP/ND/ICMP answers) and the worker again.
 *
 * What must hold besides the sanitizers and the leak check: what the
 * parser says is consistent (offsets inside the frame, an inner frame of
 * at least an Ethernet header, a known reason for a punt or a drop).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_env.h"
#include "vx_parse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return fz_init();
}

static void
bad(const char *what, const struct vx_parsed *p, uint32_t len)
{
	fprintf(stderr,
		"fuzz underlay: %s (len %u: l3 %u l4 %u inner %u+%u ip_len %u punt %u drop %u)\n",
		what, len, p->l3_off, p->l4_off, p->inner_off, p->inner_len, p->ip_len, p->punt,
		p->drop);
	abort();
}

/* The parser on an exact copy of f: its verdict must describe bytes of f. */
static void
parse_plain(const struct vx_local *local, const uint8_t *f, uint16_t len, uint16_t seg,
	    uint8_t flags)
{
	uint8_t *copy = malloc(len != 0 ? len : 1);
	struct vx_parsed p;
	int rc;

	if (copy == NULL)
		abort();
	memcpy(copy, f, len);
	memset(&p, 0, sizeof(p));
	/* seg < len: only the first segment is contiguous, as for a chained mbuf. */
	rc = vx_parse_underlay(copy, seg, len, local, flags & 7, &p);
	switch (rc) {
	case VX_PARSE_OK:
		if (p.inner_off + (uint32_t)p.inner_len > len || p.inner_len < RTE_ETHER_HDR_LEN ||
		    p.inner_off > seg || p.l4_off >= p.inner_off || p.l3_off >= p.l4_off ||
		    p.vni > VX_VNI_MAX)
			bad("OK with offsets outside the frame", &p, len);
		if (p.udp_csum != 0 && !p.l4_csum_todo && seg == len)
			(void)vx_parse_udp_csum_ok(copy, &p);
		break;
	case VX_PARSE_PUNT:
		if (p.punt < VX_PUNT_ARP || p.punt > VX_PUNT_MCAST ||
		    p.punt == VX_PUNT_UNRESOLVED || p.punt == VX_PUNT_OVERLAY)
			bad("PUNT without a reason the parser gives", &p, len);
		if (p.punt_class == VX_PCLASS_NONE || p.punt_class >= VX_PCLASS_N)
			bad("PUNT without a budget class", &p, len);
		break;
	case VX_PARSE_DROP:
		if (p.drop >= VX_DROP_MAX)
			bad("DROP without a reason", &p, len);
		break;
	default:
		bad("unknown verdict", &p, len);
	}
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t port_of[FZ_PORTS] = {0, 0, 2};
	struct fz_in in = {.p = data, .n = size};
	struct vx_ctl *c = fz_world_new(fz_switch);
	static uint8_t raw[FZ_MAX_FRAME];
	struct rte_mbuf *m;
	uint16_t port, len;
	uint8_t ctl;

	while ((m = fz_frame(&in, &port, &ctl, raw, &len)) != NULL) {
		uint16_t seg = rte_pktmbuf_data_len(m);

		parse_plain(vx_deref(c->dp->local), raw, len, seg, ctl);
		fz_rx(port_of[port], m);
		if (ctl & FZ_F_POLL)
			fz_settle(c);
	}
	fz_settle(c);
	fz_world_free(c);
	return 0;
}
