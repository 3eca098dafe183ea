# Microdata: `make demo` runs the main job on the bundled example; `make test` runs every test;
# `make install PREFIX=…` installs a binary that needs no Swift toolchain (see README).
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
APT_PACKAGES := libxml2-dev zlib1g-dev libglpk-dev libreadstat-dev libxlsxwriter-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release demo test install check-static clean

# Installs the Debian -dev packages the system-library targets link against, only when one is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

# Static Swift runtime and the git version baked in (scripts/build-release.sh).
release: deps
	SWIFT=$(SWIFT) scripts/build-release.sh

demo: release
	$$($(SWIFT) build -c release --show-bin-path)/microdata demo --output-dir microdata-demo

# Swift Testing only: no XCTest pass printing "Executed 0 tests". The tests read .dta/.sav outputs back with R
# haven and foreign (StatFileWriterTests): installed here; without them those tests fail, unless
# MICRODATA_SKIP_R_TESTS=1 skips them on purpose.
TEST_APT_PACKAGES := r-base-core r-cran-haven r-cran-foreign
test: deps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(TEST_APT_PACKAGES)"
	$(SWIFT) test --disable-xctest

# bin/microdata, share/microdata/Codebooks, man pages and shell completions under $(DESTDIR)$(PREFIX).
install: release
	scripts/install.sh "$$($(SWIFT) build -c release --show-bin-path)/microdata" "$(DESTDIR)$(PREFIX)"

# Installs into a temporary folder and runs the binary there with `env -i` (scripts/check-static-binary.sh).
check-static: deps
	scripts/check-static-binary.sh

clean:
	rm -rf .build
