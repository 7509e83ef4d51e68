/* Lexicons as a token trie whose edges live in one open-addressing hash
 * table keyed by (parent node, folded token): see lexicon.h. */
#include "lexicon.h"

#include "doc.h"
#include "grow.h"
#include "hash.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

#define NO_VALUE UINT32_MAX
#define PARENT_MIX 0x9E3779B97F4A7C15ull
/* Most tokens of a text start no entry: a bit per first-token hash (its top
 * bits, which the edge table's slot does not use) rules them out before any
 * probe. */
#define FIRST_BITS 14
#define FIRST_WORDS ((1u << FIRST_BITS) / 64)

typedef struct edge {
    uint64_t hash;
    uint32_t parent, child; /* child 0 marks an empty slot: the root is no one's child */
    uint32_t off, len;      /* the folded token in the arena */
} edge;

typedef struct value_ref {
    uint32_t off, len;
} value_ref;

struct lede_lexicon {
    uint32_t *node_value; /* per node: index into values, or NO_VALUE */
    size_t n_nodes, cap_nodes;
    edge *edges;
    size_t n_edges, mask;
    char *arena;
    size_t arena_len, arena_cap;
    value_ref *values;
    size_t n_values, cap_values;
    size_t n_entries;
    uint64_t first[FIRST_WORDS]; /* the filter of first tokens */
};

static int arena_add(lede_lexicon *lx, const char *s, size_t n, uint32_t *off)
{
    if (lede_grow((void **)&lx->arena, &lx->arena_cap, lx->arena_len + n + 1, 1) != LEDE_OK)
        return LEDE_ENOMEM;
    memcpy(lx->arena + lx->arena_len, s, n);
    lx->arena[lx->arena_len + n] = '\0';
    *off = (uint32_t)lx->arena_len;
    lx->arena_len += n + 1;
    return LEDE_OK;
}

static uint64_t edge_hash(uint64_t token_hash, uint32_t parent)
{
    return token_hash ^ ((uint64_t)(parent + 1) * PARENT_MIX);
}

static uint32_t find_child(const lede_lexicon *lx, uint32_t parent, const char *s, size_t n, uint64_t th)
{
    if (lx->edges == NULL)
        return 0;
    uint64_t h = edge_hash(th, parent);
    for (size_t i = (size_t)h & lx->mask;; i = (i + 1) & lx->mask) {
        const edge *e = &lx->edges[i];
        if (e->child == 0)
            return 0;
        if (e->hash == h && e->parent == parent && e->len == n && memcmp(lx->arena + e->off, s, n) == 0)
            return e->child;
    }
}

static int rehash(lede_lexicon *lx, size_t cap)
{
    edge *fresh = calloc(cap, sizeof *fresh);
    if (fresh == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; lx->edges && i <= lx->mask; i++) {
        if (lx->edges[i].child == 0)
            continue;
        size_t j = (size_t)lx->edges[i].hash & (cap - 1);
        while (fresh[j].child)
            j = (j + 1) & (cap - 1);
        fresh[j] = lx->edges[i];
    }
    free(lx->edges);
    lx->edges = fresh;
    lx->mask = cap - 1;
    return LEDE_OK;
}

static int new_node(lede_lexicon *lx, uint32_t *id)
{
    if (lede_grow((void **)&lx->node_value, &lx->cap_nodes, lx->n_nodes + 1, sizeof *lx->node_value) != LEDE_OK)
        return LEDE_ENOMEM;
    lx->node_value[lx->n_nodes] = NO_VALUE;
    *id = (uint32_t)lx->n_nodes++;
    return LEDE_OK;
}

static uint64_t first_bit(uint64_t token_hash, size_t *word)
{
    uint64_t b = token_hash >> (64 - FIRST_BITS);
    *word = (size_t)(b >> 6);
    return 1ull << (b & 63);
}

static int may_start(const lede_lexicon *lx, uint64_t token_hash)
{
    size_t w;
    uint64_t bit = first_bit(token_hash, &w);
    return (lx->first[w] & bit) != 0;
}

static int add_child(lede_lexicon *lx, uint32_t parent, const char *s, size_t n, uint32_t *child)
{
    uint64_t th = lede_hash64(s, n, 0);
    if (parent == 0) {
        size_t w;
        uint64_t bit = first_bit(th, &w);
        lx->first[w] |= bit;
    }
    if ((*child = find_child(lx, parent, s, n, th)) != 0)
        return LEDE_OK;
    if ((lx->n_edges + 1) * 2 > (lx->edges ? lx->mask + 1 : 0) &&
        rehash(lx, lx->edges ? (lx->mask + 1) * 2 : 64) != LEDE_OK)
        return LEDE_ENOMEM;
    edge e = {edge_hash(th, parent), parent, 0, 0, (uint32_t)n};
    if (new_node(lx, &e.child) != LEDE_OK || arena_add(lx, s, n, &e.off) != LEDE_OK)
        return LEDE_ENOMEM;
    size_t i = (size_t)e.hash & lx->mask;
    while (lx->edges[i].child)
        i = (i + 1) & lx->mask;
    lx->edges[i] = e;
    lx->n_edges++;
    *child = e.child;
    return LEDE_OK;
}

static int add_value(lede_lexicon *lx, const char *s, size_t n, uint32_t *index)
{
    if (lede_grow((void **)&lx->values, &lx->cap_values, lx->n_values + 1, sizeof *lx->values) != LEDE_OK)
        return LEDE_ENOMEM;
    value_ref *v = &lx->values[lx->n_values];
    v->len = (uint32_t)n;
    if (arena_add(lx, s, n, &v->off) != LEDE_OK)
        return LEDE_ENOMEM;
    *index = (uint32_t)lx->n_values++;
    return LEDE_OK;
}

/* One entry line split into the entry and its value, trimmed. */
typedef struct line_ref {
    size_t start, end;      /* the entry, in the cleaned data */
    size_t vstart, vend;    /* the value, or the entry itself */
} line_ref;

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static int split_lines(line_ref **out, size_t *n_out, const char *s, size_t len)
{
    line_ref *lines = NULL;
    size_t n = 0, cap = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len, next = nl ? end + 1 : len;
        size_t a = pos, b = end;
        while (a < b && is_blank(s[a]))
            a++;
        if (a < b && s[a] != '#') {
            const char *tab = memchr(s + a, '\t', b - a);
            size_t ee = tab ? (size_t)(tab - s) : b, va = tab ? ee + 1 : a, vb = b;
            while (ee > a && is_blank(s[ee - 1]))
                ee--;
            while (va < vb && is_blank(s[va]))
                va++;
            while (vb > va && is_blank(s[vb - 1]))
                vb--;
            if (ee > a) {
                if (lede_grow((void **)&lines, &cap, n + 1, sizeof *lines) != LEDE_OK) {
                    free(lines);
                    return LEDE_ENOMEM;
                }
                lines[n++] = (line_ref){a, ee, tab && vb > va ? va : a, tab && vb > va ? vb : ee};
            }
        }
        pos = next;
    }
    *out = lines;
    *n_out = n;
    return LEDE_OK;
}

/* Adds the entry whose tokens are tokens[first, last) of doc. */
static int add_entry(lede_lexicon *lx, const lede_doc *doc, size_t first, size_t last, const char *value,
                     size_t vlen)
{
    const lede_token *t = lede_doc_tokens(doc, NULL);
    const char *folds = lede_doc_folds(doc, NULL);
    uint32_t node = 0;
    for (size_t i = first; i < last; i++)
        if (add_child(lx, node, folds + t[i].fold, t[i].fold_len, &node) != LEDE_OK)
            return LEDE_ENOMEM;
    if (lx->node_value[node] == NO_VALUE)
        lx->n_entries++;
    return add_value(lx, value, vlen, &lx->node_value[node]);
}

static int build(lede_lexicon *lx, lede_tokenizer *tk, const char *clean, size_t len)
{
    line_ref *lines;
    size_t n_lines;
    if (split_lines(&lines, &n_lines, clean, len) != LEDE_OK)
        return LEDE_ENOMEM;
    /* One analysis of all entries, one per line: line i is block i. */
    size_t total = 0;
    for (size_t i = 0; i < n_lines; i++)
        total += lines[i].end - lines[i].start + 1;
    char *joined = malloc(total + 1);
    size_t *line_at = malloc((n_lines + 1) * sizeof *line_at);
    int rc = joined && line_at ? LEDE_OK : LEDE_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n_lines && rc == LEDE_OK; i++) {
        line_at[i] = k;
        memcpy(joined + k, clean + lines[i].start, lines[i].end - lines[i].start);
        k += lines[i].end - lines[i].start;
        joined[k++] = '\n';
    }
    lede_doc *doc = NULL;
    if (rc == LEDE_OK) {
        joined[k] = '\0';
        rc = lede_doc_analyze_owned(&doc, tk, joined, k);
        joined = NULL;
    }
    size_t n_tok = 0;
    const lede_token *t = rc == LEDE_OK ? lede_doc_tokens(doc, &n_tok) : NULL;
    size_t ti = 0;
    for (size_t i = 0; i < n_lines && rc == LEDE_OK; i++) {
        size_t end = i + 1 < n_lines ? line_at[i + 1] : k;
        size_t first = ti;
        while (ti < n_tok && t[ti].start < end)
            ti++;
        if (ti > first)
            rc = add_entry(lx, doc, first, ti, clean + lines[i].vstart, lines[i].vend - lines[i].vstart);
    }
    lede_doc_free(doc);
    free(joined);
    free(line_at);
    free(lines);
    return rc;
}

int lede_lexicon_new(lede_lexicon **out, lede_tokenizer *tk, const char *data, size_t len)
{
    *out = NULL;
    lede_lexicon *lx = calloc(1, sizeof *lx);
    uint32_t root;
    if (lx == NULL || new_node(lx, &root) != LEDE_OK) {
        lede_lexicon_free(lx);
        return LEDE_ENOMEM;
    }
    char *clean;
    size_t clean_len, repairs, first_bad;
    int rc = lede_text_clean(&clean, &clean_len, &repairs, &first_bad, data, len);
    if (rc == LEDE_OK) {
        rc = build(lx, tk, clean, clean_len);
        free(clean);
    }
    if (rc != LEDE_OK) {
        lede_lexicon_free(lx);
        return rc;
    }
    *out = lx;
    return LEDE_OK;
}

void lede_lexicon_free(lede_lexicon *lx)
{
    if (lx == NULL)
        return;
    free(lx->node_value);
    free(lx->edges);
    free(lx->arena);
    free(lx->values);
    free(lx);
}

size_t lede_lexicon_size(const lede_lexicon *lx) { return lx->n_entries; }

const char *lede_lexicon_value(const lede_lexicon *lx, uint32_t value, size_t *len)
{
    if (value >= lx->n_values)
        return NULL;
    if (len)
        *len = lx->values[value].len;
    return lx->arena + lx->values[value].off;
}

int lede_lexicon_find(lede_lexicon_match **out, size_t *n, const lede_lexicon *lx, const lede_doc *doc,
                       size_t first, size_t last)
{
    *out = NULL;
    *n = 0;
    size_t n_tok;
    const lede_token *t = lede_doc_tokens(doc, &n_tok);
    const char *folds = lede_doc_folds(doc, NULL);
    if (last > n_tok)
        last = n_tok;
    if (first >= last)
        return LEDE_OK;
    const uint64_t *th = lede_doc_fold_hashes(doc);
    if (th == NULL)
        return LEDE_ENOMEM;
    lede_lexicon_match *m = NULL;
    size_t cap = 0, k = 0;
    int rc = LEDE_OK;
    for (size_t i = first; i < last && rc == LEDE_OK;) {
        if (!may_start(lx, th[i])) {
            i++;
            continue;
        }
        uint32_t node = 0, best_value = NO_VALUE;
        size_t best_end = i;
        for (size_t j = i; j < last; j++) {
            node = find_child(lx, node, folds + t[j].fold, t[j].fold_len, th[j]);
            if (node == 0)
                break;
            if (lx->node_value[node] != NO_VALUE) {
                best_value = lx->node_value[node];
                best_end = j + 1;
            }
        }
        if (best_value == NO_VALUE) {
            i++;
            continue;
        }
        if ((rc = lede_grow((void **)&m, &cap, k + 1, sizeof *m)) == LEDE_OK)
            m[k++] = (lede_lexicon_match){(uint32_t)i, (uint32_t)(best_end - 1), best_value};
        i = best_end;
    }
    if (rc != LEDE_OK) {
        free(m);
        return rc;
    }
    *out = m;
    *n = k;
    return LEDE_OK;
}

int lede_lexicon_lookup(uint32_t *value, const lede_lexicon *lx, lede_tokenizer *tk, const char *phrase,
                        size_t len)
{
    lede_doc *doc;
    int rc = lede_doc_analyze(&doc, tk, phrase, len);
    if (rc != LEDE_OK)
        return rc;
    size_t n;
    const lede_token *t = lede_doc_tokens(doc, &n);
    const char *folds = lede_doc_folds(doc, NULL);
    uint32_t node = 0;
    for (size_t i = 0; i < n && (i == 0 || node != 0); i++)
        node = find_child(lx, node, folds + t[i].fold, t[i].fold_len, lede_hash64(folds + t[i].fold, t[i].fold_len, 0));
    lede_doc_free(doc);
    if (n == 0 || node == 0 || lx->node_value[node] == NO_VALUE)
        return 0;
    *value = lx->node_value[node];
    return 1;
}
