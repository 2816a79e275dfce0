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


def _table(pd, rows: list):
    """An event table with float onsets/offsets even when empty."""
    return pd.DataFrame({"onset": np.array([r[0] for r in rows], dtype=np.float64),
                         "offset": np.array([r[1] for r in rows], dtype=np.float64),
                         "event_label": pd.Series([r[2] for r in rows], dtype=object)})


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
        return _table(pd, rows)

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

    # -- streaming -----------------------------------------------------------------------
    def stream_latency(self) -> float:
        """Return the most seconds after an event's offset until :meth:`stream_events` emits it.

        The sum of the features' own look-ahead (their
        :meth:`stream_latency`), the ``context`` frames the classifier reads
        after a frame, half the median window, one frame (the frame that
        closes the event) and ``min_gap`` (an event is final only when no
        later event can merge with it).

        Returns
        -------
        float
            The latency in seconds.
        """
        check_is_fitted(self, "classifier_")
        sr = self._grid_[0]
        feat = self.features_.stream_latency()["samples"] / sr
        n_med = seconds_to_frames(self.median_window, self.frame_step_, "median_window")
        half = (n_med // 2) if n_med > 1 else 0
        return feat + (self.context + half + 1) * self.frame_step_ + self.min_gap

    def stream_events(self, blocks):
        """Detect events online in an audio stream, emitting each event once it is final.

        The stream is the concatenation of ``blocks`` (1-D arrays of samples
        at ``sample_rate``, of any sizes: ``soundfile.blocks``, a sound-card
        callback through a queue, a generator). The features come from the
        features' own :meth:`stream`, equal to their whole-signal frames; the
        classifier reads each frame once its ``context`` right neighbours
        have arrived; the median filter waits for half its window; an event
        is emitted when it has ended and no later event can merge with it
        (``min_gap`` of silence after it), at most :meth:`stream_latency`
        seconds after its offset.

        With a single threshold (``threshold_low=None``) the events equal
        :meth:`predict` on the whole signal, whatever the block sizes. With
        hysteresis the streaming rule is causal: an event starts at the first
        frame above ``threshold`` and ends at the first frame at or below
        ``threshold_low``, where :meth:`predict` also extends it backwards to
        where the probability first rose above ``threshold_low``; streaming
        onsets are therefore the same or later.

        Parameters
        ----------
        blocks : iterable of array-like of shape (n_samples_i,)
            Mono audio at ``sample_rate``.

        Returns
        -------
        generator of DataFrame
            After each block (and once at the end of the stream), the events
            that became final, columns ``onset``, ``offset`` (seconds from the
            start of the stream) and ``event_label``; often empty.

        Raises
        ------
        ValueError
            For a block that is not 1-D, real and finite (named by index), or
            features that cannot stream (see their :meth:`stream`).
        """
        check_is_fitted(self, "classifier_")
        return _EventStream(self).run(blocks)

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



class _EventStream:
    """The causal post-processing of :meth:`EventDetector.stream_events` (state and steps)."""

    def __init__(self, det: EventDetector):
        self.det = det
        self.sr, self.hop, self.n_fft, self.center = det._grid_
        self.step = det.frame_step_
        self.half_step = self.step / 2.0
        self.C = len(det.classes_)
        self.mono = not det.polyphonic
        self.n_ch = 1 if self.mono else self.C
        n_med = seconds_to_frames(det.median_window, self.step, "median_window")
        self.h = n_med // 2 if n_med > 1 else 0
        self.ctx = det.context
        self.frames = []          # feature rows not yet needed no more, from index self.f0
        self.f0 = 0
        self.n_feat = 0           # feature frames received
        self.n_scored = 0         # frames classified
        self.raw = []             # activity before the median filter, from index self.r0
        self.r0 = 0
        self.n_med_done = 0       # frames through the median filter
        self.hyst = np.zeros(self.n_ch, bool)
        self.P = []               # probabilities (monophonic, for labels) from index self.p0
        self.p0 = 0
        self.samples = []         # audio (segment classifier) from sample self.s0
        self.s0 = 0
        self.open = [None] * self.n_ch      # start frame of the current run
        self.pending = [None] * self.n_ch   # (onset, offset) waiting for min_gap

    # -- helpers -----------------------------------------------------------------------------
    def _time(self, k: int) -> float:
        off = 0 if self.center else self.n_fft // 2
        return (k * self.hop + off) / self.sr

    def _scores(self, P: np.ndarray) -> np.ndarray:
        return (1.0 - P[:, self.C])[:, None] if self.mono else P

    def _activity(self, S: np.ndarray) -> np.ndarray:
        det = self.det
        if det.threshold_low is None:
            return S > det.threshold
        out = np.zeros(S.shape, bool)
        for t in range(S.shape[0]):
            for c in range(self.n_ch):
                if self.hyst[c]:
                    self.hyst[c] = S[t, c] > det.threshold_low
                else:
                    self.hyst[c] = S[t, c] > det.threshold
                out[t, c] = self.hyst[c]
        return out

    def _classify(self, final: bool) -> None:
        """Score the frames whose right context is complete (all of them at the end)."""
        if not self.frames:
            return
        F = np.concatenate(self.frames)                     # rows f0 .. n_feat-1
        stop = self.n_feat if final else self.n_feat - self.ctx
        if stop <= self.n_scored:
            return
        ks = np.arange(self.n_scored, stop)
        cols = [np.clip(ks + d, 0, self.n_feat - 1) - self.f0
                for d in range(-self.ctx, self.ctx + 1)]
        Z = np.concatenate([F[c] for c in cols], axis=1)
        P = self.det._proba(Z)
        if self.mono:
            self.P.append(P[:, :self.C])
        self.raw.append(self._activity(self._scores(P)))
        self.n_scored = stop
        keep_from = max(0, self.n_scored - self.ctx) - self.f0
        self.frames = [F[keep_from:]]
        self.f0 += keep_from

    def _median(self, final: bool) -> list[tuple[int, np.ndarray]]:
        """Median-filtered activity of the frames whose window is complete."""
        if not self.raw:
            return []
        A = np.concatenate(self.raw)                        # rows r0 .. n_scored-1
        stop = self.n_scored if final else self.n_scored - self.h
        out = []
        for k in range(self.n_med_done, stop):
            if self.h:
                idx = np.clip(np.arange(k - self.h, k + self.h + 1), 0, self.n_scored - 1)
                win = A[idx - self.r0]
                out.append((k, np.median(win, axis=0) > 0.5))
            else:
                out.append((k, A[k - self.r0]))
        self.n_med_done = max(self.n_med_done, stop)
        keep_from = max(0, self.n_med_done - self.h) - self.r0
        self.raw = [A[keep_from:]]
        self.r0 += keep_from
        return out

    def _label(self, c: int, onset: float, offset: float) -> object:
        det = self.det
        if det.segment_classifier_ is not None:
            x = np.concatenate(self.samples) if self.samples else np.zeros(0)
            a = int(round(onset * self.sr)) - self.s0
            b = max(int(round(offset * self.sr)) - self.s0, a + 1)
            return det.segment_classifier_.predict([x[max(a, 0):b]])[0]
        if not self.mono:
            return det.classes_[c]
        P = np.concatenate(self.P)
        ks = np.arange(self.p0, self.p0 + P.shape[0])
        times = np.array([self._time(k) for k in ks])
        inside = (times >= onset - 1e-12) & (times + self.half_step <= offset + 1e-9)
        if not inside.any():
            inside = (times >= onset - self.half_step) & (times <= offset + self.half_step)
        return det.classes_[int(P[inside].mean(axis=0).argmax())]

    def _emit(self, c: int, interval, out: list) -> None:
        a, b = interval
        out.append((a, b, self._label(c, a, b)))

    def _advance(self, med: list[tuple[int, np.ndarray]], final: bool) -> list:
        det = self.det
        out = []
        for k, act in med:
            for c in range(self.n_ch):
                if act[c] and self.open[c] is None:
                    self.open[c] = k
                elif not act[c] and self.open[c] is not None:
                    self._close(c, self.open[c], k - 1, out)
                    self.open[c] = None
                # a pending event is final once no later run can come within min_gap
                if self.pending[c] is not None and self.open[c] is None:
                    if self._time(k + 1) - self.half_step - self.pending[c][1] >= det.min_gap:
                        self._emit(c, self.pending[c], out)
                        self.pending[c] = None
        if final:
            for c in range(self.n_ch):
                if self.open[c] is not None:
                    self._close(c, self.open[c], self.n_med_done - 1, out)
                    self.open[c] = None
                if self.pending[c] is not None:
                    self._emit(c, self.pending[c], out)
                    self.pending[c] = None
        return out

    def _close(self, c: int, a: int, b: int, out: list) -> None:
        det = self.det
        onset = max(0.0, self._time(a) - self.half_step)
        offset = self._time(b) + self.half_step
        if offset - onset < det.min_duration:
            return
        if self.pending[c] is not None:
            if onset - self.pending[c][1] < det.min_gap:
                self.pending[c] = (self.pending[c][0], max(self.pending[c][1], offset))
                return
            self._emit(c, self.pending[c], out)
        self.pending[c] = (onset, offset)

    def _prune(self) -> None:
        """Forget probabilities and audio no open or pending event can need."""
        starts = [self.n_med_done - self.h - self.ctx - 1]
        for c in range(self.n_ch):
            if self.open[c] is not None:
                starts.append(self.open[c] - 1)
            if self.pending[c] is not None:
                off = 0 if self.center else self.n_fft // 2
                starts.append(int(np.floor((self.pending[c][0] * self.sr - off) / self.hop)) - 2)
        first = max(0, min(starts))
        if self.mono and self.P:
            P = np.concatenate(self.P)
            drop = max(0, first - self.p0)
            self.P = [P[drop:]]
            self.p0 += drop
        if self.det.segment_classifier_ is not None and self.samples:
            x = np.concatenate(self.samples)
            drop = max(0, min(first * self.hop - self.n_fft, x.size) - self.s0)
            self.samples = [x[drop:]]
            self.s0 += drop

    def _frame(self, rows: list) -> object:
        rows.sort(key=lambda r: (r[0], str(r[2])))
        return _table(_pandas(), rows)

    # -- the loop ----------------------------------------------------------------------------
    def run(self, blocks):
        keep_audio = self.det.segment_classifier_ is not None

        def tee():
            for blk in blocks:
                if keep_audio:
                    self.samples.append(np.asarray(blk, dtype=np.float64).ravel())
                yield blk

        feats = self.det.features_.stream(tee())
        for new in feats:
            new = np.asarray(new, dtype=np.float64).T       # (n_new, n_features)
            if new.shape[0]:
                self.frames.append(new)
                self.n_feat += new.shape[0]
                self._classify(final=False)
            rows = self._advance(self._median(final=False), final=False)
            self._prune()
            yield self._frame(rows)
        # end of stream: the features generator is exhausted
        self._classify(final=True)
        rows = self._advance(self._median(final=True), final=True)
        yield self._frame(rows)
