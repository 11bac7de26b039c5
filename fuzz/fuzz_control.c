/*
 * libFuzzer target: the control API's request handling, apart from
 * HTTP transport. The first byte sets the API up (bit 0: a bearer
 * token is required, bit 1: read-only); the rest is a run of requests
 * split by NUL bytes, played one after another against one mock state
 * so that sequences of changes are explored too. A request reads
 *
 *     METHOD PATH\nAUTHORIZATION\nSOURCE\nBODY
 *
 * where "-" stands for an absent header or body. Each reply is checked
 * the way a client relies on it, and so is the state after it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "fuzz/fuzz.h"
#include "mockserver/control.h"
#include "mockserver/state.h"

#define TOKEN "s3cret"

/* One request cut out of the input; fields point into BUF. */
struct request_text {
	char *method, *path, *authorization, *source, *body;
};

/* Split "LINE\n" off *P; the rest of the text when there is no newline. */
static char *
next_line(char **p)
{
	char *line = *p, *nl = strchr(line, '\n');

	if (nl != NULL) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

static const char *
absent_dash(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : s;
}

static void
request_split(char *text, struct request_text *r)
{
	char *p = text, *first = next_line(&p), *space;

	space = strchr(first, ' ');
	if (space != NULL)
		*space = '\0';
	r->method = first;
	r->path = space != NULL ? space + 1 : "";
	r->authorization = next_line(&p);
	r->source = next_line(&p);
	r->body = p;
}

/* What every reply must be: a known status and a JSON object body. */
static void
check_reply(const struct mock_control_request *req,
    const struct mock_control_reply *rep)
{
	cJSON *body;

	fuzz_assert(rep->status >= 200 && rep->status <= 599,
	    "reply status out of range");
	fuzz_assert(rep->body != NULL, "reply without a body");
	body = cJSON_Parse(rep->body);
	fuzz_assert(cJSON_IsObject(body), "reply body is not a JSON object");
	if (rep->status >= 400)
		fuzz_assert(cJSON_IsString(cJSON_GetObjectItem(body, "error")),
		    "error reply without an \"error\" string");
	if (rep->status == 405)
		fuzz_assert(rep->allow != NULL, "405 without Allow");
	if (rep->status == 401)
		fuzz_assert(rep->challenge, "401 without a challenge");
	if (rep->status < 300 && strcmp(req->method, "PUT") == 0)
		fuzz_assert(
		    cJSON_IsNumber(cJSON_GetObjectItem(body, "applied")),
		    "accepted change without its id");
	cJSON_Delete(body);
}

/* A behaviour serves a real status and a latency it can wait. */
static void
check_behaviour(struct mock_state *st, const char *name)
{
	const struct mock_behaviour *b = mock_state_get(st, name);
	uint64_t r;
	int i, status;
	long ms;

	for (i = 0; i < 4; i++) {
		r = i < 2 ? (uint64_t)i * UINT64_MAX : mock_state_random(st);
		status = mock_behaviour_pick_status(b, r);
		fuzz_assert(status >= 100 && status <= 599,
		    "picked status out of range");
		ms = mock_behaviour_pick_latency(b, r);
		fuzz_assert(ms >= 0 && ms <= 2 * MOCK_LATENCY_MAX_MS,
		    "picked latency out of range");
	}
	mock_behaviour_release(b);
}

/* A mix in effect has weights with a total a pick can divide. */
static void
check_mix(const cJSON *behaviour)
{
	const cJSON *w;
	double total = 0;

	cJSON_ArrayForEach (w, cJSON_GetObjectItem(behaviour, "mix"))
		total += w->valuedouble;
	if (cJSON_IsObject(cJSON_GetObjectItem(behaviour, "mix")))
		fuzz_assert(total > 0 && isfinite(total),
		    "a mix in effect with a total of 0 or infinity");
}

static void
check_state(struct mock_state *st)
{
	cJSON *j = mock_state_json(st), *e;
	cJSON *h = mock_state_history_json(st);

	check_behaviour(st, NULL);
	check_mix(j);
	cJSON_ArrayForEach (e, cJSON_GetObjectItem(j, "endpoints")) {
		check_mix(e);
		check_behaviour(st, e->string);
	}
	fuzz_assert(cJSON_GetArraySize(cJSON_GetObjectItem(h, "changes")) <=
	                MOCK_HISTORY_MAX,
	    "history longer than its bound");
	cJSON_Delete(h);
	cJSON_Delete(j);
}

static void
play(struct mock_control *c, char *text)
{
	struct mock_control_request req;
	struct mock_control_reply rep;
	struct request_text r;

	request_split(text, &r);
	memset(&req, 0, sizeof req);
	req.method = r.method;
	req.path = r.path;
	req.authorization = absent_dash(r.authorization);
	req.source = absent_dash(r.source);
	req.body = absent_dash(r.body);
	req.content_type = "application/json";
	req.body_too_large =
	    req.body != NULL && strlen(req.body) > MOCK_CONTROL_BODY_MAX;
	mock_control_handle(c, &req, &rep);
	check_reply(&req, &rep);
	free(rep.body);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_setup(-1, LOG_FORMAT_JSON, LOG_DEBUG);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mock_state *st;
	struct mock_control *c;
	char *text, *p, *end;

	if (size == 0)
		return 0;
	st = mock_state_create(1);
	c = mock_control_create(st, data[0] & 1 ? TOKEN : NULL, data[0] & 2);
	text = fuzz_text(data + 1, size - 1);
	end = text + size - 1;
	for (p = text; p < end; p += strlen(p) + 1) {
		play(c, p);
		check_state(st);
	}
	free(text);
	mock_control_destroy(c);
	mock_state_destroy(st);
	return 0;
}
