#include <stdio.h>

#include "app/commands.h"

int
cmd_health(int argc, char **argv)
{
	fprintf(stderr, "luna: 'health' is not available in this build\n");
	return 2;
}
