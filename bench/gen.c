/*
 * gen — writes a deterministic JSON Lines corpus of fictional news articles
 * for the benchmarks:  gen [--mb N] [--seed S] > corpus.jsonl
 *
 * Every run with the same options writes the same bytes (own PRNG, no libc
 * rand, no clock), and a smaller corpus is a prefix of a larger one.  The
 * articles have the shape of scraped news pages: outlet boilerplate (menus,
 * footers), headlines, datelines, captions, quotes with attribution, figures
 * in many notations, abbreviations and accented names.  All text is made up
 * here from the vocabulary below.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBSP "\302\240"      /* U+00A0 no-break space */
#define THINSP "\342\200\211" /* U+2009 thin space */
#define NNBSP "\342\200\257" /* U+202F narrow no-break space */
#define LDQ "\342\200\234"   /* “ */
#define RDQ "\342\200\235"   /* ” */
#define LSQ "\342\200\230"   /* ‘ */
#define RSQ "\342\200\231"   /* ’ */
#define MDASH "\342\200\224" /* — */
#define NDASH "\342\200\223" /* – */
#define ELLIP "\342\200\246" /* … */
#define LGUIL "\302\253"     /* « */
#define RGUIL "\302\273"     /* » */
#define LOW9 "\342\200\236"  /* „ */
#define EURO "\342\202\254"  /* € */
#define COPY "\302\251"      /* © */
#define MIDDOT "\302\267"    /* · */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[rng_below((r), COUNT(a))])

/* ---- PRNG: splitmix64, state passed explicitly ---------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t rng_below(rng *r, size_t n)
{
    return (size_t)((rng_next(r) >> 11) % n);
}

static int rng_range(rng *r, int lo, int hi)
{
    return lo + (int)rng_below(r, (size_t)(hi - lo + 1));
}

static int rng_chance(rng *r, int percent)
{
    return (int)rng_below(r, 100) < percent;
}

/* ---- growable byte buffer -------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void buf_reserve(buf *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fprintf(stderr, "gen: out of memory\n");
        exit(1);
    }
    b->p = p;
    b->cap = cap;
}

static void buf_add(buf *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_puts(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void buf_printf(buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    buf_add(b, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* NUL-terminates the contents (not counted in len) and returns them. */
static const char *buf_cstr(buf *b)
{
    buf_reserve(b, 1);
    b->p[b->len] = '\0';
    return b->p;
}

/* ---- vocabulary ------------------------------------------------------------ */

typedef struct outlet {
    const char *name, *slug, *domain, *handle;
    const char *const *header; /* boilerplate lines before the article */
    size_t n_header;
    const char *const *footer; /* boilerplate lines after it */
    size_t n_footer;
} outlet;

static const char *const harbour_header[] = {
    "Skip to main content", "Home | World | Politics | Business | Sport | Opinion | Culture",
    "Subscribe", "Sign in", "Search", "Breaking News"};
static const char *const harbour_footer[] = {
    COPY " 2024 The Harbour Courier Ltd. All rights reserved.",
    "Terms of Use " MIDDOT " Privacy Policy " MIDDOT " Cookie Settings " MIDDOT " Contact us",
    "Follow us on social media @HarbourCourier", "Share this article",
    "Advertisement"};
static const char *const ledger_header[] = {
    "Accessibility links", "Breaking News", "Menu", "Listen to this story",
    "Northgate Daily Ledger", "Topics"};
static const char *const ledger_footer[] = {
    "Copyright (c) Northgate Daily Ledger. All Rights Reserved.",
    "Reprinted with permission. For more, visit www.northgateledger.example",
    "Related", "Most Read", "Newsletter: sign up for the morning briefing"};
static const char *const radio_header[] = {
    "icon bookmark icon camera icon check icon chevron down icon chevron left icon chevron right "
    "icon close icon download icon edit icon fb icon file icon filter icon flag icon mail icon "
    "search icon share icon sign in icon sign up icon tag icon trash icon tw icon yt",
    "RVI English", "Live radio", "News | Programmes | Schedule | Podcasts"};
static const char *const radio_footer[] = {
    "Radio Velora International " COPY " 2011" NDASH "2024",
    "Podcasts " MIDDOT " Apps " MIDDOT " Frequencies " MIDDOT " Jobs",
    "This article was produced with the support of our listeners. #RVI",
    "Write to us: letters@rvi.example"};
static const char *const wire_header[] = {
    "MERIDIAN WIRE SERVICE", "(UPDATED)", "World",
    "This is AI generated summarization, which may have errors.",
    "For context, always refer to the full article."};
static const char *const wire_footer[] = {
    COPY " Meridian Wire Service. Redistribution prohibited without written permission.",
    "Meridian Wire Service/mws", "Tags: diplomacy, conflict, talks"};
static const char *const reveil_header[] = {
    "Le R" "\303\251veil de Lys " NDASH " English Edition", "Accueil | Monde | " "\303\211"
    "conomie | Culture", "Menu", "Rechercher"};
static const char *const reveil_footer[] = {
    COPY " Le R" "\303\251veil de Lys SA. Tous droits r" "\303\251serv" "\303\251s.",
    "Mentions l" "\303\251gales " MIDDOT " Confidentialit" "\303\251",
    "Lire aussi", "Commentaires (0)"};
static const char *const ost_header[] = {
    "Ostbr\303\274cke Rundschau", "Today's paper", "Sections", "Log in | Register",
    "Thursday's edition"};
static const char *const ost_footer[] = {
    "Ostbr" "\303\274cke Rundschau GmbH " COPY " 2024",
    "Imprint " MIDDOT " Data protection " MIDDOT " Terms",
    "Send tips to newsroom@ostbruecke.example or @OstRundschau", "Back to top"};

#define OUTLET(n, s, d, h, hd, ft) {n, s, d, h, hd, COUNT(hd), ft, COUNT(ft)}
static const outlet outlets[] = {
    OUTLET("The Harbour Courier", "harbour", "www.harbourcourier.example", "@HarbourCourier",
           harbour_header, harbour_footer),
    OUTLET("Northgate Daily Ledger", "ledger", "northgateledger.example", "@NorthgateLedger",
           ledger_header, ledger_footer),
    OUTLET("Radio Velora International", "rvi", "www.rvi.example", "@RVInews", radio_header,
           radio_footer),
    OUTLET("Meridian Wire Service", "mws", "meridianwire.example", "@MeridianWire", wire_header,
           wire_footer),
    OUTLET("Le R\303\251veil de Lys", "reveil", "www.reveil-lys.example", "@ReveilLys",
           reveil_header, reveil_footer),
    OUTLET("Ostbr\303\274cke Rundschau", "ost", "ostbruecke.example", "@OstRundschau",
           ost_header, ost_footer),
};

static const char *const first_names[] = {
    "Jos\303\251", "Ren\303\251e", "J\303\274rgen", "Ana", "Zo\303\253", "Miguel",
    "H\303\251l\303\250ne", "S\303\270ren", "Amara", "Tom\303\241s", "Ingrid", "Kwame",
    "Yusuf", "Mariam", "Olek", "Priya", "Daniel", "Sarah", "Michael", "Leila", "Peter",
    "Fatima", "Carlos", "Nadia", "Thomas", "Irene", "Samuel", "Mart\303\255n"};
static const char *const last_names[] = {
    "N\303\272\303\261ez", "Dubois", "Vogt", "Pe\303\261a", "Akerman", "Castellanos",
    "M\303\274ller", "Okafor", "Haddad", "Lindqvist", "Mercier", "Brandt", 
    "Ib\303\241\303\261ez", "Kowal", "Sato", "Fern\303\241ndez", "O'Neill", "al-Rashid", "van der Berg",
    "Smith-Jones", "Halloran", "Abara", "Moreau", "Weiss", "Osei", "Tanaka", "Keller",
    "Ruiz", "Adeyemi", "Strand"};
static const char *const roles[] = {
    "Gen.", "Sen.", "Foreign Minister", "Defence Minister", "Prime Minister", "President",
    "Lt. Col.", "Dr.", "Prof.", "Rep.", "Gov.", "Col.", "Adm.", "Maj. Gen.",
    "U.S. Secretary of State", "U.N. envoy", "State Department spokesman",
    "Interior Ministry spokeswoman", "opposition leader", "Mayor", "Police Chief",
    "Health Minister", "Sgt."};
static const char *const countries[] = {
    "Veloria", "Ostmark", "Calder", "Tarsen", "Marisco", "Kesh", "Lyrandia", "Sorvia",
    "the U.S.", "the U.K.", "Nordhavn", "Estrela"};
static const char *const adjectives_nat[] = {
    "Velorian", "Ostmarker", "Calderan", "Tarsenese", "Mariscan", "Keshi", "Lyrandian",
    "Sorvian", "U.S.", "British", "Nordhavnian", "Estrelan"};
static const char *const cities[] = {
    "Port Halden", "Velmar", "Kirrin", "Arbela", "San Teodoro", "Novo Brant", "Lisk",
    "Haverford", "Mirebeau", "Zell am Kessel", "Qadira", "Montfaucon", "Saint-\303\211tienne-sur-Lys",
    "Bra\303\261osa", "D\303\274rrwald"};
static const char *const orgs[] = {
    "the U.N. Security Council", "the Ministry of Defence", "the Velorian Red Crescent",
    "the Northern Accord (NA)", "the International Monitoring Mission", "the State Department",
    "the Kesh Liberation Front (KLF)", "M\303\251decins du Nord", "the Central Bank of Calder",
    "the E.U. Commission", "the World Food Programme (WFP)", "the Ostmark Electoral Board",
    "Amnesty Watch", "the Interior Ministry", "the U.N. refugee agency"};
static const char *const nouns[] = {
    "ceasefire", "talks", "convoy", "shelling", "offensive", "agreement", "sanctions",
    "aid delivery", "negotiations", "budget", "inflation", "election", "referendum", "drought",
    "floods", "protest", "blockade", "truce", "reform package", "investigation", "evacuation",
    "prisoner exchange", "peace plan", "airstrike", "curfew"};
static const char *const adjectives[] = {
    "fragile", "long-awaited", "controversial", "so-called", "unprecedented", "bloody",
    "five-year-old", "cross-border", "hard-won", "stalled", "step-by-step", "U.N.-backed",
    "well-known", "state-run", "short-lived", "two-day"};
static const char *const said_verbs[] = {
    "said", "told reporters", "added", "warned", "insisted", "told the Courier",
    "wrote on social media", "said in a statement", "told a news conference",
    "explained", "said on Tuesday", "acknowledged"};
static const char *const weekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                       "Saturday", "Sunday"};
static const char *const months[] = {"January", "February", "March", "April", "May", "June",
                                     "July", "August", "September", "October", "November",
                                     "December"};
static const char *const months_abbr[] = {"Jan.", "Feb.", "March", "April", "May", "June",
                                          "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."};
static const char *const small_words[] = {"two", "three", "four", "five", "six", "seven",
                                          "eight", "nine", "ten", "twelve", "dozens of",
                                          "hundreds of", "thousands of"};
static const char *const victims[] = {"civilians", "people", "soldiers", "children",
                                      "aid workers", "police officers", "protesters",
                                      "fighters", "residents"};
static const char *const fates[] = {"killed", "wounded", "displaced", "detained", "missing",
                                    "evacuated", "injured", "abducted"};
static const char *const qualifiers[] = {"at least", "more than", "nearly", "about", "up to",
                                         "some", "over", "an estimated"};

/* Quotes: the words inside the marks, without final punctuation. */
static const char *const quote_bodies[] = {
    "We will not accept a {adj} {noun} that leaves {victims} without protection",
    "This is a step in the right direction, but only a step",
    "The {noun} is holding for now, and we intend to keep it that way",
    "Nobody in {city} believes the {noun} will last beyond {weekday}",
    "Our teams counted {count} {victims} {fate} since {month} {day}",
    "I want to emphasise that this is not based on trust",
    "There is no military solution to this conflict " MDASH " there never was",
    "We have done what we promised to do, and {country} knows it",
    "The numbers speak for themselves: {count} {victims} in {num2} weeks",
    "It's too early to say whether the {noun} has failed",
    "Each of us knows exactly what we have to do",
    "We don't have the fuel, we don't have the medicine, and we don't have time",
    "The {adj} {noun} must be implemented in good faith",
    "They told us to leave " ELLIP " so we left with nothing",
    "We call on {org} to act now",
    "The U.S. and its partners stand ready to help",
    "What happened in {city} was a crime, plain and simple",
    "I've seen nothing like it in {num2} years of service",
};

/* Body sentences.  Keys in braces expand through gen_key(); a capitalised
 * key capitalises its first letter. */
static const char *const sentences[] = {
    "{Rolep} met {rolep} in {city} on {date} to discuss the {adj} {noun}.",
    LDQ "{quote}," RDQ " {last} {said}.",
    LDQ "{quote}," RDQ " said {rolep}.",
    "{Last} said: " LDQ "{quote}." RDQ,
    "\"{quote},\" {last} told reporters in {city}.",
    LDQ "{quote}. {quote}," RDQ " {last} added.",
    "According to {org}, {qual} {count} {victims} have been {fate} since the {noun} began.",
    "{Qual} {count} {victims} were {fate} in {city}, officials said.",
    "The {noun} would cost {money}, according to a document seen by {outlet}.",
    "{Org} said {pct} of households in {city} had no access to clean water.",
    "Inflation in {country} reached {pct} in {month}, the highest since {year}.",
    "The {adj} {noun} was announced at {time} local time on {weekday}.",
    "{Last}'s spokesman said the {noun} would go ahead as planned.",
    "{Last}" RSQ "s office declined to comment on the {noun}.",
    "The {nat} government has denied any role in the {noun} " MDASH " a claim {org} disputes.",
    "Talks in {city} stretched late into {weekday} night ({month} {day}), diplomats said.",
    "It was the {ord} round of {noun} since {year}.",
    "Asked whether the {noun} had failed, {last} replied: " LDQ "Not yet." RDQ,
    "{Rolep} called the {noun} " LDQ "{adj}" RDQ " and " LDQ "a first step." RDQ,
    "The so-called " LSQ "{adj} {noun}" RSQ " has been criticised by {org}.",
    "Some {count} {victims} fled across the border into {country} in {month}.",
    "More than {bignum} people have been displaced, {org} estimates.",
    "The U.N. says {qual} {bignum} {victims} need aid; the U.S. puts the figure at {bignum}.",
    "{Last} did not say when the {noun} would end{ellipsis}",
    "Officials in {city} (population {bignum}) reported {count} cases by {time}.",
    "{Rolep}, {age}, was speaking after a {adj} session of {org}.",
    "The report, published on {isodate}, lists {count} incidents between {month} and {month2}.",
    "A {adj} {noun} between {country} and {country} collapsed in {year}.",
    "Prices rose {pct} year on year, while wages grew just {pct}.",
    "{Qual} {count} {victims} were {fate} and {count} others {fate}, said {rolep}.",
    "The {nat} army said it had repelled an attack near {city}, killing {count} fighters.",
    "Contact the newsroom at {email} or visit {url} for updates.",
    "Residents shared videos with the hashtag #{hashtag} on social media.",
    "In a post addressed to {handle}, {last} wrote that the {noun} was " LDQ "over." RDQ,
    "Mr. {last} and Ms. {last} arrived in {city} at {time} a.m. on {weekday}.",
    "The {noun} " NDASH " the {ord} this year " NDASH " affected {bignum} households.",
    "Voters in {country} approved the {noun} by {pct} to {pct}.",
    "{Org} pledged {money} in emergency aid for {city} and the surrounding {region}.",
    "{Last} is expected to travel to {city} next week, {outlet} understands.",
    "The U.N.-brokered {noun} took effect at midnight on {date}.",
    LOW9 "{quote}" LDQ ", sagte {last} der Zeitung.",
    LGUIL " {quote} " RGUIL ", a d" "\303\251clar" "\303\251 {last}.",
    "{Rolep} said that {country} was ready to {verb} the {noun}, but gave no details.",
    "{Last} said the {noun} was {adj} and that more {victims} would be {fate} without it.",
    "Those figures could not be independently verified, {person} said.",
    "The situation remains tense.",
    "Calls to the ministry went unanswered on {weekday}.",
};

static const char *const headlines[] = {
    "{Country} and {country} agree on " LSQ "concrete steps" RSQ " to save {noun}",
    "{Last} warns of {adj} {noun} as talks resume in {city}",
    "{Qual} {count} {victims} {fate} in {city} {noun}",
    "{Nat} {noun} stalls after {weekday} {noun}",
    "{Country}, {country} to push for global {noun}",
    "What the {noun} means for {city}",
    "LIVE: {noun} in {city} " NDASH " latest updates",
    "{Org} says {bignum} {victims} {fate} since {month}",
    "Analysis: Is the {adj} {noun} already over?",
    "{Rolep} arrives in {city} for {adj} talks",
};

static const char *const verbs[] = {"support", "review", "suspend", "extend", "sign",
                                    "reconsider", "monitor"};
static const char *const regions[] = {"province", "district", "valley", "border region",
                                      "coastal area"};
static const char *const hashtags[] = {"Velmar", "StandWithKirrin", "CeasefireNow",
                                       "Lyrandia2024", "PortHalden"};

/* ---- the article being written ---------------------------------------------- */

typedef struct person {
    const char *first, *last, *role;
    int initial; /* written "J. Last" (every first name starts with an ASCII letter) */
} person;

typedef struct gen {
    rng r;
    const outlet *out;
    person cast[4];
    int n_cast;
    int year, month, day;
} gen;

static void expand(gen *g, buf *b, const char *tpl, int depth);

/* "%d<sep>%02d"-style pairs: the two draws are separate statements because
 * the order in which function arguments are evaluated is unspecified, and
 * the corpus must be the same whatever the compiler. */
static void put_pair(rng *r, buf *b, const char *fmt, int lo1, int hi1, int lo2, int hi2)
{
    int x = rng_range(r, lo1, hi1);
    int y = rng_range(r, lo2, hi2);
    buf_printf(b, fmt, x, y);
}

static void put_group3(buf *b, unsigned long v, const char *sep)
{
    if (v >= 1000) {
        put_group3(b, v / 1000, sep);
        buf_puts(b, sep);
        buf_printf(b, "%03lu", v % 1000);
    } else {
        buf_printf(b, "%lu", v);
    }
}

/* A count of people: small, or with thousands separators in the notations
 * news pages use (1,200  70 000 with no-break or thin space  3.5 million). */
static void put_count(gen *g, buf *b, int big)
{
    rng *r = &g->r;
    unsigned long v = big ? (unsigned long)rng_range(r, 1000, 950000)
                          : (unsigned long)rng_range(r, 2, 3000);
    switch (rng_below(r, 8)) {
    case 0: put_pair(r, b, "%d.%d million", 1, 12, 1, 9); return;
    case 1: put_group3(b, v, NBSP); return;
    case 2: put_group3(b, v, rng_chance(r, 50) ? THINSP : NNBSP); return;
    case 3: buf_printf(b, "%lu", v); return;
    case 4: if (!big) { buf_puts(b, PICK(r, small_words)); return; } /* fall through */
    default: put_group3(b, v, ","); return;
    }
}

static void put_person(buf *b, const person *p, int with_role)
{
    if (with_role) {
        buf_puts(b, p->role);
        buf_puts(b, " ");
    }
    if (p->initial) {
        buf_add(b, p->first, 1);
        buf_puts(b, ". ");
    } else {
        buf_puts(b, p->first);
        buf_puts(b, " ");
    }
    buf_puts(b, p->last);
}

static void put_ordinal(buf *b, int n)
{
    const char *suf = (n % 100 >= 11 && n % 100 <= 13) ? "th"
                      : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    buf_printf(b, "%d%s", n, suf);
}

static void put_date(gen *g, buf *b)
{
    rng *r = &g->r;
    int d = rng_range(r, 1, 28), m = (int)rng_below(r, 12);
    switch (rng_below(r, 4)) {
    case 0: buf_printf(b, "%s %d", months[m], d); break;
    case 1: buf_printf(b, "%s %d, %d", months_abbr[m], d, g->year - (int)rng_below(r, 3)); break;
    case 2: buf_printf(b, "%d %s %d", d, months[m], g->year); break;
    default: buf_printf(b, "%s, %s %d", weekdays[rng_below(r, 7)], months[m], d); break;
    }
}

static void put_money(gen *g, buf *b)
{
    rng *r = &g->r;
    static const char *const cur[] = {"$", EURO, "\302\243", "US$"};
    buf_puts(b, PICK(r, cur));
    if (rng_chance(r, 50))
        put_pair(r, b, rng_chance(r, 50) ? "%d.%d billion" : "%d.%d million", 1, 99, 1, 9);
    else
        put_group3(b, (unsigned long)rng_range(r, 1000, 9000000), ",");
}

static void put_key(gen *g, buf *b, const char *key, size_t klen, int depth)
{
    rng *r = &g->r;
    const person *p = &g->cast[rng_below(r, (size_t)g->n_cast)];
#define IS(k) (klen == sizeof(k) - 1 && memcmp(key, k, klen) == 0)
    if (IS("rolep")) put_person(b, p, 1);
    else if (IS("person")) put_person(b, p, 0);
    else if (IS("last")) buf_puts(b, p->last);
    else if (IS("quote")) expand(g, b, PICK(r, quote_bodies), depth + 1);
    else if (IS("said")) buf_puts(b, PICK(r, said_verbs));
    else if (IS("country")) buf_puts(b, PICK(r, countries));
    else if (IS("nat")) buf_puts(b, PICK(r, adjectives_nat));
    else if (IS("city")) buf_puts(b, PICK(r, cities));
    else if (IS("org")) buf_puts(b, PICK(r, orgs));
    else if (IS("noun")) buf_puts(b, PICK(r, nouns));
    else if (IS("adj")) buf_puts(b, PICK(r, adjectives));
    else if (IS("verb")) buf_puts(b, PICK(r, verbs));
    else if (IS("region")) buf_puts(b, PICK(r, regions));
    else if (IS("victims")) buf_puts(b, PICK(r, victims));
    else if (IS("fate")) buf_puts(b, PICK(r, fates));
    else if (IS("qual")) buf_puts(b, PICK(r, qualifiers));
    else if (IS("weekday")) buf_puts(b, PICK(r, weekdays));
    else if (IS("month")) buf_puts(b, PICK(r, months));
    else if (IS("month2")) buf_puts(b, PICK(r, months));
    else if (IS("day")) put_ordinal(b, rng_range(r, 1, 28));
    else if (IS("ord")) put_ordinal(b, rng_range(r, 1, 40));
    else if (IS("date")) put_date(g, b);
    else if (IS("isodate")) {
        buf_printf(b, "%04d-", g->year);
        put_pair(r, b, "%02d-%02d", 1, 12, 1, 28);
    }
    else if (IS("year")) buf_printf(b, "%d", rng_range(r, 1989, g->year));
    else if (IS("time")) put_pair(r, b, "%d:%02d", 0, 23, 0, 59);
    else if (IS("count")) put_count(g, b, 0);
    else if (IS("bignum")) put_count(g, b, 1);
    else if (IS("num2")) buf_printf(b, "%d", rng_range(r, 2, 30));
    else if (IS("age")) buf_printf(b, "%d", rng_range(r, 34, 81));
    else if (IS("pct")) put_pair(r, b, rng_chance(r, 50) ? "%d.%d%%" : "%d.%d percent", 0, 80, 0, 9);
    else if (IS("money")) put_money(g, b);
    else if (IS("outlet")) buf_puts(b, g->out->name);
    else if (IS("handle")) buf_puts(b, g->out->handle);
    else if (IS("hashtag")) buf_puts(b, PICK(r, hashtags));
    else if (IS("email")) buf_printf(b, "newsdesk@%s", g->out->domain + (strncmp(g->out->domain, "www.", 4) ? 0 : 4));
    else if (IS("url")) buf_printf(b, "https://%s/live/%d/%02d/updates?ref=lede", g->out->domain, g->year, g->month);
    else if (IS("ellipsis")) buf_puts(b, rng_chance(r, 50) ? ELLIP : "...");
    else {
        fprintf(stderr, "gen: unknown template key {%.*s}\n", (int)klen, key);
        exit(2);
    }
#undef IS
}

/* Writes `tpl` with its {keys} expanded.  A key starting with a capital
 * capitalises its (ASCII) first letter: "{Org}" gives "The ...". */
static void expand(gen *g, buf *b, const char *tpl, int depth)
{
    while (*tpl) {
        const char *open = strchr(tpl, '{');
        if (!open || depth > 3) {
            buf_puts(b, tpl);
            return;
        }
        buf_add(b, tpl, (size_t)(open - tpl));
        const char *close = strchr(open, '}');
        char key[32];
        size_t klen = (size_t)(close - open - 1);
        memcpy(key, open + 1, klen);
        int cap = key[0] >= 'A' && key[0] <= 'Z';
        if (cap)
            key[0] = (char)(key[0] - 'A' + 'a');
        size_t at = b->len;
        put_key(g, b, key, klen, depth);
        if (cap && at < b->len && b->p[at] >= 'a' && b->p[at] <= 'z')
            b->p[at] = (char)(b->p[at] - 'a' + 'A');
        tpl = close + 1;
    }
}

static void line(buf *b, const char *s)
{
    buf_puts(b, s);
    buf_puts(b, "\n");
}

static void new_cast(gen *g)
{
    rng *r = &g->r;
    g->n_cast = rng_range(r, 2, 4);
    for (int i = 0; i < g->n_cast; i++) {
        person *p = &g->cast[i];
        p->first = PICK(r, first_names);
        p->last = PICK(r, last_names);
        p->role = PICK(r, roles);
        p->initial = rng_chance(r, 15);
    }
}

static void put_dateline_top(gen *g, buf *b)
{
    rng *r = &g->r;
    switch (rng_below(r, 4)) {
    case 0:
        buf_printf(b, "%s, ", weekdays[rng_below(r, 7)]);
        put_ordinal(b, g->day);
        buf_printf(b, " %s %d\n", months[g->month - 1], g->year);
        break;
    case 1:
        buf_printf(b, "%d %s, %d ", g->day, months[g->month - 1], g->year);
        put_pair(r, b, "%d:%02d\n", 0, 23, 0, 59);
        break;
    case 2:
        put_pair(r, b, "Updated: %02d:%02d GMT, ", 0, 23, 0, 59);
        buf_printf(b, "%d %s %d\n", g->day, months[g->month - 1], g->year);
        break;
    default:
        buf_printf(b, "Published %04d-%02d-%02dT", g->year, g->month, g->day);
        put_pair(r, b, "%02d:%02d:00Z\n", 0, 23, 0, 59);
        break;
    }
}

/* Upper-cases ASCII and the Latin-1 letters à..þ (U+00E0..U+00FE but ÷),
 * enough for the city names above. */
static void put_upper(buf *b, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        unsigned char u = *c;
        if (u >= 'a' && u <= 'z')
            u = (unsigned char)(u - 'a' + 'A');
        else if (c > (const unsigned char *)s && c[-1] == 0xC3 && u >= 0xA0 && u <= 0xBE && u != 0xB7)
            u = (unsigned char)(u - 0x20);
        buf_add(b, (const char *)&u, 1);
    }
}

static void put_caption(gen *g, buf *b)
{
    rng *r = &g->r;
    const person *p = &g->cast[0];
    buf_puts(b, "A convoy waits at a checkpoint near ");
    buf_puts(b, PICK(r, cities));
    buf_puts(b, rng_chance(r, 50) ? " on " : ", ");
    put_date(g, b);
    buf_printf(b, ". %s PHOTO / %s %s\n", rng_chance(r, 50) ? "MWS" : "FILE", p->first,
               p->last);
}

/* Writes one article's text into `b` and its title into `title`. */
static void gen_article(gen *g, buf *b, buf *title, size_t target)
{
    rng *r = &g->r;
    const outlet *o = g->out;
    for (size_t i = 0, n = (size_t)rng_range(r, 1, (int)o->n_header); i < n; i++)
        line(b, o->header[i]);
    buf_puts(b, "\n");
    if (rng_chance(r, 70))
        put_dateline_top(g, b);
    expand(g, title, PICK(r, headlines), 0);
    line(b, buf_cstr(title));
    buf_puts(b, "\n");
    int captioned = rng_chance(r, 60);
    if (captioned)
        put_caption(g, b);
    if (captioned && rng_chance(r, 40)) /* pages often repeat the caption */
        put_caption(g, b);
    buf_puts(b, "\n");
    /* Dateline paragraph: "CITY, Country (Outlet) – ..." */
    const char *city = PICK(r, cities);
    put_upper(b, city);
    buf_printf(b, ", %s (%s) ", PICK(r, countries), o->name);
    buf_puts(b, rng_chance(r, 50) ? NDASH " " : MDASH " ");
    while (b->len < target) {
        for (int s = 0, n = rng_range(r, 1, 5); s < n; s++) {
            if (s)
                buf_puts(b, " ");
            expand(g, b, PICK(r, sentences), 0);
        }
        buf_puts(b, rng_chance(r, 25) ? "\n\n" : "\n");
    }
    if (rng_chance(r, 30))
        buf_printf(b, "\nRead more: %s\n", buf_cstr(title));
    buf_puts(b, "\n");
    for (size_t i = 0, n = (size_t)rng_range(r, 1, (int)o->n_footer); i < n; i++)
        line(b, o->footer[i]);
}

static void json_string(buf *out, const char *s, size_t n)
{
    buf_reserve(out, n + 2);
    buf_puts(out, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_puts(out, "\\\""); break;
        case '\\': buf_puts(out, "\\\\"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\t': buf_puts(out, "\\t"); break;
        default:
            if (c < 0x20)
                buf_printf(out, "\\u%04x", c);
            else
                buf_add(out, (const char *)&s[i], 1);
        }
    }
    buf_puts(out, "\"");
}

static void write_article(gen *g, buf *json, unsigned long seq)
{
    rng *r = &g->r;
    buf text = {0}, title = {0};
    g->out = &outlets[rng_below(r, COUNT(outlets))];
    g->year = rng_range(r, 2011, 2024);
    g->month = rng_range(r, 1, 12);
    g->day = rng_range(r, 1, 28);
    new_cast(g);
    gen_article(g, &text, &title, (size_t)rng_range(r, 2800, 7600));

    char key[64], date[16], url[192];
    snprintf(key, sizeof key, "%s-%07lu", g->out->slug, seq);
    snprintf(date, sizeof date, "%04d-%02d-%02d", g->year, g->month, g->day);
    snprintf(url, sizeof url, "https://%s/%d/%02d/%s", g->out->domain, g->year, g->month, key);
    json->len = 0;
    buf_puts(json, "{\"id\":\"");
    buf_puts(json, key);
    buf_puts(json, "\",\"source\":");
    json_string(json, g->out->name, strlen(g->out->name));
    buf_puts(json, ",\"url\":\"");
    buf_puts(json, url);
    buf_puts(json, "\",\"title\":");
    json_string(json, title.p, title.len);
    buf_puts(json, ",\"published\":\"");
    buf_puts(json, date);
    buf_puts(json, "\"");
    if (rng_chance(r, 30)) /* an unknown field, kept as extra metadata */
        buf_printf(json, ",\"section\":\"%s\"", rng_chance(r, 50) ? "World" : "Politics");
    buf_puts(json, ",\"text\":");
    json_string(json, text.p, text.len);
    buf_puts(json, "}\n");
    free(text.p);
    free(title.p);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: gen [--mb N] [--seed S] > corpus.jsonl\n"
               "Writes about N MB (10^6 bytes, default 100) of deterministic JSON Lines\n"
               "news articles to standard output.\n");
}

int main(int argc, char **argv)
{
    double mb = 100;
    uint64_t seed = 0x1EDE2024u;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mb") && i + 1 < argc) {
            char *end;
            mb = strtod(argv[++i], &end);
            if (*end || !(mb > 0)) {
                fprintf(stderr, "gen: --mb wants a positive number, not '%s'\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    gen g = {.r = {seed}};
    buf json = {0};
    double target = mb * 1e6, written = 0;
    for (unsigned long seq = 1; written < target; seq++) {
        write_article(&g, &json, seq);
        if (fwrite(json.p, 1, json.len, stdout) != json.len) {
            fprintf(stderr, "gen: write failed: %s\n", strerror(errno));
            return 1;
        }
        written += (double)json.len;
    }
    free(json.p);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "gen: write failed: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
