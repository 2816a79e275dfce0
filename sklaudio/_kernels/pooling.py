"""Per-clip pooling of frame features over frame offsets."""

from __future__ import annotations

import numpy as np

from ._jit import jit

STAT_MEAN = 0
STAT_STD = 1
STAT_MIN = 2
STAT_MAX = 3
STAT_MEDIAN = 4
STATS = {"mean": STAT_MEAN, "std": STAT_STD, "min": STAT_MIN, "max": STAT_MAX,
         "median": STAT_MEDIAN}


@jit
def pool_clips(feats, frame_offsets, stats, out):
    """Summary statistics of each clip's frames.

    Parameters
    ----------
    feats : (n_frames_total, n_features) float
    frame_offsets : (n_clips + 1,) int64
    stats : (n_stats,) int64
        ``STAT_*`` codes.
    out : (n_clips, n_stats * n_features) float
        Column ``s * n_features + j`` holds statistic ``stats[s]`` of feature
        ``j``. ``std`` is the population standard deviation (``ddof=0``).
    """
    n_clips = frame_offsets.shape[0] - 1
    n_feat = feats.shape[1]
    n_stats = stats.shape[0]
    buf = np.empty(0, dtype=feats.dtype)
    for c in range(n_clips):
        a = frame_offsets[c]
        b = frame_offsets[c + 1]
        n = b - a
        for j in range(n_feat):
            mean = 0.0
            for f in range(a, b):
                mean += feats[f, j]
            mean /= n
            for s in range(n_stats):
                code = stats[s]
                col = s * n_feat + j
                if code == STAT_MEAN:
                    out[c, col] = mean
                elif code == STAT_STD:
                    acc = 0.0
                    for f in range(a, b):
                        d = feats[f, j] - mean
                        acc += d * d
                    out[c, col] = np.sqrt(acc / n)
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
                else:
                    if buf.shape[0] < n:
                        buf = np.empty(n, dtype=feats.dtype)
                    for f in range(a, b):
                        buf[f - a] = feats[f, j]
                    out[c, col] = np.median(buf[:n])
