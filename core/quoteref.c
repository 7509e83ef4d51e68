/* Speakers met in an article and what refers to them: see quoteref.h. */
#include "quoteref.h"

#include "quotename.h"

#include <string.h>

void qr_remember(article *ar, speaker *sp, int pos)
{
    if (sp == NULL)
        return;
    hist_item h = {pos, sp};
    VEC_PUSH(&ar->c, ar->hist, ar->n_hist, ar->cap_hist, h);
    if (sp->type == LEDE_SPEAKER_PERSON && sp->key && sp->name && strchr(sp->name, ' ') && !sp->members)
        qn_add_person(&ar->c, sp->key, sp->name);
    if (sp->members) {
        for (int m = 0; m < sp->n_members; m++)
            qr_remember(ar, sp->members[m], pos);
        VEC_PUSH(&ar->c, ar->hist, ar->n_hist, ar->cap_hist, h); /* the group stays the most recent */
    }
}

static int compatible(qctx *c, int pron, const speaker *sp)
{
    const qw_entry *h = sp->head ? qw_find(&c->q->words, sp->head, strlen(sp->head)) : NULL;
    uint32_t hb = h ? h->bits : 0;
    if (pron == W_HE || pron == W_SHE) {
        if (sp->type != LEDE_SPEAKER_PERSON && !(sp->type == LEDE_SPEAKER_UNNAMED && (hb & QW_ROLE)))
            return 0;
        if (sp->plural)
            return 0;
        return !sp->gender || sp->gender == (pron == W_HE ? 'm' : 'f');
    }
    if (pron == W_IT)
        return !sp->plural && (sp->type == LEDE_SPEAKER_ORGANISATION || (sp->type == LEDE_SPEAKER_UNNAMED &&
                                                                        (hb & QW_GROUP)));
    if (pron == W_THEY)
        return sp->plural || sp->type == LEDE_SPEAKER_ORGANISATION;
    return sp->type == LEDE_SPEAKER_PERSON || sp->type == LEDE_SPEAKER_ORGANISATION;
}

static speaker *resolve_pronoun(article *ar, const speaker *sp, int pos, int lo)
{
    int pron = sp->pron;
    const hist_item *best = NULL;
    for (size_t h = ar->n_hist; h > 0 && h + 12 >= ar->n_hist; h--) {
        const hist_item *it = &ar->hist[h - 1];
        if (it->pos < pos && it->sp->name && !it->sp->pron && compatible(&ar->c, pron, it->sp)) {
            best = it;
            break;
        }
    }
    speaker *found = best ? best->sp : NULL;
    /* "US officials were careful ..., but they warned": an earlier subject
     * of the same sentence is nearer than older speakers */
    if (pron == W_THEY && lo >= 0 && !(best && best->pos >= lo) && lo < pos) {
        speaker *subj = qr_sentence_subject(ar, lo, pos, 1);
        if (subj && subj->name && !subj->pron && compatible(&ar->c, pron, subj))
            found = subj;
    }
    if (found && (pron == W_HE || pron == W_SHE) && !found->gender && found->type == LEDE_SPEAKER_PERSON)
        found->gender = pron == W_HE ? 'm' : 'f';
    return found;
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++) {
        size_t k = 0;
        while (k < n && hay[k] && (hay[k] | 32) == (needle[k] | 32))
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

/* How far back in the article's speakers a description looks. */
#define HIST_REACH 64

/* "the governor", "the ministry", "the top diplomats": the most recent
 * speaker it describes, or a name printed after the role. */
static speaker *resolve_description(article *ar, speaker *sp)
{
    qctx *c = &ar->c;
    const qw_entry *h = sp->head ? qw_find(&c->q->words, sp->head, strlen(sp->head)) : NULL;
    int person_head = h && (h->bits & (QW_ROLE | QW_ROLE_PL));
    for (size_t k = ar->n_hist; k > 0 && k + HIST_REACH > ar->n_hist; k--) {
        speaker *o = ar->hist[k - 1].sp;
        if (!o->name || o->pron || o == sp)
            continue;
        if (sp->plural && o->plural && o->members && (o->type == LEDE_SPEAKER_PERSON) == person_head)
            return o;
        if (!sp->plural && sp->head && o->type == sp->type && !o->plural &&
            (contains_ci(o->role, sp->head) || contains_ci(o->written, sp->head) || contains_ci(o->name, sp->head)))
            return o;
    }
    if (sp->head && !sp->plural) {
        const char *name = qn_name_after(c, sp->role ? sp->role : sp->head, sp->type == LEDE_SPEAKER_ORGANISATION,
                                      c->t[sp->a].start);
        if (name) {
            speaker *r = qc_alloc(c, sizeof *r);
            if (r == NULL)
                return NULL;
            memset(r, 0, sizeof *r);
            r->type = sp->type == LEDE_SPEAKER_UNNAMED ? LEDE_SPEAKER_PERSON : sp->type; /* a named role holder */
            r->name = name;
            r->role = sp->role ? sp->role : sp->head;
            const char *last = strrchr(name, ' ');
            r->key = last ? last + 1 : name;
            r->a = sp->a;
            r->e = sp->e;
            return r;
        }
    }
    return NULL;
}

/* The speaker to report for phrase sp; *resolved when it came from
 * resolving a pronoun or description. */
speaker *qr_resolve(article *ar, speaker *sp, int pos, int lo, int *resolved)
{
    *resolved = 0;
    if (sp == NULL)
        return NULL;
    if (sp->pron) {
        speaker *r = resolve_pronoun(ar, sp, pos, lo);
        *resolved = r != NULL;
        return r;
    }
    if (sp->desc) {
        speaker *r = resolve_description(ar, sp);
        if (r) {
            *resolved = 1;
            return r;
        }
    } else if (sp->indefinite && sp->type == LEDE_SPEAKER_ORGANISATION && sp->name) {
        /* "a press freedom group" named elsewhere: "the press freedom group Reporters' Shield" */
        const char *phrase = strchr(sp->name, ' ');
        const char *name =
            phrase && strchr(phrase + 1, ' ') ? qn_name_after(&ar->c, phrase + 1, 1, ar->c.t[sp->a].start) : NULL;
        if (name) {
            speaker *r = qc_alloc(&ar->c, sizeof *r);
            if (r) {
                memset(r, 0, sizeof *r);
                r->type = LEDE_SPEAKER_ORGANISATION;
                r->name = name;
                r->written = sp->written;
                *resolved = 1;
                return r;
            }
        }
    }
    return sp;
}

/* The subject of the sentence starting at lo, if it is a speaker phrase
 * before pos; with plain, an unresolved pronoun gives NULL. */
speaker *qr_sentence_subject(article *ar, int lo, int pos, int plain)
{
    qctx *c = &ar->c;
    int a = lo;
    if (qc_is(c, a, W_LPAREN)) { /* "(UPDATED)" */
        while (a < pos && !qc_is(c, a, W_RPAREN))
            a++;
        a++;
    }
    while (a < pos && (qc_kind(c, a) == LEDE_TOK_DASH || qc_kind(c, a) == LEDE_TOK_PUNCT))
        a++;
    if (a >= pos)
        return NULL;
    /* a leading adverbial phrase ends at the first comma: "Speaking to NBC, Assad ..." */
    if (qc_is_word(c, a) && ((qc_bits(c, a) & (QW_PREP | QW_ADV | QW_CONJ | QW_SUB)) || np_ends_ing(c, a))) {
        for (int k = a; k < pos; k++) {
            if (qc_is(c, k, W_COMMA)) {
                a = k + 1;
                break;
            }
        }
        if (a < pos && qc_has(c, a, QW_CONJ))
            a++;
    }
    int stop;
    int head = a < pos ? np_fwd(c, a, pos - 1, &stop) : -1;
    if (head < 0)
        return NULL;
    phrase_piece p = {a, head, head, PIECE_NP};
    speaker *sp = np_describe(c, &p, 1);
    if (sp && sp->pron) {
        if (plain)
            return NULL;
        return resolve_pronoun(ar, sp, pos, -1);
    }
    return sp;
}
