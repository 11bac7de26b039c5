#include "app/options.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "common/xalloc.h"
#include "mockserver/client.h"

/* An interval below this is a typo that would hammer the target. */
#define OPTIONS_INTERVAL_MIN_MS 100

typedef int (*apply_fn)(
    struct options *o, const char *v, char *err, size_t errlen);

/* One option: its three names, its parser and its line of --help. */
struct def {
	const char *flag;
	const char *env;
	const char *key; /* in the config file */
	apply_fn apply;
	const char *help;
};

static int
apply_interval(struct options *o, const char *v, char *err, size_t errlen)
{
	int64_t ms;

	if (parse_duration_ms(v, &ms, err, errlen) < 0)
		return -1;
	if (ms < OPTIONS_INTERVAL_MIN_MS) {
		snprintf(err, errlen,
		    "bad interval '%s': must be at least "
		    "%dms",
		    v, OPTIONS_INTERVAL_MIN_MS);
		return -1;
	}
	o->defaults.interval_ms = ms;
	return 0;
}

static int
apply_timeout(struct options *o, const char *v, char *err, size_t errlen)
{
	int64_t ms;

	if (parse_duration_ms(v, &ms, err, errlen) < 0)
		return -1;
	if (ms <= 0) {
		snprintf(
		    err, errlen, "bad timeout '%s': must be more than 0", v);
		return -1;
	}
	o->defaults.timeout_ms = ms;
	return 0;
}

static int
apply_expect(struct options *o, const char *v, char *err, size_t errlen)
{
	return probe_expect_parse(v, &o->defaults.expect, err, errlen);
}

static int
apply_method(struct options *o, const char *v, char *err, size_t errlen)
{
	size_t i;

	if (probe_method_check(v, err, errlen) < 0)
		return -1;
	free(o->method_storage);
	o->method_storage = xstrdup(v);
	for (i = 0; o->method_storage[i] != '\0'; i++)
		o->method_storage[i] =
		    (char)toupper((unsigned char)o->method_storage[i]);
	o->defaults.method = o->method_storage;
	return 0;
}

static int
apply_threshold(
    int *out, const char *what, const char *v, char *err, size_t errlen)
{
	long n;

	if (parse_long(v, 1, 1000, &n, what, err, errlen) < 0)
		return -1;
	*out = (int)n;
	return 0;
}

static int
apply_fail(struct options *o, const char *v, char *err, size_t errlen)
{
	return apply_threshold(
	    &o->fail_threshold, "fail threshold", v, err, errlen);
}

static int
apply_success(struct options *o, const char *v, char *err, size_t errlen)
{
	return apply_threshold(
	    &o->success_threshold, "success threshold", v, err, errlen);
}

static int
apply_log_format(struct options *o, const char *v, char *err, size_t errlen)
{
	if (log_format_parse(v, &o->log_format, err, errlen) < 0)
		return -1;
	o->log_format_set = true;
	return 0;
}

static int
apply_mock_listen(struct options *o, const char *v, char *err, size_t errlen)
{
	if (listen_parse(v, &o->mock_listen, err, errlen) < 0)
		return -1;
	o->mock_listen_set = true;
	return 0;
}

static int
apply_status_listen(struct options *o, const char *v, char *err, size_t errlen)
{
	return listen_parse(v, &o->status_listen, err, errlen);
}

static int
apply_mock_url(struct options *o, const char *v, char *err, size_t errlen)
{
	if (mock_client_check_url(v, err, errlen) < 0)
		return -1;
	free(o->mock_url);
	o->mock_url = xstrdup(v);
	return 0;
}

static int
apply_token(struct options *o, const char *v, char *err, size_t errlen)
{
	if (mock_client_check_token(v, err, errlen) < 0)
		return -1;
	free(o->control_token);
	o->control_token = xstrdup(v);
	return 0;
}

static int
apply_namespace(struct options *o, const char *v, char *err, size_t errlen)
{
	if (*v == '\0' || strlen(v) > 255) {
		snprintf(err, errlen,
		    "bad EMF namespace '%s': must be 1 to "
		    "255 characters",
		    v);
		return -1;
	}
	free(o->emf_namespace);
	o->emf_namespace = xstrdup(v);
	return 0;
}

static int
apply_summary(struct options *o, const char *v, char *err, size_t errlen)
{
	return parse_duration_ms(v, &o->summary_ms, err, errlen);
}

static const struct def defs[] = {
    {"--interval", "LUNA_INTERVAL", "interval", apply_interval,
        "time between probes of a target [5s]"},
    {"--timeout", "LUNA_TIMEOUT", "timeout", apply_timeout,
        "time a probe may take [2s]"},
    {"--expect", "LUNA_EXPECT", "expect", apply_expect,
        "accepted status codes: 200,204 200-299 2xx [2xx]"},
    {"--method", "LUNA_METHOD", "method", apply_method, "request method [GET]"},
    {"--fail-threshold", "LUNA_FAIL_THRESHOLD", "fail_threshold", apply_fail,
        "failures in a row that mark a target down [3]"},
    {"--success-threshold", "LUNA_SUCCESS_THRESHOLD", "success_threshold",
        apply_success, "successes in a row that mark it up again [2]"},
    {"--log-format", "LUNA_LOG_FORMAT", "log_format", apply_log_format,
        "json, emf or text [json, text on a terminal]"},
    {"--mock-listen", "LUNA_MOCK_LISTEN", "mock_listen", apply_mock_listen,
        "the bundled mock's address [127.0.0.1:8080]"},
    {"--mock-url", "LUNA_MOCK_URL", "mock_url", apply_mock_url,
        "a remote mock to drive instead of the bundled one"},
    {"--control-token", "LUNA_CONTROL_TOKEN", "control_token", apply_token,
        "bearer token of the mock's control API"},
    {"--status-listen", "LUNA_STATUS_LISTEN", "status_listen",
        apply_status_listen, "/healthz and /metrics [127.0.0.1:9464]"},
    {"--emf-namespace", "LUNA_EMF_NAMESPACE", "emf_namespace", apply_namespace,
        "CloudWatch namespace of EMF metrics [Luna]"},
    {"--summary-interval", "LUNA_SUMMARY_INTERVAL", "summary_interval",
        apply_summary, "time between summary lines, 0 for none [60s]"},
};

#define NDEFS (sizeof defs / sizeof *defs)

/* Where each option's winning value came from, while parsing. */
struct sources {
	const char *value[NDEFS];
	char origin[NDEFS][300];
	char *owned[NDEFS]; /* numbers from the config file, as text */
	const char *config_flag;
	const char **cli_targets; /* --targets values and URLs */
	size_t ncli_targets;
	bool *cli_is_list; /* true: a --targets list, false: one URL */
	const cJSON *file_targets;
	cJSON *file;
};

static void
init_defaults(struct options *o)
{
	char err[128];

	memset(o, 0, sizeof *o);
	probe_defaults_init(&o->defaults);
	o->fail_threshold = 3;
	o->success_threshold = 2;
	o->log_format = LOG_FORMAT_JSON;
	listen_parse("127.0.0.1:8080", &o->mock_listen, err, sizeof err);
	listen_parse("127.0.0.1:9464", &o->status_listen, err, sizeof err);
	o->emf_namespace = xstrdup("Luna");
	o->summary_ms = 60000;
}

static const struct def *
find_flag(const char *arg, size_t len)
{
	size_t i;

	for (i = 0; i < NDEFS; i++)
		if (strlen(defs[i].flag) == len &&
		    strncmp(arg, defs[i].flag, len) == 0)
			return &defs[i];
	return NULL;
}

static int
find_switch(const struct options_spec *spec, const char *arg)
{
	int i;

	for (i = 0; spec != NULL && spec->switches != NULL &&
	            spec->switches[i] != NULL && i < 32;
	     i++)
		if (strcmp(arg, spec->switches[i]) == 0)
			return i;
	return -1;
}

static void
add_cli_target(struct sources *src, const char *v, bool is_list)
{
	src->cli_targets = xrealloc(src->cli_targets,
	    (src->ncli_targets + 1) * sizeof *src->cli_targets);
	src->cli_is_list = xrealloc(src->cli_is_list,
	    (src->ncli_targets + 1) * sizeof *src->cli_is_list);
	src->cli_targets[src->ncli_targets] = v;
	src->cli_is_list[src->ncli_targets++] = is_list;
}

static bool
is_flag(const char *arg, size_t len, const char *name)
{
	return strlen(name) == len && strncmp(arg, name, len) == 0;
}

/* A "--name" or "--name=value" flag that takes a value. */
static int
take_value_flag(struct sources *src, int argc, char **argv, int *i, char *err,
    size_t errlen)
{
	const char *arg = argv[*i], *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct def *d = find_flag(arg, len);
	const char *v;

	if (d == NULL && !is_flag(arg, len, "--targets") &&
	    !is_flag(arg, len, "--config"))
		return 1;
	if (eq == NULL && *i + 1 >= argc) {
		snprintf(
		    err, errlen, "option '%.*s' needs a value", (int)len, arg);
		return -1;
	}
	v = eq != NULL ? eq + 1 : argv[++*i];
	if (d == NULL && is_flag(arg, len, "--targets")) {
		add_cli_target(src, v, true);
	} else if (d == NULL) {
		src->config_flag = v;
	} else {
		src->value[d - defs] = v;
		snprintf(src->origin[d - defs], sizeof src->origin[0], "%s",
		    d->flag);
	}
	return 0;
}

/* One argument that is not a value flag. */
static int
take_other(struct options *o, const struct options_spec *spec,
    struct sources *src, const char *arg, char *err, size_t errlen)
{
	int sw;

	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
		o->help = true;
		return 0;
	}
	if ((sw = find_switch(spec, arg)) >= 0) {
		o->switches |= 1u << sw;
		return 0;
	}
	if (arg[0] == '-') {
		snprintf(err, errlen, "unknown option '%s' (see --help)", arg);
		return -1;
	}
	if (spec == NULL || !spec->url_args) {
		snprintf(
		    err, errlen, "unexpected argument '%s' (see --help)", arg);
		return -1;
	}
	add_cli_target(src, arg, false);
	return 0;
}

static int
scan_args(struct options *o, int argc, char **argv,
    const struct options_spec *spec, struct sources *src, char *err,
    size_t errlen)
{
	bool only_args = false;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!only_args && strcmp(argv[i], "--") == 0) {
			only_args = true;
			continue;
		}
		rc = only_args ? 1
		     : strncmp(argv[i], "--", 2) == 0
		         ? take_value_flag(src, argc, argv, &i, err, errlen)
		         : 1;
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		if (only_args && argv[i][0] == '-' && spec && spec->url_args)
			add_cli_target(src, argv[i], false);
		else if (take_other(o, spec, src, argv[i], err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* A config-file value as text: strings as they are, numbers printed. */
static int
file_value(struct sources *src, size_t i, const cJSON *v, const char *path,
    char *err, size_t errlen)
{
	char num[64];

	/* A key given twice: the last one wins, the first one's text goes. */
	free(src->owned[i]);
	src->owned[i] = NULL;
	if (cJSON_IsString(v)) {
		src->value[i] = v->valuestring;
	} else if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof num, "%g", v->valuedouble);
		src->owned[i] = xstrdup(num);
		src->value[i] = src->owned[i];
	} else {
		snprintf(
		    err, errlen, "%s: %s: expected a string", path, v->string);
		return -1;
	}
	snprintf(
	    src->origin[i], sizeof src->origin[0], "%s: %s", path, defs[i].key);
	return 0;
}

static int
read_file_values(
    struct sources *src, const char *path, char *err, size_t errlen)
{
	const cJSON *v;
	size_t i;

	if ((src->file = probe_targets_read_config(path, err, errlen)) == NULL)
		return -1;
	if (cJSON_IsArray(src->file)) {
		src->file_targets = src->file;
		return 0;
	}
	if (!cJSON_IsObject(src->file)) {
		snprintf(err, errlen,
		    "bad config '%s': expected an object "
		    "with \"targets\"",
		    path);
		return -1;
	}
	cJSON_ArrayForEach (v, src->file) {
		if (strcmp(v->string, "targets") == 0) {
			src->file_targets = v;
			continue;
		}
		for (i = 0; i < NDEFS; i++)
			if (strcmp(v->string, defs[i].key) == 0)
				break;
		if (i == NDEFS) {
			snprintf(err, errlen, "%s: %s: unknown field", path,
			    v->string);
			return -1;
		}
		if (file_value(src, i, v, path, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Environment values, unless a flag already set the option. */
static void
read_env_values(struct sources *src, const bool *from_flag)
{
	const char *v;
	size_t i;

	for (i = 0; i < NDEFS; i++) {
		v = getenv(defs[i].env);
		if (from_flag[i] || v == NULL || *v == '\0')
			continue;
		src->value[i] = v;
		snprintf(
		    src->origin[i], sizeof src->origin[0], "%s", defs[i].env);
	}
}

static int
apply_values(struct options *o, struct sources *src, char *err, size_t errlen)
{
	char why[400];
	size_t i;

	for (i = 0; i < NDEFS; i++) {
		if (src->value[i] == NULL)
			continue;
		if (defs[i].apply(o, src->value[i], why, sizeof why) < 0) {
			snprintf(err, errlen, "%s: %s", src->origin[i], why);
			return -1;
		}
	}
	return 0;
}

static int
cli_targets(struct options *o, struct sources *src, char *err, size_t errlen)
{
	char why[400];
	size_t i;
	int rc;

	for (i = 0; i < src->ncli_targets; i++) {
		rc = src->cli_is_list[i] ? probe_targets_parse_list(&o->targets,
		                               src->cli_targets[i],
		                               &o->defaults, why, sizeof why)
		                         : probe_targets_add_spec(&o->targets,
		                               src->cli_targets[i],
		                               &o->defaults, why, sizeof why);
		if (rc < 0) {
			snprintf(err, errlen, "%s: %s",
			    src->cli_is_list[i] ? "--targets" : "argument",
			    why);
			return -1;
		}
	}
	o->targets_source = "command line";
	return 0;
}

/* Targets from the first source that names any. */
static int
resolve_targets(
    struct options *o, struct sources *src, char *err, size_t errlen)
{
	const char *env = getenv("LUNA_TARGETS");
	char why[400];

	if (src->ncli_targets > 0) {
		if (cli_targets(o, src, err, errlen) < 0)
			return -1;
	} else if (env != NULL && *env != '\0') {
		if (probe_targets_parse_list(
		        &o->targets, env, &o->defaults, why, sizeof why) < 0) {
			snprintf(err, errlen, "LUNA_TARGETS: %s", why);
			return -1;
		}
		o->targets_source = "LUNA_TARGETS";
	} else if (src->file_targets != NULL) {
		if (probe_targets_parse_json(&o->targets, src->file_targets,
		        o->config_path, &o->defaults, err, errlen) < 0)
			return -1;
		o->targets_source = o->config_path;
	}
	o->targets_set = o->targets.count > 0;
	return 0;
}

static void
sources_free(struct sources *src)
{
	size_t i;

	for (i = 0; i < NDEFS; i++)
		free(src->owned[i]);
	free(src->cli_targets);
	free(src->cli_is_list);
	cJSON_Delete(src->file);
}

static int
parse_sources(struct options *o, struct sources *src, char *err, size_t errlen)
{
	const char *env_config = getenv("LUNA_CONFIG");
	bool from_flag[NDEFS];
	size_t i;

	for (i = 0; i < NDEFS; i++)
		from_flag[i] = src->value[i] != NULL;
	if (src->config_flag != NULL)
		o->config_path = xstrdup(src->config_flag);
	else if (env_config != NULL && *env_config != '\0')
		o->config_path = xstrdup(env_config);
	if (o->config_path != NULL) {
		/* The file's values lie under the flags and environment. */
		const char *flag_value[NDEFS];
		char flag_origin[NDEFS][300];

		memcpy(flag_value, src->value, sizeof flag_value);
		memcpy(flag_origin, src->origin, sizeof flag_origin);
		if (read_file_values(src, o->config_path, err, errlen) < 0)
			return -1;
		for (i = 0; i < NDEFS; i++)
			if (from_flag[i]) {
				src->value[i] = flag_value[i];
				memcpy(src->origin[i], flag_origin[i],
				    sizeof flag_origin[i]);
			}
	}
	read_env_values(src, from_flag);
	if (apply_values(o, src, err, errlen) < 0)
		return -1;
	return resolve_targets(o, src, err, errlen);
}

int
options_parse(struct options *o, int argc, char **argv,
    const struct options_spec *spec, char *err, size_t errlen)
{
	struct sources *src = xcalloc(1, sizeof *src);
	int rc = -1;

	init_defaults(o);
	if (scan_args(o, argc, argv, spec, src, err, errlen) < 0)
		goto out;
	if (o->help) {
		rc = 0;
		goto out;
	}
	rc = parse_sources(o, src, err, errlen);
out:
	sources_free(src);
	free(src);
	return rc;
}

bool
options_switch(
    const struct options *o, const struct options_spec *spec, const char *name)
{
	int i = find_switch(spec, name);

	return i >= 0 && (o->switches & (1u << i)) != 0;
}

void
options_free(struct options *o)
{
	probe_targets_clear(&o->targets);
	free(o->mock_url);
	free(o->control_token);
	free(o->emf_namespace);
	free(o->config_path);
	free(o->method_storage);
	memset(o, 0, sizeof *o);
}

static cJSON *
target_json(const struct probe_target *t)
{
	cJSON *j = cJSON_CreateObject();
	char expect[160];

	probe_expect_format(&t->expect, expect, sizeof expect);
	cJSON_AddStringToObject(j, "name", t->name);
	cJSON_AddStringToObject(j, "url", probe_target_display_url(t));
	cJSON_AddStringToObject(j, "method", t->method);
	cJSON_AddNumberToObject(j, "interval_ms", (double)t->interval_ms);
	cJSON_AddNumberToObject(j, "timeout_ms", (double)t->timeout_ms);
	cJSON_AddStringToObject(j, "expect", expect);
	if (t->max_redirects > 0)
		cJSON_AddNumberToObject(j, "max_redirects", t->max_redirects);
	if (t->keepalive)
		cJSON_AddTrueToObject(j, "keepalive");
	if (t->insecure)
		cJSON_AddTrueToObject(j, "insecure");
	return j;
}

cJSON *
options_json(const struct options *o)
{
	static const char *const formats[] = {"json", "text", "emf"};
	cJSON *j = cJSON_CreateObject(), *targets;
	size_t i;

	cJSON_AddStringToObject(j, "version", LUNA_VERSION);
	targets = cJSON_AddArrayToObject(j, "targets");
	for (i = 0; i < o->targets.count; i++)
		cJSON_AddItemToArray(
		    targets, target_json(&o->targets.items[i]));
	cJSON_AddNumberToObject(j, "fail_threshold", o->fail_threshold);
	cJSON_AddNumberToObject(j, "success_threshold", o->success_threshold);
	cJSON_AddStringToObject(j, "log_format", formats[o->log_format]);
	if (o->config_path != NULL)
		cJSON_AddStringToObject(j, "config", o->config_path);
	else
		cJSON_AddNullToObject(j, "config");
	return j;
}

/* How --help shows an option: its value's name and its group. */
struct usage_info {
	const char *flag;
	const char *metavar;
	unsigned group; /* OPTIONS_GROUP_* */
};

static const struct usage_info usage_infos[] = {
    {"--interval", "DURATION", OPTIONS_GROUP_PROBE},
    {"--timeout", "DURATION", OPTIONS_GROUP_PROBE},
    {"--expect", "CODES", OPTIONS_GROUP_PROBE},
    {"--method", "METHOD", OPTIONS_GROUP_PROBE},
    {"--fail-threshold", "N", OPTIONS_GROUP_PROBE},
    {"--success-threshold", "N", OPTIONS_GROUP_PROBE},
    {"--log-format", "FORMAT", OPTIONS_GROUP_LOG},
    {"--mock-listen", "ADDR", OPTIONS_GROUP_MOCK},
    {"--mock-url", "URL", OPTIONS_GROUP_MOCK},
    {"--control-token", "TOKEN", OPTIONS_GROUP_MOCK},
    {"--status-listen", "ADDR", OPTIONS_GROUP_STATUS},
    {"--emf-namespace", "NAME", OPTIONS_GROUP_STATUS},
};

/* Options missing from usage_infos show as VALUE, in the status group. */
static const struct usage_info *
usage_info(const char *flag)
{
	static const struct usage_info other = {
	    NULL, "VALUE", OPTIONS_GROUP_STATUS};
	size_t i;

	for (i = 0; i < sizeof usage_infos / sizeof *usage_infos; i++)
		if (strcmp(usage_infos[i].flag, flag) == 0)
			return &usage_infos[i];
	return &other;
}

/* One option's two lines: flag and variable, then what it does. */
static void
usage_line(FILE *out, const char *flag, const char *metavar, const char *env,
    const char *help)
{
	char head[64];

	snprintf(head, sizeof head, "%s %s", flag, metavar);
	fprintf(out, "  %-28s %s\n  %28s %s\n", head, env, "", help);
}

void
options_usage_groups(FILE *out, unsigned groups)
{
	size_t i;

	if (groups & OPTIONS_GROUP_PROBE) {
		usage_line(out, "--targets", "LIST", "LUNA_TARGETS",
		    "URL or name=URL, comma-separated");
		usage_line(out, "--config", "FILE", "LUNA_CONFIG",
		    "JSON file of targets and options");
	}
	for (i = 0; i < NDEFS; i++)
		if (groups & usage_info(defs[i].flag)->group)
			usage_line(out, defs[i].flag,
			    usage_info(defs[i].flag)->metavar, defs[i].env,
			    defs[i].help);
}

void
options_usage(FILE *out)
{
	options_usage_groups(out, OPTIONS_GROUP_ALL);
}

const char *
options_take(
    int *argc, char **argv, const char *flag, const char *env, bool *missing)
{
	const char *found = NULL;
	size_t len = strlen(flag);
	int i, skip;

	*missing = false;
	for (i = 1; i < *argc; i++) {
		skip = 0;
		if (strcmp(argv[i], flag) == 0 && i + 1 == *argc) {
			*missing = true;
			return NULL;
		} else if (strcmp(argv[i], flag) == 0) {
			found = argv[i + 1];
			skip = 2;
		} else if (strncmp(argv[i], flag, len) == 0 &&
		           argv[i][len] == '=') {
			found = argv[i] + len + 1;
			skip = 1;
		}
		if (skip == 0)
			continue;
		memmove(&argv[i], &argv[i + skip],
		    (size_t)(*argc - i - skip + 1) * sizeof *argv);
		*argc -= skip;
		i--;
	}
	if (found == NULL && env != NULL)
		found = getenv(env);
	return found != NULL && found[0] != '\0' ? found : NULL;
}
