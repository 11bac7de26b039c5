#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/scenarios.h"

static cJSON *
list_of(int n)
{
	cJSON *l = cJSON_CreateArray(), *e;
	char name[16];
	int i;

	for (i = 0; i < n; i++) {
		e = cJSON_CreateObject();
		snprintf(name, sizeof name, "s%d", i);
		cJSON_AddStringToObject(e, "name", name);
		cJSON_AddStringToObject(e, "description", "what it shows");
		cJSON_AddItemToArray(l, e);
	}
	return l;
}

START_TEST(picker_lists_name_and_description)
{
	char lines[8][TUI_FRAME_LINE_MAX];
	cJSON *l = list_of(3);
	int n, sel;

	n = tui_scenarios_lines(l, 1, 80, lines, 8, &sel);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(sel, 1);
	ck_assert_str_eq(lines[0], "s0                 what it shows");
	n = tui_scenarios_lines(l, 0, 10, lines, 8, &sel);
	ck_assert_str_eq(lines[2], "s2        ");
	cJSON_Delete(l);
}
END_TEST

START_TEST(picker_scrolls_to_the_pick)
{
	char lines[8][TUI_FRAME_LINE_MAX];
	cJSON *l = list_of(10);
	int n, sel;

	n = tui_scenarios_lines(l, 7, 80, lines, 3, &sel);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(sel, 2);
	ck_assert_ptr_nonnull(strstr(lines[2], "s7"));
	ck_assert_ptr_nonnull(strstr(lines[0], "s5"));
	cJSON_Delete(l);
}
END_TEST

START_TEST(picker_says_when_there_is_none)
{
	char lines[2][TUI_FRAME_LINE_MAX];
	cJSON *l = cJSON_CreateArray();
	int sel;

	ck_assert_int_eq(tui_scenarios_lines(l, 0, 80, lines, 2, &sel), 1);
	ck_assert_int_eq(sel, -1);
	ck_assert_ptr_nonnull(strstr(lines[0], "LUNA_SCENARIO_DIR"));
	cJSON_Delete(l);
}
END_TEST

START_TEST(progress_names_endpoints_no_target_probes)
{
	struct probe_target items[] = {
	    {.name = "mock", .url = "http://127.0.0.1:8080/mock"},
	    {.name = "mock-catalog",
	        .url = "http://127.0.0.1:8080/mock/catalog"}};
	struct probe_target_list targets = {items, 1};
	char buf[256];

	tui_scenarios_unprobed("partial-outage", "catalog checkout",
	    "http://127.0.0.1:8080/", &targets, buf, sizeof buf);
	ck_assert_str_eq(buf, "changes /mock/catalog, /mock/checkout, not "
	                      "probed: try luna demo partial-outage");
	targets.count = 2;
	tui_scenarios_unprobed("partial-outage", "catalog checkout",
	    "http://127.0.0.1:8080", &targets, buf, sizeof buf);
	ck_assert_str_eq(buf, "changes /mock/checkout, not probed: try luna "
	                      "demo partial-outage");
	tui_scenarios_unprobed("partial-outage", "catalog",
	    "http://127.0.0.1:8080", &targets, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
	tui_scenarios_unprobed(
	    "outage", "", "http://127.0.0.1:8080", &targets, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(progress_line_fits_and_never_cuts_a_character)
{
	char buf[TUI_FRAME_LINE_MAX];

	tui_scenarios_progress("outage step 2/3: down", 80, buf, sizeof buf);
	ck_assert_str_eq(buf, "scenario outage step 2/3: down  (D stops)");
	tui_scenarios_progress("x \xe2\x80\x94 y", 12, buf, sizeof buf);
	ck_assert_str_eq(buf, "scenario x ");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tui_scenarios");
	TCase *tc = tcase_create("render");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, picker_lists_name_and_description);
	tcase_add_test(tc, picker_scrolls_to_the_pick);
	tcase_add_test(tc, picker_says_when_there_is_none);
	tcase_add_test(tc, progress_line_fits_and_never_cuts_a_character);
	tcase_add_test(tc, progress_names_endpoints_no_target_probes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
