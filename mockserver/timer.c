/* POLLRDHUP: a peer that closed its side, without reading from it. */
#define _GNU_SOURCE
#include "mockserver/timer.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "common/clock.h"
#include "common/xalloc.h"

/* How often hung connections are checked for a client that left. */
#define HANG_CHECK_MS 250

struct due {
	int64_t due_us;
	struct MHD_Connection *conn;
};

struct hang {
	struct MHD_Connection *conn;
	int fd;
	int64_t until_us;
};

struct mock_timer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	struct due *heap; /* min-heap on due_us */
	size_t nheap, capheap;
	struct hang *hangs;
	size_t nhangs, caphangs;
	struct MHD_Connection **ready; /* resumed outside the lock */
	size_t nready, capready;
};

static void
heap_push(struct mock_timer *t, struct due d)
{
	size_t i, parent;

	if (t->nheap == t->capheap) {
		t->capheap = t->capheap ? t->capheap * 2 : 256;
		t->heap = xrealloc(t->heap, t->capheap * sizeof *t->heap);
	}
	for (i = t->nheap++; i > 0; i = parent) {
		parent = (i - 1) / 2;
		if (t->heap[parent].due_us <= d.due_us)
			break;
		t->heap[i] = t->heap[parent];
	}
	t->heap[i] = d;
}

static struct due
heap_pop(struct mock_timer *t)
{
	struct due top = t->heap[0], last = t->heap[--t->nheap];
	size_t i = 0, child;

	while ((child = 2 * i + 1) < t->nheap) {
		if (child + 1 < t->nheap &&
		    t->heap[child + 1].due_us < t->heap[child].due_us)
			child++;
		if (last.due_us <= t->heap[child].due_us)
			break;
		t->heap[i] = t->heap[child];
		i = child;
	}
	if (t->nheap > 0)
		t->heap[i] = last;
	return top;
}

static void
ready_add(struct mock_timer *t, struct MHD_Connection *conn)
{
	if (t->nready == t->capready) {
		t->capready = t->capready ? t->capready * 2 : 256;
		t->ready = xrealloc(t->ready, t->capready * sizeof *t->ready);
	}
	t->ready[t->nready++] = conn;
}

/* Move hung connections whose client left, or whose time is up. */
static void
check_hangs(struct mock_timer *t, int64_t now_us)
{
	struct pollfd *pfd;
	size_t i, kept = 0;

	if (t->nhangs == 0)
		return;
	pfd = xcalloc(t->nhangs, sizeof *pfd);
	for (i = 0; i < t->nhangs; i++) {
		pfd[i].fd = t->hangs[i].fd;
		pfd[i].events = POLLRDHUP;
	}
	if (poll(pfd, t->nhangs, 0) < 0)
		memset(pfd, 0, t->nhangs * sizeof *pfd);
	for (i = 0; i < t->nhangs; i++) {
		if ((pfd[i].revents & (POLLRDHUP | POLLHUP | POLLERR)) ||
		    now_us >= t->hangs[i].until_us)
			ready_add(t, t->hangs[i].conn);
		else
			t->hangs[kept++] = t->hangs[i];
	}
	t->nhangs = kept;
	free(pfd);
}

static void
wait_until(struct mock_timer *t, int64_t now_us)
{
	int64_t wait_us = 3600LL * 1000000;
	struct timespec ts;

	if (t->nheap > 0)
		wait_us = t->heap[0].due_us - now_us;
	if (t->nhangs > 0 && wait_us > HANG_CHECK_MS * 1000)
		wait_us = HANG_CHECK_MS * 1000;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += wait_us / 1000000;
	ts.tv_nsec += (long)(wait_us % 1000000) * 1000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&t->wake, &t->lock, &ts);
}

static void
resume_ready(struct mock_timer *t)
{
	size_t i, n = t->nready;
	struct MHD_Connection **list = t->ready;

	/* Resume outside our lock: MHD takes its own. */
	t->ready = NULL;
	t->nready = t->capready = 0;
	pthread_mutex_unlock(&t->lock);
	for (i = 0; i < n; i++)
		MHD_resume_connection(list[i]);
	free(list);
	pthread_mutex_lock(&t->lock);
}

static void *
timer_main(void *arg)
{
	struct mock_timer *t = arg;
	int64_t now;

	pthread_mutex_lock(&t->lock);
	while (!t->stopping) {
		now = clock_mono_us();
		while (t->nheap > 0 && t->heap[0].due_us <= now)
			ready_add(t, heap_pop(t).conn);
		check_hangs(t, now);
		if (t->nready > 0) {
			resume_ready(t);
			continue;
		}
		wait_until(t, now);
	}

	/* Stopping: every waiting connection is resumed, none is left. */
	while (t->nheap > 0)
		ready_add(t, heap_pop(t).conn);
	while (t->nhangs > 0)
		ready_add(t, t->hangs[--t->nhangs].conn);
	resume_ready(t);
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct mock_timer *
mock_timer_start(void)
{
	struct mock_timer *t = xcalloc(1, sizeof *t);
	pthread_condattr_t attr;

	pthread_mutex_init(&t->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&t->thread, NULL, timer_main, t) != 0) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	return t;
}

void
mock_timer_stop(struct mock_timer *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	free(t->heap);
	free(t->hangs);
	free(t->ready);
	free(t);
}

int
mock_timer_resume_at(
    struct mock_timer *t, struct MHD_Connection *conn, int64_t due_us)
{
	struct due d = {due_us, conn};
	bool first;

	pthread_mutex_lock(&t->lock);
	if (t->stopping) {
		pthread_mutex_unlock(&t->lock);
		return -1;
	}
	heap_push(t, d);
	first = t->heap[0].conn == conn;
	if (first)
		pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

int
mock_timer_hang(
    struct mock_timer *t, struct MHD_Connection *conn, int fd, int64_t max_ms)
{
	pthread_mutex_lock(&t->lock);
	if (t->stopping) {
		pthread_mutex_unlock(&t->lock);
		return -1;
	}
	if (t->nhangs == t->caphangs) {
		t->caphangs = t->caphangs ? t->caphangs * 2 : 64;
		t->hangs = xrealloc(t->hangs, t->caphangs * sizeof *t->hangs);
	}
	t->hangs[t->nhangs].conn = conn;
	t->hangs[t->nhangs].fd = fd;
	t->hangs[t->nhangs++].until_us = clock_mono_us() + max_ms * 1000;
	if (t->nhangs == 1)
		pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

unsigned long
mock_timer_waiting(struct mock_timer *t)
{
	unsigned long n;

	pthread_mutex_lock(&t->lock);
	n = (unsigned long)(t->nheap + t->nhangs);
	pthread_mutex_unlock(&t->lock);
	return n;
}
