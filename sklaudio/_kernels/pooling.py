"""Per-clip pooling of frame features over frame offsets."""

from __future__ import annotations

import numpy as np

from ._jit import jit

STAT_MEAN = 0
STAT_STD = 1
STAT_MIN = 2
STAT_MAX = 3
STAT_MEDIAN = 4
STAT_PERCENTILE = 5
STAT_SKEW = 6
STAT_KURTOSIS = 7
STAT_SLOPE = 8
STATS = {"mean": STAT_MEAN, "std": STAT_STD, "min": STAT_MIN, "max": STAT_MAX,
         "median": STAT_MEDIAN, "skew": STAT_SKEW, "kurtosis": STAT_KURTOSIS,
         "slope": STAT_SLOPE}


@jit
def _sorted_percentile(buf, n, q):
    """numpy's default ('linear') percentile of the sorted ``buf[:n]``."""
    pos = q / 100.0 * (n - 1)
    lo = int(np.floor(pos))
    if lo >= n - 1:
        return buf[n - 1]
    frac = pos - lo
    return buf[lo] + frac * (buf[lo + 1] - buf[lo])


@jit
def pool_clips(feats, frame_offsets, stats, qs, resolution, out):
    """Summary statistics of each clip's frames.

    Parameters
    ----------
    feats : (n_frames_total, n_features) float
    frame_offsets : (n_clips + 1,) int64
    stats : (n_stats,) int64
        ``STAT_*`` codes.
    qs : (n_stats,) float64
        Percentile (0-100) of each ``STAT_PERCENTILE`` entry (ignored otherwise).
    resolution : float
        Relative precision below which a feature counts as constant for
        skewness and kurtosis (which are then 0), as :func:`scipy.stats.skew`.
    out : (n_clips, n_stats * n_features) float
        Column ``s * n_features + j`` holds statistic ``stats[s]`` of feature
        ``j``. ``std`` is the population standard deviation (``ddof=0``);
        skewness and kurtosis are the biased Fisher estimates
        (``m3 / m2**1.5`` and ``m4 / m2**2 - 3``); ``slope`` is the
        least-squares slope over the frame index.
    """
    n_clips = frame_offsets.shape[0] - 1
    n_feat = feats.shape[1]
    n_stats = stats.shape[0]
    need_sort = False
    need_moments = False
    for s in range(n_stats):
        if stats[s] == STAT_MEDIAN or stats[s] == STAT_PERCENTILE:
            need_sort = True
        if stats[s] == STAT_STD or stats[s] == STAT_SKEW or stats[s] == STAT_KURTOSIS:
            need_moments = True
    buf = np.empty(0, dtype=np.float64)
    for c in range(n_clips):
        a = frame_offsets[c]
        b = frame_offsets[c + 1]
        n = b - a
        if need_sort and buf.shape[0] < n:
            buf = np.empty(n, dtype=np.float64)
        for j in range(n_feat):
            mean = 0.0
            for f in range(a, b):
                mean += feats[f, j]
            mean /= n
            m2 = 0.0
            m3 = 0.0
            m4 = 0.0
            if need_moments:
                for f in range(a, b):
                    d = feats[f, j] - mean
                    d2 = d * d
                    m2 += d2
                    m3 += d2 * d
                    m4 += d2 * d2
                m2 /= n
                m3 /= n
                m4 /= n
            constant = m2 <= (resolution * abs(mean)) ** 2 or m2 == 0.0
            if need_sort:
                for f in range(a, b):
                    buf[f - a] = feats[f, j]
                buf[:n].sort()
            for s in range(n_stats):
                code = stats[s]
                col = s * n_feat + j
                if code == STAT_MEAN:
                    out[c, col] = mean
                elif code == STAT_STD:
                    out[c, col] = np.sqrt(m2)
                elif code == STAT_MIN:
                    v = feats[a, j]
                    for f in range(a + 1, b):
                        v = min(v, feats[f, j])
                    out[c, col] = v
                elif code == STAT_MAX:
                    v = feats[a, j]
                    for f in range(a + 1, b):
                        v = max(v, feats[f, j])
                    out[c, col] = v
                elif code == STAT_MEDIAN:
                    out[c, col] = _sorted_percentile(buf, n, 50.0)
                elif code == STAT_PERCENTILE:
                    out[c, col] = _sorted_percentile(buf, n, qs[s])
                elif code == STAT_SKEW:
                    out[c, col] = 0.0 if constant else m3 / m2 ** 1.5
                elif code == STAT_KURTOSIS:
                    out[c, col] = 0.0 if constant else m4 / (m2 * m2) - 3.0
                else:  # slope
                    if n < 2:
                        out[c, col] = 0.0
                    else:
                        tbar = (n - 1) / 2.0
                        num = 0.0
                        den = 0.0
                        for f in range(a, b):
                            dt = (f - a) - tbar
                            num += dt * (feats[f, j] - mean)
                            den += dt * dt
                        out[c, col] = num / den


@jit
def trajectory_clips(feats, frame_offsets, n_points, out, col0):
    """Each clip's frames linearly resampled in time to ``n_points`` points.

    Point ``k`` sits at frame position ``k (n - 1) / (n_points - 1)`` (the
    first and last frames are kept; one point sits at the middle), and
    column ``col0 + k * n_features + j`` of ``out`` holds feature ``j`` there.
    A clip with one frame repeats it.
    """
    n_clips = frame_offsets.shape[0] - 1
    n_feat = feats.shape[1]
    for c in range(n_clips):
        a = frame_offsets[c]
        n = frame_offsets[c + 1] - a
        for k in range(n_points):
            if n_points > 1:
                pos = k * (n - 1) / (n_points - 1)
            else:
                pos = (n - 1) / 2.0
            lo = int(np.floor(pos))
            if lo >= n - 1:
                lo = n - 1
                frac = 0.0
            else:
                frac = pos - lo
            hi = min(lo + 1, n - 1)
            for j in range(n_feat):
                v0 = feats[a + lo, j]
                out[c, col0 + k * n_feat + j] = v0 + frac * (feats[a + hi, j] - v0)
