# optcloud — the two commands of the README, and a few more.
#   make demo   install what is missing, build (release), run configs/quickstart.yaml
#   make test   install what is missing, run the whole test suite (optimised build), then
#               the Python package's tests (python/) against the binary it built

SWIFT ?= swift
PYTHON ?= python3
TEST_FLAGS = -c release -Xswiftc -enable-testing
VENV = python/.venv

.PHONY: demo test python-test build deps bench bench-python clean

deps:
	@if ! pkg-config --exists gsl 2>/dev/null; then \
		echo "installing libgsl-dev and pkg-config"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgsl-dev pkg-config >/dev/null; \
	fi

build: deps
	$(SWIFT) build -c release

demo: build
	.build/release/optcloud run configs/quickstart.yaml --force
	@echo "outputs: output/quickstart/ (summary.json, moments.csv, cloud.svg, marginals.svg, ...)"

test: deps
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(SWIFT) test $(TEST_FLAGS) --skip-build --disable-swift-testing
	$(MAKE) --no-print-directory python-test

# The Python package in a venv of its own (made once, from the package index), tested on
# outputs of .build/release/optcloud: run after `make test` or `swift build -c release`.
python-test:
	@if [ ! -x $(VENV)/bin/python ]; then \
		$(PYTHON) -m venv $(VENV) || { \
			echo "installing python3-venv"; rm -rf $(VENV); \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && \
			$(PYTHON) -m venv $(VENV); }; \
	fi
	$(VENV)/bin/python -m pip install --quiet --no-compile --disable-pip-version-check './python[arviz]' pytest
	OPTCLOUD_BIN=$(CURDIR)/.build/release/optcloud $(VENV)/bin/python -m pytest -p no:cacheprovider python/tests

# The performance benchmark (README "Performance"): optcloud against the C reference, which
# draws the same normals and is compiled with the flags of optcloud's hot loop.
BENCH = .build/release/optcloud bench --chains 100000 --steps 1000 --burn-in 500 --c-reference benchmarks/w1
bench: build
	cc -O3 -fno-math-errno -o benchmarks/w1 benchmarks/w1.c -lm
	$(BENCH) --workload W1 --dimension 10
	$(BENCH) --workload W1 --dimension 100 --chains 10000
	$(BENCH) --workload W2 --dimension 10
	$(BENCH) --workload W3

# The NumPy and numba versions of W1 and W2 the README compares with (needs PyPI for numba).
PYBENCH = benchmarks/python/.venv/bin/python
bench-python:
	@test -x $(PYBENCH) || (python3 -m venv benchmarks/python/.venv && $(PYBENCH) -m pip install -q numpy numba)
	$(PYBENCH) benchmarks/python/numpy_w1_w2.py W1 10 100000 1000 500
	$(PYBENCH) benchmarks/python/numba_w1_w2.py W1 10 100000 1000 500
	$(PYBENCH) benchmarks/python/numpy_w1_w2.py W2 10 100000 1000 500
	$(PYBENCH) benchmarks/python/numba_w1_w2.py W2 10 100000 1000 500

clean:
	rm -rf .build benchmarks/w1 $(VENV)
