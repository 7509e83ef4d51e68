/* The line scanner of lines.h: keys, word sets and their phrase search,
 * and the features of each line, on hand-written cases and on inputs that
 * are not UTF-8. */
#include "check.h"
#include "lede.h"
#include "lines.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void key_is(const char *in, const char *want)
{
    char out[256];
    size_t n = lede_line_key(out, sizeof out, in, strlen(in));
    CHECK_STR(out, want);
    CHECK_INT(n, strlen(want));
}

static void test_keys(void)
{
    key_is("Comments (12)", "comments 0");
    key_is("  Publié le 3 mai 2024 à 09h15 ", "publie le 0 mai 0 a 0h0");
    key_is("Straße · ÉTÉ — “quoted”", "strasse ete quoted");
    key_is("it's 25th", "it s 0th");
    key_is("ﬁre", "fire"); /* compatibility ligature */
    key_is("", "");
    key_is("|||", "");
    key_is("a\xFF" "b", "a b"); /* a byte that is no UTF-8 separates words */
    char small[6];
    CHECK_INT(lede_line_key(small, sizeof small, "abc déf", 8), 5);
    CHECK_STR(small, "abc d");
    char tiny[4];
    lede_line_key(tiny, sizeof tiny, "жжж", 6); /* never ends inside a character */
    CHECK_STR(tiny, "ж");
}

static void test_wordsets(void)
{
    lede_wordset *ws;
    CHECK_INT(lede_wordset_new(&ws), LEDE_OK);
    static const char *const entries[] = {"the", "of", "Share this", "share this article", "We use cookies",
                                          "Ça"};
    for (size_t i = 0; i < sizeof entries / sizeof *entries; i++)
        CHECK_INT(lede_wordset_add(ws, entries[i], strlen(entries[i]), (uint32_t)i + 1), LEDE_OK);
    CHECK_INT(lede_wordset_add(ws, "THE", 3, 99), LEDE_OK); /* the first value stays */
    CHECK_INT(lede_wordset_add(ws, " - ", 3, 7), LEDE_OK);  /* an empty key is ignored */
    CHECK_INT(lede_wordset_size(ws), 6);
    uint32_t v = 0;
    CHECK(lede_wordset_get(ws, "the", 3, &v));
    CHECK_INT(v, 1);
    CHECK(lede_wordset_get(ws, "ca", 2, &v));
    CHECK_INT(v, 6);
    CHECK(!lede_wordset_get(ws, "then", 4, NULL));
    CHECK(!lede_wordset_get(ws, "", 0, NULL));

    size_t at, n;
    const char *k = "please share this article now";
    CHECK(lede_wordset_find(ws, k, strlen(k), 0, &at, &n, &v)); /* leftmost, then longest */
    CHECK_INT(at, 7);
    CHECK_INT(n, 18);
    CHECK_INT(v, 4);
    CHECK(!lede_wordset_find(ws, k, strlen(k), 1, &at, &n, &v)); /* anchored: only at the start */
    k = "share this story";
    CHECK(lede_wordset_find(ws, k, strlen(k), 1, &at, &n, &v));
    CHECK_INT(n, 10);
    CHECK_INT(v, 3);
    k = "theory of cookies"; /* words, not parts of words */
    CHECK(lede_wordset_find(ws, k, strlen(k), 0, &at, &n, &v));
    CHECK_INT(at, 7);
    k = "we use";
    CHECK(!lede_wordset_find(ws, k, strlen(k), 0, &at, &n, &v));

    /* several sets at once agree with one at a time */
    lede_wordset *other;
    CHECK_INT(lede_wordset_new(&other), LEDE_OK);
    CHECK_INT(lede_wordset_add(other, "cookies", 7, 5), LEDE_OK);
    const lede_wordset *sets[] = {ws, other, ws};
    int anchored[] = {0, 0, 1}, found[3];
    uint32_t values[3];
    size_t ats[3], ns[3];
    k = "we use cookies";
    lede_wordsets_find(sets, anchored, 3, k, strlen(k), found, values, ats, ns);
    CHECK(found[0] && values[0] == 5 && ats[0] == 0 && ns[0] == 14);
    CHECK(found[1] && values[1] == 5 && ats[1] == 7);
    CHECK(found[2] && values[2] == 5);
    lede_wordset_free(other);

    /* a large set grows */
    char word[4] = "w";
    for (int i = 0; i < 26 * 26; i++) { /* "waa" .. "wzz" */
        word[1] = (char)('a' + i / 26);
        word[2] = (char)('a' + i % 26);
        CHECK_INT(lede_wordset_add(ws, word, 3, 0), LEDE_OK);
    }
    CHECK_INT(lede_wordset_size(ws), 6 + 26 * 26);
    CHECK(lede_wordset_get(ws, "wzz", 3, NULL));
    CHECK(lede_wordset_get(ws, "of", 2, NULL));
    lede_wordset_free(ws);
    lede_wordset_free(NULL);
}

static void test_scan(void)
{
    lede_wordset *stop;
    CHECK_INT(lede_wordset_new(&stop), LEDE_OK);
    static const char *const words[] = {"the", "of", "a", "in", "et", "le"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        lede_wordset_add(stop, words[i], strlen(words[i]), 0);
    const char *text = "  Home | World | Sport  \n"
                       "\n"
                       "The Mayor of Holm said 25 boats sank in the storm.\n"
                       "\t\r\n"
                       "“He left,” she said. «\xC2\xA0Oui\xC2\xA0»\n"
                       "Le chat et l’Été © 2024\n"
                       "News / World > Europe\n"
                       "no newline at the end";
    lede_line *v;
    size_t n;
    CHECK_INT(lede_lines_scan(&v, &n, text, strlen(text), stop), LEDE_OK);
    CHECK_INT(n, 6);
    if (n == 6) {
        CHECK_INT(v[0].start, 2);
        CHECK_INT(v[0].end, 22);
        CHECK_INT(v[0].gap, 1);
        CHECK_INT(v[0].words, 3);
        CHECK_INT(v[0].capitalised, 3);
        CHECK_INT(v[0].separators, 2);
        CHECK_INT(v[0].ends_sentence, 0);

        CHECK_INT(v[1].gap, 1);
        CHECK_INT(v[1].words, 11);
        CHECK_INT(v[1].capitalised, 3);
        CHECK_INT(v[1].numbers, 1);
        CHECK_INT(v[1].stopwords, 4); /* The, of, in, the */
        CHECK_INT(v[1].ends_sentence, 1);

        CHECK_INT(v[2].gap, 1); /* the line of white space counts as blank */
        CHECK_INT(v[2].ends_sentence, 0); /* ends with », after a word: no sentence end */
        CHECK_INT(v[2].separators, 1);    /* » */

        CHECK_INT(v[3].gap, 0);
        CHECK_INT(v[3].stopwords, 2); /* Le, et (the apostrophe splits l’Été into l, ete) */
        CHECK_INT(v[3].symbols, 1);   /* © */
        CHECK_INT(v[3].numbers, 1);

        CHECK_INT(v[4].separators, 2); /* spaced / and > */
        CHECK_INT(v[5].end, strlen(text));
        CHECK(v[1].hash != v[2].hash);
    }
    free(v);

    /* closing quotes and dashes after the final stop */
    static const struct {
        const char *line;
        int ends;
    } ends[] = {{"He left.", 1},        {"He left.\xE2\x80\x9D", 1}, {"He left.\") ", 1},
                {"Wait\xE2\x80\xA6", 1}, {"Done. \xE2\x80\x93", 1},   {"Rappler.com", 0},
                {"What now?", 1},        {"No end", 0},               {".", 1}};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        CHECK_INT(lede_lines_scan(&v, &n, ends[i].line, strlen(ends[i].line), NULL), LEDE_OK);
        CHECK_INT(n, 1);
        if (n == 1 && !check_int(v[0].ends_sentence, ends[i].ends, ends[i].line, __FILE__, __LINE__))
            fprintf(stderr, "  (line \"%s\")\n", ends[i].line);
        free(v);
    }

    /* empty, blank-only and invalid input */
    CHECK_INT(lede_lines_scan(&v, &n, "", 0, stop), LEDE_OK);
    CHECK_INT(n, 0);
    CHECK(v == NULL);
    CHECK_INT(lede_lines_scan(&v, &n, " \n\t\n", 4, stop), LEDE_OK);
    CHECK_INT(n, 0);
    const char bad[] = "\xFF\xFE the \xC3 of\x80";
    CHECK_INT(lede_lines_scan(&v, &n, bad, sizeof bad - 1, stop), LEDE_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(v[0].words, 2);
        CHECK_INT(v[0].stopwords, 2);
    }
    free(v);
    lede_wordset_free(stop);
}

int main(void)
{
    test_keys();
    test_wordsets();
    test_scan();
    return check_report("test_lines");
}
