/*
 * runtime/user.c: user and group lookup in the container image's
 * /etc/passwd and /etc/group (rules in user.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/user.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

void user_free(struct ctr_user *u)
{
    free(u->groups);
    free(u->home);
    u->groups = NULL;
    u->home = NULL;
    u->ngroups = 0;
}

int user_parse_id(const char *s, unsigned long *out)
{
    unsigned long long v;

    if (!*s || str_to_ull(s, &v) < 0 || v > 4294967294ULL)
        return -1;
    *out = (unsigned long) v;
    return 0;
}

/* Iterates the lines of a colon file; calls fn with the fields (at most 8).
 * fn returns 1 to stop. */
static int each_entry(const char *text, int (*fn)(char **f, int n, void *arg), void *arg)
{
    const char *p = text;

    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        _cleanup_free_ char *line = strndup(p, len);
        char *f[8], *s;
        int n = 0;

        if (!line)
            return -1;
        p += len + (nl ? 1 : 0);
        if (!line[0] || line[0] == '#')
            continue;
        for (s = line; n < 8;) {
            f[n++] = s;
            s = strchr(s, ':');
            if (!s)
                break;
            *s++ = '\0';
        }
        if (fn(f, n, arg) == 1)
            return 1;
    }
    return 0;
}

struct pw_query {
    const char *name;           /* match by name, or */
    unsigned long uid;          /* by uid */
    bool found;
    unsigned long out_uid, out_gid;
    char *out_name, *out_home;
};

static int pw_match(char **f, int n, void *arg)
{
    struct pw_query *q = arg;
    unsigned long uid, gid;

    if (n < 4 || user_parse_id(f[2], &uid) < 0 || user_parse_id(f[3], &gid) < 0)
        return 0;
    if (q->name ? strcmp(f[0], q->name) != 0 : uid != q->uid)
        return 0;
    q->found = true;
    q->out_uid = uid;
    q->out_gid = gid;
    q->out_name = strdup(f[0]);
    q->out_home = n >= 6 && f[5][0] ? strdup(f[5]) : NULL;
    return 1;
}

struct gr_query {
    const char *name;           /* the group by name (gid out), or */
    const char *member;         /* every group listing this member */
    bool found;
    unsigned long gid;
    struct ctr_user *u;
    int oom;
};

static void add_group(struct ctr_user *u, gid_t g, int *oom)
{
    gid_t *ng;

    if (g == u->gid)
        return;
    for (size_t i = 0; i < u->ngroups; i++)
        if (u->groups[i] == g)
            return;
    ng = realloc(u->groups, (u->ngroups + 1) * sizeof(*ng));
    if (!ng) {
        *oom = 1;
        return;
    }
    u->groups = ng;
    u->groups[u->ngroups++] = g;
}

static int gr_match(char **f, int n, void *arg)
{
    struct gr_query *q = arg;
    unsigned long gid;

    if (n < 3 || user_parse_id(f[2], &gid) < 0)
        return 0;
    if (q->name) {
        if (strcmp(f[0], q->name) != 0)
            return 0;
        q->found = true;
        q->gid = gid;
        return 1;
    }
    if (n >= 4) {
        _cleanup_strv_ strv members = strv_split(f[3], ",");
        if (!members) {
            q->oom = 1;
            return 1;
        }
        if (strv_contains(members, q->member))
            add_group(q->u, (gid_t) gid, &q->oom);
    }
    return 0;
}

int user_group_id(const char *group_text, const char *g, gid_t *out, struct berr **err)
{
    unsigned long v;
    struct gr_query q = { .name = g };

    if (user_parse_id(g, &v) == 0) {
        *out = (gid_t) v;
        return 0;
    }
    if (each_entry(group_text, gr_match, &q) < 0)
        return berr_oom(err);
    if (!q.found)
        return berr_msg(err, "unable to find group %s: no matching entries in group file", g);
    *out = (gid_t) q.gid;
    return 0;
}

int user_resolve_text(const char *passwd, const char *group, const char *user,
                      char *const *group_add, struct ctr_user *out, struct berr **err)
{
    _cleanup_free_ char *ustr = str_dup(user ? user : ""), *name = NULL;
    struct pw_query q = { 0 };
    struct ctr_user u = { 0 };
    char *gpart = NULL;
    unsigned long v;
    int oom = 0;

    if (!ustr)
        return berr_oom(err);
    if ((gpart = strchr(ustr, ':')))
        *gpart++ = '\0';
    if (!ustr[0] || user_parse_id(ustr, &v) == 0) {
        q.uid = ustr[0] ? v : 0;
    } else {
        q.name = ustr;
    }
    if (each_entry(passwd, pw_match, &q) < 0)
        return berr_oom(err);
    if (q.name && !q.found)
        return berr_msg(err, "unable to find user %s: no matching entries in passwd file", ustr);
    u.uid = (uid_t) (q.found ? q.out_uid : q.uid);
    u.gid = (gid_t) (q.found ? q.out_gid : 0);
    u.home = q.out_home;
    name = q.out_name;
    if (gpart && user_group_id(group, gpart, &u.gid, err) < 0) {
        user_free(&u);
        return -1;
    }
    if (name) {
        struct gr_query g = { .member = name, .u = &u };
        if (each_entry(group, gr_match, &g) < 0 || g.oom)
            oom = 1;
    }
    for (size_t i = 0; !oom && group_add && group_add[i]; i++) {
        gid_t g;
        if (strcmp(group_add[i], "keep-groups") == 0)
            continue;
        if (user_group_id(group, group_add[i], &g, err) < 0) {
            user_free(&u);
            return -1;
        }
        add_group(&u, g, &oom);
    }
    if (oom) {
        user_free(&u);
        return berr_oom(err);
    }
    *out = u;
    return 0;
}

int user_read_in_root(const char *root, const char *path, char **out, struct berr **err)
{
    _cleanup_close_ int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1;

    *out = NULL;
    if (rfd < 0)
        return berr_sys(err, "open %s", root);
    fd = fs_open_in_root(rfd, path, O_RDONLY);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP || errno == EXDEV)
            return 0;
        return berr_sys(err, "open %s/%s", root, path);
    }
    if (fs_read_fd(fd, out, NULL) < 0)
        return berr_sys(err, "read %s/%s", root, path);
    return 0;
}

bool user_dir_in_root(const char *root, const char *path)
{
    _cleanup_close_ int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1;

    if (rfd < 0)
        return false;
    fd = fs_open_in_root(rfd, path, O_PATH | O_DIRECTORY);
    return fd >= 0;
}

int user_resolve(const char *rootfs, const char *user, char *const *group_add,
                 struct ctr_user *out, struct berr **err)
{
    _cleanup_free_ char *pw = NULL, *gr = NULL;

    if (user_read_in_root(rootfs, "etc/passwd", &pw, err) < 0 ||
        user_read_in_root(rootfs, "etc/group", &gr, err) < 0)
        return -1;
    return user_resolve_text(pw, gr, user, group_add, out, err);
}
