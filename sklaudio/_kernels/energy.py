"""Time-domain frame energy and entropy of energy (pyAudioAnalysis definitions).

Frames are rows (frames first), raw (un-windowed). Sums are accumulated in
float64 whatever the input dtype.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit


@jit
def energy_rows(frames, out):
    """Short-term energy ``sum_n x[n] ** 2 / frame_length`` of each row.

    Parameters
    ----------
    frames : (n_frames, frame_length) float
    out : (n_frames, 1) float
    """
    n_frames, L = frames.shape
    for t in range(n_frames):
        acc = 0.0
        for j in range(L):
            v = np.float64(frames[t, j])
            acc += v * v
        out[t, 0] = acc / L


@jit
def energy_entropy_rows(frames, n_sub, eps, out):
    """Entropy of the normalised sub-frame energies of each row.

    ``E = sum_n x[n] ** 2`` over the whole frame; the first
    ``n_sub * (L // n_sub)`` samples are cut into ``n_sub`` consecutive
    sub-frames of ``L // n_sub`` samples with energies ``e_j``;
    ``s_j = e_j / (E + eps)`` and ``H = -sum_j s_j log2(s_j + eps)``
    (pyAudioAnalysis ``ShortTermFeatures.energy_entropy``).

    Parameters
    ----------
    frames : (n_frames, frame_length) float
    n_sub : int
        Number of sub-frames, ``1 <= n_sub <= frame_length``.
    eps : float
        pyAudioAnalysis's ``eps`` (1e-8).
    out : (n_frames, 1) float
        Entropy in bits.
    """
    n_frames, L = frames.shape
    sub = L // n_sub
    for t in range(n_frames):
        total = 0.0
        for j in range(L):
            v = np.float64(frames[t, j])
            total += v * v
        h = 0.0
        for b in range(n_sub):
            e = 0.0
            for j in range(b * sub, (b + 1) * sub):
                v = np.float64(frames[t, j])
                e += v * v
            s = e / (total + eps)
            h -= s * np.log2(s + eps)
        out[t, 0] = h
