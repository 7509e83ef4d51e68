/* A small, fast, portable 64-bit hash.  Its values are stored in databases
 * (article.hash), so the function must never change: input is read as
 * little-endian 64-bit words on every host. */
#ifndef LEDE_HASH_H
#define LEDE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Hash of `len` bytes at `data` (NULL allowed when len is 0), chained
 * through `seed`: hashing a sequence of fields is
 * h = lede_hash64(f2, n2, lede_hash64(f1, n1, 0)). */
uint64_t lede_hash64(const void *data, size_t len, uint64_t seed);

/* Writes `h` as 16 lower-case hex digits and a NUL into out[17]. */
void lede_hash_hex(char out[17], uint64_t h);

/* Parses 16 hex digits (either case).  Returns 0 on success, -1 when `hex`
 * is not exactly 16 hex digits. */
int lede_hash_parse(uint64_t *out, const char *hex);

#endif
