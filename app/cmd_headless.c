#include <stdio.h>

#include "app/commands.h"

int
cmd_headless(int argc, char **argv)
{
	fprintf(stderr, "luna: 'headless' is not available in this build\n");
	return 2;
}
