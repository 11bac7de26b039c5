/* The subcommands of `luna`; each returns the process exit status. */
#ifndef APP_COMMANDS_H
#define APP_COMMANDS_H

/* `luna probe [--once] [URL...]`: 0 all passed, 1 any failed, 2 bad config. */
int cmd_probe(int argc, char **argv);

/* `luna mock`: the mock endpoint and control API until a signal. */
int cmd_mock(int argc, char **argv);

/* `luna ctl ...`: client of a mock's control API. */
int cmd_ctl(int argc, char **argv);

/* `luna` in a terminal: the dashboard with the bundled mock. */
int cmd_dashboard(int argc, char **argv);

/* `luna --headless` (and `luna` without a terminal). */
int cmd_headless(int argc, char **argv);

/* `luna health`: 0 when the status server's /healthz answers 200. */
int cmd_health(int argc, char **argv);

struct mock_scenario;

/*
 * The dashboard that plays SC (may be NULL; ownership passes) on its
 * mock from the start, probing each named endpoint SC changes too.
 */
int cmd_dashboard_scenario(int argc, char **argv, struct mock_scenario *sc);

/* `luna demo NAME`: dashboard, bundled mock and a scenario. */
int cmd_demo(int argc, char **argv);

#endif
