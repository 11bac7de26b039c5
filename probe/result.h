/*
 * One probe's outcome: the record that crosses from the engine to the
 * statistics, the log, the dashboard and the status server.
 */
#ifndef PROBE_RESULT_H
#define PROBE_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error kinds; their names are the log schema's "error" values. */
enum probe_error {
	PROBE_ERR_NONE,
	PROBE_ERR_DNS,		/* host name did not resolve */
	PROBE_ERR_CONNECT,	/* refused or unreachable */
	PROBE_ERR_TLS,		/* handshake or certificate */
	PROBE_ERR_TIMEOUT,	/* no complete answer within the timeout */
	PROBE_ERR_RESET,	/* connection reset by the peer */
	PROBE_ERR_EMPTY,	/* closed with no reply at all */
	PROBE_ERR_PROTOCOL,	/* malformed or cut-short response */
	PROBE_ERR_STATUS,	/* status not in the target's expect set */
	PROBE_ERR_BODY,		/* body_contains / body_regex not met */
	PROBE_ERR_LATENCY,	/* answered, but slower than max_latency */
	PROBE_ERR_TOO_LARGE,	/* body over the target's cap */
	PROBE_ERR_REDIRECTS,	/* more redirects than allowed */
	PROBE_ERR_COUNT
};

/* Up/down after the thresholds; UNKNOWN until the first verdict. */
enum probe_state {
	PROBE_STATE_UNKNOWN,
	PROBE_STATE_UP,
	PROBE_STATE_DOWN,
};

#define PROBE_DETAIL_LEN 200

struct probe_result {
	uint64_t seq;		/* per target, from 1 */
	size_t target;		/* index in the target list */
	int64_t started_wall_ms;	/* when the request began (epoch ms) */
	int64_t started_mono_ms;	/* the same on the monotonic clock */
	int64_t scheduled_mono_ms;	/* when it was due; lag = started - this */
	bool ok;
	int status;		/* HTTP status, 0 when no response */
	enum probe_error error;
	char error_detail[PROBE_DETAIL_LEN];	/* "" when ok */
	double duration_ms;	/* whole request */
	double dns_ms;		/* name lookup alone */
	double connect_ms;	/* TCP connect alone */
	double tls_ms;		/* TLS handshake alone, 0 for http */
	double ttfb_ms;		/* request start to first response byte */
	size_t bytes;		/* body bytes received (capped) */
	enum probe_state state;	/* target state after this result */
	int64_t mock_change;	/* mock behaviour id seen, -1 when none */
	int64_t mock_change_wall_ms;	/* when the mock made it, -1 unknown */
	int64_t flip_change;	/* on a flip: the change it follows, or -1 */
	int64_t flip_ms;	/* on a flip: ms from that change, or -1 */
	int consecutive;	/* results in a row with this ok, set by stats */
};

/* "dns", "connect", ... as in the log schema; NULL for PROBE_ERR_NONE. */
const char *probe_error_name(enum probe_error error);

/* "unknown", "up", "down". */
const char *probe_state_name(enum probe_state state);

#endif
