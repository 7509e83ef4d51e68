/* Scoring annotation layers against hand-made gold files (docs/eval.md).
 *
 * Two halves: pure scoring over one article held in memory (a parsed gold
 * file, the article text and the spans of each layer), unit-testable without
 * a database; and a driver that reads a folder of gold files, loads each
 * article and its spans from an engine's database and sums the counts.
 * Every score is kept as integer counts; ratios are computed on output, so
 * totals are micro-averages over all articles. */
#ifndef LEDE_EVAL_H
#define LEDE_EVAL_H

#include "lede.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The gold layers, in output order. */
typedef enum lede_eval_layer {
    LEDE_EVAL_BOILERPLATE = 0,
    LEDE_EVAL_CAPTION,
    LEDE_EVAL_QUOTE,
    LEDE_EVAL_FIGURE,
    LEDE_EVAL_META,
    LEDE_EVAL_NLAYERS
} lede_eval_layer;

#define LEDE_EVAL_ALL ((1u << LEDE_EVAL_NLAYERS) - 1)

/* "boilerplate", "caption", "quote", "figure", "meta".  Static. */
const char *lede_eval_layer_name(int layer);
/* The layer called `name`, or -1. */
int lede_eval_layer_find(const char *name);

/* ---- gold files ---------------------------------------------------------- */

typedef struct lede_gold lede_gold;

/* Parses and checks one gold file held in `json` (`len` bytes).  `origin`
 * names it in messages.  On failure *out is NULL and `err` (capacity `cap`,
 * may be 0) says which file, line or field is at fault.  *out is owned by the
 * caller and released with lede_gold_free.  Returns LEDE_OK, LEDE_EPARSE or
 * LEDE_ENOMEM. */
int lede_gold_parse(lede_gold **out, char *err, size_t cap, const char *json, size_t len, const char *origin);
/* Like lede_gold_parse for the file at `path`; LEDE_EIO when it cannot be read. */
int lede_gold_load(lede_gold **out, char *err, size_t cap, const char *path);
void lede_gold_free(lede_gold *gold);

/* The article key the gold file is about (its "file" field).  Owned by `gold`. */
const char *lede_gold_file(const lede_gold *gold);
/* Bit set (1u << lede_eval_layer) of the layers the file annotates: a layer
 * counts only when its key is present ("boilerplate_lines", "caption_lines",
 * "quotes", "figures", "meta"). */
unsigned lede_gold_layers(const lede_gold *gold);

/* ---- counts ---------------------------------------------------------------- */

/* Boilerplate or caption lines. */
typedef struct lede_eval_lines {
    uint64_t articles;  /* articles scored */
    uint64_t lines;     /* non-empty lines */
    uint64_t gold;      /* gold entries of this layer */
    uint64_t predicted; /* line occurrences predicted */
    uint64_t tp, fp, fn;
    uint64_t content;     /* lines neither boilerplate nor caption (boilerplate only) */
    uint64_t gold_absent; /* gold entries with no matching line in the text */
} lede_eval_lines;

/* True and false positives and misses of one matching. */
typedef struct lede_eval_prf {
    uint64_t tp, fp, fn;
} lede_eval_prf;

typedef struct lede_eval_quotes {
    uint64_t articles;
    lede_eval_prf marked; /* direct + partial */
    lede_eval_prf indirect;
    lede_eval_prf attributed; /* all kinds; a wrong speaker is a FP and a FN */
    uint64_t matched;         /* matched pairs, both groups */
    uint64_t speaker_right;   /* of those, with the right speaker */
    uint64_t optional;        /* gold partials inside a gold indirect quote */
    uint64_t optional_hit;    /* of those, matched */
    uint64_t neutral;         /* speakerless predictions of unattributed phrases */
    uint64_t bad_attrs;       /* predictions whose attrs are not a JSON object */
} lede_eval_quotes;

typedef struct lede_eval_figures {
    uint64_t articles;
    lede_eval_prf found;              /* tp is the number of matched pairs */
    uint64_t qualifier, scope, as_of; /* matched pairs with the field equal */
    uint64_t where;                   /* matched pairs with the place right ... */
    uint64_t where_pairs;             /* ... out of those whose gold names a place */
    uint64_t bad_attrs;
} lede_eval_figures;

typedef struct lede_eval_meta {
    uint64_t articles;
    uint64_t title, published, event_date, dateline, agency, outlet; /* articles right */
    uint64_t records;                                                /* articles with a meta span */
    uint64_t bad_attrs;
} lede_eval_meta;

typedef struct lede_eval_counts {
    lede_eval_lines boilerplate, caption;
    lede_eval_quotes quote;
    lede_eval_figures figure;
    lede_eval_meta meta;
} lede_eval_counts;

/* Adds every count of `one` to `total`. */
void lede_eval_counts_add(lede_eval_counts *total, const lede_eval_counts *one);

/* ---- scoring one article ---------------------------------------------------- */

/* One predicted span: byte offsets into the article text (clamped to it) and
 * its attributes as JSON object text (NULL: none). */
typedef struct lede_eval_span {
    int64_t start, end;
    const char *attrs;
} lede_eval_span;

/* An article and its predictions; everything borrowed.  Spans of one layer
 * may come in any order; for `meta` the first in the array is the record. */
typedef struct lede_eval_input {
    const char *text;
    size_t len;
    const lede_eval_span *spans[LEDE_EVAL_NLAYERS];
    size_t n_spans[LEDE_EVAL_NLAYERS];
} lede_eval_input;

/* Scores the layers in `layers` (bit set) that `gold` annotates and writes
 * the counts to *out (zeroed first).  Returns LEDE_OK or LEDE_ENOMEM. */
int lede_eval_score(lede_eval_counts *out, const lede_gold *gold, const lede_eval_input *in, unsigned layers);

/* ---- scoring a database ----------------------------------------------------- */

typedef struct lede_eval_opts {
    int version;     /* LEDE_EVAL_OPTS_VERSION */
    unsigned layers; /* bit set of gold layers to score; 0 means all */
    /* Database layer scored for each gold layer; NULL means the same name. */
    const char *layer_names[LEDE_EVAL_NLAYERS];
    int skip_missing;  /* gold about an article not in the database: warn, go on */
    lede_diag_fn diag; /* warnings; may be NULL */
    void *ud;
} lede_eval_opts;

#define LEDE_EVAL_OPTS_VERSION 1
#define LEDE_EVAL_OPTS_INIT                                                                                  \
    {                                                                                                        \
        LEDE_EVAL_OPTS_VERSION, 0, { NULL }, 0, NULL, NULL                                                   \
    }

/* One scored gold file. */
typedef struct lede_eval_row {
    const char *gold; /* gold file name */
    const char *key;  /* article key in the database */
    lede_eval_counts counts;
} lede_eval_row;

typedef struct lede_eval_report lede_eval_report;

/* Scores every *.json gold file of the folder `gold_path` (or the one file
 * it names) against the engine's database.  A gold file whose article is
 * missing (looked up by key, else by a unique key ending in "/FILE") is an
 * error, LEDE_ENOTFOUND, unless opts->skip_missing.  *out is owned by the
 * caller (lede_eval_report_free) and NULL on error; lede_errmsg(engine)
 * explains errors. */
int lede_eval_run(lede_eval_report **out, lede_engine *engine, const char *gold_path,
                  const lede_eval_opts *opts);
void lede_eval_report_free(lede_eval_report *report);

/* Accessors; pointers owned by the report. */
unsigned lede_eval_report_layers(const lede_eval_report *report);
const char *lede_eval_report_layer_name(const lede_eval_report *report, int layer);
const lede_eval_counts *lede_eval_report_total(const lede_eval_report *report);
const lede_eval_row *lede_eval_report_rows(const lede_eval_report *report, size_t *n);
/* Gold files skipped because their article is missing. */
const char *const *lede_eval_report_missing(const lede_eval_report *report, size_t *n);

/* ---- output ------------------------------------------------------------------ */

/* num / den, or NaN when den is 0 (shown as null / "-"). */
double lede_eval_ratio(uint64_t num, uint64_t den);
double lede_eval_precision(const lede_eval_prf *c);
double lede_eval_recall(const lede_eval_prf *c);
double lede_eval_f1(const lede_eval_prf *c);

/* JSON of the layers in `layers` of `c`, one object per layer with stable
 * keys (docs/eval.md).  New reference owned by the caller; NULL on ENOMEM. */
json_t *lede_eval_counts_json(const lede_eval_counts *c, unsigned layers);
/* The whole report: layers, totals, missing files and per-article counts.
 * New reference owned by the caller; NULL on ENOMEM. */
json_t *lede_eval_report_json(const lede_eval_report *report);

#endif
