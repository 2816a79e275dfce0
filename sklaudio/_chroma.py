"""Chroma estimator: pitch-class energies from the STFT, pooled per clip.

Computes its frame features with the engine spec of its functional twin
(``sklaudio.functional._chroma.chroma_spec``), or, when the tuning is
estimated per clip, with ``chroma_frames`` (one tuning pass, then the chroma
with each clip's cached filterbank).
"""

from __future__ import annotations

import numbers

import numpy as np

from . import functional as F
from ._base import STFTFeatureTransformer
from ._docstrings import fill_params
from ._params import (
    POOLING,
    POSITIVE_INT,
    POSITIVE_REAL,
    SAMPLE_RATE,
    STFT,
    Interval,
    Satisfies,
    check_stft,
    combine,
    raise_invalid,
)
from .filters import chroma_names
from .filters._chroma import check_chroma_params, check_norm
from .functional._chroma import chroma_frames, chroma_norm_code, chroma_spec

__all__ = ["Chroma"]


@fill_params(references_from=F.chroma_stft)
class Chroma(STFTFeatureTransformer):
    """Chroma (pitch-class energy) per frame, pooled per clip.

    ``C[c, t] = sum_k W[c, k] |X[k, t]| ** 2`` with ``W`` librosa's chroma
    filterbank (Gaussian bumps around each pitch class, column norm 2,
    octave dominance window centred ``ctroct`` octaves above A0 with
    half-width ``octwidth``), each frame then normalised with ``norm``
    (default: divided by its maximum). Silent frames are all 0 (left
    unnormalised, as librosa). Equals librosa ``feature.chroma_stft`` and
    :func:`sklaudio.functional.chroma_stft` frame by frame (Ellis 2007,
    ``chromagram_E``).

    Parameters
    ----------
    tuning : float or None, default=0.0
        Deviation from A440 in fractions of a chroma bin. ``None`` estimates
        it per clip as librosa ``estimate_tuning`` (resolution 0.01), at the
        cost of a second STFT pass. (The functional ``chroma_stft`` defaults
        to ``None`` like librosa).
    n_chroma : int, default=12
        Number of chroma bins.
    ctroct : float, default=5.0
        Centre of the octave dominance window, in octaves above A0 (27.5 Hz).
    octwidth : float or None, default=2
        Half-width of the dominance window in octaves; None for flat.
    base_c : bool, default=True
        First bin is C (else A).
    norm : float or None, default=np.inf
        Frame normalisation (``np.inf``, ``-np.inf``, ``0``, ``p > 0`` or
        None).

    Attributes
    ----------
    n_features_frame_ : int
        ``n_chroma``; frame features ``chroma_C``, ``chroma_C#``, ...,
        ``chroma_B`` for 12 bins (from ``chroma_A`` when ``base_c=False``;
        ``chroma_0``, ``chroma_1``, ... for other ``n_chroma``).
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.chroma_stft

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import Chroma
    >>> t = np.arange(8000) / 8000
    >>> X = np.stack([np.sin(2 * np.pi * 440.0 * t), np.sin(2 * np.pi * 261.63 * t)])
    >>> est = Chroma(sample_rate=8000, pooling="mean").fit(X)
    >>> names = est.get_feature_names_out()
    >>> [str(names[i]) for i in est.transform(X).argmax(axis=1)]
    ['chroma_A_mean', 'chroma_C_mean']
    """

    def __init__(self, *, sample_rate=22050, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", tuning=0.0, n_chroma=12,
                 ctroct=5.0, octwidth=2, base_c=True, norm=np.inf, pooling=("mean", "std"),
                 trajectory_length=32, dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.tuning = tuning
        self.n_chroma = n_chroma
        self.ctroct = ctroct
        self.octwidth = octwidth
        self.base_c = base_c
        self.norm = norm
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(
        SAMPLE_RATE, STFT, POOLING,
        tuning=[Interval(numbers.Real, None, None, closed="neither"), None],
        n_chroma=[POSITIVE_INT],
        ctroct=[Interval(numbers.Real, None, None, closed="neither")],
        octwidth=[POSITIVE_REAL, None],
        base_c=["boolean"],
        norm=[Satisfies(lambda v: check_norm("norm", v),
                        "None, np.inf, -np.inf, 0 or a positive float"), None],
    )

    def _check_params(self):
        super()._check_params()
        n_fft, _, _ = check_stft(self.n_fft, self.hop_length, self.win_length,
                                 self.center, self.pad_mode)
        check_chroma_params(sample_rate=self.sample_rate, n_fft=n_fft, n_chroma=self.n_chroma,
                            tuning=0.0 if self.tuning is None else self.tuning,
                            ctroct=self.ctroct, octwidth=self.octwidth, norm=2,
                            base_c=self.base_c)
        chroma_norm_code(self.norm)

    def _kw(self):
        return dict(n_chroma=self.n_chroma, ctroct=self.ctroct, octwidth=self.octwidth,
                    base_c=self.base_c, norm=self.norm)

    def _specs(self, dtype):
        return [chroma_spec(self.sample_rate, self.n_fft, dtype, tuning=self.tuning,
                            **self._kw())]

    def _frame_features(self, batch):
        if self.tuning is not None:
            return super()._frame_features(batch)
        feats, offs, _ = chroma_frames(batch, sample_rate=self.sample_rate, tuning=None,
                                       n_jobs=self.n_jobs, **self._plan_params(), **self._kw())
        return feats, offs

    def _stream_setup(self, dtype):
        if self.tuning is None:
            raise_invalid("tuning", "a float to stream the features (tuning=None estimates the "
                          "tuning from each whole clip; estimate it once, e.g. with "
                          "sklaudio.functional.estimate_tuning on an excerpt, and pass it)", None)
        return super()._stream_setup(dtype)

    def _frame_feature_names(self):
        return chroma_names(int(self.n_chroma), bool(self.base_c))
