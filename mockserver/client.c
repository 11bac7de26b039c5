#include "mockserver/client.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "common/xalloc.h"
#include "mockserver/scenario_runner.h"
#include "mockserver/server.h"
#include "mockserver/state.h"

/*
 * GET /control with 63 endpoints, each with a body near the 64 KiB a
 * change may carry, runs to about 5 MB; a reply over this cap is not
 * from a luna mock.
 */
#define REPLY_MAX         (16 * 1024 * 1024)
#define REMOTE_TIMEOUT_MS 10000L

struct mock_client {
	struct mock_server *server; /* the local backend, or NULL */
	char *url;
	char *token;
	long timeout_ms;         /* of each remote call */
	const atomic_bool *stop; /* abandon calls once true, or NULL */
};

struct buffer {
	char *data;
	size_t len, cap;
	bool too_large;
};

struct mock_client *
mock_client_local(struct mock_server *s)
{
	struct mock_client *c = xcalloc(1, sizeof *c);

	c->server = s;
	c->url = xstrdup(mock_server_url(s));
	return c;
}

struct mock_client *
mock_client_remote(const char *base_url, const char *token)
{
	struct mock_client *c = xcalloc(1, sizeof *c);
	size_t n;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	c->url = xstrdup(base_url);
	n = strlen(c->url);
	while (n > 0 && c->url[n - 1] == '/')
		c->url[--n] = '\0';
	c->token = token != NULL && token[0] != '\0' ? xstrdup(token) : NULL;
	c->timeout_ms = REMOTE_TIMEOUT_MS;
	return c;
}

int
mock_client_check_url(const char *url, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	const char *why = NULL;

	if (u == NULL)
		fatal("out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
		why = "expected http://host:port or https://...";
	else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	         host[0] == '\0' || strstr(url, ":///") != NULL)
		/* libcurl reads http:///x as host x; luna does not guess. */
		why = "no host";
	else if (strpbrk(url, "?#") != NULL)
		why = "a query or fragment leaves no room for /control";
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	if (why == NULL)
		return 0;
	snprintf(err, errlen, "bad mock URL '%s': %s", url, why);
	return -1;
}

int
mock_client_check_token(const char *token, char *err, size_t errlen)
{
	const unsigned char *p;

	for (p = (const unsigned char *)token; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f) {
			/* The token is a secret: say where, not what. */
			snprintf(err, errlen,
			    "bad control token: a control character at "
			    "byte %zu (CR, LF and the like cannot go in a "
			    "header)",
			    (size_t)(p - (const unsigned char *)token));
			return -1;
		}
	return 0;
}

void
mock_client_set_limits(
    struct mock_client *c, long timeout_ms, const atomic_bool *stop)
{
	c->timeout_ms = timeout_ms > 0 ? timeout_ms : REMOTE_TIMEOUT_MS;
	c->stop = stop;
}

void
mock_client_destroy(struct mock_client *c)
{
	if (c == NULL)
		return;
	free(c->url);
	free(c->token);
	free(c);
}

const char *
mock_client_url(const struct mock_client *c)
{
	return c->url;
}

/* ---- the HTTP backend ---- */

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct buffer *b = arg;
	size_t n = size * nmemb;

	if (b->len + n > REPLY_MAX) {
		b->too_large = true;
		return 0;
	}
	/* Doubling: a reply of megabytes is not copied over and over. */
	if (b->len + n + 1 > b->cap) {
		b->cap = b->cap * 2 + n + 1;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* libcurl asks this at least once a second, even while nothing moves. */
static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	const struct mock_client *c = arg;

	return atomic_load(c->stop) ? 1 : 0;
}

static struct curl_slist *
request_headers(const struct mock_client *c, const char *source)
{
	struct curl_slist *h = NULL;
	char line[1100];

	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Accept: application/json");
	snprintf(line, sizeof line, "X-Luna-Source: %s",
	    source != NULL ? source : "api");
	h = curl_slist_append(h, line);
	if (c->token != NULL) {
		snprintf(
		    line, sizeof line, "Authorization: Bearer %s", c->token);
		h = curl_slist_append(h, line);
	}
	return h;
}

/* The reply's JSON, or NULL with the reason (the mock's own, for 4xx). */
static cJSON *
remote_reply(const char *url, long status, const struct buffer *b, char *err,
    size_t errlen)
{
	cJSON *o = b->data != NULL ? cJSON_Parse(b->data) : NULL;
	const char *msg = cJSON_GetStringValue(cJSON_GetObjectItem(o, "error"));

	if (status >= 200 && status < 300 && cJSON_IsObject(o))
		return o;
	if (msg != NULL)
		snprintf(err, errlen, "%s: %ld: %s", url, status, msg);
	else
		snprintf(
		    err, errlen, "%s: %ld: not a luna mock reply", url, status);
	cJSON_Delete(o);
	return NULL;
}

static cJSON *
remote_call(struct mock_client *c, const char *method, const char *path,
    const char *body, const char *source, char *err, size_t errlen)
{
	char url[2048], cerr[CURL_ERROR_SIZE] = "";
	struct buffer b = {NULL, 0, 0, false};
	struct curl_slist *h;
	cJSON *o = NULL;
	CURLcode rc;
	long status = 0;
	CURL *e;

	snprintf(url, sizeof url, "%s%s", c->url, path);
	if (c->token != NULL &&
	    mock_client_check_token(c->token, err, errlen) < 0)
		return NULL;
	e = curl_easy_init();
	if (e == NULL)
		fatal("cannot set up libcurl");
	h = request_headers(c, source);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	if (c->stop != NULL) {
		curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(e, CURLOPT_XFERINFODATA, c);
		curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	}
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	if (body != NULL)
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	rc = curl_easy_perform(e);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	if (b.too_large)
		snprintf(err, errlen,
		    "%s: reply over %d MiB: not a luna mock's control API", url,
		    REPLY_MAX / (1024 * 1024));
	else if (rc != CURLE_OK)
		snprintf(err, errlen, "cannot reach the mock at '%s': %s", url,
		    cerr[0] != '\0' ? cerr : curl_easy_strerror(rc));
	else
		o = remote_reply(url, status, &b, err, errlen);
	curl_slist_free_all(h);
	curl_easy_cleanup(e);
	free(b.data);
	return o;
}

/* ---- the interface ---- */

int
mock_client_update(struct mock_client *c, const cJSON *change,
    const char *source, char *err, size_t errlen)
{
	char *body;
	cJSON *o;

	if (c->server != NULL)
		return mock_state_apply(mock_server_state(c->server), change,
		           source, err, errlen) < 0
		           ? -1
		           : 0;
	body = cJSON_PrintUnformatted(change);
	if (body == NULL)
		fatal("out of memory printing a change");
	o = remote_call(c, "PUT", "/control", body, source, err, errlen);
	cJSON_free(body);
	cJSON_Delete(o);
	return o != NULL ? 0 : -1;
}

int
mock_client_reset(
    struct mock_client *c, const char *source, char *err, size_t errlen)
{
	cJSON *o;

	if (c->server != NULL) {
		mock_state_reset(mock_server_state(c->server), source);
		return 0;
	}
	o = remote_call(c, "POST", "/control/reset", NULL, source, err, errlen);
	cJSON_Delete(o);
	return o != NULL ? 0 : -1;
}

cJSON *
mock_client_get(struct mock_client *c, int history, char *err, size_t errlen)
{
	struct mock_state *st;
	cJSON *o;

	if (c->server != NULL && history)
		return mock_state_history_json(mock_server_state(c->server));
	if (c->server != NULL) {
		st = mock_server_state(c->server);
		o = mock_state_json(st);
		cJSON_AddItemToObject(o, "scenario",
		    mock_scenario_runner_json(
		        mock_server_scenarios(c->server)));
		return o;
	}
	return remote_call(c, "GET", history ? "/control/history" : "/control",
	    NULL, NULL, err, errlen);
}

cJSON *
mock_client_scenario_play(
    struct mock_client *c, const cJSON *scenario, char *err, size_t errlen)
{
	struct mock_scenario_runner *r;
	char *body;
	cJSON *o = NULL;

	body = cJSON_PrintUnformatted(scenario);
	if (body == NULL)
		fatal("out of memory printing a scenario");
	if (c->server == NULL)
		o = remote_call(
		    c, "POST", "/control/scenario", body, NULL, err, errlen);
	else {
		r = mock_server_scenarios(c->server);
		if (mock_scenario_runner_post(r, body, err, errlen) == 0)
			o = mock_scenario_runner_json(r);
	}
	cJSON_free(body);
	return o;
}

cJSON *
mock_client_scenario_stop(struct mock_client *c, char *err, size_t errlen)
{
	if (c->server != NULL)
		return mock_scenario_runner_stop(
		    mock_server_scenarios(c->server), err, errlen);
	return remote_call(
	    c, "DELETE", "/control/scenario", NULL, NULL, err, errlen);
}

/* Append to BUF, which always holds a string. */
__attribute__((format(printf, 3, 4))) static void
append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	if (used < len)
		vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static double
number(const cJSON *b, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(b, name);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* "status 503" or "mix 503=30,200=70": the status part of a line. */
static void
describe_status(const cJSON *b, char *buf, size_t len)
{
	const cJSON *mix = cJSON_GetObjectItem(b, "mix"), *w;

	buf[0] = '\0';
	if (!cJSON_IsObject(mix) || mix->child == NULL) {
		append(buf, len, "status %.0f", number(b, "status"));
		return;
	}
	append(buf, len, "mix ");
	cJSON_ArrayForEach (w, mix) {
		append(buf, len, "%s%s=%g", w == mix->child ? "" : ",",
		    w->string, w->valuedouble);
	}
}

void
mock_client_describe(const cJSON *b, char *buf, size_t len)
{
	const char *fault, *body;

	fault = cJSON_GetStringValue(cJSON_GetObjectItem(b, "fault"));
	body = cJSON_GetStringValue(cJSON_GetObjectItem(b, "body"));
	describe_status(b, buf, len);
	append(buf, len, ", latency %.0f ms", number(b, "latency_ms"));
	if (number(b, "jitter_ms") > 0)
		append(buf, len, " (jitter %.0f)", number(b, "jitter_ms"));
	if (body != NULL)
		append(buf, len, ", body '%.40s%s'", body,
		    strlen(body) > 40 ? "..." : "");
	append(buf, len, ", fault %s, change %.0f",
	    fault != NULL ? fault : "none", number(b, "change"));
}
