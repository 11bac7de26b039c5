#include "tui/table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/format.h"

/*
 * Fixed cells after the name: " state    code      last    p50    p95
 * err1m"; the widths hold the widest value of each ("degraded",
 * "too_large", "1.25s", "100%").
 */
#define MARK_W    2
#define STATE_W   8
#define CODE_W    9
#define TIME_W    7
#define RATE_W    6
#define FIXED_W   (1 + STATE_W + 1 + CODE_W + 3 * (1 + TIME_W) + 1 + RATE_W)
#define NAME_MIN  8
#define NAME_MAX  28
#define SPARK_MIN 8

/* Recent results that count for "degraded" after a failure. */
#define DEGRADED_WINDOW  5
#define LATENCY_FLOOR_MS 1.0 /* the latency sparkline's least top */

void
tui_table_layout(int width, size_t longest_name, struct tui_table *t)
{
	int rest, spark;

	memset(t, 0, sizeof *t);
	t->width = width;
	t->name_w = longest_name > NAME_MAX ? NAME_MAX : (int)longest_name;
	if (t->name_w < NAME_MIN)
		t->name_w = NAME_MIN;

	/* A narrow screen gives the name less room before any sparkline. */
	rest = width - MARK_W - t->name_w - FIXED_W;
	if (rest < 0) {
		t->name_w += rest;
		if (t->name_w < NAME_MIN)
			t->name_w = NAME_MIN;
		rest = 0;
	}
	t->state_x = MARK_W + t->name_w + 1;
	t->state_w = STATE_W;

	/* Two sparklines when both fit, else the error one alone. */
	spark = (rest - 2) / 2;
	if (spark >= SPARK_MIN) {
		t->errors_w = spark;
		t->latency_w = rest - 2 - spark - 1;
	} else if (rest - 1 >= SPARK_MIN) {
		t->errors_w = rest - 1;
	}
	t->errors_x = MARK_W + t->name_w + FIXED_W + 1;
	t->latency_x = t->errors_x + t->errors_w + 2;
	if (t->latency_w > PROBE_STATS_SECONDS / TUI_TABLE_SECS_PER_COL)
		t->latency_w = PROBE_STATS_SECONDS / TUI_TABLE_SECS_PER_COL;
	if (t->errors_w > PROBE_STATS_SECONDS / TUI_TABLE_SECS_PER_COL)
		t->errors_w = PROBE_STATS_SECONDS / TUI_TABLE_SECS_PER_COL;
}

/* Cells a row takes before the blanks that fill it to the width. */
static int
used_width(const struct tui_table *t)
{
	int w = MARK_W + t->name_w + FIXED_W;

	if (t->errors_w > 0)
		w += 1 + t->errors_w;
	if (t->latency_w > 0)
		w += 2 + t->latency_w;
	return w;
}

/* Append S at *AT in a cell of W bytes, left or right aligned. */
static void
put_cell(char *buf, size_t len, size_t *at, const char *s, int w, bool right)
{
	char cell[256];
	int n;

	if (w <= 0 || *at >= len)
		return;
	if (right && (int)strlen(s) < w)
		snprintf(cell, sizeof cell, "%*s", w, s);
	else
		tui_format_cell(s, (size_t)w, cell, sizeof cell);
	n = snprintf(buf + *at, len - *at, "%s", cell);
	*at += n < 0 ? 0 : (size_t)n;
	if (*at > len - 1)
		*at = len - 1;
}

void
tui_table_header(const struct tui_table *t, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	put_cell(buf, len, &at, "", MARK_W, false);
	put_cell(buf, len, &at, "TARGET", t->name_w, false);
	put_cell(buf, len, &at, " STATE", 1 + STATE_W, false);
	put_cell(buf, len, &at, " CODE", 1 + CODE_W, false);
	put_cell(buf, len, &at, "LAST", 1 + TIME_W, true);
	put_cell(buf, len, &at, "P50", 1 + TIME_W, true);
	put_cell(buf, len, &at, "P95", 1 + TIME_W, true);
	put_cell(buf, len, &at, "ERR1M", 1 + RATE_W, true);
	if (t->errors_w > 0) {
		put_cell(buf, len, &at, "", 1, false);
		put_cell(buf, len, &at, "ERRORS", t->errors_w, false);
	}
	if (t->latency_w > 0) {
		put_cell(buf, len, &at, "", 2, false);
		put_cell(buf, len, &at, "LATENCY", t->latency_w, false);
	}
	put_cell(buf, len, &at, "", t->width - used_width(t), false);
}

enum tui_health
tui_table_health(const struct probe_snapshot *s)
{
	size_t i;

	if (s->state == PROBE_STATE_DOWN)
		return TUI_HEALTH_DOWN;
	if (s->state != PROBE_STATE_UP)
		return TUI_HEALTH_UNKNOWN;
	for (i = 0; i < s->nrecent && i < DEGRADED_WINDOW; i++)
		if (!s->recent[i].ok)
			return TUI_HEALTH_DEGRADED;
	return TUI_HEALTH_UP;
}

/* S's health just after its recent result K was recorded. */
static enum tui_health
health_at(const struct probe_snapshot *s, size_t k)
{
	enum probe_state state = k == 0 ? s->state : s->recent[k].state;
	size_t i;

	if (state == PROBE_STATE_DOWN)
		return TUI_HEALTH_DOWN;
	if (state != PROBE_STATE_UP)
		return TUI_HEALTH_UNKNOWN;
	for (i = k; i < s->nrecent && i < k + DEGRADED_WINDOW; i++)
		if (!s->recent[i].ok)
			return TUI_HEALTH_DEGRADED;
	return TUI_HEALTH_UP;
}

static int64_t
ended_ms(const struct probe_result *r)
{
	return r->started_wall_ms + (int64_t)r->duration_ms;
}

int64_t
tui_table_health_since(const struct probe_snapshot *s)
{
	enum tui_health h;
	int64_t since = s->state_since_wall_ms;
	size_t k;

	if (since <= 0 || s->nrecent == 0)
		return since;
	h = health_at(s, 0);
	for (k = 1; k < s->nrecent; k++)
		if (health_at(s, k) != h)
			break;

	/* Degraded all along the recent results: since the oldest. */
	if (k < s->nrecent || h == TUI_HEALTH_DEGRADED) {
		if (ended_ms(&s->recent[k - 1]) > since)
			since = ended_ms(&s->recent[k - 1]);
	}
	return since;
}

const char *
tui_table_health_name(enum tui_health h)
{
	static const char *const names[] = {
	    "waiting", "up", "degraded", "down"};

	return names[h];
}

void
tui_table_outcome(const struct probe_snapshot *s, char *buf, size_t len)
{
	const struct probe_result *r = &s->recent[0];
	const char *kind;

	if (s->nrecent == 0) {
		snprintf(buf, len, "-");
		return;
	}
	kind = probe_error_name(r->error);
	if (r->status > 0 &&
	    (r->error == PROBE_ERR_NONE || r->error == PROBE_ERR_STATUS))
		snprintf(buf, len, "%d", r->status);
	else if (r->status > 0)
		snprintf(buf, len, "%d %s", r->status, kind);
	else
		snprintf(buf, len, "%s", kind != NULL ? kind : "-");
}

/*
 * The top of the latency sparkline: its largest value in view, but at
 * least LATENCY_FLOOR_MS, so that a loopback target failing in 0.1 ms
 * does not draw full bars as if it were slow.
 */
static double
latency_scale(const double *v, size_t n)
{
	double max = LATENCY_FLOOR_MS;
	size_t i;

	for (i = 0; i < n; i++)
		if (!isnan(v[i]) && v[i] > max)
			max = v[i];
	return max;
}

static void
put_sparkline(char *buf, size_t len, size_t *at, const struct probe_snapshot *s,
    enum tui_series kind, int w, size_t current, enum tui_glyphs g)
{
	double v[PROBE_STATS_SECONDS];
	size_t n;

	tui_sparkline_series(s->seconds, PROBE_STATS_SECONDS, kind,
	    TUI_TABLE_SECS_PER_COL, current, v, (size_t)w);
	n = tui_sparkline_render(v, (size_t)w,
	    kind == TUI_SERIES_ERROR_RATE ? 1.0 : latency_scale(v, (size_t)w),
	    g, buf + *at, len - *at);
	*at += n;
}

void
tui_table_row(const struct tui_table *t, const char *name,
    const struct probe_snapshot *s, int64_t now_wall_ms, bool selected,
    enum tui_glyphs g, char *buf, size_t len)
{
	size_t at = 0, current;
	char cell[64];

	buf[0] = '\0';
	put_cell(buf, len, &at, selected ? ">" : "", MARK_W, false);
	put_cell(buf, len, &at, name, t->name_w, false);
	put_cell(buf, len, &at, "", 1, false);
	put_cell(buf, len, &at, tui_table_health_name(tui_table_health(s)),
	    STATE_W, false);
	put_cell(buf, len, &at, "", 1, false);
	tui_table_outcome(s, cell, sizeof cell);
	put_cell(buf, len, &at, cell, CODE_W, false);
	tui_format_ms(
	    s->nrecent > 0 ? s->recent[0].duration_ms : -1, cell, sizeof cell);
	put_cell(buf, len, &at, cell, 1 + TIME_W, true);
	tui_format_ms(s->nrecent > 0 ? s->p50_ms : -1, cell, sizeof cell);
	put_cell(buf, len, &at, cell, 1 + TIME_W, true);
	tui_format_ms(s->nrecent > 0 ? s->p95_ms : -1, cell, sizeof cell);
	put_cell(buf, len, &at, cell, 1 + TIME_W, true);
	tui_format_pct(
	    s->count_1m > 0 ? s->error_rate_1m : -1, cell, sizeof cell);
	put_cell(buf, len, &at, cell, 1 + RATE_W, true);

	/* Sparkline columns sit on whole multiples of their span. */
	current = (size_t)((now_wall_ms / 1000) % TUI_TABLE_SECS_PER_COL) + 1;
	if (t->errors_w > 0) {
		put_cell(buf, len, &at, "", 1, false);
		put_sparkline(buf, len, &at, s, TUI_SERIES_ERROR_RATE,
		    t->errors_w, current, g);
	}
	if (t->latency_w > 0) {
		put_cell(buf, len, &at, "", 2, false);
		put_sparkline(buf, len, &at, s, TUI_SERIES_LATENCY,
		    t->latency_w, current, g);
	}
	put_cell(buf, len, &at, "", t->width - used_width(t), false);
}
