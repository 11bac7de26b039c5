#include "probe/stats.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

/*
 * Latency percentiles come from log-spaced histograms kept per 10 s
 * slot: bin 0 holds latencies up to 10 us, bin b up to 0.01 * 1.05^b ms,
 * so a percentile is off by at most 5% from loopback probes to the
 * longest timeout (bin 359 ends near 7 minutes), and a target costs 30
 * slots of 360 counters whatever the probe rate. Each slot also keeps
 * its least and greatest latency, so a percentile never leaves the range
 * seen: a single probe reports its own latency.
 */
#define HIST_BINS      360
#define HIST_RATIO     1.05
#define HIST_FLOOR_MS  0.01
#define HIST_SLOT_S    10
#define HIST_SLOTS     30 /* 5 minutes */
#define ERROR_WINDOW_S 60

struct second {
	int64_t sec; /* wall second this bucket counts, -1 when unused */
	struct probe_bucket b;
};

struct hist_slot {
	int64_t slot; /* wall second / HIST_SLOT_S, -1 when unused */
	double min_ms, max_ms;
	uint32_t bins[HIST_BINS];
};

/*
 * XXX: about 41 KiB per target whatever its interval; one probed every
 * minute still keeps 600 per-second buckets, mostly empty.
 */
struct target_stats {
	/*
	 * One lock per target: a reader copying one target never holds up
	 * the engine recording another.
	 */
	pthread_mutex_t lock;
	enum probe_state state;
	int64_t state_since_wall_ms;
	uint64_t total;
	uint64_t failures;
	int consecutive_failures;
	int consecutive_successes;
	int64_t streak_change; /* mock change of the streak's first result */
	int64_t streak_change_wall_ms;
	int64_t last_flip_change, last_detect_ms, last_recover_ms;
	size_t recent_next; /* where the next result goes */
	size_t nrecent;
	struct probe_result recent[PROBE_STATS_RECENT];
	struct second seconds[PROBE_STATS_SECONDS];
	struct hist_slot hist[HIST_SLOTS];
};

struct probe_stats {
	size_t ntargets;
	int fail_threshold;
	int success_threshold;
	struct target_stats *t;
};

static void
target_clear(struct target_stats *ts)
{
	size_t i;

	ts->total = ts->failures = 0;
	ts->recent_next = ts->nrecent = 0;
	for (i = 0; i < PROBE_STATS_SECONDS; i++) {
		ts->seconds[i].sec = -1;
		memset(&ts->seconds[i].b, 0, sizeof ts->seconds[i].b);
	}
	for (i = 0; i < HIST_SLOTS; i++) {
		ts->hist[i].slot = -1;
		memset(ts->hist[i].bins, 0, sizeof ts->hist[i].bins);
	}
}

struct probe_stats *
probe_stats_create(size_t ntargets, int fail_threshold, int success_threshold)
{
	struct probe_stats *s = xcalloc(1, sizeof *s);
	size_t i;

	s->ntargets = ntargets;
	s->fail_threshold = fail_threshold > 0 ? fail_threshold : 1;
	s->success_threshold = success_threshold > 0 ? success_threshold : 1;
	s->t = xcalloc(ntargets > 0 ? ntargets : 1, sizeof *s->t);
	for (i = 0; i < ntargets; i++) {
		pthread_mutex_init(&s->t[i].lock, NULL);
		target_clear(&s->t[i]);
		s->t[i].streak_change = s->t[i].last_flip_change = -1;
		s->t[i].last_detect_ms = s->t[i].last_recover_ms = -1;
	}
	return s;
}

void
probe_stats_destroy(struct probe_stats *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ntargets; i++)
		pthread_mutex_destroy(&s->t[i].lock);
	free(s->t);
	free(s);
}

static int
hist_bin(double ms)
{
	int b;

	if (ms <= HIST_FLOOR_MS)
		return 0;
	b = (int)ceil(log(ms / HIST_FLOOR_MS) / log(HIST_RATIO));
	return b < HIST_BINS ? b : HIST_BINS - 1;
}

/* Count R in its second and, when it got an answer, its latency slot. */
static void
add_to_buckets(struct target_stats *ts, const struct probe_result *r)
{
	int64_t sec = r->started_wall_ms / 1000;
	struct second *s = &ts->seconds[sec % PROBE_STATS_SECONDS];
	struct hist_slot *h;
	float ms = (float)r->duration_ms;

	if (s->sec != sec) {
		s->sec = sec;
		memset(&s->b, 0, sizeof s->b);
	}
	s->b.count++;
	s->b.failures += !r->ok;
	s->b.latency_sum_ms += ms;
	if (ms > s->b.latency_max_ms)
		s->b.latency_max_ms = ms;

	/* No answer means no latency: a timeout would only echo itself. */
	if (r->status == 0)
		return;
	h = &ts->hist[(sec / HIST_SLOT_S) % HIST_SLOTS];
	if (h->slot != sec / HIST_SLOT_S) {
		h->slot = sec / HIST_SLOT_S;
		memset(h->bins, 0, sizeof h->bins);
		h->min_ms = h->max_ms = r->duration_ms;
	}
	h->bins[hist_bin(r->duration_ms)]++;
	h->min_ms = fmin(h->min_ms, r->duration_ms);
	h->max_ms = fmax(h->max_ms, r->duration_ms);
}

/* Apply the thresholds; returns the new state. */
static enum probe_state
next_state(const struct probe_stats *s, const struct target_stats *ts, bool ok)
{
	if (ts->state == PROBE_STATE_UNKNOWN)
		return ok ? PROBE_STATE_UP : PROBE_STATE_DOWN;
	if (ts->state == PROBE_STATE_UP &&
	    ts->consecutive_failures >= s->fail_threshold)
		return PROBE_STATE_DOWN;
	if (ts->state == PROBE_STATE_DOWN &&
	    ts->consecutive_successes >= s->success_threshold)
		return PROBE_STATE_UP;
	return ts->state;
}

/*
 * Time to detect and to recover: a streak of results with the same ok
 * starts with the mock change that caused it; when the streak flips the
 * state, R gets that change and the time from it to R's end.
 * XXX: a streak of failures without any response (reset, close, hang,
 * timeout) has no change id, so its flip down has no time to detect.
 */
static void
track_change(
    struct target_stats *ts, struct probe_result *r, enum probe_state old)
{
	if (r->consecutive == 1) {
		ts->streak_change = r->mock_change;
		ts->streak_change_wall_ms = r->mock_change_wall_ms;
	}
	r->flip_change = r->flip_ms = -1;
	if (ts->state == old || old == PROBE_STATE_UNKNOWN)
		return;
	if (ts->streak_change >= 0 && ts->streak_change_wall_ms > 0) {
		r->flip_change = ts->streak_change;
		r->flip_ms = r->started_wall_ms + (int64_t)r->duration_ms -
		             ts->streak_change_wall_ms;
		if (r->flip_ms < 0)
			r->flip_ms = 0;
	}
	ts->last_flip_change = r->flip_change;
	if (ts->state == PROBE_STATE_DOWN)
		ts->last_detect_ms = r->flip_ms;
	else
		ts->last_recover_ms = r->flip_ms;
}

int
probe_stats_record(
    struct probe_stats *s, struct probe_result *r, enum probe_state *previous)
{
	struct target_stats *ts;
	enum probe_state old;

	if (r->target >= s->ntargets)
		return 0;
	ts = &s->t[r->target];

	pthread_mutex_lock(&ts->lock);
	ts->total++;
	ts->failures += !r->ok;
	ts->consecutive_failures = r->ok ? 0 : ts->consecutive_failures + 1;
	ts->consecutive_successes = r->ok ? ts->consecutive_successes + 1 : 0;
	r->consecutive =
	    r->ok ? ts->consecutive_successes : ts->consecutive_failures;
	old = ts->state;
	ts->state = next_state(s, ts, r->ok);
	if (ts->state != old)
		ts->state_since_wall_ms =
		    r->started_wall_ms + (int64_t)r->duration_ms;
	r->state = ts->state;
	track_change(ts, r, old);
	add_to_buckets(ts, r);
	ts->recent[ts->recent_next] = *r;
	ts->recent_next = (ts->recent_next + 1) % PROBE_STATS_RECENT;
	if (ts->nrecent < PROBE_STATS_RECENT)
		ts->nrecent++;
	pthread_mutex_unlock(&ts->lock);

	if (previous != NULL)
		*previous = old;
	return r->state != old;
}

/* The latency below which a fraction P of the counts in BINS fall. */
static double
hist_percentile(const uint32_t *bins, uint64_t count, double p)
{
	double rank = p * (double)count, lo, hi, below = 0;
	int b;

	for (b = 0; b < HIST_BINS; b++) {
		if (below + bins[b] >= rank && bins[b] > 0) {
			lo =
			    b == 0 ? 0 : HIST_FLOOR_MS * pow(HIST_RATIO, b - 1);
			hi = HIST_FLOOR_MS * pow(HIST_RATIO, b);
			return lo + (hi - lo) * (rank - below) / bins[b];
		}
		below += bins[b];
	}
	return 0;
}

static double
clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void
snapshot_percentiles(
    const struct target_stats *ts, int64_t now_sec, struct probe_snapshot *out)
{
	uint32_t sum[HIST_BINS] = {0};
	int64_t first = now_sec / HIST_SLOT_S - (HIST_SLOTS - 1);
	uint64_t count = 0;
	double min = INFINITY, max = 0;
	size_t i;
	int b;

	for (i = 0; i < HIST_SLOTS; i++) {
		if (ts->hist[i].slot < first)
			continue;
		min = fmin(min, ts->hist[i].min_ms);
		max = fmax(max, ts->hist[i].max_ms);
		for (b = 0; b < HIST_BINS; b++) {
			sum[b] += ts->hist[i].bins[b];
			count += ts->hist[i].bins[b];
		}
	}
	if (count == 0)
		return;
	out->p50_ms = clamp(hist_percentile(sum, count, 0.50), min, max);
	out->p95_ms = clamp(hist_percentile(sum, count, 0.95), min, max);
	out->p99_ms = clamp(hist_percentile(sum, count, 0.99), min, max);
}

static void
snapshot_seconds(
    const struct target_stats *ts, int64_t now_sec, struct probe_snapshot *out)
{
	uint32_t failures = 0;
	int64_t sec;
	size_t i;

	for (i = 0; i < PROBE_STATS_SECONDS; i++) {
		const struct second *s;

		sec = now_sec - (PROBE_STATS_SECONDS - 1) + (int64_t)i;
		s = &ts->seconds[sec % PROBE_STATS_SECONDS];
		if (sec < 0 || s->sec != sec)
			continue;
		out->seconds[i] = s->b;
		if (sec > now_sec - ERROR_WINDOW_S) {
			out->count_1m += s->b.count;
			failures += s->b.failures;
		}
	}
	if (out->count_1m > 0)
		out->error_rate_1m = (double)failures / out->count_1m;
}

void
probe_stats_snapshot(struct probe_stats *s, size_t t, int64_t now_wall_ms,
    struct probe_snapshot *out)
{
	struct target_stats *ts;
	int64_t now_sec = now_wall_ms / 1000;
	size_t i;

	memset(out, 0, sizeof *out);
	if (t >= s->ntargets)
		return;
	ts = &s->t[t];

	pthread_mutex_lock(&ts->lock);
	out->state = ts->state;
	out->state_since_wall_ms = ts->state_since_wall_ms;
	out->total = ts->total;
	out->failures = ts->failures;
	out->consecutive_failures = ts->consecutive_failures;
	out->consecutive_successes = ts->consecutive_successes;
	out->last_flip_change = ts->last_flip_change;
	out->last_detect_ms = ts->last_detect_ms;
	out->last_recover_ms = ts->last_recover_ms;
	out->nrecent = ts->nrecent;
	for (i = 0; i < ts->nrecent; i++)
		out->recent[i] =
		    ts->recent[(ts->recent_next + PROBE_STATS_RECENT - 1 - i) %
		               PROBE_STATS_RECENT];
	snapshot_seconds(ts, now_sec, out);
	snapshot_percentiles(ts, now_sec, out);
	pthread_mutex_unlock(&ts->lock);
}

void
probe_stats_clear(struct probe_stats *s)
{
	size_t i;

	for (i = 0; i < s->ntargets; i++) {
		pthread_mutex_lock(&s->t[i].lock);
		target_clear(&s->t[i]);
		pthread_mutex_unlock(&s->t[i].lock);
	}
}
