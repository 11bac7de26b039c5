#include "probe/metrics.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

static const double metrics_bounds[PROBE_METRICS_BUCKETS] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

struct metrics_target {
	uint64_t results[PROBE_ERR_COUNT];       /* by error kind; NONE is ok */
	uint64_t buckets[PROBE_METRICS_BUCKETS]; /* not cumulative */
	uint64_t count;
	double sum_s;
	enum probe_state state;
	int last_status;
	bool seen;
};

struct probe_metrics {
	pthread_mutex_t lock;
	const struct probe_target_list *targets;
	struct metrics_target *per;
};

/* A growing text buffer; running out of memory is fatal. */
struct metrics_buf {
	char *s;
	size_t len, cap;
};

static void buf_printf(struct metrics_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
buf_printf(struct metrics_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			fatal("cannot format a metric line");
		if ((size_t)n < b->cap - b->len)
			break;
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	b->len += (size_t)n;
}

struct probe_metrics *
probe_metrics_create(const struct probe_target_list *targets)
{
	struct probe_metrics *m = xcalloc(1, sizeof *m);

	pthread_mutex_init(&m->lock, NULL);
	m->targets = targets;
	m->per =
	    xcalloc(targets->count > 0 ? targets->count : 1, sizeof *m->per);
	return m;
}

void
probe_metrics_destroy(struct probe_metrics *m)
{
	if (m == NULL)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m->per);
	free(m);
}

void
probe_metrics_record(struct probe_metrics *m, const struct probe_result *r)
{
	struct metrics_target *t;
	double secs = r->duration_ms / 1000.0;
	size_t b;

	if (r->target >= m->targets->count || r->error >= PROBE_ERR_COUNT)
		return;
	pthread_mutex_lock(&m->lock);
	t = &m->per[r->target];
	t->results[r->error]++;
	for (b = 0; b < PROBE_METRICS_BUCKETS; b++)
		if (secs <= metrics_bounds[b])
			break;
	if (b < PROBE_METRICS_BUCKETS)
		t->buckets[b]++;
	t->count++;
	t->sum_s += secs;
	t->state = r->state;
	t->last_status = r->status;
	t->seen = true;
	pthread_mutex_unlock(&m->lock);
}

char *
probe_metrics_escape(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s != '\0' && o + 3 < len; s++) {
		if (*s == '\\' || *s == '"' || *s == '\n') {
			buf[o++] = '\\';
			buf[o++] = *s == '\n' ? 'n' : *s;
		} else
			buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}

static void
family(
    struct metrics_buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
render_results(struct metrics_buf *b, struct probe_metrics *m)
{
	char label[512];
	const char *result;
	size_t i;
	int e;

	family(b, "luna_probes_total", "counter",
	    "Probes finished, by target and result (ok or the error kind).");
	for (i = 0; i < m->targets->count; i++) {
		probe_metrics_escape(
		    m->targets->items[i].name, label, sizeof label);
		for (e = 0; e < PROBE_ERR_COUNT; e++) {
			result =
			    e == PROBE_ERR_NONE ? "ok" : probe_error_name(e);
			buf_printf(b,
			    "luna_probes_total{target=\"%s\",result=\"%s\"} "
			    "%llu\n",
			    label, result,
			    (unsigned long long)m->per[i].results[e]);
		}
	}
}

static void
render_histogram(struct metrics_buf *b, struct probe_metrics *m)
{
	const struct metrics_target *t;
	unsigned long long cum;
	char label[512];
	size_t i, k;

	family(b, "luna_probe_duration_seconds", "histogram",
	    "Duration of whole probes, failed ones included.");
	for (i = 0; i < m->targets->count; i++) {
		t = &m->per[i];
		probe_metrics_escape(
		    m->targets->items[i].name, label, sizeof label);
		for (cum = 0, k = 0; k < PROBE_METRICS_BUCKETS; k++) {
			cum += t->buckets[k];
			buf_printf(b,
			    "luna_probe_duration_seconds_bucket{target=\"%s\","
			    "le=\"%g\"} %llu\n",
			    label, metrics_bounds[k], cum);
		}
		buf_printf(b,
		    "luna_probe_duration_seconds_bucket{target=\"%s\","
		    "le=\"+Inf\"} %llu\n"
		    "luna_probe_duration_seconds_sum{target=\"%s\"} %.6f\n"
		    "luna_probe_duration_seconds_count{target=\"%s\"} %llu\n",
		    label, (unsigned long long)t->count, label, t->sum_s, label,
		    (unsigned long long)t->count);
	}
}

/* Gauges exist once a target has a result: an unknown state is absent. */
static void
render_gauges(struct metrics_buf *b, struct probe_metrics *m)
{
	char label[512];
	size_t i;

	family(b, "luna_target_up", "gauge",
	    "1 while the target is up, 0 while down (after the thresholds).");
	for (i = 0; i < m->targets->count; i++) {
		if (m->per[i].state == PROBE_STATE_UNKNOWN)
			continue;
		buf_printf(b, "luna_target_up{target=\"%s\"} %d\n",
		    probe_metrics_escape(
		        m->targets->items[i].name, label, sizeof label),
		    m->per[i].state == PROBE_STATE_UP);
	}
	family(b, "luna_probe_last_status", "gauge",
	    "HTTP status of the target's last probe, 0 when no response.");
	for (i = 0; i < m->targets->count; i++) {
		if (!m->per[i].seen)
			continue;
		buf_printf(b, "luna_probe_last_status{target=\"%s\"} %d\n",
		    probe_metrics_escape(
		        m->targets->items[i].name, label, sizeof label),
		    m->per[i].last_status);
	}
}

static void
render_extra(struct metrics_buf *b, const struct probe_metrics_extra *x)
{
	size_t i;

	family(b, "luna_engine_heartbeat_age_seconds", "gauge",
	    "Time since the probe loop last turned.");
	buf_printf(
	    b, "luna_engine_heartbeat_age_seconds %.3f\n", x->heartbeat_age_s);
	family(b, "luna_log_dropped_lines_total", "counter",
	    "Log lines that could not be written.");
	buf_printf(b, "luna_log_dropped_lines_total %llu\n",
	    (unsigned long long)x->log_dropped);
	family(b, "luna_start_time_seconds", "gauge",
	    "Start of the process, seconds since the epoch.");
	buf_printf(b, "luna_start_time_seconds %.3f\n", x->start_time_s);
	if (x->mock == NULL)
		return;
	family(b, "luna_mock_requests_total", "counter",
	    "Requests the bundled mock answered, by HTTP status.");
	for (i = 0; i < x->nmock; i++) {
		if (x->mock[i].code == 0)
			buf_printf(
			    b, "luna_mock_requests_total{code=\"fault\"}");
		else
			buf_printf(b, "luna_mock_requests_total{code=\"%d\"}",
			    x->mock[i].code);
		buf_printf(b, " %llu\n", (unsigned long long)x->mock[i].count);
	}
}

char *
probe_metrics_render(
    struct probe_metrics *m, const struct probe_metrics_extra *x)
{
	struct metrics_buf b = {xmalloc(4096), 0, 4096};

	b.s[0] = '\0';
	pthread_mutex_lock(&m->lock);
	render_results(&b, m);
	render_histogram(&b, m);
	render_gauges(&b, m);
	pthread_mutex_unlock(&m->lock);
	family(&b, "luna_build_info", "gauge", "The running luna's version.");
	buf_printf(&b, "luna_build_info{version=\"%s\"} 1\n", LUNA_VERSION);
	if (x != NULL)
		render_extra(&b, x);
	return b.s;
}
