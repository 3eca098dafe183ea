# Microdata: `make demo` runs the main job on the bundled example; `make test` runs every test;
# `make install PREFIX=…` installs a binary that needs no Swift toolchain (see README).
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
APT_PACKAGES := libxml2-dev zlib1g-dev libglpk-dev libreadstat-dev libxlsxwriter-dev
# Test only: python3-openpyxl (the independent reader scripts/check-xlsx.py opens every test workbook with),
# R haven/foreign (read back .dta/.sav outputs) and chromium (renders the release bundle's index.html headless).
TEST_APT_PACKAGES := python3-openpyxl r-base-core r-cran-haven r-cran-foreign chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test-deps build release demo test install check-static clean

# Installs the Debian packages in $(1), only those missing.
define apt_install
missing=""; for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  echo "Installing Debian packages:$$missing"; \
  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
fi
endef

# The Debian -dev packages the system-library targets link against.
deps:
	@$(call apt_install,$(APT_PACKAGES))

# What the tests need besides: the XLSX reader (a test fails, naming the package, when it is absent).
test-deps:
	@$(call apt_install,$(TEST_APT_PACKAGES))

build: deps
	$(SWIFT) build

# Static Swift runtime and the git version baked in (scripts/build-release.sh).
release: deps
	SWIFT=$(SWIFT) scripts/build-release.sh

demo: release
	$$($(SWIFT) build -c release --show-bin-path)/microdata demo --output-dir microdata-demo

# Swift Testing only: no XCTest pass printing "Executed 0 tests". The tests read .dta/.sav outputs back with R
# haven and foreign (StatFileWriterTests), and every XLSX with openpyxl (scripts/check-xlsx.py): test-deps installs
# them; without them those tests fail, unless MICRODATA_SKIP_R_TESTS=1 skips the R ones on purpose.
# One test at a time: run in parallel on 2 cores, a thousand tests share them and the tests that run the
# command line exceed their one-minute limits (50-60 of them on the 2026-12-05 VM); serially the run takes 6 min.
test: deps test-deps
	$(SWIFT) test --disable-xctest --no-parallel

# bin/microdata, share/microdata/Codebooks, man pages and shell completions under $(DESTDIR)$(PREFIX).
install: release
	scripts/install.sh "$$($(SWIFT) build -c release --show-bin-path)/microdata" "$(DESTDIR)$(PREFIX)"

# Installs into a temporary folder and runs the binary there with `env -i` (scripts/check-static-binary.sh).
check-static: deps
	scripts/check-static-binary.sh

clean:
	rm -rf .build
