#include "app/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xalloc.h"

struct status_server {
	struct status_config c;
	struct MHD_Daemon *daemon;
	int port;
};

int
status_healthy(int64_t heartbeat_ms, int64_t now_ms, int64_t stall_after_ms)
{
	return now_ms - heartbeat_ms <= stall_after_ms;
}

/* Queue BODY (taken over, freed by libmicrohttpd) with STATUS and TYPE. */
static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned int status, char *body,
    const char *type)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(
	    strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Reply with the JSON of DOC (which is freed). */
static enum MHD_Result
reply_json(struct MHD_Connection *conn, unsigned int status, cJSON *doc)
{
	char *text = cJSON_PrintUnformatted(doc);
	size_t len;
	char *body;

	cJSON_Delete(doc);
	if (text == NULL)
		fatal("cannot render a status reply");
	len = strlen(text);
	body = xmalloc(len + 2);
	memcpy(body, text, len);
	memcpy(body + len, "\n", 2);
	cJSON_free(text);
	return reply(conn, status, body, "application/json");
}

static enum MHD_Result
reply_error(struct MHD_Connection *conn, unsigned int status, const char *msg)
{
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "error", msg);
	return reply_json(conn, status, doc);
}

static enum MHD_Result
serve_healthz(struct status_server *s, struct MHD_Connection *conn)
{
	int64_t beat = s->c.heartbeat_ms(s->c.arg);
	int64_t now = clock_mono_ms();
	int ok = status_healthy(beat, now, s->c.stall_after_ms);
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "status", ok ? "ok" : "stalled");
	cJSON_AddNumberToObject(doc, "heartbeat_age_ms", (double)(now - beat));
	cJSON_AddNumberToObject(
	    doc, "stall_after_ms", (double)s->c.stall_after_ms);
	return reply_json(
	    conn, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, doc);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	struct status_server *s = cls;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "only GET and HEAD are served here");
	if (strcmp(url, "/healthz") == 0)
		return serve_healthz(s, conn);
	if (strcmp(url, "/metrics") == 0)
		return reply(conn, MHD_HTTP_OK, s->c.metrics(s->c.arg),
		    "text/plain; version=0.0.4; charset=utf-8");
	if (strcmp(url, "/results") == 0)
		return reply_json(conn, MHD_HTTP_OK, s->c.results(s->c.arg));
	return reply_error(conn, MHD_HTTP_NOT_FOUND,
	    "no such page: try /healthz, /metrics or /results");
}

/* libmicrohttpd's own complaints go to the one logger. */
static void
mhd_log(void *arg, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_msg(LOG_WARN, "status server: %s", msg);
}

/*
 * XXX: no authentication and no TLS: whoever reaches LUNA_STATUS_LISTEN
 * reads /metrics and /results (target names and URLs), so it stays on
 * loopback unless a network boundary guards it.
 */
struct status_server *
status_start(const struct status_config *c, char *err, size_t errlen)
{
	struct status_server *s;
	int fd, port;

	fd = listen_open(&c->listen, false, &port, err, errlen);
	if (fd < 0)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->c = *c;
	s->port = port;
	s->daemon = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
	    handle, s,
	    /* The logger first, or earlier options complain on stderr. */
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET,
	    fd, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10, MHD_OPTION_END);
	if (s->daemon == NULL) {
		snprintf(err, errlen,
		    "cannot start the status server on "
		    "port %d",
		    port);
		close(fd);
		free(s);
		return NULL;
	}
	return s;
}

void
status_stop(struct status_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->daemon);
	free(s);
}

int
status_port(const struct status_server *s)
{
	return s->port;
}
