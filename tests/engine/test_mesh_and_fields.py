"""Tests of the fast drawing engine: :mod:`softmax_video.engine.mesh` and
:mod:`softmax_video.engine.fields`.

Frames are drawn in-process with a camera at low resolution (no video), so the
whole file runs in a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import (
    BLUE_D,
    DEGREES,
    LEFT,
    ORIGIN,
    RED,
    RIGHT,
    UL,
    UP,
    Arrow3D,
    Create,
    Line,
    Line3D,
    MathTex,
    Polygon,
    Square,
    Surface,
    ThreeDAxes,
    ThreeDCamera,
    ThreeDVMobject,
    Transform,
    VGroup,
    VMobject,
    tempconfig,
)
from manim.renderer.cairo_renderer import CairoRenderer

from softmax_math import descent_field, grid_logits, nll_gradient, plane_grid, sum_zero_basis
from softmax_video.engine.fields import VectorFieldArrows
from softmax_video.engine.mesh import (
    MeshCamera,
    MeshSurface,
    MeshThreeDScene,
    colorscale_rgb,
    use_mesh_camera,
)
from softmax_video.kit.plane_geometry import on_floor

#: Small render size for in-process frames.
SIZE = {"pixel_width": 427, "pixel_height": 240}

#: Mean absolute difference (0-255 scale, over the pixels either surface covers)
#: allowed between a stock 32x32 ``Surface`` and a ``MeshSurface`` of the same
#: function at 427x240. Measured: 0.95 (opaque) and 0.73 (opacity 0.75); 99th
#: percentile of the per-pixel difference 8 and 6. What remains is the two-stop
#: gradient stock manim paints inside each face (the mesh is flat-shaded, one
#: colour per face) and anti-aliasing along face edges. At 16x16 faces the means
#: are 2.5 and 1.9 (bigger faces, bigger in-face gradients). Side by side the
#: images cannot be told apart.
MAX_MEAN_DIFF_ON_SURFACE = 1.5


def _frame(camera_cls: type, mobjects: list, phi: float, theta: float, **cam_kwargs) -> np.ndarray:
    """RGB frame of ``mobjects`` seen from ``(phi, theta)`` (degrees)."""
    with tempconfig(SIZE):
        camera = camera_cls(**cam_kwargs)
        camera.set_phi(phi * DEGREES)
        camera.set_theta(theta * DEGREES)
        camera.capture_mobjects(mobjects)
        return np.array(camera.pixel_array[:, :, :3])


def _pixel_of(point: list[float], phi: float, theta: float) -> tuple[int, int]:
    """(row, column) of the pixel a scene point is drawn at."""
    with tempconfig(SIZE):
        camera = MeshCamera()
        camera.set_phi(phi * DEGREES)
        camera.set_theta(theta * DEGREES)
        camera.reset_rotation_matrix()
        x, y = camera.project_point(np.array(point, dtype=float))[:2]
        col = int((x / camera.frame_width + 0.5) * camera.pixel_width)
        row = int((0.5 - y / camera.frame_height) * camera.pixel_height)
    return row, col


def _captured(camera: ThreeDCamera, mobjects: list, theta: float) -> np.ndarray:
    """RGBA frame of ``mobjects`` that ``camera`` draws from phi 70 degrees, ``theta``."""
    camera.set_phi(70 * DEGREES)
    camera.set_theta(theta * DEGREES)
    camera.reset()
    camera.capture_mobjects(mobjects)
    return np.array(camera.pixel_array)


def _covered(frame: np.ndarray) -> np.ndarray:
    """Pixels that differ from the background (the top-left corner's colour)."""
    return (np.abs(frame.astype(int) - frame[0, 0].astype(int)).max(axis=2)) > 0


def _bump(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return 1.5 * np.exp(-(u**2 + v**2) / 2)


def _stock_and_mesh(
    opacity: float, resolution: int = 32, **mesh_kwargs: object
) -> tuple[Surface, MeshSurface]:
    stock = Surface(
        lambda u, v: np.array([u, v, _bump(u, v)]),
        u_range=(-3, 3),
        v_range=(-3, 3),
        resolution=resolution,
        fill_color=BLUE_D,
        fill_opacity=opacity,
        checkerboard_colors=False,
        stroke_width=0,
    )
    x = np.linspace(-3, 3, resolution + 1)
    xx, yy = np.meshgrid(x, x, indexing="ij")
    mesh = MeshSurface.from_heights(
        x, x, _bump(xx, yy), fill_color=BLUE_D, fill_opacity=opacity, **mesh_kwargs
    )
    return stock, mesh


# --------------------------------------------------------------------------- #
# MeshSurface looks like a stock Surface
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("opacity", [1.0, 0.75])
def test_mesh_matches_stock_surface(opacity: float) -> None:
    # Stock manim leaves hairline seams between opaque faces; the mesh seals them
    # by default, so compare the shading with sealing off (see seal_seams).
    stock, mesh = _stock_and_mesh(opacity, seal_seams=False)
    a = _frame(ThreeDCamera, [stock], 65, -60).astype(float)
    b = _frame(MeshCamera, [mesh], 65, -60).astype(float)
    covered = _covered(a) | _covered(b)
    assert 0.1 < covered.mean() < 0.9  # the surface fills a good part of the frame
    # Same silhouette: pixels covered by one and not the other are edge pixels only.
    only_one = _covered(a) != _covered(b)
    assert only_one.sum() < 0.01 * covered.sum()
    diff = np.abs(a - b)[covered].mean()
    assert diff < MAX_MEAN_DIFF_ON_SURFACE, diff


def test_shading_can_be_switched_off() -> None:
    _, mesh = _stock_and_mesh(1.0, resolution=8)
    mesh.shade = False
    frame = _frame(MeshCamera, [mesh], 65, -60)
    # Flat colour: apart from anti-aliased face edges, every pixel is the fill colour.
    expected = np.round(np.array(BLUE_D.to_rgb()) * 255)
    exact = (np.abs(frame.astype(float) - expected).max(axis=2) <= 1).sum()
    assert exact > 0.85 * _covered(frame).sum()  # all but the silhouette's edge


def test_opaque_faces_have_no_seams() -> None:
    """Sealed opaque faces: nothing behind shows through between neighbouring faces."""
    x = np.linspace(-2, 2, 33)
    xx, _ = np.meshgrid(x, x, indexing="ij")
    back = MeshSurface.from_heights(x, x, 0.1 * xx - 1.0, fill_color="#FF0000", shade=False)
    front = MeshSurface.from_heights(x, x, 0 * xx, fill_color="#0000FF", shade=False)
    frame = _frame(MeshCamera, [back, front], 0, -90)  # from straight above
    centre = frame[70:170, 163:263].astype(int)
    assert (centre[..., 0] == 0).all() and (centre[..., 2] == 255).all()
    front.seal_seams = False
    frame = _frame(MeshCamera, [back, front], 0, -90)
    assert (frame[70:170, 163:263, 0] > 0).any()  # stock-like seams let red through


# --------------------------------------------------------------------------- #
# Depth order
# --------------------------------------------------------------------------- #


def _plane(slope: float, colour: str) -> MeshSurface:
    x = np.linspace(-2, 2, 25)
    xx, _ = np.meshgrid(x, x, indexing="ij")
    return MeshSurface.from_heights(x, x, slope * xx, fill_color=colour, shade=False)


@pytest.mark.parametrize(("phi", "theta"), [(50, -100), (40, 100)])
def test_intersecting_surfaces_depth_order(phi: float, theta: float) -> None:
    """z = x (red) and z = -x (blue): each pixel shows the nearer plane."""
    red, blue = _plane(1.0, "#FF0000"), _plane(-1.0, "#0000FF")
    # A huge focal distance makes the projection orthographic, so the expected
    # nearer plane follows from a ray-plane intersection per pixel.
    frame = _frame(MeshCamera, [red, blue], phi, theta, focal_distance=1e7)
    with tempconfig(SIZE):
        camera = MeshCamera()
        camera.set_phi(phi * DEGREES)
        camera.set_theta(theta * DEGREES)
        camera.reset_rotation_matrix()
        rot = camera.get_rotation_matrix()
        h, w = camera.pixel_height, camera.pixel_width
        fw, fh = camera.frame_width, camera.frame_height
    checked = 0
    for py in range(2, h, 5):
        for px in range(2, w, 5):
            X = (px + 0.5 - w / 2) * fw / w
            Y = -(py + 0.5 - h / 2) * fh / h
            hits = {}
            for name, normal in (("red", np.array([1.0, 0, -1])), ("blue", np.array([1.0, 0, 1]))):
                n = rot @ normal  # plane n . p = 0 in camera coordinates
                depth = -(n[0] * X + n[1] * Y) / n[2]
                point = rot.T @ np.array([X, Y, depth])
                hits[name] = (depth, point)
            (dr, pr), (db, pb) = hits["red"], hits["blue"]
            inside = all(np.abs(p[:2]).max() < 1.8 for p in (pr, pb))
            # Faces are sorted by their centres: stay a face or two off the crossing line.
            if not inside or abs(pr[0]) < 0.4 or abs(pb[0]) < 0.4:
                continue
            r, _, b = frame[py, px].astype(int)
            nearer = "red" if dr > db else "blue"
            assert (r > b) == (nearer == "red"), (px, py, frame[py, px], nearer)
            checked += 1
    assert checked > 40


def test_mesh_sorted_with_other_3d_mobjects() -> None:
    """A shaded square above an opaque mesh is drawn, one below it is hidden."""
    x = np.linspace(-2, 2, 9)
    floor = MeshSurface.from_heights(x, x, np.zeros((9, 9)), fill_color="#0000FF", shade=False)

    def square(z: float) -> ThreeDVMobject:
        sq = ThreeDVMobject()
        sq.set_points_as_corners(
            [[-0.5, -0.5, z], [0.5, -0.5, z], [0.5, 0.5, z], [-0.5, 0.5, z], [-0.5, -0.5, z]]
        )
        return sq.set_fill("#FF0000", opacity=1).set_stroke(width=0)

    above = _frame(MeshCamera, [floor, square(1.0)], 40, -60)
    below = _frame(MeshCamera, [square(-1.0), floor], 40, -60)
    at_above, at_below = _pixel_of([0, 0, 1.0], 40, -60), _pixel_of([0, 0, -1.0], 40, -60)
    assert above[at_above][0] > 150 and above[at_above][2] < 80  # red square in front
    assert below[at_below][2] > 150 and below[at_below][0] < 80  # hidden by the blue floor


def test_rotating_camera_keeps_order() -> None:
    """A small cap above a big floor stays visible from every side."""
    x = np.linspace(-2, 2, 13)
    xx, _ = np.meshgrid(x, x, indexing="ij")
    floor = MeshSurface.from_heights(x, x, 0 * xx, fill_color="#0000FF", shade=False)
    cap = MeshSurface.from_heights(x / 4, x / 4, 0.8 + 0 * xx, fill_color="#FF0000", shade=False)
    for theta in range(0, 360, 45):
        frame = _frame(MeshCamera, [cap, floor], 55, theta)
        red = (frame[:, :, 0] > 200) & (frame[:, :, 2] < 50)
        assert red.sum() > 100, theta


# --------------------------------------------------------------------------- #
# MeshSurface API
# --------------------------------------------------------------------------- #


def test_nan_vertices_drop_faces() -> None:
    x = np.linspace(-1, 1, 5)
    z = np.zeros((5, 5))
    z[2, 2] = np.nan
    mesh = MeshSurface.from_heights(x, x, z)
    mask = mesh.face_mask()
    assert mask.shape == (4, 4)
    assert (~mask).sum() == 4  # the four faces around the missing vertex
    assert np.isfinite(mesh.points).all()
    assert np.isnan(mesh.points_grid[2, 2]).all()
    assert np.isfinite(mesh.get_center()).all()


def test_set_heights_moves_in_place_and_keeps_colours() -> None:
    x = np.linspace(-1, 1, 6)
    xx, yy = np.meshgrid(x, x, indexing="ij")
    mesh = MeshSurface.from_heights(x, x, xx * yy, colorscale=["#000000", "#FFFFFF"])
    colours = mesh.face_rgba.copy()
    points_id = id(mesh)
    mesh.set_heights(2 * xx * yy)
    assert id(mesh) == points_id
    np.testing.assert_allclose(mesh.points_grid[..., 2], 2 * xx * yy)
    np.testing.assert_array_equal(mesh.face_rgba, colours)
    with pytest.raises(ValueError, match="shape"):
        mesh.set_heights(np.zeros((3, 3)))


def test_from_heights_with_axes_maps_coordinates() -> None:
    axes = ThreeDAxes(x_range=(-2, 2), y_range=(-2, 2), z_range=(0, 1), x_length=8, z_length=2)
    x = np.linspace(-2, 2, 5)
    xx, _ = np.meshgrid(x, x, indexing="ij")
    mesh = MeshSurface.from_heights(x, x, 0.5 + 0 * xx, axes=axes)
    grid = mesh.points_grid
    for i, j in [(0, 0), (4, 1), (2, 3)]:
        np.testing.assert_allclose(grid[i, j], axes.c2p(x[i], x[j], 0.5), atol=1e-9)


def test_transform_and_create() -> None:
    x = np.linspace(-1, 1, 5)
    xx, _ = np.meshgrid(x, x, indexing="ij")
    a = MeshSurface.from_heights(x, x, 0 * xx)
    b = MeshSurface.from_heights(x, x, xx)
    anim = Transform(a, b)
    anim.begin()
    anim.interpolate(0.5)
    np.testing.assert_allclose(a.points_grid[..., 2], 0.5 * xx, atol=1e-9)
    anim.finish()
    with pytest.raises(ValueError, match="same grid shape"):
        Transform(a, MeshSurface.from_heights(x[:3], x[:3], np.zeros((3, 3)))).begin()
    c = MeshSurface.from_heights(x, x, xx)
    create = Create(c)
    create.begin()
    create.interpolate(0.5)
    assert 0 < c.face_mask().sum() < 16
    create.finish()
    assert c.face_mask().all()


def test_transparent_faces_skipped_and_wireframe_drawn() -> None:
    x = np.linspace(-2, 2, 9)
    xx, _ = np.meshgrid(x, x, indexing="ij")
    hidden = MeshSurface.from_heights(x, x, 0 * xx, fill_opacity=0.0)
    frame = _frame(MeshCamera, [hidden], 60, -60)
    assert not _covered(frame).any()
    wire = MeshSurface.from_heights(
        x, x, 0 * xx, fill_opacity=0.0, stroke_width=2, stroke_color="#FFFFFF"
    )
    frame = _frame(MeshCamera, [wire], 60, -60)
    assert 0 < _covered(frame).mean() < 0.1  # lines only


def test_copies_share_the_axes() -> None:
    axes = ThreeDAxes()
    x = np.linspace(-1, 1, 4)
    mesh = MeshSurface.from_heights(x, x, np.zeros((4, 4)), axes=axes)
    twin = mesh.copy()
    assert twin._source["axes"].obj is axes
    twin.set_heights(np.ones((4, 4)))
    np.testing.assert_allclose(mesh.points_grid[..., 2], axes.c2p(0, 0, 0)[2])
    np.testing.assert_allclose(twin.points_grid[..., 2], axes.c2p(0, 0, 1)[2])


def test_colorscale_rgb() -> None:
    rgb = colorscale_rgb([0.0, 0.25, 1.0, 5.0], ["#000000", "#FF0000", "#FFFFFF"], (0.0, 1.0))
    np.testing.assert_allclose(rgb[0], [0, 0, 0])
    np.testing.assert_allclose(rgb[1], [0.5, 0, 0])
    np.testing.assert_allclose(rgb[2], [1, 1, 1])
    np.testing.assert_allclose(rgb[3], [1, 1, 1])  # clamped


def test_mesh_frames_are_deterministic() -> None:
    def scene_mobjects() -> list:
        stock_axes = ThreeDAxes()
        _, mesh = _stock_and_mesh(0.75)
        mesh2 = _plane(0.3, "#FF8800")
        return [stock_axes, mesh, mesh2]

    first = _frame(MeshCamera, scene_mobjects(), 70, -45)
    second = _frame(MeshCamera, scene_mobjects(), 70, -45)
    np.testing.assert_array_equal(first, second)


def test_banded_painting_matches_painting_in_one_go(monkeypatch: pytest.MonkeyPatch) -> None:
    """Faces painted in horizontal bands by parallel threads give the same pixels."""
    import softmax_video.engine.mesh as mesh_module

    def scene_mobjects() -> list:
        _, mesh = _stock_and_mesh(0.75)
        x = np.linspace(-3, 3, 13)
        xx, yy = np.meshgrid(x, x, indexing="ij")
        wire = MeshSurface.from_heights(
            x, x, 0.5 + 0 * xx + 0.2 * yy, fill_opacity=0.0, stroke_width=1.5,
            stroke_color="#FFFFFF",
        )  # fmt: skip
        return [ThreeDAxes(), mesh, wire, _plane(0.3, "#FF8800")]

    monkeypatch.setattr(mesh_module, "_BANDS", 1)
    whole = _frame(MeshCamera, scene_mobjects(), 70, -45)
    for bands in (2, 3):
        monkeypatch.setattr(mesh_module, "_BANDS", bands)
        monkeypatch.setattr(mesh_module, "_PAINTER_POOL", None)
        banded = _frame(MeshCamera, scene_mobjects(), 70, -45)
        np.testing.assert_array_equal(banded, whole)
        # Cuts moved by (made-up) painting speeds leave the pixels as they are.
        for slow_band in range(bands):
            with tempconfig(SIZE):
                camera = MeshCamera()
                camera._band_balance = mesh_module._BandBalance(bands)
                camera._band_balance.seconds_per_face[slow_band] = 25.0
                camera.set_phi(70 * DEGREES)
                camera.set_theta(-45 * DEGREES)
                camera.capture_mobjects(scene_mobjects())
                np.testing.assert_array_equal(camera.pixel_array[:, :, :3], whole)
    assert _covered(whole).mean() > 0.1  # the comparison covers a real picture


def test_band_cuts_give_faster_bands_more_faces() -> None:
    from softmax_video.engine.mesh import _BandBalance

    face_rows = np.arange(1000.0)  # one face per row of a 1000-row frame
    balance = _BandBalance(2)
    assert balance.rows(face_rows, 1000) == [0, 500, 1000]  # unmeasured: equal counts
    balance.seconds_per_face[:] = [1.0, 3.0]  # the second band paints 3x slower
    assert balance.rows(face_rows, 1000) == [0, 749, 1000]
    balance.timed(1, lambda faces: None, np.arange(10))  # a fast frame pulls it back
    assert balance.seconds_per_face[1] < 3.0
    cuts = _BandBalance(3).rows(np.full(50, 20.0), 1000)  # all faces on one row
    assert cuts == sorted(cuts) and cuts[0] == 0 and cuts[-1] == 1000


def test_reused_paths_draw_what_a_fresh_camera_draws() -> None:
    """Paths kept from the last frame never show a stale picture.

    One camera draws a scene, draws it again (paths reused), turns, then the scene's
    line moves and a fixed-in-frame label stays; each frame must equal the frame a
    new camera draws of the same state.
    """
    axes = ThreeDAxes()
    line = Line3D(ORIGIN, [1.0, 1.0, 1.0])
    label = MathTex("x^2").to_corner(UL)
    _, mesh = _stock_and_mesh(0.75)
    mobjects = [axes, mesh, line, label]

    def fresh(theta: float) -> np.ndarray:
        camera = MeshCamera()
        camera.add_fixed_in_frame_mobjects(label)
        return _draw(camera, mobjects, theta)

    def _draw(camera: MeshCamera, mobs: list, theta: float) -> np.ndarray:
        return _captured(camera, mobs, theta)[:, :, :3]

    with tempconfig(SIZE):
        reused = MeshCamera()
        reused.add_fixed_in_frame_mobjects(label)
        first = _draw(reused, mobjects, -45)
        np.testing.assert_array_equal(_draw(reused, mobjects, -45), first)
        np.testing.assert_array_equal(first, fresh(-45))
        np.testing.assert_array_equal(_draw(reused, mobjects, -30), fresh(-30))
        line.shift(0.5 * RIGHT)
        np.testing.assert_array_equal(_draw(reused, mobjects, -30), fresh(-30))
        assert any(look.path is not None for look in reused.looks.current.values())


def test_shaded_3d_mobjects_are_painted_as_manims_camera_paints_them() -> None:
    """Shading kept between frames gives ThreeDCamera's pixels, frame after frame.

    ``shade_in_3d`` mobjects other than meshes (lines, arrows, a floor drawing, a
    stock surface's faces) are shaded once and painted with manim's two-stop gradient.
    """
    floor = on_floor(Polygon([-2, -2, 0], [2, -1, 0], [0, 2, 0], color=RED, fill_opacity=0.4))
    stock, _ = _stock_and_mesh(0.8, resolution=6)
    mobjects = [ThreeDAxes(), floor, stock, Line3D(ORIGIN, [1.0, 1.0, 1.0]), Arrow3D(LEFT, UP)]

    def draw(camera: ThreeDCamera, theta: float) -> np.ndarray:
        return _captured(camera, mobjects, theta)

    with tempconfig(SIZE):
        kept = MeshCamera()
        for theta in (-45, -30, -30):
            np.testing.assert_array_equal(draw(kept, theta), draw(ThreeDCamera(), theta))
        stock.set_fill(BLUE_D, opacity=0.5)  # new colours are shaded anew
        floor.shift(0.5 * RIGHT)  # and so are moved points
        np.testing.assert_array_equal(draw(kept, -30), draw(ThreeDCamera(), -30))
        assert kept.shaded_paint.current  # the shading was kept, not skipped


def test_fixed_orientation_labels_are_placed_as_manims_camera_places_them() -> None:
    """Labels that keep facing the camera land where ``ThreeDCamera`` puts them, in a
    turning view and after they move (their centres are measured once a frame)."""
    axes = ThreeDAxes()
    labels = [MathTex(r"p_1 = 0.5").move_to([2.0, 1.0, 1.0]), MathTex("y").move_to([-1, 2, 0])]
    pinned = MathTex("z").move_to([0.0, -2.0, 1.5])
    mobjects = [axes, *labels, pinned]

    def draw(camera: ThreeDCamera, theta: float) -> np.ndarray:
        camera.add_fixed_orientation_mobjects(*labels)
        camera.add_fixed_orientation_mobjects(pinned, center_func=lambda: np.array([0, -2, 0]))
        return _captured(camera, mobjects, theta)

    with tempconfig(SIZE):
        kept = MeshCamera()
        for theta in (-45, -30, -30):
            np.testing.assert_array_equal(draw(kept, theta), draw(ThreeDCamera(), theta))
        labels[0].shift(0.7 * UP)
        np.testing.assert_array_equal(draw(kept, -30), draw(ThreeDCamera(), -30))
        # Outside a frame the centre is measured anew, as ThreeDCamera does.
        labels[1].shift(RIGHT)
        points = labels[1][0][0].points
        np.testing.assert_array_equal(
            kept.transform_points_pre_display(labels[1][0][0], points),
            ThreeDCamera.transform_points_pre_display(kept, labels[1][0][0], points),
        )


# --------------------------------------------------------------------------- #
# VectorFieldArrows
# --------------------------------------------------------------------------- #

COLOURS = ["#303030", "#808080", "#FFFFFF"]


def _drawn_arrows(field: VectorFieldArrows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tails, heads and bin of every drawn arrow, read back from the mobjects' points."""
    n = len(field.positions)
    tails = np.full((n, 3), np.nan)
    heads = np.full((n, 3), np.nan)
    bins = np.full(n, -1)
    visible = field.visible()
    for k, (shaft, tip) in enumerate(zip(field.shafts, field.tips, strict=True)):
        idx = np.flatnonzero(visible & (field.bins() == k))
        curves = shaft.points.reshape(-1, 4, 3)
        triangles = tip.points.reshape(-1, 12, 3)
        assert len(curves) == len(triangles) == len(idx)
        tails[idx] = curves[:, 0]
        heads[idx] = triangles[:, 3]  # the apex
        bins[idx] = k
    return tails, heads, bins


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def test_arrows_point_along_vectors_and_bins_match_magnitudes() -> None:
    rng = np.random.default_rng(7)
    xx, yy = np.meshgrid(np.linspace(-3, 3, 9), np.linspace(-2, 2, 7))
    u = rng.normal(size=xx.shape) * rng.uniform(0.01, 2.0, size=xx.shape)
    v = rng.normal(size=xx.shape)
    field = VectorFieldArrows(
        np.stack([xx, yy], -1), (u, v), colors=COLOURS, n_bins=8, magnitude_range=(0.0, 2.0)
    )
    tails, heads, bins = _drawn_arrows(field)
    drawn = heads - tails
    vec = np.stack([u.ravel(), v.ravel()], axis=1)
    np.testing.assert_allclose(_unit(drawn[:, :2]), _unit(vec), atol=1e-9)
    np.testing.assert_allclose(drawn[:, 2], 0.0)
    np.testing.assert_allclose(tails[:, :2], np.stack([xx.ravel(), yy.ravel()], 1))
    m = np.hypot(vec[:, 0], vec[:, 1])
    np.testing.assert_array_equal(bins, np.minimum((m / 2.0 * 8).astype(int), 7))
    # Lengths: min_length at 0, max_length at (and above) the top of the range.
    lengths = np.linalg.norm(drawn, axis=1)
    expected = field.min_length + (field.max_length - field.min_length) * np.clip(m / 2.0, 0, 1)
    np.testing.assert_allclose(lengths, expected, atol=1e-9)
    # Bin colours follow the colour scale from weakest to strongest.
    greys = [c.to_rgb()[0] for c in field.bin_colors]
    assert greys == sorted(greys) and len(greys) == 8


def test_set_vectors_updates_in_place() -> None:
    xx, yy = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 4))
    field = VectorFieldArrows(np.stack([xx, yy], -1), (xx, yy), colors=COLOURS)
    shafts = list(field.shafts)
    field.set_vectors(-yy, xx)
    assert field.shafts == shafts and field.submobjects == [*field.shafts, *field.tips]
    tails, heads, _ = _drawn_arrows(field)
    visible = field.visible()
    vec = np.stack([-yy.ravel(), xx.ravel()], 1)
    np.testing.assert_allclose(_unit((heads - tails)[visible, :2]), _unit(vec[visible]))
    with pytest.raises(ValueError, match="expected 16"):
        field.set_vectors(np.zeros((3, 2)))


def test_tiny_vectors_visible_huge_ones_clamped_zero_hidden() -> None:
    pos = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
    vec = np.array([[1e-6, 0.0], [0.0, 1e3], [0.0, 0.0], [1.0, 1.0]])
    field = VectorFieldArrows(pos, vec, colors=COLOURS, magnitude_range=(0.0, 1.0))
    lengths = field.drawn_lengths()
    assert lengths[0] == pytest.approx(field.min_length, rel=1e-5)
    assert lengths[1] == pytest.approx(field.max_length)
    assert lengths[2] == 0.0 and not field.visible()[2]
    log_field = VectorFieldArrows(pos, vec, colors=COLOURS, scale="log", magnitude_range=(1e-4, 10))
    t = log_field.normalized_magnitudes()
    assert t[0] == 0.0 and t[1] == 1.0
    assert t[3] == pytest.approx(np.log(np.sqrt(2) / 1e-4) / np.log(1e5))


def test_descent_field_matches_nll_gradient() -> None:
    """3 classes: drawn arrows along -(p - onehot) @ B.T, for every target."""
    xx, yy = plane_grid(3.0, 11)
    basis = sum_zero_basis(3)
    for target in range(3):
        field = VectorFieldArrows(
            np.stack([xx, yy], -1),
            descent_field(3, target, xx, yy),
            colors=COLOURS,
            magnitude_range=(0.0, 1.5),
        )
        expected = -nll_gradient(grid_logits(3, xx, yy), target) @ basis.T
        expected = expected.reshape(-1, 2)
        np.testing.assert_allclose(field.vectors, expected, atol=1e-12)
        tails, heads, _ = _drawn_arrows(field)
        np.testing.assert_allclose(_unit((heads - tails)[:, :2]), _unit(expected), atol=1e-9)


def test_field_in_a_tilted_plane_of_a_3d_scene() -> None:
    origin = np.array([0.0, 0.0, 1.0])
    basis = np.array([[1.0, 0.0, 0.0], [0.0, np.cos(0.5), np.sin(0.5)]])
    xx, yy = np.meshgrid(np.linspace(-1, 1, 3), np.linspace(-1, 1, 3))
    field = VectorFieldArrows(
        np.stack([xx, yy], -1), (yy, -xx), colors=COLOURS, origin=origin, basis=basis
    )
    normal = np.cross(*basis)
    points = np.concatenate([m.points for m in field.submobjects if len(m.points)])
    np.testing.assert_allclose((points - origin) @ normal, 0.0, atol=1e-12)
    frame = _frame(MeshCamera, [field], 60, -60)
    assert frame.sum() > 0


def test_field_frames_are_deterministic() -> None:
    xx, yy = plane_grid(3.0, 9)

    def draw() -> np.ndarray:
        field = VectorFieldArrows(
            np.stack([xx, yy], -1), descent_field(3, 1, xx, yy), colors=COLOURS
        )
        with tempconfig(SIZE):
            from manim import Camera

            camera = Camera()
            camera.capture_mobjects([field])
            return np.array(camera.pixel_array)

    np.testing.assert_array_equal(draw(), draw())


# --------------------------------------------------------------------------- #
# Frame regression and the test-harness camera
# --------------------------------------------------------------------------- #
#
# manim's ``frames_comparison`` skips every Cairo test when the system Cairo is
# older than 1.18 (this machine has 1.16), so the regression frame is checked here
# the same way: a control frame under control_data/, written with
# ``pytest --set_test``, compared with a small tolerance.

CONTROL = Path(__file__).parent / "control_data" / "mesh_field_frame.npz"


def _regression_frame() -> np.ndarray:
    x = np.linspace(-3, 3, 17)
    xx, yy = np.meshgrid(x, x, indexing="ij")
    bump = MeshSurface.from_heights(
        x, x, _bump(xx, yy), colorscale=[BLUE_D, RED], fill_opacity=0.8, stroke_width=0.5
    )
    floor = MeshSurface.from_heights(x, x, 0 * xx - 0.5, checkerboard_colors=["#404040", "#606060"])
    field = VectorFieldArrows(
        np.stack([xx, yy], -1)[::2, ::2],
        (-xx[::2, ::2], -yy[::2, ::2]),
        colors=COLOURS,
    )
    return _frame(MeshCamera, [ThreeDAxes(), floor, bump, field], 65, -50)


def test_regression_frame(request: pytest.FixtureRequest) -> None:
    frame = _regression_frame()
    if request.config.getoption("--set_test"):
        CONTROL.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(CONTROL, frame=frame)
    control = np.load(CONTROL)["frame"]
    assert control.shape == frame.shape
    diff = np.abs(control.astype(int) - frame.astype(int))
    assert diff.mean() < 0.5 and (diff.max(axis=2) > 40).mean() < 0.002


def test_passed_renderer_gets_a_mesh_camera() -> None:
    """frames_comparison passes a renderer with a plain Camera; scenes swap in MeshCamera."""
    renderer = CairoRenderer()
    kwargs = use_mesh_camera({"renderer": renderer})
    assert isinstance(renderer.camera, MeshCamera)
    assert kwargs["camera_class"] is MeshCamera
    scene = MeshThreeDScene(renderer=renderer)
    assert isinstance(scene.camera, MeshCamera)


def test_depth_points_are_manims() -> None:
    """The fast depth point of a mobject is manim's ``get_z_index_reference_point``:
    stock VMobjects (from their anchors) and floor drawings (their anchor ``Point``)."""
    from softmax_video.engine.mesh import _z_index_reference_point
    from softmax_video.kit.plane_geometry import on_floor

    square = Square(1.5).shift([1.0, -2.0, 0.5]).rotate(0.4, axis=RIGHT)
    text = MathTex("x^2").shift(UL)
    floor = on_floor(VGroup(Square(2.0), Line(LEFT, RIGHT)))
    for mob in [square, text, *floor.get_family()]:
        np.testing.assert_allclose(
            _z_index_reference_point(mob), mob.get_z_index_reference_point(), atol=1e-12
        )


@pytest.mark.parametrize(("phi", "theta", "zoom"), [(0.0, -90.0, 1.0), (65.0, -60.0, 0.7)])
def test_projection_within_a_frame_is_manims(phi: float, theta: float, zoom: float) -> None:
    """MeshCamera reads the view once a frame; its projections are ThreeDCamera's to
    the bit, also for points behind the camera's focal point."""
    rng = np.random.default_rng(3)
    points = rng.normal(scale=4.0, size=(200, 3))
    points[:5, 2] = 40.0  # beyond the focal distance: manim's 10**6 factor
    cameras = []
    for kind in (ThreeDCamera, MeshCamera):
        camera = kind()
        camera.set_phi(phi * DEGREES)
        camera.set_theta(theta * DEGREES)
        camera.set_zoom(zoom)
        camera.frame_center = np.array([0.5, -0.25, 0.0])
        cameras.append(camera)
    stock, mesh = cameras
    stock.reset_rotation_matrix()
    mesh._prepare_frame()  # as at the start of each frame
    assert mesh.__dict__.get("_view") is not None
    np.testing.assert_array_equal(mesh.project_points(points), stock.project_points(points))
    np.testing.assert_array_equal(mesh.project_point(points[7]), stock.project_point(points[7]))


class _FillingMeshCamera(MeshCamera):
    """MeshCamera filling every path as manim does (no masks)."""

    def _sprite_worthy(self, vmobject: VMobject) -> bool:
        return False


def test_fixed_in_frame_text_is_composited_through_a_kept_mask() -> None:
    """A title fixed in the frame is painted through coverage masks kept while it
    stands still: within a few levels of manim's fill on a few edge pixels, reused
    while the camera turns and while its colour fades, and a frame never depends on
    the frames drawn before it (a chapter's shares each draw only some)."""
    title = MathTex(r"P(k \mid x) = \mathrm{softmax}(Wx + b)_k").to_edge(UP)
    surface = _stock_and_mesh(0.8, resolution=8)[1]
    mobjects = [surface, title]

    def draw(camera: ThreeDCamera, theta: float) -> np.ndarray:
        camera.add_fixed_in_frame_mobjects(title)
        return _captured(camera, mobjects, theta)

    with tempconfig(SIZE):
        kept, filling = MeshCamera(), _FillingMeshCamera()
        masks = []
        for theta, opacity in [(-40, 1.0), (-35, 1.0), (-30, 0.5), (-25, 0.2)]:
            title.set_fill(opacity=opacity)
            frame = draw(kept, theta)
            masks.append({id(look.sprite) for look in kept.looks.current.values() if look.sprite})
            # The same frame from a camera that drew no frame before it.
            np.testing.assert_array_equal(frame, draw(MeshCamera(), theta))
            plain = draw(filling, theta)
            assert frame[:30].max() > 40 * opacity  # the title, at the top, is drawn
            difference = np.abs(frame.astype(int) - plain).max(axis=2)
            assert difference.max() <= 3 and (difference > 0).sum() < 40, theta
        assert masks[0] and all(m == masks[0] for m in masks)  # made once, kept throughout


# --------------------------------------------------------------------------- #
# Opt-in: lighting by normals, back-face culling, depth bias
# --------------------------------------------------------------------------- #


def _tilted_plane(slope: float, colour: str, **kwargs: object) -> MeshSurface:
    x = np.linspace(-1.5, 1.5, 7)
    xx, _ = np.meshgrid(x, x, indexing="ij")
    return MeshSurface.from_heights(x, x, slope * xx, fill_color=colour, **kwargs)


def test_lighting_is_lambert_by_the_face_normal() -> None:
    from softmax_video.engine.mesh import Lighting

    light = Lighting(direction=(0.0, 0.0, 1.0), ambient=0.3, diffuse=0.6)
    rgb = np.full((1, 3), 0.8)
    for slope in (0.0, 0.5, 2.0):
        # A face z = slope * x: unit normal (-slope, 0, 1) / sqrt(1 + slope^2).
        c = [np.array([[x, y, slope * x]]) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))]
        lit = light.shade(rgb, tuple(c), np.eye(3))
        expected = 0.8 * (0.3 + 0.6 / np.sqrt(1 + slope**2))
        np.testing.assert_allclose(lit, expected)
    # Both sides are lit alike: the normal is turned toward the viewer.
    flipped = tuple(np.array([[x, y, 0.0]]) for x, y in ((0, 0), (0, 1), (1, 1), (1, 0)))
    np.testing.assert_allclose(light.shade(rgb, flipped, np.eye(3)), 0.8 * 0.9)
    # Facing away from the light: ambient only.
    away = Lighting(direction=(1.0, 0.0, 0.0), ambient=0.3, diffuse=0.6)
    c = tuple(np.array([[x, y, 0.0]]) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1)))
    np.testing.assert_allclose(away.shade(rgb, c, np.eye(3)), 0.8 * 0.3)


def test_lighting_shows_slopes_and_is_off_by_default() -> None:
    from softmax_video.engine.mesh import Lighting

    light = Lighting(direction=(-1.0, 0.0, 1.0), ambient=0.4, diffuse=0.6)
    toward = _tilted_plane(1.0, "#808080", lighting=light)  # z = x faces (-1, 0, 1)
    away = _tilted_plane(-1.0, "#808080", lighting=light)
    a = _frame(MeshCamera, [toward], 0, -90)
    b = _frame(MeshCamera, [away], 0, -90)
    centre = (a.shape[0] // 2, a.shape[1] // 2)
    assert int(a[centre].sum()) > int(b[centre].sum()) + 60
    plain = _tilted_plane(1.0, "#808080")
    assert plain.lighting is None and not plain.cull_back_faces and plain.depth_bias == 0.0


def test_back_faces_culled_only_when_asked() -> None:
    flat = _tilted_plane(0.0, "#FF0000", shade=False)
    culled = _tilted_plane(0.0, "#FF0000", shade=False, cull_back_faces=True)
    # from_heights grids are ordered so that normals point down (-z) here: seen from
    # above, every face of the culled mesh is a back face.
    normal_z = np.cross(
        culled.points_grid[1, 1] - culled.points_grid[0, 0],
        culled.points_grid[0, 1] - culled.points_grid[1, 0],
    )[2]
    above = _frame(MeshCamera, [culled], 0, -90)
    below = _frame(MeshCamera, [culled], 180, -90)
    shown_above, shown_below = _covered(above).any(), _covered(below).any()
    assert shown_above == (normal_z > 0) and shown_below == (normal_z < 0)
    assert _covered(_frame(MeshCamera, [flat], 0, -90)).any()
    assert _covered(_frame(MeshCamera, [flat], 180, -90)).any()


def test_depth_bias_paints_a_mesh_over_nearer_faces() -> None:
    low = _tilted_plane(0.0, "#0000FF", shade=False)
    high = _tilted_plane(0.0, "#FF0000", shade=False).shift(0.5 * np.array([0, 0, 1]))
    centre = (SIZE["pixel_height"] // 2, SIZE["pixel_width"] // 2)
    plain = _frame(MeshCamera, [low, high], 0, -90)
    assert plain[centre][0] > plain[centre][2]  # the nearer (higher) plane wins
    biased = _tilted_plane(0.0, "#0000FF", shade=False, depth_bias=1.0)
    frame = _frame(MeshCamera, [biased, high], 0, -90)
    assert frame[centre][2] > frame[centre][0]
