/* Cleaning raw input into the text lede stores: valid UTF-8 in NFC. */
#ifndef LEDE_TEXT_H
#define LEDE_TEXT_H

#include <stddef.h>

/* Replaces each invalid UTF-8 sequence of `in` by U+FFFD and normalises the
 * result to NFC.  *out is malloc'd, NUL-terminated, owned by the caller.
 * *repairs receives the number of sequences replaced and *first_bad the byte
 * offset in `in` of the first one (SIZE_MAX when none).  Returns LEDE_OK or
 * LEDE_ENOMEM. */
int lede_text_clean(char **out, size_t *out_len, size_t *repairs, size_t *first_bad,
                    const char *in, size_t len);

/* Non-zero when `in` looks like a binary file rather than text: a NUL byte,
 * or many control bytes, in its first 8 KiB. */
int lede_text_is_binary(const char *in, size_t len);

/* Writes code point cp (at most U+10FFFF) as UTF-8 to out; returns the
 * number of bytes, 1 to 4.  No check: callers pass what they decoded. */
size_t lede_utf8_put(char out[4], unsigned cp);

/* Reads the four hex digits at p (all four must be readable) into *out, as
 * in a JSON \uXXXX escape.  Returns 0, or -1 when one is not a hex digit. */
int lede_hex4(unsigned *out, const char *p);

#endif
