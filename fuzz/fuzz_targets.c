/*
 * libFuzzer target: the target list of LUNA_TARGETS and --targets
 * ("URL" or "name=URL", comma-separated), parsed onto a list that
 * already holds one target. A list either grows by targets with
 * unique names and http(s) URLs, or stays as it was with a reason.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "probe/target.h"

static void
check_list(const struct probe_target_list *list)
{
	const struct probe_target *t;
	size_t i;

	for (i = 0; i < list->count; i++) {
		t = &list->items[i];
		fuzz_assert(t->name[0] != '\0', "target with an empty name");
		fuzz_assert(probe_targets_find(list, t->name) == (long)i,
		    "two targets share a name");
		fuzz_assert(strncmp(t->url, "http://", 7) == 0 ||
		                strncmp(t->url, "https://", 8) == 0 ||
		                strncasecmp(t->url, "http", 4) == 0,
		    "target URL without an http scheme");
		fuzz_assert(t->headers != NULL && t->headers[0] == NULL,
		    "list target with headers");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_target_list list = {NULL, 0};
	struct probe_defaults d;
	char err[1024], *s = fuzz_text(data, size);

	probe_defaults_init(&d);
	if (probe_targets_add_url(
	        &list, "first", "http://127.0.0.1:1/", &d, err, sizeof err) < 0)
		fuzz_assert(0, "the fixed first target was refused");
	if (probe_targets_parse_list(&list, s, &d, err, sizeof err) < 0) {
		fuzz_assert(list.count == 1, "a refused list left targets");
		fuzz_assert(fuzz_error_ok(err, s), "list error not one line");
	}
	check_list(&list);
	if (probe_targets_add_spec(&list, s, &d, err, sizeof err) < 0)
		fuzz_assert(fuzz_error_ok(err, s), "spec error not one line");
	check_list(&list);
	probe_targets_clear(&list);
	free(s);
	return 0;
}
