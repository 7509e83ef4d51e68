/* Speaker phrases of the quote extractor: see quotenp.h. */
#include "quotenp.h"

#include "quotename.h"

#include <string.h>

/* ---- word tests ---- */

int np_is_cap(qctx *c, int i)
{
    unsigned f = qc_flags(c, i);
    if (!qc_is_word(c, i) || !(f & (LEDE_TF_CAPITALISED | LEDE_TF_ALL_CAPS)))
        return 0;
    if ((f & LEDE_TF_ALL_CAPS) && c->t[i].fold_len > 1)
        return 1; /* an acronym: "US", "VOA" */
    uint32_t b = qc_bits(c, i);
    return !(b & (QW_STOP | QW_DET)) && !((b & QW_TIME) && !(b & QW_ROLE));
}

int np_is_pron(qctx *c, int i)
{
    unsigned f = qc_flags(c, i);
    return qc_is_word(c, i) && (qc_bits(c, i) & QW_PRON) && !(f & LEDE_TF_ALL_CAPS) &&
           (!(f & LEDE_TF_CAPITALISED) || (f & LEDE_TF_SENT_START));
}

static int is_particle(qctx *c, int i)
{
    if (!qc_is_word(c, i) || (qc_flags(c, i) & LEDE_TF_CAPITALISED))
        return 0;
    size_t n;
    const char *f = qc_fold(c, i, &n);
    if (n == 3 && (memcmp(f, "der", 3) == 0 || memcmp(f, "den", 3) == 0 || memcmp(f, "des", 3) == 0)) {
        /* only after another particle: "van der Berg", not "sagte X der Zeitung" */
        size_t m = 0;
        const char *p = i > 0 ? qc_fold(c, i - 1, &m) : "";
        return i > 0 && ((m == 3 && (memcmp(p, "van", 3) == 0 || memcmp(p, "von", 3) == 0 ||
                                     memcmp(p, "ter", 3) == 0)) ||
                         (m == 2 && memcmp(p, "de", 2) == 0));
    }
    if (qc_bits(c, i) & QW_PARTICLE)
        return 1;
    /* "al-Assad" */
    return n > 3 && f[0] >= 'a' && f[0] <= 'z' && (f[1] == '-' || (f[1] >= 'a' && f[1] <= 'z' && f[2] == '-'));
}

int np_ends_ing(qctx *c, int i)
{
    unsigned f = qc_flags(c, i);
    return c->t[i].fold_len > 4 && qc_ends(c, i, "ing") && (!(f & LEDE_TF_CAPITALISED) || (f & LEDE_TF_SENT_START));
}

int np_verb_ed(qctx *c, int k)
{
    size_t n;
    const char *w = qc_fold(c, k, &n);
    if (!qc_is_word(c, k) || n < 5 || !qc_ends(c, k, "ed") || memchr(w, '-', n) ||
        (qc_flags(c, k) & LEDE_TF_CAPITALISED))
        return 0;
    int p = k - 1;
    if (p < 0 || !qc_is_word(c, p) || (qc_flags(c, p) & LEDE_TF_POSSESSIVE))
        return 0;
    return !(qc_bits(c, p) & (QW_DET | QW_PREP | QW_AUX | QW_ADV | QW_CONJ)) && !qc_is(c, p, W_OF) &&
           !qc_ends(c, p, "ly");
}

static int is_noun(qctx *c, int i)
{
    return qc_is_word(c, i) && (qc_bits(c, i) & QW_NOUN);
}

/* A word that may stand inside a speaker phrase, before its head. */
static int np_inner(qctx *c, int i)
{
    if (qc_kind(c, i) == LEDE_TOK_NUMBER)
        return 1;
    if (!qc_is_word(c, i))
        return 0;
    if (np_is_cap(c, i) || (qc_flags(c, i) & LEDE_TF_POSSESSIVE) || is_particle(c, i) || is_noun(c, i))
        return 1;
    if (qc_bits(c, i) & (QW_STOP | QW_DET | QW_TIME | QW_CUE | QW_PAST))
        return 0;
    return !np_ends_ing(c, i) && !np_verb_ed(c, i);
}

int np_head(qctx *c, int i)
{
    if (!qc_is_word(c, i) || (qc_flags(c, i) & LEDE_TF_POSSESSIVE))
        return 0;
    return np_is_cap(c, i) || is_noun(c, i) || np_is_pron(c, i);
}

/* A lower-case word none of the lists knows that may still head a phrase
 * after a determiner or a possessive: "the farmers' cooperative". */
static int weak_head(qctx *c, int i)
{
    size_t n;
    qc_fold(c, i, &n);
    return qc_is_word(c, i) && n >= 3 && !(qc_flags(c, i) & (LEDE_TF_CAPITALISED | LEDE_TF_POSSESSIVE)) &&
           !(qc_bits(c, i) & (QW_STOP | QW_DET | QW_TIME | QW_CUE | QW_PAST | QW_QUANT | QW_NONFINITE)) &&
           !np_ends_ing(c, i) && !np_verb_ed(c, i) && !qc_ends(c, i, "ly") && !qc_is(c, i, W_OF) &&
           !qc_is(c, i, W_AND);
}

/* Does the phrase [a, j] open with a determiner or a possessive? */
static int determined(qctx *c, int a, int j)
{
    for (int k = a; k < j; k++)
        if ((qc_bits(c, k) & QW_DET) || (qc_flags(c, k) & LEDE_TF_POSSESSIVE))
            return 1;
    return 0;
}

/* ---- finding phrases ---- */

static int np_back_from(qctx *c, int j, int lo);

/* Is token i a preposition whose object the phrase after it is ("for the
 * ministry"), not a conjunction ("as rescuers said")? */
static int object_of(qctx *c, int i)
{
    if (qc_is(c, i, W_OF))
        return 1;
    if (!(qc_bits(c, i) & QW_PREP))
        return 0;
    static const char *const conjunctions[] = {"as", "after", "before", "since", "until", "than", NULL};
    size_t n;
    const char *w = qc_fold(c, i, &n);
    for (const char *const *k = conjunctions; *k; k++)
        if (strlen(*k) == n && memcmp(*k, w, n) == 0)
            return 0;
    return 1;
}

int np_back(qctx *c, int j, int lo)
{
    if (j >= lo && !np_head(c, j) && weak_head(c, j)) {
        int a = j; /* the weak head stands when a determiner opens the phrase */
        while (a - 1 >= lo && np_inner(c, a - 1) && !(qc_bits(c, a - 1) & QW_DET))
            a--;
        int d = a - 1;
        if (d >= lo && (qc_bits(c, d) & QW_DET) && !qc_is(c, d, W_THAT))
            a = d;
        else if (!determined(c, a, j))
            return -1;
        /* "officials in the capital said": a phrase after a preposition is not the speaker */
        return a - 1 >= lo && object_of(c, a - 1) ? -1 : a;
    }
    if (j < lo || !np_head(c, j))
        return -1;
    if (np_is_pron(c, j))
        return j;
    int a = np_back_from(c, j, lo);
    /* "a spokesperson for the ministry said": a phrase after a preposition is not the speaker */
    return a - 1 >= lo && object_of(c, a - 1) ? -1 : a;
}

static int np_back_from(qctx *c, int j, int lo)
{
    int a = j;
    for (int k = j - 1; k >= lo; k--) {
        int w = qc_wid(c, k);
        if (qc_is_word(c, k) && (qc_bits(c, k) & QW_DET)) {
            if (w == W_THAT)
                break;
            a = k;
            /* "Russia and the US": a determiner may follow a conjunction */
            int p = k - 1;
            if (!(p > lo && qc_is(c, p, W_AND) && (np_is_cap(c, p - 1) || is_noun(c, p - 1))))
                break;
        } else if ((w == W_AND || w == W_AMP || w == W_OF) && k > lo) {
            /* "Lavrov and Kerry", "Secretary of State": both sides names or nouns */
            int left = k - 1;
            if (!(np_is_cap(c, left) || is_noun(c, left) || (w == W_OF && qc_has(c, left, QW_ROLE))))
                break;
            a = k;
        } else if (np_inner(c, k)) {
            a = k;
        } else {
            break;
        }
    }
    return a;
}

int np_fwd(qctx *c, int a, int b, int *stop)
{
    int head = -1, k = a;
    if (k <= b && qc_is_word(c, k) && (qc_bits(c, k) & QW_DET) && !qc_is(c, k, W_THAT))
        k++;
    if (k <= b && k == a && np_is_pron(c, k)) {
        *stop = k + 1;
        return k;
    }
    for (; k <= b; k++) {
        int w = qc_wid(c, k);
        if (w == W_OF || w == W_AND || w == W_AMP) {
            /* goes on only into a name or a determiner: "head of the agency" */
            int nx = k + 1;
            if (nx > b || !(np_is_cap(c, nx) || qc_has(c, nx, QW_DET) || is_noun(c, nx)))
                break;
            if (qc_has(c, nx, QW_DET))
                k = nx;
        } else if (np_inner(c, k)) {
            if (np_head(c, k) || (weak_head(c, k) && determined(c, a, k + 1) && !np_head(c, k + 1) &&
                                  !(k + 1 <= b && weak_head(c, k + 1))))
                head = k;
        } else {
            break;
        }
    }
    *stop = k;
    return head;
}

int np_finite(qctx *c, int a, int b)
{
    for (int k = a; k <= b; k++) {
        if (!qc_is_word(c, k))
            continue;
        int w = qc_wid(c, k);
        if (w == W_WHO || w == W_WHICH || w == W_THAT || w == W_WHOSE)
            return 0;
        uint32_t bits = qc_bits(c, k);
        if (((bits & (QW_AUX | QW_PAST)) && !(bits & QW_NONFINITE) && !(qc_flags(c, k) & LEDE_TF_CAPITALISED)) ||
            np_verb_ed(c, k))
            return 1;
    }
    return 0;
}

int np_piece(qctx *c, int a, int b, int fwd, int *head)
{
    if (a > b)
        return PIECE_CLAUSE;
    if (qc_kind(c, a) == LEDE_TOK_NUMBER && a == b)
        return PIECE_AGE;
    int w = qc_wid(c, a);
    if (w == W_WHO || w == W_WHICH || w == W_WHOSE || w == W_WHOM)
        return PIECE_REL;
    if (np_ends_ing(c, a))
        return PIECE_PART;
    uint32_t bits = qc_bits(c, a);
    if ((bits & QW_TIME) ||
        ((bits & QW_PREP) && a < b && (qc_has(c, a + 1, QW_TIME) || qc_kind(c, a + 1) == LEDE_TOK_NUMBER)))
        return PIECE_TIME;
    int stop;
    int h = np_fwd(c, a, b, &stop);
    if (h < 0)
        return PIECE_CLAUSE;
    *head = h;
    if (stop > b)
        return PIECE_NP;
    int nw = qc_wid(c, stop);
    /* after a cue, a participle with its preposition modifies the phrase:
     * "according to diplomats briefed on the talks" */
    int participle = fwd && np_verb_ed(c, stop) && stop < b && (qc_bits(c, stop + 1) & QW_PREP);
    /* a relative clause after a head no list knows is a clause's subject:
     * "The floods that have swept the valley have left 61 dead" */
    if ((nw == W_THAT || nw == W_WHICH) && !np_head(c, h))
        return PIECE_CLAUSE;
    if (((qc_bits(c, stop) & (QW_PREP | QW_SUB)) || np_ends_ing(c, stop) || nw == W_OF || nw == W_COMMA ||
         participle) &&
        !np_finite(c, participle ? stop + 1 : stop, b))
        return PIECE_NP;
    return PIECE_CLAUSE;
}

/* ---- describing a phrase ---- */

/* The last run of capitalised words (with particles and "of" inside) in
 * [a, b] ending at b: its start, or -1. */
/* A capitalised word that may stand inside a name: not a possessive, except
 * a plural one ("Reporters' Shield"). */
static int name_word(qctx *c, int i)
{
    if (!np_is_cap(c, i))
        return 0;
    if (!(qc_flags(c, i) & LEDE_TF_POSSESSIVE))
        return 1;
    size_t n = c->t[i].end - c->t[i].start;
    const char *w = c->text + c->t[i].start;
    return (n > 2 && w[n - 1] == '\'' && w[n - 2] == 's') ||
           (n > 4 && memcmp(w + n - 3, "\xe2\x80\x99", 3) == 0 && w[n - 4] == 's');
}

static int last_cap_run(qctx *c, int a, int b)
{
    if (!np_is_cap(c, b))
        return -1;
    int s = b;
    while (s - 1 >= a) {
        int p = s - 1;
        while (p >= a && (is_particle(c, p) || qc_is(c, p, W_OF))) /* "Hans van der Berg" */
            p--;
        if (p >= a && name_word(c, p))
            s = p;
        else
            break;
    }
    return s;
}

/* Splits a capitalised run into role words and name words ("Deputy Health
 * Minister Olga Vereshchak"): the index of the last role word, s - 1 if none. */
static int split_role(qctx *c, int s, int e)
{
    int last = s - 1;
    for (int k = s; k <= e; k++) {
        if (qc_bits(c, k) & (QW_TITLE | QW_ROLE | QW_ORG)) {
            last = k;
        } else if (qc_is(c, k, W_OF) && last == k - 1 && k < e) {
            last = k + 1; /* "Secretary of State" */
            k++;
        }
    }
    return last;
}

static int has_org_word(qctx *c, int s, int e)
{
    for (int k = s; k <= e; k++)
        if (qc_bits(c, k) & QW_ORG)
            return 1;
    return 0;
}

static int gender_of(qctx *c, int a, int b)
{
    for (int k = a; k <= b; k++) {
        qc_bits(c, k);
        if (c->gender[k])
            return c->gender[k];
    }
    return 0;
}

/* "a woman who gave her name as Natalia": the name after "name as". */
static int given_name(qctx *c, int a, int b, int *ga, int *gb)
{
    for (int k = a; k + 2 <= b; k++) {
        if (qc_is(c, k, W_NAME) && qc_is(c, k + 1, W_AS) && np_is_cap(c, k + 2)) {
            int e = k + 2;
            while (e + 1 <= b && np_is_cap(c, e + 1))
                e++;
            *ga = k + 2;
            *gb = e;
            return 1;
        }
    }
    return 0;
}

static speaker *new_speaker(qctx *c, int a, int e)
{
    speaker *sp = qc_alloc(c, sizeof *sp);
    if (sp) {
        memset(sp, 0, sizeof *sp);
        sp->a = a;
        sp->e = e;
    }
    return sp;
}

static const char *fold_key(qctx *c, int i)
{
    size_t n;
    const char *w = qc_fold(c, i, &n);
    /* "al-Assad" is filed under "assad" */
    if (n > 3 && w[1] == '-')
        w += 2, n -= 2;
    else if (n > 4 && w[2] == '-')
        w += 3, n -= 3;
    return qc_strndup(c, w, n);
}

static speaker *conjunct(qctx *c, int a, int e);

/* A phrase whose last word is capitalised. */
static speaker *named_conjunct(qctx *c, speaker *sp, int a, int e, int s)
{
    if (s - 2 >= a && (qc_has(c, s - 1, QW_PREP) || qc_is(c, s - 1, W_OF)) &&
        !(qc_flags(c, s - 1) & LEDE_TF_CAPITALISED) && np_head(c, s - 2)) {
        /* "the mayor of Puerto Ancla": the head is before the preposition */
        speaker *head = conjunct(c, a, s - 2);
        if (head)
            head->e = e;
        return head;
    }
    int role_end = split_role(c, s, e);
    int before = s - 1;
    int org_before = before >= a && (qc_bits(c, before) & QW_ORG) && !(qc_flags(c, before) & LEDE_TF_CAPITALISED);
    if (role_end >= e) { /* all role or organisation words */
        if (has_org_word(c, s, e)) {
            sp->type = LEDE_SPEAKER_ORGANISATION;
            sp->name = qc_text(c, s, e);
        } else {
            sp->type = LEDE_SPEAKER_PERSON;
            sp->desc = 1;
            sp->role = qc_text(c, s, e);
            size_t n;
            const char *h = qc_fold(c, e, &n);
            sp->head = qc_strndup(c, h, n);
        }
        return sp;
    }
    int ns = role_end + 1;
    while (ns < e && is_particle(c, ns))
        ns++;
    if (has_org_word(c, ns, e) || org_before) {
        sp->type = LEDE_SPEAKER_ORGANISATION;
        sp->name = qc_text(c, ns, e);
        return sp;
    }
    if (ns < e || qn_is_person(c, e) || role_end >= s || (before >= a && qc_has(c, before, QW_ROLE))) {
        sp->type = LEDE_SPEAKER_PERSON;
        sp->name = qc_text(c, ns, e);
        sp->key = fold_key(c, e);
        int rs = a;
        if (qc_has(c, rs, QW_DET) && !(qc_flags(c, rs) & LEDE_TF_POSSESSIVE))
            rs++;
        if (rs < ns)
            sp->role = qc_text(c, rs, ns - 1);
        sp->gender = gender_of(c, a, e);
        return sp;
    }
    /* one capitalised word, not a person: a place or body ("Washington", "VOA") */
    size_t n = c->t[e].end - c->t[e].start;
    const char *full = qw_acronym(c->q, c->text + c->t[e].start, n);
    sp->type = LEDE_SPEAKER_ORGANISATION;
    sp->name = full ? full : qc_text(c, ns, e);
    return sp;
}

/* A phrase whose head is a common noun or a pronoun. */
static speaker *common_conjunct(qctx *c, speaker *sp, int a, int e)
{
    for (int k = a + 1; k < e; k++) /* "relatives of the miners": the head comes before "of" */
        if (qc_is(c, k, W_OF) && (is_noun(c, k - 1) || weak_head(c, k - 1) || np_is_cap(c, k - 1))) {
            e = k - 1;
            break;
        }
    uint32_t bits = qc_bits(c, e);
    int w = qc_wid(c, e);
    size_t n;
    const char *h = qc_fold(c, e, &n);
    int modified = e > a + 1 || (e == a + 1 && !qc_has(c, a, QW_DET));
    if (bits & (QW_ROLE | QW_ROLE_PL)) {
        sp->type = LEDE_SPEAKER_UNNAMED;
        sp->plural = (bits & QW_ROLE_PL) != 0;
        sp->gender = gender_of(c, a, e);
        sp->desc = sp->definite && !sp->indefinite;
    } else if (bits & QW_GROUP) {
        sp->type = LEDE_SPEAKER_UNNAMED;
        sp->plural = qc_ends(c, e, "s") || w == W_STAFF || w == W_CREW || w == W_MEN || w == W_WOMEN;
    } else if (bits & (QW_ORG | QW_ORG_PL)) {
        sp->type = LEDE_SPEAKER_ORGANISATION;
        sp->plural = (bits & QW_ORG_PL) || w == W_POLICE;
        sp->desc = sp->definite && !modified;
    } else if ((weak_head(c, e) || np_is_cap(c, e)) && (determined(c, a, e) || e < sp->e)) {
        /* a noun the lists do not know: "the farmers' cooperative", "relatives of the miners" */
        sp->type = sp->definite ? LEDE_SPEAKER_ORGANISATION : LEDE_SPEAKER_UNNAMED;
        sp->desc = sp->definite && !modified;
        sp->plural = n > 3 && h[n - 1] == 's' && h[n - 2] != 's';
    } else {
        return NULL;
    }
    sp->head = qc_strndup(c, h, n);
    return sp;
}

static speaker *conjunct(qctx *c, int a, int e)
{
    speaker *sp = new_speaker(c, a, e);
    if (sp == NULL)
        return NULL;
    uint32_t b1 = qc_bits(c, a);
    sp->definite = (b1 & QW_DEFINITE) || ((qc_flags(c, a) & LEDE_TF_POSSESSIVE) && a < e);
    sp->indefinite = ((b1 & QW_DET) && !(b1 & QW_DEFINITE)) || qc_kind(c, a) == LEDE_TOK_NUMBER;
    if (np_is_pron(c, e)) {
        sp->pron = qc_wid(c, e);
        return sp;
    }
    /* "Critics said": a listed noun capitalised only because it opens the sentence */
    int opening = (qc_flags(c, e) & LEDE_TF_SENT_START) && !(qc_flags(c, e) & LEDE_TF_ALL_CAPS) &&
                  (qc_bits(c, e) & (QW_ROLE | QW_ROLE_PL | QW_GROUP));
    if (np_is_cap(c, e) && !opening) {
        int s = last_cap_run(c, a, e);
        if (s >= 0)
            return named_conjunct(c, sp, a, e, s);
    }
    return common_conjunct(c, sp, a, e);
}

/* Two or more names joined by "and": "Sergey Lavrov and John Kerry". */
static speaker *joined(qctx *c, const phrase_piece *p)
{
    int starts[8], ends[8], n = 0, s = p->a;
    for (int k = p->a; k <= p->h && n < 7; k++) {
        int w = qc_wid(c, k);
        if ((w == W_AND || w == W_AMP) && k - 1 >= s && np_head(c, k - 1)) {
            starts[n] = s;
            ends[n++] = k - 1;
            s = k + 1;
        }
    }
    if (n == 0)
        return NULL;
    starts[n] = s;
    ends[n++] = p->h;
    speaker **members = qc_alloc(c, (size_t)n * sizeof *members);
    if (members == NULL)
        return NULL;
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        members[i] = conjunct(c, starts[i], ends[i]);
        if (members[i] == NULL || members[i]->name == NULL) {
            speaker *whole = conjunct(c, p->a, p->h); /* "the 22-nation contact group" */
            if (whole)
                whole->plural = 1;
            else
                whole = conjunct(c, starts[n - 1], ends[n - 1]);
            return whole;
        }
        total += strlen(members[i]->name) + 5;
    }
    speaker *sp = new_speaker(c, p->a, p->h);
    char *name = qc_alloc(c, total + 1);
    if (sp == NULL || name == NULL)
        return NULL;
    name[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(name, " and ");
        strcat(name, members[i]->name);
    }
    sp->type = members[0]->type;
    sp->name = name;
    sp->plural = 1;
    sp->members = members;
    sp->n_members = n;
    sp->key = members[n - 1]->key;
    return sp;
}

static speaker *describe_piece(qctx *c, const phrase_piece *p)
{
    int ga, gb;
    if (given_name(c, p->a, p->b, &ga, &gb)) {
        speaker *sp = new_speaker(c, ga, gb);
        if (sp) {
            sp->type = LEDE_SPEAKER_PERSON;
            sp->name = qc_text(c, ga, gb);
            sp->key = fold_key(c, gb);
        }
        return sp;
    }
    speaker *sp = joined(c, p);
    return sp ? sp : conjunct(c, p->a, p->h);
}

static const char *strip_the(const char *s)
{
    if (s && (strncmp(s, "the ", 4) == 0 || strncmp(s, "The ", 4) == 0))
        return s + 4;
    return s;
}

/* The phrase as a name when it has none: "A senior official" -> "a senior official". */
static const char *phrase_name(qctx *c, const speaker *sp)
{
    const char *t = qc_text(c, sp->a, sp->e);
    if (t && sp->type != LEDE_SPEAKER_ORGANISATION && qc_has(c, sp->a, QW_DET) &&
        (qc_flags(c, sp->a) & LEDE_TF_CAPITALISED)) {
        size_t n;
        const char *f = qc_fold(c, sp->a, &n);
        size_t w = c->t[sp->a].end - c->t[sp->a].start;
        if (n == w)
            memcpy((char *)t, f, n);
    }
    return t;
}

/* Is `word` (folded) one of the listed organisation words? */
static int org_word(qctx *c, const char *word)
{
    const qw_entry *e = qw_find(&c->q->words, word, strlen(word));
    return e && (e->bits & (QW_ORG | QW_ORG_PL));
}

/* The written phrase and the name of a described speaker. */
static speaker *finish(qctx *c, speaker *best, const phrase_piece *pieces, int n)
{
    best->written = qc_text(c, pieces[0].a, pieces[n - 1].b);
    if (!best->name && !best->pron)
        best->name = phrase_name(c, best);
    if (best->type == LEDE_SPEAKER_ORGANISATION)
        best->name = strip_the(best->name);
    return best;
}

speaker *np_describe(qctx *c, const phrase_piece *pieces, int n)
{
    speaker *best = NULL, *other = NULL;
    for (int i = 0; i < n; i++) {
        speaker *sp = describe_piece(c, &pieces[i]);
        if (sp == NULL)
            continue;
        /* a name beats a description, a person's name beats a body's */
        int rank = sp->name ? (sp->type == LEDE_SPEAKER_PERSON ? 2 : 1) : 0;
        int best_rank = best && best->name ? (best->type == LEDE_SPEAKER_PERSON ? 2 : 1) : 0;
        if (best == NULL || rank > best_rank) {
            if (best && !best->pron && !other)
                other = best;
            best = sp;
        } else if (!other) {
            other = sp;
        }
    }
    if (best == NULL)
        return NULL;
    if (best->type == LEDE_SPEAKER_PERSON && best->name && other && other->type == LEDE_SPEAKER_ORGANISATION &&
        !other->name && !best->members && other->head && org_word(c, other->head)) {
        /* "The company, Greyrock Metals": the name is the body's */
        best->type = LEDE_SPEAKER_ORGANISATION;
        best->key = NULL;
        best->gender = 0;
        return finish(c, best, pieces, n);
    }
    if (best->type == LEDE_SPEAKER_PERSON && best->name && !best->role && other &&
        !(other->type == LEDE_SPEAKER_PERSON && other->name)) {
        int ra = other->a;
        if (qc_has(c, ra, QW_DET) && !(qc_flags(c, ra) & LEDE_TF_POSSESSIVE))
            ra++;
        if (ra <= other->e) {
            best->role = qc_text(c, ra, other->e);
            if (!best->gender)
                best->gender = gender_of(c, other->a, other->e);
        }
    }
    return finish(c, best, pieces, n);
}
