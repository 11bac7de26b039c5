/*
 * The dashboard's scenario parts, as pure functions: the lines of the
 * picker (the built-ins of mock_scenario_list) and the progress line.
 */
#ifndef TUI_SCENARIOS_H
#define TUI_SCENARIOS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "probe/target.h"
#include "tui/frame.h"

/*
 * The picker's lines for LIST (an array of {"name", "description"})
 * with entry PICK selected, WIDTH columns each, at most MAX of them,
 * scrolled so PICK shows. Returns the count; *PICK_LINE gets the line
 * of PICK (-1 when the list is empty: then one line says so).
 */
int tui_scenarios_lines(const cJSON *list, size_t pick, int width,
    char lines[][TUI_FRAME_LINE_MAX], int max, int *pick_line);

/* The progress line for SCENARIO (a scenario's line), WIDTH wide. */
void tui_scenarios_progress(
    const char *scenario, int width, char *buf, size_t len);

/*
 * The note for the progress line of scenario NAME when the mock at
 * MOCK_URL has ENDPOINTS (names, space-separated) that none of TARGETS
 * probes: "changes /mock/checkout, not probed: try luna demo NAME";
 * empty when all are probed.
 */
void tui_scenarios_unprobed(const char *name, const char *endpoints,
    const char *mock_url, const struct probe_target_list *targets,
    char *buf, size_t len);

#endif
