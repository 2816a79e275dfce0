"""Plain-NumPy twin of the voice-quality kernels (period marking for jitter and shimmer)."""

from __future__ import annotations

import numpy as np

MIN_CORRELATION = 0.3
SNAP = 0.02


def _frame_of(t, first_center, hop, nf):
    return int(np.clip(np.floor((t - first_center) / hop + 0.5), 0, nf - 1))


def _peak(y, lo, hi):
    """(index, parabola-refined position, amplitude) of the first maximum of y[lo..hi]."""
    m = lo + int(np.argmax(y[lo:hi + 1]))
    if 0 < m < len(y) - 1:
        a, b, c = float(y[m - 1]), float(y[m]), float(y[m + 1])
        den = a - 2 * b + c
        if den < 0 and b > a and b >= c:
            d = 0.5 * (a - c) / den
            return m, m + d, b - 0.25 * (a - c) * d
    return m, float(m), float(y[m])


def _ncc(r, x):
    er, ex = np.dot(r, r), np.dot(x, x)
    return np.dot(r, x) / np.sqrt(er * ex) if er > 0 and ex > 0 else -2.0


# -- kernel twins -----------------------------------------------------------------------------
def mark_periods(y, f0, voiced, first_center, hop_length, sample_rate, pos, amp, run):
    y64 = np.asarray(y, dtype=np.float64)
    n, nf = len(y), len(f0)
    marks = []  # (position, amplitude, run index)
    n_runs, p, t, in_run = 0, 0.0, 0, False

    def unvoiced(i):
        k = _frame_of(i, first_center, hop_length, nf)
        return not voiced[k] or f0[k] <= 0

    while t < n:
        if in_run:
            m = int(np.floor(p + 0.5))
            T = sample_rate / f0[_frame_of(m, first_center, hop_length, nf)]
            L = max(int(np.floor(T + 0.5)), 2)
            a0, lo, hi = m - L // 2, int(np.floor(0.8 * T)), int(np.ceil(1.2 * T))
            if a0 < 0 or a0 + hi + L > n:
                in_run, t = False, m + hi + 1
                continue
            c = np.array([_ncc(y64[a0:a0 + L], y64[a0 + tau:a0 + tau + L])
                          for tau in range(lo, hi + 1)])
            i = int(np.argmax(c))
            if c[i] < MIN_CORRELATION:
                in_run, t = False, m + hi + 1
                continue
            shift = 0.0
            if 0 < i < len(c) - 1 and c[i - 1] - 2 * c[i] + c[i + 1] < 0:
                shift = 0.5 * (c[i - 1] - c[i + 1]) / (c[i - 1] - 2 * c[i] + c[i + 1])
            pn = p + lo + i + shift
            mn = int(np.floor(pn + 0.5))
            w = max(1, int(np.floor(SNAP * T + 0.5)))
            if mn - w >= 0 and mn + w < n:
                mp, pp, _ = _peak(y, mn - w, mn + w)
                if mn - w < mp < mn + w:
                    pn, mn = pp, mp
            a = _peak(y, max(mn - L // 2, 0), min(mn + L // 2, n - 1))[2]
            if unvoiced(mn):
                in_run, t = False, mn
                continue
            p = pn
        else:
            k = _frame_of(t, first_center, hop_length, nf)
            if unvoiced(t):
                t = max(int(np.floor(first_center + (k + 0.5) * hop_length)) + 1, t + 1)
                continue
            lo, hi = t, t + int(np.ceil(sample_rate / f0[k]))
            if hi >= n:
                break
            m, pn, a = _peak(y, lo, hi)
            while m == hi and m + 1 < n and y[m + 1] > y[m]:
                hi += 1
                m, pn, a = _peak(y, m, hi)
            if m == lo and (m == 0 or y[m - 1] >= y[m]):
                t = lo + 1
                continue
            if unvoiced(m):
                t = m
                continue
            n_runs, in_run, p = n_runs + 1, True, pn
        marks.append((p, a, n_runs - 1))
        t = int(np.floor(p + 0.5)) + 1
    for i, (q, a, r) in enumerate(marks):
        pos[i], amp[i], run[i] = q, a, r
    return len(marks)
