#include "tui/terminal.h"

#include <curses.h>
#include <term.h>
#include <unistd.h>

bool
tui_terminal_known(const char *term)
{
	TERMINAL *t;
	int err = 0;

	if (term == NULL || *term == '\0')
		return false;
	if (setupterm(term, STDOUT_FILENO, &err) != OK)
		return false;
	/* Only a question: the dashboard's newterm sets its own up. */
	t = set_curterm(NULL);
	del_curterm(t);
	return true;
}
