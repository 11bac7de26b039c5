/*
 * `luna ctl`: change a mock through its control API, the bundled one
 * or a remote one (LUNA_MOCK_URL), with LUNA_CONTROL_TOKEN.
 * Exit 0 done, 1 refused or unreachable, 2 bad usage.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commands.h"
#include "app/ctl_scenario.h"
#include "common/parse.h"
#include "mockserver/client.h"
#include "mockserver/state.h"

#define CTL_URL_DEFAULT "http://127.0.0.1:8080"

struct ctl_args {
	const char *url;
	const char *token;
	const char *endpoint; /* NULL: the default, /mock */
	const char *words[4]; /* the command and its arguments */
	int nwords;
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: luna ctl [--endpoint NAME] [--url URL] COMMAND [ARGS]\n\n"
	    "commands:\n"
	    "  show                   the behaviour in effect, as JSON\n"
	    "  status CODE            answer CODE (100-599)\n"
	    "  mix CODE=PCT[,...]     answer codes by percentage, the rest\n"
	    "                         200: mix 503=30 gives 70%% 200\n"
	    "  latency MS [JITTER]    wait MS (or 1.5s, 2m) before answering,\n"
	    "                         varied by up to JITTER either way\n"
	    "  fault NAME             none, reset, close, hang, slow_body,\n"
	    "                         truncate or garbage\n"
	    "  body TEXT              answer with TEXT\n"
	    "  reset                  back to healthy, named endpoints gone\n"
	    "  history                the last changes, oldest first\n"
	    "  scenario [show]        where the scenario playing stands\n"
	    "  scenario play NAME|FILE  play a built-in or a scenario file\n"
	    "  scenario stop          stop it; the mock is healthy again\n"
	    "  scenario list          the built-in scenarios\n\n"
	    "options:\n"
	    "  --endpoint NAME        change /mock/NAME instead of /mock\n"
	    "  --url URL              the mock [LUNA_MOCK_URL, " CTL_URL_DEFAULT
	    "]\n"
	    "                         (--mock-url is the same)\n"
	    "  --control-token TOKEN  bearer token [LUNA_CONTROL_TOKEN]\n\n"
	    "Exit status: 0 done, 1 refused or unreachable, 2 bad usage.\n");
}

__attribute__((format(printf, 1, 2))) static int
bad_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("luna ctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see luna ctl --help)\n", stderr);
	return 2;
}

static bool
takes_value(const char *arg)
{
	return strcmp(arg, "--endpoint") == 0 || strcmp(arg, "--url") == 0 ||
	       strcmp(arg, "--mock-url") == 0 ||
	       strcmp(arg, "--control-token") == 0;
}

/* A command, and an endpoint, URL and token that can be used; or 2. */
static int
check_args(const struct ctl_args *a)
{
	char err[600];

	if (a->nwords == 0)
		return bad_usage("no command given");
	if (a->endpoint != NULL && !mock_name_valid(a->endpoint))
		return bad_usage("bad endpoint '%s': expected up to %d "
		                 "letters, digits, '.', '_' or '-'",
		    a->endpoint, MOCK_NAME_MAX);
	if (mock_client_check_url(a->url, err, sizeof err) < 0 ||
	    (a->token != NULL &&
	        mock_client_check_token(a->token, err, sizeof err) < 0))
		return bad_usage("%s", err);
	return 0;
}

/* Options anywhere; 1 for --help, -1 for bad usage. */
static int
parse_args(int argc, char **argv, struct ctl_args *a)
{
	int i;

	memset(a, 0, sizeof *a);
	a->url = getenv("LUNA_MOCK_URL");
	if (a->url == NULL || a->url[0] == '\0')
		a->url = CTL_URL_DEFAULT;
	a->token = getenv("LUNA_CONTROL_TOKEN");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return 1;
		else if (strcmp(argv[i], "--endpoint") == 0 && i + 1 < argc)
			a->endpoint = argv[++i];
		else if (strncmp(argv[i], "--endpoint=", 11) == 0)
			a->endpoint = argv[i] + 11;
		else if ((strcmp(argv[i], "--url") == 0 ||
		             strcmp(argv[i], "--mock-url") == 0) &&
		         i + 1 < argc)
			a->url = argv[++i];
		else if (strncmp(argv[i], "--url=", 6) == 0)
			a->url = argv[i] + 6;
		else if (strncmp(argv[i], "--mock-url=", 11) == 0)
			a->url = argv[i] + 11;
		else if (strcmp(argv[i], "--control-token") == 0 &&
		         i + 1 < argc)
			a->token = argv[++i];
		else if (strncmp(argv[i], "--control-token=", 16) == 0)
			a->token = argv[i] + 16;
		else if (takes_value(argv[i]))
			return bad_usage("option '%s' needs a value", argv[i]),
			       -1;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return bad_usage("unknown option '%s'", argv[i]), -1;
		else if (a->nwords == 4)
			return bad_usage("too many arguments at '%s'", argv[i]),
			       -1;
		else
			a->words[a->nwords++] = argv[i];
	}
	return check_args(a) != 0 ? -1 : 0;
}

/* A latency: a bare number is milliseconds, or a duration "1.5s". */
static int
parse_ms(const char *s, const char *what, long *out)
{
	char err[160];
	int64_t ms;

	if (parse_long(s, 0, MOCK_LATENCY_MAX_MS, out, what, err, sizeof err) ==
	    0)
		return 0;
	if (parse_duration_ms(s, &ms, err, sizeof err) == 0 &&
	    ms <= MOCK_LATENCY_MAX_MS) {
		*out = (long)ms;
		return 0;
	}
	fprintf(stderr,
	    "luna ctl: bad %s '%s': expected milliseconds from 0 "
	    "to %ld, or a duration such as 1.5s\n",
	    what, s, MOCK_LATENCY_MAX_MS);
	return -1;
}

static int
bad_mix(const char *s, const char *why)
{
	fprintf(stderr, "luna ctl: bad mix '%s': %s\n", s, why);
	return -1;
}

/* One "CODE=PERCENT" (or CODE:PERCENT) of S into B; no code twice. */
static int
mix_take(const char *s, char *tok, struct mock_behaviour *b)
{
	char why[120], *sep = strpbrk(tok, "=:");
	long code;
	double pct;
	int i;

	if (sep == NULL)
		return bad_mix(s, "expected CODE=PERCENT[,CODE=PERCENT...], "
		                  "such as 503=30");
	*sep = '\0';
	if (!isdigit((unsigned char)tok[0]) ||
	    parse_long(tok, 100, 599, &code, "code", why, sizeof why) < 0) {
		snprintf(why, sizeof why,
		    "bad code '%.20s': expected a status from 100 to 599", tok);
		return bad_mix(s, why);
	}
	if (mock_decimal_parse(sep + 1, 100, &pct) < 0) {
		snprintf(why, sizeof why,
		    "bad percentage '%.20s' for %ld: expected 0 to 100",
		    sep + 1, code);
		return bad_mix(s, why);
	}
	for (i = 0; i < b->mix_len; i++)
		if (b->mix_codes[i] == code) {
			snprintf(why, sizeof why, "%ld given twice", code);
			return bad_mix(s, why);
		}
	if (b->mix_len == MOCK_MIX_MAX)
		return bad_mix(s, "too many codes");
	b->mix_codes[b->mix_len] = (int)code;
	b->mix_weights[b->mix_len++] = pct;
	return 0;
}

/* S as percentages in B, adding up to 100 at most. */
static int
mix_parse_percent(const char *s, struct mock_behaviour *b)
{
	char buf[512], why[80];
	double total = 0;
	size_t at = 0, n;
	int i;

	if (strlen(s) >= sizeof buf)
		return bad_mix(s, "too long");
	do {
		n = strcspn(s + at, ",");
		memcpy(buf, s + at, n);
		buf[n] = '\0';
		if (mix_take(s, buf, b) < 0)
			return -1;
		at += n;
	} while (s[at++] == ',');
	for (i = 0; i < b->mix_len; i++)
		total += b->mix_weights[i];
	/* Decimal fractions add up with a rounding error: 33.3,33.3,33.4. */
	if (total > 100 + 1e-9) {
		snprintf(why, sizeof why,
		    "the percentages add up to %g, over 100", total);
		return bad_mix(s, why);
	}
	return 0;
}

/*
 * Percentages, and what they leave of 100 goes to 200: "503=30" sends
 * {"503": 30, "200": 70}, so the API's relative weights read the same.
 */
static int
build_mix(const char *s, cJSON *change)
{
	struct mock_behaviour b;
	double rest = 100;
	char code[8];
	cJSON *mix;
	int i;

	memset(&b, 0, sizeof b);
	if (mix_parse_percent(s, &b) < 0)
		return -1;
	for (i = 0; i < b.mix_len; i++)
		rest -= b.mix_weights[i];
	mix = cJSON_AddObjectToObject(change, "mix");
	for (i = 0; i < b.mix_len; i++) {
		snprintf(code, sizeof code, "%d", b.mix_codes[i]);
		cJSON_AddNumberToObject(mix, code,
		    b.mix_weights[i] + (b.mix_codes[i] == 200 ? rest : 0));
		if (b.mix_codes[i] == 200)
			rest = 0;
	}
	if (rest > 0)
		cJSON_AddNumberToObject(mix, "200", rest);
	return 0;
}

static int
build_status(const char *s, cJSON *change)
{
	char err[160];
	long v;

	if (parse_long(s, 100, 599, &v, "status", err, sizeof err) < 0) {
		fprintf(stderr, "luna ctl: %s\n", err);
		return -1;
	}
	cJSON_AddNumberToObject(change, "status", (double)v);
	return 0;
}

static int
build_latency(const struct ctl_args *a, cJSON *change)
{
	long ms, jitter = 0;

	if (parse_ms(a->words[1], "latency", &ms) < 0 ||
	    (a->nwords > 2 && parse_ms(a->words[2], "jitter", &jitter) < 0))
		return -1;
	cJSON_AddNumberToObject(change, "latency_ms", (double)ms);
	cJSON_AddNumberToObject(change, "jitter_ms", (double)jitter);
	return 0;
}

static int
build_fault(const char *s, cJSON *change)
{
	enum mock_fault f;

	if (mock_fault_parse(s, &f) < 0) {
		fprintf(stderr,
		    "luna ctl: bad fault '%s': expected none, "
		    "reset, close, hang, slow_body, truncate or "
		    "garbage\n",
		    s);
		return -1;
	}
	cJSON_AddStringToObject(change, "fault", s);
	return 0;
}

/* The change a command asks for; NULL with a message on bad usage. */
static cJSON *
build_change(const struct ctl_args *a)
{
	const char *cmd = a->words[0];
	cJSON *change = cJSON_CreateObject();
	int rc, want = strcmp(cmd, "latency") == 0 ? 3 : 2;

	if (a->nwords < 2 || a->nwords > want) {
		fprintf(stderr,
		    "luna ctl: '%s' takes %s (see luna ctl "
		    "--help)\n",
		    cmd, want == 3 ? "one or two arguments" : "one argument");
		cJSON_Delete(change);
		return NULL;
	}
	if (strcmp(cmd, "status") == 0)
		rc = build_status(a->words[1], change);
	else if (strcmp(cmd, "mix") == 0)
		rc = build_mix(a->words[1], change);
	else if (strcmp(cmd, "latency") == 0)
		rc = build_latency(a, change);
	else if (strcmp(cmd, "fault") == 0)
		rc = build_fault(a->words[1], change);
	else
		rc = cJSON_AddStringToObject(change, "body", a->words[1]) ? 0
		                                                          : -1;
	if (rc == 0 && a->endpoint != NULL)
		cJSON_AddStringToObject(change, "endpoint", a->endpoint);
	if (rc < 0) {
		cJSON_Delete(change);
		return NULL;
	}
	return change;
}

/* One line: what the (named) endpoint now answers. */
static int
print_state(struct mock_client *c, const char *endpoint)
{
	char err[512], line[512];
	const cJSON *b;
	cJSON *st = mock_client_get(c, 0, err, sizeof err);

	if (st == NULL) {
		fprintf(stderr, "luna ctl: %s\n", err);
		return 1;
	}
	b = st;
	if (endpoint != NULL && strcmp(endpoint, "default") != 0)
		b = cJSON_GetObjectItem(
		    cJSON_GetObjectItem(st, "endpoints"), endpoint);
	if (b == NULL)
		snprintf(line, sizeof line, "follows the default endpoint");
	else
		mock_client_describe(b, line, sizeof line);
	printf("%s%s%s: %s\n", mock_client_url(c),
	    endpoint != NULL ? "/mock/" : "/mock",
	    endpoint != NULL ? endpoint : "", line);
	cJSON_Delete(st);
	return 0;
}

/* `show`: the JSON of GET /control, indented. */
static int
print_show(struct mock_client *c)
{
	char err[512], *text;
	cJSON *o = mock_client_get(c, 0, err, sizeof err);

	if (o == NULL) {
		fprintf(stderr, "luna ctl: %s\n", err);
		return 1;
	}
	text = cJSON_Print(o);
	printf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(o);
	return 0;
}

/* `history`: one line a change: id, time, source, endpoint, fields. */
static int
print_history(struct mock_client *c)
{
	char err[512], *fields;
	const cJSON *h;
	cJSON *o = mock_client_get(c, 1, err, sizeof err);

	if (o == NULL) {
		fprintf(stderr, "luna ctl: %s\n", err);
		return 1;
	}
	cJSON_ArrayForEach (h, cJSON_GetObjectItem(o, "changes")) {
		fields =
		    cJSON_PrintUnformatted(cJSON_GetObjectItem(h, "fields"));
		printf("%4.0f  %s  %-8s  %-10s  %s\n",
		    cJSON_GetNumberValue(cJSON_GetObjectItem(h, "change")),
		    cJSON_GetStringValue(cJSON_GetObjectItem(h, "ts")),
		    cJSON_GetStringValue(cJSON_GetObjectItem(h, "source")),
		    cJSON_GetStringValue(cJSON_GetObjectItem(h, "endpoint")),
		    fields != NULL ? fields : "{}");
		cJSON_free(fields);
	}
	cJSON_Delete(o);
	return 0;
}

static int
run(struct mock_client *c, const struct ctl_args *a)
{
	const char *cmd = a->words[0];
	char err[512];
	cJSON *change;
	int rc;

	if (strcmp(cmd, "show") == 0 || strcmp(cmd, "history") == 0)
		return a->nwords > 1 ? bad_usage("'%s' takes no argument", cmd)
		       : cmd[0] == 'h' ? print_history(c)
		                       : print_show(c);
	if (strcmp(cmd, "scenario") == 0)
		return ctl_scenario_run(c, a->nwords - 1, a->words + 1);
	if (strcmp(cmd, "reset") == 0) {
		if (a->nwords > 1)
			return bad_usage("'%s' takes no argument", cmd);
		rc = mock_client_reset(c, "api", err, sizeof err);
	} else if (strcmp(cmd, "status") == 0 || strcmp(cmd, "mix") == 0 ||
	           strcmp(cmd, "latency") == 0 || strcmp(cmd, "fault") == 0 ||
	           strcmp(cmd, "body") == 0) {
		if ((change = build_change(a)) == NULL)
			return 2;
		rc = mock_client_update(c, change, "api", err, sizeof err);
		cJSON_Delete(change);
	} else {
		return bad_usage("unknown command '%s'", cmd);
	}
	if (rc < 0) {
		fprintf(stderr, "luna ctl: %s\n", err);
		return 1;
	}
	return print_state(c, strcmp(cmd, "reset") == 0 ? NULL : a->endpoint);
}

int
cmd_ctl(int argc, char **argv)
{
	struct ctl_args a;
	struct mock_client *c;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0) {
		if (rc > 0)
			usage(stdout);
		return rc > 0 ? 0 : 2;
	}
	c = mock_client_remote(a.url, a.token);
	rc = run(c, &a);
	mock_client_destroy(c);
	return rc;
}
