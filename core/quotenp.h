/* Speaker phrases of the quote extractor: the noun phrase around a cue verb
 * ("State Department spokesman John Kirby", "a senior official", "the
 * health ministry", "he") and its description as a speaker.  Also the
 * per-article context both quote.c and quotenp.c work on.  Token indexes
 * are 0-based; ranges [a, b] are inclusive; -1 means none. */
#ifndef LEDE_QUOTENP_H
#define LEDE_QUOTENP_H

#include "quoteword.h"

#include <stddef.h>
#include <stdint.h>

typedef struct speaker speaker;

struct speaker {
    lede_speaker_type type;
    const char *name, *written, *role;
    const char *head; /* folded head noun of a description ("governor") */
    const char *key;  /* folded surname of a person */
    int plural, gender, definite, indefinite;
    int pron;         /* word id of a pronoun to resolve, else 0 */
    int desc;         /* a description to resolve: "the governor" */
    speaker **members; /* "A and B" */
    int n_members;
    int a, e;         /* tokens of the phrase (head e) */
};

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
    person_name *persons; /* surname -> full name printed in the article */
    size_t n_persons, cap_persons;
} qctx;

/* ---- memory of the article (freed at once) ---- */
void *qc_alloc(qctx *c, size_t n);
char *qc_strndup(qctx *c, const char *s, size_t n);
/* The text of tokens [a, b], copied. */
const char *qc_text(qctx *c, int a, int b);

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

/* Is `word` (a token) the surname of a person named in the article? */
int qc_is_person(qctx *c, int i);

/* ---- speaker phrases ---- */
int np_is_cap(qctx *c, int i);
int np_is_pron(qctx *c, int i);
int np_ends_ing(qctx *c, int i);
int np_verb_ed(qctx *c, int i);
int np_head(qctx *c, int i);
/* Start of the noun phrase with head j, no further back than lo; -1 if none. */
int np_back(qctx *c, int j, int lo);
/* Head of the noun phrase starting at a (up to b), -1 if none; *stop gets
 * the token where the scan stopped. */
int np_fwd(qctx *c, int a, int b, int *stop);
/* A finite verb in [a, b] before any relative pronoun. */
int np_finite(qctx *c, int a, int b);

enum { PIECE_CLAUSE = 0, PIECE_NP, PIECE_REL, PIECE_PART, PIECE_AGE, PIECE_TIME };
/* What the comma-separated piece [a, b] of an attribution is; *head for
 * PIECE_NP.  fwd: the piece follows its cue ("said X, ..."). */
int np_piece(qctx *c, int a, int b, int fwd, int *head);

/* A speaker phrase made of comma-separated pieces: tokens [a, b] with head h. */
typedef struct phrase_piece {
    int a, b, h, kind;
} phrase_piece;

/* Describes the phrase made of pieces (the first the phrase itself, the
 * others appositions): NULL when it names no speaker. */
speaker *np_describe(qctx *c, const phrase_piece *pieces, int n);

#endif
