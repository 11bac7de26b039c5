#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/listen.h"
#include "common/log.h"
#include "common/parse.h"

static char err[256];

START_TEST(duration_takes_each_unit)
{
	int64_t ms;

	ck_assert_int_eq(parse_duration_ms("250ms", &ms, err, sizeof err), 0);
	ck_assert_int_eq(ms, 250);
	ck_assert_int_eq(parse_duration_ms("5s", &ms, err, sizeof err), 0);
	ck_assert_int_eq(ms, 5000);
	ck_assert_int_eq(parse_duration_ms("1.5s", &ms, err, sizeof err), 0);
	ck_assert_int_eq(ms, 1500);
	ck_assert_int_eq(parse_duration_ms("2m", &ms, err, sizeof err), 0);
	ck_assert_int_eq(ms, 120000);
	ck_assert_int_eq(parse_duration_ms("0", &ms, err, sizeof err), 0);
	ck_assert_int_eq(ms, 0);
}
END_TEST

START_TEST(duration_refuses_and_names_bad_value)
{
	static const char *const bad[] = {"", "5", "-1s", "5x", "s", "1e999s",
	    "25h", " 5s", "5s ", "nan", "0x10s", "1e3s", "+3s", "1..5s", ".s",
	    "inf"};
	int64_t ms;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_int_eq(
		    parse_duration_ms(bad[i], &ms, err, sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, "bad duration"));
	}
	parse_duration_ms("5x", &ms, err, sizeof err);
	ck_assert_ptr_nonnull(strstr(err, "'5x'"));
}
END_TEST

START_TEST(size_takes_binary_units)
{
	size_t n;

	ck_assert_int_eq(parse_size("512", &n, err, sizeof err), 0);
	ck_assert_uint_eq(n, 512);
	ck_assert_int_eq(parse_size("64k", &n, err, sizeof err), 0);
	ck_assert_uint_eq(n, 65536);
	ck_assert_int_eq(parse_size("1MiB", &n, err, sizeof err), 0);
	ck_assert_uint_eq(n, 1048576);
	ck_assert_int_eq(parse_size("0.5M", &n, err, sizeof err), 0);
	ck_assert_uint_eq(n, 524288);
	ck_assert_int_eq(parse_size("0.5", &n, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "whole number"));
	ck_assert_int_eq(parse_size("0x10", &n, err, sizeof err), -1);
	ck_assert_int_eq(parse_size("1q", &n, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'1q'"));
}
END_TEST

START_TEST(long_checks_range)
{
	long v;

	ck_assert_int_eq(
	    parse_long("42", 1, 100, &v, "count", err, sizeof err), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(
	    parse_long("0", 1, 100, &v, "count", err, sizeof err), -1);
	ck_assert_str_eq(err, "bad count '0': must be from 1 to 100");
	ck_assert_int_eq(
	    parse_long("4x", 1, 100, &v, "count", err, sizeof err), -1);
}
END_TEST

START_TEST(listen_parses_host_and_port)
{
	struct listen_addr a;

	ck_assert_int_eq(
	    listen_parse("127.0.0.1:8080", &a, err, sizeof err), 0);
	ck_assert_str_eq(a.host, "127.0.0.1");
	ck_assert_int_eq(a.port, 8080);
	ck_assert(listen_is_loopback(&a));
	ck_assert_int_eq(listen_parse("[::1]:9464", &a, err, sizeof err), 0);
	ck_assert_str_eq(a.host, "::1");
	ck_assert(listen_is_loopback(&a));
	ck_assert_int_eq(listen_parse(":80", &a, err, sizeof err), 0);
	ck_assert_str_eq(a.host, "");
	ck_assert(!listen_is_loopback(&a));
	ck_assert_int_eq(
	    listen_parse("0.0.0.0:99999", &a, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'0.0.0.0:99999'"));
	ck_assert_int_eq(listen_parse("::1:80", &a, err, sizeof err), -1);
	ck_assert_int_eq(
	    listen_parse("127.example.net:80", &a, err, sizeof err), 0);
	ck_assert(!listen_is_loopback(&a));
	ck_assert_int_eq(
	    listen_parse("[::ffff:127.0.0.1]:80", &a, err, sizeof err), 0);
	ck_assert(listen_is_loopback(&a));
	ck_assert_int_eq(listen_parse("127.1.2.3:80", &a, err, sizeof err), 0);
	ck_assert(listen_is_loopback(&a));
}
END_TEST

START_TEST(listen_falls_back_when_port_taken)
{
	struct listen_addr a;
	int fd1, fd2, port1, port2;

	listen_parse("127.0.0.1:0", &a, err, sizeof err);
	fd1 = listen_open(&a, false, &port1, err, sizeof err);
	ck_assert_int_ge(fd1, 0);
	a.port = port1;
	ck_assert_int_eq(listen_open(&a, false, &port2, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "address in use"));
	fd2 = listen_open(&a, true, &port2, err, sizeof err);
	ck_assert_int_ge(fd2, 0);
	ck_assert_int_ne(port1, port2);
}
END_TEST

START_TEST(rfc3339_is_utc_with_millis)
{
	char buf[CLOCK_RFC3339_LEN];

	clock_format_rfc3339(1764779371123LL, buf);
	ck_assert_str_eq(buf, "2025-12-03T16:29:31.123Z");
}
END_TEST

/* Log LINES lines with seq 1..LINES as JSON to FD. */
static void
log_numbered(int fd, int lines)
{
	int i;

	log_setup(fd, LOG_FORMAT_JSON, LOG_INFO);
	for (i = 1; i <= lines; i++) {
		cJSON *f = cJSON_CreateObject();

		cJSON_AddNumberToObject(f, "seq", i);
		log_event(LOG_INFO, "probe", f);
	}
}

START_TEST(log_never_blocks_on_a_stalled_output)
{
	unsigned long before = log_dropped(), dropped;
	int64_t end = clock_mono_ms() + 10000;
	char buf[65536];
	int fds[2];

	/* Nobody reads: the pipe fills after 64 KiB, the queue after that. */
	ck_assert_int_eq(pipe(fds), 0);
	log_numbered(fds[1], 40000);
	dropped = log_dropped() - before;
	ck_assert_uint_gt(dropped, 0);
	ck_assert_uint_lt(dropped, 40000);
	ck_assert_uint_gt(log_flush(100), 0);

	/* Read again: the writer catches up and the queue empties. */
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	while (log_flush(10) > 0 && clock_mono_ms() < end)
		while (read(fds[0], buf, sizeof buf) > 0)
			;
	ck_assert_uint_eq(log_flush(10), 0);
	log_setup(-1, LOG_FORMAT_JSON, LOG_INFO);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(log_writes_every_line_whole_and_in_order)
{
	unsigned long before = log_dropped();
	char path[] = "/tmp/luna-log-XXXXXX";
	char line[256];
	FILE *in;
	int fd, expect = 1;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	log_numbered(fd, 5000);
	ck_assert_uint_eq(log_flush(5000), 0);
	ck_assert_uint_eq(log_dropped(), before);
	in = fopen(path, "r");
	ck_assert_ptr_nonnull(in);
	while (fgets(line, sizeof line, in) != NULL) {
		cJSON *j = cJSON_Parse(line);

		ck_assert_ptr_nonnull(j);
		ck_assert_int_eq(
		    cJSON_GetObjectItem(j, "seq")->valueint, expect++);
		cJSON_Delete(j);
	}
	ck_assert_int_eq(expect, 5001);
	fclose(in);
	unlink(path);
	close(fd);
}
END_TEST

START_TEST(log_counts_lines_to_a_closed_output)
{
	unsigned long before = log_dropped();
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	close(fds[0]);
	log_numbered(fds[1], 3);
	ck_assert_uint_eq(log_flush(5000), 0);
	ck_assert_uint_eq(log_dropped() - before, 3);
	log_setup(-1, LOG_FORMAT_JSON, LOG_INFO);
	close(fds[1]);
}
END_TEST

static Suite *
common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, duration_takes_each_unit);
	tcase_add_test(tc, duration_refuses_and_names_bad_value);
	tcase_add_test(tc, size_takes_binary_units);
	tcase_add_test(tc, long_checks_range);
	tcase_add_test(tc, listen_parses_host_and_port);
	tcase_add_test(tc, listen_falls_back_when_port_taken);
	tcase_add_test(tc, rfc3339_is_utc_with_millis);
	suite_add_tcase(s, tc);
	tc = tcase_create("log");
	tcase_add_test(tc, log_never_blocks_on_a_stalled_output);
	tcase_add_test(tc, log_writes_every_line_whole_and_in_order);
	tcase_add_test(tc, log_counts_lines_to_a_closed_output);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(common_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
