"""Plain-NumPy twins of every kernel, written from the defining formulas.

They are slow and obvious on purpose: loops over frames and filters, numpy.pad
for padding, np.fft for the transform. Kernels and functional results are
checked against them.
"""

from __future__ import annotations

import numpy as np
import scipy.signal


def hann_periodic(n):
    k = np.arange(n)
    return 0.5 - 0.5 * np.cos(2 * np.pi * k / n)


def frames(y, n_fft, hop, window, center=True, pad_mode="constant"):
    """Windowed frames (n_frames, n_fft) by explicit padding and slicing."""
    if center:
        y = np.pad(y, n_fft // 2, mode=pad_mode)
    n_frames = 1 + (len(y) - n_fft) // hop
    return np.stack([window * y[t * hop : t * hop + n_fft] for t in range(n_frames)])


def stft(y, n_fft, hop, window, center=True, pad_mode="constant"):
    """(n_bins, n_frames) via a DFT per frame."""
    F = frames(y, n_fft, hop, window, center, pad_mode)
    n = np.arange(n_fft)
    k = np.arange(n_fft // 2 + 1)
    basis = np.exp(-2j * np.pi * np.outer(k, n) / n_fft)
    return basis @ F.T


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
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    W = np.zeros((n_mels, len(freqs)))
    for m in range(n_mels):
        lo, c, hi = pts[m], pts[m + 1], pts[m + 2]
        for k, f in enumerate(freqs):
            if lo < f <= c:
                W[m, k] = (f - lo) / (c - lo)
            elif c < f < hi:
                W[m, k] = (hi - f) / (hi - c)
        if norm == "slaney":
            W[m] *= 2.0 / (hi - lo)
    return W


def power_filterbank(spec, W, power=2.0, log=False, amin=1e-10):
    """(n_frames, n_filt): W @ |spec|**power per frame (spec is frames-first)."""
    P = np.abs(spec.astype(np.complex128)) ** power
    out = P @ W.T.astype(np.float64)
    return 10 * np.log10(np.maximum(amin, out)) if log else out


def db_reference_clamp(db, frame_offsets, ref_db, ref_is_max, top_db):
    out = db.astype(np.float64).copy()
    for a, b in zip(frame_offsets[:-1], frame_offsets[1:]):
        seg = out[a:b]
        mx = seg.max()
        if top_db >= 0:
            seg = np.maximum(seg, mx - top_db)
        out[a:b] = seg - (mx if ref_is_max else ref_db)
    return out


def dct2_ortho(x, axis=0):
    """Orthonormal DCT-II by the defining sum."""
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, 0)
    N = x.shape[0]
    n = np.arange(N)
    C = np.array([np.cos(np.pi * k * (2 * n + 1) / (2 * N)) for k in range(N)])
    C *= np.sqrt(2 / N)
    C[0] /= np.sqrt(2)
    return np.moveaxis(np.tensordot(C, x, axes=1), 0, axis)


def pool(feats, frame_offsets, stats):
    """Per-clip statistics straight from numpy/scipy (``"p<q>"`` = percentile q)."""
    import scipy.stats

    def slope(x, axis=0):
        t = np.arange(x.shape[0], dtype=np.float64)
        if x.shape[0] < 2:
            return np.zeros(x.shape[1])
        return np.polyfit(t, x, 1)[0]

    def constant_zero(fn):
        # sklaudio's documented convention: a constant feature has skew = kurtosis = 0
        # (scipy returns nan there).
        def f(x, axis):
            r = fn(x, axis=axis)
            return np.where(np.ptp(x, axis=axis) == 0, 0.0, r)
        return f

    fns = {"mean": np.mean, "std": np.std, "min": np.min, "max": np.max, "median": np.median,
           "skew": constant_zero(scipy.stats.skew),
           "kurtosis": constant_zero(scipy.stats.kurtosis),
           "slope": slope}
    cols = []
    for s in stats:
        fn = fns.get(s) or (lambda x, axis, q=float(s[1:]): np.percentile(x, q, axis=axis))
        cols.append(np.stack([fn(feats[a:b].astype(np.float64), axis=0)
                              for a, b in zip(frame_offsets[:-1], frame_offsets[1:])]))
    return np.concatenate(cols, axis=1)


def delta(x, width, order):
    """librosa's definition: Savitzky-Golay derivative, mode='interp', time on axis -1."""
    return scipy.signal.savgol_filter(x, width, deriv=order, polyorder=order, axis=-1,
                                      mode="interp")


def overlap_add(frames_, window, hop, length):
    out = np.zeros(length)
    wss = np.zeros(length)
    for t, fr in enumerate(frames_):
        s = t * hop
        e = min(length, s + len(fr))
        out[s:e] += (window * fr)[: e - s]
        wss[s:e] += (window**2)[: e - s]
    return out, wss
