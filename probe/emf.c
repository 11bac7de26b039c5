#include "probe/emf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"

/* The metrics of a probe line: name in the line, and CloudWatch unit. */
static const struct {
	const char *name;
	const char *unit;
} emf_metrics[] = {
    {"success", "Count"},
    {"failure", "Count"},
    {"duration_ms", "Milliseconds"},
    {"status", "None"},
};

int64_t
probe_emf_parse_ts(const char *ts)
{
	struct tm tm;
	int ms, n = 0;
	time_t secs;

	memset(&tm, 0, sizeof tm);
	if (ts == NULL ||
	    sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &tm.tm_year,
	        &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	        &ms, &n) != 7 ||
	    n != 24 || ts[n] != '\0')
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	secs = timegm(&tm);
	if (secs == (time_t)-1)
		return -1;
	return (int64_t)secs * 1000 + ms;
}

/* The directive: NS, one dimension set (target), the four metrics. */
static cJSON *
emf_directive(const char *ns)
{
	cJSON *d = cJSON_CreateObject();
	cJSON *dims = cJSON_AddArrayToObject(d, "Dimensions");
	cJSON *set = cJSON_CreateArray();
	cJSON *metrics, *m;
	size_t i;

	cJSON_AddStringToObject(d, "Namespace", ns);
	cJSON_AddItemToArray(set, cJSON_CreateString("target"));
	cJSON_AddItemToArray(dims, set);
	metrics = cJSON_AddArrayToObject(d, "Metrics");
	for (i = 0; i < sizeof emf_metrics / sizeof *emf_metrics; i++) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "Name", emf_metrics[i].name);
		cJSON_AddStringToObject(m, "Unit", emf_metrics[i].unit);
		cJSON_AddItemToArray(metrics, m);
	}
	return d;
}

void
probe_emf_decorate(cJSON *line, const char *event, void *ns)
{
	const char *ts;
	cJSON *aws, *list;
	int64_t when;
	int ok;

	if (strcmp(event, "probe") != 0 ||
	    !cJSON_IsString(cJSON_GetObjectItem(line, "target")))
		return;
	ok = cJSON_IsTrue(cJSON_GetObjectItem(line, "ok"));
	cJSON_AddNumberToObject(line, "success", ok);
	cJSON_AddNumberToObject(line, "failure", !ok);

	/* The metric's time is the line's own, so both agree in CloudWatch. */
	ts = cJSON_GetStringValue(cJSON_GetObjectItem(line, "ts"));
	when = probe_emf_parse_ts(ts);
	if (when < 0)
		when = clock_wall_ms();
	aws = cJSON_AddObjectToObject(line, "_aws");
	cJSON_AddNumberToObject(aws, "Timestamp", (double)when);
	list = cJSON_AddArrayToObject(aws, "CloudWatchMetrics");
	cJSON_AddItemToArray(list, emf_directive(ns));
}
