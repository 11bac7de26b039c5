#include "probe/target.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "common/parse.h"
#include "common/xalloc.h"

/* An interval below this is a typo that would hammer the target. */
#define PROBE_INTERVAL_MIN_MS 100

/*
 * Write control characters in the message S (of SIZE bytes) as \n, \r
 * or \xNN, so an error quoting a bad value stays on one line.
 */
static void
escape_controls(char *s, size_t size)
{
	char tmp[1024];
	unsigned char ch;
	size_t i, n = 0;

	for (i = 0; s[i] != '\0' && n + 5 < sizeof tmp; i++) {
		ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != 0x7f)
			tmp[n++] = s[i];
		else if (ch == '\n' || ch == '\r')
			n += (size_t)snprintf(tmp + n, sizeof tmp - n, "\\%c",
			    ch == '\n' ? 'n' : 'r');
		else
			n += (size_t)snprintf(
			    tmp + n, sizeof tmp - n, "\\x%02x", ch);
	}
	tmp[n] = '\0';
	snprintf(s, size, "%s", tmp);
}

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

/* RFC 9110's tchar: what a method or a header name is made of. */
static bool
is_tchar(char c)
{
	return isalnum((unsigned char)c) ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static bool
is_token(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_tchar(s[i]))
			return false;
	return len > 0;
}

int
probe_method_check(const char *method, char *err, size_t errlen)
{
	if (is_token(method, strlen(method)) && strlen(method) <= 32)
		return 0;
	snprintf(err, errlen,
	    "bad method '%s': expected a word such as GET, HEAD or POST",
	    method);
	escape_controls(err, errlen);
	return -1;
}

int
probe_header_check(const char *name, size_t name_len, const char *value,
    char *err, size_t errlen)
{
	if (!is_token(name, name_len)) {
		snprintf(err, errlen,
		    "bad header name '%.*s': expected a word such as "
		    "X-Request-Id",
		    (int)name_len, name);
		escape_controls(err, errlen);
		return -1;
	}
	if (strpbrk(value, "\r\n") == NULL)
		return 0;
	snprintf(err, errlen, "bad header '%.*s': its value holds a line break",
	    (int)name_len, name);
	return -1;
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
	free(t->display_url);
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

/* Drop a UTF-8 character that a cut at the end of S left unfinished. */
static void
utf8_cut(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char lead;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || (lead = (unsigned char)s[i - 1]) < 0xc0)
		return;
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

/*
 * What libcurl lets pass: white space (a list would lose what follows
 * it) and "http:///path", where it takes the path for the host.
 */
static int
check_url_text(const char *url, char *err, size_t errlen)
{
	const char *sep = strstr(url, "://");
	const char *why = NULL;

	if (url[strcspn(url, " \t\r\n\v\f")] != '\0')
		why = "white space in it (write a space as %20)";
	else if (sep == NULL)
		why = "expected http://host[:port]/path or https://...";
	else if (sep[3] == '/' || sep[3] == '\0')
		why = "no host";
	if (why == NULL)
		return 0;
	snprintf(err, errlen, "bad URL '%s': %s", url, why);
	escape_controls(err, errlen);
	return -1;
}

/* True when HOST is printable ASCII (libcurl takes raw bytes too). */
static bool
host_is_ascii(const char *host)
{
	for (; *host != '\0'; host++)
		if ((unsigned char)*host <= 0x20 ||
		    (unsigned char)*host >= 0x7f)
			return false;
	return true;
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
	if (check_url_text(url, err, errlen) < 0)
		goto out;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		snprintf(err, errlen,
		    "bad URL '%s': expected "
		    "http://host[:port]/path or https://...",
		    url);
		goto out;
	}
	if (!host_is_ascii(host)) {
		snprintf(err, errlen,
		    "bad URL '%s': the host must be ASCII (write a "
		    "non-ASCII name in its xn-- form)",
		    url);
		escape_controls(err, errlen);
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
	utf8_cut(name);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

/* URL with the password of its userinfo as "***"; caller frees. */
static char *
redact_url(const char *url)
{
	const char *host = strstr(url, "://"), *at = NULL, *colon, *p;
	char *out;

	host = host != NULL ? host + 3 : url;
	/* The userinfo ends at the authority's last '@'. */
	for (p = host; *p != '\0' && strchr("/?#", *p) == NULL; p++)
		if (*p == '@')
			at = p;
	colon = at != NULL ? memchr(host, ':', (size_t)(at - host)) : NULL;
	if (colon == NULL)
		return xstrdup(url);
	out = xmalloc(strlen(url) + 4);
	sprintf(out, "%.*s***%s", (int)(colon + 1 - url), url, at);
	return out;
}

const char *
probe_target_display_url(const struct probe_target *t)
{
	return t->display_url != NULL ? t->display_url : t->url;
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
	t->display_url = redact_url(url);
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

/* Cut the white space around S in place; returns its new start. */
static char *
trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int
probe_targets_add_spec(struct probe_target_list *list, const char *spec,
    const struct probe_defaults *d, char *err, size_t errlen)
{
	char *copy = xstrdup(spec), *eq = strchr(copy, '='), *name;
	int rc;

	/* A '=' after "://" belongs to the URL's query, not to a name. */
	if (eq == NULL || memchr(copy, ':', (size_t)(eq - copy)) != NULL) {
		rc = probe_targets_add_url(
		    list, NULL, trim(copy), d, err, errlen);
	} else {
		*eq = '\0';
		name = trim(copy);
		if (*name == '\0') {
			snprintf(
			    err, errlen, "bad target '%s': empty name", spec);
			escape_controls(err, errlen);
			rc = -1;
		} else {
			rc = probe_targets_add_url(
			    list, name, trim(eq + 1), d, err, errlen);
		}
	}
	free(copy);
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
		item = trim(item);
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
	escape_controls(c->err, c->errlen);
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

/* One member H of "headers" V: an object's name: value, or a line. */
static int
header_check(const struct field_ctx *c, const cJSON *v, const cJSON *h)
{
	const char *line = h->valuestring, *colon = strchr(line, ':');
	char why[300];
	int rc;

	if (cJSON_IsObject(v))
		rc = probe_header_check(h->string, strlen(h->string),
		    h->valuestring, why, sizeof why);
	else
		rc = probe_header_check(
		    line, (size_t)(colon - line), colon + 1, why, sizeof why);
	return rc < 0 ? field_error(c, "headers", why) : 0;
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
		if (header_check(c, v, h) < 0)
			return -1;
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

/*
 * What a body_regex may cost. glibc's matcher is linear without
 * back-references and exponential with them; counted repetition
 * ("a{1,255}") is expanded into copies at compile time, so nested
 * counts multiply. POSIX promises counts up to 255 only.
 */
#define REGEX_COUNT_MAX 255
#define REGEX_SIZE_MAX  10000
#define REGEX_DEPTH_MAX 64

/* Skip the bracket expression opening at P; returns its last char. */
static const char *
regex_skip_bracket(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p != '\0' && *p != ']'; p++)
		if (*p == '[' && p[1] != '\0' && strchr(":.=", p[1]) != NULL)
			p = strchr(p + 2, ']') ? strchr(p + 2, ']') : p + 1;
	return *p == '\0' ? p - 1 : p;
}

/* Read the decimal at P into *OUT (kept from overflowing); past it. */
static const char *
regex_bound(const char *p, long *out)
{
	for (*out = 0; isdigit((unsigned char)*p); p++)
		if (*out < 1000000)
			*out = *out * 10 + (*p - '0');
	return p;
}

/*
 * The count of "{m}", "{m,}", "{m,n}" or "{,n}" (glibc's 0 to n) at P,
 * the larger bound, or -1 when P opens none.
 */
static long
regex_count(const char *p, const char **end)
{
	const char *e;
	long m, n = 0;
	bool has_m;

	if (*p != '{')
		return -1;
	has_m = isdigit((unsigned char)p[1]);
	e = regex_bound(p + 1, &m);
	if (*e == ',' && isdigit((unsigned char)e[1]))
		e = regex_bound(e + 1, &n);
	else if (*e == ',' && has_m)
		e++;
	if (*e != '}' || (!has_m && n == 0))
		return -1;
	*end = e;
	return n > m ? n : m;
}

/*
 * Refuse what would make matching or compiling unbounded: a
 * back-reference, a count over 255, or counts that expand the pattern
 * beyond REGEX_SIZE_MAX. Returns 0, or -1 with the reason in WHY.
 */
static int
regex_check_cost(const char *re, char *why, size_t len)
{
	size_t size[REGEX_DEPTH_MAX + 1] = {0}, last = 0, depth = 0;
	const char *p, *end;
	long count;

	for (p = re; *p != '\0'; p++) {
		if ((count = regex_count(p, &end)) >= 0) {
			if (count > REGEX_COUNT_MAX) {
				snprintf(why, len, "count %ld over %d", count,
				    REGEX_COUNT_MAX);
				return -1;
			}
			size[depth] +=
			    last * (size_t)(count > 0 ? count - 1 : 0);
			last *= (size_t)count;
			p = end;
		} else if (*p == '(') {
			if (++depth > REGEX_DEPTH_MAX) {
				snprintf(why, len, "groups nested over %d deep",
				    REGEX_DEPTH_MAX);
				return -1;
			}
			size[depth] = 0;
			continue;
		} else if (*p == ')' && depth > 0) {
			last = size[depth--] + 1;
			size[depth] += last;
		} else if (*p == '\\' && p[1] >= '1' && p[1] <= '9') {
			snprintf(why, len,
			    "back-reference '\\%c' not supported: it can "
			    "take exponential time",
			    p[1]);
			return -1;
		} else if (*p == '\\' || *p == '[' || !strchr("*+?|", *p)) {
			p = *p == '[' ? regex_skip_bracket(p)
			              : p + (*p == '\\' && p[1] != '\0');
			last = 1;
			size[depth] += last;
		}
		if (size[depth] > REGEX_SIZE_MAX) {
			snprintf(why, len,
			    "expands to over %d steps (counts copy what they "
			    "repeat)",
			    REGEX_SIZE_MAX);
			return -1;
		}
	}
	return 0;
}

/*
 * Compile RE for a search anywhere in the body. glibc tries each start
 * position in turn, which is quadratic on a long body; "^.*(RE)" is one
 * pass. RE compiles alone first, so its own errors are reported and
 * its parentheses are known to balance.
 */
static int
regex_compile(regex_t *out, const char *re, char *why, size_t len)
{
	char *wrapped;
	int rc;

	if ((rc = regcomp(out, re, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(rc, out, why, len);
		return -1;
	}
	regfree(out);
	wrapped = xmalloc(strlen(re) + 6);
	sprintf(wrapped, "^.*(%s)", re);
	rc = regcomp(out, wrapped, REG_EXTENDED | REG_NOSUB);
	free(wrapped);
	if (rc != 0) {
		regerror(rc, out, why, len);
		return -1;
	}
	return 0;
}

static int
field_regex(const struct field_ctx *c, struct probe_target *t)
{
	char why[160], msg[240];

	if (t->body_regex == NULL)
		return 0;
	if (*t->body_regex == '\0')
		return field_error(c, "body_regex", "empty regex");
	t->body_regex_compiled = xmalloc(sizeof(regex_t));
	if (regex_check_cost(t->body_regex, why, sizeof why) < 0 ||
	    regex_compile(
	        t->body_regex_compiled, t->body_regex, why, sizeof why) < 0) {
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

/* An address family the URL's host (an address literal) cannot have. */
static const char *
ip_contradiction(const struct probe_target *t)
{
	CURLU *u = curl_url();
	char *host = NULL;
	struct in_addr a4;
	const char *why = NULL;

	if (u == NULL)
		fatal("out of memory");
	if (curl_url_set(u, CURLUPART_URL, t->url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (t->ip == PROBE_IP_V6 && inet_pton(AF_INET, host, &a4) == 1)
			why = "\"6\", but the URL's host is an IPv4 address";
		else if (t->ip == PROBE_IP_V4 && host[0] == '[')
			why = "\"4\", but the URL's host is an IPv6 address";
	}
	curl_free(host);
	curl_url_cleanup(u);
	return why;
}

/* Checks that could never pass, or never check anything. */
static int
target_checks(const struct field_ctx *c, const struct probe_target *t)
{
	bool body_check = t->body_contains != NULL || t->body_regex != NULL;
	const char *why;

	if (t->body_contains != NULL && *t->body_contains == '\0')
		return field_error(c, "body_contains", "empty text");
	if (body_check && strcmp(t->method, "HEAD") == 0)
		return field_error(c,
		    t->body_contains != NULL ? "body_contains" : "body_regex",
		    "a HEAD request gets no body to check");
	if ((why = ip_contradiction(t)) != NULL)
		return field_error(c, "ip", why);
	return 0;
}

static int
target_fields(
    const struct field_ctx *c, const cJSON *obj, struct probe_target *t)
{
	char why[300];

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
	if (probe_method_check(t->method, why, sizeof why) < 0)
		return field_error(c, "method", why);
	return target_checks(c, t);
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
	if (name != NULL && *name->valuestring == '\0')
		return field_error(c, "name", "empty name");
	t = target_append(list, name ? name->valuestring : NULL,
	    url->valuestring, d, why, sizeof why);
	if (t == NULL)
		return field_error(
		    c, strncmp(why, "duplicate", 9) == 0 ? "name" : "url", why);
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

/* A config file larger than this is a mistake, not a list of targets. */
#define CONFIG_MAX_BYTES (4 << 20)

/* Open PATH if it is a regular file of a sane size; -1 and ERR if not. */
static int
open_config(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot read config '%s': %s", path,
		    strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot read config '%s': %s", path,
		    S_ISDIR(st.st_mode) ? "a directory, not a file"
		                        : "not a regular file");
	} else if (st.st_size > CONFIG_MAX_BYTES) {
		snprintf(err, errlen,
		    "cannot read config '%s': %lld bytes, over the %d MiB "
		    "limit",
		    path, (long long)st.st_size, CONFIG_MAX_BYTES >> 20);
	} else {
		return fd;
	}
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Read all of PATH into a NUL-terminated buffer; caller frees. */
static char *
read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	char *buf = xmalloc(CONFIG_MAX_BYTES + 2);
	int fd = open_config(path, err, errlen);
	ssize_t n = 0;

	*len = 0;
	while (fd >= 0 && *len <= CONFIG_MAX_BYTES &&
	       (n = read(fd, buf + *len, CONFIG_MAX_BYTES + 1 - *len)) > 0)
		*len += (size_t)n;
	if (fd >= 0 && n < 0)
		snprintf(err, errlen, "cannot read config '%s': %s", path,
		    strerror(errno));
	else if (*len > CONFIG_MAX_BYTES)
		snprintf(err, errlen,
		    "cannot read config '%s': over the %d MiB limit", path,
		    CONFIG_MAX_BYTES >> 20);
	if (fd >= 0)
		close(fd);
	if (fd < 0 || n < 0 || *len > CONFIG_MAX_BYTES) {
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

/*
 * Walk the JSON TEXT up to STOP: the nesting depth there goes in
 * *DEPTH; returns the offset of the first NUL, raw or written \u0000
 * in a string (cJSON would cut the string there), or -1.
 */
static long
scan_json(const char *text, size_t stop, int *depth)
{
	bool in_string = false;
	size_t i;

	*depth = 0;
	for (i = 0; i < stop; i++) {
		if (text[i] == '\0')
			return (long)i;
		if (in_string && text[i] == '\\') {
			if (strncmp(text + i + 1, "u0000", 5) == 0)
				return (long)i;
			i += text[i + 1] != '\0';
		} else if (text[i] == '"') {
			in_string = !in_string;
		} else if (!in_string && strchr("[{", text[i]) != NULL) {
			++*depth;
		} else if (!in_string && strchr("]}", text[i]) != NULL) {
			--*depth;
		}
	}
	return -1;
}

cJSON *
probe_targets_read_config(const char *path, char *err, size_t errlen)
{
	const char *end = NULL;
	size_t len;
	long nul;
	char *text;
	cJSON *root;
	int depth;

	if ((text = read_file(path, &len, err, errlen)) == NULL)
		return NULL;
	if ((nul = scan_json(text, len, &depth)) >= 0) {
		snprintf(err, errlen,
		    "bad config '%s': a NUL character at byte %ld", path, nul);
		free(text);
		return NULL;
	}
	root = cJSON_ParseWithOpts(text, &end, 1);
	if (root == NULL && end != NULL)
		scan_json(text, (size_t)(end - text), &depth);
	if (root == NULL && depth >= CJSON_NESTING_LIMIT)
		snprintf(err, errlen,
		    "bad config '%s': nested over %d levels deep at byte %td",
		    path, CJSON_NESTING_LIMIT, end - text);
	else if (root == NULL)
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
