# kdx - see README.md.  `make run` and `make test` are all a fresh machine needs.

CC       ?= cc
PKGS     := libpq cairo pangocairo zlib minizip expat libcrypto xlsxwriter libarchive
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lunistring -lm
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
BASE     := -std=c11 -D_GNU_SOURCE -Iinclude $(WARN) -MMD -MP
CFLAGS   ?= -O2 -g
SAN      := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIBSRC   := $(sort $(wildcard lib/*.c etl/*.c charts/*.c reports/*.c archive/*.c))
CMDSRC   := $(sort $(wildcard jobs/*.c))
SRC      := $(LIBSRC) $(CMDSRC)
EMBED    := $(sort $(wildcard data/sql/*.sql)) $(sort $(wildcard data/sql/functions/*.sql)) $(sort $(wildcard data/master/*.csv))
OBJ      := $(SRC:%.c=build/rel/%.o) build/rel/embedded.o
TOBJ     := $(SRC:%.c=build/san/%.o) build/san/embedded.o
TLIBOBJ  := $(LIBSRC:%.c=build/san/%.o) build/san/embedded.o
UNIT     := $(patsubst tests/unit/%.c,build/san/tests/%,$(sort $(wildcard tests/unit/test_*.c)))
# unit tests with an exhaustive part (KDX_EXHAUSTIVE) are built again without
# the sanitizers, at -O2, where that part runs in full (it samples under them)
RLIBOBJ  := $(LIBSRC:%.c=build/rel/%.o) build/rel/embedded.o
EXH      := $(patsubst tests/unit/%.c,build/rel/tests/%,$(shell grep -l KDX_EXHAUSTIVE $(sort $(wildcard tests/unit/test_*.c)) /dev/null))
NPROC    := $(shell nproc 2>/dev/null || echo 2)
FUZZ     := csv xlsx date bagit tar
REPLAY   := $(FUZZ:%=build/san/tests/replay_%)
FUZZOBJ  := $(LIBSRC:%.c=build/fuzz/%.o) build/fuzz/embedded.o
FUZZ_SECONDS ?= 600
FUZZFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer

.PHONY: all deps deps-test deps-fuzz run test check unit e2e bench fuzz clean install uninstall
all: bin/kdx

deps:
	@tools/deps.sh

deps-test:
	@tools/deps.sh --with-tests
	@tools/web-deps.sh

deps-fuzz:
	@tools/deps.sh --with-fuzz

build/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

build/embedded.c: build/embed $(EMBED)
	build/embed $@ data/ $(EMBED)

build/rel/embedded.o: build/embedded.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CFLAGS) -c -o $@ $<

build/san/embedded.o: build/embedded.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(SAN) -c -o $@ $<

build/rel/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASE) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/san/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC-SAN  $<"
	@$(CC) $(BASE) $(SAN) $(PKG_CFLAGS) -c -o $@ $<

bin/kdx: $(OBJ)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/san/kdx: $(TOBJ)
	@echo "  LINK    $@"
	@$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

build/san/tests/%: tests/unit/%.c $(TLIBOBJ)
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(BASE) $(SAN) $(PKG_CFLAGS) -o $@ $< $(TLIBOBJ) $(PKG_LIBS) -lcmocka

build/rel/tests/%: tests/unit/%.c $(RLIBOBJ)
	@mkdir -p $(@D)
	@echo "  TEST-O2 $@"
	@$(CC) $(BASE) $(CFLAGS) -DKDX_EXHAUSTIVE $(PKG_CFLAGS) -o $@ $< $(RLIBOBJ) $(PKG_LIBS) -lcmocka

# The private warehouse, the sample data, the monthly job.
run: deps bin/kdx
	@tools/run.sh

build/san/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(TLIBOBJ)
	@mkdir -p $(@D)
	@echo "  REPLAY  $@"
	@$(CC) $(BASE) $(SAN) $(PKG_CFLAGS) -o $@ $< tests/fuzz/replay.c $(TLIBOBJ) $(PKG_LIBS)

# make test: everything (tests/run.sh; KDX_TEST_JOBS, KDX_TEST_ONLY); make check: the
# unit tests and the static checks, without a warehouse, for the inner loop
# (what they run is built with a job per core, whatever -j make was given)
TESTBUILD = $(MAKE) -s --no-print-directory -j$(NPROC) build/san/kdx $(UNIT) $(EXH) $(REPLAY)

test: deps-test
	@$(TESTBUILD)
	@tests/run.sh $(UNIT) $(EXH) $(REPLAY)

check:
	@$(TESTBUILD)
	@tests/run.sh --check $(UNIT) $(EXH) $(REPLAY)

# libFuzzer targets (clang); each runs FUZZ_SECONDS (default 600).  New crashes
# land in tests/fuzz/crashes/<target>/ and are replayed by make test from then on.
build/fuzz/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC-FUZZ $<"
	@clang $(BASE) $(FUZZFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/embedded.o: build/embedded.c
	@mkdir -p $(@D)
	@clang $(BASE) $(FUZZFLAGS) -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZOBJ)
	@echo "  FUZZER  $@"
	@clang $(BASE) $(FUZZFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< $(FUZZOBJ) $(PKG_LIBS)

fuzz: deps-fuzz $(FUZZ:%=build/fuzz/fuzz_%)
	@for t in $(FUZZ); do \
		mkdir -p build/fuzz/corpus/$$t tests/fuzz/crashes/$$t; \
		cp -n tests/fuzz/corpus/$$t/* build/fuzz/corpus/$$t/ 2>/dev/null; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=2048 \
			-artifact_prefix=tests/fuzz/crashes/$$t/ build/fuzz/corpus/$$t >build/fuzz/$$t.log 2>&1; \
		rc=$$?; tail -n 3 build/fuzz/$$t.log; \
		if [ $$rc -ne 0 ]; then echo "fuzz: $$t found a problem; see build/fuzz/$$t.log"; exit 1; fi; \
	done

bench: deps-test bin/kdx
	@tests/bench/run.sh

# Installed like a Debian program: make install [PREFIX=/usr/local] [DESTDIR=...]
PREFIX      ?= /usr/local
BINDIR      := $(PREFIX)/bin
LIBEXECDIR  := $(PREFIX)/lib/kdx
MANDIR      := $(PREFIX)/share/man
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
# units and sysusers of a local install go under /etc, a packaged one's under /usr/lib
ETC_OR_LIB   = $(if $(filter /usr,$(PREFIX)),/usr/lib,/etc)
UNITDIR     ?= $(ETC_OR_LIB)/systemd/system
SYSUSERSDIR ?= $(ETC_OR_LIB)/sysusers.d
LOGROTATEDIR ?= /etc/logrotate.d
UNITS       := kdx-nightly.service kdx-nightly.timer kdx-monthly.service kdx-monthly.timer \
               kdx-warehouse.service kdx-notify@.service

KDX_BIN     ?= bin/kdx

install: $(KDX_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(LOGROTATEDIR)
	install -m 0755 $(KDX_BIN) $(DESTDIR)$(BINDIR)/kdx
	install -m 0755 jobs/systemd/kdx-notify $(DESTDIR)$(LIBEXECDIR)/kdx-notify
	install -m 0644 docs/kdx.1 $(DESTDIR)$(MANDIR)/man1/kdx.1
	install -m 0644 jobs/kdx.bash-completion $(DESTDIR)$(BASHCOMPDIR)/kdx
	install -m 0644 jobs/kdx.sysusers $(DESTDIR)$(SYSUSERSDIR)/kdx.conf
	install -m 0644 jobs/kdx.logrotate $(DESTDIR)$(LOGROTATEDIR)/kdx
	@for u in $(UNITS); do \
		awk -v bindir='$(BINDIR)' -v libexec='$(LIBEXECDIR)' -v hard=jobs/systemd/hardening.conf \
			'/^@HARDENING@$$/ { while ((getline l < hard) > 0) print l; next } \
			 { gsub(/@BINDIR@/, bindir); gsub(/@LIBEXECDIR@/, libexec); print }' \
			jobs/systemd/$$u >$(DESTDIR)$(UNITDIR)/$$u && chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
		echo "  INSTALL $(UNITDIR)/$$u"; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kdx $(DESTDIR)$(LIBEXECDIR)/kdx-notify $(DESTDIR)$(MANDIR)/man1/kdx.1 \
		$(DESTDIR)$(BASHCOMPDIR)/kdx $(DESTDIR)$(SYSUSERSDIR)/kdx.conf $(DESTDIR)$(LOGROTATEDIR)/kdx \
		$(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))
	-rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null

clean:
	rm -rf build bin

-include $(OBJ:.o=.d) $(TOBJ:.o=.d) $(FUZZOBJ:.o=.d)

# keep the fuzz objects, which only the pattern rule of the fuzz targets names
# (a bare .SECONDARY: would keep every target, so that a missing object, as
# after a file moves, never got built while bin/kdx was newer than its source)
.SECONDARY: $(FUZZOBJ)
