/*
 * runtime/net/ipnet.h: IPv4/IPv6 addresses and CIDR subnets as values
 * (no allocation), the arithmetic IPAM and subnet selection need, and
 * their podman-style text forms. Pure code: unit-tested in test_netconf.
 */
#ifndef BERTH_NET_IPNET_H
#define BERTH_NET_IPNET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* An address; for AF_INET only a[0..3] are used. */
struct ipaddr {
    int family;             /* AF_INET or AF_INET6 */
    uint8_t a[16];
};

/* A subnet: addr is the network address (host bits cleared). */
struct ipnet {
    struct ipaddr ip;
    int prefix;
};

#define IPADDR_STRLEN 46
#define IPNET_STRLEN 50

/* "10.1.2.3", "fd00::1". 0 ok, -1 not an address. */
int ip_parse(const char *s, struct ipaddr *out);
/* "10.1.0.0/16". Host bits are cleared in *out; *host (may be NULL)
 * receives the address as written (10.1.2.3/16 -> 10.1.2.3). */
int ipnet_parse(const char *s, struct ipnet *out, struct ipaddr *host);
void ip_fmt(const struct ipaddr *ip, char *buf);            /* IPADDR_STRLEN */
void ipnet_fmt(const struct ipnet *n, char *buf);           /* IPNET_STRLEN */
int ip_len(const struct ipaddr *ip);                        /* 4 or 16 */
int ip_cmp(const struct ipaddr *a, const struct ipaddr *b); /* same family */
bool ip_eq(const struct ipaddr *a, const struct ipaddr *b);
/* a + n (n may be negative); wraps silently within the family. */
void ip_add(struct ipaddr *a, long long n);
bool ipnet_contains(const struct ipnet *n, const struct ipaddr *ip);
bool ipnet_overlaps(const struct ipnet *a, const struct ipnet *b);
/* The last address of the subnet (IPv4: the broadcast address). */
void ipnet_last(const struct ipnet *n, struct ipaddr *out);
/* Mask as a prefix length from a dotted netmask (route table form). */
int ip_mask_prefix(const struct ipaddr *mask);

#endif
