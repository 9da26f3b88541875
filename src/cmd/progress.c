/*
 * cmd/progress.c: see progress.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cmd/progress.h"
#include "util/cleanup.h"
#include "util/str.h"

struct bar {
    char *label;            /* "Copying blob 1c6ee25c7e3a" */
    char *digest;
    int64_t done, total;
    enum { B_RUN, B_DONE, B_SKIPPED } state;
};

struct prog_view {
    FILE *f;
    bool tty;
    struct bar *bars;
    size_t nbars;
    size_t drawn;           /* lines of bars on screen below the cursor's top */
    int64_t last_ms;
};

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "379.0b", "1.0KiB", "12.3MiB", as podman's bars count bytes. */
static void fmt_size(char *buf, size_t n, int64_t v)
{
    static const char *const units[] = { "b", "KiB", "MiB", "GiB", "TiB" };
    double d = (double) (v < 0 ? 0 : v);
    size_t u = 0;

    while (d >= 1024 && u < 4) {
        d /= 1024;
        u++;
    }
    snprintf(buf, n, "%.1f%s", d, units[u]);
}

static int term_width(FILE *f)
{
    struct winsize ws;

    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

static void draw(struct prog_view *v, bool force)
{
    int64_t t = now_ms();
    int width = term_width(v->f);

    if (!force && t - v->last_ms < 100)
        return;
    v->last_ms = t;
    if (v->drawn)
        fprintf(v->f, "\033[%zuA\033[J", v->drawn);
    for (size_t i = 0; i < v->nbars; i++) {
        struct bar *b = &v->bars[i];
        if (b->state == B_DONE) {
            fprintf(v->f, "%s done  \n", b->label);
        } else if (b->state == B_SKIPPED) {
            fprintf(v->f, "%s skipped: already exists  \n", b->label);
        } else {
            char d[32], tot[32];
            fmt_size(d, sizeof(d), b->done);
            fmt_size(tot, sizeof(tot), b->total);
            int room = width - (int) strlen(b->label) - (int) strlen(d) - (int) strlen(tot) - 8;
            if (room > 40)
                room = 40;
            if (room < 5)
                room = 5;
            int fill = b->total > 0 ? (int) ((double) b->done * room / (double) b->total) : 0;
            if (fill > room)
                fill = room;
            fprintf(v->f, "%s [", b->label);
            for (int k = 0; k < room; k++)
                fputc(k < fill ? '=' : k == fill ? '>' : '-', v->f);
            fprintf(v->f, "] %s / %s\n", d, b->total >= 0 ? tot : "?");
        }
    }
    v->drawn = v->nbars;
    fflush(v->f);
}

/* Bars finished for good stay on screen as they are; new ones go below. */
static void settle(struct prog_view *v)
{
    if (!v->nbars)
        return;
    draw(v, true);
    for (size_t i = 0; i < v->nbars; i++) {
        free(v->bars[i].label);
        free(v->bars[i].digest);
    }
    free(v->bars);
    v->bars = NULL;
    v->nbars = 0;
    v->drawn = 0;
}

static struct bar *find(struct prog_view *v, const char *digest)
{
    for (size_t i = 0; i < v->nbars; i++)
        if (!strcmp(v->bars[i].digest, digest))
            return &v->bars[i];
    return NULL;
}

static void add_bar(struct prog_view *v, const char *kind, const char *digest, int64_t total,
                    int state)
{
    struct bar *nb = realloc(v->bars, (v->nbars + 1) * sizeof(*nb));
    const char *hex = str_has_prefix(digest, "sha256:") ? digest + 7 : digest;

    if (!nb)
        return;
    v->bars = nb;
    nb = &v->bars[v->nbars];
    /* podman shows 12 hex digits of a blob, 10 of the config */
    nb->label = str_fmt("Copying %s %.*s", kind, !strcmp(kind, "config") ? 10 : 12, hex);
    nb->digest = str_dup(digest);
    if (!nb->label || !nb->digest) {
        free(nb->label);
        free(nb->digest);
        return;
    }
    nb->done = 0;
    nb->total = total;
    nb->state = state;
    v->nbars++;
}

static void on_event(void *ctx, enum progress_ev ev, const char *what, int64_t done,
                     int64_t total)
{
    struct prog_view *v = ctx;
    struct bar *b;

    if (!v->tty) {
        if (ev == PROG_MSG)
            fprintf(v->f, "%s\n", what);
        else if (ev == PROG_BLOB || ev == PROG_SKIPPED)
            fprintf(v->f, "Copying blob %s\n", what);
        else if (ev == PROG_CONFIG)
            fprintf(v->f, "Copying config %s\n", what);
        fflush(v->f);
        return;
    }
    switch (ev) {
    case PROG_MSG:
        settle(v);
        fprintf(v->f, "%s\n", what);
        fflush(v->f);
        break;
    case PROG_BLOB: case PROG_CONFIG: case PROG_SKIPPED:
        add_bar(v, ev == PROG_CONFIG ? "config" : "blob", what, total,
                ev == PROG_SKIPPED ? B_SKIPPED : B_RUN);
        draw(v, true);
        break;
    case PROG_BYTES:
        if ((b = find(v, what))) {
            b->done = done;
            if (total >= 0)
                b->total = total;
            draw(v, false);
        }
        break;
    case PROG_DONE:
        if ((b = find(v, what))) {
            b->state = B_DONE;
            draw(v, true);
        }
        break;
    }
}

struct prog_view *prog_view_new(FILE *f, bool tty, struct progress *p)
{
    struct prog_view *v = calloc(1, sizeof(*v));

    if (v) {
        v->f = f;
        v->tty = tty;
    }
    p->fn = v ? on_event : NULL;
    p->ctx = v;
    return v;
}

struct prog_view *prog_view_stderr(bool quiet, struct progress *p, const struct progress **out)
{
    struct prog_view *v = quiet ? NULL : prog_view_new(stderr, isatty(STDERR_FILENO), p);

    *out = v ? p : NULL;
    return v;
}

void prog_view_free(struct prog_view *v)
{
    if (!v)
        return;
    if (v->tty)
        settle(v);
    free(v);
}

bool prog_can_prompt(void)
{
    return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

int prog_choose(void *ctx, char *const *names, size_t n, struct berr **err)
{
    char line[64];

    (void) ctx;
    fprintf(stderr, "? Please select an image:\n");
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "    %zu) %s\n", i + 1, names[i]);
    for (;;) {
        fprintf(stderr, "  Number (1-%zu): ", n);
        fflush(stderr);
        if (!fgets(line, sizeof(line), stdin))
            return berr_msg(err, "short-name resolution: no image selected");
        long long k;
        if (str_to_ll(str_trim(line), &k) == 0 && k >= 1 && (size_t) k <= n)
            return (int) (k - 1);
    }
}

int prog_prompt(const char *what, bool secret, char **out, struct berr **err)
{
    struct termios old, raw;
    char buf[1024];
    bool off = false;

    if (!isatty(STDIN_FILENO))
        return berr_msg(err, "getting username and password: reading %s: stdin is not a "
                        "terminal", what);
    fprintf(stderr, "%c%s: ", what[0] - 32, what + 1);
    fflush(stderr);
    if (secret && tcgetattr(STDIN_FILENO, &old) == 0) {
        raw = old;
        raw.c_lflag &= (tcflag_t) ~ECHO;
        off = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    char *r = fgets(buf, sizeof(buf), stdin);
    if (off) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
    }
    if (!r)
        return berr_msg(err, "getting username and password: reading %s: end of input", what);
    buf[strcspn(buf, "\r\n")] = '\0';
    *out = str_dup(buf);
    explicit_bzero(buf, sizeof(buf));
    return *out ? 0 : berr_oom(err);
}

int prog_creds_complete(const char **creds, char **buf, struct berr **err)
{
    _cleanup_free_ char *pass = NULL;

    *buf = NULL;
    if (!*creds || !**creds || strchr(*creds, ':'))
        return 0;
    if (prog_prompt("password", true, &pass, err) < 0)
        return -1;
    if (!(*buf = str_fmt("%s:%s", *creds, pass))) {
        explicit_bzero(pass, strlen(pass));
        return berr_oom(err);
    }
    explicit_bzero(pass, strlen(pass));
    *creds = *buf;
    return 0;
}

void prog_secret_free(char **p)
{
    if (*p) {
        explicit_bzero(*p, strlen(*p));
        free(*p);
    }
}
