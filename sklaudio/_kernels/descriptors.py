"""Per-frame spectral descriptors (centroid, ...), frames-first."""

from __future__ import annotations

import numpy as np

from ._jit import jit


@jit
def centroid_rows(S, freq, out):
    """Spectral centroid of each row of a magnitude spectrum.

    Parameters
    ----------
    S : (n_frames, n_bins) float
        Magnitude spectrum, frames first.
    freq : (n_bins,) float
        Bin centre frequencies in Hz.
    out : (n_frames, 1) float
        ``sum(freq * S) / sum(S)``; a frame whose ``sum(S)`` is below the
        dtype's ``tiny`` is left unnormalised (librosa ``util.normalize``),
        so silence gives 0 Hz.
    """
    tiny = np.finfo(out.dtype).tiny
    for t in range(S.shape[0]):
        num = 0.0
        den = 0.0
        for k in range(S.shape[1]):
            v = S[t, k]
            num += freq[k] * v
            den += abs(v)
        out[t, 0] = num / den if den >= tiny else num
