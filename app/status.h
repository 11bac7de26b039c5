/*
 * The status server of headless mode (libmicrohttpd): GET /healthz, 200
 * while the probe loop turns on schedule and 503 once it has stalled;
 * GET /metrics, the Prometheus text; GET /results, recent results as
 * JSON. It reads what it serves through the callbacks it is given.
 */
#ifndef APP_STATUS_H
#define APP_STATUS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "common/listen.h"

struct status_config {
	struct listen_addr listen; /* LUNA_STATUS_LISTEN */
	/* The loop is stalled when its heartbeat is older than this. */
	int64_t stall_after_ms;
	/* Monotonic ms of the probe loop's last turn. */
	int64_t (*heartbeat_ms)(void *arg);
	/* The /metrics text; the server frees it. */
	char *(*metrics)(void *arg);
	/* The /results document; the server frees it. */
	cJSON *(*results)(void *arg);
	void *arg;
};

struct status_server;

/*
 * Listen on C->listen (no fallback: scrapers and health checks need the
 * port they were told) and serve on libmicrohttpd's thread. Returns NULL
 * with the reason in ERR. C is copied.
 */
struct status_server *status_start(
    const struct status_config *c, char *err, size_t errlen);

/* Stop serving and free S; NULL does nothing. */
void status_stop(struct status_server *s);

/* The port bound (useful with port 0). */
int status_port(const struct status_server *s);

/*
 * The /healthz verdict for a heartbeat at HEARTBEAT_MS seen at NOW_MS
 * (both monotonic): 1 healthy, 0 stalled. Pure; for tests.
 */
int status_healthy(
    int64_t heartbeat_ms, int64_t now_ms, int64_t stall_after_ms);

#endif
