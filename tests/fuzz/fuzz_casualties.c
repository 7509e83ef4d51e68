/* libFuzzer target: the casualties extractor (cas_article, core/casualty.h)
 * with the stock plugin's word lists, on text made of the words its rules
 * look at.  Random bytes would rarely make a sentence with a cue word, so
 * most input bytes pick a piece of news text (a cue, a number, a place, a
 * preposition, a date, punctuation, a dateline); the few above twice the
 * vocabulary's size stand for themselves.  Must not crash, and every figure must keep the
 * invariants: a span inside the text, in text order, the fields the layer
 * always has set, a confidence in (0, 1).  A violation aborts. */
#include "casualty.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LEDE_SOURCE_DIR
#error "LEDE_SOURCE_DIR must name the source tree (for the plugin's word lists)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const PIECES[] = {
    "killed", "dead", "died", "wounded", "injured", "missing", "displaced", "kidnapped", "seized", "arrested",
    "killing", "claimed", "lives", "left", "forced", "from their homes", "bodies", "hostage", "death toll",
    "toll", "rose to", "bringing", "the number of", "among the", "of them", "including", "people", "civilians",
    "children", "soldiers", "peacekeepers", "were", "was", "have been", "has", "had", "not", "no", "and", "or",
    "12", "3", "1,200", "70.000", "1.2 million", "30-40", "between 250 and 300", "at least", "more than", "some",
    "dozens of", "hundreds", "tens of thousands", "twenty-one", "a dozen", "2011", "Resolution 2254", "$5m", "40%",
    "in", "near", "on", "at", "the town of", "north-western", "Karsk", "Halvik", "Syria", "Syrian", "Marovia",
    "Marovian", "United States", "Lake Tavel", "Police", "since the war began", "so far", "the war has",
    "on Monday", "Sunday's", "last week", "in March", "on 5 May 2024", "yesterday", "the conflict", "earthquake",
    ",", ".", ";", ":", "(", ")", "\"", "\xE2\x80\x9C", "\xE2\x80\x94", "-", "'s", "\n", "\n\n",
    "PUERTO ANCLA, Valdemora (GNS) \xE2\x80\x94 ", "Killed: 45.", "al menos 84 personas murieron", "tu\xC3\xA9s",
};
#define N_PIECES (sizeof PIECES / sizeof *PIECES)

typedef struct state {
    lede_tokenizer *tk;
    cas_lex *lex;
} state;

static char *read_file(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/plugins/casualties/data/%s", LEDE_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "fuzz_casualties: cannot open %s\n", path);
        abort();
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s == NULL || fread(s, 1, (size_t)n, f) != (size_t)n)
        abort();
    s[n] = '\0';
    fclose(f);
    return s;
}

/* The word lists, built once for the process (a fuzzer's inputs share them). */
static const state *shared_state(void)
{
    static state st;
    if (st.lex)
        return &st;
    char *files[5] = {read_file("cues.txt"), read_file("victims.txt"), read_file("words.txt"),
                      read_file("places.txt"), read_file("gazetteer.txt")};
    cas_lex_files lf = {files[0], files[1], files[2], files[3], files[4]};
    char err[256];
    if (lede_tokenizer_new(&st.tk, NULL) != LEDE_OK || cas_lex_new(&st.lex, st.tk, &lf, err, sizeof err) != LEDE_OK) {
        fprintf(stderr, "fuzz_casualties: word lists: %s\n", err);
        abort();
    }
    for (int i = 0; i < 5; i++)
        free(files[i]);
    return &st;
}

/* The piece byte b stands for (NULL: itself). */
static const char *piece(uint8_t b) { return b < 2 * N_PIECES ? PIECES[b % N_PIECES] : NULL; }

/* The text an input stands for: pieces joined by spaces. */
static char *compose(const uint8_t *data, size_t size, size_t *len)
{
    size_t cap = 1, n = 0;
    for (size_t i = 0; i < size; i++)
        cap += (piece(data[i]) ? strlen(piece(data[i])) : 1) + 1;
    char *s = malloc(cap);
    if (s == NULL)
        abort();
    for (size_t i = 0; i < size; i++) {
        const char *p = piece(data[i]) ? piece(data[i]) : (const char *)&data[i];
        size_t k = piece(data[i]) ? strlen(p) : 1;
        memcpy(s + n, p, k);
        n += k;
        s[n++] = ' ';
    }
    s[n] = '\0';
    *len = n;
    return s;
}

static void fail(const char *why, size_t i)
{
    fprintf(stderr, "invariant broken: %s (figure %zu)\n", why, i);
    abort();
}

static void check(const cas_figure *v, size_t n, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        const cas_figure *f = &v[i];
        if (f->start < 1 || f->stop < f->start || f->stop > len)
            fail("span outside the text", i);
        if (i && f->start < v[i - 1].start)
            fail("figures out of order", i);
        if (!f->category || !f->victims || !f->rule || !f->qualifier || !f->scope)
            fail("a field the layer always has is missing", i);
        if (!(f->confidence > 0 && f->confidence < 1))
            fail("confidence outside (0, 1)", i);
    }
}

static int no_meta(void *ud, cas_meta *out)
{
    (void)ud;
    memset(out, 0, sizeof *out);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const state *st = shared_state();
    size_t len;
    char *text = compose(data, size, &len);
    lede_doc *doc;
    if (lede_doc_analyze(&doc, st->tk, text, len) != LEDE_OK) {
        free(text); /* not UTF-8: the engine never hands such a text to a plugin */
        return 0;
    }
    size_t n_sent, n_blocks;
    const lede_sentence *sent = lede_doc_sentences(doc, &n_sent);
    const lede_block *blocks = lede_doc_blocks(doc, &n_blocks);
    const char *t = lede_doc_text(doc, &len);
    cas_span *ss = malloc((n_sent + 1) * sizeof *ss), *bs = malloc((n_blocks + 1) * sizeof *bs);
    const lede_sentence **sp = malloc((n_sent + 1) * sizeof *sp);
    cas_arena *arena;
    if (ss == NULL || bs == NULL || sp == NULL || cas_arena_new(&arena) != LEDE_OK)
        abort();
    for (size_t i = 0; i < n_sent; i++) {
        ss[i] = (cas_span){sent[i].start + 1, sent[i].end};
        sp[i] = &sent[i];
    }
    for (size_t i = 0; i < n_blocks; i++)
        bs[i] = (cas_span){blocks[i].start + 1, blocks[i].end};
    cas_art a = {.lex = st->lex, .doc = doc, .text = t, .len = len, .published = size % 2 ? "2024-05-06" : NULL,
                 .sentences = ss, .n_sentences = n_sent, .blocks = bs, .n_blocks = n_blocks, .meta = no_meta,
                 .arena = arena};
    lede_num_opts o = LEDE_NUM_OPTS_INIT;
    o.language = cas_guess_language(t, len);
    cas_figures figs = {NULL, 0, 0};
    if (cas_article(&figs, &a, sp, &o) != LEDE_OK)
        abort();
    check(figs.v, figs.n, len);
    free(figs.v);
    cas_arena_free(arena);
    free(sp);
    free(bs);
    free(ss);
    lede_doc_free(doc);
    free(text);
    return 0;
}
