/*
 * The probe engine against a real HTTP server on loopback
 * (libmicrohttpd, in this process): schedule, overlap, wakeups and the
 * mock's change header.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "common/clock.h"
#include "probe/engine.h"

#define MAX_RESULTS 256

static struct MHD_Daemon *server;
static int server_port;
static char err[256];

/* What the engine handed on, gathered under a lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct probe_result results[MAX_RESULTS];
static size_t nresults;

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **state)
{
	static char body[] = "hello";
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (strcmp(url, "/slow") == 0)
		usleep(300 * 1000);
	r = MHD_create_response_from_buffer(
	    strlen(body), body, MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/change") == 0)
		MHD_add_response_header(r, "X-Luna-Change", "17");
	ret =
	    MHD_queue_response(c, strcmp(url, "/missing") == 0 ? 404 : 200, r);
	MHD_destroy_response(r);
	return ret;
}

static void
start_server(void)
{
	const union MHD_DaemonInfo *info;

	server = MHD_start_daemon(
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0,
	    NULL, NULL, answer, NULL, MHD_OPTION_END);
	ck_assert_ptr_nonnull(server);
	info = MHD_get_daemon_info(server, MHD_DAEMON_INFO_BIND_PORT);
	server_port = info->port;
	pthread_mutex_lock(&lock);
	nresults = 0;
	pthread_mutex_unlock(&lock);
}

static void
stop_server(void)
{
	MHD_stop_daemon(server);
}

static void
on_result(const struct probe_target *t, const struct probe_result *r,
    int changed, enum probe_state previous, void *arg)
{
	pthread_mutex_lock(&lock);
	if (nresults < MAX_RESULTS)
		results[nresults++] = *r;
	pthread_mutex_unlock(&lock);
}

static size_t
count(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = nresults;
	pthread_mutex_unlock(&lock);
	return n;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Targets for PATHS on the test server, all with INTERVAL_MS. */
static void
make_targets(
    struct probe_target_list *l, const char *const *paths, int64_t interval_ms)
{
	struct probe_defaults d;
	char url[128];

	probe_defaults_init(&d);
	d.interval_ms = interval_ms;
	for (; *paths != NULL; paths++) {
		snprintf(url, sizeof url, "http://127.0.0.1:%d%s", server_port,
		    *paths);
		ck_assert_int_eq(
		    probe_targets_add_url(l, NULL, url, &d, err, sizeof err),
		    0);
	}
}

static struct probe_engine *
start_engine(struct probe_target_list *l, struct probe_stats **stats, bool once)
{
	struct probe_engine_config c = {0};
	struct probe_engine *e;

	*stats = probe_stats_create(l->count, 3, 2);
	c.targets = l;
	c.stats = *stats;
	c.on_result = on_result;
	c.once = once;
	e = probe_engine_start(&c, err, sizeof err);
	ck_assert_ptr_nonnull(e);
	return e;
}

START_TEST(engine_reads_status_and_mock_change)
{
	static const char *const paths[] = {"/change", "/missing", NULL};
	struct probe_target_list l = {0};
	struct probe_stats *stats;
	struct probe_engine *e;
	size_t i;

	start_server();
	make_targets(&l, paths, 5000);
	e = start_engine(&l, &stats, true);
	probe_engine_wait(e);
	probe_engine_stop(e);
	ck_assert_uint_eq(count(), 2);
	for (i = 0; i < 2; i++) {
		const struct probe_result *r = &results[i];

		ck_assert_uint_eq(r->seq, 1);
		ck_assert_uint_eq(r->bytes, 5);
		ck_assert(r->duration_ms >= r->ttfb_ms);
		if (r->target == 0) {
			ck_assert(r->ok);
			ck_assert_int_eq(r->mock_change, 17);
		} else {
			ck_assert(!r->ok);
			ck_assert_int_eq(r->status, 404);
			ck_assert_int_eq(r->error, PROBE_ERR_STATUS);
			ck_assert_int_eq(r->mock_change, -1);
		}
	}
	probe_stats_destroy(stats);
	probe_targets_clear(&l);
	stop_server();
}
END_TEST

/* Wait up to TIMEOUT_MS for N results; a loaded machine is slow. */
static bool
wait_for_count(size_t n, long timeout_ms)
{
	long waited;

	for (waited = 0; waited < timeout_ms; waited += 10) {
		if (count() >= n)
			return true;
		sleep_ms(10);
	}
	return count() >= n;
}

/* Result I was due on the grid of result 0 with INTERVAL_MS. */
static void
assert_on_grid(size_t i, int64_t interval_ms)
{
	int64_t offset =
	    results[i].scheduled_mono_ms - results[0].scheduled_mono_ms;

	ck_assert_int_eq(offset % interval_ms, 0);
	if (i > 0)
		ck_assert_int_gt(results[i].scheduled_mono_ms,
		    results[i - 1].scheduled_mono_ms);
	ck_assert_int_ge(
	    results[i].started_mono_ms, results[i].scheduled_mono_ms);
	ck_assert_uint_eq(results[i].seq, i + 1);
}

START_TEST(engine_keeps_schedule_without_drift)
{
	static const char *const paths[] = {"/plain", NULL};
	struct probe_target_list l = {0};
	struct probe_stats *stats;
	struct probe_engine *e;
	uint64_t skipped;
	size_t i, n;
	int64_t slots;

	start_server();
	make_targets(&l, paths, 100);
	e = start_engine(&l, &stats, false);
	ck_assert(wait_for_count(10, 10000));
	skipped = probe_engine_skipped(e);
	probe_engine_stop(e);
	n = count();

	/* Due times stay on start + k * interval, however late a start. */
	for (i = 0; i < n; i++)
		assert_on_grid(i, 100);
	slots =
	    (results[n - 1].scheduled_mono_ms - results[0].scheduled_mono_ms) /
	    100;
	ck_assert_int_ge(slots, (int64_t)n - 1);
	ck_assert_int_le(slots, (int64_t)(n - 1 + skipped));
	probe_stats_destroy(stats);
	probe_targets_clear(&l);
	stop_server();
}
END_TEST

START_TEST(engine_skips_slots_of_a_busy_target)
{
	static const char *const paths[] = {"/slow", NULL};
	struct probe_target_list l = {0};
	struct probe_stats *stats;
	struct probe_engine *e;
	uint64_t skipped;
	size_t i, n;

	start_server();
	make_targets(&l, paths, 100);
	e = start_engine(&l, &stats, false);
	ck_assert(wait_for_count(3, 10000));
	skipped = probe_engine_skipped(e);
	probe_engine_stop(e);
	n = count();
	ck_assert_uint_ge(skipped, 4);
	for (i = 0; i < n; i++) {
		assert_on_grid(i, 100);
		ck_assert_double_ge(results[i].duration_ms, 300);
		/* Never two at once: each starts after the last ended. */
		if (i > 0)
			ck_assert_int_ge(results[i].started_mono_ms,
			    results[i - 1].started_mono_ms +
			        (int64_t)results[i - 1].duration_ms);
	}
	probe_stats_destroy(stats);
	probe_targets_clear(&l);
	stop_server();
}
END_TEST

START_TEST(probe_now_and_pause_wake_the_engine)
{
	static const char *const paths[] = {"/plain", NULL};
	struct probe_target_list l = {0};
	struct probe_stats *stats;
	struct probe_engine *e;
	int64_t beat;

	start_server();
	make_targets(&l, paths, 60000);
	e = start_engine(&l, &stats, false);
	ck_assert(wait_for_count(1, 5000));
	probe_engine_probe_now(e, SIZE_MAX);
	ck_assert(wait_for_count(2, 5000));

	/* While paused, probe_now still works; the schedule does not. */
	probe_engine_pause(e, true);
	probe_engine_probe_now(e, 0);
	ck_assert(wait_for_count(3, 5000));
	probe_engine_take_max_lag_ms(e);
	beat = probe_engine_heartbeat_ms(e);
	sleep_ms(1500);
	ck_assert_int_gt(probe_engine_heartbeat_ms(e), beat);
	ck_assert_uint_eq(count(), 3);
	ck_assert_double_eq(probe_engine_take_max_lag_ms(e), 0);
	probe_engine_stop(e);
	probe_stats_destroy(stats);
	probe_targets_clear(&l);
	stop_server();
}
END_TEST

START_TEST(pause_holds_the_schedule_until_resumed)
{
	static const char *const paths[] = {"/plain", NULL};
	struct probe_target_list l = {0};
	struct probe_stats *stats;
	struct probe_engine *e;
	size_t paused_at;

	start_server();
	make_targets(&l, paths, 100);
	e = start_engine(&l, &stats, false);
	ck_assert(wait_for_count(2, 5000));
	probe_engine_pause(e, true);
	sleep_ms(150); /* a probe in flight may still finish */
	paused_at = count();
	sleep_ms(500);
	ck_assert_uint_eq(count(), paused_at);
	ck_assert_uint_ge(probe_engine_skipped(e), 3);
	probe_engine_pause(e, false);
	ck_assert(wait_for_count(paused_at + 3, 5000));
	probe_engine_stop(e);
	probe_stats_destroy(stats);
	probe_targets_clear(&l);
	stop_server();
}
END_TEST

static Suite *
engine_suite(void)
{
	Suite *s = suite_create("probe_engine");
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, engine_reads_status_and_mock_change);
	tcase_add_test(tc, engine_keeps_schedule_without_drift);
	tcase_add_test(tc, engine_skips_slots_of_a_busy_target);
	tcase_add_test(tc, probe_now_and_pause_wake_the_engine);
	tcase_add_test(tc, pause_holds_the_schedule_until_resumed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	sr = srunner_create(engine_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	curl_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
