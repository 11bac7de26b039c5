#include "mockserver/scenario_runner.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "mockserver/scenario_player.h"
#include "mockserver/state.h"

/*
 * LOCK guards PLAYER; it is held across a stop, which joins the
 * player's thread, and the player's callbacks never take it. SEED is
 * written only while no player runs.
 */
struct mock_scenario_runner {
	struct mock_state *st;
	pthread_mutex_t lock;
	struct mock_scenario_player *player;
	bool has_seed;
	uint64_t seed;
};

static int
apply_change(void *arg, const cJSON *change, const char *source, char *err,
    size_t errlen)
{
	struct mock_scenario_runner *r = arg;

	return mock_state_apply(r->st, change, source, err, errlen) < 0 ? -1
	                                                                : 0;
}

/* Healthy, and the random mixes replayed from the scenario's seed. */
static int
reset_state(void *arg, const char *source, char *err, size_t errlen)
{
	struct mock_scenario_runner *r = arg;

	mock_state_reset(r->st, source);
	if (r->has_seed)
		mock_state_seed(r->st, r->seed);
	return 0;
}

struct mock_scenario_runner *
mock_scenario_runner_create(struct mock_state *st)
{
	struct mock_scenario_runner *r = xcalloc(1, sizeof *r);

	r->st = st;
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

void
mock_scenario_runner_destroy(struct mock_scenario_runner *r)
{
	if (r == NULL)
		return;
	mock_scenario_player_stop(r->player, false);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

int
mock_scenario_runner_play(struct mock_scenario_runner *r,
    struct mock_scenario *sc, char *err, size_t errlen)
{
	int rc = 0;

	pthread_mutex_lock(&r->lock);
	mock_scenario_player_stop(r->player, false);
	r->has_seed = mock_scenario_seed(sc, &r->seed);
	r->player = mock_scenario_player_start(
	    sc, apply_change, reset_state, r, err, errlen);
	if (r->player == NULL)
		rc = -1;
	pthread_mutex_unlock(&r->lock);
	return rc;
}

/* {"name": NAME} alone asks for a built-in; anything else is a scenario. */
static struct mock_scenario *
scenario_of(const cJSON *json, char *err, size_t errlen)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(json, "name");
	char path[4200];

	if (!cJSON_IsString(name) || json->child != name || name->next != NULL)
		return mock_scenario_from_json(
		    json, NULL, mock_state_validate, err, errlen);
	if (mock_scenario_find(
	        name->valuestring, path, sizeof path, err, errlen) < 0)
		return NULL;
	return mock_scenario_load(path, mock_state_validate, err, errlen);
}

int
mock_scenario_runner_post(
    struct mock_scenario_runner *r, const char *body, char *err, size_t errlen)
{
	struct mock_scenario *sc;
	const char *end = NULL;
	cJSON *json;

	json = body != NULL ? cJSON_ParseWithOpts(body, &end, true) : NULL;
	if (json == NULL) {
		snprintf(err, errlen,
		    "bad JSON at byte %zu: expected a "
		    "scenario, or {\"name\": \"outage\"} for a built-in",
		    body != NULL && end != NULL ? (size_t)(end - body) : 0);
		return -1;
	}
	sc = scenario_of(json, err, errlen);
	cJSON_Delete(json);
	if (sc == NULL)
		return -1;
	return mock_scenario_runner_play(r, sc, err, errlen);
}

cJSON *
mock_scenario_runner_stop(
    struct mock_scenario_runner *r, char *err, size_t errlen)
{
	struct mock_scenario_progress pr;
	cJSON *o = NULL;

	pthread_mutex_lock(&r->lock);
	if (r->player != NULL) {
		mock_scenario_player_progress(r->player, &pr);
		pr.playing = false;
		pr.next_step = -1;
		pr.next_at_ms = pr.next_in_ms = -1;
		o = mock_scenario_player_progress_json(&pr);
	} else
		snprintf(err, errlen, "no scenario to stop");
	mock_scenario_player_stop(r->player, true);
	r->player = NULL;
	pthread_mutex_unlock(&r->lock);
	return o;
}

cJSON *
mock_scenario_runner_json(struct mock_scenario_runner *r)
{
	struct mock_scenario_progress pr;
	bool any;

	pthread_mutex_lock(&r->lock);
	any = r->player != NULL;
	if (any)
		mock_scenario_player_progress(r->player, &pr);
	pthread_mutex_unlock(&r->lock);
	return any ? mock_scenario_player_progress_json(&pr)
	           : cJSON_CreateNull();
}
