/* The per-article context of the quote extractor: see quotectx.h. */
#include "quotectx.h"

#include <stdlib.h>
#include <string.h>

/* ---- article memory ---- */

#define ARENA_BLOCK 16384

void *qc_alloc(qctx *c, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (c->arena == NULL || c->arena_used + n > c->arena_cap) {
        size_t cap = n + sizeof(char *) > ARENA_BLOCK ? n + 64 : ARENA_BLOCK;
        char *block = malloc(cap);
        if (block == NULL) {
            c->oom = 1;
            return NULL;
        }
        memcpy(block, &c->arena, sizeof(char *));
        c->arena = block;
        c->arena_used = 16; /* keeps the alignment of what follows the link */
        c->arena_cap = cap;
    }
    void *p = c->arena + c->arena_used;
    c->arena_used += n;
    return p;
}

char *qc_strndup(qctx *c, const char *s, size_t n)
{
    char *d = qc_alloc(c, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

const char *qc_text(qctx *c, int a, int b)
{
    if (a < 0 || b < a)
        return NULL;
    return qc_strndup(c, c->text + c->t[a].start, c->t[b].end - c->t[a].start);
}

void qc_arena_free(qctx *c)
{
    char *block = c->arena;
    while (block) {
        char *next;
        memcpy(&next, block, sizeof next);
        free(block);
        block = next;
    }
    c->arena = NULL;
}

/* ---- word classes ---- */

void qc_classify(qctx *c, int i)
{
    c->known[i] = 1;
    size_t n;
    const char *w = qc_fold(c, i, &n);
    const qw_entry *e = qw_find(&c->q->words, w, n);
    if (e) {
        c->bits[i] = e->bits;
        c->wid[i] = e->wid;
        c->gender[i] = e->gender;
    }
    if (n > 1 && w[n - 1] == '.') { /* "Dr.", "Gen.": the title without its period */
        const qw_entry *b = qw_find(&c->q->words, w, n - 1);
        if (b) {
            c->bits[i] |= b->bits & (QW_TITLE | QW_ROLE | QW_ORG);
            if (!c->gender[i])
                c->gender[i] = b->gender;
        }
    }
}

int qc_ends(const qctx *c, int i, const char *suffix)
{
    size_t n, k = strlen(suffix);
    const char *w = qc_fold(c, i, &n);
    return n >= k && memcmp(w + n - k, suffix, k) == 0;
}
