/*
 * cmd/completion.c: "berth completion bash|zsh" prints a completion
 * script generated from the command table, so completion knows exactly
 * the commands, aliases and flags that --help shows. Hidden commands and
 * flags are left out.
 *
 * The scripts carry the tree as associative arrays keyed by command path
 * ("berth container list"), and complete operands at completion time by
 * asking berth itself (ps -a, images, network ls) with the global flags
 * already on the line, so --root and friends point at the same store.
 * What an operand is comes from the usage line: CONTAINER, IMAGE,
 * NETWORK, FILE/PATH/DIR; "..." repeats the last one.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/cleanup.h"

enum { O_FILE = 'f', O_NODESC = 256 };

static const struct cmd_opt completion_opts[] = {
    { "file", 'f', OPT_ARG, "FILE", "Write the script to FILE instead of standard output", 0 },
    { "no-desc", O_NODESC, OPT_FLAG, NULL, "Leave descriptions of commands and flags out (zsh)", 0 },
    { 0 }
};

/* Operand kinds, one letter per position: c container, i image,
 * n network, f file, h command name, - anything; a trailing + repeats
 * the last. */
static void operand_kinds(const struct cmd *c, char *out, size_t sz)
{
    _cleanup_strv_ strv toks = NULL;
    size_t n = 0;

    out[0] = '\0';
    if (strcmp(c->name, "help") == 0) {
        snprintf(out, sz, "h+");
        return;
    }
    toks = strv_split(c->usage ? c->usage : "", " ");
    for (char **t = toks; t && *t && n + 2 < sz; t++) {
        char word[64];
        size_t w = 0;
        bool upper = false, lower = false;
        char k;

        for (const char *p = *t; *p && w + 1 < sizeof(word); p++) {
            if (*p == '[' || *p == ']' || *p == '.')
                continue;
            word[w++] = *p;
            upper |= isupper((unsigned char) *p);
            lower |= islower((unsigned char) *p);
        }
        word[w] = '\0';
        if (!upper || lower)        /* [options], [command]: not operands */
            continue;
        k = strstr(word, "CONTAINER") ? 'c' : strstr(word, "IMAGE") ? 'i'
          : strstr(word, "NETWORK") ? 'n'
          : (strstr(word, "FILE") || strstr(word, "PATH") || strstr(word, "DIR") ||
             strstr(word, "TARBALL") || strstr(word, "ARCHIVE")) ? 'f' : '-';
        out[n++] = k;
        if (strstr(*t, "...")) {
            out[n++] = '+';
            break;
        }
    }
    out[n] = '\0';
}

struct gen {
    struct sbuf subs, canon, bflags, vflags, ops, desc, fhelp;
    bool zsh, nodesc;
};

/* A value quoted for both shells: single quotes, ' as '\''. */
static void q(struct sbuf *b, const char *s)
{
    sbuf_addc(b, '\'');
    for (; s && *s; s++) {
        if (*s == '\'')
            sbuf_add(b, "'\\''");
        else if (*s != '\n')
            sbuf_addc(b, *s);
        else
            sbuf_addc(b, ' ');
    }
    sbuf_addc(b, '\'');
}

/* One array entry: [key]=value (bash) or key value (zsh). */
static void entry(struct gen *g, struct sbuf *b, const char *key, const char *val)
{
    sbuf_add(b, "    ");
    if (g->zsh) {
        q(b, key);
        sbuf_addc(b, ' ');
    } else {
        sbuf_addc(b, '[');
        q(b, key);
        sbuf_add(b, "]=");
    }
    q(b, val);
    sbuf_addc(b, '\n');
}

static void add_flags(struct gen *g, const char *path, const struct cmd_opt *opts,
                      struct sbuf *bf, struct sbuf *vf)
{
    for (const struct cmd_opt *o = opts; o && o->name; o++) {
        struct sbuf *dst = o->kind == OPT_ARG ? vf : bf;
        if (o->flags & OPT_HIDDEN)
            continue;
        sbuf_addf(dst, "%s--%s", dst->len ? " " : "", o->name);
        if (o->id > 0 && o->id < 256)
            sbuf_addf(dst, " -%c", o->id);
        if (!g->nodesc && o->help) {
            char key[256];
            snprintf(key, sizeof(key), "%s --%s", path, o->name);
            entry(g, &g->fhelp, key, o->help);
            if (o->id > 0 && o->id < 256) {
                snprintf(key, sizeof(key), "%s -%c", path, o->id);
                entry(g, &g->fhelp, key, o->help);
            }
        }
    }
}

static void walk(struct gen *g, const struct cmd *c, const char *path)
{
    _cleanup_sbuf_ struct sbuf bf = SBUF_INIT, vf = SBUF_INIT, names = SBUF_INIT;
    char kinds[32];

    if (!g->nodesc)
        entry(g, &g->desc, path, c->summary ? c->summary : "");
    add_flags(g, path, c->opts, &bf, &vf);
    if (!(c->flags & CMD_H_NOT_HELP))
        sbuf_addf(&bf, "%s--help -h", bf.len ? " " : "");
    else
        sbuf_addf(&bf, "%s--help", bf.len ? " " : "");
    entry(g, &g->bflags, path, sbuf_str(&bf));
    entry(g, &g->vflags, path, sbuf_str(&vf));
    if (c->group) {
        cmd_foreach_sub(c, s) {
            _cleanup_free_ char *sub = NULL;
            _cleanup_strv_ strv al = NULL;
            if (s.cmd->flags & CMD_HIDDEN)
                continue;
            sbuf_addf(&names, "%s%s", names.len ? " " : "", s.name);
            sub = str_fmt("%s %s", path, s.name);
            entry(g, &g->canon, sub, s.name);
            al = strv_split(s.aliases ? s.aliases : "", " ");
            for (char **a = al; a && *a; a++) {
                _cleanup_free_ char *k = str_fmt("%s %s", path, *a);
                sbuf_addf(&names, " %s", *a);
                entry(g, &g->canon, k, s.name);
            }
            walk(g, s.cmd, sub);
        }
        entry(g, &g->subs, path, sbuf_str(&names));
    } else {
        operand_kinds(c, kinds, sizeof(kinds));
        entry(g, &g->ops, path, kinds);
    }
}

static void globals(struct gen *g, struct sbuf *out)
{
    _cleanup_sbuf_ struct sbuf bf = SBUF_INIT, vf = SBUF_INIT;

    add_flags(g, "berth", global_opts, &bf, &vf);
    sbuf_add(out, "_berth_gbflags=");
    q(out, sbuf_str(&bf));
    sbuf_add(out, "\n_berth_gvflags=");
    q(out, sbuf_str(&vf));
    sbuf_addc(out, '\n');
}

static void arrays(struct gen *g, struct sbuf *out)
{
    const struct { const char *name; struct sbuf *b; } a[] = {
        { "_berth_subs", &g->subs }, { "_berth_canon", &g->canon },
        { "_berth_bflags", &g->bflags }, { "_berth_vflags", &g->vflags },
        { "_berth_ops", &g->ops }, { "_berth_desc", &g->desc }, { "_berth_fhelp", &g->fhelp },
    };
    for (size_t i = 0; i < ARRAY_SIZE(a); i++)
        sbuf_addf(out, "%s %s=(\n%s)\n", g->zsh ? "typeset -gA" : "declare -gA", a[i].name,
                  sbuf_str(a[i].b));
}

/* The walk over the words typed so far, common to both shells: finds the
 * command path, counts operands, and keeps the global flags for the
 * berth calls that list containers, images and networks. */
static const char walk_words[] =
    "    local cpath=berth w nops=0 flagsdone=0 kind base\n"
    "    for ((i = FIRST; i < LAST; i++)); do\n"
    "        w=${WORDS[i]}\n"
    "        if ((!flagsdone)) && [[ $w == -* ]]; then\n"
    "            if [[ $w == -- ]]; then flagsdone=1; continue; fi\n"
    "            if [[ $w == --*=* ]]; then\n"
    "                [[ \" $_berth_gvflags \" == *\" ${w%%=*} \"* ]] && gl+=(\"$w\")\n"
    "                continue\n"
    "            fi\n"
    "            if [[ \" $_berth_gvflags \" == *\" $w \"* ]]; then\n"
    "                gl+=(\"$w\" \"${WORDS[i+1]}\"); ((i++)); continue\n"
    "            fi\n"
    "            [[ \" ${_berth_vflags[$cpath]} \" == *\" $w \"* ]] && ((i++))\n"
    "            continue\n"
    "        fi\n"
    "        if ((nops == 0)) && [[ -n ${_berth_subs[$cpath]} && -n ${_berth_canon[$cpath $w]} ]]; then\n"
    "            cpath=\"$cpath ${_berth_canon[$cpath $w]}\"\n"
    "            continue\n"
    "        fi\n"
    "        ((nops++))\n"
    "    done\n"
    "    prev=${WORDS[LAST-1]}\n"
    "    if [[ $prev == -* && $prev != *=* && $cur != -* ]] &&\n"
    "       [[ \" ${_berth_vflags[$cpath]} $_berth_gvflags \" == *\" $prev \"* ]]; then\n"
    "        kind=value\n"
    "    elif [[ $cur == -* ]]; then\n"
    "        kind=flag\n"
    "    elif [[ -n ${_berth_subs[$cpath]} ]]; then\n"
    "        ((nops == 0)) && kind=command\n"
    "    else\n"
    "        base=${_berth_ops[$cpath]%+}\n"
    "        if ((nops < ${#base})); then kind=${base:$nops:1}\n"
    "        elif [[ ${_berth_ops[$cpath]} == *+ ]]; then kind=${base:$((${#base} - 1)):1}\n"
    "        fi\n"
    "    fi\n";

static void add_walk(struct sbuf *out, bool zsh)
{
    struct sbuf b = SBUF_INIT;
    const char *p = walk_words;
    const char *from[] = { "FIRST", "LAST", "WORDS" };
    const char *to_bash[] = { "1", "COMP_CWORD", "COMP_WORDS" };
    const char *to_zsh[] = { "2", "CURRENT", "words" };

    while (*p) {
        size_t i;
        for (i = 0; i < 3; i++)
            if (!strncmp(p, from[i], strlen(from[i]))) {
                sbuf_add(&b, zsh ? to_zsh[i] : to_bash[i]);
                p += strlen(from[i]);
                break;
            }
        if (i == 3)
            sbuf_addc(&b, *p++);
    }
    sbuf_add(out, sbuf_str(&b));
    sbuf_free(&b);
}

static const char values_fn[] =
    "# Lists containers, images or networks by asking berth, quietly.\n"
    "_berth_values() {\n"
    "    local kind=$1\n"
    "    shift\n"
    "    case $kind in\n"
    "    c) \"$@\" ps -a --format '{{.Names}}' 2>/dev/null ;;\n"
    "    i) \"$@\" images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | grep -v '<none>' ;;\n"
    "    n) \"$@\" network ls --format '{{.Name}}' 2>/dev/null ;;\n"
    "    esac\n"
    "}\n\n";

static void gen_bash(struct gen *g, struct sbuf *out)
{
    sbuf_add(out, "# bash completion for berth\n"
                  "# Generated by `berth completion bash` from berth's command table; do not edit.\n\n");
    arrays(g, out);
    globals(g, out);
    sbuf_addc(out, '\n');
    sbuf_add(out, values_fn);
    sbuf_add(out, "_berth() {\n"
                  "    local cur=${COMP_WORDS[COMP_CWORD]} prev i\n"
                  "    local -a gl=()\n"
                  "    COMPREPLY=()\n");
    add_walk(out, false);
    sbuf_add(out,
        "    case $kind in\n"
        "    flag)\n"
        "        COMPREPLY=($(compgen -W \"${_berth_bflags[$cpath]} ${_berth_vflags[$cpath]} $_berth_gbflags $_berth_gvflags\" -- \"$cur\")) ;;\n"
        "    command)\n"
        "        COMPREPLY=($(compgen -W \"${_berth_subs[$cpath]}\" -- \"$cur\")) ;;\n"
        "    h)\n"
        "        COMPREPLY=($(compgen -W \"${_berth_subs[berth]}\" -- \"$cur\")) ;;\n"
        "    c|i|n)\n"
        "        local IFS=$'\\n'\n"
        "        COMPREPLY=($(compgen -W \"$(_berth_values \"$kind\" \"${COMP_WORDS[0]}\" \"${gl[@]}\")\" -- \"$cur\")) ;;\n"
        "    f|value)\n"
        "        compopt -o filenames 2>/dev/null\n"
        "        COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
        "    esac\n"
        "}\n\n"
        "complete -F _berth berth\n");
}

static void gen_zsh(struct gen *g, struct sbuf *out)
{
    sbuf_add(out, "#compdef berth\n"
                  "# zsh completion for berth\n"
                  "# Generated by `berth completion zsh` from berth's command table; do not edit.\n\n");
    arrays(g, out);
    globals(g, out);
    sbuf_addc(out, '\n');
    sbuf_add(out, values_fn);
    sbuf_add(out, "_berth() {\n"
                  "    local cur=${words[CURRENT]} prev i f s\n"
                  "    local -a gl items\n");
    add_walk(out, true);
    sbuf_add(out,
        "    case $kind in\n"
        "    flag)\n"
        "        for f in ${=_berth_bflags[$cpath]} ${=_berth_vflags[$cpath]} ${=_berth_gbflags} ${=_berth_gvflags}; do\n"
        "            items+=(\"${f//:/\\\\:}:${_berth_fhelp[$cpath $f]:-${_berth_fhelp[berth $f]}}\")\n"
        "        done\n"
        "        _describe -t flags flag items ;;\n"
        "    command|h)\n"
        "        [[ $kind == h ]] && cpath=berth\n"
        "        for s in ${=_berth_subs[$cpath]}; do\n"
        "            items+=(\"$s:${_berth_desc[$cpath ${_berth_canon[$cpath $s]}]}\")\n"
        "        done\n"
        "        _describe -t commands command items ;;\n"
        "    c|i|n)\n"
        "        items=(${(f)\"$(_berth_values $kind $words[1] $gl)\"})\n"
        "        compadd -a items ;;\n"
        "    f|value)\n"
        "        _files ;;\n"
        "    esac\n"
        "}\n\n"
        "if [[ $funcstack[1] == _berth ]]; then\n"
        "    _berth \"$@\"\n"
        "else\n"
        "    compdef _berth berth\n"
        "fi\n");
}

static int completion_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    const char *file = NULL;
    struct gen g = { 0 };
    _cleanup_sbuf_ struct sbuf out = SBUF_INIT;
    int c, r = 0;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == O_FILE)
            file = it.arg;
        else if (c == O_NODESC)
            g.nodesc = it.bval;
    }
    if (c == 0 && !it.help && (it.nargs != 1 || (strcmp(it.args[0], "bash") &&
                                                 strcmp(it.args[0], "zsh"))))
        c = it.nargs != 1 ? cmd_usage_err(cx, err, "accepts 1 arg(s), received %d", it.nargs)
                          : berr_msg(err, "invalid argument \"%s\" for \"%s\"",
                                     it.args[0], cx->path);
    if (c < 0 || it.help) {
        opt_free(&it);
        return c;
    }
    g.zsh = strcmp(it.args[0], "zsh") == 0;
    opt_free(&it);
    walk(&g, &cmd_root, "berth");
    if (g.zsh)
        gen_zsh(&g, &out);
    else
        gen_bash(&g, &out);
    sbuf_free(&g.subs); sbuf_free(&g.canon); sbuf_free(&g.bflags); sbuf_free(&g.vflags);
    sbuf_free(&g.ops); sbuf_free(&g.desc); sbuf_free(&g.fhelp);
    if (out.oom)
        return berr_oom(err);
    if (file) {
        _cleanup_fclose_ FILE *f = fopen(file, "we");
        if (!f)
            return berr_sys(err, "open %s", file);
        if (fwrite(out.buf, 1, out.len, f) != out.len || fflush(f) != 0)
            r = berr_sys(err, "write %s", file);
        return r;
    }
    fwrite(out.buf, 1, out.len, stdout);
    return 0;
}

const struct cmd cmd_completion = {
    .name = "completion",
    .summary = "Generate shell autocompletions",
    .usage = "[options] bash|zsh",
    .description =
        "Prints a completion script for bash or zsh, generated from berth's own command\n"
        "table: commands, aliases and flags as --help lists them. At completion time it\n"
        "completes container, image and network names by asking berth (with the global\n"
        "flags already typed, such as --root).\n"
        "Load it for this shell with: source <(berth completion bash)",
    .examples = "berth completion bash > /etc/bash_completion.d/berth\n"
                "berth completion zsh -f \"${fpath[1]}/_berth\"\n"
                "source <(berth completion bash)",
    .opts = completion_opts,
    .fn = completion_fn,
    .need = RT_NONE,
};
