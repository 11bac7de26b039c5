/*
 * The scenario slot of one mock: at most one scenario plays on a mock
 * state at a time, started by POST /control/scenario, `luna mock
 * --scenario` or the dashboard, and stopped by DELETE (healthy again).
 */
#ifndef MOCKSERVER_SCENARIO_RUNNER_H
#define MOCKSERVER_SCENARIO_RUNNER_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "mockserver/scenario.h"

struct mock_state;
struct mock_scenario_runner;

/* A slot that plays scenarios on ST (which outlives it). */
struct mock_scenario_runner *mock_scenario_runner_create(struct mock_state *st);

/* Stop what plays (leaving the behaviour as it is) and free R. */
void mock_scenario_runner_destroy(struct mock_scenario_runner *r);

/*
 * Play SC (ownership passes to R), stopping the scenario playing
 * before. Returns 0, or -1 with the reason in ERR. Any thread.
 */
int mock_scenario_runner_play(struct mock_scenario_runner *r,
    struct mock_scenario *sc, char *err, size_t errlen);

/*
 * Play the body of POST /control/scenario: a scenario, or {"name":
 * NAME} for a built-in. Returns 0, or -1 with the reason in ERR (a
 * bad request: the step and field named). Any thread.
 */
int mock_scenario_runner_post(
    struct mock_scenario_runner *r, const char *body, char *err, size_t errlen);

/*
 * Stop the scenario (playing or finished) and restore healthy. Returns
 * where it stood when stopped (caller frees), or NULL with the reason
 * in ERR when there was none. Any thread.
 */
cJSON *mock_scenario_runner_stop(
    struct mock_scenario_runner *r, char *err, size_t errlen);

/* Where the scenario stands, or JSON null when none; caller frees. */
cJSON *mock_scenario_runner_json(struct mock_scenario_runner *r);

#endif
