/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_VXSW_H
#define FAB_VXSW_H

/*
 * vxswitch as the agent drives it: a client of the daemon's CLI socket
 * (client/client.h, the library vxctl uses), speaking vxctl's words:
 *
 *   -j link show / -j addr show            find the link, the TAP's port, the underlay
 *   link add LINK type vxlan id VNI dstport PORT local IP [dev PORT] nolearning
 *   link set dev PORT master LINK          the TAP's port into the link
 *   -j fdb show dev LINK                   what the link's FDB holds
 *   fdb add|replace MAC dev LINK dst IP self permanent / fdb del MAC dev LINK
 *
 * A lost connection (vxswitch stopped or restarted) gives -EPIPE; the
 * caller reconnects and converges again.
 */

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"
#include "fabric/diff.h"
#include "fabric/subnet.h"

struct fab_vxsw {
	const char *sock;
	const char *link;
	struct vx_conn c;
	bool up;
	char port[32];	  /* the TAP's port */
	unsigned int mtu; /* the link's MTU (underlay MTU - 50) */
	char err[256];
};

int fab_vxsw_connect(struct fab_vxsw *s);
void fab_vxsw_close(struct fab_vxsw *s);

/*
 * Make the link exist as net says (create it, or check an existing one's
 * VNI and port), and attach the port whose MAC is mac (the TAP) to it.
 * 0, or -errno with s->err set (-EEXIST: a link of that name differs, or
 * the port belongs to another link).
 */
int fab_vxsw_setup(struct fab_vxsw *s, const struct fab_net *net, uint32_t public_ip,
		   const uint8_t mac[6]);

/* The link's remote unicast entries (MAC -> dst), into have (sorted). */
int fab_vxsw_fdb(struct fab_vxsw *s, struct fab_set *have);

/*
 * Apply d (FAB_FDB entries): new keys with fdb add, changed ones with fdb
 * replace (have says which), deletions with fdb del; pipelined on the
 * connection. *n_fail counts refused commands (logged); done[] (d->set.n +
 * d->del.n flags, set first) says which took effect. 0, or -EPIPE when the
 * connection went.
 */
int fab_vxsw_apply(struct fab_vxsw *s, const struct fab_diff *d, const struct fab_set *have,
		   bool *done, unsigned int *n_fail);

#endif /* FAB_VXSW_H */
