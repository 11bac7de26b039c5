/*
 * The periodic "summary" event: per target, the probes and failures
 * since the previous summary, the error rate over that period, totals,
 * the state and the latency percentiles of the last 5 minutes.
 */
#ifndef PROBE_SUMMARY_H
#define PROBE_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "probe/stats.h"
#include "probe/target.h"

struct probe_summary;

/* Remember totals for NTARGETS targets, all zero; never NULL. */
struct probe_summary *probe_summary_create(size_t ntargets);

/* Free S; NULL does nothing. */
void probe_summary_destroy(struct probe_summary *s);

/*
 * The summary fields of target number I (T, with snapshot SNAP) for the
 * PERIOD_MS just ended, and remember SNAP's totals for the next period.
 * Caller owns the result. One thread at a time.
 */
cJSON *probe_summary_fields(struct probe_summary *s, size_t i,
    const struct probe_target *t, const struct probe_snapshot *snap,
    int64_t period_ms);

#endif
