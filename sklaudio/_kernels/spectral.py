"""Per-frame spectral reductions: power, sparse filterbank, log."""

from __future__ import annotations

import numpy as np

from ._jit import jit


@jit
def power_filterbank(spec, power, fb_start, fb_stop, fb_offset, fb_weights, log, amin, out, row0):
    """Fused ``|X|**power`` -> sparse filterbank -> optional dB, per frame.

    Parameters
    ----------
    spec : (n_frames, n_bins) complex
        rFFT of the frames.
    power : float
        Exponent on the magnitude (2.0 power, 1.0 magnitude).
    fb_start, fb_stop, fb_offset, fb_weights
        Sparse filterbank (see :class:`sklaudio.filters.SparseFilterbank`).
    log : bool
        If true, write ``10 * log10(max(amin, value))`` (dB).
    amin : float
        Floor before the log.
    out : (>= row0 + n_frames, n_filters) float
        Destination; rows ``row0:row0 + n_frames`` are written.
    """
    n_frames, n_bins = spec.shape
    n_filt = fb_start.shape[0]
    p = np.empty(n_bins, dtype=out.dtype)
    lo = n_bins
    hi = 0
    for m in range(n_filt):
        if fb_stop[m] > fb_start[m]:
            lo = min(lo, fb_start[m])
            hi = max(hi, fb_stop[m])
    scale = 10.0 / np.log(10.0)
    for t in range(n_frames):
        if power == 2.0:
            for k in range(lo, hi):
                z = spec[t, k]
                p[k] = z.real * z.real + z.imag * z.imag
        elif power == 1.0:
            for k in range(lo, hi):
                z = spec[t, k]
                p[k] = np.sqrt(z.real * z.real + z.imag * z.imag)
        else:
            h = power / 2.0
            for k in range(lo, hi):
                z = spec[t, k]
                p[k] = (z.real * z.real + z.imag * z.imag) ** h
        for m in range(n_filt):
            acc = 0.0
            o = fb_offset[m] - fb_start[m]
            for k in range(fb_start[m], fb_stop[m]):
                acc += fb_weights[o + k] * p[k]
            if log:
                out[row0 + t, m] = scale * np.log(max(acc, amin))
            else:
                out[row0 + t, m] = acc


@jit
def spectrum_power(spec, power, out, row0):
    """``out[row0 + t, k] = |spec[t, k]| ** power``."""
    n_frames, n_bins = spec.shape
    for t in range(n_frames):
        for k in range(n_bins):
            z = spec[t, k]
            a = z.real * z.real + z.imag * z.imag
            if power == 2.0:
                out[row0 + t, k] = a
            elif power == 1.0:
                out[row0 + t, k] = np.sqrt(a)
            else:
                out[row0 + t, k] = a ** (power / 2.0)
