/*
 * Short, fixed-width renderings of the numbers the dashboard shows:
 * latencies, percentages, uptimes and clock times. Pure functions.
 */
#ifndef TUI_FORMAT_H
#define TUI_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* Latency MS as "0.4ms", "12ms", "1.25s", "75s"; "-" when negative. */
void tui_format_ms(double ms, char *buf, size_t len);

/* A 0..1 RATE as "0%", "2.5%", "100%"; "-" when negative. */
void tui_format_pct(double rate, char *buf, size_t len);

/* An uptime of SECONDS as "42s", "3m05s", "2h03m", "4d02h". */
void tui_format_uptime(int64_t seconds, char *buf, size_t len);

/* Wall time WALL_MS as local "HH:MM:SS" (MILLIS adds ".mmm"). */
void tui_format_clock(int64_t wall_ms, int millis, char *buf, size_t len);

/*
 * Copy S into BUF padded with blanks or cut to exactly WIDTH bytes (a
 * cut one ends in '~'); returns the bytes written, BUF NUL-terminated.
 */
size_t tui_format_cell(const char *s, size_t width, char *buf, size_t len);

#endif
