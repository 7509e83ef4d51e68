/* Numbers and quantities in news text: numerals with any grouping
 * convention ("400,000", "70 000" with U+00A0/U+2009/U+202F, "70.000" where
 * the decimal mark is a comma), decimals with scale words ("1.2 million",
 * "1,5 millones"), number words up to the billions ("twenty-one", "a
 * dozen", "two hundred thousand"), vague quantities ("dozens", "tens of
 * thousands") with a documented range, qualifiers ("at least", "more than",
 * "some", "up to") and ranges ("between 250 and 300", "30 to 40", "30-40").
 *
 * The scanner only reads numbers: whether "12" counts people, money or
 * years is the caller's business, helped by the flags (percent, currency,
 * ordinal, year-like, hyphen compound, time ...).  Pure functions over
 * borrowed text: no allocation except the result array, no global state.
 *
 * Vague quantities and their ranges (low..high), by language:
 *   dozens 24..99, scores 40..199, hundreds 200..999, thousands 2000..9999,
 *   tens of thousands 20000..99999, hundreds of thousands 200000..999999,
 *   millions 2e6..999999999, tens of millions 2e7..99999999,
 *   hundreds of millions 2e8..999999999, billions 2e9..999999999999;
 *   "several X" is 3X..9X and "a few X" 2X..5X for X = dozen, hundred,
 *   thousand, million.  Spanish decenas 20..99, cientos/centenares,
 *   miles, decenas de miles, cientos de miles, millones; French dizaines
 *   20..99, centaines, milliers, dizaines/centaines de milliers, millions;
 *   German Dutzende, Hunderte, Tausende, Zehntausende, Hunderttausende,
 *   Millionen; Portuguese dezenas, centenas, milhares, milhões; Italian
 *   decine, centinaia, migliaia, milioni — with the same ranges as their
 *   English counterparts. */
#ifndef LEDE_NUMPARSE_H
#define LEDE_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>

/* How a quantity is qualified.  Names (lede_num_qualifier_name) are the
 * words of the figure schema: "exact", "more_than", "over", ... */
typedef enum lede_num_qualifier {
    LEDE_QUAL_EXACT = 0,
    LEDE_QUAL_MORE_THAN,  /* more than, upwards of, in excess of, más de, plus de, mehr als */
    LEDE_QUAL_OVER,       /* over, well over, just over, über */
    LEDE_QUAL_AT_LEAST,   /* at least, no fewer than, al menos, au moins, mindestens */
    LEDE_QUAL_ABOUT,      /* about, around, some, approximately, an estimated, unos, environ, etwa */
    LEDE_QUAL_NEARLY,     /* nearly, almost, close to, just under, casi, près de, fast */
    LEDE_QUAL_UP_TO,      /* up to, as many as, at most, hasta, jusqu'à, bis zu */
    LEDE_QUAL_FEWER_THAN, /* fewer than, less than, under, menos de, moins de, weniger als */
    LEDE_QUAL_VAGUE,      /* a vague quantity: dozens, thousands, ... */
    LEDE_QUAL_COUNT
} lede_num_qualifier;

/* Quantity flags (bit set). */
enum {
    LEDE_NUM_WORDS = 1u << 0,    /* spelled out, at least partly: "twenty-one", "a dozen", "two million" */
    LEDE_NUM_DECIMAL = 1u << 1,  /* not a whole number: "6.8" (value is truncated; see real) */
    LEDE_NUM_SCALED = 1u << 2,   /* a scale word or suffix: "1.2 million", "5bn", "70 mil" */
    LEDE_NUM_RANGE = 1u << 3,    /* low..high: "between 250 and 300", "30-40", "two or three" */
    LEDE_NUM_VAGUE = 1u << 4,    /* "dozens", "tens of thousands": low..high is the documented range */
    LEDE_NUM_PERCENT = 1u << 5,  /* followed by %, per cent, percent, por ciento, Prozent ... */
    LEDE_NUM_CURRENCY = 1u << 6, /* a currency sign or word before or after: "$380 million", "120 euros" */
    LEDE_NUM_ORDINAL = 1u << 7,  /* "25th", "131st", "2º" */
    LEDE_NUM_COMPOUND = 1u << 8, /* hyphen-joined to what follows: "five-year-old", "12-hour", "3-1" */
    LEDE_NUM_YEAR = 1u << 9,     /* four digits 1000..2199 without separators: may be a year */
    LEDE_NUM_TIME = 1u << 10,    /* a clock time: "19:58", "5pm", "08h15" */
    LEDE_NUM_ATTACHED = 1u << 11, /* glued to letters: "18C", "5km", "G8", "COVID-19" */
    LEDE_NUM_FROM = 1u << 12,    /* a range written "from N to M" (often a change, not a range) */
    LEDE_NUM_SLASHED = 1u << 13, /* followed by / and a digit: dates "05/03/2024", fractions */
    LEDE_NUM_HUGE = 1u << 14     /* beyond 2^53: value is not exact */
};

typedef struct lede_quantity {
    uint32_t start, end;         /* bytes [start, end): qualifier, "between", number(s) */
    uint32_t num_start, num_end; /* bytes of the number or range alone */
    int64_t value;  /* whole value; for ranges and vague quantities, low */
    double real;    /* the value as a real: 1.5 for "1.5", 1200000 for "1.2 million" */
    int64_t low, high; /* range or vague range; both equal value otherwise */
    uint8_t qualifier; /* lede_num_qualifier */
    uint8_t vague;     /* index for lede_num_vague_name; 0 when not vague */
    uint16_t flags;
} lede_quantity;

typedef struct lede_num_opts {
    int decimal_comma;    /* 1: "1.234,5"; 0: "1,234.5"; -1: the convention of `language` */
    const char *language; /* ISO 639-1 of the text (NULL: "en"): number, scale and vague words
                             of that language are read besides English */
} lede_num_opts;

#define LEDE_NUM_OPTS_INIT { -1, NULL }

/* Finds every quantity in `len` bytes of `text`, in text order, without
 * overlaps.  *out is malloc'd and owned by the caller (free()); it is NULL
 * when *n is 0.  `opts` may be NULL.  Returns LEDE_OK or LEDE_ENOMEM. */
int lede_num_scan(lede_quantity **out, size_t *n, const char *text, size_t len, const lede_num_opts *opts);

/* A scanner prepared for one set of options: scanning many short texts
 * (the sentences of an article) with it saves preparing one per text. */
typedef struct lede_num_scanner lede_num_scanner;

/* *out is owned by the caller (lede_num_scanner_free); `opts` (may be NULL)
 * is read during the call only.  Returns LEDE_OK or LEDE_ENOMEM. */
int lede_num_scanner_new(lede_num_scanner **out, const lede_num_opts *opts);
void lede_num_scanner_free(lede_num_scanner *sc);
/* lede_num_scan with the options sc was prepared with. */
int lede_num_scanner_scan(lede_quantity **out, size_t *n, const lede_num_scanner *sc, const char *text, size_t len);

/* Reads one quantity at the start of `s` (leading white space skipped).
 * Returns the bytes used (up to out->end), or 0 when `s` does not start with
 * a quantity; *out is filled only then.  `opts` may be NULL. */
size_t lede_num_parse(lede_quantity *out, const char *s, size_t len, const lede_num_opts *opts);

/* Tokens of a stretch of text around its quantities: what a reader of
 * "killed more than 400,000 people" looks at, with the quantity as one
 * token.  Words are runs of letters (any script), digits, inner hyphens
 * and apostrophes; a final 's or ’s is not part of the word but flags it. */
typedef struct lede_num_token {
    uint32_t start, end; /* bytes [start, end) */
    uint8_t kind;        /* LEDE_NUM_TOK_* */
    uint8_t flags;       /* LEDE_NUM_TOKF_* */
    uint32_t quantity;   /* index into the quantities, for LEDE_NUM_TOK_QUANTITY */
} lede_num_token;

enum { LEDE_NUM_TOK_WORD = 0, LEDE_NUM_TOK_QUANTITY, LEDE_NUM_TOK_PUNCT, LEDE_NUM_TOK_DIGITS };
enum { LEDE_NUM_TOKF_CAPITALISED = 1u << 0, LEDE_NUM_TOKF_POSSESSIVE = 1u << 1 };

/* Splits `len` bytes of `text` into tokens; `q` holds the n_q quantities
 * lede_num_scan found in that same text (offsets relative to `text`), in
 * order; each becomes one token.  White space (including U+00A0 and the
 * thin spaces) makes no token; any other character that is not part of a
 * word or a quantity is a punctuation token, and digits outside a quantity
 * a digits token.  *out is malloc'd, owned by the caller (free()), NULL
 * when *n is 0.  Returns LEDE_OK or LEDE_ENOMEM. */
int lede_num_tokens(lede_num_token **out, size_t *n, const char *text, size_t len, const lede_quantity *q,
                    size_t n_q);

/* Writes the lower-case form of the word [start, end) of text (ASCII and
 * Latin-1 letters folded, other bytes kept) into buf of capacity cap;
 * returns its length, or 0 when it does not fit. */
size_t lede_num_fold(char *buf, size_t cap, const char *text, size_t start, size_t end);

/* Whether `language` (ISO 639-1, NULL: "en") writes "1.234,5". */
int lede_num_decimal_comma(const char *language);

/* Static names: "exact", "more_than", ... ; "dozens", "tens of thousands",
 * ... (NULL for 0 or out of range).  Not owned by the caller. */
const char *lede_num_qualifier_name(int qualifier);
const char *lede_num_vague_name(int vague);

/* The documented range of a vague quantity.  Returns 0 when `vague` is not one. */
int lede_num_vague_range(int vague, int64_t *low, int64_t *high);

#endif
