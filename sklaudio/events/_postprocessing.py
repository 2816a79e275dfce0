"""Frame probabilities to events: threshold or hysteresis, median filter, minimum duration, gaps.

Every step works on a ``(n_frames, n_classes)`` array of one recording and
the frame grid (``frame_times`` in seconds, the centre of each frame, with
``frame_step`` seconds between frames). An active run of frames ``a..b``
becomes the event ``[t_a - step / 2, t_b + step / 2)``: each frame stands for
the ``step`` seconds around its centre, which is the inverse of
:func:`sklaudio.events.events_to_frames` (a frame is active when its centre
lies inside an event), so events survive a round trip to within half a frame.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import median_filter

from .._params import check_real, raise_invalid

__all__ = [
    "activity_from_probabilities",
    "median_filter_activity",
    "activity_to_intervals",
    "clean_intervals",
]


def _as_scores(proba) -> np.ndarray:
    p = np.asarray(proba, dtype=np.float64)
    if p.ndim == 1:
        p = p[:, None]
    if p.ndim != 2:
        raise ValueError(f"Frame scores must have shape (n_frames, n_classes), got {p.shape}.")
    if not np.isfinite(p).all():
        raise ValueError("Frame scores contain NaN or inf.")
    return p


def activity_from_probabilities(proba, threshold: float = 0.5,
                                threshold_low: float | None = None) -> np.ndarray:
    """Binary frame activity from scores: one threshold, or hysteresis with two.

    With ``threshold_low=None`` a frame is active when its score is above
    ``threshold``. With hysteresis (a double threshold), a run becomes active
    where the score exceeds ``threshold`` and stays active, backwards and
    forwards, while the score stays above ``threshold_low``: every maximal run
    of frames above ``threshold_low`` that contains a frame above
    ``threshold``.

    Parameters
    ----------
    proba : array-like of shape (n_frames, n_classes) or (n_frames,)
        Frame scores (probabilities), one column per class.
    threshold : float, default=0.5
        Activation threshold.
    threshold_low : float or None, default=None
        Lower (release) threshold of the hysteresis, ``<= threshold``; ``None``
        for a single threshold.

    Returns
    -------
    ndarray of bool of shape (n_frames, n_classes)
        The frame activity.

    Raises
    ------
    ValueError
        For scores that are not 1-D/2-D or not finite, or
        ``threshold_low > threshold``.
    """
    p = _as_scores(proba)
    threshold = check_real("threshold", threshold)
    high = p > threshold
    if threshold_low is None:
        return high
    threshold_low = check_real("threshold_low", threshold_low, high=threshold,
                               hint=" (at most threshold)")
    low = p > threshold_low
    out = np.zeros_like(high)
    for c in range(p.shape[1]):
        for a, b in _runs(low[:, c]):
            if high[a:b, c].any():
                out[a:b, c] = True
    return out


def median_filter_activity(activity, n_frames: int) -> np.ndarray:
    """Median filter along time, per class, over an odd window of ``n_frames`` frames.

    Applied to a binary activity this is a majority vote over the window
    (DCASE 2017 baseline); applied to scores it smooths them (DESED). The
    edges repeat the nearest frame (``mode="nearest"``). ``n_frames <= 1``
    returns the input unchanged.

    Parameters
    ----------
    activity : array-like of shape (n_frames_total, n_classes)
        Binary activity or scores.
    n_frames : int
        Window length in frames; an even length is made odd by adding 1.

    Returns
    -------
    ndarray, same shape and dtype as ``activity``
        The filtered array.
    """
    a = np.asarray(activity)
    if a.ndim == 1:
        a = a[:, None]
    n = int(n_frames)
    if n <= 1 or a.shape[0] == 0:
        return a.copy()
    if n % 2 == 0:
        n += 1
    return median_filter(a, size=(n, 1), mode="nearest")


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs ``[a, b)`` of True in a 1-D boolean array."""
    m = np.concatenate([[False], np.asarray(mask, bool), [False]])
    d = np.flatnonzero(np.diff(m.astype(np.int8)))
    return list(zip(d[0::2].tolist(), d[1::2].tolist()))


def activity_to_intervals(activity: np.ndarray, frame_times: np.ndarray,
                          frame_step: float) -> list[list[tuple[float, float]]]:
    """Contiguous active frames to ``(onset, offset)`` intervals in seconds, per class.

    Parameters
    ----------
    activity : ndarray of bool of shape (n_frames, n_classes)
        Frame activity.
    frame_times : ndarray of shape (n_frames,)
        Centre of each frame in seconds.
    frame_step : float
        Seconds between frame centres (``hop_length / sample_rate``).

    Returns
    -------
    list of list of (float, float)
        For each class, its intervals ``[t_a - step / 2, t_b + step / 2)``
        (onsets clipped at 0), in time order.
    """
    act = np.asarray(activity, bool)
    if act.ndim == 1:
        act = act[:, None]
    half = frame_step / 2.0
    out = []
    for c in range(act.shape[1]):
        out.append([(max(0.0, float(frame_times[a]) - half), float(frame_times[b - 1]) + half)
                    for a, b in _runs(act[:, c])])
    return out


def clean_intervals(intervals: list[tuple[float, float]], min_duration: float = 0.0,
                    min_gap: float = 0.0) -> list[tuple[float, float]]:
    """Drop intervals shorter than ``min_duration``, then merge those closer than ``min_gap``.

    The order is dcase_util's (``ProbabilityEncoder`` post-processing: the
    event-length filter, then gap merging).

    Parameters
    ----------
    intervals : list of (float, float)
        ``(onset, offset)`` pairs in seconds, in time order, disjoint.
    min_duration : float, default=0.0
        Shortest event kept, seconds.
    min_gap : float, default=0.0
        Gaps shorter than this (seconds) between consecutive events are
        filled, merging the two events.

    Returns
    -------
    list of (float, float)
        The cleaned intervals, in time order.
    """
    min_duration = check_real("min_duration", min_duration, low=0, unit="s")
    min_gap = check_real("min_gap", min_gap, low=0, unit="s")
    kept = [(a, b) for a, b in intervals if b - a >= min_duration]
    merged: list[tuple[float, float]] = []
    for a, b in kept:
        if merged and a - merged[-1][1] < min_gap:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def seconds_to_frames(seconds: float, frame_step: float, name: str) -> int:
    """A duration in seconds as a whole number of frames (at least 1 when positive)."""
    seconds = check_real(name, seconds, low=0, unit="s")
    if frame_step <= 0:  # pragma: no cover - guarded by the features' own checks
        raise_invalid("frame_step", "positive", frame_step)
    return int(round(seconds / frame_step))
