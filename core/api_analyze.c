/* In-memory analysis (lede_analyzer, lede_result): one VM runs the plugins'
 * article() on texts that never reach a database, the way `lede test` runs
 * plugins on in-memory articles. */
#include "lede.h"

#include "text.h"
#include "vm.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lede_analyzer {
    lede_plugin_path path;
    lede_plugin_set set;
    lede_limits limits;
    lede_vm *vm;          /* remade when a limit exhausts it */
    unsigned char *failed; /* per plugin, during one text */
    char errmsg[1024];
};

typedef struct result_span {
    uint32_t plugin, layer, start, end;
    char *attrs;
} result_span;

struct lede_result {
    char *text;
    size_t len;
    result_span *spans;
    size_t n;
    char **names; /* "layer\0plugin\0" per (plugin, layer): names[first_layer[p] + l] */
    size_t *first_layer;
    size_t n_plugins;
};

static int fail(lede_analyzer *a, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail(lede_analyzer *a, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->errmsg, sizeof a->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

static int make_vm(lede_analyzer *a)
{
    char err[sizeof a->errmsg];
    lede_span_reader none = {NULL, NULL};
    int rc = lede_vm_new(&a->vm, &a->set, &a->path, &a->limits, none, err, sizeof err);
    if (rc != LEDE_OK) {
        a->vm = NULL;
        return fail(a, rc, "%s", err);
    }
    return LEDE_OK;
}

int lede_analyzer_new(lede_analyzer **out, const char *const *plugins, size_t n, const lede_run_opts *opts)
{
    lede_analyzer *a = calloc(1, sizeof *a);
    *out = a;
    if (a == NULL)
        return LEDE_ENOMEM;
    if (opts && opts->version != LEDE_RUN_OPTS_VERSION)
        return fail(a, LEDE_EINVAL, "analyzer: options version %d, this lede knows %d (use LEDE_RUN_OPTS_INIT)",
                    opts->version, LEDE_RUN_OPTS_VERSION);
    if (n > 0 && plugins == NULL)
        return fail(a, LEDE_EINVAL, "analyzer: %zu plugin names but no array", n);
    if (opts)
        a->limits = opts->limits;
    int rc = lede_plugin_path_init(&a->path, opts ? opts->plugin_dirs : NULL, opts ? opts->n_plugin_dirs : 0);
    if (rc != LEDE_OK)
        return fail(a, rc, "analyzer: cannot build the plugin search path: %s", lede_errstr(rc));
    rc = lede_plugin_set_resolve(&a->set, &a->path, plugins, n, opts ? opts->options : NULL,
                                 opts ? opts->n_options : 0, a->errmsg, sizeof a->errmsg);
    if (rc != LEDE_OK)
        return rc;
    a->failed = calloc(a->set.n + 1, 1);
    if (a->failed == NULL)
        return fail(a, LEDE_ENOMEM, "analyzer: out of memory");
    return make_vm(a);
}

void lede_analyzer_free(lede_analyzer *a)
{
    if (a == NULL)
        return;
    lede_vm_free(a->vm);
    lede_plugin_set_free(&a->set);
    lede_plugin_path_free(&a->path);
    free(a->failed);
    free(a);
}

const char *lede_analyzer_errmsg(const lede_analyzer *a)
{
    return a ? a->errmsg : "out of memory";
}

void lede_result_free(lede_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->spans[i].attrs);
    free(r->spans);
    if (r->names)
        for (size_t i = 0; i < r->first_layer[r->n_plugins]; i++)
            free(r->names[i]);
    free(r->names);
    free(r->first_layer);
    free(r->text);
    free(r);
}

static char *name_pair(const char *layer, const char *plugin)
{
    size_t nl = strlen(layer) + 1, np = strlen(plugin) + 1;
    char *s = malloc(nl + np);
    if (s) {
        memcpy(s, layer, nl);
        memcpy(s + nl, plugin, np);
    }
    return s;
}

/* Copies the set's layer names, so a result outlives its analyzer. */
static int result_names(lede_result *r, const lede_plugin_set *set)
{
    r->n_plugins = set->n;
    r->first_layer = calloc(set->n + 1, sizeof *r->first_layer);
    if (r->first_layer == NULL)
        return LEDE_ENOMEM;
    for (size_t p = 0; p < set->n; p++)
        r->first_layer[p + 1] = r->first_layer[p] + set->items[p]->n_layers;
    r->names = calloc(r->first_layer[set->n] + 1, sizeof *r->names);
    if (r->names == NULL)
        return LEDE_ENOMEM;
    for (size_t p = 0; p < set->n; p++)
        for (size_t l = 0; l < set->items[p]->n_layers; l++)
            if ((r->names[r->first_layer[p] + l] = name_pair(set->items[p]->layers[l].name, set->items[p]->name)) == NULL)
                return LEDE_ENOMEM;
    return LEDE_OK;
}

static int cmp_span(const void *x, const void *y)
{
    const result_span *a = x, *b = y;
    if (a->plugin != b->plugin)
        return a->plugin < b->plugin ? -1 : 1;
    if (a->layer != b->layer)
        return a->layer < b->layer ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->end > b->end) - (a->end < b->end);
}

/* Moves the spans the plugins wrote out of the VM into r, sorted. */
static int result_take_spans(lede_result *r, lede_vm *vm, size_t n_plugins)
{
    size_t total = 0;
    for (size_t p = 0; p < n_plugins; p++)
        total += vm->out[p].n;
    r->spans = malloc((total + 1) * sizeof *r->spans);
    if (r->spans == NULL)
        return LEDE_ENOMEM;
    for (size_t p = 0; p < n_plugins; p++)
        for (size_t i = 0; i < vm->out[p].n; i++) {
            lede_span *s = &vm->out[p].v[i];
            r->spans[r->n++] = (result_span){(uint32_t)p, s->layer, s->start, s->end, s->attrs};
            s->attrs = NULL;
        }
    qsort(r->spans, r->n, sizeof *r->spans, cmp_span); /* ties keep no order: spans are equal then */
    return LEDE_OK;
}

static int deps_failed(const lede_analyzer *a, size_t p)
{
    const lede_plugin *pg = a->set.items[p];
    for (size_t d = 0; d < pg->n_requires; d++)
        if (a->failed[pg->deps[d]])
            return 1;
    return 0;
}

/* Runs every plugin on the open article; the first failure is reported. */
static int run_plugins(lede_analyzer *a, const char *key)
{
    int first = LEDE_OK;
    memset(a->failed, 0, a->set.n);
    for (size_t p = 0; p < a->set.n; p++) {
        if (!a->set.items[p]->has_article)
            continue;
        if (deps_failed(a, p)) {
            a->failed[p] = 1;
            continue;
        }
        lede_failure f = {0};
        int rc = lede_vm_run_article(a->vm, p, &f);
        if (rc != LEDE_OK) {
            a->failed[p] = 1;
            if (first == LEDE_OK)
                first = fail(a, rc, "plugin '%s' failed on '%s': %s%s%s", a->set.items[p]->name, key,
                             f.location ? f.location : "", f.location ? ": " : "", f.message ? f.message : "failed");
        }
        lede_failure_clear(&f);
    }
    return first;
}

static char *dup_or_null(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

int lede_analyze_text(lede_result **out, lede_analyzer *a, const char *text, size_t len,
                      const lede_article_meta *meta)
{
    *out = NULL;
    if (a->vm == NULL && make_vm(a) != LEDE_OK)
        return LEDE_EPLUGIN;
    if (text == NULL && len > 0)
        return fail(a, LEDE_EINVAL, "analyze: NULL text of %zu bytes", len);
    lede_result *r = calloc(1, sizeof *r);
    if (r == NULL || result_names(r, &a->set) != LEDE_OK) {
        lede_result_free(r);
        return fail(a, LEDE_ENOMEM, "analyze: out of memory");
    }
    size_t repairs, first_bad;
    if (len > UINT32_MAX) {
        lede_result_free(r);
        return fail(a, LEDE_ELIMIT, "analyze: text of %zu bytes is over the 4 GiB offset limit", len);
    }
    if (lede_text_clean(&r->text, &r->len, &repairs, &first_bad, text ? text : "", len) != LEDE_OK) {
        lede_result_free(r);
        return fail(a, LEDE_ENOMEM, "analyze: out of memory cleaning the text");
    }
    const lede_article_meta none = {0};
    const lede_article_meta *m = meta ? meta : &none;
    lede_article art = {1, dup_or_null(m->key ? m->key : "text"), dup_or_null(m->source), dup_or_null(m->url),
                        dup_or_null(m->title), dup_or_null(m->published), dup_or_null(m->language ? m->language : "en"),
                        r->text, r->len};
    int rc = art.key && art.language ? LEDE_OK : fail(a, LEDE_ENOMEM, "analyze: out of memory");
    if (rc == LEDE_OK) {
        lede_vm_begin_article(a->vm, &art);
        rc = run_plugins(a, art.key);
        if (result_take_spans(r, a->vm, a->set.n) != LEDE_OK && rc == LEDE_OK)
            rc = fail(a, LEDE_ENOMEM, "analyze: out of memory");
        lede_vm_end_article(a->vm);
        if (lede_vm_exhausted(a->vm)) { /* a limit left the state full: the next text gets a new one */
            lede_vm_free(a->vm);
            a->vm = NULL;
        }
    }
    art.text = NULL; /* owned by r */
    lede_article_clear(&art);
    *out = r;
    return rc;
}

const char *lede_result_text(const lede_result *r, size_t *len)
{
    if (len)
        *len = r->len;
    return r->text;
}

size_t lede_result_span_count(const lede_result *r)
{
    return r->n;
}

int lede_result_span_get(lede_result_span *out, const lede_result *r, size_t i)
{
    if (i >= r->n)
        return LEDE_EINVAL;
    const result_span *s = &r->spans[i];
    const char *names = r->names[r->first_layer[s->plugin] + s->layer];
    *out = (lede_result_span){names, names + strlen(names) + 1, s->start, s->end, s->attrs};
    return LEDE_OK;
}
