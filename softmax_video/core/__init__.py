"""The tool's base layer: configuration data, errors and text rules; never imports manim."""
