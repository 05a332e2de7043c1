# The two commands (each does all set-up first, see tools/bootstrap.sh):
#   make video   render the default lecture at preview quality into media/
#   make test    ruff + the whole test suite (fast tests and tiny-resolution renders)
# More:
#   make test-slow   also the heavy renders (pytest -m slow)
#   make bench       render-speed and math benchmarks (benchmarks/)

VENV := .venv/bin

.PHONY: video test test-slow bench setup

setup:
	@bash tools/bootstrap.sh

video: setup
	$(VENV)/softmax-video lecture

test:
	@bash tools/bootstrap.sh --with-browser
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/python -m pytest -m "not slow"

test-slow: setup
	$(VENV)/python -m pytest -m slow

bench: setup
	$(VENV)/python benchmarks/math_speed.py
	$(VENV)/python benchmarks/training_speed.py
	$(VENV)/python benchmarks/render_speed.py
