#include <stdio.h>

#include "app/commands.h"

int
cmd_dashboard(int argc, char **argv)
{
	fprintf(stderr, "luna: 'dashboard' is not available in this build\n");
	return 2;
}
