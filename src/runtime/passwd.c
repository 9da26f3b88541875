/*
 * runtime/passwd.c: the lines podman adds to a container's /etc/passwd
 * and /etc/group (libpod's generatePasswdEntry and generateGroupEntry)
 * and where they go (genPasswdAndGroup): appended to the container's own
 * files, or, with a read-only root, to copies in the bundle that are bound
 * over them. See passwd.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/genfiles.h"
#include "runtime/passwd.h"
#include "runtime/user.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

/* Has the colon file text a line whose field (0: name, 2: id) is v? */
static bool has_entry(const char *text, const char *v)
{
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p), vl = strlen(v);
        const char *c1 = memchr(p, ':', len), *c2 = NULL, *c3 = NULL;

        if (c1)
            c2 = memchr(c1 + 1, ':', len - (size_t) (c1 + 1 - p));
        if (c2)
            c3 = memchr(c2 + 1, ':', len - (size_t) (c2 + 1 - p));
        if (c1 && (size_t) (c1 - p) == vl && memcmp(p, v, vl) == 0)
            return true;
        if (c2 && (c3 ? (size_t) (c3 - c2 - 1) : len - (size_t) (c2 + 1 - p)) == vl &&
            memcmp(c2 + 1, v, vl) == 0)
            return true;
        p += len + (nl ? 1 : 0);
    }
    return false;
}

static bool numeric(const char *s, unsigned long long *v)
{
    unsigned long id;

    if (user_parse_id(s, &id) < 0)
        return false;
    *v = id;
    return true;
}

static char *from_template(const char *t, const char *user, const char *uid, const char *gid,
                           const char *name, const char *home)
{
    struct sbuf b = SBUF_INIT;
    static const char *const keys[] = { "$USERNAME", "$UID", "$GID", "$NAME", "$HOME" };
    const char *vals[] = { user, uid, gid, name, home };

    /* podman's strings.ReplaceAll in this order: $USERNAME before $UID
     * and $NAME, whose names it contains */
    _cleanup_free_ char *cur = str_dup(t);
    for (size_t k = 0; cur && k < ARRAY_SIZE(keys); k++) {
        sbuf_reset(&b);
        for (const char *p = cur; *p;) {
            const char *hit = strstr(p, keys[k]);
            if (!hit) {
                sbuf_add(&b, p);
                break;
            }
            sbuf_addn(&b, p, (size_t) (hit - p));
            sbuf_add(&b, vals[k]);
            p = hit + strlen(keys[k]);
        }
        free(cur);
        cur = b.oom ? NULL : str_dup(sbuf_str(&b));
    }
    sbuf_free(&b);
    return cur ? str_fmt("%s\n", cur) : NULL;
}

static int add_host_user(const struct passwd_opts *o, const char *spec, struct sbuf *out,
                         struct berr **err)
{
    struct passwd pw, *res = NULL;
    char buf[4096], uid[16], gid[16];
    unsigned long long n;
    int r;

    r = numeric(spec, &n) ? getpwuid_r((uid_t) n, &pw, buf, sizeof(buf), &res)
                          : getpwnam_r(spec, &pw, buf, sizeof(buf), &res);
    if (!res)
        return berr_new(err, BERR_ENGINE, r, "user: unknown user %s", spec);
    snprintf(uid, sizeof(uid), "%u", (unsigned) pw.pw_uid);
    snprintf(gid, sizeof(gid), "%u", (unsigned) pw.pw_gid);
    if (has_entry(o->passwd, pw.pw_name) || has_entry(o->passwd, uid))
        return 0;
    /* podman: the host home only when it is mounted in, else the workdir */
    {
        const char *home = o->workdir;
        for (size_t i = 0; o->mount_dests && o->mount_dests[i]; i++)
            if (str_eq(o->mount_dests[i], pw.pw_dir))
                home = pw.pw_dir;
        _cleanup_free_ char *line =
            o->entry_template && *o->entry_template
                ? from_template(o->entry_template, pw.pw_name, uid, gid, pw.pw_gecos, home)
                : str_fmt("%s:*:%s:%s:%s:%s:/bin/sh\n", pw.pw_name, uid, gid, pw.pw_gecos, home);
        if (!line || sbuf_add(out, line) < 0)
            return berr_oom(err);
    }
    return 0;
}

/* The --user entry: a numeric uid the image lacks. */
static int add_user(const struct passwd_opts *o, struct sbuf *out, struct berr **err)
{
    _cleanup_free_ char *user = str_dup(o->user), *line = NULL;
    char *colon = user ? strchr(user, ':') : NULL, uid[16], gid[16];
    unsigned long long u, g = 0;

    if (!user)
        return berr_oom(err);
    if (colon)
        *colon++ = '\0';
    if (!numeric(user, &u) || has_entry(o->passwd, user))
        return 0;
    if (colon && *colon) {
        gid_t gg;
        if (user_group_id(o->group, colon, &gg, err) < 0)
            return -1;
        g = gg;
    }
    snprintf(uid, sizeof(uid), "%llu", u);
    snprintf(gid, sizeof(gid), "%llu", g);
    line = o->entry_template && *o->entry_template
               ? from_template(o->entry_template, uid, uid, gid, "container user", o->workdir)
               : str_fmt("%s:*:%s:%s:container user:%s:/bin/sh\n", uid, uid, gid, o->workdir);
    if (!line || sbuf_add(out, line) < 0)
        return berr_oom(err);
    return 0;
}

/* The --user group entry: a numeric gid (or uid, without a group) the
 * image lacks, with the user as its member. */
static int add_group(const struct passwd_opts *o, struct sbuf *out, struct berr **err)
{
    _cleanup_free_ char *user = str_dup(o->user);
    char *colon = user ? strchr(user, ':') : NULL;
    const char *group;
    unsigned long long g;

    if (!user)
        return berr_oom(err);
    if (colon)
        *colon++ = '\0';
    group = colon && *colon ? colon : user;
    if (!numeric(group, &g) || has_entry(o->group, group))
        return 0;
    if (sbuf_addf(out, "%llu:x:%llu:%s\n", g, g, user) < 0)
        return berr_oom(err);
    return 0;
}

int passwd_additions(const struct passwd_opts *o, char **passwd_add, char **group_add,
                     struct berr **err)
{
    _cleanup_sbuf_ struct sbuf pw = SBUF_INIT, gr = SBUF_INIT;

    *passwd_add = *group_add = NULL;
    for (size_t i = 0; o->host_users && o->host_users[i]; i++)
        if (add_host_user(o, o->host_users[i], &pw, err) < 0)
            return -1;
    if (o->user && *o->user && (add_user(o, &pw, err) < 0 || add_group(o, &gr, err) < 0))
        return -1;
    if (pw.oom || gr.oom)
        return berr_oom(err);
    *passwd_add = pw.len ? sbuf_steal(&pw) : NULL;
    *group_add = gr.len ? sbuf_steal(&gr) : NULL;
    return 0;
}

/* Appends text to path inside root, never following a symlink out of
 * root (openat2 RESOLVE_IN_ROOT); the file exists (it was just read). */
static int append_in_root(const char *root, const char *path, const char *text,
                          struct berr **err)
{
    _cleanup_close_ int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1;
    struct open_how how = { .flags = O_WRONLY | O_APPEND | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };

    if (rfd < 0)
        return berr_sys(err, "open %s", root);
    fd = (int) syscall(SYS_openat2, rfd, path, &how, sizeof(how));
    if (fd < 0 && errno == ENOSYS)
        fd = openat(rfd, path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return berr_sys(err, "open /%s in the container", path);
    if (fs_write_all(fd, text, strlen(text)) < 0)
        return berr_sys(err, "unable to append to /%s in the container", path);
    return 0;
}

static bool mounted_at(json_t *spec, const char *dst)
{
    size_t i;
    json_t *m;

    json_array_foreach(json_object_get(spec, "mounts"), i, m)
        if (str_eq(js_str(m, "destination", NULL), dst))
            return true;
    return false;
}

/* One file: nothing when the user mounted one there or the image has
 * none (podman does not create it); appended to the root's, or with a
 * read-only root a copy with the additions in rundir, *bind set. */
static int put_file(const struct passwd_gen *g, const char *name, const char *orig,
                    const char *add, char **bind, struct berr **err)
{
    _cleanup_free_ char *dst = str_fmt("/etc/%s", name), *rel = str_fmt("etc/%s", name);
    _cleanup_free_ char *text = NULL;

    if (!dst || !rel)
        return berr_oom(err);
    if (!add || !orig || mounted_at(g->spec, dst))
        return 0;
    if (!js_bool(g->spec, "readOnly", false))
        return append_in_root(g->rootfs, rel, add, err);
    if (!(text = str_fmt("%s%s", orig, add)) || !(*bind = fs_join(g->rundir, name)))
        return berr_oom(err);
    return genfiles_write(g->rundir, name, text, 0644, err);
}

int passwd_generate(const struct passwd_gen *g, char **passwd_bind, char **group_bind,
                    struct berr **err)
{
    _cleanup_free_ char *pw = NULL, *gr = NULL, *pw_add = NULL, *gr_add = NULL;
    _cleanup_strv_ char **hosts = js_to_strv(json_object_get(g->spec, "hostUsers"));
    _cleanup_free_ char **dests = NULL;     /* borrowed strings */
    struct passwd_opts o = { 0 };
    const char *cwd = js_str(g->spec, "workdir", NULL);
    size_t i;
    json_t *m;

    *passwd_bind = *group_bind = NULL;
    if (!hosts)
        return berr_oom(err);
    o.user = js_str(g->spec, "user", NULL);
    if (!js_bool(g->spec, "passwd", true) || ((!o.user || !*o.user) && !hosts[0]))
        return 0;
    if (user_read_in_root(g->rootfs, "etc/passwd", &pw, err) < 0 ||
        user_read_in_root(g->rootfs, "etc/group", &gr, err) < 0)
        return -1;
    if (!(dests = calloc(json_array_size(json_object_get(g->spec, "mounts")) + 1, sizeof(char *))))
        return berr_oom(err);
    json_array_foreach(json_object_get(g->spec, "mounts"), i, m)
        dests[i] = (char *) js_str(m, "destination", "");
    if (!cwd || !*cwd)
        cwd = js_str(g->image, "WorkingDir", "");
    o.passwd = pw;
    o.group = gr;
    o.host_users = hosts;
    o.entry_template = js_str(g->spec, "passwdEntry", NULL);
    o.workdir = *cwd ? cwd : "/";
    o.mount_dests = dests;
    if (passwd_additions(&o, &pw_add, &gr_add, err) < 0 ||
        put_file(g, "passwd", pw, pw_add, passwd_bind, err) < 0 ||
        put_file(g, "group", gr, gr_add, group_bind, err) < 0)
        return berr_wrap(err, "creating temporary passwd file for container %s", g->id);
    return 0;
}
