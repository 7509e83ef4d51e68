/* Date scanning and resolution (core/dates.c): a table of texts and what
 * the scanner must find in each, then the calendar helpers, lede_date_parse
 * and lede_date_iso.  A case's expectation lists every date found, in
 * order, as "matched text=ISO", with " HH:MM" when a time was read, "/w"
 * for week precision, and in brackets: i inferred year, r relative, w
 * weekday mismatch, o day/month order assumed, u unresolved (ISO "-"). */
#include "check.h"
#include "dates.h"
#include "lede.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct scan_case {
    const char *text;
    const char *ref;        /* reference day, or NULL */
    const char *not_before; /* or NULL */
    int mdy;                /* numeric order m/d/y instead of d/m/y */
    int no_relative;
    const char *want;
} scan_case;

#define R13 "2013-05-08" /* a Wednesday */

static const scan_case CASES[] = {
    /* ---- written dates with a year ---- */
    {"7 May, 2013 19:58", NULL, NULL, 0, 0, "7 May, 2013 19:58=2013-05-07 19:58"},
    {"Thursday, 25th April 2024", NULL, NULL, 0, 0, "Thursday, 25th April 2024=2024-04-25"},
    {"UN Resolution 2254 of June 30, 2012, calls", NULL, NULL, 0, 0, "June 30, 2012=2012-06-30"},
    {"Updated Sunday 17 November 2024, 20:30", NULL, NULL, 0, 0,
     "Sunday 17 November 2024, 20:30=2024-11-17 20:30"},
    {"April 05, 2024 16:40 GMT", NULL, NULL, 0, 0, "April 05, 2024 16:40 GMT=2024-04-05 16:40"},
    {"Publié le 20 février 2024 à 09h15", NULL, NULL, 0, 0, "20 février 2024 à 09h15=2024-02-20 09:15"},
    {"jueves, 2 de mayo de 2024", NULL, NULL, 0, 0, "jueves, 2 de mayo de 2024=2024-05-02"},
    {"JUEVES, 2 DE MAYO DE 2024", NULL, NULL, 0, 0, "JUEVES, 2 DE MAYO DE 2024=2024-05-02"},
    {"am 17. November 2024", NULL, NULL, 0, 0, "17. November 2024=2024-11-17"},
    {"le 1er mars 2024", NULL, NULL, 0, 0, "1er mars 2024=2024-03-01"},
    {"el 1º de mayo de 2024", NULL, NULL, 0, 0, "1º de mayo de 2024=2024-05-01"},
    {"em 15 de março de 2024", NULL, NULL, 0, 0, "15 de março de 2024=2024-03-15"},
    {"3 Dezember 2023", NULL, NULL, 0, 0, "3 Dezember 2023=2023-12-03"},
    {"Montag, 4. März 2024", NULL, NULL, 0, 0, "Montag, 4. März 2024=2024-03-04"},
    {"segunda-feira, 4 de março de 2024", NULL, NULL, 0, 0, "segunda-feira, 4 de março de 2024=2024-03-04"},
    {"on the 4th of July, 1976", NULL, NULL, 0, 0, "the 4th of July, 1976=1976-07-04"},
    {"Sept. 11, 2001", NULL, NULL, 0, 0, "Sept. 11, 2001=2001-09-11"},
    {"Jan 5 2020", NULL, NULL, 0, 0, "Jan 5 2020=2020-01-05"},
    {"Sat 9 Mar 2024 10.00 GMT", NULL, NULL, 0, 0, "Sat 9 Mar 2024 10.00 GMT=2024-03-09 10:00"},
    {"Tue 7 May 2013 19.58 BST", NULL, NULL, 0, 0, "Tue 7 May 2013 19.58 BST=2013-05-07 19:58"},
    {"12 Feb, 2024 08:41", NULL, NULL, 0, 0, "12 Feb, 2024 08:41=2024-02-12 08:41"},
    {"MAY 7, 2013", NULL, NULL, 0, 0, "MAY 7, 2013=2013-05-07"},
    {"7 MAY 2013", NULL, NULL, 0, 0, "7 MAY 2013=2013-05-07"},
    {"Published 8 May 2024, 06:10 BST", NULL, NULL, 0, 0, "8 May 2024, 06:10 BST=2024-05-08 06:10"},
    {"Published 4:31 PM EDT, May 7, 2013", NULL, NULL, 0, 0, "May 7, 2013=2013-05-07"},
    {"on 3rd June 2019", NULL, NULL, 0, 0, "3rd June 2019=2019-06-03"},
    {"21st October 2015 and 22nd February 2022", NULL, NULL, 0, 0,
     "21st October 2015=2015-10-21; 22nd February 2022=2022-02-22"},
    {"since the 1st of January 2000", NULL, NULL, 0, 0, "the 1st of January 2000=2000-01-01"},
    {"Oct. 3, 2023", NULL, NULL, 0, 0, "Oct. 3, 2023=2023-10-03"},
    {"NOV 11 2023", NULL, NULL, 0, 0, "NOV 11 2023=2023-11-11"},
    {"Updated 4:15 PM EDT, Tue May 7, 2013", NULL, NULL, 0, 0, "Tue May 7, 2013=2013-05-07"},
    {"May 7, 2013 4:15 PM GMT", NULL, NULL, 0, 0, "May 7, 2013 4:15 PM GMT=2013-05-07 16:15"},
    {"July 15, 2016 at 9:05 am", NULL, NULL, 0, 0, "July 15, 2016 at 9:05 am=2016-07-15 09:05"},
    {"5 de marzo de 2024 a las 10:30", NULL, NULL, 0, 0, "5 de marzo de 2024 a las 10:30=2024-03-05 10:30"},
    {"am 5. März 2024 um 10:30 Uhr", NULL, NULL, 0, 0, "5. März 2024 um 10:30=2024-03-05 10:30"},
    {"on May 7, 2013. The talks", NULL, NULL, 0, 0, "May 7, 2013=2013-05-07"},
    {"At 10:30 on 7 May 2024", NULL, NULL, 0, 0, "7 May 2024=2024-05-07"},
    {"4 April 1968\n20:01 local", NULL, NULL, 0, 0, "4 April 1968=1968-04-04"},

    /* ---- months and years ---- */
    {"the war began in March 2011", NULL, NULL, 0, 0, "March 2011=2011-03"},
    {"en décembre 2023", NULL, NULL, 0, 0, "décembre 2023=2023-12"},
    {"jueves de mayo de 2024", NULL, NULL, 0, 0, "mayo de 2024=2024-05"},
    {"June, 2012", NULL, NULL, 0, 0, "June, 2012=2012-06"},
    {"January 2020 and February 2021", NULL, NULL, 0, 0, "January 2020=2020-01; February 2021=2021-02"},
    {"the June 2012 communiqué", NULL, NULL, 0, 0, "June 2012=2012-06"},
    {"erupted in 2011", NULL, NULL, 0, 0, "2011=2011"},
    {"in place since 2019", NULL, NULL, 0, 0, "2019=2019"},
    {"control in mid-2014", NULL, NULL, 0, 0, "2014=2014"},
    {"in early 2014", NULL, NULL, 0, 0, "2014=2014"},
    {"by 2030", NULL, NULL, 0, 0, "2030=2030"},
    {"the 2012 floods", NULL, NULL, 0, 0, ""},
    {"its 2024-25 budget", NULL, NULL, 0, 0, ""},
    {"in the 1990s", NULL, NULL, 0, 0, ""},
    {"in 2,024 cases", NULL, NULL, 0, 0, ""},
    {"by 38 votes to 21", NULL, NULL, 0, 0, ""},
    {"(c) 2024 The Sentinel", NULL, NULL, 0, 0, ""},
    {"Resolution 2254", NULL, NULL, 0, 0, ""},
    {"in 1066", NULL, NULL, 0, 0, ""},

    /* ---- all-numeric ---- */
    {"2024-03-19", NULL, NULL, 0, 0, "2024-03-19=2024-03-19"},
    {"2024-03-19T18:05:00+01:00", NULL, NULL, 0, 0, "2024-03-19T18:05:00+01:00=2024-03-19 18:05"},
    {"2024-03-19T18:05:00Z", NULL, NULL, 0, 0, "2024-03-19T18:05:00Z=2024-03-19 18:05"},
    {"2024-03-19T18:05:00.123Z", NULL, NULL, 0, 0, "2024-03-19T18:05:00.123Z=2024-03-19 18:05"},
    {"Source: X| 2013-05-07 19:58:36|Editor", NULL, NULL, 0, 0, "2013-05-07 19:58:36=2013-05-07 19:58"},
    {"2024/03/05", NULL, NULL, 0, 0, "2024/03/05=2024-03-05"},
    {"2024.3.5", NULL, NULL, 0, 0, "2024.3.5=2024-03-05"},
    {"2024-3-5", NULL, NULL, 0, 0, ""},
    {"05/03/2024", NULL, NULL, 0, 0, "05/03/2024=2024-03-05[o]"},
    {"05/03/2024", NULL, NULL, 1, 0, "05/03/2024=2024-05-03[o]"},
    {"25/12/2024", NULL, NULL, 1, 0, "25/12/2024=2024-12-25"},
    {"12/25/2024", NULL, NULL, 0, 0, "12/25/2024=2024-12-25"},
    {"05.03.2024", NULL, NULL, 0, 0, "05.03.2024=2024-03-05[o]"},
    {"5.3.2024", NULL, NULL, 0, 0, "5.3.2024=2024-03-05[o]"},
    {"05-03-2024", NULL, NULL, 0, 0, "05-03-2024=2024-03-05[o]"},
    {"5/3/24", "2024-06-01", NULL, 0, 0, "5/3/24=2024-03-05[o]"},
    {"5/3/99", "2024-06-01", NULL, 0, 0, "5/3/99=1999-03-05[o]"},
    {"5.3.24", NULL, NULL, 0, 0, ""},
    {"07/07/2024", NULL, NULL, 0, 0, "07/07/2024=2024-07-07"},
    {"31/02/2024", NULL, NULL, 0, 0, ""},
    {"13/13/2024", NULL, NULL, 0, 0, ""},
    {"version 1.2.3.4", NULL, NULL, 0, 0, ""},
    {"10.5.2024.1", NULL, NULL, 0, 0, ""},
    {"Publicado: 05/03/2024 - 08:30", NULL, NULL, 0, 0, "05/03/2024 - 08:30=2024-03-05 08:30[o]"},
    {"2024-02-30", NULL, NULL, 0, 0, ""},
    {"2023-02-29", NULL, NULL, 0, 0, ""},
    {"2024-02-29", NULL, NULL, 0, 0, "2024-02-29=2024-02-29"},
    {"a 3-1 win", NULL, NULL, 0, 0, ""},
    {"call 555-12-34", NULL, NULL, 0, 0, ""},
    {"30/06/2012", NULL, NULL, 0, 0, "30/06/2012=2012-06-30"},
    {"2016-07-15 and 2016-07-16", NULL, NULL, 0, 0, "2016-07-15=2016-07-15; 2016-07-16=2016-07-16"},
    {"12345-01-01", NULL, NULL, 0, 0, ""},

    /* ---- missing years ---- */
    {"on May 29 told", "2019-06-10", NULL, 0, 0, "May 29=2019-05-29[i]"},
    {"on May 29", "2019-05-25", NULL, 0, 0, "May 29=2019-05-29[i]"},
    {"on May 29", "2019-05-10", NULL, 0, 0, "May 29=2018-05-29[i]"},
    {"on December 30", "2024-01-05", NULL, 0, 0, "December 30=2023-12-30[i]"},
    {"on January 10", "2024-01-05", NULL, 0, 0, "January 10=2024-01-10[i]"},
    {"on February 29", "2024-06-01", NULL, 0, 0, "February 29=2024-02-29[i]"},
    {"on February 29", "2023-06-01", NULL, 0, 0, "February 29=2020-02-29[i]"},
    {"29 February", "2023-06-01", NULL, 0, 0, "29 February=2020-02-29[i]"},
    {"said Friday, July 15, they", "2016-07-20", NULL, 0, 0, "Friday, July 15=2016-07-15[i]"},
    {"said Friday, July 15", "2024-01-01", NULL, 0, 0, "Friday, July 15=2022-07-15[i]"},
    {"on Saturday, March 9", "2024-12-31", NULL, 0, 0, "Saturday, March 9=2024-03-09[i]"},
    {"on Saturday, March 9", NULL, "2019-01-01", 0, 0, "Saturday, March 9=2019-03-09[i]"},
    {"on May 29", NULL, "2019-03-01", 0, 0, "May 29=2019-05-29[i]"},
    {"on May 29", NULL, "2019-06-01", 0, 0, "May 29=2020-05-29[i]"},
    {"on May 29", "2019-12-31", "2019-03-01", 0, 0, "May 29=2019-05-29[i]"},
    {"on May 29", NULL, NULL, 0, 0, "May 29=-[iu]"},
    {"began in August", "2024-02-14", NULL, 0, 0, "August=2023-08[i]"},
    {"began in August", "2024-09-01", NULL, 0, 0, "August=2024-08[i]"},
    {"since January", "2024-03-01", NULL, 0, 0, "January=2024-01[i]"},
    {"by the end of May", "2013-05-07", NULL, 0, 0, "May=2013-05[i]"},
    {"in mid-March", "2013-05-07", NULL, 0, 0, "March=2013-03[i]"},
    {"Thursday, July 14, Assad", "2016-07-20", NULL, 0, 0, "Thursday, July 14=2016-07-14[i]"},
    {"late into Tuesday night (May 7), the envoy", R13, NULL, 0, 0, "Tuesday night (May 7)=2013-05-07[i]"},
    {"Tuesday (May 7)", R13, NULL, 0, 0, "Tuesday (May 7)=2013-05-07[i]"},
    {"Tuesday night (May 7)", NULL, NULL, 0, 0, "Tuesday night (May 7)=-[iu]"},
    {"on February 11", "2024-02-12", NULL, 0, 0, "February 11=2024-02-11[i]"},
    {"Wednesday, May 29", "2019-06-10", NULL, 0, 0, "Wednesday, May 29=2019-05-29[i]"},
    {"Sunday, May 29", "2019-06-10", NULL, 0, 0, "Sunday, May 29=2016-05-29[i]"},
    {"on 15 July", "2016-07-20", NULL, 0, 0, "15 July=2016-07-15[i]"},
    {"on 12 May", "2024-05-10", NULL, 0, 0, "12 May=2024-05-12[i]"},
    {"le 1er mai", "2024-05-10", NULL, 0, 0, "1er mai=2024-05-01[i]"},
    {"am 3. Oktober", "2023-10-10", NULL, 0, 0, "3. Oktober=2023-10-03[i]"},
    {"on Sept 3", "2023-10-01", NULL, 0, 0, "Sept 3=2023-09-03[i]"},
    {"11 Nov", "2023-11-20", NULL, 0, 0, "11 Nov=2023-11-11[i]"},
    {"the May 7 vote", R13, NULL, 0, 0, "May 7=2013-05-07[i]"},
    {"May 7-8", R13, NULL, 0, 0, "May 7=2013-05-07[i]"},
    {"from 5 May to 7 May 2024", NULL, NULL, 0, 0, "5 May=-[iu]; 7 May 2024=2024-05-07"},
    {"fell 12 percent in May", R13, NULL, 0, 0, "May=2013-05[i]"},

    /* ---- weekdays against written dates ---- */
    {"Friday, July 15, 2015", NULL, NULL, 0, 0, "Friday, July 15, 2015=2015-07-15[w]"},
    {"Monday, 4 March 2024", NULL, NULL, 0, 0, "Monday, 4 March 2024=2024-03-04"},
    {"Tuesday, 4 March 2024", NULL, NULL, 0, 0, "Tuesday, 4 March 2024=2024-03-04[w]"},
    {"jeudi 2 mai 2024", NULL, NULL, 0, 0, "jeudi 2 mai 2024=2024-05-02"},

    /* ---- relative to the reference (Wednesday 8 May 2013) ---- */
    {"talks on Tuesday", R13, NULL, 0, 0, "Tuesday=2013-05-07[r]"},
    {"said on Wednesday", R13, NULL, 0, 0, "Wednesday=2013-05-08[r]"},
    {"on Thursday", R13, NULL, 0, 0, "Thursday=2013-05-02[r]"},
    {"last Tuesday", R13, NULL, 0, 0, "last Tuesday=2013-05-07[r]"},
    {"last Wednesday", R13, NULL, 0, 0, "last Wednesday=2013-05-01[r]"},
    {"next Tuesday", R13, NULL, 0, 0, "next Tuesday=2013-05-14[r]"},
    {"next Wednesday", R13, NULL, 0, 0, "next Wednesday=2013-05-15[r]"},
    {"this Friday", R13, NULL, 0, 0, "this Friday=2013-05-03[r]"},
    {"on Tuesday night", R13, NULL, 0, 0, "Tuesday night=2013-05-07[r]"},
    {"late Thursday", R13, NULL, 0, 0, "Thursday=2013-05-02[r]"},
    {"Tuesday's vote", R13, NULL, 0, 0, "Tuesday=2013-05-07[r]"},
    {"after their Tuesday Moscow meeting", R13, NULL, 0, 0, "Tuesday=2013-05-07[r]"},
    {"yesterday", R13, NULL, 0, 0, "yesterday=2013-05-07[r]"},
    {"today", R13, NULL, 0, 0, "today=2013-05-08[r]"},
    {"tomorrow", R13, NULL, 0, 0, "tomorrow=2013-05-09[r]"},
    {"tonight", R13, NULL, 0, 0, "tonight=2013-05-08[r]"},
    {"yesterday morning", R13, NULL, 0, 0, "yesterday morning=2013-05-07[r]"},
    {"last week", R13, NULL, 0, 0, "last week=2013-04-29/w[r]"},
    {"this week", R13, NULL, 0, 0, "this week=2013-05-06/w[r]"},
    {"next week", R13, NULL, 0, 0, "next week=2013-05-13/w[r]"},
    {"last month", R13, NULL, 0, 0, "last month=2013-04[r]"},
    {"this month", R13, NULL, 0, 0, "this month=2013-05[r]"},
    {"next month", R13, NULL, 0, 0, "next month=2013-06[r]"},
    {"last month", "2013-01-15", NULL, 0, 0, "last month=2012-12[r]"},
    {"last year", R13, NULL, 0, 0, "last year=2012[r]"},
    {"earlier this month", R13, NULL, 0, 0, "earlier this month=2013-05[r]"},
    {"later this year", R13, NULL, 0, 0, "later this year=2013[r]"},
    {"3 days ago", R13, NULL, 0, 0, "3 days ago=2013-05-05[r]"},
    {"two weeks ago", R13, NULL, 0, 0, "two weeks ago=2013-04-22/w[r]"},
    {"a year ago", R13, NULL, 0, 0, "a year ago=2012[r]"},
    {"six months ago", R13, NULL, 0, 0, "six months ago=2012-11[r]"},
    {"Good Friday", R13, NULL, 0, 0, ""},
    {"Super Tuesday", R13, NULL, 0, 0, ""},
    {"on Tuesday", NULL, NULL, 0, 0, ""},
    {"Posted 3 days ago", NULL, NULL, 0, 0, ""},
    {"yesterday", R13, NULL, 0, 1, ""},
    {"on Tuesday", "2013-05", NULL, 0, 0, ""},
    {"they sat down in the sun on wed", R13, NULL, 0, 0, ""},
    {"a day ago", R13, NULL, 0, 0, "a day ago=2013-05-07[r]"},
    {"the last day", R13, NULL, 0, 0, ""},

    /* ---- words that only look like dates ---- */
    {"they may 2 weeks", NULL, NULL, 0, 0, ""},
    {"march 5 km", NULL, NULL, 0, 0, ""},
    {"March 5 km", R13, NULL, 0, 0, "March 5=2013-03-05[i]"},
    {"Mars 2024 mission", NULL, NULL, 0, 0, ""},
    {"en mars 2024", NULL, NULL, 0, 0, "mars 2024=2024-03"},
    {"Marco Rubio", R13, NULL, 0, 0, ""},
    {"350 May", R13, NULL, 0, 0, ""},
    {"1,350 May", R13, NULL, 0, 0, ""},
    {"rose 2.5 May", R13, NULL, 0, 0, ""},
    {"12kg May", R13, NULL, 0, 0, ""},
    {"an impossible 30 February 2024 here", NULL, NULL, 0, 0, ""},
    {"an impossible February 30, 2024 here", NULL, NULL, 0, 0, ""},
    {"31 April", R13, NULL, 0, 0, ""},
    {"29 February 2023", NULL, NULL, 0, 0, ""},
    {"", NULL, NULL, 0, 0, ""},
    {"\xd9\xa1\xd9\xa2 May", R13, NULL, 0, 0, ""},
    {"\xff\xfe May 7, 2013", NULL, NULL, 0, 0, "May 7, 2013=2013-05-07"},
    {"May\xc2\xa0" "7,\xc2\xa0" "2013", NULL, NULL, 0, 0, "May\xc2\xa0" "7,\xc2\xa0" "2013=2013-05-07"},
};

static void describe(char *buf, size_t cap, const char *text, const lede_date_span *v, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k < cap; i++) {
        const lede_date *d = &v[i].date;
        char iso[16];
        if (!lede_date_iso(iso, sizeof iso, d))
            snprintf(iso, sizeof iso, "-");
        k += (size_t)snprintf(buf + k, cap - k, "%s%.*s=%s", i ? "; " : "", (int)(v[i].end - v[i].start),
                              text + v[i].start, iso);
        if (k < cap && (d->flags & LEDE_DATE_HAS_TIME))
            k += (size_t)snprintf(buf + k, cap - k, " %02d:%02d", d->hour, d->minute);
        if (k < cap && d->precision == LEDE_DATE_WEEK)
            k += (size_t)snprintf(buf + k, cap - k, "/w");
        char marks[8];
        size_t m = 0;
        if (d->flags & LEDE_DATE_INFERRED_YEAR)
            marks[m++] = 'i';
        if (d->flags & LEDE_DATE_RELATIVE)
            marks[m++] = 'r';
        if (d->flags & LEDE_DATE_WEEKDAY_MISMATCH)
            marks[m++] = 'w';
        if (d->flags & LEDE_DATE_ORDER_ASSUMED)
            marks[m++] = 'o';
        if (d->flags & LEDE_DATE_UNRESOLVED)
            marks[m++] = 'u';
        marks[m] = '\0';
        if (m && k < cap)
            k += (size_t)snprintf(buf + k, cap - k, "[%s]", marks);
    }
}

static void test_cases(void)
{
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        const scan_case *sc = &CASES[c];
        lede_date_opts o;
        lede_date_opts_init(&o);
        if (sc->ref)
            CHECK_INT(lede_ymd_parse(&o.ref, sc->ref, strlen(sc->ref)), LEDE_OK);
        if (sc->not_before)
            CHECK_INT(lede_ymd_parse(&o.not_before, sc->not_before, strlen(sc->not_before)), LEDE_OK);
        o.order = sc->mdy ? LEDE_DATE_MDY : LEDE_DATE_DMY;
        o.relative = !sc->no_relative;
        lede_date_span *v;
        size_t n;
        CHECK_INT(lede_dates_scan(&v, &n, sc->text, strlen(sc->text), &o), LEDE_OK);
        char got[512];
        describe(got, sizeof got, sc->text, v, n);
        if (!check_str(got, sc->want, sc->text, __FILE__, __LINE__))
            fprintf(stderr, "  (case %zu, ref %s)\n", c, sc->ref ? sc->ref : "none");
        free(v);
    }
}

static void test_calendar(void)
{
    CHECK(lede_ymd_valid(2024, 2, 29));
    CHECK(!lede_ymd_valid(2023, 2, 29));
    CHECK(!lede_ymd_valid(1900, 2, 29));
    CHECK(lede_ymd_valid(2000, 2, 29));
    CHECK(!lede_ymd_valid(2024, 4, 31));
    CHECK(!lede_ymd_valid(2024, 13, 1));
    CHECK(!lede_ymd_valid(2024, 0, 1));
    CHECK(!lede_ymd_valid(0, 1, 1));
    CHECK_INT(lede_ymd_days(1970, 1, 1), 0);
    CHECK_INT(lede_ymd_days(1969, 12, 31), -1);
    CHECK_INT(lede_ymd_days(2000, 3, 1), 11017);
    CHECK_INT(lede_ymd_weekday(1970, 1, 1), 4);
    CHECK_INT(lede_ymd_weekday(2024, 3, 9), 6);
    CHECK_INT(lede_ymd_weekday(2000, 2, 29), 2);
    CHECK_INT(lede_ymd_weekday(2016, 7, 15), 5);
    CHECK_INT(lede_ymd_weekday(1900, 1, 1), 1);
    int ok = 1;
    for (int64_t z = lede_ymd_days(1899, 12, 25); z < lede_ymd_days(2101, 1, 10) && ok; z++) {
        lede_ymd d = lede_ymd_from_days(z);
        ok = lede_ymd_valid(d.year, d.month, d.day) && lede_ymd_days(d.year, d.month, d.day) == z;
    }
    CHECK(ok);
}

static void test_ymd_parse(void)
{
    lede_ymd d;
    CHECK_INT(lede_ymd_parse(&d, "2024", 4), LEDE_OK);
    CHECK(d.year == 2024 && d.month == 0 && d.day == 0);
    CHECK_INT(lede_ymd_parse(&d, "2024-03", 7), LEDE_OK);
    CHECK(d.year == 2024 && d.month == 3 && d.day == 0);
    CHECK_INT(lede_ymd_parse(&d, "2024-03-05T10:00:00Z", 20), LEDE_OK);
    CHECK(d.year == 2024 && d.month == 3 && d.day == 5);
    CHECK_INT(lede_ymd_parse(&d, "2024-03-05 10:00", 16), LEDE_OK);
    CHECK_INT(lede_ymd_parse(&d, "2024-13", 7), LEDE_EINVAL);
    CHECK_INT(lede_ymd_parse(&d, "2024-02-30", 10), LEDE_EINVAL);
    CHECK_INT(lede_ymd_parse(&d, "24-03-05", 8), LEDE_EINVAL);
    CHECK_INT(lede_ymd_parse(&d, "2024/03/05", 10), LEDE_EINVAL);
    CHECK_INT(lede_ymd_parse(&d, "", 0), LEDE_EINVAL);
    CHECK_INT(lede_ymd_parse(&d, "2024-3-5", 8), LEDE_EINVAL);
}

static void test_parse(void)
{
    lede_date d;
    const char *s = "  7 May, 2013 19:58. ";
    CHECK_INT(lede_date_parse(&d, s, strlen(s), NULL), LEDE_OK);
    CHECK(d.ymd.year == 2013 && d.ymd.month == 5 && d.ymd.day == 7 && d.hour == 19 && d.minute == 58);
    CHECK(d.precision == LEDE_DATE_DAY && d.confidence == 1.0);
    s = "Published 7 May 2013";
    CHECK_INT(lede_date_parse(&d, s, strlen(s), NULL), LEDE_ENOTFOUND);
    s = "May 7 and May 8";
    CHECK_INT(lede_date_parse(&d, s, strlen(s), NULL), LEDE_ENOTFOUND);
    s = "no date";
    CHECK_INT(lede_date_parse(&d, s, strlen(s), NULL), LEDE_ENOTFOUND);
    lede_date_opts o;
    lede_date_opts_init(&o);
    o.ref = (lede_ymd){2013, 5, 8};
    s = "on Tuesday";
    CHECK_INT(lede_date_parse(&d, s, strlen(s), &o), LEDE_ENOTFOUND);
    s = "Tuesday";
    CHECK_INT(lede_date_parse(&d, s, strlen(s), &o), LEDE_OK);
    CHECK(d.ymd.day == 7 && (d.flags & LEDE_DATE_RELATIVE) && d.weekday == 2);
    s = "May 29";
    CHECK_INT(lede_date_parse(&d, s, strlen(s), &o), LEDE_OK);
    CHECK(d.ymd.year == 2012 && (d.flags & LEDE_DATE_INFERRED_YEAR) && d.confidence < 1.0);
}

static void test_iso_and_confidence(void)
{
    lede_date d = {{2024, 3, 5}, LEDE_DATE_DAY, 0, -1, -1, 0, 1.0};
    char buf[16];
    CHECK_INT(lede_date_iso(buf, sizeof buf, &d), 10);
    CHECK_STR(buf, "2024-03-05");
    d.precision = LEDE_DATE_MONTH;
    CHECK_INT(lede_date_iso(buf, sizeof buf, &d), 7);
    CHECK_STR(buf, "2024-03");
    d.precision = LEDE_DATE_YEAR;
    CHECK_INT(lede_date_iso(buf, sizeof buf, &d), 4);
    CHECK_STR(buf, "2024");
    d.flags = LEDE_DATE_UNRESOLVED;
    CHECK_INT(lede_date_iso(buf, sizeof buf, &d), 0);
    CHECK_STR(buf, "");
    d.flags = 0;
    d.precision = LEDE_DATE_DAY;
    CHECK_INT(lede_date_iso(buf, 5, &d), 0);

    /* a contradicting weekday and an inferred year cost confidence */
    lede_date_span *v;
    size_t n;
    lede_date_opts o;
    lede_date_opts_init(&o);
    o.ref = (lede_ymd){2016, 7, 20};
    const char *s = "Friday, July 15, 2016; Friday, July 15, 2015; Friday, July 15; July 15";
    CHECK_INT(lede_dates_scan(&v, &n, s, strlen(s), &o), LEDE_OK);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK(v[0].date.confidence == 1.0);
        CHECK(v[1].date.confidence <= 0.5);
        CHECK(v[2].date.confidence > v[3].date.confidence && v[2].date.confidence < 1.0);
        CHECK_INT(v[0].date.weekday, 5);
    }
    free(v);
    CHECK_INT(lede_dates_scan(&v, &n, "", 0, NULL), LEDE_OK);
    CHECK(n == 0 && v == NULL);
}

/* Long and hostile inputs: every byte value, long digit runs, no crash. */
static void test_hostile(void)
{
    size_t len = 1 << 16;
    char *buf = malloc(len);
    CHECK(buf != NULL);
    if (buf == NULL)
        return;
    unsigned x = 12345;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (char)(x >> 16);
    }
    lede_date_span *v;
    size_t n;
    CHECK_INT(lede_dates_scan(&v, &n, buf, len, NULL), LEDE_OK);
    free(v);
    for (size_t i = 0; i < len; i++)
        buf[i] = "0123456789/-. May"[i % 17];
    CHECK_INT(lede_dates_scan(&v, &n, buf, len, NULL), LEDE_OK);
    free(v);
    free(buf);
}

int main(void)
{
    test_cases();
    test_calendar();
    test_ymd_parse();
    test_parse();
    test_iso_and_confidence();
    test_hostile();
    printf("test_dates: %zu table cases\n", sizeof CASES / sizeof CASES[0]);
    return check_report("test_dates");
}
