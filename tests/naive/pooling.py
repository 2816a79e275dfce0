"""Per-clip pooling statistics and trajectories, straight from numpy / scipy definitions."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.stats


def pool(feats, frame_offsets, stats):
    """Per-clip statistics straight from numpy/scipy (``"p<q>"`` = percentile q)."""

    def slope(x, axis=0):
        t = np.arange(x.shape[0], dtype=np.float64)
        if x.shape[0] < 2:
            return np.zeros(x.shape[1])
        return np.polyfit(t, x, 1)[0]

    def constant_zero(fn):
        # sklaudio's documented convention: a constant feature has skew = kurtosis = 0
        # (scipy returns nan there).
        def f(x, axis):
            with warnings.catch_warnings():  # scipy warns on (nearly) constant data
                warnings.simplefilter("ignore", RuntimeWarning)
                r = fn(x, axis=axis)
            return np.where(np.ptp(x, axis=axis) == 0, 0.0, r)
        return f

    fns = {"mean": np.mean, "std": np.std, "min": np.min, "max": np.max, "median": np.median,
           "skew": constant_zero(scipy.stats.skew),
           "kurtosis": constant_zero(scipy.stats.kurtosis),
           "slope": slope}
    cols = []
    for s in stats:
        fn = fns.get(s) or (lambda x, axis, q=float(s[1:]): np.percentile(x, q, axis=axis))
        cols.append(np.stack([fn(feats[a:b].astype(np.float64), axis=0)
                              for a, b in zip(frame_offsets[:-1], frame_offsets[1:])]))
    return np.concatenate(cols, axis=1)


#: ``STAT_*`` codes of ``sklaudio._kernels.pooling`` (percentile is 5).
CODE_NAMES = {0: "mean", 1: "std", 2: "min", 3: "max", 4: "median", 6: "skew", 7: "kurtosis",
              8: "slope"}


# -- kernel twins -----------------------------------------------------------------------------
def _sorted_percentile(buf, n, q):
    """numpy's default (linear) percentile ``q`` of ``buf[:n]``."""
    return np.percentile(np.asarray(buf[:n], dtype=np.float64), q)


def pool_clips(feats, frame_offsets, stats, qs, resolution, out):
    """The statistics by numpy/scipy; skew/kurtosis are 0 for a feature scipy calls constant."""
    names = [CODE_NAMES[int(s)] if int(s) != 5 else f"p{float(qs[i])}" for i, s in enumerate(stats)]
    ref = pool(feats, frame_offsets, names)
    n_feat = feats.shape[1]
    for i, s in enumerate(stats):
        if int(s) in (6, 7):  # scipy's own "nearly constant" test, with our resolution
            for c, (a, b) in enumerate(zip(frame_offsets[:-1], frame_offsets[1:])):
                x = feats[a:b].astype(np.float64)
                m2 = np.var(x, axis=0)
                const = (m2 <= (resolution * np.abs(x.mean(axis=0))) ** 2) | (m2 == 0)
                ref[c, i * n_feat:(i + 1) * n_feat][const] = 0.0
    out[:] = ref


def trajectory_clips(feats, frame_offsets, n_points, out, col0):
    """Each feature linearly interpolated (np.interp) at ``n_points`` evenly spaced positions."""
    n_feat = feats.shape[1]
    for c, (a, b) in enumerate(zip(frame_offsets[:-1], frame_offsets[1:])):
        n = b - a
        pos = (np.linspace(0, n - 1, n_points) if n_points > 1
               else np.array([(n - 1) / 2.0]))
        for j in range(n_feat):
            out[c, col0 + np.arange(n_points) * n_feat + j] = np.interp(
                pos, np.arange(n), feats[a:b, j].astype(np.float64))
