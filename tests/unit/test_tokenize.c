/* Tokenizer: table-driven cases (input -> tokens with kinds, and flags where
 * they matter), folds, limits, and the invariants over the seed articles. */
#include "check.h"
#include "doc_check.h"
#include "lede.h"
#include "tokenize.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Expected tokens, separated by single spaces: KIND[{FLAGS}]:TEXT.
 * KIND: w word, n number, p punct, q< open quote, q> close quote, q? ambiguous
 * quote, d dash, s symbol, u url, e email, h hashtag, m mention.
 * FLAGS, when given, must match exactly over: c capitalised, a all caps,
 * b abbreviation, h hyphenated, p possessive, e elision, o ordinal, d digit,
 * n non-ASCII.  Token texts never hold an ASCII space. */
typedef struct tcase {
    const char *in;
    const char *want;
} tcase;

static const tcase cases[] = {
    /* Words and plain punctuation */
    {"The cat sat.", "w{c}:The w{}:cat w:sat p:."},
    {"Hello, world!", "w:Hello p:, w:world p:!"},
    {"Why? Because; fine: ok", "w:Why p:? w:Because p:; w:fine p:: w:ok"},
    {"(a) [b] {c}", "p:( w:a p:) p:[ w:b p:] p:{ w:c p:}"},
    {"NATO and the UN", "w{ca}:NATO w{}:and w:the w{ca}:UN"},
    {"I went", "w{c}:I w:went"},
    {"G8 summit and MH17", "w{cd}:G8 w:summit w:and w{cad}:MH17"},
    {"  leading and trailing  ", "w:leading w:and w:trailing"},
    {"tab\tseparated\twords", "w:tab w:separated w:words"},
    {"iPhone eBay McDonald", "w{}:iPhone w{}:eBay w{c}:McDonald"},
    {"AFP PHOTO / STAFF", "w{ca}:AFP w{ca}:PHOTO s:/ w{ca}:STAFF"},
    {"end.Next sentence", "w:end p:. w:Next w:sentence"},
    {"one,two", "w:one p:, w:two"},
    {"stop!!! now?!", "w:stop p:! p:! p:! w:now p:? p:!"},
    {"a_b", "w:a s:_ w:b"},
    /* Abbreviations and initials */
    {"Gen. Smith", "w{cb}:Gen. w:Smith"},
    {"Sen. Jones and Rep. Diaz", "w{cb}:Sen. w:Jones w:and w{cb}:Rep. w:Diaz"},
    {"Lt. Col. Ray", "w{cb}:Lt. w{cb}:Col. w:Ray"},
    {"Mr. and Mrs. Hale", "w{cb}:Mr. w:and w{cb}:Mrs. w:Hale"},
    {"Dr. Grant", "w{cb}:Dr. w:Grant"},
    {"the U.S. embassy", "w:the w{cab}:U.S. w:embassy"},
    {"the U.N. said", "w:the w{cab}:U.N. w:said"},
    {"the U.K. and E.U. rules", "w:the w{cab}:U.K. w:and w{cab}:E.U. w:rules"},
    {"J. Smith", "w{cb}:J. w:Smith"},
    {"George W. Bush", "w:George w{cb}:W. w:Bush"},
    {"e.g. this", "w{b}:e.g. w:this"},
    {"i.e. that", "w{b}:i.e. w:that"},
    {"at 5 p.m. today", "w:at n:5 w{b}:p.m. w:today"},
    {"a Ph.D. thesis", "w:a w{cb}:Ph.D. w:thesis"},
    {"Apples, pears, etc. were sold", "w:Apples p:, w:pears p:, w{b}:etc. w:were w:sold"},
    {"Acme Inc. said", "w:Acme w{cb}:Inc. w:said"},
    {"Acme Corp. and Beta Ltd.", "w:Acme w{cb}:Corp. w:and w:Beta w{cb}:Ltd."},
    {"in Sept. 2013", "w:in w{cb}:Sept. n:2013"},
    {"on Jan. 5", "w:on w{cb}:Jan. n:5"},
    {"Ali vs. Frazier", "w:Ali w{b}:vs. w:Frazier"},
    {"St. Louis", "w{cb}:St. w:Louis"},
    {"No. 10 Downing", "w{cb}:No. n:10 w:Downing"},
    {"I said No. Then", "w:I w:said w:No p:. w:Then"},
    {"approx. 300", "w{b}:approx. n:300"},
    {"Approx. 300", "w{cb}:Approx. n:300"},
    {"he said no.", "w:he w:said w:no p:."},
    {"Plan a. ok", "w:Plan w:a p:. w:ok"},
    {"Mr.Smith", "w{cb}:Mr. w:Smith"},
    {"U.S.-Russian talks", "w{ch}:U.S.-Russian w:talks"},
    {"U.S.-led coalition", "w{ch}:U.S.-led w:coalition"},
    {"the U.S.'s role", "w:the w{cp}:U.S.'s w:role"},
    {"the U.S.", "w:the w{cab}:U.S."},
    {"U.S.A. today", "w{cab}:U.S.A. w:today"},
    {"etc...", "w:etc p:..."},
    {"Washington, D.C. police", "w:Washington p:, w{cab}:D.C. w:police"},
    /* Numbers */
    {"400,000 people", "n{d}:400,000 w:people"},
    {"1,234,567", "n{d}:1,234,567"},
    {"1.2 million", "n{d}:1.2 w:million"},
    {"3.14159", "n:3.14159"},
    {"25th April", "n{do}:25th w:April"},
    {"1st 2nd 3rd 4th", "n{do}:1st n{do}:2nd n{do}:3rd n{do}:4th"},
    {"21ST", "n{doa}:21ST"},
    {"19:58 GMT", "n{d}:19:58 w:GMT"},
    {"5% rise", "n{d}:5% w:rise"},
    {"5.5% rise", "n:5.5% w:rise"},
    {"5 % rise", "n:5 s:% w:rise"},
    {"Resolution 2254", "w:Resolution n:2254"},
    {"the 1990s", "w:the n{d}:1990s"},
    {"9/11 attacks", "n:9/11 w:attacks"},
    {"on 15/07/2016", "w:on n:15/07/2016"},
    {"30-40 people", "n{dh}:30-40 w:people"},
    {"2013-05-07", "n{dh}:2013-05-07"},
    {"in 2011.", "w:in n:2011 p:."},
    {"in 2011. More", "w:in n:2011 p:. w:More"},
    {"$5.5bn", "s:$ n:5.5bn"},
    {"€40", "s:€ n:40"},
    {"5km away", "n:5km w:away"},
    {"at 10am", "w:at n:10am"},
    {"192.168.0.1", "n:192.168.0.1"},
    {"2,500-strong", "w{dh}:2,500-strong"},
    {"1,5 millones", "n:1,5 w:millones"},
    {"the ’90s", "w:the n{den}:’90s"},
    {"class of '95", "w:class w:of n{de}:'95"},
    {"-5 degrees", "d:- n:5 w:degrees"},
    {"(5)", "p:( n:5 p:)"},
    {"1990's", "n{dp}:1990's"},
    {"2:1 win", "n:2:1 w:win"},
    {"100,000,", "n:100,000 p:,"},
    {"v2.0", "w:v2 p:. n:0"},
    /* Numbers with no-break and thin spaces */
    {"70\u00A0000 people", "n{dn}:70\u00A0000 w:people"},
    {"70\u2009000", "n{dn}:70\u2009000"},
    {"1\u202F234\u202F567", "n{dn}:1\u202F234\u202F567"},
    {"12\u00A0345", "n:12\u00A0345"},
    {"2011\u00A0200", "n:2011 n:200"},
    {"70\u00A00000", "n:70 n:0000"},
    {"70\u00A000", "n:70 n:00"},
    {"70 000", "n:70 n:000"},
    /* Hyphenated compounds */
    {"five-year-old", "w{h}:five-year-old"},
    {"5-year-old boy", "w{dh}:5-year-old w:boy"},
    {"cease-fire", "w{h}:cease-fire"},
    {"al-Assad", "w{h}:al-Assad"},
    {"Al-Nusra", "w{ch}:Al-Nusra"},
    {"anti-Assad protests", "w{h}:anti-Assad w:protests"},
    {"co-chair", "w:co-chair"},
    {"step-by-step", "w{h}:step-by-step"},
    {"COVID-19", "w{cadh}:COVID-19"},
    {"22-nation group", "w{dh}:22-nation w:group"},
    {"pro- and anti-war", "w:pro d:- w:and w:anti-war"},
    {"non\u2011binding", "w{hn}:non\u2011binding"},
    {"well\u2010known", "w{hn}:well\u2010known"},
    {"Ki-moon", "w{ch}:Ki-moon"},
    {"mid-2014", "w{dh}:mid-2014"},
    /* Apostrophes: possessives and elisions */
    {"Kerry's plan", "w{cp}:Kerry's w:plan"},
    {"Assad’s forces", "w{cpn}:Assad’s w:forces"},
    {"don't", "w{e}:don't"},
    {"don’t", "w{en}:don’t"},
    {"it’s late", "w{en}:it’s w:late"},
    {"It's late", "w{ce}:It's w:late"},
    {"that's it", "w{e}:that's w:it"},
    {"we’re here", "w{en}:we’re w:here"},
    {"they've gone", "w{e}:they've w:gone"},
    {"I'll go", "w{ce}:I'll w:go"},
    {"I'm sure", "w{ce}:I'm w:sure"},
    {"she'd say", "w{e}:she'd w:say"},
    {"can't won't", "w{e}:can't w{e}:won't"},
    {"l'armée", "w{en}:l'armée"},
    {"d’un pays", "w{en}:d’un w:pays"},
    {"qu'il", "w{e}:qu'il"},
    {"L’Express", "w{cen}:L’Express"},
    {"O'Brien", "w{c}:O'Brien"},
    {"rock'n'roll", "w{}:rock'n'roll"},
    {"the Russians’ plan", "w:the w{cpn}:Russians’ w:plan"},
    {"the countries' leaders", "w:the w{p}:countries' w:leaders"},
    {"the Affairs' Guesthouse", "w:the w{cp}:Affairs' w:Guesthouse"},
    {"a minute’s silence", "w:a w{pn}:minute’s w:silence"},
    {"Al-Nusra’s influence", "w{chpn}:Al-Nusra’s w:influence"},
    {"the bosses'", "w:the w{p}:bosses'"},
    {"the bosses’.", "w:the w{pn}:bosses’ p:."},
    {"‘concrete steps’ to save", "q<:‘ w:concrete w:steps q>:’ w:to w:save"},
    {"'the Russians' plan'", "q<:' w:the w:Russians q>:' w:plan q>:'"},
    {"‘the Kerry’s plan’ ok", "q<:‘ w:the w:Kerry’s w:plan q>:’ w:ok"},
    {"who’s going", "w{en}:who’s w:going"},
    {"let's go", "w{e}:let's w:go"},
    {"DON'T", "w{cae}:DON'T"},
    /* Quotes */
    {"\"Hello,\" he said.", "q<:\" w:Hello p:, q>:\" w:he w:said p:."},
    {"“Hello,” he said.", "q<:“ w:Hello p:, q>:” w:he w:said p:."},
    {"'Yes,' she said", "q<:' w:Yes p:, q>:' w:she w:said"},
    {"‘Yes’", "q<:‘ w:Yes q>:’"},
    {"«Bonjour»", "q<:« w:Bonjour q>:»"},
    {"« Bonjour »", "q<:« w:Bonjour q>:»"},
    {"„Hallo“ sagte er", "q<:„ w:Hallo q>:“ w:sagte w:er"},
    {"‚ja‘ oder", "q<:‚ w:ja q>:‘ w:oder"},
    {"‹non›", "q<:‹ w:non q>:›"},
    {"»Nein«", "q<:» w:Nein q>:«"},
    {"a \" b", "w:a q?:\" w:b"},
    {"a\"b", "w:a q?:\" w:b"},
    {"a “ b", "w:a q<:“ w:b"},
    {"(\"quoted\")", "p:( q<:\" w:quoted q>:\" p:)"},
    {"[“quoted”]", "p:[ q<:“ w:quoted q>:” p:]"},
    {"\"'Hello'\"", "q<:\" q<:' w:Hello q>:' q>:\""},
    {"said: \"No.\"", "w:said p:: q<:\" w:No p:. q>:\""},
    {"end.” He", "w:end p:. q>:” w:He"},
    {"said. ” Then", "w:said p:. q>:” w:Then"},
    {"a 'no war, no peace' scenario", "w:a q<:' w:no w:war p:, w:no w:peace q>:' w:scenario"},
    {"the “reset”.", "w:the q<:“ w:reset q>:” p:."},
    {"—“Go”", "d:— q<:“ w:Go q>:”"},
    {"\"...and then\"", "q<:\" p:... w:and w:then q>:\""},
    {"“…by which”", "q<:“ p:… w:by w:which q>:”"},
    {"\"", "q?:\""},
    {"''", "q<:' q?:'"},
    {"the ‘reset’ announced", "w:the q<:‘ w:reset q>:’ w:announced"},
    {"「東京」", "q<:「 w:東京 q>:」"},
    /* Dashes and ellipses */
    {"February — which", "w:February d:— w:which"},
    {"February – which", "w:February d:– w:which"},
    {"decisions -- hard", "w:decisions d:-- w:hard"},
    {"decisions--hard", "w:decisions d:-- w:hard"},
    {"word—word", "w:word d:— w:word"},
    {"opposition - given", "w:opposition d:- w:given"},
    {"---", "d:---"},
    {"1990–1995", "n:1990 d:– n:1995"},
    {"wait...", "w:wait p:..."},
    {"wait…", "w:wait p:…"},
    {"map… by", "w:map p:… w:by"},
    {"so .. what", "w:so p:.. w:what"},
    {". . .", "p:. p:. p:."},
    {"– Lakeside.com", "d:– u:Lakeside.com"},
    {"a ― b", "w:a d:― w:b"},
    /* URLs, e-mails, mentions, hashtags */
    {"see https://example.com/path?q=1.", "w:see u:https://example.com/path?q=1 p:."},
    {"http://x.org/a_(b)", "u:http://x.org/a_(b)"},
    {"(http://x.org/a)", "p:( u:http://x.org/a p:)"},
    {"at www.example.co.uk, today", "w:at u:www.example.co.uk p:, w:today"},
    {"WWW.EXAMPLE.COM", "u:WWW.EXAMPLE.COM"},
    {"To harbourtimes.ng", "w:To u:harbourtimes.ng"},
    {"– Lakeside.com.", "d:– u:Lakeside.com p:."},
    {"bbc.co.uk/news/world", "u:bbc.co.uk/news/world"},
    {"example.org:8080/x", "u:example.org:8080/x"},
    {"said.it was", "w:said p:. w:it w:was"},
    {"end.in time", "w:end p:. w:in w:time"},
    {"ftp://files.example.net/a.zip", "u:ftp://files.example.net/a.zip"},
    {"“https://x.org/a”", "q<:“ u:https://x.org/a q>:”"},
    {"mail john.smith@example.org now", "w:mail e:john.smith@example.org w:now"},
    {"first_last@mail.example.com", "e:first_last@mail.example.com"},
    {"user+tag@example.io.", "e:user+tag@example.io p:."},
    {"jean-paul@example.fr", "e:jean-paul@example.fr"},
    {"a@b", "w:a s:@ w:b"},
    {"@user said", "m:@user w:said"},
    {"(@user_2)", "p:( m:@user_2 p:)"},
    {"#MeToo", "h:#MeToo"},
    {"#Syria2024 now", "h:#Syria2024 w:now"},
    {"#1 hit", "s:# n:1 w:hit"},
    {"#Россия", "h:#Россия"},
    {"A&B", "w:A&B"},
    /* Unicode */
    {"café crème", "w{n}:café w{n}:crème"},
    {"Émile Zola", "w{cn}:Émile w:Zola"},
    {"ÉTAT", "w{can}:ÉTAT"},
    {"Москва и Киев", "w{cn}:Москва w{n}:и w{cn}:Киев"},
    {"東京都", "w{n}:東京都"},
    {"مرحبا بكم", "w:مرحبا w:بكم"},
    {"naïve", "w:naïve"},
    {"Straße", "w:Straße"},
    {"soft\u00ADhyphen", "w:soft\u00ADhyphen"},
    {"zero\u200Bwidth", "w:zero w:width"},
    {"\uFEFFStart", "w:Start"},
    {"one\u00A0two", "w:one w:two"},
    {"ok👍 fine", "w:ok s:👍 w:fine"},
    {"❤️ love", "s:❤️ w:love"},
    {"👍🏽", "s:👍🏽"},
    {"x² and ½", "w:x² w:and n:½"},
    {"٣ ٤", "n:٣ n:٤"},
    {"¿Qué? ¡Sí!", "p:¿ w:Qué p:? p:¡ w:Sí p:!"},
    {"今日は。明日", "w:今日は p:。 w:明日"},
    {"Ǆemal", "w{cn}:Ǆemal"},
    /* Symbols */
    {"A + B = C", "w:A s:+ w:B s:= w:C"},
    {"© 2024", "s:© n:2024"},
    {"50 °C", "n:50 s:° w:C"},
    {"R&D and AT&T", "w{ca}:R&D w:and w{ca}:AT&T"},
    {"a & b", "w:a s:& w:b"},
    {"x*y", "w:x s:* w:y"},
    {"<tag>", "s:< w:tag s:>"},
    {"\u2212 5", "s:\u2212 n:5"},
    {"\uFFFD", "s:\uFFFD"},
    {"a / b", "w:a s:/ w:b"},
    {"M+\u0711", "w:M s{n}:+\u0711"}, /* a mark joins the symbol before it */
};

static unsigned flag_of(char f)
{
    switch (f) {
    case 'c': return LEDE_TF_CAPITALISED;
    case 'a': return LEDE_TF_ALL_CAPS;
    case 'b': return LEDE_TF_ABBREV;
    case 'h': return LEDE_TF_HYPHENATED;
    case 'p': return LEDE_TF_POSSESSIVE;
    case 'e': return LEDE_TF_ELISION;
    case 'o': return LEDE_TF_ORDINAL;
    case 'd': return LEDE_TF_HAS_DIGIT;
    case 'n': return LEDE_TF_NON_ASCII;
    default: return 0;
    }
}

static const char *const kind_codes[LEDE_TOK_KIND_COUNT] = {"w", "n", "p", "q<", "q>", "q?", "d", "s", "u", "e", "h", "m"};
static const char flag_letters[] = "cabhpeodn";

/* Renders the tokens of `doc` like `want`, with flags where `want` has them. */
static void render(char *out, size_t cap, const lede_doc *doc, const char *want)
{
    size_t n, o = 0;
    const lede_token *tok = lede_doc_tokens(doc, &n);
    const char *text = lede_doc_text(doc, NULL);
    out[0] = '\0';
    for (size_t i = 0; i < n && o + 64 < cap; i++) {
        const char *item = want;
        for (size_t k = 0; item && k < i; k++) {
            item = strchr(item, ' ');
            item = item ? item + 1 : NULL;
        }
        int with_flags = item && item[strcspn(item, ": ")] == ':' && strchr(item, '{') &&
                         strchr(item, '{') < strchr(item, ':');
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? " " : "", kind_codes[tok[i].kind]);
        if (with_flags) {
            out[o++] = '{';
            for (const char *f = flag_letters; *f; f++)
                if (tok[i].flags & flag_of(*f))
                    out[o++] = *f;
            out[o++] = '}';
        }
        size_t len = tok[i].end - tok[i].start;
        if (o + len + 2 >= cap)
            break;
        out[o++] = ':';
        memcpy(out + o, text + tok[i].start, len);
        o += len;
        out[o] = '\0';
    }
}

/* Sorts the flag letters of `want` into flag_letters order, so that cases
 * can list them in any order. */
static void normalise_want(char *out, size_t cap, const char *want)
{
    size_t o = 0;
    for (const char *p = want; *p && o + 16 < cap;) {
        if (*p == '{' && (p == want || p[-1] != ':')) {
            const char *close = strchr(p, '}');
            if (!close)
                break;
            out[o++] = '{';
            for (const char *f = flag_letters; *f; f++)
                if (memchr(p, *f, (size_t)(close - p)))
                    out[o++] = *f;
            out[o++] = '}';
            p = close + 1;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}

static void test_cases(lede_tokenizer *tk)
{
    char got[2048], want[2048];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lede_doc *doc;
        if (!CHECK_INT(lede_doc_analyze(&doc, tk, cases[i].in, strlen(cases[i].in)), LEDE_OK))
            continue;
        render(got, sizeof got, doc, cases[i].want);
        normalise_want(want, sizeof want, cases[i].want);
        if (!CHECK_STR(got, want))
            fprintf(stderr, "  input: %s\n", cases[i].in);
        const char *why = doc_check(doc);
        if (!CHECK(why == NULL))
            fprintf(stderr, "  invariant: %s (input: %s)\n", why, cases[i].in);
        lede_doc_free(doc);
    }
    printf("%zu tokenizer cases\n", sizeof cases / sizeof cases[0]);
}

/* Fold of the token at `index` of `in`. */
static void check_fold(lede_tokenizer *tk, const char *in, size_t index, const char *want)
{
    lede_doc *doc;
    if (!CHECK_INT(lede_doc_analyze(&doc, tk, in, strlen(in)), LEDE_OK))
        return;
    size_t n;
    const lede_token *tok = lede_doc_tokens(doc, &n);
    char got[256] = "(no such token)";
    if (index < n && tok[index].fold_len < sizeof got) {
        memcpy(got, lede_doc_folds(doc, NULL) + tok[index].fold, tok[index].fold_len);
        got[tok[index].fold_len] = '\0';
    }
    if (!CHECK_STR(got, want))
        fprintf(stderr, "  input: %s\n", in);
    lede_doc_free(doc);
}

static void test_folds(lede_tokenizer *tk)
{
    check_fold(tk, "The CAT", 0, "the");
    check_fold(tk, "The CAT", 1, "cat");
    check_fold(tk, "Kerry's", 0, "kerry's");
    check_fold(tk, "Kerry’s", 0, "kerry's");
    check_fold(tk, "DON’T", 0, "don't");
    check_fold(tk, "‘Yes’", 0, "‘");
    check_fold(tk, "ÉMILE", 0, "émile");
    check_fold(tk, "Straße", 0, "strasse");
    check_fold(tk, "ΣΟΦΙΑ", 0, "σοφια");
    check_fold(tk, "МОСКВА", 0, "москва");
    check_fold(tk, "U.S.", 0, "u.s.");
    check_fold(tk, "https://Example.COM/A", 0, "https://example.com/a");
    check_fold(tk, "#MeToo", 0, "#metoo");
    check_fold(tk, "70\u00A0000", 0, "70\u00A0000");
    check_fold(tk, "Ǆemal", 0, "ǆemal");
    /* The text itself keeps its case while folds change. */
    lede_doc *doc;
    if (CHECK_INT(lede_doc_analyze(&doc, tk, "ABC def", 7), LEDE_OK)) {
        CHECK_STR(lede_doc_text(doc, NULL), "ABC def");
        lede_doc_free(doc);
    }
}

static unsigned flags_at(lede_tokenizer *tk, const char *in, size_t index)
{
    lede_doc *doc;
    unsigned flags = 0xFFFF;
    if (lede_doc_analyze(&doc, tk, in, strlen(in)) != LEDE_OK)
        return flags;
    size_t n;
    const lede_token *tok = lede_doc_tokens(doc, &n);
    if (index < n)
        flags = tok[index].flags;
    lede_doc_free(doc);
    return flags;
}

static void test_position_flags(lede_tokenizer *tk)
{
    CHECK(flags_at(tk, "a b", 0) & LEDE_TF_SPACE_BEFORE);
    CHECK(flags_at(tk, "a b", 1) & LEDE_TF_SPACE_BEFORE);
    CHECK(!(flags_at(tk, "a,b", 1) & LEDE_TF_SPACE_BEFORE));
    CHECK(flags_at(tk, "a\nb", 1) & LEDE_TF_SPACE_BEFORE);
    CHECK(flags_at(tk, "a\nb", 1) & LEDE_TF_BLOCK_START);
    CHECK(flags_at(tk, "a\nb", 1) & LEDE_TF_SENT_START);
    CHECK(!(flags_at(tk, "a b", 1) & LEDE_TF_SENT_START));
    CHECK(flags_at(tk, "A b. C d.", 3) & LEDE_TF_SENT_START);
    CHECK(!(flags_at(tk, "A b. C d.", 3) & LEDE_TF_BLOCK_START));
    CHECK(flags_at(tk, "x \u00A0y", 1) & LEDE_TF_SPACE_BEFORE);
}

static void test_names(void)
{
    CHECK_STR(lede_token_kind_name(LEDE_TOK_WORD), "word");
    CHECK_STR(lede_token_kind_name(LEDE_TOK_OPEN_QUOTE), "open_quote");
    CHECK_STR(lede_token_kind_name(LEDE_TOK_MENTION), "mention");
    CHECK_STR(lede_token_kind_name(LEDE_TOK_KIND_COUNT), "unknown");
    CHECK_STR(lede_token_kind_name(-1), "unknown");
    CHECK_STR(lede_block_kind_name(LEDE_BLOCK_LIST_ITEM), "list_item");
    CHECK_STR(lede_block_kind_name(99), "unknown");
}

static void test_limits(lede_tokenizer *tk)
{
    /* A run longer than the token limit is cut, and every piece stays valid. */
    size_t n = 3 * LEDE_TOKEN_MAX_BYTES + 5;
    char *s = malloc(n + 1);
    if (!CHECK(s != NULL))
        return;
    memset(s, 'a', n);
    s[n] = '\0';
    s[LEDE_TOKEN_MAX_BYTES - 1] = (char)0xC3; /* é straddling the first cut */
    s[LEDE_TOKEN_MAX_BYTES] = (char)0xA9;
    lede_doc *doc;
    if (CHECK_INT(lede_doc_analyze(&doc, tk, s, n), LEDE_OK)) {
        size_t nt;
        lede_doc_tokens(doc, &nt);
        CHECK_INT(nt, 4);
        const char *why = doc_check(doc);
        if (!CHECK(why == NULL))
            fprintf(stderr, "  invariant: %s\n", why);
        lede_doc_free(doc);
    }
    free(s);
    /* Offsets are 32-bit: longer texts are refused before they are read. */
    static const char tiny[1] = {'x'};
    if (sizeof(size_t) > 4) {
        CHECK_INT(lede_doc_analyze(&doc, tk, tiny, (size_t)UINT32_MAX), LEDE_ELIMIT);
        CHECK(doc == NULL);
    }
    CHECK_INT(lede_doc_analyze(&doc, NULL, "x", 1), LEDE_EINVAL);
    CHECK_INT(lede_doc_analyze(&doc, tk, NULL, 1), LEDE_EINVAL);
    if (CHECK_INT(lede_doc_analyze(&doc, tk, NULL, 0), LEDE_OK)) {
        size_t nb, nt;
        lede_doc_blocks(doc, &nb);
        lede_doc_tokens(doc, &nt);
        CHECK_INT(nb, 0);
        CHECK_INT(nt, 0);
        lede_doc_free(doc);
    }
    lede_doc_free(NULL);
    lede_tokenizer_free(NULL);
}

static void test_languages(void)
{
    lede_tokenizer *fr, *xx, *none;
    if (!CHECK_INT(lede_tokenizer_new(&fr, "fr-FR"), LEDE_OK))
        return;
    lede_doc *doc;
    const char *in = "M. Dupont et Mme Leroy.";
    if (CHECK_INT(lede_doc_analyze(&doc, fr, in, strlen(in)), LEDE_OK)) {
        size_t n;
        const lede_token *tok = lede_doc_tokens(doc, &n);
        CHECK_INT(n, 6);
        CHECK(tok[0].flags & LEDE_TF_ABBREV);
        lede_doc_free(doc);
    }
    lede_tokenizer_free(fr);
    CHECK_INT(lede_tokenizer_new(&xx, "xx"), LEDE_OK); /* unknown: English */
    if (xx && CHECK_INT(lede_doc_analyze(&doc, xx, "Gen. Ray", 8), LEDE_OK)) {
        CHECK(lede_doc_tokens(doc, NULL)[0].flags & LEDE_TF_ABBREV);
        lede_doc_free(doc);
    }
    lede_tokenizer_free(xx);
    CHECK_INT(lede_tokenizer_new(&none, NULL), LEDE_OK);
    lede_tokenizer_free(none);
}

/* Long chains that look like the start of an initialism, address or domain
 * ("ab.ab.ab...") once made every part rescan the chain: each pattern, 1 MB
 * of it, must take well under the seconds that quadratic work took. */
static void test_linear_time(lede_tokenizer *tk)
{
    static const char *const patterns[] = {"a.", "ab.", "No.", "x_", "a.b-", "abc.de.", "U.S", "x@", NULL};
    size_t n = 1 << 20;
    char *s = malloc(n);
    if (!CHECK(s != NULL))
        return;
    for (int i = 0; patterns[i]; i++) {
        size_t k = strlen(patterns[i]);
        for (size_t j = 0; j < n; j++)
            s[j] = patterns[i][j % k];
        clock_t t0 = clock();
        lede_doc *doc;
        if (CHECK_INT(lede_doc_analyze(&doc, tk, s, n), LEDE_OK))
            lede_doc_free(doc);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        if (!CHECK(secs < 3.0))
            fprintf(stderr, "  \"%s\" repeated: %.1f s of CPU for 1 MB\n", patterns[i], secs);
    }
    free(s);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 > cap) {
            char *p = realloc(buf, cap = cap * 2 + 8192);
            if (!p)
                break;
            buf = p;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Every seed article satisfies the invariants (skipped without the seeds). */
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
    int seen = 0;
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
        lede_doc *doc;
        if (CHECK_INT(lede_doc_analyze(&doc, tk, text, len), LEDE_OK)) {
            const char *why = doc_check(doc);
            if (!CHECK(why == NULL))
                fprintf(stderr, "  %s: %s\n", e->d_name, why);
            size_t nt;
            lede_doc_tokens(doc, &nt);
            CHECK(nt > 100);
            lede_doc_free(doc);
        }
        free(text);
        seen++;
    }
    closedir(d);
    printf("seeds: %d articles checked\n", seen);
    CHECK(seen > 0);
}

int main(void)
{
    lede_tokenizer *tk;
    if (!CHECK_INT(lede_tokenizer_new(&tk, "en"), LEDE_OK))
        return check_report("test_tokenize");
    test_cases(tk);
    test_folds(tk);
    test_position_flags(tk);
    test_names();
    test_limits(tk);
    test_languages();
    test_linear_time(tk);
    test_seeds(tk);
    lede_tokenizer_free(tk);
    return check_report("test_tokenize");
}
