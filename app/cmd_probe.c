/*
 * `luna probe [--once] [URL...]`: the probe engine alone, one log line
 * per result on stdout, until a signal or, with --once, one round.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/options.h"
#include "app/stop_line.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/xalloc.h"
#include "probe/emf.h"
#include "probe/engine.h"
#include "probe/output.h"

/* Schedule lag is counted per millisecond up to this, then lumped. */
#define LAG_BINS 1000

static const char *const probe_switches[] = {"--once", NULL};
static const struct options_spec probe_spec = {probe_switches, true};

static volatile sig_atomic_t got_signal;
static int wake_fds[2] = {-1, -1};

struct run {
	bool once;
	size_t ntargets;
	atomic_size_t results;
	atomic_size_t failures;
	atomic_uint lag[LAG_BINS + 1];
	atomic_llong lag_max_ms;
	atomic_bool output_lost; /* stdout closed: nobody reads the results */
};

static void
on_signal(int sig)
{
	int saved = errno;
	ssize_t n;

	got_signal = sig;
	/* A full pipe already holds a wakeup, so a failed write loses none. */
	n = write(wake_fds[1], "s", 1);
	(void)n;
	errno = saved;
}

static void
record_lag(struct run *run, const struct probe_result *r)
{
	int64_t lag = r->started_mono_ms - r->scheduled_mono_ms;

	if (lag < 0)
		lag = 0;
	atomic_fetch_add(&run->lag[lag < LAG_BINS ? lag : LAG_BINS], 1);
	if (lag > atomic_load(&run->lag_max_ms))
		atomic_store(&run->lag_max_ms, lag);
}

/* The engine thread's callback: log the line, count, wake at the end. */
static void
on_result(const struct probe_target *t, const struct probe_result *r,
    int state_changed, enum probe_state previous, void *arg)
{
	struct run *run = arg;
	size_t n;

	probe_output_log(t, r, state_changed, previous);
	record_lag(run, r);
	if (!r->ok)
		atomic_fetch_add(&run->failures, 1);
	n = atomic_fetch_add(&run->results, 1) + 1;
	if (!run->once && log_dropped() > 0 && !run->output_lost) {
		atomic_store(&run->output_lost, true);
		if (write(wake_fds[1], "o", 1) < 0)
			return;
	}
	if (run->once && n == run->ntargets && write(wake_fds[1], "d", 1) < 0)
		log_msg(LOG_ERROR, "cannot wake the main thread: %s",
		    strerror(errno));
}

static double
lag_percentile(struct run *run, double p)
{
	size_t total = atomic_load(&run->results), seen = 0, i;

	for (i = 0; i <= LAG_BINS && total > 0; i++) {
		seen += atomic_load(&run->lag[i]);
		if ((double)seen >= p * (double)total)
			return (double)i;
	}
	return 0;
}

static void
log_start(struct options *o, bool once)
{
	cJSON *j = options_json(o);

	cJSON_AddStringToObject(j, "mode", "probe");
	cJSON_AddBoolToObject(j, "once", once);
	cJSON_AddStringToObject(j, "targets_from", o->targets_source);
	log_event(LOG_INFO, "start", j);
}

static void
log_stop(struct run *run, uint64_t skipped, int64_t started_ms, int code)
{
	struct stop_line s = {
	    .reason = got_signal != 0    ? "signal"
	              : run->output_lost ? "output closed"
	                                 : "round complete",
	    .signal = got_signal,
	    .results = run->results,
	    .failures = run->failures,
	    .skipped = skipped,
	    .uptime_ms = clock_mono_ms() - started_ms,
	};
	cJSON *j = stop_line_json(&s), *lag;

	lag = cJSON_AddObjectToObject(j, "schedule_lag_ms");
	cJSON_AddNumberToObject(lag, "p50", lag_percentile(run, 0.50));
	cJSON_AddNumberToObject(lag, "p99", lag_percentile(run, 0.99));
	cJSON_AddNumberToObject(lag, "max", (double)run->lag_max_ms);
	cJSON_AddNumberToObject(j, "exit_code", code);
	log_event(LOG_INFO, "stop", j);
}

static int
setup_signals(char *err, size_t errlen)
{
	struct sigaction sa;

	if (pipe(wake_fds) < 0) {
		snprintf(
		    err, errlen, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	fcntl(wake_fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(wake_fds[1], F_SETFD, FD_CLOEXEC);
	fcntl(wake_fds[1], F_SETFL, O_NONBLOCK);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return 0;
}

/* Sleep until a signal, or with --once until every target answered. */
static void
wait_for_end(struct run *run)
{
	struct pollfd p = {.fd = wake_fds[0], .events = POLLIN};
	char buf[16];

	while (got_signal == 0 && !atomic_load(&run->output_lost) &&
	       !(run->once && atomic_load(&run->results) >= run->ntargets)) {
		if (poll(&p, 1, -1) > 0 &&
		    read(wake_fds[0], buf, sizeof buf) < 0)
			break;
	}
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: luna probe [--once] [options] [URL...]\n\n"
	    "Probe each target on its interval and log one line per result\n"
	    "(JSON when stdout is not a terminal) until SIGINT or SIGTERM.\n"
	    "With --once, probe every target once and exit 0 when all\n"
	    "passed, 1 when any failed, 2 on bad configuration.\n\n"
	    "options:\n"
	    "  --once                       one round, then exit\n");
	options_usage_groups(out, OPTIONS_GROUP_PROBE | OPTIONS_GROUP_LOG);
}

static int
run_probe(struct options *o, bool once)
{
	struct run *run = xcalloc(1, sizeof *run);
	struct probe_engine_config c = {0};
	struct probe_engine *e;
	struct probe_stats *stats;
	int64_t started = clock_mono_ms();
	uint64_t skipped;
	char err[256];
	int code;

	run->once = once;
	run->ntargets = o->targets.count;
	stats = probe_stats_create(
	    o->targets.count, o->fail_threshold, o->success_threshold);
	c = (struct probe_engine_config){
	    &o->targets, stats, on_result, run, once};
	log_start(o, once);
	if ((e = probe_engine_start(&c, err, sizeof err)) == NULL) {
		fprintf(stderr, "luna: %s\n", err);
		probe_stats_destroy(stats);
		free(run);
		return 2;
	}
	wait_for_end(run);
	skipped = probe_engine_skipped(e);
	probe_engine_stop(e);
	if (run->output_lost)
		code = 1;
	else if (!once)
		code = 0;
	else
		code = got_signal == 0 && run->failures == 0 ? 0 : 1;
	log_stop(run, skipped, started, code);
	probe_stats_destroy(stats);
	free(run);
	return code;
}

/* Results that could not be written are lost: say so, and fail. */
static int
check_output(int code)
{
	unsigned long lost = log_drain(2000);

	if (lost == 0)
		return code;
	fprintf(stderr, "luna: cannot write to stdout: %lu lines lost\n", lost);
	return code == 0 ? 1 : code;
}

int
cmd_probe(int argc, char **argv)
{
	struct options o;
	char err[512];
	int code = 2;

	if (options_parse(&o, argc, argv, &probe_spec, err, sizeof err) < 0) {
		fprintf(stderr, "luna: %s\n", err);
		goto out;
	}
	if (o.help) {
		usage(stdout);
		code = 0;
		goto out;
	}
	if (!o.targets_set) {
		fprintf(stderr, "luna: no targets: give URLs, --targets, "
		                "LUNA_TARGETS or a --config file\n");
		goto out;
	}
	if (!o.log_format_set)
		o.log_format =
		    isatty(STDOUT_FILENO) ? LOG_FORMAT_TEXT : LOG_FORMAT_JSON;
	log_setup(STDOUT_FILENO, o.log_format, LOG_INFO);
	if (o.log_format == LOG_FORMAT_EMF)
		log_set_decorator(probe_emf_decorate, o.emf_namespace);
	if (setup_signals(err, sizeof err) < 0) {
		fprintf(stderr, "luna: %s\n", err);
		goto out;
	}
	code = run_probe(&o, options_switch(&o, &probe_spec, "--once"));
	code = check_output(code);
out:
	log_set_decorator(NULL, NULL);
	options_free(&o);
	return code;
}
