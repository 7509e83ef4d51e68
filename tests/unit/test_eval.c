/* Tests of the scorer behind `lede eval`: every rule of the gold README with
 * tiny hand-made gold files and predictions, then the run over a database. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "engine.h"
#include "eval.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NSPANS 16

/* One article under test: its text and predicted spans per layer. */
typedef struct fixture {
    const char *text;
    lede_eval_span spans[LEDE_EVAL_NLAYERS][NSPANS];
    size_t n[LEDE_EVAL_NLAYERS];
} fixture;

static void fx_init(fixture *fx, const char *text)
{
    memset(fx, 0, sizeof *fx);
    fx->text = text;
}

/* Adds a span of `layer` over the nth (0-based) occurrence of `needle`. */
static void fx_span(fixture *fx, int layer, const char *needle, int nth, const char *attrs)
{
    const char *p = fx->text;
    for (int i = 0; p && i <= nth; i++) {
        p = strstr(i ? p + 1 : p, needle);
    }
    if (!CHECK(p != NULL) || !CHECK(fx->n[layer] < NSPANS))
        return;
    lede_eval_span *s = &fx->spans[layer][fx->n[layer]++];
    s->start = p - fx->text;
    s->end = s->start + (int64_t)strlen(needle);
    s->attrs = attrs;
}

static lede_gold *gold_of(const char *json)
{
    char err[256];
    lede_gold *g = NULL;
    int rc = lede_gold_parse(&g, err, sizeof err, json, strlen(json), "test.json");
    if (rc != LEDE_OK)
        fprintf(stderr, "gold: %s\n", err);
    CHECK_INT(rc, LEDE_OK);
    return g;
}

static lede_eval_counts score(const char *gold_json, const fixture *fx, unsigned layers)
{
    lede_eval_counts c;
    memset(&c, 0, sizeof c);
    lede_gold *g = gold_of(gold_json);
    if (!g)
        return c;
    lede_eval_input in;
    memset(&in, 0, sizeof in);
    in.text = fx->text;
    in.len = strlen(fx->text);
    for (int l = 0; l < LEDE_EVAL_NLAYERS; l++)
        in.spans[l] = fx->spans[l], in.n_spans[l] = fx->n[l];
    CHECK_INT(lede_eval_score(&c, g, &in, layers), LEDE_OK);
    lede_gold_free(g);
    return c;
}

#define BP (1u << LEDE_EVAL_BOILERPLATE)
#define CAP (1u << LEDE_EVAL_CAPTION)
#define QUOTE (1u << LEDE_EVAL_QUOTE)
#define FIG (1u << LEDE_EVAL_FIGURE)
#define META (1u << LEDE_EVAL_META)

static int near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/* ---- boilerplate and captions --------------------------------------------- */

static const char half_text[] = "Menu\nThe council met on Tuesday to vote.\n  Share this \r\n";
static const char half_gold[] = "{\"file\":\"a.txt\",\"boilerplate_lines\":[\"Menu\",\"Share this\"]}";

static void test_half_coverage(void)
{
    fixture fx;
    fx_init(&fx, half_text);
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "Me", 0, NULL);     /* 2 of 4 bytes: half is enough */
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "e this", 0, NULL); /* 5 of 9 non-space bytes */
    lede_eval_counts c = score(half_gold, &fx, BP);
    CHECK_INT(c.boilerplate.articles, 1);
    CHECK_INT(c.boilerplate.lines, 3);
    CHECK_INT(c.boilerplate.tp, 2);
    CHECK_INT(c.boilerplate.fp, 0);
    CHECK_INT(c.boilerplate.fn, 0);
    CHECK_INT(c.boilerplate.content, 1);

    fx_init(&fx, half_text);
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "M", 0, NULL);     /* 1 of 4 */
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "re th", 0, NULL); /* 5 bytes, but 4 of 9 non-space */
    c = score(half_gold, &fx, BP);
    CHECK_INT(c.boilerplate.tp, 0);
    CHECK_INT(c.boilerplate.fn, 2);
    CHECK_INT(c.boilerplate.predicted, 0);

    /* Overlapping spans count each byte once: "Sh" + "S" + "is" is 4 of 9. */
    fx_init(&fx, half_text);
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "Sh", 0, NULL);
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "S", 0, NULL);
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "is", 0, NULL);
    c = score(half_gold, &fx, BP);
    CHECK_INT(c.boilerplate.tp, 0);

    /* One byte more makes half; a content line marked is a FP. */
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "a", 1, NULL); /* the "a" of "Share" */
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "The council met on Tuesday", 0, NULL);
    c = score(half_gold, &fx, BP);
    CHECK_INT(c.boilerplate.tp, 1);
    CHECK_INT(c.boilerplate.fp, 1);
    CHECK_INT(c.boilerplate.fn, 1);
    CHECK_INT(c.boilerplate.content, 1);
    lede_eval_prf prf = { c.boilerplate.tp, c.boilerplate.fp, c.boilerplate.fn };
    CHECK(near(lede_eval_f1(&prf), 0.5));
}

static void test_repeated_lines(void)
{
    static const char text[] =
        "Read more\nThe first paragraph.\nRead more\nThe second paragraph.\nRead more\n";
    static const char gold[] = "{\"file\":\"a.txt\",\"boilerplate_lines\":[\"Read more\",\"Read more\"]}";
    fixture fx;
    fx_init(&fx, text);
    for (int i = 0; i < 3; i++)
        fx_span(&fx, LEDE_EVAL_BOILERPLATE, "Read more", i, NULL);
    lede_eval_counts c = score(gold, &fx, BP);
    CHECK_INT(c.boilerplate.tp, 2);
    CHECK_INT(c.boilerplate.fp, 1);
    CHECK_INT(c.boilerplate.fn, 0);
    CHECK_INT(c.boilerplate.content, 3);

    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "Read more", 2, NULL);
    c = score(gold, &fx, BP);
    CHECK_INT(c.boilerplate.tp, 1);
    CHECK_INT(c.boilerplate.fp, 0);
    CHECK_INT(c.boilerplate.fn, 1);
}

static void test_captions(void)
{
    static const char text[] =
        "Harbour plan\nA crane at dawn. (Photo: Staff)\nWork starts in May.\nAdvertisement\n";
    static const char gold[] = "{\"file\":\"a.txt\",\"boilerplate_lines\":[\"Advertisement\"],"
                               "\"caption_lines\":[\"A crane at dawn. (Photo: Staff)\"]}";
    fixture fx;
    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "Advertisement", 0, NULL);
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "A crane at dawn. (Photo: Staff)", 0, NULL);
    fx_span(&fx, LEDE_EVAL_CAPTION, "A crane at dawn. (Photo: Staff)", 0, NULL);
    fx_span(&fx, LEDE_EVAL_CAPTION, "Harbour plan", 0, NULL);
    fx_span(&fx, LEDE_EVAL_CAPTION, "Advertisement", 0, NULL);
    lede_eval_counts c = score(gold, &fx, BP | CAP);
    /* A caption marked boilerplate is neutral. */
    CHECK_INT(c.boilerplate.tp, 1);
    CHECK_INT(c.boilerplate.fp, 0);
    CHECK_INT(c.boilerplate.content, 2);
    /* Likewise a boilerplate line marked caption; a headline is a FP. */
    CHECK_INT(c.caption.tp, 1);
    CHECK_INT(c.caption.fp, 1);
    CHECK_INT(c.caption.fn, 0);
    CHECK_INT(c.caption.articles, 1);

    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_BOILERPLATE, "Work starts in May.", 0, NULL);
    c = score(gold, &fx, BP | CAP);
    CHECK_INT(c.boilerplate.fp, 1);
    CHECK_INT(c.boilerplate.fn, 1);
    CHECK_INT(c.caption.tp, 0);
    CHECK_INT(c.caption.fn, 1);

    /* Only the requested layers are scored. */
    c = score(gold, &fx, CAP);
    CHECK_INT(c.boilerplate.articles, 0);
    CHECK_INT(c.caption.articles, 1);
}

static void test_gold_lines_absent(void)
{
    fixture fx;
    fx_init(&fx, "One line only.\n");
    lede_eval_counts c = score("{\"file\":\"a.txt\",\"boilerplate_lines\":[\"  Not here \"]}", &fx, BP);
    CHECK_INT(c.boilerplate.fn, 1);
    CHECK_INT(c.boilerplate.gold_absent, 1);
    CHECK_INT(c.boilerplate.content, 1);
}

/* ---- quotes ------------------------------------------------------------------ */

/* Scores one marked gold quote against one prediction covering `pred`. */
static lede_eval_counts quote_pair(const char *gold_text, const char *text, const char *pred)
{
    char gold[512];
    snprintf(
        gold, sizeof gold,
        "{\"file\":\"a.txt\",\"quotes\":[{\"text\":\"%s\",\"speaker\":\"Ana Ruiz\",\"kind\":\"direct\"}]}",
        gold_text);
    fixture fx;
    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_QUOTE, pred, 0, "{\"kind\":\"direct\",\"speaker\":\"Ruiz\"}");
    return score(gold, &fx, QUOTE);
}

static void test_quote_thresholds(void)
{
    static const char g10[] = "one two three four five six seven eight nine ten";
    static const char text[] = "A: one two three four five six seven eight q1 q2 q3 q4 q5 q6 q7 q8.\n"
                               "B: one two three four five six seven eight q1 q2 q3 q4 q5 q6 q7 q8 q9.\n"
                               "C: One, two, THREE four five six seven, q1 q2 q3.\n"
                               "D: \xe2\x80\x9c"
                               "One two thr\xc3\xa9"
                               "e four five six seven eight nine ten\xe2\x80\x9d\n";
    /* 8 of G's 10 words (80%), 8 of P's 16 (50%): a match. */
    lede_eval_counts c =
        quote_pair(g10, text, "one two three four five six seven eight q1 q2 q3 q4 q5 q6 q7 q8.");
    CHECK_INT(c.quote.marked.tp, 1);
    CHECK_INT(c.quote.marked.fp, 0);
    CHECK_INT(c.quote.marked.fn, 0);
    /* 8 of P's 17 words: below half. */
    c = quote_pair(g10, text, "one two three four five six seven eight q1 q2 q3 q4 q5 q6 q7 q8 q9");
    CHECK_INT(c.quote.marked.tp, 0);
    CHECK_INT(c.quote.marked.fp, 1);
    CHECK_INT(c.quote.marked.fn, 1);
    /* 7 of G's 10: below 80%. */
    c = quote_pair(g10, text, "One, two, THREE four five six seven, q1 q2 q3.");
    CHECK_INT(c.quote.marked.tp, 0);
    CHECK_INT(c.quote.marked.fn, 1);
    /* Case, accents and quote marks do not count. */
    c = quote_pair("one two three four five six seven eight nine ten", text,
                   "\xe2\x80\x9c"
                   "One two thr\xc3\xa9"
                   "e four five six seven eight nine ten\xe2\x80\x9d");
    CHECK_INT(c.quote.marked.tp, 1);
    CHECK_INT(c.quote.speaker_right, 1);
}

static void test_quote_best_first(void)
{
    /* P1 matches G1 and G2, P2 matches both too; the exact pairs are best. */
    static const char gold[] =
        "{\"file\":\"a.txt\",\"quotes\":["
        "{\"text\":\"one two three four five\",\"speaker\":\"Alice Arden\",\"kind\":\"direct\"},"
        "{\"text\":\"one two three four five six\",\"speaker\":\"Bob Brown\",\"kind\":\"direct\"}]}";
    static const char text[] =
        "\"One two three four five six,\" Bob said.\n\"One two three four five.\" Alice said.\n";
    fixture fx;
    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_QUOTE, "One two three four five six,", 0,
            "{\"kind\":\"direct\",\"speaker\":\"Brown\"}");
    fx_span(&fx, LEDE_EVAL_QUOTE, "One two three four five.", 0,
            "{\"kind\":\"direct\",\"speaker\":\"Arden\"}");
    lede_eval_counts c = score(gold, &fx, QUOTE);
    CHECK_INT(c.quote.marked.tp, 2);
    CHECK_INT(c.quote.matched, 2);
    CHECK_INT(c.quote.speaker_right, 2);
    CHECK_INT(c.quote.attributed.tp, 2);

    /* One prediction for two gold quotes: one-to-one, the rest are misses. */
    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_QUOTE, "One two three four five six,", 0,
            "{\"kind\":\"direct\",\"speaker\":\"Brown\"}");
    c = score(gold, &fx, QUOTE);
    CHECK_INT(c.quote.marked.tp, 1);
    CHECK_INT(c.quote.marked.fn, 1);
    CHECK_INT(c.quote.speaker_right, 1);
}

static const char optional_gold[] =
    "{\"file\":\"a.txt\",\"quotes\":["
    "{\"text\":\"the bridge would reopen by spring after \\\"lasting repairs\\\"\",\"speaker\":\"Ana Ruiz\","
    "\"kind\":\"indirect\"},"
    "{\"text\":\"lasting repairs\",\"speaker\":\"Ana Ruiz\",\"kind\":\"partial\"},"
    "{\"text\":\"a fresh start\",\"speaker\":\"Ana Ruiz\",\"kind\":\"partial\"}]}";
static const char optional_text[] = "Ruiz said the bridge would reopen by spring after \"lasting repairs\". "
                                    "She hoped for \"a fresh start\".\n";

static void test_optional_partial(void)
{
    fixture fx;
    fx_init(&fx, optional_text);
    fx_span(&fx, LEDE_EVAL_QUOTE, "the bridge would reopen by spring after \"lasting repairs\"", 0,
            "{\"kind\":\"indirect\",\"speaker\":\"Ruiz\"}");
    lede_eval_counts c = score(optional_gold, &fx, QUOTE);
    CHECK_INT(c.quote.indirect.tp, 1);
    CHECK_INT(c.quote.optional, 1);
    CHECK_INT(c.quote.optional_hit, 0);
    CHECK_INT(c.quote.marked.tp, 0);
    CHECK_INT(c.quote.marked.fn, 1); /* "a fresh start" only: the optional one is no miss */
    CHECK_INT(c.quote.attributed.tp, 1);
    CHECK_INT(c.quote.attributed.fn, 1);

    fx_span(&fx, LEDE_EVAL_QUOTE, "lasting repairs", 0, "{\"kind\":\"partial\",\"speaker\":\"Ruiz\"}");
    fx_span(&fx, LEDE_EVAL_QUOTE, "a fresh start", 0, "{\"kind\":\"partial\",\"speaker\":\"Ruiz\"}");
    c = score(optional_gold, &fx, QUOTE);
    CHECK_INT(c.quote.optional_hit, 1);
    CHECK_INT(c.quote.marked.tp, 2); /* matched, it counts as a hit */
    CHECK_INT(c.quote.marked.fn, 0);
    CHECK_INT(c.quote.attributed.tp, 3);
}

static void test_unattributed(void)
{
    static const char gold[] =
        "{\"file\":\"a.txt\",\"quotes\":[],\"unattributed_quotes\":[\"peace dividend\"]}";
    static const char text[] = "Talk of a \"peace dividend\" faded.\n";
    fixture fx;
    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_QUOTE, "\"peace dividend\"", 0, "{\"kind\":\"partial\",\"speaker\":\"\"}");
    lede_eval_counts c = score(gold, &fx, QUOTE);
    CHECK_INT(c.quote.neutral, 1);
    CHECK_INT(c.quote.marked.fp, 0);
    CHECK_INT(c.quote.attributed.fp, 0);

    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_QUOTE, "\"peace dividend\"", 0, "{\"kind\":\"partial\",\"speaker\":\"Smith\"}");
    c = score(gold, &fx, QUOTE);
    CHECK_INT(c.quote.neutral, 0);
    CHECK_INT(c.quote.marked.fp, 1);
    CHECK_INT(c.quote.attributed.fp, 1);
}

/* Speaker of one matched pair: right or not. */
static int speaker_ok(const char *gold_speaker, const char *pred_attrs)
{
    char gold[512];
    snprintf(gold, sizeof gold,
             "{\"file\":\"a.txt\",\"quotes\":[{\"text\":\"we stay\",\"speaker\":%s,\"kind\":\"direct\"}]}",
             gold_speaker);
    fixture fx;
    fx_init(&fx, "\"We stay,\" they said.\n");
    fx_span(&fx, LEDE_EVAL_QUOTE, "We stay,", 0, pred_attrs);
    lede_eval_counts c = score(gold, &fx, QUOTE);
    CHECK_INT(c.quote.matched, 1);
    CHECK_INT(c.quote.attributed.tp + c.quote.attributed.fn, 1);
    return (int)c.quote.speaker_right;
}

static void test_speaker(void)
{
    CHECK_INT(speaker_ok("\"John Smith\"", "{\"speaker\":\"Mr. Smith\"}"), 1);
    CHECK_INT(speaker_ok("\"John Smith\"", "{\"speaker\":\"SMITH\"}"), 1);
    CHECK_INT(speaker_ok("\"John Smith\"", "{\"speaker\":\"John\"}"), 0);
    CHECK_INT(speaker_ok("\"John Smith\"", "{\"kind\":\"direct\"}"), 0);
    CHECK_INT(speaker_ok("\"Jane Doe and Richard Roe\"", "{\"speaker\":\"Doe\"}"), 1);
    CHECK_INT(speaker_ok("\"Jane Doe and Richard Roe\"", "{\"speaker\":\"Richard Roe\"}"), 1);
    CHECK_INT(speaker_ok("\"Jane Doe and Richard Roe\"", "{\"speaker\":\"Jane\"}"), 0);
    CHECK_INT(speaker_ok("\"Jane Doe and Richard Roe\"", "{\"speaker\":\"and\"}"), 0);
    CHECK_INT(speaker_ok("null", "{\"speaker\":null}"), 1);
    CHECK_INT(speaker_ok("null", "{\"speaker\":\"Smith\"}"), 0);

    /* A wrong speaker: a hit for the quote, a FP and a miss for attribution. */
    static const char gold[] =
        "{\"file\":\"a.txt\",\"quotes\":[{\"text\":\"we stay\",\"speaker\":\"Ana Ruiz\",\"kind\":\"direct\"},"
        "{\"text\":\"they will leave soon\",\"speaker\":\"Ana Ruiz\",\"kind\":\"indirect\"}]}";
    fixture fx;
    fx_init(&fx, "\"We stay,\" Ruiz said. Lee said they will leave soon.\n");
    fx_span(&fx, LEDE_EVAL_QUOTE, "We stay,", 0, "{\"kind\":\"direct\",\"speaker\":\"Lee\"}");
    fx_span(&fx, LEDE_EVAL_QUOTE, "they will leave soon", 0, "{\"kind\":\"indirect\",\"speaker\":\"Ruiz\"}");
    lede_eval_counts c = score(gold, &fx, QUOTE);
    CHECK_INT(c.quote.marked.tp, 1);
    CHECK_INT(c.quote.indirect.tp, 1);
    CHECK_INT(c.quote.matched, 2);
    CHECK_INT(c.quote.speaker_right, 1);
    CHECK_INT(c.quote.attributed.tp, 1);
    CHECK_INT(c.quote.attributed.fp, 1);
    CHECK_INT(c.quote.attributed.fn, 1);
    CHECK(near(lede_eval_f1(&c.quote.attributed), 0.5));
}

static void test_quote_groups(void)
{
    static const char gold[] = "{\"file\":\"a.txt\",\"quotes\":[{\"text\":\"we stay\",\"speaker\":\"Ana "
                               "Ruiz\",\"kind\":\"direct\"}]}";
    fixture fx;
    fx_init(&fx, "\"We stay,\" Ruiz said.\n");
    fx_span(&fx, LEDE_EVAL_QUOTE, "We stay,", 0, "{\"kind\":\"indirect\",\"speaker\":\"Ruiz\"}");
    lede_eval_counts c = score(gold, &fx, QUOTE);
    CHECK_INT(c.quote.matched, 0);
    CHECK_INT(c.quote.marked.fn, 1);
    CHECK_INT(c.quote.indirect.fp, 1);

    /* No kind: a marked quote.  No spans at all: every gold quote missed. */
    fx_init(&fx, "\"We stay,\" Ruiz said.\n");
    fx_span(&fx, LEDE_EVAL_QUOTE, "We stay,", 0, NULL);
    c = score(gold, &fx, QUOTE);
    CHECK_INT(c.quote.marked.tp, 1);
    CHECK_INT(c.quote.speaker_right, 0);
    fx_init(&fx, "\"We stay,\" Ruiz said.\n");
    c = score(gold, &fx, QUOTE);
    CHECK_INT(c.quote.articles, 1);
    CHECK_INT(c.quote.marked.fn, 1);
    CHECK_INT(c.quote.attributed.fn, 1);
    CHECK(isnan(lede_eval_precision(&c.quote.marked)));
    CHECK(near(lede_eval_recall(&c.quote.marked), 0.0));
}

/* ---- figures ----------------------------------------------------------------- */

static void test_figures(void)
{
    static const char gold[] =
        "{\"file\":\"a.txt\",\"figures\":["
        "{\"count\":12,\"category\":\"killed\",\"qualifier\":\"exact\",\"scope\":\"incident\","
        "\"as_of\":\"2020-01-02\",\"where\":\"Golan Heights\"},"
        "{\"count\":null,\"vague\":\"dozens\",\"category\":\"wounded\",\"qualifier\":\"vague\","
        "\"scope\":\"incident\",\"where\":null},"
        "{\"low\":10,\"high\":15,\"category\":\"displaced\",\"qualifier\":\"about\",\"scope\":\"cumulative\","
        "\"where\":\"North Province\"},"
        "{\"count\":4,\"category\":\"abducted\",\"qualifier\":\"exact\"},"
        "{\"count\":4,\"category\":\"abducted\",\"qualifier\":\"exact\",\"repeat\":true}]}";
    static const char text[] = "F1 F2 F3 F4 F5 F6\n";
    fixture fx;
    fx_init(&fx, text);
    /* Added out of text order on purpose: matching follows the offsets. */
    fx_span(&fx, LEDE_EVAL_FIGURE, "F6", 0, "{\"count\":12,\"category\":\"wounded\"}");
    fx_span(&fx, LEDE_EVAL_FIGURE, "F1", 0,
            "{\"count\":12,\"category\":\"dead\",\"qualifier\":\"exact\",\"scope\":\"cumulative\","
            "\"as_of\":\"2020-01-02T08:00:00Z\",\"where\":\"the Heights\"}");
    fx_span(&fx, LEDE_EVAL_FIGURE, "F2", 0,
            "{\"count\":null,\"vague\":\"Dozen\",\"category\":\"wounded\",\"qualifier\":\"vague\","
            "\"scope\":\"incident\",\"where\":\"Paris\"}");
    fx_span(
        &fx, LEDE_EVAL_FIGURE, "F3", 0,
        "{\"low\":10,\"high\":15,\"category\":\"displaced\",\"qualifier\":\"about\",\"scope\":\"cumulative\","
        "\"where\":\"North\"}");
    fx_span(&fx, LEDE_EVAL_FIGURE, "F4", 0, "{\"count\":4.0,\"category\":\"abducted\"}");
    fx_span(&fx, LEDE_EVAL_FIGURE, "F5", 0, "{\"count\":7,\"category\":\"killed\"}");
    lede_eval_counts c = score(gold, &fx, FIG);
    CHECK_INT(c.figure.found.tp, 4);
    CHECK_INT(c.figure.found.fp, 2);
    CHECK_INT(c.figure.found.fn, 1);
    CHECK_INT(c.figure.qualifier, 3); /* F4 has none */
    CHECK_INT(c.figure.scope, 3);     /* F1 is wrong; none == none */
    CHECK_INT(c.figure.as_of, 4);
    CHECK_INT(c.figure.where_pairs, 2); /* gold without a place is ignored */
    CHECK_INT(c.figure.where, 1);

    /* One class both ways; the first prediction in text order is taken. */
    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_FIGURE, "F2", 0, "{\"count\":3,\"category\":\"killed\",\"qualifier\":\"over\"}");
    fx_span(&fx, LEDE_EVAL_FIGURE, "F1", 0, "{\"count\":3,\"category\":\"Killed\",\"qualifier\":\"exact\"}");
    c = score(
        "{\"file\":\"a.txt\",\"figures\":[{\"count\":3,\"category\":\"dead\",\"qualifier\":\"exact\"}]}", &fx,
        FIG);
    CHECK_INT(c.figure.found.tp, 1);
    CHECK_INT(c.figure.found.fp, 1);
    CHECK_INT(c.figure.qualifier, 1);

    /* The vague rule applies only when the gold has no count. */
    fx_init(&fx, text);
    fx_span(&fx, LEDE_EVAL_FIGURE, "F1", 0, "{\"vague\":\"dozens\",\"category\":\"killed\"}");
    c = score(
        "{\"file\":\"a.txt\",\"figures\":[{\"count\":30,\"vague\":\"dozens\",\"category\":\"killed\"}]}", &fx,
        FIG);
    CHECK_INT(c.figure.found.tp, 0);
    CHECK_INT(c.figure.found.fp, 1);
    CHECK_INT(c.figure.found.fn, 1);
}

/* ---- meta --------------------------------------------------------------------- */

static const char meta_gold[] =
    "{\"file\":\"a.txt\",\"meta\":{\"title\":\"U.S. talks: a 'new' start\",\"published\":null,"
    "\"event_date\":\"2019-05-29\",\"outlet\":null,\"agency\":[\"AFP\",\"Reuters\"],\"dateline\":\"MOSCOW, "
    "Russia\"}}";

static lede_eval_counts meta_score(const char *gold, const char *attrs)
{
    fixture fx;
    fx_init(&fx, "Some text.\n");
    if (attrs)
        fx_span(&fx, LEDE_EVAL_META, "Some text.", 0, attrs);
    return score(gold, &fx, META);
}

static void test_meta(void)
{
    lede_eval_counts c = meta_score(
        meta_gold, "{\"title\":\"u.s. TALKS -- a new start\",\"event_date\":\"2019-05-29T10:00:00Z\","
                   "\"agency\":[\"reuters\",\"afp\",\"AFP\"],\"dateline\":\"Moscow\"}");
    CHECK_INT(c.meta.articles, 1);
    CHECK_INT(c.meta.records, 1);
    CHECK_INT(c.meta.title, 1);
    CHECK_INT(c.meta.published, 1); /* null where the gold is null */
    CHECK_INT(c.meta.event_date, 1);
    CHECK_INT(c.meta.dateline, 1);
    CHECK_INT(c.meta.agency, 1);
    CHECK_INT(c.meta.outlet, 1);

    c = meta_score(meta_gold, "{\"title\":\"US talks a new start\",\"published\":\"2019-05-30\","
                              "\"event_date\":\"2019-05-28\",\"agency\":[\"AFP\"],\"dateline\":\"Russia\","
                              "\"outlet\":\"Daily\"}");
    CHECK_INT(c.meta.title, 0);
    CHECK_INT(c.meta.published, 0);
    CHECK_INT(c.meta.event_date, 0);
    CHECK_INT(c.meta.dateline, 0);
    CHECK_INT(c.meta.agency, 0);
    CHECK_INT(c.meta.outlet, 0);

    /* No record: every field unknown, right only where the gold is null. */
    c = meta_score(meta_gold, NULL);
    CHECK_INT(c.meta.records, 0);
    CHECK_INT(c.meta.title, 0);
    CHECK_INT(c.meta.published, 1);
    CHECK_INT(c.meta.dateline, 0);
    CHECK_INT(c.meta.agency, 0);
    CHECK_INT(c.meta.outlet, 1);

    c = meta_score("{\"file\":\"a.txt\",\"meta\":{\"title\":\"T\",\"dateline\":null,\"agency\":[]}}",
                   "{\"title\":\"t\",\"dateline\":\"\"}");
    CHECK_INT(c.meta.dateline, 1);
    CHECK_INT(c.meta.agency, 1);
    CHECK_INT(c.meta.title, 1);
}

/* ---- robustness, gold checks, JSON ----------------------------------------------- */

static void test_bad_input(void)
{
    static const char gold[] = "{\"file\":\"a.txt\",\"boilerplate_lines\":[\"x\"],\"quotes\":[{\"text\":\"a "
                               "b\",\"kind\":\"direct\"}],"
                               "\"figures\":[],\"meta\":{}}";
    fixture fx;
    fx_init(&fx, "x\n\xc3\xa9t\xc3\xa9 a b\n");
    lede_eval_span *s = fx.spans[LEDE_EVAL_QUOTE];
    s[0] = (lede_eval_span){ -5, 1000, "not json" };
    s[1] = (lede_eval_span){ 3, 6, "[1]" }; /* starts inside a character */
    s[2] = (lede_eval_span){ 9, 2, NULL };
    fx.n[LEDE_EVAL_QUOTE] = 3;
    fx.spans[LEDE_EVAL_BOILERPLATE][0] = (lede_eval_span){ -1, 1, NULL };
    fx.n[LEDE_EVAL_BOILERPLATE] = 1;
    fx.spans[LEDE_EVAL_FIGURE][0] = (lede_eval_span){ 0, 1, "{\"count\":\"many\",\"category\":7}" };
    fx.n[LEDE_EVAL_FIGURE] = 1;
    fx.spans[LEDE_EVAL_META][0] = (lede_eval_span){ 0, 0, "{" };
    fx.n[LEDE_EVAL_META] = 1;
    lede_eval_counts c = score(gold, &fx, LEDE_EVAL_ALL);
    CHECK_INT(c.boilerplate.tp, 1);
    CHECK_INT(c.quote.bad_attrs, 2);
    CHECK_INT(c.quote.marked.tp, 1); /* the whole text: 2 of 4 words, all of G's */
    CHECK_INT(c.figure.found.fp, 1);
    CHECK_INT(c.meta.bad_attrs, 1);
    CHECK_INT(c.meta.title, 1);
}

static void check_gold_error(const char *json, const char *want)
{
    char err[256];
    lede_gold *g = (lede_gold *)1;
    CHECK_INT(lede_gold_parse(&g, err, sizeof err, json, strlen(json), "g.json"), LEDE_EPARSE);
    CHECK(g == NULL);
    if (!CHECK(strstr(err, want) != NULL))
        fprintf(stderr, "  message: %s\n", err);
}

static void test_gold_parse(void)
{
    check_gold_error("{\"file\":", "g.json: line 1");
    check_gold_error("[]", "not a JSON object");
    check_gold_error("{\"quotes\":[]}", "file:");
    check_gold_error("{\"file\":\"a\",\"quotes\":[{\"text\":\"x\",\"kind\":\"direct\"},{\"text\":\"y\","
                     "\"kind\":\"said\"}]}",
                     "quotes[1].kind");
    check_gold_error("{\"file\":\"a\",\"figures\":[{\"category\":\"killed\",\"count\":\"4\"}]}",
                     "figures[0].count");
    check_gold_error("{\"file\":\"a\",\"caption_lines\":[\"x\",3]}", "caption_lines[1]");
    check_gold_error("{\"file\":\"a\",\"meta\":{\"title\":5}}", "meta.title");
    check_gold_error("{\"file\":\"a\",\"file\":\"b\"}", "duplicate");

    lede_gold *g = gold_of("{\"file\":\"k.txt\",\"quotes\":[],\"meta\":null,\"notes\":[\"x\"]}");
    if (g) {
        CHECK_STR(lede_gold_file(g), "k.txt");
        CHECK_INT(lede_gold_layers(g), QUOTE);
        lede_gold_free(g);
    }
}

static void test_json(void)
{
    lede_eval_counts c;
    memset(&c, 0, sizeof c);
    c.quote.marked.tp = 3;
    c.quote.marked.fp = 1;
    json_t *j = lede_eval_counts_json(&c, LEDE_EVAL_ALL);
    if (!CHECK(j != NULL))
        return;
    json_t *dp = json_object_get(json_object_get(j, "quote"), "direct_partial");
    CHECK(near(json_real_value(json_object_get(dp, "precision")), 0.75));
    CHECK(json_is_null(json_object_get(json_object_get(json_object_get(j, "quote"), "speaker"), "share")));
    CHECK(json_is_null(json_object_get(json_object_get(j, "boilerplate"), "content_retention")));
    CHECK(json_is_object(json_object_get(json_object_get(j, "figure"), "where")));
    CHECK(json_is_object(json_object_get(json_object_get(j, "meta"), "dateline")));
    CHECK(json_object_get(json_object_get(j, "caption"), "content_retention") == NULL);
    json_decref(j);
}

/* ---- the run over a database ------------------------------------------------------ */

static void write_file(const char *dir, const char *name, const char *body)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!CHECK(f != NULL))
        return;
    fputs(body, f);
    fclose(f);
}

static void ingest(lede_engine *e, const char *key, const char *text)
{
    lede_article_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.key = key;
    if (!CHECK_INT(lede_ingest_buffer(NULL, e, &meta, text, strlen(text), NULL), LEDE_OK))
        fprintf(stderr, "  %s\n", lede_errmsg(e));
}

static void add_span(lede_engine *e, const char *key, const char *layer, int start, int end,
                     const char *attrs)
{
    sqlite3_stmt *st;
    const char *sql = "INSERT INTO annotation (article_id, layer, start, \"end\", attrs) "
                      "SELECT id, ?2, ?3, ?4, ?5 FROM article WHERE key = ?1";
    if (!CHECK_INT(sqlite3_prepare_v2(e->db, sql, -1, &st, NULL), SQLITE_OK))
        return;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, layer, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, start);
    sqlite3_bind_int(st, 4, end);
    sqlite3_bind_text(st, 5, attrs, -1, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    CHECK_INT(sqlite3_changes(e->db), 1);
    sqlite3_finalize(st);
}

static int diag_count;

static void count_diag(void *ud, int severity, const char *where, const char *message)
{
    (void)ud, (void)severity, (void)where, (void)message;
    diag_count++;
}

static void test_run(void)
{
    char dir[] = "/tmp/lede-eval-XXXXXX";
    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    static const char text1[] = "Menu\n\"We stay,\" Ruiz said.\n";
    static const char text2[] = "Only content here.\n";
    write_file(dir, "a.json",
               "{\"file\":\"a.txt\",\"boilerplate_lines\":[\"Menu\"],"
               "\"quotes\":[{\"text\":\"we stay\",\"speaker\":\"Ana Ruiz\",\"kind\":\"direct\"}]}");
    write_file(dir, "b.json", "{\"file\":\"b.txt\",\"boilerplate_lines\":[]}");
    write_file(dir, "c.json", "{\"file\":\"c.txt\",\"boilerplate_lines\":[]}");
    write_file(dir, "README.md", "not a gold file");

    lede_engine *e = NULL;
    CHECK_INT(lede_engine_open(&e, ":memory:", 0), LEDE_OK);
    ingest(e, "a.txt", text1);
    ingest(e, "seeds/b.txt", text2); /* found by the end of its key */
    add_span(e, "a.txt", "boilerplate", 0, 4, NULL);
    add_span(e, "a.txt", "myquotes", 6, 13, "{\"kind\":\"direct\",\"speaker\":\"Ruiz\"}");

    lede_eval_opts opts = LEDE_EVAL_OPTS_INIT;
    opts.diag = count_diag;
    lede_eval_report *r = NULL;
    diag_count = 0;
    CHECK_INT(lede_eval_run(&r, e, dir, &opts), LEDE_ENOTFOUND); /* c.txt is missing */
    CHECK(r == NULL);
    CHECK(strstr(lede_errmsg(e), "c.json") != NULL);

    opts.skip_missing = 1;
    opts.layer_names[LEDE_EVAL_QUOTE] = "myquotes";
    opts.layers = BP | QUOTE;
    CHECK_INT(lede_eval_run(&r, e, dir, &opts), LEDE_OK);
    if (r) {
        size_t n, nm;
        const lede_eval_row *rows = lede_eval_report_rows(r, &n);
        const char *const *missing = lede_eval_report_missing(r, &nm);
        CHECK_INT(n, 2);
        CHECK_INT(nm, 1);
        if (nm == 1)
            CHECK_STR(missing[0], "c.json");
        if (n == 2) {
            CHECK_STR(rows[0].key, "a.txt");
            CHECK_STR(rows[1].key, "seeds/b.txt");
            CHECK_INT(rows[1].counts.boilerplate.content, 1);
        }
        const lede_eval_counts *t = lede_eval_report_total(r);
        CHECK_INT(t->boilerplate.articles, 2);
        CHECK_INT(t->boilerplate.tp, 1);
        CHECK_INT(t->boilerplate.content, 2);
        CHECK_INT(t->quote.articles, 1);
        CHECK_INT(t->quote.marked.tp, 1);
        CHECK_INT(t->quote.speaker_right, 1);
        CHECK_INT(t->figure.articles, 0);
        CHECK_STR(lede_eval_report_layer_name(r, LEDE_EVAL_QUOTE), "myquotes");
        json_t *j = lede_eval_report_json(r);
        CHECK(j != NULL);
        CHECK_INT(json_integer_value(json_object_get(j, "scored")), 2);
        CHECK_STR(json_string_value(json_object_get(json_object_get(j, "layers"), "quote")), "myquotes");
        CHECK(json_object_get(json_object_get(j, "total"), "meta") == NULL);
        CHECK_INT(json_array_size(json_object_get(j, "articles")), 2);
        json_decref(j);
        lede_eval_report_free(r);
    }
    CHECK(diag_count >= 1);

    /* A layer with no spans still scores: all misses, and a warning. */
    opts.layer_names[LEDE_EVAL_QUOTE] = "nothing";
    diag_count = 0;
    CHECK_INT(lede_eval_run(&r, e, dir, &opts), LEDE_OK);
    if (r) {
        CHECK_INT(lede_eval_report_total(r)->quote.marked.fn, 1);
        lede_eval_report_free(r);
    }
    CHECK_INT(diag_count, 2); /* the empty layer, the missing article */

    /* A bad gold file stops the run and is named. */
    write_file(dir, "d.json", "{\"file\":\"a.txt\",\"quotes\":{}}");
    CHECK_INT(lede_eval_run(&r, e, dir, &opts), LEDE_EPARSE);
    CHECK(strstr(lede_errmsg(e), "d.json: quotes") != NULL);
    CHECK_INT(lede_eval_run(&r, e, "/nonexistent/gold", &opts), LEDE_ENOTFOUND);
    lede_engine_close(e);

    const char *names[] = { "a.json", "b.json", "c.json", "d.json", "README.md" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* ---- the seeds: predictions copied from the gold must score perfectly ------------- */

/* Article text and id by key, or 0. */
static int64_t article_text(lede_engine *e, const char *key, char **text)
{
    sqlite3_stmt *st;
    int64_t id = 0;
    *text = NULL;
    if (sqlite3_prepare_v2(e->db, "SELECT id, text FROM article WHERE key = ?1", -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        *text = strdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return id;
}

static void add_span_id(lede_engine *e, int64_t id, const char *layer, int64_t start, int64_t end,
                        const char *attrs)
{
    sqlite3_stmt *st;
    const char *sql =
        "INSERT INTO annotation (article_id, layer, start, \"end\", attrs) VALUES (?1, ?2, ?3, ?4, ?5)";
    if (!CHECK_INT(sqlite3_prepare_v2(e->db, sql, -1, &st, NULL), SQLITE_OK))
        return;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, layer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, start);
    sqlite3_bind_int64(st, 4, end);
    sqlite3_bind_text(st, 5, attrs, -1, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* Marks, for each entry of `lines`, the next not yet marked line with its text. */
static void oracle_lines(lede_engine *e, int64_t id, const char *text, const json_t *lines, const char *layer)
{
    for (size_t i = 0; i < json_array_size(lines); i++) {
        const char *want = json_string_value(json_array_get(lines, i));
        size_t skip = 0, found = 0;
        for (size_t j = 0; j < i; j++)
            skip += strcmp(json_string_value(json_array_get(lines, j)), want) == 0;
        for (const char *p = text; *p && !found;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p), a = 0;
            while (a < len && strchr(" \t\r", p[a]))
                a++;
            while (len > a && strchr(" \t\r", p[len - 1]))
                len--;
            if (len - a == strlen(want) && memcmp(p + a, want, len - a) == 0 && skip-- == 0) {
                add_span_id(e, id, layer, p + a - text, p + len - text, NULL);
                found = 1;
            }
            p = nl ? nl + 1 : p + strlen(p);
        }
        CHECK(found);
    }
}

static void oracle_article(lede_engine *e, const json_t *gold)
{
    char *text;
    int64_t id = article_text(e, json_string_value(json_object_get(gold, "file")), &text);
    if (!CHECK(id != 0))
        return;
    oracle_lines(e, id, text, json_object_get(gold, "boilerplate_lines"), "boilerplate");
    oracle_lines(e, id, text, json_object_get(gold, "caption_lines"), "caption");
    const json_t *quotes = json_object_get(gold, "quotes");
    for (size_t i = 0; i < json_array_size(quotes); i++) {
        const json_t *q = json_array_get(quotes, i);
        const char *at = strstr(text, json_string_value(json_object_get(q, "text")));
        char *attrs = json_dumps(q, 0);
        if (CHECK(at != NULL) && attrs)
            add_span_id(e, id, "quote", at - text,
                        at - text + (int64_t)strlen(json_string_value(json_object_get(q, "text"))), attrs);
        free(attrs);
    }
    const json_t *figures = json_object_get(gold, "figures");
    for (size_t i = 0; i < json_array_size(figures); i++) {
        char *attrs = json_dumps(json_array_get(figures, i), 0);
        add_span_id(e, id, "figure", (int64_t)i, (int64_t)i + 1, attrs);
        free(attrs);
    }
    char *meta = json_dumps(json_object_get(gold, "meta"), 0);
    add_span_id(e, id, "meta", 0, 0, meta);
    free(meta);
    free(text);
}

static void test_seeds_oracle(void)
{
    const char *shared = getenv("LEDE_SHARED_DIR");
    char seeds[1024], gold_dir[1024];
    struct stat st;
    snprintf(seeds, sizeof seeds, "%s/seeds", shared ? shared : "");
    snprintf(gold_dir, sizeof gold_dir, "%s/gold", shared ? shared : "");
    if (!shared || stat(seeds, &st) != 0 || stat(gold_dir, &st) != 0) {
        printf("test_eval: no seeds (LEDE_SHARED_DIR), oracle test skipped\n");
        return;
    }
    lede_engine *e = NULL;
    CHECK_INT(lede_engine_open(&e, ":memory:", 0), LEDE_OK);
    CHECK_INT(lede_ingest_path(NULL, e, seeds, NULL), LEDE_OK);
    DIR *dir = opendir(gold_dir);
    struct dirent *d;
    size_t n_gold = 0;
    while (dir && (d = readdir(dir))) {
        size_t len = strlen(d->d_name);
        if (len < 5 || strcmp(d->d_name + len - 5, ".json") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", gold_dir, d->d_name);
        json_t *gold = json_load_file(path, 0, NULL);
        if (CHECK(gold != NULL))
            oracle_article(e, gold);
        json_decref(gold);
        n_gold++;
    }
    if (dir)
        closedir(dir);
    lede_eval_report *r = NULL;
    CHECK_INT(lede_eval_run(&r, e, gold_dir, NULL), LEDE_OK);
    if (r) {
        const lede_eval_counts *t = lede_eval_report_total(r);
        CHECK_INT(t->boilerplate.articles, n_gold);
        CHECK(t->boilerplate.tp > 0 && t->caption.tp > 0 && t->quote.matched > 0 && t->figure.found.tp > 0);
        CHECK_INT(t->boilerplate.fp + t->boilerplate.fn + t->boilerplate.gold_absent, 0);
        CHECK_INT(t->caption.fp + t->caption.fn + t->caption.gold_absent, 0);
        CHECK_INT(t->quote.marked.fp + t->quote.marked.fn + t->quote.indirect.fp + t->quote.indirect.fn, 0);
        CHECK_INT(t->quote.attributed.fp + t->quote.attributed.fn, 0);
        CHECK_INT(t->quote.speaker_right, t->quote.matched);
        CHECK_INT(t->quote.optional_hit, t->quote.optional);
        CHECK_INT(t->figure.found.fp + t->figure.found.fn, 0);
        CHECK_INT(t->figure.qualifier, t->figure.found.tp);
        CHECK_INT(t->figure.scope, t->figure.found.tp);
        CHECK_INT(t->figure.as_of, t->figure.found.tp);
        CHECK_INT(t->figure.where, t->figure.where_pairs);
        const lede_eval_meta *m = &t->meta;
        CHECK_INT(m->articles, n_gold);
        CHECK_INT(m->title + m->published + m->event_date + m->dateline + m->agency + m->outlet, 6 * n_gold);
        lede_eval_report_free(r);
    }
    lede_engine_close(e);
}

int main(void)
{
    test_half_coverage();
    test_repeated_lines();
    test_captions();
    test_gold_lines_absent();
    test_quote_thresholds();
    test_quote_best_first();
    test_optional_partial();
    test_unattributed();
    test_speaker();
    test_quote_groups();
    test_figures();
    test_meta();
    test_bad_input();
    test_gold_parse();
    test_json();
    test_run();
    test_seeds_oracle();
    return check_report("test_eval");
}
