/*
 * Targets: what to request, how often, and what counts as healthy.
 * Parsed from LUNA_TARGETS, URL arguments and a JSON config file.
 */
#ifndef PROBE_TARGET_H
#define PROBE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Accepted status codes, 100 to 599, as a bit set. */
struct probe_expect {
	uint8_t bits[75];
};

enum probe_ip {
	PROBE_IP_ANY,
	PROBE_IP_V4,
	PROBE_IP_V6,
};

struct probe_target {
	char *name;		/* unique; defaults to host[:port][/path] */
	char *url;
	char *display_url;	/* url with its password as "***" */
	char *method;		/* GET, HEAD, POST, ... */
	char **headers;		/* "Name: value", NULL-terminated */
	char *body;		/* request body or NULL */
	int64_t interval_ms;
	int64_t timeout_ms;
	int64_t max_latency_ms;	/* 0: no latency check */
	struct probe_expect expect;
	char *body_contains;	/* NULL: no check */
	char *body_regex;	/* POSIX extended, NULL: no check */
	void *body_regex_compiled;	/* owned; a regex_t */
	int max_redirects;	/* 0: do not follow */
	bool insecure;		/* skip TLS verification */
	bool keepalive;		/* reuse connections (default: fresh) */
	enum probe_ip ip;
	size_t max_body_bytes;	/* larger bodies fail as too_large */
};

/* Bodies larger than this fail as too_large unless a target sets max_body. */
#define PROBE_MAX_BODY_DEFAULT (1024 * 1024)

/* Redirects followed when a target says "follow_redirects": true. */
#define PROBE_REDIRECTS_DEFAULT 5

struct probe_target_list {
	struct probe_target *items;
	size_t count;
};

/* Values a target takes when it does not set its own (environment). */
struct probe_defaults {
	int64_t interval_ms;	/* LUNA_INTERVAL, 5s */
	int64_t timeout_ms;	/* LUNA_TIMEOUT, 2s */
	struct probe_expect expect;	/* LUNA_EXPECT, 2xx */
	const char *method;	/* LUNA_METHOD, GET */
};

/* Fill D with the documented defaults. */
void probe_defaults_init(struct probe_defaults *d);

/*
 * Parse an expect spec ("200,204", "200-299", "2xx,301") into OUT.
 * Returns 0, or -1 with the reason in ERR naming the bad part.
 */
int probe_expect_parse(const char *s, struct probe_expect *out, char *err,
    size_t errlen);

/* True when STATUS is in E. */
bool probe_expect_match(const struct probe_expect *e, int status);

/*
 * Append targets from a comma-separated list of "URL" or "name=URL".
 * Returns 0, or -1 with the reason in ERR; LIST is unchanged on error.
 */
int probe_targets_parse_list(struct probe_target_list *list, const char *s,
    const struct probe_defaults *d, char *err, size_t errlen);

/* Append one target for URL (NAME may be NULL). Same returns. */
int probe_targets_add_url(struct probe_target_list *list, const char *name,
    const char *url, const struct probe_defaults *d, char *err,
    size_t errlen);

/* Append one target from "URL" or "name=URL". Same returns. */
int probe_targets_add_spec(struct probe_target_list *list, const char *spec,
    const struct probe_defaults *d, char *err, size_t errlen);

/*
 * Append targets from the JSON config file at PATH: its "targets" array,
 * or the whole file when it is an array (docs/configuration.md). Same
 * returns; ERR names the file, the target and the field.
 */
int probe_targets_load_file(struct probe_target_list *list, const char *path,
    const struct probe_defaults *d, char *err, size_t errlen);

/*
 * Read and parse the JSON config file at PATH. Returns the document
 * (caller frees with cJSON_Delete), or NULL with the reason in ERR.
 */
cJSON *probe_targets_read_config(const char *path, char *err,
    size_t errlen);

/*
 * Append the targets of the JSON array ARRAY, read from ORIGIN (a file
 * name, for messages). Same returns as probe_targets_load_file.
 */
int probe_targets_parse_json(struct probe_target_list *list,
    const cJSON *array, const char *origin, const struct probe_defaults *d,
    char *err, size_t errlen);

/*
 * Check that METHOD is an HTTP token of at most 32 characters ("GET",
 * "M-SEARCH"). Returns 0, or -1 with the reason in ERR.
 */
int probe_method_check(const char *method, char *err, size_t errlen);

/*
 * Check a request header: NAME (NAME_LEN bytes) an HTTP token, VALUE
 * without CR or LF. Returns 0, or -1 with the reason in ERR.
 */
int probe_header_check(const char *name, size_t name_len, const char *value,
    char *err, size_t errlen);

/*
 * T's URL as logs and screens show it: a password in its userinfo is
 * written "***" (http://user:***@host/). Owned by T.
 */
const char *probe_target_display_url(const struct probe_target *t);

/* The index of the target named NAME in LIST, or -1. */
long probe_targets_find(const struct probe_target_list *list,
    const char *name);

/* Format E back into a spec ("200-299,301") in BUF of LEN bytes. */
void probe_expect_format(const struct probe_expect *e, char *buf,
    size_t len);

/* Free every target and empty LIST (the struct itself is the caller's). */
void probe_targets_clear(struct probe_target_list *list);

#endif
