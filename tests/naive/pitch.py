"""YIN (de Cheveigne & Kawahara 2002) with librosa 0.11's conventions, by direct sums."""

from __future__ import annotations

import numpy as np


def cmnd(frame, min_period, max_period, r=None, tiny=None):
    """Cumulative mean normalised difference d'[tau], tau = min_period..max_period.

    librosa's difference function: d[k] = 2 (r[0] - r[k]) - sum_{m<k} x[m]^2 for k >= 2,
    d[1] = 2 (r[0] - r[1]) (its lag-1 energy term is zeroed), with r the autocorrelation
    (direct sums unless given).
    """
    x = np.asarray(frame, dtype=np.float64)
    L = len(x)
    if r is None:
        r = np.array([np.dot(x[: L - k], x[k:]) for k in range(max_period + 1)])
    tiny = np.finfo(np.float64).tiny if tiny is None else tiny
    d = np.zeros(max_period + 1)
    for k in range(1, max_period + 1):
        d[k] = 2 * (r[0] - r[k]) - (np.sum(x[:k] ** 2) if k > 1 else 0.0)
    taus = np.arange(min_period, max_period + 1)
    mean = np.array([np.mean(d[1 : tau + 1]) for tau in taus])
    return d[taus] / (mean + tiny)


def pick_period(c, threshold):
    """(index, shift, voiced): the first trough below threshold (else the global minimum),
    with its parabolic refinement."""
    M = len(c)

    def is_trough(i):
        if i == 0:
            return c[0] < c[1]
        if i == M - 1:
            return c[-1] < c[-2]
        return c[i] < c[i - 1] and c[i] <= c[i + 1]

    below = [i for i in range(M) if is_trough(i) and c[i] < threshold]
    voiced = bool(below)
    i = below[0] if voiced else int(np.argmin(c))
    shift = 0.0
    if 0 < i < M - 1:
        a = c[i + 1] + c[i - 1] - 2 * c[i]
        b = (c[i + 1] - c[i - 1]) / 2
        if abs(b) < abs(a):
            shift = -b / a
    return i, shift, voiced


def yin_frame(frame, sr, fmin, fmax, threshold):
    """(f0, voiced) of one frame: first trough below threshold, else global minimum."""
    min_period = int(np.floor(sr / fmax))
    max_period = min(int(np.ceil(sr / fmin)), len(frame) - 1)
    i, shift, voiced = pick_period(cmnd(frame, min_period, max_period), threshold)
    return sr / (min_period + i + shift), float(voiced)


def yin(y, sr, fmin, fmax, frame_length, hop, threshold=0.1, center=True, pad_mode="constant"):
    y = np.asarray(y, dtype=np.float64)
    if center:
        y = np.pad(y, frame_length // 2, mode=pad_mode)
    n = 1 + (len(y) - frame_length) // hop
    res = [yin_frame(y[t * hop : t * hop + frame_length], sr, fmin, fmax, threshold)
           for t in range(n)]
    return np.array(res).T  # (2, n_frames): f0, voiced


# -- kernel twin ------------------------------------------------------------------------------
def yin_rows(frames, acf, min_period, max_period, threshold, sample_rate, tiny, scale, out):
    for t in range(frames.shape[0]):
        c = cmnd(frames[t], min_period, max_period, r=np.asarray(acf[t], np.float64), tiny=tiny)
        i, shift, voiced = pick_period(c, threshold)
        f0 = sample_rate / (min_period + i + shift)
        if scale == 1:
            f0 = np.log2(f0)
        elif scale == 2:
            f0 = 69.0 + 12.0 * np.log2(f0 / 440.0)
        out[t] = f0, float(voiced)
