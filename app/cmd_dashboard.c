/*
 * `luna` in a terminal: the bundled mock (or a remote one), the probe
 * engine on its targets plus the mock's own endpoint, and the dashboard
 * on top. Nothing is printed while the screen is ours: logs go to
 * LUNA_LOG_FILE / --log-file when given, else nowhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/options.h"
#include "app/stop_line.h"
#include "common/clock.h"
#include "common/log.h"
#include "mockserver/client.h"
#include "mockserver/scenario.h"
#include "mockserver/server.h"
#include "probe/engine.h"
#include "probe/output.h"
#include "tui/dashboard.h"

/* The mock's own target: often enough that a flip shows at once. */
#define MOCK_INTERVAL_MS    1000
#define DEFAULT_INTERVAL_MS 5000
#define FORCED_FLUSH_MS     1000 /* the most a forced stop waits for */

static const char *const dashboard_switches[] = {NULL};
static const struct options_spec dashboard_spec = {dashboard_switches, true};

struct dashboard_run {
	struct options o;
	const char *log_file;
	int log_fd;
	bool logging;
	struct mock_server *server;
	struct mock_client *client;
	struct probe_stats *stats;
	struct tui_dashboard *dash;
	struct probe_engine *engine;
	struct mock_scenario *scenario; /* `luna demo`: played at start */
	int64_t started_ms;             /* monotonic */
	atomic_ullong results;
	atomic_ullong failures;
	char note[300];
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: luna [options] [URL...]\n\n"
	             "The dashboard: probes the targets and the bundled mock "
	             "(or LUNA_MOCK_URL),\nwhose behaviour its keys flip; "
	             "? shows the keys.\n\noptions:\n");
	options_usage(out);
	fprintf(out, "  --log-file FILE         where log lines go while the "
	             "screen is ours [nowhere] (LUNA_LOG_FILE)\n");
}

/*
 * Open PATH to append log lines: a regular file, or a new one. A FIFO
 * would block the start on a blank screen until someone reads it, and
 * a terminal would write over the dashboard.
 */
static int
open_log_file(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		goto not_regular;
	fd = open(path,
	    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
	    0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open log file '%s': %s", path,
		    strerror(errno));
		return -1;
	}

	/* Asked again of what was opened: the path may have changed. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		goto not_regular;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
not_regular:
	snprintf(
	    err, errlen, "cannot use log file '%s': not a regular file", path);
	return -1;
}

static int
open_log(struct dashboard_run *run, char *err, size_t errlen)
{
	enum log_format f =
	    run->o.log_format_set ? run->o.log_format : LOG_FORMAT_TEXT;

	run->log_fd = -1;
	if (run->log_file != NULL &&
	    (run->log_fd = open_log_file(run->log_file, err, errlen)) < 0)
		return -1;
	run->logging = run->log_fd >= 0;
	log_setup(run->log_fd, f, LOG_INFO);
	return 0;
}

/* True when the command line, environment or file set an interval. */
static bool
interval_given(const struct options *o, int argc, char **argv)
{
	const char *env = getenv("LUNA_INTERVAL");
	int i;

	if (env != NULL && env[0] != '\0')
		return true;
	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--interval", 10) == 0)
			return true;
	return o->defaults.interval_ms != DEFAULT_INTERVAL_MS;
}

/* Say so when the mock's port was taken and another one serves. */
static void
note_fallback(struct dashboard_run *run)
{
	const struct listen_addr *l = &run->o.mock_listen;
	const char *url = mock_server_url(run->server);
	char want[300];

	if (l->port == 0)
		return;
	listen_format(l, l->port, want, sizeof want);
	if (strstr(url, want) == NULL)
		snprintf(run->note, sizeof run->note,
		    "port %d is taken: the mock listens at %s instead", l->port,
		    url);
}

static int
start_mock(struct dashboard_run *run, char *err, size_t errlen)
{
	struct mock_server_config c;

	if (run->o.mock_url != NULL) {
		run->client =
		    mock_client_remote(run->o.mock_url, run->o.control_token);
		return 0;
	}
	memset(&c, 0, sizeof c);
	c.listen = run->o.mock_listen;
	c.fallback_port = !run->o.mock_listen_set;
	c.token = run->o.control_token;
	run->server = mock_server_start(&c, err, errlen);
	if (run->server == NULL)
		return -1;
	run->client = mock_client_local(run->server);
	note_fallback(run);
	return 0;
}

/* Probe the mock the keys drive, as target "mock" (or "luna-mock"). */
static int
add_mock_target(
    struct dashboard_run *run, bool interval_set, char *err, size_t errlen)
{
	struct probe_defaults d = run->o.defaults;
	const char *name = "mock";
	char url[1024];

	if (!interval_set)
		d.interval_ms = MOCK_INTERVAL_MS;
	if (probe_targets_find(&run->o.targets, name) >= 0)
		name = "luna-mock";
	snprintf(url, sizeof url, "%s/mock", mock_client_url(run->client));
	return probe_targets_add_url(
	    &run->o.targets, name, url, &d, err, errlen);
}

/* A target "mock-NAME" for each named endpoint the scenario changes. */
static int
add_scenario_targets(struct dashboard_run *run, char *err, size_t errlen)
{
	struct probe_defaults d = run->o.defaults;
	char name[96], url[1200];
	const char *ep;
	size_t i;

	d.interval_ms =
	    run->o.targets.items[run->o.targets.count - 1].interval_ms;
	for (i = 0; i < mock_scenario_steps(run->scenario); i++) {
		ep = cJSON_GetStringValue(cJSON_GetObjectItem(
		    mock_scenario_step_change(run->scenario, i), "endpoint"));
		snprintf(name, sizeof name, "mock-%s", ep != NULL ? ep : "");
		if (ep == NULL ||
		    probe_targets_find(&run->o.targets, name) >= 0)
			continue;
		snprintf(url, sizeof url, "%s/mock/%s",
		    mock_client_url(run->client), ep);
		if (probe_targets_add_url(
		        &run->o.targets, name, url, &d, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Play the demo's scenario on the mock the keys drive. */
static int
play_scenario(struct dashboard_run *run, char *err, size_t errlen)
{
	cJSON *json = mock_scenario_to_json(run->scenario);
	cJSON *status =
	    mock_client_scenario_play(run->client, json, err, errlen);

	cJSON_Delete(json);
	cJSON_Delete(status);
	return status != NULL ? 0 : -1;
}

/* The engine thread's callback: a log line, and a nudge to redraw. */
static void
on_result(const struct probe_target *t, const struct probe_result *r,
    int state_changed, enum probe_state previous, void *arg)
{
	struct dashboard_run *run = arg;

	if (run->logging)
		probe_output_log(t, r, state_changed, previous);
	atomic_fetch_add(&run->results, 1);
	if (!r->ok)
		atomic_fetch_add(&run->failures, 1);
	tui_dashboard_notify(run->dash);
}

static int
start_engine(struct dashboard_run *run, char *err, size_t errlen)
{
	struct tui_dashboard_config dc = {
	    .targets = &run->o.targets,
	    .mock = run->client,
	    .stderr_fd = run->log_fd,
	    .note = run->note[0] != '\0' ? run->note : NULL,
	};
	struct probe_engine_config ec = {
	    .targets = &run->o.targets,
	    .on_result = on_result,
	    .arg = run,
	};

	run->stats = probe_stats_create(run->o.targets.count,
	    run->o.fail_threshold, run->o.success_threshold);
	dc.stats = ec.stats = run->stats;
	run->dash = tui_dashboard_create(&dc);
	run->engine = probe_engine_start(&ec, err, errlen);
	return run->engine != NULL ? 0 : -1;
}

static void
log_start(struct dashboard_run *run)
{
	cJSON *j;

	if (!run->logging)
		return;
	j = options_json(&run->o);
	cJSON_AddStringToObject(j, "mode", "dashboard");
	cJSON_AddStringToObject(j, "mock", mock_client_url(run->client));
	log_event(LOG_INFO, "start", j);
	run->started_ms = clock_mono_ms();
}

/* After the engine stopped, so that its last results come before. */
static void
log_stop(
    struct dashboard_run *run, const struct tui_dashboard_end *end, int code)
{
	struct stop_line s = {
	    .reason = end->reason,
	    .signal = end->signal,
	    .results = atomic_load(&run->results),
	    .failures = atomic_load(&run->failures),
	    .skipped = end->skipped,
	    .uptime_ms = clock_mono_ms() - run->started_ms,
	};
	cJSON *j;

	if (!run->logging)
		return;
	j = stop_line_json(&s);
	if (end->forced != 0)
		cJSON_AddStringToObject(
		    j, "forced", stop_line_signal_name(end->forced));
	cJSON_AddNumberToObject(j, "exit_code", code);
	log_event(LOG_INFO, "stop", j);
}

static void
finish(struct dashboard_run *run)
{
	probe_engine_stop(run->engine);
	tui_dashboard_destroy(run->dash);
	probe_stats_destroy(run->stats);
	mock_client_destroy(run->client);
	mock_server_stop(run->server);
	mock_scenario_destroy(run->scenario);
	options_free(&run->o);
	log_setup(STDERR_FILENO, LOG_FORMAT_TEXT, LOG_INFO);
	if (run->log_fd >= 0)
		close(run->log_fd);
}

/* Everything up to the screen; exit status 2 on bad configuration. */
static int
prepare(
    struct dashboard_run *run, int argc, char **argv, char *err, size_t errlen)
{
	bool interval_set, missing = false;

	run->log_fd = -1;
	run->log_file =
	    options_take(&argc, argv, "--log-file", "LUNA_LOG_FILE", &missing);
	if (missing) {
		snprintf(err, errlen, "--log-file needs a file name");
		return 2;
	}
	if (options_parse(&run->o, argc, argv, &dashboard_spec, err, errlen) <
	    0)
		return 2;
	if (run->o.help)
		return 0;
	interval_set = interval_given(&run->o, argc, argv);
	if (open_log(run, err, errlen) < 0 ||
	    start_mock(run, err, errlen) < 0 ||
	    add_mock_target(run, interval_set, err, errlen) < 0)
		return 2;
	if (run->scenario != NULL && add_scenario_targets(run, err, errlen) < 0)
		return 2;
	log_start(run);
	if (start_engine(run, err, errlen) < 0)
		return 1;
	if (run->scenario != NULL && play_scenario(run, err, errlen) < 0)
		return 1;
	return 0;
}

/*
 * The screen until it stops, then the stop line; the exit status. When
 * a second signal cuts the stop short, luna exits at once from here, as
 * the signal would have: the engine still runs, with nothing to wait
 * for.
 */
static int
show(struct dashboard_run *run, char *err, size_t errlen)
{
	struct tui_dashboard_end end;
	int code = 0;

	if (tui_dashboard_run(run->dash, run->engine, &end, err, errlen) < 0) {
		end.reason = err;
		code = 2;
	}
	run->engine = NULL; /* stopped, or left running when forced */
	if (end.forced != 0)
		code = 128 + end.forced;
	log_stop(run, &end, code);
	if (end.forced != 0) {
		/* The log file takes the queued lines at once, if ever. */
		log_flush(FORCED_FLUSH_MS);
		_exit(code);
	}
	return code;
}

int
cmd_dashboard(int argc, char **argv)
{
	return cmd_dashboard_scenario(argc, argv, NULL);
}

int
cmd_dashboard_scenario(int argc, char **argv, struct mock_scenario *sc)
{
	struct dashboard_run run;
	char err[512];
	int rc;

	memset(&run, 0, sizeof run);
	run.scenario = sc;
	rc = prepare(&run, argc, argv, err, sizeof err);
	if (rc == 0 && run.o.help)
		usage(stdout);
	else if (rc == 0)
		rc = show(&run, err, sizeof err);
	finish(&run);
	if (rc != 0)
		fprintf(stderr, "luna: %s\n", err);
	return rc;
}
