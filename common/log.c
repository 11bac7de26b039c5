#include "common/log.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = 2;
static enum log_format log_fmt = LOG_FORMAT_TEXT;
static enum log_level log_min = LOG_INFO;
static log_decorate_fn log_decorator;
static void *log_decorator_arg;

/*
 * XXX: past the queue's caps a stalled output loses lines (counted, and
 * reported on stop); a queue on disk would keep them, at the cost of a
 * disk a container may not have.
 *
 * Lines wait here for one writer thread, so no caller (the probe engine
 * above all) ever blocks on a slow or stalled output: a full pipe, a
 * paused log driver. Bounded: past the caps a line is dropped and
 * counted, never waited for. One writer keeps lines whole and in order.
 */
#define QUEUE_LINES 16384
#define QUEUE_BYTES (8u << 20)

/* How long exit waits for queued lines to reach a stalled output. */
#define EXIT_FLUSH_MS 2000

struct queued_line {
	char *text;
	size_t len;
	int fd;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t ready;   /* a line was queued */
	pthread_cond_t drained; /* nothing queued, nothing being written */
	struct queued_line ring[QUEUE_LINES];
	size_t head, count, bytes;
	bool writing; /* the writer holds a line outside the lock */
	bool started;
	bool stopped; /* the writer has quit: write in place */
	pthread_t writer;
	unsigned long drops;
	unsigned long written;    /* lines out, to tell a stalled output */
	unsigned long stalled_at; /* written when a flush last timed out */
	int64_t progress_ms;      /* last line out, or work arriving idle */
	bool stalled;
} queue = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .ready = PTHREAD_COND_INITIALIZER,
    .drained = PTHREAD_COND_INITIALIZER,
};

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void
log_setup(int fd, enum log_format format, enum log_level min)
{
	/* Lines already queued go where they were meant to go. */
	log_flush(EXIT_FLUSH_MS);
	pthread_mutex_lock(&log_lock);
	log_fd = fd;
	log_fmt = format;
	log_min = min;
	pthread_mutex_unlock(&log_lock);
}

enum log_format
log_format(void)
{
	return log_fmt;
}

bool
log_enabled(enum log_level level)
{
	return level >= log_min && log_fd >= 0;
}

const char *
log_level_name(enum log_level level)
{
	return level_names[level];
}

unsigned long
log_dropped(void)
{
	unsigned long n;

	pthread_mutex_lock(&queue.lock);
	n = queue.drops;
	pthread_mutex_unlock(&queue.lock);
	return n;
}

void
log_set_decorator(log_decorate_fn fn, void *arg)
{
	pthread_mutex_lock(&log_lock);
	log_decorator = fn;
	log_decorator_arg = arg;
	pthread_mutex_unlock(&log_lock);
}

int
log_format_parse(const char *s, enum log_format *out, char *err, size_t errlen)
{
	if (strcmp(s, "json") == 0)
		*out = LOG_FORMAT_JSON;
	else if (strcmp(s, "emf") == 0)
		*out = LOG_FORMAT_EMF;
	else if (strcmp(s, "text") == 0)
		*out = LOG_FORMAT_TEXT;
	else {
		snprintf(err, errlen,
		    "bad log format '%s': expected json, emf or text", s);
		return -1;
	}
	return 0;
}

/* Write all of BUF, retrying short writes; a line is never cut in two. */
static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Does a text value need quotes to read back as one token? */
static bool
needs_quotes(const char *s)
{
	if (*s == '\0')
		return true;
	for (; *s != '\0'; s++)
		if (*s == ' ' || *s == '"' || *s == '=' ||
		    (unsigned char)*s < 32)
			return true;
	return false;
}

static void
text_append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
		if (*buf == NULL)
			abort();
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

static void
text_value(char **buf, size_t *len, size_t *cap, const cJSON *item)
{
	char num[64];
	char *printed;

	if (cJSON_IsString(item)) {
		if (!needs_quotes(item->valuestring)) {
			text_append(buf, len, cap, item->valuestring);
			return;
		}
	} else if (cJSON_IsNumber(item)) {
		double v = item->valuedouble;

		if (v == floor(v) && fabs(v) < 1e15)
			snprintf(num, sizeof num, "%.0f", v);
		else
			snprintf(num, sizeof num, "%.1f", v);
		text_append(buf, len, cap, num);
		return;
	}
	printed = cJSON_PrintUnformatted(item);
	if (printed != NULL) {
		text_append(buf, len, cap, printed);
		cJSON_free(printed);
	}
}

/* "TS LEVEL EVENT key=value ..." with ts, level and event not repeated. */
static char *
render_text(const cJSON *line)
{
	size_t len = 0, cap = 256;
	char *buf = malloc(cap);
	const cJSON *item;
	char upper[8];
	const char *lvl;
	int i;

	if (buf == NULL)
		abort();
	buf[0] = '\0';
	lvl = cJSON_GetStringValue(cJSON_GetObjectItem(line, "level"));
	for (i = 0; lvl != NULL && lvl[i] != '\0' && i < 7; i++)
		upper[i] =
		    (char)(lvl[i] - 32 * (lvl[i] >= 'a' && lvl[i] <= 'z'));
	upper[i] = '\0';
	text_append(&buf, &len, &cap,
	    cJSON_GetStringValue(cJSON_GetObjectItem(line, "ts")));
	text_append(&buf, &len, &cap, " ");
	text_append(&buf, &len, &cap, upper);
	text_append(&buf, &len, &cap, " ");
	text_append(&buf, &len, &cap,
	    cJSON_GetStringValue(cJSON_GetObjectItem(line, "event")));
	cJSON_ArrayForEach (item, line) {
		if (strcmp(item->string, "ts") == 0 ||
		    strcmp(item->string, "level") == 0 ||
		    strcmp(item->string, "event") == 0 ||
		    item->string[0] == '_' || cJSON_IsNull(item))
			continue;
		text_append(&buf, &len, &cap, " ");
		text_append(&buf, &len, &cap, item->string);
		text_append(&buf, &len, &cap, "=");
		text_value(&buf, &len, &cap, item);
	}
	return buf;
}

/* Build the line: ts, level, event, then the caller's fields in order. */
static cJSON *
build_line(enum log_level level, const char *event, cJSON *fields)
{
	char ts[CLOCK_RFC3339_LEN];
	cJSON *line = cJSON_CreateObject();
	cJSON *item;

	if (line == NULL)
		abort();
	clock_format_rfc3339(clock_wall_ms(), ts);
	cJSON_AddStringToObject(line, "ts", ts);
	cJSON_AddStringToObject(line, "level", level_names[level]);
	cJSON_AddStringToObject(line, "event", event);
	while (fields != NULL && (item = fields->child) != NULL) {
		cJSON_DetachItemViaPointer(fields, item);
		cJSON_AddItemToObject(line, item->string, item);
	}
	cJSON_Delete(fields);
	return line;
}

static void *
writer_main(void *arg)
{
	struct queued_line l;

	pthread_mutex_lock(&queue.lock);
	for (;;) {
		while (queue.count == 0) {
			queue.writing = false;
			pthread_cond_broadcast(&queue.drained);
			if (queue.stopped) {
				pthread_mutex_unlock(&queue.lock);
				return arg;
			}
			pthread_cond_wait(&queue.ready, &queue.lock);
		}
		l = queue.ring[queue.head];
		queue.head = (queue.head + 1) % QUEUE_LINES;
		queue.count--;
		queue.bytes -= l.len;
		queue.writing = true;
		pthread_mutex_unlock(&queue.lock);

		if (write_all(l.fd, l.text, l.len) < 0) {
			pthread_mutex_lock(&queue.lock);
			queue.drops++;
			pthread_mutex_unlock(&queue.lock);
		}
		free(l.text);
		pthread_mutex_lock(&queue.lock);
		queue.written++;
		queue.progress_ms = clock_mono_ms();
	}
}

/*
 * At exit: wait for what is queued, then end the writer, so nothing of
 * it outlives the program. A writer stuck on a stalled output is left.
 */
static void
flush_at_exit(void)
{
	bool join;

	join = log_flush(EXIT_FLUSH_MS) == 0;
	pthread_mutex_lock(&queue.lock);
	queue.stopped = true;
	pthread_cond_signal(&queue.ready);
	pthread_mutex_unlock(&queue.lock);
	if (join)
		pthread_join(queue.writer, NULL);
	else
		pthread_detach(queue.writer);
}

/*
 * Start the writer with every signal blocked, so a process signal always
 * reaches the thread the program chose for it. Under queue.lock.
 */
static bool
start_writer(void)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&queue.writer, NULL, writer_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return false;
	atexit(flush_at_exit);
	queue.started = true;
	return true;
}

/* Hand TEXT (LEN bytes, ending in a newline) to the writer; takes it. */
static void
enqueue(int fd, char *text, size_t len)
{
	struct queued_line *l;

	pthread_mutex_lock(&queue.lock);
	if (queue.stopped || (!queue.started && !start_writer())) {
		/* No writer (none to be had, or exit ended it): in place. */
		if (write_all(fd, text, len) < 0)
			queue.drops++;
		pthread_mutex_unlock(&queue.lock);
		free(text);
		return;
	}
	if (queue.count == QUEUE_LINES || queue.bytes + len > QUEUE_BYTES) {
		queue.drops++;
		pthread_mutex_unlock(&queue.lock);
		free(text);
		return;
	}
	if (queue.count == 0 && !queue.writing)
		queue.progress_ms = clock_mono_ms();
	l = &queue.ring[(queue.head + queue.count) % QUEUE_LINES];
	l->text = text;
	l->len = len;
	l->fd = fd;
	queue.count++;
	queue.bytes += len;
	pthread_cond_signal(&queue.ready);
	pthread_mutex_unlock(&queue.lock);
}

unsigned long
log_drain(int timeout_ms)
{
	size_t queued = log_flush(timeout_ms);

	return log_dropped() + queued;
}

int64_t
log_heartbeat_ms(void)
{
	int64_t ms;

	pthread_mutex_lock(&queue.lock);
	ms = queue.count == 0 && !queue.writing ? clock_mono_ms()
	                                        : queue.progress_ms;
	pthread_mutex_unlock(&queue.lock);
	return ms;
}

size_t
log_flush(int timeout_ms)
{
	struct timespec deadline;
	size_t left;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&queue.lock);

	/* An output that did not move since the last flush gave up is
	 * not waited for twice (a stop, then exit). */
	if (queue.stalled && queue.written == queue.stalled_at)
		goto out;
	queue.stalled = false;
	while (queue.count > 0 || queue.writing) {
		if (pthread_cond_timedwait(
		        &queue.drained, &queue.lock, &deadline) == ETIMEDOUT) {
			queue.stalled = true;
			queue.stalled_at = queue.written;
			break;
		}
	}
out:
	left = queue.count + queue.writing;
	pthread_mutex_unlock(&queue.lock);
	return left;
}

void
log_event(enum log_level level, const char *event, cJSON *fields)
{
	cJSON *line;
	char *out;
	int fd;

	if (!log_enabled(level)) {
		cJSON_Delete(fields);
		return;
	}
	line = build_line(level, event, fields);

	pthread_mutex_lock(&log_lock);
	if (log_decorator != NULL && log_fmt == LOG_FORMAT_EMF)
		log_decorator(line, event, log_decorator_arg);
	out = log_fmt == LOG_FORMAT_TEXT ? render_text(line)
	                                 : cJSON_PrintUnformatted(line);
	fd = log_fd;
	pthread_mutex_unlock(&log_lock);
	cJSON_Delete(line);
	if (out != NULL) {
		size_t len = strlen(out);

		out[len] = '\n';
		enqueue(fd, out, len + 1);
	}
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[1024];
	cJSON *fields;
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fields = cJSON_CreateObject();
	cJSON_AddStringToObject(fields, "msg", msg);
	log_event(level, "log", fields);
}
