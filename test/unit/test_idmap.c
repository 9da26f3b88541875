/*
 * test/unit/test_idmap.c: podman's "CONTAINER:HOST:SIZE" id mappings
 * (--uidmap, --gidmap, inspect's IDMappings), bad inputs included, and
 * the container-to-host lookup the root file system's owner comes from.
 */
#include <stdio.h>

#include "unit.h"
#include "util/idmap.h"

static void t_parse(void)
{
    static const struct {
        const char *in;
        int rc;
        unsigned ctr, host, size;
    } cases[] = {
        { "0:100000:65536", 0, 0, 100000, 65536 },
        { "1:2:3", 0, 1, 2, 3 },
        { "0:4294967295:1", 0, 0, 4294967295u, 1 },
        { "0:100000:0", -1, 0, 0, 0 },          /* an empty range */
        { "0:100000", -1, 0, 0, 0 },
        { "0:1:2:3", -1, 0, 0, 0 },
        { "bad", -1, 0, 0, 0 },
        { "", -1, 0, 0, 0 },
        { "::", -1, 0, 0, 0 },
        { "-1:0:1", -1, 0, 0, 0 },
        { "0:4294967296:1", -1, 0, 0, 0 },      /* beyond uint32 */
        { "0: 1:2", -1, 0, 0, 0 },
        { "0x1:2:3", -1, 0, 0, 0 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct idmap m = { 0 };
        int rc = idmap_parse(cases[i].in, &m);
        CHECK_INT(rc, cases[i].rc);
        if (rc == 0) {
            CHECK_INT(m.ctr, cases[i].ctr);
            CHECK_INT(m.host, cases[i].host);
            CHECK_INT(m.size, cases[i].size);
        }
    }
}

static void t_to_host(void)
{
    const struct idmap maps[] = { { 0, 100000, 10 }, { 10, 300000, 5 } };

    CHECK_INT(idmap_to_host(maps, 2, 0), 100000);
    CHECK_INT(idmap_to_host(maps, 2, 9), 100009);
    CHECK_INT(idmap_to_host(maps, 2, 10), 300000);
    CHECK_INT(idmap_to_host(maps, 2, 14), 300004);
    CHECK_INT(idmap_to_host(maps, 2, 15), -1);     /* unmapped */
    CHECK_INT(idmap_to_host(maps, 0, 0), -1);
}

int main(void)
{
    UNIT_RUN(t_parse);
    UNIT_RUN(t_to_host);
    return unit_done();
}
