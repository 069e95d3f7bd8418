# libiotnet — the front door.
#   make          build the library (shared + static) and the iotnet CLI
#   make demo     set up this machine, build, run the main job on the bundled home network
#   make test     set up, build, run the C tests (plain and ASan/UBSan), Python tests, notebooks
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

# python3-cffi-backend: the wheel test's fresh virtualenv runs on the system's cffi
APT_PACKAGES := build-essential pkg-config libigraph-dev libyang2-dev libyang-tools \
                libxml2-dev libcriterion-dev graphviz libgraphviz-dev python3-venv python3-dev \
                python3-cffi-backend \
                ruby-kramdown-rfc2629

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
        test-yang test-fuzz-corpus fuzz bench setup setup-system setup-python python clean \
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
	@$(MAKE) --no-print-directory test-headers test-c test-c-asan test-fuzz-corpus test-yang test-python test-notebooks

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

# the fuzz harnesses over the seed corpus (every test input), under ASan/UBSan
FUZZ_CORPUS = $(wildcard tests/data/*/*.json tests/data/*/*.xml models/topologies/*.xml)

$(ASAN_BUILD)/fuzz_replay: tests/fuzz/fuzz_topology.c tests/fuzz/replay.c $(ASAN_BUILD)/libiotnet.a
	$(CC) $(CFLAGS_COMMON) $(ASAN_CFLAGS) $^ -o $@ $(DEPLIBS)

# MUD files: our examples, the test inputs and, when it is beside the checkout, the shared corpus
MUD_FUZZ_CORPUS = $(wildcard models/mud/*.json tests/data/mud/*/*.json ../shared/corpus/mud/*/*.json)

$(ASAN_BUILD)/fuzz_replay_mud: tests/fuzz/fuzz_mud.c tests/fuzz/replay.c $(ASAN_BUILD)/libiotnet.a
	$(CC) $(CFLAGS_COMMON) $(ASAN_CFLAGS) $^ -o $@ $(DEPLIBS)

# catalogs: the bundled ones and the test inputs
CATALOG_FUZZ_CORPUS = $(wildcard models/catalogs/*.xml tests/data/catalogs/*.xml tests/data/catalogs/*/*.xml)

$(ASAN_BUILD)/fuzz_replay_catalog: tests/fuzz/fuzz_catalog.c tests/fuzz/replay.c $(ASAN_BUILD)/libiotnet.a
	$(CC) $(CFLAGS_COMMON) $(ASAN_CFLAGS) $^ -o $@ $(DEPLIBS)

test-fuzz-corpus: $(ASAN_BUILD)/fuzz_replay $(ASAN_BUILD)/fuzz_replay_mud $(ASAN_BUILD)/fuzz_replay_catalog
	@ASAN_OPTIONS=detect_leaks=1 $< $(FUZZ_CORPUS)
	@ASAN_OPTIONS=detect_leaks=1 $(ASAN_BUILD)/fuzz_replay_mud $(MUD_FUZZ_CORPUS) $(FUZZ_CORPUS)
	@ASAN_OPTIONS=detect_leaks=1 $(ASAN_BUILD)/fuzz_replay_catalog $(CATALOG_FUZZ_CORPUS)

# coverage-guided fuzzing with libFuzzer (clang); FUZZ_SECONDS per run
FUZZ_SECONDS ?= 60
fuzz:
	@bash .ci/setup-system clang libclang-rt-14-dev
	@mkdir -p build-fuzz/corpus
	clang $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined $(INCLUDES) $(DEFINES) $(DEPCFLAGS) \
	    tests/fuzz/fuzz_topology.c $(LIB_SRC) -o build-fuzz/fuzz_topology $(DEPLIBS)
	build-fuzz/fuzz_topology -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/corpus $(dir $(FUZZ_CORPUS))
	@mkdir -p build-fuzz/corpus-mud
	clang $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined $(INCLUDES) $(DEFINES) $(DEPCFLAGS) \
	    tests/fuzz/fuzz_mud.c $(LIB_SRC) -o build-fuzz/fuzz_mud $(DEPLIBS)
	build-fuzz/fuzz_mud -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/corpus-mud $(sort $(dir $(MUD_FUZZ_CORPUS)))
	@mkdir -p build-fuzz/corpus-catalog
	clang $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined $(INCLUDES) $(DEFINES) $(DEPCFLAGS) \
	    tests/fuzz/fuzz_catalog.c $(LIB_SRC) -o build-fuzz/fuzz_catalog $(DEPLIBS)
	build-fuzz/fuzz_catalog -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/corpus-catalog $(sort $(dir $(CATALOG_FUZZ_CORPUS)))

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
