/*
 * The one parser of luna's options, shared by every mode: each option
 * is a flag, an environment variable and a config-file field, and the
 * first of flag, environment, config file, default that is set wins.
 * Targets come whole from the first source that names any: the command
 * line (--targets, URL arguments), LUNA_TARGETS, the config file.
 */
#ifndef APP_OPTIONS_H
#define APP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "common/listen.h"
#include "common/log.h"
#include "probe/target.h"

/* What a mode accepts beyond the common options. */
struct options_spec {
	const char *const *switches; /* "--once", ...; NULL-terminated */
	bool url_args;               /* positional arguments are target URLs */
};

struct options {
	struct probe_target_list targets;
	bool targets_set;           /* false: none given, the mode picks */
	const char *targets_source; /* "command line", "LUNA_TARGETS", ... */
	struct probe_defaults defaults; /* interval, timeout, expect, method */
	int fail_threshold;             /* LUNA_FAIL_THRESHOLD, 3 */
	int success_threshold;          /* LUNA_SUCCESS_THRESHOLD, 2 */
	enum log_format log_format;     /* LUNA_LOG_FORMAT */
	bool log_format_set; /* false: the mode picks (json or text) */
	struct listen_addr mock_listen; /* LUNA_MOCK_LISTEN, 127.0.0.1:8080 */
	bool mock_listen_set;           /* false: a taken port may fall back */
	char *mock_url;      /* LUNA_MOCK_URL, NULL: the bundled mock */
	char *control_token; /* LUNA_CONTROL_TOKEN or NULL */
	struct listen_addr status_listen; /* LUNA_STATUS_LISTEN */
	char *emf_namespace;              /* LUNA_EMF_NAMESPACE, "Luna" */
	char *config_path;                /* LUNA_CONFIG / --config or NULL */
	bool help;                        /* --help or -h was given */
	unsigned switches;    /* bit i: spec->switches[i] was given */
	char *method_storage; /* owns defaults.method */
	int64_t summary_ms;   /* LUNA_SUMMARY_INTERVAL, 60s; 0: none */
};

/*
 * Fill O from ARGV (ARGV[0] is the mode's name), the environment and
 * the config file. Returns 0, or -1 with a one-line reason in ERR that
 * names the source and the bad value (the caller exits 2). Free O with
 * options_free in both cases.
 */
int options_parse(struct options *o, int argc, char **argv,
    const struct options_spec *spec, char *err, size_t errlen);

/* True when switch NAME (one of the spec's) was given. */
bool options_switch(
    const struct options *o, const struct options_spec *spec, const char *name);

/* Free what O owns; O may then be parsed again. */
void options_free(struct options *o);

/* The configuration in effect for the "start" event; caller owns. */
cJSON *options_json(const struct options *o);

/* Which options a mode's --help lists. */
#define OPTIONS_GROUP_PROBE  0x1u /* targets, schedule, checks, thresholds */
#define OPTIONS_GROUP_LOG    0x2u /* log format */
#define OPTIONS_GROUP_MOCK   0x4u /* bundled or remote mock */
#define OPTIONS_GROUP_STATUS 0x8u /* status server and EMF (headless) */
#define OPTIONS_GROUP_ALL    0xfu

/*
 * Take "FLAG VALUE" or "FLAG=VALUE" out of ARGV (the last one wins), for
 * a mode's own option; without it, the variable ENV (NULL: none). An
 * empty value counts as none. *MISSING says FLAG came last, without its
 * value (then NULL).
 */
const char *options_take(
    int *argc, char **argv, const char *flag, const char *env, bool *missing);

/* Print every common option with its variable, for a mode's --help. */
void options_usage(FILE *out);

/* The same for the options in GROUPS (OPTIONS_GROUP_*) only. */
void options_usage_groups(FILE *out, unsigned groups);

#endif
