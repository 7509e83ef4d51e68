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

/* s[0, len) with each code point mapped by utf8proc_tolower (upper:
 * utf8proc_toupper); bytes that are not UTF-8 are kept.  Writes to out
 * unless it is NULL (it needs the length a NULL call returns); returns the
 * length.  What lede.lower and lede.upper give a plugin. */
size_t lede_text_change_case(char *out, const char *s, size_t len, int upper);

/* s[0, len) case-folded and composed (NFC), ASCII lower-cased directly:
 * what lede.fold gives a plugin.  *out is malloc'd (the caller frees it),
 * *n its length.  Returns LEDE_OK, LEDE_ENOMEM or LEDE_EUTF8. */
int lede_text_fold(char **out, size_t *n, const char *s, size_t len);

/* Reads the four hex digits at p (all four must be readable) into *out, as
 * in a JSON \uXXXX escape.  Returns 0, or -1 when one is not a hex digit. */
int lede_hex4(unsigned *out, const char *p);

#endif
