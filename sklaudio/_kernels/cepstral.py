"""Per-clip dB referencing, ``top_db`` clamping and DCT of frame rows."""

from __future__ import annotations

import numpy as np

from ._jit import jit


@jit
def db_reference_clamp(db, frame_offsets, ref_db, ref_is_max, top_db):
    """In place, per clip: subtract the reference, then clamp to ``max - top_db``.

    Parameters
    ----------
    db : (n_frames_total, n_features) float
        Values in dB (``10 log10(max(amin, S))``).
    frame_offsets : (n_clips + 1,) int64
        Frame range of each clip.
    ref_db : float
        Fixed reference in dB, subtracted when ``ref_is_max`` is false.
    ref_is_max : bool
        Use each clip's maximum as the reference (librosa's ``ref=np.max``).
    top_db : float
        Dynamic range kept below each clip's maximum; ``< 0`` disables it.
    """
    n_clips = frame_offsets.shape[0] - 1
    n_feat = db.shape[1]
    for c in range(n_clips):
        a = frame_offsets[c]
        b = frame_offsets[c + 1]
        if b <= a:
            continue
        mx = -np.inf
        for f in range(a, b):
            for j in range(n_feat):
                if db[f, j] > mx:
                    mx = db[f, j]
        shift = mx if ref_is_max else ref_db
        floor = mx - top_db
        for f in range(a, b):
            for j in range(n_feat):
                v = db[f, j]
                if top_db >= 0.0 and v < floor:
                    v = floor
                db[f, j] = v - shift


@jit
def db_running_clamp(db, state, ref_db, top_db):
    """In place, row by row: clamp to ``running max - top_db``, subtract a fixed reference.

    The causal form of :func:`db_reference_clamp` (fixed reference) for a
    stream of rows: row ``f`` is clamped below the maximum over all columns
    of rows ``0 .. f``, where the rows before this call are summarised by
    ``state[0]`` (their maximum, ``-inf`` at the start of a stream), which
    is updated on return. Same arithmetic as :func:`db_reference_clamp`
    (float64). Applied to one whole clip in one call, the last rows (from
    the clip's maximum on) get exactly :func:`db_reference_clamp`'s values.

    Parameters
    ----------
    db : (n_frames, n_features) float
        Values in dB, in stream order.
    state : (1,) float64
        Running maximum of the rows seen before, updated.
    ref_db : float
        Reference in dB, subtracted after the clamp.
    top_db : float
        Dynamic range kept below the running maximum; ``< 0`` disables it.
    """
    n_feat = db.shape[1]
    mx = np.float64(state[0])
    clamp = top_db >= 0.0
    for f in range(db.shape[0]):
        for j in range(n_feat):
            mx = max(mx, np.float64(db[f, j]))
        floor = mx - top_db
        for j in range(n_feat):
            v = np.float64(db[f, j])
            if clamp and v < floor:
                v = floor
            db[f, j] = v - ref_db
    state[0] = mx


@jit
def dct_rows(x, basis, lift, out):
    """``out[f] = lift * (basis @ x[f])`` for every row ``f``.

    Parameters
    ----------
    x : (n_frames, n_in) float
    basis : (n_out, n_in) float
    lift : (n_out,) float
        Per-coefficient liftering weights (ones for none).
    out : (n_frames, n_out) float
        Written; sums accumulate in its dtype (float32 for float32 features).
    """
    n_frames, n_in = x.shape
    n_out = basis.shape[0]
    zero = out.dtype.type(0.0)
    for f in range(n_frames):
        xr = x[f]
        orow = out[f]
        for k in range(n_out):
            br = basis[k]
            acc = zero
            for m in range(n_in):
                acc += br[m] * xr[m]
            orow[k] = acc * lift[k]
