#include "tui/frame.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/format.h"
#include "tui/keymap.h"

static void append(char *buf, size_t len, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Append with vsnprintf at *AT, never past LEN. */
static void
append(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*at >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *at, len - *at, fmt, ap);
	va_end(ap);
	*at += n < 0 ? 0 : (size_t)n;
	if (*at >= len)
		*at = len - 1;
}

/* Put RIGHT at the right end of BUF's WIDTH cells; false if no room. */
static bool
right_align(char *buf, size_t len, int width, const char *right)
{
	size_t used = strlen(buf), rn = strlen(right);

	if (width <= 0 || (size_t)width >= len || used + 1 + rn > (size_t)width)
		return false;
	memset(buf + used, ' ', (size_t)width - rn - used);
	memcpy(buf + width - rn, right, rn + 1);
	return true;
}

void
tui_frame_header(
    const struct tui_frame_header *h, int width, char *buf, size_t len)
{
	char uptime[32], clock[32], right[80];
	size_t at = 0;

	buf[0] = '\0';
	append(buf, len, &at, "luna %s", h->version);
	if (h->mock_url != NULL)
		append(buf, len, &at, "  mock %s [%s]", h->mock_url,
		    h->mock_state != NULL ? h->mock_state : "?");
	append(buf, len, &at, "  %zu up %zu down", h->up, h->down);
	if (h->ntargets > h->up + h->down)
		append(buf, len, &at, " of %zu", h->ntargets);
	if (h->paused)
		append(buf, len, &at, "  PAUSED");
	tui_format_uptime(h->uptime_s, uptime, sizeof uptime);
	tui_format_clock(h->wall_ms, 0, clock, sizeof clock);
	snprintf(right, sizeof right, "up %s  %s", uptime, clock);

	/* Short of room, the uptime goes first, then the clock. */
	if (!right_align(buf, len, width, right) &&
	    !right_align(buf, len, width, clock) && width >= 0 &&
	    (size_t)width < len && strlen(buf) > (size_t)width)
		buf[width] = '\0';
}

void
tui_frame_footer(const char *message, int width, char *buf, size_t len)
{
	if (message != NULL && message[0] != '\0')
		snprintf(buf, len, "%s", message);
	else
		snprintf(buf, len,
		    "q quit  ? help  h healthy  5 503  0 500  4 404  "
		    "s/S slow  f/F flaky  r reset  p probe");
	if (width >= 0 && (size_t)width < len && strlen(buf) > (size_t)width)
		buf[width] = '\0';
}

/* The keys of action A joined as "Up, k", into BUF. */
static void
keys_of(
    const struct tui_key *t, size_t n, enum tui_action a, char *buf, size_t len)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (t[i].action == a)
			append(buf, len, &at, "%s%s", at > 0 ? ", " : "",
			    t[i].label);
}

int
tui_frame_help(char lines[][TUI_FRAME_LINE_MAX], int max)
{
	const struct tui_key *t;
	char keys[64];
	size_t n, i, j;
	int count = 0;

	t = tui_keymap_table(&n);
	for (i = 0; i < n && count < max; i++) {
		/* Each action once, at its first key, with all its keys. */
		for (j = 0; j < i && t[j].action != t[i].action; j++)
			;
		if (j < i || t[i].help == NULL)
			continue;
		keys_of(t, n, t[i].action, keys, sizeof keys);
		snprintf(lines[count++], TUI_FRAME_LINE_MAX, "%-10s %s", keys,
		    t[i].help);
	}
	return count;
}

static void
mix_summary(const cJSON *mix, char *buf, size_t len, size_t *at)
{
	const cJSON *w;

	append(buf, len, at, "%smix", *at > 0 ? " " : "");
	cJSON_ArrayForEach (w, mix)
		if (cJSON_IsNumber(w))
			append(
			    buf, len, at, " %s:%g", w->string, w->valuedouble);
}

void
tui_frame_mock_summary(const cJSON *state, char *buf, size_t len)
{
	const cJSON *status, *mix, *lat, *jit, *fault;
	size_t at = 0;

	buf[0] = '\0';
	if (state == NULL) {
		snprintf(buf, len, "?");
		return;
	}
	status = cJSON_GetObjectItemCaseSensitive(state, "status");
	mix = cJSON_GetObjectItemCaseSensitive(state, "mix");
	lat = cJSON_GetObjectItemCaseSensitive(state, "latency_ms");
	jit = cJSON_GetObjectItemCaseSensitive(state, "jitter_ms");
	fault = cJSON_GetObjectItemCaseSensitive(state, "fault");

	if (cJSON_IsObject(mix) && cJSON_GetArraySize(mix) > 0)
		mix_summary(mix, buf, len, &at);
	else if (cJSON_IsNumber(status))
		append(buf, len, &at, "%d", status->valueint);
	if (cJSON_IsNumber(lat) && lat->valuedouble > 0)
		append(buf, len, &at, " +%gms", lat->valuedouble);
	if (cJSON_IsNumber(jit) && jit->valuedouble > 0 &&
	    cJSON_IsNumber(lat) && lat->valuedouble > 0)
		append(buf, len, &at, "~%g", jit->valuedouble);
	if (cJSON_IsString(fault) && strcmp(fault->valuestring, "none") != 0)
		append(buf, len, &at, "%sfault %s", at > 0 ? " " : "",
		    fault->valuestring);
	if (at == 0)
		snprintf(buf, len, "?");
}

void
tui_frame_change_line(
    const struct tui_frame_change *c, int width, char *buf, size_t len)
{
	char clock[32];

	tui_format_clock(c->wall_ms, 0, clock, sizeof clock);
	snprintf(buf, len, "%s %-8s %s%s%s", clock, c->source,
	    c->failed ? "failed: " : "", c->desc, c->pending ? " ..." : "");
	if (width >= 0 && (size_t)width < len && strlen(buf) > (size_t)width)
		buf[width] = '\0';
}

/*
 * Where to end a line of at most WIDTH bytes of TEXT: after the last
 * double space in its second half (between fields), else the last space
 * (between words), else WIDTH itself.
 */
static size_t
wrap_point(const char *text, size_t width)
{
	size_t i, space = 0;

	if (strlen(text) <= width)
		return strlen(text);
	for (i = width; i > width / 2; i--)
		if (text[i] == ' ' && text[i - 1] == ' ')
			return i - 1;
	for (i = width; i > 0; i--)
		if (text[i] == ' ') {
			space = i;
			break;
		}
	return space > 0 ? space : width;
}

/* Cut LINE to WIDTH bytes ending in "..." (the text goes on). */
static void
ellipsis(char *line, size_t width)
{
	size_t n = strlen(line);

	if (width < 4)
		return;
	if (n + 3 > width) {
		/* Back to the end of a word when one ends in the second half.
		 */
		n = width - 3;
		while (n > width / 2 && line[n] != ' ')
			n--;
		if (line[n] != ' ')
			n = width - 3;
	}
	memcpy(line + n, "...", 4);
}

int
tui_frame_wrap(const char *text, int width, int indent,
    char lines[][TUI_FRAME_LINE_MAX], int max)
{
	int n = 0, pad = 0;
	size_t w, end;

	if (width <= 0 || width >= TUI_FRAME_LINE_MAX || max <= 0)
		return 0;
	if (indent < 0 || indent > width / 2)
		indent = 0;
	do {
		w = (size_t)(width - pad);
		end = wrap_point(text, w);
		snprintf(lines[n], TUI_FRAME_LINE_MAX, "%*s%.*s", pad, "",
		    (int)end, text);
		text += end;
		while (*text == ' ')
			text++;
		pad = indent;
		n++;
	} while (*text != '\0' && n < max);
	if (*text != '\0')
		ellipsis(lines[n - 1], (size_t)width);
	return n;
}
