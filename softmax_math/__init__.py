"""Pure-NumPy math behind the softmax video.

Every number a scene shows comes from here. The package depends on NumPy only (never on
manim or scipy). Array functions follow :mod:`scipy.special` conventions: any shape, an
``axis`` argument (default -1, the class axis), lists accepted, float64 results.

Modules
-------
core
    softmax, log_softmax, logsumexp, sigmoid, logit, entropy, Jacobian, NLL loss/gradient.
descent
    Gradient descent in the 3-class plane: descent paths, the two pulls of one step.
geometry
    The sum-zero plane of logit space: basis, plane coordinates, class vertices.
gaussians
    Isotropic Gaussian classes, their densities and their softmax-shaped posterior.
grids
    Probability / loss surfaces and gradient fields over whole grids, vectorised.
isosurfaces
    Iso-probability surfaces for 4 classes and 3D slices of them for 5, as meshes.
"""

from softmax_math.core import (
    entropy,
    log_softmax,
    logit,
    logsumexp,
    nll_gradient,
    nll_loss,
    one_hot,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
)
from softmax_math.descent import descent_path, split_descent, turning_angle
from softmax_math.gaussians import (
    gaussian_density,
    gaussian_log_density,
    gaussian_logits,
    gaussian_posterior,
    normalised_densities,
)
from softmax_math.geometry import (
    class_vertices,
    dominant_class,
    from_plane,
    sum_zero_basis,
    to_plane,
)
from softmax_math.grids import (
    LogitSquareField,
    PlaneField,
    descent_field,
    grid_logits,
    logit_square_field,
    loss_surface,
    plane_field,
    plane_grid,
    softmax_surfaces,
)
from softmax_math.isosurfaces import (
    IsoSurface,
    iso_probability_slice,
    iso_probability_slices,
    iso_probability_surface,
)

__all__ = [
    "IsoSurface",
    "LogitSquareField",
    "PlaneField",
    "class_vertices",
    "descent_field",
    "descent_path",
    "dominant_class",
    "entropy",
    "from_plane",
    "gaussian_density",
    "gaussian_log_density",
    "gaussian_logits",
    "gaussian_posterior",
    "grid_logits",
    "iso_probability_slice",
    "iso_probability_slices",
    "iso_probability_surface",
    "log_softmax",
    "logit",
    "logit_square_field",
    "logsumexp",
    "loss_surface",
    "nll_gradient",
    "nll_loss",
    "normalised_densities",
    "one_hot",
    "plane_field",
    "plane_grid",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "softmax_jacobian",
    "softmax_surfaces",
    "split_descent",
    "sum_zero_basis",
    "to_plane",
    "turning_angle",
]

# ---------------------------------------------------------------------------
# softmax_math.training (owned by the training engineer): put its
# `from softmax_math.training import ...` lines and `__all__ += [...]` below this line.
# ---------------------------------------------------------------------------
from softmax_math.training import (
    TrainingResult,
    init_params,
    make_dataset,
    train_logit_paths,
    train_optimizers,
)

__all__ += [
    # training
    "TrainingResult",
    "init_params",
    "make_dataset",
    "train_logit_paths",
    "train_optimizers",
]
