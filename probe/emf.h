/*
 * CloudWatch Embedded Metric Format for probe lines: with
 * LUNA_LOG_FORMAT=emf each "probe" line also carries "success" and
 * "failure" (0 or 1) and an "_aws" member that makes CloudWatch extract
 * success, failure, duration_ms and status as metrics per target.
 */
#ifndef PROBE_EMF_H
#define PROBE_EMF_H

#include <stdint.h>

#include <cjson/cJSON.h>

/*
 * A log_decorate_fn: add the EMF members to LINE when EVENT is "probe",
 * in namespace NS (a const char *, which outlives the logger's use).
 * Other events are left alone.
 */
void probe_emf_decorate(cJSON *line, const char *event, void *ns);

/*
 * Milliseconds since the epoch of TS ("2026-12-03T16:29:31.123Z"), or
 * -1 when TS is not in that form.
 */
int64_t probe_emf_parse_ts(const char *ts);

#endif
