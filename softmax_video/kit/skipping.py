"""End states of skipped plays, reached without the copies manim's animations make."""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import (
    Animation,
    AnimationGroup,
    Create,
    DrawBorderThenFill,
    FadeIn,
    FadeOut,
    GrowArrow,
    GrowFromCenter,
    GrowFromEdge,
    GrowFromPoint,
    LaggedStart,
    Mobject,
    MoveToTarget,
    ReplacementTransform,
    Transform,
    Write,
)
from manim.animation.transform import _MethodAnimation
from manim.utils.bezier import interpolate

__all__ = ["jump_to_end"]

#: Animations that leave their mobject as it was when they began: they draw it in (or
#: fade it out and put it back, removed from the scene), so their end state is there
#: already. Exact types: a subclass may end elsewhere.
_ENDS_AS_IT_BEGAN = (
    FadeIn, FadeOut, Create, Write, DrawBorderThenFill,
    GrowFromPoint, GrowFromCenter, GrowFromEdge, GrowArrow,
)  # fmt: skip

#: Transforms whose mobject ends with its target's points and style.
_ENDS_AS_TARGET = (Transform, ReplacementTransform, MoveToTarget, _MethodAnimation)

#: Groups whose parts may jump (a Succession begins its parts one after another,
#: each from the state the previous one left: it is played as manim plays it).
_GROUPS = (AnimationGroup, LaggedStart)


def jump_to_end(animation: Animation) -> Animation:
    """An animation that, played as manim plays a skipped play (begin, one step to its
    run time, finish, clean up), leaves the scene as ``animation`` would, without
    copying its mobject (a ``Transform`` copies it twice as it begins); ``animation``
    itself when no such shortcut is known to end in the same state.
    """
    kind = type(animation)
    if not _ends_at_one(animation):
        return animation
    if kind in _GROUPS:
        parts = [jump_to_end(part) for part in animation.animations]
        if any(new is not old for new, old in zip(parts, animation.animations, strict=True)):
            animation.animations = parts
            animation.build_animations_with_timings()
        return animation
    if kind in _ENDS_AS_IT_BEGAN:
        return _Jump(animation, target=None)
    if kind in _ENDS_AS_TARGET and animation.path_func is interpolate:
        # Straight paths only: an arc's last step rotates by the full angle, which
        # rounds; the straight interpolation at 1 gives the target exactly.
        target = animation.create_target()
        if _same_shape(animation.mobject, target):
            return _Jump(animation, target=target)
    return animation


def _ends_at_one(animation: Animation) -> bool:
    """The rate function reaches exactly 1: the last step shows the end state."""
    try:
        return float(animation.rate_func(1.0)) == 1.0
    except Exception:
        return False


def _same_shape(mobject: Mobject, target: Mobject) -> bool:
    """Point and colour arrays of the two families match one to one, so aligning them
    (what a Transform does first) changes nothing."""
    ours = mobject.family_members_with_points()
    theirs = target.family_members_with_points()
    if len(ours) != len(theirs) or len(mobject.get_family()) != len(target.get_family()):
        return False
    for a, b in zip(ours, theirs, strict=True):
        if type(a) is not type(b) or a.points.shape != b.points.shape:
            return False
        for name in ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas"):
            if np.shape(getattr(a, name, ())) != np.shape(getattr(b, name, ())):
                return False
    return True


class _Jump(Animation):
    """Stands in for ``original`` in a skipped play: no copies at its begin; its mobject
    takes ``target``'s points and style when the play reaches its end (none: it keeps
    its own), and the scene is left as ``original`` leaves it."""

    def __init__(self, original: Animation, target: Mobject | None) -> None:
        super().__init__(
            original.mobject,
            run_time=original.run_time,
            rate_func=original.rate_func,
            suspend_mobject_updating=original.suspend_mobject_updating,
            introducer=original.is_introducer(),
            remover=original.is_remover(),
        )
        self.original = original
        self.target = target

    def begin(self) -> None:
        if self.suspend_mobject_updating:
            self.mobject.suspend_updating()

    def update_mobjects(self, dt: float) -> None:
        pass

    def interpolate(self, alpha: float) -> None:
        if alpha >= 1.0:
            self._take_target()

    def finish(self) -> None:
        self._take_target()
        if isinstance(self.original, _MethodAnimation):
            # As manim's finish: the methods run on the mobject too (side effects
            # besides points and style), then it takes the target's data again.
            for item in self.original.methods:
                item.method.__func__(self.mobject, *item.args, **item.kwargs)
            self._take_target()
        if self.suspend_mobject_updating:
            self.mobject.resume_updating()

    def clean_up_from_scene(self, scene: Any) -> None:
        # FadeOut puts its mobject back as it began, which it still is here.
        self.original._on_finish(scene)
        if self.is_remover():
            scene.remove(self.mobject)
        if getattr(self.original, "replace_mobject_with_target_in_scene", False):
            scene.replace(self.mobject, self.original.target_mobject)

    def _take_target(self) -> None:
        if self.target is None:
            return
        pairs = zip(
            self.mobject.family_members_with_points(),
            self.target.family_members_with_points(),
            strict=True,
        )
        for ours, theirs in pairs:
            # What Mobject.interpolate(start, target, 1) leaves: the target's points
            # and colours exactly.
            ours.interpolate(ours, theirs, 1.0)
