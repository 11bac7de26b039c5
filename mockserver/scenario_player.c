#include "mockserver/scenario_player.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xalloc.h"

/*
 * The thread sleeps on COND to absolute CLOCK_MONOTONIC deadlines, so
 * a slow apply or a late wake-up never shifts the steps after it, and
 * a stop wakes it at once. Callbacks run without LOCK held, so
 * progress queries never wait on the mock.
 */
struct mock_scenario_player {
	struct mock_scenario *sc;
	mock_scenario_apply_fn apply;
	mock_scenario_reset_fn reset;
	void *arg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;

	/* Under LOCK. */
	bool stopping;
	bool done;
	int64_t pass_start_us;
	unsigned long pass;
	long step;
	long next;
	int64_t next_due_us;
	unsigned long errors;
	char last_error[160];
};

static void
log_scenario(
    const struct mock_scenario_player *p, const char *action, long step)
{
	cJSON *f;

	if (!log_enabled(LOG_INFO))
		return;
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "name", mock_scenario_name(p->sc));
	cJSON_AddStringToObject(f, "action", action);
	if (step >= 0) {
		cJSON_AddNumberToObject(f, "step", (double)step + 1);
		cJSON_AddStringToObject(
		    f, "note", mock_scenario_step_note(p->sc, (size_t)step));
	}
	cJSON_AddNumberToObject(f, "steps", (double)mock_scenario_steps(p->sc));
	cJSON_AddBoolToObject(f, "loop", mock_scenario_loop(p->sc));
	log_event(LOG_INFO, "scenario", f);
}

static struct timespec
mono_timespec(int64_t us)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(us / 1000000);
	ts.tv_nsec = (long)(us % 1000000) * 1000;
	return ts;
}

/* Sleep until DUE_US (monotonic); -1 when stopped first. Holds LOCK. */
static int
wait_until(struct mock_scenario_player *p, int64_t due_us)
{
	struct timespec ts = mono_timespec(due_us);

	while (!p->stopping) {
		if (clock_mono_us() >= due_us)
			return 0;
		pthread_cond_timedwait(&p->cond, &p->lock, &ts);
	}
	return -1;
}

/* Apply step I through the callback, with LOCK dropped meanwhile. */
static void
apply_step(struct mock_scenario_player *p, size_t i)
{
	const cJSON *change = mock_scenario_step_change(p->sc, i);
	char e[sizeof p->last_error - 32];
	int rc;

	p->step = (long)i;
	pthread_mutex_unlock(&p->lock);
	log_scenario(p, "step", (long)i);
	rc = p->apply(p->arg, change, "scenario", e, sizeof e);
	if (rc < 0)
		log_msg(LOG_WARN, "scenario '%s' step %zu refused: %s",
		    mock_scenario_name(p->sc), i + 1, e);
	pthread_mutex_lock(&p->lock);
	if (rc < 0) {
		p->errors++;
		snprintf(p->last_error, sizeof p->last_error, "step %zu: %s",
		    i + 1, e);
	}
}

/* Restore healthy before a pass, so each pass plays the same way. */
static void
reset_before_pass(struct mock_scenario_player *p)
{
	char e[sizeof p->last_error];

	if (p->reset == NULL)
		return;
	pthread_mutex_unlock(&p->lock);
	if (p->reset(p->arg, "scenario", e, sizeof e) < 0)
		log_msg(LOG_WARN, "scenario '%s': cannot restore healthy: %s",
		    mock_scenario_name(p->sc), e);
	pthread_mutex_lock(&p->lock);
}

/* Play one pass, then wait for its end; -1 when stopped. Holds LOCK. */
static int
play_pass(struct mock_scenario_player *p)
{
	size_t i, n = mock_scenario_steps(p->sc);
	int64_t due;

	reset_before_pass(p);
	for (i = 0; i < n; i++) {
		p->next = (long)i;
		p->next_due_us = p->pass_start_us +
		                 mock_scenario_step_at_ms(p->sc, i) * 1000;
		if (wait_until(p, p->next_due_us) < 0)
			return -1;
		apply_step(p, i);
	}
	due = p->pass_start_us + mock_scenario_duration_ms(p->sc) * 1000;
	p->next = mock_scenario_loop(p->sc) ? 0 : -1;
	p->next_due_us = due;
	return wait_until(p, due);
}

static void *
play(void *arg)
{
	struct mock_scenario_player *p = arg;
	int rc;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		rc = play_pass(p);
		if (rc < 0 || !mock_scenario_loop(p->sc))
			break;
		p->pass_start_us += mock_scenario_duration_ms(p->sc) * 1000;
		p->pass++;
	}
	p->done = true;
	p->next = -1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (rc == 0)
		log_scenario(p, "end", -1);
	return NULL;
}

static void
init_sync(struct mock_scenario_player *p)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &attr);
	pthread_condattr_destroy(&attr);
}

static void
free_player(struct mock_scenario_player *p)
{
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	mock_scenario_destroy(p->sc);
	free(p);
}

struct mock_scenario_player *
mock_scenario_player_start(struct mock_scenario *sc,
    mock_scenario_apply_fn apply, mock_scenario_reset_fn reset, void *arg,
    char *err, size_t errlen)
{
	struct mock_scenario_player *p = xcalloc(1, sizeof *p);
	int rc;

	p->sc = sc;
	p->apply = apply;
	p->reset = reset;
	p->arg = arg;
	p->step = -1;
	p->next = 0;
	init_sync(p);
	p->pass_start_us = clock_mono_us();
	p->next_due_us = p->pass_start_us;
	log_scenario(p, "start", -1);
	rc = pthread_create(&p->thread, NULL, play, p);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start scenario '%s': %s",
		    mock_scenario_name(sc), strerror(rc));
		free_player(p);
		return NULL;
	}
	return p;
}

void
mock_scenario_player_stop(struct mock_scenario_player *p, bool restore)
{
	char e[256];
	bool was_done;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	was_done = p->done;
	p->stopping = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	if (!was_done)
		log_scenario(p, "stop", -1);
	if (restore && p->reset != NULL &&
	    p->reset(p->arg, "scenario", e, sizeof e) < 0)
		log_msg(LOG_WARN, "scenario '%s': cannot restore healthy: %s",
		    mock_scenario_name(p->sc), e);
	free_player(p);
}

bool
mock_scenario_player_wait(struct mock_scenario_player *p, int64_t timeout_ms)
{
	struct timespec ts = mono_timespec(clock_mono_us() + timeout_ms * 1000);
	bool done;

	pthread_mutex_lock(&p->lock);
	while (!p->done &&
	       pthread_cond_timedwait(&p->cond, &p->lock, &ts) != ETIMEDOUT)
		;
	done = p->done;
	pthread_mutex_unlock(&p->lock);
	return done;
}

/* The fields that need no lock: they never change while P plays. */
static void
progress_static(
    const struct mock_scenario_player *p, struct mock_scenario_progress *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", mock_scenario_name(p->sc));
	out->steps = mock_scenario_steps(p->sc);
	out->duration_ms = mock_scenario_duration_ms(p->sc);
	out->loop = mock_scenario_loop(p->sc);
}

void
mock_scenario_player_progress(
    struct mock_scenario_player *p, struct mock_scenario_progress *out)
{
	int64_t now = clock_mono_us();

	progress_static(p, out);
	pthread_mutex_lock(&p->lock);
	out->playing = !p->done && !p->stopping;
	out->step = p->step;
	out->next_step = out->playing ? p->next : -1;
	out->pass = p->pass;
	out->elapsed_ms = (now - p->pass_start_us) / 1000;
	out->next_in_ms = -1;
	out->next_at_ms = -1;
	if (out->next_step >= 0) {
		out->next_in_ms = (p->next_due_us - now + 999) / 1000;
		out->next_at_ms =
		    mock_scenario_step_at_ms(p->sc, (size_t)out->next_step);
	}
	out->errors = p->errors;
	snprintf(out->last_error, sizeof out->last_error, "%s", p->last_error);
	pthread_mutex_unlock(&p->lock);
	if (out->step >= 0)
		snprintf(out->step_note, sizeof out->step_note, "%s",
		    mock_scenario_step_note(p->sc, (size_t)out->step));
	if (out->next_in_ms < 0 && out->next_step >= 0)
		out->next_in_ms = 0;
}

/* A 0-based index as a 1-based step number, null when none. */
static void
add_step_number(cJSON *o, const char *key, long index)
{
	if (index < 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, (double)index + 1);
}

cJSON *
mock_scenario_player_progress_json(const struct mock_scenario_progress *pr)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", pr->name);
	cJSON_AddBoolToObject(o, "playing", pr->playing);
	add_step_number(o, "step", pr->step);
	cJSON_AddNumberToObject(o, "steps", (double)pr->steps);
	cJSON_AddStringToObject(o, "note", pr->step_note);
	add_step_number(o, "next_step", pr->next_step);
	cJSON_AddNumberToObject(o, "next_at_ms", (double)pr->next_at_ms);
	cJSON_AddNumberToObject(o, "next_in_ms", (double)pr->next_in_ms);
	cJSON_AddNumberToObject(o, "elapsed_ms", (double)pr->elapsed_ms);
	cJSON_AddNumberToObject(o, "duration_ms", (double)pr->duration_ms);
	cJSON_AddBoolToObject(o, "loop", pr->loop);
	cJSON_AddNumberToObject(o, "pass", (double)pr->pass);
	cJSON_AddNumberToObject(o, "errors", (double)pr->errors);
	cJSON_AddStringToObject(o, "last_error", pr->last_error);
	return o;
}

/* MS as "800ms", "41s" or "2m05s". */
static void
format_ms(double ms, char *buf, size_t len)
{
	long s = (long)(ms / 1000 + 0.5);

	if (ms < 1000)
		snprintf(buf, len, "%.0fms", ms < 0 ? 0 : ms);
	else if (s < 60)
		snprintf(buf, len, "%lds", s);
	else
		snprintf(buf, len, "%ldm%02lds", s / 60, s % 60);
}

static double
number(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* "; next 3/3 in 41s" when a step is still to come. */
static void
describe_next(const cJSON *st, char *buf, size_t len)
{
	char in[32];
	size_t n = strlen(buf);

	if (number(st, "next_step") < 1 || n >= len)
		return;
	format_ms(number(st, "next_in_ms"), in, sizeof in);
	snprintf(buf + n, len - n, "; next %.0f/%.0f in %s",
	    number(st, "next_step"), number(st, "steps"), in);
}

void
mock_scenario_player_describe(const cJSON *st, char *buf, size_t len)
{
	const char *name =
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "name"));
	const char *note =
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(st, "note"));
	bool playing =
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "playing"));
	double step = number(st, "step"), errors = number(st, "errors");
	size_t n;

	if (name == NULL) {
		snprintf(buf, len, "no scenario");
		return;
	}
	if (step < 1)
		snprintf(
		    buf, len, "%s %s", name, playing ? "starting" : "stopped");
	else
		snprintf(buf, len, "%s %s %.0f/%.0f: %s", name,
		    playing ? "step" : "ended at step", step,
		    number(st, "steps"), note != NULL ? note : "");
	if (playing)
		describe_next(st, buf, len);
	n = strlen(buf);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "loop")) &&
	    n < len)
		snprintf(
		    buf + n, len - n, " (pass %.0f)", number(st, "pass") + 1);
	n = strlen(buf);
	if (errors > 0 && n < len)
		snprintf(buf + n, len - n, " (%.0f refused)", errors);
}
