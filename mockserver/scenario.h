/*
 * Scenarios: a JSON timeline of mock behaviour changes, checked on
 * load; scenario_player.h plays one.
 *
 *   {"name": "outage", "description": "...", "loop": false,
 *    "seed": 42, "duration": "2m",
 *    "steps": [{"at": "0s", "status": 200},
 *              {"at": "30s", "status": 503, "note": "the outage"}]}
 *
 * A step holds `at` (a duration from the start), an optional `note`
 * (a few words for the progress line) and the fields of PUT /control,
 * which pass to the apply callback as they are (`endpoint` included).
 */
#ifndef MOCKSERVER_SCENARIO_H
#define MOCKSERVER_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Limits that keep a hostile scenario cheap. */
#define MOCK_SCENARIO_MAX_STEPS   1000
#define MOCK_SCENARIO_NAME_MAX    64
#define MOCK_SCENARIO_MAX_BYTES   65536
#define MOCK_SCENARIO_MIN_LOOP_MS 100

struct mock_scenario;

/*
 * Check one step's change (the fields of PUT /control) without
 * applying it: 0, or -1 with the field named in ERR. The mock's state
 * module provides the real one; NULL skips field checks.
 */
typedef int (*mock_scenario_check_fn)(
    const cJSON *change, char *err, size_t errlen);

/*
 * Parse and validate scenario TEXT (LEN bytes). DEFAULT_NAME names it
 * when the text has no "name" (may be NULL: then a name is required);
 * CHECK validates each step's fields (may be NULL). Returns NULL with
 * an error naming the step and field in ERR; caller destroys.
 */
struct mock_scenario *mock_scenario_parse(const char *text, size_t len,
    const char *default_name, mock_scenario_check_fn check, char *err,
    size_t errlen);

/* The same from a cJSON object, which stays the caller's. */
struct mock_scenario *mock_scenario_from_json(const cJSON *json,
    const char *default_name, mock_scenario_check_fn check, char *err,
    size_t errlen);

/*
 * Load the scenario file PATH; its base name without ".json" is the
 * default name. Errors start with the path.
 */
struct mock_scenario *mock_scenario_load(
    const char *path, mock_scenario_check_fn check, char *err, size_t errlen);

/* Free SC; NULL does nothing. */
void mock_scenario_destroy(struct mock_scenario *sc);

/* The scenario's name and description (""); owned by SC. */
const char *mock_scenario_name(const struct mock_scenario *sc);
const char *mock_scenario_description(const struct mock_scenario *sc);

/* Number of steps, and the offset of step I in milliseconds. */
size_t mock_scenario_steps(const struct mock_scenario *sc);
int64_t mock_scenario_step_at_ms(const struct mock_scenario *sc, size_t i);

/* The change step I applies (fields of PUT /control); owned by SC. */
const cJSON *mock_scenario_step_change(
    const struct mock_scenario *sc, size_t i);

/* The "seed" for random mixes; false when the scenario has none. */
bool mock_scenario_seed(const struct mock_scenario *sc, uint64_t *out);

/* Length of one pass: "duration", or the last step's offset. */
int64_t mock_scenario_duration_ms(const struct mock_scenario *sc);

/* True when the scenario starts again after each pass. */
bool mock_scenario_loop(const struct mock_scenario *sc);

/* Step I's "note", or its fields in short; owned by SC. */
const char *mock_scenario_step_note(const struct mock_scenario *sc, size_t i);

/* The scenario as JSON, as it would be posted; caller frees. */
cJSON *mock_scenario_to_json(const struct mock_scenario *sc);

/*
 * Find the built-in scenario NAME: in LUNA_SCENARIO_DIR when set, then
 * the installed share/luna/scenarios, then the source tree's
 * scripts/scenarios. Writes the file's path to PATH; 0, or -1 with the
 * reason in ERR.
 */
int mock_scenario_find(
    const char *name, char *path, size_t pathlen, char *err, size_t errlen);

/*
 * Load NAME_OR_FILE: a path when it holds a '/' or ends in ".json",
 * else a built-in name found as mock_scenario_find does.
 */
struct mock_scenario *mock_scenario_open(const char *name_or_file,
    mock_scenario_check_fn check, char *err, size_t errlen);

/*
 * The built-in scenarios, as a JSON array of {"name", "description",
 * "path"} sorted by name, the first directory winning a name clash;
 * caller frees.
 */
cJSON *mock_scenario_list(void);

#endif
