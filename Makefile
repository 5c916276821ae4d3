# sop — make targets
#   make demo    install prerequisites, build, and run the whole flow on a demo customer
#   make test    install prerequisites, build, and run every test (what CI runs)
#   make bench   install prerequisites, build release, run the benchmarks (BENCHMARKS.md)
#   make bench-serve  only the sop serve benchmark (wrk against sop serve and nginx)
#   make build   debug build of the sop binary (.build/debug/sop)
#   make release release build (.build/release/sop)
#   make docs    regenerate Documentation/Checks.md from the check catalog
#   make format  reformat Sources/ and Tests/ with the checked-in .swift-format
#   make lint    the format lint `make test` runs (swift format lint --strict)
#   make prereqs install missing apt/pip prerequisites (needs root or sudo)
#   make clean   remove build output

SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcmark-dev cmark sqlite3 libsqlite3-dev pkg-config git php-cli php-sqlite3 mediawiki hyperfine \
                libcurl4-openssl-dev libxml2-dev zlib1g-dev postgresql postgresql-client libpq-dev openssl \
                chromium chromium-driver python3-selenium
# Only the benchmarks need these (Tests/Harness/bench-serve.sh): `make bench` and `make bench-serve`
# add them to APT_PACKAGES for the prereqs they run. The policy-rc.d below keeps nginx's service
# from starting at install; the benchmark runs its own nginx on a free loopback port.
BENCH_APT_PACKAGES := wrk nginx
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test test-postgresql test-browser bench bench-serve build release docs format lint prereqs clean

prereqs:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  printf '#!/bin/sh\nexit 101\n' | $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null; $(SUDO) chmod +x /usr/sbin/policy-rc.d; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@python3 -c "import moto, boto3, flask, flask_cors" 2>/dev/null || python3 -m pip install -q 'moto[server]' boto3
	@command -v moto_server >/dev/null || python3 -m pip install -q 'moto[server]'
	@python3 -c "import selenium" 2>/dev/null || /usr/bin/python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
	@python3 -c "import icalendar" 2>/dev/null || python3 -m pip install -q icalendar

build: prereqs
	$(SWIFT) build --product sop

# Release binaries link the Swift runtime and Foundation statically: `sop --help` then starts
# in about half the time, because the dynamic loader no longer maps and relocates ~50 shared
# libraries (BENCHMARKS.md, start-up). Static FoundationNetworking/FoundationXML link against
# libcurl and libxml2, hence their -dev packages in APT_PACKAGES.
RELEASE_FLAGS := -c release --static-swift-stdlib

release: prereqs
	$(SWIFT) build $(RELEASE_FLAGS) --product sop

# Warnings are errors in every target of ours (Package.swift); the format lint runs first.
# The conformance suite: the store, application and CLI tests that run once more with every
# tracker on a throwaway PostgreSQL server (same tests, same golden files).
CONFORMANCE = SOPStoreTests\.(StoreTests|CustomerPagesTests|VerificationTests|UpgradeTests|AuditTrailTests|RestoredItemTests|StoreProblemTests|SecretClassesTests|WaiverTests)|SOPAppTests\.(VerifyUseCaseTests|DashboardTests|AgendaTests)|CLITests\.(AgendaCLITests|GovernanceVerifyTests|TrackerTests|RenderCommandsTests|UpgradeCLITests|HostileNamesTests|VerifyTests|HostileFilesTests)

test: prereqs lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}
	SOP_TEST_ENGINE=postgresql $(SWIFT) test --skip-build --filter '$(CONFORMANCE)' 2>&1 | tee .build/test-postgresql.log; exit $${PIPESTATUS[0]}
	bash Tests/Browser/run.sh .build/debug/sop 2>&1 | tee .build/test-browser.log; exit $${PIPESTATUS[0]}

# Only the real-browser tests of `sop serve` (headless Chromium + Selenium, Tests/Browser/);
# screenshots in .build/browser/.
test-browser: build
	bash Tests/Browser/run.sh .build/debug/sop 2>&1 | tee .build/test-browser.log; exit $${PIPESTATUS[0]}

# Only the conformance suite, on PostgreSQL.
test-postgresql: prereqs
	$(SWIFT) build --build-tests
	SOP_TEST_ENGINE=postgresql $(SWIFT) test --skip-build --filter '$(CONFORMANCE)' 2>&1 | tee .build/test-postgresql.log; exit $${PIPESTATUS[0]}

demo: build
	bash Tests/Harness/demo.sh

bench bench-serve: APT_PACKAGES += $(BENCH_APT_PACKAGES)

bench: release
	bash Tests/Harness/bench.sh

# sop serve under wrk against nginx on the same pages, SQLite and PostgreSQL (BENCHMARKS.md).
bench-serve: release
	BENCH_SERVE_SKIP_BUILD=1 bash Tests/Harness/bench-serve.sh

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

docs:
	SOP_REGENERATE=1 $(SWIFT) test --filter ChecksDocumentation || true

clean:
	rm -rf .build
