/*
 * The scenario player: a thread that applies each step of a scenario
 * at its offset (to absolute monotonic deadlines), loops, reports
 * where it stands, and restores healthy when stopped early.
 */
#ifndef MOCKSERVER_SCENARIO_PLAYER_H
#define MOCKSERVER_SCENARIO_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "mockserver/scenario.h"

struct mock_scenario_player;

/* Apply CHANGE on behalf of SOURCE; 0, or -1 with the reason in ERR. */
typedef int (*mock_scenario_apply_fn)(void *arg, const cJSON *change,
    const char *source, char *err, size_t errlen);

/* Restore the healthy behaviour on behalf of SOURCE; same returns. */
typedef int (*mock_scenario_reset_fn)(
    void *arg, const char *source, char *err, size_t errlen);

/* Where a playing scenario stands; a plain copy, safe to keep. */
struct mock_scenario_progress {
	bool playing; /* false once finished or stopped */
	char name[MOCK_SCENARIO_NAME_MAX];
	size_t steps;        /* step count */
	long step;           /* last step applied (0-based), -1 before */
	char step_note[96];  /* its note, or its fields in short */
	long next_step;      /* -1 when nothing is left to play */
	int64_t next_at_ms;  /* its offset in the pass, -1 as above */
	int64_t next_in_ms;  /* time until it plays, -1 as above */
	int64_t elapsed_ms;  /* since the current pass began */
	int64_t duration_ms; /* length of one pass */
	unsigned long pass;  /* 0 for the first pass of a loop */
	bool loop;
	unsigned long errors; /* steps the apply callback refused */
	char last_error[160]; /* the latest refusal, "" when none */
};

/*
 * Start playing SC (ownership passes to the player) on a new thread:
 * each pass calls RESET (may be NULL), then applies step I through
 * APPLY with source "scenario" at the pass's start + its offset; a
 * loop's next pass starts when the previous one's duration ends. A
 * step that APPLY refuses is counted and logged, and play goes on.
 * Returns NULL with the reason in ERR (and SC destroyed).
 */
struct mock_scenario_player *mock_scenario_player_start(
    struct mock_scenario *sc, mock_scenario_apply_fn apply,
    mock_scenario_reset_fn reset, void *arg, char *err, size_t errlen);

/*
 * Stop P, join its thread and free it; with RESTORE, call RESET after
 * (healthy again, whether P had finished or not). NULL does nothing.
 * Never from the callbacks.
 */
void mock_scenario_player_stop(struct mock_scenario_player *p, bool restore);

/* Wait up to TIMEOUT_MS for P to finish; true when it has. */
bool mock_scenario_player_wait(
    struct mock_scenario_player *p, int64_t timeout_ms);

/* Copy where P stands into OUT; any thread. */
void mock_scenario_player_progress(
    struct mock_scenario_player *p, struct mock_scenario_progress *out);

/* PROGRESS as the JSON of GET /control's "scenario"; caller frees. */
cJSON *mock_scenario_player_progress_json(
    const struct mock_scenario_progress *pr);

/*
 * One line for STATUS (GET /control's "scenario", NULL or null for
 * none) into BUF: "outage step 2/3: outage; next 3/3 in 41s".
 */
void mock_scenario_player_describe(const cJSON *status, char *buf, size_t len);

#endif
