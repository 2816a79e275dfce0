"""Time-domain frame features (zero-crossing rate, RMS) and the RMS of a spectrum, frames first.

Accumulations are in float64 whatever the input dtype.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit


@jit(fastmath=frozenset())
def zcr_rows(frames, thresholds, zero_pos, pad, out):
    """Zero-crossing rate of each frame, as librosa ``feature.zero_crossing_rate``.

    A sample with ``-thr <= x <= thr`` counts as 0. With ``zero_pos`` the sign
    is ``x < -thr`` (0 is positive), otherwise ``sign(x)`` in ``{-1, 0, 1}``.
    Sample ``i >= 1`` is a crossing when its sign differs from sample
    ``i - 1``'s; sample 0 is a crossing iff ``pad``. The rate is the number of
    crossings divided by the frame length.

    Parameters
    ----------
    frames : (n_frames, frame_length) float
        Raw (un-windowed) frames; any strides.
    thresholds : (1,) or (n_frames,) float, same dtype as ``frames``
        One threshold for all frames, or one per frame.
    zero_pos : bool
    pad : bool
    out : (n_frames, 1) float

    Notes
    -----
    Compiled without fast-math (there is no float reduction to speed up), so
    ``count / frame_length`` is correctly rounded, as NumPy's mean.
    """
    n, L = frames.shape
    shared = thresholds.shape[0] == 1
    for t in range(n):
        thr = thresholds[0] if shared else thresholds[t]
        cnt = 1 if pad else 0
        if zero_pos:
            neg = -thr
            prev = frames[t, 0] < neg
            for i in range(1, L):
                cur = frames[t, i] < neg
                if cur != prev:
                    cnt += 1
                prev = cur
        else:
            x = frames[t, 0]
            prev = 0 if (-thr <= x and x <= thr) else (1 if x > 0 else -1)
            for i in range(1, L):
                x = frames[t, i]
                cur = 0 if (-thr <= x and x <= thr) else (1 if x > 0 else -1)
                if cur != prev:
                    cnt += 1
                prev = cur
        out[t, 0] = cnt / L


@jit
def rms_rows(frames, out):
    """Root mean square of each frame: ``sqrt(sum_i x[i] ** 2 / frame_length)``.

    Parameters
    ----------
    frames : (n_frames, frame_length) float
        Raw (un-windowed) frames.
    out : (n_frames, 1) float
    """
    n, L = frames.shape
    for t in range(n):
        acc = 0.0
        for i in range(L):
            v = np.float64(frames[t, i])
            acc += v * v
        out[t, 0] = np.sqrt(acc / L)


@jit
def rms_spectrum_rows(S, frame_length, out):
    """RMS of each frame from its magnitude spectrum (Parseval), as librosa ``feature.rms(S=)``.

    ``sqrt(2 sum_k w[k] S[k] ** 2 / frame_length ** 2)`` with ``w = 1/2`` at
    DC and, for an even ``frame_length``, at the Nyquist bin (they appear
    once in the full spectrum), else 1.

    Parameters
    ----------
    S : (n_frames, frame_length // 2 + 1) float
        Magnitude spectrum, frames first.
    frame_length : int
    out : (n_frames, 1) float
    """
    n, n_bins = S.shape
    last = n_bins - 1
    w_last = 0.5 if frame_length % 2 == 0 else 1.0
    scale = 2.0 / (np.float64(frame_length) * np.float64(frame_length))
    for t in range(n):
        acc = 0.0
        for k in range(1, last):
            v = np.float64(S[t, k])
            acc += v * v
        v0 = np.float64(S[t, 0])
        acc += 0.5 * v0 * v0
        if last > 0:
            vl = np.float64(S[t, last])
            acc += w_last * vl * vl
        out[t, 0] = np.sqrt(scale * acc)
