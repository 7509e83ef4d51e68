/* libFuzzer target: the date parser (lede_dates_scan, lede_date_parse) on
 * arbitrary bytes must not crash and must keep its invariants: dates inside
 * the text, in order, without overlaps, each a valid calendar date at its
 * precision (or unresolved), written back as ISO 8601.  A violation aborts.
 * The first input bytes pick the reference date, the order of numeric dates
 * and whether relative dates are read. */
#include "dates.h"
#include "lede.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, size_t i)
{
    fprintf(stderr, "invariant broken: %s (date %zu)\n", why, i);
    abort();
}

static void check_date(const lede_date *d, size_t i)
{
    char iso[32];
    size_t n = lede_date_iso(iso, sizeof iso, d);
    if (n >= sizeof iso || strlen(iso) != n)
        fail("ISO form too long or not terminated", i);
    if (d->flags & LEDE_DATE_UNRESOLVED)
        return;
    if (d->precision < LEDE_DATE_YEAR || d->precision > LEDE_DATE_DAY)
        fail("unknown precision", i);
    if (d->ymd.year < 1 || d->ymd.year > 9999)
        fail("year out of range", i);
    if (d->precision >= LEDE_DATE_MONTH && (d->ymd.month < 1 || d->ymd.month > 12))
        fail("month out of range", i);
    if (d->precision >= LEDE_DATE_WEEK && !lede_ymd_valid(d->ymd.year, d->ymd.month, d->ymd.day))
        fail("no such day", i);
    if (d->confidence < 0 || d->confidence > 1)
        fail("confidence outside 0..1", i);
}

/* Options from the first four bytes, when there are so many. */
static void options_from(lede_date_opts *o, const uint8_t *data, size_t size)
{
    lede_date_opts_init(o);
    if (size < 4)
        return;
    o->ref.year = 1990 + data[0] % 50;
    o->ref.month = 1 + data[1] % 12;
    o->ref.day = 1 + data[2] % 28;
    o->order = data[3] & 1 ? LEDE_DATE_MDY : LEDE_DATE_DMY;
    o->relative = data[3] & 2 ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lede_date_opts o;
    options_from(&o, data, size);
    const char *text = (const char *)data;
    lede_date_span *d;
    size_t n;
    if (lede_dates_scan(&d, &n, text, size, &o) != LEDE_OK)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (d[i].start >= d[i].end || d[i].end > size || (i > 0 && d[i].start < d[i - 1].end))
            fail("date outside the text, empty or out of order", i);
        check_date(&d[i].date, i);
    }
    free(d);
    lede_date one;
    if (lede_date_parse(&one, text, size, &o) == LEDE_OK)
        check_date(&one, 0);
    return 0;
}
