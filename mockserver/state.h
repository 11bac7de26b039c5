/*
 * The mock's behaviour: one default endpoint (/mock) and named ones
 * (/mock/NAME), each an immutable, reference-counted record replaced
 * whole on every change, behind one mutex. Changes arrive as the JSON
 * of PUT /control from any thread (control API, dashboard keys, a
 * scenario player); each gets the next change id and a history entry.
 */
#ifndef MOCKSERVER_STATE_H
#define MOCKSERVER_STATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define MOCK_MIX_MAX        16
#define MOCK_HEADERS_MAX    32
#define MOCK_ENDPOINTS_MAX  64
#define MOCK_NAME_MAX       64
#define MOCK_HISTORY_MAX    100
#define MOCK_LATENCY_MAX_MS 300000L

enum mock_fault {
	MOCK_FAULT_NONE,
	MOCK_FAULT_RESET,     /* TCP reset instead of a reply */
	MOCK_FAULT_CLOSE,     /* connection closed with no reply */
	MOCK_FAULT_HANG,      /* no reply until the client gives up */
	MOCK_FAULT_SLOW_BODY, /* headers at once, the body a byte at a time */
	MOCK_FAULT_TRUNCATE,  /* fewer bytes than Content-Length */
	MOCK_FAULT_GARBAGE,   /* bytes that are not HTTP */
};

struct mock_header {
	char *name;
	char *value;
};

/* What one endpoint answers; never changed once published. */
struct mock_behaviour {
	int status;  /* served when mix_len is 0 */
	int mix_len; /* weighted codes, for a partial error rate */
	int mix_codes[MOCK_MIX_MAX];
	double mix_weights[MOCK_MIX_MAX];
	long latency_ms; /* added before the reply */
	long jitter_ms;  /* latency varies by up to this, either way */
	enum mock_fault fault;
	char *body; /* NULL: a small JSON body naming the status */
	int nheaders;
	struct mock_header headers[MOCK_HEADERS_MAX];
	unsigned long change; /* id of the change that made it */
	int64_t change_wall_ms; /* when that change was made (epoch ms) */
	atomic_uint refs;
	/* A reply the server prepared once for this record, and its free. */
	_Atomic(void *) prepared;
	void (*prepared_free)(void *);
};

struct mock_state;

/* A state with the healthy default (change 1); SEED drives the mixes. */
struct mock_state *mock_state_create(uint64_t seed);

/* Free ST; NULL does nothing. Behaviours still held stay valid. */
void mock_state_destroy(struct mock_state *st);

/*
 * Validate CHANGE (fields of PUT /control) and apply it as one step on
 * behalf of SOURCE ("key", "api", "page", "scenario"); logs an event
 * "mock" line. Returns the change id, or -1 with the reason in ERR
 * (naming the field). Any thread.
 */
long mock_state_apply(struct mock_state *st, const cJSON *change,
    const char *source, char *err, size_t errlen);

/* Check CHANGE as mock_state_apply would, without applying it. */
int mock_state_validate(const cJSON *change, char *err, size_t errlen);

/* Back to the healthy default, named endpoints dropped; the change id. */
long mock_state_reset(struct mock_state *st, const char *source);

/*
 * The behaviour /mock/NAME answers with (NAME NULL or unknown: the
 * default's), held until mock_behaviour_release. Any thread.
 */
const struct mock_behaviour *mock_state_get(
    struct mock_state *st, const char *name);

/* Drop a reference from mock_state_get; NULL does nothing. */
void mock_behaviour_release(const struct mock_behaviour *b);

/*
 * Restart the random sequence from SEED, so a scenario's mixes play the
 * same way twice. Any thread.
 */
void mock_state_seed(struct mock_state *st, uint64_t seed);

/* A pseudo-random number from the state's seeded sequence. Any thread. */
uint64_t mock_state_random(struct mock_state *st);

/* The status B serves for the random number R (a pick from the mix). */
int mock_behaviour_pick_status(const struct mock_behaviour *b, uint64_t r);

/* The latency in ms B adds for the random number R (jitter applied). */
long mock_behaviour_pick_latency(const struct mock_behaviour *b, uint64_t r);

/* B as the JSON of GET /control; caller frees. */
cJSON *mock_behaviour_json(const struct mock_behaviour *b);

/* The whole state: the default's fields, "change", "endpoints"; caller frees.
 */
cJSON *mock_state_json(struct mock_state *st);

/* {"changes": [...]}: the last changes, oldest first; caller frees. */
cJSON *mock_state_history_json(struct mock_state *st);

/* True when NAME can name an endpoint: 1 to 64 of [A-Za-z0-9._-]. */
bool mock_name_valid(const char *name);

/* "none", "reset", ...; and back. mock_fault_parse returns 0 or -1. */
const char *mock_fault_name(enum mock_fault f);
int mock_fault_parse(const char *s, enum mock_fault *out);

/*
 * A number written as plain decimal digits with one '.' at most (no
 * sign, exponent or hex), from 0 to MAX, into OUT. Returns 0 or -1.
 */
int mock_decimal_parse(const char *s, double max, double *out);

/* Parse "503:30,200:70" or "200,503" (equal weights) into B's mix. */
int mock_mix_parse(
    const char *s, struct mock_behaviour *b, char *err, size_t errlen);

#endif
