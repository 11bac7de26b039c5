/*
 * Sparklines: a row of glyphs of eight heights drawn from a series of
 * samples. The series comes from the per-second buckets of a stats
 * snapshot, so it does not depend on the screen; only the number of
 * columns drawn does. Pure functions, no terminal.
 */
#ifndef TUI_SPARKLINE_H
#define TUI_SPARKLINE_H

#include <stddef.h>

#include "probe/stats.h"

#define TUI_SPARKLINE_LEVELS    8
#define TUI_SPARKLINE_GLYPH_MAX 3 /* bytes of the widest glyph */

enum tui_glyphs {
	TUI_GLYPHS_ASCII,
	TUI_GLYPHS_UNICODE, /* block elements, needs a UTF-8 locale */
};

enum tui_series {
	TUI_SERIES_ERROR_RATE, /* failures / count, 0..1 */
	TUI_SERIES_LATENCY,    /* mean latency in ms */
};

/* The glyph table for CODESET (nl_langinfo(CODESET)); NULL means ASCII. */
enum tui_glyphs tui_sparkline_glyphs_for(const char *codeset);

/* The glyph of LEVEL (0..7) in table G, as a string. */
const char *tui_sparkline_glyph(enum tui_glyphs g, int level);

/*
 * Fill OUT[0..NCOLS) with KIND over NB per-second buckets B (oldest
 * first, the last one the current second). The last column holds the
 * CURRENT newest seconds (1..SECS, so that columns stay on whole
 * multiples of SECS as time goes on); every other column SECS seconds.
 * A column without results is NAN.
 */
void tui_sparkline_series(const struct probe_bucket *b, size_t nb,
    enum tui_series kind, size_t secs, size_t current, double *out,
    size_t ncols);

/*
 * Draw the N values V into BUF, one glyph each, scaled so that MAX (or,
 * when MAX <= 0, the largest value) is the top glyph; zero is the bottom
 * glyph, any value above zero at least the second, NAN a blank. Returns
 * the bytes written; BUF is always NUL-terminated and holds whole glyphs.
 */
size_t tui_sparkline_render(const double *v, size_t n, double max,
    enum tui_glyphs g, char *buf, size_t len);

#endif
