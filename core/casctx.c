/* What a figure's sentence and article say about it: its date (as_of), its
 * scope (a running total or one incident), its place, whether it repeats
 * an earlier figure, and how sure the rule is.  See casart.h (cas_resolve)
 * and docs/casualties.md. */
#include "casart.h"

#include "dates.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char CUMULATIVE[] = "cumulative";
static const char INCIDENT[] = "incident";

/* The first bytes tell most words apart without a call. */
static int streq(const char *s, const char *lit) { return s && s[0] == lit[0] && strcmp(s, lit) == 0; }

static int is_alnum(unsigned char c) { return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'); }

/* The quantity's count: Lua's q.value, nil for a range or a vague quantity. */
static int has_count(const lede_quantity *q) { return !(q->flags & (LEDE_NUM_RANGE | LEDE_NUM_VAGUE)); }

/* Lua's q.vague: the vague word, or NULL. */
static const char *vague_of(const lede_quantity *q) { return q->vague ? lede_num_vague_name(q->vague) : NULL; }

/* v in decimal, as "%" PRId64 writes it, into out (21 bytes at least; no
 * NUL): its length.  Figures are many, and snprintf is slow for this. */
static size_t format_int(char *out, int64_t v)
{
    char digits[20];
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t len = 0;
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = digits[--n];
    return len;
}

/* ---- per sentence ---- */

/* "since the war began in August": tokens [a, b]; `when`: a "since 1962,
 * when ..." phrase, which dates the event instead; `day`: it names a day. */
typedef struct since_phrase {
    int a, b;
    unsigned when : 1, day : 1;
} since_phrase;

/* A date the sentence names, placed at token i. */
typedef struct dated {
    int i;
    const char *iso;
    int precision; /* lede_date_precision */
    int possessive;
} dated;

/* Place mentions by pointer: settling a candidate changes the mention
 * itself, wherever it is listed. */
typedef struct mention_list {
    cas_mention **v;
    size_t n;
} mention_list;

/* The words the scope rules look for. */
enum { MARK_CUMULATIVE, MARK_ANCHOR, MARK_CONFLICT, N_MARKS };

typedef struct sentence_info {
    const int *seg; /* clause of each token (t->seg) */
    since_phrase *since;
    int n_since;
    dated *dates;
    int n_dates;
    int *marks[N_MARKS]; /* token indexes, in order */
    int n_marks[N_MARKS];
    mention_list places; /* places:sentence(t) */
    mention_list *by_seg; /* the places by clause, 1..n_segs: built when first needed */
    int n_segs;
} sentence_info;

/* What the figures of one article share. */
typedef struct resolver {
    cas_art *a;
    cas_places *places;
    const char *ref;          /* the article's day, "YYYY-MM-DD", or NULL */
    int year;                 /* tonumber(ref:sub(1, 4)), else 9999 */
    lede_date_opts date_opts; /* { ref = ref }, else { relative = false } */
    int war;                  /* topic.war: -1 until worked out */
    sentence_info **infos;    /* by sentence, 1-based; NULL until its first figure */
} resolver;

/* Index of the token holding byte pos: the first that ends at or after it
 * (the last token when none does). */
static int token_at(const cas_toks *t, uint32_t pos)
{
    int lo = 1, hi = t->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (t->e[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Words without which a sentence names no date (lede_dates_scan is not
 * called); sorted for bsearch. */
static const char *const DATE_WORDS[] = {
    "afternoon", "ago", "apr", "april", "aug", "august", "dec", "december",
    "evening", "feb", "february", "friday", "jan", "january", "jul", "july",
    "jun", "june", "mar", "march", "may", "monday", "month", "morning",
    "night", "nov", "november", "oct", "october", "saturday", "sep", "sept",
    "september", "sunday", "thursday", "today", "tonight", "tuesday", "wednesday", "week",
    "weekend", "year", "yesterday"};

static int cmp_word(const void *key, const void *elem) { return strcmp(key, *(const char *const *)elem); }

static int is_date_word(const char *w)
{
    return bsearch(w, DATE_WORDS, sizeof DATE_WORDS / sizeof *DATE_WORDS, sizeof *DATE_WORDS, cmp_word) != NULL;
}

/* Whether the date ending at byte `stop` of text[0..len) is in the
 * possessive ("Sunday's attack"): 's or ’s, then no letter or digit. */
static int possessive_at(const char *text, size_t len, size_t stop)
{
    const char *after = text + stop;
    size_t n = len - stop < 5 ? len - stop : 5; /* text:sub(stop + 1, stop + 5) */
    if (n >= 2 && memcmp(after, "'s", 2) == 0)
        return n == 2 || !is_alnum((unsigned char)after[2]);
    if (n >= 4 && memcmp(after, "\xE2\x80\x99s", 4) == 0)
        return n == 4 || !is_alnum((unsigned char)after[4]);
    return 0;
}

/* Since-phrases ("since the war began in August", "since Saturday"): each
 * runs to the end of its clause. */
static void since_phrases(sentence_info *si, const cas_toks *t)
{
    const int *seg = t->seg;
    for (int i = 1; i <= t->n; i++) {
        if (t->k[i] != CAS_WORD || !streq(t->w[i], "since"))
            continue;
        int j = i;
        while (j < t->n && seg[j + 1] == seg[i])
            j++;
        since_phrase *p = &si->since[si->n_since++];
        p->a = i;
        p->b = j;
        p->when = cas_is(t, j + 1, ",") && cas_is(t, j + 2, "when");
    }
}

static since_phrase *in_since(sentence_info *si, int i)
{
    for (int k = 0; k < si->n_since; k++) {
        since_phrase *p = &si->since[k];
        if (i >= p->a && i <= p->b && !p->when)
            return p;
    }
    return NULL;
}

/* A date at token i, once per token: in a since-phrase it only tells
 * whether the phrase names a day. */
static int add_date(sentence_info *si, unsigned char *taken, cas_art *a, int i, const char *iso, size_t iso_len,
                    int precision, int relative, int possessive)
{
    if (taken[i])
        return LEDE_OK;
    taken[i] = 1;
    since_phrase *p = in_since(si, i);
    if (p) {
        if (precision == LEDE_DATE_DAY || relative)
            p->day = 1;
        return LEDE_OK;
    }
    const char *s = cas_strndup(a, iso, iso_len);
    if (s == NULL)
        return LEDE_ENOMEM;
    si->dates[si->n_dates++] = (dated){i, s, precision, possessive};
    return LEDE_OK;
}

/* One pass: the words the scope rules look for, and whether the sentence
 * may name a date at all.  (The Lua looks the four lists up through a
 * per-lists memo of each word's roles, word_roles; the answers are the
 * same.) */
static int read_words(sentence_info *si, const cas_toks *t, resolver *r)
{
    const cas_lex *lex = r->a->lex;
    int datable = 0;
    for (int i = 1; i <= t->n; i++) {
        const char *w = t->w[i];
        int last;
        if (t->k[i] == CAS_WORD) {
            if (cas_phrases_match(lex->cumulative.phrases, t->w, t->n, i, &last))
                si->marks[MARK_CUMULATIVE][si->n_marks[MARK_CUMULATIVE]++] = i;
            if (cas_set_has(lex->anchor.set, w))
                si->marks[MARK_ANCHOR][si->n_marks[MARK_ANCHOR]++] = i;
            if (cas_set_has(lex->conflict_subject.set, w))
                si->marks[MARK_CONFLICT][si->n_marks[MARK_CONFLICT]++] = i;
            if (!datable && is_date_word(w))
                datable = 1;
        } else if (t->k[i] == CAS_DIGITS) {
            datable = 1;
        } else if (t->k[i] == CAS_QUANTITY && t->q[i] == NULL) {
            datable = 1; /* a quantity that counts nobody: maybe a date */
        }
    }
    return datable;
}

/* Whether token i is a bare year the date scanner leaves alone ("the 1987
 * earthquake"): 1800 to the article's year. */
static int bare_year(const cas_toks *t, int i, int year)
{
    const lede_quantity *q = t->k[i] == CAS_QUANTITY ? t->q[i] : NULL;
    return q && (q->flags & LEDE_NUM_YEAR) && has_count(q) && q->value >= 1800 && q->value <= year;
}

/* The dates lede.dates finds in sentence s. */
static int scan_dates(sentence_info *si, unsigned char *taken, resolver *r, cas_span s, const cas_toks *t)
{
    const char *text = r->a->text + s.start - 1;
    size_t len = s.stop - s.start + 1;
    lede_date_span *v;
    size_t n;
    int rc = lede_dates_scan(&v, &n, text, len, &r->date_opts);
    for (size_t k = 0; rc == LEDE_OK && k < n; k++) {
        const lede_date *d = &v[k].date;
        char iso[16];
        size_t iso_len = lede_date_iso(iso, sizeof iso, d);
        if (iso_len == 0)
            continue; /* d.iso is nil */
        rc = add_date(si, taken, r->a, token_at(t, s.start + (uint32_t)v[k].start), iso, iso_len, d->precision,
                      (d->flags & LEDE_DATE_RELATIVE) != 0, possessive_at(text, len, v[k].end));
    }
    free(v);
    return rc;
}

/* The dates of sentence s: those lede.dates finds (when some word may
 * name one), then the bare years. */
static int sentence_dates(sentence_info *si, resolver *r, cas_span s, const cas_toks *t)
{
    unsigned char *taken = cas_alloc(r->a, (size_t)t->n + 1); /* zeroed */
    if (taken == NULL)
        return LEDE_ENOMEM;
    int rc = LEDE_OK;
    if (read_words(si, t, r))
        rc = scan_dates(si, taken, r, s, t);
    for (int i = 1; rc == LEDE_OK && i <= t->n; i++) {
        if (!bare_year(t, i, r->year))
            continue;
        char iso[24]; /* "%04d": 1800 to 9999 have four digits */
        rc = add_date(si, taken, r->a, i, iso, format_int(iso, t->q[i]->value), LEDE_DATE_YEAR, 0, 0);
    }
    return rc;
}

/* si.places = places:sentence(t), as pointers. */
static int sentence_places(sentence_info *si, resolver *r, const cas_toks *t)
{
    cas_mentions ms;
    int rc = cas_places_sentence(&ms, r->places, t);
    if (rc != LEDE_OK)
        return rc;
    si->places.v = cas_alloc(r->a, ms.n * sizeof *si->places.v);
    if (si->places.v == NULL)
        return LEDE_ENOMEM;
    for (size_t k = 0; k < ms.n; k++)
        si->places.v[k] = &ms.v[k];
    si->places.n = ms.n;
    return LEDE_OK;
}

/* sentence_info(s, t, ref), with its places: worked out for the first
 * figure of sentence `idx`, kept for the others. */
static int info_of(sentence_info **out, resolver *r, int idx, cas_span s, const cas_toks *t)
{
    *out = r->infos[idx];
    if (*out)
        return LEDE_OK;
    cas_art *a = r->a;
    size_t n = (size_t)t->n + 1; /* each list holds at most one entry a token */
    sentence_info *si = cas_alloc(a, sizeof *si);
    if (si == NULL)
        return LEDE_ENOMEM;
    si->seg = t->seg;
    si->since = cas_alloc(a, n * sizeof *si->since);
    si->dates = cas_alloc(a, n * sizeof *si->dates);
    if (si->since == NULL || si->dates == NULL)
        return LEDE_ENOMEM;
    for (int m = 0; m < N_MARKS; m++)
        if ((si->marks[m] = cas_alloc(a, n * sizeof *si->marks[m])) == NULL)
            return LEDE_ENOMEM;
    since_phrases(si, t);
    int rc = sentence_dates(si, r, s, t);
    if (rc == LEDE_OK)
        rc = sentence_places(si, r, t);
    if (rc == LEDE_OK)
        *out = r->infos[idx] = si;
    return rc;
}

/* ---- as_of ---- */

/* A day in the possessive dates an event, not a count said in the present
 * perfect: "the toll from Sunday's attack has climbed to 29" holds today. */
static const char *as_of(const cas_figure *f, const sentence_info *si, const char *ref)
{
    int cue = f->cue ? f->cue : f->qi;
    const char *best = NULL;
    for (int k = 0; k < si->n_dates; k++) {
        const dated *d = &si->dates[k];
        if (d->precision != LEDE_DATE_DAY)
            continue;
        if (si->seg[d->i] == si->seg[cue] && d->i > cue && d->i - cue <= 8)
            return d->iso;
        if ((best == NULL || strcmp(d->iso, best) > 0) && !(d->possessive && f->perfect))
            best = d->iso;
    }
    if (best)
        return best;
    if (f->past || f->had) {
        for (int k = 0; k < si->n_dates; k++) {
            const dated *d = &si->dates[k];
            if (d->precision != LEDE_DATE_MONTH && d->precision != LEDE_DATE_YEAR)
                continue;
            /* d.iso < ref_month:sub(1, #d.iso), ref_month = ref:sub(1, 7): a
             * longer iso equal over 7 bytes is the greater */
            size_t len = strlen(d->iso);
            if (ref == NULL || memcmp(d->iso, ref, len < 7 ? len : 7) < 0)
                return NULL;
        }
    }
    return ref;
}

/* ---- scope ---- */

static int in_segment(const sentence_info *si, int mark, int i)
{
    for (int k = 0; k < si->n_marks[mark]; k++)
        if (si->seg[si->marks[mark][k]] == si->seg[i])
            return 1;
    return 0;
}

static int by_in(const char *w) { return streq(w, "by") || streq(w, "in"); }

/* topic.war, worked out (over the whole article) when first asked for. */
static int topic_war(int *out, resolver *r)
{
    if (r->war < 0) {
        size_t conflicts;
        int rc = cas_places_conflicts(&conflicts, r->places);
        if (rc != LEDE_OK)
            return rc;
        int war = 0;
        if (conflicts >= 3) {
            cas_match *m;
            size_t n;
            rc = cas_lex_find(&m, &n, r->a->lex->disaster_lx, r->a->doc);
            if (rc != LEDE_OK)
                return rc;
            free(m);
            war = conflicts > n;
        }
        r->war = war;
    }
    *out = r->war;
    return LEDE_OK;
}

/* The conflict words: "the war has killed", "a conflict that claimed",
 * "the confrontation ... has claimed"; "have been displaced by the
 * fighting", "have been lost in the conflict". */
static int conflict_says_cumulative(const cas_figure *f, const sentence_info *si, int anchor)
{
    const cas_toks *t = f->toks;
    const int *seg = si->seg;
    int cue = f->cue ? f->cue : f->qi;
    for (int k = 0; k < si->n_marks[MARK_CONFLICT]; k++) {
        int j = si->marks[MARK_CONFLICT][k];
        if (j <= cue && !anchor && (f->perfect || seg[j] == seg[cue]))
            return 1;
        if (j > cue && f->perfect && !anchor && seg[j] == seg[cue] &&
            (by_in(cas_w(t, j - 1)) || (cas_is(t, j - 1, "the") && by_in(cas_w(t, j - 2)))))
            return 1;
    }
    return 0;
}

static int scope_of(const char **out, resolver *r, const cas_figure *f, const sentence_info *si)
{
    int i = f->qi;
    *out = CUMULATIVE;
    if (f->running || in_segment(si, MARK_CUMULATIVE, i))
        return LEDE_OK;
    for (int k = 0; k < si->n_since; k++) {
        const since_phrase *p = &si->since[k];
        if (!p->when && !p->day && si->seg[p->a] == si->seg[i])
            return LEDE_OK;
    }
    int anchor = in_segment(si, MARK_ANCHOR, i);
    if (conflict_says_cumulative(f, si, anchor))
        return LEDE_OK;
    /* a large running count in coverage of a war, with no day and no event */
    int day = 0;
    for (int k = 0; k < si->n_dates; k++)
        if (si->dates[k].precision == LEDE_DATE_DAY)
            day = 1;
    const lede_quantity *q = f->q;
    int64_t low = has_count(q) ? q->value : q->low;
    int small_vague = vague_of(q) && low < 1000;
    /* the topic last: it is worked out (over the whole article) only when asked */
    if (!day && !anchor && !small_vague) {
        int war;
        int rc = topic_war(&war, r);
        if (rc != LEDE_OK)
            return rc;
        if (war) {
            if (f->perfect && low >= 100 &&
                (streq(f->category, "arrested") || streq(f->category, "abducted") ||
                 streq(f->category, "displaced")))
                return LEDE_OK;
            if ((f->perfect || f->had) && low >= 1000)
                return LEDE_OK;
        }
    }
    *out = INCIDENT;
    return LEDE_OK;
}

/* ---- where ---- */

static int known(const cas_mention *m) { return !streq(m->kind, "candidate") && !streq(m->kind, "none"); }

/* The known place of segment `seg` nearest to token i (a demonym too unless
 * `no_demonym`); of equally near ones, the first. */
static cas_mention *nearest(const mention_list *list, int i, const int *segs, int seg, int no_demonym)
{
    cas_mention *best = NULL;
    int dist = 0;
    for (size_t k = 0; k < list->n; k++) {
        cas_mention *m = list->v[k];
        if (segs[m->ti] == seg && known(m) && !(no_demonym && streq(m->kind, "demonym"))) {
            int d = abs(m->ti - i);
            if (best == NULL || d < dist) {
                best = m;
                dist = d;
            }
        }
    }
    return best;
}

/* The places of a sentence of many, by segment (in sentence order). */
static int index_by_segment(cas_art *a, sentence_info *si)
{
    int n_segs = 0;
    for (size_t k = 0; k < si->places.n; k++)
        if (si->seg[si->places.v[k]->ti] > n_segs)
            n_segs = si->seg[si->places.v[k]->ti];
    mention_list *by = cas_alloc(a, ((size_t)n_segs + 1) * sizeof *by);
    cas_mention **v = cas_alloc(a, si->places.n * sizeof *v);
    if (by == NULL || v == NULL)
        return LEDE_ENOMEM;
    for (size_t k = 0; k < si->places.n; k++)
        by[si->seg[si->places.v[k]->ti]].n++;
    for (int s = 1; s <= n_segs; s++) {
        by[s].v = v;
        v += by[s].n;
        by[s].n = 0;
    }
    for (size_t k = 0; k < si->places.n; k++) {
        mention_list *l = &by[si->seg[si->places.v[k]->ti]];
        l->v[l->n++] = si->places.v[k];
    }
    si->by_seg = by;
    si->n_segs = n_segs;
    return LEDE_OK;
}

/* The places a figure of segment `seg` looks at first: those of its own
 * clause, indexed by segment when the sentence has many places (a sentence
 * of many clauses then costs no more per figure); few are simply all read. */
static int clause_places(mention_list *out, cas_art *a, sentence_info *si, int seg)
{
    if (si->places.n <= 8) {
        *out = si->places;
        return LEDE_OK;
    }
    if (si->by_seg == NULL) {
        int rc = index_by_segment(a, si);
        if (rc != LEDE_OK)
            return rc;
    }
    *out = seg >= 1 && seg <= si->n_segs ? si->by_seg[seg] : (mention_list){NULL, 0};
    return LEDE_OK;
}

/* Whether mention m stands in a clause of its own: one opening with
 * "including", "among", "while" or "whereas" ("..., including some 70 000
 * who crossed into Sarentia"). */
static int in_aside(const cas_toks *t, const int *seg, const cas_mention *m)
{
    int first = m->ti;
    while (first > 1 && seg[first - 1] == seg[m->ti])
        first--;
    while (first < m->ti && cas_k(t, first) != CAS_WORD)
        first++;
    const char *w = cas_w(t, first);
    return streq(w, "including") || streq(w, "among") || streq(w, "while") || streq(w, "whereas");
}

static int where_cumulative(const char **out, resolver *r, const cas_figure *f, const sentence_info *si,
                            const mention_list *clause, const cas_figure *previous)
{
    const cas_toks *t = f->toks;
    int i = f->qi;
    cas_mention *m = nearest(clause, i, si->seg, si->seg[i], 0);
    if (m) {
        *out = cas_place_name_of(m);
        return LEDE_OK;
    }
    /* a country named elsewhere in the sentence, unless in a clause of its own */
    cas_mention *pre = NULL, *post = NULL;
    for (size_t k = 0; k < si->places.n; k++) {
        cas_mention *m2 = si->places.v[k];
        if (!known(m2))
            continue;
        int country;
        int rc = cas_places_is_country(&country, r->places, m2);
        if (rc != LEDE_OK)
            return rc;
        if (!country)
            continue;
        if (m2->ti < i)
            pre = m2;
        else if (post == NULL && !in_aside(t, si->seg, m2))
            post = m2;
    }
    if (pre || post) {
        *out = cas_place_name_of(pre ? pre : post);
        return LEDE_OK;
    }
    if (f->anaphor && previous) {
        *out = previous->where;
        return LEDE_OK;
    }
    return cas_places_main(out, r->places);
}

/* Elsewhere in the sentence: a place after "in", "near", ... first, the
 * nearest before the figure, else the first after it; then any place
 * named before the figure ("Valdemora floods: 61 dead"). */
static int sentence_pick(cas_mention **out, resolver *r, const cas_figure *f, const sentence_info *si)
{
    int i = f->qi;
    *out = NULL;
    for (int pass = 1; pass <= 2 && *out == NULL; pass++) {
        cas_mention *pre = NULL, *post = NULL;
        for (size_t k = 0; k < si->places.n; k++) {
            cas_mention *m2 = si->places.v[k];
            if (pass == 2 && streq(m2->kind, "candidate") && m2->ti < i) {
                int rc = cas_places_resolve(r->places, m2, f->toks, 0);
                if (rc != LEDE_OK)
                    return rc;
            }
            if (known(m2) && !streq(m2->kind, "demonym") && (pass == 2 || m2->prep)) {
                if (m2->ti < i)
                    pre = m2;
                else if (post == NULL)
                    post = m2;
            }
        }
        *out = pre ? pre : post;
    }
    return LEDE_OK;
}

static int where_incident(const char **out, resolver *r, const cas_figure *f, const sentence_info *si,
                          const mention_list *clause, const cas_figure *previous, cas_span s)
{
    int i = f->qi;
    cas_mention *m = nearest(clause, i, si->seg, si->seg[i], 1);
    if (m) {
        *out = cas_place_name_of(m);
        return LEDE_OK;
    }
    *out = f->anaphor && previous ? previous->where : NULL;
    if (*out)
        return LEDE_OK;
    int rc = sentence_pick(&m, r, f, si);
    if (rc != LEDE_OK || m) {
        *out = m ? cas_place_name_of(m) : NULL;
        return rc;
    }
    /* the figure just before, in this sentence or the one before, tells the story on */
    if (previous && previous->where && previous->sentence >= f->sentence - 1) {
        *out = previous->where;
        return LEDE_OK;
    }
    const cas_dateline *dl = NULL;
    rc = cas_places_dateline(&dl, r->places);
    if (rc != LEDE_OK || dl) {
        *out = dl ? dl->city : NULL;
        return rc;
    }
    if (previous && previous->where) {
        *out = previous->where;
        return LEDE_OK;
    }
    rc = cas_places_before(out, r->places, s.start);
    if (rc != LEDE_OK || *out)
        return rc;
    return cas_places_main(out, r->places);
}

static int where_of(const char **out, resolver *r, const cas_figure *f, sentence_info *si,
                    const cas_figure *previous, cas_span s)
{
    int seg = si->seg[f->qi];
    mention_list clause;
    int rc = clause_places(&clause, r->a, si, seg);
    if (rc != LEDE_OK)
        return rc;
    /* names the sentence does not introduce are looked up in the article only
     * where they matter: in the figure's clause, or anywhere for a running total */
    int cumulative = streq(f->scope, CUMULATIVE);
    const mention_list *look = cumulative ? &si->places : &clause;
    for (size_t k = 0; k < look->n; k++) {
        cas_mention *m = look->v[k];
        if (streq(m->kind, "candidate") && (cumulative || si->seg[m->ti] == seg)) {
            rc = cas_places_resolve(r->places, m, f->toks, 0);
            if (rc != LEDE_OK)
                return rc;
        }
    }
    if (cumulative)
        return where_cumulative(out, r, f, si, &clause, previous);
    return where_incident(out, r, f, si, &clause, previous, s);
}

/* ---- the article ---- */

static const char *class_of(const char *category) { return streq(category, "killed") ? "dead" : category; }

/* What two figures of one class share when they give the same number: the
 * class, a NUL, then the count, else the vague word, else the range (the
 * quantity always has a range, so every figure has a key).  Numbers as Lua
 * writes integers.  In a's arena, *len bytes. */
static char *group_key(size_t *len, cas_art *a, const cas_figure *f)
{
    const lede_quantity *q = f->q;
    const char *vague = vague_of(q);
    char num[64];
    const char *rest = num;
    size_t nr;
    char tag;
    if (has_count(q)) {
        tag = 'n';
        nr = format_int(num, q->value);
    } else if (vague) {
        tag = 'v';
        rest = vague;
        nr = strlen(vague);
    } else {
        tag = 'r';
        nr = format_int(num, q->low);
        num[nr++] = '-';
        nr += format_int(num + nr, q->high);
    }
    const char *cls = class_of(f->category);
    size_t nc = strlen(cls);
    char *key = cas_alloc(a, nc + 2 + nr + 1);
    if (key == NULL)
        return NULL;
    memcpy(key, cls, nc);
    key[nc] = '\0';
    key[nc + 1] = tag;
    memcpy(key + nc + 2, rest, nr);
    *len = nc + 2 + nr;
    return key;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t k = 0; k < n; k++)
        h = (h ^ (unsigned char)s[k]) * 1099511628211u;
    return h;
}

/* Figures of one class (killed and dead are one) giving the same number are
 * the same: the later ones repeat the first, and a count said once as a
 * running total is one everywhere in the article.  (The Lua marks repeats
 * as it goes; nothing in between reads them.) */
static int group_numbers(cas_art *a, cas_figure *figures, size_t n)
{
    size_t cap = 2;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slots = cas_alloc(a, cap * sizeof *slots); /* 1 + index of a group's first figure; 0: free */
    const char **keys = cas_alloc(a, n * sizeof *keys);
    size_t *lens = cas_alloc(a, n * sizeof *lens);
    size_t *group = cas_alloc(a, n * sizeof *group); /* index of the group's first figure */
    unsigned char *cumulative = cas_alloc(a, n);     /* by first figure */
    if (slots == NULL || keys == NULL || lens == NULL || group == NULL || cumulative == NULL)
        return LEDE_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        if ((keys[k] = group_key(&lens[k], a, &figures[k])) == NULL)
            return LEDE_ENOMEM;
        size_t h = (size_t)hash_bytes(keys[k], lens[k]) & (cap - 1);
        for (; slots[h]; h = (h + 1) & (cap - 1)) {
            size_t g = slots[h] - 1;
            if (lens[g] == lens[k] && memcmp(keys[g], keys[k], lens[k]) == 0)
                break;
        }
        if (slots[h]) {
            figures[k].repeat = 1;
            group[k] = slots[h] - 1;
        } else {
            slots[h] = k + 1;
            group[k] = k;
        }
        if (streq(figures[k].scope, CUMULATIVE))
            cumulative[group[k]] = 1;
    }
    for (size_t k = 0; k < n; k++)
        if (cumulative[group[k]])
            figures[k].scope = CUMULATIVE;
    return LEDE_OK;
}

static const struct {
    const char *rule;
    double c;
} BASE[] = {{"verb-count", 0.9},
            {"count-victims-verb", 0.9},
            {"count-verb", 0.8},
            {"count-cue", 0.85},
            {"count-noun", 0.85},
            {"count-adjective-victims", 0.85},
            {"toll-verb-count", 0.85},
            {"bringing-to-count", 0.8},
            {"bringing-toll-to-count", 0.8},
            {"claimed-lives", 0.9},
            {"lives-lost", 0.85},
            {"left-count-state", 0.9},
            {"forced-count-from-homes", 0.8},
            {"bodies", 0.85},
            {"took-hostage", 0.8},
            {"count-of-the-state", 0.75},
            {"among-the-state-count", 0.75},
            {"count-among-the-state", 0.75},
            {"count-of-them", 0.7},
            {"label-count", 0.8},
            {"including-count", 0.7},
            {"event-of-count", 0.8}};

static double base_confidence(const char *rule)
{
    for (size_t k = 0; k < sizeof BASE / sizeof *BASE; k++)
        if (streq(rule, BASE[k].rule))
            return BASE[k].c;
    return 0.7;
}

static double confidence(const cas_figure *f)
{
    const lede_quantity *q = f->q;
    double c = base_confidence(f->rule);
    if (vague_of(q))
        c = c - 0.1;
    if (has_count(q) && q->value == 1 && (q->flags & LEDE_NUM_WORDS))
        c = c - 0.2;
    if (streq(f->victims, "people") && strstr(f->rule, "victims") == NULL)
        c = c - 0.05;
    c = c < 0.99 ? c : 0.99; /* math.max(0.1, math.min(0.99, c)) */
    c = c > 0.1 ? c : 0.1;
    return floor(c * 100 + 0.5) / 100;
}

/* "YYYY-MM-DD" at the start of s, copied into a's arena; NULL when s has
 * none or names no real day ("2019-02-30" dates nothing: the next source
 * of the article's day is tried). */
static int iso_day(const char **out, cas_art *a, const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    *out = NULL;
    if (s == NULL)
        return LEDE_OK;
    for (int k = 0; shape[k]; k++)
        if (shape[k] == 'd' ? s[k] < '0' || s[k] > '9' : s[k] != '-')
            return LEDE_OK; /* a NUL stops it too */
    if (!lede_ymd_valid(atoi(s), atoi(s + 5), atoi(s + 8)))
        return LEDE_OK;
    *out = cas_strndup(a, s, 10);
    return *out ? LEDE_OK : LEDE_ENOMEM;
}

/* The article's day: its own, else the meta record's published, else its
 * event date (the meta record is read only then). */
static int reference_day(const char **out, cas_art *a)
{
    int rc = iso_day(out, a, a->published);
    if (rc != LEDE_OK || *out)
        return rc;
    cas_meta m = {0};
    int found = a->meta ? a->meta(a->meta_ud, &m) : 0;
    if (found <= 0)
        return found;
    rc = iso_day(out, a, m.published);
    if (rc != LEDE_OK || *out)
        return rc;
    return iso_day(out, a, m.event_date);
}

/* lede.dates(s.text, ref and { ref = ref } or { relative = false }). */
static void date_options(resolver *r)
{
    lede_date_opts_init(&r->date_opts);
    r->year = 9999;
    if (r->ref) {
        lede_ymd_parse(&r->date_opts.ref, r->ref, strlen(r->ref)); /* a real day: iso_day checked it */
        r->year = atoi(r->ref); /* tonumber(ref:sub(1, 4)): the digits stop at the '-' */
    } else {
        r->date_opts.relative = 0;
    }
}

static int resolve_figure(resolver *r, cas_figure *f, const cas_figure *previous)
{
    cas_span s = r->a->sentences[f->sentence - 1];
    const cas_toks *t = f->toks;
    sentence_info *si;
    int rc = info_of(&si, r, f->sentence, s, t);
    if (rc != LEDE_OK)
        return rc;
    const lede_quantity *q = f->q;
    const char *qualifier = lede_num_qualifier_name(q->qualifier);
    f->qualifier = streq(qualifier, "exact") && f->toll_qualifier ? f->toll_qualifier : qualifier;
    if (f->anaphor && previous)
        f->scope = previous->scope;
    else if ((rc = scope_of(&f->scope, r, f, si)) != LEDE_OK)
        return rc;
    f->as_of = as_of(f, si, r->ref);
    rc = where_of(&f->where, r, f, si, previous, s);
    if (rc != LEDE_OK)
        return rc;
    f->confidence = confidence(f);
    f->repeat = 0;
    int at = f->cue ? f->cue : f->qi;
    uint32_t q_start = q->start + 1, q_stop = q->end; /* q's offsets are 0-based */
    f->start = q_start < t->s[at] ? q_start : t->s[at];
    f->stop = q_stop > t->e[at] ? q_stop : t->e[at];
    return LEDE_OK;
}

int cas_resolve(cas_art *a, cas_figure *figures, size_t n)
{
    resolver r = {.a = a, .war = -1};
    int rc = reference_day(&r.ref, a);
    if (rc == LEDE_OK)
        rc = cas_places_new(&r.places, a);
    if (rc != LEDE_OK)
        return rc;
    date_options(&r);
    r.infos = cas_alloc(a, (a->n_sentences + 1) * sizeof *r.infos);
    if (r.infos == NULL)
        return LEDE_ENOMEM;
    const cas_figure *previous = NULL;
    for (size_t k = 0; k < n; k++) {
        rc = resolve_figure(&r, &figures[k], previous);
        if (rc != LEDE_OK)
            return rc;
        previous = &figures[k];
    }
    return group_numbers(a, figures, n);
}
