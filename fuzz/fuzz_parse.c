/*
 * libFuzzer target: the parsers of values an operator types. The first
 * byte picks the parser, the rest is the text: durations, sizes, whole
 * numbers, expect specs, mock mixes, faults, listen addresses and log
 * formats. Each either accepts with a sane value or refuses with one
 * line; an expect spec formats back into a spec that parses to the
 * same set.
 */
#include <stdint.h>
#include <string.h>

#include "common/listen.h"
#include "common/log.h"
#include "common/parse.h"
#include "fuzz/fuzz.h"
#include "mockserver/state.h"
#include "probe/target.h"

static void
fuzz_duration(const char *s)
{
	char err[256];
	int64_t ms;

	if (parse_duration_ms(s, &ms, err, sizeof err) == 0)
		fuzz_assert(
		    ms >= 0 && ms <= 24 * 3600 * 1000, "duration out of range");
	else
		fuzz_assert(
		    fuzz_error_ok(err, s), "duration error not one line");
}

static void
fuzz_size(const char *s)
{
	char err[256];
	size_t n;

	if (parse_size(s, &n, err, sizeof err) < 0)
		fuzz_assert(fuzz_error_ok(err, s), "size error not one line");
}

static void
fuzz_long(const char *s)
{
	char err[256];
	long n;

	if (parse_long(s, -1000, 1000, &n, "number", err, sizeof err) == 0)
		fuzz_assert(n >= -1000 && n <= 1000, "number out of range");
	else
		fuzz_assert(fuzz_error_ok(err, s), "number error not one line");
}

static void
fuzz_expect(const char *s)
{
	struct probe_expect e, again;
	char err[512], spec[2048];
	int code;

	if (probe_expect_parse(s, &e, err, sizeof err) < 0) {
		fuzz_assert(fuzz_error_ok(err, s), "expect error not one line");
		return;
	}
	probe_expect_format(&e, spec, sizeof spec);
	if (spec[0] == '\0')
		return;
	fuzz_assert(probe_expect_parse(spec, &again, err, sizeof err) == 0,
	    "a formatted expect spec does not parse");
	for (code = 0; code < 700; code++)
		fuzz_assert(probe_expect_match(&e, code) ==
		                probe_expect_match(&again, code),
		    "expect spec changed in a round trip");
}

static void
fuzz_mix(const char *s)
{
	struct mock_behaviour b;
	char err[256];
	int i;

	memset(&b, 0, sizeof b);
	if (mock_mix_parse(s, &b, err, sizeof err) < 0) {
		fuzz_assert(fuzz_error_ok(err, s), "mix error not one line");
		return;
	}
	for (i = 0; i < 3; i++)
		fuzz_assert(
		    mock_behaviour_pick_status(&b, (uint64_t)i << 62) >= 100,
		    "mix picked a status under 100");
}

static void
fuzz_small(int which, const char *s)
{
	struct listen_addr addr;
	enum log_format format;
	enum mock_fault fault;
	char err[512], buf[300];

	if (which == 0 && mock_fault_parse(s, &fault) == 0)
		fuzz_assert(strcmp(mock_fault_name(fault), s) == 0,
		    "fault name does not round-trip");
	if (which == 1 && listen_parse(s, &addr, err, sizeof err) == 0) {
		fuzz_assert(addr.port >= 0 && addr.port <= 65535,
		    "listen port out of range");
		listen_format(&addr, addr.port, buf, sizeof buf);
	}
	if (which == 2 && log_format_parse(s, &format, err, sizeof err) < 0)
		fuzz_assert(
		    fuzz_error_ok(err, s), "log format error not one line");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size == 0)
		return 0;
	s = fuzz_text(data + 1, size - 1);
	switch (data[0] % 8) {
	case 0:
		fuzz_duration(s);
		break;
	case 1:
		fuzz_size(s);
		break;
	case 2:
		fuzz_long(s);
		break;
	case 3:
		fuzz_expect(s);
		break;
	case 4:
		fuzz_mix(s);
		break;
	default:
		fuzz_small(data[0] % 8 - 5, s);
		break;
	}
	free(s);
	return 0;
}
