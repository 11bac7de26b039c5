#include "tui/layout.h"

#include <stdio.h>
#include <string.h>

#include "tui/table.h"

/*
 * The changes pane is worth showing from 30 columns on; past 38 it has
 * nothing more to say (a clock, a source, a few words), and each column
 * is better spent on the detail pane's failure causes.
 */
#define CHANGES_MIN_W 30
#define CHANGES_MAX_W 38

static size_t
scroll(size_t ntargets, size_t selected, size_t first, int shown)
{
	size_t n = shown > 0 ? (size_t)shown : 1;

	if (selected < first)
		first = selected;
	if (selected >= first + n)
		first = selected - n + 1;
	if (first + n > ntargets)
		first = ntargets > n ? ntargets - n : 0;
	return first;
}

/* The changes pane's width with the gap before it; 0 when it has no room. */
static int
changes_width(int cols)
{
	int w = cols * 2 / 5;

	if (cols - CHANGES_MIN_W - 2 < TUI_TABLE_MIN_WIDTH / 2)
		return 0;
	w = w < CHANGES_MIN_W ? CHANGES_MIN_W : w;
	w = w > CHANGES_MAX_W ? CHANGES_MAX_W : w;
	return w + 2;
}

void
tui_layout_compute(int rows, int cols, size_t ntargets, size_t selected,
    size_t first, struct tui_layout *l)
{
	int avail, want;

	memset(l, 0, sizeof *l);
	l->rows = rows;
	l->cols = cols;
	l->too_small = rows < TUI_LAYOUT_MIN_ROWS || cols < TUI_TABLE_MIN_WIDTH;
	if (l->too_small)
		return;

	/* Header, titles and footer are fixed; the rest is shared. */
	l->header_y = 0;
	l->table_y = 1;
	l->footer_y = rows - 1;
	avail = rows - 3;
	want = ntargets > 0 ? (int)ntargets : 1;
	if (avail - want - 1 >= TUI_LAYOUT_PANE_MIN)
		l->table_rows = want;
	else if (avail - 1 - TUI_LAYOUT_PANE_MIN >= 3)
		l->table_rows = avail - 1 - TUI_LAYOUT_PANE_MIN;
	else
		l->table_rows = avail < want ? avail : want;

	/* The panes take what the table leaves, after a blank line. */
	l->pane_h = avail - l->table_rows - 1;
	if (l->pane_h < TUI_LAYOUT_PANE_MIN)
		l->pane_h = 0;
	l->pane_y = l->table_y + 1 + l->table_rows + 1;
	l->detail_w = cols - changes_width(cols);
	l->first = scroll(ntargets, selected, first, l->table_rows);
}

void
tui_layout_too_small(const struct tui_layout *l, char *buf, size_t len)
{
	snprintf(buf, len, "terminal too small: %dx%d (need %dx%d)", l->cols,
	    l->rows, TUI_TABLE_MIN_WIDTH, TUI_LAYOUT_MIN_ROWS);
}
