"""Linear prediction from the normal equations (scipy Toeplitz solve) and the LPC cepstrum
recursion (Rabiner & Juang 1993, eq. 3.83-3.84), in the kernels' sign convention
``A(z) = 1 + a_1 z^-1 + ... + a_p z^-p``."""

from __future__ import annotations

import numpy as np
import scipy.linalg


def lpc(frame, order):
    """a_1..a_p and E from scipy.linalg.solve_toeplitz on the autocorrelation (None if r0 = 0)."""
    x = np.asarray(frame, dtype=np.float64)
    r = np.correlate(x, x, mode="full")[len(x) - 1:len(x) + order]
    if r[0] == 0:
        return None
    a = scipy.linalg.solve_toeplitz((r[:order], r[:order]), -r[1:order + 1])
    return a, r[0] + a @ r[1:order + 1]


def lpcc(a, err, n_ceps, amin=1e-10):
    """Rabiner & Juang eq. 3.83-3.84 in their sign (alpha = -a): c_m = alpha_m + sum (k/m) c_k alpha_{m-k}."""
    p = len(a)
    alpha = np.zeros(max(n_ceps, p + 1))
    alpha[1:p + 1] = -np.asarray(a)
    c = np.zeros(n_ceps)
    c[0] = np.log(max(err, amin))
    for m in range(1, n_ceps):
        c[m] = (alpha[m] if m <= p else 0.0) + sum(
            (k / m) * c[k] * alpha[m - k] for k in range(max(1, m - p), m))
    return c


# -- kernel twins -----------------------------------------------------------------------------
def autocorrelation(x, order, r):
    x = np.asarray(x, dtype=np.float64)
    r[:order + 1] = np.correlate(x, x, mode="full")[len(x) - 1:len(x) + order]


def levinson(r, order, a, tmp):
    """Solution of the Toeplitz normal equations; returns ``E = r0 + a . r[1:]`` (0 for r0 <= 0)."""
    a[0] = 1.0
    a[1:order + 1] = 0.0
    if not r[0] > 0.0:
        return 0.0
    a[1:order + 1] = scipy.linalg.solve_toeplitz((r[:order], r[:order]), -r[1:order + 1])
    return float(r[0] + a[1:order + 1] @ r[1:order + 1])


def lpc_rows(frames, order, with_gain, out):
    for t in range(frames.shape[0]):
        res = lpc(frames[t], order)
        a, err = (np.zeros(order), 0.0) if res is None else res
        out[t, :order] = a
        if with_gain:
            out[t, order] = err


def lpc_to_cepstrum(a, err, n_ceps, amin, c):
    c[:n_ceps] = lpcc(a[1:], err, n_ceps, amin)


def lpcc_rows(frames, order, n_lpcc, amin, out):
    for t in range(frames.shape[0]):
        res = lpc(frames[t], order)
        a, err = (np.zeros(order), 0.0) if res is None else res
        out[t] = lpcc(a, err, n_lpcc, amin)


def log_magnitude_rows(S, amin, out):
    out[:] = np.log(np.maximum(np.asarray(S, dtype=np.float64), amin))
