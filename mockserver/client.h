/*
 * The only way the dashboard and `luna ctl` change a mock: one interface
 * with two backends, an in-process call to the bundled mock or HTTP
 * (libcurl) to a remote mock's control API. Changes and states travel
 * as the JSON of PUT /control and GET /control.
 */
#ifndef MOCKSERVER_CLIENT_H
#define MOCKSERVER_CLIENT_H

#include <stdatomic.h>

#include <cjson/cJSON.h>

struct mock_server;
struct mock_client;

/* A client for the bundled mock S (which outlives it); never NULL. */
struct mock_client *mock_client_local(struct mock_server *s);

/* A client for the control API at BASE_URL, with TOKEN (may be NULL). */
struct mock_client *mock_client_remote(const char *base_url, const char *token);

/*
 * Check that URL can be a mock's base URL: http or https, with a host,
 * without a query or fragment. Returns 0, or -1 with the reason in ERR.
 */
int mock_client_check_url(const char *url, char *err, size_t errlen);

/* Check that TOKEN can travel in a header (no CR, LF or other control). */
int mock_client_check_token(const char *token, char *err, size_t errlen);

/*
 * Bound each remote call of C to TIMEOUT_MS (0: the default, 10 s), and
 * abandon one within about a second once *STOP (may be NULL) is true.
 * Call before C is in use; the local backend never waits anyway.
 */
void mock_client_set_limits(
    struct mock_client *c, long timeout_ms, const atomic_bool *stop);

/* Free C; NULL does nothing. */
void mock_client_destroy(struct mock_client *c);

/*
 * Apply CHANGE (fields of PUT /control) on behalf of SOURCE ("key",
 * "api", "page", "scenario"). Returns 0, or -1 with the reason in ERR.
 * The remote backend blocks on the network: keep it off a UI thread.
 */
int mock_client_update(struct mock_client *c, const cJSON *change,
    const char *source, char *err, size_t errlen);

/* POST /control/reset. Same returns. */
int mock_client_reset(
    struct mock_client *c, const char *source, char *err, size_t errlen);

/* GET /control (or /control/history with HISTORY); caller frees. */
cJSON *mock_client_get(
    struct mock_client *c, int history, char *err, size_t errlen);

/*
 * POST /control/scenario: play SCENARIO (a scenario, or {"name": NAME}
 * for a built-in of the mock's). Returns where it stands (caller
 * frees), or NULL with the reason in ERR. Blocks like update.
 */
cJSON *mock_client_scenario_play(struct mock_client *c,
    const cJSON *scenario, char *err, size_t errlen);

/* DELETE /control/scenario: stop it, healthy again. Same returns. */
cJSON *mock_client_scenario_stop(struct mock_client *c, char *err,
    size_t errlen);

/* The base URL of the mock this client drives; owned by C. */
const char *mock_client_url(const struct mock_client *c);

/*
 * One line for a behaviour (GET /control, or one of its "endpoints"):
 * "status 503, latency 1500 ms, fault none, change 7", into BUF.
 */
void mock_client_describe(const cJSON *behaviour, char *buf, size_t len);

#endif
