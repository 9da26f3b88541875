/*
 * storage/registry/platform.c: which image of a manifest list or OCI
 * index a pull takes, as c/image chooses: the wanted platforms from the
 * most to the least compatible (a wanted variant, then the older variants
 * its architecture runs, then none; without a wanted variant: none first,
 * then every known variant), and for each the first entry that matches
 * os, architecture and variant exactly. An OCI index entry without a
 * platform is the fallback.
 */
#include <string.h>
#include <sys/utsname.h>

#include "storage/registry/internal.h"
#include "util/arch.h"
#include "util/js.h"
#include "util/str.h"

void platform_normalize(struct platform *p)
{
    static const struct { const char *in, *arch, *variant; } tbl[] = {
        { "x86_64", "amd64", NULL }, { "x86-64", "amd64", NULL }, { "aarch64", "arm64", NULL },
        { "armhf", "arm", "v7" }, { "armel", "arm", "v6" }, { "i386", "386", NULL },
        { "i686", "386", NULL },
    };

    for (size_t i = 0; p->arch && i < sizeof(tbl) / sizeof(tbl[0]); i++)
        if (!strcmp(p->arch, tbl[i].in)) {
            p->arch = tbl[i].arch;
            if (tbl[i].variant && (!p->variant || !*p->variant))
                p->variant = tbl[i].variant;
        }
    if (p->arch && !strcmp(p->arch, "arm64") && p->variant && !strcmp(p->variant, "8"))
        p->variant = "v8";
    if (p->variant && !*p->variant)
        p->variant = NULL;
}

void platform_host(struct platform *p)
{
    p->os = "linux";
    p->arch = arch_go();
    p->variant = NULL;
}

static const char *const *compat(const char *arch)
{
    static const char *const arm[] = { "v8", "v7", "v6", "v5", NULL };
    static const char *const arm64[] = { "v8", NULL };

    if (!strcmp(arch, "arm"))
        return arm;
    if (!strcmp(arch, "arm64"))
        return arm64;
    return NULL;
}

int platform_pick(json_t *list, const struct platform *want, struct berr **err)
{
    json_t *ms = json_object_get(list, "manifests"), *d;
    const char *variants[8];
    size_t nv = 0, i;
    const char *const *c = compat(want->arch);
    bool oci = str_eq(js_str(list, "mediaType", MT_OCI_INDEX), MT_OCI_INDEX);

    if (want->variant) {
        bool known = false;
        for (size_t k = 0; c && c[k]; k++)
            if (known || !strcmp(c[k], want->variant)) {
                known = true;
                variants[nv++] = c[k];
            }
        if (!known)
            variants[nv++] = want->variant;
        variants[nv++] = "";
    } else {
        variants[nv++] = "";
        for (size_t k = 0; c && c[k] && nv < 7; k++)
            variants[nv++] = c[k];
    }
    for (size_t v = 0; v < nv; v++)
        json_array_foreach(ms, i, d) {
            json_t *p = json_object_get(d, "platform");
            if (p && str_eq(js_str(p, "os", ""), want->os) &&
                str_eq(js_str(p, "architecture", ""), want->arch) &&
                str_eq(js_str(p, "variant", ""), variants[v]))
                return (int) i;
        }
    if (oci)
        json_array_foreach(ms, i, d)
            if (!json_object_get(d, "platform"))
                return (int) i;
    return berr_msg(err, "no image found in %s for architecture %s, variant \"%s\", OS %s",
                    oci ? "image index" : "manifest list", want->arch,
                    want->variant ? want->variant : "", want->os);
}
