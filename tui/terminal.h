/*
 * What terminfo knows, asked apart from the dashboard: <term.h> defines
 * capability names such as "lines" as macros, so it stays in its own
 * file.
 */
#ifndef TUI_TERMINAL_H
#define TUI_TERMINAL_H

#include <stdbool.h>

/*
 * True when TERM names a terminal in terminfo. Unlike a failed newterm,
 * which keeps memory it never frees, a refusal here costs nothing.
 */
bool tui_terminal_known(const char *term);

#endif
