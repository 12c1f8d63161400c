# vigil - build, run and test.
#
#   make run     install missing packages, build, start the agent (stable presets, alerts on stdout)
#   make test    install missing packages, build, run every test (unit, kernel, VM)
#   make         build ./build/vigil
#   make asan    unit tests under AddressSanitizer + UBSan
#   make fuzz    short bounded fuzzing of the rule parser, YAML loader, compiler and captures
#   make vmtest  kernel-feature tests in a VM booting Debian's cloud kernel
#   make bench   the benchmarks in bench/ (results go to docs/performance.md by hand)
#
# The BPF side is compiled with clang against a vmlinux.h dumped from the
# running kernel's BTF, and embedded into the binary as a libbpf skeleton;
# CO-RE relocations let the same binary run on other kernels with BTF.

CC      ?= gcc
CLANG   ?= clang
BPFTOOL ?= bpftool
B       := build
PREFIX  ?= /usr/local

CFLAGS_BASE := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I$(B) -Ibpf -Iengine -Irules
CFLAGS  ?= -O2 -g
LIBS    := -lbpf -lelf -lz -lyaml -lpcre2-8 -ljansson -lpthread
SHARE   := $(PREFIX)/share/vigil

ENGINE_SRC := $(filter-out engine/main.c,$(wildcard engine/*.c))
RULES_SRC  := $(wildcard rules/*.c)
LIB_SRC    := $(ENGINE_SRC) $(RULES_SRC)
LIB_OBJ    := $(LIB_SRC:%.c=$(B)/%.o)
BPF_SRC    := bpf/vigil.bpf.c
BPF_HDR    := $(wildcard bpf/*.h)
SKELS      := $(B)/vigil.skel.h $(B)/probe.skel.h
TEST_SRC   := $(wildcard tests/unit/test_*.c)
TEST_BIN   := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(B)/helpers/%)

.SECONDARY:

.PHONY: all deps test-deps run test unit kernel-tests vmtest asan fuzz bench clean install

all: $(B)/vigil

deps:
	@sh scripts/install-deps.sh

test-deps:
	@sh scripts/install-deps.sh --test

run: deps
	@$(MAKE) --no-print-directory all
	$(B)/vigil run

test: test-deps
	@$(MAKE) --no-print-directory all tests-build
	@sh tests/run-all.sh

tests-build: $(TEST_BIN) $(HELPER_BIN)

unit: tests-build
	@sh tests/run-all.sh --unit

kernel-tests: all tests-build
	@sh tests/run-all.sh --kernel

vmtest: all tests-build
	@sh tests/run-all.sh --vm

# --- BPF ------------------------------------------------------------------------

$(B)/vmlinux.h:
	@mkdir -p $(B)
	@echo "  GEN     $@"
	@$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(B)/%.bpf.o: bpf/%.bpf.c $(BPF_HDR) $(B)/vmlinux.h
	@echo "  BPF     $<"
	@$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -I$(B) -Ibpf -Wall -Werror -c $< -o $@.tmp.o
	@$(BPFTOOL) gen object $@ $@.tmp.o && rm -f $@.tmp.o

$(B)/%.skel.h: $(B)/%.bpf.o
	@echo "  GEN     $@"
	@$(BPFTOOL) gen skeleton $< name $*_bpf > $@.tmp && mv $@.tmp $@

# --- userspace ------------------------------------------------------------------

$(B)/%.o: %.c $(SKELS) $(wildcard engine/*.h rules/*.h) $(BPF_HDR)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BASE) $(CFLAGS) -DVIGIL_SHARE_DIR='"$(SHARE)"' -c $< -o $@

$(B)/libvigil.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/vigil: $(B)/engine/main.o $(B)/libvigil.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libvigil.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS_BASE) $(CFLAGS) -Itests/unit -o $@ $< $(B)/libvigil.a $(LIBS) -lcmocka

$(B)/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	@echo "  HELPER  $@"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -static -o $@ $<

# --- sanitizers, fuzzing, benchmarks ----------------------------------------------

asan: test-deps
	$(MAKE) --no-print-directory B=build-asan \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		tests-build
	@B=build-asan sh tests/run-all.sh --unit

fuzz: test-deps
	@sh tests/fuzz/run.sh

# bench/*.c are small workload and timing programs; bench/empty.bpf.c is the
# do-nothing program the syscall benchmark compares vigil's hooks with.
BENCH_BIN := $(B)/bench/empty_attach $(B)/bench/timed_run $(B)/bench/spawn_true $(B)/bench/open_storm \
	$(B)/bench/first_alert $(B)/bench/kill_latency

bench: all $(BENCH_BIN)
	@sh bench/run.sh

$(B)/bench/empty.bpf.o: bench/empty.bpf.c $(B)/vmlinux.h
	@mkdir -p $(dir $@)
	@echo "  BPF     $<"
	@$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -I$(B) -Wall -Werror -c $< -o $@.tmp.o
	@$(BPFTOOL) gen object $@ $@.tmp.o && rm -f $@.tmp.o

$(B)/bench/empty.skel.h: $(B)/bench/empty.bpf.o
	@echo "  GEN     $@"
	@$(BPFTOOL) gen skeleton $< name empty_bpf > $@.tmp && mv $@.tmp $@

$(B)/bench/empty_attach: bench/empty_attach.c $(B)/bench/empty.skel.h
	@echo "  BENCH   $@"
	@$(CC) $(CFLAGS_BASE) $(CFLAGS) -I$(B)/bench -o $@ $< -lbpf -lelf -lz

$(B)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $<

install: all
	install -D -m 0755 $(B)/vigil $(DESTDIR)$(PREFIX)/bin/vigil
	mkdir -p $(DESTDIR)$(SHARE)/presets
	cp presets/*.yaml $(DESTDIR)$(SHARE)/presets/

clean:
	rm -rf build build-asan build-fuzz
