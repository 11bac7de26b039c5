/*
 * `luna health`: ask a running luna's status server for /healthz and
 * exit 0 on 200, 1 otherwise, so a container's health check needs no
 * curl in the image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "app/commands.h"
#include "common/listen.h"

#define HEALTH_DEFAULT_LISTEN "127.0.0.1:9464"
#define HEALTH_TIMEOUT_MS     2000L

static void
health_usage(FILE *out)
{
	fprintf(out,
	    "usage: luna health [--listen ADDRESS]\n\n"
	    "Exit 0 when the luna whose status server listens on ADDRESS\n"
	    "(LUNA_STATUS_LISTEN, default " HEALTH_DEFAULT_LISTEN ") answers\n"
	    "/healthz with 200 within 2 s, else 1; 2 for a bad address.\n"
	    "A server listening on every address is asked on loopback.\n");
}

/* Where to ask: a wildcard listen address is reached over loopback. */
static void
health_url(const struct listen_addr *a, char *url, size_t len)
{
	struct listen_addr to = *a;
	char authority[300];

	if (to.host[0] == '\0' || strcmp(to.host, "0.0.0.0") == 0)
		strcpy(to.host, "127.0.0.1");
	else if (strcmp(to.host, "::") == 0)
		strcpy(to.host, "::1");
	listen_format(&to, to.port, authority, sizeof authority);
	snprintf(url, len, "http://%s/healthz", authority);
}

/* The body is not needed, only the status; keep it off stdout. */
static size_t
health_discard(char *ptr, size_t size, size_t nmemb, void *arg)
{
	return size * nmemb;
}

static int
health_ask(const char *url)
{
	long code = 0;
	CURLcode rc;
	CURL *curl;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (curl = curl_easy_init()) == NULL) {
		fprintf(stderr, "luna: health: cannot start libcurl\n");
		return 1;
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, HEALTH_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, health_discard);
	rc = curl_easy_perform(curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	if (rc != CURLE_OK) {
		fprintf(stderr, "luna: health: cannot reach '%s': %s\n", url,
		    curl_easy_strerror(rc));
		return 1;
	}
	if (code != 200) {
		fprintf(stderr, "luna: health: '%s' answered %ld\n", url, code);
		return 1;
	}
	return 0;
}

int
cmd_health(int argc, char **argv)
{
	const char *spec = getenv("LUNA_STATUS_LISTEN");
	struct listen_addr addr;
	char err[300], url[400];
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			health_usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			spec = argv[++i];
			continue;
		}
		fprintf(stderr,
		    "luna: health: unknown option '%s' "
		    "(see luna health --help)\n",
		    argv[i]);
		return 2;
	}
	if (spec == NULL || spec[0] == '\0')
		spec = HEALTH_DEFAULT_LISTEN;
	if (listen_parse(spec, &addr, err, sizeof err) < 0) {
		fprintf(stderr, "luna: health: %s\n", err);
		return 2;
	}
	health_url(&addr, url, sizeof url);
	return health_ask(url);
}
