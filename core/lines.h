/* The lines of a text and their features, in one pass in C: what
 * line-level analyses (boilerplate detection, after jusText and
 * boilerpipe) read for every line — word counts, capitalised words,
 * function words, menu separators, final punctuation — a normal form
 * ("key") for comparing lines with lexicons and with each other, and the
 * phrases of word sets found in each key.  Lua sees them as lede.lines,
 * lede.line_key and lede.wordset (lualines.h). */
#ifndef LEDE_LINES_H
#define LEDE_LINES_H

#include <stddef.h>
#include <stdint.h>

/* The key of s[0..len): words case-folded with accents and other marks
 * removed (NFKC-compatible forms), each run of digits written "0", words
 * joined by one space ("Comments (12)" -> "comments 0", "Publié le 3 mai"
 * -> "publie le 0 mai").  Words are runs of letters, marks and digits; an
 * apostrophe or a hyphen splits them ("it's" -> "it s").  Writes at most
 * cap - 1 bytes and a NUL into out (cap > 0), ending on a whole character,
 * and returns the length written; 2 * len + 16 bytes hold the key of any
 * text but a few compatibility ligatures, which are cut. */
size_t lede_line_key(char *out, size_t cap, const char *s, size_t len);

/* A set of entries in key form (a word or a phrase of words), each with an
 * optional value (a number > 0 chosen by the caller, 0 for none). */
typedef struct lede_wordset lede_wordset;

/* Creates an empty set.  *out is owned by the caller (lede_wordset_free).
 * Returns LEDE_OK or LEDE_ENOMEM. */
int lede_wordset_new(lede_wordset **out);
void lede_wordset_free(lede_wordset *ws);

/* Adds the key of s[0..len) as one entry with `value`; an entry added
 * twice keeps its first value; an empty key is ignored.  Returns LEDE_OK
 * or LEDE_ENOMEM. */
int lede_wordset_add(lede_wordset *ws, const char *s, size_t len, uint32_t value);

/* The entry `key` (len bytes, already in key form): 1 and its value in
 * *value (may be NULL) when present, else 0. */
int lede_wordset_get(const lede_wordset *ws, const char *key, size_t len, uint32_t *value);

/* The leftmost, then longest, entry found in `key` (already in key form)
 * starting and ending at word boundaries; with `anchored`, only at its
 * start.  Returns 1 and sets *at (byte offset in key), *n (its length) and
 * *value, or returns 0. */
int lede_wordset_find(const lede_wordset *ws, const char *key, size_t len, int anchored, size_t *at, size_t *n,
                      uint32_t *value);

/* lede_wordset_find for n_sets sets at once, hashing the words of key
 * once: for each set s, found[s] is 1 and values[s], at[s], n[s] describe
 * its entry, or found[s] is 0. */
void lede_wordsets_find(const lede_wordset *const *sets, const int *anchored, size_t n_sets, const char *key,
                        size_t len, int *found, uint32_t *values, size_t *at, size_t *n);

/* Number of entries. */
size_t lede_wordset_size(const lede_wordset *ws);

/* One non-empty line of a text, trimmed of ASCII white space. */
typedef struct lede_line {
    uint32_t start, end;    /* bytes [start, end) of the text */
    uint32_t words;
    uint32_t capitalised;   /* words whose first letter is upper or title case */
    uint32_t numbers;       /* words starting with a digit */
    uint32_t stopwords;     /* words that are one-word entries of the wordset given to the scan */
    uint32_t separators;    /* | · • › » ∙ and / > between spaces: menus, breadcrumbs */
    uint32_t symbols;       /* other symbols (Unicode So): © ® ° ™, pictographs */
    uint8_t gap;            /* a blank line, or the start of the text, comes before it */
    uint8_t ends_sentence;  /* ends in . ! ? or … before closing quotes, brackets, dashes */
    uint64_t hash;          /* lede_hash64 of the line's bytes */
} lede_line;

/* Scans text[0..len): *out receives the *n lines (malloc'd, owned by the
 * caller; NULL when there are none).  `stopwords` may be NULL (every
 * stopwords count is then 0).  Time and memory are linear in len.
 * Returns LEDE_OK, LEDE_ENOMEM, or LEDE_ELIMIT for a text of 4 GiB or more. */
int lede_lines_scan(lede_line **out, size_t *n, const char *text, size_t len, const lede_wordset *stopwords);

#endif
