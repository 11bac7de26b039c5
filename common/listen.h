/* Listen addresses ("127.0.0.1:8080", "[::1]:9464", ":80") and sockets. */
#ifndef COMMON_LISTEN_H
#define COMMON_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

struct listen_addr {
	char host[256]; /* literal address or name; "" means every address */
	int port;       /* 0 asks the kernel for a free port */
};

/* Parse S into OUT. Returns 0, or -1 with the reason in ERR. */
int listen_parse(
    const char *s, struct listen_addr *out, char *err, size_t errlen);

/* True when ADDR accepts connections from this machine only. */
bool listen_is_loopback(const struct listen_addr *addr);

/*
 * Open a listening TCP socket on ADDR. With FALLBACK, a port in use is
 * replaced by a free one. Returns the socket (close-on-exec, ready for
 * MHD_OPTION_LISTEN_SOCKET) and the port bound in *BOUND_PORT, or -1
 * with the reason in ERR ("cannot listen on '...': address in use").
 */
int listen_open(const struct listen_addr *addr, bool fallback, int *bound_port,
    char *err, size_t errlen);

/* Format ADDR with PORT as a URL authority: "127.0.0.1:8080", "[::1]:80". */
void listen_format(
    const struct listen_addr *addr, int port, char *buf, size_t len);

#endif
