"""Time the fast drawing engine against stock manim, one real CLI render per case.

Usage::

    .venv/bin/python benchmarks/engine_speed.py [--quality {low,high}] [--only {surfaces,fields}]
        [--seconds S] [--fast-encoder]

Cases (each a ``--seconds`` long scene, default 3 s, rendered by the plain ``manim`` CLI
in its own subprocess with caching off; wall time includes process start-up):

* surfaces: ``ThreeDAxes`` plus three 32x32 surfaces (opacity 0.75) under a rotating
  camera: stock ``Surface`` (its default 0.5 face strokes) against :class:`MeshSurface`
  without and with 0.5 face strokes, drawn by :class:`MeshCamera`;
* fields: a 29x17 arrow field over the frame whose vectors change every frame:
  ``always_redraw(ArrowVectorField)`` against :class:`VectorFieldArrows` updated with
  ``set_vectors``.

``--quality low`` is 854x480 at 15 fps (``-ql``), ``high`` is 1920x1080 at 60 fps
(``-qh``). ``--fast-encoder`` adds the project's x264 options (``preset=veryfast``,
``sliced-threads=0``, see ``softmax_video/cli/render.py``) to every render. Prints a markdown
table of
RTF (render wall seconds per video second) and the speed-ups. Other processes on the
machine inflate every figure; run it on a quiet machine, and compare ratios.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCENES = textwrap.dedent(
    """
    import numpy as np
    from manim import *

    from softmax_video.engine.cameras import use_camera
    from softmax_video.engine.fields import VectorFieldArrows
    from softmax_video.engine.mesh import MeshSurface, MeshThreeDScene

    SECONDS = {seconds}
    COLOURS = [BLUE_D, ORANGE, GREEN_D]
    U = np.linspace(-3, 3, 33)


    def height(k, u, v):
        return 1.6 * np.exp(-((u - 1.2 * np.cos(2.1 * k)) ** 2 + (v - 1.2 * np.sin(2.1 * k)) ** 2))


    def start(scene):
        scene.set_camera_orientation(phi=65 * DEGREES, theta=-60 * DEGREES)
        scene.add(ThreeDAxes(x_range=(-3, 3), y_range=(-3, 3), z_range=(0, 2)))
        scene.begin_ambient_camera_rotation(rate=0.5)


    class StockSurfaces(ThreeDScene):
        def __init__(self, **kwargs):
            # Stock drawing, but the same frame writer as MeshThreeDScene: only drawing differs.
            super().__init__(**use_camera(kwargs, ThreeDCamera))

        def construct(self):
            start(self)
            for k in range(3):
                self.add(Surface(
                    lambda u, v, k=k: np.array([u, v, height(k, u, v)]),
                    u_range=(-3, 3), v_range=(-3, 3), resolution=32,
                    fill_color=COLOURS[k], fill_opacity=0.75, checkerboard_colors=False,
                ))
            self.wait(SECONDS)


    class MeshSurfaces(MeshThreeDScene):
        stroke_width = 0.0

        def construct(self):
            start(self)
            uu, vv = np.meshgrid(U, U, indexing="ij")
            for k in range(3):
                self.add(MeshSurface.from_heights(
                    U, U, height(k, uu, vv), fill_color=COLOURS[k], fill_opacity=0.75,
                    stroke_width=self.stroke_width, stroke_color=LIGHT_GREY,
                ))
            self.wait(SECONDS)


    class MeshSurfacesStroked(MeshSurfaces):
        stroke_width = 0.5


    def field_at(t, x, y):
        # A rotating saddle-plus-swirl whose magnitudes span 0 to about 3.
        c, s = np.cos(t), np.sin(t)
        return 0.4 * (c * x - s * y) - 0.3 * y, 0.4 * (-s * x - c * y) + 0.3 * x


    XR, YR = [-7, 7, 0.5], [-4, 4, 0.5]


    class StockField(Scene):
        def construct(self):
            t = ValueTracker(0)

            def func(p):
                u, v = field_at(t.get_value(), p[0], p[1])
                return np.array([u, v, 0.0])

            self.add(always_redraw(lambda: ArrowVectorField(func, x_range=XR, y_range=YR)))
            self.play(t.animate.set_value(np.pi), run_time=SECONDS, rate_func=linear)


    class FastField(Scene):
        def construct(self):
            t = ValueTracker(0)
            # The same points as ArrowVectorField: np.arange(lo, hi + step, step).
            xs = np.arange(XR[0], XR[1] + XR[2], XR[2])
            ys = np.arange(YR[0], YR[1] + YR[2], YR[2])
            xx, yy = np.meshgrid(xs, ys)
            field = VectorFieldArrows(
                np.stack([xx, yy], -1), field_at(0.0, xx, yy),
                colors=[BLUE_E, GREEN, YELLOW, RED], magnitude_range=(0, 3),
            )
            field.add_updater(lambda f: f.set_vectors(field_at(t.get_value(), xx, yy)))
            self.add(field)
            self.play(t.animate.set_value(np.pi), run_time=SECONDS, rate_func=linear)
    """
)

CASES = {
    "surfaces": ("StockSurfaces", ["MeshSurfaces", "MeshSurfacesStroked"]),
    "fields": ("StockField", ["FastField"]),
}

LABELS = {
    "StockSurfaces": "3 x Surface 32x32, rotating camera (stock, 0.5 face strokes)",
    "MeshSurfaces": "3 x MeshSurface 32x32, rotating camera (no face strokes)",
    "MeshSurfacesStroked": "3 x MeshSurface 32x32, rotating camera (0.5 face strokes)",
    "StockField": "always_redraw(ArrowVectorField), 493 arrows",
    "FastField": "VectorFieldArrows.set_vectors, 493 arrows",
}

FAST_ENCODER = [
    "--encoder-option",
    "x264-params=sliced-threads=0",
    "--encoder-option",
    "preset=veryfast",
]


def render(scene_file: Path, scene: str, quality: str, media: Path, fast_encoder: bool) -> float:
    """Render ``scene`` with the manim CLI in a subprocess; wall seconds."""
    cmd = [
        str(ROOT / ".venv" / "bin" / "manim"),
        "-ql" if quality == "low" else "-qh",
        "--disable_caching",
        "--media_dir",
        str(media),
        *(FAST_ENCODER if fast_encoder else []),
        str(scene_file),
        scene,
    ]
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=_env())
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"render of {scene} failed")
    return wall


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", choices=["low", "high"], default="low")
    parser.add_argument("--only", choices=sorted(CASES))
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each scene")
    parser.add_argument("--fast-encoder", action="store_true", help="x264 veryfast options")
    args = parser.parse_args()

    groups = [args.only] if args.only else list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        scene_file = Path(tmp) / "engine_speed_scenes.py"
        scene_file.write_text(SCENES.format(seconds=args.seconds))
        media = Path(tmp) / "media"
        rows = []
        for group in groups:
            stock, fast = CASES[group]
            times = {}
            for scene in (stock, *fast):
                times[scene] = render(scene_file, scene, args.quality, media, args.fast_encoder)
                print(f"  {scene}: {times[scene]:.1f} s", file=sys.stderr, flush=True)
            stock_rtf = times[stock] / args.seconds
            rows.append((LABELS[stock], stock_rtf, None))
            for scene in fast:
                rtf = times[scene] / args.seconds
                rows.append((LABELS[scene], rtf, stock_rtf / rtf))
    size = "854x480 15 fps" if args.quality == "low" else "1920x1080 60 fps"
    encoder = ", x264 veryfast" if args.fast_encoder else ""
    print(f"\nEngine speed, {size}{encoder}, {args.seconds:g} s scenes, caching off, ")
    print("wall time of one CLI subprocess per render (start-up included)\n")
    print("| scene | RTF | speed-up vs stock |")
    print("|---|---:|---:|")
    for label, rtf, speedup in rows:
        print(f"| {label} | {rtf:.2f} | {'-' if speedup is None else f'{speedup:.1f}x'} |")


if __name__ == "__main__":
    main()
