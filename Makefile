# libiotnet — the front door.
#   make          build the library (shared + static) and the iotnet CLI
#   make demo     set up this machine, build, run the main job on the bundled home network
#   make test     set up, build, run the C tests (plain and ASan/UBSan), the fuzz smoke run, Python tests, notebooks
#   make fuzz     run every libFuzzer harness of tests/fuzz for FUZZ_SECONDS (default 60)
#   make bench    run the benchmarks and rewrite bench/BENCHMARKS.md
#   make install  the library, headers, iotnet.pc, CLI and data under PREFIX (DESTDIR)

SHELL := /bin/bash
CC ?= cc
PYTHON ?= python3
BUILD := build
ASAN_BUILD := build-asan
VENV := .venv
VPY := $(VENV)/bin/python
# the data the library reads at run time (yang/, catalogs/): the binaries of
# build/ read the source tree's; make install compiles in PREFIX/share/iotnet
DATA_DIR := $(abspath models)
PREFIX ?= /usr/local
PKGS := igraph libyang libxml-2.0 libgvc libcgraph

# clang and its runtime with libFuzzer: make fuzz and the fuzz-smoke of make test
FUZZ_APT_PACKAGES := clang libclang-rt-14-dev
# python3-cffi-backend: the wheel test's fresh virtualenv runs on the system's cffi
APT_PACKAGES := build-essential pkg-config libigraph-dev libyang2-dev libyang-tools \
                libxml2-dev libcriterion-dev graphviz libgraphviz-dev python3-venv python3-dev \
                python3-cffi-backend \
                ruby-kramdown-rfc2629 $(FUZZ_APT_PACKAGES)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CSTD := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
DEPCFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# SVG is drawn with Graphviz's dot layout and core renderer linked in (see
# libiotnet/src/emit_svg.c); they live in Graphviz's plugin directory
GV_PLUGIN_DIR = $(shell pkg-config --variable=libdir libgvc 2>/dev/null)/graphviz
GV_PLUGINS = -L$(GV_PLUGIN_DIR) -lgvplugin_dot_layout -lgvplugin_core -Wl,-rpath,$(GV_PLUGIN_DIR)
DEPLIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(GV_PLUGINS) -lm -lpthread
INCLUDES := -Ilibiotnet/include -Ilibiotnet/src
# libyang tells no version at run time: its release is compiled in for iotnet --version
DEFINES = -DIOTNET_DEFAULT_DATA_DIR='"$(DATA_DIR)"' -DIOTNET_LIBYANG_VERSION='"$(shell pkg-config --modversion libyang 2>/dev/null)"'
CFLAGS_COMMON = $(CSTD) $(WARN) $(INCLUDES) $(DEFINES) $(DEPCFLAGS) -fPIC
OPT_CFLAGS := -O2 -g
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

LIB_SRC := $(wildcard libiotnet/src/*.c)
CLI_SRC := $(wildcard libiotnet/tools/*.c)
HEADERS := $(wildcard libiotnet/include/iotnet/*.h) $(wildcard libiotnet/src/*.h)
TEST_SRC := $(wildcard tests/c/test_*.c)

LIB_OBJ := $(LIB_SRC:libiotnet/src/%.c=$(BUILD)/obj/%.o)
ASAN_OBJ := $(LIB_SRC:libiotnet/src/%.c=$(ASAN_BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:libiotnet/tools/%.c=$(BUILD)/cli/%.o)
TESTS := $(TEST_SRC:tests/c/%.c=$(BUILD)/tests/%)
ASAN_TESTS := $(TEST_SRC:tests/c/%.c=$(ASAN_BUILD)/tests/%)

.PHONY: all lib cli demo test test-c test-c-asan test-python test-notebooks test-headers \
        test-yang test-fuzz-corpus fuzz fuzz-smoke setup-fuzz bench setup setup-system setup-python python clean \
        install uninstall FORCE

all: lib cli

lib: $(BUILD)/libiotnet.so $(BUILD)/libiotnet.a
cli: $(BUILD)/iotnet

# ---- set-up (idempotent; quick when already done) ----------------------
setup: setup-system setup-python

setup-system:
	@bash .ci/setup-system $(APT_PACKAGES)

setup-python: $(VENV)/.stamp

$(VENV)/.stamp: requirements-dev.txt
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -r requirements-dev.txt
	@touch $@

# ---- library and CLI ---------------------------------------------------
$(BUILD)/obj/%.o: libiotnet/src/%.c $(HEADERS) | setup-system
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(OPT_CFLAGS) -c $< -o $@

$(ASAN_BUILD)/obj/%.o: libiotnet/src/%.c $(HEADERS) | setup-system
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(ASAN_CFLAGS) -c $< -o $@

$(BUILD)/libiotnet.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(ASAN_BUILD)/libiotnet.a: $(ASAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libiotnet.so: $(LIB_OBJ)
	$(CC) -shared -o $@ $^ $(DEPLIBS)

$(BUILD)/cli/%.o: libiotnet/tools/%.c $(HEADERS) $(wildcard libiotnet/tools/*.h) | setup-system
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(OPT_CFLAGS) -c $< -o $@

$(BUILD)/iotnet: $(CLI_OBJ) $(BUILD)/libiotnet.a
	$(CC) -o $@ $(CLI_OBJ) $(BUILD)/libiotnet.a $(DEPLIBS)

# ---- Python package ----------------------------------------------------
python: $(VENV)/.installed

$(VENV)/.installed: $(VENV)/.stamp $(LIB_SRC) $(HEADERS) $(CLI_SRC) $(wildcard libiotnet/tools/*.h) \
                    setup.py pyproject.toml MANIFEST.in bindings/iotnet_build.py bindings/cdefgen.py \
                    $(wildcard bindings/python/iotnet/*.py) $(wildcard models/yang/*.yang) \
                    $(wildcard models/catalogs/*.xml models/catalogs/schema/*)
	$(VPY) -m pip install -q --no-build-isolation --no-deps .
	@touch $@

# ---- installation ------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=staging-root]: the shared and
# static library, the headers, iotnet.pc, the CLI, and the YANG modules and
# catalogs in PREFIX/share/iotnet, the data directory compiled into what is
# installed (IOTNET_DATA_DIR names it when the tree is moved, e.g. after DESTDIR)
VERSION := 0.1.0
SOVERSION := 0
BINDIR = $(PREFIX)/bin
LIBDIR = $(PREFIX)/lib
INCLUDEDIR = $(PREFIX)/include
DATADIR = $(PREFIX)/share/iotnet
INSTALL_BUILD := $(BUILD)/install
SONAME := libiotnet.so.$(SOVERSION)
# library.o holds the data directory: the installed library has its own
INSTALL_OBJ = $(filter-out $(BUILD)/obj/library.o,$(LIB_OBJ)) $(INSTALL_BUILD)/library.o

# rewritten only when the data directory changes, so that library.o follows it
$(INSTALL_BUILD)/datadir: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@

$(INSTALL_BUILD)/library.o: DATA_DIR = $(DATADIR)
$(INSTALL_BUILD)/library.o: libiotnet/src/library.c $(HEADERS) $(INSTALL_BUILD)/datadir | setup-system
	$(CC) $(CFLAGS_COMMON) $(OPT_CFLAGS) -c $< -o $@

$(INSTALL_BUILD)/libiotnet.a: $(INSTALL_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(INSTALL_BUILD)/libiotnet.so.$(VERSION): $(INSTALL_OBJ)
	$(CC) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(DEPLIBS)

$(INSTALL_BUILD)/iotnet: $(CLI_OBJ) $(INSTALL_BUILD)/libiotnet.a
	$(CC) -o $@ $(CLI_OBJ) $(INSTALL_BUILD)/libiotnet.a $(DEPLIBS)

# directories below PREFIX are written as ${prefix}/..., so that
# pkg-config --define-variable=prefix=... finds a staged or moved tree
pc_path = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

$(INSTALL_BUILD)/iotnet.pc: libiotnet/iotnet.pc.in $(INSTALL_BUILD)/datadir Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(call pc_path,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pc_path,$(INCLUDEDIR))|; s|@DATADIR@|$(call pc_path,$(DATADIR))|' \
	    -e 's|@GV_PLUGIN_DIR@|$(GV_PLUGIN_DIR)|; s|@VERSION@|$(VERSION)|' $< > $@

install: $(INSTALL_BUILD)/libiotnet.a $(INSTALL_BUILD)/libiotnet.so.$(VERSION) $(INSTALL_BUILD)/iotnet \
         $(INSTALL_BUILD)/iotnet.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/iotnet \
	    $(DESTDIR)$(DATADIR)/yang $(DESTDIR)$(DATADIR)/catalogs/schema
	install -m 755 $(INSTALL_BUILD)/iotnet $(DESTDIR)$(BINDIR)/
	install -m 644 $(INSTALL_BUILD)/libiotnet.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(INSTALL_BUILD)/libiotnet.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libiotnet.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libiotnet.so
	install -m 644 $(INSTALL_BUILD)/iotnet.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 libiotnet/include/iotnet/*.h $(DESTDIR)$(INCLUDEDIR)/iotnet/
	install -m 644 models/yang/*.yang $(DESTDIR)$(DATADIR)/yang/
	install -m 644 models/catalogs/*.xml models/catalogs/README.md $(DESTDIR)$(DATADIR)/catalogs/
	install -m 644 models/catalogs/schema/catalog.rng $(DESTDIR)$(DATADIR)/catalogs/schema/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/iotnet $(DESTDIR)$(LIBDIR)/libiotnet.a $(DESTDIR)$(LIBDIR)/libiotnet.so \
	    $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libiotnet.so.$(VERSION) \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/iotnet.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/iotnet $(DESTDIR)$(DATADIR)

FORCE:

# ---- the main job ------------------------------------------------------
HOME_MODEL := models/topologies/home.xml

demo: setup all python
	$(BUILD)/iotnet validate $(HOME_MODEL) $(wildcard models/catalogs/*.xml)
	$(BUILD)/iotnet info $(HOME_MODEL)
	$(BUILD)/iotnet reach $(HOME_MODEL) --from internet
	$(BUILD)/iotnet reach $(HOME_MODEL) --from cgnat-neighbour --to cam-porch --service tcp/80 --explain
	@# exit 1 means findings only (open threats, violations, gaps): expected here; a model
	@# or catalog that does not load exits 3 and fails the demo, as it fails a CI step
	$(BUILD)/iotnet analyze $(HOME_MODEL) || [ $$? -eq 1 ]
	$(BUILD)/iotnet zones $(HOME_MODEL) || [ $$? -eq 1 ]
	@mkdir -p $(BUILD)/demo
	$(BUILD)/iotnet export $(HOME_MODEL) --format graphml -o $(BUILD)/demo/home.graphml
	$(BUILD)/iotnet export $(HOME_MODEL) --format dot -o $(BUILD)/demo/home.dot
	$(BUILD)/iotnet export $(HOME_MODEL) --format svg --exposure --findings -o $(BUILD)/demo/home.svg
	$(BUILD)/iotnet analyze $(HOME_MODEL) --format json -o $(BUILD)/demo/home-findings.json || [ $$? -eq 1 ]
	$(BUILD)/iotnet table $(HOME_MODEL) --format draft-xml -o $(BUILD)/demo/draft-home.xml
	$(BUILD)/iotnet compliance $(HOME_MODEL) --framework iso27001-2022 --format soa -o $(BUILD)/demo/home-soa.csv || [ $$? -eq 1 ]
	$(BUILD)/iotnet compliance models/topologies/plant.xml --framework iec62443-3-3 || [ $$? -eq 1 ]
	@echo "exports, findings and a draft of tables written to $(BUILD)/demo/"

# ---- tests -------------------------------------------------------------
test: setup all python
	@$(MAKE) --no-print-directory test-headers test-c test-c-asan test-fuzz-corpus fuzz-smoke test-yang test-python test-notebooks

$(BUILD)/tests/%: tests/c/%.c $(BUILD)/libiotnet.a tests/c/helpers.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(OPT_CFLAGS) -Itests/c -DIOTNET_TEST_DIR='"$(abspath tests)"' \
	    -DIOTNET_SHARED_DIR='"$(abspath ../shared)"' -DIOTNET_MODELS_DIR='"$(abspath models)"' \
	    $< -o $@ $(BUILD)/libiotnet.a $(DEPLIBS) -lcriterion

$(ASAN_BUILD)/tests/%: tests/c/%.c $(ASAN_BUILD)/libiotnet.a tests/c/helpers.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(ASAN_CFLAGS) -Itests/c -DIOTNET_TEST_DIR='"$(abspath tests)"' \
	    -DIOTNET_SHARED_DIR='"$(abspath ../shared)"' -DIOTNET_MODELS_DIR='"$(abspath models)"' \
	    $< -o $@ $(ASAN_BUILD)/libiotnet.a $(DEPLIBS) -lcriterion

test-c: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== $$t"; $$t --jobs 2; done

# Graphviz leaks a little in its dot layout (tests/lsan-graphviz.supp says
# what); the suites that draw SVG unwind malloc stacks fully, as libgvc has no
# frame pointers and the suppressions must see its frames
LSAN_SUPPRESSIONS := $(abspath tests/lsan-graphviz.supp)
GRAPHVIZ_ASAN_TESTS := $(ASAN_BUILD)/tests/test_emit

test-c-asan: $(ASAN_TESTS)
	@set -e; for t in $(ASAN_TESTS); do echo "== $$t (asan)"; \
	    unwind=""; case " $(GRAPHVIZ_ASAN_TESTS) " in *" $$t "*) unwind=":fast_unwind_on_malloc=0";; esac; \
	    ASAN_OPTIONS=detect_leaks=1$$unwind LSAN_OPTIONS=suppressions=$(LSAN_SUPPRESSIONS) \
	    UBSAN_OPTIONS=print_stacktrace=1 $$t --jobs 2; done

# ---- fuzzing -------------------------------------------------------------
# One libFuzzer harness per tests/fuzz/fuzz_NAME.c: the loaders (topology, mud,
# catalog), the writers over fuzzed models (export: GraphML, DOT, SVG; table:
# tables and drafts; oscal), reach, analyze and diff on fuzzed models, and the
# text parsers (flows, CIDR, dates). Each has a seed corpus, which
# test-fuzz-corpus replays under ASan/UBSan in every test run.
FUZZ_HARNESSES := topology mud catalog export table oscal reach analyze diff parsers
FUZZ_MODEL_HARNESSES := topology export table oscal reach analyze diff

# models: every test input and bundled topology, and the inputs fuzzing found
FUZZ_CORPUS = $(wildcard tests/data/*/*.json tests/data/*/*.xml models/topologies/*.xml \
                         tests/data/fuzz/models/*.json tests/data/fuzz/models/*.xml)
# MUD files: our examples, the test inputs and, when it is beside the checkout, the shared corpus
MUD_FUZZ_CORPUS = $(wildcard models/mud/*.json tests/data/mud/*/*.json ../shared/corpus/mud/*/*.json)
# catalogs: the bundled ones and the test inputs
CATALOG_FUZZ_CORPUS = $(wildcard models/catalogs/*.xml tests/data/catalogs/*.xml tests/data/catalogs/*/*.xml)
# text for the parsers; pairs of models split as fuzz_diff.c says
PARSERS_FUZZ_CORPUS = $(wildcard tests/data/fuzz/parsers/*)
DIFF_FUZZ_CORPUS = $(wildcard tests/data/fuzz/diff/*) $(FUZZ_CORPUS)

$(foreach h,$(FUZZ_MODEL_HARNESSES),$(eval FUZZ_SEEDS_$(h) = $$(FUZZ_CORPUS)))
FUZZ_SEEDS_mud = $(MUD_FUZZ_CORPUS) $(FUZZ_CORPUS)
FUZZ_SEEDS_catalog = $(CATALOG_FUZZ_CORPUS)
FUZZ_SEEDS_parsers = $(PARSERS_FUZZ_CORPUS)
FUZZ_SEEDS_diff = $(DIFF_FUZZ_CORPUS)
FUZZ_MAX_LEN_diff = 131072

# the harnesses that draw SVG meet Graphviz's own leaks (see test-c-asan):
# replays unwind fully for the precise suppressions; libFuzzer runs unwind
# fast, with the broader suppressions of tests/fuzz/lsan-graphviz-fast.supp,
# and their corpus is replayed precisely afterwards
FUZZ_GRAPHVIZ_HARNESSES := export
fuzz_graphviz = $(filter $(1),$(FUZZ_GRAPHVIZ_HARNESSES))
fuzz_asan_options = detect_leaks=1$(if $(call fuzz_graphviz,$(1)),:fast_unwind_on_malloc=0)
fuzz_lsan_options = LSAN_OPTIONS=print_suppressions=0:suppressions=$(if $(1),$(abspath tests/fuzz/lsan-graphviz-fast.supp),$(LSAN_SUPPRESSIONS))
FUZZ_ENV = $(call fuzz_lsan_options) UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# the seed corpus replayed by each harness under ASan/UBSan, without a fuzzing compiler
FUZZ_REPLAYS := $(FUZZ_HARNESSES:%=$(ASAN_BUILD)/fuzz_replay_%)

$(ASAN_BUILD)/fuzz_replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz_model.h $(ASAN_BUILD)/libiotnet.a
	$(CC) $(CFLAGS_COMMON) $(ASAN_CFLAGS) $(filter %.c %.a,$^) -o $@ $(DEPLIBS)

test-fuzz-corpus: $(FUZZ_REPLAYS)
	@$(foreach h,$(FUZZ_HARNESSES),echo "== fuzz replay: $(h)" && \
	    ASAN_OPTIONS=$(call fuzz_asan_options,$(h)) $(FUZZ_ENV) $(ASAN_BUILD)/fuzz_replay_$(h) $(FUZZ_SEEDS_$(h)) &&) true

# coverage-guided fuzzing with libFuzzer (clang): the library is built once
# with coverage and sanitizers, each harness links it; each runs
# FUZZ_SECONDS on its own corpus in build-fuzz/corpus-NAME, seeded from the
# files above (new inputs are kept there, the seeds are not changed)
FUZZ_BUILD := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_CFLAGS = $(CSTD) -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined $(INCLUDES) $(DEFINES) $(DEPCFLAGS)
FUZZ_OBJ := $(LIB_SRC:libiotnet/src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BINS := $(FUZZ_HARNESSES:%=$(FUZZ_BUILD)/fuzz_%)

setup-fuzz:
	@bash .ci/setup-system $(FUZZ_APT_PACKAGES)

$(FUZZ_BUILD)/obj/%.o: libiotnet/src/%.c $(HEADERS) | setup-fuzz
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/libiotnet.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_model.h $(FUZZ_BUILD)/libiotnet.a
	clang $(FUZZ_CFLAGS) $(WARN) -fsanitize=fuzzer $< $(FUZZ_BUILD)/libiotnet.a -o $@ $(DEPLIBS)

# run_fuzzer(NAME, SECONDS): one harness on its corpus; a crash, leak, hang
# or UBSan report stops it with its input saved as build-fuzz/crash-NAME-*
# and fails the target. A hang is an input over 60 s: the largest models
# take a few seconds through OSCAL under ASan, more on a busy machine
define run_fuzzer
	@mkdir -p $(FUZZ_BUILD)/corpus-$(1) $(FUZZ_BUILD)/seeds-$(1)
	@rm -f $(FUZZ_BUILD)/seeds-$(1)/*
	@for f in $(FUZZ_SEEDS_$(1)); do cp "$$f" "$(FUZZ_BUILD)/seeds-$(1)/$$(echo "$$f" | tr / _)"; done
	@echo "== fuzz $(1): $(2) s"
	cd $(FUZZ_BUILD) && ASAN_OPTIONS=detect_leaks=1 $(call fuzz_lsan_options,$(call fuzz_graphviz,$(1))) \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ./fuzz_$(1) \
	    -max_total_time=$(2) -max_len=$(or $(FUZZ_MAX_LEN_$(1)),65536) -timeout=60 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=crash-$(1)- corpus-$(1) seeds-$(1)
	$(if $(call fuzz_graphviz,$(1)),@echo "== fuzz $(1): the corpus replayed with full unwinding" && \
	    find $(FUZZ_BUILD)/corpus-$(1) -type f -print0 | ASAN_OPTIONS=$(call fuzz_asan_options,$(1)) \
	    $(FUZZ_ENV) xargs -0 -r -n 200 $(ASAN_BUILD)/fuzz_replay_$(1))

endef

fuzz: $(FUZZ_BINS) $(FUZZ_GRAPHVIZ_HARNESSES:%=$(ASAN_BUILD)/fuzz_replay_%)
	$(foreach h,$(FUZZ_HARNESSES),$(call run_fuzzer,$(h),$(FUZZ_SECONDS)))

# a short run of every harness, in make test
fuzz-smoke: $(FUZZ_BINS) $(FUZZ_GRAPHVIZ_HARNESSES:%=$(ASAN_BUILD)/fuzz_replay_%)
	$(foreach h,$(FUZZ_HARNESSES),$(call run_fuzzer,$(h),$(FUZZ_SMOKE_SECONDS)))

# every public header compiles on its own, pedantically
test-headers:
	@set -e; for h in libiotnet/include/iotnet/*.h; do \
	    echo "#include \"iotnet/$$(basename $$h)\"" | \
	    $(CC) -std=c11 -Wall -Wextra -Werror -pedantic -Ilibiotnet/include -x c -fsyntax-only -; \
	done; echo "headers: each compiles alone"

test-yang:
	@yanglint -p models/yang models/yang/*.yang >/dev/null && echo "yang: modules clean under yanglint"
	@if [ -x ../shared/tools/yang-parity ]; then \
	    ../shared/tools/yang-parity --ours models/yang; \
	else \
	    echo "yang-parity: skipped, ../shared not beside this checkout"; \
	fi

# the peers' tests compare against the benchmark programs, so those are built too
test-python: python lib cli
	@$(MAKE) --no-print-directory -C bench programs >/dev/null
	$(VPY) -m pytest -q tests/python

test-notebooks: python
	$(VPY) -m pytest -q tests/notebooks

# ---- benchmarks --------------------------------------------------------
bench: setup all python
	$(MAKE) --no-print-directory -C bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz *.egg-info
