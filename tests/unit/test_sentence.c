/* Blocks and sentences: table-driven cases (input -> sentence texts), block
 * kinds, and the invariants over the seed articles. */
#include "abbrev.h"
#include "check.h"
#include "doc_check.h"
#include "lede.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SENTENCES 8

typedef struct scase {
    const char *in;
    const char *want[MAX_SENTENCES + 1]; /* NULL-terminated */
} scase;

static const scase cases[] = {
    /* Plain sentences */
    {"One. Two.", {"One.", "Two."}},
    {"It rained. It poured!", {"It rained.", "It poured!"}},
    {"Did it? Yes.", {"Did it?", "Yes."}},
    {"Stop! Now.", {"Stop!", "Now."}},
    {"Really?! Yes.", {"Really?!", "Yes."}},
    {"Wait... Then go.", {"Wait...", "Then go."}},
    {"Wait… Then go.", {"Wait…", "Then go."}},
    {"The road map… by which we go.", {"The road map… by which we go."}},
    {"and then... nothing happened.", {"and then... nothing happened."}},
    {"He left. she stayed.", {"He left. she stayed."}},
    {"It ended in 2011. 400 people died.", {"It ended in 2011.", "400 people died."}},
    {"Prices rose 1.2 percent. Then fell.", {"Prices rose 1.2 percent.", "Then fell."}},
    {"It cost 3.5 million. It was paid.", {"It cost 3.5 million.", "It was paid."}},
    {"  Padded sentence.   Another one.  ", {"Padded sentence.", "Another one."}},
    {"No final punctuation here", {"No final punctuation here"}},
    {"First. Second without end", {"First.", "Second without end"}},
    {"one.two", {"one.two"}},
    {"He said.Then left.", {"He said.", "Then left."}},
    {"Ok, fine; whatever: done.", {"Ok, fine; whatever: done."}},
    {"Is it 5? 6? No.", {"Is it 5?", "6?", "No."}},
    {"Look at Rappler.com. It is a site.", {"Look at Rappler.com.", "It is a site."}},
    {"Write to a@example.org. Then wait.", {"Write to a@example.org.", "Then wait."}},
    {"It was 5 p.m. on Friday.", {"It was 5 p.m. on Friday."}},
    {"Он пришёл. Она ушла.", {"Он пришёл.", "Она ушла."}},
    {"東京に行った。大阪に来た。", {"東京に行った。", "大阪に来た。"}},
    {"¿Vienes? ¡Claro!", {"¿Vienes?", "¡Claro!"}},
    {"Él llegó. ¿Y tú?", {"Él llegó.", "¿Y tú?"}},
    {"It ended. #Syria trends.", {"It ended.", "#Syria trends."}},
    {"It ended. @user replied.", {"It ended.", "@user replied."}},
    {"It ended. $5 was paid.", {"It ended.", "$5 was paid."}},
    {"Unclear. écoles closed.", {"Unclear. écoles closed."}},
    {"Unclear. École closed.", {"Unclear.", "École closed."}},
    /* Quotes stay with their sentence */
    {"\"We will win,\" he said.", {"\"We will win,\" he said."}},
    {"“We will win,” he said.", {"“We will win,” he said."}},
    {"“We will win.” He left.", {"“We will win.”", "He left."}},
    {"\"We will win.\" He left.", {"\"We will win.\"", "He left."}},
    {"‘We will win.’ He left.", {"‘We will win.’", "He left."}},
    {"«Nous gagnerons.» Il est parti.", {"«Nous gagnerons.»", "Il est parti."}},
    {"“Why?” he asked.", {"“Why?” he asked."}},
    {"“Why?” Kerry asked.", {"“Why?”", "Kerry asked."}},
    {"“Go!” she shouted.", {"“Go!” she shouted."}},
    {"“Go home.” she said.", {"“Go home.” she said."}},
    {"He said it was over. ” Then silence.", {"He said it was over. ”", "Then silence."}},
    {"He said it was over. ”", {"He said it was over. ”"}},
    {"“It is over. We go home,” he said.", {"“It is over.", "We go home,” he said."}},
    {"He left. “Never again,” he said.", {"He left.", "“Never again,” he said."}},
    {"He left. \"Never again,\" he said.", {"He left.", "\"Never again,\" he said."}},
    {"He left. “never again.”", {"He left. “never again.”"}},
    {"It failed (badly). Then what?", {"It failed (badly).", "Then what?"}},
    {"(It failed.) Then what?", {"(It failed.)", "Then what?"}},
    {"It failed [sic]. Then what?", {"It failed [sic].", "Then what?"}},
    {"He spoke. (Nobody listened.)", {"He spoke.", "(Nobody listened.)"}},
    {"It is “hard decisions.” They know.", {"It is “hard decisions.”", "They know."}},
    {"a 'no war, no peace' scenario.", {"a 'no war, no peace' scenario."}},
    {"Arming them is wrong,” he said last week. “It's not the time.",
     {"Arming them is wrong,” he said last week.", "“It's not the time."}},
    {"“We agreed,” said Lavrova. “The talks were good.”", {"“We agreed,” said Lavrova.", "“The talks were good.”"}},
    {"“Hope,” he said, “is not a plan.”", {"“Hope,” he said, “is not a plan.”"}},
    {"„Wir kommen.“ Er ging.", {"„Wir kommen.“", "Er ging."}},
    /* Abbreviations and initials */
    {"Gen. Smith arrived. He spoke.", {"Gen. Smith arrived.", "He spoke."}},
    {"Sen. Jones and Rep. Diaz met.", {"Sen. Jones and Rep. Diaz met."}},
    {"Mr. Hale met Dr. Grant.", {"Mr. Hale met Dr. Grant."}},
    {"J. Smith wrote it.", {"J. Smith wrote it."}},
    {"It was George W. Bush.", {"It was George W. Bush."}},
    {"The U.S. Secretary of State spoke.", {"The U.S. Secretary of State spoke."}},
    {"Top U.S. and Russian envoys met.", {"Top U.S. and Russian envoys met."}},
    {"It happened in the U.S. He said so.", {"It happened in the U.S.", "He said so."}},
    {"It happened in the U.S. The end.", {"It happened in the U.S.", "The end."}},
    {"It happened in the U.S. But why?", {"It happened in the U.S.", "But why?"}},
    {"in the U.S. Kerry said", {"in the U.S. Kerry said"}},
    {"The U.N. Security Council met.", {"The U.N. Security Council met."}},
    {"Fruit, nuts, etc. The list goes on.", {"Fruit, nuts, etc.", "The list goes on."}},
    {"Fruit, nuts, etc. were sold.", {"Fruit, nuts, etc. were sold."}},
    {"Acme Inc. said profits rose.", {"Acme Inc. said profits rose."}},
    {"He works for Acme Inc. It pays well.", {"He works for Acme Inc.", "It pays well."}},
    {"It ended at 5 p.m. The crowd left.", {"It ended at 5 p.m.", "The crowd left."}},
    {"See No. 5 for details.", {"See No. 5 for details."}},
    {"The answer was No. Then silence.", {"The answer was No.", "Then silence."}},
    {"It opened in Sept. 2013 downtown.", {"It opened in Sept. 2013 downtown."}},
    {"Fighting in the U.S.-led coalition went on. Many left.",
     {"Fighting in the U.S.-led coalition went on.", "Many left."}},
    {"Ali vs. Frazier was close.", {"Ali vs. Frazier was close."}},
    {"Lt. Col. Ray and Capt. Vos spoke.", {"Lt. Col. Ray and Capt. Vos spoke."}},
    {"He met e.g. envoys.", {"He met e.g. envoys."}},
    {"Data from the U.K. “We agree,” it said.", {"Data from the U.K.", "“We agree,” it said."}},
    {"It was in the U.S.” He nodded.", {"It was in the U.S.”", "He nodded."}},
    {"It was in the U.S.? Yes.", {"It was in the U.S.?", "Yes."}},
    {"approx. 300 came.", {"approx. 300 came."}},
    {"He lives on Main St. near the park.", {"He lives on Main St. near the park."}},
    {"She has a Ph.D. in law.", {"She has a Ph.D. in law."}},
    /* Dashes, credits and symbols after a sentence */
    {"They left in 2014. – Lakeside.com", {"They left in 2014.", "– Lakeside.com"}},
    {"They left. –", {"They left.", "–"}},
    {"hard decisions -- hard ones. Yes.", {"hard decisions -- hard ones.", "Yes."}},
    {"It was cold.—Then it warmed.", {"It was cold.—Then it warmed."}},
    {"Photo: AFP. / STAFF", {"Photo: AFP.", "/ STAFF"}},
    {"Russia (R) and Kerry (L) met.", {"Russia (R) and Kerry (L) met."}},
    /* Blocks: sentences never cross a line */
    {"Headline without a stop\nBody text. More text.", {"Headline without a stop", "Body text.", "More text."}},
    {"Line one\nLine two", {"Line one", "Line two"}},
    {"He said\n“Yes.”", {"He said", "“Yes.”"}},
    {"Mr.\nSmith", {"Mr.", "Smith"}},
    {"One.\r\nTwo.\rThree.", {"One.", "Two.", "Three."}},
    {"One\u2028Two\u2029Three\xC2\x85" "Four", {"One", "Two", "Three", "Four"}},
    {"\n\n  \n", {NULL}},
    {"", {NULL}},
    {"Accessibility links\n\nBreaking News\n\nA title: here", {"Accessibility links", "Breaking News", "A title: here"}},
    {"7 May, 2013 19:58", {"7 May, 2013 19:58"}},
    {"Thursday, 25th April 2024\nTo example.ng\nSearch", {"Thursday, 25th April 2024", "To example.ng", "Search"}},
    {"Softer stance?", {"Softer stance?"}},
    /* List items: the marker never ends a sentence */
    {"1. First item here", {"1. First item here"}},
    {"2) Second item. It has two.", {"2) Second item.", "It has two."}},
    {"- A bullet point", {"- A bullet point"}},
    {"• Another bullet", {"• Another bullet"}},
    {"(3) Third. Done.", {"(3) Third.", "Done."}},
    {"a) Option one", {"a) Option one"}},
};

static const char *block_kind_of(const char *in)
{
    static char out[64];
    lede_tokenizer *tk;
    lede_doc *doc;
    out[0] = '\0';
    if (lede_tokenizer_new(&tk, "en") != LEDE_OK)
        return out;
    if (lede_doc_analyze(&doc, tk, in, strlen(in)) == LEDE_OK) {
        size_t n;
        const lede_block *b = lede_doc_blocks(doc, &n);
        for (size_t i = 0; i < n && strlen(out) + 12 < sizeof out; i++) {
            if (i)
                strcat(out, " ");
            strcat(out, lede_block_kind_name((int)b[i].kind));
        }
        lede_doc_free(doc);
    }
    lede_tokenizer_free(tk);
    return out;
}

static void test_cases(lede_tokenizer *tk)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const scase *c = &cases[i];
        lede_doc *doc;
        if (!CHECK_INT(lede_doc_analyze(&doc, tk, c->in, strlen(c->in)), LEDE_OK))
            continue;
        size_t n, want_n = 0;
        const lede_sentence *s = lede_doc_sentences(doc, &n);
        const char *text = lede_doc_text(doc, NULL);
        while (want_n < MAX_SENTENCES && c->want[want_n])
            want_n++;
        int ok = CHECK_INT(n, want_n);
        for (size_t j = 0; ok && j < n; j++) {
            char got[512];
            snprintf(got, sizeof got, "%.*s", (int)(s[j].end - s[j].start), text + s[j].start);
            ok = CHECK_STR(got, c->want[j]);
        }
        if (!ok) {
            fprintf(stderr, "  input: %s\n  got:", c->in);
            for (size_t j = 0; j < n; j++)
                fprintf(stderr, " [%.*s]", (int)(s[j].end - s[j].start), text + s[j].start);
            fprintf(stderr, "\n");
        }
        const char *why = doc_check(doc);
        if (!CHECK(why == NULL))
            fprintf(stderr, "  invariant: %s (input: %s)\n", why, c->in);
        lede_doc_free(doc);
    }
    printf("%zu sentence cases\n", sizeof cases / sizeof cases[0]);
}

static void test_block_kinds(void)
{
    CHECK_STR(block_kind_of("A headline in title case"), "line");
    CHECK_STR(block_kind_of("A sentence that ends."), "paragraph");
    CHECK_STR(block_kind_of("Does it end?"), "paragraph");
    CHECK_STR(block_kind_of("“It ends here.”"), "paragraph");
    CHECK_STR(block_kind_of("It ends in the U.S."), "paragraph");
    CHECK_STR(block_kind_of("(AFP Photo)"), "line");
    CHECK_STR(block_kind_of("1. Item"), "list_item");
    CHECK_STR(block_kind_of("12) Item"), "list_item");
    CHECK_STR(block_kind_of("(b) Item"), "list_item");
    CHECK_STR(block_kind_of("• Item"), "list_item");
    CHECK_STR(block_kind_of("* Item"), "list_item");
    CHECK_STR(block_kind_of("-Item"), "line");
    CHECK_STR(block_kind_of("2013. The year"), "line"); /* a year is no list marker */
    CHECK_STR(block_kind_of("1.5 percent"), "line");
    CHECK_STR(block_kind_of("Title\n\nBody text here.\n- item"), "line paragraph list_item");
    /* Long prose without final punctuation is a paragraph, short is a line. */
    CHECK_STR(block_kind_of("officials were careful not to call the talks a last chance for diplomacy to resolve "
                            "the conflict but they warn time is running out"),
              "paragraph");
    CHECK_STR(block_kind_of("Russia and the United States strike a deal on concrete steps to save the truce"),
              "line");
}

static void test_offsets(lede_tokenizer *tk)
{
    const char *in = "  Title  \n\n  One. Two.  \n";
    lede_doc *doc;
    if (!CHECK_INT(lede_doc_analyze(&doc, tk, in, strlen(in)), LEDE_OK))
        return;
    size_t nb, ns;
    const lede_block *b = lede_doc_blocks(doc, &nb);
    const lede_sentence *s = lede_doc_sentences(doc, &ns);
    if (CHECK_INT(nb, 2) && CHECK_INT(ns, 3)) {
        CHECK_INT(b[0].start, 2);
        CHECK_INT(b[0].end, 7);
        CHECK_INT(b[1].start, 13);
        CHECK_INT(b[1].end, 22);
        CHECK_INT(b[1].first_sentence, 1);
        CHECK_INT(b[1].n_sentences, 2);
        CHECK_INT(s[2].block, 1);
        CHECK_INT(s[2].start, 18);
        CHECK_INT(s[2].first_token, 3);
        CHECK_INT(s[2].n_tokens, 2);
    }
    lede_doc_free(doc);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = buf ? (size_t)n : 0;
    return buf;
}

/* Over the seed articles: invariants hold, every line with words is a block,
 * and most paragraphs end their last sentence with punctuation. */
static void test_seeds(lede_tokenizer *tk)
{
    const char *shared = getenv("LEDE_SHARED_DIR");
    char dir[4096];
    if (!shared || snprintf(dir, sizeof dir, "%s/seeds", shared) >= (int)sizeof dir) {
        printf("seeds: LEDE_SHARED_DIR not set, skipped\n");
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        printf("seeds: %s not found, skipped\n", dir);
        return;
    }
    size_t articles = 0, sentences = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 4 || strcmp(e->d_name + nl - 4, ".txt") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *text = read_file(path, &len);
        if (!CHECK(text != NULL))
            continue;
        size_t lines = 0;
        for (size_t i = 0, start = 0; i <= len; i++) {
            if (i == len || text[i] == '\n') {
                size_t k = start;
                while (k < i && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r'))
                    k++;
                lines += k < i;
                start = i + 1;
            }
        }
        lede_doc *doc;
        if (CHECK_INT(lede_doc_analyze(&doc, tk, text, len), LEDE_OK)) {
            const char *why = doc_check(doc);
            if (!CHECK(why == NULL))
                fprintf(stderr, "  %s: %s\n", e->d_name, why);
            size_t nb, ns;
            lede_doc_blocks(doc, &nb);
            lede_doc_sentences(doc, &ns);
            CHECK_INT(nb, lines);
            CHECK(ns >= nb);
            sentences += ns;
            lede_doc_free(doc);
        }
        free(text);
        articles++;
    }
    closedir(d);
    printf("seeds: %zu articles, %zu sentences\n", articles, sentences);
    CHECK(articles > 0);
}

static void test_abbrev_lists(void)
{
    const char list[] = "# comment\n"
                        "[abbreviations]\n"
                        "Gen. title\n"
                        "No. num # trailing comment\n"
                        "etc.\r\n"
                        "\n"
                        "[starters]\n"
                        "The He  She\n";
    lede_abbrev *ab;
    if (CHECK_INT(lede_abbrev_parse(&ab, list, sizeof list - 1), LEDE_OK)) {
        CHECK_INT(lede_abbrev_lookup(ab, "Gen.", 4), LEDE_ABBR_KNOWN | LEDE_ABBR_TITLE);
        CHECK_INT(lede_abbrev_lookup(ab, "No.", 3), LEDE_ABBR_KNOWN | LEDE_ABBR_NUM);
        CHECK_INT(lede_abbrev_lookup(ab, "etc.", 4), LEDE_ABBR_KNOWN);
        CHECK_INT(lede_abbrev_lookup(ab, "She", 3), LEDE_ABBR_STARTER);
        CHECK_INT(lede_abbrev_lookup(ab, "gen.", 4), 0);
        CHECK_INT(lede_abbrev_lookup(ab, "Gen", 3), 0);
        CHECK_INT(lede_abbrev_lookup(ab, "", 0), 0);
        lede_abbrev_free(ab);
    }
    CHECK_INT(lede_abbrev_parse(&ab, "[nonsense]\n", 11), LEDE_EPARSE);
    CHECK(ab == NULL);
    CHECK_INT(lede_abbrev_parse(&ab, "Gen. colonel\n", 13), LEDE_EPARSE);
    /* Every embedded list parses, and names its language. */
    static const char *const langs[] = {"en", "fr", "de", "es", "pt"};
    for (int i = 0; i < 5; i++) {
        if (CHECK_INT(lede_abbrev_new(&ab, langs[i]), LEDE_OK)) {
            CHECK_STR(lede_abbrev_lang(ab), langs[i]);
            lede_abbrev_free(ab);
        }
    }
    if (CHECK_INT(lede_abbrev_new(&ab, "zz"), LEDE_OK)) {
        CHECK_STR(lede_abbrev_lang(ab), "en");
        lede_abbrev_free(ab);
    }
}

/* Lists of other languages drive their own abbreviations and starters. */
static void test_other_languages(void)
{
    static const struct {
        const char *lang, *in, *want[4];
    } lang_cases[] = {
        {"fr", "M. Dupont est venu. Il est reparti.", {"M. Dupont est venu.", "Il est reparti."}},
        {"es", "Los EE.UU. y el Sr. López llegaron. Él habló.", {"Los EE.UU. y el Sr. López llegaron.", "Él habló."}},
        {"de", "Hr. Weber kam z.B. spät. Er ging.", {"Hr. Weber kam z.B. spät.", "Er ging."}},
        {"pt", "O Sr. Silva chegou. Ele falou.", {"O Sr. Silva chegou.", "Ele falou."}},
    };
    for (size_t i = 0; i < sizeof lang_cases / sizeof lang_cases[0]; i++) {
        lede_tokenizer *tk;
        lede_doc *doc;
        if (!CHECK_INT(lede_tokenizer_new(&tk, lang_cases[i].lang), LEDE_OK))
            continue;
        if (CHECK_INT(lede_doc_analyze(&doc, tk, lang_cases[i].in, strlen(lang_cases[i].in)), LEDE_OK)) {
            size_t n;
            const lede_sentence *s = lede_doc_sentences(doc, &n);
            const char *text = lede_doc_text(doc, NULL);
            if (CHECK_INT(n, 2)) {
                for (size_t j = 0; j < n; j++) {
                    char got[256];
                    snprintf(got, sizeof got, "%.*s", (int)(s[j].end - s[j].start), text + s[j].start);
                    CHECK_STR(got, lang_cases[i].want[j]);
                }
            }
            lede_doc_free(doc);
        }
        lede_tokenizer_free(tk);
    }
}

int main(void)
{
    lede_tokenizer *tk;
    if (!CHECK_INT(lede_tokenizer_new(&tk, "en"), LEDE_OK))
        return check_report("test_sentence");
    test_cases(tk);
    test_block_kinds();
    test_offsets(tk);
    test_abbrev_lists();
    test_other_languages();
    test_seeds(tk);
    lede_tokenizer_free(tk);
    return check_report("test_sentence");
}
