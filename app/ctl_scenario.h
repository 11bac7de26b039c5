/* `luna ctl scenario ...`: play, stop, show and list scenarios. */
#ifndef APP_CTL_SCENARIO_H
#define APP_CTL_SCENARIO_H

#include "mockserver/client.h"

/*
 * Run `scenario` with its NARGS words ARGS (after "scenario") against
 * the mock C drives. Returns the exit status: 0 done, 1 refused or
 * unreachable, 2 bad usage.
 */
int ctl_scenario_run(struct mock_client *c, int nargs, const char *const *args);

#endif
