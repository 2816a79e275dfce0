"""Time-domain frame-feature estimators: zero-crossing rate and RMS.

Each frames the raw samples (a rectangular window of ``frame_length``
samples, no FFT) with the engine spec of its functional twin
(``sklaudio.functional._temporal.zcr_spec`` / ``rms_spec``).
"""

from __future__ import annotations

from . import functional as F
from ._base import TimeDomainFeatureTransformer
from ._docstrings import fill_params
from ._params import (
    FRAMING,
    NONNEGATIVE_REAL,
    POOLING,
    POSITIVE_REAL,
    combine,
    raise_invalid,
)
from .functional._temporal import (
    ZCR_PAD_MODE,
    rms_spec,
    zcr_frames,
    zcr_spec,
)

__all__ = ["ZeroCrossingRate", "RMS"]

@fill_params("frames", references_from=F.zero_crossing_rate)
class ZeroCrossingRate(TimeDomainFeatureTransformer):
    """Zero-crossing rate per frame (in ``[0, 1]``), pooled per clip.

    The fraction of samples of each frame whose sign differs from the
    previous sample's, after setting ``|x| <= thr`` to 0 (``thr = threshold``,
    times ``ref_magnitude`` if given); 0 counts as positive when ``zero_pos``.
    Centred frames are padded with the clip's edge values. Equals librosa
    ``feature.zero_crossing_rate`` and
    :func:`sklaudio.functional.zero_crossing_rate` frame by frame. Silent
    clips give 0.

    Parameters
    ----------
    threshold : float, default=1e-10
        Amplitudes within ``[-thr, thr]`` count as 0; ``>= 0``.
    ref_magnitude : float, callable or None, default=None
        Scale of ``threshold``: a positive number, or a callable evaluated
        per clip on ``np.abs`` of its frames ``(frame_length, n_frames)``,
        returning a scalar or one value per frame (e.g. ``np.max``).
    zero_pos : bool, default=True
        Treat 0 as positive (else -1, 0, +1 are distinct signs).

    Attributes
    ----------
    n_features_frame_ : int
        1.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.zero_crossing_rate

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import ZeroCrossingRate
    >>> X = np.stack([np.tile([1.0, -1.0], 2000), np.ones(4000)])
    >>> ZeroCrossingRate(frame_length=256, hop_length=128,
    ...                  pooling="median").fit_transform(X).ravel().tolist()
    [0.99609375, 0.0]
    """

    _pad_mode_fixed = ZCR_PAD_MODE

    def __init__(self, *, frame_length=2048, hop_length=512, center=True, threshold=1e-10,
                 ref_magnitude=None, zero_pos=True, pooling=("mean", "std"),
                 trajectory_length=32, dtype="float32", n_jobs=None):
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.center = center
        self.threshold = threshold
        self.ref_magnitude = ref_magnitude
        self.zero_pos = zero_pos
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(
        {k: v for k, v in FRAMING.items() if k != "pad_mode"}, POOLING,
        threshold=[NONNEGATIVE_REAL], ref_magnitude=[POSITIVE_REAL, callable, None],
        zero_pos=["boolean"],
    )

    def _specs(self, dtype):
        return [zcr_spec(self.frame_length, dtype, threshold=self.threshold,
                         ref_magnitude=self.ref_magnitude, zero_pos=self.zero_pos)]

    def _frame_features(self, batch):
        return zcr_frames(batch, frame_length=self.frame_length, hop_length=self.hop_length,
                          center=self.center, threshold=self.threshold,
                          ref_magnitude=self.ref_magnitude, zero_pos=self.zero_pos,
                          n_jobs=self.n_jobs)

    def _stream_setup(self, dtype):
        if callable(self.ref_magnitude):
            raise_invalid("ref_magnitude", "None or a positive number to stream the features (a "
                          "callable is evaluated on the frames of each whole clip)",
                          self.ref_magnitude)
        return super()._stream_setup(dtype)

    def _frame_feature_names(self):
        return ["zero_crossing_rate"]


@fill_params("frames", references_from=F.rms)
class RMS(TimeDomainFeatureTransformer):
    """Root-mean-square amplitude per frame, pooled per clip.

    ``sqrt(mean_i x_t[i] ** 2)`` over the ``frame_length`` raw samples of
    each frame (no window), with ``pad_mode`` padding when ``center``. Equals
    librosa ``feature.rms(y=...)`` and :func:`sklaudio.functional.rms` frame
    by frame (accumulated in float64). Units: those of the samples. Silent
    clips give 0.

    Parameters
    ----------
    pad_mode : {"constant", "edge", "reflect", "symmetric"}, default="constant"
        Padding when ``center`` (librosa ``rms``'s default is zeros).

    Attributes
    ----------
    n_features_frame_ : int
        1.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.rms

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import RMS
    >>> X = np.stack([0.5 * np.ones(8000), 2.0 * np.sin(2 * np.pi * np.arange(8000) / 64)])
    >>> est = RMS(frame_length=512, hop_length=128, pooling="median", dtype="float64")
    >>> est.fit_transform(X).round(4).ravel().tolist()   # 2 / sqrt(2)
    [0.5, 1.4142]
    """

    def __init__(self, *, frame_length=2048, hop_length=512, center=True, pad_mode="constant",
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None):
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(FRAMING, POOLING)

    def _specs(self, dtype):
        return [rms_spec(self.frame_length, dtype)]

    def _frame_feature_names(self):
        return ["rms"]
