/* Bad input to the probe side: config fields, target lists, URLs. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/check.h"
#include "probe/target.h"

static char err[512];

/* Load the JSON config TEXT; returns load_file's result, list in L. */
static int
load(struct probe_target_list *l, const char *text)
{
	char path[] = "/tmp/check_probe_input_XXXXXX";
	struct probe_defaults d;
	int fd = mkstemp(path), rc;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	probe_defaults_init(&d);
	err[0] = '\0';
	rc = probe_targets_load_file(l, path, &d, err, sizeof err);
	unlink(path);
	return rc;
}

/* Load one target with the JSON members FIELDS after its URL. */
static int
load_target(struct probe_target_list *l, const char *fields)
{
	char text[4096];

	snprintf(text, sizeof text,
	    "[{\"name\": \"api\", \"url\": \"http://a/\"%s%s}]",
	    *fields ? ", " : "", fields);
	return load(l, text);
}

static void
assert_refused(const char *fields, const char *field, const char *words)
{
	struct probe_target_list l = {0};

	ck_assert_msg(load_target(&l, fields) == -1, "accepted %s", fields);
	ck_assert_uint_eq(l.count, 0);
	ck_assert_msg(
	    strstr(err, field) != NULL, "'%s' not in: %s", field, err);
	ck_assert_msg(
	    strstr(err, words) != NULL, "'%s' not in: %s", words, err);
	ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(regex_back_references_are_refused_at_load)
{
	assert_refused("\"body_regex\": \"(a*)*\\\\1b\"",
	    "targets[0].body_regex", "back-reference '\\1'");
	assert_refused("\"body_regex\": \"(x)\\\\9\"", "targets[0].body_regex",
	    "exponential");
}
END_TEST

START_TEST(regex_counts_that_expand_too_far_are_refused)
{
	struct probe_target_list l = {0};

	assert_refused("\"body_regex\": \"a{1,32767}\"",
	    "targets[0].body_regex", "count 32767 over 255");
	assert_refused("\"body_regex\": \"((a{1,100}){1,100}){1,50}\"",
	    "targets[0].body_regex", "expands");
	assert_refused(
	    "\"body_regex\": \"\"", "targets[0].body_regex", "empty regex");
	/* Escaped and bracketed digits and braces are no count. */
	ck_assert_int_eq(load_target(&l, "\"body_regex\": "
	                                 "\"[\\\\1]\\\\{9999}a{2,255}\""),
	    0);
	probe_targets_clear(&l);
}
END_TEST

static bool
matches(struct probe_target *t, const char *body, size_t len)
{
	struct probe_result r = {.status = 200};

	probe_check_response(t, body, len, &r);
	return r.ok;
}

START_TEST(regex_matches_anywhere_in_one_pass)
{
	struct probe_target_list l = {0};
	size_t n = 256 * 1024;
	char *body = malloc(n + 1);

	/* Quadratic in glibc's unanchored search: minutes, not ms. */
	ck_assert_int_eq(load_target(&l, "\"body_regex\": \"(a|aa)*b\""), 0);
	memset(body, 'a', n);
	body[n] = '\0';
	ck_assert(!matches(&l.items[0], body, n));
	body[n - 1] = 'b';
	ck_assert(matches(&l.items[0], body, n));
	probe_targets_clear(&l);
	free(body);

	ck_assert_int_eq(load_target(&l, "\"body_regex\": \"^st|ok$\""), 0);
	ck_assert(matches(&l.items[0], "status", 6));
	ck_assert(matches(&l.items[0], "all ok", 6));
	ck_assert(!matches(&l.items[0], "best", 4));
	/* Only the LEN bytes given are read. */
	ck_assert(!matches(&l.items[0], "all ok", 5));
	probe_targets_clear(&l);
}
END_TEST

static Suite *
probe_input_suite(void)
{
	Suite *s = suite_create("probe_input");
	TCase *config = tcase_create("config");

	tcase_add_test(config, regex_back_references_are_refused_at_load);
	tcase_add_test(config, regex_counts_that_expand_too_far_are_refused);
	tcase_add_test(config, regex_matches_anywhere_in_one_pass);
	suite_add_tcase(s, config);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(probe_input_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
