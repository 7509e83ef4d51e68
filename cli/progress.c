#define _DEFAULT_SOURCE /* fileno, ioctl(TIOCGWINSZ) */
#include "progress.h"

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define PROGRESS_DELAY 1.0    /* seconds before the bar appears */
#define PROGRESS_INTERVAL 0.1 /* seconds between redraws */
#define TAIL_ROOM 48          /* columns kept for "45%  12.3 MB / 27.1 MB  3.2 MB/s" */

void cli_progress_init(cli_progress *p, const char *label, int bytes, int quiet)
{
    const char *term = getenv("TERM");
    memset(p, 0, sizeof *p);
    p->label = label;
    p->bytes = bytes;
    p->enabled = !quiet && isatty(fileno(stderr)) && !getenv("CI") && !(term && strcmp(term, "dumb") == 0);
    p->started = cli_now();
}

static size_t stderr_width(void)
{
    struct winsize ws;
    if (ioctl(fileno(stderr), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

static void format_amount(char *buf, const cli_progress *p, uint64_t n)
{
    if (p->bytes)
        cli_fmt_bytes(buf, n);
    else
        cli_fmt_count(buf, n);
}

/* "label [=====>     ]  45%  12.3 MB / 27.1 MB  3.2 MB/s" (no bar when the total is unknown) */
static void draw(cli_progress *p, uint64_t done, uint64_t total, double elapsed)
{
    char amount[32], whole[32], rate[40], tail[128];
    format_amount(amount, p, done);
    format_amount(rate, p, (uint64_t)((double)done / elapsed));
    strcat(rate, "/s");
    if (total) {
        format_amount(whole, p, total);
        snprintf(tail, sizeof tail, "%3d%%  %s / %s  %s", (int)(100.0 * (double)done / (double)total),
                 amount, whole, rate);
    } else {
        snprintf(tail, sizeof tail, "%s  %s", amount, rate);
    }
    /* The bar's width depends on the terminal only, so that it does not
     * jitter as the numbers after it change length. */
    size_t room = stderr_width();
    size_t fixed = strlen(p->label) + TAIL_ROOM;
    fprintf(stderr, "\r%s ", p->label);
    if (total && room > fixed + 10) {
        size_t bar = room - fixed > 40 ? 40 : room - fixed;
        size_t fill = done >= total ? bar : (size_t)((double)bar * (double)done / (double)total);
        fputc('[', stderr);
        for (size_t i = 0; i < bar; i++)
            fputc(i < fill ? '=' : i == fill ? '>' : ' ', stderr);
        fputs("] ", stderr);
    }
    fprintf(stderr, "%s\x1b[K", tail);
    fflush(stderr);
    p->drawn = 1;
}

void cli_progress_update(cli_progress *p, uint64_t done, uint64_t total)
{
    if (!p->enabled)
        return;
    double now = cli_now();
    if (now - p->started < PROGRESS_DELAY || now - p->last_draw < PROGRESS_INTERVAL)
        return;
    p->last_draw = now;
    draw(p, done, total, now - p->started);
}

void cli_progress_clear(cli_progress *p)
{
    if (!p->drawn)
        return;
    fputs("\r\x1b[K", stderr);
    fflush(stderr);
    p->drawn = 0;
}
