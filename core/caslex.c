/* The word lists of the casualties extractor, read as the plugin's Lua
 * lexicon.lua read them (see casart.h).  Everything
 * they hold lives in one arena (cas_lex.priv), freed with them. */
#include "casart.h"

#include "hash.h"
#include "grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sets: open addressing, the table twice the entries at least ---- */

typedef struct slot {
    uint64_t hash;
    const char *key; /* NULL: empty */
    size_t len;
    const void *value;
} slot;

/* Most words looked up are in no list: a bit per value of their first
 * three bytes (hashed into FILTER_BITS) tells most of them "no" before
 * any hashing. */
#define FILTER_BITS 1024

struct cas_set {
    slot *slots;
    size_t mask, n;
    uint64_t filter[FILTER_BITS / 64];
};

static unsigned filter_bit(const char *w, size_t len)
{
    const unsigned char *u = (const unsigned char *)w;
    uint32_t a = len > 0 ? u[0] : 0, b = len > 1 ? u[1] : 0, c = len > 2 ? u[2] : 0;
    return (uint32_t)((a | b << 8 | c << 16) * 0x9E3779B1u) >> 22;
}

static slot *set_slot(const cas_set *s, const char *key, size_t len, uint64_t h)
{
    for (size_t i = (size_t)h & s->mask;; i = (i + 1) & s->mask) {
        slot *e = &s->slots[i];
        if (e->key == NULL || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
}

/* The old table stays in the arena: sets are built once. */
static int set_grow(cas_art *mem, cas_set *s)
{
    size_t cap = s->slots ? (s->mask + 1) * 2 : 16;
    slot *old = s->slots;
    size_t old_cap = old ? s->mask + 1 : 0;
    if ((s->slots = cas_alloc(mem, cap * sizeof *s->slots)) == NULL)
        return LEDE_ENOMEM;
    s->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *set_slot(s, old[i].key, old[i].len, old[i].hash) = old[i];
    return LEDE_OK;
}

/* Sets key (owned by the arena) to value, replacing an earlier value as a
 * Lua table assignment does. */
static int set_put(cas_art *mem, cas_set *s, const char *key, const void *value)
{
    if ((s->n + 1) * 2 > (s->slots ? s->mask + 1 : 0) && set_grow(mem, s) != LEDE_OK)
        return LEDE_ENOMEM;
    size_t len = strlen(key);
    uint64_t h = lede_hash64(key, len, 0);
    slot *e = set_slot(s, key, len, h);
    if (e->key == NULL) {
        *e = (slot){h, key, len, NULL};
        s->n++;
        unsigned bit = filter_bit(key, len);
        s->filter[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
    e->value = value;
    return LEDE_OK;
}

const void *cas_set_getn(const cas_set *s, const char *w, size_t len)
{
    if (w == NULL || s->slots == NULL)
        return NULL;
    unsigned bit = filter_bit(w, len);
    if (!(s->filter[bit / 64] >> (bit % 64) & 1))
        return NULL;
    return set_slot(s, w, len, lede_hash64(w, len, 0))->value;
}

const void *cas_set_get(const cas_set *s, const char *w) { return w ? cas_set_getn(s, w, strlen(w)) : NULL; }

int cas_set_has(const cas_set *s, const char *w)
{
    return cas_set_get(s, w) != NULL;
}

/* ---- phrases ---- */

typedef struct phrase {
    const char **words; /* lower case, [0, n) */
    size_t n;
    const void *value;
} phrase;

/* The phrases of two words or more starting with one word, longest first. */
typedef struct phrase_list {
    phrase *v;
    size_t n;
} phrase_list;

struct cas_phrases {
    cas_set one;  /* single words: their values */
    cas_set many; /* first words: their phrase_list */
};

/* Makes room for element n of the arena array *v: the capacity is implicit
 * (8, then doubled whenever n reaches a power of two); old copies stay in
 * the arena. */
static int room_for(cas_art *mem, void **v, size_t n, size_t size)
{
    if (n < 8 ? n != 0 : (n & (n - 1)) != 0)
        return LEDE_OK;
    size_t cap = n < 8 ? 8 : n * 2;
    void *fresh = cas_alloc(mem, cap * size);
    if (fresh == NULL)
        return LEDE_ENOMEM;
    if (n)
        memcpy(fresh, *v, n * size);
    *v = fresh;
    return LEDE_OK;
}

static int is_space(unsigned char c) /* Lua's %s in the C locale */
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The words of text[0, len), lower-cased (ASCII, as string.lower in the C
 * locale), split on white space, in the arena. */
static int words_of(cas_art *mem, const char *text, size_t len, const char ***out, size_t *n)
{
    char *low = cas_strndup(mem, text, len);
    if (low == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        if (low[i] >= 'A' && low[i] <= 'Z')
            low[i] = (char)(low[i] + 32);
        else if (is_space((unsigned char)low[i]))
            low[i] = '\0';
    }
    *n = 0;
    for (size_t i = 0; i < len; i++) {
        if (low[i] == '\0' || (i > 0 && low[i - 1] != '\0'))
            continue; /* not the first byte of a word */
        if (room_for(mem, (void **)out, *n, sizeof **out) != LEDE_OK)
            return LEDE_ENOMEM;
        (*out)[(*n)++] = low + i;
    }
    return LEDE_OK;
}

/* Inserts p after the phrases at least as long: longest first, and phrases
 * of equal length in the order they were added.  (The Lua re-sorted the
 * list with table.sort after each insert, which leaves equal lengths in no
 * set order; it matters only for a phrase listed twice, which no data file
 * has.) */
static int list_insert(cas_art *mem, phrase_list *l, phrase p)
{
    if (room_for(mem, (void **)&l->v, l->n, sizeof *l->v) != LEDE_OK)
        return LEDE_ENOMEM;
    size_t at = 0;
    while (at < l->n && l->v[at].n >= p.n)
        at++;
    memmove(l->v + at + 1, l->v + at, (l->n - at) * sizeof *l->v);
    l->v[at] = p;
    l->n++;
    return LEDE_OK;
}

/* Adds the phrase text[0, len) with value (non-NULL).  LEDE_EINVAL when it
 * has no word (the Lua failed on it). */
static int add_phrase(cas_art *mem, cas_phrases *t, const char *text, size_t len, const void *value)
{
    phrase p = {NULL, 0, value};
    if (words_of(mem, text, len, &p.words, &p.n) != LEDE_OK)
        return LEDE_ENOMEM;
    if (p.n == 0)
        return LEDE_EINVAL;
    if (p.n == 1)
        return set_put(mem, &t->one, p.words[0], value);
    phrase_list *l = (phrase_list *)cas_set_get(&t->many, p.words[0]);
    if (l == NULL && ((l = cas_alloc(mem, sizeof *l)) == NULL || set_put(mem, &t->many, p.words[0], l) != LEDE_OK))
        return LEDE_ENOMEM;
    return list_insert(mem, l, p);
}

static const char *word_at(const char *const *words, int n, int i)
{
    return i >= 1 && i <= n ? words[i] : NULL;
}

static int phrase_at(const phrase *p, const char *const *words, int n, int i)
{
    for (size_t k = 1; k < p->n; k++) {
        const char *w = word_at(words, n, i + (int)k);
        if (w == NULL || strcmp(w, p->words[k]) != 0)
            return 0;
    }
    return 1;
}

const void *cas_phrases_match(const cas_phrases *t, const char *const *words, int n, int i, int *last)
{
    const char *first = word_at(words, n, i);
    if (first == NULL)
        return NULL;
    const phrase_list *l = cas_set_get(&t->many, first);
    for (size_t j = 0; l && j < l->n; j++)
        if (phrase_at(&l->v[j], words, n, i)) {
            *last = i + (int)l->v[j].n - 1;
            return l->v[j].value;
        }
    const void *v = cas_set_get(&t->one, first);
    if (v)
        *last = i;
    return v;
}

/* ---- reading the files ---- */

typedef struct builder {
    cas_art mem; /* only its arena: the word lists' */
    const char *file;
    char *err;
    size_t err_cap;
} builder;

static int fail(builder *b, int line, const char *fmt, ...)
{
    if (b->err == NULL || b->err_cap == 0)
        return LEDE_EINVAL;
    int k = b->file == NULL ? 0
            : line           ? snprintf(b->err, b->err_cap, "%s:%d: ", b->file, line)
                             : snprintf(b->err, b->err_cap, "%s: ", b->file);
    if (k >= 0 && (size_t)k < b->err_cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b->err + k, b->err_cap - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return LEDE_EINVAL;
}

/* The lines that say something (lines() of the Lua): a trailing \r
 * dropped, blank lines and comments ("#" after optional spaces) skipped. */
typedef struct line_reader {
    const char *p;
    int number; /* of the line last read, 1-based */
} line_reader;

typedef struct line {
    const char *s;
    size_t len;
} line;

static int blank_or_comment(line l)
{
    size_t i = 0;
    while (i < l.len && is_space((unsigned char)l.s[i]))
        i++;
    return i == l.len || l.s[i] == '#';
}

static int next_line(line_reader *r, line *out)
{
    while (*r->p) {
        const char *nl = strchr(r->p, '\n');
        size_t len = nl ? (size_t)(nl - r->p) : strlen(r->p);
        *out = (line){r->p, len};
        r->p += nl ? len + 1 : len;
        r->number++;
        if (out->len && out->s[out->len - 1] == '\r')
            out->len--;
        if (!blank_or_comment(*out))
            return 1;
    }
    return 0;
}

/* Field k (1-based) of l split on sep, as the Lua's split(): 0 when the
 * line has fewer fields. */
static int field(line l, char sep, int k, line *out)
{
    const char *s = l.s, *end = l.s + l.len;
    for (int i = 1; i < k; i++) {
        const char *at = memchr(s, sep, (size_t)(end - s));
        if (at == NULL)
            return 0;
        s = at + 1;
    }
    const char *at = memchr(s, sep, (size_t)(end - s));
    *out = (line){s, at ? (size_t)(at - s) : (size_t)(end - s)};
    return 1;
}

static int is(line l, const char *s)
{
    return l.len == strlen(s) && memcmp(l.s, s, l.len) == 0;
}

static char *dup_line(builder *b, line l)
{
    return cas_strndup(&b->mem, l.s, l.len);
}

static int new_phrases(builder *b, cas_phrases **out)
{
    return (*out = cas_alloc(&b->mem, sizeof **out)) ? LEDE_OK : LEDE_ENOMEM;
}

/* The lexicons' input text: one entry a line. */
typedef struct text_buf {
    char *p;
    size_t len, cap;
} text_buf;

static int text_line(text_buf *t, const char *s, size_t len, const char *suffix)
{
    size_t more = strlen(suffix);
    if (lede_grow((void **)&t->p, &t->cap, t->len + len + more + 2, 1) != LEDE_OK)
        return LEDE_ENOMEM;
    memcpy(t->p + t->len, s, len);
    memcpy(t->p + t->len + len, suffix, more);
    t->len += len + more;
    t->p[t->len++] = '\n';
    t->p[t->len] = '\0';
    return LEDE_OK;
}

/* Adds a file's phrase; one without a word is malformed. */
static int add_line_phrase(builder *b, cas_phrases *t, line text, const void *value, int number)
{
    int rc = add_phrase(&b->mem, t, text.s, text.len, value);
    return rc == LEDE_EINVAL ? fail(b, number, "a phrase without a word") : rc;
}

static int read_roles(builder *b, cas_cue *c, line roles, int number)
{
    line r;
    for (int k = 1; field(roles, ',', k, &r); k++) {
        if (is(r, "!"))
            c->strict = 1;
        else if (is(r, "c"))
            c->complement = 1;
        else if (is(r, "p"))
            c->p = 1;
        else if (is(r, "a"))
            c->a = 1;
        else if (is(r, "n"))
            c->n = 1;
        else if (is(r, "j"))
            c->j = 1;
        else if (r.len)
            return fail(b, number, "unknown role '%.*s'", (int)r.len, r.s);
    }
    return LEDE_OK;
}

/* cues.txt: phrase<TAB>category<TAB>roles.  The phrases also go to the
 * trigger lexicon's text, as written. */
static int load_cues(builder *b, cas_lex *lex, const char *text, text_buf *trigger)
{
    b->file = "data/cues.txt";
    line_reader r = {text, 0};
    line l, f1, f2, f3;
    if (new_phrases(b, &lex->cues) != LEDE_OK)
        return LEDE_ENOMEM;
    while (next_line(&r, &l)) {
        field(l, '\t', 1, &f1);
        if (!field(l, '\t', 2, &f2) || f2.len == 0)
            return fail(b, r.number, "a cue without a category");
        cas_cue *c = cas_alloc(&b->mem, sizeof *c);
        if (c == NULL || (c->word = dup_line(b, f1)) == NULL || (c->category = dup_line(b, f2)) == NULL ||
            text_line(trigger, f1.s, f1.len, "") != LEDE_OK)
            return LEDE_ENOMEM;
        int rc = field(l, '\t', 3, &f3) ? read_roles(b, c, f3, r.number) : LEDE_OK;
        if (rc != LEDE_OK || (rc = add_line_phrase(b, lex->cues, f1, c, r.number)) != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

/* victims.txt: noun<TAB>what the figure layer calls them (the noun itself
 * when there is no second field). */
static int load_victims(builder *b, cas_lex *lex, const char *text)
{
    b->file = "data/victims.txt";
    line_reader r = {text, 0};
    line l, f1, f2;
    if (new_phrases(b, &lex->victims) != LEDE_OK)
        return LEDE_ENOMEM;
    while (next_line(&r, &l)) {
        field(l, '\t', 1, &f1);
        const char *value = dup_line(b, field(l, '\t', 2, &f2) ? f2 : f1);
        if (value == NULL)
            return LEDE_ENOMEM;
        int rc = add_line_phrase(b, lex->victims, f1, value, r.number);
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

/* gazetteer.txt: name<TAB>kind<TAB>country; a demonym or an alias is
 * named by its country. */
static int load_gazetteer(builder *b, cas_lex *lex, const char *text)
{
    b->file = "data/gazetteer.txt";
    line_reader r = {text, 0};
    line l, f1, f2, f3;
    if (new_phrases(b, &lex->gazetteer) != LEDE_OK)
        return LEDE_ENOMEM;
    while (next_line(&r, &l)) {
        field(l, '\t', 1, &f1);
        if (!field(l, '\t', 2, &f2))
            return fail(b, r.number, "a name without a kind");
        cas_place *p = cas_alloc(&b->mem, sizeof *p);
        if (p == NULL || (p->kind = dup_line(b, f2)) == NULL ||
            (field(l, '\t', 3, &f3) && f3.len && (p->country = dup_line(b, f3)) == NULL))
            return LEDE_ENOMEM;
        if (is(f2, "demonym") || is(f2, "alias"))
            p->name = p->country; /* NULL when the line gives no country, as in the Lua */
        else if ((p->name = dup_line(b, f1)) == NULL)
            return LEDE_ENOMEM;
        int rc = add_line_phrase(b, lex->gazetteer, f1, p, r.number);
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

/* ---- sections of words.txt and places.txt ---- */

typedef struct section_ref {
    const char *name;
    size_t offset; /* of its cas_section in cas_lex */
} section_ref;

#define SECTION(name) {#name, offsetof(cas_lex, name)}

static const section_ref WORD_SECTIONS[] = {
    SECTION(aux),      SECTION(negation), SECTION(unit),     SECTION(function), SECTION(toll_verb),
    SECTION(toll_more), SECTION(toll_nearly), SECTION(conflict), SECTION(conflict_subject), SECTION(disaster),
    SECTION(anchor),   SECTION(cumulative), SECTION(anaphor), SECTION(trigger),
};

static const section_ref PLACE_SECTIONS[] = {
    SECTION(preposition), SECTION(direction), SECTION(geo_name), SECTION(head),      SECTION(modifier),
    SECTION(geo),         SECTION(facility),  SECTION(not_place), SECTION(name_stop), SECTION(org),
};

#define COUNT(a) ((int)(sizeof(a) / sizeof *(a)))

_Static_assert(COUNT(WORD_SECTIONS) <= 32 && COUNT(PLACE_SECTIONS) <= 32, "the sections seen are bits of a uint32_t");

static cas_section *section_at(cas_lex *lex, const section_ref *ref)
{
    return (cas_section *)((char *)lex + ref->offset);
}

/* The section a "[name]" line opens (-1: a section the extractor does not
 * use, whose words are skipped); -2 when the line is no header. */
static int header(line l, const section_ref *refs, int n_refs)
{
    if (l.len < 2 || l.s[0] != '[' || l.s[l.len - 1] != ']')
        return -2;
    line name = {l.s + 1, l.len - 2};
    for (int i = 0; i < n_refs; i++)
        if (is(name, refs[i].name))
            return i;
    return -1;
}

static line trimmed(line l)
{
    while (l.len && is_space((unsigned char)l.s[0]))
        l.s++, l.len--;
    while (l.len && is_space((unsigned char)l.s[l.len - 1]))
        l.len--;
    return l;
}

/* An entry of a section: a set key as written, a phrase lower-cased, and the
 * list in file order. */
static int add_entry(builder *b, cas_section *sec, line l)
{
    char *entry = dup_line(b, trimmed(l));
    if (entry == NULL || set_put(&b->mem, sec->set, entry, entry) != LEDE_OK ||
        room_for(&b->mem, (void **)&sec->list, sec->n, sizeof *sec->list) != LEDE_OK)
        return LEDE_ENOMEM;
    sec->list[sec->n++] = entry;
    return add_phrase(&b->mem, sec->phrases, entry, strlen(entry), entry);
}

/* Reads the sections of text into lex; each must be there (the Lua failed
 * on a missing one when it used it).  A section named twice goes on. */
static int load_sections(builder *b, cas_lex *lex, const char *file, const char *text, const section_ref *refs,
                         int n_refs)
{
    b->file = file;
    for (int i = 0; i < n_refs; i++) {
        cas_section *sec = section_at(lex, &refs[i]);
        if ((sec->set = cas_alloc(&b->mem, sizeof *sec->set)) == NULL || new_phrases(b, &sec->phrases) != LEDE_OK)
            return LEDE_ENOMEM;
    }
    line_reader r = {text, 0};
    line l;
    int cur = -1;
    uint32_t seen = 0;
    while (next_line(&r, &l)) {
        int h = header(l, refs, n_refs);
        if (h != -2) {
            cur = h;
            seen |= h >= 0 ? 1u << h : 0;
        } else if (cur >= 0) {
            int rc = add_entry(b, section_at(lex, &refs[cur]), l);
            if (rc != LEDE_OK)
                return rc;
        }
    }
    for (int i = 0; i < n_refs; i++)
        if (!(seen & (1u << i)))
            return fail(b, 0, "no [%s] section", refs[i].name);
    return LEDE_OK;
}

/* ---- lexicons, built from the text lede.lexicon gives lede_lexicon_new:
 * a list's items one a line, a file as it is ---- */

static int list_text(text_buf *t, const cas_section *sec, const char *suffix)
{
    for (size_t i = 0; i < sec->n; i++)
        if (text_line(t, sec->list[i], strlen(sec->list[i]), suffix) != LEDE_OK)
            return LEDE_ENOMEM;
    return LEDE_OK;
}

static int lexicon_of(lede_lexicon **out, lede_tokenizer *tk, const char *text, size_t len)
{
    return lede_lexicon_new(out, tk, text ? text : "", len);
}

static int list_lexicon(lede_lexicon **out, lede_tokenizer *tk, const cas_section *sec)
{
    text_buf t = {0};
    int rc = list_text(&t, sec, "");
    if (rc == LEDE_OK)
        rc = lexicon_of(out, tk, t.p, t.len);
    free(t.p);
    return rc;
}

/* The cue phrases (in *trigger already) and the [trigger] words. */
static int trigger_lexicon(cas_lex *lex, lede_tokenizer *tk, text_buf *trigger)
{
    int rc = list_text(trigger, &lex->trigger, "");
    return rc == LEDE_OK ? lexicon_of(&lex->trigger_lx, tk, trigger->p, trigger->len) : rc;
}

/* The [preposition] words, then "<head> of" for every [head] word. */
static int prepositions_lexicon(cas_lex *lex, lede_tokenizer *tk)
{
    text_buf t = {0};
    int rc = list_text(&t, &lex->preposition, "");
    if (rc == LEDE_OK)
        rc = list_text(&t, &lex->head, " of");
    if (rc == LEDE_OK)
        rc = lexicon_of(&lex->prepositions_lx, tk, t.p, t.len);
    free(t.p);
    return rc;
}

static int build_lexicons(cas_lex *lex, lede_tokenizer *tk, const cas_lex_files *files, text_buf *trigger)
{
    int rc = trigger_lexicon(lex, tk, trigger);
    if (rc == LEDE_OK)
        rc = lexicon_of(&lex->places_lx, tk, files->gazetteer, strlen(files->gazetteer));
    if (rc == LEDE_OK)
        rc = prepositions_lexicon(lex, tk);
    if (rc == LEDE_OK)
        rc = list_lexicon(&lex->directions_lx, tk, &lex->direction);
    if (rc == LEDE_OK)
        rc = list_lexicon(&lex->conflict_lx, tk, &lex->conflict);
    if (rc == LEDE_OK)
        rc = list_lexicon(&lex->disaster_lx, tk, &lex->disaster);
    return rc;
}

static int load_all(builder *b, cas_lex *lex, lede_tokenizer *tk, const cas_lex_files *files)
{
    text_buf trigger = {0};
    int rc = load_cues(b, lex, files->cues, &trigger);
    if (rc == LEDE_OK)
        rc = load_victims(b, lex, files->victims);
    if (rc == LEDE_OK)
        rc = load_sections(b, lex, "data/words.txt", files->words, WORD_SECTIONS, COUNT(WORD_SECTIONS));
    if (rc == LEDE_OK)
        rc = load_sections(b, lex, "data/places.txt", files->places, PLACE_SECTIONS, COUNT(PLACE_SECTIONS));
    if (rc == LEDE_OK)
        rc = load_gazetteer(b, lex, files->gazetteer);
    if (rc == LEDE_OK)
        rc = build_lexicons(lex, tk, files, &trigger);
    free(trigger.p);
    return rc;
}

int cas_lex_new(cas_lex **out, lede_tokenizer *tk, const cas_lex_files *files, char *err, size_t err_cap)
{
    *out = NULL;
    builder b = {{0}, NULL, err, err_cap};
    if (!files->cues || !files->victims || !files->words || !files->places || !files->gazetteer)
        return fail(&b, 0, "a word list of the casualties extractor is missing");
    if (cas_arena_new(&b.mem.arena) != LEDE_OK)
        return LEDE_ENOMEM;
    cas_lex *lex = cas_alloc(&b.mem, sizeof *lex);
    if (lex == NULL) {
        cas_arena_free(b.mem.arena);
        return LEDE_ENOMEM;
    }
    lex->priv = b.mem.arena;
    int rc = load_all(&b, lex, tk, files);
    if (rc != LEDE_OK) {
        cas_lex_free(lex);
        return rc;
    }
    *out = lex;
    return LEDE_OK;
}

void cas_lex_free(cas_lex *lex)
{
    if (lex == NULL)
        return;
    lede_lexicon_free(lex->trigger_lx);
    lede_lexicon_free(lex->places_lx);
    lede_lexicon_free(lex->prepositions_lx);
    lede_lexicon_free(lex->directions_lx);
    lede_lexicon_free(lex->conflict_lx);
    lede_lexicon_free(lex->disaster_lx);
    cas_arena_free(lex->priv); /* lex itself lives there */
}

/* ---- matching a lexicon over a doc ---- */

int cas_lex_find(cas_match **out, size_t *n, const lede_lexicon *lx, const lede_doc *doc)
{
    *out = NULL;
    *n = 0;
    size_t n_tok, n_m;
    const lede_token *t = lede_doc_tokens(doc, &n_tok);
    lede_lexicon_match *m = NULL;
    int rc = lede_lexicon_find(&m, &n_m, lx, doc, 0, n_tok);
    if (rc != LEDE_OK || n_m == 0) {
        free(m);
        return rc;
    }
    cas_match *r = malloc(n_m * sizeof *r);
    if (r == NULL) {
        free(m);
        return LEDE_ENOMEM;
    }
    for (size_t i = 0; i < n_m; i++)
        r[i] = (cas_match){t[m[i].first].start + 1, t[m[i].last].end};
    free(m);
    *out = r;
    *n = n_m;
    return LEDE_OK;
}
