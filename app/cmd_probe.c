#include <stdio.h>

#include "app/commands.h"

int
cmd_probe(int argc, char **argv)
{
	fprintf(stderr, "luna: 'probe' is not available in this build\n");
	return 2;
}
