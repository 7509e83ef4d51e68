/* Word classes of the quote extractor: see quoteword.h.  The lists come
 * from the plugin's data files; the words the rules name one by one, and
 * small closed sets (particles, quantity words, articles), are here. */
#define _POSIX_C_SOURCE 200809L
#include "quoteword.h"

#include "hash.h"

#include <stdlib.h>
#include <string.h>

/* ---- the hash table ---- */

static int arena_copy(qw_table *t, const char *s, size_t n, const char **out)
{
    if (t->arena_len + n + 1 > t->arena_cap) {
        /* keys are referenced by pointer: a full arena starts a new block */
        size_t cap = n + 1 > 16384 ? n + 1 : 16384;
        char *block = malloc(cap + sizeof(char *));
        if (block == NULL)
            return LEDE_ENOMEM;
        memcpy(block, &t->arena, sizeof(char *)); /* chain of blocks, freed in qw_free */
        t->arena = block;
        t->arena_len = sizeof(char *);
        t->arena_cap = cap + sizeof(char *);
    }
    char *d = t->arena + t->arena_len;
    memcpy(d, s, n);
    d[n] = '\0';
    t->arena_len += n + 1;
    *out = d;
    return LEDE_OK;
}

static int table_grow(qw_table *t)
{
    size_t cap = t->slots ? (t->mask + 1) * 2 : 1024;
    qw_entry *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; t->slots && i <= t->mask; i++) {
        if (t->slots[i].key == NULL)
            continue;
        size_t h = (size_t)lede_hash64(t->slots[i].key, t->slots[i].len, 0) & (cap - 1);
        while (slots[h].key)
            h = (h + 1) & (cap - 1);
        slots[h] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->mask = cap - 1;
    return LEDE_OK;
}

const qw_entry *qw_find(const qw_table *t, const char *word, size_t len)
{
    if (t->slots == NULL)
        return NULL;
    for (size_t h = (size_t)lede_hash64(word, len, 0) & t->mask;; h = (h + 1) & t->mask) {
        const qw_entry *e = &t->slots[h];
        if (e->key == NULL)
            return NULL;
        if (e->len == len && memcmp(e->key, word, len) == 0)
            return e;
    }
}

/* Adds bits (and a word id, a gender) to `word`, creating its entry. */
static int qw_add(qw_table *t, const char *word, size_t len, uint32_t bits, int wid, int gender)
{
    if (len == 0)
        return LEDE_OK;
    if ((t->n + 1) * 2 > (t->slots ? t->mask + 1 : 0) && table_grow(t) != LEDE_OK)
        return LEDE_ENOMEM;
    size_t h = (size_t)lede_hash64(word, len, 0) & t->mask;
    while (t->slots[h].key && !(t->slots[h].len == len && memcmp(t->slots[h].key, word, len) == 0))
        h = (h + 1) & t->mask;
    qw_entry *e = &t->slots[h];
    if (e->key == NULL) {
        if (arena_copy(t, word, len, &e->key) != LEDE_OK)
            return LEDE_ENOMEM;
        e->len = (uint32_t)len;
        t->n++;
    }
    e->bits |= bits;
    if (wid)
        e->wid = (uint8_t)wid;
    if (gender)
        e->gender = (uint8_t)gender;
    return LEDE_OK;
}

/* ---- lines of a list ---- */

typedef struct line {
    const char *word, *value;
    size_t word_len, value_len;
} line;

/* The next non-comment line at *p: word up to a TAB, then the value. */
static int next_line(line *ln, const char **p)
{
    while (**p) {
        const char *s = *p, *e = strchr(s, '\n');
        if (e == NULL)
            e = s + strlen(s);
        *p = *e ? e + 1 : e;
        while (e > s && (e[-1] == '\r' || e[-1] == ' '))
            e--;
        if (e == s || *s == '#')
            continue;
        const char *tab = memchr(s, '\t', (size_t)(e - s));
        ln->word = s;
        ln->word_len = (size_t)((tab ? tab : e) - s);
        ln->value = tab ? tab + 1 : e;
        ln->value_len = (size_t)(e - ln->value);
        return 1;
    }
    return 0;
}

static int value_is(const line *ln, const char *v)
{
    return ln->value_len == strlen(v) && memcmp(ln->value, v, ln->value_len) == 0;
}

static int gender_of(const line *ln)
{
    return value_is(ln, "m") ? 'm' : value_is(ln, "f") ? 'f' : 0;
}

/* Plural of a noun into buf (cap >= len + 3): the usual English rules. */
static size_t plural(char *buf, const char *w, size_t n)
{
    memcpy(buf, w, n);
    char last = n ? w[n - 1] : 0, prev = n > 1 ? w[n - 2] : 0;
    if (last == 's' || last == 'x' || last == 'z' || ((last == 'h') && (prev == 'c' || prev == 's'))) {
        memcpy(buf + n, "es", 2);
        return n + 2;
    }
    if (last == 'y' && !strchr("aeiou", prev)) {
        memcpy(buf + n - 1, "ies", 3);
        return n + 2;
    }
    if (n >= 3 && memcmp(w + n - 3, "man", 3) == 0) {
        buf[n - 2] = 'e';
        return n;
    }
    buf[n] = 's';
    return n + 1;
}

/* A noun list: each word gets `bits`, its plural `plural_bits`. */
static int load_nouns(qw_table *t, const char *text, uint32_t bits, uint32_t plural_bits)
{
    line ln;
    const char *p = text ? text : "";
    char buf[256];
    while (next_line(&ln, &p)) {
        if (qw_add(t, ln.word, ln.word_len, bits, 0, gender_of(&ln)) != LEDE_OK)
            return LEDE_ENOMEM;
        if (plural_bits && ln.word_len + 3 < sizeof buf && !memchr(ln.word, ' ', ln.word_len)) {
            size_t n = plural(buf, ln.word, ln.word_len);
            if (qw_add(t, buf, n, plural_bits, 0, 0) != LEDE_OK)
                return LEDE_ENOMEM;
        }
    }
    return LEDE_OK;
}

static const struct {
    const char *name;
    uint32_t bits;
} function_classes[] = {
    {"det", QW_DET},   {"aux", QW_AUX | QW_STOP},   {"prep", QW_PREP | QW_STOP}, {"conj", QW_CONJ | QW_STOP},
    {"sub", QW_SUB | QW_STOP}, {"adv", QW_ADV | QW_STOP}, {"pron", QW_PRON | QW_STOP}, {"time", QW_TIME},
    {"past", QW_PAST}, {"nobody", QW_NOBODY | QW_STOP},
};

static int load_function_words(qw_table *t, const char *text)
{
    line ln;
    const char *p = text ? text : "";
    while (next_line(&ln, &p)) {
        for (size_t i = 0; i < sizeof function_classes / sizeof *function_classes; i++)
            if (value_is(&ln, function_classes[i].name) &&
                qw_add(t, ln.word, ln.word_len, function_classes[i].bits, 0, 0) != LEDE_OK)
                return LEDE_ENOMEM;
    }
    return LEDE_OK;
}

/* Cue forms: the first word of each form is a cue word; lemmas are counted. */
static int load_cue_words(lede_quoter *q, const char *text)
{
    line ln;
    const char *p = text ? text : "";
    const char *last_lemma = NULL;
    size_t last_len = 0;
    while (next_line(&ln, &p)) {
        /* the verb of the form: its first word, past a function word ("a déclaré") */
        const char *w = ln.word, *end = ln.word + ln.word_len;
        const char *sp = memchr(w, ' ', ln.word_len);
        uint32_t bits = sp ? QW_CUE | QW_CUE_PHRASE : QW_CUE;
        const qw_entry *known = sp ? qw_find(&q->words, w, (size_t)(sp - w)) : NULL;
        if (known && (known->bits & (QW_DET | QW_AUX | QW_PREP | QW_PRON))) {
            w = sp + 1;
            sp = memchr(w, ' ', (size_t)(end - w));
        }
        size_t len = (size_t)((sp ? sp : end) - w);
        unsigned slot = qw_filter_slot(w, len);
        q->cue_filter[slot / 64] |= (uint64_t)1 << (slot % 64);
        if (qw_add(&q->words, w, len, bits, 0, 0) != LEDE_OK)
            return LEDE_ENOMEM;
        const char *bar = memchr(ln.value, '|', ln.value_len);
        size_t lemma_len = bar ? (size_t)(bar - ln.value) : ln.value_len;
        if (!(last_lemma && lemma_len == last_len && memcmp(last_lemma, ln.value, lemma_len) == 0))
            q->cue_lemmas++;
        last_lemma = ln.value;
        last_len = lemma_len;
    }
    return LEDE_OK;
}

static int load_acronyms(lede_quoter *q, const char *text)
{
    line ln;
    const char *p = text ? text : "";
    while (next_line(&ln, &p)) {
        char **v = realloc(q->acronyms, (q->n_acronyms + 1) * 2 * sizeof *v);
        if (v == NULL)
            return LEDE_ENOMEM;
        q->acronyms = v;
        v[2 * q->n_acronyms] = strndup(ln.word, ln.word_len);
        v[2 * q->n_acronyms + 1] = strndup(ln.value, ln.value_len);
        q->n_acronyms++;
        if (v[2 * q->n_acronyms - 2] == NULL || v[2 * q->n_acronyms - 1] == NULL)
            return LEDE_ENOMEM;
    }
    return LEDE_OK;
}

const char *qw_acronym(const lede_quoter *q, const char *word, size_t len)
{
    char bare[32];
    size_t n = 0;
    for (size_t i = 0; i < len && n < sizeof bare - 1; i++)
        if (word[i] != '.')
            bare[n++] = word[i];
    for (size_t i = 0; i < q->n_acronyms; i++)
        if (strlen(q->acronyms[2 * i]) == n && memcmp(q->acronyms[2 * i], bare, n) == 0)
            return q->acronyms[2 * i + 1];
    return NULL;
}

/* ---- the words the rules name ---- */

static const struct {
    const char *word;
    int wid;
    uint32_t bits;
} named_words[] = {
    {"that", W_THAT, 0}, {"who", W_WHO, 0}, {"which", W_WHICH, 0}, {"whose", W_WHOSE, 0}, {"whom", W_WHOM, 0},
    {"to", W_TO, 0}, {"not", W_NOT, 0}, {"the", W_THE, QW_DEFINITE | QW_ARTICLE}, {"a", W_A, QW_ARTICLE},
    {"an", W_AN, QW_ARTICLE}, {"of", W_OF, 0}, {"and", W_AND, 0}, {"&", W_AMP, 0}, {"but", W_BUT, 0},
    {"or", W_OR, 0}, {"then", W_THEN, 0}, {"while", W_WHILE, 0}, {"whereas", W_WHEREAS, 0},
    {"although", W_ALTHOUGH, 0}, {"though", W_THOUGH, 0}, {"in", W_IN, 0}, {"on", W_ON, 0}, {"at", W_AT, QW_QUANT},
    {"by", W_BY, 0}, {"during", W_DURING, 0}, {"late", W_LATE, 0}, {"early", W_EARLY, 0},
    {"this", W_THIS, QW_DEFINITE | QW_ARTICLE}, {"name", W_NAME, 0}, {"as", W_AS, 0}, {"he", W_HE, 0},
    {"she", W_SHE, 0}, {"they", W_THEY, 0}, {"it", W_IT, 0}, {"we", W_WE, 0}, {"i", W_I, 0}, {"them", W_THEM, 0},
    {"him", W_HIM, 0}, {"us", W_US, 0}, {"me", W_ME, 0}, {"himself", W_HIMSELF, 0}, {"herself", W_HERSELF, 0},
    {"staff", W_STAFF, 0}, {"crew", W_CREW, 0}, {"men", W_MEN, 0}, {"women", W_WOMEN, 0},
    {"police", W_POLICE, 0}, {"for", W_FOR, 0}, {"de", W_DE, 0}, {"du", W_DU, 0}, {"statement", W_STATEMENT, 0},
    {"interview", W_INTERVIEW, 0}, {"be", W_BE, QW_NONFINITE}, {"been", W_BEEN, QW_NONFINITE},
    {"being", W_BEING, QW_NONFINITE}, {"having", W_NONE, QW_NONFINITE},
    {",", W_COMMA, 0}, {";", W_SEMI, 0}, {":", W_COLON, 0}, {"(", W_LPAREN, 0}, {")", W_RPAREN, 0},
    {".", W_PERIOD, 0}, {"!", W_EXCL, 0}, {"?", W_QUEST, 0}, {"\xe2\x80\xa6", W_ELLIPSIS, 0},
    {"\"", W_Q2, 0}, {"\xe2\x80\x9c", W_Q2_OPEN, 0}, {"\xe2\x80\x9d", W_Q2_CLOSE, 0},
    {"\xe2\x80\x9e", W_Q2_LOW, 0}, {"\xe2\x80\x9f", W_Q2_REV, 0}, {"\xc2\xab", W_GUIL_OPEN, 0},
    {"\xc2\xbb", W_GUIL_CLOSE, 0}, {"'", W_Q1, 0}, {"\xe2\x80\x98", W_Q1_OPEN, 0}, {"\xe2\x80\x99", W_Q1_CLOSE, 0},
    {"\xe2\x80\x9a", W_Q1_LOW, 0}, {"\xe2\x80\x9b", W_Q1_REV, 0}, {"\xe2\x80\xb9", W_SGUIL_OPEN, 0},
    {"\xe2\x80\xba", W_SGUIL_CLOSE, 0},
};

/* Closed sets the rules use as classes. */
static const char *const particles[] = {"de", "del", "della", "der", "den", "da", "di", "du", "dos", "das",
                                        "van", "von", "la", "le", "ter", "ten", "bin", "ibn", "bint", "al",
                                        "el", "abu", "ben", "y", NULL};
static const char *const quantities[] = {"about", "around", "over", "under", "nearly", "almost", "roughly",
                                         "some", "up", "more", "less", "fewer", "only", "just", "between",
                                         NULL};
static const char *const definites[] = {"its", "his", "her", "their", "our", "these", "those", "my", "your",
                                        NULL};
static const char *const articles[] = {"its", "his", "her", "their", "our", "my", "your", "these", "those",
                                       "every", "each", NULL};

static int add_set(qw_table *t, const char *const *words, uint32_t bits)
{
    for (; *words; words++)
        if (qw_add(t, *words, strlen(*words), bits, 0, 0) != LEDE_OK)
            return LEDE_ENOMEM;
    return LEDE_OK;
}

int qw_load(lede_quoter *q, const lede_quoter_lists *l)
{
    qw_table *t = &q->words;
    int rc = LEDE_OK;
    for (size_t i = 0; i < sizeof named_words / sizeof *named_words && rc == LEDE_OK; i++)
        rc = qw_add(t, named_words[i].word, strlen(named_words[i].word), named_words[i].bits, named_words[i].wid,
                    0);
    if (rc == LEDE_OK)
        rc = add_set(t, particles, QW_PARTICLE);
    if (rc == LEDE_OK)
        rc = add_set(t, quantities, QW_QUANT);
    if (rc == LEDE_OK)
        rc = add_set(t, definites, QW_DEFINITE);
    if (rc == LEDE_OK)
        rc = add_set(t, articles, QW_ARTICLE);
    if (rc == LEDE_OK)
        rc = load_function_words(t, l->function_words);
    if (rc == LEDE_OK)
        rc = load_nouns(t, l->roles, QW_ROLE, QW_ROLE_PL);
    if (rc == LEDE_OK)
        rc = load_nouns(t, l->titles, QW_TITLE, 0);
    if (rc == LEDE_OK)
        rc = load_nouns(t, l->organisations, QW_ORG, QW_ORG_PL);
    if (rc == LEDE_OK)
        rc = load_nouns(t, l->groups, QW_GROUP, 0);
    if (rc == LEDE_OK)
        rc = load_cue_words(q, l->cues);
    if (rc == LEDE_OK)
        rc = load_acronyms(q, l->acronyms);
    if (rc == LEDE_OK) { /* "and" joins names: it never ends a speaker phrase */
        qw_entry *e = (qw_entry *)qw_find(t, "and", 3);
        e->bits &= ~(uint32_t)QW_STOP;
    }
    return rc;
}

void qw_free(lede_quoter *q)
{
    char *block = q->words.arena;
    while (block) {
        char *next;
        memcpy(&next, block, sizeof next);
        free(block);
        block = next;
    }
    free(q->words.slots);
    for (size_t i = 0; i < 2 * q->n_acronyms; i++)
        free(q->acronyms[i]);
    free(q->acronyms);
    memset(&q->words, 0, sizeof q->words);
    q->acronyms = NULL;
    q->n_acronyms = 0;
}
