#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "mockserver/scenario.h"
#include "mockserver/scenario_player.h"
#include "mockserver/scenario_runner.h"
#include "mockserver/state.h"

/*
 * Lateness allowed for a step on a loaded two-core machine. The player
 * sleeps to absolute deadlines, so lateness never accumulates; a step
 * is never early.
 */
#define LATE_MS 80

static char err[512];

static struct mock_scenario *
parse(const char *text)
{
	return mock_scenario_parse(
	    text, strlen(text), NULL, NULL, err, sizeof err);
}

/* Parsing TEXT fails with exactly WANT. */
static void
assert_refused(const char *text, const char *want)
{
	struct mock_scenario *sc = parse(text);

	ck_assert_msg(sc == NULL, "accepted: %s", text);
	ck_assert_str_eq(err, want);
}

START_TEST(every_builtin_loads)
{
	static const char *const want[] = {"outage", "brownout", "flapping",
	    "slow-degradation", "partial-outage", "connection-faults"};
	cJSON *list = mock_scenario_list(), *e;
	struct mock_scenario *sc;
	size_t i, found = 0;
	const char *name;

	cJSON_ArrayForEach (e, list) {
		name = cJSON_GetObjectItem(e, "name")->valuestring;
		ck_assert_msg(!cJSON_HasObjectItem(e, "error"), "%s: %s", name,
		    cJSON_GetStringValue(cJSON_GetObjectItem(e, "error")));
		sc = mock_scenario_open(
		    name, mock_state_validate, err, sizeof err);
		ck_assert_msg(sc != NULL, "%s: %s", name, err);
		ck_assert_str_eq(mock_scenario_name(sc), name);
		ck_assert_msg(strlen(mock_scenario_description(sc)) > 20,
		    "%s has no description", name);
		for (i = 0; i < sizeof want / sizeof *want; i++)
			found += strcmp(name, want[i]) == 0;
		mock_scenario_destroy(sc);
	}
	ck_assert_uint_eq(found, sizeof want / sizeof *want);
	cJSON_Delete(list);
}
END_TEST

START_TEST(parses_steps_offsets_and_fields)
{
	struct mock_scenario *sc = parse(
	    "{\"name\": \"t\", \"description\": "
	    "\"d\", \"seed\": 42, \"steps\": [{\"at\": \"0s\", \"status\": "
	    "200}, {\"at\": \"1.5s\", \"note\": \"down\", \"status\": 503, "
	    "\"endpoint\": \"b\"}, {\"at\": \"2m\", \"mix\": {\"503\": 30, "
	    "\"200\": 70}}]}");
	const cJSON *c;
	uint64_t seed;

	ck_assert_msg(sc != NULL, "%s", err);
	ck_assert_uint_eq(mock_scenario_steps(sc), 3);
	ck_assert_int_eq(mock_scenario_step_at_ms(sc, 1), 1500);
	ck_assert_int_eq(mock_scenario_step_at_ms(sc, 2), 120000);
	ck_assert_int_eq(mock_scenario_duration_ms(sc), 120000);
	ck_assert(mock_scenario_seed(sc, &seed));
	ck_assert_uint_eq(seed, 42);
	c = mock_scenario_step_change(sc, 1);
	ck_assert(!cJSON_HasObjectItem(c, "at"));
	ck_assert(!cJSON_HasObjectItem(c, "note"));
	ck_assert_str_eq(cJSON_GetObjectItem(c, "endpoint")->valuestring, "b");
	ck_assert_str_eq(mock_scenario_step_note(sc, 1), "down");
	ck_assert_str_eq(mock_scenario_step_note(sc, 2), "mix 503=30 200=70");
	mock_scenario_destroy(sc);
}
END_TEST

START_TEST(names_the_step_and_field_of_a_bad_step)
{
	assert_refused("{\"name\": \"t\", \"steps\": [{\"at\": \"0s\", "
	               "\"status\": 200}, {\"at\": \"5x\", \"status\": 503}]}",
	    "step 2: bad at: bad duration '5x': unit must be ms, s, m or h");
	assert_refused("{\"name\": \"t\", \"steps\": [{\"status\": 503}]}",
	    "step 1: missing 'at'");
	assert_refused("{\"name\": \"t\", \"steps\": [{\"at\": 30, "
	               "\"status\": 503}]}",
	    "step 1: bad at: must be a duration string such as \"30s\"");
	assert_refused(
	    "{\"name\": \"t\", \"steps\": [{\"at\": \"0s\", "
	    "\"status\": 1}, {\"at\": \"9s\", \"status\": 2}, {\"at\": \"5s\", "
	    "\"status\": 3}]}",
	    "step 3: 'at' 5000ms comes before step 2's "
	    "9000ms: steps go in time order");
	assert_refused("{\"name\": \"t\", \"steps\": [{\"at\": \"1s\"}]}",
	    "step 1: nothing to change: give fields of PUT /control "
	    "besides 'at'");
	assert_refused(
	    "{\"name\": \"t\", \"steps\": [7]}", "step 1: not an object");
	assert_refused("{\"name\": \"t\", \"steps\": [{\"at\": \"1s\", "
	               "\"note\": 5, \"status\": 503}]}",
	    "step 1: bad note: must be a string without control characters");
}
END_TEST

START_TEST(names_a_bad_top_level_field)
{
	assert_refused("{\"name\": \"t\", \"colour\": 1, \"steps\": []}",
	    "unknown field 'colour'");
	assert_refused("{\"name\": \"t\"}",
	    "missing steps: must be an array of 1 to 1000 steps");
	assert_refused("{\"name\": \"t\", \"steps\": []}",
	    "bad steps: must be an array of 1 to 1000 steps");
	assert_refused(
	    "{\"steps\": [{\"at\": \"0s\", \"status\": 200}]}", "missing name");
	assert_refused("{\"name\": \"\", \"steps\": []}",
	    "bad name: must be a string of 1 to 63 printable characters");
	assert_refused("{\"name\": \"t\", \"loop\": \"yes\", \"steps\": []}",
	    "bad loop: must be true or false");
	assert_refused("{\"name\": \"t\", \"seed\": -1, \"steps\": []}",
	    "bad seed: must be a whole number from 0 to 2^53");
	assert_refused("{\"name\": \"t\", \"seed\": 1.5, \"steps\": []}",
	    "bad seed: must be a whole number from 0 to 2^53");
	assert_refused("[1, 2]", "a scenario must be a JSON object");
	assert_refused("{\"name\": \"t\",\n \"steps\": [}",
	    "not valid JSON at line 2, column 12");
}
END_TEST

START_TEST(a_loop_needs_a_duration_past_the_last_step)
{
	assert_refused(
	    "{\"name\": \"t\", \"loop\": true, \"steps\": "
	    "[{\"at\": \"0s\", \"status\": 200}, {\"at\": \"5s\", \"status\": "
	    "503}]}",
	    "a loop needs a 'duration' longer than the last "
	    "step's 'at' (5000ms) and at least 100ms");
	assert_refused("{\"name\": \"t\", \"duration\": \"1s\", \"steps\": "
	               "[{\"at\": \"5s\", \"status\": 503}]}",
	    "bad duration 1000ms: ends before the last step (5000ms)");
	mock_scenario_destroy(parse(
	    "{\"name\": \"t\", \"loop\": true, "
	    "\"duration\": \"6s\", \"steps\": [{\"at\": \"5s\", \"status\": "
	    "503}]}"));
	ck_assert_str_eq(err, "bad duration 1000ms: ends before the last "
	                      "step (5000ms)");
}
END_TEST

static int
check_status(const cJSON *change, char *e, size_t len)
{
	const cJSON *s = cJSON_GetObjectItem(change, "status");

	if (s != NULL && (s->valuedouble < 100 || s->valuedouble > 599)) {
		snprintf(
		    e, len, "bad status %g: must be 100-599", s->valuedouble);
		return -1;
	}
	return 0;
}

START_TEST(a_bad_field_is_named_by_the_mocks_own_check)
{
	const char *text = "{\"name\": \"t\", \"steps\": [{\"at\": \"0s\", "
	                   "\"status\": 200}, {\"at\": \"1s\", \"fault\": "
	                   "\"reset\"}, {\"at\": \"2s\", \"status\": 700}]}";

	ck_assert_ptr_null(mock_scenario_parse(
	    text, strlen(text), NULL, mock_state_validate, err, sizeof err));
	ck_assert_str_eq(err, "step 3: bad status '700': expected a whole "
	                      "number from 100 to 599");
}
END_TEST

START_TEST(field_checks_come_from_the_check_callback)
{
	const char *text =
	    "{\"name\": \"t\", \"steps\": [{\"at\": \"0s\", "
	    "\"status\": 200}, {\"at\": \"1s\", \"status\": 503}, {\"at\": "
	    "\"2s\", \"status\": 700}]}";
	struct mock_scenario *sc;

	sc = mock_scenario_parse(
	    text, strlen(text), NULL, check_status, err, sizeof err);
	ck_assert_ptr_null(sc);
	ck_assert_str_eq(err, "step 3: bad status 700: must be 100-599");
}
END_TEST

/* A scratch directory with FILE holding TEXT; returns the dir. */
static char *
scratch_dir(const char *file, const char *text)
{
	static char dir[64];
	char path[128];
	FILE *f;

	snprintf(dir, sizeof dir, "/tmp/luna-scenario-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/%s", dir, file);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return dir;
}

static void
remove_scratch(const char *dir, const char *file)
{
	char path[128];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	unlink(path);
	rmdir(dir);
}

START_TEST(a_bad_file_names_its_path_and_step)
{
	char *dir =
	    scratch_dir("bad.json", "{\"steps\": [{\"at\": \"0s\", "
	                            "\"status\": 200}, {\"at\": \"never\"}]}");
	char path[128], want[256];

	snprintf(path, sizeof path, "%s/bad.json", dir);
	ck_assert_ptr_null(mock_scenario_load(path, NULL, err, sizeof err));
	snprintf(want, sizeof want,
	    "%s: step 2: bad at: bad duration "
	    "'never': expected a number and a unit such as 500ms, 5s or 2m",
	    path);
	ck_assert_str_eq(err, want);
	remove_scratch(dir, "bad.json");
	ck_assert_ptr_null(mock_scenario_load(path, NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "cannot open"));
}
END_TEST

START_TEST(scenario_dir_overrides_the_builtins)
{
	char *dir = scratch_dir("mine.json",
	    "{\"description\": \"own\", "
	    "\"steps\": [{\"at\": \"0s\", \"status\": 418}]}");
	struct mock_scenario *sc;
	cJSON *list;

	setenv("LUNA_SCENARIO_DIR", dir, 1);
	sc = mock_scenario_open("mine", NULL, err, sizeof err);
	ck_assert_msg(sc != NULL, "%s", err);
	ck_assert_str_eq(mock_scenario_name(sc), "mine");
	mock_scenario_destroy(sc);
	ck_assert_ptr_null(mock_scenario_open("outage", NULL, err, sizeof err));
	ck_assert_str_eq(err, "unknown scenario 'outage' (built-ins: mine)");
	ck_assert_ptr_null(mock_scenario_open("no way", NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "bad scenario name 'no way'"));
	list = mock_scenario_list();
	ck_assert_int_eq(cJSON_GetArraySize(list), 1);
	cJSON_Delete(list);
	unsetenv("LUNA_SCENARIO_DIR");
	remove_scratch(dir, "mine.json");
}
END_TEST

START_TEST(to_json_parses_back_the_same)
{
	struct mock_scenario *a =
	    parse("{\"name\": \"t\", \"loop\": true, "
	          "\"duration\": \"2500ms\", \"steps\": [{\"at\": \"0s\", "
	          "\"status\": 200}, {\"at\": \"1s\", \"note\": \"n\", "
	          "\"fault\": \"reset\"}]}");
	cJSON *j = mock_scenario_to_json(a);
	struct mock_scenario *b =
	    mock_scenario_from_json(j, NULL, NULL, err, sizeof err);

	ck_assert_msg(b != NULL, "%s", err);
	ck_assert(mock_scenario_loop(b));
	ck_assert_int_eq(mock_scenario_duration_ms(b), 2500);
	ck_assert_int_eq(mock_scenario_step_at_ms(b, 1), 1000);
	ck_assert_str_eq(mock_scenario_step_note(b, 1), "n");
	ck_assert(cJSON_Compare(mock_scenario_step_change(a, 1),
	    mock_scenario_step_change(b, 1), true));
	cJSON_Delete(j);
	mock_scenario_destroy(a);
	mock_scenario_destroy(b);
}
END_TEST

/* What the callbacks saw, for the player tests. */
struct record {
	pthread_mutex_t lock;
	int64_t t0_us;
	int napplied;
	int64_t applied_ms[32];
	int status[32];
	int nreset;
	int64_t reset_ms[8];
};

static int
record_apply(
    void *arg, const cJSON *change, const char *source, char *e, size_t len)
{
	struct record *r = arg;
	const cJSON *s = cJSON_GetObjectItem(change, "status");

	ck_assert_str_eq(source, "scenario");
	pthread_mutex_lock(&r->lock);
	if (r->napplied < 32) {
		r->applied_ms[r->napplied] =
		    (clock_mono_us() - r->t0_us) / 1000;
		r->status[r->napplied++] = s != NULL ? s->valueint : 0;
	}
	pthread_mutex_unlock(&r->lock);
	if (s != NULL && s->valueint == 999) {
		snprintf(e, len, "bad status 999: must be 100-599");
		return -1;
	}
	return 0;
}

static int
record_reset(void *arg, const char *source, char *e, size_t len)
{
	struct record *r = arg;

	pthread_mutex_lock(&r->lock);
	if (r->nreset < 8)
		r->reset_ms[r->nreset] = (clock_mono_us() - r->t0_us) / 1000;
	r->nreset++;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

static struct mock_scenario_player *
play(const char *text, struct record *r)
{
	struct mock_scenario *sc = parse(text);
	struct mock_scenario_player *p;

	ck_assert_msg(sc != NULL, "%s", err);
	memset(r, 0, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	r->t0_us = clock_mono_us();
	p = mock_scenario_player_start(
	    sc, record_apply, record_reset, r, err, sizeof err);
	ck_assert_msg(p != NULL, "%s", err);
	return p;
}

static void
assert_on_time(const struct record *r, int i, int64_t at_ms)
{
	ck_assert_msg(
	    r->applied_ms[i] >= at_ms && r->applied_ms[i] <= at_ms + LATE_MS,
	    "step applied at %lldms, due at %lldms",
	    (long long)r->applied_ms[i], (long long)at_ms);
}

START_TEST(player_applies_each_step_at_its_offset)
{
	struct record r;
	struct mock_scenario_player *p =
	    play("{\"name\": \"t\", \"steps\": "
	         "[{\"at\": \"0s\", \"status\": 200}, {\"at\": \"300ms\", "
	         "\"status\": 503}, {\"at\": \"600ms\", \"status\": 500}, "
	         "{\"at\": \"900ms\", \"status\": 200}]}",
	        &r);

	ck_assert(mock_scenario_player_wait(p, 5000));
	ck_assert_int_eq(r.napplied, 4);
	assert_on_time(&r, 0, 0);
	assert_on_time(&r, 1, 300);
	assert_on_time(&r, 2, 600);
	assert_on_time(&r, 3, 900);
	ck_assert_int_eq(r.status[1], 503);
	ck_assert_int_eq(r.status[2], 500);
	ck_assert_int_eq(r.nreset, 1);
	ck_assert_int_le(r.reset_ms[0], LATE_MS);
	mock_scenario_player_stop(p, false);
	ck_assert_int_eq(r.nreset, 1);
}
END_TEST

/* Poll until N steps were applied (or 5s passed). */
static void
wait_applied(struct record *r, int n)
{
	int64_t end = clock_mono_ms() + 5000;
	int got = 0;

	while (got < n && clock_mono_ms() < end) {
		usleep(2000);
		pthread_mutex_lock(&r->lock);
		got = r->napplied;
		pthread_mutex_unlock(&r->lock);
	}
}

START_TEST(player_loops_each_pass_after_the_duration)
{
	struct record r;
	struct mock_scenario_player *p =
	    play("{\"name\": \"t\", \"loop\": "
	         "true, \"duration\": \"400ms\", \"steps\": [{\"at\": \"0s\", "
	         "\"status\": 503}, {\"at\": \"200ms\", \"status\": 200}]}",
	        &r);
	struct mock_scenario_progress pr;

	wait_applied(&r, 6);
	mock_scenario_player_progress(p, &pr);
	ck_assert(pr.playing);
	ck_assert_uint_eq(pr.pass, 2);
	ck_assert(!mock_scenario_player_wait(p, 10));
	mock_scenario_player_stop(p, true);
	ck_assert_int_eq(r.napplied, 6);
	assert_on_time(&r, 2, 400);
	assert_on_time(&r, 3, 600);
	assert_on_time(&r, 4, 800);
	assert_on_time(&r, 5, 1000);
	ck_assert_int_eq(r.status[4], 503);
	ck_assert_int_eq(r.nreset, 4);
}
END_TEST

START_TEST(stop_ends_play_early_and_restores_healthy)
{
	struct record r;
	struct mock_scenario_player *p =
	    play("{\"name\": \"t\", \"steps\": "
	         "[{\"at\": \"0s\", \"status\": 503}, {\"at\": \"10s\", "
	         "\"status\": 500}]}",
	        &r);
	int64_t t;

	usleep(100 * 1000);
	t = clock_mono_ms();
	mock_scenario_player_stop(p, true);
	ck_assert_int_lt(clock_mono_ms() - t, 1000);
	ck_assert_int_eq(r.napplied, 1);
	ck_assert_int_eq(r.nreset, 2);
}
END_TEST

START_TEST(progress_tells_the_step_and_what_comes_next)
{
	struct record r;
	struct mock_scenario_player *p = play(
	    "{\"name\": \"prog\", "
	    "\"steps\": [{\"at\": \"0s\", \"note\": \"first\", \"status\": "
	    "200}, {\"at\": \"30s\", \"status\": 503}]}",
	    &r);
	struct mock_scenario_progress pr;
	cJSON *j;

	usleep(200 * 1000);
	mock_scenario_player_progress(p, &pr);
	ck_assert(pr.playing);
	ck_assert_str_eq(pr.name, "prog");
	ck_assert_int_eq(pr.step, 0);
	ck_assert_str_eq(pr.step_note, "first");
	ck_assert_int_eq(pr.next_step, 1);
	ck_assert_int_eq(pr.next_at_ms, 30000);
	ck_assert(pr.next_in_ms > 29000 && pr.next_in_ms <= 29800);
	j = mock_scenario_player_progress_json(&pr);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "step")->valueint, 1);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "next_step")->valueint, 2);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "steps")->valueint, 2);
	cJSON_Delete(j);
	mock_scenario_player_stop(p, true);
}
END_TEST

START_TEST(a_refused_step_is_counted_and_play_goes_on)
{
	struct record r;
	struct mock_scenario_player *p =
	    play("{\"name\": \"t\", \"steps\": "
	         "[{\"at\": \"0s\", \"status\": 999}, {\"at\": \"100ms\", "
	         "\"status\": 503}]}",
	        &r);
	struct mock_scenario_progress pr;

	ck_assert(mock_scenario_player_wait(p, 5000));
	mock_scenario_player_progress(p, &pr);
	ck_assert(!pr.playing);
	ck_assert_int_eq(r.napplied, 2);
	ck_assert_uint_eq(pr.errors, 1);
	ck_assert_str_eq(pr.last_error, "step 1: bad status 999: must be "
	                                "100-599");
	mock_scenario_player_stop(p, false);
}
END_TEST

/* The id of the change ST's default endpoint shows. */
static unsigned long
change_of(struct mock_state *st)
{
	const struct mock_behaviour *b = mock_state_get(st, NULL);
	unsigned long id = b->change;

	mock_behaviour_release(b);
	return id;
}

/* Wait for a mix newer than change SINCE on ST; then draw N statuses. */
static void
draw_statuses(struct mock_state *st, unsigned long since, int *out, int n)
{
	const struct mock_behaviour *b = NULL;
	int64_t end = clock_mono_ms() + 5000;
	int i;

	while (clock_mono_ms() < end) {
		b = mock_state_get(st, NULL);
		if (b->mix_len > 0 && b->change > since)
			break;
		mock_behaviour_release(b);
		b = NULL;
		usleep(2000);
	}
	ck_assert_ptr_nonnull(b);
	for (i = 0; i < n; i++)
		out[i] = mock_behaviour_pick_status(b, mock_state_random(st));
	mock_behaviour_release(b);
}

static void
post(struct mock_scenario_runner *r, const char *body)
{
	ck_assert_msg(mock_scenario_runner_post(r, body, err, sizeof err) == 0,
	    "%s", err);
}

START_TEST(a_seeded_scenario_plays_the_same_mix_twice)
{
	static const char *const seeded[] = {
	    "{\"name\": \"s\", \"seed\": 7, \"duration\": \"10s\", "
	    "\"steps\": [{\"at\": \"0s\", \"mix\": {\"200\": 50, "
	    "\"503\": 50}}]}",
	    "{\"name\": \"s\", \"seed\": 8, \"duration\": \"10s\", "
	    "\"steps\": [{\"at\": \"0s\", \"mix\": {\"200\": 50, "
	    "\"503\": 50}}]}",
	};
	struct mock_state *st = mock_state_create(1);
	struct mock_scenario_runner *r = mock_scenario_runner_create(st);
	int first[64], again[64], other[64];
	unsigned long since;
	cJSON *stopped;

	since = change_of(st);
	post(r, seeded[0]);
	draw_statuses(st, since, first, 64);
	since = change_of(st);
	post(r, seeded[0]);
	draw_statuses(st, since, again, 64);
	since = change_of(st);
	post(r, seeded[1]);
	draw_statuses(st, since, other, 64);
	ck_assert_mem_eq(first, again, sizeof first);
	ck_assert(memcmp(first, other, sizeof first) != 0);

	stopped = mock_scenario_runner_stop(r, err, sizeof err);
	ck_assert_ptr_nonnull(stopped);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(stopped, "playing")));
	cJSON_Delete(stopped);
	mock_scenario_runner_destroy(r);
	mock_state_destroy(st);
}
END_TEST

START_TEST(the_runner_plays_builtins_by_name_and_stops_to_healthy)
{
	struct mock_state *st = mock_state_create(1);
	struct mock_scenario_runner *r = mock_scenario_runner_create(st);
	const struct mock_behaviour *b;
	cJSON *status;

	ck_assert_ptr_null(mock_scenario_runner_stop(r, err, sizeof err));
	ck_assert_str_eq(err, "no scenario to stop");
	ck_assert_int_eq(mock_scenario_runner_post(
	                     r, "{\"name\": \"nope\"}", err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown scenario 'nope'"));
	ck_assert_int_eq(
	    mock_scenario_runner_post(r, "{\"name\": ", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad JSON at byte"));
	post(r, "{\"name\": \"recovery\"}");
	status = mock_scenario_runner_json(r);
	ck_assert_str_eq(
	    cJSON_GetObjectItem(status, "name")->valuestring, "recovery");
	cJSON_Delete(status);
	usleep(100 * 1000);
	b = mock_state_get(st, NULL);
	ck_assert_int_eq(b->status, 500);
	mock_behaviour_release(b);
	cJSON_Delete(mock_scenario_runner_stop(r, err, sizeof err));
	b = mock_state_get(st, NULL);
	ck_assert_int_eq(b->status, 200);
	mock_behaviour_release(b);
	status = mock_scenario_runner_json(r);
	ck_assert(cJSON_IsNull(status));
	cJSON_Delete(status);
	mock_scenario_runner_destroy(r);
	mock_state_destroy(st);
}
END_TEST

START_TEST(describe_says_the_step_and_what_comes_next)
{
	cJSON *st = cJSON_Parse("{\"name\": \"outage\", \"playing\": true, "
	                        "\"step\": 2, \"steps\": 3, \"note\": "
	                        "\"down\", \"next_step\": 3, \"next_in_ms\": "
	                        "41200, \"loop\": false, \"errors\": 0}");
	char line[160];

	mock_scenario_player_describe(st, line, sizeof line);
	ck_assert_str_eq(line, "outage step 2/3: down; next 3/3 in 41s");
	cJSON_ReplaceItemInObject(st, "playing", cJSON_CreateFalse());
	cJSON_ReplaceItemInObject(st, "errors", cJSON_CreateNumber(1));
	mock_scenario_player_describe(st, line, sizeof line);
	ck_assert_str_eq(line, "outage ended at step 2/3: down (1 refused)");
	cJSON_ReplaceItemInObject(st, "playing", cJSON_CreateTrue());
	cJSON_ReplaceItemInObject(st, "loop", cJSON_CreateTrue());
	cJSON_ReplaceItemInObject(st, "next_in_ms", cJSON_CreateNumber(125000));
	cJSON_AddNumberToObject(st, "pass", 1);
	mock_scenario_player_describe(st, line, sizeof line);
	ck_assert_str_eq(line, "outage step 2/3: down; next 3/3 in 2m05s "
	                       "(pass 2) (1 refused)");
	mock_scenario_player_describe(NULL, line, sizeof line);
	ck_assert_str_eq(line, "no scenario");
	cJSON_Delete(st);
}
END_TEST

static Suite *
scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *parsing = tcase_create("parsing");
	TCase *player = tcase_create("player");

	tcase_add_test(parsing, every_builtin_loads);
	tcase_add_test(parsing, parses_steps_offsets_and_fields);
	tcase_add_test(parsing, names_the_step_and_field_of_a_bad_step);
	tcase_add_test(parsing, names_a_bad_top_level_field);
	tcase_add_test(parsing, a_loop_needs_a_duration_past_the_last_step);
	tcase_add_test(parsing, field_checks_come_from_the_check_callback);
	tcase_add_test(parsing, a_bad_field_is_named_by_the_mocks_own_check);
	tcase_add_test(parsing, a_bad_file_names_its_path_and_step);
	tcase_add_test(parsing, scenario_dir_overrides_the_builtins);
	tcase_add_test(parsing, to_json_parses_back_the_same);
	tcase_add_test(player, player_applies_each_step_at_its_offset);
	tcase_add_test(player, player_loops_each_pass_after_the_duration);
	tcase_add_test(player, stop_ends_play_early_and_restores_healthy);
	tcase_add_test(player, progress_tells_the_step_and_what_comes_next);
	tcase_add_test(player, a_refused_step_is_counted_and_play_goes_on);
	tcase_add_test(player, describe_says_the_step_and_what_comes_next);
	tcase_add_test(player, a_seeded_scenario_plays_the_same_mix_twice);
	tcase_add_test(
	    player, the_runner_plays_builtins_by_name_and_stops_to_healthy);
	suite_add_tcase(s, parsing);
	suite_add_tcase(s, player);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(scenario_suite());
	int failed;

	log_setup(-1, LOG_FORMAT_TEXT, LOG_ERROR);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
