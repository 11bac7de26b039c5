/*
 * `luna mock`: the mock endpoint and its control API alone, until
 * SIGINT or SIGTERM. Logs go to stdout: JSON lines unless a terminal.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/options.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "mockserver/scenario_runner.h"
#include "mockserver/server.h"
#include "mockserver/state.h"

static const struct options_spec mock_spec = {NULL, false};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: luna mock [--listen HOST:PORT] [--scenario NAME|FILE] "
	    "[options]\n\n"
	    "Serve the mock endpoint (/mock, /mock/NAME, /status/CODES,\n"
	    "/delay/SECONDS, /healthz), its control page (/) and its control\n"
	    "API (/control) until SIGINT or SIGTERM. Port 0 takes a free\n"
	    "port; the start line gives the URL. Beyond loopback without a\n"
	    "token, control changes are refused.\n\n"
	    "  --listen ADDR                the same as --mock-listen\n"
	    "  --scenario NAME|FILE         play this scenario from the start "
	    "(LUNA_MOCK_SCENARIO)\n");
	options_usage_groups(out, OPTIONS_GROUP_LOG | OPTIONS_GROUP_MOCK);
	fprintf(
	    out, "\nChange the mock with `luna ctl` (see luna ctl --help).\n");
}

/* ARGV with --listen spelt --mock-listen, for the shared parser. */
static char **
translate_args(int argc, char **argv)
{
	char **out = xcalloc((size_t)argc + 1, sizeof *out);
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0)
			out[i] = xstrdup("--mock-listen");
		else if (strncmp(argv[i], "--listen=", 9) == 0) {
			out[i] = xmalloc(strlen(argv[i]) + 6);
			sprintf(out[i], "--mock-%s", argv[i] + 2);
		} else
			out[i] = xstrdup(argv[i]);
	}
	return out;
}

/* Load the scenario NAME_OR_FILE (NULL: none); -1 after an error. */
static int
load_scenario(const char *name_or_file, struct mock_scenario **out)
{
	char err[640];

	*out = NULL;
	if (name_or_file == NULL)
		return 0;
	*out = mock_scenario_open(name_or_file, mock_state_validate, err,
	    sizeof err);
	if (*out == NULL)
		fprintf(stderr, "luna mock: %s\n", err);
	return *out != NULL ? 0 : -1;
}

static int
parse_args(struct options *o, int argc, char **argv)
{
	char err[512], **args;
	int i, rc;

	/* Said here, or the shared parser would name --mock-listen. */
	if (argc > 1 && strcmp(argv[argc - 1], "--listen") == 0) {
		memset(o, 0, sizeof *o);
		fprintf(stderr, "luna mock: option '--listen' needs a value\n");
		return -1;
	}
	args = translate_args(argc, argv);
	rc = options_parse(o, argc, args, &mock_spec, err, sizeof err);
	for (i = 0; i < argc; i++)
		free(args[i]);
	free(args);
	if (rc < 0)
		fprintf(stderr, "luna mock: %s\n", err);
	return rc;
}

static void
log_start(const struct mock_server *s, const struct options *o)
{
	char listen[300];

	cJSON *f = cJSON_CreateObject();
	const char *mode = mock_server_control_mode(s);

	cJSON_AddStringToObject(f, "mode", "mock");
	listen_format(
	    &o->mock_listen, o->mock_listen.port, listen, sizeof listen);
	cJSON_AddStringToObject(f, "version", LUNA_VERSION);
	cJSON_AddStringToObject(f, "listen", listen);
	cJSON_AddStringToObject(f, "url", mock_server_url(s));
	cJSON_AddStringToObject(f, "control", mode);
	log_event(LOG_INFO, "start", f);
	if (strcmp(mode, "refused") == 0)
		log_msg(LOG_WARN,
		    "control changes refused: listening on '%s' "
		    "beyond loopback without LUNA_CONTROL_TOKEN",
		    listen);
}

static void
log_stop(const struct mock_server *s, int sig, int64_t started_ms)
{
	unsigned long counts[MOCK_STATUS_SLOTS], total = 0;
	cJSON *f = cJSON_CreateObject();
	int i;

	mock_server_counts(s, counts);
	for (i = 0; i < MOCK_STATUS_SLOTS; i++)
		total += counts[i];
	cJSON_AddStringToObject(f, "reason", "signal");
	cJSON_AddStringToObject(
	    f, "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	cJSON_AddNumberToObject(f, "served", (double)total);
	cJSON_AddNumberToObject(f, "faults", (double)counts[0]);
	cJSON_AddNumberToObject(
	    f, "uptime_ms", (double)(clock_mono_ms() - started_ms));
	cJSON_AddNumberToObject(f, "exit_code", 0);
	log_event(LOG_INFO, "stop", f);
}

int
cmd_mock(int argc, char **argv)
{
	struct mock_server_config cfg;
	struct mock_server *s = NULL;
	struct mock_scenario *sc = NULL;
	struct options o;
	const char *scenario;
	bool missing;
	sigset_t sigs;
	char err[640];
	int64_t started_ms;
	int sig = 0;

	scenario = options_take(
	    &argc, argv, "--scenario", "LUNA_MOCK_SCENARIO", &missing);
	if (missing) {
		fprintf(stderr, "luna mock: option '--scenario' needs a value "
				"(see luna mock --help)\n");
		return 2;
	}
	if (parse_args(&o, argc, argv) < 0) {
		options_free(&o);
		return 2;
	}
	if (o.help) {
		usage(stdout);
		options_free(&o);
		return 0;
	}
	log_setup(STDOUT_FILENO,
	    o.log_format_set        ? o.log_format
	    : isatty(STDOUT_FILENO) ? LOG_FORMAT_TEXT
	                            : LOG_FORMAT_JSON,
	    LOG_INFO);
	memset(&cfg, 0, sizeof cfg);
	cfg.listen = o.mock_listen;
	cfg.fallback_port = !o.mock_listen_set;
	cfg.token = o.control_token;
	if (load_scenario(scenario, &sc) < 0) {
		options_free(&o);
		return 2;
	}

	/* Every thread inherits the mask; only sigwait takes the signals. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	s = mock_server_start(&cfg, err, sizeof err);
	if (s == NULL) {
		fprintf(stderr, "luna mock: %s\n", err);
		mock_scenario_destroy(sc);
		options_free(&o);
		return 1;
	}
	started_ms = clock_mono_ms();
	log_start(s, &o);
	if (sc != NULL && mock_scenario_runner_play(mock_server_scenarios(s),
	                      sc, err, sizeof err) < 0)
		log_msg(LOG_ERROR, "%s", err);
	sigwait(&sigs, &sig);
	log_stop(s, sig, started_ms);
	mock_server_stop(s);
	options_free(&o);
	return 0;
}
