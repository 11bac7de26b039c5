/*
 * What terminfo knows, asked apart from the dashboard: <term.h> defines
 * capability names such as "lines" as macros, so it stays in its own
 * file.
 */
#ifndef TUI_TERMINAL_H
#define TUI_TERMINAL_H

enum tui_terminal_kind {
	TUI_TERMINAL_UNKNOWN, /* not in terminfo, or TERM empty */
	TUI_TERMINAL_DUMB,    /* known, but cannot move the cursor */
	TUI_TERMINAL_USABLE,
};

/*
 * What terminfo says of TERM for a full-screen program. Unlike a failed
 * newterm, which keeps memory it never frees, a refusal here costs
 * nothing.
 */
enum tui_terminal_kind tui_terminal_kind(const char *term);

#endif
