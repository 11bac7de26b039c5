#include "probe/target.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "common/parse.h"
#include "common/xalloc.h"

/* An interval below this is a typo that would hammer the target. */
#define PROBE_INTERVAL_MIN_MS 100

void
probe_defaults_init(struct probe_defaults *d)
{
	char err[128];

	memset(d, 0, sizeof *d);
	d->interval_ms = 5000;
	d->timeout_ms = 2000;
	probe_expect_parse("2xx", &d->expect, err, sizeof err);
	d->method = "GET";
}

static void
expect_set(struct probe_expect *e, int from, int to)
{
	int code;

	for (code = from; code <= to; code++)
		e->bits[(code - 100) / 8] |=
		    (uint8_t)(1u << ((code - 100) % 8));
}

bool
probe_expect_match(const struct probe_expect *e, int status)
{
	if (status < 100 || status > 599)
		return false;
	return (e->bits[(status - 100) / 8] >> ((status - 100) % 8)) & 1;
}

/* Read a status code of exactly three digits from S into *CODE. */
static int
read_code(const char *s, size_t len, int *code)
{
	if (len != 3 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		return -1;
	*code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	return *code >= 100 && *code <= 599 ? 0 : -1;
}

/* One part of an expect spec: "200", "200-299" or "2xx". */
static int
expect_part(const char *s, size_t len, struct probe_expect *e)
{
	const char *dash = memchr(s, '-', len);
	int from, to;

	if (len == 3 && (s[1] == 'x' || s[1] == 'X') &&
	    (s[2] == 'x' || s[2] == 'X') && s[0] >= '1' && s[0] <= '5') {
		expect_set(e, (s[0] - '0') * 100, (s[0] - '0') * 100 + 99);
		return 0;
	}
	if (dash == NULL) {
		if (read_code(s, len, &from) < 0)
			return -1;
		expect_set(e, from, from);
		return 0;
	}
	if (read_code(s, (size_t)(dash - s), &from) < 0 ||
	    read_code(dash + 1, len - (size_t)(dash - s) - 1, &to) < 0 ||
	    to < from)
		return -1;
	expect_set(e, from, to);
	return 0;
}

int
probe_expect_parse(
    const char *s, struct probe_expect *out, char *err, size_t errlen)
{
	struct probe_expect e;
	const char *p = s, *end;
	size_t len;

	memset(&e, 0, sizeof e);
	do {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		while (len > 0 && isspace((unsigned char)*p))
			p++, len--;
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		if (expect_part(p, len, &e) < 0) {
			snprintf(err, errlen,
			    "bad expect '%s': '%.*s' is not "
			    "a status code (100-599), a range such as 200-299 "
			    "or a class such as 2xx",
			    s, (int)len, p);
			return -1;
		}
		p = end != NULL ? end + 1 : NULL;
	} while (p != NULL);
	*out = e;
	return 0;
}

void
probe_expect_format(const struct probe_expect *e, char *buf, size_t len)
{
	size_t used = 0;
	int code, from;

	buf[0] = '\0';
	for (code = 100; code <= 599; code++) {
		if (!probe_expect_match(e, code))
			continue;
		from = code;
		while (code < 599 && probe_expect_match(e, code + 1))
			code++;
		if (used >= len)
			break;
		if (from == code)
			used += (size_t)snprintf(buf + used, len - used, "%s%d",
			    used > 0 ? "," : "", from);
		else
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%d-%d", used > 0 ? "," : "", from, code);
	}
}

long
probe_targets_find(const struct probe_target_list *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->items[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void
target_free(struct probe_target *t)
{
	char **h;

	free(t->name);
	free(t->url);
	free(t->method);
	for (h = t->headers; h != NULL && *h != NULL; h++)
		free(*h);
	free(t->headers);
	free(t->body);
	free(t->body_contains);
	free(t->body_regex);
	if (t->body_regex_compiled != NULL)
		regfree(t->body_regex_compiled);
	free(t->body_regex_compiled);
	memset(t, 0, sizeof *t);
}

void
probe_targets_clear(struct probe_target_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		target_free(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

/* Drop targets appended after the first COUNT (undo on error). */
static void
targets_truncate(struct probe_target_list *list, size_t count)
{
	while (list->count > count)
		target_free(&list->items[--list->count]);
	if (list->count == 0) {
		free(list->items);
		list->items = NULL;
	}
}

/*
 * Check that URL is an absolute http or https URL with a host, and
 * write its default target name (host[:port][/path]) into NAME.
 */
static int
check_url(const char *url, char *name, size_t namelen, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	int rc = -1;

	if (u == NULL)
		fatal("out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		snprintf(err, errlen,
		    "bad URL '%s': expected "
		    "http://host[:port]/path or https://...",
		    url);
		goto out;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		snprintf(err, errlen,
		    "bad URL '%s': scheme must be http "
		    "or https",
		    url);
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	snprintf(name, namelen, "%s%s%s%s", host, port ? ":" : "",
	    port ? port : "", path && strcmp(path, "/") != 0 ? path : "");
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

/* Append a target for URL with the defaults; NAME NULL picks one. */
static struct probe_target *
target_append(struct probe_target_list *list, const char *name, const char *url,
    const struct probe_defaults *d, char *err, size_t errlen)
{
	char defname[512], unique[540];
	struct probe_target *t;
	int n;

	if (check_url(url, defname, sizeof defname, err, errlen) < 0)
		return NULL;
	if (name != NULL && *name == '\0') {
		snprintf(err, errlen, "bad target '=%s': empty name", url);
		return NULL;
	}
	if (name != NULL && probe_targets_find(list, name) >= 0) {
		snprintf(err, errlen, "duplicate target name '%s'", name);
		return NULL;
	}
	snprintf(unique, sizeof unique, "%s", defname);
	for (n = 2; name == NULL && probe_targets_find(list, unique) >= 0; n++)
		snprintf(unique, sizeof unique, "%s#%d", defname, n);

	list->items =
	    xrealloc(list->items, (list->count + 1) * sizeof *list->items);
	t = &list->items[list->count++];
	memset(t, 0, sizeof *t);
	t->name = xstrdup(name != NULL ? name : unique);
	t->url = xstrdup(url);
	t->method = xstrdup(d->method);
	t->headers = xcalloc(1, sizeof *t->headers);
	t->interval_ms = d->interval_ms;
	t->timeout_ms = d->timeout_ms;
	t->expect = d->expect;
	t->max_body_bytes = PROBE_MAX_BODY_DEFAULT;
	return t;
}

int
probe_targets_add_url(struct probe_target_list *list, const char *name,
    const char *url, const struct probe_defaults *d, char *err, size_t errlen)
{
	return target_append(list, name, url, d, err, errlen) ? 0 : -1;
}

int
probe_targets_add_spec(struct probe_target_list *list, const char *spec,
    const struct probe_defaults *d, char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');
	char *name;
	int rc;

	/* A '=' after "://" belongs to the URL's query, not to a name. */
	if (eq == NULL || memchr(spec, ':', (size_t)(eq - spec)) != NULL)
		return probe_targets_add_url(list, NULL, spec, d, err, errlen);
	name = xmalloc((size_t)(eq - spec) + 1);
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = '\0';
	rc = probe_targets_add_url(list, name, eq + 1, d, err, errlen);
	free(name);
	return rc;
}

int
probe_targets_parse_list(struct probe_target_list *list, const char *s,
    const struct probe_defaults *d, char *err, size_t errlen)
{
	size_t before = list->count;
	char *copy = xstrdup(s), *item, *save = NULL;
	int rc = 0, n = 0;

	for (item = strtok_r(copy, ",", &save); item != NULL && rc == 0;
	     item = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*item))
			item++;
		item[strcspn(item, " \t\r\n")] = '\0';
		if (*item == '\0')
			continue;
		rc = probe_targets_add_spec(list, item, d, err, errlen);
		n++;
	}
	if (rc == 0 && n == 0) {
		snprintf(err, errlen, "bad target list '%s': no URL in it", s);
		rc = -1;
	}
	free(copy);
	if (rc < 0)
		targets_truncate(list, before);
	return rc;
}

/* Context for the messages of one target of a config file. */
struct field_ctx {
	const char *origin;
	size_t index;
	char *err;
	size_t errlen;
};

static int
field_error(const struct field_ctx *c, const char *field, const char *msg)
{
	snprintf(c->err, c->errlen, "%s: targets[%zu].%s: %s", c->origin,
	    c->index, field, msg);
	return -1;
}

static int
field_string(
    const struct field_ctx *c, const cJSON *obj, const char *field, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return field_error(c, field, "expected a string");
	free(*out);
	*out = xstrdup(v->valuestring);
	return 0;
}

static int
field_bool(
    const struct field_ctx *c, const cJSON *obj, const char *field, bool *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v))
		return field_error(c, field, "expected true or false");
	*out = cJSON_IsTrue(v);
	return 0;
}

static int
field_duration(const struct field_ctx *c, const cJSON *obj, const char *field,
    int64_t min_ms, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);
	char why[200], msg[240];

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return field_error(
		    c, field, "expected a duration string such as \"5s\"");
	if (parse_duration_ms(v->valuestring, out, why, sizeof why) < 0)
		return field_error(c, field, why);
	if (*out < min_ms) {
		snprintf(msg, sizeof msg,
		    "bad duration '%s': must be at "
		    "least %lldms",
		    v->valuestring, (long long)min_ms);
		return field_error(c, field, msg);
	}
	return 0;
}

/* "headers": {"Name": "value"} or ["Name: value", ...]. */
static int
field_headers(
    const struct field_ctx *c, const cJSON *obj, struct probe_target *t)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "headers");
	const cJSON *h;
	size_t n = 0;
	char *line;

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return field_error(c, "headers",
		    "expected an object of "
		    "name: value strings");
	t->headers = xrealloc(t->headers,
	    ((size_t)cJSON_GetArraySize(v) + 1) * sizeof *t->headers);
	t->headers[0] = NULL;
	cJSON_ArrayForEach (h, v) {
		if (!cJSON_IsString(h))
			return field_error(c, "headers",
			    "values must be "
			    "strings");
		if (cJSON_IsArray(v) && strchr(h->valuestring, ':') == NULL)
			return field_error(c, "headers",
			    "expected "
			    "\"Name: value\"");
		line = xmalloc(strlen(h->valuestring) +
		               (h->string ? strlen(h->string) : 0) + 3);
		if (cJSON_IsObject(v))
			sprintf(line, "%s: %s", h->string, h->valuestring);
		else
			strcpy(line, h->valuestring);
		t->headers[n++] = line;
		t->headers[n] = NULL;
	}
	return 0;
}

/* "expect": "2xx,301", or a number such as 204. */
static int
field_expect(
    const struct field_ctx *c, const cJSON *obj, struct probe_target *t)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "expect");
	char why[200], num[32];
	const char *spec;

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof num, "%g", v->valuedouble);
		spec = num;
	} else if (cJSON_IsString(v)) {
		spec = v->valuestring;
	} else {
		return field_error(c, "expect",
		    "expected a string such as "
		    "\"2xx,301\"");
	}
	if (probe_expect_parse(spec, &t->expect, why, sizeof why) < 0)
		return field_error(c, "expect", why);
	return 0;
}

/* "follow_redirects": true (up to 5), false, or a limit. */
static int
field_redirects(
    const struct field_ctx *c, const cJSON *obj, struct probe_target *t)
{
	const cJSON *v =
	    cJSON_GetObjectItemCaseSensitive(obj, "follow_redirects");

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsBool(v)) {
		t->max_redirects =
		    cJSON_IsTrue(v) ? PROBE_REDIRECTS_DEFAULT : 0;
		return 0;
	}
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 50 ||
	    v->valuedouble != (int)v->valuedouble)
		return field_error(c, "follow_redirects",
		    "expected true, "
		    "false or a limit from 0 to 50");
	t->max_redirects = (int)v->valuedouble;
	return 0;
}

/* "ip": "any", "4" or "6" (numbers 4 and 6 too). */
static int
field_ip(const struct field_ctx *c, const cJSON *obj, struct probe_target *t)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "ip");
	const char *s = cJSON_IsString(v) ? v->valuestring : "";

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (strcmp(s, "any") == 0)
		t->ip = PROBE_IP_ANY;
	else if (strcmp(s, "4") == 0 ||
	         (cJSON_IsNumber(v) && v->valuedouble == 4))
		t->ip = PROBE_IP_V4;
	else if (strcmp(s, "6") == 0 ||
	         (cJSON_IsNumber(v) && v->valuedouble == 6))
		t->ip = PROBE_IP_V6;
	else
		return field_error(c, "ip", "expected \"any\", \"4\" or \"6\"");
	return 0;
}

/* "max_body": "64k" or a number of bytes. */
static int
field_max_body(
    const struct field_ctx *c, const cJSON *obj, struct probe_target *t)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "max_body");
	char why[200];

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e12) {
		t->max_body_bytes = (size_t)v->valuedouble;
		return 0;
	}
	if (!cJSON_IsString(v))
		return field_error(c, "max_body",
		    "expected a size such as "
		    "\"1M\"");
	if (parse_size(v->valuestring, &t->max_body_bytes, why, sizeof why) < 0)
		return field_error(c, "max_body", why);
	return 0;
}

static int
field_regex(const struct field_ctx *c, struct probe_target *t)
{
	char why[160], msg[240];
	int rc;

	if (t->body_regex == NULL)
		return 0;
	t->body_regex_compiled = xmalloc(sizeof(regex_t));
	rc = regcomp(
	    t->body_regex_compiled, t->body_regex, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, t->body_regex_compiled, why, sizeof why);
		free(t->body_regex_compiled);
		t->body_regex_compiled = NULL;
		snprintf(
		    msg, sizeof msg, "bad regex '%s': %s", t->body_regex, why);
		return field_error(c, "body_regex", msg);
	}
	return 0;
}

/* Refuse members this version does not know: a typo must not pass. */
static int
check_known_fields(const struct field_ctx *c, const cJSON *obj)
{
	static const char *const known[] = {"name", "url", "method", "headers",
	    "body", "interval", "timeout", "expect", "body_contains",
	    "body_regex", "max_latency", "follow_redirects", "insecure", "ip",
	    "keepalive", "max_body"};
	const cJSON *v;
	size_t i;

	cJSON_ArrayForEach (v, obj) {
		for (i = 0; i < sizeof known / sizeof *known; i++)
			if (strcmp(v->string, known[i]) == 0)
				break;
		if (i == sizeof known / sizeof *known)
			return field_error(c, v->string, "unknown field");
	}
	return 0;
}

static int
target_fields(
    const struct field_ctx *c, const cJSON *obj, struct probe_target *t)
{
	if (check_known_fields(c, obj) < 0 ||
	    field_string(c, obj, "method", &t->method) < 0 ||
	    field_headers(c, obj, t) < 0 ||
	    field_string(c, obj, "body", &t->body) < 0 ||
	    field_duration(c, obj, "interval", PROBE_INTERVAL_MIN_MS,
	        &t->interval_ms) < 0 ||
	    field_duration(c, obj, "timeout", 1, &t->timeout_ms) < 0 ||
	    field_duration(c, obj, "max_latency", 0, &t->max_latency_ms) < 0 ||
	    field_expect(c, obj, t) < 0 ||
	    field_string(c, obj, "body_contains", &t->body_contains) < 0 ||
	    field_string(c, obj, "body_regex", &t->body_regex) < 0 ||
	    field_regex(c, t) < 0 || field_redirects(c, obj, t) < 0 ||
	    field_bool(c, obj, "insecure", &t->insecure) < 0 ||
	    field_bool(c, obj, "keepalive", &t->keepalive) < 0 ||
	    field_ip(c, obj, t) < 0 || field_max_body(c, obj, t) < 0)
		return -1;
	if (*t->method == '\0')
		return field_error(c, "method", "empty method");
	return 0;
}

static int
parse_one(struct probe_target_list *list, const cJSON *obj,
    const struct field_ctx *c, const struct probe_defaults *d)
{
	const cJSON *url = cJSON_GetObjectItemCaseSensitive(obj, "url");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(obj, "name");
	struct probe_target *t;
	char why[300];

	if (!cJSON_IsObject(obj)) {
		snprintf(c->err, c->errlen,
		    "%s: targets[%zu]: expected an "
		    "object with a \"url\"",
		    c->origin, c->index);
		return -1;
	}
	if (!cJSON_IsString(url))
		return field_error(c, "url", "missing, or not a string");
	if (name != NULL && !cJSON_IsString(name))
		return field_error(c, "name", "expected a string");
	t = target_append(list, name ? name->valuestring : NULL,
	    url->valuestring, d, why, sizeof why);
	if (t == NULL)
		return field_error(c, name ? "name" : "url", why);
	return target_fields(c, obj, t);
}

int
probe_targets_parse_json(struct probe_target_list *list, const cJSON *array,
    const char *origin, const struct probe_defaults *d, char *err,
    size_t errlen)
{
	struct field_ctx c = {origin, 0, err, errlen};
	size_t before = list->count;
	const cJSON *obj;

	if (!cJSON_IsArray(array)) {
		snprintf(err, errlen,
		    "%s: targets: expected an array of "
		    "objects",
		    origin);
		return -1;
	}
	cJSON_ArrayForEach (obj, array) {
		if (parse_one(list, obj, &c, d) < 0) {
			targets_truncate(list, before);
			return -1;
		}
		c.index++;
	}
	return 0;
}

/* Read all of PATH into a NUL-terminated buffer; caller frees. */
static char *
read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 4096, n;
	char *buf;

	if (f == NULL) {
		snprintf(err, errlen, "cannot read config '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	buf = xmalloc(cap);
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len - 1 == 0)
			buf = xrealloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

cJSON *
probe_targets_read_config(const char *path, char *err, size_t errlen)
{
	const char *end = NULL;
	char *text;
	cJSON *root;

	if ((text = read_file(path, err, errlen)) == NULL)
		return NULL;
	root = cJSON_ParseWithOpts(text, &end, 1);
	if (root == NULL)
		snprintf(err, errlen,
		    "bad config '%s': invalid JSON at "
		    "byte %td",
		    path, end ? end - text : 0);
	free(text);
	return root;
}

int
probe_targets_load_file(struct probe_target_list *list, const char *path,
    const struct probe_defaults *d, char *err, size_t errlen)
{
	cJSON *root = probe_targets_read_config(path, err, errlen);
	const cJSON *array;
	int rc;

	if (root == NULL)
		return -1;
	array = cJSON_IsArray(root)
	            ? root
	            : cJSON_GetObjectItemCaseSensitive(root, "targets");
	rc = array == NULL
	         ? 0
	         : probe_targets_parse_json(list, array, path, d, err, errlen);
	cJSON_Delete(root);
	return rc;
}
