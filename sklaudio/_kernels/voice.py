"""Voice-quality kernels: pitch-synchronous period marking for jitter and shimmer.

The f0 track comes from YIN (:mod:`.pitch`); this kernel walks the waveform of
one clip and marks one point per glottal period, in the manner of Praat's
"To PointProcess (periodic, cc)": a run starts at a waveform peak, and each
next mark is where the waveform around the previous mark correlates best
with itself, between 0.8 and 1.2 local periods later. Everything is
accumulated in float64.
"""

from __future__ import annotations

import numpy as np

from ._jit import jit

#: a run ends where the best correlation of consecutive periods falls below this (Praat's)
MIN_CORRELATION = 0.3
#: half-width of the peak snapping window, as a fraction of the local period
SNAP = 0.02


@jit
def _frame_of(t, first_center, hop_length, nf):
    k = int(np.floor((t - first_center) / hop_length + 0.5))
    return min(max(k, 0), nf - 1)


@jit
def _peak(y, lo, hi):
    """Parabola-refined maximum of ``y[lo..hi]``: (index, position, amplitude)."""
    n = y.shape[0]
    m = lo
    for i in range(lo + 1, hi + 1):
        if y[i] > y[m]:
            m = i
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
    return m, p, a


@jit
def mark_periods(y, f0, voiced, first_center, hop_length, sample_rate, pos, amp, run):
    """Mark one point per glottal period over the voiced frames of one clip.

    The frame of sample ``t`` is ``k = round((t - first_center) / hop_length)``
    (clipped to the frames); ``T = sample_rate / f0[k]`` is the local period.
    Walking from ``t = 0``:

    * while the frame of ``t`` is unvoiced (``voiced[k] == 0`` or
      ``f0[k] <= 0``), ``t`` moves to the first sample of the next frame;
    * a run starts at the maximum of ``y`` over ``[t, t + ceil(T)]``
      (followed up the slope when ``y`` still rises at the window end; when
      ``y`` falls from the window start there is no peak and the walk goes
      on from ``t + 1``);
    * inside a run, with ``m = round(p)`` the last mark, ``T`` its frame's
      period, ``L = round(T)`` and the reference ``r = y[m - L//2 : m - L//2 + L]``,
      the lag ``tau`` in ``[floor(0.8 T), ceil(1.2 T)]`` maximising the
      normalised cross-correlation
      ``c(tau) = <r, y[m - L//2 + tau : ... + L]> / (|r| |y[...]|)`` is
      refined by the parabola through its neighbours (interior maxima), and
      the next mark is ``p + tau``, moved to the parabola-refined maximum
      of ``y`` within ``max(1, round(SNAP T))`` samples of it (``SNAP`` =
      0.02) when that maximum is interior to this small window (marks sit on
      waveform peaks, so the chained correlation lags do not drift); the run
      ends (the walk going on from ``m + ceil(1.2 T)``) when a window leaves
      the clip or the best correlation is below ``MIN_CORRELATION`` (0.3;
      -2 stands for a zero norm);
    * a mark whose frame is unvoiced is not kept: the run ends there.

    The amplitude of each mark is the parabola-refined maximum of ``y`` over
    ``[m - L//2, m + L//2]`` (the peak of its period).

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
    p = 0.0
    t = 0
    cs = np.empty(n + 1)
    while t < n:
        if in_run:
            m = int(np.floor(p + 0.5))
            k = _frame_of(m, first_center, hop_length, nf)
            period = sample_rate / f0[k]
            L = max(int(np.floor(period + 0.5)), 2)
            a0 = m - L // 2
            lo = int(np.floor(0.8 * period))
            hi = int(np.ceil(1.2 * period))
            if a0 < 0 or a0 + hi + L > n:
                in_run = False
                t = m + hi + 1
                continue
            e0 = 0.0
            for j in range(L):
                e0 += float(y[a0 + j]) * float(y[a0 + j])
            best = lo
            for tau in range(lo, hi + 1):
                s = 0.0
                e1 = 0.0
                for j in range(L):
                    v = float(y[a0 + tau + j])
                    s += float(y[a0 + j]) * v
                    e1 += v * v
                cs[tau - lo] = s / np.sqrt(e0 * e1) if e0 > 0.0 and e1 > 0.0 else -2.0
                if cs[tau - lo] > cs[best - lo]:
                    best = tau
            if cs[best - lo] < MIN_CORRELATION:
                in_run = False
                t = m + hi + 1
                continue
            shift = 0.0
            if lo < best < hi:
                cm = cs[best - 1 - lo]
                c0 = cs[best - lo]
                cp = cs[best + 1 - lo]
                den = cm - 2.0 * c0 + cp
                if den < 0.0:
                    shift = 0.5 * (cm - cp) / den
            pn = p + best + shift
            mn = int(np.floor(pn + 0.5))
            w = max(1, int(np.floor(SNAP * period + 0.5)))  # snap to the waveform peak nearby
            if mn - w >= 0 and mn + w < n:
                mp, pp, _ = _peak(y, mn - w, mn + w)
                if mn - w < mp < mn + w:
                    pn = pp
                    mn = mp
            half = L // 2
            _, _, a = _peak(y, max(mn - half, 0), min(mn + half, n - 1))
            km = _frame_of(mn, first_center, hop_length, nf)
            if voiced[km] == 0 or f0[km] <= 0:
                in_run = False
                t = mn
                continue
            p = pn
        else:
            k = _frame_of(t, first_center, hop_length, nf)
            if voiced[k] == 0 or f0[k] <= 0:
                nxt = int(np.floor(first_center + (k + 0.5) * hop_length)) + 1
                t = max(nxt, t + 1)
                continue
            period = sample_rate / f0[k]
            lo = t
            hi = t + int(np.ceil(period))
            if hi >= n:
                break
            m, pn, a = _peak(y, lo, hi)
            while m == hi and m + 1 < n and y[m + 1] > y[m]:  # still rising: climb
                hi += 1
                m, pn, a = _peak(y, m, hi)
            if m == lo and (m == 0 or y[m - 1] >= y[m]):  # falling from the start: no peak
                t = lo + 1
                continue
            km = _frame_of(m, first_center, hop_length, nf)
            if voiced[km] == 0 or f0[km] <= 0:
                t = m
                continue
            n_runs += 1
            in_run = True
            p = pn
        pos[count] = p
        amp[count] = a
        run[count] = n_runs - 1
        count += 1
        t = int(np.floor(p + 0.5)) + 1
    return count
