/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FAB_REGISTRY_H
#define FAB_REGISTRY_H

/*
 * flannel's registry in etcd, read and written byte for byte as flannel
 * does, so that vxfabric nodes and flannel nodes share one network:
 *
 *   PREFIX/config                  {"Network": "10.5.0.0/16", "SubnetLen": 24,
 *                                   "Backend": {"Type": "vxlan", "VNI": 1, "Port": 8472}}
 *   PREFIX/subnets/10.5.10.0-24    {"PublicIP": "198.51.100.1", "BackendType": "vxlan",
 *                                   "BackendData": {"VNI": 1, "VtepMAC": "02:..."}}
 *
 * The subnet is in the key; the value says where its VTEP is. Pure
 * functions over buffers (jansson), no I/O: a malformed value gives
 * -EINVAL and a one-line reason, never a crash.
 */

#include <stddef.h>
#include <stdint.h>

#include "fabric/subnet.h"

#define FAB_DEFAULT_VNI	 1 /* flannel's vxlan backend defaults */
#define FAB_DEFAULT_PORT 8472
#define FAB_SUBNETS	 "/subnets/"

/* PREFIX/config -> net (defaults filled). 0 or -EINVAL with err set. */
int fab_net_parse(const char *json, size_t len, struct fab_net *net, char *err, size_t errlen);

/*
 * The subnet of a lease key PREFIX/subnets/A.B.C.D-LEN. 0, or -EINVAL when
 * the key is not one (another prefix, bad address, host bits set).
 */
int fab_key_parse(const char *key, size_t klen, const char *prefix, uint32_t *subnet,
		  uint8_t *plen);
/* PREFIX/subnets/A.B.C.D-LEN into buf. */
void fab_key_fmt(const char *prefix, uint32_t subnet, uint8_t plen, char *buf, size_t len);

/*
 * A lease value -> l->public_ip, l->mac (subnet and plen are the key's;
 * the caller sets them). The value must be a vxlan lease with a unicast
 * PublicIP and VtepMAC, and a VNI, when given, of net->vni. 0 or -EINVAL
 * with err set.
 */
int fab_lease_parse(const char *json, size_t len, const struct fab_net *net, struct fab_lease *l,
		    char *err, size_t errlen);

/* The value flannel writes for l (malloc'd, compact JSON), or NULL. */
char *fab_lease_fmt(const struct fab_lease *l, uint32_t vni);

#endif /* FAB_REGISTRY_H */
