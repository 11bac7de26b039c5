/*
 * The detail pane of the selected target: what it probes, its state and
 * since when, the timing phases of the last probe, and the recent
 * results, newest first. A pure function, no terminal.
 */
#ifndef TUI_DETAIL_H
#define TUI_DETAIL_H

#include <stdint.h>

#include "probe/stats.h"
#include "probe/target.h"
#include "tui/frame.h"

/*
 * Write the pane of target T with snapshot S taken at NOW_WALL_MS into
 * LINES, at most MAX lines cut to WIDTH cells. Returns the number.
 */
int tui_detail_lines(const struct probe_target *t,
    const struct probe_snapshot *s, int64_t now_wall_ms, int width,
    char lines[][TUI_FRAME_LINE_MAX], int max);

#endif
