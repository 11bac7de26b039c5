#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/check.h"
#include "probe/output.h"
#include "probe/stats.h"
#include "probe/target.h"

static char err[512];

START_TEST(expect_parses_class_and_range)
{
	struct probe_expect e;

	ck_assert_int_eq(
	    probe_expect_parse("2xx,301,400-404", &e, err, sizeof err), 0);
	ck_assert(probe_expect_match(&e, 200));
	ck_assert(probe_expect_match(&e, 299));
	ck_assert(probe_expect_match(&e, 301));
	ck_assert(probe_expect_match(&e, 400));
	ck_assert(probe_expect_match(&e, 404));
	ck_assert(!probe_expect_match(&e, 300));
	ck_assert(!probe_expect_match(&e, 405));
	ck_assert(!probe_expect_match(&e, 0));
	ck_assert(!probe_expect_match(&e, 600));
}
END_TEST

START_TEST(expect_refuses_and_names_bad_part)
{
	static const char *const bad[] = {"", "2xx,", "99", "600", "6xx",
	    "200-", "300-200", "2x", "abc", "200-299-300", "1000"};
	struct probe_expect e;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(
		    probe_expect_parse(bad[i], &e, err, sizeof err) == -1,
		    "accepted '%s'", bad[i]);
		ck_assert_ptr_nonnull(strstr(err, "bad expect"));
	}
	probe_expect_parse("200,2y9", &e, err, sizeof err);
	ck_assert_ptr_nonnull(strstr(err, "'2y9'"));
}
END_TEST

START_TEST(expect_formats_back_as_ranges)
{
	struct probe_expect e;
	char buf[128];

	probe_expect_parse("2xx, 301,404", &e, err, sizeof err);
	probe_expect_format(&e, buf, sizeof buf);
	ck_assert_str_eq(buf, "200-299,301,404");
}
END_TEST

START_TEST(targets_list_takes_names_and_defaults)
{
	struct probe_target_list l = {0};
	struct probe_defaults d;

	probe_defaults_init(&d);
	d.interval_ms = 1234;
	ck_assert_int_eq(probe_targets_parse_list(&l,
	                     "api=http://a.example:8080/health, "
	                     "https://b.example/x?q=1&r=2,http://b.example/",
	                     &d, err, sizeof err),
	    0);
	ck_assert_uint_eq(l.count, 3);
	ck_assert_str_eq(l.items[0].name, "api");
	ck_assert_str_eq(l.items[0].url, "http://a.example:8080/health");
	ck_assert_str_eq(l.items[1].name, "b.example/x");
	ck_assert_str_eq(l.items[1].url, "https://b.example/x?q=1&r=2");
	ck_assert_str_eq(l.items[2].name, "b.example");
	ck_assert_int_eq(l.items[2].interval_ms, 1234);
	ck_assert_int_eq(l.items[2].timeout_ms, 2000);
	ck_assert_str_eq(l.items[2].method, "GET");
	ck_assert(probe_expect_match(&l.items[2].expect, 204));
	ck_assert_uint_eq(l.items[2].max_body_bytes, PROBE_MAX_BODY_DEFAULT);
	ck_assert(!l.items[2].keepalive);
	probe_targets_clear(&l);
	ck_assert_uint_eq(l.count, 0);
}
END_TEST

START_TEST(targets_list_is_unchanged_on_error)
{
	struct probe_target_list l = {0};
	struct probe_defaults d;

	probe_defaults_init(&d);
	probe_targets_add_url(&l, "x", "http://x/", &d, err, sizeof err);
	ck_assert_int_eq(probe_targets_parse_list(
	                     &l, "http://ok/,ftp://no/", &d, err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "'ftp://no/'"));
	ck_assert_uint_eq(l.count, 1);
	ck_assert_int_eq(
	    probe_targets_parse_list(&l, " , ", &d, err, sizeof err), -1);
	ck_assert_int_eq(
	    probe_targets_add_url(&l, "x", "http://y/", &d, err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "duplicate target name 'x'"));
	ck_assert_int_eq(
	    probe_targets_add_url(&l, NULL, "not a url", &d, err, sizeof err),
	    -1);
	ck_assert_uint_eq(l.count, 1);
	probe_targets_clear(&l);
}
END_TEST

START_TEST(targets_same_url_get_distinct_names)
{
	struct probe_target_list l = {0};
	struct probe_defaults d;

	probe_defaults_init(&d);
	ck_assert_int_eq(probe_targets_parse_list(
	                     &l, "http://a/,http://a/", &d, err, sizeof err),
	    0);
	ck_assert_str_eq(l.items[0].name, "a");
	ck_assert_str_eq(l.items[1].name, "a#2");
	ck_assert_int_eq(probe_targets_find(&l, "a#2"), 1);
	ck_assert_int_eq(probe_targets_find(&l, "b"), -1);
	probe_targets_clear(&l);
}
END_TEST

/* Write TEXT to a temp file; returns its path (static buffer). */
static const char *
temp_file(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/check_probe_XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

START_TEST(config_file_sets_every_target_field)
{
	struct probe_target_list l = {0};
	struct probe_defaults d;
	const char *path = temp_file("{\"targets\": [{\"name\": \"api\", "
	                             "\"url\": \"https://api.example/h\", "
	                             "\"method\": \"POST\", \"headers\": "
	                             "{\"X-A\": \"1\"}, \"body\": \"{}\", "
	                             "\"interval\": \"10s\", \"timeout\": "
	                             "\"500ms\", \"expect\": \"2xx,301\", "
	                             "\"body_contains\": \"ok\", "
	                             "\"body_regex\": \"^o.$\", "
	                             "\"max_latency\": \"300ms\", "
	                             "\"follow_redirects\": true, "
	                             "\"insecure\": true, \"ip\": \"6\", "
	                             "\"keepalive\": true, \"max_body\": "
	                             "\"64k\"}]}");
	struct probe_target *t;

	probe_defaults_init(&d);
	ck_assert_int_eq(
	    probe_targets_load_file(&l, path, &d, err, sizeof err), 0);
	unlink(path);
	ck_assert_uint_eq(l.count, 1);
	t = &l.items[0];
	ck_assert_str_eq(t->name, "api");
	ck_assert_str_eq(t->method, "POST");
	ck_assert_str_eq(t->headers[0], "X-A: 1");
	ck_assert_ptr_null(t->headers[1]);
	ck_assert_str_eq(t->body, "{}");
	ck_assert_int_eq(t->interval_ms, 10000);
	ck_assert_int_eq(t->timeout_ms, 500);
	ck_assert(probe_expect_match(&t->expect, 301));
	ck_assert_str_eq(t->body_contains, "ok");
	ck_assert_ptr_nonnull(t->body_regex_compiled);
	ck_assert_int_eq(t->max_latency_ms, 300);
	ck_assert_int_eq(t->max_redirects, PROBE_REDIRECTS_DEFAULT);
	ck_assert(t->insecure && t->keepalive);
	ck_assert_int_eq(t->ip, PROBE_IP_V6);
	ck_assert_uint_eq(t->max_body_bytes, 65536);
	probe_targets_clear(&l);
}
END_TEST

START_TEST(config_file_errors_name_file_target_and_field)
{
	struct probe_target_list l = {0};
	struct probe_defaults d;
	const char *path;

	probe_defaults_init(&d);
	path = temp_file("{\"targets\": [{\"url\": \"http://a/\"}, "
	                 "{\"url\": \"http://b/\", \"body_regex\": \"(\"}]}");
	ck_assert_int_eq(
	    probe_targets_load_file(&l, path, &d, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "targets[1].body_regex"));
	ck_assert_uint_eq(l.count, 0);
	unlink(path);

	path = temp_file("[{\"url\": \"http://a/\", \"ip\": \"5\"}]");
	ck_assert_int_eq(
	    probe_targets_load_file(&l, path, &d, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "targets[0].ip"));
	unlink(path);

	path = temp_file("[{\"name\": \"n\"}]");
	ck_assert_int_eq(
	    probe_targets_load_file(&l, path, &d, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "targets[0].url"));
	unlink(path);
	ck_assert_int_eq(probe_targets_load_file(
	                     &l, "/nonexistent/x.json", &d, err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot read config"));
	probe_targets_clear(&l);
}
END_TEST

/* A check input for a transfer that got as far as PHASE. */
static struct probe_check_input
input(CURLcode code, long os_errno, int phase)
{
	struct probe_check_input in = {0};

	in.code = code;
	in.os_errno = os_errno;
	in.curl_error = "";
	in.host = "api.example";
	in.address = "10.0.0.1:80";
	in.timeout_ms = 2000;
	in.content_length = -1;
	in.max_body_bytes = 1024;
	in.max_redirects = 5;
	in.resolved = phase >= 1;
	in.connected = phase >= 2;
	in.request_sent = phase >= 3;
	in.received = phase >= 4 ? 12 : 0;
	in.headers_done = phase >= 5;
	return in;
}

static enum probe_error
kind(struct probe_check_input in, const char *detail)
{
	struct probe_result r = {.ok = true};

	probe_check_classify(&in, &r);
	if (detail != NULL)
		ck_assert_msg(strstr(r.error_detail, detail) != NULL,
		    "'%s' not in '%s'", detail, r.error_detail);
	ck_assert(!r.ok);
	return r.error;
}

START_TEST(classify_maps_each_curl_code_to_its_kind)
{
	ck_assert_int_eq(kind(input(CURLE_COULDNT_RESOLVE_HOST, 0, 0),
	                     "cannot resolve host 'api.example', while "
	                     "resolving"),
	    PROBE_ERR_DNS);
	ck_assert_int_eq(kind(input(CURLE_COULDNT_CONNECT, ECONNREFUSED, 1),
	                     "refused by 10.0.0.1:80, while connecting"),
	    PROBE_ERR_CONNECT);
	ck_assert_int_eq(kind(input(CURLE_OPERATION_TIMEDOUT, 0, 3),
	                     "no answer within 2000 ms, while waiting"),
	    PROBE_ERR_TIMEOUT);
	ck_assert_int_eq(
	    kind(input(CURLE_OPERATION_TIMEDOUT, 0, 1), "while connecting"),
	    PROBE_ERR_TIMEOUT);
	ck_assert_int_eq(
	    kind(input(CURLE_PEER_FAILED_VERIFICATION, 0, 2), "not trusted"),
	    PROBE_ERR_TLS);
	ck_assert_int_eq(
	    kind(input(CURLE_SSL_CONNECT_ERROR, 0, 2), NULL), PROBE_ERR_TLS);
	ck_assert_int_eq(kind(input(CURLE_RECV_ERROR, ECONNRESET, 4),
	                     "connection reset by peer after 12 bytes, "
	                     "while reading the response headers"),
	    PROBE_ERR_RESET);
	ck_assert_int_eq(kind(input(CURLE_GOT_NOTHING, 0, 3),
	                     "without a reply, while waiting for the response"),
	    PROBE_ERR_EMPTY);
	ck_assert_int_eq(kind(input(CURLE_WEIRD_SERVER_REPLY, 0, 4), NULL),
	    PROBE_ERR_PROTOCOL);
	ck_assert_int_eq(kind(input(CURLE_PARTIAL_FILE, 0, 5),
	                     "while reading the response body"),
	    PROBE_ERR_PROTOCOL);
	ck_assert_int_eq(kind(input(CURLE_RECV_ERROR, 0, 5), "malformed"),
	    PROBE_ERR_PROTOCOL);
	ck_assert_int_eq(kind(input(CURLE_TOO_MANY_REDIRECTS, 0, 5),
	                     "more than 5 redirects"),
	    PROBE_ERR_REDIRECTS);
}
END_TEST

START_TEST(classify_puts_too_large_before_the_write_error)
{
	struct probe_check_input in = input(CURLE_WRITE_ERROR, 0, 5);

	in.too_large = true;
	ck_assert_int_eq(
	    kind(in, "over the 1024-byte cap"), PROBE_ERR_TOO_LARGE);
}
END_TEST

START_TEST(classify_leaves_a_complete_transfer_ok)
{
	struct probe_check_input in = input(CURLE_OK, 0, 5);
	struct probe_result r = {.ok = true};

	probe_check_classify(&in, &r);
	ck_assert(r.ok);
	ck_assert_int_eq(r.error, PROBE_ERR_NONE);
}
END_TEST

START_TEST(response_checks_status_body_then_latency)
{
	struct probe_target_list l = {0};
	struct probe_defaults d;
	struct probe_result r = {0};
	struct probe_target *t;

	probe_defaults_init(&d);
	probe_targets_add_url(&l, "t", "http://a/", &d, err, sizeof err);
	t = &l.items[0];
	t->body_contains = strdup("healthy");
	t->max_latency_ms = 100;

	r.status = 503;
	probe_check_response(t, "healthy", 7, &r);
	ck_assert_int_eq(r.error, PROBE_ERR_STATUS);
	ck_assert_str_eq(r.error_detail, "status 503, expected 200-299");
	r.status = 200;
	probe_check_response(t, "sick", 4, &r);
	ck_assert_int_eq(r.error, PROBE_ERR_BODY);
	r.duration_ms = 150;
	probe_check_response(t, "all healthy", 11, &r);
	ck_assert_int_eq(r.error, PROBE_ERR_LATENCY);
	r.duration_ms = 50;
	probe_check_response(t, "all healthy", 11, &r);
	ck_assert(r.ok);
	ck_assert_str_eq(r.error_detail, "");
	probe_targets_clear(&l);
}
END_TEST

static int
record(struct probe_stats *s, bool ok, int64_t wall_ms, double ms,
    enum probe_state *prev)
{
	struct probe_result r = {0};

	r.ok = ok;
	r.status = ok ? 200 : 0;
	r.started_wall_ms = wall_ms;
	r.duration_ms = ms;
	return probe_stats_record(s, &r, prev);
}

START_TEST(thresholds_need_consecutive_results)
{
	struct probe_stats *s = probe_stats_create(1, 3, 2);
	enum probe_state prev;
	int64_t t = 1700000000000;

	ck_assert_int_eq(record(s, true, t, 5, &prev), 1);
	ck_assert_int_eq(prev, PROBE_STATE_UNKNOWN);
	ck_assert_int_eq(record(s, false, t, 5, &prev), 0);
	ck_assert_int_eq(record(s, false, t, 5, &prev), 0);
	ck_assert_int_eq(record(s, true, t, 5, &prev), 0);
	ck_assert_int_eq(record(s, false, t, 5, &prev), 0);
	ck_assert_int_eq(record(s, false, t, 5, &prev), 0);
	ck_assert_int_eq(record(s, false, t, 5, &prev), 1);
	ck_assert_int_eq(prev, PROBE_STATE_UP);
	ck_assert_int_eq(record(s, true, t, 5, &prev), 0);
	ck_assert_int_eq(record(s, false, t, 5, &prev), 0);
	ck_assert_int_eq(record(s, true, t, 5, &prev), 0);
	ck_assert_int_eq(record(s, true, t, 5, &prev), 1);
	ck_assert_int_eq(prev, PROBE_STATE_DOWN);
	probe_stats_destroy(s);
}
END_TEST

START_TEST(first_failure_sets_down_at_once)
{
	struct probe_stats *s = probe_stats_create(2, 3, 2);
	struct probe_result r = {0};
	enum probe_state prev;

	r.target = 1;
	ck_assert_int_eq(probe_stats_record(s, &r, &prev), 1);
	ck_assert_int_eq(r.state, PROBE_STATE_DOWN);
	ck_assert_int_eq(r.consecutive, 1);
	probe_stats_destroy(s);
}
END_TEST

START_TEST(snapshot_counts_seconds_and_error_rate)
{
	struct probe_stats *s = probe_stats_create(1, 3, 2);
	struct probe_snapshot *snap = malloc(sizeof *snap);
	int64_t now = 1700000000500;
	int i;

	for (i = 0; i < 30; i++)
		record(s, i % 3 != 0, now - 1000 * i, 10, NULL);
	record(s, false, now - 120000, 10, NULL);
	probe_stats_snapshot(s, 0, now, snap);
	ck_assert_uint_eq(snap->total, 31);
	ck_assert_uint_eq(snap->failures, 11);
	ck_assert_uint_eq(snap->count_1m, 30);
	ck_assert_double_eq_tol(snap->error_rate_1m, 10.0 / 30, 1e-9);
	ck_assert_uint_eq(snap->seconds[PROBE_STATS_SECONDS - 1].count, 1);
	ck_assert_uint_eq(snap->seconds[PROBE_STATS_SECONDS - 1].failures, 1);
	ck_assert_uint_eq(snap->seconds[PROBE_STATS_SECONDS - 2].failures, 0);
	ck_assert_uint_eq(snap->seconds[PROBE_STATS_SECONDS - 121].count, 1);
	ck_assert_uint_eq(snap->nrecent, 31);
	ck_assert_int_eq(snap->recent[0].started_wall_ms, now - 120000);
	ck_assert_int_eq(snap->recent[1].started_wall_ms, now - 29000);

	/* Ten minutes later the old seconds are gone, the totals stay. */
	probe_stats_snapshot(s, 0, now + 700000, snap);
	ck_assert_uint_eq(snap->count_1m, 0);
	ck_assert_uint_eq(snap->seconds[0].count, 0);
	ck_assert_uint_eq(snap->total, 31);
	free(snap);
	probe_stats_destroy(s);
}
END_TEST

START_TEST(a_single_fast_probe_reports_its_own_latency)
{
	struct probe_stats *s = probe_stats_create(1, 3, 2);
	struct probe_snapshot *snap = malloc(sizeof *snap);
	int64_t now = 1700000000000;

	record(s, true, now, 0.207, NULL);
	probe_stats_snapshot(s, 0, now, snap);
	ck_assert_double_eq_tol(snap->p50_ms, 0.207, 0.001);
	ck_assert_double_eq_tol(snap->p99_ms, 0.207, 0.001);
	free(snap);
	probe_stats_destroy(s);
}
END_TEST

START_TEST(sub_millisecond_percentiles_are_within_five_percent)
{
	struct probe_stats *s = probe_stats_create(1, 3, 2);
	struct probe_snapshot *snap = malloc(sizeof *snap);
	int64_t now = 1700000000000;
	int i;

	/* 0.101..0.300 ms: p50 0.2, p95 0.29. */
	for (i = 1; i <= 200; i++)
		record(s, true, now - (i % 60) * 1000, 0.1 + i / 1000.0, NULL);
	probe_stats_snapshot(s, 0, now, snap);
	ck_assert_double_eq_tol(snap->p50_ms, 0.2, 0.01);
	ck_assert_double_eq_tol(snap->p95_ms, 0.29, 0.0145);
	free(snap);
	probe_stats_destroy(s);
}
END_TEST

START_TEST(percentiles_are_within_ten_percent)
{
	struct probe_stats *s = probe_stats_create(1, 3, 2);
	struct probe_snapshot *snap = malloc(sizeof *snap);
	int64_t now = 1700000000000;
	int i;

	/* 1..1000 ms, spread over the last 4 minutes. */
	for (i = 1; i <= 1000; i++)
		record(s, true, now - (i % 240) * 1000, i, NULL);
	probe_stats_snapshot(s, 0, now, snap);
	ck_assert_double_eq_tol(snap->p50_ms, 500, 50);
	ck_assert_double_eq_tol(snap->p95_ms, 950, 95);
	ck_assert_double_eq_tol(snap->p99_ms, 990, 99);

	/* Answers older than 5 minutes no longer count. */
	probe_stats_snapshot(s, 0, now + 600000, snap);
	ck_assert_double_eq(snap->p50_ms, 0);
	free(snap);
	probe_stats_destroy(s);
}
END_TEST

START_TEST(clear_forgets_counts_but_keeps_state)
{
	struct probe_stats *s = probe_stats_create(1, 1, 1);
	struct probe_snapshot *snap = malloc(sizeof *snap);
	int64_t now = 1700000000000;

	record(s, false, now, 5, NULL);
	probe_stats_clear(s);
	probe_stats_snapshot(s, 0, now, snap);
	ck_assert_uint_eq(snap->total, 0);
	ck_assert_uint_eq(snap->nrecent, 0);
	ck_assert_int_eq(snap->state, PROBE_STATE_DOWN);
	free(snap);
	probe_stats_destroy(s);
}
END_TEST

START_TEST(output_has_schema_fields_and_null_error_when_ok)
{
	struct probe_target_list l = {0};
	struct probe_defaults d;
	struct probe_result r = {0};
	static const char *const fields[] = {"target", "url", "method", "ok",
	    "status", "error", "error_detail", "duration_ms", "dns_ms",
	    "connect_ms", "tls_ms", "ttfb_ms", "bytes", "seq", "state"};
	cJSON *j, *item;
	size_t i = 0;

	probe_defaults_init(&d);
	probe_targets_add_url(&l, "t", "http://a/", &d, err, sizeof err);
	r.ok = true;
	r.status = 200;
	r.duration_ms = 1.23456;
	r.seq = 7;
	r.state = PROBE_STATE_UP;
	j = probe_output_result_json(&l.items[0], &r);
	cJSON_ArrayForEach (item, j) {
		ck_assert_uint_lt(i, sizeof fields / sizeof *fields);
		ck_assert_str_eq(item->string, fields[i++]);
	}
	ck_assert_uint_eq(i, sizeof fields / sizeof *fields);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "error")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "error_detail")));
	ck_assert_double_eq(
	    cJSON_GetObjectItem(j, "duration_ms")->valuedouble, 1.235);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "state")->valuestring, "up");
	cJSON_Delete(j);

	r.ok = false;
	r.error = PROBE_ERR_TOO_LARGE;
	snprintf(r.error_detail, sizeof r.error_detail, "big");
	j = probe_output_result_json(&l.items[0], &r);
	ck_assert_str_eq(
	    cJSON_GetObjectItem(j, "error")->valuestring, "too_large");
	ck_assert_str_eq(
	    cJSON_GetObjectItem(j, "error_detail")->valuestring, "big");
	cJSON_Delete(j);
	probe_targets_clear(&l);
}
END_TEST

START_TEST(error_names_match_the_schema)
{
	ck_assert_ptr_null(probe_error_name(PROBE_ERR_NONE));
	ck_assert_str_eq(probe_error_name(PROBE_ERR_DNS), "dns");
	ck_assert_str_eq(probe_error_name(PROBE_ERR_EMPTY), "empty");
	ck_assert_str_eq(probe_error_name(PROBE_ERR_REDIRECTS), "redirects");
	ck_assert_ptr_null(probe_error_name(PROBE_ERR_COUNT));
	ck_assert_str_eq(probe_state_name(PROBE_STATE_DOWN), "down");
}
END_TEST

static Suite *
probe_suite(void)
{
	Suite *s = suite_create("probe");
	TCase *parse = tcase_create("parse");
	TCase *check = tcase_create("check");
	TCase *stats = tcase_create("stats");

	tcase_add_test(parse, expect_parses_class_and_range);
	tcase_add_test(parse, expect_refuses_and_names_bad_part);
	tcase_add_test(parse, expect_formats_back_as_ranges);
	tcase_add_test(parse, targets_list_takes_names_and_defaults);
	tcase_add_test(parse, targets_list_is_unchanged_on_error);
	tcase_add_test(parse, targets_same_url_get_distinct_names);
	tcase_add_test(parse, config_file_sets_every_target_field);
	tcase_add_test(parse, config_file_errors_name_file_target_and_field);
	tcase_add_test(check, classify_maps_each_curl_code_to_its_kind);
	tcase_add_test(check, classify_puts_too_large_before_the_write_error);
	tcase_add_test(check, classify_leaves_a_complete_transfer_ok);
	tcase_add_test(check, response_checks_status_body_then_latency);
	tcase_add_test(check, output_has_schema_fields_and_null_error_when_ok);
	tcase_add_test(check, error_names_match_the_schema);
	tcase_add_test(stats, thresholds_need_consecutive_results);
	tcase_add_test(stats, first_failure_sets_down_at_once);
	tcase_add_test(stats, snapshot_counts_seconds_and_error_rate);
	tcase_add_test(stats, percentiles_are_within_ten_percent);
	tcase_add_test(stats, a_single_fast_probe_reports_its_own_latency);
	tcase_add_test(
	    stats, sub_millisecond_percentiles_are_within_five_percent);
	tcase_add_test(stats, clear_forgets_counts_but_keeps_state);
	suite_add_tcase(s, parse);
	suite_add_tcase(s, check);
	suite_add_tcase(s, stats);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(probe_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
