/* Allocation that cannot fail, and the one way luna dies. */
#ifndef COMMON_XALLOC_H
#define COMMON_XALLOC_H

#include <stddef.h>

/* Like malloc/calloc/realloc/strdup; on exhaustion call fatal(). */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

/*
 * Run the hook (the dashboard's endwin), print "luna: fatal: MSG" on
 * stderr and exit(70). For broken invariants and memory exhaustion only.
 */
_Noreturn void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Set the function fatal() calls first, so the terminal is restored. */
void fatal_set_hook(void (*hook)(void));

#endif
