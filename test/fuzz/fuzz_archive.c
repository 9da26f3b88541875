/*
 * test/fuzz/fuzz_archive.c: storage/load_docs.c, the JSON documents of
 * docker- and oci-archives, as `berth load` meets them: the input is tried
 * as manifest.json, index.json, an OCI manifest and an image config (for
 * the layers that manifest named, or none), and a docker plan that parsed
 * gets its v2s2 manifest written.
 */
#include "fuzz.h"
#include "storage/load.h"

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *) data;
    struct load_plan *v = NULL, p = { 0 };
    struct berr *err = NULL;
    size_t n = 0;

    if (load_docker_manifest(buf, size, &v, &n, &err) == 0) {
        for (size_t i = 0; i < n; i++) {
            v[i].config = NULL;
            v[i].config_len = size;
            snprintf(v[i].config_digest, sizeof(v[i].config_digest), "sha256:%064d", 0);
            for (size_t k = 0; k < v[i].nlayers; k++)
                snprintf(v[i].layers[k].blob, sizeof(v[i].layers[k].blob), "sha256:%064zu", k);
            free(load_docker_v2s2(&v[i]));
        }
        load_plans_free(v, n);
    } else {
        fuzz_drop(&err);
    }
    if (load_oci_index(buf, size, &v, &n, &err) == 0)
        load_plans_free(v, n);
    else
        fuzz_drop(&err);

    snprintf(p.manifest_digest, sizeof(p.manifest_digest), "sha256:%064d", 1);
    if (load_oci_manifest(buf, size, &p, &err) < 0)
        fuzz_drop(&err);
    if (load_config(buf, size, &p, &err) < 0)
        fuzz_drop(&err);
    load_plan_clear(&p);
    return 0;
}
