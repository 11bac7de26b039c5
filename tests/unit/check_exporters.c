/*
 * The headless exporters of probe/: EMF decoration of log lines, the
 * summary event's fields and the Prometheus text of /metrics.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "probe/emf.h"
#include "probe/metrics.h"
#include "probe/summary.h"

static cJSON *
probe_line(const char *target, int ok)
{
	cJSON *line = cJSON_CreateObject();

	cJSON_AddStringToObject(line, "ts", "2026-12-03T16:29:31.123Z");
	cJSON_AddStringToObject(line, "level", "info");
	cJSON_AddStringToObject(line, "event", "probe");
	cJSON_AddStringToObject(line, "target", target);
	cJSON_AddBoolToObject(line, "ok", ok);
	cJSON_AddNumberToObject(line, "status", ok ? 200 : 503);
	cJSON_AddNumberToObject(line, "duration_ms", 12.5);
	return line;
}

START_TEST(emf_parses_the_log_timestamp)
{
	ck_assert_int_eq(
	    probe_emf_parse_ts("2026-12-03T16:29:31.123Z"), 1796315371123LL);
	ck_assert_int_eq(probe_emf_parse_ts("1970-01-01T00:00:00.000Z"), 0);
	ck_assert_int_eq(probe_emf_parse_ts("2026-12-03T16:29:31Z"), -1);
	ck_assert_int_eq(probe_emf_parse_ts("2026-12-03T16:29:31.123Zx"), -1);
	ck_assert_int_eq(probe_emf_parse_ts(""), -1);
	ck_assert_int_eq(probe_emf_parse_ts(NULL), -1);
}
END_TEST

START_TEST(emf_adds_metrics_per_target_to_probe_lines)
{
	cJSON *line = probe_line("api", 0);
	cJSON *aws, *d, *dims, *metrics;
	const char *names[] = {"success", "failure", "duration_ms", "status"};
	int i;

	probe_emf_decorate(line, "probe", (void *)"Custom/Ns");
	ck_assert_int_eq(cJSON_GetObjectItem(line, "success")->valueint, 0);
	ck_assert_int_eq(cJSON_GetObjectItem(line, "failure")->valueint, 1);
	aws = cJSON_GetObjectItem(line, "_aws");
	ck_assert_ptr_nonnull(aws);
	ck_assert_double_eq(cJSON_GetObjectItem(aws, "Timestamp")->valuedouble,
	    1796315371123.0);
	d = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(aws, "CloudWatchMetrics"), 0);
	ck_assert_str_eq(
	    cJSON_GetObjectItem(d, "Namespace")->valuestring, "Custom/Ns");
	dims = cJSON_GetObjectItem(d, "Dimensions");
	ck_assert_int_eq(cJSON_GetArraySize(dims), 1);
	ck_assert_str_eq(
	    cJSON_GetArrayItem(cJSON_GetArrayItem(dims, 0), 0)->valuestring,
	    "target");
	metrics = cJSON_GetObjectItem(d, "Metrics");
	ck_assert_int_eq(cJSON_GetArraySize(metrics), 4);
	for (i = 0; i < 4; i++)
		ck_assert_str_eq(
		    cJSON_GetObjectItem(cJSON_GetArrayItem(metrics, i), "Name")
		        ->valuestring,
		    names[i]);
	cJSON_Delete(line);
}
END_TEST

START_TEST(emf_counts_a_success_once)
{
	cJSON *line = probe_line("api", 1);

	probe_emf_decorate(line, "probe", (void *)"Luna");
	ck_assert_int_eq(cJSON_GetObjectItem(line, "success")->valueint, 1);
	ck_assert_int_eq(cJSON_GetObjectItem(line, "failure")->valueint, 0);
	cJSON_Delete(line);
}
END_TEST

START_TEST(emf_leaves_other_events_alone)
{
	cJSON *line = probe_line("api", 1);
	char *before = cJSON_PrintUnformatted(line);
	char *after;

	probe_emf_decorate(line, "summary", (void *)"Luna");
	probe_emf_decorate(line, "state", (void *)"Luna");
	after = cJSON_PrintUnformatted(line);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	cJSON_Delete(line);
}
END_TEST

static struct probe_target summary_target = {.name = (char *)"api"};

START_TEST(summary_counts_since_the_last_period)
{
	struct probe_summary *s = probe_summary_create(1);
	struct probe_snapshot *snap = calloc(1, sizeof *snap);
	cJSON *f;

	snap->state = PROBE_STATE_UP;
	snap->total = 10;
	snap->failures = 2;
	snap->p50_ms = 12.34;
	snap->p95_ms = 40.06;
	snap->p99_ms = 99.99;
	f = probe_summary_fields(s, 0, &summary_target, snap, 60000);
	ck_assert_str_eq(cJSON_GetObjectItem(f, "target")->valuestring, "api");
	ck_assert_str_eq(cJSON_GetObjectItem(f, "state")->valuestring, "up");
	ck_assert_int_eq(cJSON_GetObjectItem(f, "count")->valueint, 10);
	ck_assert_int_eq(cJSON_GetObjectItem(f, "failures")->valueint, 2);
	ck_assert_double_eq(
	    cJSON_GetObjectItem(f, "error_rate")->valuedouble, 0.2);
	ck_assert_double_eq(
	    cJSON_GetObjectItem(f, "p50_ms")->valuedouble, 12.34);
	ck_assert_double_eq(
	    cJSON_GetObjectItem(f, "period_s")->valuedouble, 60);
	cJSON_Delete(f);

	snap->total = 14;
	snap->failures = 5;
	f = probe_summary_fields(s, 0, &summary_target, snap, 30000);
	ck_assert_int_eq(cJSON_GetObjectItem(f, "count")->valueint, 4);
	ck_assert_int_eq(cJSON_GetObjectItem(f, "failures")->valueint, 3);
	ck_assert_double_eq(
	    cJSON_GetObjectItem(f, "error_rate")->valuedouble, 0.75);
	ck_assert_int_eq(cJSON_GetObjectItem(f, "total")->valueint, 14);
	ck_assert_int_eq(cJSON_GetObjectItem(f, "total_failures")->valueint, 5);
	cJSON_Delete(f);
	free(snap);
	probe_summary_destroy(s);
}
END_TEST

START_TEST(summary_of_a_quiet_period_has_zero_error_rate)
{
	struct probe_summary *s = probe_summary_create(1);
	struct probe_snapshot *snap = calloc(1, sizeof *snap);
	cJSON *f;

	f = probe_summary_fields(s, 0, &summary_target, snap, 60000);
	ck_assert_int_eq(cJSON_GetObjectItem(f, "count")->valueint, 0);
	ck_assert_double_eq(
	    cJSON_GetObjectItem(f, "error_rate")->valuedouble, 0);
	ck_assert_str_eq(
	    cJSON_GetObjectItem(f, "state")->valuestring, "unknown");
	cJSON_Delete(f);

	/* Stats cleared under the summary: count from zero, never wrap. */
	snap->total = 3;
	cJSON_Delete(probe_summary_fields(s, 0, &summary_target, snap, 1000));
	snap->total = 1;
	f = probe_summary_fields(s, 0, &summary_target, snap, 1000);
	ck_assert_int_eq(cJSON_GetObjectItem(f, "count")->valueint, 1);
	cJSON_Delete(f);
	free(snap);
	probe_summary_destroy(s);
}
END_TEST

static struct probe_target metric_targets[] = {
    {.name = (char *)"api"},
    {.name = (char *)"we\"ird\\name"},
};
static struct probe_target_list metric_list = {metric_targets, 2};

static void
record(struct probe_metrics *m, size_t t, enum probe_error e, int status,
    double ms, enum probe_state state)
{
	struct probe_result r;

	memset(&r, 0, sizeof r);
	r.target = t;
	r.error = e;
	r.ok = e == PROBE_ERR_NONE;
	r.status = status;
	r.duration_ms = ms;
	r.state = state;
	probe_metrics_record(m, &r);
}

START_TEST(metrics_count_results_by_target_and_kind)
{
	struct probe_metrics *m = probe_metrics_create(&metric_list);
	char *text;

	record(m, 0, PROBE_ERR_NONE, 200, 3, PROBE_STATE_UP);
	record(m, 0, PROBE_ERR_NONE, 200, 30, PROBE_STATE_UP);
	record(m, 0, PROBE_ERR_TIMEOUT, 0, 2000, PROBE_STATE_UP);
	text = probe_metrics_render(m, NULL);
	ck_assert_ptr_nonnull(strstr(
	    text, "luna_probes_total{target=\"api\",result=\"ok\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(
	    text, "luna_probes_total{target=\"api\",result=\"timeout\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(
	    text, "luna_probes_total{target=\"api\",result=\"dns\"} 0\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "# TYPE luna_probes_total counter\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "luna_target_up{target=\"api\"} 1\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "luna_probe_last_status{target=\"api\"} 0\n"));
	free(text);
	probe_metrics_destroy(m);
}
END_TEST

START_TEST(metrics_histogram_is_cumulative)
{
	struct probe_metrics *m = probe_metrics_create(&metric_list);
	char *text;

	record(m, 0, PROBE_ERR_NONE, 200, 4, PROBE_STATE_UP);
	record(m, 0, PROBE_ERR_NONE, 200, 40, PROBE_STATE_UP);
	record(m, 0, PROBE_ERR_NONE, 200, 20000, PROBE_STATE_UP);
	text = probe_metrics_render(m, NULL);
	ck_assert_ptr_nonnull(strstr(text, "luna_probe_duration_seconds_bucket{"
	                                   "target=\"api\",le=\"0.005\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "luna_probe_duration_seconds_bucket{"
	                                   "target=\"api\",le=\"0.05\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(text, "luna_probe_duration_seconds_bucket{"
	                                   "target=\"api\",le=\"10\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(text, "luna_probe_duration_seconds_bucket{"
	                                   "target=\"api\",le=\"+Inf\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(text,
	    "luna_probe_duration_seconds_sum{target=\"api\"} 20.044000\n"));
	ck_assert_ptr_nonnull(strstr(
	    text, "luna_probe_duration_seconds_count{target=\"api\"} 3\n"));
	free(text);
	probe_metrics_destroy(m);
}
END_TEST

START_TEST(metrics_escape_label_values)
{
	struct probe_metrics *m = probe_metrics_create(&metric_list);
	char buf[8];
	char *text;

	record(m, 1, PROBE_ERR_STATUS, 503, 1, PROBE_STATE_DOWN);
	text = probe_metrics_render(m, NULL);
	ck_assert_ptr_nonnull(
	    strstr(text, "luna_target_up{target=\"we\\\"ird\\\\name\"} 0\n"));
	/* A target without a verdict has no up gauge at all. */
	ck_assert_ptr_null(strstr(text, "luna_target_up{target=\"api\"}"));
	free(text);
	ck_assert_str_eq(
	    probe_metrics_escape("a\nb", buf, sizeof buf), "a\\nb");
	ck_assert_str_eq(
	    probe_metrics_escape("\"\"\"\"", buf, sizeof buf), "\\\"\\\"\\\"");
	probe_metrics_destroy(m);
}
END_TEST

START_TEST(metrics_render_mock_counts_and_process_values)
{
	struct probe_metrics *m = probe_metrics_create(&metric_list);
	struct probe_metrics_code codes[] = {{0, 4}, {200, 17}, {503, 2}};
	struct probe_metrics_extra x = {.heartbeat_age_s = 0.25,
	    .start_time_s = 1796315371.5,
	    .log_dropped = 3,
	    .mock = codes,
	    .nmock = 3};
	char *text = probe_metrics_render(m, &x);

	ck_assert_ptr_nonnull(
	    strstr(text, "luna_mock_requests_total{code=\"fault\"} 4\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "luna_mock_requests_total{code=\"200\"} 17\n"));
	ck_assert_ptr_nonnull(
	    strstr(text, "luna_engine_heartbeat_age_seconds 0.250\n"));
	ck_assert_ptr_nonnull(strstr(text, "luna_log_dropped_lines_total 3\n"));
	ck_assert_ptr_nonnull(strstr(text, "luna_build_info{version=\""));
	free(text);
	probe_metrics_destroy(m);
}
END_TEST

static Suite *
exporters_suite(void)
{
	Suite *s = suite_create("exporters");
	TCase *emf = tcase_create("emf");
	TCase *summary = tcase_create("summary");
	TCase *metrics = tcase_create("metrics");

	tcase_add_test(emf, emf_parses_the_log_timestamp);
	tcase_add_test(emf, emf_adds_metrics_per_target_to_probe_lines);
	tcase_add_test(emf, emf_counts_a_success_once);
	tcase_add_test(emf, emf_leaves_other_events_alone);
	tcase_add_test(summary, summary_counts_since_the_last_period);
	tcase_add_test(summary, summary_of_a_quiet_period_has_zero_error_rate);
	tcase_add_test(metrics, metrics_count_results_by_target_and_kind);
	tcase_add_test(metrics, metrics_histogram_is_cumulative);
	tcase_add_test(metrics, metrics_escape_label_values);
	tcase_add_test(metrics, metrics_render_mock_counts_and_process_values);
	suite_add_tcase(s, emf);
	suite_add_tcase(s, summary);
	suite_add_tcase(s, metrics);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(exporters_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
