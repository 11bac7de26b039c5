#include "tui/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void
tui_format_ms(double ms, char *buf, size_t len)
{
	if (ms < 0 || isnan(ms))
		snprintf(buf, len, "-");
	else if (ms < 10)
		snprintf(buf, len, "%.1fms", ms);
	else if (ms < 1000)
		snprintf(buf, len, "%.0fms", ms);
	else if (ms < 10000 && fmod(ms, 1000) != 0)
		snprintf(buf, len, "%.2fs", ms / 1000);
	else
		snprintf(buf, len, "%.0fs", ms / 1000);
}

void
tui_format_pct(double rate, char *buf, size_t len)
{
	double pct = rate * 100;

	if (rate < 0 || isnan(rate))
		snprintf(buf, len, "-");
	else if (pct == 0 || pct >= 99.95)
		snprintf(buf, len, "%.0f%%", pct);
	else if (pct < 10)
		snprintf(buf, len, "%.1f%%", pct);
	else
		snprintf(buf, len, "%.0f%%", pct);
}

void
tui_format_uptime(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

void
tui_format_clock(int64_t wall_ms, int millis, char *buf, size_t len)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	if (millis)
		snprintf(buf, len, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min,
		    tm.tm_sec, (int)(wall_ms % 1000));
	else
		snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
}

size_t
tui_format_cell(const char *s, size_t width, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (len == 0)
		return 0;
	if (width > len - 1)
		width = len - 1;
	if (n > width) {
		memcpy(buf, s, width);
		if (width > 0)
			buf[width - 1] = '~';
	} else {
		memcpy(buf, s, n);
		memset(buf + n, ' ', width - n);
	}
	buf[width] = '\0';
	return width;
}
