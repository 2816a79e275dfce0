"""Per-clip dB reference / top_db clamp and the DCT, from their definitions."""

from __future__ import annotations

import numpy as np


def dct2_ortho(x, axis=0):
    """Orthonormal DCT-II by the defining sum."""
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, 0)
    N = x.shape[0]
    n = np.arange(N)
    C = np.array([np.cos(np.pi * k * (2 * n + 1) / (2 * N)) for k in range(N)])
    C *= np.sqrt(2 / N)
    C[0] /= np.sqrt(2)
    return np.moveaxis(np.tensordot(C, x, axes=1), 0, axis)


def db_referenced(db, frame_offsets, ref_db, ref_is_max, top_db):
    """A float64 copy of ``db`` with :func:`db_reference_clamp` applied."""
    out = np.asarray(db, dtype=np.float64).copy()
    db_reference_clamp(out, frame_offsets, ref_db, ref_is_max, top_db)
    return out


# -- kernel twins -----------------------------------------------------------------------------
def db_reference_clamp(db, frame_offsets, ref_db, ref_is_max, top_db):
    """In place, per clip: clamp to ``max - top_db`` (if ``top_db >= 0``), minus the reference.

    The maximum ignores NaN (``-inf`` for an all-NaN clip); NaN stays NaN.
    """
    for a, b in zip(frame_offsets[:-1], frame_offsets[1:]):
        if b <= a:
            continue
        seg = db[a:b].astype(np.float64)
        finite = seg[~np.isnan(seg)]
        mx = finite.max() if finite.size else -np.inf
        if top_db >= 0:
            seg = np.where(seg < mx - top_db, mx - top_db, seg)
        db[a:b] = seg - (mx if ref_is_max else ref_db)


def dct_rows(x, basis, lift, out):
    """``out[f] = lift * (basis @ x[f])``."""
    out[:] = (x.astype(np.float64) @ basis.astype(np.float64).T) * lift


def db_running_clamp(db, state, ref_db, top_db):
    """Row by row: clamp to ``M_t - top_db`` (if ``top_db >= 0``), ``M_t`` the maximum of rows
    ``0 .. t`` and of ``state[0]``; minus ``ref_db``; ``state[0]`` becomes the last ``M_t``."""
    x = db.astype(np.float64)
    if not len(x):
        return
    top = np.maximum.accumulate(np.maximum(x.max(axis=1), state[0]))
    if top_db >= 0:
        x = np.maximum(x, (top - top_db)[:, None])
    db[:] = x - ref_db
    state[0] = top[-1]
