/* Bad input to the probe side: config fields, target lists, URLs. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/check.h"
#include "probe/output.h"
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
	assert_refused("\"body_regex\": \"a{,32767}\"", "targets[0].body_regex",
	    "count 32767 over 255");
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

START_TEST(config_method_must_be_a_token_as_the_flag)
{
	struct probe_target_list l = {0};

	assert_refused("\"method\": \"G E T\"", "targets[0].method",
	    "bad method 'G E T': expected a word");
	assert_refused(
	    "\"method\": \"GET\\r\\nX: 1\"", "targets[0].method", "bad method");
	assert_refused(
	    "\"method\": \"\"", "targets[0].method", "bad method ''");
	ck_assert_int_eq(load_target(&l, "\"method\": \"M-SEARCH\""), 0);
	ck_assert_str_eq(l.items[0].method, "M-SEARCH");
	probe_targets_clear(&l);
}
END_TEST

START_TEST(config_headers_refuse_bad_names_and_line_breaks)
{
	struct probe_target_list l = {0};

	assert_refused("\"headers\": {\"X\": \"a\\r\\nEvil: 1\"}",
	    "targets[0].headers", "bad header 'X': its value holds a line");
	assert_refused("\"headers\": {\"\": \"a\"}", "targets[0].headers",
	    "bad header name ''");
	assert_refused("\"headers\": {\"Bad Name\": \"a\"}",
	    "targets[0].headers", "bad header name 'Bad Name'");
	assert_refused("\"headers\": [\"Bad Name: a\"]", "targets[0].headers",
	    "bad header name 'Bad Name'");
	assert_refused("\"headers\": [\"X: a\\nEvil: 1\"]",
	    "targets[0].headers", "line break");
	ck_assert_int_eq(
	    load_target(&l, "\"headers\": [\"X-A: 1\", \"X-B:\"]"), 0);
	ck_assert_str_eq(l.items[0].headers[1], "X-B:");
	probe_targets_clear(&l);
}
END_TEST

START_TEST(config_checks_that_cannot_work_are_refused)
{
	struct probe_target_list l = {0};

	ck_assert_int_eq(
	    load(&l, "[{\"url\": \"http://127.0.0.1/\", \"ip\": \"6\"}]"), -1);
	ck_assert_ptr_nonnull(strstr(err, "targets[0].ip: \"6\", but the "
	                                  "URL's host is an IPv4 address"));
	ck_assert_int_eq(
	    load(&l, "[{\"url\": \"http://[::1]/\", \"ip\": 4}]"), -1);
	ck_assert_ptr_nonnull(strstr(err, "IPv6 address"));
	ck_assert_int_eq(
	    load(&l, "[{\"url\": \"http://[::1]/\", \"ip\": 6}]"), 0);
	probe_targets_clear(&l);
	assert_refused("\"body_contains\": \"\"", "targets[0].body_contains",
	    "empty text");
	assert_refused("\"method\": \"HEAD\", \"body_contains\": \"ok\"",
	    "targets[0].body_contains", "HEAD request gets no body");
	assert_refused("\"method\": \"HEAD\", \"body_regex\": \"ok\"",
	    "targets[0].body_regex", "HEAD");
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

/* Parse the target list S; returns its result, list in L. */
static int
parse_list(struct probe_target_list *l, const char *s)
{
	struct probe_defaults d;

	probe_defaults_init(&d);
	err[0] = '\0';
	return probe_targets_parse_list(l, s, &d, err, sizeof err);
}

START_TEST(list_white_space_inside_a_url_is_refused_not_cut)
{
	struct probe_target_list l = {0};

	ck_assert_int_eq(parse_list(&l, "http://127.0.0.1:1/a b"), -1);
	ck_assert_str_eq(err, "bad URL 'http://127.0.0.1:1/a b': white space "
	                      "in it (write a space as %20)");
	ck_assert_int_eq(parse_list(&l, "http://a/x\tb"), -1);
	ck_assert_ptr_nonnull(strstr(err, "'http://a/x\\x09b'"));
	ck_assert_int_eq(parse_list(&l, " api = http://a/h , http://b/ "), 0);
	ck_assert_uint_eq(l.count, 2);
	ck_assert_str_eq(l.items[0].name, "api");
	ck_assert_str_eq(l.items[0].url, "http://a/h");
	ck_assert_str_eq(l.items[1].url, "http://b/");
	ck_assert_int_eq(parse_list(&l, " = http://c/"), -1);
	ck_assert_str_eq(err, "bad target '= http://c/': empty name");
	probe_targets_clear(&l);
}
END_TEST

START_TEST(url_without_a_host_is_refused)
{
	struct probe_target_list l = {0};

	ck_assert_int_eq(parse_list(&l, "http:///x"), -1);
	ck_assert_str_eq(err, "bad URL 'http:///x': no host");
	ck_assert_int_eq(parse_list(&l, "https://"), -1);

	/* One slash, and a host of a byte that is not ASCII (fuzzer). */
	ck_assert_int_eq(parse_list(&l, "http:/x"), -1);
	ck_assert_int_eq(parse_list(&l, "http:/\xff,"), -1);
	ck_assert_int_eq(parse_list(&l, "http://\xc3\xa9.invalid/"), -1);
	ck_assert_ptr_nonnull(strstr(err, "must be ASCII"));
	ck_assert_uint_eq(l.count, 0);
}
END_TEST

START_TEST(default_name_is_cut_on_a_utf8_boundary)
{
	struct probe_target_list l = {0};
	char url[1200];
	size_t n, i;

	/* "http://h/" is 9 bytes, then two-byte characters: an odd cut. */
	n = (size_t)snprintf(url, sizeof url, "http://h/a");
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(url + n, sizeof url - n, "\xc3\xa9");
	ck_assert_int_eq(parse_list(&l, url), 0);
	n = strlen(l.items[0].name);
	ck_assert_uint_gt(n, 500);
	ck_assert_uint_eq((unsigned char)l.items[0].name[n - 2], 0xc3);
	ck_assert_uint_eq((unsigned char)l.items[0].name[n - 1], 0xa9);
	probe_targets_clear(&l);
}
END_TEST

START_TEST(config_empty_name_is_said_in_config_terms)
{
	struct probe_target_list l = {0};

	ck_assert_int_eq(
	    load(&l, "[{\"name\": \"\", \"url\": \"http://b/\"}]"), -1);
	ck_assert_ptr_nonnull(strstr(err, ": targets[0].name: empty name"));
	ck_assert_int_eq(load(&l, "[{\"url\": \"http:///b\"}]"), -1);
	ck_assert_ptr_nonnull(
	    strstr(err, ": targets[0].url: bad URL 'http:///b': no host"));
}
END_TEST

START_TEST(url_passwords_are_hidden_in_what_is_shown)
{
	static const char *const cases[][2] = {
	    {"http://user:s3cret@a/h", "http://user:***@a/h"},
	    {"https://u:p%40w@a:8443/", "https://u:***@a:8443/"},
	    {"http://user@a/", "http://user@a/"},
	    {"http://a/p?x=u:p@z", "http://a/p?x=u:p@z"},
	};
	struct probe_target_list l = {0};
	struct probe_result r = {0};
	cJSON *j;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		ck_assert_int_eq(parse_list(&l, cases[i][0]), 0);
		ck_assert_str_eq(
		    probe_target_display_url(&l.items[0]), cases[i][1]);
		ck_assert_str_eq(l.items[0].url, cases[i][0]);
		probe_targets_clear(&l);
	}
	parse_list(&l, "http://user:s3cret@a/h");
	j = probe_output_result_json(&l.items[0], &r);
	ck_assert_str_eq(
	    cJSON_GetObjectItem(j, "url")->valuestring, "http://user:***@a/h");
	cJSON_Delete(j);
	probe_targets_clear(&l);
}
END_TEST

/* read_config on PATH fails, saying WORDS. */
static void
assert_unreadable(const char *path, const char *words)
{
	cJSON *root = probe_targets_read_config(path, err, sizeof err);

	ck_assert_ptr_null(root);
	ck_assert_msg(
	    strstr(err, words) != NULL, "'%s' not in: %s", words, err);
}

START_TEST(config_that_is_no_regular_file_is_refused_at_once)
{
	char dir[] = "/tmp/check_probe_input_XXXXXX", fifo[64];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	/* A FIFO with no writer once blocked here for ever. */
	assert_unreadable(fifo, "not a regular file");
	assert_unreadable(dir, "a directory, not a file");
	assert_unreadable("/dev/zero", "not a regular file");
	unlink(fifo);
	rmdir(dir);
}
END_TEST

START_TEST(config_too_large_deep_or_with_nul_says_so)
{
	struct probe_target_list l = {0};
	size_t n = 5 << 20;
	char *big = malloc(n + 1);

	memset(big, ' ', n);
	big[n] = '\0';
	ck_assert_int_eq(load(&l, big), -1);
	ck_assert_ptr_nonnull(strstr(err, "over the 4 MiB limit"));
	memset(big, '[', 1200);
	memset(big + 1200, ']', 1200);
	big[2400] = '\0';
	ck_assert_int_eq(load(&l, big), -1);
	ck_assert_ptr_nonnull(strstr(err, "nested over 1000 levels deep"));
	free(big);
	ck_assert_int_eq(
	    load(&l, "[{\"url\": \"http://a/\", \"name\": \"a\\u0000b\"}]"),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "a NUL character at byte 32"));
	ck_assert_int_eq(load(&l, "[{\"url\": \"http://a/\", \"name\": "
	                          "\"a\\\\u0000b\"}]"),
	    0);
	ck_assert_str_eq(l.items[0].name, "a\\u0000b");
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
	tcase_add_test(config, config_method_must_be_a_token_as_the_flag);
	tcase_add_test(config, config_headers_refuse_bad_names_and_line_breaks);
	tcase_add_test(config, config_checks_that_cannot_work_are_refused);
	tcase_add_test(config, config_empty_name_is_said_in_config_terms);
	tcase_add_test(
	    config, list_white_space_inside_a_url_is_refused_not_cut);
	tcase_add_test(config, url_without_a_host_is_refused);
	tcase_add_test(config, default_name_is_cut_on_a_utf8_boundary);
	tcase_add_test(config, url_passwords_are_hidden_in_what_is_shown);
	tcase_add_test(
	    config, config_that_is_no_regular_file_is_refused_at_once);
	tcase_add_test(config, config_too_large_deep_or_with_nul_says_so);
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
