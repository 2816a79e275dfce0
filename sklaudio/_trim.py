"""Silence trimming as a stateless scikit-learn transformer (librosa ``effects.trim`` per clip).

:class:`Trim` maps a batch of clips to a list of trimmed clips, so it can be
the first step of a :class:`~sklearn.pipeline.Pipeline` in front of any
sklaudio feature estimator. The RMS frames of all clips are computed in one
engine pass (:func:`sklaudio.functional._trim.batch_spans`); the spans are
found with vectorised NumPy and the kept samples are copied once into one
buffer.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import scipy.sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from . import functional as F
from ._base import ClipsOutputMixin
from ._docstrings import fill_params
from ._params import (
    FRAMING,
    NONNEGATIVE_INT,
    POOLING,
    POSITIVE_INT,
    POSITIVE_REAL,
    Interval,
    StrOptions,
    combine,
    validate_estimator_params,
    validating,
)
from ._validation import ClipBatch, check_clips, resolve_dtype
from .functional._trim import batch_spans, check_trim_params

__all__ = ["Trim"]


def _is_2d_array(X) -> bool:
    if isinstance(X, np.ndarray):
        return X.ndim == 2 and X.dtype != object
    return hasattr(X, "columns") and hasattr(X, "to_numpy")


@fill_params(references_from=F.trim)
class Trim(ClipsOutputMixin, TransformerMixin, BaseEstimator):
    """Trim leading and trailing silence from every clip.

    Each clip is trimmed on its own, exactly as
    :func:`sklaudio.functional.trim` (and ``librosa.effects.trim`` with
    ``margin=0``; librosa 0.11): centred frames of ``frame_length`` samples
    every ``hop_length`` samples (zero padded), frame RMS in dB relative to
    ``ref`` (by default the clip's loudest frame), frames above ``-top_db``
    are non-silent, and the clip is cut from the first non-silent frame
    (``first * hop_length``) to one hop after the last
    (``min(n, (last + 1) * hop_length)``), widened by ``margin`` samples on
    each side.

    A clip whose trimmed length would be below ``min_length`` samples
    (including a clip with no non-silent frame, which would become empty) is
    returned untrimmed, silently, so the output never holds an empty clip
    (which downstream estimators reject). With the default ``ref="max"`` an
    all-zero clip is kept whole anyway (all its frames are at 0 dB).

    Stateless: :meth:`fit` only validates, :meth:`transform` works without
    it. The output is a list of 1-D clips of different lengths, which every
    sklaudio feature estimator accepts.

    Parameters
    ----------
    top_db : float, default=60.0
        Threshold in dB below ``ref``: frames at or below ``ref - top_db``
        are silent.
    ref : "max", float or callable, default="max"
        Reference amplitude (units of the samples): ``"max"`` (or
        ``np.max``) is each clip's largest frame RMS; a positive number is a
        fixed amplitude for all clips (e.g. ``1.0``: dB re full scale); a
        callable is applied to each clip's frame RMS levels
        ``(n_frames,)`` and returns one number.
    frame_length : int, default=2048
        Analysis frame length in samples, ``>= 2``.
    hop_length : int, default=512
        Hop between frames in samples, ``>= 1``.
    margin : int, default=0
        Samples kept on each side of the non-silent span (clipped to the
        clip), ``>= 0``. Not in librosa.
    min_length : int, default=1
        Minimum trimmed length in samples, ``>= 1``; a clip that would be
        shorter after trimming is kept whole.
    dtype : {"float32", "float64"}, default="float32"
        Floating type of the analysis and of the returned clips.
    n_jobs : int or None, default=None
        Threads used for the RMS frames.

    See Also
    --------
    sklaudio.functional.trim : The function, for one (multichannel) signal.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import Trim
    >>> tone = np.sin(2 * np.pi * np.arange(4000) / 16)
    >>> X = [np.concatenate([np.zeros(3000), tone, np.zeros(3000)]), np.zeros(500)]
    >>> clips = Trim(top_db=40, frame_length=256, hop_length=64).fit_transform(X)
    >>> [c.shape for c in clips]      # the silent clip is kept whole
    [(4288,), (500,)]
    >>> clips[0].dtype
    dtype('float32')

    In a pipeline, before a feature estimator:

    >>> from sklearn.pipeline import make_pipeline
    >>> from sklaudio import MFCC
    >>> pipe = make_pipeline(Trim(top_db=30, frame_length=256, hop_length=64),
    ...                      MFCC(sample_rate=8000, n_fft=256, hop_length=64))
    >>> pipe.fit_transform(X).shape
    (2, 40)
    """

    def __init__(self, *, top_db=60.0, ref="max", frame_length=2048, hop_length=512, margin=0,
                 min_length=1, dtype="float32", n_jobs=None):
        self.top_db = top_db
        self.ref = ref
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.margin = margin
        self.min_length = min_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(
        {k: POOLING[k] for k in ("dtype", "n_jobs")}, FRAMING,
        top_db=[Interval(numbers.Real, None, None, closed="neither")],
        ref=[POSITIVE_REAL, StrOptions({"max"}), callable], margin=[NONNEGATIVE_INT],
        min_length=[POSITIVE_INT],
    )
    _parameter_constraints.pop("center")
    _parameter_constraints.pop("pad_mode")

    def _validated_params(self):
        validate_estimator_params(self)
        with validating(type(self).__name__):
            top_db, ref, frame_length, hop_length, margin = check_trim_params(
                self.top_db, self.ref, self.frame_length, self.hop_length, self.margin)
        dtype = resolve_dtype(self.dtype)
        return dict(top_db=top_db, ref=ref, frame_length=frame_length, hop_length=hop_length,
                    margin=margin), int(self.min_length), dtype

    def _check_X(self, X, dtype) -> ClipBatch:
        if scipy.sparse.issparse(X):
            raise TypeError(
                "Trim does not accept sparse input: audio clips are dense. Convert with "
                "X.toarray()."
            )
        return check_clips(X, dtype=dtype)

    def fit(self, X: Any, y: Any = None) -> Trim:
        """Validate the parameters and ``X``; learn nothing.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips.
        y : None
            Ignored.

        Returns
        -------
        self : Trim
            The fitted transformer.

        Raises
        ------
        ValueError
            For an invalid parameter (named) or invalid clips (named by index:
            empty, NaN or inf, not 1-D, non-numeric).
        TypeError
            If ``X`` is not array-like or is sparse.
        """
        _, _, dtype = self._validated_params()
        self._check_X(X, dtype)
        if _is_2d_array(X):  # n_features_in_ / feature_names_in_, like sklaudio's estimators
            validate_data(self, X, reset=True, ensure_all_finite=False, dtype=None)
        self.is_fitted_ = True
        return self

    def transform(self, X: Any) -> list[np.ndarray]:
        """Trim every clip.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or sequence of 1-D arrays
            Clips; integers are cast to ``dtype`` without rescaling.

        Returns
        -------
        clips : list of length n_clips of ndarray of shape (n_kept_i,)
            The trimmed clips in ``dtype``, ``n_kept_i >= min_length`` unless
            the clip itself is shorter (then it is returned whole). They are
            consecutive views into one new buffer (never ``X``'s memory).

        Raises
        ------
        ValueError
            For an invalid parameter (named) or invalid clips (named by index).
        TypeError
            If ``X`` is not array-like or is sparse.
        """
        check_is_fitted(self)
        params, min_length, dtype = self._validated_params()
        batch = self._check_X(X, dtype)
        start, end = batch_spans(batch, n_jobs=self.n_jobs, **params)
        whole = (end - start) < min_length
        start[whole] = 0
        end[whole] = batch.lengths[whole]
        # one copy of the kept samples: clips are adjacent views, which the next sklaudio
        # estimator takes without copying again
        lengths = end - start
        offsets = np.zeros(batch.n_clips + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        buf = np.empty(int(offsets[-1]), dtype=dtype)
        src0 = batch.offsets[:-1] + start
        for i in range(batch.n_clips):
            buf[offsets[i]:offsets[i + 1]] = batch.samples[src0[i]:src0[i] + lengths[i]]
        return [buf[offsets[i]:offsets[i + 1]] for i in range(batch.n_clips)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.transformer_tags.preserves_dtype = []
        return tags
