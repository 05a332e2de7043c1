"""The tool's kit layer: what chapters build with. Imports the engine, core and
softmax_math; the one place that reads settings handed down from the parent process."""
