/* Byte scans of a text for capitalised words, eight bytes at a time where
 * most of a text holds no capital: what lede.scan.suffixed (luascan.c)
 * and the casualties extractor's places (casplace.c) both read.  Pure
 * functions over borrowed text. */
#ifndef LEDE_SCAN_H
#define LEDE_SCAN_H

#include <stddef.h>

/* Whether the eight bytes at s hold an ASCII capital, or with c3 the byte
 * 0xC3 (the lead byte of À-ß) too. */
int lede_scan_has_capital8(const unsigned char *s, int c3);

/* The next capitalised word of text[*pos, len) that ends in the suffix
 * suf[0, n_suf) and comes before a lower-case word, as lede.scan.suffixed
 * defines it (luascan.h): 1 with the word at [*start, *stop) and *pos past
 * the lower-case letter after it; 0 (and *pos = len) when there is none. */
int lede_scan_suffixed(const char *text, size_t len, const char *suf, size_t n_suf, size_t *pos, size_t *start,
                       size_t *stop);

#endif
