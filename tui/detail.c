#include "tui/detail.h"

#include <stdio.h>
#include <string.h>

#include "tui/format.h"
#include "tui/table.h"

/* Continuations of a recent result line start under its cause. */
#define RECENT_INDENT 28

/* Wrap TEXT into LINES from *N, below MAX lines; see tui_frame_wrap. */
static void
put(const char *text, int width, int indent, char lines[][TUI_FRAME_LINE_MAX],
    int *n, int max)
{
	*n += tui_frame_wrap(text, width, indent, lines + *n, max - *n);
}

static void
state_line(const struct probe_snapshot *s, int64_t now, char *buf, size_t len)
{
	enum tui_health h = tui_table_health(s);
	int64_t from = tui_table_health_since(s);
	char since[32];

	if (from <= 0) {
		snprintf(buf, len, "%s", tui_table_health_name(h));
		return;
	}
	tui_format_uptime((now - from) / 1000, since, sizeof since);
	snprintf(buf, len, "%s for %s, %llu probe%s, %llu failed",
	    tui_table_health_name(h), since, (unsigned long long)s->total,
	    s->total == 1 ? "" : "s", (unsigned long long)s->failures);
}

/* Time to detect and to recover at the last flips, from the mock change. */
static void
flip_line(const struct probe_snapshot *s, char *buf, size_t len)
{
	char detect[16] = "-", recover[16] = "-";

	if (s->last_detect_ms >= 0)
		tui_format_ms((double)s->last_detect_ms, detect, sizeof detect);
	if (s->last_recover_ms >= 0)
		tui_format_ms(
		    (double)s->last_recover_ms, recover, sizeof recover);
	snprintf(buf, len,
	    "time to detect %s, to recover %s (last flip: mock change %lld)",
	    detect, recover, (long long)s->last_flip_change);
}

static void
phases_line(const struct probe_result *r, char *buf, size_t len)
{
	char outcome[32], total[16], dns[16], conn[16], tls[16], ttfb[16];

	snprintf(outcome, sizeof outcome, "%d", r->status);
	tui_format_ms(r->duration_ms, total, sizeof total);
	tui_format_ms(r->dns_ms, dns, sizeof dns);
	tui_format_ms(r->connect_ms, conn, sizeof conn);
	tui_format_ms(r->tls_ms > 0 ? r->tls_ms : -1, tls, sizeof tls);
	tui_format_ms(r->ttfb_ms, ttfb, sizeof ttfb);
	snprintf(buf, len,
	    "last %s in %s: dns %s  connect %s  tls %s  "
	    "first byte %s  body %zu B",
	    r->status > 0 ? outcome : "no answer", total, dns, conn, tls, ttfb,
	    r->bytes);
}

static void
recent_line(const struct probe_result *r, char *buf, size_t len)
{
	char clock[32], total[16], outcome[32];
	const char *kind = probe_error_name(r->error), *what;

	tui_format_clock(r->started_wall_ms, 1, clock, sizeof clock);
	tui_format_ms(r->duration_ms, total, sizeof total);
	if (r->status > 0)
		snprintf(outcome, sizeof outcome, "%d", r->status);
	else
		snprintf(outcome, sizeof outcome, "-");

	/* The detail names the cause best; the kind is the short form. */
	if (r->ok)
		what = "ok";
	else if (r->error_detail[0] != '\0')
		what = r->error_detail;
	else
		what = kind != NULL ? kind : "failed";
	snprintf(buf, len, "%s  %-4s %7s  %s", clock, outcome, total, what);
}

int
tui_detail_lines(const struct probe_target *t, const struct probe_snapshot *s,
    int64_t now_wall_ms, int width, char lines[][TUI_FRAME_LINE_MAX], int max)
{
	char every[16], line[TUI_FRAME_LINE_MAX];
	int n = 0;
	size_t i;

	if (max <= 0 || width <= 0)
		return 0;
	tui_format_ms((double)t->interval_ms, every, sizeof every);
	snprintf(line, sizeof line, "%s  %s %s  every %s", t->name, t->method,
	    probe_target_display_url(t), every);
	put(line, width, 2, lines, &n, max < 2 ? max : 2);
	if (n < max) {
		state_line(s, now_wall_ms, line, sizeof line);
		put(line, width, 2, lines, &n, max);
	}
	if (n < max && s->last_flip_change > 0) {
		flip_line(s, line, sizeof line);
		put(line, width, 2, lines, &n, max);
	}
	if (n < max && s->nrecent > 0) {
		phases_line(&s->recent[0], line, sizeof line);
		put(line, width, 2, lines, &n, max);
	}
	for (i = 0; i < s->nrecent && n < max; i++) {
		recent_line(&s->recent[i], line, sizeof line);
		put(line, width, RECENT_INDENT, lines, &n, max);
	}
	return n;
}
