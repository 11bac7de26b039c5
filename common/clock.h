/* Monotonic and wall clocks, and the one timestamp format of the logs. */
#ifndef COMMON_CLOCK_H
#define COMMON_CLOCK_H

#include <stdint.h>

/* Room for "2026-12-03T16:29:31.123Z" and its NUL. */
#define CLOCK_RFC3339_LEN 32

/* Milliseconds and microseconds of CLOCK_MONOTONIC; any thread. */
int64_t clock_mono_ms(void);
int64_t clock_mono_us(void);

/* Milliseconds since the Unix epoch (CLOCK_REALTIME); any thread. */
int64_t clock_wall_ms(void);

/* Format WALL_MS as RFC 3339 in UTC with milliseconds into BUF. */
void clock_format_rfc3339(int64_t wall_ms, char buf[CLOCK_RFC3339_LEN]);

#endif
