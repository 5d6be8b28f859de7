# libFuzzer harnesses (tests/fuzz/README.md). Used by `make fuzz` in the top Makefile:
#   make fuzz FUZZ_SECONDS=N          builds build-fuzz/ and runs each harness N seconds
#   make -f tests/fuzz/fuzz.mk fuzz-build
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_JOBS    ?= 1
FB           := build-fuzz
PKGS         := libpcre2-8 libcjson libzip expat libcrypto freexl libxml-2.0 poppler-glib
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# The project is -Werror under cc; clang's own warnings on others' files must not stop fuzzing.
FUZZ_CFLAGS  := -O1 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Isrc -I$(FB) $(FUZZ_SAN) \
                -DBILLAUDIT_VERSION=\"fuzz\" $(shell pkg-config --cflags $(PKGS))
FUZZ_LIBS    := $(shell pkg-config --libs $(PKGS)) -lcsv

# FreeXL (xls) runs in a child process of its own (src/xls.c): its own defects on hostile
# workbooks (a stack-buffer overread in its iconv call) end that child, not the harness.
HARNESSES    := load load_xlsx xlsx xlsx_xml account terms state values archive html xml2003 pdf xls
LIBSRCS      := $(filter-out src/main.c,$(wildcard src/*.c parsers/*.c rules/*.c))
LIBOBJS      := $(patsubst %.c,$(FB)/%.o,$(LIBSRCS)) $(FB)/data_blob.o
DATA         := $(sort $(wildcard rules/data/*.tsv parsers/data/*.tsv rules/terms/*.txt src/templates/*.txt))
BINS         := $(patsubst %,$(FB)/fuzz_%,$(HARNESSES))

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(HARNESSES)

fuzz-build: $(BINS)

$(FB)/%.o: %.c $(wildcard src/*.h parsers/*.h rules/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FB)/embed: tools/embed.c
	@mkdir -p $(FB)
	cc -O1 -o $@ $<

$(FB)/data_blob.c: $(FB)/embed $(DATA)
	$(FB)/embed $(DATA) > $@.tmp && mv $@.tmp $@

$(FB)/data_blob.o: $(FB)/data_blob.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h tests/fuzz/fuzz_zip.h $(LIBOBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< $(LIBOBJS) $(FUZZ_LIBS)

.PHONY: fuzz fuzz-build
.SECONDARY:
