/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * flannel's registry format: see registry.h. jansson's json_unpack_ex
 * checks a value's shape and types in one call and names the field at
 * fault, which is what a log line about a malformed lease needs.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fabric/registry.h"

static json_t *
load(const char *json, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);

	if (root == NULL)
		snprintf(err, errlen, "not JSON: %s (at byte %d)", je.text, je.position);
	else if (!json_is_object(root)) {
		snprintf(err, errlen, "not a JSON object");
		json_decref(root);
		root = NULL;
	}
	return root;
}

static int
net_backend(json_t *backend, struct fab_net *net, char *err, size_t errlen)
{
	json_int_t vni = FAB_DEFAULT_VNI, port = 0;
	const char *type = NULL;
	json_error_t je;

	if (backend == NULL) {
		/* flannel's default backend is udp, which is no VXLAN. */
		snprintf(err, errlen, "no Backend (flannel's udp backend): vxfabric is vxlan only");
		return -EINVAL;
	}
	if (json_unpack_ex(backend, &je, 0, "{s:s, s?I, s?I}", "Type", &type, "VNI", &vni, "Port",
			   &port) < 0) {
		snprintf(err, errlen, "Backend: %s", je.text);
		return -EINVAL;
	}
	if (strcmp(type, "vxlan") != 0) {
		snprintf(err, errlen, "Backend type %s: vxfabric is vxlan only", type);
		return -EINVAL;
	}
	if (vni < 0 || vni > 0xffffff || port < 0 || port > 65535) {
		snprintf(err, errlen, "Backend: VNI %lld or Port %lld out of range", (long long)vni,
			 (long long)port);
		return -EINVAL;
	}
	net->vni = vni;
	/* Port 0 (or none) is the kernel's default, which flannel relies on. */
	net->port = port == 0 ? FAB_DEFAULT_PORT : port;
	return 0;
}

int
fab_net_parse(const char *json, size_t len, struct fab_net *net, char *err, size_t errlen)
{
	const char *network = NULL, *smin = NULL, *smax = NULL;
	json_int_t slen = -1;
	json_t *root, *backend = NULL;
	json_error_t je;
	int ret = -EINVAL;

	memset(net, 0, sizeof(*net));
	root = load(json, len, err, errlen);
	if (root == NULL)
		return -EINVAL;
	if (json_unpack_ex(root, &je, 0, "{s:s, s?I, s?s, s?s, s?o}", "Network", &network,
			   "SubnetLen", &slen, "SubnetMin", &smin, "SubnetMax", &smax, "Backend",
			   &backend) < 0) {
		snprintf(err, errlen, "%s", je.text);
		goto out;
	}
	if (fab_prefix_parse(network, false, &net->network, &net->plen) < 0) {
		snprintf(err, errlen, "Network %s: not an IPv4 prefix", network);
		goto out;
	}
	if (slen != -1 && (slen < 1 || slen > 32)) {
		snprintf(err, errlen, "SubnetLen %lld out of range", (long long)slen);
		goto out;
	}
	net->subnet_len = slen == -1 ? 0 : slen;
	if ((smin != NULL && fab_ip_parse(smin, &net->subnet_min) < 0) ||
	    (smax != NULL && fab_ip_parse(smax, &net->subnet_max) < 0)) {
		snprintf(err, errlen, "SubnetMin/SubnetMax: not an IPv4 address");
		goto out;
	}
	ret = net_backend(backend, net, err, errlen);
	if (ret == 0)
		ret = fab_net_finish(net, slen != -1, smin != NULL, smax != NULL, err, errlen);
out:
	json_decref(root);
	return ret;
}

int
fab_key_parse(const char *key, size_t klen, const char *prefix, uint32_t *subnet, uint8_t *plen)
{
	size_t pl = strlen(prefix), sl = strlen(FAB_SUBNETS);
	char buf[32], *dash;

	if (klen <= pl + sl || klen - pl - sl >= sizeof(buf) || memcmp(key, prefix, pl) != 0 ||
	    memcmp(key + pl, FAB_SUBNETS, sl) != 0)
		return -EINVAL;
	memcpy(buf, key + pl + sl, klen - pl - sl);
	buf[klen - pl - sl] = '\0';
	dash = strchr(buf, '-');
	if (dash == NULL)
		return -EINVAL;
	*dash = '/';
	return fab_prefix_parse(buf, false, subnet, plen);
}

void
fab_key_fmt(const char *prefix, uint32_t subnet, uint8_t plen, char *buf, size_t len)
{
	char a[16];

	snprintf(buf, len, "%s" FAB_SUBNETS "%s-%u", prefix, fab_ip_fmt(subnet, a, sizeof(a)),
		 plen);
}

int
fab_lease_parse(const char *json, size_t len, const struct fab_net *net, struct fab_lease *l,
		char *err, size_t errlen)
{
	const char *pip = NULL, *type = NULL, *mac = NULL;
	json_int_t vni = -1;
	json_t *root;
	json_error_t je;
	int ret = -EINVAL;

	root = load(json, len, err, errlen);
	if (root == NULL)
		return -EINVAL;
	if (json_unpack_ex(root, &je, 0, "{s:s, s:s, s:{s:s, s?I}}", "PublicIP", &pip,
			   "BackendType", &type, "BackendData", "VtepMAC", &mac, "VNI", &vni) < 0) {
		snprintf(err, errlen, "%s", je.text);
		goto out;
	}
	if (strcmp(type, "vxlan") != 0) {
		snprintf(err, errlen, "BackendType %s is not vxlan", type);
		goto out;
	}
	if (fab_ip_parse(pip, &l->public_ip) < 0 || !fab_ip_unicast(l->public_ip)) {
		snprintf(err, errlen, "PublicIP %s is not a unicast IPv4 address", pip);
		goto out;
	}
	if (fab_mac_parse(mac, l->mac) < 0 || !fab_mac_unicast(l->mac)) {
		snprintf(err, errlen, "VtepMAC %s is not a unicast MAC", mac);
		goto out;
	}
	if (vni != -1 && vni != net->vni) {
		snprintf(err, errlen, "VNI %lld, the network's is %u", (long long)vni, net->vni);
		goto out;
	}
	ret = 0;
out:
	json_decref(root);
	return ret;
}

char *
fab_lease_fmt(const struct fab_lease *l, uint32_t vni)
{
	char ip[16], mac[18], *s;
	json_t *v;

	v = json_pack("{s:s, s:s, s:{s:I, s:s}}", "PublicIP",
		      fab_ip_fmt(l->public_ip, ip, sizeof(ip)), "BackendType", "vxlan",
		      "BackendData", "VNI", (json_int_t)vni, "VtepMAC",
		      fab_mac_fmt(l->mac, mac, sizeof(mac)));
	if (v == NULL)
		return NULL;
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(v);
	return s;
}
