#include "probe/result.h"

static const char *const error_names[PROBE_ERR_COUNT] = {
    [PROBE_ERR_NONE] = NULL,
    [PROBE_ERR_DNS] = "dns",
    [PROBE_ERR_CONNECT] = "connect",
    [PROBE_ERR_TLS] = "tls",
    [PROBE_ERR_TIMEOUT] = "timeout",
    [PROBE_ERR_RESET] = "reset",
    [PROBE_ERR_EMPTY] = "empty",
    [PROBE_ERR_PROTOCOL] = "protocol",
    [PROBE_ERR_STATUS] = "status",
    [PROBE_ERR_BODY] = "body",
    [PROBE_ERR_LATENCY] = "latency",
    [PROBE_ERR_TOO_LARGE] = "too_large",
    [PROBE_ERR_REDIRECTS] = "redirects",
};

const char *
probe_error_name(enum probe_error error)
{
	if (error <= PROBE_ERR_NONE || error >= PROBE_ERR_COUNT)
		return NULL;
	return error_names[error];
}

const char *
probe_state_name(enum probe_state state)
{
	switch (state) {
	case PROBE_STATE_UP:
		return "up";
	case PROBE_STATE_DOWN:
		return "down";
	default:
		return "unknown";
	}
}
