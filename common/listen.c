#include "common/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/parse.h"

int
listen_parse(const char *s, struct listen_addr *out, char *err, size_t errlen)
{
	const char *orig = s, *colon, *port;
	size_t hostlen;
	long v;
	char perr[128];

	memset(out, 0, sizeof *out);
	if (s[0] == '[') {
		colon = strchr(s, ']');
		if (colon == NULL || colon[1] != ':')
			goto bad;
		hostlen = (size_t)(colon - s - 1);
		s++;
		port = colon + 2;
	} else if ((colon = strrchr(s, ':')) != NULL) {
		hostlen = (size_t)(colon - s);
		port = colon + 1;
		if (memchr(s, ':', hostlen) != NULL)
			goto bad;
	} else {
		hostlen = 0;
		port = s;
	}
	if (hostlen >= sizeof out->host)
		goto bad;
	memcpy(out->host, s, hostlen);
	if (parse_long(port, 0, 65535, &v, "port", perr, sizeof perr) < 0)
		goto bad;
	out->port = (int)v;
	return 0;
bad:
	snprintf(err, errlen,
	    "bad listen address '%s': expected HOST:PORT, "
	    "[IPV6]:PORT or :PORT",
	    orig);
	return -1;
}

bool
listen_is_loopback(const struct listen_addr *addr)
{
	struct in6_addr a6;
	struct in_addr a4;

	/* Addresses, not names: "127.example.net" may be anywhere. */
	if (strcmp(addr->host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, addr->host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr->host, &a6) != 1)
		return false;
	if (IN6_IS_ADDR_LOOPBACK(&a6))
		return true;
	return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

void
listen_format(const struct listen_addr *addr, int port, char *buf, size_t len)
{
	const char *host = addr->host[0] != '\0' ? addr->host : "0.0.0.0";

	if (strchr(host, ':') != NULL)
		snprintf(buf, len, "[%s]:%d", host, port);
	else
		snprintf(buf, len, "%s:%d", host, port);
}

static int
open_one(const struct addrinfo *ai, int *bound_port)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof ss;
	int fd, on = 1;

	fd = socket(
	    ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1024) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sslen) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	if (ss.ss_family == AF_INET6)
		*bound_port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	else
		*bound_port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static int
open_port(const struct listen_addr *addr, int port, int *bound_port, char *err,
    size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	char portstr[16], where[300];
	int rc, fd, saved;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof portstr, "%d", port);
	listen_format(addr, port, where, sizeof where);
	rc = getaddrinfo(
	    addr->host[0] ? addr->host : NULL, portstr, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "cannot listen on '%s': %s", where,
		    gai_strerror(rc));
		return -1;
	}
	fd = open_one(res, bound_port);
	saved = errno;
	if (fd < 0)
		snprintf(err, errlen, "cannot listen on '%s': %s", where,
		    saved == EADDRINUSE ? "address in use" : strerror(saved));
	freeaddrinfo(res);
	errno = saved;
	return fd;
}

int
listen_open(const struct listen_addr *addr, bool fallback, int *bound_port,
    char *err, size_t errlen)
{
	int fd = open_port(addr, addr->port, bound_port, err, errlen);

	if (fd < 0 && fallback && errno == EADDRINUSE && addr->port != 0)
		fd = open_port(addr, 0, bound_port, err, errlen);
	return fd;
}
