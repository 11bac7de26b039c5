/*
 * The fields that every mode's "stop" log line shares, so that `luna
 * probe`, headless mode and the dashboard say alike why and how they
 * stopped.
 */
#ifndef APP_STOP_LINE_H
#define APP_STOP_LINE_H

#include <stdint.h>

#include <cjson/cJSON.h>

struct stop_line {
	const char *reason; /* "signal", "quit", "round complete", ... */
	int signal;         /* with reason "signal": its number */
	uint64_t results;   /* probe results logged */
	uint64_t failures;  /* of which failed */
	uint64_t skipped;   /* slots not probed: the previous probe still ran */
	int64_t uptime_ms;  /* since the start */
};

/* "SIGINT", "SIGTERM" or "SIGHUP" for SIG, else "signal". */
const char *stop_line_signal_name(int sig);

/* The fields of S as a "stop" line's JSON, for the caller to extend. */
cJSON *stop_line_json(const struct stop_line *s);

#endif
