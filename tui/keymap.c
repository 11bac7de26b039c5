#include "tui/keymap.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#define CTRL(c) ((c)&0x1f)

static const struct tui_key keys[] = {
    {'h', "h", TUI_ACT_HEALTHY, "mock healthy: 200, no delay, no fault"},
    {'0', "0", TUI_ACT_STATUS_500, "mock answers 500"},
    {'5', "5", TUI_ACT_STATUS_503, "mock answers 503"},
    {'4', "4", TUI_ACT_STATUS_404, "mock answers 404"},
    {'s', "s", TUI_ACT_SLOWER, "slower: add latency, in steps"},
    {'S', "S", TUI_ACT_FASTER, "faster: take latency away"},
    {'f', "f", TUI_ACT_FLAKIER, "flakier: more 503s in the mix"},
    {'F', "F", TUI_ACT_STEADIER, "steadier: fewer 503s in the mix"},
    {'X', "X", TUI_ACT_FAULT_RESET, "fault: reset the connection"},
    {'E', "E", TUI_ACT_FAULT_CLOSE, "fault: close with an empty reply"},
    {'H', "H", TUI_ACT_FAULT_HANG, "fault: hang, never answer"},
    {'W', "W", TUI_ACT_FAULT_SLOW_BODY, "fault: trickle the body"},
    {'T', "T", TUI_ACT_FAULT_TRUNCATE, "fault: cut the body short"},
    {'G', "G", TUI_ACT_FAULT_GARBAGE, "fault: answer garbage"},
    {'r', "r", TUI_ACT_MOCK_RESET, "reset the mock to its start"},
    {'d', "d", TUI_ACT_SCENARIOS, "scenarios: pick one, Enter plays it"},
    {'D', "D", TUI_ACT_SCENARIO_STOP, "stop the scenario, mock healthy"},
    {KEY_UP, "Up", TUI_ACT_UP, "select the target above"},
    {'k', "k", TUI_ACT_UP, "select the target above"},
    {KEY_DOWN, "Down", TUI_ACT_DOWN, "select the target below"},
    {'j', "j", TUI_ACT_DOWN, "select the target below"},
    {'p', "p", TUI_ACT_PROBE_NOW, "probe the selected target now"},
    {'P', "P", TUI_ACT_PROBE_ALL, "probe every target now"},
    {' ', "Space", TUI_ACT_PAUSE, "pause or resume probing"},
    {'c', "c", TUI_ACT_CLEAR, "clear the statistics"},
    {'?', "?", TUI_ACT_HELP, "show or hide this help"},
    {'q', "q", TUI_ACT_QUIT, "quit"},
    {CTRL('c'), "Ctrl-C", TUI_ACT_QUIT, NULL},
};

/*
 * XXX: the mock keys change the default endpoint only; a /mock/NAME
 * endpoint given its own behaviour (luna ctl --endpoint) keeps it, so a
 * target on it does not follow the keys.
 */

/* Milliseconds of added latency per slow step; jitter is a tenth. */
static const int latency_steps[] = {0, 100, 250, 500, 1000, 2000, 5000};

/* Percentage of 503s per flaky step. */
static const int flaky_steps[] = {0, 5, 10, 25, 50, 75};

#define NSTEPS(a) ((int)(sizeof(a) / sizeof *(a)))

enum tui_action
tui_keymap_action(int key)
{
	size_t i;

	for (i = 0; i < sizeof keys / sizeof *keys; i++)
		if (keys[i].key == key)
			return keys[i].action;
	return TUI_ACT_NONE;
}

const struct tui_key *
tui_keymap_table(size_t *n)
{
	*n = sizeof keys / sizeof *keys;
	return keys;
}

int
tui_keymap_is_mock(enum tui_action a)
{
	return a >= TUI_ACT_HEALTHY && a <= TUI_ACT_MOCK_RESET;
}

static int
step(int *at, int delta, int nsteps)
{
	*at += delta;
	if (*at < 0)
		*at = 0;
	if (*at >= nsteps)
		*at = nsteps - 1;
	return *at;
}

static cJSON *
status_change(int status, struct tui_mock_steps *s, char *desc, size_t len)
{
	cJSON *c = cJSON_CreateObject();

	/* A status alone ends any mix, as PUT /control defines it. */
	cJSON_AddNumberToObject(c, "status", status);
	cJSON_AddStringToObject(c, "fault", "none");
	s->flaky = 0;
	s->error_pct = status >= 400 ? 100 : 0;
	snprintf(desc, len, "status %d", status);
	return c;
}

static cJSON *
healthy_change(struct tui_mock_steps *s, char *desc, size_t len)
{
	cJSON *c = status_change(200, s, desc, len);

	cJSON_AddNumberToObject(c, "latency_ms", 0);
	cJSON_AddNumberToObject(c, "jitter_ms", 0);
	s->latency = s->latency_ms = 0;
	snprintf(desc, len, "healthy");
	return c;
}

static cJSON *
latency_change(struct tui_mock_steps *s, int delta, char *desc, size_t len)
{
	int was = s->latency, ms;
	cJSON *c;

	ms = latency_steps[step(&s->latency, delta, NSTEPS(latency_steps))];
	if (s->latency == was && s->latency_ms == ms) {
		snprintf(desc, len, "already at %d ms", ms);
		return NULL;
	}
	c = cJSON_CreateObject();
	cJSON_AddNumberToObject(c, "latency_ms", ms);
	cJSON_AddNumberToObject(c, "jitter_ms", ms / 10);
	s->latency_ms = ms;
	snprintf(desc, len, "latency %dms", ms);
	return c;
}

static cJSON *
flaky_change(struct tui_mock_steps *s, int delta, char *desc, size_t len)
{
	int was = s->flaky, pct;
	cJSON *c, *mix;

	pct = flaky_steps[step(&s->flaky, delta, NSTEPS(flaky_steps))];
	if (s->flaky == was && s->error_pct == pct) {
		snprintf(desc, len, "already at %d%% errors", pct);
		return NULL;
	}
	c = cJSON_CreateObject();
	if (pct > 0) {
		mix = cJSON_AddObjectToObject(c, "mix");
		cJSON_AddNumberToObject(mix, "503", pct);
		cJSON_AddNumberToObject(mix, "200", 100 - pct);
	} else {
		cJSON_AddNumberToObject(c, "status", 200);
	}
	s->error_pct = pct;
	snprintf(desc, len, "errors %d%%", pct);
	return c;
}

static cJSON *
fault_change(const char *fault, char *desc, size_t len)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "fault", fault);
	snprintf(desc, len, "fault %s", fault);
	return c;
}

static int
error_pct_of(const cJSON *state)
{
	const cJSON *mix = cJSON_GetObjectItemCaseSensitive(state, "mix");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(state, "status");
	double total = 0, errors = 0;
	const cJSON *w;

	if (!cJSON_IsObject(mix) || mix->child == NULL)
		return cJSON_IsNumber(status) && status->valueint >= 400 ? 100
		                                                         : 0;
	cJSON_ArrayForEach (w, mix) {
		if (!cJSON_IsNumber(w))
			continue;
		total += w->valuedouble;
		if (atoi(w->string) >= 400)
			errors += w->valuedouble;
	}
	return total > 0 ? (int)(errors * 100 / total + 0.5) : 0;
}

void
tui_keymap_read_state(const cJSON *state, int *latency_ms, int *error_pct)
{
	const cJSON *lat;

	*latency_ms = *error_pct = -1;
	if (state == NULL)
		return;
	lat = cJSON_GetObjectItemCaseSensitive(state, "latency_ms");
	*latency_ms = cJSON_IsNumber(lat) ? lat->valueint : 0;
	*error_pct = error_pct_of(state);
}

/* The index of the largest of the N STEPS not above VALUE. */
static int
step_below(const int *steps, int n, int value)
{
	int i = 0;

	while (i + 1 < n && steps[i + 1] <= value)
		i++;
	return i;
}

void
tui_keymap_sync_steps(struct tui_mock_steps *s, int latency_ms, int error_pct)
{
	if (latency_ms >= 0) {
		s->latency = step_below(
		    latency_steps, NSTEPS(latency_steps), latency_ms);
		s->latency_ms = latency_ms;
	}
	if (error_pct >= 0) {
		s->flaky =
		    step_below(flaky_steps, NSTEPS(flaky_steps), error_pct);
		s->error_pct = error_pct;
	}
}

cJSON *
tui_keymap_change(
    enum tui_action a, struct tui_mock_steps *s, char *desc, size_t len)
{
	if (len > 0)
		desc[0] = '\0';
	switch (a) {
	case TUI_ACT_HEALTHY:
		return healthy_change(s, desc, len);
	case TUI_ACT_STATUS_500:
		return status_change(500, s, desc, len);
	case TUI_ACT_STATUS_503:
		return status_change(503, s, desc, len);
	case TUI_ACT_STATUS_404:
		return status_change(404, s, desc, len);
	case TUI_ACT_SLOWER:
		return latency_change(s, 1, desc, len);
	case TUI_ACT_FASTER:
		return latency_change(s, -1, desc, len);
	case TUI_ACT_FLAKIER:
		return flaky_change(s, 1, desc, len);
	case TUI_ACT_STEADIER:
		return flaky_change(s, -1, desc, len);
	case TUI_ACT_FAULT_RESET:
		return fault_change("reset", desc, len);
	case TUI_ACT_FAULT_CLOSE:
		return fault_change("close", desc, len);
	case TUI_ACT_FAULT_HANG:
		return fault_change("hang", desc, len);
	case TUI_ACT_FAULT_SLOW_BODY:
		return fault_change("slow_body", desc, len);
	case TUI_ACT_FAULT_TRUNCATE:
		return fault_change("truncate", desc, len);
	case TUI_ACT_FAULT_GARBAGE:
		return fault_change("garbage", desc, len);
	case TUI_ACT_MOCK_RESET:
		s->latency = s->flaky = s->latency_ms = s->error_pct = 0;
		snprintf(desc, len, "reset");
		return NULL;
	default:
		return NULL;
	}
}
