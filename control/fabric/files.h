/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_FILES_H
#define FAB_FILES_H

/*
 * The agent's two files, both replaced atomically (temporary file in the
 * same directory, fsync, rename):
 *
 * - the subnet file, as flannel writes it, for dockerd --bip and the CNI
 *   flannel plugin:
 *
 *       FLANNEL_NETWORK=10.5.0.0/16
 *       FLANNEL_SUBNET=10.5.10.1/24
 *       FLANNEL_MTU=1450
 *       FLANNEL_IPMASQ=false
 *
 * - the state file: the entries the agent programmed, so that a restarted
 *   agent knows which entries are its own (and removes those whose lease
 *   went while it was down) and which were added by hand:
 *
 *       {"fdb": [["02:..", "198.51.100.2"], ...],
 *        "neigh": [["10.5.20.0", "02:.."], ...],
 *        "route": [["10.5.20.0/24", "10.5.20.0"], ...]}
 *
 * The formatters and parsers are pure (the unit tests call them).
 */

#include <stdbool.h>
#include <stddef.h>

#include "fabric/subnet.h"
#include "fabric/diff.h"

/* The subnet file's text into buf. Returns its length (snprintf's). */
int fab_env_fmt(char *buf, size_t len, const struct fab_net *net, uint32_t subnet, uint8_t plen,
		unsigned int mtu);
/* FLANNEL_SUBNET of a subnet file's text: 0, or -ENOENT when absent or bad. */
int fab_env_subnet(const char *text, uint32_t *subnet, uint8_t *plen);

/* The state file's text for owned[FAB_KINDS] (malloc'd), or NULL. */
char *fab_state_fmt(const struct fab_set owned[FAB_KINDS]);
/* Parse a state file's text into owned[FAB_KINDS] (emptied first, sorted): 0 or -EINVAL. */
int fab_state_parse(const char *text, size_t len, struct fab_set owned[FAB_KINDS]);

/*
 * Write len bytes to path atomically (a temporary file renamed over it),
 * mode 0644; with sync, fsync'd first (and the directory after). 0 or -errno.
 */
int fab_file_write(const char *path, const char *data, size_t len, bool sync);
/* The whole file, malloc'd and NUL-terminated, in *out. 0 or -errno. */
int fab_file_read(const char *path, char **out, size_t *len);

#endif /* FAB_FILES_H */
