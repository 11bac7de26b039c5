/*
 * luna: probe HTTP endpoints, flip a mock endpoint, and show both.
 * This file picks the mode; each mode lives in its own cmd_*.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "app/commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "probe", cmd_probe, "probe targets only; --once for one round" },
	{ "mock", cmd_mock, "serve the mock endpoint and its control API" },
	{ "ctl", cmd_ctl, "change a mock: status, mix, latency, fault, ..." },
	{ "health", cmd_health, "exit 0 when a running luna is healthy" },
	{ "demo", cmd_demo, "play a failure scenario on the dashboard" },
};

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out,
	    "usage: luna [--headless] [options]\n"
	    "       luna COMMAND [options]\n\n"
	    "Without a command, luna shows the dashboard when stdout is a\n"
	    "terminal and runs headless (JSON lines) otherwise.\n\n"
	    "commands:\n");
	for (i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(out, "\n`luna COMMAND --help` tells more. "
		     "See README.md and docs/ for the environment.\n");
}

/* Text for the user that never arrived is an error, as in any tool. */
static int
flushed(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, "luna: cannot write to stdout: %s\n", strerror(errno));
	return 1;
}

int
main(int argc, char **argv)
{
	size_t i;

	/* Before any thread exists, as libcurl requires. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "luna: cannot initialise libcurl\n");
		return 70;
	}

	/* A closed pipe is an error to report, never a reason to die. */
	signal(SIGPIPE, SIG_IGN);

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return flushed();
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("luna %s\n", LUNA_VERSION);
		return flushed();
	}
	for (i = 0; argc > 1 && i < sizeof commands / sizeof *commands; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (argc > 1 && argv[1][0] != '-') {
		fprintf(stderr, "luna: unknown command '%s' (see luna --help)\n",
		    argv[1]);
		return 2;
	}
	for (i = 1; i < (size_t)argc; i++)
		if (strcmp(argv[i], "--headless") == 0)
			return cmd_headless(argc, argv);
	if (isatty(STDOUT_FILENO))
		return cmd_dashboard(argc, argv);
	return cmd_headless(argc, argv);
}
