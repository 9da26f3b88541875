/*
 * test_genfiles.c: /etc/hosts, /etc/resolv.conf, /etc/hostname and
 * /run/.containerenv text (SPEC-podman.md §4.7).
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "runtime/genfiles.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "unit.h"

static void t_hosts_observed(void)
{
    /* the observation of SPEC §4.7: the host's lines first, no ::1 line
     * because localhost is taken */
    char *ips[] = { "10.88.0.29", NULL };
    struct hosts_opts o = {
        .base = "127.0.0.1\tlocalhost\n# comment\n\n127.0.0.1 runsc\n127.0.0.1   vm # trailing\n",
        .host_ip = "10.88.0.1", .hostname = "7535317f89b8", .name = "spec1", .ips = ips,
    };
    _cleanup_free_ char *h = genfiles_hosts(&o);

    CHECK_STR(h, "127.0.0.1\tlocalhost\n127.0.0.1\trunsc\n127.0.0.1\tvm\n"
                 "10.88.0.1\thost.containers.internal\n10.88.0.29\t7535317f89b8 spec1\n");
}

static void t_hosts_add_host(void)
{
    char *add[] = { "db:10.0.0.5", "v6:fd00::1", "gw:host-gateway", "web;www:10.0.0.6", NULL };
    char *aliases[] = { "alias1", "db", NULL };
    struct hosts_opts o = {
        .add_hosts = add, .host_ip = "10.88.0.1", .hostname = "h", .name = "n",
        .aliases = aliases,
    };
    _cleanup_free_ char *h = genfiles_hosts(&o);

    CHECK_STR(h, "10.0.0.5\tdb\nfd00::1\tv6\n10.88.0.1\tgw\n10.0.0.6\tweb www\n"
                 "127.0.0.1\tlocalhost\n::1\tlocalhost\n10.88.0.1\thost.containers.internal\n"
                 "127.0.0.1\th n alias1\n");
}

static void t_hosts_name_taken(void)
{
    struct hosts_opts o = { .base = "1.2.3.4 myname host.containers.internal\n",
                            .hostname = "myname", .name = "myname" };
    _cleanup_free_ char *h = genfiles_hosts(&o);

    CHECK_STR(h, "1.2.3.4\tmyname host.containers.internal\n127.0.0.1\tlocalhost\n::1\tlocalhost\n");
}

static void t_resolv(void)
{
    const char *host = "# generated\nsearch example.com corp\nnameserver 127.0.0.53\n"
                       "nameserver 10.255.255.53\nnameserver fe80::1\noptions ndots:2 edns0\n";
    struct resolv_opts a = { .host = host, .private_netns = true };
    struct resolv_opts b = { .host = host, .private_netns = false, .ipv6 = true };
    struct resolv_opts c = { .host = "nameserver 127.0.0.1\n", .private_netns = true };
    char *dns[] = { "1.1.1.1", NULL }, *search[] = { ".", NULL }, *opt[] = { "debug", NULL };
    char *net[] = { "10.89.0.1", NULL }, *netsearch[] = { "dns.podman", NULL };
    struct resolv_opts d = { .host = host, .private_netns = true, .servers = dns,
                             .searches = search, .options = opt };
    struct resolv_opts e = { .host = host, .private_netns = true, .net_servers = net,
                             .net_searches = netsearch };
    struct resolv_opts f = { .host = NULL, .private_netns = true, .ipv6 = true };
    _cleanup_free_ char *ra = genfiles_resolv(&a), *rb = genfiles_resolv(&b);
    _cleanup_free_ char *rc = genfiles_resolv(&c), *rd = genfiles_resolv(&d);
    _cleanup_free_ char *re = genfiles_resolv(&e), *rf = genfiles_resolv(&f);

    CHECK_STR(ra, "search example.com corp\nnameserver 10.255.255.53\noptions ndots:2 edns0\n");
    CHECK_STR(rb, "search example.com corp\nnameserver 127.0.0.53\nnameserver 10.255.255.53\n"
                  "nameserver fe80::1\noptions ndots:2 edns0\n");
    CHECK_STR(rc, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    CHECK_STR(rd, "nameserver 1.1.1.1\noptions debug\n");
    CHECK_STR(re, "search dns.podman example.com corp\nnameserver 10.89.0.1\n"
                  "nameserver 10.255.255.53\noptions ndots:2 edns0\n");
    CHECK_STR(rf, "nameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 2001:4860:4860::8888\n"
                  "nameserver 2001:4860:4860::8844\n");
}

static void t_hostname_containerenv_write(void)
{
    char dir[] = "/tmp/berth-gen-XXXXXX";
    _cleanup_free_ char *hn = genfiles_hostname("abc"), *empty = NULL, *priv = NULL, *back = NULL;
    _cleanup_free_ char *p = NULL;
    struct containerenv e = { .name = "web", .id = "123", .image = "img", .image_id = "sha" };
    struct berr *err = NULL;
    struct stat st;

    CHECK_STR(hn, "abc");
    empty = genfiles_containerenv(&e);
    CHECK_STR(empty, "");
    e.privileged = true;
    e.graph_root_mounted = true;
    priv = genfiles_containerenv(&e);
    CHECK(priv && str_has_prefix(priv, "engine=\"berth-"));
    CHECK(priv && strstr(priv, "\nname=\"web\"\nid=\"123\"\nimage=\"img\"\nimageid=\"sha\"\n"
                               "rootless=0\ngraphRootMounted=1\n"));
    CHECK(mkdtemp(dir) != NULL);
    CHECK(genfiles_write(dir, "hostname", hn, 0644, &err) == 0);
    p = fs_join(dir, "hostname");
    CHECK(fs_read_file(p, &back, NULL, &err) == 0);
    CHECK_STR(back, "abc");
    CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0644);
    fs_rm_rf(dir, &err);
    berr_free(err);
}

int main(void)
{
    UNIT_RUN(t_hosts_observed);
    UNIT_RUN(t_hosts_add_host);
    UNIT_RUN(t_hosts_name_taken);
    UNIT_RUN(t_resolv);
    UNIT_RUN(t_hostname_containerenv_write);
    return unit_done();
}
