#include <check.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "mockserver/client.h"
#include "mockserver/control.h"
#include "mockserver/server.h"
#include "mockserver/state.h"

static char err[256];

/* Apply the JSON text CHANGE; the change id or -1 (reason in err). */
static long
apply(struct mock_state *st, const char *change)
{
	cJSON *c = cJSON_Parse(change);
	long id;

	ck_assert_ptr_nonnull(c);
	id = mock_state_apply(st, c, "api", err, sizeof err);
	cJSON_Delete(c);
	return id;
}

static int
status_of(struct mock_state *st, const char *name)
{
	const struct mock_behaviour *b = mock_state_get(st, name);
	int status = b->status;

	mock_behaviour_release(b);
	return status;
}

START_TEST(state_starts_healthy_as_change_1)
{
	struct mock_state *st = mock_state_create(1);
	const struct mock_behaviour *b = mock_state_get(st, NULL);

	ck_assert_int_eq(b->status, 200);
	ck_assert_int_eq(b->mix_len, 0);
	ck_assert_int_eq(b->latency_ms, 0);
	ck_assert_int_eq(b->fault, MOCK_FAULT_NONE);
	ck_assert_uint_eq(b->change, 1);
	mock_behaviour_release(b);
	mock_state_destroy(st);
}
END_TEST

START_TEST(each_change_gets_the_next_id)
{
	struct mock_state *st = mock_state_create(1);

	ck_assert_int_eq(apply(st, "{\"status\": 503}"), 2);
	ck_assert_int_eq(status_of(st, NULL), 503);
	ck_assert_int_eq(
	    apply(st, "{\"latency_ms\": 1500, \"jitter_ms\": 20}"), 3);
	ck_assert_int_eq(status_of(st, NULL), 503);
	ck_assert_int_eq(mock_state_reset(st, "key"), 4);
	ck_assert_int_eq(status_of(st, NULL), 200);
	mock_state_destroy(st);
}
END_TEST

/* Each bad change is refused with 400's reason naming the field. */
START_TEST(bad_changes_are_refused_naming_the_field)
{
	static const char *const bad[][2] = {
	    {"{\"status\": 700}", "status"},
	    {"{\"status\": 99}", "status"},
	    {"{\"status\": \"503\"}", "status"},
	    {"{\"status\": 200.5}", "status"},
	    {"{\"latency_ms\": -5}", "latency_ms"},
	    {"{\"jitter_ms\": -1}", "jitter_ms"},
	    {"{\"latency_ms\": 300001}", "latency_ms"},
	    {"{\"fault\": \"boom\"}", "fault"},
	    {"{\"fault\": 3}", "fault"},
	    {"{\"mix\": {\"503\": \"x\"}}", "mix weight"},
	    {"{\"mix\": {\"503\": -1}}", "mix weight"},
	    {"{\"mix\": {\"503\": 1e308, \"200\": 1e308}}", "mix weight"},
	    {"{\"mix\": {\"abc\": 1}}", "mix code"},
	    {"{\"mix\": {\"503\": 0}}", "mix"},
	    {"{\"mix\": [503]}", "mix"},
	    {"{\"body\": 5}", "body"},
	    {"{\"headers\": {\"X-A\": 5}}", "headers"},
	    {"{\"headers\": {\"Content-Length\": \"5\"}}", "headers"},
	    {"{\"headers\": {\"X A\": \"v\"}}", "headers"},
	    {"{\"headers\": {\"X-A\": \"a\\r\\nB: c\"}}", "headers"},
	    {"{\"endpoint\": \"a/b\", \"status\": 500}", "endpoint"},
	    {"{\"endpoint\": \"\", \"status\": 500}", "bad endpoint ''"},
	    {"{\"endpoint\": 5, \"status\": 500}", "endpoint"},
	    {"{\"colour\": \"red\"}", "colour"},
	    {"{}", "empty"},
	    {"[1]", "object"},
	};
	struct mock_state *st = mock_state_create(1);
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(apply(st, bad[i][0]) == -1, "%s", bad[i][0]);
		ck_assert_msg(
		    strstr(err, bad[i][1]) != NULL, "%s: %s", bad[i][0], err);
	}
	ck_assert_int_eq(status_of(st, NULL), 200);
	mock_state_destroy(st);
}
END_TEST

START_TEST(a_refused_change_changes_nothing)
{
	struct mock_state *st = mock_state_create(1);
	const struct mock_behaviour *b;

	ck_assert_int_eq(
	    apply(st, "{\"status\": 503, \"latency_ms\": -1}"), -1);
	b = mock_state_get(st, NULL);
	ck_assert_int_eq(b->status, 200);
	ck_assert_uint_eq(b->change, 1);
	mock_behaviour_release(b);
	mock_state_destroy(st);
}
END_TEST

START_TEST(status_replaces_a_mix)
{
	struct mock_state *st = mock_state_create(1);
	const struct mock_behaviour *b;

	apply(st, "{\"mix\": {\"503\": 30, \"200\": 70}}");
	apply(st, "{\"status\": 404}");
	b = mock_state_get(st, NULL);
	ck_assert_int_eq(b->mix_len, 0);
	ck_assert_int_eq(mock_behaviour_pick_status(b, 12345), 404);
	mock_behaviour_release(b);
	mock_state_destroy(st);
}
END_TEST

START_TEST(named_endpoint_follows_default_until_changed)
{
	struct mock_state *st = mock_state_create(1);

	apply(st, "{\"status\": 500}");
	ck_assert_int_eq(status_of(st, "api"), 500);
	ck_assert_int_eq(
	    apply(st, "{\"endpoint\": \"api\", \"status\": 503}"), 3);
	ck_assert_int_eq(status_of(st, "api"), 503);
	ck_assert_int_eq(status_of(st, NULL), 500);
	ck_assert_int_eq(status_of(st, "web"), 500);
	mock_state_reset(st, "api");
	ck_assert_int_eq(status_of(st, "api"), 200);
	mock_state_destroy(st);
}
END_TEST

START_TEST(mix_serves_codes_by_weight)
{
	struct mock_state *st = mock_state_create(42);
	const struct mock_behaviour *b;
	int i, n503 = 0, n200 = 0, code;

	apply(st, "{\"mix\": {\"503\": 30, \"200\": 70}}");
	b = mock_state_get(st, NULL);
	for (i = 0; i < 10000; i++) {
		code = mock_behaviour_pick_status(b, mock_state_random(st));
		n503 += code == 503;
		n200 += code == 200;
	}
	ck_assert_int_eq(n503 + n200, 10000);
	ck_assert_msg(n503 > 2700 && n503 < 3300, "503 x %d", n503);
	mock_behaviour_release(b);
	mock_state_destroy(st);
}
END_TEST

START_TEST(same_seed_gives_same_sequence)
{
	struct mock_state *a = mock_state_create(7), *b = mock_state_create(7);
	int i;

	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(mock_state_random(a), mock_state_random(b));
	mock_state_random(a);
	mock_state_seed(a, 9);
	mock_state_seed(b, 9);
	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(mock_state_random(a), mock_state_random(b));
	mock_state_seed(b, 10);
	ck_assert_uint_ne(mock_state_random(a), mock_state_random(b));
	mock_state_destroy(a);
	mock_state_destroy(b);
}
END_TEST

START_TEST(jitter_stays_within_its_bounds)
{
	struct mock_state *st = mock_state_create(3);
	const struct mock_behaviour *b;
	long v, lo = 100000, hi = 0;
	int i;

	apply(st, "{\"latency_ms\": 1000, \"jitter_ms\": 200}");
	b = mock_state_get(st, NULL);
	for (i = 0; i < 5000; i++) {
		v = mock_behaviour_pick_latency(b, mock_state_random(st));
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	ck_assert_int_ge(lo, 800);
	ck_assert_int_le(hi, 1200);
	ck_assert_int_lt(lo, 850);
	ck_assert_int_gt(hi, 1150);
	mock_behaviour_release(b);
	mock_state_destroy(st);
}
END_TEST

START_TEST(mix_parses_httpbin_style_lists)
{
	struct mock_behaviour b;

	memset(&b, 0, sizeof b);
	ck_assert_int_eq(
	    mock_mix_parse("503:30,200:70", &b, err, sizeof err), 0);
	ck_assert_int_eq(b.mix_len, 2);
	ck_assert_int_eq(b.mix_codes[1], 200);
	ck_assert(b.mix_weights[0] == 30);
	ck_assert_int_eq(mock_mix_parse("200,500", &b, err, sizeof err), 0);
	ck_assert(b.mix_weights[1] == 1);
	ck_assert_int_eq(mock_mix_parse("503=x", &b, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'x'"));
	ck_assert_int_eq(mock_mix_parse("99", &b, err, sizeof err), -1);
}
END_TEST

START_TEST(mix_without_a_code_or_with_an_endless_total_is_refused)
{
	struct mock_state *st = mock_state_create(1);
	struct mock_behaviour b;

	memset(&b, 0, sizeof b);
	ck_assert_int_eq(mock_mix_parse(",", &b, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "','"));
	ck_assert_int_eq(mock_mix_parse(",,", &b, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad status codes ',,'"));
	ck_assert_int_eq(b.mix_len, 0);
	ck_assert_int_eq(mock_mix_parse("2xx", &b, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad status code '2xx'"));
	ck_assert_int_eq(
	    apply(st, "{\"mix\": {\"503\": 1e308, \"200\": 1e308}}"), -1);
	ck_assert_ptr_nonnull(strstr(err, "mix"));
	mock_state_destroy(st);
}
END_TEST

START_TEST(decimals_are_plain_digits_within_their_range)
{
	double v = -1;

	ck_assert_int_eq(mock_decimal_parse("1.5", 10, &v), 0);
	ck_assert(v == 1.5);
	ck_assert_int_eq(mock_decimal_parse("10", 10, &v), 0);
	ck_assert_int_eq(mock_decimal_parse(".5", 10, &v), 0);
	ck_assert(v == 0.5);
	ck_assert_int_eq(mock_decimal_parse("10.01", 10, &v), -1);
	ck_assert_int_eq(mock_decimal_parse("1e9", 10, &v), -1);
	ck_assert_int_eq(mock_decimal_parse("0x2", 10, &v), -1);
	ck_assert_int_eq(mock_decimal_parse("-1", 10, &v), -1);
	ck_assert_int_eq(mock_decimal_parse("+1", 10, &v), -1);
	ck_assert_int_eq(mock_decimal_parse(" 1", 10, &v), -1);
	ck_assert_int_eq(mock_decimal_parse("1.2.3", 10, &v), -1);
	ck_assert_int_eq(mock_decimal_parse(".", 10, &v), -1);
	ck_assert_int_eq(mock_decimal_parse("", 10, &v), -1);
	ck_assert_int_eq(mock_decimal_parse("nan", 10, &v), -1);
}
END_TEST

START_TEST(history_keeps_the_last_changes_in_order)
{
	struct mock_state *st = mock_state_create(1);
	cJSON *h, *list, *last;
	int i;

	for (i = 0; i < MOCK_HISTORY_MAX + 10; i++)
		apply(st, "{\"status\": 201}");
	h = mock_state_history_json(st);
	list = cJSON_GetObjectItem(h, "changes");
	ck_assert_int_eq(cJSON_GetArraySize(list), MOCK_HISTORY_MAX);
	last = cJSON_GetArrayItem(list, MOCK_HISTORY_MAX - 1);
	ck_assert_int_eq(cJSON_GetObjectItem(last, "change")->valueint,
	    MOCK_HISTORY_MAX + 11);
	ck_assert_str_eq(
	    cJSON_GetObjectItem(last, "source")->valuestring, "api");
	ck_assert_int_eq(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "change")
	        ->valueint,
	    12);
	cJSON_Delete(h);
	mock_state_destroy(st);
}
END_TEST

struct race {
	struct mock_state *st;
	int stop;
	int mixed;
};

static void *
race_writer(void *arg)
{
	struct race *r = arg;
	char e[256];
	cJSON *down = cJSON_Parse("{\"status\": 503, \"latency_ms\": 900}");
	cJSON *up = cJSON_Parse("{\"status\": 200, \"latency_ms\": 0}");
	int i;

	for (i = 0; i < 2000; i++)
		mock_state_apply(
		    r->st, i % 2 ? up : down, "scenario", e, sizeof e);
	cJSON_Delete(down);
	cJSON_Delete(up);
	return NULL;
}

static void *
race_reader(void *arg)
{
	struct race *r = arg;
	const struct mock_behaviour *b;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		b = mock_state_get(r->st, NULL);
		if ((b->status == 503) != (b->latency_ms == 900) &&
		    b->change > 1)
			__atomic_add_fetch(&r->mixed, 1, __ATOMIC_RELAXED);
		mock_behaviour_release(b);
	}
	return NULL;
}

START_TEST(concurrent_changes_never_leave_a_mixed_state)
{
	struct race r = {mock_state_create(1), 0, 0};
	pthread_t w1, w2, rd;

	pthread_create(&rd, NULL, race_reader, &r);
	pthread_create(&w1, NULL, race_writer, &r);
	pthread_create(&w2, NULL, race_writer, &r);
	pthread_join(w1, NULL);
	pthread_join(w2, NULL);
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(rd, NULL);
	ck_assert_int_eq(r.mixed, 0);
	ck_assert_int_eq(mock_state_reset(r.st, "api"), 4002);
	mock_state_destroy(r.st);
}
END_TEST

/* ---- the control API, without HTTP ---- */

static int
control(struct mock_control *c, const char *method, const char *path,
    const char *body, const char *auth, struct mock_control_reply *rep)
{
	struct mock_control_request req = {method, path, body, false, auth,
	    NULL, NULL, "127.0.0.1:8080", "application/json"};

	mock_control_handle(c, &req, rep);
	return rep->status;
}

/* The status of a request with ORIGIN and CONTENT_TYPE, from a browser. */
static int
browser(struct mock_control *c, const char *method, const char *path,
    const char *body, const char *origin, const char *content_type)
{
	struct mock_control_request req = {method, path, body, false, NULL,
	    NULL, origin, "127.0.0.1:8080", content_type};
	struct mock_control_reply rep;

	mock_control_handle(c, &req, &rep);
	ck_assert_ptr_nonnull(
	    strstr(rep.body, rep.status >= 400 ? "error" : "status"));
	cJSON_free(rep.body);
	return rep.status;
}

static void
expect(struct mock_control *c, const char *method, const char *path,
    const char *body, const char *auth, int status, const char *has)
{
	struct mock_control_reply rep;

	ck_assert_int_eq(control(c, method, path, body, auth, &rep), status);
	ck_assert_msg(
	    strstr(rep.body, has) != NULL, "%s %s: %s", method, path, rep.body);
	cJSON_free(rep.body);
}

START_TEST(control_answers_405_with_allow)
{
	struct mock_state *st = mock_state_create(1);
	struct mock_control *c = mock_control_create(st, NULL, false);
	struct mock_control_reply rep;

	ck_assert_int_eq(
	    control(c, "DELETE", "/control", NULL, NULL, &rep), 405);
	ck_assert_str_eq(rep.allow, "GET, PUT");
	cJSON_free(rep.body);
	ck_assert_int_eq(
	    control(c, "GET", "/control/reset", NULL, NULL, &rep), 405);
	ck_assert_str_eq(rep.allow, "POST");
	cJSON_free(rep.body);
	expect(c, "GET", "/control/nope", NULL, NULL, 404, "error");
	expect(c, "", "/control", NULL, NULL, 405, "not allowed");
	mock_control_destroy(c);
	mock_state_destroy(st);
}
END_TEST

START_TEST(control_validates_json_with_400)
{
	struct mock_state *st = mock_state_create(1);
	struct mock_control *c = mock_control_create(st, NULL, false);

	expect(c, "PUT", "/control", "{\"status\": 503", NULL, 400, "bad JSON");
	expect(c, "PUT", "/control", NULL, NULL, 400, "bad JSON");
	expect(c, "PUT", "/control", "{\"status\": 1000}", NULL, 400, "status");
	expect(c, "PUT", "/control", "{\"status\": 503}", NULL, 200,
	    "\"applied\":2");
	expect(c, "GET", "/control", NULL, NULL, 200, "\"status\":503");
	expect(c, "POST", "/control/reset", NULL, NULL, 200, "\"status\":200");
	expect(c, "GET", "/control/history", NULL, NULL, 200, "\"changes\"");
	mock_control_destroy(c);
	mock_state_destroy(st);
}
END_TEST

START_TEST(control_with_token_needs_bearer)
{
	struct mock_state *st = mock_state_create(1);
	struct mock_control *c = mock_control_create(st, "s3cret", true);
	struct mock_control_reply rep;

	ck_assert_int_eq(control(c, "GET", "/control", NULL, NULL, &rep), 401);
	ck_assert(rep.challenge);
	cJSON_free(rep.body);
	expect(c, "PUT", "/control", "{\"status\": 500}", "Bearer s3cre", 401,
	    "token");
	expect(
	    c, "PUT", "/control", "{\"status\": 500}", "s3cret", 401, "token");
	expect(c, "PUT", "/control", "{\"status\": 500}", "Bearer s3cret", 200,
	    "\"status\":500");
	mock_control_destroy(c);
	mock_state_destroy(st);
}
END_TEST

START_TEST(control_read_only_refuses_changes_with_403)
{
	struct mock_state *st = mock_state_create(1);
	struct mock_control *c = mock_control_create(st, NULL, true);

	expect(c, "PUT", "/control", "{\"status\": 500}", NULL, 403,
	    "LUNA_CONTROL_TOKEN");
	expect(c, "POST", "/control/reset", NULL, NULL, 403, "refused");
	expect(c, "GET", "/control", NULL, NULL, 200, "\"status\":200");
	mock_control_destroy(c);
	mock_state_destroy(st);
}
END_TEST

START_TEST(control_refuses_large_bodies_with_413)
{
	struct mock_state *st = mock_state_create(1);
	struct mock_control *c = mock_control_create(st, NULL, false);
	struct mock_control_request req = {
	    "PUT", "/control", NULL, true, NULL, NULL, NULL, NULL, NULL};
	struct mock_control_reply rep;

	mock_control_handle(c, &req, &rep);
	ck_assert_int_eq(rep.status, 413);
	cJSON_free(rep.body);
	mock_control_destroy(c);
	mock_state_destroy(st);
}
END_TEST

START_TEST(control_refuses_changes_from_other_origins_and_types)
{
	struct mock_state *st = mock_state_create(1);
	struct mock_control *c = mock_control_create(st, NULL, false);
	const char *json = "application/json", *change = "{\"status\": 503}";

	/* Another site's page: no change, whatever it sends. */
	ck_assert_int_eq(browser(c, "POST", "/control/reset", NULL,
	                     "http://evil.example", "text/plain"),
	    403);
	ck_assert_int_eq(
	    browser(c, "PUT", "/control", change, "http://evil.example", json),
	    403);
	ck_assert_int_eq(
	    browser(c, "PUT", "/control", change, "null", json), 403);
	ck_assert_int_eq(browser(c, "PUT", "/control", change,
	                     "http://127.0.0.1:8081", json),
	    403);
	ck_assert_int_eq(status_of(st, NULL), 200);

	/* Reading is no change; a body that is not JSON gets 415. */
	ck_assert_int_eq(
	    browser(c, "GET", "/control", NULL, "http://evil.example", NULL),
	    200);
	ck_assert_int_eq(
	    browser(c, "PUT", "/control", change, NULL, "text/plain"), 415);
	ck_assert_int_eq(
	    browser(c, "PUT", "/control", change, NULL, NULL), 415);
	ck_assert_int_eq(status_of(st, NULL), 200);

	/* This mock's own page, and clients that send no Origin. */
	ck_assert_int_eq(browser(c, "PUT", "/control", change,
	                     "http://127.0.0.1:8080", json),
	    200);
	ck_assert_int_eq(browser(c, "PUT", "/control", change, NULL,
	                     "Application/JSON; charset=utf-8"),
	    200);
	ck_assert_int_eq(
	    browser(c, "POST", "/control/reset", NULL, NULL, NULL), 200);
	ck_assert_int_eq(
	    browser(c, "PUT", "/control", change, NULL, "application/jsonx"),
	    415);
	mock_control_destroy(c);
	mock_state_destroy(st);
}
END_TEST

/* The status of a same-origin change sent to HOST, with AUTH. */
static int
rebound(struct mock_control *c, const char *host, const char *auth)
{
	char origin[300];
	struct mock_control_request req = {"PUT", "/control",
	    "{\"status\": 503}", false, auth, NULL, origin, host,
	    "application/json"};
	struct mock_control_reply rep;

	snprintf(origin, sizeof origin, "http://%s", host);
	mock_control_handle(c, &req, &rep);
	cJSON_free(rep.body);
	return rep.status;
}

START_TEST(open_control_takes_changes_through_loopback_names_only)
{
	struct mock_state *st = mock_state_create(1);
	struct mock_control *open = mock_control_create(st, NULL, false);
	struct mock_control *token = mock_control_create(st, "s3cret", false);

	ck_assert_int_eq(rebound(open, "rebound.example:8080", NULL), 403);
	ck_assert_int_eq(rebound(open, "127.example.net", NULL), 403);
	ck_assert_int_eq(status_of(st, NULL), 200);
	ck_assert_int_eq(rebound(open, "127.0.0.1:8080", NULL), 200);
	ck_assert_int_eq(rebound(open, "localhost", NULL), 200);
	ck_assert_int_eq(rebound(open, "[::1]:8080", NULL), 200);
	ck_assert_int_eq(rebound(token, "mock.example:8080", NULL), 401);
	ck_assert_int_eq(
	    rebound(token, "mock.example:8080", "Bearer s3cret"), 200);
	mock_control_destroy(open);
	mock_control_destroy(token);
	mock_state_destroy(st);
}
END_TEST

START_TEST(token_compare_needs_every_byte)
{
	ck_assert(mock_control_token_equal("abc", "abc"));
	ck_assert(!mock_control_token_equal("abc", "abd"));
	ck_assert(!mock_control_token_equal("abc", "ab"));
	ck_assert(!mock_control_token_equal("ab", "abc"));
	ck_assert(!mock_control_token_equal("", "a"));
}
END_TEST

/* ---- the client, both backends, against a real server ---- */

static struct mock_server *
start_server(void)
{
	struct mock_server_config cfg;
	struct mock_server *s;

	memset(&cfg, 0, sizeof cfg);
	ck_assert_int_eq(
	    listen_parse("127.0.0.1:0", &cfg.listen, err, sizeof err), 0);
	s = mock_server_start(&cfg, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	return s;
}

static void
client_round_trip(struct mock_client *c, const char *source)
{
	cJSON *change = cJSON_Parse("{\"status\": 502, \"fault\": \"none\"}");
	cJSON *st, *h;
	char line[256];

	ck_assert_int_eq(
	    mock_client_update(c, change, source, err, sizeof err), 0);
	st = mock_client_get(c, 0, err, sizeof err);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(cJSON_GetObjectItem(st, "status")->valueint, 502);
	mock_client_describe(st, line, sizeof line);
	ck_assert_ptr_nonnull(strstr(line, "status 502"));
	cJSON_Delete(st);
	h = mock_client_get(c, 1, err, sizeof err);
	st = cJSON_GetArrayItem(cJSON_GetObjectItem(h, "changes"),
	    -1 + cJSON_GetArraySize(cJSON_GetObjectItem(h, "changes")));
	ck_assert_str_eq(
	    cJSON_GetObjectItem(st, "source")->valuestring, source);
	cJSON_Delete(h);
	cJSON_GetObjectItem(change, "status")->valuedouble = 700;
	cJSON_GetObjectItem(change, "status")->valueint = 700;
	ck_assert_int_eq(
	    mock_client_update(c, change, source, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "status"));
	ck_assert_int_eq(mock_client_reset(c, source, err, sizeof err), 0);
	cJSON_Delete(change);
}

START_TEST(local_and_remote_clients_drive_the_same_mock)
{
	struct mock_server *s = start_server();
	struct mock_client *local = mock_client_local(s);
	struct mock_client *remote =
	    mock_client_remote(mock_server_url(s), NULL);

	ck_assert_str_eq(mock_client_url(local), mock_server_url(s));
	client_round_trip(local, "key");
	client_round_trip(remote, "page");
	mock_client_destroy(local);
	mock_client_destroy(remote);
	mock_server_stop(s);
}
END_TEST

static long
fetch_status(const char *url)
{
	CURL *e = curl_easy_init();
	long status = 0;

	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
	if (curl_easy_perform(e) == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(e);
	return status;
}

START_TEST(server_counts_replies_by_status_and_faults_apart)
{
	unsigned long counts[MOCK_STATUS_SLOTS];
	struct mock_server *s = start_server();
	char url[400];
	int i;

	snprintf(url, sizeof url, "%s/mock", mock_server_url(s));
	ck_assert_int_eq(apply(mock_server_state(s), "{\"status\": 503}"), 2);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(fetch_status(url), 503);
	apply(mock_server_state(s), "{\"fault\": \"close\"}");
	ck_assert_int_eq(fetch_status(url), 0);
	snprintf(url, sizeof url, "%s/healthz", mock_server_url(s));
	ck_assert_int_eq(fetch_status(url), 200);
	mock_server_counts(s, counts);
	ck_assert_uint_eq(counts[503], 3);
	ck_assert_uint_eq(counts[0], 1);
	ck_assert_uint_eq(counts[200], 0);
	ck_assert_str_eq(mock_server_control_mode(s), "open");
	ck_assert_uint_eq(mock_server_waiting(s), 0);
	mock_server_stop(s);
}
END_TEST

/* A loopback port nothing listens on: one the kernel just gave back. */
static int
closed_port(void)
{
	struct listen_addr a;
	int fd, port;

	ck_assert_int_eq(listen_parse("127.0.0.1:0", &a, err, sizeof err), 0);
	fd = listen_open(&a, false, &port, err, sizeof err);
	ck_assert_int_ge(fd, 0);
	close(fd);
	return port;
}

START_TEST(remote_client_reports_an_unreachable_mock)
{
	struct mock_client *c;
	char url[64];

	snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
	c = mock_client_remote(url, NULL);

	ck_assert_ptr_null(mock_client_get(c, 0, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "cannot reach"));
	mock_client_destroy(c);
}
END_TEST

static Suite *
mockserver_suite(void)
{
	Suite *s = suite_create("mockserver");
	TCase *state = tcase_create("state");
	TCase *ctl = tcase_create("control");
	TCase *client = tcase_create("client");

	tcase_add_test(state, state_starts_healthy_as_change_1);
	tcase_add_test(state, each_change_gets_the_next_id);
	tcase_add_test(state, bad_changes_are_refused_naming_the_field);
	tcase_add_test(state, a_refused_change_changes_nothing);
	tcase_add_test(state, status_replaces_a_mix);
	tcase_add_test(state, named_endpoint_follows_default_until_changed);
	tcase_add_test(state, mix_serves_codes_by_weight);
	tcase_add_test(state, same_seed_gives_same_sequence);
	tcase_add_test(state, jitter_stays_within_its_bounds);
	tcase_add_test(state, mix_parses_httpbin_style_lists);
	tcase_add_test(
	    state, mix_without_a_code_or_with_an_endless_total_is_refused);
	tcase_add_test(state, decimals_are_plain_digits_within_their_range);
	tcase_add_test(state, history_keeps_the_last_changes_in_order);
	tcase_add_test(state, concurrent_changes_never_leave_a_mixed_state);
	tcase_add_test(ctl, control_answers_405_with_allow);
	tcase_add_test(ctl, control_validates_json_with_400);
	tcase_add_test(ctl, control_with_token_needs_bearer);
	tcase_add_test(ctl, control_read_only_refuses_changes_with_403);
	tcase_add_test(ctl, control_refuses_large_bodies_with_413);
	tcase_add_test(
	    ctl, control_refuses_changes_from_other_origins_and_types);
	tcase_add_test(
	    ctl, open_control_takes_changes_through_loopback_names_only);
	tcase_add_test(ctl, token_compare_needs_every_byte);
	tcase_add_test(client, local_and_remote_clients_drive_the_same_mock);
	tcase_add_test(client, remote_client_reports_an_unreachable_mock);
	tcase_add_test(
	    client, server_counts_replies_by_status_and_faults_apart);
	suite_add_tcase(s, state);
	suite_add_tcase(s, ctl);
	suite_add_tcase(s, client);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mockserver_suite());
	int failed;

	/* Change lines would drown the test report. */
	log_setup(-1, LOG_FORMAT_JSON, LOG_ERROR);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
