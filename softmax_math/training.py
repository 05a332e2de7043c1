"""Train a tiny MLP in pure NumPy and record how its logits move.

The lecture shows the logits fed into softmax travelling while a network learns.  This module
builds that training run without any deep-learning framework, following PyTorch's semantics
exactly so the paths on screen are the real ones:

* data: :func:`make_dataset` -- two Gaussian blobs inside a spherical shell (3 classes, 3-D);
* model: ``Linear(3, h) -> ReLU -> Linear(h, h) -> ReLU -> Linear(h, 3)`` with PyTorch's default
  ``nn.Linear`` init for the first two layers and a zero last layer (:func:`init_params`), so every
  logit starts at 0 and every probability at 1/3;
* loss: mean cross-entropy over the full batch via :func:`softmax_math.core.nll_loss`, gradients
  by hand-written backprop (:func:`loss_and_gradients`);
* optimisers: :class:`SGD` and :class:`Adam`, exactly as ``torch.optim`` defines them;
* driver: :func:`train_logit_paths`, returning a frozen, read-only :class:`TrainingResult`.

Randomness
----------
Everything derives from one integer ``seed`` through two independent NumPy streams:
``np.random.default_rng([seed, 0])`` draws the data and ``np.random.default_rng([seed, 1])``
draws the initial weights.  The same seed therefore gives bit-identical arrays, and changing the
hidden width never changes the data.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from softmax_math.core import nll_loss, softmax

__all__ = [
    "DEFAULT_LEARNING_RATES",
    "NUM_CLASSES",
    "OPTIMIZERS",
    "SGD",
    "Adam",
    "TrainingResult",
    "forward",
    "init_params",
    "loss_and_gradients",
    "make_dataset",
    "train_logit_paths",
    "train_optimizers",
]

#: Number of classes (and logits per point) of the lecture's model.
NUM_CLASSES = 3

#: Optimiser names accepted by :func:`train_logit_paths`.
OPTIMIZERS = ("sgd", "adam")

#: Learning rate used when ``learning_rate=None``: SGD 0.1, Adam PyTorch's default 1e-3.
DEFAULT_LEARNING_RATES = {"sgd": 0.1, "adam": 1e-3}

# Stream ids appended to the seed: data and init must not share a stream, so that e.g. changing
# the hidden width (more init draws) never changes the data.
_DATA_STREAM = 0
_INIT_STREAM = 1

Params = list[tuple[np.ndarray, np.ndarray]]


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------
def _check_int(name: str, value: object, minimum: int) -> int:
    """Return ``value`` as an ``int`` or raise a ``ValueError`` naming the argument."""
    # bool is an Integral, but ``steps=True`` is certainly a mistake.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_seed(seed: object) -> int:
    return _check_int("seed", seed, 0)


def _check_positive_float(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


# --------------------------------------------------------------------------------------------
# data and initialisation
# --------------------------------------------------------------------------------------------
def make_dataset(
    points_per_class: int = 20,
    seed: int = 0,
    *,
    offset: float = 2.0,
    shell_radius: float = 4.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Three 3-D classes that no linear classifier separates.

    Class 0 is drawn from N((offset, 0, 0), I), class 1 from N((-offset, 0, 0), I) and class 2
    is standard-normal samples rescaled onto the sphere of radius ``shell_radius``: a shell
    around the other two.  Classes come in blocks (all of class 0, then 1, then 2).

    Parameters
    ----------
    points_per_class : int
        Points drawn per class (>= 1).
    seed : int
        Non-negative seed; the data use the stream ``np.random.default_rng([seed, 0])``.
    offset : float
        Distance of the two Gaussian centres from the origin along the x axis.
    shell_radius : float
        Radius of the sphere that class 2 lies on.

    Returns
    -------
    inputs : ndarray of float64, shape (3 * points_per_class, 3)
    labels : ndarray of int64, shape (3 * points_per_class,)

    Raises
    ------
    ValueError
        If ``points_per_class`` < 1, ``seed`` < 0, or ``shell_radius`` is not positive.

    Examples
    --------
    >>> inputs, labels = make_dataset(points_per_class=4, seed=0)
    >>> inputs.shape, inputs.dtype, labels.dtype
    ((12, 3), dtype('float64'), dtype('int64'))
    >>> labels.tolist()
    [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    >>> np.allclose(np.linalg.norm(inputs[labels == 2], axis=1), 4.0)
    True
    """
    n = _check_int("points_per_class", points_per_class, 1)
    rng = np.random.default_rng([_check_seed(seed), _DATA_STREAM])
    shell_radius = _check_positive_float("shell_radius", shell_radius)
    centre = np.array([float(offset), 0.0, 0.0])

    blob0 = rng.standard_normal((n, 3)) + centre
    blob1 = rng.standard_normal((n, 3)) - centre
    shell = rng.standard_normal((n, 3))
    # A standard normal sample is never exactly 0 in practice, but guard the division anyway.
    norms = np.maximum(np.linalg.norm(shell, axis=1, keepdims=True), np.finfo(float).tiny)
    shell *= shell_radius / norms

    inputs = np.concatenate([blob0, blob1, shell]).astype(np.float64, copy=False)
    labels = np.repeat(np.arange(3, dtype=np.int64), n)
    return inputs, labels


def init_params(
    seed: int = 0,
    hidden: int = 32,
    in_features: int = 3,
    num_classes: int = NUM_CLASSES,
) -> Params:
    """Initial parameters of ``Linear -> ReLU -> Linear -> ReLU -> Linear``.

    The first two layers use PyTorch's default ``nn.Linear`` init: weight and bias both
    uniform in ``[-1/sqrt(fan_in), 1/sqrt(fan_in)]`` (``kaiming_uniform_(a=sqrt(5))`` works out
    to exactly that bound), weight drawn before bias.  The last layer is all zeros, so every
    logit starts at 0 and every probability at ``1 / num_classes``.

    Parameters
    ----------
    seed : int
        Non-negative seed; the weights use the stream ``np.random.default_rng([seed, 1])``.
    hidden : int
        Width of both hidden layers (>= 1).
    in_features : int
        Input dimension (>= 1).
    num_classes : int
        Number of logits (>= 1).

    Returns
    -------
    list of (W, b)
        ``W`` has shape (out, in) as in PyTorch, ``b`` shape (out,); float64.

    Examples
    --------
    >>> params = init_params(seed=0, hidden=4)
    >>> [(W.shape, b.shape) for W, b in params]
    [((4, 3), (4,)), ((4, 4), (4,)), ((3, 4), (3,))]
    >>> bool(np.all(np.abs(params[0][0]) <= 1 / np.sqrt(3)))
    True
    >>> bool(np.all(params[-1][0] == 0) and np.all(params[-1][1] == 0))
    True
    """
    rng = np.random.default_rng([_check_seed(seed), _INIT_STREAM])
    hidden = _check_int("hidden", hidden, 1)
    in_features = _check_int("in_features", in_features, 1)
    num_classes = _check_int("num_classes", num_classes, 1)

    params: Params = []
    for fan_in, fan_out in ((in_features, hidden), (hidden, hidden)):
        bound = 1.0 / math.sqrt(fan_in)
        W = rng.uniform(-bound, bound, size=(fan_out, fan_in))
        b = rng.uniform(-bound, bound, size=fan_out)
        params.append((W, b))
    params.append((np.zeros((num_classes, hidden)), np.zeros(num_classes)))
    return params


# --------------------------------------------------------------------------------------------
# forward and backward
# --------------------------------------------------------------------------------------------
def forward(params: Sequence[tuple[np.ndarray, np.ndarray]], inputs: np.ndarray) -> np.ndarray:
    """Logits of the MLP: ``x @ W.T + b`` per layer with a ReLU between layers.

    Works for any number of layers; the last one has no activation.

    Parameters
    ----------
    params : sequence of (W, b)
        ``W`` of shape (out, in), ``b`` of shape (out,).
    inputs : ndarray, shape (N, in)

    Returns
    -------
    ndarray, shape (N, out of the last layer)

    Examples
    --------
    >>> inputs, _ = make_dataset(points_per_class=2)
    >>> forward(init_params(hidden=8), inputs)  # zero last layer: all logits 0
    array([[0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.]])
    """
    activation = np.asarray(inputs, dtype=np.float64)
    last = len(params) - 1
    for i, (W, b) in enumerate(params):
        activation = activation @ W.T + b
        if i < last:
            activation = np.maximum(activation, 0.0)
    return activation


def loss_and_gradients(
    params: Sequence[tuple[np.ndarray, np.ndarray]],
    inputs: np.ndarray,
    labels: np.ndarray,
) -> tuple[float, Params, np.ndarray]:
    """Mean cross-entropy, its gradients by backprop, and the logits.

    The loss is ``mean(nll_loss(logits, labels))``, i.e. PyTorch's ``F.cross_entropy`` with
    ``reduction="mean"``.  Its gradient with respect to the logits is
    ``(softmax(logits) - onehot(labels)) / N``; the chain rule then runs back through each layer.
    The ReLU derivative is taken as 0 at exactly 0, as PyTorch's ``threshold_backward`` does.

    Parameters
    ----------
    params : sequence of (W, b)
        ``W`` of shape (out, in), ``b`` of shape (out,).
    inputs : ndarray, shape (N, in)
    labels : ndarray of int, shape (N,)

    Returns
    -------
    loss : float
    grads : list of (dW, db)
        Same structure and shapes as ``params``.
    logits : ndarray, shape (N, out)
        The forward pass's output (so callers need not run it twice).

    Examples
    --------
    >>> inputs, labels = make_dataset(points_per_class=3)
    >>> loss, grads, logits = loss_and_gradients(init_params(hidden=4), inputs, labels)
    >>> round(loss, 6) == round(float(np.log(3)), 6)
    True
    >>> float(np.abs(grads[0][0]).max())  # zero last layer: no gradient reaches layer 1 yet
    0.0
    """
    x = np.asarray(inputs, dtype=np.float64)
    n = x.shape[0]
    last = len(params) - 1

    # Forward, keeping each layer's input and pre-activation for the backward pass.
    layer_inputs: list[np.ndarray] = []
    pre_activations: list[np.ndarray] = []
    activation = x
    for i, (W, b) in enumerate(params):
        layer_inputs.append(activation)
        z = activation @ W.T + b
        pre_activations.append(z)
        activation = np.maximum(z, 0.0) if i < last else z
    logits = activation

    loss = float(np.mean(nll_loss(logits, labels)))

    # d loss / d logits for mean cross-entropy.
    delta = softmax(logits, axis=-1)
    delta[np.arange(n), labels] -= 1.0
    delta /= n

    grads: Params = [None] * len(params)  # type: ignore[list-item]
    for i in range(last, -1, -1):
        W = params[i][0]
        grads[i] = (delta.T @ layer_inputs[i], delta.sum(axis=0))
        if i > 0:
            delta = (delta @ W) * (pre_activations[i - 1] > 0.0)
    return loss, grads, logits


# --------------------------------------------------------------------------------------------
# optimisers
# --------------------------------------------------------------------------------------------
class SGD:
    """Plain stochastic gradient descent, as ``torch.optim.SGD`` with no momentum.

    Update: ``p <- p - lr * g`` (no momentum, dampening, weight decay or Nesterov).

    Parameters
    ----------
    lr : float
        Learning rate (> 0); default 0.1.

    Examples
    --------
    >>> W, b = np.array([[1.0, -2.0]]), np.array([0.5])
    >>> SGD(lr=0.1).step([(W, b)], [(np.array([[1.0, 1.0]]), np.array([-2.0]))])
    >>> W, b
    (array([[ 0.9, -2.1]]), array([0.7]))
    """

    def __init__(self, lr: float = 0.1) -> None:
        self.lr = _check_positive_float("learning_rate", lr)

    def step(
        self,
        params: Sequence[tuple[np.ndarray, np.ndarray]],
        grads: Sequence[tuple[np.ndarray, np.ndarray]],
    ) -> None:
        """Update ``params`` in place from ``grads`` (same structure)."""
        for layer, layer_grads in zip(params, grads, strict=True):
            for p, g in zip(layer, layer_grads, strict=True):
                p -= self.lr * g


class Adam:
    """Adam, as ``torch.optim.Adam`` defines it (no weight decay, no AMSGrad).

    With step count ``t`` starting at 1 and ``m``, ``v`` starting at 0::

        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g**2
        p <- p - (lr / (1 - beta1**t)) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    i.e. the bias-corrected update of Kingma & Ba, with ``eps`` added after the bias correction
    of ``sqrt(v)``, in the same order of operations as PyTorch's implementation.

    Parameters
    ----------
    lr : float
        Learning rate (> 0); default 1e-3.
    betas : tuple of float
        Decay rates of the first and second moment, each in [0, 1); default (0.9, 0.999).
    eps : float
        Added to the denominator for numerical stability (> 0); default 1e-8.

    Examples
    --------
    The first step moves every parameter by about ``lr`` against the sign of its gradient:

    >>> W, b = np.array([[1.0, -2.0]]), np.array([0.5])
    >>> Adam(lr=0.1).step([(W, b)], [(np.array([[3.0, -0.5]]), np.array([0.0]))])
    >>> W.round(6), b
    (array([[ 0.9, -1.9]]), array([0.5]))
    """

    def __init__(
        self,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        self.lr = _check_positive_float("learning_rate", lr)
        if len(betas) != 2 or not all(0.0 <= float(beta) < 1.0 for beta in betas):
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas!r}")
        self.beta1, self.beta2 = (float(beta) for beta in betas)
        self.eps = _check_positive_float("eps", eps)
        self.t = 0
        self._m: list[np.ndarray] | None = None
        self._v: list[np.ndarray] | None = None

    def step(
        self,
        params: Sequence[tuple[np.ndarray, np.ndarray]],
        grads: Sequence[tuple[np.ndarray, np.ndarray]],
    ) -> None:
        """Update ``params`` in place from ``grads`` (same structure), advancing the state."""
        flat_params = [p for layer in params for p in layer]
        flat_grads = [g for layer in grads for g in layer]
        if self._m is None or self._v is None:
            self._m = [np.zeros_like(p) for p in flat_params]
            self._v = [np.zeros_like(p) for p in flat_params]
        self.t += 1
        bias_correction1 = 1.0 - self.beta1**self.t
        bias_correction2_sqrt = math.sqrt(1.0 - self.beta2**self.t)
        step_size = self.lr / bias_correction1
        for p, g, m, v in zip(flat_params, flat_grads, self._m, self._v, strict=True):
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * (g * g)
            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps
            p -= step_size * (m / denom)


# --------------------------------------------------------------------------------------------
# result and driver
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TrainingResult:
    """A recorded training run; all arrays are read-only.

    Attributes
    ----------
    optimizer : str
        ``"sgd"`` or ``"adam"``.
    learning_rate : float
        The learning rate actually used.
    logits : ndarray, shape (steps, N, C)
        ``logits[t]`` is the forward pass at step ``t`` *before* that step's update, so
        ``logits[0]`` are the initial logits (all zero with the default init).
    losses : ndarray, shape (steps,)
        Mean cross-entropy of ``logits[t]``.
    accuracy : ndarray, shape (steps,)
        Fraction of points whose largest logit is their label (ties go to the lowest class
        index, as ``argmax`` does, so step 0 scores the share of class 0).
    inputs : ndarray, shape (N, D)
    labels : ndarray of int64, shape (N,)
    initial_params : tuple of (W, b)
        Copies of the parameters the run started from; pass them back as ``initial_params``
        (with ``inputs`` and ``labels``) to replay the run exactly.
    final_params : tuple of (W, b)
        Parameters after the last update (one update past ``logits[-1]``).

    Examples
    --------
    >>> result = train_logit_paths("adam", steps=5)
    >>> result.steps, result.num_points, result.num_classes
    (5, 60, 3)
    >>> result.probabilities[0, 0].round(4)
    array([0.3333, 0.3333, 0.3333])
    >>> result.logits.flags.writeable
    False
    """

    optimizer: str
    learning_rate: float
    logits: np.ndarray = field(repr=False)
    losses: np.ndarray = field(repr=False)
    accuracy: np.ndarray = field(repr=False)
    inputs: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)
    initial_params: tuple[tuple[np.ndarray, np.ndarray], ...] = field(repr=False)
    final_params: tuple[tuple[np.ndarray, np.ndarray], ...] = field(repr=False)

    @property
    def steps(self) -> int:
        """Number of recorded steps."""
        return int(self.logits.shape[0])

    @property
    def num_points(self) -> int:
        """Number of training points N."""
        return int(self.logits.shape[1])

    @property
    def num_classes(self) -> int:
        """Number of classes C (logits per point)."""
        return int(self.logits.shape[2])

    @property
    def probabilities(self) -> np.ndarray:
        """Softmax of :attr:`logits` over the class axis, shape (steps, N, C), read-only."""
        return _readonly(softmax(self.logits, axis=-1))

    def subsample(self, n_frames: int, spacing: str = "log") -> np.ndarray:
        """Step indices for an animation with ``n_frames`` frames.

        Always returns ``min(n_frames, steps)`` distinct, increasing indices that start at 0 and
        end at ``steps - 1``.  With ``spacing="log"`` (default) they follow
        ``geomspace(1, steps, n_frames) - 1``, dense early where the logits move fastest, pushed
        apart to one step where rounding would repeat an index; ``spacing="linear"`` spaces them
        evenly.

        Parameters
        ----------
        n_frames : int
            Number of frames wanted (>= 2, or >= 1 when the run has a single step).
        spacing : {"log", "linear"}

        Returns
        -------
        ndarray of int64

        Examples
        --------
        >>> result = train_logit_paths("sgd", steps=5)
        >>> result.subsample(3, spacing="linear")
        array([0, 2, 4])
        >>> result.subsample(4)
        array([0, 1, 2, 4])
        >>> result.subsample(50)
        array([0, 1, 2, 3, 4])
        """
        steps = self.steps
        n_frames = _check_int("n_frames", n_frames, 1 if steps == 1 else 2)
        if spacing not in ("log", "linear"):
            raise ValueError(f"spacing must be one of 'log', 'linear', got {spacing!r}")
        n = min(n_frames, steps)
        if n == steps:
            return np.arange(steps, dtype=np.int64)
        if spacing == "linear":
            raw = np.linspace(0, steps - 1, n)
        else:
            raw = np.geomspace(1, steps, n) - 1
        indices = np.rint(raw).astype(np.int64)
        indices[0], indices[-1] = 0, steps - 1
        # Make the indices strictly increasing without leaving [0, steps - 1]: push repeats
        # forward, then pull back anything that overran the room left before the end.
        for i in range(1, n):
            indices[i] = max(indices[i], indices[i - 1] + 1)
        for i in range(n - 2, -1, -1):
            indices[i] = min(indices[i], indices[i + 1] - 1)
        return indices


def _validate_data(inputs: object, labels: object) -> tuple[np.ndarray, np.ndarray]:
    x = np.array(inputs, dtype=np.float64)  # copy: the result must not alias caller arrays
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise ValueError(f"inputs must have shape (N, D) with N, D >= 1, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("inputs must be finite (found NaN or inf)")
    y = np.array(labels)
    if y.dtype == np.bool_ or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be an integer array, got dtype {y.dtype}")
    if y.shape != (x.shape[0],):
        raise ValueError(
            f"labels must have shape (N,) = ({x.shape[0]},) to match inputs of shape "
            f"{x.shape}, got shape {y.shape}"
        )
    return x, y.astype(np.int64)


def _validate_params(initial_params: object, in_features: int) -> Params:
    try:
        layers = list(initial_params)  # type: ignore[call-overload]
    except TypeError:
        raise ValueError(
            f"initial_params must be a sequence of (W, b) pairs, got {type(initial_params)}"
        ) from None
    if not layers:
        raise ValueError("initial_params must contain at least one (W, b) layer, got none")
    params: Params = []
    expected_in = in_features
    for i, layer in enumerate(layers):
        try:
            W_raw, b_raw = layer
        except (TypeError, ValueError):
            raise ValueError(f"initial_params[{i}] must be a (W, b) pair, got {layer!r}") from None
        W = np.array(W_raw, dtype=np.float64)  # copies: updates must not touch caller arrays
        b = np.array(b_raw, dtype=np.float64)
        if W.ndim != 2 or W.shape[1] != expected_in or W.shape[0] < 1:
            raise ValueError(
                f"initial_params[{i}] W must have shape (out, {expected_in}), got {W.shape}"
            )
        if b.shape != (W.shape[0],):
            raise ValueError(
                f"initial_params[{i}] b must have shape ({W.shape[0]},), got {b.shape}"
            )
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise ValueError(f"initial_params[{i}] must be finite (found NaN or inf)")
        params.append((W, b))
        expected_in = W.shape[0]
    return params


def _frozen_params(params: Params) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    return tuple((_readonly(W.copy()), _readonly(b.copy())) for W, b in params)


def train_logit_paths(
    optimizer: str = "sgd",
    steps: int = 1000,
    learning_rate: float | None = None,
    hidden: int = 32,
    seed: int = 0,
    inputs: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    initial_params: Sequence[tuple[np.ndarray, np.ndarray]] | None = None,
) -> TrainingResult:
    """Train the MLP full-batch and record the logits of every point at every step.

    Each step: forward pass, record logits / loss / accuracy, backward pass, optimiser update.
    So ``logits[0]`` are the untrained logits (all zero with the default init).

    Parameters
    ----------
    optimizer : {"sgd", "adam"}
        Case-insensitive.
    steps : int
        Number of recorded steps (>= 1); as many updates are applied.
    learning_rate : float or None
        Positive; ``None`` picks :data:`DEFAULT_LEARNING_RATES` (SGD 0.1, Adam 1e-3).
    hidden : int
        Hidden width of the default init; ignored when ``initial_params`` is given.
    seed : int
        Non-negative; data from ``default_rng([seed, 0])`` (unless ``inputs`` / ``labels`` are
        given), init from ``default_rng([seed, 1])`` (unless ``initial_params`` is given).
    inputs, labels : ndarray or None
        Training data of shapes (N, D) and (N,), labels in ``[0, C)``; give both or neither.
        ``None`` uses ``make_dataset(seed=seed)``.
    initial_params : sequence of (W, b) or None
        Starting parameters (copied, never modified); any number of layers with ReLUs between.
        ``None`` uses ``init_params(seed, hidden, D, 3)``.

    Returns
    -------
    TrainingResult

    Raises
    ------
    ValueError
        For an unknown ``optimizer``, ``steps`` < 1, a non-positive ``learning_rate``,
        ``hidden`` < 1, a negative ``seed``, only one of ``inputs`` / ``labels``, labels out of
        range, or shapes of ``inputs``, ``labels`` and ``initial_params`` that do not fit.

    Examples
    --------
    >>> result = train_logit_paths("adam", steps=5)
    >>> result.logits.shape, result.losses.shape, result.accuracy.shape
    ((5, 60, 3), (5,), (5,))
    >>> bool(np.all(result.logits[0] == 0)), round(float(result.losses[0]), 6)
    (True, 1.098612)
    >>> bool(np.all(np.diff(result.losses) < 0))
    True

    Replaying a run from its recorded start gives identical arrays:

    >>> replay = train_logit_paths(
    ...     "adam", steps=5, inputs=result.inputs, labels=result.labels,
    ...     initial_params=result.initial_params)
    >>> bool(np.array_equal(replay.logits, result.logits))
    True
    """
    if not isinstance(optimizer, str) or optimizer.lower() not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {optimizer!r}")
    name = optimizer.lower()
    steps = _check_int("steps", steps, 1)
    lr = DEFAULT_LEARNING_RATES[name] if learning_rate is None else learning_rate
    lr = _check_positive_float("learning_rate", lr)
    hidden = _check_int("hidden", hidden, 1)
    seed = _check_seed(seed)

    if (inputs is None) != (labels is None):
        missing = "labels" if labels is None else "inputs"
        raise ValueError(f"inputs and labels must be given together; {missing} is None")
    if inputs is None:
        x, y = make_dataset(seed=seed)
    else:
        x, y = _validate_data(inputs, labels)

    if initial_params is None:
        params = init_params(seed, hidden, in_features=x.shape[1], num_classes=NUM_CLASSES)
    else:
        params = _validate_params(initial_params, in_features=x.shape[1])
    num_classes = params[-1][0].shape[0]
    if y.min() < 0 or y.max() >= num_classes:
        raise ValueError(
            f"labels must lie in [0, {num_classes}) for a model with {num_classes} outputs, "
            f"got values from {y.min()} to {y.max()}"
        )
    start = _frozen_params(params)

    opt: SGD | Adam = SGD(lr) if name == "sgd" else Adam(lr)
    n = x.shape[0]
    logits_path = np.empty((steps, n, num_classes))
    losses = np.empty(steps)
    accuracy = np.empty(steps)
    for t in range(steps):
        loss, grads, logits = loss_and_gradients(params, x, y)
        logits_path[t] = logits
        losses[t] = loss
        accuracy[t] = np.count_nonzero(logits.argmax(axis=1) == y) / n
        opt.step(params, grads)

    return TrainingResult(
        optimizer=name,
        learning_rate=lr,
        logits=_readonly(logits_path),
        losses=_readonly(losses),
        accuracy=_readonly(accuracy),
        inputs=_readonly(x),
        labels=_readonly(y),
        initial_params=start,
        final_params=_frozen_params(params),
    )


def train_optimizers(
    optimizers: Sequence[str],
    *,
    learning_rates: dict[str, float],
    steps: int = 1000,
    hidden: int = 32,
    points_per_class: int = 20,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, dict[str, TrainingResult]]:
    """Train the same model on the same data once per optimiser, for side-by-side paths.

    Parameters
    ----------
    optimizers : sequence of {"sgd", "adam"}
        The runs, in order.
    learning_rates : dict
        Learning rate of each optimiser named in ``optimizers``.
    steps, hidden, seed
        As for :func:`train_logit_paths`; every run starts from the same weights.
    points_per_class : int
        Size of the data set from :func:`make_dataset` with ``seed``.

    Returns
    -------
    inputs, labels : ndarray
        The shared data set.
    results : dict
        :class:`TrainingResult` of each optimiser, in the order given.

    Examples
    --------
    >>> inputs, labels, runs = train_optimizers(
    ...     ["sgd", "adam"], learning_rates={"sgd": 0.1, "adam": 0.001}, steps=3,
    ...     points_per_class=2)
    >>> list(runs), runs["adam"].logits.shape, inputs.shape
    (['sgd', 'adam'], (3, 6, 3), (6, 3))
    """
    inputs, labels = make_dataset(points_per_class=points_per_class, seed=seed)
    results = {
        name: train_logit_paths(
            name,
            steps=steps,
            learning_rate=learning_rates[name],
            hidden=hidden,
            seed=seed,
            inputs=inputs,
            labels=labels,
        )
        for name in optimizers
    }
    return inputs, labels, results
