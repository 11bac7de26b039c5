#include "probe/summary.h"

#include <math.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "probe/output.h"

struct summary_totals {
	uint64_t total;
	uint64_t failures;
};

struct probe_summary {
	size_t ntargets;
	struct summary_totals *last;
};

struct probe_summary *
probe_summary_create(size_t ntargets)
{
	struct probe_summary *s = xcalloc(1, sizeof *s);

	s->ntargets = ntargets;
	s->last = xcalloc(ntargets > 0 ? ntargets : 1, sizeof *s->last);
	return s;
}

void
probe_summary_destroy(struct probe_summary *s)
{
	if (s == NULL)
		return;
	free(s->last);
	free(s);
}

cJSON *
probe_summary_fields(struct probe_summary *s, size_t i,
    const struct probe_target *t, const struct probe_snapshot *snap,
    int64_t period_ms)
{
	struct summary_totals *last = &s->last[i < s->ntargets ? i : 0];
	uint64_t count, failures;
	cJSON *f = cJSON_CreateObject();

	/* Stats cleared since (a reset): count from zero again. */
	if (snap->total < last->total || snap->failures < last->failures)
		last->total = last->failures = 0;
	count = snap->total - last->total;
	failures = snap->failures - last->failures;
	last->total = snap->total;
	last->failures = snap->failures;

	cJSON_AddStringToObject(f, "target", t->name);
	cJSON_AddStringToObject(f, "state", probe_state_name(snap->state));
	cJSON_AddNumberToObject(f, "period_s", period_ms / 1000.0);
	cJSON_AddNumberToObject(f, "count", (double)count);
	cJSON_AddNumberToObject(f, "failures", (double)failures);
	cJSON_AddNumberToObject(f, "error_rate",
	    count > 0 ? round(10000.0 * failures / count) / 10000.0 : 0.0);
	cJSON_AddNumberToObject(f, "total", (double)snap->total);
	cJSON_AddNumberToObject(f, "total_failures", (double)snap->failures);
	probe_output_add_percentiles(f, snap);
	return f;
}
