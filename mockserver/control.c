#include "mockserver/control.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/listen.h"
#include "common/xalloc.h"
#include "mockserver/scenario_runner.h"

struct mock_control {
	struct mock_state *st;
	char *token; /* NULL: no token needed */
	bool read_only;
	struct mock_scenario_runner *scenarios;
};

struct route {
	const char *path;
	const char *allow;
	void (*run)(struct mock_control *c,
	    const struct mock_control_request *req,
	    struct mock_control_reply *rep);
};

static void
reply_json(struct mock_control_reply *rep, int status, cJSON *body)
{
	rep->status = status;
	rep->body = cJSON_PrintUnformatted(body);
	if (rep->body == NULL)
		fatal("out of memory printing a control reply");
	cJSON_Delete(body);
}

static void
reply_error(struct mock_control_reply *rep, int status, const char *msg)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "error", msg);
	reply_json(rep, status, o);
}

const char *
mock_control_source(const char *source)
{
	static const char *const names[] = {"key", "api", "page", "scenario"};
	size_t i;

	for (i = 0; source != NULL && i < sizeof names / sizeof *names; i++)
		if (strcmp(source, names[i]) == 0)
			return names[i];
	return "api";
}

static void
run_get(struct mock_control *c, const struct mock_control_request *req,
    struct mock_control_reply *rep)
{
	cJSON *o = mock_state_json(c->st);

	cJSON_AddItemToObject(
	    o, "scenario", mock_scenario_runner_json(c->scenarios));
	reply_json(rep, 200, o);
}

static void
run_put(struct mock_control *c, const struct mock_control_request *req,
    struct mock_control_reply *rep)
{
	const char *end = NULL;
	cJSON *change, *o;
	char err[256];
	long id;

	change = req->body != NULL ? cJSON_ParseWithOpts(req->body, &end, true)
	                           : NULL;
	if (change == NULL) {
		snprintf(err, sizeof err,
		    "bad JSON at byte %zu: expected an "
		    "object such as {\"status\": 503}",
		    end != NULL && req->body != NULL ? (size_t)(end - req->body)
		                                     : 0);
		reply_error(rep, 400, err);
		return;
	}
	id = mock_state_apply(
	    c->st, change, mock_control_source(req->source), err, sizeof err);
	cJSON_Delete(change);
	if (id < 0) {
		reply_error(rep, 400, err);
		return;
	}
	o = mock_state_json(c->st);
	cJSON_AddNumberToObject(o, "applied", (double)id);
	reply_json(rep, 200, o);
}

static void
run_reset(struct mock_control *c, const struct mock_control_request *req,
    struct mock_control_reply *rep)
{
	cJSON *o;
	long id = mock_state_reset(c->st, mock_control_source(req->source));

	o = mock_state_json(c->st);
	cJSON_AddNumberToObject(o, "applied", (double)id);
	reply_json(rep, 200, o);
}

static void
run_history(struct mock_control *c, const struct mock_control_request *req,
    struct mock_control_reply *rep)
{
	reply_json(rep, 200, mock_state_history_json(c->st));
}

static void
run_scenario(struct mock_control *c, const struct mock_control_request *req,
    struct mock_control_reply *rep)
{
	char err[512];
	cJSON *o;

	if (strcmp(req->method, "DELETE") == 0) {
		o = mock_scenario_runner_stop(c->scenarios, err, sizeof err);
		if (o == NULL)
			reply_error(rep, 404, err);
		else
			reply_json(rep, 200, o);
	} else if (mock_scenario_runner_post(
	               c->scenarios, req->body, err, sizeof err) < 0)
		reply_error(rep, 400, err);
	else
		reply_json(rep, 200, mock_scenario_runner_json(c->scenarios));
}

static const struct route routes[] = {
    {"/control", "GET, PUT", NULL},
    {"/control/reset", "POST", run_reset},
    {"/control/history", "GET", run_history},
    {"/control/scenario", "POST, DELETE", run_scenario},
};

bool
mock_control_owns(const char *path)
{
	return strncmp(path, "/control", 8) == 0 &&
	       (path[8] == '\0' || path[8] == '/');
}

bool
mock_control_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = (unsigned char)(la != lb);

	/* Walk all of A whatever B holds, so timing tells nothing. */
	for (i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ (i < lb ? b[i] : 0));
	return diff == 0;
}

/* The method is one of the route's, as listed in its Allow. */
static bool
method_allowed(const struct route *r, const char *method)
{
	size_t n = strlen(method);
	const char *p;

	/* An empty method would match everywhere, and walk off the end. */
	if (n == 0)
		return false;
	if (strcmp(method, "HEAD") == 0)
		method = "GET", n = 3;
	for (p = strstr(r->allow, method); p != NULL; p = strstr(p + 1, method))
		if ((p == r->allow || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

static bool
authorized(struct mock_control *c, const char *header)
{
	if (c->token == NULL)
		return true;
	if (header == NULL || strncmp(header, "Bearer ", 7) != 0)
		return false;
	return mock_control_token_equal(header + 7, c->token);
}

/*
 * A browser names the page that sent a request in Origin; a page of
 * this mock has the mock's own Host. Any other page (a web site the
 * user happens to visit) must not change a loopback mock.
 */
static bool
cross_origin(const struct mock_control_request *req)
{
	const char *o = req->origin;

	if (o == NULL)
		return false;
	if (strncasecmp(o, "http://", 7) == 0)
		o += 7;
	else if (strncasecmp(o, "https://", 8) == 0)
		o += 8;
	else
		return true;
	return req->host == NULL || strcasecmp(o, req->host) != 0;
}

/*
 * A page whose own host name its owner rebinds to 127.0.0.1 passes the
 * Origin test; its Host is that name, though. A mock open to changes
 * without a token takes them only through a loopback name or address.
 */
static bool
loopback_host(const char *host)
{
	struct listen_addr a;
	char buf[300], err[160];

	/* Only HTTP/1.0 goes without Host, and no browser sends that. */
	if (host == NULL)
		return true;
	if (listen_parse(host, &a, err, sizeof err) < 0) {
		snprintf(buf, sizeof buf, "%s:0", host);
		if (listen_parse(buf, &a, err, sizeof err) < 0)
			return false;
	}
	return a.host[0] != '\0' && listen_is_loopback(&a);
}

static void
refuse_host(
    const struct mock_control_request *req, struct mock_control_reply *rep)
{
	char msg[300];

	snprintf(msg, sizeof msg,
	    "control changes refused: Host '%.100s' is not a loopback "
	    "address; set LUNA_CONTROL_TOKEN to change this mock by name",
	    req->host);
	reply_error(rep, 403, msg);
}

/* The media type is application/json, with parameters or without. */
static bool
is_json(const char *content_type)
{
	size_t n = strlen("application/json");

	return content_type != NULL &&
	       strncasecmp(content_type, "application/json", n) == 0 &&
	       strchr("; \t", content_type[n]) != NULL;
}

static void
refuse_origin(
    const struct mock_control_request *req, struct mock_control_reply *rep)
{
	char msg[300];

	snprintf(msg, sizeof msg,
	    "cross-origin control change refused: Origin '%.100s' is not "
	    "this mock's '%.100s'",
	    req->origin, req->host != NULL ? req->host : "");
	reply_error(rep, 403, msg);
}

/* 401, 403, 413 and 415: the checks every route shares, in that order. */
static bool
refused(struct mock_control *c, const struct mock_control_request *req,
    struct mock_control_reply *rep)
{
	bool change =
	    strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;
	bool body = req->body != NULL && req->body[0] != '\0';

	if (!authorized(c, req->authorization)) {
		reply_error(rep, 401,
		    "missing or wrong bearer token: send "
		    "Authorization: Bearer LUNA_CONTROL_TOKEN");
		rep->challenge = true;
	} else if (change && c->read_only) {
		reply_error(rep, 403,
		    "control changes refused: this mock "
		    "listens beyond loopback and LUNA_CONTROL_TOKEN is not "
		    "set");
	} else if (change && cross_origin(req)) {
		refuse_origin(req, rep);
	} else if (change && c->token == NULL && !loopback_host(req->host)) {
		refuse_host(req, rep);
	} else if (req->body_too_large) {
		reply_error(rep, 413, "request body over 64 KiB");
	} else if (change && body && !is_json(req->content_type)) {
		reply_error(
		    rep, 415, "a change needs Content-Type: application/json");
	} else {
		return false;
	}
	return true;
}

void
mock_control_handle(struct mock_control *c,
    const struct mock_control_request *req, struct mock_control_reply *rep)
{
	const struct route *r = NULL;
	size_t i;

	memset(rep, 0, sizeof *rep);
	for (i = 0; i < sizeof routes / sizeof *routes; i++)
		if (strcmp(req->path, routes[i].path) == 0)
			r = &routes[i];
	if (r == NULL) {
		reply_error(rep, 404,
		    "no such control path: expected "
		    "/control, /control/reset, /control/history or "
		    "/control/scenario");
		return;
	}
	if (!method_allowed(r, req->method)) {
		reply_error(rep, 405, "method not allowed");
		rep->allow = r->allow;
		return;
	}
	if (refused(c, req, rep))
		return;
	if (r->run != NULL)
		r->run(c, req, rep);
	else if (strcmp(req->method, "PUT") == 0)
		run_put(c, req, rep);
	else
		run_get(c, req, rep);
}

struct mock_control *
mock_control_create(struct mock_state *st, const char *token, bool read_only)
{
	struct mock_control *c = xcalloc(1, sizeof *c);

	c->st = st;
	c->token = token != NULL && token[0] != '\0' ? xstrdup(token) : NULL;
	c->read_only = read_only && c->token == NULL;
	c->scenarios = mock_scenario_runner_create(st);
	return c;
}

void
mock_control_destroy(struct mock_control *c)
{
	if (c == NULL)
		return;
	mock_scenario_runner_destroy(c->scenarios);
	free(c->token);
	free(c);
}

struct mock_scenario_runner *
mock_control_scenarios(struct mock_control *c)
{
	return c->scenarios;
}
