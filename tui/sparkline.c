#include "tui/sparkline.h"

#include <math.h>
#include <string.h>
#include <strings.h>

static const char *const glyphs_ascii[TUI_SPARKLINE_LEVELS] = {
    "_",
    ".",
    "-",
    ":",
    "=",
    "+",
    "*",
    "#",
};

/* U+2581 LOWER ONE EIGHTH BLOCK up to U+2588 FULL BLOCK. */
static const char *const glyphs_unicode[TUI_SPARKLINE_LEVELS] = {
    "\xe2\x96\x81",
    "\xe2\x96\x82",
    "\xe2\x96\x83",
    "\xe2\x96\x84",
    "\xe2\x96\x85",
    "\xe2\x96\x86",
    "\xe2\x96\x87",
    "\xe2\x96\x88",
};

enum tui_glyphs
tui_sparkline_glyphs_for(const char *codeset)
{
	if (codeset != NULL && (strcasecmp(codeset, "UTF-8") == 0 ||
	                           strcasecmp(codeset, "UTF8") == 0))
		return TUI_GLYPHS_UNICODE;
	return TUI_GLYPHS_ASCII;
}

const char *
tui_sparkline_glyph(enum tui_glyphs g, int level)
{
	if (level < 0)
		level = 0;
	if (level >= TUI_SPARKLINE_LEVELS)
		level = TUI_SPARKLINE_LEVELS - 1;
	if (g == TUI_GLYPHS_UNICODE)
		return glyphs_unicode[level];
	return glyphs_ascii[level];
}

static double
column_value(const struct probe_bucket *b, size_t n, enum tui_series kind)
{
	double count = 0, failures = 0, latency = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		count += b[i].count;
		failures += b[i].failures;
		latency += b[i].latency_sum_ms;
	}
	if (count == 0)
		return NAN;
	if (kind == TUI_SERIES_ERROR_RATE)
		return failures / count;
	return latency / count;
}

void
tui_sparkline_series(const struct probe_bucket *b, size_t nb,
    enum tui_series kind, size_t secs, size_t current, double *out,
    size_t ncols)
{
	size_t col, end = nb, span;

	if (secs == 0)
		secs = 1;
	if (current == 0 || current > secs)
		current = secs;

	/* Walk from the newest column back; END is one past its buckets. */
	span = current;
	for (col = ncols; col-- > 0;) {
		if (end == 0) {
			out[col] = NAN;
			continue;
		}
		if (span > end)
			span = end;
		out[col] = column_value(b + end - span, span, kind);
		end -= span;
		span = secs;
	}
}

static int
level_of(double v, double max)
{
	int level;

	if (v <= 0 || max <= 0)
		return 0;
	level = (int)ceil(v / max * (TUI_SPARKLINE_LEVELS - 1));
	if (level < 1)
		level = 1;
	if (level > TUI_SPARKLINE_LEVELS - 1)
		level = TUI_SPARKLINE_LEVELS - 1;
	return level;
}

size_t
tui_sparkline_render(const double *v, size_t n, double max, enum tui_glyphs g,
    char *buf, size_t len)
{
	size_t i, used = 0;

	if (len == 0)
		return 0;
	if (max <= 0)
		for (i = 0, max = 0; i < n; i++)
			if (!isnan(v[i]) && v[i] > max)
				max = v[i];
	for (i = 0; i < n; i++) {
		const char *glyph =
		    isnan(v[i]) ? " "
		                : tui_sparkline_glyph(g, level_of(v[i], max));
		size_t gl = strlen(glyph);

		if (used + gl >= len)
			break;
		memcpy(buf + used, glyph, gl);
		used += gl;
	}
	buf[used] = '\0';
	return used;
}
