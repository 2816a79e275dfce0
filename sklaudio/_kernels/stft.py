"""Framing and overlap-add kernels.

Frames are laid out frames-first: row ``f`` of a chunk is frame ``f`` of the
whole batch, so one ``scipy.fft.rfft(..., axis=1)`` call transforms a chunk.
"""

from __future__ import annotations

from ._jit import jit

# Padding modes for centred frames (numpy.pad semantics).
PAD_CONSTANT = 0
PAD_EDGE = 1
PAD_REFLECT = 2
PAD_SYMMETRIC = 3
PAD_MODES = {"constant": PAD_CONSTANT, "edge": PAD_EDGE, "reflect": PAD_REFLECT,
             "symmetric": PAD_SYMMETRIC}


@jit
def padded_index(i, n, mode):
    """Index into a clip of length ``n`` for a position ``i`` outside ``[0, n)``.

    Returns -1 for constant (zero) padding. Follows ``numpy.pad``, including
    repeated reflection when the pad is longer than the clip.
    """
    if mode == PAD_CONSTANT:
        return -1
    if mode == PAD_EDGE:
        return 0 if i < 0 else n - 1
    if mode == PAD_REFLECT:
        if n == 1:
            return 0
        period = 2 * (n - 1)
        m = i % period
        if m < 0:
            m += period
        return m if m < n else period - m
    # symmetric
    period = 2 * n
    m = i % period
    if m < 0:
        m += period
    return m if m < n else period - 1 - m


@jit
def frame_chunk(samples, offsets, frame_offsets, c0, f0, f1, window, w0, w1, hop, pad, mode, out):
    """Write windowed frames ``f0:f1`` of the batch into ``out[:f1 - f0]``.

    Parameters
    ----------
    samples : (total_samples,) float
        Flat sample buffer.
    offsets : (n_clips + 1,) int64
        Clip offsets into ``samples``.
    frame_offsets : (n_clips + 1,) int64
        Cumulative frame counts per clip.
    c0 : int
        Clip that holds frame ``f0``.
    f0, f1 : int
        Global frame range.
    window : (n_fft,) float
        Window, zero outside ``[w0, w1)``.
    hop, pad : int
        Hop length and left padding (``n_fft // 2`` when centred, else 0).
    mode : int
        One of the ``PAD_*`` codes.
    out : (>= f1 - f0, n_fft) float
        Destination. Columns outside ``[w0, w1)`` are set to zero.
    """
    n_fft = out.shape[1]
    nw = w1 - w0
    win = window[w0:w1]
    c = c0
    for f in range(f0, f1):
        while f >= frame_offsets[c + 1]:
            c += 1
        s = offsets[c]
        n = offsets[c + 1] - s
        t0 = (f - frame_offsets[c]) * hop - pad
        row = out[f - f0]
        if t0 >= 0 and t0 + n_fft <= n:
            # the whole row inside the clip: one aligned pass over it (the window is zero
            # outside [w0, w1), so those columns get window * sample = 0, as below)
            src = samples[s + t0 : s + t0 + n_fft]
            for j in range(n_fft):
                row[j] = window[j] * src[j]
            continue
        # 1-D views indexed from 0: no negative-index wraparound, so the copies vectorise.
        for j in range(w0):
            row[j] = 0.0
        tail = row[w1:]
        for j in range(n_fft - w1):
            tail[j] = 0.0
        dst = row[w0:w1]
        if t0 + w0 >= 0 and t0 + w1 <= n:
            # frame wholly inside the clip: contiguous copy times the window
            src = samples[s + t0 + w0 : s + t0 + w1]
            for j in range(nw):
                dst[j] = win[j] * src[j]
        elif mode == PAD_CONSTANT:
            # zeros outside the clip, a contiguous copy times the window inside
            a = t0 + w0
            jlo = min(nw, max(0, -a))
            jhi = max(jlo, min(nw, n - a))
            for j in range(jlo):
                dst[j] = 0.0
            mid = dst[jlo:jhi]
            wmid = win[jlo:jhi]
            src = samples[s + a + jlo : s + a + jhi]
            for j in range(jhi - jlo):
                mid[j] = wmid[j] * src[j]
            rest = dst[jhi:]
            for j in range(nw - jhi):
                rest[j] = 0.0
        else:
            for j in range(nw):
                i = t0 + w0 + j
                if i < 0 or i >= n:
                    i = padded_index(i, n, mode)
                    if i < 0:
                        dst[j] = 0.0
                        continue
                dst[j] = win[j] * samples[s + i]


@jit
def overlap_add(frames, window, hop, out, wss):
    """Overlap-add windowed frames and the squared-window sum.

    ``out[t * hop : t * hop + n_fft] += window * frames[t]`` and
    ``wss[...] += window ** 2`` for every frame ``t``.
    """
    n_frames, n_fft = frames.shape
    for t in range(n_frames):
        s = t * hop
        for j in range(n_fft):
            if s + j < out.shape[0]:
                out[s + j] += window[j] * frames[t, j]
                wss[s + j] += window[j] * window[j]


@jit
def nonfinite_rows(x, bad):
    """Flag the rows of ``x`` that hold a NaN or an infinity; return how many.

    ``bad[r] = True`` iff row ``r`` of the 2-D float array ``x`` has a
    non-finite value. One vectorised pass, no temporary: each row
    accumulates ``x * 0``, which stays 0 for finite values and becomes NaN
    at the first NaN or inf (the fast-math flags leave out ``nnan`` and
    ``ninf``, so the product is never folded away).
    """
    zero = x.dtype.type(0.0)
    n_bad = 0
    for r in range(x.shape[0]):
        row = x[r]
        acc = zero
        for j in range(row.shape[0]):
            acc += row[j] * zero
        flag = acc != zero
        bad[r] = flag
        n_bad += flag
    return n_bad


@jit
def nonfinite_segments(x, offsets, bad):
    """Flag the segments ``x[offsets[c]:offsets[c + 1]]`` that hold a NaN or an infinity.

    The clips of a flat sample buffer, in one vectorised pass without a
    temporary (as :func:`nonfinite_rows`); returns how many are flagged.
    """
    zero = x.dtype.type(0.0)
    n_bad = 0
    for c in range(offsets.shape[0] - 1):
        seg = x[offsets[c] : offsets[c + 1]]  # indexed from 0: no wraparound check, vectorises
        acc = zero
        for i in range(seg.shape[0]):
            acc += seg[i] * zero
        flag = acc != zero
        bad[c] = flag
        n_bad += flag
    return n_bad
