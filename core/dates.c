/* Date scanning and resolution: see dates.h.  The text is cut into words,
 * numbers and punctuation; patterns are tried at each token, longest first;
 * written names are looked up in one table of folded (lower-case,
 * unaccented) words. */
#include "dates.h"

#include "grow.h"
#include "lede.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ======================================================================
 * Calendar
 * ====================================================================== */

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_length(int y, int m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int lede_ymd_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= month_length(year, month);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t lede_ymd_days(int year, int month, int day)
{
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

lede_ymd lede_ymd_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    lede_ymd r;
    r.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.year = (int)(yoe + era * 400 + (r.month <= 2));
    return r;
}

int lede_ymd_weekday(int year, int month, int day)
{
    int64_t z = lede_ymd_days(year, month, day);
    return (int)(((z % 7) + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday */
}

static int64_t ymd_days(lede_ymd d)
{
    return lede_ymd_days(d.year, d.month, d.day);
}

int lede_ymd_parse(lede_ymd *out, const char *s, size_t len)
{
    int part[3] = {0, 0, 0}, width[3] = {4, 2, 2};
    size_t i = 0;
    int k = 0;
    for (; k < 3; k++) {
        if (k > 0) {
            if (i == len || s[i] != '-')
                break;
            i++;
        }
        for (int w = 0; w < width[k]; w++, i++) {
            if (i == len || s[i] < '0' || s[i] > '9')
                return LEDE_EINVAL;
            part[k] = part[k] * 10 + (s[i] - '0');
        }
    }
    if (i < len && s[i] != 'T' && s[i] != ' ')
        return LEDE_EINVAL;
    if (part[0] < 1 || (k > 1 && (part[1] < 1 || part[1] > 12)) ||
        (k > 2 && !lede_ymd_valid(part[0], part[1], part[2])))
        return LEDE_EINVAL;
    out->year = part[0];
    out->month = k > 1 ? part[1] : 0;
    out->day = k > 2 ? part[2] : 0;
    return LEDE_OK;
}

/* ======================================================================
 * Words: one sorted table of folded forms
 * ====================================================================== */

enum { /* lex_entry.flags */
    LX_ABBR = 1,   /* abbreviation: only next to a number (Jan 5, Sat 9 March) */
    LX_CAP = 2,    /* an English word too: only capitalised (May, March) */
    LX_NOCAP = 4,  /* a name too: only in lower case (mars, marco) */
    LX_ALONE = 8,  /* weekday that stands alone for a day (English: "on Tuesday") */
    LX_FEIRA = 16  /* Portuguese weekday: only with "-feira" */
};

enum { /* lex_entry.roles */
    R_REL = 1u << 0,      /* today, yesterday: value = days from the reference */
    R_MOD = 1u << 1,      /* last, next, this: value = -1, 1, 0 */
    R_EDGE = 1u << 2,     /* earlier, later (this week) */
    R_UNIT = 1u << 3,     /* day(s) 1, week(s) 2, month(s) 3, year(s) 4 */
    R_AGO = 1u << 4,
    R_NUMWORD = 1u << 5,  /* a, one .. twelve: value */
    R_PART = 1u << 6,     /* morning, night */
    R_CUE = 1u << 7,      /* in, since, of ...: a bare year or month may follow */
    R_OF = 1u << 8,       /* of, de, del between day, month and year */
    R_THE = 1u << 9,
    R_ORD = 1u << 10,     /* ordinal endings: st nd rd th er e o a */
    R_AT = 1u << 11,      /* at, à, um, às before a time */
    R_LAS = 1u << 12,     /* "a las 10:00" */
    R_AMPM = 1u << 13,    /* am 0, pm 12 */
    R_FEIRA = 1u << 14,
    R_HOLIDAY = 1u << 15, /* Good Friday, Super Tuesday: not a day of the week */
    R_HOUR = 1u << 16     /* the h of 09h15 */
};

enum { U_DAY = 1, U_WEEK = 2, U_MONTH = 3, U_YEAR = 4 };

typedef struct lex_entry {
    const char *key;
    unsigned char month, weekday, flags;
    signed char value;
    unsigned roles;
} lex_entry;

/* In strcmp order, for the reader; looked up through a hash index built
 * for each scan (lex_index). */
static const lex_entry LEX[] = {
    {"a", 0, 0, 0, 1, R_AT|R_NUMWORD|R_ORD},
    {"abril", 4, 0, 0, 0, 0},
    {"after", 0, 0, 0, 0, R_CUE},
    {"afternoon", 0, 0, 0, 0, R_PART},
    {"ago", 0, 0, 0, 0, R_AGO},
    {"agosto", 8, 0, 0, 0, 0},
    {"am", 0, 0, 0, 0, R_AMPM},
    {"an", 0, 0, 0, 1, R_NUMWORD},
    {"aout", 8, 0, 0, 0, 0},
    {"apr", 4, 0, LX_ABBR, 0, 0},
    {"april", 4, 0, 0, 0, 0},
    {"as", 0, 0, 0, 0, R_AT},
    {"ash", 0, 0, 0, 0, R_HOLIDAY},
    {"at", 0, 0, 0, 0, R_AT},
    {"aug", 8, 0, LX_ABBR, 0, 0},
    {"august", 8, 0, 0, 0, 0},
    {"avr", 4, 0, LX_ABBR, 0, 0},
    {"avril", 4, 0, 0, 0, 0},
    {"before", 0, 0, 0, 0, R_CUE},
    {"black", 0, 0, 0, 0, R_HOLIDAY},
    {"bloody", 0, 0, 0, 0, R_HOLIDAY},
    {"by", 0, 0, 0, 0, R_CUE},
    {"cyber", 0, 0, 0, 0, R_HOLIDAY},
    {"day", 0, 0, 0, 1, R_UNIT},
    {"days", 0, 0, 0, 1, R_UNIT},
    {"de", 0, 0, 0, 0, R_OF},
    {"dec", 12, 0, LX_ABBR, 0, 0},
    {"december", 12, 0, 0, 0, 0},
    {"decembre", 12, 0, 0, 0, 0},
    {"del", 0, 0, 0, 0, R_OF},
    {"depuis", 0, 0, 0, 0, R_CUE},
    {"desde", 0, 0, 0, 0, R_CUE},
    {"dez", 12, 0, LX_ABBR, 0, 0},
    {"dezember", 12, 0, 0, 0, 0},
    {"dezembro", 12, 0, 0, 0, 0},
    {"dic", 12, 0, LX_ABBR, 0, 0},
    {"diciembre", 12, 0, 0, 0, 0},
    {"dienstag", 0, 2, 0, 0, 0},
    {"dimanche", 0, 7, 0, 0, 0},
    {"domingo", 0, 7, 0, 0, 0},
    {"donnerstag", 0, 4, 0, 0, 0},
    {"during", 0, 0, 0, 0, R_CUE},
    {"e", 0, 0, 0, 0, R_ORD},
    {"earlier", 0, 0, 0, 0, R_EDGE},
    {"early", 0, 0, 0, 0, R_CUE},
    {"easter", 0, 0, 0, 0, R_HOLIDAY},
    {"eight", 0, 0, 0, 8, R_NUMWORD},
    {"eleven", 0, 0, 0, 11, R_NUMWORD},
    {"em", 0, 0, 0, 0, R_CUE},
    {"eme", 0, 0, 0, 0, R_ORD},
    {"en", 0, 0, 0, 0, R_CUE},
    {"ene", 1, 0, LX_ABBR, 0, 0},
    {"enero", 1, 0, 0, 0, 0},
    {"er", 0, 0, 0, 0, R_ORD},
    {"evening", 0, 0, 0, 0, R_PART},
    {"feb", 2, 0, LX_ABBR, 0, 0},
    {"febrero", 2, 0, 0, 0, 0},
    {"februar", 2, 0, 0, 0, 0},
    {"february", 2, 0, 0, 0, 0},
    {"feira", 0, 0, 0, 0, R_FEIRA},
    {"fev", 2, 0, LX_ABBR, 0, 0},
    {"fevereiro", 2, 0, 0, 0, 0},
    {"fevr", 2, 0, LX_ABBR, 0, 0},
    {"fevrier", 2, 0, 0, 0, 0},
    {"five", 0, 0, 0, 5, R_NUMWORD},
    {"four", 0, 0, 0, 4, R_NUMWORD},
    {"freitag", 0, 5, 0, 0, 0},
    {"fri", 0, 5, LX_ABBR, 0, 0},
    {"friday", 0, 5, LX_ALONE, 0, 0},
    {"from", 0, 0, 0, 0, R_CUE},
    {"good", 0, 0, 0, 0, R_HOLIDAY},
    {"h", 0, 0, 0, 0, R_HOUR},
    {"hasta", 0, 0, 0, 0, R_CUE},
    {"holy", 0, 0, 0, 0, R_HOLIDAY},
    {"im", 0, 0, 0, 0, R_CUE},
    {"in", 0, 0, 0, 0, R_CUE},
    {"jaenner", 1, 0, 0, 0, 0},
    {"jan", 1, 0, LX_ABBR, 0, 0},
    {"janeiro", 1, 0, 0, 0, 0},
    {"janner", 1, 0, 0, 0, 0},
    {"januar", 1, 0, 0, 0, 0},
    {"january", 1, 0, 0, 0, 0},
    {"janv", 1, 0, LX_ABBR, 0, 0},
    {"janvier", 1, 0, 0, 0, 0},
    {"jeudi", 0, 4, 0, 0, 0},
    {"jueves", 0, 4, 0, 0, 0},
    {"juil", 7, 0, LX_ABBR, 0, 0},
    {"juillet", 7, 0, 0, 0, 0},
    {"juin", 6, 0, 0, 0, 0},
    {"jul", 7, 0, LX_ABBR, 0, 0},
    {"julho", 7, 0, 0, 0, 0},
    {"juli", 7, 0, 0, 0, 0},
    {"julio", 7, 0, 0, 0, 0},
    {"july", 7, 0, 0, 0, 0},
    {"jun", 6, 0, LX_ABBR, 0, 0},
    {"june", 6, 0, 0, 0, 0},
    {"junho", 6, 0, 0, 0, 0},
    {"juni", 6, 0, 0, 0, 0},
    {"junio", 6, 0, 0, 0, 0},
    {"las", 0, 0, 0, 0, R_LAS},
    {"last", 0, 0, 0, -1, R_MOD},
    {"late", 0, 0, 0, 0, R_CUE},
    {"later", 0, 0, 0, 0, R_EDGE},
    {"lundi", 0, 1, 0, 0, 0},
    {"lunes", 0, 1, 0, 0, 0},
    {"maerz", 3, 0, 0, 0, 0},
    {"mai", 5, 0, 0, 0, 0},
    {"maio", 5, 0, 0, 0, 0},
    {"mar", 3, 0, LX_ABBR, 0, 0},
    {"march", 3, 0, LX_CAP, 0, 0},
    {"marco", 3, 0, LX_NOCAP, 0, 0},
    {"mardi", 0, 2, 0, 0, 0},
    {"mars", 3, 0, LX_NOCAP, 0, 0},
    {"martes", 0, 2, 0, 0, 0},
    {"marz", 3, 0, 0, 0, 0},
    {"marzo", 3, 0, 0, 0, 0},
    {"maundy", 0, 0, 0, 0, R_HOLIDAY},
    {"may", 5, 0, LX_CAP, 0, 0},
    {"mayo", 5, 0, 0, 0, 0},
    {"mercredi", 0, 3, 0, 0, 0},
    {"mid", 0, 0, 0, 0, R_CUE},
    {"miercoles", 0, 3, 0, 0, 0},
    {"mittwoch", 0, 3, 0, 0, 0},
    {"mon", 0, 1, LX_ABBR, 0, 0},
    {"monday", 0, 1, LX_ALONE, 0, 0},
    {"montag", 0, 1, 0, 0, 0},
    {"month", 0, 0, 0, 3, R_UNIT},
    {"months", 0, 0, 0, 3, R_UNIT},
    {"morning", 0, 0, 0, 0, R_PART},
    {"mrz", 3, 0, LX_ABBR, 0, 0},
    {"nd", 0, 0, 0, 0, R_ORD},
    {"next", 0, 0, 0, 1, R_MOD},
    {"night", 0, 0, 0, 0, R_PART},
    {"nine", 0, 0, 0, 9, R_NUMWORD},
    {"nov", 11, 0, LX_ABBR, 0, 0},
    {"november", 11, 0, 0, 0, 0},
    {"novembre", 11, 0, 0, 0, 0},
    {"novembro", 11, 0, 0, 0, 0},
    {"noviembre", 11, 0, 0, 0, 0},
    {"o", 0, 0, 0, 0, R_ORD},
    {"oct", 10, 0, LX_ABBR, 0, 0},
    {"october", 10, 0, 0, 0, 0},
    {"octobre", 10, 0, 0, 0, 0},
    {"octubre", 10, 0, 0, 0, 0},
    {"of", 0, 0, 0, 0, R_CUE|R_OF},
    {"okt", 10, 0, LX_ABBR, 0, 0},
    {"oktober", 10, 0, 0, 0, 0},
    {"one", 0, 0, 0, 1, R_NUMWORD},
    {"outubro", 10, 0, 0, 0, 0},
    {"palm", 0, 0, 0, 0, R_HOLIDAY},
    {"pm", 0, 0, 0, 12, R_AMPM},
    {"quarta", 0, 3, LX_FEIRA, 0, 0},
    {"quinta", 0, 4, LX_FEIRA, 0, 0},
    {"rd", 0, 0, 0, 0, R_ORD},
    {"re", 0, 0, 0, 0, R_ORD},
    {"sabado", 0, 6, 0, 0, 0},
    {"samedi", 0, 6, 0, 0, 0},
    {"samstag", 0, 6, 0, 0, 0},
    {"sat", 0, 6, LX_ABBR, 0, 0},
    {"saturday", 0, 6, LX_ALONE, 0, 0},
    {"segunda", 0, 1, LX_FEIRA, 0, 0},
    {"seit", 0, 0, 0, 0, R_CUE},
    {"sep", 9, 0, LX_ABBR, 0, 0},
    {"sept", 9, 0, LX_ABBR, 0, 0},
    {"september", 9, 0, 0, 0, 0},
    {"septembre", 9, 0, 0, 0, 0},
    {"septiembre", 9, 0, 0, 0, 0},
    {"setembro", 9, 0, 0, 0, 0},
    {"setiembre", 9, 0, 0, 0, 0},
    {"seven", 0, 0, 0, 7, R_NUMWORD},
    {"sexta", 0, 5, LX_FEIRA, 0, 0},
    {"shrove", 0, 0, 0, 0, R_HOLIDAY},
    {"since", 0, 0, 0, 0, R_CUE},
    {"six", 0, 0, 0, 6, R_NUMWORD},
    {"sonnabend", 0, 6, 0, 0, 0},
    {"sonntag", 0, 7, 0, 0, 0},
    {"st", 0, 0, 0, 0, R_ORD},
    {"sun", 0, 7, LX_ABBR, 0, 0},
    {"sunday", 0, 7, LX_ALONE, 0, 0},
    {"super", 0, 0, 0, 0, R_HOLIDAY},
    {"ten", 0, 0, 0, 10, R_NUMWORD},
    {"terca", 0, 2, LX_FEIRA, 0, 0},
    {"th", 0, 0, 0, 0, R_ORD},
    {"the", 0, 0, 0, 0, R_THE},
    {"this", 0, 0, 0, 0, R_MOD},
    {"three", 0, 0, 0, 3, R_NUMWORD},
    {"throughout", 0, 0, 0, 0, R_CUE},
    {"thu", 0, 4, LX_ABBR, 0, 0},
    {"thur", 0, 4, LX_ABBR, 0, 0},
    {"thurs", 0, 4, LX_ABBR, 0, 0},
    {"thursday", 0, 4, LX_ALONE, 0, 0},
    {"till", 0, 0, 0, 0, R_CUE},
    {"today", 0, 0, 0, 0, R_REL},
    {"tomorrow", 0, 0, 0, 1, R_REL},
    {"tonight", 0, 0, 0, 0, R_REL},
    {"tue", 0, 2, LX_ABBR, 0, 0},
    {"tues", 0, 2, LX_ABBR, 0, 0},
    {"tuesday", 0, 2, LX_ALONE, 0, 0},
    {"twelve", 0, 0, 0, 12, R_NUMWORD},
    {"two", 0, 0, 0, 2, R_NUMWORD},
    {"um", 0, 0, 0, 0, R_AT},
    {"until", 0, 0, 0, 0, R_CUE},
    {"vendredi", 0, 5, 0, 0, 0},
    {"viernes", 0, 5, 0, 0, 0},
    {"wed", 0, 3, LX_ABBR, 0, 0},
    {"wednesday", 0, 3, LX_ALONE, 0, 0},
    {"week", 0, 0, 0, 2, R_UNIT},
    {"weeks", 0, 0, 0, 2, R_UNIT},
    {"year", 0, 0, 0, 4, R_UNIT},
    {"years", 0, 0, 0, 4, R_UNIT},
    {"yesterday", 0, 0, 0, -1, R_REL},
};

#define LEX_COUNT (sizeof LEX / sizeof LEX[0])
#define KEY_MAX 10    /* the longest key ("donnerstag"): longer words are never looked up */
#define LEX_SLOTS 512 /* a power of two, at least twice LEX_COUNT */

_Static_assert(sizeof LEX / sizeof LEX[0] * 2 <= LEX_SLOTS, "LEX_SLOTS too small for the word table");

/* Open addressing over the table: built on the stack by every scan, so
 * lookups cost one hash and, on a hit, one comparison. */
typedef struct lex_index {
    int16_t slot[LEX_SLOTS];
} lex_index;

static uint32_t key_hash(const char *key, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h;
}

static void lex_index_build(lex_index *ix)
{
    for (size_t i = 0; i < LEX_SLOTS; i++)
        ix->slot[i] = -1;
    for (size_t i = 0; i < LEX_COUNT; i++) {
        uint32_t h = key_hash(LEX[i].key, strlen(LEX[i].key)) & (LEX_SLOTS - 1);
        while (ix->slot[h] >= 0)
            h = (h + 1) & (LEX_SLOTS - 1);
        ix->slot[h] = (int16_t)i;
    }
}

static int lex_lookup(const lex_index *ix, const char *key, size_t n)
{
    for (uint32_t h = key_hash(key, n) & (LEX_SLOTS - 1); ix->slot[h] >= 0; h = (h + 1) & (LEX_SLOTS - 1)) {
        const char *k = LEX[ix->slot[h]].key;
        if (strncmp(k, key, n) == 0 && k[n] == '\0')
            return ix->slot[h];
    }
    return -1;
}

/* ======================================================================
 * Tokens
 * ====================================================================== */

enum { K_WORD, K_NUM, K_PUNCT };
enum { CAP_FIRST = 1, CAP_ALL = 2 };
enum { GAP_NONE = 0, GAP_SPACE = 1, GAP_LINE = 2 };

typedef struct tok {
    size_t start, end;
    int32_t value; /* number value (capped), or the punctuation's code point */
    int16_t lex;   /* index in LEX, or -1 */
    uint8_t kind, gap, ndig, caps;
} tok;

typedef struct toks {
    tok *v;
    size_t n, cap;
} toks;

static int toks_push(toks *t, const tok *x)
{
    if (lede_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v) != LEDE_OK)
        return LEDE_ENOMEM;
    t->v[t->n++] = *x;
    return LEDE_OK;
}

typedef enum cclass { C_SPACE, C_NEWLINE, C_LETTER, C_DIGIT, C_OTHER } cclass;

/* Decodes the character at text[i]: its class, code point and length. */
static cclass char_at(const char *text, size_t len, size_t i, int32_t *cp, size_t *width)
{
    unsigned char c = (unsigned char)text[i];
    if (c < 0x80) {
        *cp = c;
        *width = 1;
        if (c == '\n' || c == '\r')
            return C_NEWLINE;
        if (c == ' ' || c == '\t' || c == '\f' || c == '\v')
            return C_SPACE;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return C_LETTER;
        return c >= '0' && c <= '9' ? C_DIGIT : C_OTHER;
    }
    utf8proc_int32_t u;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(len - i), &u);
    if (k <= 0) {
        *cp = 0xFFFD;
        *width = 1;
        return C_OTHER;
    }
    *cp = u;
    *width = (size_t)k;
    utf8proc_category_t cat = utf8proc_category(u);
    if (u == 0x2028 || u == 0x2029 || u == 0x85)
        return C_NEWLINE;
    if (cat >= UTF8PROC_CATEGORY_ZS && cat <= UTF8PROC_CATEGORY_ZP)
        return C_SPACE;
    if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
        (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME))
        return C_LETTER;
    return C_OTHER;
}

/* Appends the folded form of one letter (lower case, no accents; ß = ss)
 * to key; returns 0 when it has no ASCII form or the key is full. */
static int fold_letter(char *key, size_t *n, int32_t cp)
{
    if (cp < 0x80) {
        if (*n >= KEY_MAX)
            return 0;
        key[(*n)++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return 1;
    }
    utf8proc_int32_t buf[8];
    int boundclass = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(
        cp, buf, 8,
        (utf8proc_option_t)(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK),
        &boundclass);
    if (k < 0 || k > 8)
        return 0;
    for (utf8proc_ssize_t j = 0; j < k; j++)
        if (buf[j] >= 0x80 || !fold_letter(key, n, buf[j]))
            return 0;
    return 1;
}

static int is_upper_cp(int32_t cp)
{
    return cp < 0x80 ? cp >= 'A' && cp <= 'Z' : utf8proc_isupper(cp);
}

/* Reads the word starting at i; fills t and returns the index after it.
 * ASCII letters take a fast path. */
static size_t read_word(const lex_index *ix, const char *text, size_t len, size_t i, tok *t)
{
    char key[KEY_MAX + 1];
    size_t n = 0, letters = 0, uppers = 0;
    int foldable = 1;
    t->kind = K_WORD;
    t->start = i;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        int upper;
        if (c < 0x80) {
            if ((c | 32) < 'a' || (c | 32) > 'z')
                break;
            upper = c <= 'Z';
            if (foldable && n < KEY_MAX)
                key[n++] = (char)(c | 32);
            else
                foldable = 0;
            i++;
        } else {
            int32_t cp;
            size_t w;
            if (char_at(text, len, i, &cp, &w) != C_LETTER)
                break;
            upper = is_upper_cp(cp);
            if (foldable)
                foldable = fold_letter(key, &n, cp);
            i += w;
        }
        if (letters == 0 && upper)
            t->caps |= CAP_FIRST;
        letters++;
        uppers += upper != 0;
    }
    if (letters >= 2 && uppers == letters)
        t->caps |= CAP_ALL;
    t->end = i;
    t->lex = (int16_t)(foldable && n ? lex_lookup(ix, key, n) : -1);
    return i;
}

static size_t read_number(const char *text, size_t len, size_t i, tok *t)
{
    int64_t v = 0;
    size_t d = 0;
    t->kind = K_NUM;
    t->start = i;
    while (i < len && text[i] >= '0' && text[i] <= '9') {
        if (v < 100000000)
            v = v * 10 + (text[i] - '0');
        d++;
        i++;
    }
    t->value = (int32_t)v;
    t->ndig = (uint8_t)(d > 255 ? 255 : d);
    t->end = i;
    return i;
}

static int tokenize(toks *out, const lex_index *ix, const char *text, size_t len)
{
    size_t i = 0;
    uint8_t gap = GAP_LINE;
    while (i < len) {
        int32_t cp;
        size_t w;
        cclass c = char_at(text, len, i, &cp, &w);
        if (c == C_SPACE || c == C_NEWLINE) {
            if (c == C_NEWLINE)
                gap = GAP_LINE;
            else if (gap == GAP_NONE)
                gap = GAP_SPACE;
            i += w;
            continue;
        }
        tok t;
        memset(&t, 0, sizeof t);
        t.lex = -1;
        t.gap = gap;
        if (c == C_LETTER) {
            i = read_word(ix, text, len, i, &t);
        } else if (c == C_DIGIT) {
            i = read_number(text, len, i, &t);
        } else {
            t.kind = K_PUNCT;
            t.start = i;
            t.end = i + w;
            t.value = cp;
            i += w;
        }
        if (toks_push(out, &t) != LEDE_OK)
            return LEDE_ENOMEM;
        gap = GAP_NONE;
    }
    return LEDE_OK;
}

/* ======================================================================
 * Token predicates
 * ====================================================================== */

typedef struct scan {
    const char *text;
    const tok *t;
    size_t n;
    const lede_date_opts *o;
    int has_ref;       /* o->ref is a whole day: relative dates can be resolved */
    int64_t ref_days;  /* that day */
} scan;

/* A date being read: ymd.year 0 until known. */
typedef struct cand {
    size_t end; /* token index after the date */
    lede_date d;
} cand;

static const lex_entry *lex_at(const scan *s, size_t i)
{
    return i < s->n && s->t[i].kind == K_WORD && s->t[i].lex >= 0 ? &LEX[s->t[i].lex] : NULL;
}

static int role_at(const scan *s, size_t i, unsigned role)
{
    const lex_entry *e = lex_at(s, i);
    return e && (e->roles & role);
}

static int punct_at(const scan *s, size_t i, int32_t cp)
{
    return i < s->n && s->t[i].kind == K_PUNCT && s->t[i].value == cp;
}

static int dash_at(const scan *s, size_t i)
{
    return punct_at(s, i, '-') || punct_at(s, i, 0x2010) || punct_at(s, i, 0x2011) || punct_at(s, i, 0x2013) ||
           punct_at(s, i, 0x2014);
}

/* Token i touches token i - 1. */
static int touching(const scan *s, size_t i)
{
    return i < s->n && s->t[i].gap == GAP_NONE;
}

static int num_at(const scan *s, size_t i, int min_digits, int max_digits)
{
    return i < s->n && s->t[i].kind == K_NUM && s->t[i].ndig >= min_digits && s->t[i].ndig <= max_digits;
}

/* The text of word i equals `word` (ASCII, exact case). */
static int word_is(const scan *s, size_t i, const char *word)
{
    size_t n = strlen(word);
    return i < s->n && s->t[i].kind == K_WORD && s->t[i].end - s->t[i].start == n &&
           memcmp(s->text + s->t[i].start, word, n) == 0;
}

/* A month name at i: its number, *next past it (and an abbreviation's
 * point); 0 when none.  `full` refuses abbreviations. */
static int month_at(const scan *s, size_t i, int full, size_t *next)
{
    const lex_entry *e = lex_at(s, i);
    if (e == NULL || e->month == 0)
        return 0;
    int cap = (s->t[i].caps & CAP_FIRST) != 0;
    if (((e->flags & LX_CAP) && !cap) || ((e->flags & LX_NOCAP) && cap) || ((e->flags & LX_ABBR) && full))
        return 0;
    *next = i + 1;
    if ((e->flags & LX_ABBR) && punct_at(s, i + 1, '.') && touching(s, i + 1))
        (*next)++;
    return e->month;
}

/* A day of the month at i (1..31, with an ordinal ending, or a German
 * "17." when `dot`): its value, *next past it; 0 when the number is part
 * of something else (1,350; 12kg; 10:30). */
static int day_at(const scan *s, size_t i, int dot, size_t *next)
{
    if (!num_at(s, i, 1, 2) || s->t[i].value < 1 || s->t[i].value > 31)
        return 0;
    if (i >= 2 && touching(s, i) && s->t[i - 1].kind == K_PUNCT && touching(s, i - 1) && s->t[i - 2].kind == K_NUM)
        return 0;
    size_t j = i + 1;
    if (touching(s, j)) {
        if (role_at(s, j, R_ORD))
            j++;
        else if (dot && punct_at(s, j, '.'))
            j++;
        else if (s->t[j].kind != K_PUNCT || punct_at(s, j, '%') || punct_at(s, j, ':') ||
                 ((punct_at(s, j, ',') || punct_at(s, j, '.') || punct_at(s, j, '/')) && num_at(s, j + 1, 1, 9) &&
                  touching(s, j + 1)))
            return 0;
    }
    *next = j;
    return s->t[i].value;
}

/* A four-digit year at i (1000..2999) that is not part of a longer number
 * or a range (2024-25, 1990s); *next past it. */
static int year_at(const scan *s, size_t i, size_t *next)
{
    if (!num_at(s, i, 4, 4) || s->t[i].value < 1000 || s->t[i].value > 2999)
        return 0;
    if (i >= 1 && touching(s, i) && s->t[i - 1].kind != K_PUNCT)
        return 0;
    size_t j = i + 1;
    if (touching(s, j)) {
        if (s->t[j].kind != K_PUNCT)
            return 0;
        if ((dash_at(s, j) || punct_at(s, j, '/') || punct_at(s, j, ',') || punct_at(s, j, '.')) &&
            num_at(s, j + 1, 1, 9) && touching(s, j + 1))
            return 0;
    }
    *next = j;
    return s->t[i].value;
}

/* Time zones written after a time. */
static int zone_at(const scan *s, size_t i)
{
    static const char *const zones[] = {"GMT", "UTC", "BST", "CET", "CEST", "EET", "EEST", "WET", "WEST", "MSK",
                                        "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "ET", "PT",
                                        "IST", "JST", "KST", "HKT", "SGT", "AEST", "AEDT", "WIB", "SAST", "Z"};
    for (size_t k = 0; k < sizeof zones / sizeof zones[0]; k++)
        if (word_is(s, i, zones[k]))
            return 1;
    return 0;
}

/* ======================================================================
 * Times: 19:58, 07:30 GMT, 09h15, 18:05:00+01:00, 4:30 pm
 * ====================================================================== */

/* A time of day starting exactly at i; sets d's hour and minute and *next. */
static int time_core(const scan *s, size_t i, lede_date *d, size_t *next)
{
    if (!num_at(s, i, 1, 2) || s->t[i].value > 23)
        return 0;
    size_t k = i + 1;
    if (!(touching(s, k) && (punct_at(s, k, ':') || punct_at(s, k, '.') || role_at(s, k, R_HOUR))))
        return 0;
    if (!(num_at(s, k + 1, 2, 2) && touching(s, k + 1) && s->t[k + 1].value <= 59))
        return 0;
    int hour = s->t[i].value, minute = s->t[k + 1].value;
    k += 2;
    if (punct_at(s, k, ':') && touching(s, k) && num_at(s, k + 1, 2, 2) && touching(s, k + 1))
        k += 2; /* seconds */
    if (punct_at(s, k, '.') && touching(s, k) && num_at(s, k + 1, 1, 9) && touching(s, k + 1))
        k += 2; /* fraction */
    const lex_entry *e = lex_at(s, k);
    if (e && (e->roles & R_AMPM) && s->t[k].gap != GAP_LINE && hour >= 1 && hour <= 12) {
        hour = hour % 12 + e->value;
        k++;
    }
    if (k < s->n && s->t[k].gap != GAP_LINE && zone_at(s, k)) {
        k++;
    } else if ((punct_at(s, k, '+') || dash_at(s, k)) && touching(s, k) && num_at(s, k + 1, 2, 4) &&
               touching(s, k + 1)) {
        k += 2; /* +01:00, -0500 */
        if (punct_at(s, k, ':') && touching(s, k) && num_at(s, k + 1, 2, 2) && touching(s, k + 1))
            k += 2;
    }
    d->hour = hour;
    d->minute = minute;
    d->flags |= LEDE_DATE_HAS_TIME;
    *next = k;
    return 1;
}

/* A time after a date ending before token i: "19:58", ", 06:10 BST",
 * "à 09h15", "- 08:30", "a las 10:00", on the same line. */
static void time_after(const scan *s, cand *c)
{
    size_t i = c->end;
    if (i >= s->n || s->t[i].gap == GAP_LINE)
        return;
    if (punct_at(s, i, ',') || dash_at(s, i) || punct_at(s, i, '|') || punct_at(s, i, 0xB7) || punct_at(s, i, '@'))
        i++;
    else if (role_at(s, i, R_AT) && (i++, role_at(s, i, R_LAS)))
        i++;
    if (i >= s->n || s->t[i].gap == GAP_LINE)
        return;
    size_t next;
    if (time_core(s, i, &c->d, &next))
        c->end = next;
}

/* ======================================================================
 * Resolution
 * ====================================================================== */

/* The last day of the reference (a year or month reference counts to its end). */
static int64_t ref_end(const lede_ymd *r)
{
    if (r->day)
        return lede_ymd_days(r->year, r->month, r->day);
    if (r->month)
        return lede_ymd_days(r->year, r->month, month_length(r->year, r->month));
    return lede_ymd_days(r->year, 12, 31);
}

/* Whether year y fits month m (day d, 0 for the whole month, weekday wd, 0
 * for any) between the bounds. */
static int year_fits(int y, int m, int d, int wd, int64_t lo, int64_t hi)
{
    if (!lede_ymd_valid(y, m, d ? d : 1))
        return 0;
    int64_t first = lede_ymd_days(y, m, d ? d : 1);
    int64_t last = d ? first : lede_ymd_days(y, m, month_length(y, m));
    return first <= hi && last >= lo && (!wd || lede_ymd_weekday(y, m, d) == wd);
}

/* Picks a year for a written month (and day, and weekday) without one, as
 * dates.h says; 0 when the options give nothing to go by. */
static int infer_year(const lede_date_opts *o, int m, int d, int wd)
{
    int64_t lo = o->not_before.year ? lede_ymd_days(o->not_before.year, o->not_before.month ? o->not_before.month : 1,
                                                    o->not_before.day ? o->not_before.day : 1)
                                    : INT64_MIN;
    int span = wd ? 28 : 8; /* weekday and date recur within 28 years; 29 February within 8 */
    if (o->ref.year) {
        int64_t hi = ref_end(&o->ref) + o->future_days;
        for (int y = o->ref.year + 1; y >= o->ref.year - span && y >= 1; y--)
            if (year_fits(y, m, d, wd, lo, hi))
                return y;
    } else if (o->not_before.year) {
        for (int y = o->not_before.year; y <= o->not_before.year + span && y <= 9999; y++)
            if (year_fits(y, m, d, wd, lo, INT64_MAX))
                return y;
    }
    return 0;
}

/* Fills in what the words left open: the year, the weekday check, the
 * confidence. */
static void resolve(const scan *s, lede_date *d)
{
    int wd = d->weekday;
    if (d->ymd.year == 0 && d->ymd.month) {
        int y = wd ? infer_year(s->o, d->ymd.month, d->ymd.day, wd) : 0;
        if (y) {
            d->confidence = 0.95;
        } else {
            y = infer_year(s->o, d->ymd.month, d->ymd.day, 0);
            d->confidence = d->precision == LEDE_DATE_MONTH ? 0.6 : 0.8;
            if (y && wd)
                d->flags |= LEDE_DATE_WEEKDAY_MISMATCH;
        }
        d->ymd.year = y;
        d->flags |= LEDE_DATE_INFERRED_YEAR;
        if (y == 0) {
            d->flags |= LEDE_DATE_UNRESOLVED;
            d->confidence = 0.3;
        }
    } else if (wd && d->precision == LEDE_DATE_DAY &&
               lede_ymd_weekday(d->ymd.year, d->ymd.month, d->ymd.day) != wd) {
        d->flags |= LEDE_DATE_WEEKDAY_MISMATCH;
    }
    if (d->flags & LEDE_DATE_WEEKDAY_MISMATCH)
        d->confidence *= 0.5;
}

static void cand_init(cand *c)
{
    memset(c, 0, sizeof *c);
    c->d.hour = c->d.minute = -1;
    c->d.confidence = 1.0;
}

static void set_day(cand *c, size_t end, int y, int m, int d, unsigned flags)
{
    c->end = end;
    c->d.ymd = (lede_ymd){y, m, d};
    c->d.precision = LEDE_DATE_DAY;
    c->d.flags |= flags;
}

static void set_relative(cand *c, size_t end, int64_t days, int precision, double confidence)
{
    c->end = end;
    c->d.ymd = lede_ymd_from_days(days);
    c->d.precision = precision;
    c->d.flags |= LEDE_DATE_RELATIVE;
    c->d.confidence = confidence;
}

/* ======================================================================
 * Patterns
 * ====================================================================== */

/* Numbers touching the date on the left would make it part of something
 * longer: 1.2.3.4, 10-05-2024-7. */
static int clear_left(const scan *s, size_t i)
{
    return i == 0 || !touching(s, i) || (s->t[i - 1].kind == K_WORD && s->t[i - 1].lex >= 0) ||
           (s->t[i - 1].kind == K_PUNCT && !(i >= 2 && touching(s, i - 1) && s->t[i - 2].kind == K_NUM) &&
            !dash_at(s, i - 1) && !punct_at(s, i - 1, '/') && !punct_at(s, i - 1, '.'));
}

static int clear_right(const scan *s, size_t i)
{
    if (!touching(s, i))
        return 1;
    if (s->t[i].kind != K_PUNCT)
        return 0;
    return !((dash_at(s, i) || punct_at(s, i, '/') || punct_at(s, i, '.') || punct_at(s, i, ',')) &&
             touching(s, i + 1) && i + 1 < s->n && s->t[i + 1].kind == K_NUM);
}

/* 2024-03-05, 2024/03/05, 2024.03.05, with an optional time (T18:05:00Z). */
static int iso_at(const scan *s, size_t i, cand *c)
{
    if (!num_at(s, i, 4, 4) || s->t[i].value < 1000)
        return 0;
    int y = s->t[i].value;
    int32_t sep = i + 1 < s->n && s->t[i + 1].kind == K_PUNCT ? s->t[i + 1].value : 0;
    if (!(sep == '-' || sep == '/' || sep == '.') || !clear_left(s, i))
        return 0;
    int wide = sep == '-' ? 2 : 1;
    if (!(touching(s, i + 1) && num_at(s, i + 2, wide, 2) && touching(s, i + 2) && punct_at(s, i + 3, sep) &&
          touching(s, i + 3) && num_at(s, i + 4, wide, 2) && touching(s, i + 4)))
        return 0;
    int m = s->t[i + 2].value, d = s->t[i + 4].value;
    size_t end = i + 5;
    if (!lede_ymd_valid(y, m, d))
        return 0;
    if (touching(s, end) && (word_is(s, end, "T") || word_is(s, end, "t")) && touching(s, end + 1)) {
        size_t next;
        if (!time_core(s, end + 1, &c->d, &next))
            return 0;
        end = next;
    } else if (!clear_right(s, end)) {
        return 0;
    }
    set_day(c, end, y, m, d, LEDE_DATE_NUMERIC);
    if (!(c->d.flags & LEDE_DATE_HAS_TIME))
        time_after(s, c);
    return 1;
}

/* 05/03/2024, 5.3.2024, 05-03-2024, 5/3/24: day and month in either order. */
static int numeric_at(const scan *s, size_t i, cand *c)
{
    if (!num_at(s, i, 1, 2) || !clear_left(s, i) || !touching(s, i + 1) || i + 1 >= s->n ||
        s->t[i + 1].kind != K_PUNCT)
        return 0;
    int32_t sep = s->t[i + 1].value;
    if (!(sep == '/' || sep == '.' || sep == '-'))
        return 0;
    if (!(num_at(s, i + 2, 1, 2) && touching(s, i + 2) && punct_at(s, i + 3, sep) && touching(s, i + 3) &&
          touching(s, i + 4) && (num_at(s, i + 4, 4, 4) || (sep == '/' && num_at(s, i + 4, 2, 2)))))
        return 0;
    size_t end = i + 5;
    if (!clear_right(s, end))
        return 0;
    int a = s->t[i].value, b = s->t[i + 2].value, y = s->t[i + 4].value;
    if (s->t[i + 4].ndig == 2) {
        int pivot = s->o->ref.year ? s->o->ref.year % 100 + 1 : 69;
        y += y <= pivot ? 2000 : 1900;
    }
    int dmy = lede_ymd_valid(y, b, a), mdy = lede_ymd_valid(y, a, b);
    if (!dmy && !mdy)
        return 0;
    unsigned flags = LEDE_DATE_NUMERIC;
    int day_first = dmy && (!mdy || s->o->order == LEDE_DATE_DMY);
    if (dmy && mdy && a != b) {
        flags |= LEDE_DATE_ORDER_ASSUMED;
        c->d.confidence = 0.7;
    } else {
        c->d.confidence = 0.95;
    }
    flags |= day_first ? LEDE_DATE_DAY_FIRST : LEDE_DATE_MONTH_FIRST;
    set_day(c, end, y, day_first ? b : a, day_first ? a : b, flags);
    time_after(s, c);
    return 1;
}

/* An optional year after a day and month ending before k: ", 2013",
 * " de 2024", " 2024".  Returns the year (0 if none) and moves *k past it. */
static int trailing_year(const scan *s, size_t *k)
{
    size_t j = *k;
    if (punct_at(s, j, ','))
        j++;
    if (role_at(s, j, R_OF))
        j++;
    if (j < s->n && s->t[j].gap == GAP_LINE)
        return 0;
    int y = year_at(s, j, &j);
    if (y)
        *k = j;
    return y;
}

/* Day and month with an optional year; the year is checked here, a
 * missing one is inferred by resolve().  An impossible date (30 February)
 * is still a match, of precision 0: its words are no date at all, not even
 * the "February 2023" they contain. */
static int day_month(cand *c, size_t end, int y, int m, int d, unsigned order_flag)
{
    set_day(c, end, y, m, d, order_flag);
    if (y ? !lede_ymd_valid(y, m, d) : !lede_ymd_valid(2000, m, d)) /* 2000 allows 29 February */
        c->d.precision = 0;
    return 1;
}

/* A bare year or month may only follow words such as "in" or "since". */
static int after_cue(const scan *s, size_t i)
{
    if (i == 0 || s->t[i].gap == GAP_LINE)
        return 0;
    if (dash_at(s, i - 1) && touching(s, i) && touching(s, i - 1) && i >= 2)
        return role_at(s, i - 2, R_CUE); /* mid-2014, mid-March */
    return role_at(s, i - 1, R_CUE);
}

/* The date proper, without a weekday: "7 May, 2013", "25th April 2024",
 * "2 de mayo de 2024", "the 4th of July", "June 30, 2012", "July 15",
 * "March 2011", and a month alone after "in", "since"... */
static int core_at(const scan *s, size_t i, cand *c)
{
    size_t k, k2;
    int d, m, y;
    if (role_at(s, i, R_THE) && (d = day_at(s, i + 1, 0, &k)) && role_at(s, k, R_OF) &&
        (m = month_at(s, k + 1, 0, &k))) {
        y = trailing_year(s, &k);
        return day_month(c, k, y, m, d, LEDE_DATE_DAY_FIRST);
    }
    if ((d = day_at(s, i, 1, &k))) {
        if (role_at(s, k, R_OF))
            k++;
        if ((m = month_at(s, k, 0, &k))) {
            y = trailing_year(s, &k);
            return day_month(c, k, y, m, d, LEDE_DATE_DAY_FIRST);
        }
        return 0;
    }
    if (!(m = month_at(s, i, 0, &k)))
        return 0;
    if ((d = day_at(s, k, 0, &k2)) && s->t[k].gap != GAP_LINE) {
        y = trailing_year(s, &k2);
        return day_month(c, k2, y, m, d, LEDE_DATE_MONTH_FIRST);
    }
    k2 = k;
    if (role_at(s, k2, R_OF) || punct_at(s, k2, ','))
        k2++;
    if (k2 < s->n && s->t[k2].gap != GAP_LINE && (y = year_at(s, k2, &k2))) {
        c->end = k2;
        c->d.ymd = (lede_ymd){y, m, 0};
        c->d.precision = LEDE_DATE_MONTH;
        return 1;
    }
    size_t full_end;
    if (month_at(s, i, 1, &full_end) && after_cue(s, i)) {
        c->end = full_end;
        c->d.ymd = (lede_ymd){0, m, 0};
        c->d.precision = LEDE_DATE_MONTH;
        return 1;
    }
    return 0;
}

/* Days from the reference to the weekday `wd`: the last one on or before it
 * (mod 0), strictly before (mod -1) or strictly after (mod 1). */
static int64_t weekday_offset(const scan *s, int wd, int mod)
{
    lede_ymd r = s->o->ref;
    int rw = lede_ymd_weekday(r.year, r.month, r.day);
    if (mod > 0) {
        int ahead = (wd - rw + 7) % 7;
        return ahead ? ahead : 7;
    }
    int back = (rw - wd + 7) % 7;
    return -(int64_t)(back == 0 && mod < 0 ? 7 : back);
}

/* A weekday standing for a day: "on Tuesday", "Tuesday night", "last
 * Friday" (mod from the word before, starting at token `from`). */
static int weekday_alone(const scan *s, size_t from, size_t i, int mod, cand *c)
{
    const lex_entry *e = lex_at(s, i);
    if (!s->o->relative || !s->has_ref || e == NULL || !e->weekday || !(e->flags & LX_ALONE) ||
        !(s->t[i].caps & CAP_FIRST))
        return 0;
    if (from == i && i > 0 && role_at(s, i - 1, R_HOLIDAY) && (s->t[i - 1].caps & CAP_FIRST))
        return 0;
    size_t end = i + 1;
    if (role_at(s, end, R_PART) && s->t[end].gap != GAP_LINE)
        end++;
    set_relative(c, end, s->ref_days + weekday_offset(s, e->weekday, mod), LEDE_DATE_DAY, mod > 0 ? 0.7 : 0.8);
    c->d.weekday = e->weekday;
    c->d.flags |= LEDE_DATE_HAS_WEEKDAY;
    return 1;
}

/* A weekday, then the date it names or nothing: "Thursday, 25th April
 * 2024", "Friday, July 15", "Tuesday night (May 7)", "on Tuesday". */
static int weekday_at(const scan *s, size_t i, cand *c)
{
    const lex_entry *e = lex_at(s, i);
    size_t j = i + 1;
    if (e->flags & LX_FEIRA) {
        if (!(dash_at(s, j) && touching(s, j) && role_at(s, j + 1, R_FEIRA) && touching(s, j + 1)))
            return 0;
        j += 2;
    }
    if ((e->flags & LX_ABBR) && punct_at(s, j, '.') && touching(s, j))
        j++;
    size_t k = j + (punct_at(s, j, ',') ? 1 : 0);
    if (k < s->n && s->t[k].gap != GAP_LINE && core_at(s, k, c) && c->d.precision == LEDE_DATE_DAY) {
        c->d.weekday = e->weekday;
        c->d.flags |= LEDE_DATE_HAS_WEEKDAY;
        return 1;
    }
    cand_init(c);
    k = j + (role_at(s, j, R_PART) ? 1 : 0);
    if (punct_at(s, k, '(') && core_at(s, k + 1, c) && c->d.precision == LEDE_DATE_DAY && punct_at(s, c->end, ')')) {
        c->end++;
        c->d.weekday = e->weekday;
        c->d.flags |= LEDE_DATE_HAS_WEEKDAY;
        return 1;
    }
    cand_init(c);
    return weekday_alone(s, i, i, 0, c);
}

/* last/this/next week, month, year: the period around the reference. */
static int period(const scan *s, cand *c, size_t end, int mod, int unit)
{
    lede_ymd r = s->o->ref;
    if (unit == U_WEEK) {
        int64_t day = s->ref_days + 7 * mod;
        lede_ymd x = lede_ymd_from_days(day);
        set_relative(c, end, day - (lede_ymd_weekday(x.year, x.month, x.day) - 1), LEDE_DATE_WEEK, 0.7);
        return 1;
    }
    if (unit == U_MONTH) {
        int months = r.year * 12 + (r.month - 1) + mod;
        set_relative(c, end, lede_ymd_days(months / 12, months % 12 + 1, 1), LEDE_DATE_MONTH, 0.7);
        c->d.ymd.day = 0;
        return 1;
    }
    if (unit == U_YEAR) {
        set_relative(c, end, lede_ymd_days(r.year + mod, 1, 1), LEDE_DATE_YEAR, 0.7);
        c->d.ymd.month = c->d.ymd.day = 0;
        return 1;
    }
    return 0;
}

/* "3 days ago", "two weeks ago", "a year ago". */
static int ago_at(const scan *s, size_t i, cand *c)
{
    int n;
    if (num_at(s, i, 1, 3))
        n = s->t[i].value;
    else if (role_at(s, i, R_NUMWORD))
        n = lex_at(s, i)->value;
    else
        return 0;
    const lex_entry *u = lex_at(s, i + 1);
    if (!s->o->relative || !s->has_ref || u == NULL || !(u->roles & R_UNIT) || !role_at(s, i + 2, R_AGO) || n < 1 || n > 400)
        return 0;
    switch (u->value) {
    case U_DAY: set_relative(c, i + 3, s->ref_days - n, LEDE_DATE_DAY, 0.7); return 1;
    case U_WEEK: {
        int64_t day = s->ref_days - 7 * (int64_t)n;
        lede_ymd x = lede_ymd_from_days(day);
        set_relative(c, i + 3, day - (lede_ymd_weekday(x.year, x.month, x.day) - 1), LEDE_DATE_WEEK, 0.6);
        return 1;
    }
    default: {
        lede_ymd r = s->o->ref;
        int k = n > 100 ? 100 : n;
        if (u->value == U_MONTH) {
            int months = r.year * 12 + (r.month - 1) - k;
            set_relative(c, i + 3, lede_ymd_days(months / 12, months % 12 + 1, 1), LEDE_DATE_MONTH, 0.6);
            c->d.ymd.day = 0;
        } else {
            set_relative(c, i + 3, lede_ymd_days(r.year - k, 1, 1), LEDE_DATE_YEAR, 0.6);
            c->d.ymd.month = c->d.ymd.day = 0;
        }
        return 1;
    }
    }
}

/* today, yesterday (morning), last Friday, next week, earlier this month. */
static int relative_at(const scan *s, size_t i, cand *c)
{
    const lex_entry *e = lex_at(s, i);
    if (!s->o->relative || !s->has_ref || e == NULL)
        return 0;
    if (e->roles & R_REL) {
        size_t end = i + 1 + (role_at(s, i + 1, R_PART) && s->t[i + 1].gap != GAP_LINE ? 1 : 0);
        set_relative(c, end, s->ref_days + e->value, LEDE_DATE_DAY, 0.9);
        return 1;
    }
    size_t j = i;
    if ((e->roles & R_EDGE) && role_at(s, i + 1, R_MOD) && lex_at(s, i + 1)->value == 0)
        j = i + 1;
    const lex_entry *m = lex_at(s, j);
    if (!(m->roles & R_MOD))
        return ago_at(s, i, c);
    const lex_entry *next = lex_at(s, j + 1);
    if (next && next->weekday && j == i)
        return weekday_alone(s, i, j + 1, m->value, c);
    if (next && (next->roles & R_UNIT) && next->value != U_DAY && s->t[j + 1].gap != GAP_LINE)
        return period(s, c, j + 2, m->value, next->value);
    return 0;
}

/* A bare year after "in", "since", "mid-"...: "in 2011", "mid-2014". */
static int cue_year_at(const scan *s, size_t i, cand *c)
{
    size_t k;
    int y = year_at(s, i, &k);
    if (y < 1800 || y > 2199 || !after_cue(s, i))
        return 0;
    c->end = k;
    c->d.ymd = (lede_ymd){y, 0, 0};
    c->d.precision = LEDE_DATE_YEAR;
    c->d.confidence = 0.9;
    return 1;
}

/* Tries every pattern that can start at token i, longest first. */
static int match_at(const scan *s, size_t i, cand *c)
{
    const tok *t = &s->t[i];
    cand_init(c);
    if (t->kind == K_NUM) {
        if (t->ndig == 4)
            return iso_at(s, i, c) || (cand_init(c), cue_year_at(s, i, c));
        if (numeric_at(s, i, c))
            return 1;
        cand_init(c);
        if (core_at(s, i, c))
            goto found;
        cand_init(c);
        return ago_at(s, i, c);
    }
    if (t->kind != K_WORD || t->lex < 0)
        return 0;
    const lex_entry *e = &LEX[t->lex];
    if (e->weekday) {
        if (!weekday_at(s, i, c))
            return 0;
        if (c->d.flags & LEDE_DATE_RELATIVE)
            return 1;
        goto found;
    }
    if (core_at(s, i, c))
        goto found;
    cand_init(c);
    return relative_at(s, i, c);
found:
    if (c->d.precision == 0)
        return 1;
    resolve(s, &c->d);
    if (c->d.precision == LEDE_DATE_DAY)
        time_after(s, c);
    return 1;
}

/* ======================================================================
 * Public entry points
 * ====================================================================== */

void lede_date_opts_init(lede_date_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->order = LEDE_DATE_DMY;
    opts->future_days = 7;
    opts->relative = 1;
}

typedef struct spans {
    lede_date_span *v;
    size_t n, cap;
} spans;

static int spans_push(spans *sp, size_t start, size_t end, const lede_date *d)
{
    if (lede_grow((void **)&sp->v, &sp->cap, sp->n + 1, sizeof *sp->v) != LEDE_OK)
        return LEDE_ENOMEM;
    sp->v[sp->n].start = start;
    sp->v[sp->n].end = end;
    sp->v[sp->n].date = *d;
    sp->n++;
    return LEDE_OK;
}

int lede_dates_scan(lede_date_span **out, size_t *n, const char *text, size_t len, const lede_date_opts *opts)
{
    *out = NULL;
    *n = 0;
    lede_date_opts dflt;
    if (opts == NULL) {
        lede_date_opts_init(&dflt);
        opts = &dflt;
    }
    toks t = {0};
    spans sp = {0};
    lex_index ix;
    lex_index_build(&ix);
    int rc = tokenize(&t, &ix, text, len);
    scan s = {text, t.v, t.n, opts, 0, 0};
    if (lede_ymd_valid(opts->ref.year, opts->ref.month, opts->ref.day)) {
        s.has_ref = 1;
        s.ref_days = ymd_days(opts->ref);
    }
    for (size_t i = 0; i < s.n && rc == LEDE_OK;) {
        cand c;
        if (match_at(&s, i, &c) && c.end > i) {
            if (c.d.precision != 0)
                rc = spans_push(&sp, s.t[i].start, s.t[c.end - 1].end, &c.d);
            i = c.end;
        } else {
            i++;
        }
    }
    free(t.v);
    if (rc != LEDE_OK) {
        free(sp.v);
        return rc;
    }
    *out = sp.v;
    *n = sp.n;
    return LEDE_OK;
}

static int trim_char(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int lede_date_parse(lede_date *out, const char *s, size_t len, const lede_date_opts *opts)
{
    size_t a = 0, b = len;
    while (a < b && trim_char((unsigned char)s[a]))
        a++;
    while (b > a && trim_char((unsigned char)s[b - 1]))
        b--;
    if (b > a && (s[b - 1] == '.' || s[b - 1] == ',' || s[b - 1] == ';'))
        b--;
    lede_date_span *v;
    size_t n;
    int rc = lede_dates_scan(&v, &n, s + a, b - a, opts);
    if (rc != LEDE_OK)
        return rc;
    /* "May 7." keeps its point inside the scan: the date must reach b or b + 1 */
    int whole = n == 1 && v[0].start == 0 && v[0].end >= b - a;
    if (whole)
        *out = v[0].date;
    free(v);
    return whole ? LEDE_OK : LEDE_ENOTFOUND;
}

size_t lede_date_iso(char *buf, size_t cap, const lede_date *date)
{
    if (cap == 0)
        return 0;
    buf[0] = '\0';
    const lede_ymd *d = &date->ymd;
    if ((date->flags & LEDE_DATE_UNRESOLVED) || d->year < 1 || d->year > 9999)
        return 0;
    int k;
    if (date->precision == LEDE_DATE_YEAR)
        k = snprintf(buf, cap, "%04d", d->year);
    else if (date->precision == LEDE_DATE_MONTH)
        k = snprintf(buf, cap, "%04d-%02d", d->year, d->month);
    else
        k = snprintf(buf, cap, "%04d-%02d-%02d", d->year, d->month, d->day);
    return k > 0 && (size_t)k < cap ? (size_t)k : 0;
}
