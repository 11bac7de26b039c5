/*
 * `luna demo NAME|FILE`: the dashboard, the bundled mock (or
 * LUNA_MOCK_URL) and a scenario playing on it from the start, for a
 * review: one command shows a failure and what the probes make of it.
 */
#include <stdio.h>
#include <string.h>

#include "app/commands.h"
#include "mockserver/scenario.h"
#include "mockserver/state.h"

static void
usage(FILE *out)
{
	cJSON *list = mock_scenario_list(), *e;

	fprintf(out, "usage: luna demo NAME|FILE [dashboard options]\n\n"
	             "The dashboard on the bundled mock, playing scenario "
	             "NAME (a built-in) or FILE;\nd lists the scenarios, D "
	             "stops the one playing, q quits.\n\nscenarios:\n");
	cJSON_ArrayForEach (e, list)
		fprintf(out, "  %-18s %s\n",
		    cJSON_GetStringValue(cJSON_GetObjectItem(e, "name")),
		    cJSON_GetStringValue(
		        cJSON_GetObjectItem(e, "description")));
	fprintf(out, "\nOptions are the dashboard's (see luna --help); "
	             "LUNA_SCENARIO_DIR says where\nthe built-ins are.\n");
	cJSON_Delete(list);
}

int
cmd_demo(int argc, char **argv)
{
	struct mock_scenario *sc;
	char err[1024];

	if (argc > 1 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "luna demo: which scenario? (see luna demo "
		                "--help)\n");
		return 2;
	}
	sc = mock_scenario_open(argv[1], mock_state_validate, err, sizeof err);
	if (sc == NULL) {
		fprintf(stderr, "luna demo: %s\n", err);
		return 2;
	}

	/* The dashboard reads its options after the scenario's name. */
	argv[1] = argv[0];
	return cmd_dashboard_scenario(argc - 1, argv + 1, sc);
}
