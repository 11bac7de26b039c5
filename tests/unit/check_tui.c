#include <arpa/inet.h>
#include <check.h>
#include <curses.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "mockserver/client.h"
#include "mockserver/server.h"
#include "tui/control.h"
#include "tui/detail.h"
#include "tui/format.h"
#include "tui/frame.h"
#include "tui/keymap.h"
#include "tui/layout.h"
#include "tui/sparkline.h"
#include "tui/table.h"
#include "tui/terminal.h"

#define FULL_BLOCK "\xe2\x96\x88"
#define LOW_BLOCK  "\xe2\x96\x81"
/* 12:00:00 UTC on a whole multiple of the sparkline span. */
#define NOW_MS 1764763200000LL

static struct probe_snapshot snap;

/* Cells of a UTF-8 string: every byte that does not continue a glyph. */
static size_t
cells(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* A snapshot of a target that is down on 503s after 20 healthy seconds. */
static void
make_down_snapshot(struct probe_snapshot *s)
{
	size_t i;

	memset(s, 0, sizeof *s);
	s->state = PROBE_STATE_DOWN;
	s->total = 30;
	s->failures = 10;
	s->count_1m = 30;
	s->error_rate_1m = 10.0 / 30;
	s->p50_ms = 1.5;
	s->p95_ms = 23;
	s->nrecent = 3;
	for (i = 0; i < 3; i++) {
		s->recent[i].status = 503;
		s->recent[i].error = PROBE_ERR_STATUS;
		s->recent[i].duration_ms = 12.3;
		s->recent[i].started_wall_ms = NOW_MS - (int64_t)i * 1000;
	}
	for (i = PROBE_STATS_SECONDS - 30; i < PROBE_STATS_SECONDS; i++) {
		s->seconds[i].count = 1;
		s->seconds[i].latency_sum_ms = 2;
		s->seconds[i].failures = i >= PROBE_STATS_SECONDS - 10;
	}
}

START_TEST(glyphs_follow_the_codeset)
{
	ck_assert_int_eq(tui_sparkline_glyphs_for("UTF-8"), TUI_GLYPHS_UNICODE);
	ck_assert_int_eq(tui_sparkline_glyphs_for("utf8"), TUI_GLYPHS_UNICODE);
	ck_assert_int_eq(
	    tui_sparkline_glyphs_for("ANSI_X3.4-1968"), TUI_GLYPHS_ASCII);
	ck_assert_int_eq(tui_sparkline_glyphs_for(NULL), TUI_GLYPHS_ASCII);
}
END_TEST

START_TEST(sparkline_scales_to_max_and_blanks_gaps)
{
	double v[] = {0, 0.5, 1, NAN, 0.001};
	char buf[64];

	tui_sparkline_render(v, 5, 1.0, TUI_GLYPHS_ASCII, buf, sizeof buf);
	ck_assert_str_eq(buf, "_=# .");
	tui_sparkline_render(v, 3, 1.0, TUI_GLYPHS_UNICODE, buf, sizeof buf);
	ck_assert_str_eq(buf, LOW_BLOCK "\xe2\x96\x85" FULL_BLOCK);
}
END_TEST

START_TEST(sparkline_scales_to_largest_without_max)
{
	double v[] = {10, 20, 40};
	char buf[64];

	tui_sparkline_render(v, 3, 0, TUI_GLYPHS_ASCII, buf, sizeof buf);
	ck_assert_str_eq(buf, "-=#");
}
END_TEST

START_TEST(sparkline_never_cuts_a_glyph)
{
	double v[] = {1, 1, 1, 1};
	char buf[8];
	size_t n;

	n = tui_sparkline_render(v, 4, 1, TUI_GLYPHS_UNICODE, buf, sizeof buf);
	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(buf, FULL_BLOCK FULL_BLOCK);
}
END_TEST

START_TEST(series_sums_whole_spans_and_the_current_part)
{
	struct probe_bucket b[12];
	double out[4];

	memset(b, 0, sizeof b);
	b[11].count = 2; /* the current second: one of two failed */
	b[11].failures = 1;
	b[10].count = 1; /* the span before: all ok */
	b[5].count = 1;
	b[5].failures = 1; /* the span before that: all failed */
	tui_sparkline_series(b, 12, TUI_SERIES_ERROR_RATE, 5, 1, out, 4);
	ck_assert(isnan(out[0]));
	ck_assert_double_eq(out[1], 1.0);
	ck_assert_double_eq(out[2], 0.0);
	ck_assert_double_eq(out[3], 0.5);
}
END_TEST

START_TEST(series_of_latency_is_the_mean)
{
	struct probe_bucket b[4];
	double out[1];

	memset(b, 0, sizeof b);
	b[2].count = 2;
	b[2].latency_sum_ms = 30;
	b[3].count = 1;
	b[3].latency_sum_ms = 60;
	tui_sparkline_series(b, 4, TUI_SERIES_LATENCY, 4, 4, out, 1);
	ck_assert_double_eq(out[0], 30.0);
}
END_TEST

START_TEST(ms_and_rates_stay_short)
{
	char buf[32];

	tui_format_ms(0.42, buf, sizeof buf);
	ck_assert_str_eq(buf, "0.4ms");
	tui_format_ms(123.4, buf, sizeof buf);
	ck_assert_str_eq(buf, "123ms");
	tui_format_ms(1250, buf, sizeof buf);
	ck_assert_str_eq(buf, "1.25s");
	tui_format_ms(1000, buf, sizeof buf);
	ck_assert_str_eq(buf, "1s");
	tui_format_ms(-1, buf, sizeof buf);
	ck_assert_str_eq(buf, "-");
	tui_format_pct(0.025, buf, sizeof buf);
	ck_assert_str_eq(buf, "2.5%");
	tui_format_pct(1, buf, sizeof buf);
	ck_assert_str_eq(buf, "100%");
	tui_format_uptime(185, buf, sizeof buf);
	ck_assert_str_eq(buf, "3m05s");
}
END_TEST

START_TEST(cell_pads_and_marks_a_cut)
{
	char buf[16];

	tui_format_cell("ab", 4, buf, sizeof buf);
	ck_assert_str_eq(buf, "ab  ");
	tui_format_cell("abcdef", 4, buf, sizeof buf);
	ck_assert_str_eq(buf, "abc~");
}
END_TEST

START_TEST(row_shows_state_code_timings_and_rate)
{
	struct tui_table t;
	char row[TUI_TABLE_ROW_MAX];

	make_down_snapshot(&snap);
	tui_table_layout(120, 4, &t);
	tui_table_row(
	    &t, "mock", &snap, NOW_MS, true, TUI_GLYPHS_ASCII, row, sizeof row);
	ck_assert_int_eq(row[0], '>');
	ck_assert_ptr_nonnull(strstr(row, "mock"));
	ck_assert_ptr_nonnull(strstr(row, " down "));
	ck_assert_ptr_nonnull(strstr(row, " 503 "));
	ck_assert_ptr_nonnull(strstr(row, "12ms"));
	ck_assert_ptr_nonnull(strstr(row, "1.5ms"));
	ck_assert_ptr_nonnull(strstr(row, "23ms"));
	ck_assert_ptr_nonnull(strstr(row, "33%"));
	ck_assert_int_eq(strncmp(row + t.state_x, "down", 4), 0);
}
END_TEST

START_TEST(row_names_the_error_when_no_response)
{
	struct tui_table t;
	char row[TUI_TABLE_ROW_MAX];

	make_down_snapshot(&snap);
	snap.recent[0].status = 0;
	snap.recent[0].error = PROBE_ERR_RESET;
	tui_table_layout(100, 4, &t);
	tui_table_row(&t, "mock", &snap, NOW_MS, false, TUI_GLYPHS_ASCII, row,
	    sizeof row);
	ck_assert_int_eq(row[0], ' ');
	ck_assert_ptr_nonnull(strstr(row, " reset "));
}
END_TEST

START_TEST(row_fills_every_width_exactly)
{
	struct tui_table t;
	char row[TUI_TABLE_ROW_MAX];
	int w;

	make_down_snapshot(&snap);
	for (w = TUI_TABLE_MIN_WIDTH; w <= 300; w++) {
		tui_table_layout(w, 40, &t);
		tui_table_row(&t, "a-rather-long-target-name-for-the-table",
		    &snap, NOW_MS, false, TUI_GLYPHS_UNICODE, row, sizeof row);
		ck_assert_uint_eq(cells(row), (size_t)w);
		tui_table_header(&t, row, sizeof row);
		ck_assert_uint_eq(strlen(row), (size_t)w);
	}
}
END_TEST

START_TEST(error_sparkline_rises_with_failures)
{
	struct tui_table t;
	char row[TUI_TABLE_ROW_MAX];
	size_t end;

	make_down_snapshot(&snap);
	tui_table_layout(120, 4, &t);
	ck_assert_int_gt(t.errors_w, 4);
	tui_table_row(&t, "mock", &snap, NOW_MS, false, TUI_GLYPHS_ASCII, row,
	    sizeof row);
	end = (size_t)(t.errors_x + t.errors_w);
	/* The newest columns failed throughout, older ones never did. */
	ck_assert_int_eq(row[end - 1], '#');
	ck_assert_int_eq(row[end - 2], '#');
	ck_assert_int_eq(row[end - 4], '_');
}
END_TEST

START_TEST(health_is_degraded_after_a_recent_failure)
{
	make_down_snapshot(&snap);
	ck_assert_int_eq(tui_table_health(&snap), TUI_HEALTH_DOWN);
	snap.state = PROBE_STATE_UP;
	snap.recent[0].ok = true;
	ck_assert_int_eq(tui_table_health(&snap), TUI_HEALTH_DEGRADED);
	snap.recent[1].ok = snap.recent[2].ok = true;
	ck_assert_int_eq(tui_table_health(&snap), TUI_HEALTH_UP);
	snap.state = PROBE_STATE_UNKNOWN;
	ck_assert_str_eq(
	    tui_table_health_name(tui_table_health(&snap)), "waiting");
}
END_TEST

START_TEST(layout_says_too_small_in_one_line)
{
	struct tui_layout l;
	char msg[128];

	tui_layout_compute(12, 40, 1, 0, 0, &l);
	ck_assert(l.too_small);
	tui_layout_too_small(&l, msg, sizeof msg);
	ck_assert_uint_le(strlen(msg), 40);
	ck_assert_ptr_nonnull(strstr(msg, "40x12"));
	tui_layout_compute(40, 120, 1, 0, 0, &l);
	ck_assert(!l.too_small);
}
END_TEST

START_TEST(layout_fits_every_size)
{
	struct tui_layout l;
	int rows, cols;
	size_t n;

	for (rows = 1; rows < 70; rows++)
		for (cols = 1; cols < 250; cols += 7)
			for (n = 0; n < 60; n += 7) {
				tui_layout_compute(rows, cols, n, n / 2, 0, &l);
				if (l.too_small)
					continue;
				ck_assert_int_ge(l.table_rows, 1);
				ck_assert_int_lt(
				    l.table_y + l.table_rows, l.footer_y);
				if (l.pane_h > 0)
					ck_assert_int_le(
					    l.pane_y + l.pane_h, l.footer_y);
				ck_assert_int_eq(l.footer_y, rows - 1);
			}
}
END_TEST

START_TEST(layout_scrolls_to_the_selection)
{
	struct tui_layout l;

	tui_layout_compute(40, 120, 50, 49, 0, &l);
	ck_assert_uint_le(l.first, 49);
	ck_assert_uint_gt(l.first + (size_t)l.table_rows, 49);
	ck_assert_int_gt(l.pane_h, 0);
	tui_layout_compute(40, 120, 50, 3, l.first, &l);
	ck_assert_uint_eq(l.first, 3);
	tui_layout_compute(40, 120, 50, 5, 3, &l);
	ck_assert_uint_eq(l.first, 3);
}
END_TEST

START_TEST(keys_map_to_their_actions)
{
	ck_assert_int_eq(tui_keymap_action('q'), TUI_ACT_QUIT);
	ck_assert_int_eq(tui_keymap_action('5'), TUI_ACT_STATUS_503);
	ck_assert_int_eq(tui_keymap_action('h'), TUI_ACT_HEALTHY);
	ck_assert_int_eq(tui_keymap_action(KEY_DOWN), TUI_ACT_DOWN);
	ck_assert_int_eq(tui_keymap_action('j'), TUI_ACT_DOWN);
	ck_assert_int_eq(tui_keymap_action('k'), TUI_ACT_UP);
	ck_assert_int_eq(tui_keymap_action('~'), TUI_ACT_NONE);
	ck_assert(tui_keymap_is_mock(TUI_ACT_FAULT_HANG));
	ck_assert(!tui_keymap_is_mock(TUI_ACT_PAUSE));
}
END_TEST

START_TEST(each_key_is_bound_once)
{
	const struct tui_key *t;
	size_t n, i, j;

	t = tui_keymap_table(&n);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			ck_assert_int_ne(t[i].key, t[j].key);
}
END_TEST

START_TEST(status_key_sends_status_and_clears_fault)
{
	struct tui_mock_steps s = {0, 3, 0, 25};
	char desc[64];
	cJSON *c = tui_keymap_change(TUI_ACT_STATUS_503, &s, desc, sizeof desc);

	ck_assert_int_eq(cJSON_GetObjectItem(c, "status")->valueint, 503);
	ck_assert_str_eq(cJSON_GetObjectItem(c, "fault")->valuestring, "none");
	ck_assert_str_eq(desc, "status 503");
	ck_assert_int_eq(s.flaky, 0);
	cJSON_Delete(c);
}
END_TEST

START_TEST(slow_keys_step_and_stop_at_the_ends)
{
	struct tui_mock_steps s = {0, 0, 0, 0};
	char desc[64];
	cJSON *c;
	int i;

	/* At the end of the steps and the mock there already: no change. */
	ck_assert_ptr_null(
	    tui_keymap_change(TUI_ACT_FASTER, &s, desc, sizeof desc));
	ck_assert_str_eq(desc, "already at 0 ms");
	c = tui_keymap_change(TUI_ACT_SLOWER, &s, desc, sizeof desc);
	ck_assert_int_eq(cJSON_GetObjectItem(c, "latency_ms")->valueint, 100);
	ck_assert_int_eq(cJSON_GetObjectItem(c, "jitter_ms")->valueint, 10);
	ck_assert_str_eq(desc, "latency 100ms");
	cJSON_Delete(c);
	for (i = 0; i < 5; i++)
		cJSON_Delete(
		    tui_keymap_change(TUI_ACT_SLOWER, &s, desc, sizeof desc));
	ck_assert_str_eq(desc, "latency 5000ms");
	ck_assert_ptr_null(
	    tui_keymap_change(TUI_ACT_SLOWER, &s, desc, sizeof desc));
	ck_assert_str_eq(desc, "already at 5000 ms");

	/* Set elsewhere to 50 ms, the mock is not at 0 yet: S sends 0. */
	tui_keymap_sync_steps(&s, 50, -1);
	c = tui_keymap_change(TUI_ACT_FASTER, &s, desc, sizeof desc);
	ck_assert_int_eq(cJSON_GetObjectItem(c, "latency_ms")->valueint, 0);
	cJSON_Delete(c);
}
END_TEST

START_TEST(flaky_keys_send_a_mix_then_plain_200)
{
	struct tui_mock_steps s = {0, 0, 0, 0};
	char desc[64];
	cJSON *c, *mix;
	int i;

	c = tui_keymap_change(TUI_ACT_FLAKIER, &s, desc, sizeof desc);
	mix = cJSON_GetObjectItem(c, "mix");
	ck_assert_int_eq(cJSON_GetObjectItem(mix, "503")->valueint, 5);
	ck_assert_int_eq(cJSON_GetObjectItem(mix, "200")->valueint, 95);
	ck_assert_str_eq(desc, "errors 5%");
	cJSON_Delete(c);
	c = tui_keymap_change(TUI_ACT_STEADIER, &s, desc, sizeof desc);
	ck_assert_ptr_null(cJSON_GetObjectItem(c, "mix"));
	ck_assert_int_eq(cJSON_GetObjectItem(c, "status")->valueint, 200);
	cJSON_Delete(c);
	ck_assert_ptr_null(
	    tui_keymap_change(TUI_ACT_STEADIER, &s, desc, sizeof desc));
	ck_assert_str_eq(desc, "already at 0% errors");
	for (i = 0; i < 5; i++)
		cJSON_Delete(
		    tui_keymap_change(TUI_ACT_FLAKIER, &s, desc, sizeof desc));
	ck_assert_str_eq(desc, "errors 75%");
	ck_assert_ptr_null(
	    tui_keymap_change(TUI_ACT_FLAKIER, &s, desc, sizeof desc));
	ck_assert_str_eq(desc, "already at 75% errors");
}
END_TEST

START_TEST(fault_and_reset_keys)
{
	struct tui_mock_steps s = {4, 2, 1000, 10};
	char desc[64];
	cJSON *c;

	c = tui_keymap_change(TUI_ACT_FAULT_GARBAGE, &s, desc, sizeof desc);
	ck_assert_str_eq(
	    cJSON_GetObjectItem(c, "fault")->valuestring, "garbage");
	cJSON_Delete(c);
	ck_assert_ptr_null(
	    tui_keymap_change(TUI_ACT_MOCK_RESET, &s, desc, sizeof desc));
	ck_assert_str_eq(desc, "reset");
	ck_assert_int_eq(s.latency, 0);
	ck_assert_int_eq(s.flaky, 0);
	ck_assert_ptr_null(
	    tui_keymap_change(TUI_ACT_QUIT, &s, desc, sizeof desc));
	ck_assert_str_eq(desc, "");
}
END_TEST

START_TEST(steps_follow_a_state_changed_elsewhere)
{
	struct tui_mock_steps s = {0, 0, 0, 0};
	int latency, errors;
	char desc[64];
	cJSON *state, *c;

	state = cJSON_Parse("{\"status\":200,\"latency_ms\":700,"
	                    "\"mix\":{\"503\":30,\"500\":10,\"200\":60}}");
	tui_keymap_read_state(state, &latency, &errors);
	ck_assert_int_eq(latency, 700);
	ck_assert_int_eq(errors, 40);
	tui_keymap_sync_steps(&s, latency, errors);
	c = tui_keymap_change(TUI_ACT_SLOWER, &s, desc, sizeof desc);
	ck_assert_str_eq(desc, "latency 1000ms");
	cJSON_Delete(c);
	c = tui_keymap_change(TUI_ACT_STEADIER, &s, desc, sizeof desc);
	ck_assert_str_eq(desc, "errors 10%");
	cJSON_Delete(c);
	cJSON_Delete(state);

	state = cJSON_Parse("{\"status\":503,\"mix\":null}");
	tui_keymap_read_state(state, &latency, &errors);
	ck_assert_int_eq(latency, 0);
	ck_assert_int_eq(errors, 100);
	cJSON_Delete(state);
	tui_keymap_read_state(NULL, &latency, &errors);
	ck_assert_int_eq(latency, -1);
	tui_keymap_sync_steps(&s, -1, -1);
	ck_assert_int_eq(s.latency, 4);
}
END_TEST

START_TEST(help_lists_each_action_once_with_all_keys)
{
	char lines[64][TUI_FRAME_LINE_MAX];
	int n = tui_frame_help(lines, 64), i, downs = 0;

	ck_assert_int_gt(n, 20);
	for (i = 0; i < n; i++)
		if (strstr(lines[i], "below") != NULL) {
			downs++;
			ck_assert_ptr_nonnull(strstr(lines[i], "Down, j"));
		}
	ck_assert_int_eq(downs, 1);
	ck_assert_int_eq(tui_frame_help(lines, 3), 3);
}
END_TEST

START_TEST(mock_summary_in_few_words)
{
	char buf[128];
	cJSON *s;

	s = cJSON_Parse("{\"status\":503,\"mix\":null,\"latency_ms\":500,"
	                "\"jitter_ms\":50,\"fault\":\"none\",\"change\":7}");
	tui_frame_mock_summary(s, buf, sizeof buf);
	ck_assert_str_eq(buf, "503 +500ms~50");
	cJSON_Delete(s);
	s = cJSON_Parse("{\"status\":200,\"mix\":{\"503\":25,\"200\":75},"
	                "\"latency_ms\":0,\"fault\":\"reset\"}");
	tui_frame_mock_summary(s, buf, sizeof buf);
	ck_assert_str_eq(buf, "mix 503:25 200:75 fault reset");
	cJSON_Delete(s);
	tui_frame_mock_summary(NULL, buf, sizeof buf);
	ck_assert_str_eq(buf, "?");
}
END_TEST

START_TEST(header_puts_the_clock_at_the_right_end)
{
	struct tui_frame_header h = {.version = "0.1.0",
	    .mock_url = "http://127.0.0.1:8080",
	    .mock_state = "503",
	    .up = 1,
	    .down = 2,
	    .ntargets = 4,
	    .uptime_s = 65,
	    .wall_ms = NOW_MS};
	char buf[TUI_FRAME_LINE_MAX];

	tui_frame_header(&h, 100, buf, sizeof buf);
	ck_assert_uint_eq(strlen(buf), 100);
	ck_assert_ptr_nonnull(strstr(buf, "mock http://127.0.0.1:8080 [503]"));
	ck_assert_ptr_nonnull(strstr(buf, "1 up 2 down of 4"));
	ck_assert_ptr_nonnull(strstr(buf, "up 1m05s"));
	tui_frame_header(&h, 72, buf, sizeof buf);
	ck_assert_uint_eq(strlen(buf), 72);
	ck_assert_ptr_null(strstr(buf, "up 1m05s"));
	ck_assert_int_eq(buf[66], ':');
	tui_frame_header(&h, 30, buf, sizeof buf);
	ck_assert_uint_eq(strlen(buf), 30);
}
END_TEST

START_TEST(footer_shows_a_message_instead_of_keys)
{
	char buf[TUI_FRAME_LINE_MAX];

	tui_frame_footer(NULL, 200, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "q quit"));
	tui_frame_footer("statistics cleared", 200, buf, sizeof buf);
	ck_assert_str_eq(buf, "statistics cleared");
	tui_frame_footer(NULL, 10, buf, sizeof buf);
	ck_assert_uint_eq(strlen(buf), 10);
}
END_TEST

START_TEST(change_line_marks_pending_and_failed)
{
	struct tui_frame_change c = {.wall_ms = NOW_MS,
	    .source = "key",
	    .desc = "status 503",
	    .pending = true};
	char buf[TUI_FRAME_LINE_MAX];

	tui_frame_change_line(&c, 80, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "key      status 503 ..."));
	c.pending = false;
	c.failed = true;
	tui_frame_change_line(&c, 80, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "failed: status 503"));
}
END_TEST

START_TEST(detail_shows_target_phases_and_recent_results)
{
	struct probe_target t = {.name = "mock",
	    .url = "http://127.0.0.1:8080/mock",
	    .method = "GET",
	    .interval_ms = 1000};
	char lines[10][TUI_FRAME_LINE_MAX];
	int n;

	make_down_snapshot(&snap);
	snap.recent[0].dns_ms = 0.2;
	snap.recent[0].ttfb_ms = 11;
	snprintf(snap.recent[0].error_detail, PROBE_DETAIL_LEN,
	    "expected 2xx, got 503");
	n = tui_detail_lines(&t, &snap, NOW_MS, 100, lines, 10);
	ck_assert_int_eq(n, 6);
	ck_assert_str_eq(lines[0], "mock  GET http://127.0.0.1:8080/mock  "
	                           "every 1s");
	ck_assert_ptr_nonnull(strstr(lines[2], "dns 0.2ms"));
	ck_assert_ptr_nonnull(strstr(lines[2], "first byte 11ms"));
	ck_assert_ptr_nonnull(strstr(lines[3], "503"));
	ck_assert_ptr_nonnull(strstr(lines[3], "  expected 2xx, got 503"));
	n = tui_detail_lines(&t, &snap, NOW_MS, 20, lines, 2);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_le(strlen(lines[0]), 20);
}
END_TEST

START_TEST(detail_counts_one_probe_in_the_singular)
{
	struct probe_target t = {
	    .name = "mock", .url = "http://a/", .method = "GET"};
	char lines[10][TUI_FRAME_LINE_MAX];
	int n, i;

	make_down_snapshot(&snap);
	snap.state_since_wall_ms = NOW_MS - 5000;
	snap.total = 1;
	snap.failures = 1;
	n = tui_detail_lines(&t, &snap, NOW_MS, 100, lines, 10);
	for (i = 0; i < n && strstr(lines[i], " failed") == NULL; i++)
		;
	ck_assert_int_lt(i, n);
	ck_assert_ptr_nonnull(strstr(lines[i], ", 1 probe, 1 failed"));
}
END_TEST

START_TEST(detail_wraps_whole_causes_at_120_columns)
{
	struct probe_target t = {.name = "mock",
	    .url = "http://127.0.0.1:8080/mock",
	    .method = "GET",
	    .interval_ms = 1000};
	const char *cause = "connection reset by peer after 0 bytes, while "
	                    "waiting for the response";
	char lines[10][TUI_FRAME_LINE_MAX], all[4096] = "";
	struct tui_layout l;
	int n, i;

	tui_layout_compute(40, 120, 1, 0, 0, &l);
	ck_assert_int_ge(l.detail_w, 80);
	ck_assert_int_le(120 - l.detail_w, 40);

	make_down_snapshot(&snap);
	snap.recent[0].bytes = 26;
	snprintf(snap.recent[0].error_detail, PROBE_DETAIL_LEN, "%s", cause);
	n = tui_detail_lines(&t, &snap, NOW_MS, l.detail_w, lines, 10);
	for (i = 0; i < n; i++) {
		ck_assert_uint_le(strlen(lines[i]), (size_t)l.detail_w);
		ck_assert_ptr_null(strstr(lines[i], "..."));
		strcat(all, lines[i] + strspn(lines[i], " "));
		strcat(all, " ");
	}
	ck_assert_ptr_nonnull(strstr(all, "body 26 B"));
	ck_assert_ptr_nonnull(strstr(all, "while waiting for the response"));

	/* Narrow, it still wraps at words within the width. */
	n = tui_detail_lines(&t, &snap, NOW_MS, 46, lines, 10);
	for (i = 0; i < n; i++)
		ck_assert_uint_le(strlen(lines[i]), 46);
}
END_TEST

START_TEST(state_duration_counts_from_the_shown_state)
{
	struct probe_target t = {.name = "mock",
	    .url = "http://127.0.0.1:8080/mock",
	    .method = "GET",
	    .interval_ms = 1000};
	char lines[10][TUI_FRAME_LINE_MAX];
	size_t i;

	/* Up for 30 s, one probe a second; the one 7 s ago failed, so it
	 * was degraded until the fifth success after it, 2 s ago. */
	memset(&snap, 0, sizeof snap);
	snap.state = PROBE_STATE_UP;
	snap.state_since_wall_ms = NOW_MS - 30000;
	snap.nrecent = 20;
	for (i = 0; i < snap.nrecent; i++) {
		snap.recent[i].ok = i != 7;
		snap.recent[i].state = PROBE_STATE_UP;
		snap.recent[i].status = i != 7 ? 200 : 503;
		snap.recent[i].started_wall_ms = NOW_MS - (int64_t)i * 1000;
	}
	ck_assert_int_eq(tui_table_health(&snap), TUI_HEALTH_UP);
	ck_assert_int_eq(tui_table_health_since(&snap), NOW_MS - 2000);
	tui_detail_lines(&t, &snap, NOW_MS, 100, lines, 10);
	ck_assert_str_eq(lines[1], "up for 2s, 0 probes, 0 failed");

	/* The failure 3 s ago makes it degraded since then. */
	snap.recent[7].ok = true;
	snap.recent[3].ok = false;
	ck_assert_int_eq(tui_table_health(&snap), TUI_HEALTH_DEGRADED);
	tui_detail_lines(&t, &snap, NOW_MS, 100, lines, 10);
	ck_assert_str_eq(lines[1], "degraded for 3s, 0 probes, 0 failed");

	/* No failure in view: up since the state flipped. */
	snap.recent[3].ok = true;
	ck_assert_int_eq(tui_table_health_since(&snap), NOW_MS - 30000);
}
END_TEST

START_TEST(latency_sparkline_has_a_floor_of_one_millisecond)
{
	struct tui_table t;
	char row[TUI_TABLE_ROW_MAX];
	size_t i;

	/* Failing in 0.1 ms: low bars, not full ones ('#' in ASCII). */
	make_down_snapshot(&snap);
	for (i = 0; i < PROBE_STATS_SECONDS; i++)
		snap.seconds[i].latency_sum_ms = 0.1f * snap.seconds[i].count;
	tui_table_layout(160, 4, &t);
	tui_table_row(
	    &t, "mock", &snap, NOW_MS, false, TUI_GLYPHS_ASCII, row, sizeof row);
	ck_assert_ptr_null(strchr(row + t.latency_x, '#'));
	ck_assert_ptr_nonnull(strchr(row + t.latency_x, '.'));

	/* At 20 ms they reach the top again. */
	for (i = 0; i < PROBE_STATS_SECONDS; i++)
		snap.seconds[i].latency_sum_ms = 20.0f * snap.seconds[i].count;
	tui_table_row(
	    &t, "mock", &snap, NOW_MS, false, TUI_GLYPHS_ASCII, row, sizeof row);
	ck_assert_ptr_nonnull(strchr(row + t.latency_x, '#'));
}
END_TEST

START_TEST(wrap_breaks_at_words_and_marks_a_cut)
{
	char lines[4][TUI_FRAME_LINE_MAX];

	ck_assert_int_eq(tui_frame_wrap("short", 20, 2, lines, 4), 1);
	ck_assert_str_eq(lines[0], "short");
	ck_assert_int_eq(
	    tui_frame_wrap("alpha beta gamma delta", 11, 2, lines, 4), 3);
	ck_assert_str_eq(lines[0], "alpha beta");
	ck_assert_str_eq(lines[1], "  gamma");
	ck_assert_str_eq(lines[2], "  delta");
	ck_assert_int_eq(
	    tui_frame_wrap("alpha beta gamma delta", 11, 2, lines, 2), 2);
	ck_assert_str_eq(lines[1], "  gamma...");
}
END_TEST

/* Poll CTL's view until its summary is WANT and nothing is on its way. */
static bool
wait_for_summary(
    struct tui_control *ctl, struct tui_control_view *v, const char *want)
{
	int64_t end = clock_mono_ms() + 10000;

	do {
		tui_control_view(ctl, v);
		if (strcmp(v->summary, want) == 0 && v->busy == 0)
			return true;
		usleep(20000);
	} while (clock_mono_ms() < end);
	return false;
}

START_TEST(control_sends_keys_and_sees_other_changes)
{
	struct mock_server_config c = {.fallback_port = true};
	struct tui_control_view v;
	struct mock_server *s;
	struct mock_client *mc;
	struct tui_control *ctl;
	char err[256];
	cJSON *other;

	log_setup(-1, LOG_FORMAT_TEXT, LOG_ERROR);
	ck_assert_int_eq(
	    listen_parse("127.0.0.1:0", &c.listen, err, sizeof err), 0);
	s = mock_server_start(&c, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	mc = mock_client_local(s);
	ctl = tui_control_start(mc);
	ck_assert(wait_for_summary(ctl, &v, "200"));

	/* A key's change shows at once as pending, then as done. */
	ck_assert_int_eq(tui_control_send(ctl, cJSON_Parse("{\"status\":503}"),
	                     "status 503"),
	    0);
	tui_control_view(ctl, &v);
	ck_assert_str_eq(v.changes[0].desc, "status 503");
	ck_assert(v.changes[0].pending || v.busy == 0);
	ck_assert(wait_for_summary(ctl, &v, "503"));
	ck_assert(!v.changes[0].pending);
	ck_assert(!v.changes[0].failed);

	/* A change the mock refuses is marked failed with the reason. */
	tui_control_send(ctl, cJSON_Parse("{\"status\":42}"), "status 42");
	ck_assert(wait_for_summary(ctl, &v, "503"));
	ck_assert(v.changes[0].failed);
	ck_assert_ptr_nonnull(strstr(v.changes[0].desc, "status 42: "));

	/* A change made elsewhere shows within a poll, as "other". */
	other = cJSON_Parse("{\"latency_ms\":500}");
	ck_assert_int_eq(
	    mock_client_update(mc, other, "api", err, sizeof err), 0);
	cJSON_Delete(other);
	ck_assert(wait_for_summary(ctl, &v, "503 +500ms"));
	ck_assert_str_eq(v.changes[0].source, "other");
	ck_assert_int_eq(v.latency_ms, 500);
	ck_assert_int_eq(v.error_pct, 100);

	tui_control_stop(ctl);
	mock_client_destroy(mc);
	mock_server_stop(s);
}
END_TEST

/*
 * A loopback socket that listens and never accepts: the kernel takes
 * connections, nobody reads a request. Its port goes to *PORT.
 */
static int
listen_mute(int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

START_TEST(control_gives_up_on_a_mock_that_never_answers)
{
	struct tui_control_view v;
	struct mock_client *mc;
	struct tui_control *ctl;
	int64_t t0, took;
	char url[64];
	int fd, port;

	fd = listen_mute(&port);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	mc = mock_client_remote(url, NULL);
	ctl = tui_control_start(mc);

	/* The first poll times out: unreachable, not "..." for 10 s. */
	t0 = clock_mono_ms();
	ck_assert(wait_for_summary(ctl, &v, "unreachable"));
	took = clock_mono_ms() - t0;
	ck_assert_msg(took < TUI_CONTROL_TIMEOUT_MS + 1500, "took %lld ms",
	    (long long)took);
	ck_assert(v.changes[0].failed);

	/* A change now waits on the mock; stopping abandons it. */
	tui_control_send(ctl, cJSON_Parse("{\"status\":503}"), "status 503");
	usleep(300000);
	t0 = clock_mono_ms();
	tui_control_stop(ctl);
	took = clock_mono_ms() - t0;
	ck_assert_msg(took < 1500, "stop took %lld ms", (long long)took);
	mock_client_destroy(mc);
	close(fd);
}
END_TEST

/* Wait until CTL's pane holds a change from SOURCE described as DESC. */
static bool
wait_for_change(struct tui_control *ctl, const char *source, const char *desc)
{
	int64_t end = clock_mono_ms() + 10000;
	struct tui_control_view v;
	size_t i;

	do {
		tui_control_view(ctl, &v);
		for (i = 0; i < v.nchanges; i++)
			if (strcmp(v.changes[i].source, source) == 0 &&
			    strcmp(v.changes[i].desc, desc) == 0)
				return true;
		usleep(20000);
	} while (clock_mono_ms() < end);
	return false;
}

START_TEST(control_shows_every_scenario_step_with_its_endpoint)
{
	struct mock_server_config c = {.fallback_port = true};
	struct tui_control_view v;
	struct mock_server *s;
	struct mock_client *mc;
	struct tui_control *ctl;
	char err[256];

	log_setup(-1, LOG_FORMAT_TEXT, LOG_ERROR);
	s = mock_server_start(&c, err, sizeof err);
	ck_assert_ptr_nonnull(s);
	mc = mock_client_local(s);
	ctl = tui_control_start(mc);
	ck_assert(wait_for_summary(ctl, &v, "200"));

	/* Steps at 0 s come with the play request; named endpoints leave
	 * the /mock summary alone: both still show, as "scenario". */
	ck_assert_int_eq(tui_control_scenario(ctl,
	                     cJSON_Parse("{\"name\": \"t\", \"duration\": "
	                                 "\"30s\", \"steps\": ["
	                                 "{\"at\": \"0s\", \"status\": 503},"
	                                 "{\"at\": \"0s\", \"endpoint\": "
	                                 "\"checkout\", \"status\": 500},"
	                                 "{\"at\": \"300ms\", \"endpoint\": "
	                                 "\"checkout\", \"status\": 404}]}"),
	                     "play scenario t"),
	    0);
	ck_assert(wait_for_change(ctl, "scenario", "503"));
	ck_assert(wait_for_change(ctl, "scenario", "/mock/checkout 500"));
	ck_assert(wait_for_change(ctl, "scenario", "/mock/checkout 404"));
	ck_assert(wait_for_change(ctl, "key", "play scenario t"));

	tui_control_stop(ctl);
	mock_client_destroy(mc);
	mock_server_stop(s);
}
END_TEST

START_TEST(terminal_without_cursor_addressing_is_refused)
{
	ck_assert_int_eq(tui_terminal_kind("xterm"), TUI_TERMINAL_USABLE);
	ck_assert_int_eq(tui_terminal_kind("dumb"), TUI_TERMINAL_DUMB);
	ck_assert_int_eq(tui_terminal_kind("vt-nowhere"), TUI_TERMINAL_UNKNOWN);
	ck_assert_int_eq(tui_terminal_kind(""), TUI_TERMINAL_UNKNOWN);
	ck_assert_int_eq(tui_terminal_kind(NULL), TUI_TERMINAL_UNKNOWN);
}
END_TEST

static Suite *
tui_suite(void)
{
	Suite *s = suite_create("tui");
	TCase *spark = tcase_create("sparkline");
	TCase *table = tcase_create("table");
	TCase *layout = tcase_create("layout");
	TCase *keys = tcase_create("keymap");
	TCase *frame = tcase_create("frame");
	TCase *control = tcase_create("control");
	TCase *terminal = tcase_create("terminal");

	tcase_add_test(spark, glyphs_follow_the_codeset);
	tcase_add_test(spark, sparkline_scales_to_max_and_blanks_gaps);
	tcase_add_test(spark, sparkline_scales_to_largest_without_max);
	tcase_add_test(spark, sparkline_never_cuts_a_glyph);
	tcase_add_test(spark, series_sums_whole_spans_and_the_current_part);
	tcase_add_test(spark, series_of_latency_is_the_mean);
	tcase_add_test(table, ms_and_rates_stay_short);
	tcase_add_test(table, cell_pads_and_marks_a_cut);
	tcase_add_test(table, row_shows_state_code_timings_and_rate);
	tcase_add_test(table, row_names_the_error_when_no_response);
	tcase_add_test(table, row_fills_every_width_exactly);
	tcase_add_test(table, error_sparkline_rises_with_failures);
	tcase_add_test(table, health_is_degraded_after_a_recent_failure);
	tcase_add_test(layout, layout_says_too_small_in_one_line);
	tcase_add_test(layout, layout_fits_every_size);
	tcase_add_test(layout, layout_scrolls_to_the_selection);
	tcase_add_test(keys, keys_map_to_their_actions);
	tcase_add_test(keys, each_key_is_bound_once);
	tcase_add_test(keys, status_key_sends_status_and_clears_fault);
	tcase_add_test(keys, slow_keys_step_and_stop_at_the_ends);
	tcase_add_test(keys, flaky_keys_send_a_mix_then_plain_200);
	tcase_add_test(keys, fault_and_reset_keys);
	tcase_add_test(keys, steps_follow_a_state_changed_elsewhere);
	tcase_add_test(frame, help_lists_each_action_once_with_all_keys);
	tcase_add_test(frame, mock_summary_in_few_words);
	tcase_add_test(frame, header_puts_the_clock_at_the_right_end);
	tcase_add_test(frame, footer_shows_a_message_instead_of_keys);
	tcase_add_test(frame, change_line_marks_pending_and_failed);
	tcase_add_test(frame, detail_shows_target_phases_and_recent_results);
	tcase_add_test(frame, detail_counts_one_probe_in_the_singular);
	tcase_add_test(frame, detail_wraps_whole_causes_at_120_columns);
	tcase_add_test(frame, wrap_breaks_at_words_and_marks_a_cut);
	tcase_add_test(frame, latency_sparkline_has_a_floor_of_one_millisecond);
	tcase_add_test(frame, state_duration_counts_from_the_shown_state);
	suite_add_tcase(s, spark);
	suite_add_tcase(s, table);
	suite_add_tcase(s, layout);
	suite_add_tcase(s, keys);
	tcase_add_test(control, control_sends_keys_and_sees_other_changes);
	tcase_add_test(control, control_gives_up_on_a_mock_that_never_answers);
	tcase_add_test(
	    control, control_shows_every_scenario_step_with_its_endpoint);
	tcase_set_timeout(control, 30);
	suite_add_tcase(s, frame);
	suite_add_tcase(s, control);
	tcase_add_test(terminal, terminal_without_cursor_addressing_is_refused);
	suite_add_tcase(s, terminal);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tui_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
