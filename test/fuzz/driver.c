/*
 * test/fuzz/driver.c: runs a libFuzzer-style target without libFuzzer,
 * so that the targets also run on gcc's ASan+UBSan build.
 *
 *   fuzz_x [-runs=N] [-max_total_time=SEC] [-seed=S] [-max_len=L]
 *          [-dict=FILE] [-timeout=SEC] [-artifact_prefix=DIR/] CORPUS_DIR_OR_FILE...
 *
 * Every file given (or in a directory given) runs once, then N inputs made
 * (or as many as -max_total_time allows)
 * by mutating them: bits flipped, bytes set, inserted, erased, copied,
 * dictionary tokens and awkward numbers spliced in, two inputs crossed.
 * The generator is seeded (-seed, 1 by default), so a run is the same
 * inputs every time. There is no coverage feedback (that is what `make
 * fuzz` adds with clang's libFuzzer, which takes the same flags); instead
 * a quarter of the inputs mutate an earlier mutant, so mutations stack.
 * Each input is passed in a buffer of exactly its size, so ASan sees a
 * read one byte past the end. One TAP line at the end; an input that
 * crashes or runs past -timeout is written to <prefix>crash-<name>-<run>
 * first, to be replayed by giving that file as the only argument.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A sanitizer's report ends in abort(), not _exit(): the SIGABRT handler
 * below then saves the input (UBSan calls no death callback). */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__asan_default_options(void) { return "abort_on_error=1"; }
const char *__ubsan_default_options(void) { return "abort_on_error=1:print_stacktrace=1"; }
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

struct input {
    uint8_t *buf;
    size_t len;
};

struct inputs {
    struct input *v;
    size_t n, cap;
};

static const char *name = "fuzz";
static const char *prefix = "";
static unsigned long runs_done;
static const uint8_t *cur;          /* the input being run, for crash dumps */
static size_t cur_len;

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64: tiny, and the same sequence on every machine */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t below(size_t n) { return n ? (size_t) (rnd() % n) : 0; }

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static void add(struct inputs *s, const uint8_t *buf, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        if (!(s->v = realloc(s->v, s->cap * sizeof(*s->v))))
            die("realloc");
    }
    s->v[s->n].buf = malloc(len ? len : 1);
    if (!s->v[s->n].buf)
        die("malloc");
    memcpy(s->v[s->n].buf, buf, len);
    s->v[s->n++].len = len;
}

static void add_file(struct inputs *s, const char *path, size_t max_len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(max_len + 1);
    size_t n;

    if (!f || !buf)
        die(path);
    n = fread(buf, 1, max_len, f);
    fclose(f);
    add(s, buf, n);
    free(buf);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* A file, or every file of a directory in name order (the same order on
 * every machine, so a seed means the same inputs). */
static void add_path(struct inputs *s, const char *path, size_t max_len)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0;

    if (stat(path, &st) < 0)
        die(path);
    if (!S_ISDIR(st.st_mode)) {
        add_file(s, path, max_len);
        return;
    }
    if (!(d = opendir(path)))
        die(path);
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (!(names = realloc(names, (n + 1) * sizeof(*names))) ||
            !(names[n] = malloc(strlen(path) + strlen(de->d_name) + 2)))
            die("malloc");
        sprintf(names[n++], "%s/%s", path, de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_name);
    for (size_t i = 0; i < n; i++) {
        add_file(s, names[i], max_len);
        free(names[i]);
    }
    free(names);
}

/* libFuzzer's dictionary format: one "token" per line, \xNN and \\ \"
 * escapes, # comments, an optional name= before the quote. */
static void load_dict(struct inputs *d, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];

    if (!f)
        die(path);
    while (fgets(line, sizeof(line), f)) {
        char *q = strchr(line, '"'), *e = q ? strrchr(q + 1, '"') : NULL;
        uint8_t tok[1024];
        size_t n = 0;

        if (line[0] == '#' || !q || !e)
            continue;
        for (char *p = q + 1; p < e; p++) {
            if (*p == '\\' && p + 1 < e && p[1] == 'x' && p + 3 < e) {
                char hex[3] = { p[2], p[3], 0 };
                tok[n++] = (uint8_t) strtoul(hex, NULL, 16);
                p += 3;
            } else if (*p == '\\' && p + 1 < e) {
                tok[n++] = (uint8_t) *++p;
            } else {
                tok[n++] = (uint8_t) *p;
            }
        }
        add(d, tok, n);
    }
    fclose(f);
}

static const char *const awkward[] = {
    "0", "-1", "1", "-0", "2147483647", "-2147483648", "4294967296", "9223372036854775807",
    "-9223372036854775808", "18446744073709551616", "1e309", "-1e309", "0x", "1.5", ".5",
    "1e-400", "NaN", "99999999999999999999999", "\\u0000", "\\ud800", "%", "%*d", "%999999999d",
    "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff", "\x1b[2J",
};

/* One to four mutations of buf (length *len, room for max_len). */
static void mutate(uint8_t *buf, size_t *len, size_t max_len, const struct inputs *dict,
                   const struct inputs *corpus)
{
    int times = 1 + (int) below(4);

    for (int t = 0; t < times; t++) {
        size_t n = *len, pos = below(n + 1);
        const uint8_t *tok = NULL;
        size_t tlen = 0;
        uint8_t b;

        switch (below(10)) {
        case 0:                                 /* flip a bit */
            if (n)
                buf[below(n)] ^= (uint8_t) (1u << below(8));
            break;
        case 1:                                 /* set a byte */
            if (n)
                buf[below(n)] = (uint8_t) rnd();
            break;
        case 2:                                 /* insert a byte */
            b = (uint8_t) rnd();
            tok = &b;
            tlen = 1;
            break;
        case 3: {                               /* erase a range */
            size_t k = n ? 1 + below(n < 16 ? n : 16) : 0;
            if (k && pos + k <= n) {
                memmove(buf + pos, buf + pos + k, n - pos - k);
                *len -= k;
            }
            break;
        }
        case 4: {                               /* copy a range elsewhere */
            size_t from = below(n), k = n ? 1 + below(n - from < 32 ? n - from : 32) : 0;
            if (k && n + k <= max_len) {
                uint8_t tmp[32];
                memcpy(tmp, buf + from, k);
                memmove(buf + pos + k, buf + pos, n - pos);
                memcpy(buf + pos, tmp, k);
                *len += k;
            }
            break;
        }
        case 5: case 6:                         /* a dictionary token */
            if (dict->n) {
                const struct input *d = &dict->v[below(dict->n)];
                tok = d->buf;
                tlen = d->len;
            }
            break;
        case 7:                                 /* an awkward number or byte run */
            tok = (const uint8_t *) awkward[below(sizeof(awkward) / sizeof(awkward[0]))];
            tlen = strlen((const char *) tok);
            break;
        case 8:                                 /* cross with another input */
            if (corpus->n) {
                const struct input *o = &corpus->v[below(corpus->n)];
                size_t from = below(o->len + 1), k = o->len - from;
                if (pos + k > max_len)
                    k = max_len - pos;
                memcpy(buf + pos, o->buf + from, k);
                *len = pos + k;
            }
            break;
        case 9:                                 /* truncate */
            *len = pos;
            break;
        }
        if (tok && n + tlen <= max_len) {
            memmove(buf + pos + tlen, buf + pos, n - pos);
            memcpy(buf + pos, tok, tlen);
            *len += tlen;
        }
    }
}

/* Writes the current input where a person can replay it. Async-signal
 * safe: open, write, close only. */
static void dump(void)
{
    char path[512], num[24];
    int i = (int) sizeof(num) - 1, fd;
    unsigned long r = runs_done;

    if (!cur)
        return;
    num[i] = '\0';
    do {
        num[--i] = (char) ('0' + r % 10);
        r /= 10;
    } while (r && i > 0);
    path[0] = '\0';
    strncat(path, prefix, sizeof(path) - 64);
    strcat(path, "crash-");
    strncat(path, name, 64);
    strcat(path, "-");
    strcat(path, num + i);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ssize_t w = write(fd, cur, cur_len);
        (void) w;
        close(fd);
        w = write(2, "fuzz: input saved to ", 21);
        w = write(2, path, strlen(path));
        w = write(2, "\n", 1);
    }
    cur = NULL;
}

static void on_signal(int sig)
{
    dump();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void run_one(const uint8_t *buf, size_t len, unsigned timeout)
{
    uint8_t *exact = malloc(len ? len : 1);     /* exactly len: overreads show */

    if (!exact)
        die("malloc");
    memcpy(exact, buf, len);
    cur = exact;
    cur_len = len;
    alarm(timeout);
    LLVMFuzzerTestOneInput(exact, len);
    alarm(0);
    cur = NULL;
    free(exact);
    runs_done++;
}

static void free_inputs(struct inputs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].buf);
    free(s->v);
}

struct opts {
    unsigned long runs, seed, max_time;
    size_t max_len;
    unsigned timeout;
};

/* libFuzzer's flags; anything else with a dash is one of its flags this
 * driver does without. */
static void parse_flags(int argc, char **argv, struct opts *o, struct inputs *dict)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strncmp(a, "-runs=", 6))
            o->runs = strtoul(a + 6, NULL, 10);
        else if (!strncmp(a, "-seed=", 6))
            o->seed = strtoul(a + 6, NULL, 10);
        else if (!strncmp(a, "-max_len=", 9))
            o->max_len = strtoul(a + 9, NULL, 10);
        else if (!strncmp(a, "-max_total_time=", 16))
            o->max_time = strtoul(a + 16, NULL, 10);
        else if (!strncmp(a, "-timeout=", 9))
            o->timeout = (unsigned) strtoul(a + 9, NULL, 10);
        else if (!strncmp(a, "-dict=", 6))
            load_dict(dict, a + 6);
        else if (!strncmp(a, "-artifact_prefix=", 17))
            prefix = a + 17;
        else if (a[0] == '-')
            fprintf(stderr, "fuzz: ignoring %s\n", a);
    }
    if (o->max_len < 16)
        o->max_len = 16;
    if (o->max_time && !o->runs)
        o->runs = (unsigned long) -1;
}

static double since(struct timespec t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/* The pool of recent mutants, mutated again later: 256, replaced at random. */
static void keep_mutant(struct inputs *pool, const uint8_t *buf, size_t len)
{
    struct input *p;

    if (pool->n < 256) {
        add(pool, buf, len);
        return;
    }
    p = &pool->v[below(pool->n)];
    free(p->buf);
    if (!(p->buf = malloc(len ? len : 1)))
        die("malloc");
    memcpy(p->buf, buf, len);
    p->len = len;
}

/* The mutations; how many ran (fewer than asked when time ran out). */
static unsigned long fuzz_loop(const struct opts *o, const struct inputs *corpus,
                               const struct inputs *dict, struct timespec t0)
{
    struct inputs pool = { 0 };
    uint8_t *buf = malloc(o->max_len);
    unsigned long r;

    if (!buf)
        die("malloc");
    for (r = 0; r < o->runs; r++) {
        if (o->max_time && (r & 1023) == 0 && since(t0) >= (double) o->max_time)
            break;
        const struct inputs *from = pool.n && below(4) == 0 ? &pool : corpus;
        size_t len = 0;
        if (from->n) {
            const struct input *base = &from->v[below(from->n)];
            len = base->len < o->max_len ? base->len : o->max_len;
            memcpy(buf, base->buf, len);
        }
        mutate(buf, &len, o->max_len, dict, corpus);
        run_one(buf, len, o->timeout);
        keep_mutant(&pool, buf, len);
    }
    free(buf);
    free_inputs(&pool);
    return r;
}

int main(int argc, char **argv)
{
    struct opts o = { .seed = 1, .max_len = 4096, .timeout = 20 };
    struct inputs corpus = { 0 }, dict = { 0 };
    const char *slash = strrchr(argv[0], '/');
    struct timespec t0;
    unsigned long ran;

    name = slash ? slash + 1 : argv[0];
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    parse_flags(argc, argv, &o, &dict);
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-')
            add_path(&corpus, argv[i], o.max_len);
    rng_state = o.seed;
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(dump);
    signal(SIGALRM, on_signal);
    signal(SIGSEGV, on_signal);
    signal(SIGBUS, on_signal);
    signal(SIGFPE, on_signal);
    signal(SIGABRT, on_signal);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < corpus.n; i++)
        run_one(corpus.v[i].buf, corpus.v[i].len, o.timeout);
    ran = fuzz_loop(&o, &corpus, &dict, t0);
    printf("ok 1 - %s: %zu corpus inputs and %lu mutations (seed %lu) in %.1f s\n1..1\n", name,
           corpus.n, ran, o.seed, since(t0));
    free_inputs(&corpus);
    free_inputs(&dict);
    return 0;
}
