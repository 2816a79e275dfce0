"""Spectral flux of each frame: normalised flux (pyAudioAnalysis) and librosa's onset
strength, frames-first. Accumulations are in float64 whatever the input dtype.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit


@jit
def normalized_flux_rows(S, out, first, last):
    """Flux between consecutive rows of sum-normalised magnitude spectra.

    ``out[t, 0] = sum_k (P[t, k] - P[t - 1, k]) ** 2`` with
    ``P[t] = S[t] / sum(S[t])`` (``P[t] = 0`` for a frame whose sum is
    below ``tiny``); ``out[0, 0] = 0``. The caller fixes the first row
    (and any row that starts a clip) with ``first``/``last``.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum (non-negative), ``n_frames >= 1``.
    out : (n_frames, >= 1) float
    first, last : (n_bins,) float64
        Receive ``P[0]`` and ``P[-1]``.
    """
    n, n_bins = S.shape
    tiny = np.finfo(out.dtype).tiny
    prev = np.zeros(n_bins, dtype=np.float64)
    for t in range(n):
        s = np.float64(0.0)
        for k in range(n_bins):
            s += S[t, k]
        inv = 1.0 / s if s >= tiny else 0.0
        if t == 0:
            out[t, 0] = 0.0
            for k in range(n_bins):
                c = S[t, k] * inv
                first[k] = c
                prev[k] = c
        else:
            acc = 0.0
            for k in range(n_bins):
                c = S[t, k] * inv
                d = c - prev[k]
                acc += d * d
                prev[k] = c
            out[t, 0] = acc
    for k in range(n_bins):
        last[k] = prev[k]


@jit
def onset_flux_clips(S, frame_offsets, shift, out):
    """librosa's onset strength (lag 1, no max filter, mean over rows) per clip.

    For each clip of ``T`` frames (local index ``t``):
    ``out[t] = mean_m max(0, S[t - shift + 1, m] - S[t - shift, m])`` when
    ``t >= shift``, else 0 (librosa pads ``shift`` zeros in front of the
    ``T - 1`` differences and trims to ``T``).

    Parameters
    ----------
    S : (n_frames_total, n_mels) float
        Log-power (dB) rows, clips concatenated.
    frame_offsets : (n_clips + 1,) int64
    shift : int
        ``lag + n_fft // (2 hop_length)`` with ``center``, else ``lag`` (>= 1).
    out : (n_frames_total, 1) float
    """
    n_m = S.shape[1]
    for c in range(frame_offsets.shape[0] - 1):
        a = frame_offsets[c]
        b = frame_offsets[c + 1]
        for f in range(a, b):
            t = f - a
            if t < shift:
                out[f, 0] = 0.0
                continue
            g = a + t - shift
            acc = 0.0
            for m in range(n_m):
                d = np.float64(S[g + 1, m]) - np.float64(S[g, m])
                if d > 0.0:
                    acc += d
            out[f, 0] = acc / n_m
