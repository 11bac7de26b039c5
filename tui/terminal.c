#include "tui/terminal.h"

#include <curses.h>
#include <term.h>
#include <unistd.h>

enum tui_terminal_kind
tui_terminal_kind(const char *term)
{
	enum tui_terminal_kind kind = TUI_TERMINAL_USABLE;
	TERMINAL *t;
	char *cup;
	int err = 0;

	if (term == NULL || *term == '\0')
		return TUI_TERMINAL_UNKNOWN;
	if (setupterm(term, STDOUT_FILENO, &err) != OK)
		return TUI_TERMINAL_UNKNOWN;

	/* Without cursor addressing every frame would scroll as garbage. */
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1)
		kind = TUI_TERMINAL_DUMB;

	/* Only a question: the dashboard's newterm sets its own up. */
	t = set_curterm(NULL);
	del_curterm(t);
	return kind;
}
