# berth: a daemonless container engine with podman's command line.
#
#   make            build ./berth
#   make deps       install every build and test package (Debian, as root)
#   make demo       deps + build + run a real container from a local image
#   make check      unit tests + bats suite; last line "N passed, N failed"
#   make check-asan the same with an ASan+UBSan build, plus a short fuzz run
#   make fuzz       the fuzz targets for longer (clang's libFuzzer if clang is there)
#   make bench      side-by-side benchmarks against podman
#   make install    PREFIX=/usr/local DESTDIR=

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DATADIR   ?= $(PREFIX)/share
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
CC        ?= cc
PKGS      := jansson libbsd-overlay libseccomp
# dlopen'd on first use (src/util/lazylib.h): only their headers at build time
LAZY_PKGS := libarchive libcrypto libcurl zlib libzstd libsystemd
OPT       ?= -O2 -g
BUILD     ?= build
SANITIZE  ?=

# Read when this Makefile is parsed: on a bare machine that is before `make
# deps` has installed the -dev packages, which is why demo and check run
# deps first and then build in a fresh make (which parses this again).
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(LAZY_PKGS) 2>/dev/null)
# jansson, libseccomp and libbsd are linked statically: each shared object
# loaded costs every berth process ~4-6 page faults (~0.2 ms on this VM;
# libbsd brings libmd with it), and `berth version` aims at 1.5x /bin/true.
STATIC_LIBS := -ljansson -lseccomp -lbsd
PKG_LIBS   := -Wl,-Bstatic $(STATIC_LIBS) -Wl,-Bdynamic \
              $(filter-out $(STATIC_LIBS),$(shell pkg-config --libs $(PKGS) 2>/dev/null))
PKG_OK     := $(shell pkg-config --exists $(PKGS) $(LAZY_PKGS) 2>/dev/null && echo yes)

CFLAGS_ALL := -std=c11 -D_GNU_SOURCE $(OPT) -Wall -Wextra -Werror -Wno-missing-field-initializers \
              -fno-strict-aliasing -Isrc $(PKG_CFLAGS) -DBERTH_VERSION='"$(VERSION)"' \
              -DBERTH_DATADIR='"$(DATADIR)/berth"' $(SANITIZE) $(CFLAGS)
LDFLAGS_ALL := $(SANITIZE) $(LDFLAGS)
LIBS_ALL    := $(PKG_LIBS) -pthread $(LIBS)
# berth itself is a fixed-address executable, as podman and runc are: as a
# PIE, the loader applies ~5000 relative relocations at every start and
# copies each page of option and command tables they write (17 of the 87
# page faults of `berth version`, ~0.7 ms here). PIE=1 builds a PIE, with
# packed relocations. The unit tests and fuzzers link the default way.
PIE         ?= 0
PIE_LDFLAGS := -pie -Wl,-z,pack-relative-relocs
BIN_LDFLAGS := $(if $(filter 1,$(PIE)),$(PIE_LDFLAGS),-no-pie)

SRCS      := $(sort $(shell find src -name '*.c' ! -path src/main.c))
OBJS      := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(sort $(wildcard test/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:test/unit/%.c=$(BUILD)/unit/%)
FUZZ_SRCS := $(sort $(wildcard test/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:test/fuzz/%.c=$(BUILD)/fuzz/%)
# Mutations per fuzz target in `make check` (check-asan sets it; empty: no
# fuzz step). Each target also runs its whole corpus, test/fuzz/corpus/<target>/.
FUZZ_RUNS ?=
BIN       := $(if $(filter build,$(BUILD)),berth,$(BUILD)/berth)

.PHONY: all deps demo check check-asan unit fuzzers fuzz bench install boot-files clean completions man pkgcheck

all: $(BIN) completions man

# Without the -dev packages every compile fails with hundreds of errors:
# say in one line what to run instead.
pkgcheck:
ifneq ($(PKG_OK),yes)
	@echo "berth: the build packages are not installed (pkg-config finds no $(PKGS) $(LAZY_PKGS)): run 'make deps' as root, or 'make demo'" >&2
	@exit 1
endif

$(OBJS) $(BUILD)/obj/main.o: | pkgcheck

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/libberth.a: $(OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(BUILD)/libberth.a
	$(CC) $(LDFLAGS_ALL) $(BIN_LDFLAGS) -o $@ $(BUILD)/obj/main.o -Wl,--whole-archive $(BUILD)/libberth.a -Wl,--no-whole-archive $(LIBS_ALL)

$(BUILD)/obj/main.o: src/main.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"; $(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/unit/%: test/unit/%.c test/unit/unit.h $(BUILD)/libberth.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itest/unit $(LDFLAGS_ALL) -o $@ $< $(BUILD)/libberth.a $(LIBS_ALL)

unit: $(UNIT_BINS)

# A fuzz target linked with test/fuzz/driver.c, which runs it without
# libFuzzer (corpus, then seeded mutations), so it builds with any $(CC);
# test/fuzz/run.sh links clang's libFuzzer instead (FUZZ_MAIN= FUZZ_LDFLAGS=-fsanitize=fuzzer).
FUZZ_MAIN ?= test/fuzz/driver.c
FUZZ_LDFLAGS ?=
$(BUILD)/fuzz/%: test/fuzz/%.c $(FUZZ_MAIN) test/fuzz/fuzz.h $(BUILD)/libberth.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itest/fuzz $(LDFLAGS_ALL) $(FUZZ_LDFLAGS) -o $@ $< $(FUZZ_MAIN) $(BUILD)/libberth.a $(LIBS_ALL)

fuzzers: $(FUZZ_BINS)

# the comparison the two share
$(BUILD)/unit/test_ctrrec $(BUILD)/fuzz/fuzz_statescan: test/ctrrec_same.h

# Completions and man pages are generated from the same tables as --help,
# so the three can never disagree.
completions: $(BIN)
	@mkdir -p completions/bash completions/zsh
	./$(BIN) completion bash -f completions/bash/berth
	./$(BIN) completion zsh -f completions/zsh/_berth

man: $(BIN)
	@mkdir -p man
	rm -f man/*.1
	./$(BIN) __gen-man man

deps:
	bash tools/deps.sh

# deps first, then a fresh make: this make parsed pkg-config's answers
# before deps could install anything.
demo: deps
	$(MAKE) all
	bash tools/demo.sh

check: deps
	$(MAKE) all unit $(if $(FUZZ_RUNS),fuzzers)
	BERTH_BIN=$(CURDIR)/$(BIN) UNIT_DIR=$(BUILD)/unit \
	    FUZZ_DIR=$(if $(FUZZ_RUNS),$(BUILD)/fuzz) FUZZ_RUNS=$(FUZZ_RUNS) bash test/run.sh

# The fuzz step here is seconds, not minutes (FUZZ_RUNS mutations a target).
check-asan: deps
	$(MAKE) BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
	        SANITIZE='-fsanitize=address,undefined -fno-sanitize-recover=undefined' \
	        FUZZ_RUNS=$(or $(FUZZ_RUNS),60000) check

# Longer fuzzing, FUZZ_TIME seconds a target: coverage-guided with clang's
# libFuzzer when clang can link it (apt-get install clang libclang-rt-14-dev;
# not in deps.list, since nothing else needs it), else the driver on the
# ASan build for as long. Finds go to build-fuzz/crash-*; a fixed one
# becomes a regress-* file in test/fuzz/corpus/<target>/.
FUZZ_TIME ?= 60
fuzz: deps
	bash test/fuzz/run.sh $(FUZZ_TIME)

bench: all
	bash bench/run.sh

# the boot unit and init script (system boot), with the binary's path
boot-files:
	@mkdir -p $(BUILD)
	sed 's|@BINDIR@|$(BINDIR)|g' data/berth-boot.service.in > $(BUILD)/berth-boot.service
	sed 's|@BINDIR@|$(BINDIR)|g' data/berth-boot.init.in > $(BUILD)/berth-boot.init

install: all boot-files
	install -D -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/berth
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -D -m 0644 completions/bash/berth $(DESTDIR)$(DATADIR)/bash-completion/completions/berth
	install -D -m 0644 completions/zsh/_berth $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_berth
	install -D -m 0644 data/berth.conf $(DESTDIR)$(DATADIR)/berth/berth.conf
	install -D -m 0644 data/seccomp.json $(DESTDIR)$(DATADIR)/berth/seccomp.json
	install -D -m 0644 $(BUILD)/berth-boot.service $(DESTDIR)$(SYSTEMDUNITDIR)/berth-boot.service
	install -D -m 0755 $(BUILD)/berth-boot.init $(DESTDIR)$(SYSCONFDIR)/init.d/berth-boot

clean:
	rm -rf build build-asan build-fuzz berth

-include $(OBJS:.o=.d) $(BUILD)/obj/main.d
