"""What a store of compiled LaTeX holds: the SVGs LaTeX wrote and their parsed glyphs."""

from __future__ import annotations

#: Suffix of a formula's parsed glyphs, kept beside its SVG (``kit.formula_cache``).
PARSED_SUFFIX = ".parsed"

#: The files a store shares between processes and renders.
STORED_PATTERNS = ("*.svg", f"*{PARSED_SUFFIX}")
