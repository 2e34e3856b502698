# kdx - see README.md.  `make run` and `make test` are all a fresh machine needs.

CC       ?= cc
PKGS     := libpq cairo pangocairo zlib minizip expat libcrypto xlsxwriter
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lunistring -lm
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
BASE     := -std=c11 -D_GNU_SOURCE -Iinclude $(WARN) -MMD -MP
CFLAGS   ?= -O2 -g
SAN      := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIBSRC   := $(sort $(wildcard lib/*.c etl/*.c charts/*.c reports/*.c))
CMDSRC   := $(sort $(wildcard jobs/*.c))
SRC      := $(LIBSRC) $(CMDSRC)
EMBED    := $(sort $(wildcard data/sql/*.sql)) $(sort $(wildcard data/master/*.csv))
OBJ      := $(SRC:%.c=build/rel/%.o) build/rel/embedded.o
TOBJ     := $(SRC:%.c=build/san/%.o) build/san/embedded.o
TLIBOBJ  := $(LIBSRC:%.c=build/san/%.o) build/san/embedded.o
UNIT     := $(patsubst tests/unit/%.c,build/san/tests/%,$(sort $(wildcard tests/unit/test_*.c)))

.PHONY: all deps deps-test run test unit e2e bench clean
all: bin/kdx

deps:
	@tools/deps.sh

deps-test:
	@tools/deps.sh --with-tests

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

# The private warehouse, the sample data, the monthly job.
run: deps bin/kdx
	@tools/run.sh

test: deps-test build/san/kdx $(UNIT)
	@tests/run.sh $(UNIT)

bench: deps-test bin/kdx
	@tests/bench/run.sh

clean:
	rm -rf build bin

-include $(OBJ:.o=.d) $(TOBJ:.o=.d)
