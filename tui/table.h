/*
 * The table of targets: which columns fit a screen width, and each row
 * rendered into a buffer from a stats snapshot. Pure functions, no
 * terminal; the dashboard only copies the rows to the screen and
 * colours the state cell.
 */
#ifndef TUI_TABLE_H
#define TUI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/stats.h"
#include "tui/sparkline.h"

#define TUI_TABLE_MIN_WIDTH    60   /* name, state, code and timings */
#define TUI_TABLE_SECS_PER_COL 5    /* seconds per sparkline glyph */
#define TUI_TABLE_ROW_MAX      2048 /* bytes of a row, glyphs included */

/* What the state cell says, and which colour it takes. */
enum tui_health {
	TUI_HEALTH_UNKNOWN,
	TUI_HEALTH_UP,
	TUI_HEALTH_DEGRADED, /* up, but a recent probe failed */
	TUI_HEALTH_DOWN,
};

/* Column geometry for one screen width; a width of 0 hides a column. */
struct tui_table {
	int width; /* cells a row fills */
	int name_w;
	int state_x, state_w;     /* the cell the dashboard colours */
	int errors_x, errors_w;   /* error-rate sparkline */
	int latency_x, latency_w; /* latency sparkline */
};

/* Lay out columns for WIDTH cells and names up to LONGEST_NAME bytes. */
void tui_table_layout(int width, size_t longest_name, struct tui_table *t);

/* The column titles, WIDTH cells, into BUF. */
void tui_table_header(const struct tui_table *t, char *buf, size_t len);

/* up, degraded, down or unknown, from the snapshot S. */
enum tui_health tui_table_health(const struct probe_snapshot *s);

/* "up", "degraded", "down", "waiting". */
const char *tui_table_health_name(enum tui_health h);

/*
 * The wall time in ms when S's health (as tui_table_health) began,
 * degraded included, from its recent results; 0 while unknown.
 */
int64_t tui_table_health_since(const struct probe_snapshot *s);

/*
 * The row of target NAME from snapshot S taken at NOW_WALL_MS, marked
 * when SELECTED, sparklines in glyphs G, into BUF (TUI_TABLE_ROW_MAX
 * bytes are always enough). Every cell but the sparklines is ASCII.
 */
void tui_table_row(const struct tui_table *t, const char *name,
    const struct probe_snapshot *s, int64_t now_wall_ms, bool selected,
    enum tui_glyphs g, char *buf, size_t len);

/*
 * The last result's outcome as a short word: its status ("503"), or
 * the error kind when there was no response ("reset"); "-" if none.
 */
void tui_table_outcome(const struct probe_snapshot *s, char *buf, size_t len);

#endif
