/* The floor baseline: the simplest useful tokenizer, to put lede's speed in
 * perspective.  See bench/README.md. */
#ifndef LEDE_BENCH_FLOOR_H
#define LEDE_BENCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

typedef struct floor_span {
    uint32_t start, end;
} floor_span;

/* Splits `n` bytes of `text` into tokens: runs of letters, digits and bytes
 * >= 0x80, and each ASCII punctuation byte alone; white space and control
 * bytes separate.  Writes the byte ranges to `spans`, which must have room
 * for `n` entries (no text has more tokens than bytes), and returns their
 * number.  `n` must be below 2^32. */
size_t floor_split(floor_span *spans, const char *text, size_t n);

#endif
