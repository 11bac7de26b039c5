#include "tui/scenarios.h"

#include <stdbool.h>
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

/* Whether one of TARGETS probes URL (a query string may follow). */
static bool
probed(const struct probe_target_list *targets, const char *url)
{
	size_t i, n = strlen(url);
	const char *u;

	for (i = 0; i < targets->count; i++) {
		u = targets->items[i].url;
		if (strncmp(u, url, n) == 0 && (u[n] == '\0' || u[n] == '?'))
			return true;
	}
	return false;
}

void
tui_scenarios_unprobed(const char *name, const char *endpoints,
    const char *mock_url, const struct probe_target_list *targets, char *buf,
    size_t len)
{
	char names[256], url[TUI_FRAME_LINE_MAX], *tok, *save = NULL;
	size_t at = 0, base = strlen(mock_url);
	int n;

	buf[0] = '\0';
	while (base > 0 && mock_url[base - 1] == '/')
		base--;
	snprintf(names, sizeof names, "%s", endpoints);
	for (tok = strtok_r(names, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		snprintf(
		    url, sizeof url, "%.*s/mock/%s", (int)base, mock_url, tok);
		if (probed(targets, url) || at >= len)
			continue;
		n = snprintf(buf + at, len - at, "%s/mock/%s",
		    at > 0 ? ", " : "changes ", tok);
		at += n > 0 ? (size_t)n : 0;
	}
	if (at > 0 && at < len)
		snprintf(
		    buf + at, len - at, ", not probed: try luna demo %s", name);
}
