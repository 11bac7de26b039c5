/*
 * libFuzzer target: the JSON config file, through the same path as
 * `luna probe --config FILE`: the input is written to a file and read
 * by options_parse, which reads the options and the targets in it.
 * It either gives options a run can use, or one reason naming the file.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "app/options.h"
#include "common/log.h"
#include "fuzz/fuzz.h"

static char path[64];
static int fd = -1;

static void
remove_config(void)
{
	unlink(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const env[] = {"LUNA_CONFIG", "LUNA_TARGETS",
	    "LUNA_INTERVAL", "LUNA_TIMEOUT", "LUNA_EXPECT", "LUNA_METHOD"};
	const char *dir = getenv("TMPDIR");
	size_t i;

	for (i = 0; i < sizeof env / sizeof *env; i++)
		unsetenv(env[i]);
	log_setup(-1, LOG_FORMAT_JSON, LOG_DEBUG);
	snprintf(path, sizeof path, "%s/luna-fuzz-XXXXXX",
	    dir != NULL && strlen(dir) < 40 ? dir : "/tmp");
	fd = mkstemp(path);
	fuzz_assert(fd >= 0, "cannot make a temporary config file");
	atexit(remove_config);
	return 0;
}

static void
write_config(const uint8_t *data, size_t size)
{
	fuzz_assert(ftruncate(fd, 0) == 0, "cannot truncate the config");
	fuzz_assert(pwrite(fd, data, size, 0) == (ssize_t)size,
	    "cannot write the config");
}

static void
check_options(const struct options *o)
{
	const struct probe_target *t;
	cJSON *j;
	size_t i;

	for (i = 0; i < o->targets.count; i++) {
		t = &o->targets.items[i];
		fuzz_assert(t->interval_ms >= 100, "interval under 100ms");
		fuzz_assert(t->timeout_ms > 0, "timeout not positive");
		fuzz_assert(t->max_latency_ms >= 0, "negative max_latency");
		fuzz_assert(t->method[0] != '\0', "empty method");
		fuzz_assert(probe_targets_find(&o->targets, t->name) == (long)i,
		    "two targets share a name");
	}
	fuzz_assert(o->fail_threshold >= 1 && o->success_threshold >= 1,
	    "threshold under 1");
	j = options_json(o);
	fuzz_assert(j != NULL, "no configuration JSON");
	cJSON_Delete(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const switches[] = {"--once", NULL};
	static const struct options_spec spec = {switches, true};
	char *argv[] = {"probe", "--config", path, NULL};
	struct options o;
	char err[1024];

	write_config(data, size);
	if (options_parse(&o, 3, argv, &spec, err, sizeof err) == 0)
		check_options(&o);
	else
		fuzz_assert(err[0] != '\0', "config refused without a reason");
	options_free(&o);
	return 0;
}
