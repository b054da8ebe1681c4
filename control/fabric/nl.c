/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fabric interface's kernel state over rtnetlink (libmnl): see nl.h.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "fabric/nl.h"

#define DUMP_BUF 32768

int
fab_nl_open(struct fab_nl *n)
{
	int one = 1;

	memset(n, 0, sizeof(*n));
	n->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (n->nl == NULL)
		return -errno;
	if (mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(n->nl);
		n->nl = NULL;
		return -e;
	}
	/*
	 * Errors carry no copy of the request; dumps are filtered by the kernel
	 * (strict checking: the interface, the main table). The callbacks
	 * filter again for kernels that dump everything.
	 */
	mnl_socket_setsockopt(n->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(n->nl, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	n->portid = mnl_socket_get_portid(n->nl);
	n->seq = time(NULL);
	return 0;
}

void
fab_nl_close(struct fab_nl *n)
{
	if (n->nl != NULL)
		mnl_socket_close(n->nl);
	n->nl = NULL;
}

/* Send one request and run cb over the answers until the ACK or the dump's end. */
static int
talk(struct fab_nl *n, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static char buf[DUMP_BUF];
	uint32_t seq = ++n->seq;
	int ret;

	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t r = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));

		if (r < 0)
			return -errno;
		ret = mnl_cb_run(buf, r, seq, n->portid, cb, data);
		if (ret == MNL_CB_ERROR)
			return -errno;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

struct link_q {
	struct fab_ifinfo *info;
	bool found;
};

static int
link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct link_q *q = data;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	q->found = true;
	q->info->ifindex = ifi->ifi_index;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		if (mnl_attr_get_type(a) == IFLA_ADDRESS && mnl_attr_get_payload_len(a) == 6)
			memcpy(q->info->mac, mnl_attr_get_payload(a), 6);
		else if (mnl_attr_get_type(a) == IFLA_MTU)
			q->info->mtu = mnl_attr_get_u32(a);
	}
	return MNL_CB_OK;
}

int
fab_nl_link(struct fab_nl *n, const char *name, struct fab_ifinfo *info)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct link_q q = {.info = info};
	int ret;

	memset(info, 0, sizeof(*info));
	nlh->nlmsg_type = RTM_GETLINK;
	/* The answer, then the ACK that ends the exchange. */
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	ret = talk(n, nlh, link_cb, &q);
	if (ret == 0 && !q.found)
		ret = -ENODEV;
	return ret;
}

int
fab_nl_set_mtu(struct fab_nl *n, int ifindex, unsigned int mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return talk(n, nlh, NULL, NULL);
}

int
fab_nl_addr(struct fab_nl *n, int ifindex, uint32_t ip, uint8_t plen, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	uint32_t a = htonl(ip);

	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, 4, &a);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &a);
	return talk(n, nlh, NULL, NULL);
}

static void
put_neigh(struct nlmsghdr *nlh, int ifindex, const struct fab_ent *e, bool add)
{
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	uint32_t ip = htonl((uint32_t)e->key);
	uint8_t mac[6];

	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = NUD_PERMANENT;
	mnl_attr_put(nlh, NDA_DST, 4, &ip);
	if (add) {
		fab_u64_mac(e->val, mac);
		mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	}
}

static void
put_route(struct nlmsghdr *nlh, int ifindex, const struct fab_ent *e, bool add)
{
	struct rtmsg *rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	uint32_t dst = htonl((uint32_t)(e->key >> 8)), gw = htonl((uint32_t)e->val);

	rt->rtm_family = AF_INET;
	rt->rtm_dst_len = e->key & 0xff;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_STATIC;
	rt->rtm_scope = add ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
	rt->rtm_type = RTN_UNICAST;
	rt->rtm_flags = add ? RTNH_F_ONLINK : 0;
	mnl_attr_put(nlh, RTA_DST, 4, &dst);
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	if (add)
		mnl_attr_put(nlh, RTA_GATEWAY, 4, &gw);
}

static int
set_del(struct fab_nl *n, int ifindex, enum fab_kind kind, const struct fab_ent *e, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	if (kind == FAB_NEIGH) {
		nlh->nlmsg_type = add ? RTM_NEWNEIGH : RTM_DELNEIGH;
		put_neigh(nlh, ifindex, e, add);
	} else if (kind == FAB_ROUTE) {
		nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
		put_route(nlh, ifindex, e, add);
	} else {
		return -EINVAL;
	}
	return talk(n, nlh, NULL, NULL);
}

int
fab_nl_set(struct fab_nl *n, int ifindex, enum fab_kind kind, const struct fab_ent *e)
{
	return set_del(n, ifindex, kind, e, true);
}

int
fab_nl_del(struct fab_nl *n, int ifindex, enum fab_kind kind, const struct fab_ent *e)
{
	return set_del(n, ifindex, kind, e, false);
}

struct dump_q {
	int ifindex;
	struct fab_set *have;
	int err;
};

static int
neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	struct dump_q *q = data;
	const struct nlattr *a;
	uint32_t ip = 0;
	uint8_t mac[6];
	bool has_ip = false, has_mac = false;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nd->ndm_family != AF_INET ||
	    nd->ndm_ifindex != q->ifindex || !(nd->ndm_state & NUD_PERMANENT))
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*nd))
	{
		if (mnl_attr_get_type(a) == NDA_DST && mnl_attr_get_payload_len(a) == 4) {
			memcpy(&ip, mnl_attr_get_payload(a), 4);
			has_ip = true;
		} else if (mnl_attr_get_type(a) == NDA_LLADDR && mnl_attr_get_payload_len(a) == 6) {
			memcpy(mac, mnl_attr_get_payload(a), 6);
			has_mac = true;
		}
	}
	if (has_ip && has_mac && fab_set_add(q->have, ntohl(ip), fab_mac_u64(mac)) < 0)
		q->err = -ENOMEM;
	return MNL_CB_OK;
}

static int
route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rt = mnl_nlmsg_get_payload(nlh);
	struct dump_q *q = data;
	const struct nlattr *a;
	uint32_t dst = 0, gw = 0, table = rt->rtm_table;
	int oif = 0;
	bool has_gw = false;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rt->rtm_family != AF_INET ||
	    rt->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*rt))
	{
		switch (mnl_attr_get_type(a)) {
		case RTA_DST:
			memcpy(&dst, mnl_attr_get_payload(a), 4);
			break;
		case RTA_GATEWAY:
			memcpy(&gw, mnl_attr_get_payload(a), 4);
			has_gw = true;
			break;
		case RTA_OIF:
			oif = mnl_attr_get_u32(a);
			break;
		case RTA_TABLE:
			table = mnl_attr_get_u32(a);
			break;
		}
	}
	if (table != RT_TABLE_MAIN || oif != q->ifindex || !has_gw)
		return MNL_CB_OK;
	if (fab_set_add(q->have, (uint64_t)ntohl(dst) << 8 | rt->rtm_dst_len, ntohl(gw)) < 0)
		q->err = -ENOMEM;
	return MNL_CB_OK;
}

int
fab_nl_dump(struct fab_nl *n, int ifindex, enum fab_kind kind, struct fab_set *have)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct dump_q q = {.ifindex = ifindex, .have = have};
	int ret;

	fab_set_clear(have);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (kind == FAB_NEIGH) {
		struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));

		nlh->nlmsg_type = RTM_GETNEIGH;
		nd->ndm_family = AF_INET;
		mnl_attr_put_u32(nlh, NDA_IFINDEX, ifindex);
		ret = talk(n, nlh, neigh_cb, &q);
	} else if (kind == FAB_ROUTE) {
		struct rtmsg *rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));

		nlh->nlmsg_type = RTM_GETROUTE;
		rt->rtm_family = AF_INET;
		rt->rtm_table = RT_TABLE_MAIN;
		mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
		ret = talk(n, nlh, route_cb, &q);
	} else {
		return -EINVAL;
	}
	if (ret == 0)
		ret = q.err;
	fab_set_sort(have);
	return ret;
}

int
fab_nl_monitor_open(struct fab_nl *n)
{
	unsigned int groups[] = {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE,
				 RTNLGRP_NEIGH};
	int size = 4 << 20;

	memset(n, 0, sizeof(*n));
	n->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (n->nl == NULL || mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (mnl_socket_setsockopt(n->nl, NETLINK_ADD_MEMBERSHIP, &groups[i],
					  sizeof(groups[i])) < 0)
			goto err;
	/* A burst (a thousand routes set) must not overflow it; if it does, we are told. */
	setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	return 0;
err:
	if (n->nl != NULL) {
		int e = errno;

		mnl_socket_close(n->nl);
		n->nl = NULL;
		return -e;
	}
	return -errno;
}

int
fab_nl_fd(const struct fab_nl *n)
{
	return n->nl != NULL ? mnl_socket_get_fd(n->nl) : -1;
}

struct mon_q {
	int ifindex;
	const char *name;
	unsigned int ev;
};

static int
mon_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mon_q *q = data;
	const struct nlattr *a;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

		if (ifi->ifi_index == q->ifindex)
			q->ev |= FAB_NL_LINK;
		mnl_attr_for_each(a, nlh, sizeof(*ifi))
		{
			if (mnl_attr_get_type(a) == IFLA_IFNAME &&
			    strcmp(mnl_attr_get_str(a), q->name) == 0)
				q->ev |= FAB_NL_LINK;
		}
		break;
	}
	case RTM_DELADDR: {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

		if ((int)ifa->ifa_index == q->ifindex)
			q->ev |= FAB_NL_REMOVED;
		break;
	}
	case RTM_DELNEIGH: {
		const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);

		if (nd->ndm_ifindex == q->ifindex)
			q->ev |= FAB_NL_REMOVED;
		break;
	}
	case RTM_DELROUTE:
		mnl_attr_for_each(a, nlh, sizeof(struct rtmsg))
		{
			if (mnl_attr_get_type(a) == RTA_OIF &&
			    (int)mnl_attr_get_u32(a) == q->ifindex)
				q->ev |= FAB_NL_REMOVED;
		}
		break;
	}
	return MNL_CB_OK;
}

unsigned int
fab_nl_monitor_read(struct fab_nl *n, int ifindex, const char *name)
{
	static char buf[DUMP_BUF];
	struct mon_q q = {.ifindex = ifindex, .name = name};

	for (;;) {
		ssize_t r = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));

		if (r < 0 && errno == ENOBUFS) {
			/* Notifications were lost: assume the worst. */
			q.ev |= FAB_NL_LINK | FAB_NL_REMOVED;
			continue;
		}
		if (r <= 0)
			break;
		mnl_cb_run(buf, r, 0, 0, mon_cb, &q);
	}
	return q.ev;
}
