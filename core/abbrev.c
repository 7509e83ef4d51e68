/* Abbreviation sets: an open-addressing hash set over the entries of one
 * data file, keyed by the exact bytes of the entry. */
#include "abbrev.h"

#include "data.h"
#include "lede.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ABBR_MAX_LEN 63 /* longer entries are ignored: no token is looked up beyond this */

typedef struct slot {
    uint32_t off; /* into arena */
    uint8_t len;  /* 0: empty slot */
    uint8_t tags;
} slot;

struct lede_abbrev {
    char lang[4];
    /* Cheap filters checked before hashing: most words looked up (the last
     * word of every sentence) are in no list. */
    uint64_t lengths;   /* bit n: some entry has n bytes */
    uint64_t first[4];  /* bit b: some entry starts with byte b */
    slot *slots;
    size_t mask; /* number of slots - 1, a power of two minus one */
    char *arena;
    size_t arena_len;
};

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)s[i];
        h *= 16777619u;
    }
    return h;
}

static slot *find_slot(const lede_abbrev *ab, const char *s, size_t len)
{
    size_t i = hash_bytes(s, len) & ab->mask;
    for (;;) {
        slot *sl = &ab->slots[i];
        if (sl->len == 0 || (sl->len == len && memcmp(ab->arena + sl->off, s, len) == 0))
            return sl;
        i = (i + 1) & ab->mask;
    }
}

unsigned lede_abbrev_lookup(const lede_abbrev *ab, const char *s, size_t len)
{
    if (len == 0 || len > ABBR_MAX_LEN || !((ab->lengths >> len) & 1))
        return 0;
    unsigned char b = (unsigned char)s[0];
    if (!((ab->first[b >> 6] >> (b & 63)) & 1))
        return 0;
    const slot *sl = find_slot(ab, s, len);
    return sl->len ? sl->tags : 0;
}

unsigned lede_abbrev_lookup_word(const lede_abbrev *ab, const char *s, size_t len)
{
    unsigned tags = lede_abbrev_lookup(ab, s, len);
    if (tags || len == 0 || len > ABBR_MAX_LEN || !(s[0] >= 'A' && s[0] <= 'Z'))
        return tags;
    char buf[ABBR_MAX_LEN];
    memcpy(buf, s, len);
    buf[0] = (char)(buf[0] + ('a' - 'A'));
    return lede_abbrev_lookup(ab, buf, len) & ~(unsigned)LEDE_ABBR_STARTER;
}

const char *lede_abbrev_lang(const lede_abbrev *ab)
{
    return ab->lang;
}

void lede_abbrev_free(lede_abbrev *ab)
{
    if (!ab)
        return;
    free(ab->slots);
    free(ab->arena);
    free(ab);
}

static void add_entry(lede_abbrev *ab, const char *s, size_t len, unsigned tags)
{
    if (len == 0 || len > ABBR_MAX_LEN)
        return;
    unsigned char b = (unsigned char)s[0];
    ab->lengths |= 1ull << len;
    ab->first[b >> 6] |= 1ull << (b & 63);
    slot *sl = find_slot(ab, s, len);
    if (sl->len == 0) {
        /* The arena was sized to hold the whole file, so the copy fits. */
        memcpy(ab->arena + ab->arena_len, s, len);
        sl->off = (uint32_t)ab->arena_len;
        sl->len = (uint8_t)len;
        ab->arena_len += len;
    }
    sl->tags |= (uint8_t)tags;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Splits the next blank-separated field off [*p, end). */
static size_t next_field(const char **p, const char *end, const char **field)
{
    const char *s = *p;
    while (s < end && is_blank(*s))
        s++;
    const char *f = s;
    while (s < end && !is_blank(*s))
        s++;
    *field = f;
    *p = s;
    return (size_t)(s - f);
}

static int field_is(const char *f, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(f, word, n) == 0;
}

enum section { SEC_ABBREV, SEC_STARTERS };

/* One line of the list; returns LEDE_OK or LEDE_EPARSE. */
static int parse_line(lede_abbrev *ab, enum section *sec, const char *s, const char *end)
{
    const char *f;
    size_t n = next_field(&s, end, &f);
    if (n == 0 || f[0] == '#')
        return LEDE_OK;
    if (f[0] == '[') {
        if (field_is(f, n, "[abbreviations]"))
            *sec = SEC_ABBREV;
        else if (field_is(f, n, "[starters]"))
            *sec = SEC_STARTERS;
        else
            return LEDE_EPARSE;
        return LEDE_OK;
    }
    if (*sec == SEC_STARTERS) {
        for (; n; n = next_field(&s, end, &f))
            add_entry(ab, f, n, LEDE_ABBR_STARTER);
        return LEDE_OK;
    }
    const char *entry = f;
    size_t entry_len = n;
    unsigned tags = LEDE_ABBR_KNOWN;
    for (n = next_field(&s, end, &f); n; n = next_field(&s, end, &f)) {
        if (field_is(f, n, "title"))
            tags |= LEDE_ABBR_TITLE;
        else if (field_is(f, n, "num"))
            tags |= LEDE_ABBR_NUM;
        else if (f[0] == '#')
            break;
        else
            return LEDE_EPARSE;
    }
    add_entry(ab, entry, entry_len, tags);
    return LEDE_OK;
}

int lede_abbrev_parse(lede_abbrev **out, const char *text, size_t len)
{
    *out = NULL;
    lede_abbrev *ab = calloc(1, sizeof *ab);
    if (!ab)
        return LEDE_ENOMEM;
    /* Every entry holds at least two bytes of the file (entry and line end),
     * so len/2 entries at a load factor of at most 1/2 need 2*len slots. */
    size_t slots = 64;
    while (slots < len + 16)
        slots <<= 1;
    ab->slots = calloc(slots, sizeof *ab->slots);
    ab->arena = malloc(len + 1);
    if (!ab->slots || !ab->arena) {
        lede_abbrev_free(ab);
        return LEDE_ENOMEM;
    }
    ab->mask = slots - 1;
    memcpy(ab->lang, "en", 3);
    enum section sec = SEC_ABBREV;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        if (parse_line(ab, &sec, p, line_end) != LEDE_OK) {
            lede_abbrev_free(ab);
            return LEDE_EPARSE;
        }
        p = nl ? nl + 1 : end;
    }
    *out = ab;
    return LEDE_OK;
}

int lede_abbrev_new(lede_abbrev **out, const char *lang)
{
    char code[3] = "en";
    if (lang && lang[0] && lang[1]) {
        code[0] = (char)(lang[0] | 0x20); /* "EN", "en-GB", "en_US" -> "en" */
        code[1] = (char)(lang[1] | 0x20);
    }
    char name[32];
    memcpy(name, "abbrev/", 7);
    memcpy(name + 7, code, 2);
    memcpy(name + 9, ".txt", 5);
    size_t len = 0;
    const char *text = lede_data_find(name, &len);
    if (!text) {
        memcpy(code, "en", 3);
        text = lede_data_find("abbrev/en.txt", &len);
        if (!text) {
            *out = NULL;
            return LEDE_ENOTFOUND;
        }
    }
    int rc = lede_abbrev_parse(out, text, len);
    if (rc == LEDE_OK)
        memcpy((*out)->lang, code, 3);
    return rc;
}
