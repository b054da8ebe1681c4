/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The etcd watch stream as the JSON gateway sends it (one JSON object a
 * line, keys and values in base64), fed to etcd.c's parser by hand: puts
 * and deletes, a message split across reads, a cancel after a compaction,
 * an error message, garbage. No etcd: the watch's transfer is never run.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fabric/etcd.h"

static struct fab_etcd e;

static int
setup(void **state)
{
	assert_int_equal(fab_etcd_init(&e, "http://127.0.0.1:9,http://127.0.0.2:9", 100), 0);
	assert_int_equal(fab_etcd_watch_start(&e, "/p/subnets/", 5), 0);
	return 0;
}

static int
teardown(void **state)
{
	fab_etcd_fini(&e);
	return 0;
}

/* Append bytes as if curl had received them. */
static void
feed(const char *s)
{
	size_t l = strlen(s);

	e.wbuf.p = realloc(e.wbuf.p, e.wbuf.len + l + 1);
	assert_non_null(e.wbuf.p);
	memcpy(e.wbuf.p + e.wbuf.len, s, l + 1);
	e.wbuf.len += l;
	e.wbuf.cap = e.wbuf.len + 1;
}

/* "/p/subnets/10.5.1.0-24" = L3Avc3VibmV0cy8xMC41LjEuMC0yNA==, "v1" = djE= */
#define KEY1 "L3Avc3VibmV0cy8xMC41LjEuMC0yNA=="
#define HDR  "{\"header\":{\"cluster_id\":\"1\",\"revision\":\"9\"}"

static void
test_events(void **state)
{
	struct fab_wev ev;

	feed("{\"result\":" HDR ",\"created\":true}}\n");
	assert_int_equal(fab_etcd_watch_next(&e, &ev), 0);
	/* Two events in one message, the second split across two reads. */
	feed("{\"result\":" HDR ",\"events\":[{\"kv\":{\"key\":\"" KEY1 "\",\"create_revision\":"
	     "\"6\",\"mod_revision\":\"6\",\"version\":\"1\",\"value\":\"djE=\",\"lease\":\"77\"}},"
	     "{\"type\":\"DELETE\",\"kv\":{\"key\":\"" KEY1);
	assert_int_equal(fab_etcd_watch_next(&e, &ev), 0); /* no whole line yet */
	feed("\",\"mod_revision\":\"7\"}}]}}\n");
	assert_int_equal(fab_etcd_watch_next(&e, &ev), 1);
	assert_false(ev.del);
	assert_string_equal(ev.kv.key, "/p/subnets/10.5.1.0-24");
	assert_int_equal(ev.kv.vlen, 2);
	assert_string_equal(ev.kv.val, "v1");
	assert_int_equal(ev.kv.lease, 77);
	assert_int_equal(ev.kv.mod_rev, 6);
	fab_kv_free(&ev.kv);
	assert_int_equal(fab_etcd_watch_next(&e, &ev), 1);
	assert_true(ev.del);
	assert_string_equal(ev.kv.key, "/p/subnets/10.5.1.0-24");
	assert_int_equal(ev.kv.vlen, 0);
	assert_int_equal(ev.kv.mod_rev, 7);
	fab_kv_free(&ev.kv);
	assert_int_equal(fab_etcd_watch_next(&e, &ev), 0);
	assert_true(fab_etcd_watching(&e));

	/* A garbled line and an event without a key are skipped; the stream goes on. */
	feed("not json at all\n{\"result\":" HDR ",\"events\":[{\"kv\":{\"value\":\"djE=\"}},"
	     "{\"kv\":{\"key\":\"!!!\"}}]}}\n");
	assert_int_equal(fab_etcd_watch_next(&e, &ev), 0);
	assert_true(fab_etcd_watching(&e));
}

static void
test_compacted(void **state)
{
	struct fab_wev ev;

	/* etcd cancels a watch whose start revision was compacted: a full read is due. */
	feed("{\"result\":{\"header\":{\"cluster_id\":\"1\"},\"canceled\":true,"
	     "\"compact_revision\":\"3\"}}\n");
	assert_int_equal(fab_etcd_watch_next(&e, &ev), -ECANCELED);
	assert_non_null(strstr(e.werr, "compacted at 3"));
	assert_false(fab_etcd_watching(&e));
	assert_int_equal(fab_etcd_watch_next(&e, &ev), -EPIPE);
}

static void
test_error(void **state)
{
	struct fab_wev ev;

	feed("{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":\"etcdserver: no "
	     "leader\"}}\n");
	assert_int_equal(fab_etcd_watch_next(&e, &ev), -EPIPE);
	assert_non_null(strstr(e.werr, "no leader"));
	assert_false(fab_etcd_watching(&e));
}

static void
test_endpoints(void **state)
{
	struct fab_etcd x;

	assert_int_equal(fab_etcd_init(&x, "http://a:2379/, https://b:2379", 100), 0);
	assert_int_equal(x.n_ep, 2);
	assert_string_equal(x.ep[0], "http://a:2379");
	assert_string_equal(fab_etcd_endpoint(&x), "http://a:2379");
	fab_etcd_fini(&x);
	assert_int_equal(fab_etcd_init(&x, "a:2379", 100), -EINVAL);
	assert_int_equal(fab_etcd_init(&x, "", 100), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compacted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error, setup, teardown),
		cmocka_unit_test(test_endpoints),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
