#include "probe/output.h"

#include <math.h>
#include <stdio.h>

#include "common/log.h"

double
probe_output_round_ms(double ms)
{
	return round(ms * 1000.0) / 1000.0;
}

void
probe_output_add_percentiles(cJSON *obj, const struct probe_snapshot *snap)
{
	cJSON_AddNumberToObject(
	    obj, "p50_ms", probe_output_round_ms(snap->p50_ms));
	cJSON_AddNumberToObject(
	    obj, "p95_ms", probe_output_round_ms(snap->p95_ms));
	cJSON_AddNumberToObject(
	    obj, "p99_ms", probe_output_round_ms(snap->p99_ms));
}

cJSON *
probe_output_result_json(
    const struct probe_target *t, const struct probe_result *r)
{
	cJSON *o = cJSON_CreateObject();
	const char *error = probe_error_name(r->error);

	cJSON_AddStringToObject(o, "target", t->name);
	cJSON_AddStringToObject(o, "url", probe_target_display_url(t));
	cJSON_AddStringToObject(o, "method", t->method);
	cJSON_AddBoolToObject(o, "ok", r->ok);
	cJSON_AddNumberToObject(o, "status", r->status);
	if (r->ok || error == NULL) {
		cJSON_AddNullToObject(o, "error");
		cJSON_AddNullToObject(o, "error_detail");
	} else {
		cJSON_AddStringToObject(o, "error", error);
		cJSON_AddStringToObject(o, "error_detail", r->error_detail);
	}
	cJSON_AddNumberToObject(
	    o, "duration_ms", probe_output_round_ms(r->duration_ms));
	cJSON_AddNumberToObject(o, "dns_ms", probe_output_round_ms(r->dns_ms));
	cJSON_AddNumberToObject(
	    o, "connect_ms", probe_output_round_ms(r->connect_ms));
	cJSON_AddNumberToObject(o, "tls_ms", probe_output_round_ms(r->tls_ms));
	cJSON_AddNumberToObject(
	    o, "ttfb_ms", probe_output_round_ms(r->ttfb_ms));
	cJSON_AddNumberToObject(o, "bytes", (double)r->bytes);
	cJSON_AddNumberToObject(o, "seq", (double)r->seq);
	cJSON_AddStringToObject(o, "state", probe_state_name(r->state));
	return o;
}

/* Why T went to R's state, in words an on-call engineer reads. */
static void
state_reason(const struct probe_result *r, enum probe_state previous, char *buf,
    size_t len)
{
	const char *error = probe_error_name(r->error);

	if (previous == PROBE_STATE_UNKNOWN && r->ok)
		snprintf(buf, len, "first result passed");
	else if (previous == PROBE_STATE_UNKNOWN)
		snprintf(buf, len, "first result failed: %s: %s", error,
		    r->error_detail);
	else if (r->ok)
		snprintf(buf, len, "%d consecutive successes", r->consecutive);
	else
		snprintf(buf, len, "%d consecutive failures, last: %s: %s",
		    r->consecutive, error, r->error_detail);
}

static void
log_state(const struct probe_target *t, const struct probe_result *r,
    enum probe_state previous)
{
	cJSON *o = cJSON_CreateObject();
	char reason[PROBE_DETAIL_LEN + 80];

	state_reason(r, previous, reason, sizeof reason);
	cJSON_AddStringToObject(o, "target", t->name);
	cJSON_AddStringToObject(o, "state", probe_state_name(r->state));
	cJSON_AddStringToObject(o, "previous", probe_state_name(previous));
	cJSON_AddStringToObject(o, "reason", reason);
	if (r->flip_change >= 0) {
		cJSON_AddNumberToObject(o, "change", (double)r->flip_change);
		cJSON_AddNumberToObject(o,
		    r->state == PROBE_STATE_DOWN ? "detect_ms" : "recover_ms",
		    (double)r->flip_ms);
	}
	log_event(
	    r->state == PROBE_STATE_DOWN ? LOG_WARN : LOG_INFO, "state", o);
}

void
probe_output_log(const struct probe_target *t, const struct probe_result *r,
    int state_changed, enum probe_state previous)
{
	if (log_enabled(r->ok ? LOG_INFO : LOG_WARN))
		log_event(r->ok ? LOG_INFO : LOG_WARN, "probe",
		    probe_output_result_json(t, r));
	if (state_changed)
		log_state(t, r, previous);
}
