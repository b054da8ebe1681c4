/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxfabric's registry JSON (flannel's format), the registry view and the
 * agent's files: good and malformed leases, malformed ones never crash
 * and never remove a good lease.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fabric/files.h"
#include "fabric/registry.h"
#include "fabric/view.h"

#define PFX "/coreos.com/network"

static const char *const good_cfg =
	"{\"Network\": \"10.5.0.0/16\", \"SubnetLen\": 24, "
	"\"Backend\": {\"Type\": \"vxlan\", \"VNI\": 1, \"Port\": 8472}}";

static struct fab_net
net16(void)
{
	struct fab_net net;
	char err[128];

	assert_int_equal(fab_net_parse(good_cfg, strlen(good_cfg), &net, err, sizeof(err)), 0);
	return net;
}

static int
parse_cfg(const char *s, struct fab_net *net, char *err)
{
	return fab_net_parse(s, strlen(s), net, err, 128);
}

static void
test_config_good(void **state)
{
	struct fab_net net = net16();
	char err[128];
	uint32_t ip;

	fab_ip_parse("10.5.0.0", &ip);
	assert_int_equal(net.network, ip);
	assert_int_equal(net.plen, 16);
	assert_int_equal(net.subnet_len, 24);
	fab_ip_parse("10.5.1.0", &ip);
	assert_int_equal(net.subnet_min, ip); /* flannel skips the first subnet */
	fab_ip_parse("10.5.255.0", &ip);
	assert_int_equal(net.subnet_max, ip);
	assert_int_equal(net.vni, 1);
	assert_int_equal(net.port, 8472);
	assert_int_equal(fab_subnet_count(&net), 255);

	/* flannel's defaults: VNI 1, Port 8472 (0 too), SubnetLen 24 (or /net + 2). */
	assert_int_equal(parse_cfg("{\"Network\":\"10.5.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}",
				   &net, err),
			 0);
	assert_int_equal(net.vni, 1);
	assert_int_equal(net.port, 8472);
	assert_int_equal(net.subnet_len, 24);
	assert_int_equal(parse_cfg("{\"Network\":\"10.5.0.0/24\",\"Backend\":{\"Type\":\"vxlan\","
				   "\"VNI\":7,\"Port\":0},\"Extra\":[1,2]}",
				   &net, err),
			 0);
	assert_int_equal(net.subnet_len, 26);
	assert_int_equal(net.vni, 7);
	assert_int_equal(net.port, 8472);
	assert_int_equal(parse_cfg("{\"Network\":\"10.5.0.0/16\",\"SubnetLen\":26,"
				   "\"SubnetMin\":\"10.5.8.0\",\"SubnetMax\":\"10.5.8.192\","
				   "\"Backend\":{\"Type\":\"vxlan\",\"Port\":4789}}",
				   &net, err),
			 0);
	assert_int_equal(fab_subnet_count(&net), 4);
	assert_int_equal(net.port, 4789);
}

static void
test_config_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"{",
		"[]",
		"{\"Network\":\"10.5.0.0/16\"}", /* flannel's udp backend */
		"{\"Network\":\"10.5.0.0/16\",\"Backend\":{\"Type\":\"host-gw\"}}",
		"{\"Network\":\"10.5.0.1/16\",\"Backend\":{\"Type\":\"vxlan\"}}",
		"{\"Network\":\"2001:db8::/64\",\"Backend\":{\"Type\":\"vxlan\"}}",
		"{\"Network\":16,\"Backend\":{\"Type\":\"vxlan\"}}",
		"{\"Network\":\"10.5.0.0/30\",\"Backend\":{\"Type\":\"vxlan\"}}",
		"{\"Network\":\"10.5.0.0/16\",\"SubnetLen\":16,\"Backend\":{\"Type\":\"vxlan\"}}",
		"{\"Network\":\"10.5.0.0/"
		"16\",\"SubnetLen\":\"24\",\"Backend\":{\"Type\":\"vxlan\"}}",
		"{\"Network\":\"10.5.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":16777216}}",
		"{\"Network\":\"10.5.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"Port\":65536}}",
		"{\"Network\":\"10.5.0.0/"
		"16\",\"SubnetMin\":\"10.6.0.0\",\"Backend\":{\"Type\":\"vxlan\"}}",
		"{\"Network\":\"10.5.0.0/"
		"16\",\"SubnetMin\":\"10.5.1.1\",\"Backend\":{\"Type\":\"vxlan\"}}",
		"{\"Network\":\"10.5.0.0/"
		"16\",\"SubnetMin\":\"10.5.9.0\",\"SubnetMax\":\"10.5.8.0\","
		"\"Backend\":{\"Type\":\"vxlan\"}}",
	};
	struct fab_net net;
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse_cfg(bad[i], &net, err), -EINVAL);
		assert_true(err[0] != '\0');
	}
}

static void
test_key(void **state)
{
	char key[128];
	uint32_t sub, ip;
	uint8_t plen;
	const char *k = PFX "/subnets/10.5.10.0-24";

	assert_int_equal(fab_key_parse(k, strlen(k), PFX, &sub, &plen), 0);
	fab_ip_parse("10.5.10.0", &ip);
	assert_int_equal(sub, ip);
	assert_int_equal(plen, 24);
	fab_key_fmt(PFX, sub, plen, key, sizeof(key));
	assert_string_equal(key, PFX "/subnets/10.5.10.0-24");

	static const char *const bad[] = {
		PFX "/subnets/10.5.10.1-24",
		PFX "/subnets/10.5.10.0",
		PFX "/subnets/10.5.10.0-33",
		PFX "/subnets/",
		PFX "/config",
		"/other/subnets/10.5.10.0-24",
		PFX "/subnets/10.5.10.0-24x",
		PFX "/subnets/fe80::-64",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(fab_key_parse(bad[i], strlen(bad[i]), PFX, &sub, &plen), -EINVAL);
}

static int
parse_lease(const char *s, struct fab_lease *l, char *err)
{
	struct fab_net net = net16();

	return fab_lease_parse(s, strlen(s), &net, l, err, 128);
}

static void
test_lease_good(void **state)
{
	static const uint8_t mac[6] = {0x82, 0x4b, 0xb6, 0x2f, 0x54, 0x4e};
	struct fab_lease l = {0}, l2;
	char err[128], *s;
	uint32_t ip;

	/* flannel v0.2x, and an older flannel without VNI, with PublicIPv6 and extra fields. */
	assert_int_equal(
		parse_lease("{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\","
			    "\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"82:4b:b6:2f:54:4e\"}}",
			    &l, err),
		0);
	fab_ip_parse("198.51.100.1", &ip);
	assert_int_equal(l.public_ip, ip);
	assert_memory_equal(l.mac, mac, 6);
	assert_int_equal(parse_lease("{\"PublicIP\":\"198.51.100.1\",\"PublicIPv6\":null,"
				     "\"BackendType\":\"vxlan\",\"BackendData\":{\"VtepMAC\":"
				     "\"82:4B:B6:2F:54:4E\"},\"BackendV6Data\":null}",
				     &l, err),
			 0);
	assert_memory_equal(l.mac, mac, 6);

	/* What vxfabric writes is what flannel writes, and reads back. */
	l.subnet = 0x0a050a00;
	l.plen = 24;
	s = fab_lease_fmt(&l, 1);
	assert_non_null(s);
	assert_string_equal(s, "{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\","
			       "\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"82:4b:b6:2f:54:4e\"}}");
	l2 = l;
	memset(l2.mac, 0, 6);
	assert_int_equal(parse_lease(s, &l2, err), 0);
	assert_true(fab_lease_eq(&l, &l2));
	free(s);
}

static void
test_lease_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"{\"PublicIP\":\"198.51.100.1\"",
		"null",
		"[\"PublicIP\"]",
		"{}",
		"{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\"}",
		"{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\",\"BackendData\":{}}",
		"{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"udp\",\"BackendData\":{"
		"\"VtepMAC\":"
		"\"02:00:00:00:00:01\"}}",
		"{\"PublicIP\":\"198.51.100\",\"BackendType\":\"vxlan\",\"BackendData\":{"
		"\"VtepMAC\":"
		"\"02:00:00:00:00:01\"}}",
		"{\"PublicIP\":\"224.0.0.1\",\"BackendType\":\"vxlan\",\"BackendData\":{"
		"\"VtepMAC\":"
		"\"02:00:00:00:00:01\"}}",
		"{\"PublicIP\":\"0.0.0.0\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VtepMAC\":"
		"\"02:00:00:00:00:01\"}}",
		"{\"PublicIP\":7,\"BackendType\":\"vxlan\",\"BackendData\":{\"VtepMAC\":"
		"\"02:00:00:00:00:01\"}}",
		"{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\",\"BackendData\":{"
		"\"VtepMAC\":"
		"\"01:00:5e:00:00:01\"}}",
		"{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\",\"BackendData\":{"
		"\"VtepMAC\":"
		"\"00:00:00:00:00:00\"}}",
		"{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\",\"BackendData\":{"
		"\"VtepMAC\":"
		"\"02:00:00:00:00\"}}",
		"{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\",\"BackendData\":{"
		"\"VtepMAC\":"
		"\"02-00-00-00-00-01\"}}",
		"{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\",\"BackendData\":{"
		"\"VtepMAC\":"
		"\"02:00:00:00:00:01\",\"VNI\":2}}",
		"{\"PublicIP\":\"198.51.100.1\",\"BackendType\":\"vxlan\",\"BackendData\":{"
		"\"VtepMAC\":"
		"\"02:00:00:00:00:01\",\"VNI\":\"1\"}}",
		"{\"PublicIP\":\"198.51.100.1\",\"PublicIP\":\"198.51.100.2\",\"BackendType\":"
		"\"vxlan\","
		"\"BackendData\":{\"VtepMAC\":\"02:00:00:00:00:01\"}}",
	};
	struct fab_lease l;
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse_lease(bad[i], &l, err), -EINVAL);
		assert_true(err[0] != '\0');
	}
	/* A value with NUL bytes inside, and one far too deep, are refused too. */
	static const char nul[] = "{\"PublicIP\":\"1\0\"}";

	assert_int_equal(
		fab_lease_parse(nul, sizeof(nul) - 1, &(struct fab_net){0}, &l, err, sizeof(err)),
		-EINVAL);
	size_t n = 100000;
	char *deep = malloc(2 * n + 1);

	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	assert_int_equal(parse_lease(deep, &l, err), -EINVAL);
	free(deep);
}

static const char *const v_a = "{\"PublicIP\":\"198.51.100.2\",\"BackendType\":\"vxlan\","
			       "\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"02:00:00:00:00:02\"}}";
static const char *const v_b = "{\"PublicIP\":\"198.51.100.3\",\"BackendType\":\"vxlan\","
			       "\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"02:00:00:00:00:03\"}}";

static int
apply(struct fab_view *v, const struct fab_view *prev, const char *key, const char *val, bool del)
{
	struct fab_net net = net16();
	char err[128];

	return fab_view_apply(v, prev, &net, PFX, key, strlen(key), val, val ? strlen(val) : 0, del,
			      err, sizeof(err));
}

static void
test_view_events(void **state)
{
	struct fab_view v = {0};
	const struct fab_lease *l;
	uint32_t s20, s30;

	fab_ip_parse("10.5.20.0", &s20);
	fab_ip_parse("10.5.30.0", &s30);
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.5.30.0-24", v_b, false), 1);
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.5.20.0-24", v_a, false), 1);
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.5.20.0-24", v_a, false), 0);
	assert_int_equal(v.n, 2);
	assert_int_equal(v.l[0].subnet, s20); /* sorted */

	/* A malformed update keeps the good lease the subnet had. */
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.5.20.0-24", "{\"PublicIP\":", false),
			 -EINVAL);
	l = fab_view_find(&v, s20);
	assert_non_null(l);
	assert_int_equal(l->mac[5], 2);
	assert_int_equal(v.n, 2);
	/* A malformed new subnet adds nothing. */
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.5.40.0-24", "x", false), -EINVAL);
	assert_int_equal(v.n, 2);
	/* Keys that are no leases of this network are left alone. */
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.6.40.0-24", v_a, false), -ENOENT);
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.5.0.0-24", v_a, false), -ENOENT);
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.5.40.0-25", v_a, false), -ENOENT);
	assert_int_equal(apply(&v, NULL, PFX "/config", v_a, false), -ENOENT);
	/* Deletions. */
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.5.30.0-24", NULL, true), 1);
	assert_int_equal(apply(&v, NULL, PFX "/subnets/10.5.30.0-24", NULL, true), 0);
	assert_null(fab_view_find(&v, s30));
	assert_int_equal(v.n, 1);
	fab_view_free(&v);
}

static void
test_view_resync(void **state)
{
	struct fab_view old = {0}, nv = {0};
	uint32_t s20, s30;

	fab_ip_parse("10.5.20.0", &s20);
	fab_ip_parse("10.5.30.0", &s30);
	apply(&old, NULL, PFX "/subnets/10.5.20.0-24", v_a, false);
	apply(&old, NULL, PFX "/subnets/10.5.30.0-24", v_b, false);
	/* A range read where 10.5.20.0's value went bad and 10.5.30.0 is gone. */
	assert_int_equal(apply(&nv, &old, PFX "/subnets/10.5.20.0-24", "{bad", false), -EINVAL);
	assert_int_equal(nv.n, 1);
	assert_non_null(fab_view_find(&nv, s20));
	assert_true(fab_lease_eq(fab_view_find(&nv, s20), fab_view_find(&old, s20)));
	assert_null(fab_view_find(&nv, s30));
	fab_view_free(&old);
	fab_view_free(&nv);
}

static void
test_env_file(void **state)
{
	struct fab_net net = net16();
	char buf[256];
	uint32_t sub, want;
	uint8_t plen;

	fab_ip_parse("10.5.10.0", &want);
	fab_env_fmt(buf, sizeof(buf), &net, want, 24, 1450);
	assert_string_equal(buf, "FLANNEL_NETWORK=10.5.0.0/16\nFLANNEL_SUBNET=10.5.10.1/24\n"
				 "FLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n");
	assert_int_equal(fab_env_subnet(buf, &sub, &plen), 0);
	assert_int_equal(sub, want);
	assert_int_equal(plen, 24);
	assert_int_equal(fab_env_subnet("FLANNEL_NETWORK=10.5.0.0/16\n", &sub, &plen), -ENOENT);
	assert_int_equal(fab_env_subnet("FLANNEL_SUBNET=junk\n", &sub, &plen), -ENOENT);
	assert_int_equal(fab_env_subnet("", &sub, &plen), -ENOENT);
}

static void
test_state_file(void **state)
{
	struct fab_set a[FAB_KINDS] = {0}, b[FAB_KINDS] = {0};
	char *s;

	fab_set_add(&a[FAB_FDB], 0x020000000002ull, 0xc6336402);
	fab_set_add(&a[FAB_NEIGH], 0x0a051400, 0x020000000002ull);
	fab_set_add(&a[FAB_ROUTE], 0x0a051400ull << 8 | 24, 0x0a051400);
	s = fab_state_fmt(a);
	assert_non_null(s);
	assert_string_equal(s, "{\"fdb\":[[\"02:00:00:00:00:02\",\"198.51.100.2\"]],"
			       "\"neigh\":[[\"10.5.20.0\",\"02:00:00:00:00:02\"]],"
			       "\"route\":[[\"10.5.20.0/24\",\"10.5.20.0\"]]}");
	assert_int_equal(fab_state_parse(s, strlen(s), b), 0);
	for (int k = 0; k < FAB_KINDS; k++) {
		assert_int_equal(b[k].n, 1);
		assert_true(a[k].e[0].key == b[k].e[0].key && a[k].e[0].val == b[k].e[0].val);
	}
	free(s);
	/* A broken file gives an empty record, never a partial one. */
	static const char broken[] = "{\"fdb\":[[\"02:00:00:00:00:02\",\"198.51.100.2\"]],"
				     "\"neigh\":[[\"bad\"]]}";

	assert_int_equal(fab_state_parse(broken, sizeof(broken) - 1, b), -EINVAL);
	for (int k = 0; k < FAB_KINDS; k++) {
		assert_int_equal(b[k].n, 0);
		fab_set_free(&a[k]);
		fab_set_free(&b[k]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_good),
		cmocka_unit_test(test_config_bad),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_lease_good),
		cmocka_unit_test(test_lease_malformed),
		cmocka_unit_test(test_view_events),
		cmocka_unit_test(test_view_resync),
		cmocka_unit_test(test_env_file),
		cmocka_unit_test(test_state_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
