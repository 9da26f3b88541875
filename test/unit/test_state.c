/*
 * test/unit/test_state.c: the flat JSON state (src/state). Each test works
 * in a fresh temporary static dir under /tmp and removes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "state/state.h"
#include "unit.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

/* from state/namegen.c, for the word-list test */
size_t state_namegen_words(const char *const **adj, size_t *nadj, const char *const **sur);

static char tmpdir[64];
/* the handle under test, also reachable from file scope so that a forked
 * child's _exit() does not look like a leak to valgrind */
static struct state *volatile g_st;

static struct state *fresh(void)
{
    struct state *st = NULL;
    _cleanup_berr_ struct berr *e = NULL;

    snprintf(tmpdir, sizeof(tmpdir), "/tmp/berth-ut-state-XXXXXX");
    if (!mkdtemp(tmpdir))
        return NULL;
    if (state_open(tmpdir, &st, &e) < 0) {
        printf("# state_open: %s\n", e->msg);
        return NULL;
    }
    g_st = st;
    return st;
}

static void done(struct state *st)
{
    _cleanup_berr_ struct berr *e = NULL;

    state_close(st);
    g_st = NULL;
    if (fs_rm_rf(tmpdir, &e) < 0)
        printf("# cleanup %s: %s\n", tmpdir, e->msg);
}

/* An id from a pattern: the char c repeated, then 'first' at the front. */
static void mk_id(char *out, const char *first, char fill)
{
    size_t n = strlen(first);
    memcpy(out, first, n);
    memset(out + n, fill, STATE_ID_LEN - n);
    out[STATE_ID_LEN] = '\0';
}

static int create_ctr(struct state *st, enum obj_kind kind, const char *id, const char *name,
                      const char *ns, struct berr **e)
{
    _cleanup_json_ json_t *cfg = json_pack("{s:s}", "id", id);
    _cleanup_json_ json_t *sj = json_pack("{s:i}", "state", 1);

    if (name)
        js_set_str(cfg, "name", name);
    if (ns)
        js_set_str(cfg, "namespace", ns);
    return state_create(st, kind, id, cfg, sj, e);
}

static void t_ids(void)
{
    char id[STATE_ID_LEN + 1], first[STATE_ID_LEN + 1] = "";
    _cleanup_berr_ struct berr *e = NULL;
    int digits12 = 0;

    for (int i = 0; i < 5000; i++) {
        CHECK_INT(state_new_id(id, &e), 0);
        CHECK_INT(strlen(id), 64);
        CHECK(strspn(id, "0123456789abcdef") == 64);
        if (strspn(id, "0123456789") >= 12)
            digits12++;
        if (i == 0)
            strcpy(first, id);
        else if (strcmp(id, first) == 0)
            CHECK(!"an id came twice");
    }
    CHECK_INT(digits12, 0);
}

static void t_name_valid(void)
{
    static const struct { const char *in; bool ok; } cases[] = {
        { "web", true }, { "a", true }, { "9lives", true }, { "A.b_c-d", true },
        { "", false }, { "-x", false }, { "_x", false }, { ".x", false },
        { "a/b", false }, { "a b", false }, { "a:b", false }, { "é", false },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (state_name_valid(cases[i].in) != cases[i].ok) {
            printf("#   name \"%s\"\n", cases[i].in);
            CHECK(!"state_name_valid");
        }
    CHECK(!state_name_valid(NULL));
}

static void t_open_and_db(void)
{
    struct state *st = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    _cleanup_json_ json_t *db = NULL, *in = json_pack("{s:s}", "graphRoot", "/x");
    struct stat sb;
    struct state *again = NULL;

    CHECK(st != NULL);
    if (!st)
        return;
    CHECK_STR(state_dir(st), tmpdir);
    {
        _cleanup_free_ char *p = str_fmt("%s/names", tmpdir);
        CHECK(stat(p, &sb) == 0 && S_ISDIR(sb.st_mode) && (sb.st_mode & 0777) == 0700);
    }
    CHECK_INT(state_db_read(st, &db, &e), 0);
    CHECK(db == NULL);
    CHECK_INT(state_db_write(st, in, &e), 0);
    CHECK(json_object_get(in, "version") == NULL);      /* the caller's object is untouched */
    CHECK_INT(state_db_read(st, &db, &e), 0);
    CHECK_STR(js_str(db, "graphRoot", NULL), "/x");
    CHECK_INT(js_int(db, "version", 0), STATE_FORMAT_VERSION);
    /* opening an existing state is fine */
    CHECK_INT(state_open(tmpdir, &again, &e), 0);
    state_close(again);
    done(st);
}

static void t_crud(void)
{
    struct state *st = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    char a[STATE_ID_LEN + 1], b[STATE_ID_LEN + 1];
    _cleanup_strv_ strv ids = NULL;

    if (!st)
        { CHECK(st); return; }
    mk_id(b, "bbb", '1');
    mk_id(a, "aaa", '2');
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, b, "second", NULL, &e), 0);
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, a, "first", NULL, &e), 0);
    CHECK(state_exists(st, OBJ_CONTAINER, a));
    CHECK(!state_exists(st, OBJ_POD, a));

    /* create reserved the name itself */
    {
        char got[STATE_ID_LEN + 1];
        CHECK_INT(state_lookup(st, OBJ_CONTAINER, "first", NULL, got, &e), 0);
        CHECK_STR(got, a);
    }
    {
        _cleanup_json_ json_t *c = NULL, *s = NULL;
        CHECK_INT(state_read(st, OBJ_CONTAINER, a, &c, &s, &e), 0);
        CHECK_STR(js_str(c, "name", NULL), "first");
        CHECK_INT(js_int(c, "version", 0), STATE_FORMAT_VERSION);
        CHECK_INT(js_int(s, "state", 0), 1);
        CHECK_INT(js_int(s, "version", 0), STATE_FORMAT_VERSION);
    }
    {
        _cleanup_json_ json_t *s = json_pack("{s:i, s:i}", "state", 3, "pid", 42);
        _cleanup_json_ json_t *s2 = NULL, *c2 = NULL;
        CHECK_INT(state_update(st, OBJ_CONTAINER, a, s, &e), 0);
        CHECK_INT(state_read(st, OBJ_CONTAINER, a, NULL, &s2, &e), 0);
        CHECK_INT(js_int(s2, "pid", 0), 42);
        CHECK_INT(js_int(s2, "version", 0), STATE_FORMAT_VERSION);
        /* the config only */
        CHECK_INT(state_read(st, OBJ_CONTAINER, a, &c2, NULL, &e), 0);
        js_set_int(c2, "lockID", 7);
        CHECK_INT(state_update_config(st, OBJ_CONTAINER, a, c2, &e), 0);
    }
    {
        _cleanup_json_ json_t *c = NULL;
        CHECK_INT(state_read(st, OBJ_CONTAINER, a, &c, NULL, &e), 0);
        CHECK_INT(js_int(c, "lockID", 0), 7);
    }
    CHECK_INT(state_list(st, OBJ_CONTAINER, &ids, &e), 0);
    CHECK_INT(strv_len(ids), 2);
    if (strv_len(ids) == 2) {
        CHECK_STR(ids[0], a);    /* sorted */
        CHECK_STR(ids[1], b);
    }
    /* the same id again */
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, a, "third", NULL, &e), -1);
    CHECK(e && e->kind == BK_EXISTS);
    /* ... and a pod may not reuse a container's id either */
    CHECK_INT(create_ctr(st, OBJ_POD, a, "pod3", NULL, &e), -1);
    CHECK(e && e->kind == BK_EXISTS);
    {
        _cleanup_free_ char *p = str_fmt("%s/names/third", tmpdir);
        CHECK(!fs_exists(p));   /* the failed create left no name behind */
    }

    CHECK_INT(state_delete(st, OBJ_CONTAINER, a, &e), 0);
    CHECK(!state_exists(st, OBJ_CONTAINER, a));
    CHECK_INT(state_delete(st, OBJ_CONTAINER, a, &e), -1);
    CHECK(e && e->kind == BK_NO_SUCH);
    {
        _cleanup_json_ json_t *c = NULL;
        CHECK_INT(state_read(st, OBJ_CONTAINER, a, &c, NULL, &e), -1);
        CHECK(e && e->kind == BK_NO_SUCH);
        _cleanup_json_ json_t *s = json_object();
        CHECK_INT(state_update(st, OBJ_CONTAINER, a, s, &e), -1);
        CHECK(e && e->kind == BK_NO_SUCH);
    }
    /* the name went with it */
    {
        _cleanup_free_ char *p = str_fmt("%s/names/first", tmpdir);
        CHECK(!fs_exists(p));
    }
    strv_free(ids);
    ids = NULL;
    CHECK_INT(state_list(st, OBJ_CONTAINER, &ids, &e), 0);
    CHECK_INT(strv_len(ids), 1);
    /* nothing of the delete left behind */
    {
        _cleanup_free_ char *p = str_fmt("%s/containers", tmpdir);
        DIR *d = opendir(p);
        struct dirent *de;
        int n = 0;
        while (d && (de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                n++;
        if (d)
            closedir(d);
        CHECK_INT(n, 1);
    }
    /* bad keys are refused, never used as paths */
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, "../x", NULL, NULL, &e), -1);
    CHECK(e && e->kind == BK_INVALID);
    CHECK(!state_exists(st, OBJ_CONTAINER, "../x"));
    done(st);
}

static void t_volumes(void)
{
    struct state *st = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    _cleanup_json_ json_t *cfg = json_pack("{s:s}", "driver", "local");
    char got[256];

    if (!st)
        { CHECK(st); return; }
    CHECK_INT(state_create(st, OBJ_VOLUME, "data1", cfg, NULL, &e), 0);
    CHECK_INT(state_create(st, OBJ_VOLUME, "data2", cfg, NULL, &e), 0);
    CHECK_INT(state_create(st, OBJ_VOLUME, "logs", cfg, NULL, &e), 0);
    CHECK_INT(state_create(st, OBJ_VOLUME, "logs", cfg, NULL, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "volume with name logs already exists: volume already exists");
    CHECK_INT(state_lookup(st, OBJ_VOLUME, "data1", NULL, got, &e), 0);
    CHECK_STR(got, "data1");
    CHECK_INT(state_lookup(st, OBJ_VOLUME, "lo", NULL, got, &e), 0);
    CHECK_STR(got, "logs");
    CHECK_INT(state_lookup(st, OBJ_VOLUME, "data", NULL, got, &e), -1);
    CHECK_STR(e ? e->msg : NULL,
              "more than one result for volume name \"data\": volume already exists");
    CHECK_INT(state_lookup(st, OBJ_VOLUME, "nope", NULL, got, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "no volume with name \"nope\" found: no such volume");
    {
        _cleanup_json_ json_t *c = NULL, *s = NULL;
        CHECK_INT(state_read(st, OBJ_VOLUME, "logs", &c, &s, &e), 0);
        CHECK_STR(js_str(c, "driver", NULL), "local");
        CHECK(json_is_object(s));
    }
    CHECK_INT(state_delete(st, OBJ_VOLUME, "logs", &e), 0);
    CHECK(!state_exists(st, OBJ_VOLUME, "logs"));
    done(st);
}

static int write_file(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    int r = fs_write_all(fd, s, strlen(s));
    close(fd);
    return r;
}

static void age(const char *path, int sec)
{
    struct timespec ts[2];
    clock_gettime(CLOCK_REALTIME, &ts[0]);
    ts[0].tv_sec -= sec;
    ts[1] = ts[0];
    utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW);
}

static void t_leftovers(void)
{
    struct state *st = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    char a[STATE_ID_LEN + 1];
    _cleanup_free_ char *newd = NULL, *deld = NULL, *busy = NULL, *oldf = NULL, *youngf = NULL,
                         *dbtmp = NULL, *other = NULL;
    _cleanup_strv_ strv ids = NULL;
    int lockfd;

    if (!st)
        { CHECK(st); return; }
    mk_id(a, "a", 'c');
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, a, "keep", NULL, &e), 0);
    /* what a crash leaves: a half-built record, a half-deleted one, temp files */
    newd = str_fmt("%s/containers/.new-%s.AbCdEf", tmpdir, a);
    deld = str_fmt("%s/pods/.del-%s.123456", tmpdir, a);
    busy = str_fmt("%s/containers/.new-%s.busy00", tmpdir, a);
    oldf = str_fmt("%s/exits/.%s.Xy12Ab", tmpdir, a);
    youngf = str_fmt("%s/exits/.%s.Zz34Cd", tmpdir, a);
    dbtmp = str_fmt("%s/.db.json.QwErTy", tmpdir);
    other = str_fmt("%s/.someone-elses", tmpdir);
    CHECK(mkdir(newd, 0700) == 0);
    {
        _cleanup_free_ char *f = str_fmt("%s/config.json", newd);
        CHECK(write_file(f, "{\"half\":") == 0);
    }
    CHECK(mkdir(deld, 0700) == 0);
    CHECK(mkdir(busy, 0700) == 0);
    CHECK(write_file(oldf, "x") == 0);
    CHECK(write_file(youngf, "x") == 0);
    CHECK(write_file(dbtmp, "x") == 0);
    CHECK(write_file(other, "x") == 0);
    age(oldf, 3600);
    age(dbtmp, 3600);
    age(other, 3600);
    /* a create still running elsewhere: it holds the flock of its dir */
    lockfd = open(busy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(lockfd >= 0 && flock(lockfd, LOCK_EX) == 0);

    /* readers never see them; listing containers removes what is dead */
    CHECK_INT(state_list(st, OBJ_CONTAINER, &ids, &e), 0);
    CHECK_INT(strv_len(ids), 1);
    CHECK(!fs_exists(newd));
    CHECK(fs_exists(busy));             /* owned by a live process */
    CHECK(fs_exists(deld));             /* pods/: not listed */
    state_close(st);
    st = NULL;
    CHECK_INT(state_open(tmpdir, &st, &e), 0);
    CHECK(!fs_exists(deld));            /* the small dirs: at open */
    CHECK(fs_exists(busy));         /* owned by a live process */
    CHECK(fs_exists(oldf));         /* exits/: by the pruning sweep */
    CHECK_INT(state_exit_codes_prune(st, 300, &e), 0);
    CHECK(!fs_exists(oldf));
    CHECK(fs_exists(youngf));       /* may be a write in progress */
    CHECK(!fs_exists(dbtmp));
    CHECK(fs_exists(other));        /* the static dir is shared: not ours */
    CHECK(state_exists(st, OBJ_CONTAINER, a));
    close(lockfd);
    /* once its owner is gone, it goes too */
    state_close(st);
    st = NULL;
    CHECK_INT(state_open(tmpdir, &st, &e), 0);
    strv_free(ids);
    ids = NULL;
    CHECK_INT(state_list(st, OBJ_CONTAINER, &ids, &e), 0);
    CHECK(!fs_exists(busy));
    done(st);
}

static void t_lookup(void)
{
    struct state *st = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    char c1[STATE_ID_LEN + 1], c2[STATE_ID_LEN + 1], c3[STATE_ID_LEN + 1],
        p1[STATE_ID_LEN + 1], got[STATE_ID_LEN + 1];

    if (!st)
        { CHECK(st); return; }
    mk_id(c1, "abc1", '0');
    mk_id(c2, "abc2", '0');
    mk_id(c3, "def", '5');
    mk_id(p1, "f00d", '7');
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, c1, "web", "ns1", &e), 0);
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, c2, "db", "ns1", &e), 0);
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, c3, "abc", "ns2", &e), 0);
    CHECK_INT(create_ctr(st, OBJ_POD, p1, "mypod", NULL, &e), 0);

    /* full id, name, unique prefix */
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, c2, NULL, got, &e), 0);
    CHECK_STR(got, c2);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "web", NULL, got, &e), 0);
    CHECK_STR(got, c1);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "abc2", NULL, got, &e), 0);
    CHECK_STR(got, c2);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "d", NULL, got, &e), 0);
    CHECK_STR(got, c3);
    /* an exact name wins over an ambiguous prefix */
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "abc", NULL, got, &e), 0);
    CHECK_STR(got, c3);
    /* ambiguous prefix */
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "ab", NULL, got, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "more than one result for container ID ab: container already exists");
    CHECK(e && e->kind == BK_EXISTS && e->exit_code == 125);
    /* nothing */
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "nosuchctr", NULL, got, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "no container with name or ID \"nosuchctr\" found: no such container");
    CHECK(e && e->kind == BK_NO_SUCH);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "0123", NULL, got, &e), -1);
    CHECK(e && e->kind == BK_NO_SUCH);
    /* a pod's name, asked as a container */
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "mypod", NULL, got, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "\"mypod\" is a pod, not a container: no such container");
    CHECK(e && e->kind == BK_NO_SUCH);
    /* empty */
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "", NULL, got, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "name or ID cannot be empty");
    /* pods */
    CHECK_INT(state_lookup(st, OBJ_POD, "mypod", NULL, got, &e), 0);
    CHECK_STR(got, p1);
    CHECK_INT(state_lookup(st, OBJ_POD, "f0", NULL, got, &e), 0);
    CHECK_STR(got, p1);
    CHECK_INT(state_lookup(st, OBJ_POD, "web", NULL, got, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "web is a container, not a pod: no such pod");
    CHECK_INT(state_lookup(st, OBJ_POD, "zzz", NULL, got, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "no pod with name or ID zzz found: no such pod");
    /* the libpod namespace filter */
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "ab", "ns1", got, &e), -1);
    CHECK(e && e->kind == BK_EXISTS);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "d", "ns2", got, &e), 0);
    CHECK_STR(got, c3);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "web", "ns2", got, &e), -1);
    CHECK(e && e->kind == BK_NO_SUCH);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, c1, "ns2", got, &e), -1);
    CHECK(e && e->kind == BK_NO_SUCH);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "web", "", got, &e), 0);
    CHECK_STR(got, c1);
    done(st);
}

static void t_corrupt(void)
{
    struct state *st = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    char a[STATE_ID_LEN + 1], b[STATE_ID_LEN + 1], got[STATE_ID_LEN + 1];
    _cleanup_free_ char *cfg = NULL, *stp = NULL, *want = NULL;
    _cleanup_strv_ strv ids = NULL;

    if (!st)
        { CHECK(st); return; }
    mk_id(a, "a", '1');
    mk_id(b, "b", '2');
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, a, "broken", NULL, &e), 0);
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, b, "fine", NULL, &e), 0);
    cfg = str_fmt("%s/containers/%s/config.json", tmpdir, a);
    stp = str_fmt("%s/containers/%s/state.json", tmpdir, b);
    CHECK(write_file(cfg, "{\"name\": \"broken\",") == 0);
    {
        _cleanup_json_ json_t *c = NULL;
        CHECK_INT(state_read(st, OBJ_CONTAINER, a, &c, NULL, &e), -1);
        CHECK(e && e->kind == BK_CORRUPT);
        want = str_fmt("container %s: %s:", a, cfg);
        CHECK(e && str_has_prefix(e->msg, want));
        CHECK(e && strstr(e->msg, "invalid JSON"));
    }
    /* the others still read, list and look up */
    {
        _cleanup_json_ json_t *c = NULL;
        CHECK_INT(state_read(st, OBJ_CONTAINER, b, &c, NULL, &e), 0);
    }
    CHECK_INT(state_list(st, OBJ_CONTAINER, &ids, &e), 0);
    CHECK_INT(strv_len(ids), 2);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "fine", NULL, got, &e), 0);
    CHECK_INT(state_lookup(st, OBJ_CONTAINER, "broken", NULL, got, &e), 0);
    CHECK_STR(got, a);      /* found, so that rm can remove it */
    /* a newer format fails clearly for that one object */
    CHECK(write_file(stp, "{\"version\": 99, \"state\": 1}") == 0);
    {
        _cleanup_json_ json_t *s = NULL;
        CHECK_INT(state_read(st, OBJ_CONTAINER, b, NULL, &s, &e), -1);
        CHECK(e && e->kind == BK_CORRUPT && strstr(e->msg, "version 99 is newer"));
        CHECK(e && strstr(e->msg, b));
    }
    CHECK(write_file(stp, "[1, 2]") == 0);
    {
        _cleanup_json_ json_t *s = NULL;
        CHECK_INT(state_read(st, OBJ_CONTAINER, b, NULL, &s, &e), -1);
        CHECK(e && e->kind == BK_CORRUPT);
    }
    /* a broken record can still be deleted, and its name goes with it */
    CHECK_INT(state_delete(st, OBJ_CONTAINER, a, &e), 0);
    {
        _cleanup_free_ char *p = str_fmt("%s/names/broken", tmpdir);
        CHECK(!fs_exists(p));
    }
    done(st);
}

static void t_names(void)
{
    struct state *st = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    char a[STATE_ID_LEN + 1], b[STATE_ID_LEN + 1], p[STATE_ID_LEN + 1];
    _cleanup_free_ char *link = NULL;

    if (!st)
        { CHECK(st); return; }
    mk_id(a, "a", '1');
    mk_id(b, "b", '2');
    mk_id(p, "c", '3');
    link = str_fmt("%s/names/web", tmpdir);
    CHECK_INT(state_name_reserve(st, "web", OBJ_CONTAINER, a, &e), 0);
    CHECK_INT(state_name_reserve(st, "web", OBJ_CONTAINER, a, &e), 0);   /* ours already */
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, a, "web", NULL, &e), 0);
    CHECK_INT(state_name_reserve(st, "web", OBJ_CONTAINER, b, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "name \"web\" is in use: container already exists");
    CHECK(e && e->kind == BK_EXISTS);
    CHECK_INT(create_ctr(st, OBJ_POD, p, "pod1", NULL, &e), 0);
    CHECK_INT(state_name_reserve(st, "pod1", OBJ_CONTAINER, b, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "name \"pod1\" is in use: pod already exists");
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, b, "pod1", NULL, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "name \"pod1\" is in use: pod already exists");
    CHECK(!state_exists(st, OBJ_CONTAINER, b));
    CHECK_INT(state_name_reserve(st, "bad name", OBJ_CONTAINER, b, &e), -1);
    CHECK(e && e->kind == BK_INVALID);
    CHECK_STR(e ? e->msg : NULL, "names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");

    /* release and reuse (rename's two halves) */
    CHECK_INT(state_name_release(st, "web", &e), 0);
    CHECK_INT(state_name_release(st, "web", &e), 0);
    CHECK_INT(state_name_reserve(st, "web", OBJ_CONTAINER, b, &e), 0);
    CHECK_INT(state_name_release(st, "web", &e), 0);

    /* a dangling reservation (its owner died before create): it blocks
     * while young, is taken over once stale */
    CHECK_INT(state_delete(st, OBJ_CONTAINER, a, &e), 0);
    CHECK_INT(state_name_reserve(st, "ghost", OBJ_CONTAINER, a, &e), 0);
    CHECK_INT(state_name_reserve(st, "ghost", OBJ_CONTAINER, b, &e), -1);
    CHECK(e && e->kind == BK_EXISTS);
    {
        _cleanup_free_ char *g = str_fmt("%s/names/ghost", tmpdir);
        age(g, 3600);
    }
    CHECK_INT(state_name_reserve(st, "ghost", OBJ_CONTAINER, b, &e), 0);
    /* the slow owner comes back: its create fails, no duplicate name */
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, a, "ghost", NULL, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "name \"ghost\" is in use: container already exists");
    CHECK(!state_exists(st, OBJ_CONTAINER, a));
    CHECK_INT(create_ctr(st, OBJ_CONTAINER, b, "ghost", NULL, &e), 0);
    /* a garbage entry in names/ behaves like a stale one */
    {
        _cleanup_free_ char *g = str_fmt("%s/names/junk", tmpdir);
        CHECK(symlink("/etc/passwd", g) == 0);
        CHECK_INT(state_name_reserve(st, "junk", OBJ_CONTAINER, a, &e), -1);
        age(g, 3600);
        CHECK_INT(state_name_reserve(st, "junk", OBJ_CONTAINER, a, &e), 0);
    }
    /* a create killed after its name's link: the .new- dir it leaves says
     * whether its owner lives (flock'ed) or died; a dead one's name is
     * free at once, and the sweep in state_list releases it too */
    {
        char d[STATE_ID_LEN + 1];
        _cleanup_free_ char *nd = NULL, *cfg = NULL;
        _cleanup_strv_ char **ids = NULL;
        int fd;

        mk_id(d, "d", '4');
        nd = str_fmt("%s/containers/.new-%s.abcdef", tmpdir, d);
        cfg = str_fmt("%s/config.json", nd);
        CHECK(nd && cfg && mkdir(nd, 0700) == 0);
        CHECK(write_file(cfg, "{\"name\":\"killed\"}") == 0);
        CHECK_INT(state_name_reserve(st, "killed", OBJ_CONTAINER, d, &e), 0);
        fd = open(nd, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0);          /* alive: blocks */
        CHECK_INT(state_name_reserve(st, "killed", OBJ_CONTAINER, b, &e), -1);
        close(fd);                                            /* died: free */
        CHECK_INT(state_name_reserve(st, "killed", OBJ_CONTAINER, b, &e), 0);
        CHECK_INT(state_name_release(st, "killed", &e), 0);
        CHECK_INT(state_name_reserve(st, "killed", OBJ_CONTAINER, d, &e), 0);
        CHECK_INT(state_list(st, OBJ_CONTAINER, &ids, &e), 0);  /* the sweep */
        CHECK(access(nd, F_OK) < 0);
        CHECK_INT(state_name_reserve(st, "killed", OBJ_CONTAINER, b, &e), 0);
    }
    done(st);
}

/* N processes race for one name; each reports 0 (won) or 1 (taken). */
static void t_name_race(void)
{
    struct state *st = fresh();
    enum { N = 20 };
    pid_t pids[N];
    int go[2], wins = 0, taken = 0;

    if (!st)
        { CHECK(st); return; }
    CHECK(pipe2(go, O_CLOEXEC) == 0);
    for (int i = 0; i < N; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            struct state *cs = NULL;
            struct berr *e = NULL;
            char id[STATE_ID_LEN + 1], c;
            int r;

            close(go[1]);
            if (state_open(tmpdir, &cs, &e) < 0 || state_new_id(id, &e) < 0)
                r = 3;
            else {
                (void) !read(go[0], &c, 1);     /* wait for the start */
                r = state_name_reserve(cs, "contested", OBJ_CONTAINER, id, &e);
                if (r == 0)
                    r = create_ctr(cs, OBJ_CONTAINER, id, "contested", NULL, &e);
                if (r < 0)
                    r = e && e->kind == BK_EXISTS ? 1 : 2;
            }
            state_close(cs);
            berr_free(e);
            _exit(r);
        }
    }
    close(go[0]);
    close(go[1]);       /* EOF releases every child at once */
    for (int i = 0; i < N; i++) {
        int ws;
        if (waitpid(pids[i], &ws, 0) < 0 || !WIFEXITED(ws))
            continue;
        if (WEXITSTATUS(ws) == 0)
            wins++;
        else if (WEXITSTATUS(ws) == 1)
            taken++;
    }
    CHECK_INT(wins, 1);
    CHECK_INT(taken, N - 1);
    {
        _cleanup_strv_ strv ids = NULL;
        _cleanup_berr_ struct berr *e = NULL;
        CHECK_INT(state_list(st, OBJ_CONTAINER, &ids, &e), 0);
        CHECK_INT(strv_len(ids), 1);
    }
    done(st);
}

static void t_gen_name(void)
{
    struct state *st = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    const char *const *adj, *const *sur;
    size_t nadj, nsur = state_namegen_words(&adj, &nadj, &sur);
    char id[STATE_ID_LEN + 1];

    if (!st)
        { CHECK(st); return; }
    CHECK(nadj >= 100);
    CHECK(nsur >= 230);
    for (size_t i = 0; i < nadj; i++) {
        CHECK(state_name_valid(adj[i]) && strspn(adj[i], "abcdefghijklmnopqrstuvwxyz") == strlen(adj[i]));
        for (size_t j = i + 1; j < nadj; j++)
            CHECK(strcmp(adj[i], adj[j]) != 0);
    }
    for (size_t i = 0; i < nsur; i++) {
        CHECK(state_name_valid(sur[i]) && strspn(sur[i], "abcdefghijklmnopqrstuvwxyz") == strlen(sur[i]));
        for (size_t j = i + 1; j < nsur; j++)
            CHECK(strcmp(sur[i], sur[j]) != 0);
    }
    /* reserving each generated name: never one that is taken */
    for (int i = 0; i < 300; i++) {
        _cleanup_free_ char *n = NULL;
        CHECK_INT(state_new_id(id, &e), 0);
        CHECK_INT(state_gen_name(st, &n, &e), 0);
        CHECK(n && state_name_valid(n) && strchr(n, '_'));
        CHECK_INT(state_name_reserve(st, n, OBJ_CONTAINER, id, &e), 0);
    }
    /* every plain combination taken: the suffixed form, still free */
    {
        _cleanup_free_ char *n = NULL, *p = NULL;
        size_t len;
        mk_id(id, "e", '9');
        /* plain symlink(): the reserve's fsync would make this slow */
        for (size_t i = 0; i < nadj; i++)
            for (size_t j = 0; j < nsur; j++) {
                _cleanup_free_ char *nm = str_fmt("%s/names/%s_%s", tmpdir, adj[i], sur[j]);
                (void) symlink("../containers/x", nm);
            }
        CHECK_INT(state_gen_name(st, &n, &e), 0);
        CHECK(n && state_name_valid(n));
        len = n ? strlen(n) : 0;
        CHECK(len && n[len - 1] >= '0' && n[len - 1] <= '9');
        p = str_fmt("%s/names/%s", tmpdir, n ? n : "");
        CHECK(!fs_exists(p));
    }
    done(st);
}

static void t_exits(void)
{
    struct state *st = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    char a[STATE_ID_LEN + 1], b[STATE_ID_LEN + 1];
    int code = -1;

    if (!st)
        { CHECK(st); return; }
    mk_id(a, "a", '1');
    mk_id(b, "b", '2');
    CHECK_INT(state_exit_code_get(st, a, &code, &e), -1);
    CHECK(e && e->kind == BK_NO_SUCH);
    CHECK_INT(state_exit_code_set(st, a, 42, &e), 0);
    CHECK_INT(state_exit_code_get(st, a, &code, &e), 0);
    CHECK_INT(code, 42);
    CHECK_INT(state_exit_code_set(st, a, 137, &e), 0);   /* overwrite */
    CHECK_INT(state_exit_code_get(st, a, &code, &e), 0);
    CHECK_INT(code, 137);
    /* an entry from long ago, as written by an earlier process */
    {
        _cleanup_free_ char *p = str_fmt("%s/exits/%s", tmpdir, b);
        _cleanup_free_ char *s = str_fmt("{\"code\":3,\"time\":%lld,\"version\":1}",
                                         (long long) (time(NULL) - 600) * 1000000000LL);
        CHECK(write_file(p, s) == 0);
        age(p, 600);
    }
    CHECK_INT(state_exit_code_get(st, b, &code, &e), 0);
    CHECK_INT(code, 3);
    CHECK_INT(state_exit_codes_prune(st, 300, &e), 0);
    CHECK_INT(state_exit_code_get(st, b, &code, &e), -1);
    CHECK(e && e->kind == BK_NO_SUCH);
    CHECK_INT(state_exit_code_get(st, a, &code, &e), 0);
    berr_freep(&e);
    /* one sweep in 30 s: the next cleanup's prune leaves an old entry be,
     * until the mark of the last sweep is old */
    {
        _cleanup_free_ char *p = str_fmt("%s/exits/%s", tmpdir, b);
        _cleanup_free_ char *mark = str_fmt("%s/exits/pruned", tmpdir);
        CHECK(write_file(p, "{\"code\":3,\"time\":1,\"version\":1}") == 0);
        age(p, 600);
        CHECK_INT(state_exit_codes_prune(st, 300, &e), 0);
        CHECK(fs_exists(p));
        age(mark, 31);
        CHECK_INT(state_exit_codes_prune(st, 300, &e), 0);
        CHECK(!fs_exists(p));
        CHECK(fs_exists(mark));
    }
    CHECK_INT(state_exit_code_get(st, a, &code, &e), 0);
    CHECK_INT(state_exit_codes_clear(st, &e), 0);
    CHECK_INT(state_exit_code_get(st, a, &code, &e), -1);
    CHECK(e && e->kind == BK_NO_SUCH);
    CHECK_INT(state_exit_code_set(st, "../../etc/x", 1, &e), -1);
    done(st);
}

int main(void)
{
    UNIT_RUN(t_ids);
    UNIT_RUN(t_name_valid);
    UNIT_RUN(t_open_and_db);
    UNIT_RUN(t_crud);
    UNIT_RUN(t_volumes);
    UNIT_RUN(t_leftovers);
    UNIT_RUN(t_lookup);
    UNIT_RUN(t_corrupt);
    UNIT_RUN(t_names);
    UNIT_RUN(t_name_race);
    UNIT_RUN(t_gen_name);
    UNIT_RUN(t_exits);
    return unit_done();
}
