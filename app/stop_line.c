#include "app/stop_line.h"

#include <signal.h>
#include <string.h>

const char *
stop_line_signal_name(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	default:
		return "signal";
	}
}

cJSON *
stop_line_json(const struct stop_line *s)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "reason", s->reason);
	if (strcmp(s->reason, "signal") == 0)
		cJSON_AddStringToObject(
		    j, "signal", stop_line_signal_name(s->signal));
	cJSON_AddNumberToObject(j, "results", (double)s->results);
	cJSON_AddNumberToObject(j, "failures", (double)s->failures);
	cJSON_AddNumberToObject(j, "skipped", (double)s->skipped);
	cJSON_AddNumberToObject(j, "uptime_ms", (double)s->uptime_ms);
	return j;
}
