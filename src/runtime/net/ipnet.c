/*
 * runtime/net/ipnet.c: address and subnet arithmetic (see ipnet.h).
 * Addresses are big-endian byte arrays so IPv4 and IPv6 share one
 * carry loop; inet_pton/inet_ntop give the text forms Go prints.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/net/ipnet.h"

int ip_len(const struct ipaddr *ip)
{
    return ip->family == AF_INET ? 4 : 16;
}

int ip_parse(const char *s, struct ipaddr *out)
{
    memset(out, 0, sizeof(*out));
    if (!s)
        return -1;
    if (inet_pton(AF_INET, s, out->a) == 1) {
        out->family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, s, out->a) == 1) {
        out->family = AF_INET6;
        return 0;
    }
    return -1;
}

static void clear_host_bits(struct ipaddr *ip, int prefix)
{
    int len = ip_len(ip);

    for (int i = 0; i < len; i++) {
        int keep = prefix - i * 8;
        if (keep >= 8)
            continue;
        ip->a[i] &= keep <= 0 ? 0 : (uint8_t) (0xff << (8 - keep));
    }
}

int ipnet_parse(const char *s, struct ipnet *out, struct ipaddr *host)
{
    char buf[IPNET_STRLEN + 8];
    const char *slash;
    char *end;
    long p;

    memset(out, 0, sizeof(*out));
    if (!s || !(slash = strchr(s, '/')) || (size_t) (slash - s) >= sizeof(buf))
        return -1;
    memcpy(buf, s, (size_t) (slash - s));
    buf[slash - s] = '\0';
    if (ip_parse(buf, &out->ip) < 0)
        return -1;
    if (!slash[1] || slash[1] == '-' || slash[1] == '+')
        return -1;
    p = strtol(slash + 1, &end, 10);
    if (*end || p < 0 || p > ip_len(&out->ip) * 8)
        return -1;
    out->prefix = (int) p;
    if (host)
        *host = out->ip;
    clear_host_bits(&out->ip, out->prefix);
    return 0;
}

void ip_fmt(const struct ipaddr *ip, char *buf)
{
    if (!inet_ntop(ip->family, ip->a, buf, IPADDR_STRLEN))
        strcpy(buf, "<invalid>");
}

void ipnet_fmt(const struct ipnet *n, char *buf)
{
    char ip[IPADDR_STRLEN];

    ip_fmt(&n->ip, ip);
    snprintf(buf, IPNET_STRLEN, "%s/%d", ip, n->prefix);
}

int ip_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->a, b->a, (size_t) ip_len(a));
}

bool ip_eq(const struct ipaddr *a, const struct ipaddr *b)
{
    return ip_cmp(a, b) == 0;
}

void ip_add(struct ipaddr *a, long long n)
{
    int len = ip_len(a);
    int carry = 0;
    unsigned long long m = n < 0 ? (unsigned long long) -n : (unsigned long long) n;
    uint8_t d[16] = { 0 };

    for (int i = len - 1; i >= 0 && m; i--, m >>= 8)
        d[i] = (uint8_t) (m & 0xff);
    for (int i = len - 1; i >= 0; i--) {
        int v = n < 0 ? (int) a->a[i] - d[i] - carry : (int) a->a[i] + d[i] + carry;
        carry = n < 0 ? v < 0 : v > 0xff;
        a->a[i] = (uint8_t) (v & 0xff);
    }
}

bool ipnet_contains(const struct ipnet *n, const struct ipaddr *ip)
{
    struct ipaddr x = *ip;

    if (ip->family != n->ip.family)
        return false;
    clear_host_bits(&x, n->prefix);
    return ip_eq(&x, &n->ip);
}

bool ipnet_overlaps(const struct ipnet *a, const struct ipnet *b)
{
    return ipnet_contains(a, &b->ip) || ipnet_contains(b, &a->ip);
}

void ipnet_last(const struct ipnet *n, struct ipaddr *out)
{
    int len = ip_len(&n->ip);

    *out = n->ip;
    for (int i = 0; i < len; i++) {
        int keep = n->prefix - i * 8;
        if (keep >= 8)
            continue;
        out->a[i] |= keep <= 0 ? 0xff : (uint8_t) (0xff >> keep);
    }
}

int ip_mask_prefix(const struct ipaddr *mask)
{
    int len = ip_len(mask), p = 0;

    for (int i = 0; i < len; i++)
        for (int b = 7; b >= 0; b--) {
            if (!(mask->a[i] & (1 << b)))
                return p;
            p++;
        }
    return p;
}
