"""Linear prediction per frame: autocorrelation, Levinson-Durbin, LPC -> cepstrum.

Sign convention: the prediction-error (inverse) filter is
``A(z) = 1 + a_1 z^-1 + ... + a_p z^-p`` (scipy / librosa ``lpc``), so the
prediction is ``x_hat[n] = -sum_k a_k x[n - k]``. All accumulations are in
float64 whatever the frame dtype.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit

#: The recursion stops (higher coefficients 0) once the prediction error falls
#: to ``r[0] * LEVINSON_RTOL`` or below: the frame is then predicted exactly
#: (to rounding) by the lower order, and the higher-order system is singular.
LEVINSON_RTOL = 1e-13


@jit
def autocorrelation(x, order, r):
    """``r[k] = sum_n x[n] x[n + k]`` for ``k = 0..order`` (unnormalised), float64.

    Parameters
    ----------
    x : (n,) float
        One (windowed) frame.
    order : int
        Highest lag.
    r : (>= order + 1,) float64
        Output.
    """
    n = x.shape[0]
    for k in range(order + 1):
        acc = 0.0
        for i in range(n - k):
            acc += np.float64(x[i]) * np.float64(x[i + k])
        r[k] = acc


@jit
def levinson(r, order, a, tmp):
    """Levinson-Durbin recursion on autocorrelation ``r[0..order]``.

    Solves the Toeplitz normal equations ``sum_j a_j r[|i - j|] = -r[i]``
    (``i = 1..order``) for ``a[1..order]`` (``a[0] = 1``).

    Parameters
    ----------
    r : (>= order + 1,) float64
    order : int
    a : (order + 1,) float64
        Output ``[1, a_1, ..., a_p]``.
    tmp : (order + 1,) float64
        Scratch.

    Returns
    -------
    float
        Prediction-error energy ``E = r[0] + sum_k a_k r[k]``
        (``= r[0] prod_i (1 - k_i^2)``). For ``r[0] <= 0`` (a silent frame)
        all ``a_k`` are 0 and ``E = 0``. The recursion stops early, leaving the
        higher coefficients 0, once ``E <= r[0] * LEVINSON_RTOL`` (the frame is
        then predicted exactly by the order reached, which is an exact
        solution of the singular higher-order system). A reflection
        coefficient ``|k| > 1`` (possible only by rounding, when ``E`` is ~0)
        is clamped to ``+-1``, which ends the recursion with ``E = 0``.
    """
    a[0] = 1.0
    for i in range(1, order + 1):
        a[i] = 0.0
    r0 = r[0]
    if not r0 > 0.0:
        return 0.0
    err = r0
    floor = r0 * LEVINSON_RTOL
    for i in range(1, order + 1):
        acc = r[i]
        for j in range(1, i):
            acc += a[j] * r[i - j]
        k = -acc / err
        if not abs(k) <= 1.0:  # only by rounding, when err is ~0: clamp (err becomes 0)
            k = 1.0 if k > 0.0 else -1.0
        for j in range(1, i):
            tmp[j] = a[j] + k * a[i - j]
        for j in range(1, i):
            a[j] = tmp[j]
        a[i] = k
        err *= 1.0 - k * k
        if err <= floor:
            break
    return err


@jit
def lpc_rows(frames, order, with_gain, out):
    """LPC coefficients ``a_1..a_p`` of every frame (autocorrelation method).

    Parameters
    ----------
    frames : (n_frames, frame_length) float
        Windowed frames.
    order : int
        ``p``, ``< frame_length``.
    with_gain : bool
        Also write the prediction-error energy ``E`` in column ``p``.
    out : (n_frames, p + with_gain) float
    """
    r = np.empty(order + 1, dtype=np.float64)
    a = np.empty(order + 1, dtype=np.float64)
    tmp = np.empty(order + 1, dtype=np.float64)
    for t in range(frames.shape[0]):
        autocorrelation(frames[t], order, r)
        err = levinson(r, order, a, tmp)
        for k in range(order):
            out[t, k] = a[k + 1]
        if with_gain:
            out[t, order] = err


@jit
def lpc_to_cepstrum(a, err, n_ceps, amin, c):
    """Cepstrum of the all-pole model ``E / |A(e^jw)|^2`` from its coefficients.

    ``c[0] = ln(max(E, amin))`` and, for ``n >= 1``,
    ``c[n] = -a_n - sum_{k=1}^{n-1} (k / n) c[k] a_{n-k}`` with ``a_n = 0``
    for ``n > p`` (Markel & Gray 1976; Rabiner & Juang 1993, eq. 3.83-3.84,
    with their predictor sign flipped to ours).

    Parameters
    ----------
    a : (p + 1,) float64
        ``[1, a_1, ..., a_p]``.
    err : float
        Prediction-error energy ``E``.
    n_ceps : int
        Coefficients ``c[0..n_ceps-1]`` to write.
    amin : float
        Floor on ``E`` before the log.
    c : (>= n_ceps,) float64
        Output.
    """
    p = a.shape[0] - 1
    c[0] = np.log(max(err, amin))
    for n in range(1, n_ceps):
        acc = -a[n] if n <= p else 0.0
        lo = n - p if n - p > 1 else 1
        for k in range(lo, n):
            acc -= (k / n) * c[k] * a[n - k]
        c[n] = acc


@jit
def lpcc_rows(frames, order, n_lpcc, amin, out):
    """LPC cepstral coefficients of every frame (:func:`lpc_rows` then :func:`lpc_to_cepstrum`).

    Parameters
    ----------
    frames : (n_frames, frame_length) float
        Windowed frames.
    order : int
        LPC order ``p``.
    n_lpcc : int
        Coefficients ``c_0..c_{n_lpcc-1}`` per frame (may exceed ``p``).
    amin : float
        Floor on the prediction-error energy before ``c_0 = ln E``.
    out : (n_frames, n_lpcc) float
    """
    r = np.empty(order + 1, dtype=np.float64)
    a = np.empty(order + 1, dtype=np.float64)
    tmp = np.empty(order + 1, dtype=np.float64)
    c = np.empty(n_lpcc, dtype=np.float64)
    for t in range(frames.shape[0]):
        autocorrelation(frames[t], order, r)
        err = levinson(r, order, a, tmp)
        lpc_to_cepstrum(a, err, n_lpcc, amin, c)
        for k in range(n_lpcc):
            out[t, k] = c[k]


@jit
def log_magnitude_rows(S, amin, out):
    """``out = ln(max(S, amin))`` elementwise (natural log of a magnitude)."""
    for t in range(S.shape[0]):
        for k in range(S.shape[1]):
            v = S[t, k]
            out[t, k] = np.log(v if v > amin else amin)
