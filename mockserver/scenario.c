#include "mockserver/scenario.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "common/xalloc.h"

/* Seeds travel as JSON numbers: keep them exact in a double. */
#define SEED_MAX 9007199254740992.0

#define NOTE_MAX 96
#define DIRS_MAX 8
#define DIR_LEN  1024 /* bytes of a scenario directory's path */

struct step {
	int64_t at_ms;
	cJSON *change; /* the step without "at" and "note" */
	char *note;    /* "note", or the change in short */
	bool has_note; /* "note" was given */
};

struct mock_scenario {
	char name[MOCK_SCENARIO_NAME_MAX];
	char *description;
	bool loop;
	bool has_seed;
	uint64_t seed;
	bool has_duration;
	int64_t duration_ms;
	struct step *steps;
	size_t nsteps;
};

void
mock_scenario_destroy(struct mock_scenario *sc)
{
	size_t i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->nsteps; i++) {
		cJSON_Delete(sc->steps[i].change);
		free(sc->steps[i].note);
	}
	free(sc->steps);
	free(sc->description);
	free(sc);
}

/* True when S has no control characters (it reaches the screen). */
static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* A duration field WHAT from a JSON string; PREFIX names the step. */
static int
get_duration(const cJSON *item, const char *prefix, const char *what,
    int64_t *out, char *err, size_t errlen)
{
	char e[160];

	if (!cJSON_IsString(item)) {
		snprintf(err, errlen,
		    "%sbad %s: must be a duration string such as \"30s\"",
		    prefix, what);
		return -1;
	}
	if (parse_duration_ms(item->valuestring, out, e, sizeof e) < 0) {
		snprintf(err, errlen, "%sbad %s: %s", prefix, what, e);
		return -1;
	}
	return 0;
}

static int
set_name(struct mock_scenario *sc, const cJSON *item, char *err, size_t errlen)
{
	const char *s = cJSON_GetStringValue(item);

	if (s == NULL || *s == '\0' || !printable(s) ||
	    strlen(s) >= sizeof sc->name) {
		snprintf(err, errlen,
		    "bad name: must be a string of 1 to %zu "
		    "printable characters",
		    sizeof sc->name - 1);
		return -1;
	}
	snprintf(sc->name, sizeof sc->name, "%s", s);
	return 0;
}

static int
set_description(
    struct mock_scenario *sc, const cJSON *item, char *err, size_t errlen)
{
	const char *s = cJSON_GetStringValue(item);

	if (s == NULL || !printable(s)) {
		snprintf(err, errlen,
		    "bad description: must be a string "
		    "without control characters");
		return -1;
	}
	free(sc->description);
	sc->description = xstrdup(s);
	return 0;
}

static int
set_seed(struct mock_scenario *sc, const cJSON *item, char *err, size_t errlen)
{
	double v = cJSON_IsNumber(item) ? item->valuedouble : -1;

	if (v < 0 || v > SEED_MAX || v != floor(v)) {
		snprintf(err, errlen,
		    "bad seed: must be a whole number from 0 to 2^53");
		return -1;
	}
	sc->has_seed = true;
	sc->seed = (uint64_t)v;
	return 0;
}

static int
set_loop(struct mock_scenario *sc, const cJSON *item, char *err, size_t errlen)
{
	if (!cJSON_IsBool(item)) {
		snprintf(err, errlen, "bad loop: must be true or false");
		return -1;
	}
	sc->loop = cJSON_IsTrue(item);
	return 0;
}

static int
set_duration(
    struct mock_scenario *sc, const cJSON *item, char *err, size_t errlen)
{
	sc->has_duration = true;
	return get_duration(
	    item, "", "duration", &sc->duration_ms, err, errlen);
}

/* Steps need the other fields first; parse_steps reads them. */
static int
skip_steps(
    struct mock_scenario *sc, const cJSON *item, char *err, size_t errlen)
{
	return 0;
}

static const struct top_field {
	const char *name;
	int (*set)(struct mock_scenario *sc, const cJSON *item, char *err,
	    size_t errlen);
} top_fields[] = {
    {"name", set_name},
    {"description", set_description},
    {"loop", set_loop},
    {"seed", set_seed},
    {"duration", set_duration},
    {"steps", skip_steps},
};

/* The scalar fields of the top level, refusing unknown ones. */
static int
parse_top(struct mock_scenario *sc, const cJSON *json, char *err, size_t errlen)
{
	const cJSON *it;
	size_t i, n = sizeof top_fields / sizeof *top_fields;

	cJSON_ArrayForEach (it, json) {
		for (i = 0; i < n; i++)
			if (strcmp(it->string, top_fields[i].name) == 0)
				break;
		if (i == n) {
			snprintf(err, errlen, "unknown field '%s'", it->string);
			return -1;
		}
		if (top_fields[i].set(sc, it, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Append TEXT to BUF (of LEN), with ", " after an earlier item. */
static void
append(char *buf, size_t len, const char *text)
{
	size_t n = strlen(buf);
	bool sep = n > 0 && buf[n - 1] != ' ';

	if (n + 3 >= len)
		return;
	snprintf(buf + n, len - n, "%s%s", sep ? ", " : "", text);
}

/* One field of a change in a few words: "status 503", "mix 503=30". */
static void
summarize_field(const cJSON *f, char *out, size_t len)
{
	const cJSON *w;
	size_t n;

	if (cJSON_IsNumber(f))
		snprintf(out, len, "%s %g", f->string, f->valuedouble);
	else if (cJSON_IsString(f) && strcmp(f->string, "body") == 0)
		snprintf(out, len, "body (%zu bytes)", strlen(f->valuestring));
	else if (cJSON_IsString(f))
		snprintf(out, len, "%s %s", f->string, f->valuestring);
	else if (cJSON_IsObject(f) && strcmp(f->string, "mix") == 0) {
		snprintf(out, len, "mix");
		cJSON_ArrayForEach (w, f) {
			n = strlen(out);
			snprintf(out + n, len - n, " %s=%g", w->string,
			    cJSON_IsNumber(w) ? w->valuedouble : 0.0);
		}
	} else
		snprintf(out, len, "%s", f->string);
}

/* The change in short, endpoint first: "b: status 503, latency_ms 0". */
static char *
summarize(const cJSON *change)
{
	char buf[NOTE_MAX] = "", field[NOTE_MAX];
	const cJSON *f, *ep;

	ep = cJSON_GetObjectItemCaseSensitive(change, "endpoint");
	cJSON_ArrayForEach (f, change) {
		if (f == ep)
			continue;
		summarize_field(f, field, sizeof field);
		append(buf, sizeof buf, field);
	}
	if (!cJSON_IsString(ep))
		return xstrdup(buf);
	snprintf(field, sizeof field, "%.40s: ", ep->valuestring);
	append(field, sizeof field, buf);
	return xstrdup(field);
}

/* Split the step object ITEM into its offset, note and change. */
static int
split_step(const cJSON *item, struct step *st, const char *prefix, char *err,
    size_t errlen)
{
	const cJSON *note;

	if (!cJSON_IsObject(item)) {
		snprintf(err, errlen, "%snot an object", prefix);
		return -1;
	}
	if (!cJSON_HasObjectItem(item, "at")) {
		snprintf(err, errlen, "%smissing 'at'", prefix);
		return -1;
	}
	if (get_duration(cJSON_GetObjectItemCaseSensitive(item, "at"), prefix,
	        "at", &st->at_ms, err, errlen) < 0)
		return -1;
	note = cJSON_GetObjectItemCaseSensitive(item, "note");
	if (note != NULL &&
	    (!cJSON_IsString(note) || !printable(note->valuestring))) {
		snprintf(err, errlen,
		    "%sbad note: must be a string without control characters",
		    prefix);
		return -1;
	}
	st->change = cJSON_Duplicate(item, true);
	if (st->change == NULL)
		fatal("out of memory copying a scenario step");
	cJSON_DeleteItemFromObjectCaseSensitive(st->change, "at");
	cJSON_DeleteItemFromObjectCaseSensitive(st->change, "note");
	st->has_note = note != NULL;
	st->note =
	    note != NULL ? xstrdup(note->valuestring) : summarize(st->change);
	return 0;
}

static int
parse_step(const cJSON *item, size_t i, int64_t prev_at,
    mock_scenario_check_fn check, struct step *st, char *err, size_t errlen)
{
	char prefix[32], e[256];

	snprintf(prefix, sizeof prefix, "step %zu: ", i + 1);
	if (split_step(item, st, prefix, err, errlen) < 0)
		return -1;
	if (st->at_ms < prev_at) {
		snprintf(err, errlen,
		    "%s'at' %lldms comes before step %zu's "
		    "%lldms: steps go in time order",
		    prefix, (long long)st->at_ms, i, (long long)prev_at);
		return -1;
	}
	if (st->change->child == NULL) {
		snprintf(err, errlen,
		    "%snothing to change: give fields of "
		    "PUT /control besides 'at'",
		    prefix);
		return -1;
	}
	if (check != NULL && check(st->change, e, sizeof e) < 0) {
		snprintf(err, errlen, "%s%s", prefix, e);
		return -1;
	}
	return 0;
}

static int
parse_steps(struct mock_scenario *sc, const cJSON *steps,
    mock_scenario_check_fn check, char *err, size_t errlen)
{
	int n = cJSON_GetArraySize(steps);
	const cJSON *it;
	int64_t prev = 0;

	if (!cJSON_IsArray(steps) || n < 1 || n > MOCK_SCENARIO_MAX_STEPS) {
		snprintf(err, errlen, "%s: must be an array of 1 to %d steps",
		    steps == NULL ? "missing steps" : "bad steps",
		    MOCK_SCENARIO_MAX_STEPS);
		return -1;
	}
	sc->steps = xcalloc((size_t)n, sizeof *sc->steps);
	cJSON_ArrayForEach (it, steps) {
		if (parse_step(it, sc->nsteps, prev, check,
		        &sc->steps[sc->nsteps], err, errlen) < 0) {
			sc->nsteps++;
			return -1;
		}
		prev = sc->steps[sc->nsteps++].at_ms;
	}
	return 0;
}

/* The length of a pass, and what a loop needs of it. */
static int
check_duration(struct mock_scenario *sc, char *err, size_t errlen)
{
	int64_t last = sc->steps[sc->nsteps - 1].at_ms;

	if (!sc->has_duration)
		sc->duration_ms = last;
	if (sc->duration_ms < last) {
		snprintf(err, errlen,
		    "bad duration %lldms: ends before the last step (%lldms)",
		    (long long)sc->duration_ms, (long long)last);
		return -1;
	}
	if (sc->loop && (sc->duration_ms <= last ||
	                    sc->duration_ms < MOCK_SCENARIO_MIN_LOOP_MS)) {
		snprintf(err, errlen,
		    "a loop needs a 'duration' longer than "
		    "the last step's 'at' (%lldms) and at least %dms",
		    (long long)last, MOCK_SCENARIO_MIN_LOOP_MS);
		return -1;
	}
	return 0;
}

struct mock_scenario *
mock_scenario_from_json(const cJSON *json, const char *default_name,
    mock_scenario_check_fn check, char *err, size_t errlen)
{
	struct mock_scenario *sc;

	if (!cJSON_IsObject(json)) {
		snprintf(err, errlen, "a scenario must be a JSON object");
		return NULL;
	}
	sc = xcalloc(1, sizeof *sc);
	sc->description = xstrdup("");
	if (default_name != NULL)
		snprintf(sc->name, sizeof sc->name, "%s", default_name);
	if (parse_top(sc, json, err, errlen) < 0 ||
	    parse_steps(sc, cJSON_GetObjectItemCaseSensitive(json, "steps"),
	        check, err, errlen) < 0 ||
	    check_duration(sc, err, errlen) < 0)
		goto fail;
	if (sc->name[0] == '\0') {
		snprintf(err, errlen, "missing name");
		goto fail;
	}
	return sc;
fail:
	mock_scenario_destroy(sc);
	return NULL;
}

/* "line 3, column 7" of position POS in TEXT. */
static void
describe_position(const char *text, const char *pos, char *out, size_t len)
{
	int line = 1, col = 1;
	const char *p;

	for (p = text; p < pos && *p != '\0'; p++) {
		col++;
		if (*p == '\n') {
			line++;
			col = 1;
		}
	}
	snprintf(out, len, "line %d, column %d", line, col);
}

struct mock_scenario *
mock_scenario_parse(const char *text, size_t len, const char *default_name,
    mock_scenario_check_fn check, char *err, size_t errlen)
{
	struct mock_scenario *sc;
	const char *end = NULL;
	char where[48];
	cJSON *json;

	json = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (json == NULL) {
		describe_position(
		    text, end != NULL ? end : text, where, sizeof where);
		snprintf(err, errlen, "not valid JSON at %s", where);
		return NULL;
	}
	sc = mock_scenario_from_json(json, default_name, check, err, errlen);
	cJSON_Delete(json);
	return sc;
}

/* Read PATH whole (at most MOCK_SCENARIO_MAX_BYTES); caller frees. */
static char *
read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	char *buf = xmalloc(MOCK_SCENARIO_MAX_BYTES + 1);
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(
		    err, errlen, "cannot open '%s': %s", path, strerror(errno));
		free(buf);
		return NULL;
	}
	*len = fread(buf, 1, MOCK_SCENARIO_MAX_BYTES + 1, f);
	if (ferror(f) || *len > MOCK_SCENARIO_MAX_BYTES) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    ferror(f) ? strerror(errno) : "larger than 64 KiB");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* The base name of PATH without ".json", into OUT. */
static void
stem(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".json") == 0)
		n -= 5;
	snprintf(out, len, "%.*s", (int)n, base);
}

struct mock_scenario *
mock_scenario_load(
    const char *path, mock_scenario_check_fn check, char *err, size_t errlen)
{
	char name[MOCK_SCENARIO_NAME_MAX], e[384];
	struct mock_scenario *sc;
	size_t len;
	char *text;

	text = read_file(path, &len, err, errlen);
	if (text == NULL)
		return NULL;
	stem(path, name, sizeof name);
	sc = mock_scenario_parse(text, len, name, check, e, sizeof e);
	if (sc == NULL)
		snprintf(err, errlen, "%s: %s", path, e);
	free(text);
	return sc;
}

const char *
mock_scenario_name(const struct mock_scenario *sc)
{
	return sc->name;
}

const char *
mock_scenario_description(const struct mock_scenario *sc)
{
	return sc->description;
}

size_t
mock_scenario_steps(const struct mock_scenario *sc)
{
	return sc->nsteps;
}

int64_t
mock_scenario_step_at_ms(const struct mock_scenario *sc, size_t i)
{
	return sc->steps[i].at_ms;
}

const cJSON *
mock_scenario_step_change(const struct mock_scenario *sc, size_t i)
{
	return sc->steps[i].change;
}

const char *
mock_scenario_step_note(const struct mock_scenario *sc, size_t i)
{
	return sc->steps[i].note;
}

bool
mock_scenario_seed(const struct mock_scenario *sc, uint64_t *out)
{
	if (sc->has_seed)
		*out = sc->seed;
	return sc->has_seed;
}

int64_t
mock_scenario_duration_ms(const struct mock_scenario *sc)
{
	return sc->duration_ms;
}

bool
mock_scenario_loop(const struct mock_scenario *sc)
{
	return sc->loop;
}

/* A duration as parse_duration_ms reads it back: "30s" or "1500ms". */
static cJSON *
duration_json(int64_t ms)
{
	char buf[32];

	if (ms % 1000 == 0)
		snprintf(buf, sizeof buf, "%llds", (long long)(ms / 1000));
	else
		snprintf(buf, sizeof buf, "%lldms", (long long)ms);
	return cJSON_CreateString(buf);
}

static cJSON *
step_json(const struct step *st)
{
	cJSON *o = cJSON_CreateObject(), *f;
	const cJSON *it;

	cJSON_AddItemToObject(o, "at", duration_json(st->at_ms));
	if (st->has_note)
		cJSON_AddStringToObject(o, "note", st->note);
	cJSON_ArrayForEach (it, st->change) {
		f = cJSON_Duplicate(it, true);
		cJSON_AddItemToObject(o, it->string, f);
	}
	return o;
}

cJSON *
mock_scenario_to_json(const struct mock_scenario *sc)
{
	cJSON *o = cJSON_CreateObject(), *steps;
	size_t i;

	cJSON_AddStringToObject(o, "name", sc->name);
	cJSON_AddStringToObject(o, "description", sc->description);
	cJSON_AddBoolToObject(o, "loop", sc->loop);
	if (sc->has_seed)
		cJSON_AddNumberToObject(o, "seed", (double)sc->seed);
	if (sc->has_duration)
		cJSON_AddItemToObject(
		    o, "duration", duration_json(sc->duration_ms));
	steps = cJSON_AddArrayToObject(o, "steps");
	for (i = 0; i < sc->nsteps; i++)
		cJSON_AddItemToArray(steps, step_json(&sc->steps[i]));
	return o;
}

/*
 * The directories to search, in order: LUNA_SCENARIO_DIR (a list
 * separated by ':') replaces the compiled-in installed and source
 * tree directories. Returns how many were written to DIRS.
 */
static size_t
scenario_dirs(char dirs[DIRS_MAX][DIR_LEN])
{
	const char *env = getenv("LUNA_SCENARIO_DIR"), *p, *colon;
	size_t n = 0, len;

	if (env == NULL || *env == '\0') {
#ifdef LUNA_SCENARIO_INSTALL_DIR
		snprintf(dirs[n++], DIR_LEN, "%s", LUNA_SCENARIO_INSTALL_DIR);
#endif
#ifdef LUNA_SCENARIO_SOURCE_DIR
		snprintf(dirs[n++], DIR_LEN, "%s", LUNA_SCENARIO_SOURCE_DIR);
#endif
		return n;
	}
	for (p = env; *p != '\0' && n < DIRS_MAX; p = colon + 1) {
		colon = strchr(p, ':');
		len = colon != NULL ? (size_t)(colon - p) : strlen(p);
		if (len > 0 && len < DIR_LEN)
			snprintf(dirs[n++], DIR_LEN, "%.*s", (int)len, p);
		if (colon == NULL)
			break;
	}
	return n;
}

/* Built-in names are file names: letters, digits, '-' and '_'. */
static bool
valid_builtin_name(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz"
	                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

	return n > 0 && name[n] == '\0' && n < MOCK_SCENARIO_NAME_MAX;
}

/* The names in LIST, "a, b, c", into OUT. */
static void
list_names(const cJSON *list, char *out, size_t len)
{
	const cJSON *it;

	out[0] = '\0';
	cJSON_ArrayForEach (it, list)
		append(out, len,
		    cJSON_GetStringValue(
		        cJSON_GetObjectItemCaseSensitive(it, "name")));
}

static int
not_found(const char *name, char *err, size_t errlen)
{
	cJSON *list = mock_scenario_list();
	char names[512];

	list_names(list, names, sizeof names);
	if (names[0] == '\0')
		snprintf(err, errlen,
		    "unknown scenario '%s': no scenario "
		    "directory found (set LUNA_SCENARIO_DIR)",
		    name);
	else
		snprintf(err, errlen, "unknown scenario '%s' (built-ins: %s)",
		    name, names);
	cJSON_Delete(list);
	return -1;
}

int
mock_scenario_find(
    const char *name, char *path, size_t pathlen, char *err, size_t errlen)
{
	char dirs[DIRS_MAX][DIR_LEN];
	size_t i, n;
	FILE *f;

	if (!valid_builtin_name(name)) {
		snprintf(err, errlen,
		    "bad scenario name '%s': letters, digits, '-' and '_' only",
		    name);
		return -1;
	}
	n = scenario_dirs(dirs);
	for (i = 0; i < n; i++) {
		snprintf(path, pathlen, "%s/%s.json", dirs[i], name);
		f = fopen(path, "r");
		if (f != NULL) {
			fclose(f);
			return 0;
		}
	}
	return not_found(name, err, errlen);
}

/* True when NAME_OR_FILE names a file rather than a built-in. */
static bool
is_file(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') != NULL ||
	       (n > 5 && strcmp(s + n - 5, ".json") == 0);
}

struct mock_scenario *
mock_scenario_open(const char *name_or_file, mock_scenario_check_fn check,
    char *err, size_t errlen)
{
	char path[4200];

	if (is_file(name_or_file))
		return mock_scenario_load(name_or_file, check, err, errlen);
	if (mock_scenario_find(name_or_file, path, sizeof path, err, errlen) <
	    0)
		return NULL;
	return mock_scenario_load(path, check, err, errlen);
}

static bool
listed(const cJSON *list, const char *name)
{
	const cJSON *it;

	cJSON_ArrayForEach (it, list)
		if (strcmp(cJSON_GetStringValue(
		               cJSON_GetObjectItemCaseSensitive(it, "name")),
		        name) == 0)
			return true;
	return false;
}

/* One entry of the list: name, description and path, or the error. */
static cJSON *
list_entry(const char *dir, const char *file, const char *name)
{
	cJSON *o = cJSON_CreateObject();
	struct mock_scenario *sc;
	char path[4400], err[512];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	cJSON_AddStringToObject(o, "name", name);
	sc = mock_scenario_load(path, NULL, err, sizeof err);
	cJSON_AddStringToObject(
	    o, "description", sc != NULL ? sc->description : "");
	cJSON_AddStringToObject(o, "path", path);
	if (sc == NULL)
		cJSON_AddStringToObject(o, "error", err);
	mock_scenario_destroy(sc);
	return o;
}

static void
list_dir(cJSON *list, const char *dir)
{
	char name[MOCK_SCENARIO_NAME_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t n;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n <= 5 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		stem(de->d_name, name, sizeof name);
		if (!valid_builtin_name(name) || listed(list, name))
			continue;
		cJSON_AddItemToArray(list, list_entry(dir, de->d_name, name));
	}
	closedir(d);
}

static int
by_name(const void *a, const void *b)
{
	const cJSON *const *x = a, *const *y = b;

	return strcmp((*x)->child->valuestring, (*y)->child->valuestring);
}

/* Sort LIST's entries by their first member, the name. */
static void
sort_list(cJSON *list)
{
	size_t i, n = (size_t)cJSON_GetArraySize(list);
	cJSON **items;

	if (n < 2)
		return;
	items = xcalloc(n, sizeof *items);
	for (i = 0; i < n; i++)
		items[i] = cJSON_DetachItemFromArray(list, 0);
	qsort(items, n, sizeof *items, by_name);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(list, items[i]);
	free(items);
}

cJSON *
mock_scenario_list(void)
{
	char dirs[DIRS_MAX][DIR_LEN];
	cJSON *list = cJSON_CreateArray();
	size_t i, n;

	n = scenario_dirs(dirs);
	for (i = 0; i < n; i++)
		list_dir(list, dirs[i]);
	sort_list(list);
	return list;
}
