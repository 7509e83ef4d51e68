/* Dates as news pages write them: "7 May, 2013 19:58", "Thursday, 25th April
 * 2024", "Friday, July 15", "2 de mayo de 2024", "05/03/2024", "2024-03-19",
 * "on Tuesday", "last week".  A scanner finds every date of a text and
 * resolves it to a calendar day (or month, week, year) against a reference
 * date: the day the text was written.  Reference: docs/metadata.md.
 *
 * Decisions:
 *  - Impossible dates (30 February, 31 April, month 13) are not dates at all.
 *  - A written weekday that contradicts a written year keeps the numbers (a
 *    weekday is the easier slip) and lowers the confidence, with
 *    LEDE_DATE_WEEKDAY_MISMATCH.  Without a written year, the weekday picks
 *    the year.
 *  - A date without a year takes the year that puts it nearest before the
 *    reference, at most `future_days` after it (news reports the past); with
 *    only `not_before` known, the earliest year on or after it.
 *  - Bare weekdays ("on Tuesday") are the last such day on or before the
 *    reference; "last Tuesday" is strictly before, "next Tuesday" after.
 *  - Relative expressions (today, last week, 3 days ago, bare weekdays) are
 *    reported only when a reference day is known and opts.relative is set.
 *
 * Pure functions of their arguments: no global state. */
#ifndef LEDE_DATES_H
#define LEDE_DATES_H

#include <stddef.h>
#include <stdint.h>

/* A calendar date; 0 in a part means unknown (year 0: no date at all). */
typedef struct lede_ymd {
    int year, month, day;
} lede_ymd;

typedef enum lede_date_precision {
    LEDE_DATE_YEAR = 1,  /* "in 2011" */
    LEDE_DATE_MONTH = 2, /* "March 2011", "in August" */
    LEDE_DATE_WEEK = 3,  /* "last week": the day is the Monday of that week */
    LEDE_DATE_DAY = 4
} lede_date_precision;

/* lede_date.flags */
enum {
    LEDE_DATE_INFERRED_YEAR = 1u << 0,   /* no year written: taken from the reference */
    LEDE_DATE_RELATIVE = 1u << 1,        /* today, last week, on Tuesday: counted from the reference */
    LEDE_DATE_HAS_WEEKDAY = 1u << 2,     /* a weekday name was written */
    LEDE_DATE_WEEKDAY_MISMATCH = 1u << 3, /* ... and it is not the weekday of the date */
    LEDE_DATE_HAS_TIME = 1u << 4,        /* a time of day follows: hour and minute are set */
    LEDE_DATE_NUMERIC = 1u << 5,         /* written in digits only: 05/03/2024, 2024-03-05 */
    LEDE_DATE_ORDER_ASSUMED = 1u << 6,   /* day and month could be swapped: opts.order decided */
    LEDE_DATE_UNRESOLVED = 1u << 7,      /* year unknown (no reference): ymd.year is 0 */
    LEDE_DATE_DAY_FIRST = 1u << 8,       /* written day before month: "7 May", "05/03" read d/m */
    LEDE_DATE_MONTH_FIRST = 1u << 9      /* written month before day: "May 7", "03/05" read m/d */
};

typedef struct lede_date {
    lede_ymd ymd;      /* resolved date; parts finer than the precision are 0 */
    int precision;     /* lede_date_precision */
    int weekday;       /* written weekday, 1 = Monday .. 7 = Sunday; 0 when none */
    int hour, minute;  /* -1 unless LEDE_DATE_HAS_TIME */
    unsigned flags;
    double confidence; /* 0..1: 1 for a full written date, less for inferred parts */
} lede_date;

/* One date found in a text: bytes [start, end). */
typedef struct lede_date_span {
    size_t start, end;
    lede_date date;
} lede_date_span;

/* How to read all-numeric dates whose first two parts could both be a day
 * or a month (05/03/2024); a part above 12 settles it whatever this says. */
typedef enum lede_date_order { LEDE_DATE_DMY = 0, LEDE_DATE_MDY = 1 } lede_date_order;

typedef struct lede_date_opts {
    lede_ymd ref;          /* when the text was written; year 0: unknown */
    lede_ymd not_before;   /* earliest plausible date for an inferred year; year 0: none */
    lede_date_order order; /* default LEDE_DATE_DMY */
    int future_days;       /* how far past ref an inferred date may fall; default 7 */
    int relative;          /* report relative dates (needs ref.day); default 1 */
} lede_date_opts;

/* Defaults: no reference, d/m/y, 7 days, relative dates on. */
void lede_date_opts_init(lede_date_opts *opts);

/* Finds every date in `len` bytes of UTF-8 `text`, in text order, without
 * overlaps.  *out is a malloc'd array owned by the caller (free()), NULL when
 * *n is 0.  `opts` may be NULL (the defaults).  Returns LEDE_OK or
 * LEDE_ENOMEM (then *out is NULL and *n 0). */
int lede_dates_scan(lede_date_span **out, size_t *n, const char *text, size_t len, const lede_date_opts *opts);

/* Reads `s` as one date: the whole string, give or take surrounding white
 * space and a final . , or ;.  Returns LEDE_OK, LEDE_ENOTFOUND when it is not
 * exactly one date, or LEDE_ENOMEM. */
int lede_date_parse(lede_date *out, const char *s, size_t len, const lede_date_opts *opts);

/* Writes the date as ISO 8601 at its precision ("2024", "2024-03",
 * "2024-03-05"; weeks as their Monday) into buf (cap >= 11 is enough).
 * Returns the length, or 0 (buf "") when the date is unresolved. */
size_t lede_date_iso(char *buf, size_t cap, const lede_date *date);

/* Reads "YYYY", "YYYY-MM" or "YYYY-MM-DD", optionally followed by 'T' or a
 * space and anything (a time).  Returns LEDE_OK or LEDE_EINVAL. */
int lede_ymd_parse(lede_ymd *out, const char *s, size_t len);

/* 1 when the day exists (Gregorian calendar, years 1..9999). */
int lede_ymd_valid(int year, int month, int day);
/* Weekday of a valid date: 1 = Monday .. 7 = Sunday. */
int lede_ymd_weekday(int year, int month, int day);
/* Days since 1970-01-01 (negative before), and back. */
int64_t lede_ymd_days(int year, int month, int day);
lede_ymd lede_ymd_from_days(int64_t days);

#endif
