#include "probe/engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "common/clock.h"
#include "common/xalloc.h"
#include "probe/check.h"

/* The longest the loop sleeps, so the heartbeat keeps moving. */
#define ENGINE_TICK_MS 1000

/* The first round of a long run is spread over at most this much. */
#define ENGINE_SPREAD_MS 1000

#define MOCK_CHANGE_HEADER    "X-Luna-Change:"
#define MOCK_CHANGE_AT_HEADER "X-Luna-Change-At:"

/* One target's handle, schedule and the probe in flight. */
struct slot {
	struct probe_engine *e;
	const struct probe_target *t;
	CURL *easy;
	struct curl_slist *headers;
	char host[256];
	char authority[300]; /* host:port, for messages */
	char errbuf[CURL_ERROR_SIZE];

	int64_t base_ms; /* the schedule is base + k * interval */
	int64_t k;
	int64_t due_ms; /* base + k * interval */
	bool busy;
	bool once_done;
	uint64_t seq;

	/* The probe in flight. */
	struct probe_result r;
	bool keep_body;
	char *body;
	size_t body_cap;
	size_t body_total;
	size_t header_bytes;
	bool headers_done;
	bool interim; /* the headers being read are of a 1xx answer */
	bool too_large;

	/* The last request sent, for the phase of a redirect's failure. */
	long requests;        /* requests sent: one per hop reached */
	size_t hop_start;     /* bytes received before the last hop */
	char hop_address[80]; /* "ip:port" of the last hop */
	char hop_host[256];   /* the host of the URL redirected to */
};

struct probe_engine {
	struct probe_engine_config c;
	CURLM *multi;
	pthread_t thread;
	bool started;
	struct slot *slots;
	size_t nslots;
	size_t *heap; /* slot indexes, soonest due first */
	size_t nheap;

	atomic_bool stopping;
	atomic_bool paused;
	atomic_bool now_pending;
	atomic_llong heartbeat_ms;
	atomic_llong max_lag_ms;
	atomic_ullong skipped;

	pthread_mutex_t lock; /* guards what follows */
	pthread_cond_t done;
	bool *now_wanted;
	bool finished; /* once: every target has a result */
	size_t once_left;
};

/* The heap of due times: a binary min-heap of slot indexes. */
static bool
heap_less(const struct probe_engine *e, size_t a, size_t b)
{
	return e->slots[e->heap[a]].due_ms < e->slots[e->heap[b]].due_ms;
}

static void
heap_swap(struct probe_engine *e, size_t a, size_t b)
{
	size_t tmp = e->heap[a];

	e->heap[a] = e->heap[b];
	e->heap[b] = tmp;
}

static void
heap_push(struct probe_engine *e, size_t slot)
{
	size_t i = e->nheap++;

	e->heap[i] = slot;
	while (i > 0 && heap_less(e, i, (i - 1) / 2)) {
		heap_swap(e, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static size_t
heap_pop(struct probe_engine *e)
{
	size_t top = e->heap[0], i = 0, child;

	e->heap[0] = e->heap[--e->nheap];
	for (;;) {
		child = 2 * i + 1;
		if (child >= e->nheap)
			break;
		if (child + 1 < e->nheap && heap_less(e, child + 1, child))
			child++;
		if (!heap_less(e, child, i))
			break;
		heap_swap(e, i, child);
		i = child;
	}
	return top;
}

/* The first digit of the status in an "HTTP/1.1 200 OK" line, or -1. */
static int
status_class(const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);

	if (sp == NULL || (size_t)(sp - line) + 2 > len || sp[1] < '0' ||
	    sp[1] > '9')
		return -1;
	return sp[1] - '0';
}

/* libcurl's header callback: count bytes, note the mock's change id. */
static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct slot *s = arg;
	size_t len = size * n, name = strlen(MOCK_CHANGE_HEADER);
	char value[32];

	s->header_bytes += len;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		s->headers_done = false;
		/* "HTTP/1.1 100 Continue": the real answer is still to come. */
		s->interim = status_class(data, len) == 1;
	}
	if ((len == 2 && data[0] == '\r') || (len == 1 && data[0] == '\n'))
		s->headers_done = !s->interim;
	if (len > name && strncasecmp(data, MOCK_CHANGE_HEADER, name) == 0) {
		snprintf(value, sizeof value, "%.*s", (int)(len - name),
		    data + name);
		s->r.mock_change = strtoll(value, NULL, 10);
	}
	name = strlen(MOCK_CHANGE_AT_HEADER);
	if (len > name && strncasecmp(data, MOCK_CHANGE_AT_HEADER, name) == 0) {
		snprintf(value, sizeof value, "%.*s", (int)(len - name),
		    data + name);
		s->r.mock_change_wall_ms = strtoll(value, NULL, 10);
	}
	return len;
}

/* libcurl's write callback: count the body, keep it for body checks. */
static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct slot *s = arg;
	size_t len = size * n;

	if (s->body_total + len > s->t->max_body_bytes) {
		s->body_total += len;
		s->too_large = true;
		return CURL_WRITEFUNC_ERROR;
	}
	if (s->keep_body) {
		if (s->body_total + len + 1 > s->body_cap) {
			s->body_cap = (s->body_total + len + 1) * 2;
			s->body = xrealloc(s->body, s->body_cap);
		}
		memcpy(s->body + s->body_total, data, len);
		s->body[s->body_total + len] = '\0';
	}
	s->body_total += len;
	return len;
}

/*
 * libcurl's pre-request callback: each hop (the request, then each
 * redirect followed) is connected and about to be sent.
 */
static int
on_prereq(void *arg, char *ip, char *local_ip, int port, int local_port)
{
	struct slot *s = arg;

	(void)local_ip;
	(void)local_port;
	s->requests++;
	s->hop_start = s->header_bytes + s->body_total;
	s->headers_done = false;
	snprintf(s->hop_address, sizeof s->hop_address,
	    strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
	return CURL_PREREQFUNC_OK;
}

static void
set_method(struct slot *s)
{
	const struct probe_target *t = s->t;

	if (strcmp(t->method, "HEAD") == 0)
		curl_easy_setopt(s->easy, CURLOPT_NOBODY, 1L);
	else if (strcmp(t->method, "GET") != 0 ||
	         (t->body != NULL && strcmp(t->method, "POST") != 0))
		curl_easy_setopt(s->easy, CURLOPT_CUSTOMREQUEST, t->method);
	if (t->body != NULL)
		curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, t->body);
}

static void
set_connection(struct slot *s)
{
	const struct probe_target *t = s->t;
	long ip = t->ip == PROBE_IP_V4   ? CURL_IPRESOLVE_V4
	          : t->ip == PROBE_IP_V6 ? CURL_IPRESOLVE_V6
	                                 : CURL_IPRESOLVE_WHATEVER;

	curl_easy_setopt(s->easy, CURLOPT_IPRESOLVE, ip);
	curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, (long)t->timeout_ms);
	curl_easy_setopt(
	    s->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)t->timeout_ms);
	/*
	 * A fresh probe is a new client: no connection, name or TLS
	 * session kept from the last one, so each phase is measured.
	 */
	if (!t->keepalive) {
		curl_easy_setopt(s->easy, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(s->easy, CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(s->easy, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
		curl_easy_setopt(s->easy, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	}
	if (t->insecure) {
		curl_easy_setopt(s->easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(s->easy, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (t->max_redirects > 0) {
		curl_easy_setopt(s->easy, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(
		    s->easy, CURLOPT_MAXREDIRS, (long)t->max_redirects);
	}
	/* A redirect to ftp:// or file:// is a broken target, not a probe. */
	curl_easy_setopt(s->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(s->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
}

/* URL's host, and host:port, for messages. */
static void
url_host(const char *url, char *host, size_t hostlen, char *authority,
    size_t authlen)
{
	CURLU *u = curl_url();
	char *h = NULL, *port = NULL;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_HOST, &h, 0);
		curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	}
	snprintf(host, hostlen, "%s", h ? h : "");
	snprintf(authority, authlen, "%s:%s", h ? h : "", port ? port : "");
	curl_free(h);
	curl_free(port);
	curl_url_cleanup(u);
}

/* Remember the URL's host and port for messages. */
static void
note_host(struct slot *s)
{
	url_host(s->t->url, s->host, sizeof s->host, s->authority,
	    sizeof s->authority);
}

static void
slot_init(struct probe_engine *e, struct slot *s, size_t i)
{
	char **h;

	s->e = e;
	s->t = &e->c.targets->items[i];
	s->r.target = i;
	s->keep_body =
	    s->t->body_contains != NULL || s->t->body_regex_compiled != NULL;
	note_host(s);
	if ((s->easy = curl_easy_init()) == NULL)
		fatal("cannot create a libcurl handle: out of memory");
	curl_easy_setopt(s->easy, CURLOPT_URL, s->t->url);
	curl_easy_setopt(s->easy, CURLOPT_PRIVATE, s);
	curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(s->easy, CURLOPT_USERAGENT, "luna/" LUNA_VERSION);
	curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(s->easy, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(s->easy, CURLOPT_PREREQDATA, s);
	for (h = s->t->headers; h != NULL && *h != NULL; h++)
		s->headers = curl_slist_append(s->headers, *h);
	curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
	set_method(s);
	set_connection(s);
}

static void
slot_free(struct slot *s)
{
	curl_easy_cleanup(s->easy);
	curl_slist_free_all(s->headers);
	free(s->body);
}

/* Begin a probe of S that was due at DUE_MS. */
static void
slot_start(struct probe_engine *e, struct slot *s, int64_t due_ms)
{
	int64_t lag;

	s->busy = true;
	s->errbuf[0] = '\0';
	s->body_total = s->header_bytes = 0;
	s->headers_done = s->too_large = s->interim = false;
	s->requests = 0;
	s->hop_start = 0;
	if (s->body != NULL)
		s->body[0] = '\0';
	memset(&s->r, 0, sizeof s->r);
	s->r.target = (size_t)(s - e->slots);
	s->r.seq = ++s->seq;
	s->r.scheduled_mono_ms = due_ms;
	s->r.started_mono_ms = clock_mono_ms();
	s->r.started_wall_ms = clock_wall_ms();
	s->r.mock_change = -1;
	s->r.mock_change_wall_ms = -1;

	lag = s->r.started_mono_ms - due_ms;
	if (lag > atomic_load(&e->max_lag_ms))
		atomic_store(&e->max_lag_ms, lag);
	curl_multi_add_handle(e->multi, s->easy);
}

static double
info_ms(CURL *easy, CURLINFO what)
{
	curl_off_t us = 0;

	curl_easy_getinfo(easy, what, &us);
	return (double)us / 1000.0;
}

/*
 * Timing phases, each on its own (dns alone, connect alone, ...).
 * XXX: libcurl gives no connect time when the TLS handshake fails or
 * times out, so connect_ms is 0 for those probes although TCP connected.
 */
static void
read_timings(struct slot *s)
{
	double dns = info_ms(s->easy, CURLINFO_NAMELOOKUP_TIME_T);
	double conn = info_ms(s->easy, CURLINFO_CONNECT_TIME_T);
	double tls = info_ms(s->easy, CURLINFO_APPCONNECT_TIME_T);

	s->r.duration_ms = info_ms(s->easy, CURLINFO_TOTAL_TIME_T);
	s->r.ttfb_ms = info_ms(s->easy, CURLINFO_STARTTRANSFER_TIME_T);
	s->r.dns_ms = dns;
	s->r.connect_ms = conn > dns ? conn - dns : 0;
	s->r.tls_ms = tls > conn ? tls - conn : 0;
}

/*
 * After a redirect, the timings and byte counts add up every hop, so
 * how far the exchange got is told by the last hop alone: whether its
 * request went out (on_prereq), and what came back since.
 */
static void
fill_redirected(struct slot *s, long redirects, struct probe_check_input *in,
    char *address, size_t addrlen)
{
	char *url = NULL;
	bool sent = s->requests > redirects;

	curl_easy_getinfo(s->easy, CURLINFO_EFFECTIVE_URL, &url);
	if (url != NULL) {
		url_host(
		    url, s->hop_host, sizeof s->hop_host, address, addrlen);
		in->host = s->hop_host;
	}
	if (sent)
		snprintf(address, addrlen, "%s", s->hop_address);
	in->tls = url != NULL && strncasecmp(url, "https:", 6) == 0;
	in->resolved = sent || in->code != CURLE_COULDNT_RESOLVE_HOST;
	in->connected = sent;
	in->tls_done = sent && in->tls;
	in->request_sent = sent;
	in->received =
	    sent ? s->header_bytes + s->body_total - s->hop_start : 0;
	in->headers_done = sent && s->headers_done;
}

static void
fill_check_input(struct slot *s, CURLcode code, struct probe_check_input *in,
    char *address, size_t addrlen)
{
	double pre = info_ms(s->easy, CURLINFO_PRETRANSFER_TIME_T);
	char *ip = NULL;
	long port = 0, os_errno = 0, length_known, redirects = 0;
	curl_off_t length = -1;

	curl_easy_getinfo(s->easy, CURLINFO_OS_ERRNO, &os_errno);
	curl_easy_getinfo(s->easy, CURLINFO_PRIMARY_IP, &ip);
	curl_easy_getinfo(s->easy, CURLINFO_PRIMARY_PORT, &port);
	curl_easy_getinfo(s->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
	/* libcurl leaves the address empty when the connect failed. */
	if (ip != NULL && *ip != '\0' && port > 0)
		snprintf(address, addrlen,
		    strchr(ip, ':') ? "[%s]:%ld" : "%s:%ld", ip, port);
	else
		snprintf(address, addrlen, "%s", s->authority);
	length_known = length >= 0 ? (long)length : -1;

	memset(in, 0, sizeof *in);
	in->code = code;
	in->os_errno = os_errno;
	in->curl_error = s->errbuf;
	in->host = s->host;
	in->address = address;
	in->timeout_ms = (long)s->t->timeout_ms;
	in->resolved = s->r.dns_ms > 0 || (ip != NULL && *ip != '\0') ||
	               (code != CURLE_COULDNT_RESOLVE_HOST &&
	                   code != CURLE_OPERATION_TIMEDOUT);
	/* An address but no connect time: TCP is up, TLS is not. */
	in->connected =
	    s->r.connect_ms > 0 || pre > 0 || (ip != NULL && *ip != '\0');
	in->tls = strncasecmp(s->t->url, "https:", 6) == 0;
	in->tls_done = s->r.tls_ms > 0 || (in->tls && pre > 0);
	in->request_sent = pre > 0;
	in->headers_done = s->headers_done;
	in->received = s->header_bytes + s->body_total;
	in->body_bytes = s->body_total;
	in->content_length = length_known;
	in->too_large = s->too_large;
	in->max_body_bytes = s->t->max_body_bytes;
	in->max_redirects = s->t->max_redirects;
	curl_easy_getinfo(s->easy, CURLINFO_REDIRECT_COUNT, &redirects);
	if (redirects > 0)
		fill_redirected(s, redirects, in, address, addrlen);
}

/* A transfer ended: make its result and hand it on. */
static void
slot_finish(struct probe_engine *e, struct slot *s, CURLcode code)
{
	struct probe_check_input in;
	enum probe_state previous = PROBE_STATE_UNKNOWN;
	char address[320] = "";
	long status = 0;
	int changed;

	curl_multi_remove_handle(e->multi, s->easy);
	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	read_timings(s);
	/* An interim answer (1xx) alone is no response. */
	s->r.status = status >= 200 ? (int)status : 0;
	s->r.bytes = s->too_large ? s->t->max_body_bytes : s->body_total;

	fill_check_input(s, code, &in, address, sizeof address);
	if (code == CURLE_OK && !s->too_large)
		probe_check_response(
		    s->t, s->body ? s->body : "", s->body_total, &s->r);
	else
		probe_check_classify(&in, &s->r);

	changed = probe_stats_record(e->c.stats, &s->r, &previous);
	if (e->c.on_result != NULL)
		e->c.on_result(s->t, &s->r, changed, previous, e->c.arg);
	s->busy = false;
}

/* Move S's schedule past NOW, counting the slots it misses. */
static void
slot_advance(struct probe_engine *e, struct slot *s, int64_t now)
{
	int64_t interval = s->t->interval_ms;
	int64_t missed;

	s->k++;
	s->due_ms = s->base_ms + s->k * interval;
	if (s->due_ms > now)
		return;
	missed = (now - s->due_ms) / interval + 1;
	s->k += missed;
	s->due_ms = s->base_ms + s->k * interval;
	atomic_fetch_add(&e->skipped, (unsigned long long)missed);
}

/*
 * Start every probe that is due; a busy or paused target skips.
 * XXX: nothing sheds load when the machine cannot keep up: late probes
 * all start, time out together, and fewer pass than a lower rate would.
 */
static void
start_due(struct probe_engine *e, int64_t now)
{
	struct slot *s;
	bool paused = atomic_load(&e->paused);

	while (e->nheap > 0 && e->slots[e->heap[0]].due_ms <= now) {
		s = &e->slots[heap_pop(e)];
		if (s->busy || paused)
			atomic_fetch_add(&e->skipped, 1);
		else
			slot_start(e, s, s->due_ms);
		if (!e->c.once)
			slot_advance(e, s, now);
		if (!e->c.once)
			heap_push(e, (size_t)(s - e->slots));
	}
}

/* Probes asked for by probe_engine_probe_now. */
static void
start_wanted(struct probe_engine *e, int64_t now)
{
	bool waiting = false;
	size_t i;

	if (!atomic_exchange(&e->now_pending, false))
		return;
	pthread_mutex_lock(&e->lock);
	for (i = 0; i < e->nslots; i++) {
		if (!e->now_wanted[i])
			continue;
		/* A probe in flight answers the wish when it is done. */
		if (e->slots[i].busy) {
			waiting = true;
			continue;
		}
		e->now_wanted[i] = false;
		slot_start(e, &e->slots[i], now);
	}
	pthread_mutex_unlock(&e->lock);
	if (waiting)
		atomic_store(&e->now_pending, true);
}

static void
note_once_done(struct probe_engine *e, struct slot *s)
{
	if (!e->c.once || s->once_done)
		return;
	s->once_done = true;
	pthread_mutex_lock(&e->lock);
	if (--e->once_left == 0) {
		e->finished = true;
		pthread_cond_broadcast(&e->done);
	}
	pthread_mutex_unlock(&e->lock);
}

static void
drain_messages(struct probe_engine *e)
{
	struct slot *s;
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(e->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &s);
		slot_finish(e, s, m->data.result);
		note_once_done(e, s);
	}
}

static int
poll_timeout(struct probe_engine *e, int64_t now)
{
	int64_t wait = ENGINE_TICK_MS;

	if (!atomic_load(&e->stopping) && e->nheap > 0 &&
	    e->slots[e->heap[0]].due_ms - now < wait)
		wait = e->slots[e->heap[0]].due_ms - now;
	return wait > 0 ? (int)wait : 0;
}

static bool
finished(struct probe_engine *e)
{
	bool done;

	pthread_mutex_lock(&e->lock);
	done = e->finished;
	pthread_mutex_unlock(&e->lock);
	return done;
}

static void *
engine_main(void *arg)
{
	struct probe_engine *e = arg;
	int running = 0;
	int64_t now;

	for (;;) {
		now = clock_mono_ms();
		atomic_store(&e->heartbeat_ms, now);
		if (!atomic_load(&e->stopping)) {
			start_wanted(e, now);
			start_due(e, now);
		}
		curl_multi_perform(e->multi, &running);
		drain_messages(e);
		if (running == 0 &&
		    (atomic_load(&e->stopping) || (e->c.once && finished(e))))
			break;
		curl_multi_poll(
		    e->multi, NULL, 0, poll_timeout(e, clock_mono_ms()), NULL);
	}
	return NULL;
}

/* Where each target's schedule begins: the first round is spread. */
static void
plan_schedule(struct probe_engine *e, int64_t start)
{
	int64_t spread;
	size_t i;

	for (i = 0; i < e->nslots; i++) {
		struct slot *s = &e->slots[i];

		spread = s->t->interval_ms < ENGINE_SPREAD_MS
		             ? s->t->interval_ms
		             : ENGINE_SPREAD_MS;
		s->base_ms = start;
		if (!e->c.once)
			s->base_ms += spread * (int64_t)i / (int64_t)e->nslots;
		s->due_ms = s->base_ms;
		heap_push(e, i);
	}
}

struct probe_engine *
probe_engine_start(
    const struct probe_engine_config *c, char *err, size_t errlen)
{
	struct probe_engine *e = xcalloc(1, sizeof *e);
	size_t i;

	e->c = *c;
	e->nslots = c->targets->count;
	e->slots = xcalloc(e->nslots + 1, sizeof *e->slots);
	e->heap = xcalloc(e->nslots + 1, sizeof *e->heap);
	e->now_wanted = xcalloc(e->nslots + 1, sizeof *e->now_wanted);
	e->once_left = e->nslots;
	e->finished = e->nslots == 0;
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->done, NULL);
	if ((e->multi = curl_multi_init()) == NULL)
		fatal("cannot create a libcurl multi handle: out of memory");
	for (i = 0; i < e->nslots; i++)
		slot_init(e, &e->slots[i], i);
	plan_schedule(e, clock_mono_ms());
	atomic_store(&e->heartbeat_ms, clock_mono_ms());

	e->started = pthread_create(&e->thread, NULL, engine_main, e) == 0;
	if (!e->started) {
		snprintf(err, errlen, "cannot start the probe thread: %s",
		    strerror(errno));
		probe_engine_stop(e);
		return NULL;
	}
	return e;
}

void
probe_engine_stop(struct probe_engine *e)
{
	size_t i;

	if (e == NULL)
		return;
	atomic_store(&e->stopping, true);
	if (e->started) {
		curl_multi_wakeup(e->multi);
		pthread_join(e->thread, NULL);
	}
	for (i = 0; i < e->nslots; i++)
		slot_free(&e->slots[i]);
	curl_multi_cleanup(e->multi);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->done);
	free(e->now_wanted);
	free(e->heap);
	free(e->slots);
	free(e);
}

void
probe_engine_wait(struct probe_engine *e)
{
	pthread_mutex_lock(&e->lock);
	while (!e->finished)
		pthread_cond_wait(&e->done, &e->lock);
	pthread_mutex_unlock(&e->lock);
}

void
probe_engine_pause(struct probe_engine *e, bool paused)
{
	atomic_store(&e->paused, paused);
	curl_multi_wakeup(e->multi);
}

void
probe_engine_probe_now(struct probe_engine *e, size_t t)
{
	size_t i;

	pthread_mutex_lock(&e->lock);
	for (i = 0; i < e->nslots; i++)
		if (t == SIZE_MAX || t == i)
			e->now_wanted[i] = true;
	pthread_mutex_unlock(&e->lock);
	atomic_store(&e->now_pending, true);
	curl_multi_wakeup(e->multi);
}

int64_t
probe_engine_heartbeat_ms(struct probe_engine *e)
{
	return atomic_load(&e->heartbeat_ms);
}

double
probe_engine_take_max_lag_ms(struct probe_engine *e)
{
	return (double)atomic_exchange(&e->max_lag_ms, 0);
}

uint64_t
probe_engine_skipped(struct probe_engine *e)
{
	return atomic_load(&e->skipped);
}
