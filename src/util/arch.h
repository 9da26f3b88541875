/*
 * util/arch.h: the native architecture as Go names it ("amd64", "arm64").
 */
#ifndef BERTH_ARCH_H
#define BERTH_ARCH_H

const char *arch_go(void);

#endif
