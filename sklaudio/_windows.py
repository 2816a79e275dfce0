"""WindowedClassifier: clips cut into analysis windows, window probabilities pooled per clip."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._docstrings import fill_params
from ._meta import (
    check_clip_batch,
    check_clip_targets,
    expand_per_clip,
    fit_params_for_estimator,
)
from ._params import (
    SAMPLE_RATE,
    HasMethods,
    Interval,
    StrOptions,
    raise_invalid,
    validate_estimator_params,
    validating,
)

__all__ = ["WindowedClassifier", "window_starts"]


def window_starts(n_samples: int, window: int, hop: int) -> np.ndarray:
    """Start samples of the analysis windows of one clip.

    Windows start at ``0, hop, 2 hop, ...`` while they fit in the clip; if
    the last of them ends before the clip does, one more window is aligned to
    the clip's end (it overlaps its predecessor more than ``window - hop``),
    so every sample is in some window and no window is padded. A clip of at
    most ``window`` samples has one window starting at 0 (padded by the
    caller).
    """
    if n_samples <= window:
        return np.zeros(1, dtype=np.int64)
    starts = np.arange(0, n_samples - window + 1, hop, dtype=np.int64)
    if starts[-1] + window < n_samples:
        starts = np.append(starts, n_samples - window)
    return starts


def _has_proba(self):
    est = getattr(self, "estimator_", None)
    if est is None:
        est = self._estimator()
    return self.aggregate == "vote" or hasattr(est, "predict_proba")


@fill_params()
class WindowedClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Classify clips by classifying their analysis windows and pooling the windows.

    Each clip is cut into windows of ``window`` seconds, ``hop`` seconds
    apart (see below). ``fit`` trains a clone of ``estimator`` on all the
    windows, each labelled with its clip's class; ``predict_proba`` of a
    clip pools its windows' class probabilities by ``aggregate``, and
    ``predict`` returns the class of highest pooled probability. The wrapped
    estimator sees a 2-D array ``(n_windows, window_samples)``, so it can be
    any classifier or Pipeline that takes clips: sklaudio features and a
    stock classifier, or a net on :class:`LogMelPatches`.

    **Windows.** ``window_samples = round(window * sample_rate)`` and
    ``hop_samples = round(hop * sample_rate)``. Windows start at ``0, hop,
    2 hop, ...`` while they fit in the clip; if the last one ends before the
    clip, one more window is aligned to the clip's end, so every sample is
    in a window and no window of a long clip is padded. A clip of at most
    ``window`` seconds gives one window: the clip centred in zeros (digital
    silence), never dropped.

    **Groups and cross-validation.** The windows of a clip never leave it:
    cross-validating a ``WindowedClassifier`` on clips (e.g.
    ``cross_val_score(clf, X, y, groups=speakers, cv=GroupKFold(6))``)
    splits clips, so no clip has windows on both sides of a fold. For a
    wrapped estimator that splits its training windows itself (a
    ``GridSearchCV``, a net with a validation split), per-clip fit
    parameters are repeated for each window of their clip:
    ``fit(X, y, groups=clip_ids)`` passes ``groups`` per window, so a
    ``GroupKFold`` inside keeps each clip's windows together. The same holds
    for ``sample_weight`` and any other parameter of length ``n_clips``;
    with scikit-learn's metadata routing enabled, fit parameters are routed
    (the wrapped estimator must request them).

    Parameters
    ----------
    estimator : estimator object or None, default=None
        Classifier (or Pipeline ending in one) fitted on the windows; cloned
        in ``fit``. It needs ``predict_proba`` unless ``aggregate="vote"``.
        ``None``: ``make_pipeline(MFCC(sample_rate=sample_rate),
        StandardScaler(), LogisticRegression(max_iter=1000))``.
    window : float, default=1.0
        Window length in seconds.
    hop : float or None, default=None
        Time between window starts in seconds; ``None`` is ``window`` (no
        overlap). Smaller than ``window`` for overlapping windows.
    aggregate : {"mean", "max", "vote"}, default="mean"
        How a clip's window probabilities are pooled: ``"mean"``, the mean
        probability; ``"max"``, each class's largest window probability,
        rescaled to sum to 1 over the classes; ``"vote"``, the fraction of
        windows predicted as each class (majority vote; ``predict`` breaks
        ties by the mean probability when the estimator has
        ``predict_proba``, else towards the first class).

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    window_samples_ : int
        Window length in samples.
    hop_samples_ : int
        Hop in samples.
    n_windows_fit_ : int
        Number of windows ``estimator_`` was trained on.
    n_features_in_ : int
        Samples per clip, set only when fitted on a 2-D array (clips of any
        length are accepted at ``predict``).

    See Also
    --------
    LogMelPatches : Fixed-shape log-mel input for a net inside the windows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklaudio import MFCC, WindowedClassifier
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(16000) / 8000
    >>> X = [np.sin(2 * np.pi * f * t[:n]) + 0.1 * rng.standard_normal(n)
    ...      for f, n in [(300, 16000), (300, 9000), (1200, 12000), (1200, 2000)]]
    >>> y = [0, 0, 1, 1]
    >>> pipe = make_pipeline(MFCC(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40),
    ...                      StandardScaler(), LogisticRegression())
    >>> clf = WindowedClassifier(pipe, window=0.5, hop=0.25, sample_rate=8000).fit(X, y)
    >>> clf.predict(X).tolist()
    [0, 0, 1, 1]
    >>> clf.predict_proba(X).shape
    (4, 2)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "window": [Interval(numbers.Real, 0, None, closed="neither", unit="s")],
        "hop": [Interval(numbers.Real, 0, None, closed="neither", unit="s"), None],
        "aggregate": [StrOptions({"mean", "max", "vote"})],
        **SAMPLE_RATE,
    }

    def __init__(self, estimator=None, *, window=1.0, hop=None, aggregate="mean",
                 sample_rate=22050):
        self.estimator = estimator
        self.window = window
        self.hop = hop
        self.aggregate = aggregate
        self.sample_rate = sample_rate

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.target_tags.required = True
        return tags

    # -- helpers ----------------------------------------------------------------------------------
    def _estimator(self):
        if self.estimator is not None:
            return self.estimator
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        from ._mel import MFCC
        return make_pipeline(MFCC(sample_rate=self.sample_rate), StandardScaler(),
                             LogisticRegression(max_iter=1000))

    def _validate(self):
        validate_estimator_params(self)
        with validating(type(self).__name__):
            W = int(round(self.window * self.sample_rate))
            if W < 1:
                raise_invalid("window", f"at least one sample long (1 / sample_rate = "
                              f"{1 / self.sample_rate} s)", self.window)
            if self.hop is None:
                H = W
            else:
                H = int(round(self.hop * self.sample_rate))
                if H < 1:
                    raise_invalid("hop", f"at least one sample long (1 / sample_rate = "
                                  f"{1 / self.sample_rate} s) or None", self.hop)
        return W, H

    def _windows(self, X, W: int, H: int):
        """All windows of all clips ``(n_windows, W)``, the clip of each, and clip offsets."""
        batch = check_clip_batch(X, type(self).__name__)
        starts = [window_starts(int(n), W, H) for n in batch.lengths]
        counts = np.array([len(s) for s in starts], dtype=np.int64)
        out = np.zeros((int(counts.sum()), W), dtype=batch.samples.dtype)
        row = 0
        for i, st in enumerate(starts):
            x = batch.clip(i)
            if len(x) <= W:
                before = (W - len(x)) // 2
                out[row, before:before + len(x)] = x
            else:
                out[row:row + len(st)] = np.lib.stride_tricks.sliding_window_view(x, W)[st]
            row += len(st)
        clip_of = np.repeat(np.arange(batch.n_clips), counts)
        offsets = np.concatenate([[0], np.cumsum(counts)])
        return out, clip_of, offsets

    # -- scikit-learn API -------------------------------------------------------------------------
    def fit(self, X, y=None, **fit_params):
        """Train a clone of ``estimator`` on the windows of the clips.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips of any lengths, at ``sample_rate``.
        y : array-like of shape (n_clips,)
            One class per clip; each window takes its clip's class.
        **fit_params : dict
            Passed to ``estimator.fit``; values of length ``n_clips`` (e.g.
            ``sample_weight``, ``groups``) are repeated for each window of
            their clip. Routed when metadata routing is enabled.

        Returns
        -------
        self : WindowedClassifier
            The fitted classifier.

        Raises
        ------
        ValueError
            For invalid parameters, clips or targets (``y`` is required).
        """
        W, H = self._validate()
        Xw, clip_of, _ = self._windows(X, W, H)
        n_clips = int(clip_of[-1]) + 1
        y = check_clip_targets(y, n_clips, type(self).__name__)
        params = expand_per_clip(fit_params_for_estimator(self, fit_params), clip_of, n_clips)
        if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype != object:
            self.n_features_in_ = X.shape[1]  # samples per clip; other lengths are accepted
        elif hasattr(self, "n_features_in_"):
            del self.n_features_in_
        self.estimator_ = clone(self._estimator()).fit(Xw, y[clip_of], **params)
        self.classes_ = np.asarray(self.estimator_.classes_)
        self.window_samples_, self.hop_samples_ = W, H
        self.n_windows_fit_ = len(Xw)
        return self

    def _pooled(self, X):
        check_is_fitted(self, "estimator_")
        Xw, _, offsets = self._windows(X, self.window_samples_, self.hop_samples_)
        counts = np.diff(offsets)[:, None]
        starts = offsets[:-1]
        proba = None
        if self.aggregate != "vote" or hasattr(self.estimator_, "predict_proba"):
            P = np.asarray(self.estimator_.predict_proba(Xw), dtype=np.float64)
            proba = np.add.reduceat(P, starts, axis=0) / counts
        if self.aggregate == "mean":
            return proba, proba, counts
        if self.aggregate == "max":
            M = np.maximum.reduceat(P, starts, axis=0)
            total = M.sum(axis=1, keepdims=True)
            return M / np.where(total > 0, total, 1.0), proba, counts
        labels = self.estimator_.predict(Xw)
        index = {c: k for k, c in enumerate(self.classes_.tolist())}
        onehot = np.zeros((len(Xw), len(self.classes_)))
        onehot[np.arange(len(Xw)), [index[v] for v in np.asarray(labels).tolist()]] = 1.0
        return np.add.reduceat(onehot, starts, axis=0) / counts, proba, counts

    @available_if(_has_proba)
    def predict_proba(self, X):
        """Class probabilities of each clip, pooled over its windows by ``aggregate``.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips of any lengths.

        Returns
        -------
        ndarray of shape (n_clips, n_classes)
            Rows sum to 1; columns follow ``classes_``.
        """
        return self._pooled(X)[0]

    def predict(self, X):
        """The class of highest pooled probability of each clip.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips of any lengths.

        Returns
        -------
        ndarray of shape (n_clips,)
            Labels from ``classes_``.
        """
        pooled, proba, counts = self._pooled(X)
        if self.aggregate == "vote" and proba is not None:
            # Vote fractions differ by multiples of 1/n (n windows); adding the mean
            # probability over n + 1 breaks ties without overturning a vote.
            pooled = pooled + proba / (counts + 1)
        return self.classes_[np.argmax(pooled, axis=1)]

    def get_metadata_routing(self):
        """Route ``fit`` metadata to the wrapped estimator (metadata routing enabled).

        Returns
        -------
        routing : MetadataRouter
            ``fit`` -> ``estimator.fit``.
        """
        return MetadataRouter(owner=self).add(
            estimator=self._estimator(),
            method_mapping=MethodMapping().add(caller="fit", callee="fit"))
