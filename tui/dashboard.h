/*
 * The dashboard: owns the terminal (ncurses), draws the targets' stats
 * snapshots and the mock's state, and turns keys into engine and mock
 * actions. It only reads snapshots, so the probes never wait on it.
 */
#ifndef TUI_DASHBOARD_H
#define TUI_DASHBOARD_H

#include <stddef.h>
#include <stdint.h>

#include "probe/engine.h"
#include "probe/stats.h"
#include "probe/target.h"

struct mock_client;

struct tui_dashboard_config {
	const struct probe_target_list *targets; /* outlives the dashboard */
	struct probe_stats *stats;               /* outlives the dashboard */
	struct mock_client *mock;                /* the keys' mock, or NULL */
	int stderr_fd;    /* where stderr goes meanwhile; -1: nowhere */
	const char *note; /* said in the footer at the start, or NULL */
};

struct tui_dashboard;

/* A dashboard for C, not drawing yet; never NULL. */
struct tui_dashboard *tui_dashboard_create(
    const struct tui_dashboard_config *c);

/* Free D (after tui_dashboard_run returned); NULL does nothing. */
void tui_dashboard_destroy(struct tui_dashboard *d);

/* Say a result came in, so the next frame shows it. Any thread. */
void tui_dashboard_notify(struct tui_dashboard *d);

/* Why and how the dashboard stopped, for the stop log line. */
struct tui_dashboard_end {
	const char *reason; /* "quit", "signal" or "terminal closed" */
	int signal;         /* with "signal": SIGINT, SIGTERM or SIGHUP */
	uint64_t skipped;   /* probe_engine_skipped() just before the stop */
	int forced;         /* the signal that cut the stop short, or 0 */
};

/*
 * Own the terminal until q, Ctrl-C, SIGTERM, SIGHUP or a closed
 * terminal, driving ENGINE (may be NULL); then restore the terminal and
 * stop and free ENGINE, whose probes in flight finish first. A SIGINT or
 * SIGTERM meanwhile cuts that short: END->forced names it, and ENGINE
 * still runs, for the caller to log the stop and exit at once. The
 * terminal is restored on fatal() too. Returns 0 with END filled in, or
 * -1 with the reason in ERR when there is no terminal (ENGINE stopped).
 */
int tui_dashboard_run(struct tui_dashboard *d, struct probe_engine *engine,
    struct tui_dashboard_end *end, char *err, size_t errlen);

#endif
