/*
 * The bundled mock endpoint (libmicrohttpd): /mock, /mock/NAME,
 * /status/CODES, /delay/SECONDS, /healthz, the control page at / and
 * the control API under /control.
 */
#ifndef MOCKSERVER_SERVER_H
#define MOCKSERVER_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/listen.h"

/* Slots of mock_server_counts: one per status code, 0 for faults. */
#define MOCK_STATUS_SLOTS 600

struct mock_server_config {
	struct listen_addr listen; /* LUNA_MOCK_LISTEN */
	bool fallback_port; /* take a free port when this one is in use */
	const char *token;  /* LUNA_CONTROL_TOKEN or NULL */
	uint64_t seed;      /* of the random mixes; 0 picks one */
};

struct mock_server;
struct mock_state;
struct mock_scenario_runner;

/* Start serving. Returns NULL with the reason in ERR. */
struct mock_server *mock_server_start(
    const struct mock_server_config *c, char *err, size_t errlen);

/* Stop serving and free S; NULL does nothing. */
void mock_server_stop(struct mock_server *s);

/* The base URL clients use, e.g. "http://127.0.0.1:8080"; owned by S. */
const char *mock_server_url(const struct mock_server *s);

/* The behaviour S serves, for in-process changes; owned by S. */
struct mock_state *mock_server_state(struct mock_server *s);

/* The scenario slot of S, for in-process play and stop; owned by S. */
struct mock_scenario_runner *mock_server_scenarios(struct mock_server *s);

/*
 * Who may change S through /control: "open" (loopback, no token),
 * "token" (bearer token needed) or "refused" (beyond loopback, no token).
 */
const char *mock_server_control_mode(const struct mock_server *s);

/*
 * Copy the mock endpoints' replies so far by status code into COUNTS
 * (index 0: faults, which send no status). Any thread.
 */
void mock_server_counts(
    const struct mock_server *s, unsigned long counts[MOCK_STATUS_SLOTS]);

/* Connections held by latency, /delay, a slow body or a hang, now. */
unsigned long mock_server_waiting(const struct mock_server *s);

#endif
