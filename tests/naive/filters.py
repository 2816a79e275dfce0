"""Mel scale and triangular filterbanks from their defining formulas (Slaney / HTK)."""

from __future__ import annotations

import numpy as np


def hz_to_mel(f, htk=False):
    f = np.asarray(f, dtype=float)
    if htk:
        return 2595 * np.log10(1 + f / 700)
    return np.where(f < 1000, 3 * f / 200, 15 + 27 * np.log(np.maximum(f, 1e-300) / 1000) / np.log(6.4))


def mel_to_hz(m, htk=False):
    m = np.asarray(m, dtype=float)
    if htk:
        return 700 * (10 ** (m / 2595) - 1)
    return np.where(m < 15, 200 * m / 3, 1000 * np.exp(np.log(6.4) * (m - 15) / 27))


def mel_filterbank(sr, n_fft, n_mels, fmin=0.0, fmax=None, htk=False, norm="slaney"):
    """Triangles between consecutive mel points, evaluated at each bin frequency."""
    fmax = sr / 2 if fmax is None else fmax
    pts = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    return triangles(sr, n_fft, pts, equal_area=norm == "slaney")


def triangles(sr, n_fft, pts, equal_area=False):
    """Filter m: 0 at pts[m], rising to 1 at pts[m+1], falling to 0 at pts[m+2] (Hz).

    ``equal_area`` divides each filter by half its width, ``2 / (pts[m+2] - pts[m])``
    (Slaney's mel ``norm="slaney"``, the Bark/linear ``norm="area"``).
    """
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    W = np.zeros((len(pts) - 2, len(freqs)))
    for m in range(len(pts) - 2):
        lo, c, hi = pts[m], pts[m + 1], pts[m + 2]
        for k, f in enumerate(freqs):
            if lo < f <= c:
                W[m, k] = (f - lo) / (c - lo)
            elif c < f < hi:
                W[m, k] = (hi - f) / (hi - c)
        if equal_area:
            W[m] *= 2.0 / (hi - lo)
    return W


def dense_from_sparse(fb_start, fb_stop, fb_offset, fb_weights, n_bins):
    """The dense ``(n_filters, n_bins)`` matrix of a sparse filterbank (start/stop/offset/weights)."""
    W = np.zeros((len(fb_start), n_bins))
    for m in range(len(fb_start)):
        n = fb_stop[m] - fb_start[m]
        W[m, fb_start[m]:fb_stop[m]] = fb_weights[fb_offset[m]:fb_offset[m] + n]
    return W


def sparse_from_dense(W, dtype=np.float64):
    """(start, stop, offset, weights) of the non-zero run of each row of ``W``."""
    start, stop, off, wts = [], [], [0], []
    for row in W:
        nz = np.flatnonzero(row)
        a, b = (nz[0], nz[-1] + 1) if nz.size else (0, 0)
        start.append(a)
        stop.append(b)
        wts.extend(row[a:b])
        off.append(off[-1] + (b - a))
    return (np.array(start, np.int64), np.array(stop, np.int64), np.array(off[:-1], np.int64),
            np.array(wts, dtype=dtype))
