/* Tolls tracked across articles, for the corpus pass of the stock plugin
 * `casualties` (docs/casualties.md, "Tracking"): the figures of every
 * article grouped into series (same place, category class and scope), one
 * point per article and series ordered by date, with what moved between
 * points as notes.  It writes the attrs of the `toll` spans and of the
 * `toll_series` rows, with the numbers of the plugin's Lua origins: Lua's
 * integers and floats (a count 3, a range's middle 3.0).
 *
 * Use: cas_tracker_new, cas_tracker_article for every article (in the
 * order of their ids), cas_tracker_figure for every figure (by article,
 * then position), cas_tracker_run, cas_tracker_toll_fields and
 * cas_tracker_row_fields, then write the series rows and the tolls. */
#ifndef LEDE_CASTRACK_H
#define LEDE_CASTRACK_H

#include "jsonw.h"

#include <stddef.h>
#include <stdint.h>

typedef struct cas_tracker cas_tracker;

/* The text of article `article` (an index of cas_tracker_article), read
 * for telling wire copy: *text stays valid until the next call.  Returns
 * LEDE_OK or an error, passed on. */
typedef int (*cas_track_text_fn)(void *ud, uint32_t article, const char **text, size_t *len);

/* tolerance: the share by which two outlets' figures for a day may differ. */
int cas_tracker_new(cas_tracker **out, double tolerance);
void cas_tracker_free(cas_tracker *t);

/* The message of the last LEDE_EINVAL or LEDE_EUTF8 (a figure's attrs, a
 * place or outlet that cannot be folded), naming the article. */
const char *cas_tracker_error(const cas_tracker *t);

/* Adds an article: its key and outlet (both NUL-terminated, copied).
 * Articles are numbered 0, 1, ... in the order added.  Returns LEDE_OK or
 * LEDE_ENOMEM. */
int cas_tracker_article(cas_tracker *t, const char *key, const char *outlet);

/* Adds a figure of article `article`: span `id` of the layer, bytes
 * [start, end) of the article's text, its attrs (a JSON object, NULL for
 * none).  Only the figures a series can take are kept (dated, placed,
 * counted, not a sub-count, no vague word), in the layer's order (article,
 * start, end, id): they should come by article and start (a figure out of
 * that order is moved back, one step at a time).  Returns LEDE_OK,
 * LEDE_ENOMEM, or LEDE_EINVAL for attrs that are not an object or a field
 * of the wrong type. */
int cas_tracker_figure(cas_tracker *t, uint32_t article, int64_t id, uint32_t start, uint32_t end,
                       const char *attrs, size_t len);

/* Makes the series, their points and notes.  Returns LEDE_OK,
 * LEDE_ENOMEM, LEDE_EINVAL or LEDE_EUTF8 (see cas_tracker_error), or an
 * error of `text`. */
int cas_tracker_run(cas_tracker *t, cas_track_text_fn text, void *ud);

/* The series, in the order of their first figures, and the tolls (one a
 * point), by article key and then position: the order they are written. */
size_t cas_tracker_n_series(const cas_tracker *t);
size_t cas_tracker_n_tolls(const cas_tracker *t);

/* The span of toll k: its article and bytes [*start, *end). */
void cas_tracker_toll_span(const cas_tracker *t, size_t k, uint32_t *article, uint32_t *start, uint32_t *end);

/* The fields of the toll spans (of the series rows), in the order their
 * attrs are written: the layer's declared fields.  A field the tracker
 * does not know is written null.  Returns LEDE_OK, LEDE_ENOMEM, or
 * LEDE_EINVAL when a field the tracker writes is not among them (see
 * cas_tracker_error).  Call both before writing. */
int cas_tracker_toll_fields(cas_tracker *t, char *const *fields, size_t n);
int cas_tracker_row_fields(cas_tracker *t, char *const *fields, size_t n);

/* The attrs of toll k or of series s, written to b (emptied first).
 * Returns 0, or -1 when out of memory. */
int cas_tracker_toll_json(cas_tracker *t, size_t k, lede_jsonw *b);
int cas_tracker_row_json(const cas_tracker *t, size_t s, lede_jsonw *b);

#endif
