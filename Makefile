# Microdata: `make demo` runs the main job on the bundled example; `make test` runs every test.
SWIFT ?= swift
APT_PACKAGES := libxml2-dev zlib1g-dev libglpk-dev libreadstat-dev libxlsxwriter-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release demo test clean

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

release: deps
	$(SWIFT) build -c release

demo: release
	$$($(SWIFT) build -c release --show-bin-path)/microdata demo --output-dir microdata-demo

test: deps
	$(SWIFT) test

clean:
	rm -rf .build
