/*
 * Per-target statistics: up/down state, recent results, per-second
 * buckets and latency percentiles. Written by the engine thread only;
 * readers (dashboard, headless, status server) take snapshots. Memory
 * is fixed at creation, whatever the run length.
 */
#ifndef PROBE_STATS_H
#define PROBE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "probe/result.h"

#define PROBE_STATS_SECONDS 600	/* per-second buckets: 10 minutes */
#define PROBE_STATS_RECENT 32	/* recent results kept per target */

struct probe_bucket {
	uint32_t count;
	uint32_t failures;
	float latency_sum_ms;	/* of all results in the second */
	float latency_max_ms;
};

struct probe_snapshot {
	enum probe_state state;
	int64_t state_since_wall_ms;	/* 0 while unknown */
	uint64_t total;
	uint64_t failures;
	int consecutive_failures;
	int consecutive_successes;
	/* The last flips' mock change and time from it (time to detect,
	 * time to recover), -1 while unknown. */
	int64_t last_flip_change;
	int64_t last_detect_ms;
	int64_t last_recover_ms;
	double p50_ms, p95_ms, p99_ms;	/* over the last 5 minutes, 0 if none */
	double error_rate_1m;	/* failures / count over 60 s, 0..1 */
	uint32_t count_1m;
	size_t nrecent;
	struct probe_result recent[PROBE_STATS_RECENT];	/* newest first */
	/* Oldest first; the last one is the current second. */
	struct probe_bucket seconds[PROBE_STATS_SECONDS];
};

struct probe_stats;

/* Stats for NTARGETS targets with the up/down thresholds; never NULL. */
struct probe_stats *probe_stats_create(size_t ntargets, int fail_threshold,
    int success_threshold);

/* Free S; NULL does nothing. */
void probe_stats_destroy(struct probe_stats *s);

/*
 * Record R for its target and set R->state. Returns 1 when the state
 * changed (then *PREVIOUS holds the old one), else 0. Engine thread.
 */
int probe_stats_record(struct probe_stats *s, struct probe_result *r,
    enum probe_state *previous);

/* Copy target T's statistics at NOW_WALL_MS into OUT. Any thread. */
void probe_stats_snapshot(struct probe_stats *s, size_t t,
    int64_t now_wall_ms, struct probe_snapshot *out);

/* Forget counts, buckets and recent results (state is kept). Any thread. */
void probe_stats_clear(struct probe_stats *s);

#endif
