#include "app/ctl_scenario.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mockserver/scenario.h"
#include "mockserver/scenario_player.h"
#include "mockserver/state.h"

static int
fail(const char *err)
{
	fprintf(stderr, "luna ctl: %s\n", err);
	return 1;
}

/* Print STATUS (a scenario's status JSON) as one line; frees it. */
static int
print_status(cJSON *status)
{
	char line[512];

	mock_scenario_player_describe(status, line, sizeof line);
	printf("%s\n", line);
	cJSON_Delete(status);
	return 0;
}

/* `scenario` alone: where the mock's scenario stands. */
static int
show(struct mock_client *c)
{
	char err[512];
	cJSON *o = mock_client_get(c, 0, err, sizeof err), *st;

	if (o == NULL)
		return fail(err);
	st = cJSON_DetachItemFromObjectCaseSensitive(o, "scenario");
	cJSON_Delete(o);
	return print_status(st);
}

/*
 * The JSON to post for NAME_OR_FILE: the scenario itself when it loads
 * here (a remote mock needs no copy of the file), or {"name": NAME} for
 * the mock to find among its own built-ins. NULL after an error.
 */
static cJSON *
scenario_body(const char *name_or_file, char *err, size_t errlen)
{
	struct mock_scenario *sc;
	char path[4200];
	cJSON *o;

	if (strchr(name_or_file, '/') == NULL &&
	    mock_scenario_find(name_or_file, path, sizeof path, err, errlen) <
	        0 &&
	    strncmp(err, "unknown scenario", 16) == 0) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", name_or_file);
		return o;
	}
	sc = mock_scenario_open(name_or_file, mock_state_validate, err, errlen);
	if (sc == NULL)
		return NULL;
	o = mock_scenario_to_json(sc);
	mock_scenario_destroy(sc);
	return o;
}

static int
play(struct mock_client *c, const char *name_or_file)
{
	char err[1024];
	cJSON *body = scenario_body(name_or_file, err, sizeof err), *st;
	bool by_name;

	if (body == NULL) {
		fprintf(stderr, "luna ctl: %s\n", err);
		return 2;
	}
	by_name = cJSON_GetObjectItem(body, "steps") == NULL;
	st = mock_client_scenario_play(c, body, err, sizeof err);
	cJSON_Delete(body);

	/* A name the mock does not know either is bad input, not a failure. */
	if (st == NULL && by_name && strstr(err, "unknown scenario") != NULL) {
		fprintf(stderr, "luna ctl: %s\n", err);
		return 2;
	}
	if (st == NULL)
		return fail(err);
	printf("playing '%s' on %s (%.0f steps)\n",
	    cJSON_GetStringValue(cJSON_GetObjectItem(st, "name")),
	    mock_client_url(c),
	    cJSON_GetNumberValue(cJSON_GetObjectItem(st, "steps")));
	cJSON_Delete(st);
	return 0;
}

static int
stop(struct mock_client *c)
{
	char err[512];
	cJSON *st = mock_client_scenario_stop(c, err, sizeof err);

	if (st == NULL)
		return fail(err);
	printf("stopped '%s' at step %.0f/%.0f; the mock is healthy again\n",
	    cJSON_GetStringValue(cJSON_GetObjectItem(st, "name")),
	    cJSON_IsNumber(cJSON_GetObjectItem(st, "step"))
	        ? cJSON_GetObjectItem(st, "step")->valuedouble
	        : 0,
	    cJSON_GetNumberValue(cJSON_GetObjectItem(st, "steps")));
	cJSON_Delete(st);
	return 0;
}

/* `scenario list`: the built-ins found here, one a line. */
static int
list(void)
{
	cJSON *l = mock_scenario_list(), *e;
	const char *error;

	cJSON_ArrayForEach (e, l) {
		error = cJSON_GetStringValue(cJSON_GetObjectItem(e, "error"));
		printf("%-18s %s\n",
		    cJSON_GetStringValue(cJSON_GetObjectItem(e, "name")),
		    error != NULL ? error
		                  : cJSON_GetStringValue(
		                        cJSON_GetObjectItem(e, "description")));
	}
	if (cJSON_GetArraySize(l) == 0)
		printf("no scenarios found (set LUNA_SCENARIO_DIR)\n");
	cJSON_Delete(l);
	return 0;
}

int
ctl_scenario_run(struct mock_client *c, int nargs, const char *const *args)
{
	const char *sub = nargs > 0 ? args[0] : "show";

	if (strcmp(sub, "play") == 0 && nargs == 2)
		return play(c, args[1]);
	if (nargs > 1)
		fprintf(stderr,
		    "luna ctl: 'scenario %s' takes %s (see luna ctl --help)\n",
		    sub,
		    strcmp(sub, "play") == 0 ? "one NAME or FILE"
		                             : "no argument");
	else if (strcmp(sub, "play") == 0)
		fprintf(stderr, "luna ctl: 'scenario play' needs a NAME or "
		                "FILE (see luna ctl scenario list)\n");
	else if (strcmp(sub, "stop") == 0)
		return stop(c);
	else if (strcmp(sub, "show") == 0)
		return show(c);
	else if (strcmp(sub, "list") == 0)
		return list();
	else
		fprintf(stderr,
		    "luna ctl: unknown scenario command '%s': "
		    "play, stop, show or list\n",
		    sub);
	return 2;
}
