/*
 * The bundled mock endpoint (libmicrohttpd): /mock, /mock/NAME,
 * /status/CODES, /delay/SECONDS, /healthz, the control page at / and
 * the control API under /control.
 */
#ifndef MOCKSERVER_SERVER_H
#define MOCKSERVER_SERVER_H

#include <stdbool.h>

#include "common/listen.h"

struct mock_server_config {
	struct listen_addr listen;	/* LUNA_MOCK_LISTEN */
	bool fallback_port;	/* take a free port when this one is in use */
	const char *token;	/* LUNA_CONTROL_TOKEN or NULL */
};

struct mock_server;

/* Start serving. Returns NULL with the reason in ERR. */
struct mock_server *mock_server_start(const struct mock_server_config *c,
    char *err, size_t errlen);

/* Stop serving and free S; NULL does nothing. */
void mock_server_stop(struct mock_server *s);

/* The base URL clients use, e.g. "http://127.0.0.1:8080"; owned by S. */
const char *mock_server_url(const struct mock_server *s);

#endif
