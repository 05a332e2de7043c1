"""Time the narration voice on the whole lecture: synthesis seconds per speech second.

Usage::

    .venv/bin/python benchmarks/voice_speed.py [--engine {piper,espeak-ng}]
        [--mode {chapter,sentence,lecture}] [--show]

The narration sentences are read from ``scenes/*.py`` without importing manim: every
``self.beat(name, narration)`` call's narration, parsed with :mod:`ast`. Literal
sentences are taken as they are; in f-strings each ``{...}`` becomes a stand-in (a
class name for expressions naming one, else ``2``), and a narration computed by a
method of the scene (``self.training_sentence(run, index)``) contributes every string
that method can return. Each sentence goes through
:func:`softmax_video.core.spoken.spoken_text`, as the render will do.

Modes, each on an empty cache in a temporary folder (wall time includes process
start-up and Piper's model load):

* ``speaker`` (default): one :class:`Speaker` per chapter saying its sentences one
  at a time, as a render does (one Piper process per chapter, a line per beat);
* ``chapter``: one engine run per chapter (:func:`synthesize_many`);
* ``sentence``: one engine run per sentence (:func:`synthesize`);
* ``lecture``: one engine run for every sentence.

Prints a markdown table per chapter: sentences, speech seconds, synthesis wall
seconds, their ratio (the real-time factor, RTF; target <= 0.3 on 2 cores), and the
CPU seconds of the engine processes and of this one. Other processes on the machine
inflate wall times, not CPU times: on an idle machine the wall time is about the CPU
time over the cores Piper keeps busy.
"""

from __future__ import annotations

import argparse
import ast
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from softmax_video.core.spoken import spoken_text  # noqa: E402
from softmax_video.engine.voice import Speaker, synthesize, synthesize_many  # noqa: E402

STAND_IN_NAMES = ("cat", "dog", "bird")


def _stand_in(expression: ast.expr, names: list[str]) -> str:
    source = ast.unparse(expression)
    if "name" in source.lower():
        names.append(STAND_IN_NAMES[len(names) % len(STAND_IN_NAMES)])
        return names[-1]
    return "2"


def _strings(node: ast.expr) -> list[str]:
    """The texts a narration expression can be (f-string values stood in for)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        names: list[str] = []
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append(_stand_in(value.value, names))  # type: ignore[attr-defined]
        return ["".join(parts)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _strings(node.left) for b in _strings(node.right)]
    return []


def _method_returns(tree: ast.Module, name: str) -> list[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            texts = []
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    texts += _strings(inner.value)
            return texts
    return []


def narration(path: Path) -> list[str]:
    """Narration sentences of the beats in one scene file, in source order."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "beat"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
        and len(node.args) >= 2
    ]
    sentences = []
    for call in sorted(calls, key=lambda c: c.lineno):
        arg = call.args[1]
        if (
            isinstance(arg, ast.Call)
            and isinstance(arg.func, ast.Attribute)
            and isinstance(arg.func.value, ast.Name)
            and arg.func.value.id == "self"
        ):
            sentences += _method_returns(tree, arg.func.attr)
        else:
            sentences += _strings(arg)
    return sentences


def lecture() -> list[tuple[str, list[str]]]:
    """(scene file stem, sentences) for every scene file with beats."""
    chapters = []
    for path in sorted((ROOT / "scenes").glob("*.py")):
        if path.name in ("lecture_scene.py", "slides.py"):
            continue
        sentences = narration(path)
        if sentences:
            chapters.append((path.stem, sentences))
    return chapters


def _children_cpu() -> float:
    """CPU seconds of the engine processes and of this one (word timings, files)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_CHILDREN, resource.RUSAGE_SELF))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("piper", "espeak-ng"), default="piper")
    parser.add_argument(
        "--mode", choices=("speaker", "chapter", "sentence", "lecture"), default="speaker"
    )
    parser.add_argument("--show", action="store_true", help="print the sentences as said")
    args = parser.parse_args()
    chapters = [(name, [spoken_text(s) for s in sents]) for name, sents in lecture()]
    if args.show:
        for name, sentences in chapters:
            print(f"## {name}")
            for sentence in sentences:
                print(f"- {sentence}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="voice-bench-") as cache:
        if args.mode == "lecture":
            everything = [s for _, sents in chapters for s in sents]
            cpu, start = _children_cpu(), time.perf_counter()
            speeches = synthesize_many(everything, engine=args.engine, cache_dir=cache)
            wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
            speech = sum(s.duration for s in speeches)
            rows.append(("whole lecture, one run", len(everything), speech, wall, cpu))
        else:
            for name, sentences in chapters:
                cpu, start = _children_cpu(), time.perf_counter()
                if args.mode == "speaker":
                    with Speaker(engine=args.engine, cache_dir=cache) as speaker:
                        speeches = [speaker.say(s) for s in sentences]
                elif args.mode == "chapter":
                    speeches = synthesize_many(sentences, engine=args.engine, cache_dir=cache)
                else:
                    speeches = [
                        synthesize(s, engine=args.engine, cache_dir=cache) for s in sentences
                    ]
                wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
                rows.append((name, len(sentences), sum(s.duration for s in speeches), wall, cpu))
    print(
        f"\nengine {args.engine}, mode {args.mode}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    print("| chapter file | sentences | speech s | synthesis s | RTF | CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, count, speech, wall, cpu in rows:
        print(f"| {name} | {count} | {speech:.1f} | {wall:.1f} | {wall / speech:.3f} | {cpu:.1f} |")
    total = [sum(r[k] for r in rows) for k in (1, 2, 3, 4)]
    if len(rows) > 1:
        print(
            f"| **total** | {total[0]} | {total[1]:.1f} | {total[2]:.1f} | "
            f"{total[2] / total[1]:.3f} | {total[3]:.1f} |"
        )


if __name__ == "__main__":
    main()
