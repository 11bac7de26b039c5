/* The probe's log lines: "probe" and "state" events of the log schema. */
#ifndef PROBE_OUTPUT_H
#define PROBE_OUTPUT_H

#include <cjson/cJSON.h>

#include "probe/result.h"
#include "probe/stats.h"
#include "probe/target.h"

/* MS rounded to the microsecond (3 decimals): more digits are noise. */
double probe_output_round_ms(double ms);

/* Add SNAP's p50_ms, p95_ms and p99_ms to OBJ, rounded as above. */
void probe_output_add_percentiles(
    cJSON *obj, const struct probe_snapshot *snap);

/* The "probe" event's fields for R (without ts/level/event); caller owns. */
cJSON *probe_output_result_json(
    const struct probe_target *t, const struct probe_result *r);

/* Log R as a "probe" event (and a "state" event when it changed state). */
void probe_output_log(const struct probe_target *t,
    const struct probe_result *r, int state_changed, enum probe_state previous);

#endif
