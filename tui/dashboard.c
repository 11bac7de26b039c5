#include "tui/dashboard.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/xalloc.h"
#include "mockserver/client.h"
#include "mockserver/scenario.h"
#include "mockserver/state.h"
#include "tui/control.h"
#include "tui/detail.h"
#include "tui/frame.h"
#include "tui/keymap.h"
#include "tui/layout.h"
#include "tui/scenarios.h"
#include "tui/table.h"
#include "tui/terminal.h"

#define FRAME_MS   100   /* at most ten frames a second */
#define MESSAGE_MS 3000  /* how long a footer message stays */
#define NOTE_MS    10000 /* how long the note at the start stays */
#define HINT_MS    1000  /* a stop that takes longer says how to cut it */
#define PANE_LINES 40
#define KEY_ESC    27

enum {
	PAIR_UP = 1,
	PAIR_DOWN,
	PAIR_DEGRADED,
};

struct tui_dashboard {
	struct tui_dashboard_config c;
	struct probe_engine *engine;
	struct tui_control *control;
	struct probe_snapshot *snaps; /* one per target, reused */
	size_t longest_name;
	atomic_ulong results;
	SCREEN *screen;
	enum tui_glyphs glyphs;
	bool colour, help, paused, quit;
	bool closed; /* the terminal hung up */
	size_t selected, first;
	struct tui_mock_steps steps;
	cJSON *scenarios; /* the picker's list while it is open, else NULL */
	size_t pick;
	char message[160];
	int64_t message_until_ms; /* monotonic */
	int64_t started_ms;       /* monotonic */
};

/*
 * Signal handlers and fatal()'s hook take no argument, so the signals
 * seen, the pipe that wakes a wait for them and the stderr put aside
 * while the screen is ours are file-wide.
 */
static volatile sig_atomic_t stop_signal; /* the first one */
static volatile sig_atomic_t last_signal; /* the latest SIGINT, SIGTERM */
static volatile sig_atomic_t interrupts;  /* how many of those came */
static int wake_fds[2] = {-1, -1};
static int saved_stderr = -1;

/* Wake a wait on wake_fds; a full pipe holds a wakeup already. */
static void
wake(void)
{
	ssize_t n = write(wake_fds[1], "w", 1);

	(void)n;
}

static void
on_signal(int sig)
{
	int saved = errno;

	if (stop_signal == 0)
		stop_signal = sig;

	/* A SIGHUP follows a closed terminal: no reason to hurry. */
	if (sig != SIGHUP) {
		last_signal = sig;
		interrupts++;
	}
	wake();
	errno = saved;
}

static void
restore_terminal(void)
{
	if (!isendwin())
		endwin();
	if (saved_stderr >= 0) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
		saved_stderr = -1;
	}
}

struct tui_dashboard *
tui_dashboard_create(const struct tui_dashboard_config *c)
{
	struct tui_dashboard *d = xcalloc(1, sizeof *d);
	size_t i, n;

	d->c = *c;
	d->snaps = xcalloc(c->targets->count, sizeof *d->snaps);
	for (i = 0; i < c->targets->count; i++) {
		n = strlen(c->targets->items[i].name);
		if (n > d->longest_name)
			d->longest_name = n;
	}
	atomic_init(&d->results, 0);
	return d;
}

void
tui_dashboard_destroy(struct tui_dashboard *d)
{
	if (d == NULL)
		return;
	cJSON_Delete(d->scenarios);
	free(d->snaps);
	free(d);
}

void
tui_dashboard_notify(struct tui_dashboard *d)
{
	atomic_fetch_add_explicit(&d->results, 1, memory_order_relaxed);
}

static void say(struct tui_dashboard *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Show a message in the footer for a few seconds. */
static void
say(struct tui_dashboard *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->message, sizeof d->message, fmt, ap);
	va_end(ap);
	d->message_until_ms = clock_mono_ms() + MESSAGE_MS;
}

/* Move stderr out of the screen's way, to FD or to nowhere. */
static void
hide_stderr(int fd)
{
	int null = -1;

	if (fd < 0)
		fd = null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	dup2(fd, STDERR_FILENO);
	if (null >= 0)
		close(null);
}

static void
init_colour(struct tui_dashboard *d)
{
	const char *no_colour = getenv("NO_COLOR");

	/* https://no-color.org: any non-empty value turns colour off. */
	d->colour = (no_colour == NULL || no_colour[0] == '\0') && has_colors();
	if (!d->colour)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_UP, COLOR_GREEN, -1);
	init_pair(PAIR_DOWN, COLOR_RED, -1);
	init_pair(PAIR_DEGRADED, COLOR_YELLOW, -1);
}

static int
open_screen(struct tui_dashboard *d, char *err, size_t errlen)
{
	const char *term = getenv("TERM");
	enum tui_terminal_kind kind;

	setlocale(LC_ALL, "");
	d->glyphs = tui_sparkline_glyphs_for(nl_langinfo(CODESET));
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen,
		    "cannot show the dashboard: not a "
		    "terminal (try --headless)");
		return -1;
	}
	if (term == NULL || *term == '\0') {
		snprintf(err, errlen,
		    "cannot show the dashboard: TERM is not set "
		    "(try TERM=xterm-256color, or --headless)");
		return -1;
	}
	/* Asked first: a newterm that fails keeps memory it never frees. */
	kind = tui_terminal_kind(term);
	d->screen =
	    kind == TUI_TERMINAL_USABLE ? newterm(NULL, stdout, stdin) : NULL;
	if (d->screen == NULL) {
		snprintf(err, errlen,
		    "cannot use terminal '%s': %s "
		    "(try TERM=xterm-256color, or --headless)",
		    term,
		    kind == TUI_TERMINAL_DUMB ? "it cannot move the cursor"
		                              : "not in terminfo");
		return -1;
	}
	set_term(d->screen);
	fatal_set_hook(restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	init_colour(d);
	hide_stderr(d->c.stderr_fd);
	return 0;
}

static void
close_screen(struct tui_dashboard *d)
{
	restore_terminal();
	fatal_set_hook(NULL);
	delscreen(d->screen);
	d->screen = NULL;
}

/*
 * Catch the stop signals before ncurses would (it leaves set ones). A
 * SIGHUP ignored from the start (nohup) stays ignored: a terminal that
 * goes away is then seen on stdin.
 */
static int
catch_signals(struct sigaction old[3], char *err, size_t errlen)
{
	static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	int i;

	if (pipe(wake_fds) < 0) {
		snprintf(
		    err, errlen, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		fcntl(wake_fds[i], F_SETFD, FD_CLOEXEC);
		fcntl(wake_fds[i], F_SETFL, O_NONBLOCK);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	stop_signal = last_signal = interrupts = 0;
	for (i = 0; i < 3; i++) {
		sigaction(sigs[i], NULL, &old[i]);
		if (sigs[i] != SIGHUP || old[i].sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
	return 0;
}

static void
release_signals(const struct sigaction old[3])
{
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	sigaction(SIGHUP, &old[2], NULL);
	close(wake_fds[0]);
	close(wake_fds[1]);
	wake_fds[0] = wake_fds[1] = -1;
}

/* True when the terminal hung up: ncurses then only ever reads ERR. */
static bool
terminal_gone(void)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};

	return poll(&p, 1, 0) > 0 &&
	       (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* Snapshot every target at NOW; count those up and down. */
static void
take_snapshots(struct tui_dashboard *d, int64_t now, size_t *up, size_t *down)
{
	size_t i;

	*up = *down = 0;
	for (i = 0; i < d->c.targets->count; i++) {
		probe_stats_snapshot(d->c.stats, i, now, &d->snaps[i]);
		if (d->snaps[i].state == PROBE_STATE_UP)
			(*up)++;
		else if (d->snaps[i].state == PROBE_STATE_DOWN)
			(*down)++;
	}
}

static void
draw_header(struct tui_dashboard *d, const struct tui_layout *l,
    const struct tui_control_view *v, int64_t now, size_t up, size_t down)
{
	struct tui_frame_header h = {
	    .version = LUNA_VERSION,
	    .mock_url = d->c.mock != NULL ? mock_client_url(d->c.mock) : NULL,
	    .mock_state = v->summary,
	    .up = up,
	    .down = down,
	    .ntargets = d->c.targets->count,
	    .paused = d->paused,
	    .uptime_s = (clock_mono_ms() - d->started_ms) / 1000,
	    .wall_ms = now,
	};
	char line[TUI_FRAME_LINE_MAX];

	tui_frame_header(&h, l->cols, line, sizeof line);
	attron(A_REVERSE);
	mvhline(l->header_y, 0, ' ', l->cols);
	mvaddnstr(l->header_y, 0, line, l->cols);
	attroff(A_REVERSE);
}

/* The attribute of a state cell: a colour, or bold for trouble. */
static attr_t
health_attr(const struct tui_dashboard *d, enum tui_health h)
{
	static const short pairs[] = {0, PAIR_UP, PAIR_DEGRADED, PAIR_DOWN};

	if (d->colour && h != TUI_HEALTH_UNKNOWN)
		return COLOR_PAIR(pairs[h]) | A_BOLD;
	return h == TUI_HEALTH_DOWN || h == TUI_HEALTH_DEGRADED ? A_BOLD
	                                                        : A_NORMAL;
}

static void
draw_table(struct tui_dashboard *d, const struct tui_layout *l, int64_t now)
{
	static char row[TUI_TABLE_ROW_MAX];
	struct tui_table t;
	size_t i;
	int y;

	tui_table_layout(l->cols, d->longest_name, &t);
	tui_table_header(&t, row, sizeof row);
	attron(A_BOLD);
	mvaddnstr(l->table_y, 0, row, l->cols);
	attroff(A_BOLD);
	for (i = l->first;
	     i < d->c.targets->count && i < l->first + (size_t)l->table_rows;
	     i++) {
		const struct probe_snapshot *s = &d->snaps[i];
		attr_t sel = i == d->selected ? A_REVERSE : A_NORMAL;

		y = l->table_y + 1 + (int)(i - l->first);
		tui_table_row(&t, d->c.targets->items[i].name, s, now,
		    i == d->selected, d->glyphs, row, sizeof row);
		mvaddstr(y, 0, row);
		mvchgat(y, 0, l->cols, sel, 0, NULL);
		mvchgat(y, t.state_x, t.state_w,
		    sel | health_attr(d, tui_table_health(s)),
		    PAIR_NUMBER(health_attr(d, tui_table_health(s))), NULL);
	}
}

/* A pane's title: a rule with TITLE in it, at Y from X, W wide. */
static void
draw_title(int y, int x, int w, const char *title)
{
	mvhline(y, x, ACS_HLINE, w);
	attron(A_BOLD);
	mvaddnstr(y, x + 1, title, w > 2 ? w - 2 : 0);
	attroff(A_BOLD);
}

static void
draw_detail(struct tui_dashboard *d, const struct tui_layout *l, int64_t now)
{
	char lines[PANE_LINES][TUI_FRAME_LINE_MAX];
	int n, i, max = l->pane_h - 1;

	if (d->c.targets->count == 0)
		return;
	draw_title(l->pane_y, 0, l->detail_w, " detail ");
	if (max > PANE_LINES)
		max = PANE_LINES;
	n = tui_detail_lines(&d->c.targets->items[d->selected],
	    &d->snaps[d->selected], now, l->detail_w, lines, max);
	for (i = 0; i < n; i++)
		mvaddnstr(l->pane_y + 1 + i, 0, lines[i], l->detail_w);
}

static void
draw_changes(const struct tui_layout *l, const struct tui_control_view *v)
{
	char line[TUI_FRAME_LINE_MAX], lines[PANE_LINES][TUI_FRAME_LINE_MAX];
	int x = l->detail_w + 2, w = l->cols - x, y = 0, i, j, n;

	if (w <= 0)
		return;
	draw_title(l->pane_y, x, w, " mock changes ");
	for (i = 0; i < (int)v->nchanges && y < l->pane_h - 1; i++) {
		/* A change wraps under its description, after clock and source. */
		tui_frame_change_line(&v->changes[i], -1, line, sizeof line);
		n = tui_frame_wrap(line, w, 18, lines,
		    l->pane_h - 1 - y < PANE_LINES ? l->pane_h - 1 - y
		                                   : PANE_LINES);
		if (v->changes[i].failed)
			attron(A_BOLD);
		for (j = 0; j < n; j++)
			mvaddnstr(l->pane_y + 1 + y++, x, lines[j], w);
		attroff(A_BOLD);
	}
}

static void
draw_footer(struct tui_dashboard *d, const struct tui_layout *l)
{
	char line[TUI_FRAME_LINE_MAX];
	bool fresh = clock_mono_ms() < d->message_until_ms;

	tui_frame_footer(fresh ? d->message : NULL, l->cols, line, sizeof line);
	mvaddnstr(l->footer_y, 0, line, l->cols);
}

/* A blank box with a border and TITLE, at Y, X, H high and W wide. */
static void
draw_box(int y, int x, int h, int w, const char *title)
{
	int i;

	for (i = 0; i < h; i++)
		mvhline(y + i, x, ' ', w);
	mvhline(y, x, ACS_HLINE, w);
	mvhline(y + h - 1, x, ACS_HLINE, w);
	mvvline(y, x, ACS_VLINE, h);
	mvvline(y, x + w - 1, ACS_VLINE, h);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attron(A_BOLD);
	mvaddnstr(y, x + 2, title, w - 4);
	attroff(A_BOLD);
}

static void
draw_help(const struct tui_layout *l)
{
	char lines[40][TUI_FRAME_LINE_MAX];
	int n = tui_frame_help(lines, 40), w = 0, h, x, y, i;

	for (i = 0; i < n; i++)
		if ((int)strlen(lines[i]) > w)
			w = (int)strlen(lines[i]);
	w += 4;
	h = n + 2;
	if (w > l->cols)
		w = l->cols;
	if (h > l->rows)
		h = l->rows;
	x = (l->cols - w) / 2;
	y = (l->rows - h) / 2;
	draw_box(y, x, h, w, " keys (? or Esc closes) ");
	for (i = 0; i < n && i < h - 2; i++)
		mvaddnstr(y + 1 + i, x + 2, lines[i], w - 4);
}

/* V's scenario line without the name it starts with. */
static const char *
progress_step(const struct tui_control_view *v)
{
	size_t n = strlen(v->scenario_name);

	if (strncmp(v->scenario, v->scenario_name, n) == 0 &&
	    v->scenario[n] == ' ')
		return v->scenario + n + 1;
	return v->scenario;
}

/*
 * The scenario's progress on the line between table and panes, and
 * which of the endpoints it changes no target probes.
 */
static void
draw_scenario(struct tui_dashboard *d, const struct tui_layout *l,
    const struct tui_control_view *v)
{
	char line[TUI_FRAME_LINE_MAX], note[TUI_FRAME_LINE_MAX];
	int y = l->table_y + 1 + l->table_rows;

	if (v->scenario[0] == '\0' || y >= l->footer_y ||
	    (l->pane_h > 0 && y >= l->pane_y))
		return;
	note[0] = '\0';
	if (d->c.mock != NULL)
		tui_scenarios_unprobed(v->scenario_name, v->endpoints,
		    mock_client_url(d->c.mock), d->c.targets, note,
		    sizeof note);
	/* The note first, where a narrow screen does not cut it. */
	if (note[0] == '\0')
		snprintf(note, sizeof note, "%s", v->scenario);
	else if (snprintf(line, sizeof line, "%s %s; %s", v->scenario_name,
	             note, progress_step(v)) >= 0)
		memcpy(note, line, sizeof note);
	tui_scenarios_progress(note, l->cols, line, sizeof line);
	attron(A_BOLD);
	mvaddnstr(y, 0, line, l->cols);
	attroff(A_BOLD);
}

/* The scenario picker over the screen. */
static void
draw_picker(struct tui_dashboard *d, const struct tui_layout *l)
{
	char lines[PANE_LINES][TUI_FRAME_LINE_MAX];
	int w = l->cols < 100 ? l->cols : 100, h, n, sel, i;

	h = cJSON_GetArraySize(d->scenarios) + 2;
	if (h < 3)
		h = 3;
	if (h > l->rows)
		h = l->rows;
	if (h - 2 > PANE_LINES)
		h = PANE_LINES + 2;
	n = tui_scenarios_lines(
	    d->scenarios, d->pick, w - 4, lines, h - 2, &sel);
	draw_box((l->rows - h) / 2, (l->cols - w) / 2, h, w,
	    " scenarios (Enter plays, Esc closes) ");
	for (i = 0; i < n; i++)
		mvaddnstr((l->rows - h) / 2 + 1 + i, (l->cols - w) / 2 + 2,
		    lines[i], w - 4);
	if (sel >= 0)
		mvchgat((l->rows - h) / 2 + 1 + sel, (l->cols - w) / 2 + 1,
		    w - 2, A_REVERSE, 0, NULL);
}

static void
draw(struct tui_dashboard *d)
{
	struct tui_control_view v;
	struct tui_layout l;
	int64_t now = clock_wall_ms();
	char line[TUI_FRAME_LINE_MAX];
	size_t up, down;

	erase();
	tui_layout_compute(
	    LINES, COLS, d->c.targets->count, d->selected, d->first, &l);
	d->first = l.first;
	if (l.too_small) {
		tui_layout_too_small(&l, line, sizeof line);
		mvaddnstr(0, 0, line, l.cols);
		return;
	}
	memset(&v, 0, sizeof v);
	if (d->control != NULL)
		tui_control_view(d->control, &v);
	take_snapshots(d, now, &up, &down);
	draw_header(d, &l, &v, now, up, down);
	draw_table(d, &l, now);
	draw_scenario(d, &l, &v);
	if (l.pane_h > 0) {
		draw_detail(d, &l, now);
		if (d->control != NULL)
			draw_changes(&l, &v);
	}
	draw_footer(d, &l);
	if (d->help)
		draw_help(&l);
	else if (d->scenarios != NULL)
		draw_picker(d, &l);
}

static void
mock_key(struct tui_dashboard *d, enum tui_action a)
{
	struct tui_control_view v;
	char desc[96];
	cJSON *change;

	if (d->control == NULL) {
		say(d, "no mock to drive: set LUNA_MOCK_URL or run the "
		       "bundled one");
		return;
	}
	/*
	 * Step from what the mock does now, whoever changed it last; while
	 * changes of ours are on their way, from where those lead.
	 */
	tui_control_view(d->control, &v);
	if (v.busy == 0)
		tui_keymap_sync_steps(&d->steps, v.latency_ms, v.error_pct);
	change = tui_keymap_change(a, &d->steps, desc, sizeof desc);
	if (change == NULL && a != TUI_ACT_MOCK_RESET) {
		say(d, "%s", desc);
		return;
	}
	if (tui_control_send(d->control, change, desc) != 0)
		say(d, "mock busy: '%s' dropped, try again", desc);
}

static void
move_selection(struct tui_dashboard *d, int delta)
{
	size_t n = d->c.targets->count;

	if (delta < 0 && d->selected > 0)
		d->selected--;
	else if (delta > 0 && d->selected + 1 < n)
		d->selected++;
}

static void
engine_key(struct tui_dashboard *d, enum tui_action a)
{
	const char *name = d->c.targets->count > 0
	                       ? d->c.targets->items[d->selected].name
	                       : "";

	if (d->engine == NULL)
		return;
	if (a == TUI_ACT_PROBE_NOW) {
		probe_engine_probe_now(d->engine, d->selected);
		say(d, "probing '%s' now", name);
	} else if (a == TUI_ACT_PROBE_ALL) {
		probe_engine_probe_now(d->engine, SIZE_MAX);
		say(d, "probing every target now");
	} else if (a == TUI_ACT_PAUSE) {
		d->paused = !d->paused;
		probe_engine_pause(d->engine, d->paused);
		say(d, d->paused ? "probing paused (Space resumes)"
		                 : "probing resumed");
	}
}

/* Play the scenario picked, sending the whole of it to the mock. */
static void
play_picked(struct tui_dashboard *d)
{
	const cJSON *e = cJSON_GetArrayItem(d->scenarios, (int)d->pick);
	const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(e, "path"));
	struct mock_scenario *sc;
	char err[512], desc[96];

	if (path == NULL)
		return;
	sc = mock_scenario_load(path, mock_state_validate, err, sizeof err);
	if (sc == NULL) {
		say(d, "%s", err);
		return;
	}
	snprintf(desc, sizeof desc, "play scenario %s", mock_scenario_name(sc));
	if (tui_control_scenario(d->control, mock_scenario_to_json(sc), desc))
		say(d, "mock busy: '%s' dropped, try again", desc);
	mock_scenario_destroy(sc);
}

static void
close_picker(struct tui_dashboard *d)
{
	cJSON_Delete(d->scenarios);
	d->scenarios = NULL;
}

/* Keys while the picker is open: move, Enter plays, Esc or d closes. */
static void
picker_key(struct tui_dashboard *d, int ch)
{
	size_t n = (size_t)cJSON_GetArraySize(d->scenarios);
	enum tui_action a = tui_keymap_action(ch);

	if (a == TUI_ACT_UP && d->pick > 0) {
		d->pick--;
	} else if (a == TUI_ACT_DOWN && d->pick + 1 < n) {
		d->pick++;
	} else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
		play_picked(d);
		close_picker(d);
	} else if (ch == KEY_ESC || a == TUI_ACT_SCENARIOS ||
	           a == TUI_ACT_QUIT) {
		close_picker(d);
	}
}

static void
scenario_key(struct tui_dashboard *d, enum tui_action a)
{
	if (d->control == NULL) {
		say(d, "no mock to drive: set LUNA_MOCK_URL or run the "
		       "bundled one");
	} else if (a == TUI_ACT_SCENARIOS) {
		d->scenarios = mock_scenario_list();
		d->pick = 0;
	} else if (tui_control_scenario(d->control, NULL, "stop scenario"))
		say(d, "mock busy: 'stop scenario' dropped, try again");
}

static void
handle_key(struct tui_dashboard *d, int ch)
{
	enum tui_action a = tui_keymap_action(ch);

	if (d->scenarios != NULL) {
		picker_key(d, ch);
		return;
	}
	if (a == TUI_ACT_SCENARIOS || a == TUI_ACT_SCENARIO_STOP) {
		scenario_key(d, a);
		return;
	}

	if (ch == KEY_ESC)
		d->help = false;
	if (tui_keymap_is_mock(a)) {
		mock_key(d, a);
		return;
	}
	switch (a) {
	case TUI_ACT_QUIT:
		d->quit = true;
		break;
	case TUI_ACT_HELP:
		d->help = !d->help;
		break;
	case TUI_ACT_UP:
	case TUI_ACT_DOWN:
		move_selection(d, a == TUI_ACT_UP ? -1 : 1);
		break;
	case TUI_ACT_CLEAR:
		probe_stats_clear(d->c.stats);
		say(d, "statistics cleared");
		break;
	default:
		engine_key(d, a);
		break;
	}
}

/* True when something on screen changed since the last look. */
static bool
changed(struct tui_dashboard *d, unsigned long *results,
    unsigned long *generation, int64_t *second, bool *message)
{
	unsigned long r =
	    atomic_load_explicit(&d->results, memory_order_relaxed);
	unsigned long g =
	    d->control != NULL ? tui_control_generation(d->control) : 0;
	int64_t s = clock_wall_ms() / 1000;
	bool m = clock_mono_ms() < d->message_until_ms;
	bool any =
	    r != *results || g != *generation || s != *second || m != *message;

	*results = r;
	*generation = g;
	*second = s;
	*message = m;
	return any;
}

static void
run_loop(struct tui_dashboard *d)
{
	unsigned long results = 0, generation = 0;
	int64_t second = 0, last_frame = 0, wait;
	bool dirty = true, message = false;
	int ch;

	while (!d->quit && !stop_signal && !d->closed) {
		/* Keys first: every key waiting is handled before a frame. */
		while ((ch = getch()) != ERR) {
			handle_key(d, ch);
			dirty = true;
			timeout(0);
		}
		if (terminal_gone()) {
			d->closed = true;
			break;
		}
		if (changed(d, &results, &generation, &second, &message))
			dirty = true;

		/* Draw at most every FRAME_MS, else sleep in getch. */
		wait = last_frame + FRAME_MS - clock_mono_ms();
		if (dirty && wait <= 0) {
			draw(d);
			wnoutrefresh(stdscr);
			doupdate();
			last_frame = clock_mono_ms();
			dirty = false;
			wait = FRAME_MS;
		}
		timeout(dirty ? (int)wait : FRAME_MS);
	}
}

/* What stopped the screen, for the stop line. */
static void
tell_end(const struct tui_dashboard *d, struct tui_dashboard_end *end)
{
	if (stop_signal != 0) {
		end->reason = "signal";
		end->signal = stop_signal;
	} else if (d->closed) {
		end->reason = "terminal closed";
	} else {
		end->reason = "quit";
	}
}

struct wind_down {
	struct probe_engine *engine;
	struct tui_control *control;
	atomic_bool done;
};

static void *
wind_down_main(void *arg)
{
	struct wind_down *w = arg;

	probe_engine_stop(w->engine);
	tui_control_stop(w->control);
	atomic_store(&w->done, true);
	wake();
	return NULL;
}

/* Say once, when the stop takes a while, how to cut it short. */
static int
hint_wait(struct tui_dashboard *d, int64_t *hint_at)
{
	int64_t left = *hint_at - clock_mono_ms();

	if (*hint_at == 0)
		return -1;
	if (left > 0)
		return (int)left;
	*hint_at = 0;
	if (!d->closed)
		fprintf(stderr, "luna: waiting for the probes in flight; "
		                "Ctrl-C again stops at once\n");
	return -1;
}

/*
 * Stop ENGINE (its probes in flight finish, and are logged) and the
 * mock's worker on a thread of their own, so that one more SIGINT or
 * SIGTERM than the SEEN ones can cut the wait short: then false, and
 * both run on.
 */
static bool
wind_down(struct tui_dashboard *d, struct probe_engine *engine, int seen)
{
	struct wind_down *w = xcalloc(1, sizeof *w);
	struct pollfd p = {.fd = wake_fds[0], .events = POLLIN};
	int64_t hint_at = clock_mono_ms() + HINT_MS;
	char buf[16];
	pthread_t t;
	ssize_t n;

	w->engine = engine;
	w->control = d->control;
	atomic_init(&w->done, false);
	if (pthread_create(&t, NULL, wind_down_main, w) != 0) {
		/* No thread to spare: stop here, and wait it out. */
		wind_down_main(w);
		free(w);
		return true;
	}
	while (!atomic_load(&w->done) && interrupts == seen) {
		if (poll(&p, 1, hint_wait(d, &hint_at)) <= 0)
			continue;
		n = read(wake_fds[0], buf, sizeof buf); /* emptied, to wait */
		(void)n;
	}
	if (!atomic_load(&w->done))
		return false; /* w stays with the thread: luna exits now */
	pthread_join(t, NULL);
	free(w);
	return true;
}

int
tui_dashboard_run(struct tui_dashboard *d, struct probe_engine *engine,
    struct tui_dashboard_end *end, char *err, size_t errlen)
{
	struct sigaction old[3];
	int seen;

	memset(end, 0, sizeof *end);
	if (catch_signals(old, err, errlen) != 0) {
		probe_engine_stop(engine);
		return -1;
	}
	if (open_screen(d, err, errlen) != 0) {
		release_signals(old);
		probe_engine_stop(engine);
		return -1;
	}
	d->engine = engine;
	d->started_ms = clock_mono_ms();
	if (d->c.mock != NULL)
		d->control = tui_control_start(d->c.mock);
	if (d->c.note != NULL) {
		say(d, "%s", d->c.note);
		d->message_until_ms = d->started_ms + NOTE_MS;
	}
	timeout(0);
	run_loop(d);
	seen = interrupts;
	tell_end(d, end);

	/* The terminal first: neither the probes nor the mock wait for it. */
	tui_control_cancel(d->control);
	close_screen(d);
	end->skipped = engine != NULL ? probe_engine_skipped(engine) : 0;
	d->engine = NULL;
	if (!wind_down(d, engine, seen)) {
		end->forced = last_signal;
		return 0;
	}
	d->control = NULL;
	release_signals(old);
	return 0;
}
