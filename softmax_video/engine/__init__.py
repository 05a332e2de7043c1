"""The tool's engine layer: work done with outside programs and files (the narration
voice). Imports :mod:`softmax_video.core` only, never manim or the scenes, and reads
no environment variable: every setting comes in as an argument."""
