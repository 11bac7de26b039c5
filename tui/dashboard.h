/*
 * The dashboard: owns the terminal (ncurses), draws the targets' stats
 * snapshots and the mock's state, and turns keys into engine and mock
 * actions. It only reads snapshots, so the probes never wait on it.
 */
#ifndef TUI_DASHBOARD_H
#define TUI_DASHBOARD_H

#include <stddef.h>

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

/*
 * Own the terminal until q, Ctrl-C, SIGTERM or SIGHUP, driving ENGINE
 * (may be NULL); the terminal is restored on return and on fatal().
 * Returns 0, or -1 with the reason in ERR when there is no terminal.
 */
int tui_dashboard_run(struct tui_dashboard *d, struct probe_engine *engine,
    char *err, size_t errlen);

#endif
