"""Pooling of frame features per clip: statistics, names and their validation."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .._kernels.pooling import STAT_PERCENTILE, STATS, pool_clips, trajectory_clips

__all__ = ["POOLING_STATS", "check_pooling", "pooled_names", "pool_frames"]

#: Pooling statistics understood by every estimator (plus ``"p<q>"`` percentiles).
POOLING_STATS = (*STATS, "p<q>", "trajectory")


def _percentile_of(stat: str):
    if len(stat) > 1 and stat[0] == "p":
        try:
            q = float(stat[1:])
        except ValueError:
            return None
        if 0.0 <= q <= 100.0 and np.isfinite(q):
            return q
    return None


def check_pooling(pooling) -> tuple[str, ...]:
    """Return the pooling statistics as a tuple of names, or raise ``ValueError``."""
    if isinstance(pooling, str):
        pooling = (pooling,)
    try:
        stats = tuple(pooling)
    except TypeError:
        stats = None
    if not stats or not all(isinstance(s, str) for s in stats):
        raise ValueError(
            f"pooling must be a statistic name or a non-empty sequence of them, from "
            f"{POOLING_STATS}; got {pooling!r}."
        )
    unknown = [s for s in stats
               if s not in STATS and s != "trajectory" and _percentile_of(s) is None]
    if unknown:
        raise ValueError(
            f"Unknown pooling statistic(s) {unknown}; choose from {POOLING_STATS}, where "
            "p<q> is a percentile with 0 <= q <= 100 (e.g. 'p10', 'p90')."
        )
    if len(set(stats)) != len(stats):
        raise ValueError(f"pooling lists a statistic twice: {stats}.")
    return stats


def pooled_names(names: Sequence[str], stats: Sequence[str], trajectory_length: int) -> list[str]:
    """Column names of :func:`pool_frames`: ``"{feature}_{stat}"``, statistic-major.

    The trajectory's columns are ``"{feature}_t{k}"`` (point-major), at the
    position of ``"trajectory"`` in ``stats``.
    """
    out = []
    for s in stats:
        if s == "trajectory":
            out += [f"{n}_t{k}" for k in range(trajectory_length) for n in names]
        else:
            out += [f"{n}_{s}" for n in names]
    return out


def pool_frames(feats: np.ndarray, frame_offsets: np.ndarray, stats: Sequence[str],
                trajectory_length: int = 32) -> np.ndarray:
    """Pool frames-first features per clip.

    Returns ``(n_clips, n_columns)`` with the columns named by
    :func:`pooled_names` (same ``stats`` order).
    """
    n_feat = feats.shape[1]
    n_clips = len(frame_offsets) - 1
    widths = [trajectory_length * n_feat if s == "trajectory" else n_feat for s in stats]
    out = np.empty((n_clips, sum(widths)), dtype=feats.dtype)
    resolution = float(np.finfo(feats.dtype).resolution) if feats.dtype.kind == "f" else 1e-15
    col = 0
    i = 0
    while i < len(stats):
        if stats[i] == "trajectory":
            trajectory_clips(feats, frame_offsets, int(trajectory_length), out, col)
            col += widths[i]
            i += 1
            continue
        j = i
        while j < len(stats) and stats[j] != "trajectory":
            j += 1
        run = stats[i:j]
        codes = np.array([STATS.get(s, STAT_PERCENTILE) for s in run], dtype=np.int64)
        qs = np.array([_percentile_of(s) or 0.0 if s not in STATS else 0.0 for s in run])
        block = np.empty((n_clips, len(run) * n_feat), dtype=feats.dtype)
        pool_clips(feats, frame_offsets, codes, qs, resolution, block)
        out[:, col:col + block.shape[1]] = block
        col += block.shape[1]
        i = j
    return out
