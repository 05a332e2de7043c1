"""Shading and outlines for solid-looking meshes, computed in numpy per face.

:class:`~softmax_video.engine.mesh.MeshSurface` takes per-face RGBA colours; the
helpers here compute them with a simple Lambert term (a fixed light, the face's
normal), so a surface or a closed body reads as a shape even where manim's own
light (a cubed, weak term) leaves it flat. Pass ``shade=False`` to the mesh so the
colours are used as given.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["face_normals", "lambert_rgba", "light_direction"]

FloatArray = npt.NDArray[np.float64]

#: Brightness of a face turned away from the light (share of its colour).
AMBIENT = 0.5
#: Brightness added for a face facing the light.
DIFFUSE = 0.6


def light_direction(phi: float, theta: float, up: float = 0.6, side: float = -0.4) -> FloatArray:
    """A unit light direction near a camera at ``(phi, theta)`` (manim's angles):
    from the camera, raised by ``up`` and moved to its left by ``side`` (negative: left).

    Examples
    --------
    >>> import numpy as np
    >>> light = light_direction(0.0, -np.pi / 2, up=0.0, side=0.0)
    >>> (np.round(light, 6) + 0.0).tolist()  # a camera looking straight down
    [0.0, 0.0, 1.0]
    """
    to_camera = np.array(
        [np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)], dtype=float
    )
    right = np.array([-np.sin(theta), np.cos(theta), 0.0])
    light = to_camera + up * np.array([0.0, 0.0, 1.0]) + side * right
    return light / np.linalg.norm(light)


def face_normals(points: npt.ArrayLike) -> FloatArray:
    """Unit normals of the quads of a ``(nu, nv, 3)`` grid, shape ``(nu - 1, nv - 1, 3)``.

    Each normal is the cross product of the quad's diagonals (exact for a planar
    quad, the best fit for a bent one); degenerate or NaN quads get ``0``.

    Examples
    --------
    >>> import numpy as np
    >>> x, y = np.meshgrid([0.0, 1.0], [0.0, 1.0], indexing="ij")
    >>> (face_normals(np.stack([x, y, 0 * x], axis=-1)).reshape(3) + 0.0).tolist()
    [0.0, 0.0, 1.0]
    """
    p = np.asarray(points, dtype=float)
    n = np.cross(p[1:, 1:] - p[:-1, :-1], p[:-1, 1:] - p[1:, :-1])
    norm = np.linalg.norm(n, axis=-1, keepdims=True)
    ok = np.isfinite(norm) & (norm > 1e-12)
    return np.where(ok, n / np.where(ok, norm, 1.0), 0.0)


def lambert_rgba(
    points: npt.ArrayLike,
    rgb: npt.ArrayLike,
    light: npt.ArrayLike,
    alpha: npt.ArrayLike | float = 1.0,
    ambient: float = AMBIENT,
    diffuse: float = DIFFUSE,
) -> FloatArray:
    """Per-face RGBA of a lit grid: ``rgb * (ambient + diffuse * |n . light|)``, clipped.

    Two-sided (a face lit from behind is lit like its front), so the normals'
    orientation does not matter. ``rgb`` is one colour or one per face
    ``(nu - 1, nv - 1, 3)``; ``alpha`` one value or one per face.

    Examples
    --------
    >>> import numpy as np
    >>> x, y = np.meshgrid([0.0, 1.0], [0.0, 1.0], indexing="ij")
    >>> flat = np.stack([x, y, 0 * x], axis=-1)
    >>> lit = lambert_rgba(flat, [0.5, 0.5, 0.5], [0.0, 0.0, 1.0])
    >>> np.round(lit.reshape(4), 6).tolist()
    [0.55, 0.55, 0.55, 1.0]
    >>> side = lambert_rgba(flat, [0.5, 0.5, 0.5], [1.0, 0.0, 0.0])
    >>> np.round(side.reshape(4), 6).tolist()
    [0.25, 0.25, 0.25, 1.0]
    """
    normals = face_normals(points)
    light = np.asarray(light, dtype=float)
    light = light / np.linalg.norm(light)
    facing = np.abs(normals @ light)
    rgb = np.broadcast_to(np.asarray(rgb, dtype=float), (*facing.shape, 3))
    lit = np.clip(rgb * (ambient + diffuse * facing)[..., None], 0.0, 1.0)
    a = np.broadcast_to(np.asarray(alpha, dtype=float), facing.shape)
    return np.concatenate([lit, a[..., None]], axis=-1)
