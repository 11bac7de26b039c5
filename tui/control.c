#include "tui/control.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/xalloc.h"
#include "mockserver/client.h"
#include "mockserver/scenario_player.h"
#include "tui/keymap.h"

#define QUEUE_MAX 8

enum request_kind {
	REQUEST_CHANGE,   /* PUT /control, or a reset when change is NULL */
	REQUEST_SCENARIO, /* play change, or stop when it is NULL */
};

struct request {
	enum request_kind kind;
	cJSON *change;    /* NULL: reset */
	unsigned long id; /* of its entry in the changes pane */
};

struct tui_control {
	struct mock_client *client;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	atomic_bool abandon; /* the client's call in progress gives up */
	struct request queue[QUEUE_MAX];
	size_t qhead, qlen;
	unsigned long next_id;
	unsigned long ids[TUI_CONTROL_CHANGES]; /* parallel to view.changes */
	bool polled;        /* the state was read at least once */
	double seen_change; /* the mock's last change id taken in */
	struct tui_control_view view;
};

/* Put a new entry at the front of the pane; the oldest falls off. */
static struct tui_frame_change *
push_change(struct tui_control *ctl, const char *source, const char *desc)
{
	struct tui_control_view *v = &ctl->view;
	struct tui_frame_change *c = &v->changes[0];
	size_t n = v->nchanges < TUI_CONTROL_CHANGES ? v->nchanges
	                                             : TUI_CONTROL_CHANGES - 1;

	memmove(&v->changes[1], &v->changes[0], n * sizeof *v->changes);
	memmove(&ctl->ids[1], &ctl->ids[0], n * sizeof *ctl->ids);
	v->nchanges = n + 1;
	memset(c, 0, sizeof *c);
	c->wall_ms = clock_wall_ms();
	snprintf(c->source, sizeof c->source, "%s", source);
	snprintf(c->desc, sizeof c->desc, "%s", desc);
	ctl->ids[0] = ++ctl->next_id;
	v->generation++;
	return c;
}

static struct tui_frame_change *
find_change(struct tui_control *ctl, unsigned long id)
{
	size_t i;

	for (i = 0; i < ctl->view.nchanges; i++)
		if (ctl->ids[i] == id)
			return &ctl->view.changes[i];
	return NULL;
}

/* Record the outcome of request R: RC and the reason ERR. Locked. */
static void
finish_request(
    struct tui_control *ctl, const struct request *r, int rc, const char *err)
{
	struct tui_frame_change *c = find_change(ctl, r->id);

	if (c == NULL)
		return;
	c->pending = false;
	if (rc != 0) {
		char desc[sizeof c->desc];

		/* The reason may be cut: the pane shows one line anyway. */
		memcpy(desc, c->desc, sizeof desc);
		c->failed = true;
		if (snprintf(c->desc, sizeof c->desc, "%s: %s", desc, err) < 0)
			c->desc[0] = '\0';
	}
	ctl->view.generation++;
}

/* The names of STATE's named endpoints into the view. Locked. */
static void
take_endpoints(struct tui_control *ctl, const cJSON *state)
{
	const cJSON *e;
	size_t at = 0, len = sizeof ctl->view.endpoints;
	char *buf = ctl->view.endpoints;

	buf[0] = '\0';
	cJSON_ArrayForEach (e, cJSON_GetObjectItem(state, "endpoints")) {
		if (e->string == NULL || at + strlen(e->string) + 2 > len)
			continue;
		at += (size_t)snprintf(
		    buf + at, len - at, "%s%s", at > 0 ? " " : "", e->string);
	}
}

/* The scenario line of STATE; true when a scenario plays. Locked. */
static bool
take_scenario(struct tui_control *ctl, const cJSON *state)
{
	const cJSON *sc = cJSON_GetObjectItem(state, "scenario");
	bool playing = cJSON_IsTrue(cJSON_GetObjectItem(sc, "playing"));
	char line[sizeof ctl->view.scenario] = "";

	if (playing) {
		mock_scenario_player_describe(sc, line, sizeof line);
		take_endpoints(ctl, state);
	}
	snprintf(ctl->view.scenario_name, sizeof ctl->view.scenario_name, "%s",
	    playing ? cJSON_GetStringValue(cJSON_GetObjectItem(sc, "name"))
	            : "");
	if (strcmp(line, ctl->view.scenario) != 0) {
		snprintf(
		    ctl->view.scenario, sizeof ctl->view.scenario, "%s", line);
		ctl->view.generation++;
	}
	return playing;
}

/* The description of history entry E: "/mock/NAME " and its fields. */
static void
entry_desc(const cJSON *e, char *buf, size_t len)
{
	const cJSON *ep = cJSON_GetObjectItem(e, "endpoint");
	const cJSON *fields = cJSON_GetObjectItem(e, "fields");
	char what[96];

	if (cJSON_IsTrue(cJSON_GetObjectItem(fields, "reset")))
		snprintf(what, sizeof what, "reset");
	else
		tui_frame_mock_summary(fields, what, sizeof what);
	/* A long endpoint name may cut the fields: the name matters more. */
	if (!cJSON_IsString(ep) || strcmp(ep->valuestring, "default") == 0)
		snprintf(buf, len, "%s", what);
	else if (snprintf(buf, len, "/mock/%s %s", ep->valuestring, what) < 0)
		buf[0] = '\0';
}

/*
 * Push the changes of HISTORY newer than the last one seen, oldest
 * first, but those of our keys (already in the pane). Locked.
 */
static void
take_history(struct tui_control *ctl, const cJSON *history)
{
	const cJSON *e, *id, *src;
	char desc[sizeof ctl->view.changes[0].desc];

	cJSON_ArrayForEach (e, cJSON_GetObjectItem(history, "changes")) {
		id = cJSON_GetObjectItem(e, "change");
		src = cJSON_GetObjectItem(e, "source");
		if (!cJSON_IsNumber(id) || id->valuedouble <= ctl->seen_change)
			continue;
		ctl->seen_change = id->valuedouble;
		if (!cJSON_IsString(src) ||
		    strcmp(src->valuestring, "key") == 0)
			continue;
		entry_desc(e, desc, sizeof desc);
		push_change(ctl,
		    strcmp(src->valuestring, "scenario") == 0 ? "scenario"
		                                              : "other",
		    desc);
	}
}

/*
 * Take in the state read from the mock (NULL: ERR says why) and, while
 * a scenario plays, its HISTORY, which names every step on every
 * endpoint, those at 0 s too. Locked.
 */
static void
take_state(struct tui_control *ctl, const cJSON *state, const cJSON *history,
    const char *err, bool ours)
{
	const cJSON *last = cJSON_GetObjectItem(state, "last_change");
	char summary[sizeof ctl->view.summary];
	bool was_playing = ctl->view.scenario[0] != '\0';
	bool playing = state != NULL && take_scenario(ctl, state);

	if (state != NULL)
		tui_frame_mock_summary(state, summary, sizeof summary);
	else
		snprintf(summary, sizeof summary, "unreachable");
	tui_keymap_read_state(
	    state, &ctl->view.latency_ms, &ctl->view.error_pct);
	if (history != NULL && ctl->polled)
		take_history(ctl, history);
	if (cJSON_IsNumber(last) && last->valuedouble > ctl->seen_change)
		ctl->seen_change = last->valuedouble;
	if (strcmp(summary, ctl->view.summary) == 0)
		return;

	/* A change nobody here asked for came from elsewhere. */
	if (ctl->polled && !ours && state != NULL && history == NULL)
		push_change(ctl, playing || was_playing ? "scenario" : "other",
		    summary);
	if (state == NULL)
		push_change(ctl, "poll", err)->failed = true;
	snprintf(ctl->view.summary, sizeof ctl->view.summary, "%s", summary);
	ctl->polled = true;
	ctl->view.generation++;
}

static int
play(struct tui_control *ctl, const struct request *r, char *err, size_t errlen)
{
	cJSON *status;

	if (r->change == NULL)
		status = mock_client_scenario_stop(ctl->client, err, errlen);
	else
		status = mock_client_scenario_play(
		    ctl->client, r->change, err, errlen);
	cJSON_Delete(status);
	return status != NULL ? 0 : -1;
}

static int
apply(
    struct tui_control *ctl, const struct request *r, char *err, size_t errlen)
{
	if (r->kind == REQUEST_SCENARIO)
		return play(ctl, r, err, errlen);
	if (r->change == NULL)
		return mock_client_reset(ctl->client, "key", err, errlen);
	return mock_client_update(ctl->client, r->change, "key", err, errlen);
}

/* Wait for a request or the next poll; true when one is queued. Locked. */
static bool
wait_for_work(struct tui_control *ctl, int64_t deadline_ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(deadline_ms / 1000);
	ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000L;
	while (!ctl->stopping && ctl->qlen == 0)
		if (pthread_cond_timedwait(&ctl->wake, &ctl->lock, &ts) != 0)
			break;
	return ctl->qlen > 0;
}

/* Poll often while a scenario plays, so its progress line keeps up. */
static int64_t
poll_ms(const struct tui_control *ctl)
{
	return ctl->view.scenario[0] != '\0' ? TUI_CONTROL_SCENARIO_POLL_MS
	                                     : TUI_CONTROL_POLL_MS;
}

/*
 * Whether to read the history after STATE: when a scenario plays or has
 * just ended and the mock changed since the last look. The view is read
 * unlocked, but only this thread writes it.
 */
static bool
wants_history(const struct tui_control *ctl, const cJSON *state)
{
	const cJSON *sc = cJSON_GetObjectItem(state, "scenario");
	const cJSON *last = cJSON_GetObjectItem(state, "last_change");

	if (!ctl->polled || !cJSON_IsNumber(last) ||
	    last->valuedouble <= ctl->seen_change)
		return false;
	return cJSON_IsTrue(cJSON_GetObjectItem(sc, "playing")) ||
	       ctl->view.scenario[0] != '\0';
}

static void *
worker(void *arg)
{
	struct tui_control *ctl = arg;
	char err[256] = "", herr[256];
	struct request r;
	cJSON *state, *history;
	bool ours;
	int rc;

	pthread_mutex_lock(&ctl->lock);
	while (!ctl->stopping) {
		ours = false;
		if (ctl->polled &&
		    wait_for_work(ctl, clock_mono_ms() + poll_ms(ctl))) {
			r = ctl->queue[ctl->qhead];
			ctl->qhead = (ctl->qhead + 1) % QUEUE_MAX;
			ctl->qlen--;
			pthread_mutex_unlock(&ctl->lock);
			rc = apply(ctl, &r, err, sizeof err);
			cJSON_Delete(r.change);
			pthread_mutex_lock(&ctl->lock);
			finish_request(ctl, &r, rc, err);
			ours = true;
		}
		if (ctl->stopping)
			break;
		pthread_mutex_unlock(&ctl->lock);
		state = mock_client_get(ctl->client, 0, err, sizeof err);
		history =
		    wants_history(ctl, state)
		        ? mock_client_get(ctl->client, 1, herr, sizeof herr)
		        : NULL;
		pthread_mutex_lock(&ctl->lock);
		take_state(ctl, state, history, err, ours);
		if (ours)
			ctl->view.busy--;
		cJSON_Delete(history);
		cJSON_Delete(state);
	}
	pthread_mutex_unlock(&ctl->lock);
	return NULL;
}

struct tui_control *
tui_control_start(struct mock_client *c)
{
	struct tui_control *ctl = xcalloc(1, sizeof *ctl);
	pthread_condattr_t attr;

	ctl->client = c;
	atomic_init(&ctl->abandon, false);
	mock_client_set_limits(c, TUI_CONTROL_TIMEOUT_MS, &ctl->abandon);
	pthread_mutex_init(&ctl->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&ctl->wake, &attr);
	pthread_condattr_destroy(&attr);
	snprintf(ctl->view.summary, sizeof ctl->view.summary, "...");
	ctl->view.latency_ms = ctl->view.error_pct = -1;
	if (pthread_create(&ctl->thread, NULL, worker, ctl) != 0)
		fatal("cannot start the mock control thread");
	return ctl;
}

void
tui_control_cancel(struct tui_control *ctl)
{
	if (ctl == NULL)
		return;
	atomic_store(&ctl->abandon, true);
	pthread_mutex_lock(&ctl->lock);
	ctl->stopping = true;
	pthread_cond_signal(&ctl->wake);
	pthread_mutex_unlock(&ctl->lock);
}

void
tui_control_stop(struct tui_control *ctl)
{
	if (ctl == NULL)
		return;
	tui_control_cancel(ctl);
	pthread_join(ctl->thread, NULL);
	mock_client_set_limits(ctl->client, 0, NULL);
	while (ctl->qlen > 0) {
		cJSON_Delete(ctl->queue[ctl->qhead].change);
		ctl->qhead = (ctl->qhead + 1) % QUEUE_MAX;
		ctl->qlen--;
	}
	pthread_cond_destroy(&ctl->wake);
	pthread_mutex_destroy(&ctl->lock);
	free(ctl);
}

/* Queue a request of KIND for CHANGE; as tui_control_send. */
static int
enqueue(struct tui_control *ctl, enum request_kind kind, cJSON *change,
    const char *desc)
{
	struct request *r;

	pthread_mutex_lock(&ctl->lock);
	if (ctl->qlen == QUEUE_MAX) {
		pthread_mutex_unlock(&ctl->lock);
		cJSON_Delete(change);
		return -1;
	}
	r = &ctl->queue[(ctl->qhead + ctl->qlen++) % QUEUE_MAX];
	r->kind = kind;
	r->change = change;
	push_change(ctl, "key", desc)->pending = true;
	ctl->view.busy++;
	r->id = ctl->ids[0];
	pthread_cond_signal(&ctl->wake);
	pthread_mutex_unlock(&ctl->lock);
	return 0;
}

int
tui_control_send(struct tui_control *ctl, cJSON *change, const char *desc)
{
	return enqueue(ctl, REQUEST_CHANGE, change, desc);
}

int
tui_control_scenario(struct tui_control *ctl, cJSON *scenario, const char *desc)
{
	return enqueue(ctl, REQUEST_SCENARIO, scenario, desc);
}

unsigned long
tui_control_generation(struct tui_control *ctl)
{
	unsigned long g;

	pthread_mutex_lock(&ctl->lock);
	g = ctl->view.generation;
	pthread_mutex_unlock(&ctl->lock);
	return g;
}

void
tui_control_view(struct tui_control *ctl, struct tui_control_view *out)
{
	pthread_mutex_lock(&ctl->lock);
	*out = ctl->view;
	pthread_mutex_unlock(&ctl->lock);
}
