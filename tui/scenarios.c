#include "tui/scenarios.h"

#include <stdio.h>
#include <string.h>

/* Cut BUF to WIDTH bytes, never inside a UTF-8 sequence. */
static void
cut(char *buf, int width)
{
	if (width < 0 || strlen(buf) <= (size_t)width)
		return;
	while (width > 0 && ((unsigned char)buf[width] & 0xc0) == 0x80)
		width--;
	buf[width] = '\0';
}

int
tui_scenarios_lines(const cJSON *list, size_t pick, int width,
    char lines[][TUI_FRAME_LINE_MAX], int max, int *pick_line)
{
	size_t n = (size_t)cJSON_GetArraySize(list), first = 0, i;
	const cJSON *e;
	int count = 0;

	*pick_line = -1;
	if (max <= 0)
		return 0;
	if (n == 0) {
		snprintf(lines[0], TUI_FRAME_LINE_MAX,
		    "no scenarios found (set LUNA_SCENARIO_DIR)");
		cut(lines[0], width);
		return 1;
	}
	if (pick >= first + (size_t)max)
		first = pick - (size_t)max + 1;
	for (i = first; i < n && count < max; i++) {
		e = cJSON_GetArrayItem(list, (int)i);
		snprintf(lines[count], TUI_FRAME_LINE_MAX, "%-18s %s",
		    cJSON_GetStringValue(cJSON_GetObjectItem(e, "name")),
		    cJSON_GetStringValue(
		        cJSON_GetObjectItem(e, "description")));
		cut(lines[count], width);
		if (i == pick)
			*pick_line = count;
		count++;
	}
	return count;
}

void
tui_scenarios_progress(const char *scenario, int width, char *buf, size_t len)
{
	snprintf(buf, len, "scenario %s  (D stops)", scenario);
	cut(buf, width);
}
