/* `lede test`: Lua test files run in the plugin sandbox with the assertion
 * library require("lede.test") (reference: docs/plugins.md, "Testing your
 * plugin"): t.case, t.eq, t.ok, t.near, t.error, and t.run / t.corpus,
 * which run plugins on articles given in the test, with no database file. */
#ifndef LEDE_LUATEST_H
#define LEDE_LUATEST_H

#include "vm.h"

#include <stddef.h>
#include <stdint.h>

/* The outcome of one case.  Strings are borrowed for the callback only. */
typedef struct lede_test_case {
    const char *file; /* the test file, as given */
    int line;         /* line of the test file where it failed (or was declared) */
    const char *name; /* the case's name; "(top level)" for the file itself */
    int ok;
    const char *message; /* why it failed, one line; NULL when ok */
} lede_test_case;

typedef struct lede_test_opts {
    const char *const *plugin_dirs; /* searched first by t.run and t.corpus (--plugins) */
    size_t n_plugin_dirs;
    lede_vm_limits limits; /* of the plugins run by t.run and t.corpus; zeros: defaults */
    void (*report)(void *ud, const lede_test_case *c); /* every case, passing or failing; may be NULL */
    void *ud;
} lede_test_opts;

typedef struct lede_test_stats {
    uint64_t passed, failed;
} lede_test_stats;

/* Runs the test file `path`, adding its cases to *stats and reporting each
 * through opts->report.  A file that cannot be read or loaded, and an error
 * outside any case, count as one failed case.  Returns LEDE_OK whatever the
 * cases did, LEDE_ENOTFOUND when the file does not exist (nothing counted),
 * LEDE_ENOMEM. */
int lede_test_file(lede_test_stats *stats, const char *path, const lede_test_opts *opts);

#endif
