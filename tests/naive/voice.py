"""Plain-NumPy twin of the voice-quality kernels (period marking for jitter and shimmer)."""

from __future__ import annotations

import numpy as np


def _frame_of(t, first_center, hop, nf):
    return int(np.clip(np.floor((t - first_center) / hop + 0.5), 0, nf - 1))


def _refine(y, m):
    """Parabolic vertex through (m-1, m, m+1) when m is a strict interior peak."""
    if 0 < m < len(y) - 1:
        a, b, c = float(y[m - 1]), float(y[m]), float(y[m + 1])
        den = a - 2 * b + c
        if den < 0 and b > a and b >= c:
            d = 0.5 * (a - c) / den
            return m + d, b - 0.25 * (a - c) * d
    return float(m), float(y[m])


# -- kernel twins -----------------------------------------------------------------------------
def mark_periods(y, f0, voiced, first_center, hop_length, sample_rate, pos, amp, run):
    n, nf = len(y), len(f0)
    marks = []  # (position, amplitude, run index)
    n_runs, last, t, in_run = 0, 0, 0, False
    while t < n:
        if in_run:
            T = sample_rate / f0[_frame_of(last, first_center, hop_length, nf)]
            lo, hi = last + int(np.floor(0.8 * T)), last + int(np.ceil(1.2 * T))
            if hi >= n:
                in_run, t = False, hi + 1
                continue
        else:
            k = _frame_of(t, first_center, hop_length, nf)
            if not voiced[k] or f0[k] <= 0:
                t = max(int(np.floor(first_center + (k + 0.5) * hop_length)) + 1, t + 1)
                continue
            T = sample_rate / f0[k]
            lo, hi = t, t + int(np.ceil(T))
            if hi >= n:
                break
        m = lo + int(np.argmax(y[lo:hi + 1]))
        while m == hi and m + 1 < n and y[m + 1] > y[m]:
            m, hi = m + 1, hi + 1
        if m == lo and (m == 0 or y[m - 1] >= y[m]):
            if in_run:
                in_run, t = False, hi + 1
            else:
                t = lo + 1
            continue
        km = _frame_of(m, first_center, hop_length, nf)
        if not voiced[km] or f0[km] <= 0:
            in_run, t = False, m
            continue
        if not in_run:
            n_runs, in_run = n_runs + 1, True
        marks.append((*_refine(y, m), n_runs - 1))
        last, t = m, m + 1
    for i, (p, a, r) in enumerate(marks):
        pos[i], amp[i], run[i] = p, a, r
    return len(marks)
