#include "common/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Durations longer than a day are a typo, not a plan. */
#define DURATION_MAX_MS (24.0 * 3600 * 1000)

struct unit {
	const char *name;
	double scale;
};

static const struct unit duration_units[] = {
    {"ms", 1},
    {"s", 1000},
    {"m", 60000},
    {"h", 3600000},
};

static const struct unit size_units[] = {
    {"", 1},
    {"b", 1},
    {"k", 1024},
    {"kb", 1024},
    {"kib", 1024},
    {"m", 1048576},
    {"mb", 1048576},
    {"mib", 1048576},
    {"g", 1073741824},
    {"gb", 1073741824},
    {"gib", 1073741824},
};

/* Read a non-negative decimal number; END gets where the unit starts. */
static int
read_number(const char *s, double *out, const char **end)
{
	const char *p = s;
	char *e;
	int dots = 0;

	/* Plain decimals only: strtod alone would take hex, exponents, inf. */
	for (; isdigit((unsigned char)*p) || *p == '.'; p++)
		dots += *p == '.';
	if (p == s || dots > 1 || (p - s == 1 && dots == 1))
		return -1;
	errno = 0;
	*out = strtod(s, &e);
	if (errno != 0 || e != p || !isfinite(*out))
		return -1;
	*end = e;
	return 0;
}

int
parse_duration_ms(const char *s, int64_t *out_ms, char *err, size_t errlen)
{
	const char *unit;
	double v;
	size_t i;

	if (s == NULL || read_number(s, &v, &unit) < 0) {
		snprintf(err, errlen,
		    "bad duration '%s': expected a number "
		    "and a unit such as 500ms, 5s or 2m",
		    s ? s : "");
		return -1;
	}
	if (*unit == '\0' && v == 0) {
		*out_ms = 0;
		return 0;
	}
	for (i = 0; i < sizeof duration_units / sizeof *duration_units; i++) {
		if (strcmp(unit, duration_units[i].name) != 0)
			continue;
		v *= duration_units[i].scale;
		if (v > DURATION_MAX_MS) {
			snprintf(err, errlen,
			    "bad duration '%s': longer than 24h", s);
			return -1;
		}
		*out_ms = (int64_t)llround(v);
		return 0;
	}
	snprintf(
	    err, errlen, "bad duration '%s': unit must be ms, s, m or h", s);
	return -1;
}

int
parse_size(const char *s, size_t *out, char *err, size_t errlen)
{
	const char *unit;
	double v;
	size_t i;

	if (s == NULL || read_number(s, &v, &unit) < 0) {
		snprintf(err, errlen,
		    "bad size '%s': expected a number of "
		    "bytes such as 65536, 64k or 1M",
		    s ? s : "");
		return -1;
	}
	for (i = 0; i < sizeof size_units / sizeof *size_units; i++) {
		if (strcasecmp(unit, size_units[i].name) != 0)
			continue;
		v *= size_units[i].scale;
		if (v != floor(v)) {
			snprintf(err, errlen,
			    "bad size '%s': not a whole number of bytes", s);
			return -1;
		}
		if (v > (double)(SIZE_MAX / 2)) {
			snprintf(err, errlen, "bad size '%s': too large", s);
			return -1;
		}
		*out = (size_t)v;
		return 0;
	}
	snprintf(err, errlen, "bad size '%s': unit must be k, M or G", s);
	return -1;
}

int
parse_long(const char *s, long min, long max, long *out, const char *what,
    char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = s != NULL ? strtol(s, &end, 10) : 0;
	if (s == NULL || *s == '\0' || *end != '\0' || errno != 0 ||
	    isspace((unsigned char)*s)) {
		snprintf(err, errlen, "bad %s '%s': expected a whole number",
		    what, s ? s : "");
		return -1;
	}
	if (v < min || v > max) {
		snprintf(err, errlen, "bad %s '%s': must be from %ld to %ld",
		    what, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}
