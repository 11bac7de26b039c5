/*
 * The dashboard's link to the mock: a small worker thread that sends
 * the key changes through a mock client and polls the behaviour in
 * effect, so that a remote mock on a slow network never holds up the
 * screen. The screen reads a copy of what the worker last saw.
 */
#ifndef TUI_CONTROL_H
#define TUI_CONTROL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "tui/frame.h"

#define TUI_CONTROL_CHANGES          16   /* changes kept for the pane */
#define TUI_CONTROL_POLL_MS          2000 /* how often the state is read */
#define TUI_CONTROL_SCENARIO_POLL_MS 500  /* the same while a scenario plays */
/* A remote mock that takes longer than this to answer is unreachable. */
#define TUI_CONTROL_TIMEOUT_MS 2500

struct mock_client;
struct tui_control;

/* What the screen shows of the mock; copied out whole. */
struct tui_control_view {
	unsigned long generation; /* moves on every change below */
	char summary[128];        /* tui_frame_mock_summary of the state */
	int latency_ms;           /* the state's added latency, -1 unknown */
	int error_pct;            /* its share of error codes, -1 unknown */
	unsigned busy;            /* changes sent whose outcome is not read */
	size_t nchanges;
	struct tui_frame_change changes[TUI_CONTROL_CHANGES]; /* newest first */
	char scenario[160]; /* where a scenario stands, "" when none plays */
	char scenario_name[64]; /* its name, "" when none plays */
	char endpoints[256];    /* named endpoints of the mock, space-separated */
};

/* Start the worker for client C (which outlives it); never NULL. */
struct tui_control *tui_control_start(struct mock_client *c);

/*
 * Tell the worker to stop, abandoning a remote call in progress (within
 * about a second), without waiting for it; NULL does nothing.
 */
void tui_control_cancel(struct tui_control *ctl);

/* Stop the worker, dropping changes not sent yet; NULL does nothing. */
void tui_control_stop(struct tui_control *ctl);

/*
 * Queue CHANGE (fields of PUT /control; NULL means POST /control/reset),
 * described by DESC, and show it as pending at once. Takes ownership of
 * CHANGE. Returns 0, or -1 when too many changes wait already. Any thread.
 */
int tui_control_send(struct tui_control *ctl, cJSON *change, const char *desc);

/*
 * Queue playing SCENARIO (a scenario's JSON; NULL stops the one
 * playing), described by DESC; as tui_control_send otherwise.
 */
int tui_control_scenario(
    struct tui_control *ctl, cJSON *scenario, const char *desc);

/* The generation of the view: cheap, to see whether to redraw. */
unsigned long tui_control_generation(struct tui_control *ctl);

/* Copy the view into OUT. Any thread. */
void tui_control_view(struct tui_control *ctl, struct tui_control_view *out);

#endif
