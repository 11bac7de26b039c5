/*
 * The one logger. Every line is one event: JSON with "ts", "level" and
 * "event" first (or the same as readable text). Lines are formatted by
 * the caller and written whole, in order, by one writer thread.
 */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
};

enum log_format {
	LOG_FORMAT_JSON,
	LOG_FORMAT_TEXT,
	LOG_FORMAT_EMF,
};

/*
 * Add fields to a line just before it is written (EMF metadata). Runs
 * under the logger's lock, on the thread that logs.
 */
typedef void (*log_decorate_fn)(cJSON *line, const char *event, void *arg);

/*
 * Send lines to FD (-1: nowhere) in FORMAT, dropping those below MIN.
 * The default is stderr, text, info. Call before threads start logging.
 */
void log_setup(int fd, enum log_format format, enum log_level min);

/* The format in effect. */
enum log_format log_format(void);

/* True when LEVEL would be written: check before building a line. */
bool log_enabled(enum log_level level);

/*
 * Write one EVENT line with the members of FIELDS (may be NULL) after
 * ts, level and event. Takes ownership of FIELDS. Any thread.
 */
void log_event(enum log_level level, const char *event, cJSON *fields);

/* A free-form message: event "log" with "msg". Any thread. */
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set (or clear, with NULL) the decorator; see log_decorate_fn. */
void log_set_decorator(log_decorate_fn fn, void *arg);

/*
 * Parse "json", "emf" or "text" into OUT. Returns 0, or -1 with the
 * reason in ERR.
 */
int log_format_parse(
    const char *s, enum log_format *out, char *err, size_t errlen);

/* "debug", "info", "warn", "error". */
const char *log_level_name(enum log_level level);

/*
 * Lines lost: not written (closed or failing output) or dropped because
 * the queue to a stalled output was full. Any thread.
 */
unsigned long log_dropped(void);

/*
 * Wait up to TIMEOUT_MS for queued lines to be written. Returns how many
 * are still waiting (0 when all went out). Lines are written by a thread
 * of the logger's own, so callers never block on the output; exit waits
 * for them up to 2 s by itself.
 */
size_t log_flush(int timeout_ms);

/*
 * At the end of a run: wait up to TIMEOUT_MS for queued lines, then
 * return how many lines were lost in all (dropped, or still queued).
 */
unsigned long log_drain(int timeout_ms);

/*
 * Monotonic ms when the output last took a line, or now when nothing
 * waits: an output stalled for long (lines queued, none written) stops
 * moving, like the engine's heartbeat. Any thread.
 */
int64_t log_heartbeat_ms(void);

#endif
