/* Casualty figures in one sentence (cas_find, casart.h).  Each countable
 * quantity of the sentence is tried against the shapes news gives a toll:
 *   subset  "among the dead were three children", "512 of the dead"
 *   toll    "the death toll rose to 45", "bringing to 11 the number of ..."
 *   verb    "killing 12", "seized four peacekeepers", "left 300 dead",
 *           "claimed 70,000 lives", "forced 1.2 million from their homes"
 *   after   "12 people were killed", "61 dead", "the 14 injured miners"
 *   label   "Killed: 45."
 * A figure says which quantity, what happened (category), to whom
 * (victims), by which rule, and the tense of its verb (for dates and scope).
 * Ported line by line from the plugin's Lua patterns.lua (see casart.h);
 * token indexes may fall outside the sentence, where they read as nothing. */
#include "casart.h"

#include "grow.h"

#include <stdlib.h>
#include <string.h>

/* ---- word tables (each sorted by strcmp, for bsearch) ---- */

typedef struct word_value {
    const char *word, *value;
} word_value;

#define COUNT(a) (sizeof(a) / sizeof *(a))
/* Whether w (NULL: no) is in the sorted word table `table`. */
#define IN(table, w) (find_word((w), (table), COUNT(table), sizeof *(table)) != NULL)
/* The value of w in the sorted word_value table `table`; NULL when none. */
#define VALUE(table, w) value_of((w), (table), COUNT(table))

/* Elements of every table begin with their word. */
static int cmp_word(const void *key, const void *entry) { return strcmp(key, *(const char *const *)entry); }

static const void *find_word(const char *w, const void *table, size_t n, size_t size)
{
    return w ? bsearch(w, table, n, size, cmp_word) : NULL;
}

static const char *value_of(const char *w, const word_value *table, size_t n)
{
    const word_value *e = find_word(w, table, n, sizeof *table);
    return e ? e->value : NULL;
}

static const char *const DETERMINERS[] = {"her", "his", "its",   "las",   "les",   "los",
                                          "our", "the", "their", "these", "those", "whom"};
/* "of" before the people: "dozens of civilians", "decenas de civiles", "des dizaines de civils" */
static const char *const OF[] = {"de", "of"};
/* "on board" is two words: no token equals it (kept as the Lua table has it). */
static const char *const PP[] = {"aboard", "at", "from", "in", "inside", "of", "on", "on board", "with"};
static const word_value STATE_NOUNS[] = {
    {"abducted", "abducted"},  {"arrested", "arrested"}, {"dead", "dead"},
    {"deceased", "dead"},      {"detained", "arrested"}, {"displaced", "displaced"},
    {"fatalities", "dead"},    {"injured", "wounded"},   {"kidnapped", "abducted"},
    {"killed", "killed"},      {"missing", "missing"},   {"victims", "dead"},
    {"wounded", "wounded"},
};
static const char *const PERFECT[] = {"'ve", "has", "have"};
/* verbs of a running total: "bringing to 11 the number of ...", "brought the toll to 31" */
static const char *const BRINGING[] = {"bring",  "bringing", "brings",  "brought", "pushed", "pushing",
                                       "raised", "raises",   "raising", "takes",   "taking", "took"};
/* nouns of what happened, before "of" and the people it happened to */
static const word_value EVENT_NOUNS[] = {
    {"abduction", "abducted"},   {"abductions", "abducted"},   {"arrest", "arrested"},
    {"arrests", "arrested"},     {"death", "dead"},            {"deaths", "dead"},
    {"detention", "arrested"},   {"disappearance", "missing"}, {"displacement", "displaced"},
    {"evacuation", "displaced"}, {"kidnapping", "abducted"},   {"kidnappings", "abducted"},
    {"killing", "killed"},       {"killings", "killed"},       {"murder", "killed"},
    {"murders", "killed"},
};
static const char *const PAST[] = {"had", "was", "were"};
/* the marks around an insertion between the people and the verb: opening, closing */
static const word_value INSERTION[] = {
    {"(", ")"},
    {",", ","},
    {"\xE2\x80\x93", "\xE2\x80\x93"}, /* en dash */
    {"\xE2\x80\x94", "\xE2\x80\x94"}, /* em dash */
};
/* a year after one of these is part of a date: "on 11 September 2001 killed" */
static const char *const MONTHS[] = {
    "apr", "april", "aug", "august", "dec", "december", "feb", "february", "jan", "january", "jul", "july",
    "jun", "june", "mar", "march", "may", "nov", "november", "oct", "october", "sep", "sept", "september",
};
/* verbs whose object is lives: "claimed 70,000 lives", "cost the lives of 18 people" */
static const char *const TAKES_LIVES[] = {"claim", "claimed", "claiming", "claims", "cost", "costing", "costs"};
static const char *const PAST_VERBS[] = {
    "abducted", "arrested", "captured", "claimed", "detained", "died", "displaced", "drowned", "executed",
    "fled", "forced", "found", "hurt", "injured", "jailed", "kidnapped", "killed", "left", "massacred",
    "murdered", "perished", "recovered", "seized", "took", "wounded",
};
/* Quote marks, skipped between a verb and its count (as the Lua tokens.lua had them). */
static const char *const QUOTES[] = {
    "\"",           "'",
    "\xC2\xAB",     "\xC2\xBB",     /* « » */
    "\xE2\x80\x98", "\xE2\x80\x99", /* ‘ ’ */
    "\xE2\x80\x9C", "\xE2\x80\x9D", /* “ ” */
    "\xE2\x80\x9E",                 /* „ */
    "\xE2\x80\xB9", "\xE2\x80\xBA", /* ‹ › */
};
/* the complements of cues that need one (complement_ok) */
static const char *const WOUND_WORDS[] = {"burns", "fractures", "gunshot", "injuries", "injury", "wound", "wounds"};
static const char *const HOME_WORDS[] = {"evacuate", "flee", "homes", "houses", "leave"};
static const char *const CROSSING_WORDS[] = {"border", "into", "over"};

/* ---- small readers over the tokens ---- */

static int imin(int a, int b) { return a < b ? a : b; }
static int imax(int a, int b) { return a > b ? a : b; }

/* w == s, where w may be nil. */
static int eq(const char *w, const char *s) { return w && strcmp(w, s) == 0; }

static int starts(const char *w, const char *prefix) { return w && strncmp(w, prefix, strlen(prefix)) == 0; }

static int ends(const char *w, const char *suffix)
{
    size_t n = strlen(w), m = strlen(suffix);
    return n >= m && memcmp(w + n - m, suffix, m) == 0;
}

/* The cue whose phrase starts at word i, and in *last (when not NULL) its last word. */
static const cas_cue *cue_at(const cas_toks *t, const cas_lex *lex, int i, int *last)
{
    int l;
    if (cas_k(t, i) != CAS_WORD)
        return NULL;
    return cas_phrases_match(lex->cues, t->w, t->n, i, last ? last : &l);
}

static const char *victim_at(const cas_toks *t, const cas_lex *lex, int i, int *last)
{
    int l;
    if (cas_k(t, i) != CAS_WORD)
        return NULL;
    return cas_phrases_match(lex->victims, t->w, t->n, i, last ? last : &l);
}

static int is_class(const cas_section *section, const char *w) { return cas_set_has(section->set, w); }

/* A word that may stand before a victim noun: not a function word, cue,
 * unit or auxiliary.  Capitalised words ("Filipino") and plain adjectives
 * ("suspected", "more") qualify. */
static int modifier_ok(const cas_toks *t, const cas_lex *lex, int i)
{
    const char *w = cas_word(t, i);
    if (!w || cue_at(t, lex, i, NULL) || is_class(&lex->unit, w) || is_class(&lex->aux, w) ||
        is_class(&lex->negation, w))
        return 0;
    return !is_class(&lex->function, w) || eq(w, "more") || eq(w, "other") || eq(w, "many");
}

/* A plural-looking word not known to any list: "smugglers", "Marovians". */
static int unknown_plural(const cas_toks *t, const cas_lex *lex, int i)
{
    const char *w = cas_word(t, i);
    if (!w || strlen(w) < 4 || !ends(w, "s") || ends(w, "ss") || ends(w, "us") || ends(w, "is"))
        return 0;
    return !(cue_at(t, lex, i, NULL) || is_class(&lex->function, w) || is_class(&lex->aux, w) ||
             is_class(&lex->unit, w) || is_class(&lex->negation, w));
}

/* Who a phrase counts: a victim noun's name (v NULL: nobody), and a second
 * one after "and"/"or" (v2 NULL: none, or the same).  "v and v2" is written
 * out only for a figure kept (append), so shapes may read phrases freely. */
typedef struct people {
    const char *v, *v2;
} people;

static const people NOBODY = {NULL, NULL};

static people just(const char *v) { return (people){v, NULL}; }

/* What victim_phrase returns: the victims, the index after the phrase, and
 * whether the noun was a known victim noun (0: an unknown plural). */
typedef struct phrase {
    people who;
    int after, known;
} phrase;

/* The people after a count: [of [the]] [modifiers] noun [(and|or) [modifier] noun]
 * starting at word i; nobody (and after = i) when there is no such phrase. */
static phrase victim_phrase(const cas_toks *t, const cas_lex *lex, int i)
{
    int j = i;
    if (IN(OF, cas_w(t, j)) && cas_k(t, j) == CAS_WORD) {
        j++;
        if (IN(DETERMINERS, cas_w(t, j)))
            j++;
    }
    for (int m = 0; m <= 3; m++) {
        int last;
        const char *v = victim_at(t, lex, j + m, &last);
        if (v) {
            phrase p = {just(v), last + 1, 1};
            if ((cas_is(t, p.after, "and") || cas_is(t, p.after, "or")) && cas_k(t, p.after) == CAS_WORD) {
                for (int m2 = 1; m2 <= 2; m2++) {
                    int last2;
                    const char *v2 = victim_at(t, lex, p.after + m2, &last2);
                    if (v2) {
                        if (strcmp(v2, v) != 0)
                            p.who.v2 = v2;
                        p.after = last2 + 1;
                        break;
                    }
                    if (!modifier_ok(t, lex, p.after + m2))
                        break;
                }
            }
            return p;
        }
        if (unknown_plural(t, lex, j + m) && !modifier_ok(t, lex, j + m + 1))
            return (phrase){just("people"), j + m + 1, 0};
        if (!modifier_ok(t, lex, j + m))
            break;
    }
    return (phrase){NOBODY, i, 0};
}

/* Words of the whole sentence that some shapes look for (sentence_words in
 * the Lua), read once, when first asked. */
typedef struct sentence_has {
    int read, refugee;
} sentence_has;

static int has_refugee(const cas_toks *t, sentence_has *has)
{
    if (!has->read) {
        has->read = 1;
        for (int i = 1; i <= t->n && !has->refugee; i++) {
            const char *w = t->w[i];
            has->refugee = starts(w, "refugee") || eq(w, "fled") || starts(w, "displac") || eq(w, "asylum");
        }
    }
    return has->refugee;
}

/* Whether one of words[0..n) is among the `within` words after index i. */
static int ahead(const cas_toks *t, int i, int within, const char *const *words, size_t n)
{
    int stop = imin(t->n, i + within);
    for (int j = i + 1; j <= stop; j++)
        if (find_word(cas_w(t, j), words, n, sizeof *words))
            return 1;
    return 0;
}

/* A complement a cue needs: "treated for ... wounds", "forced from their
 * homes", "crossed into ...".  Looks at the words after index i. */
static int complement_ok(const cas_toks *t, const cas_cue *cue, int i, sentence_has *has)
{
    const char *w = cue->word;
    if (eq(w, "treated") || eq(w, "suffered"))
        return ahead(t, i, 8, WOUND_WORDS, COUNT(WOUND_WORDS));
    if (eq(w, "forced"))
        return ahead(t, i, 6, HOME_WORDS, COUNT(HOME_WORDS));
    if (eq(w, "crossed"))
        return ahead(t, i, 2, CROSSING_WORDS, COUNT(CROSSING_WORDS)) && has_refugee(t, has);
    return 0;
}

typedef struct tense {
    int perfect, past, had;
} tense;

/* has/have/had among the three words before index i (adverbs between):
 * perfect, past, and whether the auxiliary was "had". */
static tense tense_before(const cas_toks *t, const cas_lex *lex, int i)
{
    for (int j = i - 1; j >= imax(1, i - 3); j--) {
        const char *w = cas_w(t, j);
        if (IN(PERFECT, w))
            return (tense){1, 0, 0};
        if (IN(PAST, w))
            return (tense){0, 1, eq(w, "had")};
        if (cas_k(t, j) != CAS_WORD ||
            !(is_class(&lex->aux, w) || eq(w, "already") || eq(w, "only") || eq(w, "alone")))
            break;
    }
    return (tense){0, 0, 0};
}

/* ---- the shapes ---- */

/* A figure a shape found, its victims not yet written out. */
typedef struct found {
    cas_figure f;
    people victims;
} found;

/* Fills *out; victims nobody are "people".  Returns the figure, for the
 * shape to set its tense and flags. */
static cas_figure *new_figure(found *out, const cas_toks *t, int qi, int cue, const char *category, people victims,
                              const char *rule)
{
    *out = (found){0};
    out->f.qi = qi;
    out->f.q = cas_q(t, qi);
    out->f.cue = cue;
    out->f.category = category;
    out->f.rule = rule;
    out->victims = victims.v ? victims : just("people");
    return &out->f;
}

/* "12 people were killed", "61 dead", "23 missing people", "Twenty-one
 * people, including six police officers, were injured". */
static int shape_after(found *out, const cas_toks *t, const cas_lex *lex, int qi, sentence_has *has)
{
    int j = qi + 1, last;
    const cas_cue *d = cue_at(t, lex, j, &last);
    cas_figure *f;
    if (d && (d->p || d->n) && !d->complement && !d->strict) {
        /* "12 killed", "61 dead", "23 wounded", "5 bodies"; "the 14 injured miners" */
        phrase p = victim_phrase(t, lex, last + 1);
        if (d->j && p.who.v && p.known) {
            f = new_figure(out, t, qi, last, d->category, p.who, "count-adjective-victims");
            f->past = IN(PAST_VERBS, d->word);
            return 1;
        }
        /* "12 missing documents": an unknown noun after the cue counts something else */
        int nxt = last + 1;
        const char *w = cas_w(t, nxt);
        if (cas_k(t, nxt) == CAS_WORD && !(is_class(&lex->function, w) || is_class(&lex->aux, w) ||
                                           cue_at(t, lex, nxt, NULL) || victim_at(t, lex, nxt, NULL)))
            return 0;
        f = new_figure(out, t, qi, last, d->category, NOBODY, d->n && !d->p ? "count-noun" : "count-cue");
        f->past = eq(d->word, "died") || eq(d->word, "drowned") || eq(d->word, "fled");
        return 1;
    }
    if (d && d->j) {
        phrase p = victim_phrase(t, lex, last + 1);
        if (p.who.v && p.known) {
            new_figure(out, t, qi, last, d->category, p.who, "count-adjective-victims");
            return 1;
        }
    }
    phrase p = victim_phrase(t, lex, j);
    people victims = p.who;
    j = p.after;
    /* an insertion: ", including six police officers," / "— two women and a child —" / an appositive */
    const char *close = cas_k(t, j) == CAS_PUNCT ? VALUE(INSERTION, cas_w(t, j)) : NULL;
    if (close) {
        int stop = imin(t->n, j + 12);
        for (int k2 = j + 1; k2 <= stop; k2++) {
            if (cas_is(t, k2, close)) {
                j = k2 + 1;
                break;
            }
            if (cue_at(t, lex, k2, NULL))
                break;
        }
    }
    /* people counted side by side: "4 officers and 2 civilians were hurt" */
    if (victims.v && cas_is(t, j, "and") && cas_q(t, j + 1)) {
        phrase p2 = victim_phrase(t, lex, j + 2);
        if (p2.who.v)
            j = p2.after;
    }
    /* a prepositional phrase after the people: "three patients on ventilators" */
    if (victims.v && IN(PP, cas_w(t, j)) && cas_k(t, j) == CAS_WORD) {
        int stop = imin(t->n, j + 4);
        for (int k2 = j + 1; k2 <= stop; k2++) {
            if (cas_k(t, k2) != CAS_WORD || cue_at(t, lex, k2, NULL)) {
                if (cue_at(t, lex, k2, NULL) || is_class(&lex->aux, cas_w(t, k2)))
                    j = k2;
                break;
            }
            if (is_class(&lex->aux, cas_w(t, k2))) {
                j = k2;
                break;
            }
        }
    }
    tense tn = {0, 0, 0};
    int chain_start = j;
    while (j <= t->n && cas_k(t, j) == CAS_WORD && is_class(&lex->aux, t->w[j])) {
        const char *w = t->w[j];
        if (IN(PERFECT, w))
            tn.perfect = 1;
        else if (IN(PAST, w))
            tn.past = 1;
        if (eq(w, "had"))
            tn.had = 1;
        j++;
    }
    if (j <= t->n && is_class(&lex->negation, cas_w(t, j)))
        return 0;
    if (!victims.v && j == chain_start)
        return 0;
    /* "70,000 lives have been lost": "lost" counts lives only, never people */
    if (cas_is(t, qi + 1, "lives") && cas_is(t, j, "lost") && j > chain_start) {
        f = new_figure(out, t, qi, j, "dead", just("people"), "lives-lost");
        f->perfect = tn.perfect;
        f->had = tn.had;
        f->past = tn.past;
        return 1;
    }
    /* "Nine members of the family were among the dead" */
    const char *state = cas_is(t, j, "among") && cas_is(t, j + 1, "the") ? VALUE(STATE_NOUNS, cas_w(t, j + 2)) : NULL;
    if (state && j > chain_start) {
        f = new_figure(out, t, qi, j + 2, state, victims, "count-among-the-state");
        f->subset = 1;
        f->anaphor = 1;
        f->past = tn.past;
        return 1;
    }
    d = cue_at(t, lex, j, &last);
    if (!d || !d->p)
        return 0;
    if (d->strict && !p.known)
        return 0;
    if (d->complement && !complement_ok(t, d, last, has))
        return 0;
    f = new_figure(out, t, qi, last, d->category, victims, victims.v ? "count-victims-verb" : "count-verb");
    f->perfect = tn.perfect;
    f->had = tn.had;
    f->past = tn.past || (!tn.perfect && IN(PAST_VERBS, d->word) && j == chain_start);
    return 1;
}

/* The people counted after an active verb (nobody: something else than
 * people, as unit nouns and unknown words make it).  The Lua also returns
 * the index after them, which no caller reads. */
static people count_object(const cas_toks *t, const cas_lex *lex, int qi, const cas_cue *d)
{
    int from = qi + 1;
    while (IN(QUOTES, cas_w(t, from)) && cas_k(t, from) == CAS_PUNCT)
        from++;
    phrase p = victim_phrase(t, lex, from);
    if (p.who.v)
        return d->strict && !p.known ? NOBODY : p.who;
    int after = p.after, k = cas_k(t, after);
    const char *nxt = cas_w(t, after);
    if (after > t->n || k == CAS_PUNCT || k == CAS_QUANTITY) {
        if (d->strict && k != CAS_PUNCT && after <= t->n)
            return NOBODY;
        return just("people");
    }
    if (d->strict)
        return NOBODY;
    if (is_class(&lex->unit, nxt))
        return NOBODY;
    if (is_class(&lex->function, nxt) || cue_at(t, lex, after, NULL))
        return just("people");
    return NOBODY;
}

/* The verb before "and" (index j) when the count is the second object of
 * that verb: "killed the driver and 11 passengers", "killed 12 soldiers and
 * 30 civilians"; 0 when the people after the count are no known victims or
 * a word other than a preposition follows them: a verb of their own ("and
 * 30 others were wounded", "and 2,493 others evacuated"). */
static int verb_before_and(const cas_toks *t, const cas_lex *lex, int qi, int j)
{
    phrase p = victim_phrase(t, lex, qi + 1);
    if (!p.known)
        return 0;
    const char *w = cas_w(t, p.after);
    if (cas_k(t, p.after) == CAS_WORD && (!is_class(&lex->function, w) || is_class(&lex->aux, w)))
        return 0;
    int k = j - 1;
    while (k > 1 && j - k < 4 && (cas_k(t, k) == CAS_WORD || cas_k(t, k) == CAS_QUANTITY) &&
           !cue_at(t, lex, k, NULL))
        k--;
    return cue_at(t, lex, k, NULL) ? k : 0;
}

/* The tense of a verb's figure (done in the Lua); returns 1, the shape's "found". */
static int verb_done(cas_figure *f, tense tn, const char *cue)
{
    f->perfect = tn.perfect;
    f->had = tn.had;
    f->past = !tn.perfect && (tn.past || IN(PAST_VERBS, cue));
    return 1;
}

/* "claimed (the) lives of N": j is "of". */
static int claimed_lives_of(found *out, const cas_toks *t, const cas_lex *lex, int qi, int j)
{
    int k = j - 2;
    if (cas_is(t, k, "the"))
        k--;
    const cas_cue *d = cue_at(t, lex, k, NULL);
    if (!d || !IN(TAKES_LIVES, d->word))
        return 0;
    phrase p = victim_phrase(t, lex, qi + 1);
    cas_figure *f = new_figure(out, t, qi, k, "killed", p.who, "claimed-lives");
    tense tn = tense_before(t, lex, k);
    f->perfect = tn.perfect;
    f->had = tn.had;
    f->past = !tn.perfect && eq(d->word, "claimed");
    return 1;
}

/* The verbs that need a complement before their count: "left 84 people
 * dead", "claimed 70,000 lives", "recovered 5 bodies", "forced 60,000 from
 * their homes", "took 12 hostage". */
static int verb_complement(found *out, const cas_toks *t, const cas_lex *lex, int qi, const cas_cue *d, tense tn,
                           sentence_has *has)
{
    const char *cue = d->word;
    if (starts(cue, "lef") || starts(cue, "leav")) {
        phrase p = victim_phrase(t, lex, qi + 1);
        const char *state = VALUE(STATE_NOUNS, cas_w(t, p.after));
        if (!state && cas_is(t, p.after, "homeless"))
            state = "displaced";
        if (!state || cas_is(t, p.after, "victims"))
            return 0;
        return verb_done(new_figure(out, t, qi, p.after, state, p.who, "left-count-state"), tn, cue);
    }
    if (IN(TAKES_LIVES, cue)) {
        phrase p = victim_phrase(t, lex, qi + 1);
        if (cas_is(t, qi + 1, "lives"))
            return verb_done(new_figure(out, t, qi, qi + 1, "killed", just("people"), "claimed-lives"), tn, cue);
        if (p.who.v && cas_is(t, p.after, "lives"))
            return verb_done(new_figure(out, t, qi, p.after, "killed", p.who, "claimed-lives"), tn, cue);
        /* "claimed at least 45 victims" */
        if (cas_is(t, qi + 1, "victims"))
            return verb_done(new_figure(out, t, qi, qi + 1, "killed", just("people"), "claimed-lives"), tn, cue);
        return 0;
    }
    if (eq(cue, "recovered") || eq(cue, "found") || eq(cue, "pulled") || eq(cue, "retrieved")) {
        if (cas_is(t, qi + 1, "bodies") || (cas_is(t, qi + 2, "bodies") && cas_k(t, qi + 1) == CAS_WORD))
            return verb_done(new_figure(out, t, qi, qi + 1, "dead", just("people"), "bodies"), tn, cue);
        return 0;
    }
    if (eq(cue, "forced")) {
        phrase p = victim_phrase(t, lex, qi + 1);
        if (complement_ok(t, d, p.after - 1, has))
            return verb_done(new_figure(out, t, qi, p.after, "displaced", p.who, "forced-count-from-homes"), tn, cue);
        return 0;
    }
    if (eq(cue, "took") || eq(cue, "taken") || eq(cue, "holding")) {
        phrase p = victim_phrase(t, lex, qi + 1);
        const char *w = cas_w(t, p.after);
        if (eq(w, "hostage") || eq(w, "hostages") || eq(w, "captive") || cas_is(t, qi + 1, "hostages"))
            return verb_done(new_figure(out, t, qi, p.after, "abducted", p.who, "took-hostage"), tn, cue);
        return 0;
    }
    return 0;
}

/* "killing 12", "seized four Filipino peacekeepers", "left 84 people dead",
 * "claimed over 70,000 lives", "claimed lives of over 70,000 people". */
static int shape_verb(found *out, const cas_toks *t, const cas_lex *lex, int qi, sentence_has *has)
{
    int j = qi - 1;
    while (j >= 1 && cas_k(t, j) == CAS_PUNCT && IN(QUOTES, t->w[j]))
        j--;
    /* "killing all 298 people on board"; "secuestraron a 12 estudiantes" */
    if ((cas_is(t, j, "all") || cas_is(t, j, "a")) && cas_k(t, j) == CAS_WORD)
        j--;
    if (j < 1 || cas_k(t, j) != CAS_WORD)
        return 0;
    /* "the killing of three aid workers", "the abduction of 20 students" */
    const char *event = cas_is(t, j, "of") ? VALUE(EVENT_NOUNS, cas_w(t, j - 1)) : NULL;
    if (event) {
        phrase p = victim_phrase(t, lex, qi + 1);
        if (!p.known)
            return 0;
        new_figure(out, t, qi, j - 1, event, p.who, "event-of-count")->past = 1;
        return 1;
    }
    if (cas_is(t, j, "of") && cas_is(t, j - 1, "lives"))
        return claimed_lives_of(out, t, lex, qi, j);
    if (cas_is(t, j, "and") && cas_k(t, j) == CAS_WORD) {
        j = verb_before_and(t, lex, qi, j);
        if (!j)
            return 0;
    }
    /* the verb may be the last word of a phrase ("shot and killed", "shot dead") */
    const cas_cue *d = NULL;
    for (int start = j; start >= imax(1, j - 2); start--) {
        int l2;
        const cas_cue *d2 = cue_at(t, lex, start, &l2);
        if (d2 && l2 == j && d2->a) {
            d = d2;
            break;
        }
    }
    if (!d)
        return 0;
    /* the Lua reads before j - (last - j); the phrase ends at j */
    tense tn = tense_before(t, lex, j);
    if (d->complement)
        return verb_complement(out, t, lex, qi, d, tn, has);
    if ((t->q[qi]->flags & LEDE_NUM_YEAR) && !victim_phrase(t, lex, qi + 1).known)
        return 0;
    people victims = count_object(t, lex, qi, d);
    if (!victims.v)
        return 0;
    return verb_done(new_figure(out, t, qi, j, d->category, victims, "verb-count"), tn, d->word);
}

/* After "number of": the category of the people counted, or NULL. */
static const char *number_of(const cas_toks *t, const cas_lex *lex, int i)
{
    int stop = imin(t->n, i + 6);
    for (int k = i + 2; k <= stop; k++) {
        const cas_cue *c = cue_at(t, lex, k, NULL);
        if (c && (c->p || c->n || c->j) && !c->complement)
            return c->category;
        const char *s = VALUE(STATE_NOUNS, cas_w(t, k));
        if (s)
            return s;
    }
    return NULL;
}

/* The toll's subject at or before index j, back to stop: "death toll",
 * "toll", "number of people killed", "number of dead".  Returns the
 * category, or NULL. */
static const char *toll_subject(const cas_toks *t, const cas_lex *lex, int j, int stop)
{
    for (int i = j; i >= imax(1, stop); i--) {
        int k = cas_k(t, i);
        if (k == CAS_QUANTITY || (k == CAS_PUNCT && (cas_is(t, i, ";") || cas_is(t, i, "."))))
            return NULL;
        if (cas_is(t, i, "toll") && k == CAS_WORD)
            return cas_is(t, i - 1, "injury") ? "wounded" : "dead";
        /* "storm deaths reach 25", "arrests rose to 300" */
        const cas_cue *d = i == j ? cue_at(t, lex, i, NULL) : NULL;
        if (d && d->n && !d->p)
            return d->category;
        if (cas_is(t, i, "number") && cas_is(t, i + 1, "of"))
            return number_of(t, lex, i);
    }
    return NULL;
}

/* "bringing to 11 the number of X", "bringing to 11 the death toll" */
static int bringing_to_count(found *out, const cas_toks *t, const cas_lex *lex, int qi)
{
    int k = qi + 1;
    if (cas_is(t, k, "the"))
        k++;
    const char *category = toll_subject(t, lex, imin(t->n, k + 1), k);
    if (!category)
        return 0;
    new_figure(out, t, qi, k, category, just("people"), "bringing-to-count")->running = 1;
    return 1;
}

/* "bringing the death toll to 12", "bringing the number of reporters in
 * custody to 15": j is "to". */
static int bringing_toll_to_count(found *out, const cas_toks *t, const cas_lex *lex, int qi, int j)
{
    int k = j - 1;
    while (k > 1 && cas_k(t, k) == CAS_WORD && !IN(BRINGING, t->w[k]) && j - k < 9)
        k--;
    if (!IN(BRINGING, cas_w(t, k)))
        return 0;
    const char *category = toll_subject(t, lex, j - 1, k + 1);
    if (!category)
        return 0;
    new_figure(out, t, qi, j, category, just("people"), "bringing-toll-to-count")->running = 1;
    return 1;
}

/* "the death toll rose to 45", "toll passes 700", "a death toll of 45",
 * "bringing the death toll to 12", "bringing to 11 the number of reporters detained". */
static int shape_toll(found *out, const cas_toks *t, const cas_lex *lex, int qi)
{
    int j = qi - 1;
    while (j >= 1 && cas_k(t, j) == CAS_PUNCT && IN(QUOTES, t->w[j]))
        j--;
    const char *w = cas_w(t, j), *qualifier = NULL, *category;
    if (eq(w, "to") && IN(BRINGING, cas_w(t, j - 1)))
        return bringing_to_count(out, t, lex, qi);
    int verb_i = j;
    if (eq(w, "to") || eq(w, "at") || eq(w, "of") || eq(w, "past"))
        verb_i = j - 1;
    if (eq(w, "past"))
        qualifier = "more_than"; /* "climbed past 40,000" */
    const char *v = cas_w(t, verb_i);
    if ((eq(w, "of") || eq(w, "at")) && eq(v, "toll")) { /* "a death toll of 45", "put the toll at 45" */
        category = toll_subject(t, lex, verb_i, verb_i - 1);
    } else if (cas_k(t, verb_i) == CAS_WORD && is_class(&lex->toll_verb, v)) {
        if (is_class(&lex->toll_more, v))
            qualifier = "more_than";
        if (eq(w, "past"))
            qualifier = "more_than";
        if (is_class(&lex->toll_nearly, v))
            qualifier = "nearly";
        int k = verb_i - 1;
        while (k >= 1 && cas_k(t, k) == CAS_WORD && (is_class(&lex->aux, t->w[k]) || eq(t->w[k], "now")))
            k--;
        category = toll_subject(t, lex, k, imax(1, verb_i - 25));
    } else if (eq(w, "to")) {
        return bringing_toll_to_count(out, t, lex, qi, j);
    } else {
        return 0;
    }
    if (!category)
        return 0;
    cas_figure *f = new_figure(out, t, qi, verb_i, category, just("people"), "toll-verb-count");
    f->toll_qualifier = qualifier;
    tense tn = tense_before(t, lex, verb_i);
    f->perfect = tn.perfect;
    f->had = tn.had;
    /* (not perfect and -ed) or rose, stood, hit: v is "toll" or a toll verb here */
    f->past = (!tn.perfect && ends(v, "ed")) || eq(v, "rose") || eq(v, "stood") || eq(v, "hit");
    return 1;
}

/* "Among the dead were three children", "512 of the dead were civilians",
 * "among them 74 children", "including six police officers".  previous:
 * the figure before, in this sentence (NULL: none). */
static int shape_subset(found *out, const cas_toks *t, const cas_lex *lex, int qi, const cas_figure *previous)
{
    phrase p = victim_phrase(t, lex, qi + 1);
    cas_figure *f;
    /* N of the dead */
    if (cas_is(t, qi + 1, "of") && cas_is(t, qi + 2, "the")) {
        const char *s = VALUE(STATE_NOUNS, cas_w(t, qi + 3));
        if (s) {
            people v2 = victim_phrase(t, lex, qi + 4).who; /* "512 of the dead were civilians" */
            int k = qi + 4;
            while (cas_k(t, k) == CAS_WORD && is_class(&lex->aux, t->w[k]))
                k++;
            people v3 = victim_phrase(t, lex, k).who;
            new_figure(out, t, qi, qi + 3, s, v3.v ? v3 : v2, "count-of-the-state")->subset = 1;
            return 1;
        }
    }
    /* among the dead were N */
    int j = qi - 1;
    while (j >= 1 && cas_k(t, j) == CAS_WORD &&
           (eq(t->w[j], "were") || eq(t->w[j], "was") || eq(t->w[j], "are") || eq(t->w[j], "is")))
        j--;
    const char *s = VALUE(STATE_NOUNS, cas_w(t, j));
    if (s && cas_is(t, j - 1, "the") && cas_is(t, j - 2, "among") && (p.who.v || cas_k(t, qi + 1) != CAS_WORD)) {
        new_figure(out, t, qi, j, s, p.who, "among-the-state-count")->subset = 1;
        return 1;
    }
    /* "1,000 people were killed, 300 of them children": part of the figure before */
    if (previous && cas_is(t, qi + 1, "of") && cas_is(t, qi + 2, "them")) {
        people v = victim_phrase(t, lex, qi + 3).who;
        f = new_figure(out, t, qi, qi + 2, previous->category, v.v ? v : just(previous->victims), "count-of-them");
        f->subset = 1;
        f->anaphor = 1;
        return 1;
    }
    /* among them N, including N: the category of the figure before, in this sentence */
    if (previous && p.who.v && p.known &&
        ((cas_is(t, qi - 1, "them") && cas_is(t, qi - 2, "among")) || cas_is(t, qi - 1, "including"))) {
        f = new_figure(out, t, qi, qi - 1, previous->category, p.who, "including-count");
        f->subset = 1;
        f->anaphor = 1;
        return 1;
    }
    return 0;
}

/* "Killed: 45. Injured: 120.": a cue as the label of a count, opening the
 * sentence or a clause. */
static int shape_label(found *out, const cas_toks *t, const cas_lex *lex, int qi)
{
    if (!cas_is(t, qi - 1, ":") || cas_k(t, qi - 1) != CAS_PUNCT)
        return 0;
    int last;
    const cas_cue *d = cue_at(t, lex, qi - 2, &last);
    if (!d || last != qi - 2 || !(d->p || d->n) || d->complement)
        return 0;
    if (qi > 3 && cas_k(t, qi - 3) != CAS_PUNCT)
        return 0;
    new_figure(out, t, qi, qi - 2, d->category, just("people"), "label-count");
    return 1;
}

/* ---- the figures of a sentence ---- */

/* A year after a month is part of a date; a count after a negation counts nobody. */
static int skipped(const cas_toks *t, int i)
{
    if ((t->q[i]->flags & LEDE_NUM_YEAR) && IN(MONTHS, cas_w(t, i - 1)))
        return 1;
    for (int j = imax(1, i - 3); j <= i - 1; j++) {
        const char *w = t->w[j];
        if (t->k[j] == CAS_WORD && (eq(w, "none") || eq(w, "no") || eq(w, "not") || eq(w, "without")))
            return 1;
    }
    return 0;
}

/* Appends the figure found, its victims written out ("v and v2") in the article's arena. */
static int append(cas_figures *out, const found *d, const cas_toks *t, int sentence, cas_art *a)
{
    const char *victims = d->victims.v;
    if (d->victims.v2) {
        size_t n1 = strlen(d->victims.v), n2 = strlen(d->victims.v2);
        char *s = cas_alloc(a, n1 + 5 + n2 + 1);
        if (!s)
            return LEDE_ENOMEM;
        memcpy(s, d->victims.v, n1);
        memcpy(s + n1, " and ", 5);
        memcpy(s + n1 + 5, d->victims.v2, n2 + 1);
        victims = s;
    }
    if (lede_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v) != LEDE_OK)
        return LEDE_ENOMEM;
    cas_figure *f = &out->v[out->n++];
    *f = d->f;
    f->victims = victims;
    f->sentence = sentence;
    f->toks = t;
    return LEDE_OK;
}

int cas_find(cas_figures *out, const cas_toks *t, const cas_lex *lex, int sentence, cas_art *a)
{
    size_t first = out->n; /* figures of earlier sentences are no `previous` */
    sentence_has has = {0, 0};
    for (int n = 1; n <= t->nq; n++) {
        int i = t->qi[n];
        if (skipped(t, i))
            continue;
        const cas_figure *previous = out->n > first ? &out->v[out->n - 1] : NULL;
        found d;
        if (!(shape_subset(&d, t, lex, i, previous) || shape_toll(&d, t, lex, i) ||
              shape_verb(&d, t, lex, i, &has) || shape_after(&d, t, lex, i, &has) || shape_label(&d, t, lex, i)))
            continue;
        if (is_class(&lex->anaphor, cas_w(t, i - 1)))
            d.f.anaphor = 1;
        if (eq(d.f.rule, "count-of-the-state") || eq(d.f.rule, "among-the-state-count"))
            d.f.anaphor = 1;
        int rc = append(out, &d, t, sentence, a);
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}
