#define _DEFAULT_SOURCE /* ioctl(TIOCGWINSZ), fileno */
#include "out.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <utf8proc.h>

/* A table keeps this many rows to size its columns, then streams the rest
 * with the same widths, so memory stays bounded on huge results. */
#define TABLE_SIZING_ROWS 1000
#define TABLE_GAP 2
#define TABLE_MIN_WIDTH 4

#define SGR_BOLD "\x1b[1m"
#define SGR_RESET "\x1b[0m"

enum cell_type { CELL_NULL, CELL_INT, CELL_REAL, CELL_TEXT, CELL_MARKED };

typedef struct cell {
    int type;
    int64_t i;
    double r;
    char *s; /* CELL_TEXT, CELL_MARKED: owned copy, NUL-terminated */
    size_t len;
} cell;

/* A cell rendered for the table: printable UTF-8 and its width in columns. */
typedef struct tcell {
    char *s;
    size_t len;
    size_t width;
} tcell;

struct cli_out {
    FILE *fp;
    cli_format format;
    size_t ncols;
    char **names;
    cell *row;
    size_t filled;
    size_t rows_out;
    int failed;
    /* table */
    int tty;
    size_t term_width;
    tcell *held; /* rows kept for sizing, ncols each */
    tcell *line; /* one row rendered, once the widths are fixed */
    size_t nheld;
    size_t *width;
    unsigned char *numeric; /* 1: every value so far is a number; 2: not */
    int frozen;             /* widths fixed, header printed */
};

int cli_format_parse(cli_format *out, const char *name)
{
    static const char *const names[] = { "table", "json", "jsonl", "csv" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (cli_format)i;
            return 0;
        }
    }
    return -1;
}

/* ---- text repair ------------------------------------------------------ */

/* Decodes one code point at s (n bytes left); invalid bytes decode as U+FFFD
 * consuming one byte.  Returns the bytes consumed. */
static size_t decode(const char *s, size_t n, utf8proc_int32_t *cp)
{
    if ((unsigned char)s[0] < 0x80) {
        *cp = (unsigned char)s[0];
        return 1;
    }
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cp);
    if (k <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)k;
}

/* A valid UTF-8 copy of s (invalid sequences become U+FFFD, marks become
 * brackets), malloc'd and NUL-terminated, or NULL when out of memory. */
static char *plain_copy(const char *s, size_t len, int marked, size_t *out_len)
{
    char *out = malloc(len * 3 + 1); /* each bad byte may grow to 3 */
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        size_t k = decode(s + i, len - i, &cp);
        if (marked && (cp == 2 || cp == 3))
            out[o++] = cp == 2 ? '[' : ']';
        else if (cp == 0xFFFD && k == 1)
            o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
        else {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* Renders s for a table cell: control characters become spaces, invalid
 * UTF-8 U+FFFD, marks bold (on a terminal) or brackets. */
static int display_copy(tcell *out, const char *s, size_t len, int marked, int tty)
{
    char *buf = malloc(len * 4 + 1); /* a bad byte grows to 3, a mark to 4 */
    memset(out, 0, sizeof *out);
    if (!buf)
        return -1;
    size_t o = 0, width = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        i += decode(s + i, len - i, &cp);
        if (marked && (cp == 2 || cp == 3)) {
            const char *m = tty ? (cp == 2 ? SGR_BOLD : SGR_RESET) : (cp == 2 ? "[" : "]");
            memcpy(buf + o, m, strlen(m));
            o += strlen(m);
            width += tty ? 0 : 1;
            continue;
        }
        if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
            cp = ' ';
        o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf + o);
        width += (size_t)utf8proc_charwidth(cp);
    }
    buf[o] = '\0';
    out->s = buf;
    out->len = o;
    out->width = width;
    return 0;
}

/* ---- construction ----------------------------------------------------- */

static size_t terminal_width(FILE *fp)
{
    struct winsize ws;
    if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    long cols = env ? strtol(env, NULL, 10) : 0;
    return cols > 0 ? (size_t)cols : 80;
}

static int name_taken(char *const *names, size_t n, const char *name)
{
    for (size_t j = 0; j < n; j++)
        if (strcmp(names[j], name) == 0)
            return 1;
    return 0;
}

/* JSON objects need distinct keys: a repeated name gets ":2", ":3", ... */
static char *json_name(char *const *names, size_t i, const char *name)
{
    size_t len;
    char *base = plain_copy(name, strlen(name), 0, &len);
    char *candidate = base;
    for (unsigned n = 2; candidate && name_taken(names, i, candidate); n++) {
        if (candidate != base)
            free(candidate);
        candidate = malloc(len + 16);
        if (candidate)
            snprintf(candidate, len + 16, "%s:%u", base, n);
    }
    if (candidate != base)
        free(base);
    return candidate;
}

int cli_out_new(cli_out **out, FILE *fp, cli_format format, size_t ncols, const char *const *names)
{
    cli_out *o = calloc(1, sizeof *o);
    *out = o;
    if (!o)
        return -1;
    o->fp = fp;
    o->format = format;
    o->ncols = ncols;
    o->names = calloc(ncols ? ncols : 1, sizeof *o->names);
    o->row = calloc(ncols ? ncols : 1, sizeof *o->row);
    o->width = calloc(ncols ? ncols : 1, sizeof *o->width);
    o->numeric = calloc(ncols ? ncols : 1, 1);
    o->line = calloc(ncols ? ncols : 1, sizeof *o->line);
    if (!o->names || !o->row || !o->width || !o->numeric || !o->line)
        return -1;
    for (size_t i = 0; i < ncols; i++) {
        size_t len;
        o->names[i] = format == CLI_FORMAT_JSON || format == CLI_FORMAT_JSONL
                          ? json_name(o->names, i, names[i])
                          : plain_copy(names[i], strlen(names[i]), 0, &len);
        if (!o->names[i])
            return -1;
    }
    o->tty = isatty(fileno(fp));
    o->term_width = o->tty ? terminal_width(fp) : 0;
    return 0;
}

/* ---- cells ------------------------------------------------------------ */

static cell *next_cell(cli_out *o)
{
    return o->filled < o->ncols ? &o->row[o->filled++] : NULL;
}

static void put_text(cli_out *o, const char *text, size_t len, int type)
{
    cell *c = next_cell(o);
    if (!c)
        return;
    if (!text) {
        c->type = CELL_NULL;
        return;
    }
    c->s = malloc(len + 1);
    if (!c->s) {
        o->failed = 1;
        c->type = CELL_NULL;
        return;
    }
    memcpy(c->s, text, len);
    c->s[len] = '\0';
    c->len = len;
    c->type = type;
}

void cli_out_text(cli_out *o, const char *text, size_t len)
{
    put_text(o, text, len, CELL_TEXT);
}

void cli_out_str(cli_out *o, const char *text)
{
    put_text(o, text, text ? strlen(text) : 0, CELL_TEXT);
}

void cli_out_marked(cli_out *o, const char *text, size_t len)
{
    put_text(o, text, len, CELL_MARKED);
}

void cli_out_int(cli_out *o, int64_t value)
{
    cell *c = next_cell(o);
    if (c) {
        c->type = CELL_INT;
        c->i = value;
    }
}

void cli_out_real(cli_out *o, double value)
{
    cell *c = next_cell(o);
    if (c) {
        c->type = CELL_REAL;
        c->r = value;
    }
}

void cli_out_null(cli_out *o)
{
    cell *c = next_cell(o);
    if (c)
        c->type = CELL_NULL;
}

static void put_blob(cli_out *o, const unsigned char *blob, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    char *s = malloc(len * 2 + 4);
    if (!s) {
        o->failed = 1;
        cli_out_null(o);
        return;
    }
    size_t n = 0;
    s[n++] = 'X';
    s[n++] = '\'';
    for (size_t i = 0; i < len; i++) {
        s[n++] = hex[blob[i] >> 4];
        s[n++] = hex[blob[i] & 15];
    }
    s[n++] = '\'';
    cli_out_text(o, s, n);
    free(s);
}

void cli_out_column(cli_out *o, sqlite3_stmt *stmt, int col)
{
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_INTEGER:
        cli_out_int(o, sqlite3_column_int64(stmt, col));
        break;
    case SQLITE_FLOAT:
        cli_out_real(o, sqlite3_column_double(stmt, col));
        break;
    case SQLITE_TEXT:
        cli_out_text(o, (const char *)sqlite3_column_text(stmt, col),
                     (size_t)sqlite3_column_bytes(stmt, col));
        break;
    case SQLITE_BLOB:
        put_blob(o, sqlite3_column_blob(stmt, col), (size_t)sqlite3_column_bytes(stmt, col));
        break;
    default:
        cli_out_null(o);
    }
}

static void clear_row(cli_out *o)
{
    for (size_t i = 0; i < o->ncols; i++) {
        free(o->row[i].s);
        memset(&o->row[i], 0, sizeof o->row[i]);
    }
    o->filled = 0;
}

/* ---- table ------------------------------------------------------------ */

static int render_cell(tcell *out, const cell *c, int tty)
{
    char num[40];
    switch (c->type) {
    case CELL_INT:
        snprintf(num, sizeof num, "%lld", (long long)c->i);
        return display_copy(out, num, strlen(num), 0, tty);
    case CELL_REAL:
        snprintf(num, sizeof num, "%.15g", c->r);
        return display_copy(out, num, strlen(num), 0, tty);
    case CELL_TEXT:
    case CELL_MARKED:
        return display_copy(out, c->s, c->len, c->type == CELL_MARKED, tty);
    default:
        return display_copy(out, "", 0, 0, tty);
    }
}

static void pad(FILE *fp, size_t n)
{
    while (n--)
        fputc(' ', fp);
}

/* Writes the longest prefix of c that fits in w - 1 columns, then "…".
 * Returns the columns used. */
static size_t print_truncated(FILE *fp, const tcell *c, size_t w)
{
    size_t used = 0;
    int bold = 0;
    for (size_t i = 0; i < c->len;) {
        if (c->s[i] == '\x1b') { /* one of our SGR sequences: zero width */
            size_t k = strcspn(c->s + i, "m") + 1;
            bold = strncmp(c->s + i, SGR_BOLD, k) == 0;
            fwrite(c->s + i, 1, k, fp);
            i += k;
            continue;
        }
        utf8proc_int32_t cp;
        size_t k = decode(c->s + i, c->len - i, &cp);
        size_t cw = (size_t)utf8proc_charwidth(cp);
        if (used + cw + 1 > w)
            break;
        fwrite(c->s + i, 1, k, fp);
        used += cw;
        i += k;
    }
    fputs(bold ? "\xe2\x80\xa6" SGR_RESET : "\xe2\x80\xa6", fp);
    return used + 1;
}

static void print_cell(cli_out *o, const tcell *c, size_t w, int right, int last)
{
    if (c->width > w && o->tty) {
        size_t used = print_truncated(o->fp, c, w);
        if (!last)
            pad(o->fp, w - used);
        return;
    }
    size_t gap = c->width < w ? w - c->width : 0;
    if (right)
        pad(o->fp, gap);
    if (c->len)
        fwrite(c->s, 1, c->len, o->fp);
    if (!right && !last)
        pad(o->fp, gap);
}

static void print_table_row(cli_out *o, const tcell *cells)
{
    for (size_t i = 0; i < o->ncols; i++) {
        if (i)
            pad(o->fp, TABLE_GAP);
        print_cell(o, &cells[i], o->width[i], o->numeric[i] == 1, i + 1 == o->ncols);
    }
    fputc('\n', o->fp);
}

static void free_tcells(tcell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i].s);
}

/* Narrows the widest text columns until the table fits the terminal (numbers
 * are never cut: a truncated number would read as another number). */
static void fit_terminal(cli_out *o)
{
    size_t total = o->ncols ? TABLE_GAP * (o->ncols - 1) : 0;
    for (size_t i = 0; i < o->ncols; i++)
        total += o->width[i];
    while (total > o->term_width) {
        size_t widest = o->ncols, second = 0;
        for (size_t i = 0; i < o->ncols; i++)
            if (o->numeric[i] != 1 && (widest == o->ncols || o->width[i] > o->width[widest]))
                widest = i;
        if (widest == o->ncols || o->width[widest] <= TABLE_MIN_WIDTH)
            break;
        for (size_t i = 0; i < o->ncols; i++)
            if (i != widest && o->numeric[i] != 1 && o->width[i] > second)
                second = o->width[i];
        size_t w = o->width[widest];
        size_t floor = second > TABLE_MIN_WIDTH ? second : TABLE_MIN_WIDTH;
        size_t cut = w > floor ? w - floor : 1;
        if (cut > total - o->term_width)
            cut = total - o->term_width;
        o->width[widest] -= cut;
        total -= cut;
    }
}

static void print_header(cli_out *o, const tcell *header)
{
    if (o->ncols == 0) /* a statement without columns (ATTACH) prints nothing */
        return;
    print_table_row(o, header);
    for (size_t i = 0; i < o->ncols; i++) {
        if (i)
            pad(o->fp, TABLE_GAP);
        for (size_t k = 0; k < o->width[i]; k++)
            fputc('-', o->fp);
    }
    fputc('\n', o->fp);
}

/* Fixes the column widths from the rows held, prints them, and streams from now on. */
static void table_freeze(cli_out *o)
{
    tcell *header = calloc(o->ncols ? o->ncols : 1, sizeof *header);
    if (!header) {
        o->failed = 1;
        return;
    }
    for (size_t i = 0; i < o->ncols; i++) {
        if (display_copy(&header[i], o->names[i], strlen(o->names[i]), 0, o->tty) != 0)
            o->failed = 1;
        o->width[i] = header[i].width;
        for (size_t r = 0; r < o->nheld; r++)
            if (o->held[r * o->ncols + i].width > o->width[i])
                o->width[i] = o->held[r * o->ncols + i].width;
    }
    if (o->tty)
        fit_terminal(o);
    print_header(o, header);
    free_tcells(header, o->ncols);
    free(header);
    for (size_t r = 0; r < o->nheld; r++)
        print_table_row(o, &o->held[r * o->ncols]);
    free_tcells(o->held, o->nheld * o->ncols);
    free(o->held);
    o->held = NULL;
    o->nheld = 0;
    o->frozen = 1;
}

static int table_row(cli_out *o)
{
    if (!o->held && !o->frozen) {
        o->held = calloc(TABLE_SIZING_ROWS * (o->ncols ? o->ncols : 1), sizeof *o->held);
        if (!o->held)
            return -1;
    }
    tcell *cells = o->frozen ? o->line : &o->held[o->nheld * o->ncols];
    for (size_t i = 0; i < o->ncols; i++) {
        if (render_cell(&cells[i], &o->row[i], o->tty) != 0)
            o->failed = 1;
        int type = o->row[i].type;
        if (!o->frozen && type != CELL_NULL)
            o->numeric[i] = (type == CELL_INT || type == CELL_REAL) && o->numeric[i] != 2 ? 1 : 2;
    }
    if (o->frozen) {
        print_table_row(o, cells);
        free_tcells(cells, o->ncols);
    } else if (++o->nheld == TABLE_SIZING_ROWS) {
        table_freeze(o);
    }
    return 0;
}

/* ---- CSV and JSON ----------------------------------------------------- */

static void csv_field(FILE *fp, const char *s, size_t len)
{
    if (strcspn(s, ",\"\r\n") == len) {
        fwrite(s, 1, len, fp);
        return;
    }
    fputc('"', fp);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', fp);
        fputc(s[i], fp);
    }
    fputc('"', fp);
}

static void csv_header(cli_out *o)
{
    if (o->ncols == 0)
        return;
    for (size_t i = 0; i < o->ncols; i++) {
        if (i)
            fputc(',', o->fp);
        csv_field(o->fp, o->names[i], strlen(o->names[i]));
    }
    fputc('\n', o->fp);
}

static int csv_row(cli_out *o)
{
    if (o->rows_out == 0)
        csv_header(o);
    for (size_t i = 0; i < o->ncols; i++) {
        const cell *c = &o->row[i];
        if (i)
            fputc(',', o->fp);
        if (c->type == CELL_INT)
            fprintf(o->fp, "%lld", (long long)c->i);
        else if (c->type == CELL_REAL)
            fprintf(o->fp, "%.15g", c->r);
        else if (c->type != CELL_NULL) {
            size_t len;
            char *s = plain_copy(c->s, c->len, c->type == CELL_MARKED, &len);
            if (!s)
                return -1;
            csv_field(o->fp, s, len);
            free(s);
        }
    }
    fputc('\n', o->fp);
    return 0;
}

static json_t *json_cell(const cell *c)
{
    switch (c->type) {
    case CELL_INT:
        return json_integer(c->i);
    case CELL_REAL:
        return isfinite(c->r) ? json_real(c->r) : json_null();
    case CELL_TEXT:
    case CELL_MARKED: {
        size_t len;
        char *s = plain_copy(c->s, c->len, c->type == CELL_MARKED, &len);
        json_t *v = s ? json_stringn_nocheck(s, len) : NULL;
        free(s);
        return v;
    }
    default:
        return json_null();
    }
}

static int json_row(cli_out *o)
{
    json_t *obj = json_object();
    if (!obj)
        return -1;
    for (size_t i = 0; i < o->ncols; i++) {
        json_t *v = json_cell(&o->row[i]);
        if (!v || json_object_set_new_nocheck(obj, o->names[i], v) != 0) {
            json_decref(obj);
            return -1;
        }
    }
    size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15);
    if (o->format == CLI_FORMAT_JSON)
        fputs(o->rows_out ? ",\n" : "[\n", o->fp);
    else
        flags |= JSON_COMPACT;
    int rc = json_dumpf(obj, o->fp, flags);
    if (o->format == CLI_FORMAT_JSONL)
        fputc('\n', o->fp);
    json_decref(obj);
    return rc == 0 ? 0 : -1;
}

/* ---- rows and the end ------------------------------------------------- */

int cli_out_row(cli_out *o)
{
    while (o->filled < o->ncols)
        cli_out_null(o);
    int rc;
    switch (o->format) {
    case CLI_FORMAT_TABLE:
        rc = table_row(o);
        break;
    case CLI_FORMAT_CSV:
        rc = csv_row(o);
        break;
    default:
        rc = json_row(o);
    }
    clear_row(o);
    o->rows_out++;
    if (rc != 0)
        o->failed = 1;
    return o->failed ? -1 : 0;
}

int cli_out_finish(cli_out *o)
{
    switch (o->format) {
    case CLI_FORMAT_TABLE:
        if (!o->frozen)
            table_freeze(o);
        break;
    case CLI_FORMAT_CSV:
        if (o->rows_out == 0)
            csv_header(o);
        break;
    case CLI_FORMAT_JSON:
        fputs(o->rows_out ? "\n]\n" : "[]\n", o->fp);
        break;
    case CLI_FORMAT_JSONL:
        break;
    }
    if (fflush(o->fp) != 0 || ferror(o->fp))
        o->failed = 1;
    return o->failed ? -1 : 0;
}

void cli_out_free(cli_out *o)
{
    if (!o)
        return;
    if (o->names)
        for (size_t i = 0; i < o->ncols; i++)
            free(o->names[i]);
    free(o->names);
    if (o->row)
        clear_row(o);
    free(o->row);
    free_tcells(o->held, o->nheld * o->ncols);
    free(o->held);
    free(o->width);
    free(o->numeric);
    free(o->line);
    free(o);
}

int cli_out_statement(FILE *fp, cli_format format, sqlite3_stmt *stmt)
{
    size_t ncols = (size_t)sqlite3_column_count(stmt);
    const char **names = calloc(ncols ? ncols : 1, sizeof *names);
    cli_out *o = NULL;
    if (!names)
        return -1;
    for (size_t i = 0; i < ncols; i++) {
        names[i] = sqlite3_column_name(stmt, (int)i);
        if (!names[i])
            names[i] = "?";
    }
    int rc = cli_out_new(&o, fp, format, ncols, names) == 0 ? SQLITE_ROW : -1;
    while (rc == SQLITE_ROW && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        for (size_t i = 0; i < ncols; i++)
            cli_out_column(o, stmt, (int)i);
        if (cli_out_row(o) != 0)
            rc = -1;
    }
    if (rc == SQLITE_DONE && cli_out_finish(o) != 0)
        rc = -1;
    cli_out_free(o);
    free(names);
    return rc;
}
