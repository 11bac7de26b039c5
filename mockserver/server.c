#include "mockserver/server.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "mockserver/control.h"
#include "mockserver/page.h"
#include "mockserver/state.h"
#include "mockserver/timer.h"

/* A hung request gives up after this, so a forgotten hang cannot pile up. */
#define HANG_MAX_MS (10 * 60 * 1000)
/* slow_body: one byte of the body per step. */
#define SLOW_BODY_STEP_MS 100
/* truncate: Content-Length promises this many bytes more than are sent. */
#define TRUNCATE_MISSING 64
/* httpbin caps /delay at 10 s; so does luna. */
#define DELAY_MAX_S 10
/*
 * Memory each connection may use for its request and reply headers.
 * libmicrohttpd's 32 KiB default makes 2,000 held connections cost
 * 64 MB; mock requests are small, and control bodies are taken in
 * pieces, so 8 KiB is plenty.
 */
#define CONN_MEMORY (8 * 1024)
/* Idle keep-alive connections are closed after this. */
#define IDLE_TIMEOUT_S 60

/* What a TCP client reads when it expected HTTP and got noise. */
static const char garbage_bytes[] =
    "\x16\x03\x01 luna mock: garbage, not HTTP \xff\xfe\x00\x01\r\n\r\n";

enum route_kind {
	ROUTE_PAGE,
	ROUTE_HEALTH,
	ROUTE_MOCK,
	ROUTE_STATUS,
	ROUTE_DELAY,
	ROUTE_CONTROL,
	ROUTE_NOT_FOUND,
};

enum phase {
	PHASE_NEW,
	PHASE_DELAYED, /* suspended for latency or /delay */
	PHASE_HUNG,    /* suspended for the hang fault */
};

struct request {
	enum route_kind kind;
	enum phase phase;
	char name[MOCK_NAME_MAX + 1];
	const struct mock_behaviour *b;
	int status;
	char *body;
	size_t body_len;
	bool too_large;
};

/* A body sent by a content reader: slowly, or cut short. */
struct dribble {
	struct mock_server *s;
	struct MHD_Connection *conn;
	char *data;
	size_t len;
	bool paced;
	int64_t next_us;
};

struct mock_server {
	struct MHD_Daemon *daemon;
	struct mock_state *state;
	struct mock_control *control;
	struct mock_timer *timer;
	const char *mode;
	char url[320];
	atomic_bool stopping;
	atomic_ulong counts[MOCK_STATUS_SLOTS];
};

static void
count(struct mock_server *s, int status)
{
	if (status < 0 || status >= MOCK_STATUS_SLOTS)
		status = 0;
	atomic_fetch_add_explicit(&s->counts[status], 1, memory_order_relaxed);
}

static int
conn_fd(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	return ci != NULL ? ci->connect_fd : -1;
}

/* ---- replies ---- */

/* A reply with a copy of BODY; NULL when libmicrohttpd refuses. */
static struct MHD_Response *
new_reply(const char *ctype, const char *body, size_t len)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(
	    len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return NULL;
	if (ctype != NULL)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(
	    resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return resp;
}

/*
 * Queue RESP, keeping our reference. libmicrohttpd drops the connection
 * without a word when given a status it cannot send, so a status
 * outside 100-599 here is a bug upstream, never a client's doing.
 */
static enum MHD_Result
queue_reply(struct MHD_Connection *conn, int status, struct MHD_Response *resp)
{
	if (status < 100 || status > 599)
		fatal("mock reply with status %d", status);
	return MHD_queue_response(conn, (unsigned)status, resp);
}

/* Queue RESP (may be NULL: close) and drop our reference to it. */
static enum MHD_Result
send_reply(struct MHD_Connection *conn, int status, struct MHD_Response *resp)
{
	enum MHD_Result rc;

	if (resp == NULL)
		return MHD_NO;
	rc = queue_reply(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
reply_text(struct MHD_Connection *conn, int status, const char *ctype,
    const char *body)
{
	return send_reply(conn, status, new_reply(ctype, body, strlen(body)));
}

static enum MHD_Result
reply_error(struct MHD_Connection *conn, int status, const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	enum MHD_Result rc;
	char *text;

	cJSON_AddStringToObject(o, "error", msg);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	rc = reply_text(conn, status, "application/json", text);
	cJSON_free(text);
	return rc;
}

/* ---- the mock endpoints ---- */

static ssize_t
dribble_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct dribble *d = cls;
	size_t n;
	int64_t now;

	if (pos >= d->len)
		return d->paced ? MHD_CONTENT_READER_END_OF_STREAM
		                : MHD_CONTENT_READER_END_WITH_ERROR;
	if (!d->paced) {
		n = d->len - (size_t)pos < max ? d->len - (size_t)pos : max;
		memcpy(buf, d->data + pos, n);
		return (ssize_t)n;
	}
	now = clock_mono_us();
	if (now < d->next_us) {
		if (atomic_load(&d->s->stopping))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		MHD_suspend_connection(d->conn);
		if (mock_timer_resume_at(d->s->timer, d->conn, d->next_us) < 0)
			MHD_resume_connection(d->conn);
		return 0;
	}
	buf[0] = d->data[pos];
	d->next_us = now + SLOW_BODY_STEP_MS * 1000;
	return 1;
}

static void
dribble_free(void *cls)
{
	struct dribble *d = cls;

	free(d->data);
	free(d);
}

static struct MHD_Response *
dribble_response(struct mock_server *s, struct MHD_Connection *conn,
    const char *body, size_t len, bool paced)
{
	struct dribble *d = xcalloc(1, sizeof *d);
	struct MHD_Response *resp;

	d->s = s;
	d->conn = conn;
	d->data = xmalloc(len + 1);
	memcpy(d->data, body, len);
	d->len = len;
	d->paced = paced;
	resp = MHD_create_response_from_callback(
	    paced ? len : len + TRUNCATE_MISSING, 64, dribble_read, d,
	    dribble_free);
	if (resp == NULL)
		dribble_free(d);
	return resp;
}

/* The body R gets, in BUF when it is the default one. */
static const char *
mock_body(const struct request *r, char *buf, size_t len, bool *json)
{
	const struct mock_behaviour *b = r->b;

	*json = b->body == NULL;
	if (b->body != NULL)
		return b->body;
	snprintf(
	    buf, len, "{\"status\":%d,\"change\":%lu}\n", r->status, b->change);
	return buf;
}

static bool
has_header(const struct mock_behaviour *b, const char *name)
{
	int i;

	for (i = 0; i < b->nheaders; i++)
		if (strcasecmp(b->headers[i].name, name) == 0)
			return true;
	return false;
}

static struct MHD_Response *
mock_response(
    struct mock_server *s, struct MHD_Connection *conn, const struct request *r)
{
	const struct mock_behaviour *b = r->b;
	struct MHD_Response *resp = NULL;
	char buf[160], change[24];
	const char *body, *ctype;
	bool json;
	int i;

	body = mock_body(r, buf, sizeof buf, &json);
	ctype = json ? "application/json" : "text/plain; charset=utf-8";
	if (has_header(b, "Content-Type"))
		ctype = NULL;
	if (b->fault == MOCK_FAULT_SLOW_BODY || b->fault == MOCK_FAULT_TRUNCATE)
		resp = dribble_response(s, conn, body, strlen(body),
		    b->fault == MOCK_FAULT_SLOW_BODY);
	else
		resp = new_reply(NULL, body, strlen(body));
	if (resp == NULL)
		return NULL;
	if (ctype != NULL)
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	snprintf(change, sizeof change, "%lu", b->change);
	MHD_add_response_header(resp, "X-Luna-Change", change);
	snprintf(change, sizeof change, "%lld", (long long)b->change_wall_ms);
	MHD_add_response_header(resp, "X-Luna-Change-At", change);
	for (i = 0; i < b->nheaders; i++)
		MHD_add_response_header(
		    resp, b->headers[i].name, b->headers[i].value);
	return resp;
}

/* The faults that answer without HTTP: MHD_NO closes the connection. */
static enum MHD_Result
mock_fault_reply(struct MHD_Connection *conn, enum mock_fault fault)
{
	struct linger lg = {1, 0};
	int fd = conn_fd(conn);

	if (fault == MOCK_FAULT_RESET && fd >= 0)
		/* Close with linger 0: the kernel sends RST, not FIN. */
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	if (fault == MOCK_FAULT_GARBAGE && fd >= 0)
		(void)send(
		    fd, garbage_bytes, sizeof garbage_bytes - 1, MSG_NOSIGNAL);
	return MHD_NO;
}

static void
prepared_free(void *resp)
{
	MHD_destroy_response(resp);
}

/*
 * A fixed answer (one status, no fault) is the same bytes every time:
 * build it once per behaviour and share it, as libmicrohttpd allows.
 */
static struct MHD_Response *
mock_prepared(
    struct mock_server *s, struct MHD_Connection *conn, const struct request *r)
{
	struct mock_behaviour *b = (struct mock_behaviour *)(uintptr_t)r->b;
	struct MHD_Response *resp = atomic_load(&b->prepared);
	void *none = NULL;

	if (resp != NULL)
		return resp;
	resp = mock_response(s, conn, r);
	if (resp == NULL)
		return NULL;
	if (!atomic_compare_exchange_strong(&b->prepared, &none, resp)) {
		MHD_destroy_response(resp);
		return none;
	}
	/* Read only when the last reference goes, after this store. */
	b->prepared_free = prepared_free;
	return resp;
}

static enum MHD_Result
mock_answer(
    struct mock_server *s, struct MHD_Connection *conn, struct request *r)
{
	struct MHD_Response *resp;
	enum mock_fault fault =
	    r->kind == ROUTE_MOCK ? r->b->fault : MOCK_FAULT_NONE;

	if (fault == MOCK_FAULT_RESET || fault == MOCK_FAULT_CLOSE ||
	    fault == MOCK_FAULT_GARBAGE || fault == MOCK_FAULT_HANG) {
		count(s, 0);
		return mock_fault_reply(conn, fault);
	}
	if (r->kind == ROUTE_MOCK && fault == MOCK_FAULT_NONE &&
	    r->b->mix_len == 0) {
		resp = mock_prepared(s, conn, r);
		count(s, r->status);
		return resp != NULL ? queue_reply(conn, r->status, resp)
		                    : MHD_NO;
	}
	if (r->kind == ROUTE_MOCK)
		resp = mock_response(s, conn, r);
	else
		resp = new_reply("application/json", r->body, r->body_len);
	count(s, fault == MOCK_FAULT_TRUNCATE ? 0 : r->status);
	return send_reply(conn, r->status, resp);
}

/* Hold CONN for DELAY_MS (or, hung, until its client leaves). */
static enum MHD_Result
mock_wait(struct mock_server *s, struct MHD_Connection *conn, struct request *r,
    long delay_ms, bool hang)
{
	int rc;

	MHD_suspend_connection(conn);
	r->phase = hang ? PHASE_HUNG : PHASE_DELAYED;
	if (hang)
		rc =
		    mock_timer_hang(s->timer, conn, conn_fd(conn), HANG_MAX_MS);
	else
		rc = mock_timer_resume_at(
		    s->timer, conn, clock_mono_us() + (int64_t)delay_ms * 1000);
	if (rc < 0)
		MHD_resume_connection(conn);
	return MHD_YES;
}

static enum MHD_Result
on_mock(struct mock_server *s, struct MHD_Connection *conn, struct request *r)
{
	bool hang;
	long delay;

	if (r->phase == PHASE_HUNG) {
		count(s, 0);
		return MHD_NO;
	}
	if (r->phase == PHASE_DELAYED)
		return mock_answer(s, conn, r);
	r->b = mock_state_get(s->state, r->name[0] != '\0' ? r->name : NULL);
	r->status =
	    mock_behaviour_pick_status(r->b, mock_state_random(s->state));
	delay = mock_behaviour_pick_latency(r->b, mock_state_random(s->state));
	hang = r->b->fault == MOCK_FAULT_HANG;

	/* Stopping, nothing waits: a hang closes, a delay is skipped. */
	if ((hang || delay > 0) && !atomic_load(&s->stopping))
		return mock_wait(s, conn, r, delay, hang);
	return mock_answer(s, conn, r);
}

static enum MHD_Result
on_status(struct mock_server *s, struct MHD_Connection *conn, struct request *r,
    const char *codes)
{
	struct mock_behaviour mix;
	char err[160];

	memset(&mix, 0, sizeof mix);
	if (mock_mix_parse(codes, &mix, err, sizeof err) < 0)
		return reply_error(conn, 400, err);
	r->status =
	    mock_behaviour_pick_status(&mix, mock_state_random(s->state));
	r->body = xmalloc(48);
	r->body_len =
	    (size_t)snprintf(r->body, 48, "{\"status\":%d}\n", r->status);
	return mock_answer(s, conn, r);
}

static enum MHD_Result
on_delay(struct mock_server *s, struct MHD_Connection *conn, struct request *r,
    const char *arg)
{
	char err[160];
	double secs;

	if (r->phase == PHASE_DELAYED)
		return mock_answer(s, conn, r);
	if (mock_decimal_parse(arg, DELAY_MAX_S, &secs) < 0) {
		snprintf(err, sizeof err,
		    "bad delay '%.40s': expected seconds from 0 to %d, "
		    "such as 1.5",
		    arg, DELAY_MAX_S);
		return reply_error(conn, 400, err);
	}
	r->status = 200;
	r->body = xmalloc(48);
	r->body_len = (size_t)snprintf(r->body, 48, "{\"delay\":%g}\n", secs);
	if (atomic_load(&s->stopping))
		return mock_answer(s, conn, r);
	return mock_wait(s, conn, r, lround(secs * 1000), false);
}

/* ---- the control API and the page ---- */

static enum MHD_Result
on_control(struct mock_server *s, struct MHD_Connection *conn,
    struct request *r, const char *url, const char *method)
{
	struct mock_control_request req;
	struct mock_control_reply rep;
	struct MHD_Response *resp;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = url;
	req.body = r->body;
	req.body_too_large = r->too_large;
	req.authorization = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	req.source =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Luna-Source");
	req.origin = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN);
	req.host = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	req.content_type = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	mock_control_handle(s->control, &req, &rep);
	resp = new_reply("application/json", rep.body, strlen(rep.body));
	cJSON_free(rep.body);
	if (resp != NULL && rep.allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rep.allow);
	if (resp != NULL && rep.challenge)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Bearer realm=\"luna\"");
	return send_reply(conn, rep.status, resp);
}

static enum MHD_Result
on_page(struct MHD_Connection *conn, const char *method)
{
	static const char refusal[] = "{\"error\":\"method not allowed\"}";
	struct MHD_Response *resp;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		resp =
		    new_reply("application/json", refusal, sizeof refusal - 1);
		if (resp != NULL)
			MHD_add_response_header(
			    resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return send_reply(conn, 405, resp);
	}
	return reply_text(
	    conn, 200, "text/html; charset=utf-8", mock_page_html);
}

/* ---- routing ---- */

static struct request *
request_new(const char *url)
{
	struct request *r = xcalloc(1, sizeof *r);

	r->kind = ROUTE_NOT_FOUND;
	if (strcmp(url, "/") == 0)
		r->kind = ROUTE_PAGE;
	else if (strcmp(url, "/healthz") == 0)
		r->kind = ROUTE_HEALTH;
	else if (strcmp(url, "/mock") == 0 || strcmp(url, "/mock/") == 0)
		r->kind = ROUTE_MOCK;
	else if (strncmp(url, "/mock/", 6) == 0 && mock_name_valid(url + 6)) {
		r->kind = ROUTE_MOCK;
		strcpy(r->name, url + 6);
	} else if (strncmp(url, "/status/", 8) == 0)
		r->kind = ROUTE_STATUS;
	else if (strncmp(url, "/delay/", 7) == 0)
		r->kind = ROUTE_DELAY;
	else if (mock_control_owns(url))
		r->kind = ROUTE_CONTROL;
	return r;
}

/* Keep a control body up to the limit; the rest is read and dropped. */
static void
request_take(struct request *r, const char *data, size_t len)
{
	if (r->kind != ROUTE_CONTROL || r->too_large)
		return;
	if (r->body_len + len > MOCK_CONTROL_BODY_MAX) {
		r->too_large = true;
		return;
	}
	r->body = xrealloc(r->body, r->body_len + len + 1);
	memcpy(r->body + r->body_len, data, len);
	r->body_len += len;
	r->body[r->body_len] = '\0';
}

static enum MHD_Result
dispatch(struct mock_server *s, struct MHD_Connection *conn, struct request *r,
    const char *url, const char *method)
{
	switch (r->kind) {
	case ROUTE_PAGE:
		return on_page(conn, method);
	case ROUTE_HEALTH:
		return reply_text(conn, 200, "text/plain", "ok\n");
	case ROUTE_MOCK:
		return on_mock(s, conn, r);
	case ROUTE_STATUS:
		return on_status(s, conn, r, url + 8);
	case ROUTE_DELAY:
		return on_delay(s, conn, r, url + 7);
	case ROUTE_CONTROL:
		return on_control(s, conn, r, url, method);
	default:
		return reply_error(conn, 404,
		    "not found: try /mock, "
		    "/control or /");
	}
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct mock_server *s = cls;
	struct request *r = *con_cls;

	/*
	 * Queue nothing on the first call: libmicrohttpd 0.9.75 then
	 * answers "Connection: close", and keep-alive is lost.
	 */
	if (r == NULL) {
		*con_cls = request_new(url);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		request_take(r, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return dispatch(s, conn, r, url, method);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request *r = *con_cls;

	if (r == NULL)
		return;
	mock_behaviour_release(r->b);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

__attribute__((format(printf, 2, 0))) static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	enum log_level level = LOG_WARN;
	char msg[512];
	size_t n;
	cJSON *fields;

	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';

	/* The faults close connections on purpose; that is no warning. */
	if (strstr(msg, "pplication reported") != NULL)
		level = LOG_DEBUG;
	if (!log_enabled(level))
		return;
	fields = cJSON_CreateObject();
	cJSON_AddStringToObject(fields, "msg", msg);
	cJSON_AddStringToObject(fields, "source", "microhttpd");
	log_event(level, "log", fields);
}

/* ---- start and stop ---- */

/* Thousands of held connections need thousands of descriptors. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
format_url(struct mock_server *s, const struct listen_addr *addr, int port)
{
	struct listen_addr a = *addr;
	char auth[300];

	/* A wildcard address is reached, from here, through loopback. */
	if (a.host[0] == '\0' || strcmp(a.host, "0.0.0.0") == 0)
		strcpy(a.host, "127.0.0.1");
	else if (strcmp(a.host, "::") == 0)
		strcpy(a.host, "::1");
	listen_format(&a, port, auth, sizeof auth);
	snprintf(s->url, sizeof s->url, "http://%s", auth);
}

static struct MHD_Daemon *
start_daemon(struct mock_server *s, int fd)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int threads = cpus > 1 ? (unsigned int)cpus : 1;

	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;

	/*
	 * Turbo also skips the shutdown() before close(): without it the
	 * reset fault would send FIN first, and clients would read an
	 * empty reply instead of a reset.
	 */
	flags |= MHD_USE_TURBO;

	/* clang-format off */
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)60000,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_TIMEOUT_S,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_END);
	/* clang-format on */
}

static const char *
control_mode(const struct mock_server_config *c)
{
	if (c->token != NULL && c->token[0] != '\0')
		return "token";
	return listen_is_loopback(&c->listen) ? "open" : "refused";
}

struct mock_server *
mock_server_start(const struct mock_server_config *c, char *err, size_t errlen)
{
	struct mock_server *s = xcalloc(1, sizeof *s);
	int fd, port;

	raise_fd_limit();
	fd = listen_open(&c->listen, c->fallback_port, &port, err, errlen);
	if (fd < 0) {
		free(s);
		return NULL;
	}
	format_url(s, &c->listen, port);
	s->mode = control_mode(c);
	s->state = mock_state_create(
	    c->seed != 0
	        ? c->seed
	        : (uint64_t)clock_wall_ms() ^ (uint64_t)getpid() << 32);
	s->control = mock_control_create(
	    s->state, c->token, strcmp(s->mode, "refused") == 0);
	s->timer = mock_timer_start();
	s->daemon = s->timer != NULL ? start_daemon(s, fd) : NULL;
	if (s->daemon == NULL) {
		snprintf(err, errlen, "cannot start the mock on '%s': %s",
		    s->url + 7,
		    s->timer == NULL ? "no timer thread"
		                     : "the HTTP server did not start");
		close(fd);
		mock_timer_stop(s->timer);
		mock_control_destroy(s->control);
		mock_state_destroy(s->state);
		free(s);
		return NULL;
	}
	return s;
}

void
mock_server_stop(struct mock_server *s)
{
	MHD_socket fd;

	if (s == NULL)
		return;

	/* No new connections; held ones resumed and answered at once. */
	atomic_store(&s->stopping, true);
	fd = MHD_quiesce_daemon(s->daemon);
	mock_timer_stop(s->timer);
	MHD_stop_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	mock_control_destroy(s->control);
	mock_state_destroy(s->state);
	free(s);
}

const char *
mock_server_url(const struct mock_server *s)
{
	return s->url;
}

struct mock_state *
mock_server_state(struct mock_server *s)
{
	return s->state;
}

struct mock_scenario_runner *
mock_server_scenarios(struct mock_server *s)
{
	return mock_control_scenarios(s->control);
}

const char *
mock_server_control_mode(const struct mock_server *s)
{
	return s->mode;
}

void
mock_server_counts(
    const struct mock_server *s, unsigned long counts[MOCK_STATUS_SLOTS])
{
	int i;

	for (i = 0; i < MOCK_STATUS_SLOTS; i++)
		counts[i] =
		    atomic_load_explicit(&s->counts[i], memory_order_relaxed);
}

unsigned long
mock_server_waiting(const struct mock_server *s)
{
	return mock_timer_waiting(s->timer);
}
