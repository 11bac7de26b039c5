/*
 * The dashboard's frame around the table: the header line, the footer
 * line, the help overlay's lines, the mock's behaviour in a few words
 * and the lines of the mock changes pane. Pure functions, no terminal.
 */
#ifndef TUI_FRAME_H
#define TUI_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define TUI_FRAME_LINE_MAX 512 /* bytes of any frame line */

struct tui_frame_header {
	const char *version;
	const char *mock_url;   /* NULL: no mock to drive */
	const char *mock_state; /* tui_frame_mock_summary's words */
	size_t up, down, ntargets;
	bool paused;
	int64_t uptime_s;
	int64_t wall_ms; /* the clock at the right end */
};

/* One mock change made from the keys or seen elsewhere. */
struct tui_frame_change {
	int64_t wall_ms;
	char source[16]; /* "key", or who else changed it */
	char desc[96];   /* "status 503" or the error */
	bool pending;    /* sent, no answer yet */
	bool failed;
};

/* The header line, WIDTH cells, clock at the right end, into BUF. */
void tui_frame_header(
    const struct tui_frame_header *h, int width, char *buf, size_t len);

/* The footer: MESSAGE when not NULL or "", else the main keys. */
void tui_frame_footer(const char *message, int width, char *buf, size_t len);

/*
 * The help overlay's lines, one per action with all its keys, from the
 * key table; at most MAX lines of TUI_FRAME_LINE_MAX bytes. Returns the
 * number written.
 */
int tui_frame_help(char lines[][TUI_FRAME_LINE_MAX], int max);

/*
 * STATE (the JSON of GET /control) in a few words: "200", "503 +500ms",
 * "mix 503:25 200:75", "fault reset"; "?" when STATE is NULL.
 */
void tui_frame_mock_summary(const cJSON *state, char *buf, size_t len);

/* One line of the changes pane for C, WIDTH cells. */
/*
 * Wrap TEXT to WIDTH cells into LINES (at most MAX), breaking at a space
 * and indenting continuations by INDENT; when lines run out, the last
 * one ends in "...". Returns the number of lines written.
 */
int tui_frame_wrap(const char *text, int width, int indent,
    char lines[][TUI_FRAME_LINE_MAX], int max);

void tui_frame_change_line(
    const struct tui_frame_change *c, int width, char *buf, size_t len);

#endif
