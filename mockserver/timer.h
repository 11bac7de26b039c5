/*
 * One thread that resumes suspended libmicrohttpd connections: at a
 * deadline (latency, /delay, a slow body's next byte), or, for a hung
 * one, when its client gives up. No request ever holds a thread.
 */
#ifndef MOCKSERVER_TIMER_H
#define MOCKSERVER_TIMER_H

#include <stdint.h>

struct MHD_Connection;
struct mock_timer;

/* Start the thread; NULL when it cannot be created. */
struct mock_timer *mock_timer_start(void);

/* Resume every connection still waiting, end the thread, free T. */
void mock_timer_stop(struct mock_timer *t);

/*
 * Resume CONN (already suspended by the caller) at DUE_US on the
 * monotonic clock. Returns -1 when stopping: the caller resumes it.
 */
int mock_timer_resume_at(
    struct mock_timer *t, struct MHD_Connection *conn, int64_t due_us);

/*
 * Resume CONN (already suspended, socket FD) when its client closes
 * the connection or after MAX_MS. Returns -1 when stopping.
 */
int mock_timer_hang(
    struct mock_timer *t, struct MHD_Connection *conn, int fd, int64_t max_ms);

/* Connections waiting now, deadlines and hangs together. */
unsigned long mock_timer_waiting(struct mock_timer *t);

#endif
