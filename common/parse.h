/*
 * Parsers for the values an operator types: durations, sizes, bounded
 * integers. Each returns 0, or -1 with a one-line reason in ERR that
 * quotes the bad value.
 */
#ifndef COMMON_PARSE_H
#define COMMON_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A duration such as "250ms", "5s", "1.5s", "2m", "1h" into
 * milliseconds. A bare number is refused (which unit?) except "0".
 */
int parse_duration_ms(const char *s, int64_t *out_ms, char *err, size_t errlen);

/* A byte size: "512", "64k", "64KiB", "10MB", "1M" (powers of 1024). */
int parse_size(const char *s, size_t *out, char *err, size_t errlen);

/* A decimal integer in [MIN, MAX]; WHAT names it in the error. */
int parse_long(const char *s, long min, long max, long *out, const char *what,
    char *err, size_t errlen);

#endif
