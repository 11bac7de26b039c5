/*
 * The probe engine: one thread on libcurl's multi interface that runs
 * every target on its own schedule (due at start + k * interval, never
 * two probes of one target at once) and hands each result on.
 */
#ifndef PROBE_ENGINE_H
#define PROBE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "probe/result.h"
#include "probe/stats.h"
#include "probe/target.h"

/*
 * Called on the engine thread for every result, after the stats have
 * recorded it; STATE_CHANGED says it moved the target up or down (from
 * PREVIOUS). Must not block: it logs a line and returns.
 */
typedef void (*probe_result_fn)(const struct probe_target *target,
    const struct probe_result *result, int state_changed,
    enum probe_state previous, void *arg);

struct probe_engine_config {
	const struct probe_target_list *targets;	/* outlives the engine */
	struct probe_stats *stats;	/* outlives the engine */
	probe_result_fn on_result;
	void *arg;
	bool once;		/* one probe per target, then finish */
};

struct probe_engine;

/* Start the engine thread. Returns NULL with the reason in ERR. */
struct probe_engine *probe_engine_start(const struct probe_engine_config *c,
    char *err, size_t errlen);

/*
 * Stop scheduling, let probes in flight finish or time out, join the
 * thread and free E. NULL does nothing.
 */
void probe_engine_stop(struct probe_engine *e);

/* With once: block until every target has one result. */
void probe_engine_wait(struct probe_engine *e);

/* Pause or resume scheduling new probes. Any thread. */
void probe_engine_pause(struct probe_engine *e, bool paused);

/* Probe target T (or every target, with SIZE_MAX) now. Any thread. */
void probe_engine_probe_now(struct probe_engine *e, size_t t);

/* Monotonic ms of the loop's last turn: a stalled loop stops moving. */
int64_t probe_engine_heartbeat_ms(struct probe_engine *e);

/* The worst schedule lag seen since the last call, in ms. Any thread. */
double probe_engine_take_max_lag_ms(struct probe_engine *e);

/*
 * Slots not probed since the start: the target's previous probe was
 * still running at its due time, or the engine was paused. Any thread.
 */
uint64_t probe_engine_skipped(struct probe_engine *e);

#endif
