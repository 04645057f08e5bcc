# DeepStack: two commands from a fresh Debian 12 machine.
#   make demo   installs what is missing, builds, runs examples/flagship.ds
#   make test   installs what is missing, builds, runs every test
BUILD ?= build
JOBS ?= $(shell nproc)
DEEPSTACK = $(BUILD)/bin/deepstack

.PHONY: all deps configure build demo test test-asan test-tsan fuzz bench validate docs clean

all: build

deps:
	@./tools/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(DEEPSTACK) report examples/flagship.ds

# Unit tests first (quick), then lit, whose summary ends the output.
test: build
	$(BUILD)/bin/deepstack-unittests --gtest_brief=1
	python3 /usr/lib/llvm-14/build/utils/lit/lit.py -sv $(BUILD)/test

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DDEEPSTACK_SANITIZE=ON -DDEEPSTACK_BENCH=OFF
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:detect_container_overflow=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/test/lsan.supp:print_suppressions=0 \
	  build-asan/bin/deepstack-unittests --gtest_brief=1
	ASAN_OPTIONS=detect_leaks=1:detect_container_overflow=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/test/lsan.supp:print_suppressions=0 \
	  python3 /usr/lib/llvm-14/build/utils/lit/lit.py -sv build-asan/test

# libFuzzer targets (test/fuzz): the front end, front end + evaluation of
# every design, and sweep expansion with a bounded search; each runs for
# FUZZ_SECONDS (default 120) and prints its executions.
FUZZ_SECONDS ?= 120
FUZZERS = deepstack-fuzz-frontend deepstack-fuzz-evaluate deepstack-fuzz-sweep
fuzz: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDEEPSTACK_FUZZ=ON -DDEEPSTACK_BENCH=OFF
	cmake --build build-fuzz -j $(JOBS) --target $(FUZZERS)
	./tools/run-fuzzer.sh $(FUZZ_SECONDS) $(addprefix build-fuzz/bin/,$(FUZZERS))

bench: build
	$(BUILD)/bin/deepstack-bench
	$(BUILD)/bin/deepstack-bench-runtime --benchmark_filter='Mix|Stack|Gemm|Thermal|Chip'
	$(BUILD)/bin/deepstack-bench-compute
	$(BUILD)/bin/deepstack-bench-network
	$(BUILD)/bin/deepstack-bench-design
	$(BUILD)/bin/deepstack-bench-instantiator
	$(BUILD)/bin/deepstack-bench-sweep

# ThreadSanitizer over the unit tests and the lit suite (the sweep runs
# its workers on threads; MPI ranks are separate processes).
test-tsan: deps
	cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DDEEPSTACK_TSAN=ON -DDEEPSTACK_BENCH=OFF
	cmake --build build-tsan -j $(JOBS)
	TSAN_OPTIONS=halt_on_error=1:suppressions=$(CURDIR)/test/tsan.supp \
	  build-tsan/bin/deepstack-unittests --gtest_brief=1
	TSAN_OPTIONS=halt_on_error=1:suppressions=$(CURDIR)/test/tsan.supp \
	  python3 /usr/lib/llvm-14/build/utils/lit/lit.py -sv build-tsan/test

# docs/fields.md from the schema tables (the build writes build/docs/fields.md).
docs: build
	cp $(BUILD)/docs/fields.md docs/fields.md

# The model's error against every reference file the tool understands.
validate: build
	$(DEEPSTACK) validate data/reference/dram/*.csv data/reference/collectives/*.csv data/reference/vllm/*.csv data/reference/kernels/*.csv

clean:
	rm -rf $(BUILD) build-asan build-fuzz
