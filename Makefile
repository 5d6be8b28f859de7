# billaudit — build, test, sanitizer build, install.
CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

PKGS    := libpcre2-8 libcjson libzip expat libcrypto freexl libxml-2.0 poppler-glib
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
           -Isrc -Ibuild -DBILLAUDIT_VERSION=\"$(VERSION)\" $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lcsv

ifeq ($(SAN),1)
BUILD   := build-san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
BUILD   := build
endif

SRCS    := $(wildcard src/*.c parsers/*.c rules/*.c)
OBJS    := $(patsubst %.c,$(BUILD)/%.o,$(SRCS)) $(BUILD)/data_blob.o
LIBOBJS := $(filter-out $(BUILD)/src/main.o,$(OBJS))
# Data tables compiled into the binary: keyword tables, column aliases, the term catalogue, letter templates.
DATA    := $(sort $(wildcard rules/data/*.tsv parsers/data/*.tsv rules/terms/*.txt src/templates/*.txt))
UNIT    := $(wildcard tests/unit/*.c)
# The fuzz harnesses, built with cc as replay drivers of their committed corpus.
REPLAYS := $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/replay_%,$(wildcard tests/fuzz/fuzz_*.c))

ifeq ($(SAN),1)
BIN     := $(BUILD)/billaudit
else
BIN     := billaudit
endif

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard src/*.h parsers/*.h rules/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(BUILD)
	cc -O1 -o $@ $<

$(BUILD)/data_blob.c: $(BUILD)/embed $(DATA)
	$(BUILD)/embed $(DATA) > $@.tmp.$$$$ && mv $@.tmp.$$$$ $@

$(BUILD)/data_blob.o: $(BUILD)/data_blob.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/unit: $(UNIT) $(LIBOBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz_common.h tests/fuzz/fuzz_zip.h $(LIBOBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(LIBOBJS) $(LDLIBS)

test: $(BIN) $(BUILD)/unit $(REPLAYS)
	@tests/run.sh $(BIN) $(BUILD)/unit

# The samples are of spring 2025: the demo shows them as of a day when the case is live
# (the operator's 15 days have passed, every five-month window is still open).
DEMO_DATE ?= 2025-06-20
demo: $(BIN)
	./$(BIN) audit --as-of $(DEMO_DATE) -a samples/account.json samples/ ; test $$? -le 1

install: billaudit
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 billaudit $(DESTDIR)$(PREFIX)/bin/billaudit
	install -m 644 doc/billaudit.1 $(DESTDIR)$(PREFIX)/share/man/man1/billaudit.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/billaudit $(DESTDIR)$(PREFIX)/share/man/man1/billaudit.1

format:
	clang-format -i $(SRCS) $(wildcard src/*.h parsers/*.h rules/*.h) $(UNIT) tools/*.c

clean:
	rm -rf build build-san billaudit

.PHONY: all test demo install uninstall format clean

# libFuzzer harnesses (clang; tests/fuzz/README.md): each runs FUZZ_SECONDS seconds.
FUZZ_SECONDS ?= 30
fuzz:
	$(MAKE) -f tests/fuzz/fuzz.mk fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

.PHONY: fuzz

# Benchmark (BENCHMARKS.md): data in build/bench, BENCH_ROWS=10000000 for the full run.
BENCH_ROWS ?= 1000000
bench: $(BIN)
	BENCH_ROWS=$(BENCH_ROWS) bench/run.sh
	bench/household.sh
	bench/pdf.sh
	bench/scaling.sh

.PHONY: bench

# Catalogue work: which entry fires on which clause (tools/termtrace.c).
$(BUILD)/termtrace: tools/termtrace.c $(LIBOBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
