"""Power spectra, filterbanks and dB, from their definitions (twins of ``_kernels.spectral``)."""

from __future__ import annotations

import numpy as np

from .cepstral import db_reference_clamp
from .filters import dense_from_sparse


def power_filterbank_dense(spec, W, power=2.0, log=False, amin=1e-10):
    """(n_frames, n_filt): W @ |spec|**power per frame (spec is frames-first)."""
    P = np.abs(spec.astype(np.complex128)) ** power
    out = P @ W.T.astype(np.float64)
    return 10 * np.log10(np.maximum(amin, out)) if log else out


def _db(x, amin):
    return 10.0 * np.log10(np.maximum(np.asarray(x, dtype=np.float64), amin))


# -- kernel twins -----------------------------------------------------------------------------
def filter_band(fb_start, fb_stop, n_bins):
    """(lo, hi): the smallest bin range holding every non-empty filter; (0, 0) if none."""
    used = [m for m in range(len(fb_start)) if fb_stop[m] > fb_start[m]]
    if not used:
        return 0, 0
    lo = min(fb_start[m] for m in used)
    hi = max(fb_stop[m] for m in used)
    return (lo, hi) if hi > lo else (0, 0)


def power_row(src, power, dst):
    dst[:] = np.abs(src.astype(np.complex128)) ** power


def logf_cephes(x):
    """ln(x) (float64 reference of the float32 fast log)."""
    return np.log(np.float64(np.float32(x)))


def log_f32(src, scale, dst):
    x = src.astype(np.float64)
    with np.errstate(invalid="ignore"):
        dst[:] = np.where(np.isfinite(x), scale * np.log(x), x)


def floor_db(x, amin, dst):
    """``x`` floored at ``amin`` (in its dtype) in place, ``dst = 10 log10(x)``."""
    a = x.dtype.type(amin)
    x[:] = np.where(x < a, a, x)
    with np.errstate(divide="ignore"):
        dst[:] = 10.0 * np.log10(x.astype(np.float64))


def power_band_transposed(spec, power, lo, hi, pt):
    pt[:, :] = (np.abs(spec[:, lo:hi].astype(np.complex128)) ** power).T


def _filterbank_block(pt, fb_start, fb_stop, fb_offset, fb_weights, lo, log, amin, out, row0,
                      abuf, lbuf):
    """``out[row0 + t] = W @ P[:, t]`` (or its dB), ``pt`` the band power from bin ``lo`` on."""
    n_bins = lo + pt.shape[0]
    n_bins = max(n_bins, int(np.max(fb_stop, initial=0)))
    W = dense_from_sparse(fb_start, fb_stop, fb_offset, fb_weights, n_bins)
    P = np.zeros((W.shape[1], pt.shape[1]))
    P[lo:lo + pt.shape[0]] = pt
    E = (W @ P).T
    out[row0:row0 + pt.shape[1]] = _db(E, amin) if log else E


def power_filterbank(spec, power, fb_start, fb_stop, fb_offset, fb_weights, log, amin, out, row0):
    if spec.shape[0] == 0:
        return
    W = dense_from_sparse(fb_start, fb_stop, fb_offset, fb_weights, spec.shape[1])
    E = power_filterbank_dense(spec, W, power)
    out[row0:row0 + spec.shape[0]] = _db(E, amin) if log else E


def spectrum_power(spec, power, out, row0):
    out[row0:row0 + spec.shape[0]] = np.abs(spec.astype(np.complex128)) ** power


def spectrum_mag_power(spec, mag, pw, row0):
    m = np.abs(spec.astype(np.complex128))
    mag[row0:row0 + spec.shape[0]] = m
    pw[row0:row0 + spec.shape[0]] = m * m


def db_reference_clamp_flat(db, frame_offsets, ref_db, ref_is_max, top_db):
    """Same definition as :func:`naive.cepstral.db_reference_clamp`."""
    db_reference_clamp(db, frame_offsets, ref_db, ref_is_max, top_db)
