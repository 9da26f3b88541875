/*
 * test/unit/test_changes.c: --change instructions into an image config.
 */
#include <jansson.h>
#include <stdlib.h>

#include "runtime/changes.h"
#include "unit.h"

/* One change on an empty config -> the compact JSON, or NULL = refused. */
static const struct { const char *in, *want; } cases[] = {
    { "CMD [\"/bin/sh\", \"-c\"]",   "{\"Cmd\":[\"/bin/sh\",\"-c\"]}" },
    { "CMD echo hi",                 "{\"Cmd\":[\"/bin/sh\",\"-c\",\"echo hi\"]}" },
    { "cmd [\"x\"]",                 "{\"Cmd\":[\"x\"]}" },
    { "CMD=[\"x\"]",                 "{\"Cmd\":[\"x\"]}" },
    { "ENTRYPOINT /bin/sh -c",       "{\"Entrypoint\":[\"/bin/sh\",\"-c\",\"/bin/sh -c\"]}" },
    { "ENTRYPOINT [1]",              "{\"Entrypoint\":[\"/bin/sh\",\"-c\",\"[1]\"]}" },
    { "ENV A=1 B=\"x y\"",           "{\"Env\":[\"A=1\",\"B=x y\"]}" },
    { "ENV K V W",                   "{\"Env\":[\"K=V W\"]}" },
    { "ENV K \"a b\"",               "{\"Env\":[\"K=a b\"]}" },
    { "ENV A=1 A=2",                 "{\"Env\":[\"A=2\"]}" },
    { "ENV =x",                      NULL },
    { "ENV A=1 B",                   NULL },
    { "ENV K",                       NULL },
    { "LABEL a=b \"c d\"=e",         "{\"Labels\":{\"a\":\"b\",\"c d\":\"e\"}}" },
    { "LABEL k some value",          "{\"Labels\":{\"k\":\"some value\"}}" },
    { "LABEL a=\"open",              NULL },
    { "EXPOSE 80 90/udp",            "{\"ExposedPorts\":{\"80/tcp\":{},\"90/udp\":{}}}" },
    { "EXPOSE 90 80",                "{\"ExposedPorts\":{\"80/tcp\":{},\"90/tcp\":{}}}" },
    { "EXPOSE 8000-8001/TCP",        "{\"ExposedPorts\":{\"8000/tcp\":{},\"8001/tcp\":{}}}" },
    { "EXPOSE abc",                  NULL },
    { "EXPOSE 0",                    NULL },
    { "EXPOSE 80/icmp",              NULL },
    { "EXPOSE 90-80",                NULL },
    { "USER 1:2",                    "{\"User\":\"1:2\"}" },
    { "VOLUME /data /x",             "{\"Volumes\":{\"/data\":{},\"/x\":{}}}" },
    { "VOLUME [\"/y\"]",             "{\"Volumes\":{\"/y\":{}}}" },
    { "VOLUME []",                   NULL },
    { "WORKDIR /w",                  "{\"WorkingDir\":\"/w\"}" },
    { "STOPSIGNAL SIGINT",           "{\"StopSignal\":\"2\"}" },
    { "STOPSIGNAL 9",                "{\"StopSignal\":\"9\"}" },
    { "STOPSIGNAL FOO",              NULL },
    { "ONBUILD RUN x",               "{}" },
    { "FROM x",                      NULL },
    { "USER",                        NULL },
    { "USER   ",                     NULL },
    { "bogus",                       NULL },
    { "",                            NULL },
};

static void t_cases(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *v[] = { (char *) cases[i].in, NULL };
        json_t *out = NULL;
        struct berr *e = NULL;
        int r = changes_apply(NULL, v, &out, &e);
        if (!cases[i].want) {
            CHECK(r < 0);
            if (r < 0) {
                CHECK(strstr(e->msg, "invalid change \"") == e->msg);
                CHECK(e->exit_code == 125);
            }
            if (r < 0 && !(strstr(e->msg, "invalid change \"") == e->msg))
                printf("#   %s -> %s\n", cases[i].in, e->msg);
            berr_free(e);
            json_decref(out);
            continue;
        }
        CHECK(r == 0);
        if (r < 0) {
            printf("#   %s -> %s\n", cases[i].in, e->msg);
            berr_free(e);
            continue;
        }
        char *got = json_dumps(out, JSON_COMPACT);
        CHECK_STR(got, cases[i].want);
        free(got);
        json_decref(out);
    }
}

/* Several changes, on a base config: later ones win, Go's key order. */
static void t_order(void)
{
    char *v[] = { "WORKDIR /a", "CMD b", "USER u", "ENV X=1", "ENV X=2 Y=3", "CMD [\"c\"]",
                  "LABEL a=1", NULL };
    json_t *base = json_pack("{s:s, s:[s]}", "Extra", "keep", "Env", "PATH=/bin");
    json_t *out = NULL;
    struct berr *e = NULL;

    CHECK(changes_apply(base, v, &out, &e) == 0);
    char *got = out ? json_dumps(out, JSON_COMPACT) : NULL;
    CHECK_STR(got, "{\"User\":\"u\",\"Env\":[\"PATH=/bin\",\"X=2\",\"Y=3\"],\"Cmd\":[\"c\"],"
                   "\"WorkingDir\":\"/a\",\"Labels\":{\"a\":\"1\"},\"Extra\":\"keep\"}");
    CHECK(json_object_size(base) == 2);     /* borrowed, untouched */
    free(got);
    json_decref(out);
    json_decref(base);
    berr_free(e);
}

int main(void)
{
    UNIT_RUN(t_cases);
    UNIT_RUN(t_order);
    return unit_done();
}
