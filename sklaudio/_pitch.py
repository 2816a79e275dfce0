"""Pitch estimator: YIN f0 and voicing per frame, pooled per clip."""

from __future__ import annotations

import warnings

from . import functional as F
from ._base import TimeDomainFeatureTransformer
from ._docstrings import fill_params
from ._params import FRAMING, POOLING, POSITIVE_REAL, SAMPLE_RATE, StrOptions, combine
from .functional._pitch import F0_SCALES, check_yin_params, yin_spec

__all__ = ["Pitch"]

#: librosa's recommended YIN range: note_to_hz("C2") and note_to_hz("C7").
FMIN_C2 = 65.40639132514966
FMAX_C7 = 2093.004522404789

@fill_params("frames", references_from=F.yin)
class Pitch(TimeDomainFeatureTransformer):
    """Fundamental frequency (YIN) and voicing per frame, pooled per clip.

    Two frame features, computed by :func:`sklaudio.functional.yin`'s
    algorithm (de Cheveigne & Kawahara 2002, as librosa 0.11 ``yin``):

    - ``f0``: the YIN estimate in Hz (or ``f0_log2`` / ``f0_midi``, see
      ``f0_scale``). YIN always gives a value: unvoiced frames (noise,
      silence) keep librosa's value, the f0 of the global minimum of the
      cumulative mean normalised difference (CMND); an all-zero frame gives
      ``sample_rate / floor(sample_rate / fmax)`` Hz (``>= fmax``).
    - ``voiced``: 1.0 when the CMND has a trough (local minimum) below
      ``trough_threshold`` (YIN's absolute-threshold step succeeds, the
      frame is periodic enough), else 0.0. Silent and constant frames are
      unvoiced (their CMND has no trough).

    Pooled per clip, ``voiced_mean`` is the **fraction of voiced frames**
    (include ``"mean"`` in ``pooling`` to get it). The f0 statistics pool all
    frames, voiced or not; use ``voiced_mean`` to weigh them.

    Parameters
    ----------
    sample_rate : float, default=22050
        Sampling rate of the clips in Hz.
    fmin : float, default=65.40639132514966
        Lowest f0 in Hz (librosa's recommended ``note_to_hz("C2")``), with
        ``sample_rate / fmin < frame_length - 1``.
    fmax : float, default=2093.004522404789
        Highest f0 in Hz (``note_to_hz("C7")``), ``fmin < fmax <=
        sample_rate / 2``. For speech, ``fmin=60, fmax=500`` is typical.
    trough_threshold : float, default=0.1
        Absolute CMND threshold of YIN, ``> 0``; also decides ``voiced``.
    f0_scale : {"hz", "log", "midi"}, default="hz"
        Unit of the f0 column: ``"hz"`` (``f0``, Hz), ``"log"``
        (``f0_log2 = log2(f0 / 1 Hz)``, octaves) or ``"midi"``
        (``f0_midi = 69 + 12 log2(f0 / 440 Hz)``, semitones). On a log scale
        an interval is the same distance at any register, so the mean and
        std of a clip's f0 are less dominated by octave errors and high
        voices, which usually suits classifiers better than Hz.
    hop_length : int or None, default=None
        Hop between frames in samples; ``None`` means ``frame_length // 4``
        (librosa ``yin``'s default).

    Attributes
    ----------
    n_features_frame_ : int
        2 (f0, voiced).
    n_features_out_ : int
        Columns of ``transform``'s output.

    Raises
    ------
    ValueError
        At ``fit``, for ``fmin >= fmax``, ``fmax > sample_rate / 2``,
        ``fmin <= 0``, ``fmin`` too low for ``frame_length`` (one period of
        ``fmin`` must fit in a frame), ``trough_threshold <= 0``, an unknown
        ``f0_scale`` or invalid framing. A ``UserWarning`` (as librosa) when
        fewer than two periods of ``fmin`` fit in a frame.

    See Also
    --------
    sklaudio.functional.yin

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import Pitch
    >>> t = np.arange(8000) / 8000
    >>> X = np.stack([np.sin(2 * np.pi * 150 * t), np.sin(2 * np.pi * 300 * t)])
    >>> est = Pitch(sample_rate=8000, fmin=60, fmax=500, frame_length=1024,
    ...             pooling="median").fit(X)
    >>> est.get_feature_names_out().tolist()
    ['f0_median', 'voiced_median']
    >>> est.transform(X).round().tolist()
    [[150.0, 1.0], [300.0, 1.0]]
    """

    def __init__(self, *, sample_rate=22050, fmin=FMIN_C2, fmax=FMAX_C7, frame_length=2048,
                 hop_length=None, center=True, pad_mode="constant", trough_threshold=0.1,
                 f0_scale="hz", pooling=("mean", "std"), trajectory_length=32,
                 dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.fmin = fmin
        self.fmax = fmax
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.center = center
        self.pad_mode = pad_mode
        self.trough_threshold = trough_threshold
        self.f0_scale = f0_scale
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(
        SAMPLE_RATE, FRAMING, POOLING, fmin=[POSITIVE_REAL], fmax=[POSITIVE_REAL],
        hop_length=FRAMING["hop_length"] + [None], trough_threshold=[POSITIVE_REAL],
        f0_scale=[StrOptions(F0_SCALES)],
    )

    def _check_params(self):
        super()._check_params()
        check_yin_params(self.sample_rate, self.fmin, self.fmax, self.frame_length,
                         self.trough_threshold, stacklevel=6)  # -> the caller of fit

    def _specs(self, dtype):
        with warnings.catch_warnings():  # the few-periods warning was given once, at fit
            warnings.simplefilter("ignore", UserWarning)
            return [yin_spec(self.sample_rate, self.frame_length, dtype, fmin=self.fmin,
                             fmax=self.fmax, trough_threshold=self.trough_threshold,
                             f0_scale=self.f0_scale)]

    def _frame_feature_names(self):
        return [F0_SCALES[self.f0_scale][1], "voiced"]
