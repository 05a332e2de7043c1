/* softmax-math.js: the in-browser math of every interactive page, one shared module.
 *
 * It follows softmax_math (the Python package the video is rendered with) operation by
 * operation, so that the pages show the same numbers as the video: the maximum is
 * subtracted before exp (stable), temperature divides the shifted logits, -Infinity is
 * a class that never wins, T = 0 shares the probability among the tied maxima.
 * A classic script (not an ES module) so that it loads from file: URLs; it defines the
 * global SoftmaxMath.
 */
(function (root) {
  "use strict";

  function max(z) {
    let m = -Infinity;
    for (const v of z) {
      if (Number.isNaN(v)) return NaN;
      if (v > m) m = v;
    }
    return m;
  }

  function sum(values) {
    let s = 0;
    for (const v of values) s += v;
    return s;
  }

  /* Probability shared evenly by the entries equal to the maximum (T = 0, +inf). */
  function shareAmongMaxima(z, m) {
    if (Number.isNaN(m) || m === -Infinity) return z.map(() => NaN);
    const count = z.filter((v) => v === m).length;
    return z.map((v) => (v === m ? 1 / count : 0));
  }

  function checkTemperature(T) {
    if (!(Number.isFinite(T) && T >= 0)) {
      throw new RangeError("temperature must be a finite number >= 0, got " + T);
    }
    return T;
  }

  /* softmax(z, T) = exp((z - max) / T) / sum(...) */
  function softmax(z, T = 1) {
    checkTemperature(T);
    const m = max(z);
    if (T === 0 || !Number.isFinite(m)) return shareAmongMaxima(z, m);
    const e = z.map((v) => {
      let s = v - m;
      if (T !== 1) s /= T;
      return Math.exp(s);
    });
    const total = sum(e);
    return e.map((v) => v / total);
  }

  function logsumexp(z) {
    const m = max(z);
    if (!Number.isFinite(m)) return m;
    return Math.log(sum(z.map((v) => Math.exp(v - m)))) + m;
  }

  function logSoftmax(z, T = 1) {
    checkTemperature(T);
    const m = max(z);
    if (T === 0 || !Number.isFinite(m)) {
      return shareAmongMaxima(z, m).map((p) => (Number.isNaN(p) ? NaN : p > 0 ? Math.log(p) : -Infinity));
    }
    const shifted = z.map((v) => {
      let s = v - m;
      if (T !== 1) s /= T;
      return s;
    });
    const logNormaliser = Math.log(sum(shifted.map(Math.exp)));
    return shifted.map((s) => s - logNormaliser);
  }

  function sigmoid(x) {
    const small = Math.exp(-Math.abs(x));
    return (x >= 0 ? 1 : small) / (1 + small);
  }

  function sigmoidDerivative(x) {
    const small = Math.exp(-Math.abs(x));
    const onePlus = 1 + small;
    return small / onePlus / onePlus;
  }

  /* Shannon entropy in nats, 0 log 0 = 0; a negative or NaN entry gives NaN. */
  function entropy(p) {
    let s = 0;
    for (const v of p) {
      if (v > 0) s += v * Math.log(v);
      else if (v !== 0) return NaN;
    }
    return 0 - s;
  }

  function nllLoss(z, target) {
    return 0 - logSoftmax(z)[target];
  }

  /* d(-log p_target)/dz = softmax(z) - onehot(target) */
  function nllGradient(z, target) {
    return softmax(z).map((p, i) => p - (i === target ? 1 : 0));
  }

  /* (diag(p) - p p^T) / T; entry [i][j] is d p_i / d z_j. */
  function softmaxJacobian(z, T = 1) {
    checkTemperature(T);
    if (T === 0) throw new RangeError("softmaxJacobian needs temperature > 0, got 0");
    const p = softmax(z, T);
    return p.map((pi, i) =>
      p.map((pj, j) => {
        let v = -(pi * pj);
        if (i === j) v += pi;
        if (T !== 1) v /= T;
        return v;
      }),
    );
  }

  const bases = {};
  /* Orthonormal basis of the sum-zero plane, (k - 1) rows of k (as softmax_math.geometry). */
  function sumZeroBasis(k) {
    if (bases[k]) return bases[k];
    let basis;
    if (k === 2) {
      basis = [[1 / Math.SQRT2, -1 / Math.SQRT2]];
    } else {
      const rest = k > 3 ? sumZeroBasis(k - 1) : sumZeroBasis(2).map((row) => row.map((v) => -v));
      const norm = Math.sqrt(k * (k - 1));
      const towards0 = Array.from({ length: k }, (_, i) => (i === 0 ? k - 1 : -1) / norm);
      basis = rest.map((row) => [0, ...row]);
      basis.push(towards0);
    }
    bases[k] = basis;
    return basis;
  }

  function toPlane(z) {
    return sumZeroBasis(z.length).map((row) => sum(row.map((b, i) => b * z[i])));
  }

  function fromPlane(x) {
    const basis = sumZeroBasis(x.length + 1);
    return basis[0].map((_, i) => sum(x.map((xa, a) => xa * basis[a][i])));
  }

  function classVertices(k) {
    const basis = sumZeroBasis(k);
    return Array.from({ length: k }, (_, i) => basis.map((row) => row[i]));
  }

  function argmax(values) {
    let best = 0;
    for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
    return best;
  }

  /* Isotropic Gaussians N(mean_k, sigma^2 I): means is K rows of d numbers. */
  function gaussianLogDensity(x, mean, sigma) {
    let squared = 0;
    for (let i = 0; i < x.length; i++) squared += (x[i] - mean[i]) ** 2;
    const logNormaliser = -0.5 * x.length * Math.log(2 * Math.PI * sigma ** 2);
    return logNormaliser - squared / (2 * sigma ** 2);
  }

  function gaussianDensity(x, mean, sigma) {
    return Math.exp(gaussianLogDensity(x, mean, sigma));
  }

  function logPriors(priors, k) {
    if (!priors) return Array.from({ length: k }, () => -Math.log(k));
    const total = sum(priors);
    return priors.map((p) => (p / total > 0 ? Math.log(p / total) : -Infinity));
  }

  /* Weights means / sigma^2 and biases -|mean|^2 / (2 sigma^2) + log prior: the linear
   * logits whose softmax is the Gaussian posterior. */
  function gaussianLogits(means, sigma, priors) {
    const s2 = sigma ** 2;
    const lp = logPriors(priors, means.length);
    return {
      W: means.map((m) => m.map((v) => v / s2)),
      b: means.map((m, k) => -sum(m.map((v) => v ** 2)) / (2 * s2) + lp[k]),
    };
  }

  function gaussianPosterior(x, means, sigma, priors) {
    const { W, b } = gaussianLogits(means, sigma, priors);
    return softmax(W.map((w, k) => sum(w.map((wi, i) => wi * x[i])) + b[k]));
  }

  root.SoftmaxMath = Object.freeze({
    argmax,
    classVertices,
    entropy,
    fromPlane,
    gaussianDensity,
    gaussianLogDensity,
    gaussianLogits,
    gaussianPosterior,
    logSoftmax,
    logsumexp,
    nllGradient,
    nllLoss,
    sigmoid,
    sigmoidDerivative,
    softmax,
    softmaxJacobian,
    sumZeroBasis,
    toPlane,
  });
})(typeof window !== "undefined" ? window : globalThis);
