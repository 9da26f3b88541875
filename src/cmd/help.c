/*
 * cmd/help.c: "berth help [COMMAND...]" prints the help of a command,
 * from the command table (cmd/table.c); no runtime.
 */
#include <string.h>

#include "cmd/cmd.h"

static int help_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct cmd_sub c = { &cmd_root, cmd_root.name, NULL };
    struct sbuf path = SBUF_INIT;
    struct opt_it it;
    int r;

    cmd_opt_init(&it, cx);
    while ((r = opt_next(&it, argc, argv, err)) > 0)
        ;
    if (r < 0 || it.help) {
        opt_free(&it);
        return r;
    }
    sbuf_add(&path, "berth");
    for (int i = 0; i < it.nargs; i++) {
        struct cmd_sub s;
        if (!c.cmd->group || !cmd_find(c.cmd, it.args[i], &s)) {
            berr_new(err, BERR_ENGINE, 0, "unknown help topic \"%s\"", it.args[i]);
            sbuf_free(&path);
            opt_free(&it);
            return -1;
        }
        sbuf_addf(&path, " %s", s.name);
        c = s;
    }
    cmd_print_help(stdout, &c, sbuf_str(&path));
    sbuf_free(&path);
    opt_free(&it);
    return 0;
}

const struct cmd cmd_help = {
    .name = "help",
    .summary = "Help about any command",
    .usage = "[command]",
    .description = "Prints the help of any berth command.",
    .examples = "berth help run\nberth help container ls",
    .fn = help_fn,
    .need = RT_NONE,
};
