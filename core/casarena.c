/* Per-article memory of the casualties extractor: see casart.h.  A bump
 * allocator over a list of blocks, so that an article's tokens, figures
 * and strings are freed at once; the blocks are kept for the next article
 * (memory fresh from the system costs a page fault per page, more than the
 * work done on it). */
#include "casart.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_BYTES (16u * 1024u)
/* Requests above this get a block of their own, so that they neither
 * waste the rest of the current block nor force a bigger standard block. */
#define BIG_BYTES (BLOCK_BYTES / 4)
/* Standard blocks kept for the next article, at most (4 MiB). */
#define SPARE_MAX 256
#define ALIGN (_Alignof(max_align_t))

typedef struct block {
    struct block *next;
    int big; /* a block of its own for one request: not kept */
    max_align_t data[]; /* the bytes handed out, aligned for any type */
} block;

struct cas_arena {
    block *blocks; /* the current block first */
    char *cur;     /* free bytes of the current block: [cur, cur + left) */
    size_t left;
    block *spare;  /* standard blocks of earlier articles */
    size_t n_spare;
};

int cas_arena_new(cas_arena **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? LEDE_OK : LEDE_ENOMEM;
}

static void free_list(block *b)
{
    for (block *next; b; b = next) {
        next = b->next;
        free(b);
    }
}

void cas_arena_free(cas_arena *ar)
{
    if (ar == NULL)
        return;
    free_list(ar->blocks);
    free_list(ar->spare);
    free(ar);
}

void cas_arena_reset(cas_arena *ar)
{
    for (block *b = ar->blocks, *next; b; b = next) {
        next = b->next;
        if (b->big || ar->n_spare >= SPARE_MAX) {
            free(b);
        } else {
            b->next = ar->spare;
            ar->spare = b;
            ar->n_spare++;
        }
    }
    ar->blocks = NULL;
    ar->cur = NULL;
    ar->left = 0;
}

static block *new_block(size_t bytes, int big)
{
    if (bytes > SIZE_MAX - sizeof(block))
        return NULL;
    block *b = malloc(sizeof(block) + bytes);
    if (b)
        b->big = big;
    return b;
}

/* A big request: its own block, linked behind the current one so that the
 * current block's free bytes stay in use. */
static void *alloc_big(cas_arena *ar, size_t n)
{
    block *b = new_block(n, 1);
    if (b == NULL)
        return NULL;
    if (ar->blocks) {
        b->next = ar->blocks->next;
        ar->blocks->next = b;
    } else {
        ar->blocks = b;
    }
    return b->data;
}

static void *alloc_fresh(cas_arena *ar, size_t n)
{
    block *b = ar->spare;
    if (b) {
        ar->spare = b->next;
        ar->n_spare--;
    } else if ((b = new_block(BLOCK_BYTES, 0)) == NULL) {
        return NULL;
    }
    b->next = ar->blocks;
    ar->blocks = b;
    ar->cur = (char *)b->data + n;
    ar->left = BLOCK_BYTES - n;
    return b->data;
}

void *cas_alloc(cas_art *a, size_t n)
{
    cas_arena *ar = a->arena;
    if (n > SIZE_MAX - ALIGN)
        return NULL;
    n = n == 0 ? ALIGN : (n + ALIGN - 1) & ~(ALIGN - 1);
    void *p;
    if (n <= ar->left) {
        p = ar->cur;
        ar->cur += n;
        ar->left -= n;
    } else {
        p = n > BIG_BYTES ? alloc_big(ar, n) : alloc_fresh(ar, n);
    }
    return p ? memset(p, 0, n) : NULL;
}

char *cas_strndup(cas_art *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = cas_alloc(a, len + 1);
    if (p && len)
        memcpy(p, s, len);
    return p;
}
