#include <stdio.h>

#include "app/commands.h"

int
cmd_demo(int argc, char **argv)
{
	fprintf(stderr, "luna: 'demo' is not available in this build\n");
	return 2;
}
