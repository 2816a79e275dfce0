"""Voice-quality kernels: pitch-synchronous period marking for jitter and shimmer.

The f0 track comes from YIN (:mod:`.pitch`); this kernel walks the waveform of
one clip and marks one peak per glottal period, Praat's
"To PointProcess (periodic, peaks)" idea: the next mark is the waveform
maximum between 0.8 and 1.2 local periods after the previous one.
Everything is accumulated in float64.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit


@jit
def mark_periods(y, f0, voiced, first_center, hop_length, sample_rate, pos, amp, run):
    """Mark one waveform peak per period over the voiced frames of one clip.

    The frame of sample ``t`` is ``k = round((t - first_center) / hop_length)``
    (clipped to the frames). Walking from ``t = 0``:

    * while the frame of ``t`` is unvoiced (``voiced[k] == 0`` or
      ``f0[k] <= 0``), ``t`` moves to the first sample of the next frame and
      the current voiced run ends;
    * at the start of a run the first mark is the maximum of ``y`` over
      ``[t, t + ceil(T)]`` with ``T = sample_rate / f0[k]``;
    * inside a run, with ``T`` from the frame of the last mark ``m``, the
      next mark is the maximum of ``y`` over
      ``[m + floor(0.8 T), m + ceil(1.2 T)]``; the run ends (and the walk
      goes on from the end of that window) when the window passes the end
      of the clip;
    * a peak found in an unvoiced frame is not marked: the run ends and the
      walk goes on from that peak.

    Each mark's position and amplitude are refined by the parabola through
    the peak and its two neighbours (vertex ``m + d``,
    ``d = (y[m-1] - y[m+1]) / (2 (y[m-1] - 2 y[m] + y[m+1]))``, amplitude
    ``y[m] - (y[m-1] - y[m+1]) d / 4``) when the peak is a strict local
    maximum not at the clip edge; otherwise the sample itself.

    A maximum at the end of the window where ``y`` still rises is followed
    up the slope to its peak. A maximum at the start of the window where
    ``y`` falls (a tail, not a peak) is not marked: inside a run the run
    ends and the walk goes on after the window; at a run start the walk
    goes on from the next sample.

    Parameters
    ----------
    y : (n_samples,) float
        One clip.
    f0 : (n_frames,) float
        f0 per frame in Hz.
    voiced : (n_frames,) float
        Voicing flag per frame (non-zero: voiced).
    first_center : float
        Sample position of frame 0's centre.
    hop_length : int
        Samples between frame centres.
    sample_rate : float
        Hz.
    pos, amp : (n_samples,) float64
        Out: position (samples) and amplitude of each mark.
    run : (n_samples,) int64
        Out: index of the voiced run of each mark (0, 1, ...).

    Returns
    -------
    int
        Number of marks written.
    """
    n = y.shape[0]
    nf = f0.shape[0]
    count = 0
    n_runs = 0
    in_run = False
    last = 0
    t = 0
    while t < n:
        if in_run:
            k = int(np.floor((last - first_center) / hop_length + 0.5))
            k = min(max(k, 0), nf - 1)
            period = sample_rate / f0[k]
            lo = last + int(np.floor(0.8 * period))
            hi = last + int(np.ceil(1.2 * period))
            if hi >= n:
                in_run = False
                t = hi + 1
                continue
        else:
            k = int(np.floor((t - first_center) / hop_length + 0.5))
            k = min(max(k, 0), nf - 1)
            if voiced[k] == 0 or f0[k] <= 0:
                nxt = int(np.floor(first_center + (k + 0.5) * hop_length)) + 1
                t = max(nxt, t + 1)
                continue
            period = sample_rate / f0[k]
            lo = t
            hi = t + int(np.ceil(period))
            if hi >= n:
                break
        m = lo
        best = y[lo]
        for i in range(lo + 1, hi + 1):
            if y[i] > best:
                best = y[i]
                m = i
        while m == hi and m + 1 < n and y[m + 1] > y[m]:  # rising at the window end: climb
            m += 1
            hi += 1
        if m == lo and (m == 0 or y[m - 1] >= y[m]):  # falling from the window start: no peak
            if in_run:
                in_run = False
                t = hi + 1
            else:
                t = lo + 1
            continue
        km = int(np.floor((m - first_center) / hop_length + 0.5))
        km = min(max(km, 0), nf - 1)
        if voiced[km] == 0 or f0[km] <= 0:  # the peak lies in an unvoiced frame
            in_run = False
            t = m
            continue
        p = float(m)
        a = float(y[m])
        if 0 < m < n - 1:
            ym = float(y[m - 1])
            yp = float(y[m + 1])
            den = ym - 2.0 * a + yp
            if den < 0.0 and a > ym and a >= yp:
                d = 0.5 * (ym - yp) / den
                p = m + d
                a = a - 0.25 * (ym - yp) * d
        if not in_run:
            n_runs += 1
            in_run = True
        pos[count] = p
        amp[count] = a
        run[count] = n_runs - 1
        count += 1
        last = m
        t = m + 1
    return count
