/* The tokenizer: one line of NFC text to lede_tokens (see lede.h for kinds
 * and flags).  Rules worth knowing (each has unit tests):
 *  - Abbreviations keep their period (LEDE_TF_ABBREV): entries of the
 *    language's list ("Gen.", "etc."; "No." only before a number), single
 *    capital initials ("J."), and initialisms of one- or two-letter parts
 *    joined by periods ("U.S.", "e.g.", "Ph.D.").
 *  - Numbers: digits joined by , . : / or - to more digits (400,000  1.2
 *    19:58  9/11  30-40), groups of three digits after a no-break, thin or
 *    narrow no-break space (70 000), a letter suffix (25th with
 *    LEDE_TF_ORDINAL, 1990s, 5km) and a directly attached % (5% is one
 *    NUMBER token; a detached % is a SYMBOL).  A number hyphenated to a word
 *    is a WORD (5-year-old).  ’90s and '95 are NUMBERs with LEDE_TF_ELISION.
 *  - Words join letters, digits and marks; a hyphen between two alphanumerics
 *    (LEDE_TF_HYPHENATED); an apostrophe (' ’) before a letter; "AT&T".
 *    Apostrophes inside words are never quote tokens.  A trailing apostrophe
 *    after s (the Russians’ plan) is a possessive kept in the word unless a
 *    single quote opened earlier in the line is still open, in which case it
 *    closes that quote (‘concrete steps’ to).  LEDE_TF_POSSESSIVE marks 's and
 *    s'; LEDE_TF_ELISION marks n't 're 've 'll 'd 'm, 's after a pronoun
 *    (it’s, that's), and French/Italian elided articles (l'armée, d'un).
 *  - Quotes: a quote preceded by white space, line start, an open bracket,
 *    an opening quote or a dash is in opening context; one followed by white
 *    space, line end, closing punctuation or a dash (or another quote, when
 *    not in opening context: ’” "') is in closing context.
 *    Exactly one context decides; otherwise curly quotes and guillemets
 *    keep their own direction and straight quotes are AMBIG.
 *  - Dashes: runs of — – ― ‒ and of two or more hyphens, and any hyphen not
 *    joining two alphanumerics.  Ellipses: … and runs of two or more periods.
 *  - URLs: scheme:// and www. forms and bare domains ending in a known or
 *    two-letter top-level domain (Lakeside.com, bbc.co.uk/news); e-mails;
 *    @mentions and #hashtags (with a letter) not preceded by an alphanumeric.
 *    Initialisms, e-mails and domains are only looked for where a chain of
 *    their characters starts (not right after . - _ @ or a letter), which
 *    keeps the tokenizer linear on text like "ab.ab.ab...".
 *  - Case fold: ASCII tokens fold to their lower-case bytes; tokens with
 *    other bytes go through utf8proc case folding, with ’ and ʼ inside words
 *    and numbers folded to '.
 *  - No token is longer than LEDE_TOKEN_MAX_BYTES; longer runs are cut. */
#ifndef LEDE_TOKENIZE_H
#define LEDE_TOKENIZE_H

#include "abbrev.h"
#include "lede.h"

#include <stddef.h>
#include <stdint.h>

#define LEDE_TOKEN_MAX_BYTES 4096

struct lede_tokenizer {
    lede_abbrev *abbrev;
};

/* Tokens and folds of a document, grown geometrically.  folds starts with a
 * copy of the whole text, lower-cased where tokens hold ASCII capitals, so an
 * ASCII token's fold offset is its start; folds of other tokens are appended
 * after it. */
typedef struct lede_tokens {
    lede_token *v;
    size_t n, cap;
    char *folds;
    size_t folds_len, folds_cap;
} lede_tokens;

/* Allocates folds (starting with a copy of text[0..len)) and room for the
 * tokens a text of that size usually needs.  Returns LEDE_OK or LEDE_ENOMEM;
 * on error the caller still releases *t with lede_tokens_release. */
int lede_tokens_init(lede_tokens *t, const char *text, size_t len);
void lede_tokens_release(lede_tokens *t);

/* Appends the tokens of the line of text[0..len) that starts at `start` to t
 * (the same text given to lede_tokens_init), and sets *next to the start of
 * the following line (len at the end).  Returns LEDE_OK, LEDE_ENOMEM, or
 * LEDE_ELIMIT when folds outgrow 4 GiB. */
int lede_tokenize_line(lede_tokens *t, const lede_tokenizer *tk, const char *text, size_t len, size_t start,
                       size_t *next);

/* Byte length of the white space (or other invisible separator the tokenizer
 * skips) at s[0..n), or 0 when s starts with something a token covers. */
size_t lede_space_len(const char *s, size_t n);

/* Byte length of the line break at s[0..n) (\n, \r\n, \r, U+0085, U+2028,
 * U+2029), or 0. */
size_t lede_line_break_len(const char *s, size_t n);

#endif
