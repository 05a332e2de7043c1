"""manim's test harness hands a chapter a plain renderer; the 3D chapters swap in the mesh
camera themselves, so graphical tests draw as renders do."""

from __future__ import annotations

import pytest
from manim.renderer.cairo_renderer import CairoRenderer

from softmax_video.core.chapters import CHAPTERS
from softmax_video.engine.mesh import MeshCamera
from softmax_video.kit.lecture_scene import LectureThreeDScene


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_harness_draws_3d_chapters_with_the_mesh_camera(chapter):
    scene_class = chapter.scene_class()
    scene = scene_class(renderer=CairoRenderer())
    drawn_by_mesh = isinstance(scene.renderer.camera, MeshCamera)
    assert drawn_by_mesh == issubclass(scene_class, LectureThreeDScene)
