/*
 * `luna --headless` (and `luna` without a terminal): the probe engine,
 * the bundled mock when it is wanted, one log line per event on stdout,
 * periodic summaries and the status server, until SIGTERM or SIGINT.
 *
 * Signals are blocked in every thread and taken by the main thread with
 * sigtimedwait(), which also times the summaries: no handler runs in the
 * middle of a log write, so no line is ever cut.
 */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/options.h"
#include "app/status.h"
#include "app/stop_line.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "mockserver/scenario_runner.h"
#include "mockserver/server.h"
#include "mockserver/state.h"
#include "probe/emf.h"
#include "probe/engine.h"
#include "probe/metrics.h"
#include "probe/output.h"
#include "probe/summary.h"

/*
 * The engine's loop turns at least once a second and whenever a probe
 * is due or answers, and the log's writer takes every line it is given;
 * five seconds without either moving is a stall (a wedged thread, a log
 * driver that stopped taking lines), not a quiet moment.
 */
#define HEADLESS_STALL_MS 5000

/*
 * SIGUSR1 is a fire drill for the health check: the engine thread holds
 * in its next result callback this long, longer than a stall, so
 * /healthz and `luna health` must fail, then recover by themselves.
 */
#define HEADLESS_DRILL_MS 8000

static const char *const headless_switches[] = {"--headless", NULL};
static const struct options_spec headless_spec = {headless_switches, false};

struct headless {
	struct options o;
	struct mock_server *mock;
	struct probe_stats *stats;
	struct probe_metrics *metrics;
	struct probe_summary *summary;
	/* Read by the status server's thread: NULL before and after. */
	_Atomic(struct probe_engine *) engine;
	struct status_server *status;
	int64_t start_wall_ms;
	int64_t start_mono_ms;
	int64_t last_summary_ms;
	atomic_ullong results;
	atomic_ullong failures;
	uint64_t skipped; /* slots a busy target missed, read on stop */
	atomic_llong drill_until_ms; /* monotonic; 0: no drill */
	atomic_bool stopping;
};

/* The drill: hold the engine thread until its end, or a stop. */
static void
hold_for_drill(struct headless *h)
{
	struct timespec tick = {0, 50 * 1000000L};
	int64_t until = atomic_exchange(&h->drill_until_ms, 0);

	while (clock_mono_ms() < until && !atomic_load(&h->stopping))
		nanosleep(&tick, NULL);
}

/* The engine thread's callback: one line, and the counts of /metrics. */
static void
on_result(const struct probe_target *t, const struct probe_result *r,
    int state_changed, enum probe_state previous, void *arg)
{
	struct headless *h = arg;

	probe_metrics_record(h->metrics, r);
	atomic_fetch_add(&h->results, 1);
	if (!r->ok)
		atomic_fetch_add(&h->failures, 1);
	probe_output_log(t, r, state_changed, previous);
	if (atomic_load(&h->drill_until_ms) != 0)
		hold_for_drill(h);
}

static int64_t
status_heartbeat(void *arg)
{
	struct probe_engine *e = atomic_load(&((struct headless *)arg)->engine);
	int64_t engine, output = log_heartbeat_ms();

	/* Before the engine starts or once it stops: nothing is stalled. */
	engine = e != NULL ? probe_engine_heartbeat_ms(e) : clock_mono_ms();
	return engine < output ? engine : output;
}

/* The mock's replies by status code, the non-zero ones, for /metrics. */
static size_t
mock_codes(struct headless *h, struct probe_metrics_code *out)
{
	static unsigned long counts[MOCK_STATUS_SLOTS];
	size_t i, n = 0;

	/* Only the status server's one thread renders: static is safe. */
	mock_server_counts(h->mock, counts);
	for (i = 0; i < MOCK_STATUS_SLOTS; i++)
		if (counts[i] > 0) {
			out[n].code = (int)i;
			out[n++].count = counts[i];
		}
	return n;
}

static char *
status_metrics(void *arg)
{
	struct headless *h = arg;
	struct probe_metrics_code *codes = NULL;
	struct probe_metrics_extra x = {0};
	char *text;

	x.heartbeat_age_s = (clock_mono_ms() - status_heartbeat(h)) / 1000.0;
	x.start_time_s = h->start_wall_ms / 1000.0;
	x.log_dropped = log_dropped();
	if (h->mock != NULL) {
		codes = xcalloc(MOCK_STATUS_SLOTS, sizeof *codes);
		x.mock = codes;
		x.nmock = mock_codes(h, codes);
	}
	text = probe_metrics_render(h->metrics, &x);
	free(codes);
	return text;
}

/* One target of /results: its statistics and its recent results. */
static cJSON *
target_results(struct headless *h, size_t i, struct probe_snapshot *snap)
{
	const struct probe_target *t = &h->o.targets.items[i];
	cJSON *j = cJSON_CreateObject(), *recent;
	size_t k;

	probe_stats_snapshot(h->stats, i, clock_wall_ms(), snap);
	cJSON_AddStringToObject(j, "target", t->name);
	cJSON_AddStringToObject(j, "url", probe_target_display_url(t));
	cJSON_AddStringToObject(j, "state", probe_state_name(snap->state));
	cJSON_AddNumberToObject(j, "total", (double)snap->total);
	cJSON_AddNumberToObject(j, "failures", (double)snap->failures);
	cJSON_AddNumberToObject(
	    j, "error_rate_1m", round(snap->error_rate_1m * 10000.0) / 10000.0);
	probe_output_add_percentiles(j, snap);
	recent = cJSON_AddArrayToObject(j, "recent");
	for (k = 0; k < snap->nrecent; k++)
		cJSON_AddItemToArray(
		    recent, probe_output_result_json(t, &snap->recent[k]));
	return j;
}

static cJSON *
status_results(void *arg)
{
	struct headless *h = arg;
	struct probe_snapshot *snap = xmalloc(sizeof *snap);
	cJSON *doc = cJSON_CreateObject(), *list;
	char ts[CLOCK_RFC3339_LEN];
	size_t i;

	clock_format_rfc3339(clock_wall_ms(), ts);
	cJSON_AddStringToObject(doc, "ts", ts);
	list = cJSON_AddArrayToObject(doc, "targets");
	for (i = 0; i < h->o.targets.count; i++)
		cJSON_AddItemToArray(list, target_results(h, i, snap));
	free(snap);
	return doc;
}

/* A "summary" line per target for the period that ends now. */
static void
log_summaries(struct headless *h)
{
	struct probe_snapshot *snap = xmalloc(sizeof *snap);
	int64_t now = clock_mono_ms();
	size_t i;

	for (i = 0; i < h->o.targets.count; i++) {
		probe_stats_snapshot(h->stats, i, clock_wall_ms(), snap);
		log_event(LOG_INFO, "summary",
		    probe_summary_fields(h->summary, i, &h->o.targets.items[i],
		        snap, now - h->last_summary_ms));
	}
	h->last_summary_ms = now;
	free(snap);
}

/*
 * The bundled mock runs when no targets are configured (it is then the
 * target) or when LUNA_MOCK_LISTEN asks for it; a remote mock
 * (LUNA_MOCK_URL) replaces it.
 */
static int
start_mock(struct headless *h, char *err, size_t errlen)
{
	struct mock_server_config mc = {0};
	char url[512];

	if (h->o.mock_url != NULL && !h->o.targets_set) {
		snprintf(url, sizeof url, "%s/mock", h->o.mock_url);
		return probe_targets_add_url(
		    &h->o.targets, "mock", url, &h->o.defaults, err, errlen);
	}
	if (h->o.targets_set && !h->o.mock_listen_set)
		return 0;
	mc.listen = h->o.mock_listen;
	mc.fallback_port = !h->o.mock_listen_set;
	mc.token = h->o.control_token;
	if ((h->mock = mock_server_start(&mc, err, errlen)) == NULL)
		return -1;
	if (h->o.targets_set)
		return 0;
	snprintf(url, sizeof url, "%s/mock", mock_server_url(h->mock));
	return probe_targets_add_url(
	    &h->o.targets, "mock", url, &h->o.defaults, err, errlen);
}

/*
 * LUNA_MOCK_SCENARIO, a scenario for the bundled mock to play from the
 * start, into *OUT (NULL when unset); -1 when it does not load.
 */
static int
open_mock_scenario(struct mock_scenario **out, char *err, size_t errlen)
{
	const char *name = getenv("LUNA_MOCK_SCENARIO");

	*out = NULL;
	if (name == NULL || name[0] == '\0')
		return 0;
	*out = mock_scenario_open(name, mock_state_validate, err, errlen);
	return *out != NULL ? 0 : -1;
}

/* Play SC (ownership passes; may be NULL) on the bundled mock. */
static int
play_mock_scenario(
    struct headless *h, struct mock_scenario *sc, char *err, size_t errlen)
{
	if (sc != NULL && h->mock == NULL) {
		log_msg(LOG_WARN,
		    "scenario '%s' not played: no bundled mock runs here",
		    mock_scenario_name(sc));
		mock_scenario_destroy(sc);
		return 0;
	}
	if (sc == NULL)
		return 0;
	return mock_scenario_runner_play(
	    mock_server_scenarios(h->mock), sc, err, errlen);
}

static int
start_status(struct headless *h, char *err, size_t errlen)
{
	struct status_config sc = {0};

	sc.listen = h->o.status_listen;
	sc.stall_after_ms = HEADLESS_STALL_MS;
	sc.heartbeat_ms = status_heartbeat;
	sc.metrics = status_metrics;
	sc.results = status_results;
	sc.arg = h;
	h->status = status_start(&sc, err, errlen);
	return h->status != NULL ? 0 : -1;
}

static void
log_start(struct headless *h)
{
	cJSON *j = options_json(&h->o);
	char addr[300];

	cJSON_AddStringToObject(j, "mode", "headless");
	cJSON_AddStringToObject(j, "targets_from",
	    h->o.targets_set ? h->o.targets_source : "bundled mock");
	if (h->mock != NULL)
		cJSON_AddStringToObject(
		    j, "mock_url", mock_server_url(h->mock));
	listen_format(
	    &h->o.status_listen, status_port(h->status), addr, sizeof addr);
	cJSON_AddStringToObject(j, "status_listen", addr);
	cJSON_AddNumberToObject(
	    j, "summary_interval_ms", (double)h->o.summary_ms);
	cJSON_AddNumberToObject(j, "pid", (double)getpid());
	log_event(LOG_INFO, "start", j);
}

static void
log_stop(struct headless *h, int sig, int64_t drain_ms)
{
	struct stop_line s = {
	    .reason = "signal",
	    .signal = sig,
	    .results = h->results,
	    .failures = h->failures,
	    .skipped = h->skipped,
	    .uptime_ms = clock_mono_ms() - h->start_mono_ms,
	};
	cJSON *j = stop_line_json(&s);

	cJSON_AddNumberToObject(j, "drain_ms", (double)drain_ms);
	cJSON_AddNumberToObject(j, "log_dropped", (double)log_dropped());
	/* Lines already lost make the exit status 1 (see output_lost). */
	cJSON_AddNumberToObject(j, "exit_code", log_dropped() > 0);
	log_event(LOG_INFO, "stop", j);
}

static void
start_drill(struct headless *h)
{
	log_msg(LOG_WARN,
	    "SIGUSR1: holding the probe loop for %d ms, "
	    "a drill of the health check",
	    HEADLESS_DRILL_MS);
	atomic_store(&h->drill_until_ms, clock_mono_ms() + HEADLESS_DRILL_MS);
}

/* The next signal, or 0 when TIMEOUT_MS (-1: none) passed first. */
static int
next_signal(const sigset_t *set, int64_t timeout_ms)
{
	struct timespec ts;
	int sig;

	if (timeout_ms < 0)
		return sigwait(set, &sig) == 0 ? sig : 0;
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (timeout_ms % 1000) * 1000000L;
	sig = sigtimedwait(set, NULL, &ts);
	return sig > 0 ? sig : 0;
}

/* Wait for SIGTERM or SIGINT, logging summaries on their period. */
static int
wait_for_signal(struct headless *h, const sigset_t *set)
{
	int64_t period = h->o.summary_ms, left = -1;
	int sig;

	for (;;) {
		if (period > 0) {
			left = h->last_summary_ms + period - clock_mono_ms();
			if (left <= 0) {
				log_summaries(h);
				continue;
			}
		}
		sig = next_signal(set, left);
		if (sig == SIGUSR1)
			start_drill(h);
		else if (sig != 0)
			return sig;
	}
}

/* Lines that could not be written are lost: say so on stderr. */
static bool
output_lost(void)
{
	unsigned long lost = log_drain(2000);

	if (lost > 0)
		fprintf(stderr,
		    "luna: cannot write to stdout: %lu lines lost\n", lost);
	return lost > 0;
}

static int
run(struct headless *h, const sigset_t *set)
{
	struct probe_engine_config ec = {0};
	struct mock_scenario *sc = NULL;
	struct probe_engine *e;
	char err[512];
	int64_t t0;
	int sig, rc;

	if (open_mock_scenario(&sc, err, sizeof err) < 0 ||
	    start_mock(h, err, sizeof err) < 0)
		goto fail;
	h->stats = probe_stats_create(
	    h->o.targets.count, h->o.fail_threshold, h->o.success_threshold);
	h->metrics = probe_metrics_create(&h->o.targets);
	h->summary = probe_summary_create(h->o.targets.count);
	if (start_status(h, err, sizeof err) < 0)
		goto fail;
	log_start(h);
	rc = play_mock_scenario(h, sc, err, sizeof err);
	sc = NULL;
	if (rc < 0)
		goto fail;
	ec.targets = &h->o.targets;
	ec.stats = h->stats;
	ec.on_result = on_result;
	ec.arg = h;
	h->last_summary_ms = clock_mono_ms();
	if ((e = probe_engine_start(&ec, err, sizeof err)) == NULL)
		goto fail;
	atomic_store(&h->engine, e);

	sig = wait_for_signal(h, set);
	t0 = clock_mono_ms();
	atomic_store(&h->stopping, true);
	status_stop(h->status);
	h->status = NULL;
	/* Stop scheduling; probes in flight finish or time out first. */
	e = atomic_exchange(&h->engine, NULL);
	h->skipped = probe_engine_skipped(e);
	probe_engine_stop(e);
	if (h->o.summary_ms > 0)
		log_summaries(h);
	log_stop(h, sig, clock_mono_ms() - t0);
	return output_lost() ? 1 : 0;
fail:
	mock_scenario_destroy(sc);
	fprintf(stderr, "luna: %s\n", err);
	return 2;
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: luna --headless [options]\n\n"
	    "Probe the targets (the bundled mock when none are given), log\n"
	    "one JSON line per event on stdout, a summary per target every\n"
	    "LUNA_SUMMARY_INTERVAL, and serve /healthz, /metrics and\n"
	    "/results on LUNA_STATUS_LISTEN, until SIGTERM or SIGINT.\n"
	    "SIGUSR1 holds the probe loop for 8 s: a drill that /healthz\n"
	    "must fail, then pass again.\n\n"
	    "options:\n");
	options_usage(out);
}

/* Free what run() left; each part may be missing. */
static void
headless_free(struct headless *h)
{
	status_stop(h->status);
	probe_engine_stop(atomic_load(&h->engine));
	mock_server_stop(h->mock);
	probe_summary_destroy(h->summary);
	probe_metrics_destroy(h->metrics);
	probe_stats_destroy(h->stats);
	options_free(&h->o);
	free(h);
}

int
cmd_headless(int argc, char **argv)
{
	struct headless *h = xcalloc(1, sizeof *h);
	sigset_t set;
	char err[512];
	int code = 2;

	h->start_wall_ms = clock_wall_ms();
	h->start_mono_ms = clock_mono_ms();
	if (options_parse(&h->o, argc, argv, &headless_spec, err, sizeof err) <
	    0) {
		fprintf(stderr, "luna: %s\n", err);
		goto out;
	}
	if (h->o.help) {
		usage(stdout);
		code = 0;
		goto out;
	}
	log_setup(STDOUT_FILENO,
	    h->o.log_format_set ? h->o.log_format : LOG_FORMAT_JSON, LOG_INFO);
	if (log_format() == LOG_FORMAT_EMF)
		log_set_decorator(probe_emf_decorate, h->o.emf_namespace);

	/* Blocked before any thread starts, so every thread inherits it. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	code = run(h, &set);
out:
	log_set_decorator(NULL, NULL);
	headless_free(h);
	return code;
}
