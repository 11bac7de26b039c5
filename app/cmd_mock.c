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
#include "common/log.h"
#include "mockserver/scenario_runner.h"
#include "mockserver/server.h"
#include "mockserver/state.h"

/* Default listen address when neither --listen nor LUNA_MOCK_LISTEN. */
#define MOCK_LISTEN_DEFAULT "127.0.0.1:8080"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: luna mock [--listen HOST:PORT] [--scenario NAME|FILE]\n\n"
	    "Serve the mock endpoint (/mock, /mock/NAME, /status/CODES,\n"
	    "/delay/SECONDS, /healthz), its control page (/) and its control\n"
	    "API (/control) until SIGINT or SIGTERM.\n\n"
	    "  --listen ADDR   where to listen "
	    "[LUNA_MOCK_LISTEN, " MOCK_LISTEN_DEFAULT "]\n"
	    "                  port 0 takes a free port; the URL is logged\n"
	    "  --scenario S    play scenario S (a built-in name or a file)\n"
	    "                  from the start [LUNA_MOCK_SCENARIO]\n\n"
	    "environment:\n"
	    "  LUNA_CONTROL_TOKEN  bearer token the control API requires\n"
	    "  LUNA_LOG_FORMAT     json or text [json unless a terminal]\n\n"
	    "Beyond loopback without a token, control changes are refused.\n"
	    "Change the mock with `luna ctl` (see luna ctl --help).\n");
}

/* Flags, then the environment: --listen wins over LUNA_MOCK_LISTEN. */
static int
parse_args(int argc, char **argv, const char **listen, const char **scenario)
{
	int i;

	*listen = getenv("LUNA_MOCK_LISTEN");
	*scenario = getenv("LUNA_MOCK_SCENARIO");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 1;
		} else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			*listen = argv[++i];
		} else if (strncmp(argv[i], "--listen=", 9) == 0) {
			*listen = argv[i] + 9;
		} else if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) {
			*scenario = argv[++i];
		} else if (strncmp(argv[i], "--scenario=", 11) == 0) {
			*scenario = argv[i] + 11;
		} else {
			fprintf(stderr,
			    "luna mock: unknown option '%s' (see "
			    "luna mock --help)\n",
			    argv[i]);
			return -1;
		}
	}
	return 0;
}

static int
setup_log(void)
{
	const char *env = getenv("LUNA_LOG_FORMAT");
	enum log_format fmt =
	    isatty(STDOUT_FILENO) ? LOG_FORMAT_TEXT : LOG_FORMAT_JSON;
	char err[160];

	if (env != NULL && env[0] != '\0' &&
	    log_format_parse(env, &fmt, err, sizeof err) < 0) {
		fprintf(stderr, "luna mock: LUNA_LOG_FORMAT: %s\n", err);
		return -1;
	}
	log_setup(STDOUT_FILENO, fmt, LOG_INFO);
	return 0;
}

static void
log_start(const struct mock_server *s, const char *listen)
{
	cJSON *f = cJSON_CreateObject();
	const char *mode = mock_server_control_mode(s);

	cJSON_AddStringToObject(f, "mode", "mock");
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
log_stop(const struct mock_server *s, int sig)
{
	unsigned long counts[MOCK_STATUS_SLOTS], total = 0;
	cJSON *f = cJSON_CreateObject();
	int i;

	mock_server_counts(s, counts);
	for (i = 0; i < MOCK_STATUS_SLOTS; i++)
		total += counts[i];
	cJSON_AddStringToObject(
	    f, "reason", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	cJSON_AddNumberToObject(f, "served", (double)total);
	log_event(LOG_INFO, "stop", f);
}

int
cmd_mock(int argc, char **argv)
{
	struct mock_server_config cfg;
	struct mock_server *s;
	const char *listen, *scenario;
	struct mock_scenario *sc = NULL;
	sigset_t sigs;
	char err[640];
	int rc, sig = 0;

	if ((rc = parse_args(argc, argv, &listen, &scenario)) != 0)
		return rc > 0 ? 0 : 2;
	if (setup_log() < 0)
		return 2;
	memset(&cfg, 0, sizeof cfg);
	cfg.fallback_port = listen == NULL || listen[0] == '\0';
	if (cfg.fallback_port)
		listen = MOCK_LISTEN_DEFAULT;
	if (listen_parse(listen, &cfg.listen, err, sizeof err) < 0) {
		fprintf(stderr, "luna mock: %s\n", err);
		return 2;
	}
	cfg.token = getenv("LUNA_CONTROL_TOKEN");
	if (scenario != NULL && scenario[0] != '\0' &&
	    (sc = mock_scenario_open(
	         scenario, mock_state_validate, err, sizeof err)) == NULL) {
		fprintf(stderr, "luna mock: %s\n", err);
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
		return 1;
	}
	log_start(s, listen);
	if (sc != NULL && mock_scenario_runner_play(mock_server_scenarios(s),
	                      sc, err, sizeof err) < 0)
		log_msg(LOG_ERROR, "%s", err);
	sigwait(&sigs, &sig);
	log_stop(s, sig);
	mock_server_stop(s);
	return 0;
}
