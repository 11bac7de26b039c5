/*
 * The dashboard's keys: one table that maps a key to an action and
 * gives the help overlay its lines, and the mock change (fields of PUT
 * /control) that each mock key sends. Pure functions, no terminal.
 */
#ifndef TUI_KEYMAP_H
#define TUI_KEYMAP_H

#include <stddef.h>

#include <cjson/cJSON.h>

enum tui_action {
	TUI_ACT_NONE,
	TUI_ACT_QUIT,
	TUI_ACT_HELP,
	TUI_ACT_UP,
	TUI_ACT_DOWN,
	TUI_ACT_PROBE_NOW,
	TUI_ACT_PROBE_ALL,
	TUI_ACT_PAUSE,
	TUI_ACT_CLEAR,
	TUI_ACT_HEALTHY,
	TUI_ACT_STATUS_500,
	TUI_ACT_STATUS_503,
	TUI_ACT_STATUS_404,
	TUI_ACT_SLOWER,
	TUI_ACT_FASTER,
	TUI_ACT_FLAKIER,
	TUI_ACT_STEADIER,
	TUI_ACT_FAULT_RESET,
	TUI_ACT_FAULT_CLOSE,
	TUI_ACT_FAULT_HANG,
	TUI_ACT_FAULT_SLOW_BODY,
	TUI_ACT_FAULT_TRUNCATE,
	TUI_ACT_FAULT_GARBAGE,
	TUI_ACT_MOCK_RESET,
	TUI_ACT_SCENARIOS,
	TUI_ACT_SCENARIO_STOP,
};

struct tui_key {
	int key;           /* a character or an ncurses KEY_* code */
	const char *label; /* how help writes the key: "j", "Down" */
	enum tui_action action;
	const char *help; /* what it does, for the overlay */
};

/* Where the mock keys stand: the slow and flaky steps taken so far. */
struct tui_mock_steps {
	int latency; /* index into the latency steps */
	int flaky;   /* index into the error-percentage steps */
	/* What the mock does as far as we know: a key at the end of its
	 * steps changes nothing when the mock is already there. */
	int latency_ms;
	int error_pct;
};

/* The action bound to KEY; TUI_ACT_NONE when the key means nothing. */
enum tui_action tui_keymap_action(int key);

/* The key table, in help order; *N gets its length. */
const struct tui_key *tui_keymap_table(size_t *n);

/* True when A changes the mock (and so needs a mock client). */
int tui_keymap_is_mock(enum tui_action a);

/*
 * The added latency and the percentage of error codes (4xx, 5xx) of
 * STATE, the JSON of GET /control, into *LATENCY_MS and *ERROR_PCT;
 * both -1 when STATE is NULL.
 */
void tui_keymap_read_state(const cJSON *state, int *latency_ms, int *error_pct);

/*
 * Put S on the steps nearest below LATENCY_MS and ERROR_PCT (the mock's
 * state, perhaps changed elsewhere), so the next step starts from what
 * the mock does; a value of -1 leaves its step alone.
 */
void tui_keymap_sync_steps(
    struct tui_mock_steps *s, int latency_ms, int error_pct);

/*
 * The PUT /control change for mock action A, moving S along its steps,
 * with a short description ("status 503", "latency 500ms") in DESC.
 * Returns the change (caller frees), or NULL for TUI_ACT_MOCK_RESET
 * (POST /control/reset; S is set back), for a step key at its end when
 * the mock is already there (DESC says so: "already at 0 ms"), and for
 * actions that are not mock changes (DESC empty).
 */
cJSON *tui_keymap_change(
    enum tui_action a, struct tui_mock_steps *s, char *desc, size_t len);

#endif
