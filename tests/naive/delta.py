"""Delta features: librosa's definition (Savitzky-Golay derivative, ``mode="interp"``)."""

from __future__ import annotations

import numpy as np
import scipy.signal


def delta(x, width, order):
    """librosa's definition: Savitzky-Golay derivative, mode='interp', time on axis -1."""
    return scipy.signal.savgol_filter(x, width, deriv=order, polyorder=order, axis=-1,
                                      mode="interp")


# -- kernel twin ------------------------------------------------------------------------------
def delta_clips(feats, frame_offsets, coef_table, out):
    """Each clip's frames correlated with the full-width Savitzky-Golay filter ``coef_table[W]``.

    ``mode="interp"`` with a fit of degree = derivative order: the derivative
    of the fit is constant over a window, so the first (last) ``W // 2``
    frames take the first (last) full window's value. A clip shorter than
    ``W`` frames takes the single fit over all its ``n`` frames,
    ``coef_table[n]``.
    """
    W = coef_table.shape[0] - 1
    h = W // 2
    for a, b in zip(frame_offsets[:-1], frame_offsets[1:]):
        n = b - a
        if n <= 0:
            continue
        x = feats[a:b].astype(np.float64)
        if n < W:
            out[a:b] = coef_table[n, :n] @ x
            continue
        full = np.array([coef_table[W] @ x[t - h : t + h + 1] for t in range(h, n - h)])
        full = np.concatenate([np.repeat(full[:1], h, axis=0), full,
                               np.repeat(full[-1:], h, axis=0)])
        out[a:b] = full
