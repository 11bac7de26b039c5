#include <stdio.h>

#include "app/commands.h"

int
cmd_mock(int argc, char **argv)
{
	fprintf(stderr, "luna: 'mock' is not available in this build\n");
	return 2;
}
