"""Savitzky-Golay derivative (delta) features per clip."""

from __future__ import annotations

from ._jit import jit


@jit
def delta_clips(feats, frame_offsets, coef_table, out):
    """Delta features of each clip, as ``librosa.feature.delta(mode="interp")``.

    ``coef_table[w]`` (length ``w``, zero-padded) holds the Savitzky-Golay
    coefficients of the ``order``-th derivative of a degree-``order``
    polynomial least-squares fit over ``w`` points. Because the fit degree
    equals the derivative order, that derivative is constant over a window,
    so ``mode="interp"`` at the edges equals the first / last full window's
    value. Clips with fewer frames than the full width ``W`` use one fit over
    all their frames (``coef_table[n]``).

    Parameters
    ----------
    feats : (n_frames_total, n_features) float
    frame_offsets : (n_clips + 1,) int64
    coef_table : (W + 1, W) float
    out : (n_frames_total, n_features) float
    """
    W = coef_table.shape[0] - 1
    h = W // 2
    n_clips = frame_offsets.shape[0] - 1
    n_feat = feats.shape[1]
    for c in range(n_clips):
        a = frame_offsets[c]
        b = frame_offsets[c + 1]
        n = b - a
        if n <= 0:
            continue
        if n < W:
            for j in range(n_feat):
                acc = 0.0
                for i in range(n):
                    acc += coef_table[n, i] * feats[a + i, j]
                for f in range(a, b):
                    out[f, j] = acc
            continue
        for t in range(h, n - h):
            for j in range(n_feat):
                acc = 0.0
                for i in range(W):
                    acc += coef_table[W, i] * feats[a + t - h + i, j]
                out[a + t, j] = acc
        for t in range(h):
            for j in range(n_feat):
                out[a + t, j] = out[a + h, j]
                out[b - 1 - t, j] = out[b - 1 - h, j]
