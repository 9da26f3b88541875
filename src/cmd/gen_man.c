/*
 * cmd/gen_man.c: "berth __gen-man DIR" (hidden) writes a roff man page
 * per command and group, generated from the same table as --help:
 * berth.1, berth-ps.1, berth-container.1, berth-container-list.1, ...
 * (podman's naming: the command path joined with dashes, canonical names
 * only). No dates, so the pages only change when the table does.
 * "--list" prints each command path and its page instead, for tests.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "util/cleanup.h"
#include "util/fs.h"

enum { O_LIST = 256, O_FLAGS, O_HIDDEN };

static const struct cmd_opt gen_man_opts[] = {
    { "list", O_LIST, OPT_FLAG, NULL, "List the command paths and their pages, write nothing", 0 },
    { "flags", O_FLAGS, OPT_FLAG, NULL,
      "List every command's options as tools/podman-flags.sh lists podman's, write nothing", 0 },
    { "hidden", O_HIDDEN, OPT_FLAG, NULL, "With --flags: the options not listed in --help too", 0 },
    { 0 }
};

/* roff-safe text: backslashes escaped, dashes as \-, a leading . or '
 * protected. */
static void roff(struct sbuf *b, const char *s)
{
    bool bol = true;

    for (; s && *s; s++) {
        if (bol && (*s == '.' || *s == '\''))
            sbuf_add(b, "\\&");
        bol = *s == '\n';
        if (*s == '\\')
            sbuf_add(b, "\\e");
        else if (*s == '-')
            sbuf_add(b, "\\-");
        else
            sbuf_addc(b, *s);
    }
}

static char *page_name(const char *path)
{
    char *p = str_fmt("%s.1", path);
    for (char *q = p; q && *q; q++)
        if (*q == ' ')
            *q = '-';
    return p;
}

static void upper(struct sbuf *b, const char *s)
{
    for (; *s; s++)
        sbuf_addc(b, (char) (*s >= 'a' && *s <= 'z' ? *s - 32 : *s == ' ' ? '-' : *s));
}

static void options(struct sbuf *b, const struct cmd_opt *opts)
{
    for (const struct cmd_opt *o = opts; o && o->name; o++) {
        if (o->flags & OPT_HIDDEN)
            continue;
        sbuf_add(b, ".TP\n");
        if (o->id > 0 && o->id < 256)
            sbuf_addf(b, "\\fB\\-%c\\fR, ", o->id);
        sbuf_add(b, "\\fB\\-\\-");
        roff(b, o->name);
        sbuf_add(b, "\\fR");
        if (o->kind == OPT_ARG) {
            sbuf_add(b, " \\fI");
            roff(b, o->argname ? o->argname : "string");
            sbuf_add(b, "\\fR");
        }
        sbuf_addc(b, '\n');
        roff(b, o->help ? o->help : "");
        sbuf_add(b, "\n");
    }
}

static void page(struct sbuf *b, const struct cmd_sub *sp, const char *path, const char *parent)
{
    const struct cmd *c = sp->cmd;
    _cleanup_free_ char *examples = NULL;
    bool oom;

    sbuf_add(b, ".TH \"");
    upper(b, path);
    sbuf_addf(b, "\" \"1\" \"\" \"berth %s\" \"User Commands\"\n", BERTH_VERSION);
    sbuf_add(b, ".SH NAME\n");
    for (const char *p = path; *p; p++)
        sbuf_add(b, *p == ' ' ? "\\-" : (char[]) { *p, 0 });
    sbuf_add(b, " \\- ");
    roff(b, c->summary);
    sbuf_add(b, "\n.SH SYNOPSIS\n\\fB");
    roff(b, path);
    sbuf_add(b, "\\fR ");
    roff(b, c->usage ? c->usage : "[options]");
    sbuf_addc(b, '\n');
    if (sp->aliases) {
        sbuf_add(b, ".PP\nAliases: ");
        roff(b, sp->aliases);
        sbuf_addc(b, '\n');
    }
    sbuf_add(b, ".SH DESCRIPTION\n");
    roff(b, c->description ? c->description : c->summary);
    sbuf_addc(b, '\n');
    if (c->group) {
        sbuf_add(b, ".SH COMMANDS\n");
        cmd_foreach_sub(c, s) {
            _cleanup_free_ char *spath = NULL, *pg = NULL;
            if (s.cmd->flags & CMD_HIDDEN)
                continue;
            spath = str_fmt("%s %s", path, s.name);
            pg = spath ? page_name(spath) : NULL;
            if (!pg)
                continue;
            pg[strlen(pg) - 2] = '\0';
            sbuf_add(b, ".TP\n\\fB");
            roff(b, pg);
            sbuf_add(b, "\\fR(1)\n");
            roff(b, s.cmd->summary);
            sbuf_addc(b, '\n');
        }
    }
    if ((c->opts && c->opts->name) || c == &cmd_root) {
        sbuf_add(b, ".SH OPTIONS\n");
        options(b, c->opts);
    }
    if (c == &cmd_root) {
        options(b, global_opts);
        sbuf_add(b, ".TP\n\\fB\\-v\\fR, \\fB\\-\\-version\\fR\nPrint the version of berth\n");
    } else {
        sbuf_add(b, ".SH GLOBAL OPTIONS\nThe options of \\fBberth\\fR(1) (\\-\\-root, "
                    "\\-\\-runroot, \\-\\-tmpdir, ...) are accepted here too.\n");
    }
    if ((examples = cmd_examples(c, path, &oom))) {
        sbuf_add(b, ".SH EXAMPLES\n.nf\n");
        roff(b, examples);
        sbuf_add(b, "\n.fi\n");
    }
    sbuf_add(b, ".SH SEE ALSO\n\\fBberth\\fR(1)");
    if (parent && strcmp(parent, "berth") != 0) {
        _cleanup_free_ char *pp = page_name(parent);
        if (pp) {
            pp[strlen(pp) - 2] = '\0';
            sbuf_add(b, ", \\fB");
            roff(b, pp);
            sbuf_add(b, "\\fR(1)");
        }
    }
    sbuf_addc(b, '\n');
    if (oom)
        b->oom = true;
}

struct gm {
    const char *dir;
    bool list, flags, hidden;
};

/* One line per option, "<path>\t<letter or ->\t<long name>", and one
 * "<path>\t@\t<name>, <alias>..." for a command with aliases: the shape
 * of test/data/podman-flags.tsv, so cli.bats can compare the two. */
static void list_flags(const struct cmd_sub *s, const char *path, bool hidden)
{
    const struct cmd *c = s->cmd;
    const struct cmd_opt *tab = c == &cmd_root ? global_opts : c->opts;

    if (s->aliases) {
        printf("%s\t@\t", path);
        cmd_print_names(stdout, s);
        putchar('\n');
    }
    for (const struct cmd_opt *o = tab; o && o->name; o++)
        if (hidden || !(o->flags & OPT_HIDDEN))
            printf("%s\t%c\t%s\n", path, o->id < 256 ? o->id : '-', o->name);
}

static int walk(struct gm *g, const struct cmd_sub *sp, const char *path, const char *parent,
                struct berr **err)
{
    _cleanup_free_ char *name = page_name(path);

    if (!name)
        return berr_oom(err);
    if (g->flags) {
        list_flags(sp, path, g->hidden);
    } else if (g->list) {
        printf("%s\t%s\n", path, name);
    } else {
        _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
        page(&b, sp, path, parent);
        if (b.oom)
            return berr_oom(err);
        if (fs_write_atomic(g->dir, name, b.buf, b.len, 0644, err) < 0)
            return -1;
    }
    if (sp->cmd->group)
        cmd_foreach_sub(sp->cmd, s) {
            _cleanup_free_ char *spath = NULL;
            if (s.cmd->flags & CMD_HIDDEN)
                continue;
            if (!(spath = str_fmt("%s %s", path, s.name)))
                return berr_oom(err);
            if (walk(g, &s, spath, path, err) < 0)
                return -1;
        }
    return 0;
}

static int gen_man_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct gm g = { 0 };
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == O_LIST)
            g.list = it.bval;
        else if (c == O_FLAGS)
            g.flags = it.bval;
        else if (c == O_HIDDEN)
            g.hidden = it.bval;
    if (g.flags)
        g.list = true;
    if (c == 0 && !it.help && !g.list && it.nargs != 1)
        c = cmd_usage_err(cx, err, "accepts 1 arg(s), received %d", it.nargs);
    if (c < 0 || it.help) {
        opt_free(&it);
        return c;
    }
    g.dir = it.nargs ? it.args[0] : NULL;
    if (g.dir && !g.list && mkdir(g.dir, 0755) < 0 && errno != EEXIST) {
        c = berr_sys(err, "create %s", g.dir);
        opt_free(&it);
        return c;
    }
    c = walk(&g, &(struct cmd_sub) { &cmd_root, cmd_root.name, NULL }, "berth", NULL, err);
    opt_free(&it);
    return c;
}

const struct cmd cmd_gen_man = {
    .name = "__gen-man",
    .summary = "Write the man pages",
    .usage = "[options] DIR",
    .description = "Writes a roff man page for every command and group into DIR.",
    .examples = "berth __gen-man man",
    .opts = gen_man_opts,
    .fn = gen_man_fn,
    .need = RT_NONE,
    .flags = CMD_HIDDEN,
};
