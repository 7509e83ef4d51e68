/* Speaker phrases of the quote extractor: the noun phrase around a cue verb
 * ("State Department spokesman John Kirby", "a senior official", "the
 * health ministry", "he") and its description as a speaker.  Internal to
 * the quote*.c modules.  Token indexes are 0-based; ranges [a, b] are
 * inclusive; -1 means none. */
#ifndef LEDE_QUOTENP_H
#define LEDE_QUOTENP_H

#include "quotectx.h"

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
