/* Numbers and quantities in news text: see numparse.h.
 *
 * One left-to-right pass over the bytes.  Digits and the first letter of a
 * word are the only places where work starts; a word is looked up (binary
 * search over a sorted static table) only when it starts a word.  Qualifiers
 * are read backwards from a number, so the common words of a text cost
 * nothing but the lookup. */
#include "numparse.h"

#include "grow.h"
#include "lede.h"

#include <stdlib.h>
#include <string.h>

#define WORD_MAX 24 /* longest word looked up, in bytes */

/* ---- languages ---- */

enum { L_EN = 1, L_ES = 2, L_FR = 4, L_DE = 8, L_IT = 16, L_PT = 32 };

static unsigned lang_bit(const char *lang)
{
    static const struct {
        char code[3];
        unsigned bit;
    } langs[] = {{"es", L_ES}, {"fr", L_FR}, {"de", L_DE}, {"it", L_IT}, {"pt", L_PT}};
    if (lang && lang[0] && lang[1])
        for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
            if ((lang[0] | 0x20) == langs[i].code[0] && (lang[1] | 0x20) == langs[i].code[1])
                return langs[i].bit;
    return 0;
}

int lede_num_decimal_comma(const char *language)
{
    /* Languages writing 1.234,5 (or 1 234,5). */
    static const char comma[][3] = {"de", "es", "fr", "it", "pt", "nl", "ru", "pl", "tr", "id", "da", "sv",
                                    "nb", "no", "fi", "cs", "sk", "ro", "hu", "el", "uk", "bg", "hr", "sr",
                                    "sl", "ca", "gl", "eu", "lt", "lv", "et", "is", "vi", "az", "kk"};
    if (!language || !language[0] || !language[1] || (language[2] && language[2] != '-' && language[2] != '_'))
        return 0;
    for (size_t i = 0; i < sizeof comma / sizeof *comma; i++)
        if ((language[0] | 0x20) == comma[i][0] && (language[1] | 0x20) == comma[i][1])
            return 1;
    return 0;
}

/* ---- vague quantities ---- */

enum {
    V_NONE = 0,
    V_DOZENS, V_SCORES, V_HUNDREDS, V_THOUSANDS, V_TENS_OF_THOUSANDS, V_HUNDREDS_OF_THOUSANDS,
    V_MILLIONS, V_TENS_OF_MILLIONS, V_HUNDREDS_OF_MILLIONS, V_BILLIONS,
    V_SEVERAL_DOZEN, V_SEVERAL_HUNDRED, V_SEVERAL_THOUSAND, V_SEVERAL_MILLION,
    V_FEW_DOZEN, V_FEW_HUNDRED, V_FEW_THOUSAND, V_FEW_MILLION,
    V_DECENAS, V_CIENTOS, V_CENTENARES, V_MILES, V_DECENAS_DE_MILES, V_CIENTOS_DE_MILES,
    V_CENTENARES_DE_MILES, V_MILLONES,
    V_DIZAINES, V_CENTAINES, V_MILLIERS, V_DIZAINES_DE_MILLIERS, V_CENTAINES_DE_MILLIERS,
    V_DUTZENDE, V_HUNDERTE, V_TAUSENDE, V_ZEHNTAUSENDE, V_HUNDERTTAUSENDE, V_MILLIONEN,
    V_DEZENAS, V_CENTENAS, V_MILHARES, V_DEZENAS_DE_MILHARES, V_CENTENAS_DE_MILHARES, V_MILHOES,
    V_DECINE, V_CENTINAIA, V_MIGLIAIA, V_DECINE_DI_MIGLIAIA, V_CENTINAIA_DI_MIGLIAIA, V_MILIONI,
    V_COUNT
};

typedef struct vague_def {
    const char *name;
    int64_t low, high;
} vague_def;

#define RANGE_DOZENS 24, 99
#define RANGE_TENS 20, 99
#define RANGE_HUNDREDS 200, 999
#define RANGE_THOUSANDS 2000, 9999
#define RANGE_TENS_OF_THOUSANDS 20000, 99999
#define RANGE_HUNDREDS_OF_THOUSANDS 200000, 999999
#define RANGE_MILLIONS 2000000, 999999999

static const vague_def vagues[V_COUNT] = {
    [V_DOZENS] = {"dozens", RANGE_DOZENS},
    [V_SCORES] = {"scores", 40, 199},
    [V_HUNDREDS] = {"hundreds", RANGE_HUNDREDS},
    [V_THOUSANDS] = {"thousands", RANGE_THOUSANDS},
    [V_TENS_OF_THOUSANDS] = {"tens of thousands", RANGE_TENS_OF_THOUSANDS},
    [V_HUNDREDS_OF_THOUSANDS] = {"hundreds of thousands", RANGE_HUNDREDS_OF_THOUSANDS},
    [V_MILLIONS] = {"millions", RANGE_MILLIONS},
    [V_TENS_OF_MILLIONS] = {"tens of millions", 20000000, 99999999},
    [V_HUNDREDS_OF_MILLIONS] = {"hundreds of millions", 200000000, 999999999},
    [V_BILLIONS] = {"billions", 2000000000LL, 999999999999LL},
    [V_SEVERAL_DOZEN] = {"several dozen", 36, 108},
    [V_SEVERAL_HUNDRED] = {"several hundred", 300, 900},
    [V_SEVERAL_THOUSAND] = {"several thousand", 3000, 9000},
    [V_SEVERAL_MILLION] = {"several million", 3000000, 9000000},
    [V_FEW_DOZEN] = {"a few dozen", 24, 60},
    [V_FEW_HUNDRED] = {"a few hundred", 200, 500},
    [V_FEW_THOUSAND] = {"a few thousand", 2000, 5000},
    [V_FEW_MILLION] = {"a few million", 2000000, 5000000},
    [V_DECENAS] = {"decenas", RANGE_TENS},
    [V_CIENTOS] = {"cientos", RANGE_HUNDREDS},
    [V_CENTENARES] = {"centenares", RANGE_HUNDREDS},
    [V_MILES] = {"miles", RANGE_THOUSANDS},
    [V_DECENAS_DE_MILES] = {"decenas de miles", RANGE_TENS_OF_THOUSANDS},
    [V_CIENTOS_DE_MILES] = {"cientos de miles", RANGE_HUNDREDS_OF_THOUSANDS},
    [V_CENTENARES_DE_MILES] = {"centenares de miles", RANGE_HUNDREDS_OF_THOUSANDS},
    [V_MILLONES] = {"millones", RANGE_MILLIONS},
    [V_DIZAINES] = {"dizaines", RANGE_TENS},
    [V_CENTAINES] = {"centaines", RANGE_HUNDREDS},
    [V_MILLIERS] = {"milliers", RANGE_THOUSANDS},
    [V_DIZAINES_DE_MILLIERS] = {"dizaines de milliers", RANGE_TENS_OF_THOUSANDS},
    [V_CENTAINES_DE_MILLIERS] = {"centaines de milliers", RANGE_HUNDREDS_OF_THOUSANDS},
    [V_DUTZENDE] = {"dutzende", RANGE_DOZENS},
    [V_HUNDERTE] = {"hunderte", RANGE_HUNDREDS},
    [V_TAUSENDE] = {"tausende", RANGE_THOUSANDS},
    [V_ZEHNTAUSENDE] = {"zehntausende", RANGE_TENS_OF_THOUSANDS},
    [V_HUNDERTTAUSENDE] = {"hunderttausende", RANGE_HUNDREDS_OF_THOUSANDS},
    [V_MILLIONEN] = {"millionen", RANGE_MILLIONS},
    [V_DEZENAS] = {"dezenas", RANGE_TENS},
    [V_CENTENAS] = {"centenas", RANGE_HUNDREDS},
    [V_MILHARES] = {"milhares", RANGE_THOUSANDS},
    [V_DEZENAS_DE_MILHARES] = {"dezenas de milhares", RANGE_TENS_OF_THOUSANDS},
    [V_CENTENAS_DE_MILHARES] = {"centenas de milhares", RANGE_HUNDREDS_OF_THOUSANDS},
    [V_MILHOES] = {"milh\xC3\xB5" "es", RANGE_MILLIONS},
    [V_DECINE] = {"decine", RANGE_TENS},
    [V_CENTINAIA] = {"centinaia", RANGE_HUNDREDS},
    [V_MIGLIAIA] = {"migliaia", RANGE_THOUSANDS},
    [V_DECINE_DI_MIGLIAIA] = {"decine di migliaia", RANGE_TENS_OF_THOUSANDS},
    [V_CENTINAIA_DI_MIGLIAIA] = {"centinaia di migliaia", RANGE_HUNDREDS_OF_THOUSANDS},
    [V_MILIONI] = {"milioni", RANGE_MILLIONS},
};

/* "tens of thousands": a leading vague word, "of", and a trailing one. */
typedef struct vague_combo {
    int lead, tail, result;
} vague_combo;

enum { V_TENS_LEAD = -1 }; /* "tens", a lead only */

static const vague_combo combos[] = {
    {V_TENS_LEAD, V_THOUSANDS, V_TENS_OF_THOUSANDS},   {V_HUNDREDS, V_THOUSANDS, V_HUNDREDS_OF_THOUSANDS},
    {V_TENS_LEAD, V_MILLIONS, V_TENS_OF_MILLIONS},     {V_HUNDREDS, V_MILLIONS, V_HUNDREDS_OF_MILLIONS},
    {V_DECENAS, V_MILES, V_DECENAS_DE_MILES},          {V_CIENTOS, V_MILES, V_CIENTOS_DE_MILES},
    {V_CENTENARES, V_MILES, V_CENTENARES_DE_MILES},    {V_DIZAINES, V_MILLIERS, V_DIZAINES_DE_MILLIERS},
    {V_CENTAINES, V_MILLIERS, V_CENTAINES_DE_MILLIERS}, {V_DEZENAS, V_MILHARES, V_DEZENAS_DE_MILHARES},
    {V_CENTENAS, V_MILHARES, V_CENTENAS_DE_MILHARES},  {V_DECINE, V_MIGLIAIA, V_DECINE_DI_MIGLIAIA},
    {V_CENTINAIA, V_MIGLIAIA, V_CENTINAIA_DI_MIGLIAIA},
};

const char *lede_num_vague_name(int vague)
{
    return vague > 0 && vague < V_COUNT ? vagues[vague].name : NULL;
}

int lede_num_vague_range(int vague, int64_t *low, int64_t *high)
{
    if (vague <= 0 || vague >= V_COUNT)
        return 0;
    *low = vagues[vague].low;
    *high = vagues[vague].high;
    return 1;
}

const char *lede_num_qualifier_name(int qualifier)
{
    static const char *const names[LEDE_QUAL_COUNT] = {"exact",  "more_than", "over",    "at_least",  "about",
                                                        "nearly", "up_to",     "fewer_than", "vague"};
    return qualifier >= 0 && qualifier < LEDE_QUAL_COUNT ? names[qualifier] : NULL;
}

/* ---- number words ---- */

enum word_kind {
    W_ARTICLE, /* a, an: "a dozen", "a hundred" */
    W_AND,     /* "two hundred and five" */
    W_HALF,    /* "half a million" */
    W_UNIT,    /* zero .. nine */
    W_TEEN,    /* ten .. nineteen */
    W_TENS,    /* twenty .. ninety */
    W_HUNDRED,
    W_DOZEN,
    W_SCALE,     /* thousand, million, ...; plural forms also stand alone as vague quantities */
    W_VAGUE,     /* dozens, hundreds, decenas, ... */
    W_TENS_LEAD, /* "tens" of thousands */
    W_FEW        /* several, (a) few: "several hundred" */
};

typedef struct word_def {
    const char *word; /* folded: lower case */
    uint8_t kind;
    uint8_t langs;
    int64_t value; /* number, scale, or the "several"/"few" factor */
    int vague;     /* vague quantity when standing alone */
} word_def;

/* Sorted by bytes (binary search). */
static const word_def words[] = {
    {"a", W_ARTICLE, L_EN, 0, 0},
    {"an", W_ARTICLE, L_EN, 0, 0},
    {"and", W_AND, L_EN, 0, 0},
    {"bilh\xC3\xA3o", W_SCALE, L_PT, 1000000000LL, 0},
    {"bilh\xC3\xB5" "es", W_SCALE, L_PT, 1000000000LL, 0},
    {"billion", W_SCALE, L_EN, 1000000000LL, 0},
    {"billions", W_SCALE, L_EN, 1000000000LL, V_BILLIONS},
    {"billones", W_SCALE, L_ES, 1000000000000LL, 0},
    {"bill\xC3\xB3n", W_SCALE, L_ES, 1000000000000LL, 0},
    {"bln", W_SCALE, L_EN, 1000000000LL, 0}, /* wire abbreviations: "2.5 bln", "5 bn", "3 mln" */
    {"bn", W_SCALE, L_EN, 1000000000LL, 0},
    {"centaines", W_VAGUE, L_FR, 0, V_CENTAINES},
    {"centenares", W_VAGUE, L_ES, 0, V_CENTENARES},
    {"centenas", W_VAGUE, L_PT, 0, V_CENTENAS},
    {"centinaia", W_VAGUE, L_IT, 0, V_CENTINAIA},
    {"cientos", W_VAGUE, L_ES, 0, V_CIENTOS},
    {"crore", W_SCALE, L_EN, 10000000LL, 0},
    {"crores", W_SCALE, L_EN, 10000000LL, 0},
    {"decenas", W_VAGUE, L_ES, 0, V_DECENAS},
    {"decine", W_VAGUE, L_IT, 0, V_DECINE},
    {"dezenas", W_VAGUE, L_PT, 0, V_DEZENAS},
    {"dizaines", W_VAGUE, L_FR, 0, V_DIZAINES},
    {"dozen", W_DOZEN, L_EN, 12, 0},
    {"dozens", W_VAGUE, L_EN, 0, V_DOZENS},
    {"dutzende", W_VAGUE, L_DE, 0, V_DUTZENDE},
    {"eight", W_UNIT, L_EN, 8, 0},
    {"eighteen", W_TEEN, L_EN, 18, 0},
    {"eighty", W_TENS, L_EN, 80, 0},
    {"eleven", W_TEEN, L_EN, 11, 0},
    {"few", W_FEW, L_EN, 2, 0},
    {"fifteen", W_TEEN, L_EN, 15, 0},
    {"fifty", W_TENS, L_EN, 50, 0},
    {"five", W_UNIT, L_EN, 5, 0},
    {"forty", W_TENS, L_EN, 40, 0},
    {"four", W_UNIT, L_EN, 4, 0},
    {"fourteen", W_TEEN, L_EN, 14, 0},
    {"half", W_HALF, L_EN, 0, 0},
    {"hunderte", W_VAGUE, L_DE, 0, V_HUNDERTE},
    {"hunderttausende", W_VAGUE, L_DE, 0, V_HUNDERTTAUSENDE},
    {"hundred", W_HUNDRED, L_EN, 100, 0},
    {"hundreds", W_VAGUE, L_EN, 0, V_HUNDREDS},
    {"lakh", W_SCALE, L_EN, 100000LL, 0},
    {"lakhs", W_SCALE, L_EN, 100000LL, 0},
    {"migliaia", W_SCALE, L_IT, 1000LL, V_MIGLIAIA},
    {"mil", W_SCALE, L_ES | L_PT, 1000LL, 0},
    {"mila", W_SCALE, L_IT, 1000LL, 0},
    {"miles", W_SCALE, L_ES, 1000LL, V_MILES},
    {"milhares", W_SCALE, L_PT, 1000LL, V_MILHARES},
    {"milh\xC3\xA3o", W_SCALE, L_PT, 1000000LL, 0},
    {"milh\xC3\xB5" "es", W_SCALE, L_PT, 1000000LL, V_MILHOES},
    {"miliardi", W_SCALE, L_IT, 1000000000LL, 0},
    {"miliardo", W_SCALE, L_IT, 1000000000LL, 0},
    {"milione", W_SCALE, L_IT, 1000000LL, 0},
    {"milioni", W_SCALE, L_IT, 1000000LL, V_MILIONI},
    {"mille", W_SCALE, L_FR, 1000LL, 0},
    {"milliard", W_SCALE, L_FR, 1000000000LL, 0},
    {"milliarde", W_SCALE, L_DE, 1000000000LL, 0},
    {"milliarden", W_SCALE, L_DE, 1000000000LL, 0},
    {"milliards", W_SCALE, L_FR, 1000000000LL, 0},
    {"milliers", W_SCALE, L_FR, 1000LL, V_MILLIERS},
    {"million", W_SCALE, L_EN | L_FR, 1000000LL, 0},
    {"millionen", W_SCALE, L_DE, 1000000LL, V_MILLIONEN},
    {"millions", W_SCALE, L_EN | L_FR, 1000000LL, V_MILLIONS},
    {"millones", W_SCALE, L_ES, 1000000LL, V_MILLONES},
    {"mill\xC3\xB3n", W_SCALE, L_ES, 1000000LL, 0},
    {"mio", W_SCALE, L_DE, 1000000LL, 0},
    {"mln", W_SCALE, L_EN, 1000000LL, 0},
    {"mn", W_SCALE, L_EN, 1000000LL, 0},
    {"mrd", W_SCALE, L_DE, 1000000000LL, 0},
    {"nine", W_UNIT, L_EN, 9, 0},
    {"nineteen", W_TEEN, L_EN, 19, 0},
    {"ninety", W_TENS, L_EN, 90, 0},
    {"one", W_UNIT, L_EN, 1, 0},
    {"scores", W_VAGUE, L_EN, 0, V_SCORES},
    {"seven", W_UNIT, L_EN, 7, 0},
    {"seventeen", W_TEEN, L_EN, 17, 0},
    {"seventy", W_TENS, L_EN, 70, 0},
    {"several", W_FEW, L_EN, 3, 0},
    {"six", W_UNIT, L_EN, 6, 0},
    {"sixteen", W_TEEN, L_EN, 16, 0},
    {"sixty", W_TENS, L_EN, 60, 0},
    {"tausend", W_SCALE, L_DE, 1000LL, 0},
    {"tausende", W_SCALE, L_DE, 1000LL, V_TAUSENDE},
    {"ten", W_TEEN, L_EN, 10, 0},
    {"tens", W_TENS_LEAD, L_EN, 0, 0},
    {"thirteen", W_TEEN, L_EN, 13, 0},
    {"thirty", W_TENS, L_EN, 30, 0},
    {"thousand", W_SCALE, L_EN, 1000LL, 0},
    {"thousands", W_SCALE, L_EN, 1000LL, V_THOUSANDS},
    {"three", W_UNIT, L_EN, 3, 0},
    {"trillion", W_SCALE, L_EN, 1000000000000LL, 0},
    {"twelve", W_TEEN, L_EN, 12, 0},
    {"twenty", W_TENS, L_EN, 20, 0},
    {"two", W_UNIT, L_EN, 2, 0},
    {"zehntausende", W_VAGUE, L_DE, 0, V_ZEHNTAUSENDE},
    {"zero", W_UNIT, L_EN, 0, 0},
};

/* ---- qualifiers (read backwards from the number) ---- */

typedef struct qualifier_def {
    const char *phrase; /* folded words separated by single spaces */
    uint8_t qualifier;
    uint8_t langs;
} qualifier_def;

/* Longer phrases first where one ends another ("no more than", "more than"). */
static const qualifier_def qualifiers[] = {
    {"no more than", LEDE_QUAL_UP_TO, L_EN},
    {"no fewer than", LEDE_QUAL_AT_LEAST, L_EN},
    {"no less than", LEDE_QUAL_AT_LEAST, L_EN},
    {"more than", LEDE_QUAL_MORE_THAN, L_EN},
    {"upwards of", LEDE_QUAL_MORE_THAN, L_EN},
    {"in excess of", LEDE_QUAL_MORE_THAN, L_EN},
    {"well over", LEDE_QUAL_OVER, L_EN},
    {"just over", LEDE_QUAL_OVER, L_EN},
    {"over", LEDE_QUAL_OVER, L_EN},
    {"at least", LEDE_QUAL_AT_LEAST, L_EN},
    {"a minimum of", LEDE_QUAL_AT_LEAST, L_EN},
    {"just under", LEDE_QUAL_NEARLY, L_EN},
    {"nearly", LEDE_QUAL_NEARLY, L_EN},
    {"almost", LEDE_QUAL_NEARLY, L_EN},
    {"close to", LEDE_QUAL_NEARLY, L_EN},
    {"about", LEDE_QUAL_ABOUT, L_EN},
    {"around", LEDE_QUAL_ABOUT, L_EN},
    {"some", LEDE_QUAL_ABOUT, L_EN},
    {"approximately", LEDE_QUAL_ABOUT, L_EN},
    {"roughly", LEDE_QUAL_ABOUT, L_EN},
    {"an estimated", LEDE_QUAL_ABOUT, L_EN},
    {"estimated", LEDE_QUAL_ABOUT, L_EN},
    {"circa", LEDE_QUAL_ABOUT, L_EN},
    {"as many as", LEDE_QUAL_UP_TO, L_EN},
    {"up to", LEDE_QUAL_UP_TO, L_EN},
    {"at most", LEDE_QUAL_UP_TO, L_EN},
    {"fewer than", LEDE_QUAL_FEWER_THAN, L_EN},
    {"less than", LEDE_QUAL_FEWER_THAN, L_EN},
    {"under", LEDE_QUAL_FEWER_THAN, L_EN},
    {"m\xC3\xA1s de", LEDE_QUAL_MORE_THAN, L_ES},
    {"por lo menos", LEDE_QUAL_AT_LEAST, L_ES},
    {"al menos", LEDE_QUAL_AT_LEAST, L_ES},
    {"casi", LEDE_QUAL_NEARLY, L_ES},
    {"cerca de", LEDE_QUAL_ABOUT, L_ES},
    {"alrededor de", LEDE_QUAL_ABOUT, L_ES},
    {"aproximadamente", LEDE_QUAL_ABOUT, L_ES},
    {"unos", LEDE_QUAL_ABOUT, L_ES},
    {"unas", LEDE_QUAL_ABOUT, L_ES},
    {"hasta", LEDE_QUAL_UP_TO, L_ES},
    {"menos de", LEDE_QUAL_FEWER_THAN, L_ES},
    {"plus de", LEDE_QUAL_MORE_THAN, L_FR},
    {"au moins", LEDE_QUAL_AT_LEAST, L_FR},
    {"pr\xC3\xA8s de", LEDE_QUAL_NEARLY, L_FR},
    {"presque", LEDE_QUAL_NEARLY, L_FR},
    {"environ", LEDE_QUAL_ABOUT, L_FR},
    {"quelque", LEDE_QUAL_ABOUT, L_FR},
    {"jusqu'\xC3\xA0", LEDE_QUAL_UP_TO, L_FR},
    {"jusqu\xE2\x80\x99\xC3\xA0", LEDE_QUAL_UP_TO, L_FR},
    {"moins de", LEDE_QUAL_FEWER_THAN, L_FR},
    {"mehr als", LEDE_QUAL_MORE_THAN, L_DE},
    {"\xC3\xBC" "ber", LEDE_QUAL_OVER, L_DE},
    {"mindestens", LEDE_QUAL_AT_LEAST, L_DE},
    {"fast", LEDE_QUAL_NEARLY, L_DE},
    {"knapp", LEDE_QUAL_NEARLY, L_DE},
    {"rund", LEDE_QUAL_ABOUT, L_DE},
    {"etwa", LEDE_QUAL_ABOUT, L_DE},
    {"ungef\xC3\xA4hr", LEDE_QUAL_ABOUT, L_DE},
    {"bis zu", LEDE_QUAL_UP_TO, L_DE},
    {"weniger als", LEDE_QUAL_FEWER_THAN, L_DE},
    {"almeno", LEDE_QUAL_AT_LEAST, L_IT},
    {"quasi", LEDE_QUAL_NEARLY, L_IT},
    {"circa", LEDE_QUAL_ABOUT, L_IT},
    {"pelo menos", LEDE_QUAL_AT_LEAST, L_PT},
    {"mais de", LEDE_QUAL_MORE_THAN, L_PT},
    {"quase", LEDE_QUAL_NEARLY, L_PT},
    {"cerca de", LEDE_QUAL_ABOUT, L_PT},
};

/* ---- bytes and code points ---- */

/* For each first letter and length of the words of `words`, the set of
 * their last letters (bit 26: not a-z): rejects most words of a text
 * without a search. */
typedef uint32_t word_shapes[26][WORD_MAX + 1];

typedef struct scanner {
    const char *s;
    size_t len;
    int dec_comma;
    unsigned langs;
    const uint32_t (*shape)[WORD_MAX + 1];
} scanner;

/* A scanner's options and shapes, prepared once for many texts. */
struct lede_num_scanner {
    word_shapes shape;
    int dec_comma;
    unsigned langs;
};

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_alnum(unsigned char c) { return is_digit(c) || is_alpha(c); }

/* Decodes the code point starting at s[i]; *w receives its width (1 for a
 * stray byte, which decodes to itself). */
static uint32_t decode(const char *s, size_t len, size_t i, size_t *w)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t n = len - i;
    if (u[0] < 0x80) {
        *w = 1;
        return u[0];
    }
    if (n < 2) {
        *w = 1;
        return 0xFFFD;
    }
    if ((u[0] & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80) {
        *w = 2;
        return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    }
    if ((u[0] & 0xF0) == 0xE0 && n >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        *w = 3;
        return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    }
    if ((u[0] & 0xF8) == 0xF0 && n >= 4 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
        (u[3] & 0xC0) == 0x80) {
        *w = 4;
        return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
               ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    }
    *w = 1;
    return 0xFFFD;
}

/* Start of the code point ending just before s[i]. */
static size_t cp_start_before(const char *s, size_t i)
{
    size_t k = i - 1;
    while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* Letters and digits of any script, roughly: everything but ASCII
 * non-alphanumerics, Latin-1 punctuation and symbols, general punctuation,
 * currency signs and a few symbol blocks. */
static int cp_wordlike(uint32_t cp)
{
    if (cp < 0x80)
        return is_alnum((unsigned char)cp) || cp == '_';
    if (cp <= 0xBF)
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD)
        return 0;
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) || (cp >= 0x2100 && cp <= 0x2BFF) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F))
        return 0;
    return 1;
}

static int wordlike_before(const scanner *sc, size_t i)
{
    if (i == 0)
        return 0;
    unsigned char c = (unsigned char)sc->s[i - 1];
    if (c < 0x80)
        return is_alnum(c) || c == '_';
    size_t k = cp_start_before(sc->s, i), w;
    return cp_wordlike(decode(sc->s, sc->len, k, &w));
}

static int wordlike_at(const scanner *sc, size_t i)
{
    if (i >= sc->len)
        return 0;
    size_t w;
    return cp_wordlike(decode(sc->s, sc->len, i, &w));
}

/* Bytes of a space allowed inside a number or a phrase at s[i]: ' ',
 * U+00A0, U+2007 (figure), U+2009 (thin), U+200A (hair), U+202F (narrow
 * no-break).  0 when there is none. */
static size_t inner_space(const scanner *sc, size_t i)
{
    const unsigned char *u = (const unsigned char *)sc->s;
    if (i >= sc->len)
        return 0;
    if (u[i] == ' ')
        return 1;
    if (u[i] == 0xC2 && i + 1 < sc->len && u[i + 1] == 0xA0)
        return 2;
    if (u[i] == 0xE2 && i + 2 < sc->len && u[i + 1] == 0x80 &&
        (u[i + 2] == 0x87 || u[i + 2] == 0x89 || u[i + 2] == 0x8A || u[i + 2] == 0xAF))
        return 3;
    return 0;
}

/* Bytes of the inner space ending just before s[i], or 0. */
static size_t inner_space_before(const scanner *sc, size_t i)
{
    if (i == 0)
        return 0;
    if (sc->s[i - 1] == ' ')
        return 1;
    size_t k = cp_start_before(sc->s, i);
    size_t w = inner_space(sc, k);
    return w == i - k ? w : 0;
}

/* Bytes of a hyphen or en dash at s[i], or 0. */
static size_t dash_at(const scanner *sc, size_t i)
{
    const unsigned char *u = (const unsigned char *)sc->s;
    if (i >= sc->len)
        return 0;
    if (u[i] == '-')
        return 1;
    if (u[i] == 0xE2 && i + 2 < sc->len && u[i + 1] == 0x80 && (u[i + 2] == 0x90 || u[i + 2] == 0x91 ||
                                                                 u[i + 2] == 0x93))
        return 3;
    return 0;
}

/* Folds [i, end) into buf (lower case, Latin-1 letters included); buf
 * holds end - i + 1 bytes.  Returns the length. */
static size_t fold_into(char *buf, const char *s, size_t i, size_t end)
{
    size_t n = 0;
    for (size_t k = i; k < end; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        else if (c >= 0x80 && c <= 0x9E && k > i && (unsigned char)s[k - 1] == 0xC3 && c != 0x97)
            c = (unsigned char)(c + 0x20); /* À..Þ to à..þ */
        buf[n++] = (char)c;
    }
    buf[n] = '\0';
    return n;
}

/* Folds the word [i, end) into buf (capacity WORD_MAX + 1).  Returns its
 * length, or 0 when it is longer than WORD_MAX. */
static size_t fold_word(char *buf, const char *s, size_t i, size_t end)
{
    return end - i > WORD_MAX ? 0 : fold_into(buf, s, i, end);
}

/* End of the word starting at i: letters, digits and marks. */
static size_t word_end(const scanner *sc, size_t i)
{
    size_t k = i;
    while (k < sc->len) {
        unsigned char c = (unsigned char)sc->s[k];
        if (c < 0x80) {
            if (!is_alpha(c))
                break;
            k++;
            continue;
        }
        size_t w;
        if (!cp_wordlike(decode(sc->s, sc->len, k, &w)))
            break;
        k += w;
    }
    return k;
}

static unsigned letter_bit(unsigned char c)
{
    c |= 0x20;
    return c >= 'a' && c <= 'z' ? (unsigned)(c - 'a') : 26u;
}

static void shapes_init(word_shapes shape)
{
    memset(shape, 0, sizeof(word_shapes));
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        const char *w = words[k].word;
        size_t n = strlen(w);
        shape[letter_bit((unsigned char)w[0]) % 26][n] |= 1u << letter_bit((unsigned char)w[n - 1]);
    }
}

/* The number word starting at i (of the scanner's languages), or NULL;
 * *end receives the end of the word. */
static const word_def *word_at(const scanner *sc, size_t i, size_t *end)
{
    *end = word_end(sc, i);
    size_t n = *end - i;
    if (n == 0 || n > WORD_MAX || (*end < sc->len && is_digit((unsigned char)sc->s[*end])))
        return NULL;
    unsigned first = letter_bit((unsigned char)sc->s[i]);
    if (first == 26 || !(sc->shape[first][n] & (1u << letter_bit((unsigned char)sc->s[*end - 1]))))
        return NULL;
    char buf[WORD_MAX + 1];
    if (!fold_word(buf, sc->s, i, *end))
        return NULL;
    size_t lo = 0, hi = sizeof words / sizeof *words;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(buf, words[mid].word);
        if (c == 0)
            return words[mid].langs & sc->langs ? &words[mid] : NULL;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Position after one inner space following i, and the word there; NULL
 * when there is no such word. */
static const word_def *next_word(const scanner *sc, size_t i, size_t *start, size_t *end)
{
    size_t sp = inner_space(sc, i);
    if (!sp)
        return NULL;
    *start = i + sp;
    return word_at(sc, *start, end);
}

/* Is the word at i (after one inner space) equal to `w` (folded)? On
 * success *end is the end of that word. */
static int next_word_is(const scanner *sc, size_t i, const char *w, size_t *end)
{
    size_t sp = inner_space(sc, i);
    if (!sp)
        return 0;
    size_t st = i + sp, e = word_end(sc, st);
    char buf[WORD_MAX + 1];
    if (e == st || !fold_word(buf, sc->s, st, e) || strcmp(buf, w) != 0)
        return 0;
    *end = e;
    return 1;
}

/* ---- numerals ---- */

typedef struct numval {
    size_t start, end;
    int64_t mant;  /* the digits, fraction digits included */
    int frac;      /* fraction digits in mant */
    int64_t scale; /* 1, or the value of a scale word */
    int64_t tail_scale; /* the scale word the number ends with, if any ("three thousand") */
    unsigned flags;
    int vague;
} numval;

/* Reads digits at i into *acc (at most 18 significant ones). */
static size_t read_digits(const scanner *sc, size_t i, int64_t *acc, int *ndig, unsigned *flags)
{
    while (i < sc->len && is_digit((unsigned char)sc->s[i])) {
        if (*ndig < 18)
            *acc = *acc * 10 + (sc->s[i] - '0');
        else
            *flags |= LEDE_NUM_HUGE;
        (*ndig)++;
        i++;
    }
    return i;
}

static size_t count_digits(const scanner *sc, size_t i)
{
    size_t k = i;
    while (k < sc->len && is_digit((unsigned char)sc->s[k]))
        k++;
    return k - i;
}

/* A possible group separator at i: its width, and in *mark ',', '.', '\''
 * or ' ' (any inner space). */
static size_t group_mark_at(const scanner *sc, size_t i, char *mark)
{
    if (i >= sc->len)
        return 0;
    unsigned char c = (unsigned char)sc->s[i];
    if (c == ',' || c == '.' || c == '\'') {
        *mark = (char)c;
        return 1;
    }
    if (c == 0xE2 && i + 2 < sc->len && (unsigned char)sc->s[i + 1] == 0x80 && (unsigned char)sc->s[i + 2] == 0x99) {
        *mark = '\''; /* ’ as in 70’000 */
        return 3;
    }
    size_t w = inner_space(sc, i);
    *mark = ' ';
    return w;
}

/* Is there a scale word right after i (one inner space between)? */
static int scale_word_follows(const scanner *sc, size_t i)
{
    size_t st, e;
    const word_def *w = next_word(sc, i, &st, &e);
    return w && (w->kind == W_SCALE || w->kind == W_HUNDRED);
}

/* Does mark `m` at j, followed by exactly three digits, group thousands?
 * The text's own group mark does.  The text's decimal mark does only when
 * it repeats ("1.200.000" in English), or when a three-digit decimal part
 * would end in 0 ("70.000" in English text is 70000: nobody writes 70.0
 * that way), unless a scale word follows ("1.500 million"). */
static int groups_thousands(const scanner *sc, char m, size_t j, size_t w)
{
    char dec = sc->dec_comma ? ',' : '.';
    if (m != dec)
        return 1;
    size_t k = j + w + 3;
    char m2;
    size_t w2 = group_mark_at(sc, k, &m2);
    if (w2 && m2 == m && count_digits(sc, k + w2) == 3)
        return 1;
    return sc->s[k - 1] == '0' && !scale_word_follows(sc, k);
}

/* Reads the digits, group marks and decimal part of a numeral at i. */
static size_t read_numeral(const scanner *sc, size_t i, numval *nv)
{
    int nd = 0;
    size_t j = read_digits(sc, i, &nv->mant, &nd, &nv->flags);
    size_t first = j - i;
    char used = 0;
    for (;;) {
        char m;
        size_t w = group_mark_at(sc, j, &m);
        if (!w || first > 3 || count_digits(sc, j + w) != 3 || (used && m != used))
            break;
        if (!used && !groups_thousands(sc, m, j, w))
            break;
        used = m;
        j = read_digits(sc, j + w, &nv->mant, &nd, &nv->flags);
    }
    /* Decimal part: the text's decimal mark, or the other mark when what
     * follows cannot be a group of three ("1,5 millones" in English text). */
    if (j + 1 < sc->len && (sc->s[j] == '.' || sc->s[j] == ',') && sc->s[j] != used &&
        is_digit((unsigned char)sc->s[j + 1])) {
        char dec = sc->dec_comma ? ',' : '.';
        size_t nfrac = count_digits(sc, j + 1);
        if (sc->s[j] == dec || nfrac != 3) {
            int before = nd;
            j = read_digits(sc, j + 1, &nv->mant, &nd, &nv->flags);
            nv->frac = (nd > 18 ? 18 : nd) - (before > 18 ? 18 : before);
        }
    }
    return j;
}

/* A scale word or suffix after the numeral ending at j: "1.2 million",
 * "5bn", "$3m", "70 mil". */
static size_t read_scale(const scanner *sc, size_t j, numval *nv, int currency)
{
    size_t st, e;
    const word_def *w;
    if (j < sc->len && is_alpha((unsigned char)sc->s[j])) {
        size_t k = word_end(sc, j);
        char buf[WORD_MAX + 1];
        if (k < sc->len && is_digit((unsigned char)sc->s[k]))
            return j;
        size_t n = fold_word(buf, sc->s, j, k);
        int64_t scale = 0;
        if (n && (strcmp(buf, "bn") == 0 || (strcmp(buf, "b") == 0 && currency)))
            scale = 1000000000LL;
        else if (n && (strcmp(buf, "mn") == 0 || (strcmp(buf, "m") == 0 && currency)))
            scale = 1000000LL;
        else if (n && strcmp(buf, "k") == 0)
            scale = 1000LL;
        if (scale && !wordlike_at(sc, k)) {
            nv->scale = nv->tail_scale = scale;
            nv->flags |= LEDE_NUM_SCALED;
            return k;
        }
        return j;
    }
    while ((w = next_word(sc, j, &st, &e)) != NULL &&
           (w->kind == W_SCALE || w->kind == W_HUNDRED || w->kind == W_DOZEN)) {
        if (nv->scale > 1 && w->value <= nv->scale)
            break; /* "2 million thousand" is not a number; "mil millones" is */
        nv->scale = nv->scale > 1 ? nv->scale * w->value : w->value;
        nv->tail_scale = nv->scale;
        nv->flags |= LEDE_NUM_SCALED | LEDE_NUM_WORDS;
        j = e;
        if (w->kind == W_DOZEN)
            break;
    }
    return j;
}

/* Currency sign or code just before i (one inner space allowed). */
static int currency_before(const scanner *sc, size_t i)
{
    i -= inner_space_before(sc, i);
    if (i == 0)
        return 0;
    if (sc->s[i - 1] == '$')
        return 1;
    size_t k = cp_start_before(sc->s, i), w;
    uint32_t cp = decode(sc->s, sc->len, k, &w);
    if (cp == 0xA3 || cp == 0xA5 || (cp >= 0x20A0 && cp <= 0x20CF))
        return 1;
    static const char *const codes[] = {"usd", "eur", "gbp", "chf", "jpy", "cny", "inr", "rs", "rs.", NULL};
    size_t st = i;
    if (st && sc->s[st - 1] == '.')
        st--;
    while (st > 0 && is_alpha((unsigned char)sc->s[st - 1]))
        st--;
    if (st == i || i - st > 4 || wordlike_before(sc, st))
        return 0;
    char buf[WORD_MAX + 1];
    fold_word(buf, sc->s, st, i);
    for (size_t c = 0; codes[c]; c++)
        if (strcmp(buf, codes[c]) == 0)
            return 1;
    return 0;
}

static int in_list(const char *w, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(w, list[i]) == 0)
            return 1;
    return 0;
}

/* What follows the number at j: currency, percent, clock time. */
static unsigned flags_after(const scanner *sc, size_t j)
{
    static const char *const money[] = {"dollars", "dollar", "euros", "euro", "pounds", "sterling", "yen", "yuan",
                                        "rupees", "rupee", "pesos", "francs", "roubles", "rubles", "dinars",
                                        "shillings", "naira", "rand", "lira", "lire", "reais", "riyals",
                                        "dirhams", "usd", "eur", "gbp", "d\xC3\xB3lares", "dollari", NULL};
    static const char *const percent[] = {"percent", "pct", "prozent", "percento", NULL};
    size_t sp = inner_space(sc, j), k = j + sp;
    if (k >= sc->len)
        return 0;
    unsigned char c = (unsigned char)sc->s[k];
    if (c == '%')
        return LEDE_NUM_PERCENT;
    if (c == '$')
        return LEDE_NUM_CURRENCY;
    size_t w;
    uint32_t cp = decode(sc->s, sc->len, k, &w);
    if (cp == 0xA3 || (cp >= 0x20A0 && cp <= 0x20CF))
        return LEDE_NUM_CURRENCY;
    if (!is_alpha(c))
        return 0;
    size_t e = word_end(sc, k);
    char buf[WORD_MAX + 1];
    if (!fold_word(buf, sc->s, k, e))
        return 0;
    if (!sp && (strcmp(buf, "am") == 0 || strcmp(buf, "pm") == 0 || strcmp(buf, "h") == 0))
        return LEDE_NUM_TIME;
    if (!sp)
        return 0;
    if (in_list(buf, money))
        return LEDE_NUM_CURRENCY;
    if (in_list(buf, percent))
        return LEDE_NUM_PERCENT;
    if ((strcmp(buf, "a") == 0 || strcmp(buf, "p") == 0) && e + 1 < sc->len && sc->s[e] == '.' &&
        (sc->s[e + 1] | 0x20) == 'm')
        return LEDE_NUM_TIME;
    if (strcmp(buf, "am") == 0 || strcmp(buf, "pm") == 0)
        return LEDE_NUM_TIME;
    size_t e2;
    if ((strcmp(buf, "per") == 0 || strcmp(buf, "pour") == 0 || strcmp(buf, "por") == 0) &&
        (next_word_is(sc, e, "cent", &e2) || next_word_is(sc, e, "ciento", &e2) || next_word_is(sc, e, "cento", &e2)))
        return LEDE_NUM_PERCENT;
    if (strcmp(buf, "de") == 0 || strcmp(buf, "of") == 0) { /* "120 millones de euros" */
        size_t st2 = e + inner_space(sc, e);
        size_t e3 = word_end(sc, st2);
        if (st2 > e && fold_word(buf, sc->s, st2, e3) && in_list(buf, money))
            return LEDE_NUM_CURRENCY;
    }
    return 0;
}

/* Reads a numeral with its scale and marks at i (a digit not preceded by a
 * word character).  Returns its end. */
static size_t parse_numeral(const scanner *sc, size_t i, numval *nv)
{
    memset(nv, 0, sizeof *nv);
    nv->start = i;
    nv->scale = 1;
    int currency = currency_before(sc, i);
    if (currency)
        nv->flags |= LEDE_NUM_CURRENCY;
    if (i >= 2 && sc->s[i - 1] == '-' && is_alpha((unsigned char)sc->s[i - 2]))
        nv->flags |= LEDE_NUM_ATTACHED; /* COVID-19, F-16, mid-2014 */
    size_t j = read_numeral(sc, i, nv);
    size_t digits_end = j;
    if (j - i == 4 && nv->frac == 0 && nv->mant >= 1000 && nv->mant <= 2199)
        nv->flags |= LEDE_NUM_YEAR;
    if (j + 2 < sc->len && (sc->s[j] == ':' || sc->s[j] == 'h') && count_digits(sc, j + 1) == 2 &&
        !wordlike_at(sc, j + 3))
        return nv->flags |= LEDE_NUM_TIME, nv->end = j + 3;
    if (j + 1 < sc->len && sc->s[j] == '/' && is_digit((unsigned char)sc->s[j + 1]))
        nv->flags |= LEDE_NUM_SLASHED;
    if (j < sc->len && is_alpha((unsigned char)sc->s[j])) {
        size_t e = word_end(sc, j);
        char buf[WORD_MAX + 1];
        size_t n = fold_word(buf, sc->s, j, e);
        if (n && (strcmp(buf, "st") == 0 || strcmp(buf, "nd") == 0 || strcmp(buf, "rd") == 0 ||
                  strcmp(buf, "th") == 0 || strcmp(buf, "er") == 0 || strcmp(buf, "e") == 0))
            return nv->flags |= LEDE_NUM_ORDINAL, nv->end = e;
    } else if (j + 1 < sc->len && (unsigned char)sc->s[j] == 0xC2 &&
               ((unsigned char)sc->s[j + 1] == 0xBA || (unsigned char)sc->s[j + 1] == 0xAA)) {
        return nv->flags |= LEDE_NUM_ORDINAL, nv->end = j + 2;
    }
    j = read_scale(sc, j, nv, currency);
    if (j == digits_end && j < sc->len && wordlike_at(sc, j)) {
        nv->flags |= flags_after(sc, j) & LEDE_NUM_TIME ? LEDE_NUM_TIME : LEDE_NUM_ATTACHED;
        nv->end = j;
        return j;
    }
    nv->end = j;
    nv->flags |= flags_after(sc, j);
    return j;
}

/* ---- number words ---- */

typedef struct words_state {
    int64_t total, group, sub; /* done scales; hundreds; below a hundred */
    int64_t last_scale;
    int article, any, prev_kind;
} words_state;

/* Applies one number word; returns 0 when it cannot continue the number. */
static int words_step(words_state *st, const word_def *w, int first)
{
    switch (w->kind) {
    case W_ARTICLE:
        if (!first)
            return 0;
        st->article = 1;
        return 1;
    case W_UNIT:
        if (st->article)
            return 0;
        if (st->prev_kind == W_TENS && w->value > 0 && st->sub % 10 == 0) {
            st->sub += w->value;
            return 1;
        }
        if (st->sub || (w->value == 0 && !first))
            return 0;
        st->sub = w->value;
        st->any = 1;
        return 1;
    case W_TEEN:
    case W_TENS:
        if (st->article || st->sub)
            return 0;
        st->sub = w->value;
        st->any = 1;
        return 1;
    case W_HUNDRED:
        if (st->group || (!st->sub && !st->article))
            return 0;
        st->group = (st->sub ? st->sub : 1) * 100;
        st->sub = 0;
        st->article = 0;
        st->any = 1;
        return 1;
    case W_SCALE: {
        int64_t n = st->group + st->sub;
        if (!n && !st->article) {
            if (st->prev_kind != W_SCALE || w->value <= st->last_scale)
                return 0;
            st->total *= w->value; /* "thousand million", "mil millones" */
            st->last_scale = w->value;
            return 1;
        }
        if (w->value >= st->last_scale)
            return 0;
        st->total += (n ? n : 1) * w->value;
        st->last_scale = w->value;
        st->group = st->sub = 0;
        st->article = 0;
        st->any = 1;
        return 1;
    }
    case W_DOZEN: {
        int64_t n = st->group + st->sub;
        if (!n && !st->article)
            return 0;
        st->total += (n ? n : 1) * 12;
        st->group = st->sub = 0;
        st->article = 0;
        st->any = 1;
        return 1;
    }
    default:
        return 0;
    }
}

/* Vague quantities starting with the word w at i: "dozens", "tens of
 * thousands", "several hundred", "a few dozen", "millones".  Returns the
 * end, or 0. */
static size_t parse_vague(const scanner *sc, size_t i, const word_def *w, size_t wend, numval *nv)
{
    size_t st, e, e2;
    const word_def *n2;
    int lead = w->kind == W_TENS_LEAD ? V_TENS_LEAD : w->vague;
    if (w->kind == W_ARTICLE) { /* "a few hundred" */
        n2 = next_word(sc, wend, &st, &e);
        if (!n2 || n2->kind != W_FEW || n2->value != 2)
            return 0;
        w = n2;
        wend = e;
    }
    if (w->kind == W_FEW) {
        n2 = next_word(sc, wend, &st, &e);
        if (!n2 || n2->vague)
            return 0;
        int base = w->value == 3 ? V_SEVERAL_DOZEN : V_FEW_DOZEN;
        int k = n2->kind == W_DOZEN ? 0 : n2->kind == W_HUNDRED ? 1 : n2->value == 1000 ? 2 : n2->value == 1000000 ? 3 : -1;
        if (k < 0 || (n2->kind == W_SCALE && !(n2->langs & L_EN)))
            return 0;
        nv->vague = base + k;
        return e;
    }
    if (lead) { /* "tens of thousands" */
        size_t of_end;
        if (next_word_is(sc, wend, "of", &of_end) || next_word_is(sc, wend, "de", &of_end) ||
            next_word_is(sc, wend, "di", &of_end)) {
            n2 = next_word(sc, of_end, &st, &e2);
            for (size_t c = 0; n2 && c < sizeof combos / sizeof *combos; c++)
                if (combos[c].lead == lead && combos[c].tail == n2->vague) {
                    nv->vague = combos[c].result;
                    return e2;
                }
        }
    }
    if (w->vague == V_SCORES) { /* "scores of people", not "the scores" */
        size_t of_end;
        if (!next_word_is(sc, wend, "of", &of_end))
            return 0;
    }
    nv->vague = w->vague;
    return w->vague ? wend : 0;
}

/* Number words at i, the first being w (ending at wend). */
static size_t parse_words(const scanner *sc, size_t i, const word_def *w, size_t wend, numval *nv)
{
    memset(nv, 0, sizeof *nv);
    nv->start = i;
    nv->scale = 1;
    nv->flags = LEDE_NUM_WORDS;
    if (w->kind == W_VAGUE || w->kind == W_TENS_LEAD || w->kind == W_FEW ||
        (w->kind == W_SCALE && w->vague)) {
        size_t e = parse_vague(sc, i, w, wend, nv);
        if (!e)
            return 0;
        nv->flags |= LEDE_NUM_VAGUE;
        return nv->end = e;
    }
    if (w->kind == W_ARTICLE) {
        size_t e = parse_vague(sc, i, w, wend, nv);
        if (e) {
            nv->flags |= LEDE_NUM_VAGUE;
            return nv->end = e;
        }
    }
    if (w->kind == W_HALF) { /* "half a million" */
        size_t st, e, st2, e2;
        const word_def *a = next_word(sc, wend, &st, &e), *s2;
        if (!a || a->kind != W_ARTICLE || !(s2 = next_word(sc, e, &st2, &e2)) || s2->kind != W_SCALE || s2->vague)
            return 0;
        nv->mant = 5;
        nv->frac = 1;
        nv->scale = s2->value;
        nv->flags |= LEDE_NUM_SCALED;
        nv->end = e2;
        nv->flags |= flags_after(sc, e2);
        return e2;
    }
    words_state ws = {0, 0, 0, INT64_MAX, 0, 0, -1};
    size_t end_ok = i;
    const word_def *cur = w;
    size_t cur_end = wend;
    int first = 1;
    for (;;) {
        if (cur->kind == W_AND) {
            size_t st, e;
            const word_def *nx = next_word(sc, cur_end, &st, &e);
            if (!nx || (ws.group == 0 && ws.total == 0) || (nx->kind != W_UNIT && nx->kind != W_TEEN && nx->kind != W_TENS))
                break;
        } else {
            if (!words_step(&ws, cur, first))
                break;
            ws.prev_kind = cur->kind;
            if (cur->kind != W_ARTICLE)
                end_ok = cur_end;
            if (cur->kind == W_DOZEN)
                break;
        }
        first = 0;
        /* the next word: after one inner space, or a hyphen ("twenty-one") */
        size_t d = dash_at(sc, cur_end), sp = inner_space(sc, cur_end);
        if (d && d == 1 && cur_end + 1 < sc->len && is_alpha((unsigned char)sc->s[cur_end + 1])) {
            size_t e;
            const word_def *nx = word_at(sc, cur_end + 1, &e);
            if (!nx || !(cur->kind == W_TENS && nx->kind == W_UNIT)) {
                if (end_ok == cur_end)
                    nv->flags |= LEDE_NUM_COMPOUND;
                break;
            }
            cur = nx;
            cur_end = e;
            continue;
        }
        if (!sp)
            break;
        size_t e;
        const word_def *nx = word_at(sc, cur_end + sp, &e);
        if (!nx)
            break;
        cur = nx;
        cur_end = e;
    }
    if (!ws.any || end_ok == i)
        return 0;
    nv->mant = ws.total + ws.group + ws.sub;
    nv->end = end_ok;
    if (ws.prev_kind == W_SCALE && ws.group == 0 && ws.sub == 0)
        nv->tail_scale = ws.last_scale;
    if (ws.total && ws.last_scale >= 1000)
        nv->flags |= LEDE_NUM_SCALED;
    nv->flags |= flags_after(sc, end_ok);
    return end_ok;
}

/* A number (digits or words) at i, not a vague one.  Returns its end, or 0. */
static size_t parse_number_at(const scanner *sc, size_t i, numval *nv)
{
    if (i >= sc->len)
        return 0;
    if (is_digit((unsigned char)sc->s[i]))
        return parse_numeral(sc, i, nv);
    size_t e;
    const word_def *w = word_at(sc, i, &e);
    if (!w || w->kind == W_VAGUE || w->kind == W_TENS_LEAD || w->kind == W_FEW || (w->kind == W_SCALE && w->vague))
        return 0;
    size_t end = parse_words(sc, i, w, e, nv);
    return nv->vague ? 0 : end;
}

/* ---- from numval to quantity ---- */

static const int64_t pow10_table[] = {1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
                                      100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
                                      1000000000000LL, 10000000000000LL, 100000000000000LL,
                                      1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
                                      1000000000000000000LL};

#define EXACT_MAX ((int64_t)1 << 53)

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The value of nv: whole part in *value, exact real in *real. */
static void numval_value(numval *nv, int64_t *value, double *real)
{
    int64_t p = pow10_table[nv->frac];
    *real = (double)nv->mant / (double)p * (double)nv->scale;
    if (*real >= (double)EXACT_MAX || (nv->flags & LEDE_NUM_HUGE)) {
        nv->flags |= LEDE_NUM_HUGE;
        *value = *real >= 9.2e18 ? INT64_MAX : (int64_t)*real;
        return;
    }
    /* mant / p * scale = whole * scale + part * (scale / g) / (p / g) */
    int64_t whole = nv->mant / p, part = nv->mant % p;
    int64_t g = gcd64(nv->scale, p), num = nv->scale / g, den = p / g;
    *value = whole * nv->scale;
    if (part == 0)
        return;
    if (part > INT64_MAX / num) { /* beyond exact arithmetic: the real is right to 2^-53 */
        *value = (int64_t)*real;
        if ((double)*value != *real)
            nv->flags |= LEDE_NUM_DECIMAL;
        return;
    }
    *value += part * num / den;
    if ((part * num) % den)
        nv->flags |= LEDE_NUM_DECIMAL;
}

/* The words ending just before `end`, nearest first, each preceded by one
 * inner space (the first by none): folded text and start. */
typedef struct prev_words {
    size_t n;
    size_t start[4];
    char text[4][WORD_MAX + 1];
} prev_words;

static void collect_prev_words(const scanner *sc, size_t end, prev_words *pw)
{
    pw->n = 0;
    while (pw->n < 4) {
        size_t ws = end;
        while (ws > 0) {
            unsigned char c = (unsigned char)sc->s[ws - 1];
            if (c == '\'' || (c >= 0x80 && ws >= 3 && (unsigned char)sc->s[ws - 3] == 0xE2 &&
                               (unsigned char)sc->s[ws - 2] == 0x80 && c == 0x99)) {
                ws -= c == '\'' ? 1 : 3; /* jusqu'à */
                continue;
            }
            if (!wordlike_before(sc, ws))
                break;
            ws = cp_start_before(sc->s, ws);
        }
        if (ws == end || !fold_word(pw->text[pw->n], sc->s, ws, end))
            return;
        pw->start[pw->n++] = ws;
        size_t sp = inner_space_before(sc, ws);
        if (!sp)
            return;
        end = ws - sp;
    }
}

/* Does `phrase` (folded words separated by spaces) end the previous words?
 * Returns its start, or SIZE_MAX. */
static size_t phrase_match(const prev_words *pw, const char *phrase)
{
    size_t pe = strlen(phrase);
    for (size_t k = 0; k < pw->n; k++) {
        size_t ps = pe;
        while (ps > 0 && phrase[ps - 1] != ' ')
            ps--;
        if (strlen(pw->text[k]) != pe - ps || memcmp(pw->text[k], phrase + ps, pe - ps) != 0)
            return SIZE_MAX;
        if (ps == 0)
            return pw->start[k];
        pe = ps - 1;
    }
    return SIZE_MAX;
}

/* Whether some qualifier phrase ends with word w: most words before a
 * number ("the", "killed") end none, and skip the phrase table. */
static int qualifier_ends(const char *w)
{
    size_t n = strlen(w);
    for (size_t k = 0; k < sizeof qualifiers / sizeof *qualifiers; k++) {
        const char *p = qualifiers[k].phrase;
        size_t pl = strlen(p);
        if (pl >= n && memcmp(p + pl - n, w, n) == 0 && (pl == n || p[pl - n - 1] == ' '))
            return 1;
    }
    return 0;
}

/* The qualifier ending just before i (one inner space between), if any:
 * sets q->qualifier and returns its start; i when none. */
static size_t qualifier_before(const scanner *sc, const prev_words *pw, size_t i, lede_quantity *q)
{
    size_t best = i;
    if (pw->n == 0 || !qualifier_ends(pw->text[0]))
        return best;
    for (size_t k = 0; k < sizeof qualifiers / sizeof *qualifiers; k++) {
        if (!(qualifiers[k].langs & sc->langs))
            continue;
        size_t st = phrase_match(pw, qualifiers[k].phrase);
        if (st < best) {
            best = st;
            q->qualifier = qualifiers[k].qualifier;
        }
    }
    return best;
}

static int word_before_is(const prev_words *pw, const char *const *list, size_t *start)
{
    for (size_t k = 0; pw->n && list[k]; k++)
        if (strcmp(pw->text[0], list[k]) == 0) {
            *start = pw->start[0];
            return 1;
        }
    return 0;
}

/* A second number after the first (ending at e) making a range: "30 to
 * 40", "30-40", "two or three", and "and" after "between".  Returns the end
 * of the range, or 0. */
static size_t range_after(const scanner *sc, size_t e, int between, const numval *a, numval *b)
{
    static const char *const joins[] = {"to", "or", "a", "o", "\xC3\xA0", "ou", "bis", "oder", NULL};
    static const char *const ands[] = {"and", "y", "et", "und", "e", NULL};
    size_t d = dash_at(sc, e);
    size_t end = 0;
    if (!between && d && !(a->flags & LEDE_NUM_WORDS) && e + d < sc->len && is_digit((unsigned char)sc->s[e + d]))
        end = parse_numeral(sc, e + d, b);
    else {
        size_t sp = inner_space(sc, e);
        if (!sp)
            return 0;
        size_t st = e + sp, we = word_end(sc, st);
        char buf[WORD_MAX + 1];
        if (we == st || !fold_word(buf, sc->s, st, we) || !in_list(buf, between ? ands : joins))
            return 0;
        size_t sp2 = inner_space(sc, we);
        if (!sp2)
            return 0;
        end = parse_number_at(sc, we + sp2, b);
    }
    if (!end)
        return 0;
    return end;
}

static void quantity_set_value(lede_quantity *q, numval *nv)
{
    numval_value(nv, &q->value, &q->real);
    q->low = q->high = q->value;
}

/* Builds the quantity whose first number is nv: range, qualifier,
 * "between", vague range.  Returns its end. */
static size_t finish(const scanner *sc, numval *nv, lede_quantity *q)
{
    static const char *const between_words[] = {"between", "entre", "zwischen", "tra", "fra", NULL};
    static const char *const from_words[] = {"from", "de", "desde", "von", "da", NULL};
    memset(q, 0, sizeof *q);
    q->num_start = (uint32_t)nv->start;
    size_t end = nv->end;
    if (nv->vague) {
        q->vague = (uint8_t)nv->vague;
        q->qualifier = LEDE_QUAL_VAGUE;
        q->low = q->value = vagues[nv->vague].low;
        q->high = vagues[nv->vague].high;
        q->real = (double)q->value;
    } else {
        quantity_set_value(q, nv);
    }
    q->flags = (uint16_t)nv->flags;
    prev_words pw;
    size_t sp = inner_space_before(sc, nv->start);
    pw.n = 0;
    if (sp && !nv->vague)
        collect_prev_words(sc, nv->start - sp, &pw);
    size_t start = qualifier_before(sc, &pw, nv->start, q);
    size_t bstart = nv->start;
    int between = start == nv->start && word_before_is(&pw, between_words, &bstart);
    int from = start == nv->start && word_before_is(&pw, from_words, &bstart);
    numval b;
    size_t rend = nv->vague || (nv->flags & (LEDE_NUM_PERCENT | LEDE_NUM_TIME | LEDE_NUM_ORDINAL))
                      ? 0
                      : range_after(sc, end, between, nv, &b);
    if (rend) {
        lede_quantity hi;
        memset(&hi, 0, sizeof hi);
        quantity_set_value(&hi, &b);
        /* "between 2 and 3 million": the scale of the second applies to both */
        if (nv->scale == 1 && b.tail_scale > 1 && nv->tail_scale <= 1 && !(nv->flags & LEDE_NUM_DECIMAL)) {
            numval a2 = *nv;
            a2.scale = b.tail_scale;
            lede_quantity lo;
            quantity_set_value(&lo, &a2);
            if (lo.value < hi.value) {
                *nv = a2;
                quantity_set_value(q, nv);
                q->flags |= LEDE_NUM_SCALED;
            }
        }
        if (hi.value > q->value && !(b.flags & (LEDE_NUM_PERCENT | LEDE_NUM_TIME | LEDE_NUM_ORDINAL))) {
            q->low = q->value;
            q->high = hi.value;
            q->flags |= LEDE_NUM_RANGE | (b.flags & (LEDE_NUM_WORDS | LEDE_NUM_SCALED | LEDE_NUM_CURRENCY |
                                                     LEDE_NUM_PERCENT | LEDE_NUM_COMPOUND | LEDE_NUM_HUGE));
            if ((q->flags & LEDE_NUM_YEAR) && !(b.flags & LEDE_NUM_YEAR) && hi.value < 1000)
                q->flags |= LEDE_NUM_COMPOUND; /* "2024-25" */
            else if (b.flags & LEDE_NUM_YEAR)
                q->flags |= LEDE_NUM_YEAR;
            end = rend;
            if (between)
                start = bstart;
            if (from)
                q->flags |= LEDE_NUM_FROM;
        } else if (dash_at(sc, nv->end) && !inner_space(sc, nv->end)) {
            q->flags |= LEDE_NUM_COMPOUND; /* "3-1", "2024-25" */
        }
    } else if (!nv->vague && dash_at(sc, end) == 1 && end + 1 < sc->len && is_alpha((unsigned char)sc->s[end + 1])) {
        q->flags |= LEDE_NUM_COMPOUND; /* "12-hour", "5-year-old" */
    }
    q->start = (uint32_t)start;
    q->end = (uint32_t)end;
    q->num_end = (uint32_t)end;
    return end;
}

/* ---- the scan ---- */

typedef struct qlist {
    lede_quantity *v;
    size_t n, cap;
} qlist;

static int qlist_push(qlist *l, const lede_quantity *q)
{
    if (lede_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != LEDE_OK)
        return LEDE_ENOMEM;
    l->v[l->n++] = *q;
    return LEDE_OK;
}

/* Readies sc for text with opts; `shape` is storage for its word shapes. */
static void scanner_init(scanner *sc, const char *text, size_t len, const lede_num_opts *opts, word_shapes shape)
{
    sc->s = text;
    sc->len = len;
    const char *lang = opts ? opts->language : NULL;
    sc->langs = L_EN | lang_bit(lang);
    sc->dec_comma = opts && opts->decimal_comma >= 0 ? opts->decimal_comma != 0 : lede_num_decimal_comma(lang);
    shapes_init(shape);
    sc->shape = (const uint32_t(*)[WORD_MAX + 1])shape;
}

/* Scans from i; stops after `limit` quantities.  Returns LEDE_OK or ENOMEM. */
static int scan(const scanner *sc, size_t i, size_t limit, qlist *out)
{
    const unsigned char *u = (const unsigned char *)sc->s;
    while (i < sc->len && out->n < limit) {
        unsigned char c = u[i];
        numval nv;
        size_t end = 0;
        if (is_digit(c)) {
            if (wordlike_before(sc, i)) {
                while (i < sc->len && is_alnum(u[i]))
                    i++;
                continue;
            }
            end = parse_numeral(sc, i, &nv);
        } else if (is_alpha(c)) { /* number words all start with an ASCII letter */
            if (wordlike_before(sc, i)) {
                i++;
                continue;
            }
            size_t we;
            const word_def *w = word_at(sc, i, &we);
            if (w)
                end = parse_words(sc, i, w, we, &nv);
            if (!end) {
                i = we > i ? we : i + 1;
                continue;
            }
        } else {
            i++;
            continue;
        }
        lede_quantity q;
        end = finish(sc, &nv, &q);
        if (qlist_push(out, &q) != LEDE_OK)
            return LEDE_ENOMEM;
        i = end > i ? end : i + 1;
    }
    return LEDE_OK;
}

/* The quantities sc finds in its text (*out NULL when none). */
static int scan_all(lede_quantity **out, size_t *n, const scanner *sc)
{
    qlist l = {NULL, 0, 0};
    int rc = scan(sc, 0, SIZE_MAX, &l);
    if (rc != LEDE_OK) {
        free(l.v);
        l.v = NULL;
        l.n = 0;
    }
    if (l.n == 0) {
        free(l.v);
        l.v = NULL;
    }
    *out = l.v;
    *n = l.n;
    return rc;
}

int lede_num_scan(lede_quantity **out, size_t *n, const char *text, size_t len, const lede_num_opts *opts)
{
    scanner sc;
    word_shapes shape;
    scanner_init(&sc, text, len, opts, shape);
    return scan_all(out, n, &sc);
}

int lede_num_scanner_new(lede_num_scanner **out, const lede_num_opts *opts)
{
    lede_num_scanner *p = malloc(sizeof *p);
    *out = p;
    if (p == NULL)
        return LEDE_ENOMEM;
    scanner sc;
    scanner_init(&sc, NULL, 0, opts, p->shape);
    p->dec_comma = sc.dec_comma;
    p->langs = sc.langs;
    return LEDE_OK;
}

void lede_num_scanner_free(lede_num_scanner *p) { free(p); }

int lede_num_scanner_scan(lede_quantity **out, size_t *n, const lede_num_scanner *p, const char *text, size_t len)
{
    scanner sc = {text, len, p->dec_comma, p->langs, (const uint32_t(*)[WORD_MAX + 1])p->shape};
    return scan_all(out, n, &sc);
}

size_t lede_num_parse(lede_quantity *out, const char *s, size_t len, const lede_num_opts *opts)
{
    scanner sc;
    word_shapes shape;
    scanner_init(&sc, s, len, opts, shape);
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    lede_quantity q;
    qlist l = {&q, 0, 1}; /* the limit of 1 keeps the scan from growing it */
    if (scan(&sc, i, 1, &l) != LEDE_OK || l.n == 0 || q.start != i)
        return 0;
    *out = q;
    return q.end;
}

/* ---- tokens ---- */

typedef struct tlist {
    lede_num_token *v;
    size_t n, cap;
} tlist;

static int tlist_push(tlist *l, size_t start, size_t end, int kind, unsigned flags, size_t quantity)
{
    if (lede_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != LEDE_OK)
        return LEDE_ENOMEM;
    lede_num_token *t = &l->v[l->n++];
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->kind = (uint8_t)kind;
    t->flags = (uint8_t)flags;
    t->quantity = (uint32_t)quantity;
    return LEDE_OK;
}

/* Bytes of white space at i (ASCII, U+00A0, U+2000..U+200A, U+202F), or 0. */
static size_t white_at(const scanner *sc, size_t i)
{
    unsigned char c = (unsigned char)sc->s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xE2 && i + 2 < sc->len && (unsigned char)sc->s[i + 1] == 0x80 &&
        (unsigned char)sc->s[i + 2] <= 0x8A)
        return 3;
    return inner_space(sc, i);
}

/* Width of an apostrophe at i: ' or ’. */
static size_t apostrophe_at(const scanner *sc, size_t i)
{
    if (sc->s[i] == '\'')
        return 1;
    if (i + 2 < sc->len && (unsigned char)sc->s[i] == 0xE2 && (unsigned char)sc->s[i + 1] == 0x80 &&
        (unsigned char)sc->s[i + 2] == 0x99)
        return 3;
    return 0;
}

/* A word at i: letters, digits, inner hyphens and apostrophes.  Sets
 * *stem_end (before a final 's) and returns the end of the whole. */
static size_t word_span(const scanner *sc, size_t i, size_t *stem_end)
{
    size_t k = i;
    for (;;) {
        while (k < sc->len && wordlike_at(sc, k)) {
            size_t w;
            decode(sc->s, sc->len, k, &w);
            k += w;
        }
        size_t a = k < sc->len ? apostrophe_at(sc, k) : 0;
        size_t d = k < sc->len && sc->s[k] == '-' ? 1 : 0;
        size_t joint = a ? a : d;
        if (!joint || k + joint >= sc->len || !wordlike_at(sc, k + joint))
            break;
        if (a && (sc->s[k + a] | 0x20) == 's' && !wordlike_at(sc, k + a + 1)) {
            *stem_end = k;
            return k + a + 1;
        }
        k += joint;
    }
    *stem_end = k;
    return k;
}

int lede_num_tokens(lede_num_token **out, size_t *n, const char *text, size_t len, const lede_quantity *q,
                    size_t n_q)
{
    scanner sc;
    sc.s = text;
    sc.len = len;
    tlist l = {NULL, 0, 0};
    size_t i = 0, qi = 0;
    int rc = LEDE_OK;
    while (i < len && rc == LEDE_OK) {
        while (qi < n_q && q[qi].start < i)
            qi++;
        if (qi < n_q && q[qi].start == i) {
            rc = tlist_push(&l, i, q[qi].end, LEDE_NUM_TOK_QUANTITY, 0, qi);
            i = q[qi].end > i ? q[qi].end : i + 1;
            qi++;
            continue;
        }
        size_t sp = white_at(&sc, i);
        if (sp) {
            i += sp;
            continue;
        }
        unsigned char c = (unsigned char)text[i];
        if (is_digit(c)) {
            size_t k = i;
            while (k < len && (is_digit((unsigned char)text[k]) || text[k] == '.' || text[k] == ',' ||
                               text[k] == ':' || text[k] == '/') && !(qi < n_q && q[qi].start == k))
                k++;
            while (k > i + 1 && !is_digit((unsigned char)text[k - 1]))
                k--;
            rc = tlist_push(&l, i, k, LEDE_NUM_TOK_DIGITS, 0, 0);
            i = k;
            continue;
        }
        if (wordlike_at(&sc, i)) {
            size_t stem;
            size_t end = word_span(&sc, i, &stem);
            unsigned flags = 0;
            if ((c >= 'A' && c <= 'Z') || (c == 0xC3 && i + 1 < len && (unsigned char)text[i + 1] < 0x9F))
                flags |= LEDE_NUM_TOKF_CAPITALISED;
            if (stem != end)
                flags |= LEDE_NUM_TOKF_POSSESSIVE;
            rc = tlist_push(&l, i, stem, LEDE_NUM_TOK_WORD, flags, 0);
            i = end;
            continue;
        }
        size_t w;
        decode(text, len, i, &w);
        rc = tlist_push(&l, i, i + w, LEDE_NUM_TOK_PUNCT, 0, 0);
        i += w;
    }
    if (rc != LEDE_OK || l.n == 0) {
        free(l.v);
        l.v = NULL;
        if (rc != LEDE_OK)
            l.n = 0;
    }
    *out = l.v;
    *n = l.n;
    return rc;
}

size_t lede_num_fold(char *buf, size_t cap, const char *text, size_t start, size_t end)
{
    if (end < start || end - start >= cap)
        return 0;
    return fold_into(buf, text, start, end);
}
