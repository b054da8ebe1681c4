/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The subnet file and the state file: see files.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bsd/string.h>
#include <jansson.h>

#include "fabric/files.h"

int
fab_env_fmt(char *buf, size_t len, const struct fab_net *net, uint32_t subnet, uint8_t plen,
	    unsigned int mtu)
{
	char n[16], s[16];

	/* flannel writes the subnet's first host address: the bridge's (docker0, cni0). */
	return snprintf(buf, len,
			"FLANNEL_NETWORK=%s/%u\nFLANNEL_SUBNET=%s/%u\nFLANNEL_MTU=%u\n"
			"FLANNEL_IPMASQ=false\n",
			fab_ip_fmt(net->network, n, sizeof(n)), net->plen,
			fab_ip_fmt(subnet + 1, s, sizeof(s)), plen, mtu);
}

int
fab_env_subnet(const char *text, uint32_t *subnet, uint8_t *plen)
{
	static const char key[] = "FLANNEL_SUBNET=";
	const char *p = text;
	char val[32];
	size_t l;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, sizeof(key) - 1) == 0) {
			p += sizeof(key) - 1;
			l = strcspn(p, "\r\n");
			if (l >= sizeof(val))
				return -ENOENT;
			memcpy(val, p, l);
			val[l] = '\0';
			return fab_prefix_parse(val, true, subnet, plen) < 0 ? -ENOENT : 0;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -ENOENT;
}

static const char *const kind_name[FAB_KINDS] = {"fdb", "neigh", "route"};

/* One entry of a kind as two strings (key, value). */
static void
ent_fmt(enum fab_kind k, const struct fab_ent *e, char *key, char *val, size_t len)
{
	uint8_t mac[6];

	switch (k) {
	case FAB_FDB:
		fab_u64_mac(e->key, mac);
		fab_mac_fmt(mac, key, len);
		fab_ip_fmt(e->val, val, len);
		break;
	case FAB_NEIGH:
		fab_ip_fmt(e->key, key, len);
		fab_u64_mac(e->val, mac);
		fab_mac_fmt(mac, val, len);
		break;
	default:
		fab_ip_fmt(e->key >> 8, key, len);
		snprintf(key + strlen(key), len - strlen(key), "/%u",
			 (unsigned int)(e->key & 0xff));
		fab_ip_fmt(e->val, val, len);
		break;
	}
}

static int
ent_parse(enum fab_kind k, const char *key, const char *val, struct fab_ent *e)
{
	uint8_t mac[6];
	uint32_t ip, ip2;
	uint8_t plen;

	switch (k) {
	case FAB_FDB:
		if (fab_mac_parse(key, mac) < 0 || fab_ip_parse(val, &ip) < 0)
			return -EINVAL;
		e->key = fab_mac_u64(mac);
		e->val = ip;
		return 0;
	case FAB_NEIGH:
		if (fab_ip_parse(key, &ip) < 0 || fab_mac_parse(val, mac) < 0)
			return -EINVAL;
		e->key = ip;
		e->val = fab_mac_u64(mac);
		return 0;
	default:
		if (fab_prefix_parse(key, false, &ip, &plen) < 0 || fab_ip_parse(val, &ip2) < 0)
			return -EINVAL;
		e->key = (uint64_t)ip << 8 | plen;
		e->val = ip2;
		return 0;
	}
}

char *
fab_state_fmt(const struct fab_set owned[FAB_KINDS])
{
	json_t *root = json_object(), *arr;
	char *s = NULL, key[24], val[24];

	if (root == NULL)
		return NULL;
	for (int k = 0; k < FAB_KINDS; k++) {
		arr = json_array();
		if (arr == NULL || json_object_set_new(root, kind_name[k], arr) < 0)
			goto out;
		for (size_t i = 0; i < owned[k].n; i++) {
			ent_fmt(k, &owned[k].e[i], key, val, sizeof(key));
			if (json_array_append_new(arr, json_pack("[s, s]", key, val)) < 0)
				goto out;
		}
	}
	s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
	json_decref(root);
	return s;
}

int
fab_state_parse(const char *text, size_t len, struct fab_set owned[FAB_KINDS])
{
	json_t *root, *it;
	int ret = -EINVAL;
	size_t i;

	for (int k = 0; k < FAB_KINDS; k++)
		fab_set_clear(&owned[k]);
	root = json_loadb(text, len, 0, NULL);
	if (!json_is_object(root))
		goto out;
	for (int k = 0; k < FAB_KINDS; k++) {
		json_array_foreach(json_object_get(root, kind_name[k]), i, it)
		{
			const char *key, *val;
			struct fab_ent e;

			if (json_unpack(it, "[s, s]", &key, &val) < 0 ||
			    ent_parse(k, key, val, &e) < 0)
				goto out;
			if (fab_set_add(&owned[k], e.key, e.val) < 0) {
				ret = -ENOMEM;
				goto out;
			}
		}
		fab_set_sort(&owned[k]);
	}
	ret = 0;
out:
	if (ret < 0)
		for (int k = 0; k < FAB_KINDS; k++)
			fab_set_clear(&owned[k]);
	json_decref(root);
	return ret;
}

int
fab_file_write(const char *path, const char *data, size_t len, bool sync)
{
	char tmp[4096], dir[4096];
	int fd, dfd, e;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto err_write;
		data += w;
		len -= w;
	}
	if (sync && fsync(fd) < 0)
		goto err_write;
	close(fd);
	if (rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		return -e;
	}
	if (!sync)
		return 0;
	strlcpy(dir, path, sizeof(dir));
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;

err_write:
	e = errno;
	close(fd);
	unlink(tmp);
	return -e;
}

int
fab_file_read(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		return -errno;
	for (;;) {
		if (cap - n < 4096) {
			char *b = realloc(buf, cap + 65536);

			if (b == NULL) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = b;
			cap += 65536;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);

		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}
