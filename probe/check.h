/*
 * What a finished request means: the error kind from libcurl's code and
 * how far the exchange got, then the target's checks on status, body
 * and latency. Pure functions of their inputs, so any thread.
 */
#ifndef PROBE_CHECK_H
#define PROBE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "probe/result.h"
#include "probe/target.h"

/* How far one exchange got, as the engine saw it. */
struct probe_check_input {
	CURLcode code;          /* the transfer's result */
	long os_errno;          /* CURLINFO_OS_ERRNO, 0 when none */
	const char *curl_error; /* libcurl's error buffer, may be "" */
	const char *host;       /* the URL's host, for messages */
	const char *address;    /* "ip port" connected or tried, or "" */
	long timeout_ms;        /* the target's timeout */
	bool resolved;          /* the host name resolved */
	bool connected;         /* TCP connection established */
	bool tls;               /* the URL is https */
	bool tls_done;          /* handshake finished */
	bool request_sent;      /* the request was on its way */
	bool headers_done;      /* the blank line after the headers arrived */
	size_t received;        /* header and body bytes received */
	size_t body_bytes;      /* body bytes received */
	long content_length;    /* announced body length, -1 when none */
	bool too_large;         /* the body went over the cap */
	size_t max_body_bytes;  /* the cap */
	int max_redirects;      /* the target's redirect limit */
};

/*
 * Set R's error and error_detail ("cause, while PHASE") from IN; a
 * transfer that completed (CURLE_OK) is left as ok for the checks.
 */
void probe_check_classify(
    const struct probe_check_input *in, struct probe_result *r);

/*
 * Check a complete answer (R->status, R->duration_ms and BODY of LEN
 * bytes, which may be cut to what was kept) against T; sets R->ok,
 * R->error and R->error_detail.
 */
void probe_check_response(const struct probe_target *t, const char *body,
    size_t len, struct probe_result *r);

#endif
