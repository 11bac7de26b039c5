/*
 * Small helpers shared by the libFuzzer targets: a checked assertion
 * that stays on in every build, and the input as a C string.
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort with MSG when COND is false: libFuzzer saves the input. */
#define fuzz_assert(cond, msg)                                                 \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__,         \
			    __LINE__, (msg));                                  \
			abort();                                               \
		}                                                              \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* DATA copied with a NUL after it (NULs inside stay); caller frees. */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * True when MSG reads as luna's errors do: not empty, and one line
 * unless the bad value INPUT it quotes holds a line break itself.
 */
static inline int
fuzz_error_ok(const char *msg, const char *input)
{
	return msg[0] != '\0' &&
	       (strchr(msg, '\n') == NULL || strchr(input, '\n') != NULL);
}

#endif
