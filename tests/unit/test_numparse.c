/* Number parsing: a table of phrases with the quantity each must give (its
 * covered text, value or range, qualifier, vague word, flags), scans of
 * whole sentences, the single-number entry point, and the time one number
 * takes to parse. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "lede.h"
#include "numparse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct pcase {
    const char *lang; /* NULL: English */
    const char *text;
    const char *span; /* covered text of the first quantity; NULL: none expected */
    int64_t low, high; /* value when equal */
    const char *qual;
    const char *vague;
    unsigned set, clear; /* flags that must be set, and must be clear */
} pcase;

#define NBSP "\xC2\xA0"
#define THIN "\xE2\x80\x89"
#define NNBSP "\xE2\x80\xAF"
#define EN_DASH "\xE2\x80\x93"

/* Whole numbers, exact. */
#define P(t, s, v) {NULL, t, s, v, v, "exact", NULL, 0, LEDE_NUM_RANGE | LEDE_NUM_VAGUE | LEDE_NUM_DECIMAL}
/* With a qualifier. */
#define Q(t, s, v, q) {NULL, t, s, v, v, q, NULL, 0, LEDE_NUM_RANGE | LEDE_NUM_VAGUE}
/* Ranges. */
#define R(t, s, lo, hi, q) {NULL, t, s, lo, hi, q, NULL, LEDE_NUM_RANGE, LEDE_NUM_VAGUE}
/* Vague quantities: the range checked is the documented one. */
#define V(t, s, w, lo, hi) {NULL, t, s, lo, hi, "vague", w, LEDE_NUM_VAGUE, LEDE_NUM_RANGE}
/* A value with flags that must be set. */
#define F(t, s, v, f) {NULL, t, s, v, v, NULL, NULL, f, 0}
/* Nothing to find. */
#define N(t) {NULL, t, NULL, 0, 0, NULL, NULL, 0, 0}
/* Another language. */
#define L(lang, t, s, v, q) {lang, t, s, v, v, q, NULL, 0, LEDE_NUM_RANGE}

static const pcase cases[] = {
    /* plain numerals */
    P("12", "12", 12),
    P("0 people", "0", 0),
    P("killing 12 people", "12", 12),
    P("400,000 people", "400,000", 400000),
    P("1,350", "1,350", 1350),
    P("1,024;", "1,024", 1024),
    P("9,000 cubic metres", "9,000", 9000),
    P("2,000", "2,000", 2000),
    P("1,234,567 voters", "1,234,567", 1234567),
    P("70 000", "70 000", 70000),
    P("70" NBSP "000 refugees", "70" NBSP "000", 70000),
    P("70" THIN "000 refugees", "70" THIN "000", 70000),
    P("70" NNBSP "000 refugees", "70" NNBSP "000", 70000),
    P("1" NBSP "234" NBSP "567", "1" NBSP "234" NBSP "567", 1234567),
    P("70'000 Menschen", "70'000", 70000),
    P("70\xE2\x80\x99" "000 people", "70\xE2\x80\x99" "000", 70000),
    P("258 775 people", "258 775", 258775),
    P("70.000 personas", "70.000", 70000),   /* a three-digit decimal ending in 0 groups */
    P("3.900 wounded", "3.900", 3900),
    P("1.200.000 people", "1.200.000", 1200000), /* repeated: grouping even in English */
    P("in 2012 100 people", "2012", 2012),       /* no grouping after four digits */
    P("May 7, 2013", "7", 7),
    P("June 30, 2012", "30", 30),
    P("Section 1, 2 and 3", "1", 1),
    P("(12)", "12", 12),
    P("\xE2\x80\x9C" "12\xE2\x80\x9D", "12", 12),
    P("12.", "12", 12),
    P("12,", "12", 12),
    P("killed 12, wounded 30", "12", 12),
    P("$", NULL, 0),
    /* decimals and scales */
    F("6.8", "6.8", 6, LEDE_NUM_DECIMAL),
    F("magnitude 5.1 quake", "5.1", 5, LEDE_NUM_DECIMAL),
    F("1.2 million", "1.2 million", 1200000, LEDE_NUM_SCALED),
    F("about 1.2 million people", "about 1.2 million", 1200000, LEDE_NUM_SCALED),
    F("3.5 million", "3.5 million", 3500000, LEDE_NUM_SCALED),
    F("12.6 million", "12.6 million", 12600000, LEDE_NUM_SCALED),
    F("2 million", "2 million", 2000000, LEDE_NUM_SCALED),
    F("1.5 billion", "1.5 billion", 1500000000LL, LEDE_NUM_SCALED),
    F("2 thousand", "2 thousand", 2000, LEDE_NUM_SCALED),
    F("3 dozen eggs", "3 dozen", 36, LEDE_NUM_SCALED),
    F("2 hundred", "2 hundred", 200, LEDE_NUM_SCALED),
    F("1.25 million", "1.25 million", 1250000, LEDE_NUM_SCALED),
    F("0.5 million", "0.5 million", 500000, LEDE_NUM_SCALED),
    F("1.234567 million", "1.234567 million", 1234567, LEDE_NUM_SCALED),
    F("1.2345678 million", "1.2345678 million", 1234567, LEDE_NUM_DECIMAL),
    F("5bn", "5bn", 5000000000LL, LEDE_NUM_SCALED),
    F("2.5 mln people", "2.5 mln", 2500000, LEDE_NUM_SCALED),
    F("3.4 mn", "3.4 mn", 3400000, LEDE_NUM_SCALED),
    F("12 bn", "12 bn", 12000000000LL, LEDE_NUM_SCALED),
    F("1.5 bln", "1.5 bln", 1500000000LL, LEDE_NUM_SCALED),
    F("$3m", "3m", 3000000, LEDE_NUM_SCALED | LEDE_NUM_CURRENCY),
    F("10k", "10k", 10000, LEDE_NUM_SCALED),
    F("2 lakh", "2 lakh", 200000, LEDE_NUM_SCALED),
    F("3 crore", "3 crore", 30000000, LEDE_NUM_SCALED),
    F("1,5 million", "1,5 million", 1500000, LEDE_NUM_SCALED), /* unambiguous even in English */
    F("1,5 7", "1,5", 1, LEDE_NUM_DECIMAL),
    F("3.14159", "3.14159", 3, LEDE_NUM_DECIMAL),
    F("1.500 million", "1.500 million", 1500000, LEDE_NUM_SCALED),
    F("2.0 million", "2.0 million", 2000000, LEDE_NUM_SCALED),
    /* number words */
    F("three", "three", 3, LEDE_NUM_WORDS),
    F("Three miners", "Three", 3, LEDE_NUM_WORDS),
    F("THREE", "THREE", 3, LEDE_NUM_WORDS),
    F("fourteen injured", "fourteen", 14, LEDE_NUM_WORDS),
    F("twenty-one", "twenty-one", 21, LEDE_NUM_WORDS),
    F("Twenty-one people", "Twenty-one", 21, LEDE_NUM_WORDS),
    F("twenty one", "twenty one", 21, LEDE_NUM_WORDS),
    F("ninety-nine", "ninety-nine", 99, LEDE_NUM_WORDS),
    F("a dozen", "a dozen", 12, LEDE_NUM_WORDS),
    F("a dozen people", "a dozen", 12, LEDE_NUM_WORDS),
    F("two dozen", "two dozen", 24, LEDE_NUM_WORDS),
    F("a hundred", "a hundred", 100, LEDE_NUM_WORDS),
    F("one hundred", "one hundred", 100, LEDE_NUM_WORDS),
    F("two hundred and five", "two hundred and five", 205, LEDE_NUM_WORDS),
    F("two hundred thousand", "two hundred thousand", 200000, LEDE_NUM_WORDS),
    F("two thousand", "two thousand", 2000, LEDE_NUM_WORDS),
    F("a thousand", "a thousand", 1000, LEDE_NUM_WORDS),
    F("a million", "a million", 1000000, LEDE_NUM_WORDS),
    F("two million", "two million", 2000000, LEDE_NUM_WORDS),
    F("half a million", "half a million", 500000, LEDE_NUM_WORDS),
    F("three hundred and forty-five thousand six hundred", "three hundred and forty-five thousand six hundred",
      345600, LEDE_NUM_WORDS),
    F("one million two hundred thousand", "one million two hundred thousand", 1200000, LEDE_NUM_WORDS),
    F("nineteen hundred", "nineteen hundred", 1900, LEDE_NUM_WORDS),
    F("eleven", "eleven", 11, LEDE_NUM_WORDS),
    F("twelve", "twelve", 12, LEDE_NUM_WORDS),
    F("seventy", "seventy", 70, LEDE_NUM_WORDS),
    F("zero", "zero", 0, LEDE_NUM_WORDS),
    F("one", "one", 1, LEDE_NUM_WORDS),
    F("thirty-one men", "thirty-one", 31, LEDE_NUM_WORDS),
    F("a thousand million", "a thousand million", 1000000000LL, LEDE_NUM_WORDS),
    F("two and", "two", 2, LEDE_NUM_WORDS),
    F("two hundred and", "two hundred", 200, LEDE_NUM_WORDS),
    F("one two", "one", 1, LEDE_NUM_WORDS),
    F("twenty ten", "twenty", 20, LEDE_NUM_WORDS),
    N("a"),
    N("an apple"),
    N("half"),
    N("and"),
    N("someone"),
    N("tenant"),
    N("often"),
    N("Fiveways"),
    N("nonetheless"),
    N("the scores were level"),
    N("tens"),
    N("no numbers here at all"),
    N(""),
    N("million"),
    N("a few"),
    N("several"),
    /* compounds, ages, durations */
    F("five-year-old conflict", "five", 5, LEDE_NUM_COMPOUND),
    F("5-year-old conflict", "5", 5, LEDE_NUM_COMPOUND),
    F("Nine-year-old Amira", "Nine", 9, LEDE_NUM_COMPOUND),
    F("eight-year war", "eight", 8, LEDE_NUM_COMPOUND),
    F("12-hour talks", "12", 12, LEDE_NUM_COMPOUND),
    F("a 120-year-old pit", "120", 120, LEDE_NUM_COMPOUND),
    F("the 22-nation group", "22", 22, LEDE_NUM_COMPOUND),
    F("seven-month-old", "seven", 7, LEDE_NUM_COMPOUND),
    F("won 3-1", "3", 3, LEDE_NUM_COMPOUND),
    F("2024-25 budget", "2024", 2024, LEDE_NUM_COMPOUND | LEDE_NUM_YEAR),
    F("twenty-one-year-old", "twenty-one", 21, LEDE_NUM_COMPOUND),
    /* percent, currency, ordinals, years, times */
    F("5%", "5", 5, LEDE_NUM_PERCENT),
    F("4.9% tax", "4.9", 4, LEDE_NUM_PERCENT),
    F("15 per cent", "15", 15, LEDE_NUM_PERCENT),
    F("15 percent", "15", 15, LEDE_NUM_PERCENT),
    F("48.0 percent", "48.0", 48, LEDE_NUM_PERCENT),
    F("un 3 por ciento", "3", 3, LEDE_NUM_PERCENT),
    F("15 %", "15", 15, LEDE_NUM_PERCENT),
    F("$380 million", "380 million", 380000000, LEDE_NUM_CURRENCY),
    F("\xC2\xA3" "2.3 million", "2.3 million", 2300000, LEDE_NUM_CURRENCY),
    F("\xE2\x82\xAC" "50", "50", 50, LEDE_NUM_CURRENCY),
    F("\xC2\xA3" "500,000", "500,000", 500000, LEDE_NUM_CURRENCY),
    F("US$ 40", "40", 40, LEDE_NUM_CURRENCY),
    F("120 million euros", "120 million", 120000000, LEDE_NUM_CURRENCY),
    F("50 dollars", "50", 50, LEDE_NUM_CURRENCY),
    F("USD 40", "40", 40, LEDE_NUM_CURRENCY),
    F("40 \xE2\x82\xAC", "40", 40, LEDE_NUM_CURRENCY),
    F("25th", "25th", 25, LEDE_NUM_ORDINAL),
    F("131st of 180", "131st", 131, LEDE_NUM_ORDINAL),
    F("97th", "97th", 97, LEDE_NUM_ORDINAL),
    F("the 2nd", "2nd", 2, LEDE_NUM_ORDINAL),
    F("3rd", "3rd", 3, LEDE_NUM_ORDINAL),
    F("1er janvier", "1er", 1, LEDE_NUM_ORDINAL),
    F("2\xC2\xBA", "2\xC2\xBA", 2, LEDE_NUM_ORDINAL),
    F("in 2011", "2011", 2011, LEDE_NUM_YEAR),
    F("since 1962", "1962", 1962, LEDE_NUM_YEAR),
    F("19:58", "19:58", 19, LEDE_NUM_TIME),
    F("08h15", "08h15", 8, LEDE_NUM_TIME),
    F("5pm", "5", 5, LEDE_NUM_TIME),
    F("5 p.m.", "5", 5, LEDE_NUM_TIME),
    F("10 am", "10", 10, LEDE_NUM_TIME),
    F("minus 18C", "18", 18, LEDE_NUM_ATTACHED),
    F("5km", "5", 5, LEDE_NUM_ATTACHED),
    F("05/03/2024", "05", 5, LEDE_NUM_SLASHED),
    F("COVID-19", "19", 19, LEDE_NUM_ATTACHED),
    F("mid-2014", "2014", 2014, LEDE_NUM_ATTACHED),
    N("G8 summit"),
    N("mp3"),
    N("A320"),
    /* qualifiers */
    Q("More than 400,000 people", "More than 400,000", 400000, "more_than"),
    Q("more than 280,000 dead", "more than 280,000", 280000, "more_than"),
    Q("over 70,000 lives", "over 70,000", 70000, "over"),
    Q("at least 84 people", "at least 84", 84, "at_least"),
    Q("At least 27 people", "At least 27", 27, "at_least"),
    Q("nearly 2,500", "nearly 2,500", 2500, "nearly"),
    Q("Nearly 2,500", "Nearly 2,500", 2500, "nearly"),
    Q("almost 300", "almost 300", 300, "nearly"),
    Q("about 20,000", "about 20,000", 20000, "about"),
    Q("around 40", "around 40", 40, "about"),
    Q("some 40,000", "some 40,000", 40000, "about"),
    Q("some 70" NBSP "000", "some 70" NBSP "000", 70000, "about"),
    Q("up to 100,000", "up to 100,000", 100000, "up_to"),
    Q("as many as 300", "as many as 300", 300, "up_to"),
    Q("fewer than 10", "fewer than 10", 10, "fewer_than"),
    Q("less than 10", "less than 10", 10, "fewer_than"),
    Q("approximately 500", "approximately 500", 500, "about"),
    Q("roughly 500", "roughly 500", 500, "about"),
    Q("an estimated 1.2 million", "an estimated 1.2 million", 1200000, "about"),
    Q("no fewer than 12", "no fewer than 12", 12, "at_least"),
    Q("no more than 12", "no more than 12", 12, "up_to"),
    Q("well over 100", "well over 100", 100, "over"),
    Q("just under 300", "just under 300", 300, "nearly"),
    Q("upwards of 50", "upwards of 50", 50, "more_than"),
    Q("in excess of 50", "in excess of 50", 50, "more_than"),
    Q("more than a dozen", "more than a dozen", 12, "more_than"),
    Q("more than two thousand", "more than two thousand", 2000, "more_than"),
    Q("\xC2\xAB" NNBSP "more than two thousand" NNBSP "\xC2\xBB", "more than two thousand", 2000, "more_than"),
    Q("close to 90", "close to 90", 90, "nearly"),
    Q("moreover 5", "5", 5, "exact"),
    Q("a girl of about six", "about six", 6, "about"),
    Q("aged up to 45", "up to 45", 45, "up_to"),
    Q("AT LEAST 5", "AT LEAST 5", 5, "at_least"),
    Q("at" NBSP "least" NBSP "5", "at" NBSP "least" NBSP "5", 5, "at_least"),
    /* ranges */
    R("between 250 and 300", "between 250 and 300", 250, 300, "exact"),
    R("between 250,000 and 300,000", "between 250,000 and 300,000", 250000, 300000, "exact"),
    R("between 60 and 80 people", "between 60 and 80", 60, 80, "exact"),
    R("between 2 and 3 million", "between 2 and 3 million", 2000000, 3000000, "exact"),
    R("30 to 40", "30 to 40", 30, 40, "exact"),
    R("30-40", "30-40", 30, 40, "exact"),
    R("30" EN_DASH "40", "30" EN_DASH "40", 30, 40, "exact"),
    R("two or three", "two or three", 2, 3, "exact"),
    R("two to three thousand", "two to three thousand", 2000, 3000, "exact"),
    R("5 to 10 million", "5 to 10 million", 5000000, 10000000, "exact"),
    R("up to 30-40", "up to 30-40", 30, 40, "up_to"),
    R("aged between 17 and 58", "between 17 and 58", 17, 58, "exact"),
    {NULL, "from 35 to 45", "35 to 45", 35, 45, "exact", NULL, LEDE_NUM_RANGE | LEDE_NUM_FROM, 0},
    {NULL, "1990-1995", "1990-1995", 1990, 1995, "exact", NULL, LEDE_NUM_RANGE | LEDE_NUM_YEAR, 0},
    P("212 votes to 87", "212", 212),
    P("38 votes to 21", "38", 38),
    P("12 and 30", "12", 12),
    P("12 or more", "12", 12),
    P("40 to 30", "40", 40),
    P("between 500 and", "500", 500),
    /* vague quantities */
    V("Dozens of citizens", "Dozens", "dozens", 24, 99),
    V("dozens of people were missing", "dozens", "dozens", 24, 99),
    V("hundreds still unaccounted for", "hundreds", "hundreds", 200, 999),
    V("Hundreds of people", "Hundreds", "hundreds", 200, 999),
    V("thousands flee", "thousands", "thousands", 2000, 9999),
    V("millions have been displaced", "millions", "millions", 2000000, 999999999),
    V("tens of thousands of people", "tens of thousands", "tens of thousands", 20000, 99999),
    V("Tens of Thousands", "Tens of Thousands", "tens of thousands", 20000, 99999),
    V("hundreds of thousands", "hundreds of thousands", "hundreds of thousands", 200000, 999999),
    V("tens of millions", "tens of millions", "tens of millions", 20000000, 99999999),
    V("scores of people", "scores", "scores", 40, 199),
    V("several hundred", "several hundred", "several hundred", 300, 900),
    V("several thousand", "several thousand", "several thousand", 3000, 9000),
    V("a few hundred", "a few hundred", "a few hundred", 200, 500),
    V("a few dozen", "a few dozen", "a few dozen", 24, 60),
    V("billions", "billions", "billions", 2000000000LL, 999999999999LL),
    V("many thousands", "thousands", "thousands", 2000, 9999),
    V("some dozens", "dozens", "dozens", 24, 99),
    V("thousands of", "thousands", "thousands", 2000, 9999),
    /* other languages */
    L("es", "70.000 personas", "70.000", 70000, "exact"),
    L("es", "70.001 personas", "70.001", 70001, "exact"),
    L("es", "1.234.567", "1.234.567", 1234567, "exact"),
    L("es", "1,5 millones", "1,5 millones", 1500000, "exact"),
    L("es", "70 mil", "70 mil", 70000, "exact"),
    L("es", "más de 300 muertos", "más de 300", 300, "more_than"),
    L("es", "al menos 45", "al menos 45", 45, "at_least"),
    L("es", "unos 200", "unos 200", 200, "about"),
    L("es", "casi 1.000", "casi 1.000", 1000, "nearly"),
    L("es", "hasta 100.000", "hasta 100.000", 100000, "up_to"),
    L("es", "2 mil millones", "2 mil millones", 2000000000LL, "exact"),
    L("fr", "70 000 réfugiés", "70 000", 70000, "exact"),
    L("fr", "1,2 million", "1,2 million", 1200000, "exact"),
    L("fr", "plus de 2 000", "plus de 2 000", 2000, "more_than"),
    L("fr", "au moins 300", "au moins 300", 300, "at_least"),
    L("fr", "environ 40", "environ 40", 40, "about"),
    L("fr", "près de 500", "près de 500", 500, "nearly"),
    L("fr", "jusqu'à 15", "jusqu'à 15", 15, "up_to"),
    L("fr", "2 milliards", "2 milliards", 2000000000LL, "exact"),
    L("de", "1.350 Tote", "1.350", 1350, "exact"),
    L("de", "mehr als 400", "mehr als 400", 400, "more_than"),
    L("de", "mindestens 12", "mindestens 12", 12, "at_least"),
    L("de", "über 70.000", "über 70.000", 70000, "over"),
    L("de", "Über 70.000", "Über 70.000", 70000, "over"),
    L("de", "rund 5 Millionen", "rund 5 Millionen", 5000000, "about"),
    L("de", "bis zu 20", "bis zu 20", 20, "up_to"),
    L("it", "1,5 milioni", "1,5 milioni", 1500000, "exact"),
    L("pt", "2 milhões", "2 milhões", 2000000, "exact"),
    L("pt", "mais de 40", "mais de 40", 40, "more_than"),
    {"es", "decenas de desaparecidos", "decenas", 20, 99, "vague", "decenas", LEDE_NUM_VAGUE, 0},
    {"es", "decenas de miles de personas", "decenas de miles", 20000, 99999, "vague", "decenas de miles",
     LEDE_NUM_VAGUE, 0},
    {"es", "miles de personas", "miles", 2000, 9999, "vague", "miles", LEDE_NUM_VAGUE, 0},
    {"es", "millones de personas", "millones", 2000000, 999999999, "vague", "millones", LEDE_NUM_VAGUE, 0},
    {"fr", "des milliers de réfugiés", "milliers", 2000, 9999, "vague", "milliers", LEDE_NUM_VAGUE, 0},
    {"fr", "des dizaines de milliers", "dizaines de milliers", 20000, 99999, "vague", "dizaines de milliers",
     LEDE_NUM_VAGUE, 0},
    {"de", "Tausende Menschen", "Tausende", 2000, 9999, "vague", "tausende", LEDE_NUM_VAGUE, 0},
    {"de", "Zehntausende", "Zehntausende", 20000, 99999, "vague", "zehntausende", LEDE_NUM_VAGUE, 0},
    {"de", "zwischen 10 und 20", "zwischen 10 und 20", 10, 20, "exact", NULL, LEDE_NUM_RANGE, 0},
    {"es", "entre 250 y 300", "entre 250 y 300", 250, 300, "exact", NULL, LEDE_NUM_RANGE, 0},
    /* English words are not read as other languages' and the reverse */
    P("forty miles away", "forty", 40),
    N("mil"),
    N("Millionen"),
    {"es", "8,5%", "8,5", 8, 8, "exact", NULL, LEDE_NUM_PERCENT | LEDE_NUM_DECIMAL, 0},
    {"de", "3,5 Prozent", "3,5", 3, 3, "exact", NULL, LEDE_NUM_PERCENT | LEDE_NUM_DECIMAL, 0},
    {"de", "3.5 Prozent", "3.5", 3, 3, "exact", NULL, LEDE_NUM_PERCENT | LEDE_NUM_DECIMAL, 0},
    /* odd input never crashes */
    P("99999999999999999999999", "99999999999999999999999", INT64_MAX),
    N("\xFF\xFE"),
    N("\xE2\x80"),
    P("\xC3" "5", "5", 5),
    N("-"),
    N(","),
};

/* A scanner prepared once finds what lede_num_scan finds. */
static void same_as_prepared(const char *text, size_t len, const lede_num_opts *opts, const lede_quantity *q,
                             size_t n)
{
    lede_num_scanner *sc;
    lede_quantity *q2;
    size_t n2;
    CHECK_INT(lede_num_scanner_new(&sc, opts), LEDE_OK);
    CHECK_INT(lede_num_scanner_scan(&q2, &n2, sc, text, len), LEDE_OK);
    for (size_t i = 0; CHECK_INT(n2, n) && i < n; i++)
        CHECK(q[i].start == q2[i].start && q[i].end == q2[i].end && q[i].value == q2[i].value &&
              q[i].low == q2[i].low && q[i].high == q2[i].high && q[i].flags == q2[i].flags &&
              q[i].qualifier == q2[i].qualifier && q[i].vague == q2[i].vague);
    free(q2);
    lede_num_scanner_free(sc);
}

static void check_case(const pcase *c, size_t index)
{
    lede_num_opts opts = LEDE_NUM_OPTS_INIT;
    opts.language = c->lang;
    lede_quantity *q = NULL;
    size_t n = 0;
    size_t len = strlen(c->text);
    int rc = lede_num_scan(&q, &n, c->text, len, &opts);
    CHECK_INT(rc, LEDE_OK);
    same_as_prepared(c->text, len, &opts, q, n);
    if (!c->span) {
        if (!CHECK(n == 0))
            fprintf(stderr, "  case %zu \"%s\": found \"%.*s\"\n", index, c->text, (int)(q[0].end - q[0].start),
                    c->text + q[0].start);
        free(q);
        return;
    }
    if (!CHECK(n >= 1)) {
        fprintf(stderr, "  case %zu \"%s\": nothing found\n", index, c->text);
        return;
    }
    int ok = 1;
    char got[256];
    snprintf(got, sizeof got, "%.*s", (int)(q[0].end - q[0].start), c->text + q[0].start);
    ok &= CHECK_STR(got, c->span);
    if (c->high == INT64_MAX) {
        ok &= CHECK(q[0].flags & LEDE_NUM_HUGE);
    } else if (c->low == c->high && !(c->set & LEDE_NUM_VAGUE)) {
        ok &= CHECK_INT(q[0].value, c->low);
    } else {
        ok &= CHECK_INT(q[0].low, c->low);
        ok &= CHECK_INT(q[0].high, c->high);
    }
    if (c->qual)
        ok &= CHECK_STR(lede_num_qualifier_name(q[0].qualifier), c->qual);
    if (c->vague)
        ok &= CHECK_STR(lede_num_vague_name(q[0].vague), c->vague);
    ok &= CHECK_INT(q[0].flags & c->set, c->set);
    ok &= CHECK_INT(q[0].flags & c->clear, 0);
    if (!ok)
        fprintf(stderr, "  case %zu \"%s\" (flags %#x)\n", index, c->text, q[0].flags);
    free(q);
}

/* Whole sentences: every quantity, in order. */
static void check_scan(const char *lang, const char *text, const char *const *want)
{
    lede_num_opts opts = LEDE_NUM_OPTS_INIT;
    opts.language = lang;
    lede_quantity *q;
    size_t n, k = 0;
    CHECK_INT(lede_num_scan(&q, &n, text, strlen(text), &opts), LEDE_OK);
    while (want[k])
        k++;
    if (!CHECK_INT(n, k))
        fprintf(stderr, "  in \"%s\"\n", text);
    for (size_t i = 0; i < n && i < k; i++) {
        char got[256];
        snprintf(got, sizeof got, "%.*s", (int)(q[i].end - q[i].start), text + q[i].start);
        CHECK_STR(got, want[i]);
    }
    free(q);
}

static void check_scans(void)
{
    static const char *const s1[] = {"12", "30", "three", NULL};
    check_scan(NULL, "Shells killed 12 people and wounded 30; among the dead were three children.", s1);
    static const char *const s2[] = {"More than 400,000", "millions", "2011", NULL};
    check_scan(NULL, "More than 400,000 people have been killed and millions have been displaced since the war "
                     "began in March 2011.",
               s2);
    static const char *const s3[] = {"4", "11", NULL};
    check_scan(NULL, "4 killed, 11 injured, according to local officials.", s3);
    static const char *const s4[] = {"some 70" NBSP "000", NULL};
    check_scan(NULL, "including some 70" NBSP "000 who have crossed", s4);
    static const char *const s5[] = {"38", "21", "4.9", "12.6 million", NULL};
    check_scan(NULL, "approved by 38 votes to 21, raising tax by 4.9% and cutting \xC2\xA3" "12.6 million", s5);
    static const char *const s6[] = {"between 250 and 300", "at least 90", NULL};
    check_scan(NULL, "has detained between 250 and 300 of its supporters, and at least 90 civilians remain missing",
               s6);
    static const char *const s7[] = {"1,5 millones", "3.000", NULL};
    check_scan("es", "1,5 millones de desplazados y 3.000 muertos", s7);
    static const char *const s8[] = {"one", "two", NULL};
    check_scan(NULL, "one of the two", s8);
    static const char *const s9[] = {NULL};
    check_scan(NULL, "Someone often attends the tenth anniversary of nothing.", s9);
}

static void check_parse(void)
{
    lede_quantity q;
    const char *s = "  at least 84 people dead";
    size_t used = lede_num_parse(&q, s, strlen(s), NULL);
    CHECK_INT(used, strlen("  at least 84"));
    CHECK_INT(q.value, 84);
    CHECK_INT(q.qualifier, LEDE_QUAL_AT_LEAST);
    CHECK_INT(lede_num_parse(&q, "people 84", 9, NULL), 0);
    CHECK_INT(lede_num_parse(&q, "", 0, NULL), 0);
    s = "1.234,5";
    lede_num_opts eu = {1, NULL};
    CHECK_INT(lede_num_parse(&q, s, strlen(s), &eu), strlen(s));
    CHECK_INT(q.value, 1234);
    CHECK(q.real > 1234.49 && q.real < 1234.51);
    lede_num_opts en = {0, "de"}; /* the option wins over the language */
    CHECK_INT(lede_num_parse(&q, "1.355", 5, &en), 5);
    CHECK_INT(q.value, 1);
    CHECK_STR(lede_num_qualifier_name(LEDE_QUAL_MORE_THAN), "more_than");
    CHECK(lede_num_qualifier_name(LEDE_QUAL_COUNT) == NULL);
    CHECK(lede_num_vague_name(0) == NULL);
    int64_t lo, hi;
    CHECK(lede_num_vague_range(1, &lo, &hi) && lo == 24 && hi == 99);
    CHECK(!lede_num_vague_range(0, &lo, &hi));
    CHECK(lede_num_decimal_comma("es") && lede_num_decimal_comma("de-AT") && !lede_num_decimal_comma("en") &&
          !lede_num_decimal_comma(NULL) && !lede_num_decimal_comma("eng"));
}

/* Tokens around quantities: words, one token per quantity, punctuation. */
static void check_tokens(void)
{
    const char *text = "Shells killed \xE2\x80\x9Cmore than 1,200\xE2\x80\x9D in Karsk\xE2\x80\x99s old town, 3 km away.";
    size_t len = strlen(text), nq, nt;
    lede_quantity *q;
    lede_num_token *t;
    CHECK_INT(lede_num_scan(&q, &nq, text, len, NULL), LEDE_OK);
    CHECK_INT(lede_num_tokens(&t, &nt, text, len, q, nq), LEDE_OK);
    static const char *const want[] = {"Shells", "killed", "\xE2\x80\x9C", "more than 1,200", "\xE2\x80\x9D", "in",
                                       "Karsk", "old", "town", ",", "3", "km", "away", "."};
    static const int kinds[] = {LEDE_NUM_TOK_WORD, LEDE_NUM_TOK_WORD, LEDE_NUM_TOK_PUNCT, LEDE_NUM_TOK_QUANTITY,
                                LEDE_NUM_TOK_PUNCT, LEDE_NUM_TOK_WORD, LEDE_NUM_TOK_WORD, LEDE_NUM_TOK_WORD,
                                LEDE_NUM_TOK_WORD, LEDE_NUM_TOK_PUNCT, LEDE_NUM_TOK_QUANTITY, LEDE_NUM_TOK_WORD,
                                LEDE_NUM_TOK_WORD, LEDE_NUM_TOK_PUNCT};
    size_t n_want = sizeof want / sizeof *want;
    if (CHECK_INT(nt, n_want)) {
        for (size_t i = 0; i < nt; i++) {
            char got[64];
            snprintf(got, sizeof got, "%.*s", (int)(t[i].end - t[i].start), text + t[i].start);
            CHECK_STR(got, want[i]);
            CHECK_INT(t[i].kind, kinds[i]);
        }
        CHECK(t[0].flags & LEDE_NUM_TOKF_CAPITALISED);
        CHECK(!(t[1].flags & LEDE_NUM_TOKF_CAPITALISED));
        CHECK(t[6].flags & LEDE_NUM_TOKF_POSSESSIVE);
        CHECK_INT(t[3].quantity, 0);
        CHECK_INT(t[10].quantity, 1);
    }
    char buf[16];
    CHECK_INT(lede_num_fold(buf, sizeof buf, "\xC3\x9C" "BER", 0, 5), 5);
    CHECK_STR(buf, "\xC3\xBC" "ber");
    CHECK_INT(lede_num_fold(buf, 4, "abcdef", 0, 6), 0);
    free(q);
    free(t);
    CHECK_INT(lede_num_tokens(&t, &nt, "", 0, NULL, 0), LEDE_OK);
    CHECK(t == NULL && nt == 0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: other processes do not count */
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The issue asks for at most 5 microseconds per number. */
static void check_speed(void)
{
    static const char *const samples[] = {"more than 400,000", "between 250,000 and 300,000",
                                          "two hundred thousand", "about 1.2 million", "70" NBSP "000",
                                          "tens of thousands", "Twenty-one", "12"};
    const size_t n_samples = sizeof samples / sizeof *samples, rounds = 200000;
    size_t lens[8], sink = 0;
    for (size_t i = 0; i < n_samples; i++)
        lens[i] = strlen(samples[i]);
    double t0 = now_s();
    for (size_t r = 0; r < rounds; r++) {
        lede_quantity q;
        sink += lede_num_parse(&q, samples[r % n_samples], lens[r % n_samples], NULL);
    }
    double per = (now_s() - t0) / (double)rounds * 1e9;
    printf("numparse: %.0f ns per number (%zu parses, checksum %zu)\n", per, rounds, sink);
#ifndef LEDE_TEST_SANITIZED /* ASan+UBSan at -O0 run it ~7x slower */
    const char *preload = getenv("LD_PRELOAD");
    if (!(preload && strstr(preload, "vgpreload"))) /* valgrind runs everything ~50x slower */
        CHECK(per <= 5000.0);
#endif
}

int main(void)
{
    size_t n = sizeof cases / sizeof *cases;
    for (size_t i = 0; i < n; i++)
        check_case(&cases[i], i);
    printf("numparse: %zu table cases\n", n);
    check_scans();
    check_parse();
    check_tokens();
    check_speed();
    return check_report("test_numparse");
}
