/* Records and the result of the quote extractor: see quoteout.h. */
#include "quoteout.h"

#include "quotename.h"

#include <stdlib.h>
#include <string.h>

/* ---- output records ---- */

static const struct {
    const char *name;
    double confidence;
} rules[R_COUNT] = {
    [R_DIRECT_AFTER] = {"direct.after", 0.95},
    [R_DIRECT_BEFORE] = {"direct.before", 0.95},
    [R_DIRECT_MIDDLE] = {"direct.middle", 0.95},
    [R_DIRECT_SHARED] = {"direct.shared", 0.85},
    [R_DIRECT_CONTINUED] = {"direct.continued", 0.85},
    [R_DIRECT_RUN] = {"direct.run", 0.7},
    [R_DIRECT_NONE] = {"direct.none", 0.5},
    [R_PARTIAL_CLAUSE] = {"partial.clause", 0.9},
    [R_PARTIAL_CUE] = {"partial.cue", 0.8},
    [R_PARTIAL_AFTER] = {"partial.after", 0.85},
    [R_PARTIAL_NONE] = {"partial.none", 0.5},
    [R_INDIRECT_THAT] = {"indirect.that", 0.8},
    [R_INDIRECT_BARE] = {"indirect.bare", 0.7},
    [R_INDIRECT_PREPOSED] = {"indirect.preposed", 0.75},
    [R_INDIRECT_ACCORDING_TO] = {"indirect.according_to", 0.8},
    [R_INDIRECT_APPEAL] = {"indirect.appeal", 0.7},
    [R_INDIRECT_PARENTHETICAL] = {"indirect.parenthetical", 0.7},
};

static double confidence_of(rule_id rule, int resolved)
{
    return resolved ? rules[rule].confidence * 0.9 : rules[rule].confidence;
}

/* The cue as written: the verb, its addressee, "in a statement". */
const char *qo_cue_text(qctx *c, const event *ev)
{
    int z = ev->obj >= 0 ? ev->obj : ev->j;
    if (ev->class == 'O' && ev->obj < 0 && ev->j + 1 < c->n && qc_is_word(c, ev->j + 1) &&
        !qc_has(c, ev->j + 1, QW_STOP)) {
        int stop, head = np_fwd(c, ev->j + 1, ev->hi, &stop); /* "told the Harbour Post" */
        if (head >= 0)
            z = head;
    }
    int k = z + 1;
    if (k + 2 < c->n && qc_is(c, k, W_IN) && (qc_is(c, k + 1, W_A) || qc_is(c, k + 1, W_AN)) &&
        (qc_is(c, k + 2, W_STATEMENT) || qc_is(c, k + 2, W_INTERVIEW)))
        z = k + 2;
    return qc_text(c, ev->i, z);
}

void qo_record_quote(article *ar, lede_quote_kind kind, int a, int z, speaker *sp, int resolved, rule_id rule,
                     const char *written, const char *cue)
{
    record r = {a, z, kind, sp, rule, written, cue, confidence_of(rule, resolved), 0};
    VEC_PUSH(&ar->c, ar->out, ar->n_out, ar->cap_out, r);
}

void qo_record_event(article *ar, const event *ev, int a, int z, rule_id rule)
{
    qo_record_quote(ar, LEDE_QUOTE_INDIRECT, a, z, ev->sp, ev->resolved, rule, ev->written, qo_cue_text(&ar->c, ev));
}

/* ---- results ---- */

/* The quotes of an article, their strings in one block. */
struct lede_quote_result {
    lede_quote *items;
    size_t n;
    char *strings;
};

static int cmp_record(const void *x, const void *y)
{
    const record *a = x, *b = y;
    if (a->a != b->a)
        return (a->a > b->a) - (a->a < b->a);
    return (a->z > b->z) - (a->z < b->z);
}

/* The name to report: a surname completed with a first name printed in the article. */
static const char *final_name(qctx *c, const speaker *sp)
{
    if (sp->type == LEDE_SPEAKER_PERSON && sp->key && sp->name && !strchr(sp->name, ' ')) {
        const char *full = qn_person_of(c, sp->key);
        if (full == NULL && sp->e >= 0 && qn_is_person(c, sp->e))
            full = qn_person_of(c, sp->key);
        if (full)
            return full;
    }
    return sp->name;
}

/* Hash of a record's text, ASCII case folded. */
static uint64_t text_hash(const qctx *c, const record *r)
{
    const char *s = c->text + c->t[r->a].start;
    size_t n = c->t[r->z].end - c->t[r->a].start;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        h = (h ^ (ch >= 'A' && ch <= 'Z' ? ch + 32u : ch)) * 1099511628211ull;
    }
    return h;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* A headline echoing a quote of the body is that quote printed again: a
 * partial quote nobody said goes when an attributed quote has its words. */
static void drop_echoes(qctx *c, record *r, size_t n)
{
    uint64_t *said = qc_alloc(c, (n + 1) * sizeof *said);
    size_t m = 0;
    if (said == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        if (r[i].sp && r[i].kind != LEDE_QUOTE_INDIRECT)
            said[m++] = text_hash(c, &r[i]);
    if (m > 1)
        qsort(said, m, sizeof *said, cmp_u64);
    for (size_t i = 0; i < n && m; i++) {
        if (r[i].sp || r[i].kind != LEDE_QUOTE_PARTIAL)
            continue;
        uint64_t h = text_hash(c, &r[i]);
        r[i].drop = bsearch(&h, said, m, sizeof *said, cmp_u64) != NULL;
    }
}

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static const char *put_str(char **dst, const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = *dst;
    memcpy(d, s, n);
    *dst += n;
    return d;
}

int qo_build_result(lede_quote_result **out, article *ar)
{
    qctx *c = &ar->c;
    if (ar->n_out > 1)
        qsort(ar->out, ar->n_out, sizeof *ar->out, cmp_record);
    drop_echoes(c, ar->out, ar->n_out);
    size_t bytes = 0, n = 0;
    const char **names = ar->n_out ? qc_alloc(c, ar->n_out * sizeof *names) : NULL;
    if (ar->n_out && names == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < ar->n_out; i++) {
        record *r = &ar->out[i];
        if (r->drop)
            continue;
        names[i] = r->sp ? final_name(c, r->sp) : NULL;
        bytes += str_size(names[i]) + str_size(r->written) + str_size(r->cue) + (r->sp ? str_size(r->sp->role) : 0);
        n++;
    }
    lede_quote_result *res = calloc(1, sizeof *res);
    if (res == NULL)
        return LEDE_ENOMEM;
    res->items = calloc(n + 1, sizeof *res->items);
    res->strings = malloc(bytes + 1);
    if (res->items == NULL || res->strings == NULL || c->oom) {
        lede_quote_result_free(res);
        return LEDE_ENOMEM;
    }
    char *dst = res->strings;
    for (size_t i = 0; i < ar->n_out; i++) {
        const record *r = &ar->out[i];
        if (r->drop)
            continue;
        lede_quote *q = &res->items[res->n++];
        q->start = c->t[r->a].start;
        q->end = c->t[r->z].end;
        q->kind = r->kind;
        q->rule = rules[r->rule].name;
        q->confidence = r->conf;
        q->written = put_str(&dst, r->written);
        q->cue = put_str(&dst, r->cue);
        if (r->sp && names[i]) {
            q->speaker = put_str(&dst, names[i]);
            q->type = r->sp->type;
            q->role = put_str(&dst, r->sp->role);
        }
    }
    *out = res;
    return LEDE_OK;
}

const lede_quote *lede_quote_result_items(const lede_quote_result *r, size_t *n)
{
    *n = r->n;
    return r->items;
}

void lede_quote_result_free(lede_quote_result *r)
{
    if (r == NULL)
        return;
    free(r->items);
    free(r->strings);
    free(r);
}
