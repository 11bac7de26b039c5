/*
 * The control API under /control, apart from HTTP transport: a request
 * (method, path, body, two headers) in, a status and a JSON body out.
 * The server feeds it from libmicrohttpd; tests call it directly.
 */
#ifndef MOCKSERVER_CONTROL_H
#define MOCKSERVER_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "mockserver/state.h"

/* Bodies above this get 413. */
#define MOCK_CONTROL_BODY_MAX (64 * 1024)

struct mock_control_request {
	const char *method;
	const char *path;          /* "/control", "/control/reset", ... */
	const char *body;          /* NUL-terminated; NULL when none */
	bool body_too_large;       /* over MOCK_CONTROL_BODY_MAX */
	const char *authorization; /* the header, or NULL */
	const char *source;        /* X-Luna-Source, or NULL for "api" */
	const char *origin;        /* the Origin header, or NULL */
	const char *host;          /* the Host header, or NULL */
	const char *content_type;  /* the Content-Type header, or NULL */
};

struct mock_control_reply {
	int status;
	char *body;        /* JSON text; the caller frees */
	const char *allow; /* for 405: the methods the path takes */
	bool challenge;    /* for 401: send WWW-Authenticate */
};

struct mock_control;

/*
 * A control API over ST. TOKEN (copied; NULL or "" for none) is the
 * bearer token required; READ_ONLY refuses changes with 403.
 */
struct mock_control *mock_control_create(
    struct mock_state *st, const char *token, bool read_only);

/* Free C; NULL does nothing. */
void mock_control_destroy(struct mock_control *c);

/* Answer REQ into REP. Any thread. */
void mock_control_handle(struct mock_control *c,
    const struct mock_control_request *req, struct mock_control_reply *rep);

/* The scenario slot of C's mock; owned by C. */
struct mock_scenario_runner *mock_control_scenarios(struct mock_control *c);

/* True when PATH is under /control. */
bool mock_control_owns(const char *path);

/* True when A and B are equal, in time that depends on their lengths only. */
bool mock_control_token_equal(const char *a, const char *b);

/* The SOURCE names a change may carry; others read as "api". */
const char *mock_control_source(const char *source);

#endif
