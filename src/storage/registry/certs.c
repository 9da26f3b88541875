/*
 * storage/registry/certs.c: containers-certs.d(5). For a registry
 * "host:port" the first directory that exists among
 * ~/.config/containers/certs.d/<host:port> (rootless),
 * /etc/containers/certs.d/<host:port> and /etc/docker/certs.d/<host:port>
 * (or --cert-dir alone) holds:
 *   *.crt            CA certificates, trusted besides the system's
 *   NAME.cert + NAME.key   a client certificate and its key
 * A .cert without its .key (or the reverse) is an error, as in c/image.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/registry/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/str.h"

static int load_dir(const char *dir, struct http_tls *t, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(dir);
    _cleanup_strv_ char **names = NULL;
    _cleanup_sbuf_ struct sbuf pem = SBUF_INIT;
    struct dirent *de;

    if (!d)
        return berr_sys(err, "open %s", dir);
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' && strv_push(&names, de->d_name) < 0)
            return berr_oom(err);
    if (!names)
        return 0;
    strv_sort(names);
    for (char **n = names; *n; n++) {
        _cleanup_free_ char *p = fs_join(dir, *n);
        if (!p)
            return berr_oom(err);
        if (str_has_suffix(*n, ".crt")) {
            _cleanup_free_ char *text = NULL;
            size_t len;
            log_debug("crt: %s", p);
            if (fs_read_file(p, &text, &len, err) < 0)
                return -1;
            sbuf_addn(&pem, text, len);
            sbuf_addc(&pem, '\n');
        } else if (str_has_suffix(*n, ".cert")) {
            _cleanup_free_ char *key = str_fmt("%.*s.key", (int) (strlen(p) - 5), p);
            if (!key)
                return berr_oom(err);
            if (!fs_exists(key))
                return berr_msg(err, "missing key %.*s.key for client certificate %s. Note "
                                "that CA certificates should use the extension .crt",
                                (int) (strlen(*n) - 5), *n, *n);
            log_debug("cert: %s", p);
            if (!t->cert) {
                t->cert = STEAL_PTR(p);
                t->key = STEAL_PTR(key);
            }
        } else if (str_has_suffix(*n, ".key")) {
            _cleanup_free_ char *cert = str_fmt("%.*s.cert", (int) (strlen(p) - 4), p);
            if (!cert)
                return berr_oom(err);
            if (!fs_exists(cert))
                return berr_msg(err, "missing client certificate %.*s.cert for key %s",
                                (int) (strlen(*n) - 4), *n, *n);
        }
    }
    if (pem.oom)
        return berr_oom(err);
    if (pem.len) {
        t->ca_len = pem.len;
        t->ca_pem = sbuf_steal(&pem);
    }
    return 0;
}

int certs_load(const char *cert_dir, const char *host, bool verify, struct http_tls *out,
               struct berr **err)
{
    memset(out, 0, sizeof(*out));
    out->verify = verify;
    if (cert_dir)
        return load_dir(cert_dir, out, err) < 0 ? berr_wrap(err, "cert dir %s", cert_dir) : 0;

    _cleanup_free_ char *user = str_fmt("%s/.config/containers/certs.d/%s", reg_home(), host);
    _cleanup_free_ char *c = NULL, *d = NULL, *p1 = str_fmt("/etc/containers/certs.d/%s", host);
    _cleanup_free_ char *p2 = str_fmt("/etc/docker/certs.d/%s", host);

    if (!user || !p1 || !p2 || !(c = reg_sys_path(p1)) || !(d = reg_sys_path(p2)))
        return berr_oom(err);
    const char *dirs[] = { geteuid() != 0 ? user : NULL, c, d };
    for (size_t i = 0; i < 3; i++) {
        if (!dirs[i] || !fs_is_dir(dirs[i]))
            continue;
        if (load_dir(dirs[i], out, err) < 0) {
            http_tls_clear(out);
            return -1;
        }
        out->verify = verify;
        return 0;
    }
    return 0;
}
