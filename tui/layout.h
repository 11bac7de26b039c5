/*
 * Where each part of the dashboard goes for a screen size: header,
 * table (scrolled so the selected target shows), detail and mock
 * changes panes, footer. Pure arithmetic, any size.
 */
#ifndef TUI_LAYOUT_H
#define TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define TUI_LAYOUT_MIN_ROWS 8
#define TUI_LAYOUT_PANE_MIN 6 /* rows the panes need to be worth it */

struct tui_layout {
	int rows, cols;
	bool too_small; /* only the one-line message fits */
	int header_y;
	int table_y;        /* column titles; target rows follow */
	int table_rows;     /* target rows shown */
	size_t first;       /* index of the first target shown */
	int pane_y, pane_h; /* both panes; 0 high when there is no room */
	int detail_w;       /* left pane; the changes pane takes the rest */
	int footer_y;
};

/*
 * Lay out ROWS x COLS for NTARGETS targets with SELECTED shown, keeping
 * the scroll offset FIRST of the previous frame when it still fits.
 */
void tui_layout_compute(int rows, int cols, size_t ntargets, size_t selected,
    size_t first, struct tui_layout *l);

/* The one-line message for a screen that is too small, into BUF. */
void tui_layout_too_small(const struct tui_layout *l, char *buf, size_t len);

#endif
