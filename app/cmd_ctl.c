#include <stdio.h>

#include "app/commands.h"

int
cmd_ctl(int argc, char **argv)
{
	fprintf(stderr, "luna: 'ctl' is not available in this build\n");
	return 2;
}
