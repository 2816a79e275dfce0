"""YIN fundamental-frequency kernel (de Cheveigne & Kawahara 2002), as librosa ``yin``.

The autocorrelation of each frame is computed by the caller (one batched
``scipy.fft`` call per chunk); this kernel turns it into the cumulative mean
normalised difference function, picks the period and refines it. Frames are
rows (frames first). Everything is accumulated in float64.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit

#: ``f0_scale`` codes of :func:`yin_rows`.
SCALE_HZ = 0
SCALE_LOG2 = 1
SCALE_MIDI = 2


@jit
def yin_rows(frames, acf, min_period, max_period, threshold, sample_rate, tiny, scale, out):
    """YIN period, f0 and voicing of each frame.

    Follows librosa 0.11 ``yin`` step by step:

    1. difference function ``d[0] = 0``, ``d[1] = 2 (r[0] - r[1])`` and, for
       ``k = 2..max_period``, ``d[k] = 2 (r[0] - r[k]) - sum_{m < k} x[m] ** 2``
       with ``r`` the frame's autocorrelation (librosa drops the energy term
       at lag 1);
    2. cumulative mean normalised difference
       ``c[tau] = d[tau] / (mean_{j=1..tau} d[j] + tiny)`` for
       ``tau = min_period..max_period`` (``M`` values, ``M >= 2``);
    3. troughs of ``c``: ``c[0] < c[1]`` at the first lag,
       ``c[i] < c[i-1] and c[i] <= c[i+1]`` inside, ``c[M-1] < c[M-2]`` at the last;
    4. the first trough with ``c < threshold`` is the period; if there is
       none, the global minimum (first one) of ``c`` is used;
    5. parabolic refinement ``shift = -b / a`` with
       ``a = c[i+1] + c[i-1] - 2 c[i]``, ``b = (c[i+1] - c[i-1]) / 2``
       (0 when ``|b| >= |a|`` and at the first and last lag);
    6. ``f0 = sample_rate / (min_period + i + shift)``.

    Parameters
    ----------
    frames : (n_frames, frame_length) float
        Raw (un-windowed) frames.
    acf : (n_frames, >= max_period + 1) float
        Autocorrelation of each frame, lags ``0..max_period``.
    min_period, max_period : int
        Lag range in samples, ``1 <= min_period < max_period < frame_length``.
    threshold : float
        ``trough_threshold``.
    sample_rate : float
        Hz.
    tiny : float
        Added to the cumulative mean (the frames' dtype ``tiny``, as librosa).
    scale : int
        ``SCALE_HZ`` (f0 in Hz), ``SCALE_LOG2`` (``log2(f0)``, octaves) or
        ``SCALE_MIDI`` (``69 + 12 log2(f0 / 440)``, semitones).
    out : (n_frames, 2) float
        Column 0: f0 in ``scale``; column 1: 1.0 when a trough below
        ``threshold`` was found (voiced), else 0.0.
    """
    n_frames = frames.shape[0]
    M = max_period - min_period + 1
    d = np.empty(max_period + 1)
    c = np.empty(M)
    for t in range(n_frames):
        a0 = np.float64(acf[t, 0])
        energy = 0.0
        d[0] = 0.0
        for k in range(1, max_period + 1):
            v = np.float64(frames[t, k - 1])
            energy += v * v
            # librosa zeroes the energy term of lag 1 (it overwrites row 0 of the
            # cumulative energy before using it); reproduced for equality
            d[k] = 2.0 * (a0 - np.float64(acf[t, k])) - (energy if k > 1 else 0.0)
        cum = 0.0
        for k in range(1, max_period + 1):
            cum += d[k]
            if k >= min_period:
                c[k - min_period] = d[k] / (cum / k + tiny)

        best = -1
        for i in range(M):
            x = c[i]
            if i == 0:
                trough = x < c[1]
            elif i == M - 1:
                trough = x < c[M - 2]
            else:
                trough = x < c[i - 1] and x <= c[i + 1]
            if trough and x < threshold:
                best = i
                break
        voiced = best >= 0
        if not voiced:
            best = 0
            lowest = c[0]
            for i in range(1, M):
                if c[i] < lowest:
                    lowest = c[i]
                    best = i
        shift = 0.0
        if 0 < best < M - 1:
            a = c[best + 1] + c[best - 1] - 2.0 * c[best]
            b = (c[best + 1] - c[best - 1]) / 2.0
            if abs(b) < abs(a):
                shift = -b / a
        f0 = sample_rate / (min_period + best + shift)
        if scale == SCALE_LOG2:
            f0 = np.log2(f0)
        elif scale == SCALE_MIDI:
            f0 = 69.0 + 12.0 * np.log2(f0 / 440.0)
        out[t, 0] = f0
        out[t, 1] = 1.0 if voiced else 0.0
