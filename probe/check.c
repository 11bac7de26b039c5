#include "probe/check.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* How far the exchange got, in the words of error_detail. */
static const char *
phase(const struct probe_check_input *in)
{
	if (!in->resolved && !in->connected)
		return "while resolving the host name";
	if (!in->connected)
		return "while connecting";
	if (in->tls && !in->tls_done)
		return "during the TLS handshake";
	if (!in->request_sent)
		return "while sending the request";
	if (in->received == 0)
		return "while waiting for the response";
	if (!in->headers_done)
		return "while reading the response headers";
	return "while reading the response body";
}

static void set(struct probe_result *r, enum probe_error e, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
set(struct probe_result *r, enum probe_error e, const char *fmt, ...)
{
	va_list ap;

	r->ok = false;
	r->error = e;
	va_start(ap, fmt);
	vsnprintf(r->error_detail, sizeof r->error_detail, fmt, ap);
	va_end(ap);
}

/* libcurl's own words, or its generic text for CODE. */
static const char *
curl_words(const struct probe_check_input *in)
{
	if (in->curl_error != NULL && *in->curl_error != '\0')
		return in->curl_error;
	return curl_easy_strerror(in->code);
}

static bool
is_reset_errno(long e)
{
	return e == ECONNRESET || e == EPIPE || e == ECONNABORTED;
}

static void
classify_connect(const struct probe_check_input *in, struct probe_result *r)
{
	const char *where = *in->address ? in->address : in->host;

	if (in->os_errno == ECONNREFUSED)
		set(r, PROBE_ERR_CONNECT, "connection refused by %s, %s", where,
		    phase(in));
	else if (in->os_errno != 0)
		set(r, PROBE_ERR_CONNECT, "cannot connect to %s: %s, %s", where,
		    strerror((int)in->os_errno), phase(in));
	else
		set(r, PROBE_ERR_CONNECT, "cannot connect to %s: %s, %s", where,
		    curl_words(in), phase(in));
}

static void
classify_timeout(const struct probe_check_input *in, struct probe_result *r)
{
	if (in->received == 0)
		set(r, PROBE_ERR_TIMEOUT, "no answer within %ld ms, %s",
		    in->timeout_ms, phase(in));
	else
		set(r, PROBE_ERR_TIMEOUT,
		    "timed out after %ld ms with %zu "
		    "bytes received, %s",
		    in->timeout_ms, in->received, phase(in));
}

/* A broken receive: reset by the peer, or a malformed stream. */
static void
classify_recv(const struct probe_check_input *in, struct probe_result *r)
{
	if (is_reset_errno(in->os_errno))
		set(r, PROBE_ERR_RESET,
		    "connection reset by peer after %zu "
		    "bytes, %s",
		    in->received, phase(in));
	else if (in->os_errno != 0)
		set(r, PROBE_ERR_RESET,
		    "connection broken after %zu bytes "
		    "(%s), %s",
		    in->received, strerror((int)in->os_errno), phase(in));
	else
		set(r, PROBE_ERR_PROTOCOL,
		    "malformed response after %zu "
		    "bytes (%s), %s",
		    in->received, curl_words(in), phase(in));
}

static void
classify_partial(const struct probe_check_input *in, struct probe_result *r)
{
	if (in->content_length >= 0)
		set(r, PROBE_ERR_PROTOCOL,
		    "response cut short: %zu of %ld "
		    "body bytes, %s",
		    in->body_bytes, in->content_length, phase(in));
	else
		set(r, PROBE_ERR_PROTOCOL,
		    "response cut short after %zu "
		    "body bytes (%s), %s",
		    in->body_bytes, curl_words(in), phase(in));
}

/*
 * libcurl reports no connect time when the handshake on top of the TCP
 * connection fails, so the phase comes from the code, not the timings.
 */
static void
classify_tls(const struct probe_check_input *in, struct probe_result *r)
{
	if (in->code == CURLE_PEER_FAILED_VERIFICATION)
		set(r, PROBE_ERR_TLS,
		    "certificate of %s not trusted (%s), "
		    "during the TLS handshake",
		    in->host, curl_words(in));
	else
		set(r, PROBE_ERR_TLS,
		    "TLS failed with %s (%s), during the "
		    "TLS handshake",
		    in->host, curl_words(in));
}

/* The codes that mean a response that is not proper HTTP. */
static bool
is_protocol_code(CURLcode c)
{
	return c == CURLE_WEIRD_SERVER_REPLY ||
	       c == CURLE_UNSUPPORTED_PROTOCOL ||
	       c == CURLE_BAD_CONTENT_ENCODING || c == CURLE_HTTP2 ||
	       c == CURLE_HTTP2_STREAM || c == CURLE_HTTP3 ||
	       c == CURLE_RANGE_ERROR;
}

static bool
is_tls_code(CURLcode c)
{
	return c == CURLE_SSL_CONNECT_ERROR ||
	       c == CURLE_PEER_FAILED_VERIFICATION ||
	       c == CURLE_SSL_CERTPROBLEM || c == CURLE_SSL_CIPHER ||
	       c == CURLE_SSL_CACERT_BADFILE ||
	       c == CURLE_SSL_SHUTDOWN_FAILED || c == CURLE_SSL_CRL_BADFILE ||
	       c == CURLE_SSL_ISSUER_ERROR ||
	       c == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
	       c == CURLE_SSL_INVALIDCERTSTATUS || c == CURLE_SSL_CLIENTCERT ||
	       c == CURLE_USE_SSL_FAILED || c == CURLE_SSL_ENGINE_INITFAILED;
}

void
probe_check_classify(const struct probe_check_input *in, struct probe_result *r)
{
	CURLcode c = in->code;

	if (in->too_large) {
		set(r, PROBE_ERR_TOO_LARGE, "body over the %zu-byte cap, %s",
		    in->max_body_bytes, phase(in));
		return;
	}
	if (c == CURLE_OK)
		return;
	if (c == CURLE_COULDNT_RESOLVE_HOST)
		set(r, PROBE_ERR_DNS, "cannot resolve host '%s', %s", in->host,
		    phase(in));
	else if (c == CURLE_COULDNT_CONNECT)
		classify_connect(in, r);
	else if (c == CURLE_OPERATION_TIMEDOUT)
		classify_timeout(in, r);
	else if (is_tls_code(c))
		classify_tls(in, r);
	else if (c == CURLE_RECV_ERROR || c == CURLE_SEND_ERROR)
		classify_recv(in, r);
	else if (c == CURLE_GOT_NOTHING)
		set(r, PROBE_ERR_EMPTY, "connection closed without a reply, %s",
		    phase(in));
	else if (c == CURLE_PARTIAL_FILE)
		classify_partial(in, r);
	else if (is_protocol_code(c))
		set(r, PROBE_ERR_PROTOCOL, "malformed response (%s), %s",
		    curl_words(in), phase(in));
	else if (c == CURLE_OUT_OF_MEMORY && in->request_sent &&
	         !in->headers_done)
		/* libcurl's words for headers over its own size limits. */
		set(r, PROBE_ERR_PROTOCOL,
		    "response headers too large (%s), %s", curl_words(in),
		    phase(in));
	else if (c == CURLE_TOO_MANY_REDIRECTS)
		set(r, PROBE_ERR_REDIRECTS, "more than %d redirects, %s",
		    in->max_redirects, "while following redirects");
	else
		set(r, PROBE_ERR_PROTOCOL, "request failed (%s), %s",
		    curl_words(in), phase(in));
}

/* Does BODY of LEN bytes (not NUL-terminated) contain NEEDLE? */
static bool
body_contains(const char *body, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0)
		return true;
	for (i = 0; i + n <= len; i++)
		if (body[i] == needle[0] && memcmp(body + i, needle, n) == 0)
			return true;
	return false;
}

/*
 * Does BODY of LEN bytes match RE? REG_STARTEND keeps the match to
 * those bytes; the regex was compiled as "^.*(...)", so it reads them
 * once, and "." stops at a NUL byte as before.
 * XXX: glibc builds its automaton as it reads, and a count of a
 * choice ("[ab]{20}") can need a state per byte: seconds on the probe
 * thread for a hostile body of a few hundred KiB. max_body bounds it.
 */
static bool
body_matches(const void *re, const char *body, size_t len)
{
	regmatch_t m = {.rm_so = 0, .rm_eo = (regoff_t)len};

	return regexec(re, body, 1, &m, REG_STARTEND) == 0;
}

void
probe_check_response(const struct probe_target *t, const char *body, size_t len,
    struct probe_result *r)
{
	char spec[160];

	r->ok = true;
	r->error = PROBE_ERR_NONE;
	r->error_detail[0] = '\0';
	if (!probe_expect_match(&t->expect, r->status)) {
		probe_expect_format(&t->expect, spec, sizeof spec);
		set(r, PROBE_ERR_STATUS, "status %d, expected %s", r->status,
		    spec);
	} else if (t->body_contains != NULL &&
	           !body_contains(body, len, t->body_contains)) {
		set(r, PROBE_ERR_BODY, "body does not contain '%s'",
		    t->body_contains);
	} else if (t->body_regex_compiled != NULL &&
	           !body_matches(t->body_regex_compiled, body, len)) {
		set(r, PROBE_ERR_BODY, "body does not match '%s'",
		    t->body_regex);
	} else if (t->max_latency_ms > 0 &&
	           r->duration_ms > (double)t->max_latency_ms) {
		set(r, PROBE_ERR_LATENCY,
		    "took %.1f ms, over max_latency "
		    "%lld ms",
		    r->duration_ms, (long long)t->max_latency_ms);
	}
}
