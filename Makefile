# Thin wrapper around Meson: install what is missing, configure, build, test.
# `make demo` and `make check` are the README's two commands.

BUILD       ?= build
ASAN_BUILD  ?= build-asan
CLANG_BUILD ?= build-clang
MESON      ?= meson

# Debian packages the build and the tests need (tools/deps.sh installs the missing ones).
DEPS = meson ninja-build gcc libc6-dev clang pkg-config python3 libseccomp-dev libjansson-dev \
       libcmocka-dev linux-libc-dev crun bubblewrap busybox-static strace \
       coreutils iproute2 util-linux xz-utils scdoc \
       bash zsh fish skopeo python3-yaml \
       libbpf-dev bpftool podman runc containerd

.PHONY: all deps build demo check test test-asan install clean regen

all: build

deps:
	@tools/deps.sh $(DEPS)

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) </dev/null

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false </dev/null

$(CLANG_BUILD)/build.ninja:
	CC=clang $(MESON) setup $(CLANG_BUILD) </dev/null

build: deps $(BUILD)/build.ninja
	$(MESON) compile -C $(BUILD)

demo: build
	@tools/demo.sh $(BUILD)

# Builds with gcc and clang (-Werror: warning-clean with both), runs the suite twice (plain,
# then ASan+UBSan) and ends with `N passed, N failed`.
check: deps $(BUILD)/build.ninja $(ASAN_BUILD)/build.ninja $(CLANG_BUILD)/build.ninja
	$(MESON) compile -C $(BUILD)
	$(MESON) compile -C $(CLANG_BUILD)
	$(MESON) compile -C $(ASAN_BUILD)
	-$(MESON) test -C $(BUILD) --print-errorlogs --num-processes 2
	-ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(MESON) test -C $(ASAN_BUILD) --print-errorlogs --num-processes 2 --no-suite slow
	@python3 tools/test-summary.py $(BUILD)/meson-logs/testlog.json $(ASAN_BUILD)/meson-logs/testlog.json

test: build
	$(MESON) test -C $(BUILD) --print-errorlogs

install: build
	$(MESON) install -C $(BUILD)

# Regenerate the checked-in tables in data/gen from data/third_party/kernel and the uapi headers.
regen: deps
	python3 tools/gen-prototypes.py
	python3 tools/gen-syscalls.py
	python3 tools/gen-constants.py

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(CLANG_BUILD)
