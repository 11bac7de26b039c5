#include "mockserver/state.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xalloc.h"

/* Bodies in log lines are cut here: a line is for reading, not replay. */
#define LOG_BODY_MAX 200
/* Mix weights above this are typos, and their sum could overflow. */
#define MIX_WEIGHT_MAX 1e6

enum patch_field {
	SET_STATUS = 1 << 0,
	SET_MIX = 1 << 1,
	SET_LATENCY = 1 << 2,
	SET_JITTER = 1 << 3,
	SET_FAULT = 1 << 4,
	SET_BODY = 1 << 5,
	SET_HEADERS = 1 << 6,
};

/* A validated change, not yet applied: which fields, and their values. */
struct patch {
	unsigned set;
	char name[MOCK_NAME_MAX + 1];
	struct mock_behaviour b;
};

struct endpoint {
	char name[MOCK_NAME_MAX + 1]; /* "" for the default, /mock */
	struct mock_behaviour *b;
};

struct history_entry {
	unsigned long change;
	int64_t wall_ms;
	char source[16];
	char endpoint[MOCK_NAME_MAX + 1];
	cJSON *fields;
};

struct mock_state {
	pthread_mutex_t lock;
	struct endpoint endpoints[MOCK_ENDPOINTS_MAX];
	int nendpoints;
	unsigned long last_change;
	struct history_entry history[MOCK_HISTORY_MAX];
	int history_len, history_next;
	atomic_uint_fast64_t seed;
	atomic_uint_fast64_t draws;
};

static const char *const fault_names[] = {
    "none", "reset", "close", "hang", "slow_body", "truncate", "garbage"};

static const char *const known_fields[] = {"status", "mix", "latency_ms",
    "jitter_ms", "fault", "body", "headers", "endpoint"};

/* Headers the server sets itself: a mock that overrode them would lie. */
static const char *const reserved_headers[] = {"content-length",
    "transfer-encoding", "connection", "x-luna-change", "x-luna-change-at"};

const char *
mock_fault_name(enum mock_fault f)
{
	return fault_names[f];
}

int
mock_fault_parse(const char *s, enum mock_fault *out)
{
	size_t i;

	for (i = 0; i < sizeof fault_names / sizeof *fault_names; i++)
		if (strcmp(s, fault_names[i]) == 0) {
			*out = (enum mock_fault)i;
			return 0;
		}
	return -1;
}

static void
behaviour_free(struct mock_behaviour *b)
{
	int i;

	if (b == NULL)
		return;
	if (atomic_load(&b->prepared) != NULL && b->prepared_free != NULL)
		b->prepared_free(atomic_load(&b->prepared));
	free(b->body);
	for (i = 0; i < b->nheaders; i++) {
		free(b->headers[i].name);
		free(b->headers[i].value);
	}
	free(b);
}

void
mock_behaviour_release(const struct mock_behaviour *cb)
{
	/* The record is immutable to readers; only the count changes. */
	struct mock_behaviour *b = (struct mock_behaviour *)(uintptr_t)cb;

	if (b != NULL && atomic_fetch_sub(&b->refs, 1) == 1)
		behaviour_free(b);
}

static struct mock_behaviour *
behaviour_healthy(void)
{
	struct mock_behaviour *b = xcalloc(1, sizeof *b);

	b->status = 200;
	atomic_init(&b->refs, 1);
	return b;
}

static void
headers_copy(struct mock_behaviour *dst, const struct mock_behaviour *src)
{
	int i;

	dst->nheaders = src->nheaders;
	for (i = 0; i < src->nheaders; i++) {
		dst->headers[i].name = xstrdup(src->headers[i].name);
		dst->headers[i].value = xstrdup(src->headers[i].value);
	}
}

static struct mock_behaviour *
behaviour_copy(const struct mock_behaviour *src)
{
	struct mock_behaviour *b = xmalloc(sizeof *b);

	/* Only what precedes refs: other threads move the counts of SRC. */
	memcpy(b, src, offsetof(struct mock_behaviour, refs));
	b->body = src->body != NULL ? xstrdup(src->body) : NULL;
	headers_copy(b, src);
	atomic_init(&b->refs, 1);
	atomic_init(&b->prepared, NULL);
	b->prepared_free = NULL;
	return b;
}

/* ---- random numbers: one seeded sequence, shared by all threads ---- */

static uint64_t
splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void
mock_state_seed(struct mock_state *st, uint64_t seed)
{
	pthread_mutex_lock(&st->lock);
	atomic_store(&st->seed, seed);
	atomic_store(&st->draws, 0);
	pthread_mutex_unlock(&st->lock);
}

uint64_t
mock_state_random(struct mock_state *st)
{
	uint64_t n = atomic_fetch_add(&st->draws, 1);

	return splitmix64(atomic_load(&st->seed) + n * 0x9e3779b97f4a7c15ULL);
}

/* R as a double in [0, 1). */
static double
unit_interval(uint64_t r)
{
	return (double)(r >> 11) * (1.0 / 9007199254740992.0);
}

int
mock_behaviour_pick_status(const struct mock_behaviour *b, uint64_t r)
{
	double total = 0, x;
	int i;

	if (b->mix_len == 0)
		return b->status;
	for (i = 0; i < b->mix_len; i++)
		total += b->mix_weights[i];
	x = unit_interval(r) * total;
	for (i = 0; i < b->mix_len - 1; i++) {
		if (x < b->mix_weights[i])
			return b->mix_codes[i];
		x -= b->mix_weights[i];
	}
	return b->mix_codes[b->mix_len - 1];
}

long
mock_behaviour_pick_latency(const struct mock_behaviour *b, uint64_t r)
{
	long v;

	if (b->jitter_ms == 0)
		return b->latency_ms;
	v = b->latency_ms - b->jitter_ms +
	    (long)(unit_interval(r) * (double)(2 * b->jitter_ms + 1));
	return v < 0 ? 0 : v;
}

/* ---- validation: each parser fills the patch or names the field ---- */

/* The JSON text of ITEM, cut to fit BUF, for quoting in an error. */
static const char *
value_text(const cJSON *item, char *buf, size_t len)
{
	char *p = cJSON_PrintUnformatted(item);

	snprintf(buf, len, "%s", p != NULL ? p : "?");
	if (p != NULL && strlen(p) >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
	cJSON_free(p);
	return buf;
}

static int
parse_whole(const cJSON *item, const char *field, long min, long max, long *out,
    char *err, size_t errlen)
{
	char v[48];
	double d;

	d = cJSON_IsNumber(item) ? item->valuedouble : NAN;
	if (!isfinite(d) || d != floor(d) || d < (double)min ||
	    d > (double)max) {
		snprintf(err, errlen,
		    "bad %s '%s': expected a whole number from %ld to %ld",
		    field, value_text(item, v, sizeof v), min, max);
		return -1;
	}
	*out = (long)d;
	return 0;
}

static int
parse_code(const char *s, long *out)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	*out = strtol(s, &end, 10);
	return *end != '\0' || *out < 100 || *out > 599 ? -1 : 0;
}

static int
bad_weight(const char *code, const char *text, char *err, size_t errlen)
{
	snprintf(err, errlen,
	    "bad mix weight for %s '%s': expected a number from 0 to %.0f",
	    code, text, MIX_WEIGHT_MAX);
	return -1;
}

/* Add CODE (a WHAT, for errors) with WEIGHT (written TEXT) to B's mix. */
static int
mix_add(struct mock_behaviour *b, const char *what, const char *code,
    double weight, const char *text, char *err, size_t errlen)
{
	long c;

	if (parse_code(code, &c) < 0) {
		snprintf(err, errlen,
		    "bad %s '%s': expected a status from 100 to 599", what,
		    code);
		return -1;
	}
	if (!isfinite(weight) || weight < 0 || weight > MIX_WEIGHT_MAX)
		return bad_weight(code, text, err, errlen);
	if (b->mix_len == MOCK_MIX_MAX) {
		snprintf(
		    err, errlen, "bad mix: more than %d codes", MOCK_MIX_MAX);
		return -1;
	}
	b->mix_codes[b->mix_len] = (int)c;
	b->mix_weights[b->mix_len++] = weight;
	return 0;
}

static int
mix_check_total(const struct mock_behaviour *b, char *err, size_t errlen)
{
	double total = 0;
	int i;

	for (i = 0; i < b->mix_len; i++)
		total += b->mix_weights[i];
	if (b->mix_len > 0 && !(total > 0)) {
		snprintf(err, errlen, "bad mix: the weights add up to 0");
		return -1;
	}
	return 0;
}

static int
parse_mix(const cJSON *item, struct mock_behaviour *b, char *err, size_t errlen)
{
	const cJSON *w;
	char v[48];

	b->mix_len = 0;
	if (cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsObject(item)) {
		snprintf(err, errlen,
		    "bad mix '%s': expected an object of "
		    "code and weight, such as {\"503\": 30, \"200\": 70}",
		    value_text(item, v, sizeof v));
		return -1;
	}
	cJSON_ArrayForEach (w, item) {
		value_text(w, v, sizeof v);
		if (!cJSON_IsNumber(w))
			return bad_weight(w->string, v, err, errlen);
		if (mix_add(b, "mix code", w->string, w->valuedouble, v, err,
		        errlen) < 0)
			return -1;
	}
	return mix_check_total(b, err, errlen);
}

int
mock_decimal_parse(const char *s, double max, double *out)
{
	size_t n = strspn(s, "0123456789."), dots = 0, i;

	for (i = 0; i < n; i++)
		dots += s[i] == '.';
	if (n == 0 || s[n] != '\0' || dots > 1 || dots == n)
		return -1;
	*out = strtod(s, NULL);
	return *out <= max ? 0 : -1;
}

static int
bad_codes(const char *s, char *err, size_t errlen)
{
	snprintf(err, errlen,
	    "bad status codes '%.40s': expected CODE[:WEIGHT],... "
	    "with codes from 100 to 599",
	    s);
	return -1;
}

int
mock_mix_parse(
    const char *s, struct mock_behaviour *b, char *err, size_t errlen)
{
	char buf[512], *tok, *save = NULL, *colon, *end;
	const char *text;
	double weight;

	b->mix_len = 0;
	if (strlen(s) >= sizeof buf || s[0] == '\0')
		return bad_codes(s, err, errlen);
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		weight = 1;
		text = "1";
		if ((colon = strpbrk(tok, ":=")) != NULL) {
			*colon = '\0';
			text = colon + 1;
			weight = strtod(text, &end);
			if (end == text || *end != '\0')
				return bad_weight(tok, text, err, errlen);
		}
		if (mix_add(b, "status code", tok, weight, text, err, errlen))
			return -1;
	}
	if (b->mix_len == 0)
		return bad_codes(s, err, errlen);
	return mix_check_total(b, err, errlen);
}

static int
parse_fault(const cJSON *item, enum mock_fault *out, char *err, size_t errlen)
{
	char v[48];

	if (cJSON_IsString(item) &&
	    mock_fault_parse(item->valuestring, out) == 0)
		return 0;
	snprintf(err, errlen,
	    "bad fault '%s': expected none, reset, close, "
	    "hang, slow_body, truncate or garbage",
	    cJSON_IsString(item) ? item->valuestring
	                         : value_text(item, v, sizeof v));
	return -1;
}

static int
parse_body(
    const cJSON *item, struct mock_behaviour *b, char *err, size_t errlen)
{
	if (cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsString(item)) {
		snprintf(err, errlen, "bad body: expected a string or null");
		return -1;
	}
	b->body = xstrdup(item->valuestring);
	return 0;
}

static bool
is_tchar(int c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static int
check_header(const char *name, const cJSON *value, char *err, size_t errlen)
{
	const char *p;
	size_t i;

	for (p = name; *p != '\0' && is_tchar((unsigned char)*p); p++)
		continue;
	if (*name == '\0' || *p != '\0' || p - name > 64) {
		snprintf(err, errlen,
		    "bad headers name '%.64s': expected "
		    "letters, digits and -",
		    name);
		return -1;
	}
	for (i = 0; i < sizeof reserved_headers / sizeof *reserved_headers; i++)
		if (strcasecmp(name, reserved_headers[i]) == 0) {
			snprintf(err, errlen,
			    "bad headers name '%s': set by "
			    "the mock itself",
			    name);
			return -1;
		}
	if (!cJSON_IsString(value) || strlen(value->valuestring) > 1024 ||
	    strpbrk(value->valuestring, "\r\n") != NULL) {
		snprintf(err, errlen,
		    "bad headers value for '%s': expected "
		    "a string of one line",
		    name);
		return -1;
	}
	return 0;
}

static int
parse_headers(
    const cJSON *item, struct mock_behaviour *b, char *err, size_t errlen)
{
	const cJSON *h;

	if (cJSON_IsNull(item))
		return 0;
	if (!cJSON_IsObject(item)) {
		snprintf(err, errlen,
		    "bad headers: expected an object of "
		    "name and value");
		return -1;
	}
	cJSON_ArrayForEach (h, item) {
		if (check_header(h->string, h, err, errlen) < 0)
			return -1;
		if (b->nheaders == MOCK_HEADERS_MAX) {
			snprintf(err, errlen, "bad headers: more than %d",
			    MOCK_HEADERS_MAX);
			return -1;
		}
		b->headers[b->nheaders].name = xstrdup(h->string);
		b->headers[b->nheaders++].value = xstrdup(h->valuestring);
	}
	return 0;
}

bool
mock_name_valid(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz"
	                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

	return n > 0 && n <= MOCK_NAME_MAX && name[n] == '\0';
}

static int
parse_endpoint(const cJSON *item, char *name, char *err, size_t errlen)
{
	const char *s;

	name[0] = '\0';
	if (item == NULL || cJSON_IsNull(item))
		return 0;
	s = cJSON_GetStringValue(item);
	if (s == NULL || !mock_name_valid(s)) {
		snprintf(err, errlen,
		    "bad endpoint '%.64s': expected up to %d "
		    "letters, digits, '.', '_' or '-'",
		    s ? s : "(not a string)", MOCK_NAME_MAX);
		return -1;
	}
	if (strcmp(s, "default") != 0)
		strcpy(name, s);
	return 0;
}

static int
check_fields(const cJSON *change, char *err, size_t errlen)
{
	const cJSON *item;
	size_t i, n = sizeof known_fields / sizeof *known_fields;

	if (!cJSON_IsObject(change)) {
		snprintf(err, errlen, "bad change: expected a JSON object");
		return -1;
	}
	cJSON_ArrayForEach (item, change) {
		for (i = 0; i < n; i++)
			if (strcmp(item->string, known_fields[i]) == 0)
				break;
		if (i == n) {
			snprintf(err, errlen,
			    "unknown field '%.64s': expected "
			    "status, mix, latency_ms, jitter_ms, fault, body, "
			    "headers or endpoint",
			    item->string);
			return -1;
		}
	}
	return 0;
}

static void
patch_clear(struct patch *p)
{
	int i;

	free(p->b.body);
	for (i = 0; i < p->b.nheaders; i++) {
		free(p->b.headers[i].name);
		free(p->b.headers[i].value);
	}
	memset(p, 0, sizeof *p);
}

/* One field of CHANGE into P; 0 when absent. */
static int
parse_field(const cJSON *change, const char *field, struct patch *p, char *err,
    size_t errlen)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(change, field);
	long v;

	if (item == NULL)
		return 0;
	if (strcmp(field, "status") == 0) {
		p->set |= SET_STATUS;
		if (parse_whole(item, field, 100, 599, &v, err, errlen) < 0)
			return -1;
		p->b.status = (int)v;
	} else if (strcmp(field, "mix") == 0) {
		p->set |= SET_MIX;
		return parse_mix(item, &p->b, err, errlen);
	} else if (strcmp(field, "latency_ms") == 0) {
		p->set |= SET_LATENCY;
		return parse_whole(item, field, 0, MOCK_LATENCY_MAX_MS,
		    &p->b.latency_ms, err, errlen);
	} else if (strcmp(field, "jitter_ms") == 0) {
		p->set |= SET_JITTER;
		return parse_whole(item, field, 0, MOCK_LATENCY_MAX_MS,
		    &p->b.jitter_ms, err, errlen);
	} else if (strcmp(field, "fault") == 0) {
		p->set |= SET_FAULT;
		return parse_fault(item, &p->b.fault, err, errlen);
	} else if (strcmp(field, "body") == 0) {
		p->set |= SET_BODY;
		return parse_body(item, &p->b, err, errlen);
	} else if (strcmp(field, "headers") == 0) {
		p->set |= SET_HEADERS;
		return parse_headers(item, &p->b, err, errlen);
	}
	return 0;
}

static int
patch_parse(const cJSON *change, struct patch *p, char *err, size_t errlen)
{
	size_t i;

	memset(p, 0, sizeof *p);
	if (check_fields(change, err, errlen) < 0)
		return -1;
	for (i = 0; i < sizeof known_fields / sizeof *known_fields; i++)
		if (parse_field(change, known_fields[i], p, err, errlen) < 0)
			goto fail;
	if (parse_endpoint(cJSON_GetObjectItemCaseSensitive(change, "endpoint"),
	        p->name, err, errlen) < 0)
		goto fail;
	if (p->set == 0) {
		snprintf(err, errlen,
		    "empty change: expected at least one of "
		    "status, mix, latency_ms, jitter_ms, fault, body, headers");
		goto fail;
	}
	return 0;
fail:
	patch_clear(p);
	return -1;
}

int
mock_state_validate(const cJSON *change, char *err, size_t errlen)
{
	struct patch p;

	if (patch_parse(change, &p, err, errlen) < 0)
		return -1;
	patch_clear(&p);
	return 0;
}

/* ---- applying: under the lock, copy, patch, publish ---- */

/* Move the fields P sets into B; P keeps what it did not give away. */
static void
patch_into(struct patch *p, struct mock_behaviour *b)
{
	struct mock_behaviour *from = &p->b;
	int i;

	if (p->set & SET_STATUS)
		b->status = from->status;
	if ((p->set & SET_STATUS) && !(p->set & SET_MIX))
		b->mix_len = 0;
	if (p->set & SET_MIX) {
		b->mix_len = from->mix_len;
		memcpy(b->mix_codes, from->mix_codes, sizeof b->mix_codes);
		memcpy(
		    b->mix_weights, from->mix_weights, sizeof b->mix_weights);
	}
	if (p->set & SET_LATENCY)
		b->latency_ms = from->latency_ms;
	if (p->set & SET_JITTER)
		b->jitter_ms = from->jitter_ms;
	if (p->set & SET_FAULT)
		b->fault = from->fault;
	if (p->set & SET_BODY) {
		free(b->body);
		b->body = from->body;
		from->body = NULL;
	}
	if (p->set & SET_HEADERS) {
		for (i = 0; i < b->nheaders; i++) {
			free(b->headers[i].name);
			free(b->headers[i].value);
		}
		memcpy(b->headers, from->headers, sizeof b->headers);
		b->nheaders = from->nheaders;
		from->nheaders = 0;
	}
}

static struct endpoint *
find_endpoint(struct mock_state *st, const char *name)
{
	int i;

	for (i = 0; i < st->nendpoints; i++)
		if (strcmp(st->endpoints[i].name, name) == 0)
			return &st->endpoints[i];
	return NULL;
}

static void
history_add(
    struct mock_state *st, const char *source, const char *name, cJSON *fields)
{
	struct history_entry *h = &st->history[st->history_next];

	cJSON_Delete(h->fields);
	h->change = st->last_change;
	h->wall_ms = clock_wall_ms();
	snprintf(h->source, sizeof h->source, "%s", source);
	snprintf(h->endpoint, sizeof h->endpoint, "%s", name);
	h->fields = fields;
	st->history_next = (st->history_next + 1) % MOCK_HISTORY_MAX;
	if (st->history_len < MOCK_HISTORY_MAX)
		st->history_len++;
}

static void
log_change(const struct mock_behaviour *b, const char *source, const char *name)
{
	cJSON *fields, *item, *body;

	if (!log_enabled(LOG_INFO))
		return;
	fields = cJSON_CreateObject();
	cJSON_AddNumberToObject(fields, "change", (double)b->change);
	cJSON_AddStringToObject(fields, "source", source);
	cJSON_AddStringToObject(
	    fields, "endpoint", name[0] != '\0' ? name : "default");
	item = mock_behaviour_json(b);
	body = cJSON_GetObjectItem(item, "body");
	if (cJSON_IsString(body) && strlen(body->valuestring) > LOG_BODY_MAX)
		strcpy(body->valuestring + LOG_BODY_MAX - 3, "...");
	cJSON_DeleteItemFromObject(item, "change");
	while (item->child != NULL) {
		cJSON *c = cJSON_DetachItemViaPointer(item, item->child);

		cJSON_AddItemToObject(fields, c->string, c);
	}
	cJSON_Delete(item);
	log_event(LOG_INFO, "mock", fields);
}

static long
apply_locked(struct mock_state *st, struct patch *p, const cJSON *change,
    const char *source)
{
	struct endpoint *e = find_endpoint(st, p->name);
	struct mock_behaviour *b;

	if (e == NULL) {
		if (st->nendpoints == MOCK_ENDPOINTS_MAX)
			return -1;
		e = &st->endpoints[st->nendpoints++];
		snprintf(e->name, sizeof e->name, "%s", p->name);
		e->b = behaviour_copy(st->endpoints[0].b);
	}
	b = behaviour_copy(e->b);
	patch_into(p, b);
	b->change = ++st->last_change;
	b->change_wall_ms = clock_wall_ms();
	mock_behaviour_release(e->b);
	e->b = b;
	history_add(st, source, p->name, cJSON_Duplicate(change, true));
	log_change(b, source, p->name);
	return (long)b->change;
}

long
mock_state_apply(struct mock_state *st, const cJSON *change, const char *source,
    char *err, size_t errlen)
{
	struct patch p;
	long id;

	if (patch_parse(change, &p, err, errlen) < 0)
		return -1;
	pthread_mutex_lock(&st->lock);
	id = apply_locked(st, &p, change, source);
	pthread_mutex_unlock(&st->lock);
	if (id < 0)
		snprintf(err, errlen,
		    "bad endpoint '%s': already %d named "
		    "endpoints",
		    p.name, MOCK_ENDPOINTS_MAX - 1);
	patch_clear(&p);
	return id;
}

long
mock_state_reset(struct mock_state *st, const char *source)
{
	cJSON *fields = cJSON_CreateObject();
	long id;
	int i;

	cJSON_AddTrueToObject(fields, "reset");
	pthread_mutex_lock(&st->lock);
	for (i = 0; i < st->nendpoints; i++)
		mock_behaviour_release(st->endpoints[i].b);
	st->nendpoints = 1;
	st->endpoints[0].b = behaviour_healthy();
	st->endpoints[0].b->change = ++st->last_change;
	st->endpoints[0].b->change_wall_ms = clock_wall_ms();
	id = (long)st->last_change;
	history_add(st, source, "", fields);
	log_change(st->endpoints[0].b, source, "");
	pthread_mutex_unlock(&st->lock);
	return id;
}

struct mock_state *
mock_state_create(uint64_t seed)
{
	struct mock_state *st = xcalloc(1, sizeof *st);

	pthread_mutex_init(&st->lock, NULL);
	atomic_init(&st->seed, seed);
	atomic_init(&st->draws, 0);
	st->nendpoints = 1;
	st->endpoints[0].b = behaviour_healthy();
	st->endpoints[0].b->change = st->last_change = 1;
	st->endpoints[0].b->change_wall_ms = clock_wall_ms();
	history_add(st, "start", "", cJSON_CreateObject());
	return st;
}

void
mock_state_destroy(struct mock_state *st)
{
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nendpoints; i++)
		mock_behaviour_release(st->endpoints[i].b);
	for (i = 0; i < MOCK_HISTORY_MAX; i++)
		cJSON_Delete(st->history[i].fields);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

const struct mock_behaviour *
mock_state_get(struct mock_state *st, const char *name)
{
	struct endpoint *e;
	struct mock_behaviour *b;

	pthread_mutex_lock(&st->lock);
	e = name != NULL ? find_endpoint(st, name) : NULL;
	b = e != NULL ? e->b : st->endpoints[0].b;
	atomic_fetch_add(&b->refs, 1);
	pthread_mutex_unlock(&st->lock);
	return b;
}

/* ---- JSON views ---- */

cJSON *
mock_behaviour_json(const struct mock_behaviour *b)
{
	cJSON *o = cJSON_CreateObject(), *mix, *headers;
	char code[8];
	int i;

	cJSON_AddNumberToObject(o, "status", b->status);
	if (b->mix_len == 0)
		cJSON_AddNullToObject(o, "mix");
	mix = b->mix_len > 0 ? cJSON_AddObjectToObject(o, "mix") : NULL;
	for (i = 0; i < b->mix_len; i++) {
		snprintf(code, sizeof code, "%d", b->mix_codes[i]);
		cJSON_AddNumberToObject(mix, code, b->mix_weights[i]);
	}
	cJSON_AddNumberToObject(o, "latency_ms", (double)b->latency_ms);
	cJSON_AddNumberToObject(o, "jitter_ms", (double)b->jitter_ms);
	cJSON_AddStringToObject(o, "fault", mock_fault_name(b->fault));
	if (b->body != NULL)
		cJSON_AddStringToObject(o, "body", b->body);
	else
		cJSON_AddNullToObject(o, "body");
	headers = cJSON_AddObjectToObject(o, "headers");
	for (i = 0; i < b->nheaders; i++)
		cJSON_AddStringToObject(
		    headers, b->headers[i].name, b->headers[i].value);
	cJSON_AddNumberToObject(o, "change", (double)b->change);
	return o;
}

cJSON *
mock_state_json(struct mock_state *st)
{
	cJSON *o, *named;
	int i;

	pthread_mutex_lock(&st->lock);
	o = mock_behaviour_json(st->endpoints[0].b);
	cJSON_AddNumberToObject(o, "last_change", (double)st->last_change);
	named = cJSON_AddObjectToObject(o, "endpoints");
	for (i = 1; i < st->nendpoints; i++)
		cJSON_AddItemToObject(named, st->endpoints[i].name,
		    mock_behaviour_json(st->endpoints[i].b));
	pthread_mutex_unlock(&st->lock);
	return o;
}

static cJSON *
history_entry_json(const struct history_entry *h)
{
	cJSON *o = cJSON_CreateObject();
	char ts[CLOCK_RFC3339_LEN];

	clock_format_rfc3339(h->wall_ms, ts);
	cJSON_AddNumberToObject(o, "change", (double)h->change);
	cJSON_AddStringToObject(o, "ts", ts);
	cJSON_AddStringToObject(o, "source", h->source);
	cJSON_AddStringToObject(
	    o, "endpoint", h->endpoint[0] != '\0' ? h->endpoint : "default");
	cJSON_AddItemToObject(o, "fields", cJSON_Duplicate(h->fields, true));
	return o;
}

cJSON *
mock_state_history_json(struct mock_state *st)
{
	cJSON *o = cJSON_CreateObject(), *list;
	int i, start;

	list = cJSON_AddArrayToObject(o, "changes");
	pthread_mutex_lock(&st->lock);
	start = (st->history_next - st->history_len + MOCK_HISTORY_MAX) %
	        MOCK_HISTORY_MAX;
	for (i = 0; i < st->history_len; i++)
		cJSON_AddItemToArray(
		    list, history_entry_json(
		              &st->history[(start + i) % MOCK_HISTORY_MAX]));
	pthread_mutex_unlock(&st->lock);
	return o;
}
