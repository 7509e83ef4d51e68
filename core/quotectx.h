/* The per-article context of the quote extractor: the article's text and
 * tokens, the word classes of its tokens (looked up on first use), and one
 * memory arena for everything found in it, freed at once.  Internal to the
 * quote*.c modules.  Token indexes are 0-based; ranges [a, b] are
 * inclusive; -1 means none. */
#ifndef LEDE_QUOTECTX_H
#define LEDE_QUOTECTX_H

#include "grow.h"
#include "quoteword.h"

#include <stddef.h>
#include <stdint.h>

typedef struct person_name {
    const char *key, *name;
} person_name;

typedef struct qctx {
    const lede_quoter *q;
    const char *text;
    size_t len;
    const lede_token *t;
    int n;
    const char *folds;
    uint32_t *bits; /* word classes per token, filled on first use */
    uint8_t *wid, *gender, *known;
    char *arena;    /* chain of blocks for everything of one article */
    size_t arena_used, arena_cap;
    int oom;
    char *lower;    /* the text in ASCII lower case, made on first use */
    int present;    /* the cue in hand is in the present tense ("says"): so may its clause be */
    person_name *persons; /* surname -> full name printed in the article (quotename.c) */
    size_t n_persons, cap_persons;
} qctx;

/* ---- memory of the article (freed at once) ---- */
void *qc_alloc(qctx *c, size_t n);
char *qc_strndup(qctx *c, const char *s, size_t n);
/* The text of tokens [a, b], copied. */
const char *qc_text(qctx *c, int a, int b);
/* Frees the arena: everything qc_alloc gave. */
void qc_arena_free(qctx *c);

/* Growable arrays of the article, kept in one place to free them.  On
 * failure the item is dropped and c->oom set, which the caller checks once
 * at the end instead of after every push. */
#define VEC_PUSH(c, v, n, cap, item)                                                                          \
    do {                                                                                                     \
        if (lede_grow((void **)&(v), &(cap), (n) + 1, sizeof *(v)) != LEDE_OK)                               \
            (c)->oom = 1;                                                                                    \
        else                                                                                                 \
            (v)[(n)++] = (item);                                                                             \
    } while (0)

/* ---- tokens ---- */
static inline int qc_kind(const qctx *c, int i)
{
    return c->t[i].kind;
}
static inline unsigned qc_flags(const qctx *c, int i)
{
    return c->t[i].flags;
}
static inline int qc_is_word(const qctx *c, int i)
{
    return c->t[i].kind == LEDE_TOK_WORD;
}
static inline int qc_is_quote(const qctx *c, int i)
{
    int k = c->t[i].kind;
    return k == LEDE_TOK_OPEN_QUOTE || k == LEDE_TOK_CLOSE_QUOTE || k == LEDE_TOK_AMBIG_QUOTE;
}
static inline const char *qc_fold(const qctx *c, int i, size_t *len)
{
    *len = c->t[i].fold_len;
    return c->folds + c->t[i].fold;
}
void qc_classify(qctx *c, int i);
static inline uint32_t qc_bits(qctx *c, int i)
{
    if (!c->known[i])
        qc_classify(c, i);
    return c->bits[i];
}
static inline int qc_wid(qctx *c, int i)
{
    if (!c->known[i])
        qc_classify(c, i);
    return c->wid[i];
}
static inline int qc_has(qctx *c, int i, uint32_t bits)
{
    return i >= 0 && i < c->n && (qc_bits(c, i) & bits) != 0;
}
static inline int qc_is(qctx *c, int i, int wid)
{
    return i >= 0 && i < c->n && qc_wid(c, i) == wid;
}
/* Ends in "ing", "ed", "s" (folded). */
int qc_ends(const qctx *c, int i, const char *suffix);

/* ---- punctuation ---- */
/* Ends a sentence: . ! ? or an ellipsis. */
static inline int qc_is_final(qctx *c, int i)
{
    int w = qc_wid(c, i);
    return w == W_PERIOD || w == W_EXCL || w == W_QUEST || w == W_ELLIPSIS;
}

/* May trail a quote or clause without belonging to it. */
static inline int qc_is_trail(qctx *c, int i)
{
    int w = qc_wid(c, i);
    return w == W_COMMA || w == W_SEMI || w == W_COLON || qc_kind(c, i) == LEDE_TOK_DASH;
}

/* Ends a comma-separated speaker piece like a comma does, but more firmly. */
static inline int qc_is_strong(qctx *c, int i)
{
    int w = qc_wid(c, i);
    return w == W_SEMI || w == W_COLON || w == W_LPAREN || w == W_RPAREN;
}

/* Words and numbers in [a, b]. */
static inline int qc_words_in(qctx *c, int a, int b)
{
    int n = 0;
    for (int k = a; k <= b; k++)
        n += qc_kind(c, k) == LEDE_TOK_WORD || qc_kind(c, k) == LEDE_TOK_NUMBER;
    return n;
}

#endif
