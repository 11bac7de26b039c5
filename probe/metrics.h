/*
 * The Prometheus registry of the status server's /metrics: probe counts
 * by target and result, a duration histogram, up/down and the last
 * status per target, rendered in the Prometheus text format (0.0.4).
 */
#ifndef PROBE_METRICS_H
#define PROBE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "probe/result.h"
#include "probe/target.h"

/* Upper bounds (seconds) of the duration histogram's buckets, +Inf aside. */
#define PROBE_METRICS_BUCKETS 11

/* One HTTP status and how many requests the mock answered with it. */
struct probe_metrics_code {
	int code; /* 0: faults, which send no status */
	uint64_t count;
};

/* Process-wide values rendered after the per-target families. */
struct probe_metrics_extra {
	double heartbeat_age_s; /* since the engine loop's last turn */
	double start_time_s;    /* process start, seconds since the epoch */
	uint64_t log_dropped;   /* lines the logger could not write */
	const struct probe_metrics_code *mock; /* NULL: no bundled mock */
	size_t nmock;
};

struct probe_metrics;

/* A registry for TARGETS (which outlive it), all counts zero; never NULL. */
struct probe_metrics *probe_metrics_create(
    const struct probe_target_list *targets);

/* Free M; NULL does nothing. */
void probe_metrics_destroy(struct probe_metrics *m);

/* Count R for its target. Any thread (the engine's, normally). */
void probe_metrics_record(
    struct probe_metrics *m, const struct probe_result *r);

/*
 * The exposition text of M and X (X may be NULL), NUL-terminated; the
 * caller frees it. Any thread.
 */
char *probe_metrics_render(
    struct probe_metrics *m, const struct probe_metrics_extra *x);

/*
 * Write S into BUF (of LEN bytes) as a label value: backslash, double
 * quote and newline escaped. Returns BUF; a value too long is cut.
 */
char *probe_metrics_escape(const char *s, char *buf, size_t len);

#endif
