"""Numerically stable softmax and the functions around it.

Everything here follows the conventions of :mod:`scipy.special`: inputs are anything
:func:`numpy.asarray` accepts (lists included), results are float64, and reductions run
along ``axis`` (default ``-1``, the class axis).

Non-finite logits
-----------------
* ``-inf`` is a class that can never win: its probability is exactly 0.
* A row that is entirely ``-inf`` has no defined distribution: softmax and log_softmax
  give NaN for that row (as scipy does), logsumexp gives ``-inf``.
* ``+inf`` is the limit of a logit growing without bound: the probability is shared
  evenly by the ``+inf`` entries of the row (the same convention as ``temperature=0``
  for tied maxima; scipy returns NaN here). logsumexp gives ``+inf``.
* NaN anywhere in a row makes that whole row NaN; other rows are unaffected.

Temperature
-----------
``softmax(z, temperature=T)`` is ``softmax(z / T)`` computed as ``(z - max) / T`` so that a
tiny ``T`` cannot overflow into NaN. ``T = 0`` is the limit: the probability is shared
evenly by the tied maxima. Negative, NaN or infinite temperatures raise ``ValueError``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = [
    "entropy",
    "log_softmax",
    "logit",
    "logsumexp",
    "nll_gradient",
    "nll_loss",
    "one_hot",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "softmax_jacobian",
]

Axis = int | tuple[int, ...] | None
FloatArray = npt.NDArray[np.float64]


# ---------------------------------------------------------------------------
# private helpers
# ---------------------------------------------------------------------------
def _as_float_array(values: npt.ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _check_temperature(temperature: float) -> float:
    try:
        value = float(temperature)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"temperature must be a finite number >= 0, got {temperature!r}"
        ) from error
    if not math.isfinite(value) or value < 0.0:
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature!r}")
    return value


# Rows per block in _row_max: a block of a few hundred KB stays in cache across the
# per-class passes.
_ROW_BLOCK = 8192


def _row_max(z: FloatArray, axis: Axis) -> FloatArray:
    """``np.max(z, axis=axis, keepdims=True)``, faster for many short rows.

    NumPy reduces a short last axis row by row, which is slow for e.g. (1e6, 10) logits.
    For that layout we instead take the elementwise maximum of the K class columns,
    block by block so that each block stays in cache (the loop runs over blocks and
    classes, never over points). NaN propagates exactly as with ``np.max``.
    """
    n_classes = z.shape[-1] if z.ndim else 0
    last_axis = isinstance(axis, int | np.integer) and axis in (-1, z.ndim - 1)
    if not (last_axis and z.ndim >= 2 and 2 <= n_classes <= 64 and z.size >= 65536):
        return np.max(z, axis=axis, keepdims=True)
    rows = z.reshape(-1, n_classes)  # a copy only if z is not contiguous
    row_max = np.empty(len(rows))
    for start in range(0, len(rows), _ROW_BLOCK):
        block = rows[start : start + _ROW_BLOCK]
        block_max = row_max[start : start + _ROW_BLOCK]
        np.copyto(block_max, block[:, 0])
        for column in range(1, n_classes):
            np.maximum(block_max, block[:, column], out=block_max)
    return row_max.reshape(*z.shape[:-1], 1)


def _safe_shift(row_max: FloatArray) -> tuple[FloatArray, FloatArray | None]:
    """Return the shift to subtract from each row and, if some row maximum is not
    finite, the boolean mask of rows with a finite maximum (otherwise ``None``).

    Non-finite maxima are replaced by 0 so that ``z - shift`` never computes
    ``inf - inf`` (which would warn); those rows are overwritten afterwards.
    """
    finite = np.isfinite(row_max)
    if finite.all():
        return row_max, None
    return np.where(finite, row_max, 0.0), finite


def _shifted_logits(z: FloatArray, shift: FloatArray, temperature: float = 1.0) -> FloatArray:
    """``(z - shift) / temperature`` as a new array, with ``shift`` the row maximum.

    ``z - max <= 0`` can only overflow towards ``-inf`` (logits more than ~1.8e308 apart,
    or a tiny temperature), and ``-inf`` is then the exact limit (``exp(-inf) = 0``), so
    that overflow is expected and silenced here, nowhere else.
    """
    with np.errstate(over="ignore"):
        shifted = np.subtract(z, shift)
        if temperature != 1.0:
            shifted /= temperature
    return shifted


def _share_among_maxima(z: FloatArray, row_max: FloatArray, axis: Axis) -> FloatArray:
    """Probability split evenly between the entries equal to the row maximum.

    This is softmax at temperature 0 and for rows containing ``+inf``. Rows whose maximum
    is NaN (a NaN entry) or ``-inf`` (all entries ``-inf``) become NaN.
    """
    is_max = z == row_max
    count = np.sum(is_max, axis=axis, keepdims=True)
    shared = is_max / np.maximum(count, 1)
    undefined = np.isnan(row_max) | (row_max == -np.inf)
    if undefined.any():
        shared = np.where(undefined, np.nan, shared)
    return shared


def _log_of_probabilities(p: FloatArray) -> FloatArray:
    """``log(p)`` with ``log(0) = -inf`` and NaN kept, without a divide-by-zero warning."""
    out = np.where(np.isnan(p), np.nan, -np.inf)
    np.log(p, out=out, where=p > 0)
    return out


def _check_target(target: npt.ArrayLike, n_classes: int) -> npt.NDArray[np.integer]:
    target = np.asarray(target)
    if not np.issubdtype(target.dtype, np.integer):
        raise TypeError(f"target must hold integer class indices, got dtype {target.dtype}")
    if target.size and (target.min() < 0 or target.max() >= n_classes):
        raise ValueError(
            f"target must lie in [0, {n_classes}) for {n_classes} classes, "
            f"got values in [{target.min()}, {target.max()}]"
        )
    return target


def _broadcast_target(
    class_last: FloatArray, target: npt.NDArray[np.integer]
) -> tuple[FloatArray, npt.NDArray[np.integer]]:
    """Broadcast ``(..., K)`` values and a target over their common leading shape."""
    n_classes = class_last.shape[-1]
    leading = np.broadcast_shapes(class_last.shape[:-1], target.shape)
    return (
        np.broadcast_to(class_last, (*leading, n_classes)),
        np.broadcast_to(target, leading),
    )


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------
def logsumexp(z: npt.ArrayLike, axis: Axis = -1, keepdims: bool = False) -> FloatArray:
    """Compute ``log(sum(exp(z)))`` along an axis without overflow.

    Parameters
    ----------
    z : array_like
        Input values (logits), any shape.
    axis : int, tuple of int or None, optional
        Axis or axes to reduce over; ``None`` reduces over all entries. Default ``-1``.
    keepdims : bool, optional
        Keep the reduced axes as size-one dimensions. Default ``False``.

    Returns
    -------
    numpy.ndarray
        float64 array (a ``numpy.float64`` scalar when the result is 0-d). A row of all
        ``-inf`` gives ``-inf``, a row with ``+inf`` gives ``+inf``, a row with NaN gives NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import logsumexp
    >>> print(f"{logsumexp([1000.0, 1000.0]):.6f}")
    1000.693147
    >>> np.round(logsumexp([[0.0, 0.0], [1.0, -np.inf]]), 6).tolist()
    [0.693147, 1.0]
    """
    z = _as_float_array(z)
    row_max = _row_max(z, axis)
    shift, row_finite = _safe_shift(row_max)
    buffer = _shifted_logits(z, shift)
    if row_finite is not None:
        np.copyto(buffer, 0.0, where=~row_finite)  # keep exp() quiet on rows replaced below
    np.exp(buffer, out=buffer)
    # log1p of the terms besides one maximum (exp(0) = 1): summing the 1 first would
    # round away the digits of a small rest, e.g. log(1 + e^-21) to 7 digits.
    is_one = buffer == 1.0
    np.copyto(buffer, 0.0, where=is_one)
    result = np.sum(buffer, axis=axis, keepdims=True)
    result += np.sum(is_one, axis=axis, keepdims=True) - 1.0
    np.log1p(result, out=result)
    result += shift
    if row_finite is not None:
        result = np.where(row_finite, result, row_max)  # -inf, +inf or NaN: already right
    if not keepdims:
        result = np.squeeze(result, axis=axis)
    return result[()]


def softmax(z: npt.ArrayLike, axis: Axis = -1, temperature: float = 1.0) -> FloatArray:
    """Softmax ``exp(z / T) / sum(exp(z / T))`` along an axis, computed stably.

    Parameters
    ----------
    z : array_like
        Logits, any shape.
    axis : int, tuple of int or None, optional
        The class axis (or axes; ``None`` for all entries). Default ``-1``.
    temperature : float, optional
        ``T >= 0``. Computed as ``(z - max(z)) / T``, never ``z / T`` first. ``T = 0`` is the
        limit ``T -> 0+``: the probability is shared evenly by the tied maxima.

    Returns
    -------
    numpy.ndarray
        float64 probabilities, same shape as ``z``. ``-inf`` logits get probability 0; a
        row of all ``-inf`` or with a NaN gives a NaN row; ``+inf`` entries share the row.

    Raises
    ------
    ValueError
        If ``temperature`` is negative, NaN or infinite.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import softmax
    >>> np.round(softmax([0.0, 1.0, 3.0]), 4).tolist()
    [0.042, 0.1142, 0.8438]
    >>> np.round(softmax([1000.0, 1001.0, 1003.0]), 4).tolist()
    [0.042, 0.1142, 0.8438]
    >>> softmax([1.0, 2.0, 2.0], temperature=0).tolist()
    [0.0, 0.5, 0.5]
    >>> softmax([[-1e4, 0.0, 1e4], [0.0, -np.inf, 0.0]]).tolist()
    [[0.0, 0.0, 1.0], [0.5, 0.0, 0.5]]
    """
    z = _as_float_array(z)
    temperature = _check_temperature(temperature)
    row_max = _row_max(z, axis)
    if temperature == 0.0:
        return _share_among_maxima(z, row_max, axis)
    shift, row_finite = _safe_shift(row_max)
    out = _shifted_logits(z, shift, temperature)
    if row_finite is not None:
        np.copyto(out, 0.0, where=~row_finite)  # keep exp() quiet on rows replaced below
    np.exp(out, out=out)
    out /= np.sum(out, axis=axis, keepdims=True)
    if row_finite is not None:
        out = np.where(row_finite, out, _share_among_maxima(z, row_max, axis))
    return out


def log_softmax(z: npt.ArrayLike, axis: Axis = -1, temperature: float = 1.0) -> FloatArray:
    """Logarithm of :func:`softmax`, computed directly (no ``log(0)`` for tiny probabilities).

    Parameters
    ----------
    z : array_like
        Logits, any shape.
    axis : int, tuple of int or None, optional
        The class axis (or axes). Default ``-1``.
    temperature : float, optional
        ``T >= 0`` as in :func:`softmax`. At ``T = 0`` the tied maxima get ``log(1/m)``
        (``m`` = number of maxima, so 0 for a unique maximum) and the others ``-inf``.

    Returns
    -------
    numpy.ndarray
        float64 log-probabilities, same shape as ``z``. ``-inf`` logits give ``-inf``; a row
        of all ``-inf`` or with a NaN gives a NaN row.

    Raises
    ------
    ValueError
        If ``temperature`` is negative, NaN or infinite.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import log_softmax
    >>> np.round(log_softmax([0.0, 1.0, 3.0]), 4).tolist()
    [-3.1698, -2.1698, -0.1698]
    >>> np.round(log_softmax([-1e4, 0.0, 1e4]), 4).tolist()
    [-20000.0, -10000.0, 0.0]
    >>> np.round(log_softmax([1.0, 2.0, 2.0], temperature=0), 4).tolist()
    [-inf, -0.6931, -0.6931]
    """
    z = _as_float_array(z)
    temperature = _check_temperature(temperature)
    row_max = _row_max(z, axis)
    if temperature == 0.0:
        return _log_of_probabilities(_share_among_maxima(z, row_max, axis))
    shift, row_finite = _safe_shift(row_max)
    shifted = _shifted_logits(z, shift, temperature)
    if row_finite is not None:
        np.copyto(shifted, 0.0, where=~row_finite)  # keep exp() quiet on rows replaced below
    log_normaliser = np.sum(np.exp(shifted), axis=axis, keepdims=True)
    np.log(log_normaliser, out=log_normaliser)  # the sum is >= 1: the maximum gives exp(0)
    shifted -= log_normaliser
    if row_finite is not None:
        shared = _share_among_maxima(z, row_max, axis)
        shifted = np.where(row_finite, shifted, _log_of_probabilities(shared))
    return shifted


def sigmoid(x: npt.ArrayLike) -> FloatArray:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, elementwise, without overflow.

    Bit-for-bit equal to ``softmax([x, 0])[0]`` (the same operations are performed).

    Parameters
    ----------
    x : array_like
        Input, any shape.

    Returns
    -------
    numpy.ndarray
        float64 values in ``[0, 1]``, same shape as ``x`` (a scalar for scalar input).

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import sigmoid
    >>> np.round(sigmoid([-1000.0, 0.0, 2.0, 1000.0]), 4).tolist()
    [0.0, 0.5, 0.8808, 1.0]
    """
    x = _as_float_array(x)
    small = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow
    out = np.where(x >= 0, 1.0, small)
    out /= 1.0 + small
    return out[()]


def sigmoid_derivative(x: npt.ArrayLike) -> FloatArray:
    """Derivative of the sigmoid, ``sigmoid(x) * (1 - sigmoid(x))``, elementwise.

    Computed as ``e / (1 + e)**2`` with ``e = exp(-|x|)``, accurate for large ``|x|``.

    Parameters
    ----------
    x : array_like
        Input, any shape.

    Returns
    -------
    numpy.ndarray
        float64 values in ``[0, 1/4]``, same shape as ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import sigmoid_derivative
    >>> np.round(sigmoid_derivative([0.0, 2.0, -2.0]), 4).tolist()
    [0.25, 0.105, 0.105]
    >>> print(f"{sigmoid_derivative(700.0):.4e}")  # no cancellation in 1 - sigmoid
    9.8597e-305
    """
    x = _as_float_array(x)
    small = np.exp(-np.abs(x))
    one_plus = 1.0 + small
    return (small / one_plus / one_plus)[()]


def logit(p: npt.ArrayLike) -> FloatArray:
    """Inverse of the sigmoid, ``log(p / (1 - p))``, elementwise.

    Parameters
    ----------
    p : array_like
        Probabilities, any shape.

    Returns
    -------
    numpy.ndarray
        float64 array: ``-inf`` at 0, ``+inf`` at 1, NaN outside ``[0, 1]`` (as scipy).

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import logit
    >>> np.round(logit([0.0, 0.5, 0.8808, 1.0]), 4).tolist()
    [-inf, 0.0, 2.0, inf]
    """
    p = _as_float_array(p)
    inside = (p > 0.0) & (p < 1.0)
    safe = np.where(inside, p, 0.5)  # avoids log(0) warnings; edges are filled in below
    value = np.log(safe) - np.log1p(-safe)
    edges = np.where(p == 0.0, -np.inf, np.where(p == 1.0, np.inf, np.nan))
    return np.where(inside, value, edges)[()]


def entropy(p: npt.ArrayLike, axis: Axis = -1) -> FloatArray:
    """Shannon entropy ``-sum(p * log(p))`` in nats, with ``0 * log(0) = 0``.

    ``p`` is used as given (it is not renormalised).

    Parameters
    ----------
    p : array_like
        Probabilities, any shape.
    axis : int, tuple of int or None, optional
        Axis to sum over. Default ``-1``.

    Returns
    -------
    numpy.ndarray
        float64 entropies; between 0 and ``log(K)`` for a distribution over K classes.
        Negative or NaN entries give NaN for their row.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import entropy
    >>> np.round(entropy([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]), 4).tolist()
    [0.6931, 0.0]
    >>> bool(np.isclose(entropy(np.full(4, 0.25)), np.log(4)))
    True
    """
    p = _as_float_array(p)
    positive = p > 0.0
    p_log_p = p * np.log(np.where(positive, p, 1.0))
    terms = np.where(positive, p_log_p, np.where(p == 0.0, 0.0, np.nan))
    # 0 - sum instead of -sum so that a one-hot row gives +0.0, not -0.0
    return np.subtract(0.0, np.sum(terms, axis=axis))[()]


def softmax_jacobian(z: npt.ArrayLike, temperature: float = 1.0) -> FloatArray:
    """Jacobian of :func:`softmax` over the last axis: ``(diag(p) - p p^T) / T``.

    Parameters
    ----------
    z : array_like
        Logits of shape ``(..., K)``.
    temperature : float, optional
        ``T > 0`` (the Jacobian is undefined at ``T = 0``). Default 1.

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(..., K, K)``; entry ``[..., i, j]`` is
        ``d p_i / d z_j``. It is symmetric and its rows sum to 0.

    Raises
    ------
    ValueError
        If ``temperature`` is not a finite number > 0.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import softmax_jacobian
    >>> np.round(softmax_jacobian([0.0, 0.0]), 4).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    >>> softmax_jacobian(np.zeros((5, 3))).shape
    (5, 3, 3)
    """
    temperature = _check_temperature(temperature)
    if temperature == 0.0:
        raise ValueError("softmax_jacobian needs temperature > 0, got 0")
    p = softmax(z, axis=-1, temperature=temperature)
    jacobian = p[..., :, None] * p[..., None, :]
    np.negative(jacobian, out=jacobian)
    diagonal = np.arange(p.shape[-1])
    jacobian[..., diagonal, diagonal] += p
    if temperature != 1.0:
        jacobian /= temperature
    return jacobian


def one_hot(target: npt.ArrayLike, n_classes: int) -> FloatArray:
    """One-hot float vectors for integer class indices.

    Parameters
    ----------
    target : int or array_like of int
        Class indices in ``[0, n_classes)``, any shape.
    n_classes : int
        Number of classes K.

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``target.shape + (K,)``.

    Examples
    --------
    >>> from softmax_math import one_hot
    >>> one_hot([2, 0], 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    target = _check_target(target, n_classes)
    return (target[..., None] == np.arange(n_classes)).astype(np.float64)


def nll_loss(z: npt.ArrayLike, target: npt.ArrayLike, axis: int = -1) -> FloatArray:
    """Negative log-likelihood (cross-entropy) ``-log softmax(z)[target]``.

    Parameters
    ----------
    z : array_like
        Logits, class axis ``axis``.
    target : int or array_like of int
        Correct class in ``[0, K)``: an int, or an int array broadcast against the
        leading (non-class) axes of ``z``.
    axis : int, optional
        The class axis. Default ``-1``.

    Returns
    -------
    numpy.ndarray
        float64 losses of the broadcast leading shape (a scalar for one logit vector).

    Raises
    ------
    TypeError
        If ``target`` is not integer.
    ValueError
        If a target is outside ``[0, K)``.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import nll_loss
    >>> print(f"{nll_loss([0.0, 1.0, 3.0], 2):.4f}")
    0.1698
    >>> np.round(nll_loss([[0.0, 0.0], [5.0, 0.0]], [1, 0]), 4).tolist()
    [0.6931, 0.0067]
    >>> np.round(nll_loss([0.0, 1.0, 3.0], [0, 1, 2]), 4).tolist()
    [3.1698, 2.1698, 0.1698]
    """
    log_p = np.moveaxis(log_softmax(z, axis=axis), axis, -1)
    target = _check_target(target, log_p.shape[-1])
    log_p, target = _broadcast_target(log_p, target)
    picked = np.take_along_axis(log_p, target[..., None], axis=-1)[..., 0]
    return np.subtract(0.0, picked)[()]  # 0 - x so that a certain prediction gives +0.0


def nll_gradient(z: npt.ArrayLike, target: npt.ArrayLike, axis: int = -1) -> FloatArray:
    """Gradient of :func:`nll_loss` with respect to the logits: ``softmax(z) - onehot(target)``.

    The gradient sums to zero over the classes (it lies in the sum-zero plane).

    Parameters
    ----------
    z : array_like
        Logits, class axis ``axis``.
    target : int or array_like of int
        Correct class, as in :func:`nll_loss`.
    axis : int, optional
        The class axis. Default ``-1``.

    Returns
    -------
    numpy.ndarray
        float64 array with the class axis at ``axis`` and the broadcast leading shape.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import nll_gradient
    >>> np.round(nll_gradient([0.0, 1.0, 3.0], 2), 4).tolist()
    [0.042, 0.1142, -0.1562]
    """
    p = np.moveaxis(softmax(z, axis=axis), axis, -1)
    target = _check_target(target, p.shape[-1])
    p, target = _broadcast_target(p, target)
    gradient = p - (target[..., None] == np.arange(p.shape[-1]))
    return np.moveaxis(gradient, -1, axis)
