"""EventDetector: frame features -> frame classifier -> frame probabilities -> events."""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.multiclass import OneVsRestClassifier
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._params import Interval, raise_invalid, validate_estimator_params, validating
from ..functional import frames_to_time
from ._annotations import _pandas, check_events, events_to_frames
from ._metrics import event_based_metrics
from ._postprocessing import (
    activity_from_probabilities,
    activity_to_intervals,
    clean_intervals,
    median_filter_activity,
    seconds_to_frames,
)

__all__ = ["EventDetector", "FrameScores"]


class FrameScores(NamedTuple):
    """Frame probabilities of one recording and the time of each frame.

    Returned by :meth:`EventDetector.predict_proba`; unpacks as
    ``times, proba = scores``.

    Parameters
    ----------
    times : ndarray of shape (n_frames,)
        Centre of each frame in seconds.
    proba : ndarray of shape (n_frames, n_classes)
        Probability of each class per frame, columns in ``classes_`` order.
    """

    times: np.ndarray
    proba: np.ndarray


def stack_context(frames: np.ndarray, context: int) -> np.ndarray:
    """Concatenate each frame with its ``context`` neighbours on both sides (edge-padded).

    ``frames`` is ``(n_frames, n_features)``; the result is
    ``(n_frames, (2 * context + 1) * n_features)``, neighbours in time order
    (frame ``t - context`` first).
    """
    if context == 0:
        return frames
    padded = np.pad(frames, ((context, context), (0, 0)), mode="edge")
    win = np.lib.stride_tricks.sliding_window_view(padded, 2 * context + 1, axis=0)
    # (n_frames, n_features, 2k+1) -> time-major rows
    return np.ascontiguousarray(win.transpose(0, 2, 1)).reshape(frames.shape[0], -1)


class EventDetector(MetaEstimatorMixin, BaseEstimator):
    """Sound event detection: a frame classifier on frame features, post-processed into events.

    The standard system of the DCASE challenges [1]_: every recording is
    cut into frames by ``features`` (any sklaudio frame-feature transformer,
    e.g. :class:`~sklaudio.MFCC` or :class:`~sklaudio.MelSpectrogram`; its
    ``transform_frames``), each frame is optionally stacked with its
    ``context`` neighbours on both sides, a scikit-learn ``classifier`` is
    trained on the frames with targets from the event lists
    (:func:`events_to_frames`: a frame is active when its centre lies inside
    an event), and at prediction the frame probabilities are turned into
    events:

    1. activity: probability above ``threshold``, or hysteresis (active runs
       above ``threshold_low`` that reach ``threshold``);
    2. a median filter of ``median_window`` seconds over the binary activity
       (majority vote, as the DCASE 2017 baseline);
    3. contiguous active frames become events ``[t_a - step/2, t_b + step/2)``;
    4. events shorter than ``min_duration`` are dropped, then gaps shorter
       than ``min_gap`` are merged (dcase_util's order).

    With ``polyphonic=True`` (default) every class is detected on its own
    (multi-label, one-vs-rest; events of different classes may overlap).
    With ``polyphonic=False`` at most one event is active at a time: the
    classifier is trained multi-class with a background class, the activity
    is ``1 - P(background)``, and each detected event takes the class with the
    highest mean probability over its frames.

    With a ``segment_classifier`` (any scikit-learn classifier of whole clips,
    e.g. ``make_pipeline(MFCC(), StandardScaler(), SVC())``) the system has
    two stages, as in detection-then-classification systems: the frame
    classifier finds *where* events are, and each detected span of audio is
    labelled by the segment classifier, trained on the reference events cut
    from the training recordings. Useful when telling the classes apart needs
    the whole event (words, calls) more than single frames.

    Every post-processing step is a parameter, so ``GridSearchCV`` can tune
    it (each candidate refits the classifier; to tune post-processing alone,
    refit once and call :meth:`predict` with :meth:`set_params`).

    Parameters
    ----------
    features : transformer
        An sklaudio frame-feature transformer (it needs ``transform_frames``
        and a frame grid: ``hop_length`` and ``n_fft`` or ``frame_length``,
        ``center``). It is cloned and fitted in :meth:`fit`.
    classifier : classifier
        Any scikit-learn classifier with ``predict_proba``, trained on frames.
        Cloned in :meth:`fit`.
    sample_rate : float or None, default=None
        Sampling rate of the clips in Hz; ``None`` takes the features'
        ``sample_rate`` (needed for features without one, such as
        :class:`~sklaudio.RMS`).
    context : int, default=0
        Neighbouring frames stacked on each side of a frame (``2 context + 1``
        frames per classifier input), edge-padded at the ends.
    polyphonic : bool, default=True
        Detect classes independently (overlaps allowed) or one event at a time.
    threshold : float, default=0.5
        Activation threshold on the frame probabilities.
    threshold_low : float or None, default=None
        Release threshold of the hysteresis (``<= threshold``); ``None`` for a
        single threshold.
    median_window : float, default=0.0
        Length of the median filter in seconds (rounded to an odd number of
        frames); 0 disables it.
    min_duration : float, default=0.0
        Events shorter than this (seconds) are dropped.
    min_gap : float, default=0.0
        Gaps shorter than this (seconds) between two events of a class are
        filled.
    segment_classifier : classifier or None, default=None
        Classifier of audio segments (1-D arrays) that labels every detected
        event; trained on the reference events of ``fit``. ``None`` labels
        events from the frame probabilities.
    max_train_frames : int or None, default=None
        Train on at most this many frames, drawn at random without
        replacement (``None``: all frames).
    random_state : int, RandomState instance or None, default=None
        Seed of the frame subsampling.

    Attributes
    ----------
    features_ : transformer
        The fitted features.
    classifier_ : classifier
        The fitted frame classifier (a :class:`~sklearn.multiclass.OneVsRestClassifier`
        when polyphonic with several classes).
    classes_ : ndarray of shape (n_classes,)
        The event labels, sorted.
    frame_step_ : float
        Seconds between frames (``hop_length / sample_rate``).
    n_train_frames_ : int
        Frames the classifier was trained on.
    segment_classifier_ : classifier or None
        The fitted segment classifier.

    See Also
    --------
    sklaudio.events.event_based_metrics : The metric of :meth:`score`.

    References
    ----------
    .. [1] A. Mesaros, T. Heittola, T. Virtanen and M. D. Plumbley, "Sound
       event detection: A tutorial", IEEE Signal Processing Magazine 38(5),
       2021.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklaudio import RMS
    >>> from sklaudio.events import EventDetector
    >>> rng = np.random.default_rng(0)
    >>> def clip(on, off):
    ...     y = 0.01 * rng.standard_normal(16000)
    ...     y[int(on * 8000):int(off * 8000)] += np.sin(np.arange(int((off - on) * 8000)))
    ...     return y, pd.DataFrame({"onset": [on], "offset": [off], "event_label": ["beep"]})
    >>> X, y = zip(*(clip(a, a + 0.5) for a in (0.3, 0.8, 1.2)))
    >>> det = EventDetector(RMS(frame_length=256, hop_length=80), LogisticRegression(),
    ...                     sample_rate=8000).fit(list(X), list(y))
    >>> ev = det.predict([clip(0.5, 1.0)[0]])[0]
    >>> ev.event_label.tolist(), ev.onset.round(1).tolist(), ev.offset.round(1).tolist()
    (['beep'], [0.5], [1.0])
    """

    _parameter_constraints = {
        "features": [object],
        "classifier": [object],
        "sample_rate": [Interval(numbers.Real, 0, None, closed="neither", unit="Hz"), None],
        "context": [Interval(numbers.Integral, 0, None, closed="left")],
        "polyphonic": ["boolean"],
        "threshold": [Interval(numbers.Real, None, None, closed="neither")],
        "threshold_low": [Interval(numbers.Real, None, None, closed="neither"), None],
        "median_window": [Interval(numbers.Real, 0, None, closed="left", unit="s")],
        "min_duration": [Interval(numbers.Real, 0, None, closed="left", unit="s")],
        "min_gap": [Interval(numbers.Real, 0, None, closed="left", unit="s")],
        "segment_classifier": [object, None],
        "max_train_frames": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "random_state": [numbers.Integral, np.random.RandomState, None],
    }

    def __init__(self, features, classifier, *, sample_rate=None, context=0, polyphonic=True,
                 threshold=0.5, threshold_low=None, median_window=0.0, min_duration=0.0,
                 min_gap=0.0, segment_classifier=None, max_train_frames=None,
                 random_state=None):
        self.features = features
        self.classifier = classifier
        self.sample_rate = sample_rate
        self.context = context
        self.polyphonic = polyphonic
        self.threshold = threshold
        self.threshold_low = threshold_low
        self.median_window = median_window
        self.min_duration = min_duration
        self.min_gap = min_gap
        self.segment_classifier = segment_classifier
        self.max_train_frames = max_train_frames
        self.random_state = random_state

    # -- framing ------------------------------------------------------------------------
    def _grid(self, features) -> tuple[float, int, int, bool]:
        """(sample_rate, hop_length, n_fft, center) of the features' frames."""
        name = type(self).__name__
        plan = getattr(features, "_plan_params", None)
        if plan is None or not hasattr(features, "transform_frames"):
            raise TypeError(f"{name}: features must be an sklaudio frame-feature transformer "
                            f"(with transform_frames), got {type(features).__name__}.")
        p = plan()
        sr = self.sample_rate if self.sample_rate is not None else getattr(features,
                                                                          "sample_rate", None)
        if sr is None:
            raise_invalid("sample_rate", f"given (in Hz): {type(features).__name__} has no "
                          "sample_rate of its own", None, caller=name)
        hop = p["hop_length"]
        if hop is None:  # e.g. Pitch: frame_length // 4
            hop = p["n_fft"] // 4
        return float(sr), int(hop), int(p["n_fft"]), bool(p["center"])

    def _frames(self, X) -> list[np.ndarray]:
        """Classifier inputs per clip: (n_frames_i, (2 context + 1) n_features)."""
        frames = self.features_.transform_frames(X)
        return [stack_context(np.asarray(f.T, dtype=np.float64), self.context) for f in frames]

    def _times(self, n_frames: int) -> np.ndarray:
        sr, hop, n_fft, center = self._grid_
        return frames_to_time(np.arange(n_frames), sample_rate=sr, hop_length=hop,
                              n_fft=None if center else n_fft)

    # -- fit -----------------------------------------------------------------------------
    def fit(self, X, y):
        """Fit the features and train the frame classifier on the clips' frames.

        Parameters
        ----------
        X : sequence of 1-D arrays or array of shape (n_clips, n_samples)
            The recordings, at ``sample_rate``.
        y : sequence of DataFrame
            One event table per recording (``onset``, ``offset`` in seconds,
            ``event_label``; :func:`check_events`); an empty table for a
            recording without events.

        Returns
        -------
        self : EventDetector
            The fitted detector.

        Raises
        ------
        ValueError
            If ``X`` and ``y`` differ in length, an event table is invalid
            (the message names the recording and row), or no frame is active.
        """
        validate_estimator_params(self)
        name = type(self).__name__
        if self.threshold_low is not None and self.threshold_low > self.threshold:
            raise_invalid("threshold_low", f"at most threshold={self.threshold}",
                          self.threshold_low, caller=name)
        X = list(X) if not isinstance(X, np.ndarray) else X
        y = list(y)
        if len(X) != len(y):
            raise ValueError(f"{name}: X has {len(X)} recordings but y has {len(y)} event "
                             "tables; give one table (possibly empty) per recording.")
        tables = []
        for i, ev in enumerate(y):
            try:
                tables.append(check_events(ev))
            except ValueError as exc:
                raise ValueError(f"{name}: y[{i}]: {exc}") from exc
        if not (hasattr(self.features, "transform_frames")
                and hasattr(self.features, "_plan_params")):
            raise TypeError(f"{name}: features must be an sklaudio frame-feature transformer "
                            f"(with transform_frames), got {type(self.features).__name__}.")
        self.features_ = clone(self.features).fit(X)
        with validating(name):
            self._grid_ = self._grid(self.features_)
        sr, hop, n_fft, center = self._grid_
        self.frame_step_ = hop / sr
        labels = sorted({lab for t in tables for lab in t["event_label"].tolist()}, key=str)
        if not labels:
            raise ValueError(f"{name}: y holds no events; at least one event is needed to "
                             "learn what to detect.")
        self.classes_ = np.asarray(labels, dtype=object)
        feats = self._frames(X)
        targets = [events_to_frames(t, f.shape[0], sample_rate=sr, hop_length=hop, n_fft=n_fft,
                                    center=center, classes=labels)[0]
                   for t, f in zip(tables, feats)]
        Z = np.concatenate(feats)
        Y = np.concatenate(targets)
        if self.max_train_frames is not None and Z.shape[0] > self.max_train_frames:
            rng = check_random_state(self.random_state)
            keep = np.sort(rng.choice(Z.shape[0], self.max_train_frames, replace=False))
            Z, Y = Z[keep], Y[keep]
        self.n_train_frames_ = Z.shape[0]
        if not Y.any():
            raise ValueError(f"{name}: no frame falls inside an event (events shorter than the "
                             f"hop of {self.frame_step_:.4f} s?); nothing to learn.")
        if self.polyphonic:
            if len(labels) == 1:
                target = Y[:, 0].astype(int)
                if target.all():
                    raise ValueError(f"{name}: every frame is inside an event; the classifier "
                                     "needs frames without events too.")
                self.classifier_ = clone(self.classifier).fit(Z, target)
            else:
                self.classifier_ = OneVsRestClassifier(clone(self.classifier)).fit(Z, Y.astype(int))
        else:
            # one label per frame: the first active class (column order), else background
            target = np.where(Y.any(axis=1), Y.argmax(axis=1), len(labels))
            self.classifier_ = clone(self.classifier).fit(Z, target)
        self.segment_classifier_ = None
        if self.segment_classifier is not None:
            segs, labs = [], []
            for x, t in zip(X, tables):
                x = np.asarray(x)
                for on, off, lab in t[["onset", "offset", "event_label"]].itertuples(index=False):
                    seg = x[int(round(on * sr)):int(round(off * sr))]
                    if seg.size:
                        segs.append(seg)
                        labs.append(lab)
            self.segment_classifier_ = clone(self.segment_classifier).fit(segs, labs)
        return self

    # -- predict -------------------------------------------------------------------------
    def _proba(self, Z: np.ndarray) -> np.ndarray:
        """(n_frames, n_classes [+ 1 background when monophonic]) in classes_ order."""
        P = np.asarray(self.classifier_.predict_proba(Z), dtype=np.float64)
        C = len(self.classes_)
        if self.polyphonic and C == 1:
            cls = list(self.classifier_.classes_)
            return P[:, [cls.index(1)]]
        if self.polyphonic:
            return P
        out = np.zeros((P.shape[0], C + 1))
        for j, c in enumerate(self.classifier_.classes_):
            out[:, int(c)] = P[:, j]
        return out

    def predict_proba(self, X) -> list[FrameScores]:
        """Frame probabilities of every recording, with the frame times.

        Parameters
        ----------
        X : sequence of 1-D arrays or array of shape (n_clips, n_samples)
            The recordings.

        Returns
        -------
        list of FrameScores
            One ``(times, proba)`` per recording: ``times`` of shape
            ``(n_frames,)`` in seconds (frame centres) and ``proba`` of shape
            ``(n_frames, n_classes)``, columns in ``classes_`` order.
        """
        check_is_fitted(self, "classifier_")
        out = []
        for Z in self._frames(X):
            P = self._proba(Z)
            out.append(FrameScores(self._times(Z.shape[0]), P[:, :len(self.classes_)]))
        return out

    def _events(self, P: np.ndarray, times: np.ndarray):
        pd = _pandas()
        n_med = seconds_to_frames(self.median_window, self.frame_step_, "median_window")
        rows = []
        if self.polyphonic:
            act = activity_from_probabilities(P, self.threshold, self.threshold_low)
            act = median_filter_activity(act, n_med)
            for c, intervals in enumerate(activity_to_intervals(act, times, self.frame_step_)):
                for a, b in clean_intervals(intervals, self.min_duration, self.min_gap):
                    rows.append((a, b, self.classes_[c]))
        else:
            C = len(self.classes_)
            act = activity_from_probabilities(1.0 - P[:, C], self.threshold, self.threshold_low)
            act = median_filter_activity(act, n_med)
            intervals = activity_to_intervals(act, times, self.frame_step_)[0]
            half = self.frame_step_ / 2
            for a, b in clean_intervals(intervals, self.min_duration, self.min_gap):
                inside = (times >= a - 1e-12) & (times + half <= b + 1e-9)
                if not inside.any():
                    inside = (times >= a - half) & (times <= b + half)
                c = int(P[inside, :C].mean(axis=0).argmax())
                rows.append((a, b, self.classes_[c]))
        rows.sort(key=lambda r: (r[0], str(r[2])))
        return pd.DataFrame(rows, columns=["onset", "offset", "event_label"])

    def predict(self, X) -> list:
        """Detected events of every recording.

        Parameters
        ----------
        X : sequence of 1-D arrays or array of shape (n_clips, n_samples)
            The recordings.

        Returns
        -------
        list of DataFrame
            One event table per recording (``onset``, ``offset`` in seconds,
            ``event_label``), sorted by onset.
        """
        check_is_fitted(self, "classifier_")
        X = list(X) if not isinstance(X, np.ndarray) else X
        out = []
        for x, Z in zip(X, self._frames(X)):
            ev = self._events(self._proba(Z), self._times(Z.shape[0]))
            if self.segment_classifier_ is not None and len(ev):
                sr = self._grid_[0]
                x = np.asarray(x)
                segs = [x[int(round(a * sr)):max(int(round(b * sr)), int(round(a * sr)) + 1)]
                        for a, b in zip(ev.onset, ev.offset)]
                ev["event_label"] = self.segment_classifier_.predict(segs)
            out.append(ev)
        return out

    def score(self, X, y) -> float:
        """Event-based F1 (overall, micro) of :meth:`predict` against ``y``.

        DCASE's collars: 200 ms on onsets, and on offsets the larger of 200 ms
        and 20 % of the reference event's length
        (``event_based_metrics(t_collar=0.2, percentage_of_length=0.2)``).

        Parameters
        ----------
        X : sequence of 1-D arrays or array of shape (n_clips, n_samples)
            The recordings.
        y : sequence of DataFrame
            Their reference event tables.

        Returns
        -------
        float
            The F1 score in ``[0, 1]``.
        """
        est = self.predict(X)
        result = event_based_metrics(list(y), est, t_collar=0.2, percentage_of_length=0.2)
        f = result.overall["f_measure"]
        return 0.0 if f != f else float(f)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.non_deterministic = False
        tags.input_tags.two_d_array = False
        return tags

