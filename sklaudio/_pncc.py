"""Power-normalised cepstral coefficients (PNCC) estimator (Kim & Stern 2016)."""

from __future__ import annotations

import numbers

from . import functional as F
from ._base import STFTFeatureTransformer
from ._deprecation import DEPRECATED, resolve_renamed
from ._docstrings import fill_params
from ._params import (
    NONNEGATIVE_INT,
    NONNEGATIVE_REAL,
    POOLING,
    POSITIVE_INT,
    POSITIVE_REAL,
    SAMPLE_RATE,
    STFT,
    UNIT_INTERVAL,
    Interval,
    StrOptions,
    check_int,
    combine,
)
from .functional._pncc import (
    PreemphasisStream,
    check_pncc_band,
    pncc_spec,
    preemphasize,
    resolve_pncc_frames,
)

__all__ = ["PNCC"]


#: A forgetting factor of PNCC's first-order filters, in ``[0, 1)``.
_FORGETTING = Interval(numbers.Real, 0, 1, closed="left")


@fill_params("pncc", "deprecated", references_from=F.pncc)
class PNCC(STFTFeatureTransformer):
    """Power-normalised cepstral coefficients per frame, pooled per clip.

    Kim & Stern (2016), "Power-Normalized Cepstral Coefficients (PNCC) for
    Robust Speech Recognition", IEEE/ACM TASLP 24(7), with every stage:
    pre-emphasis, STFT power, squared-gammatone integration (40 ERB-spaced
    channels, 200 Hz to 8 kHz capped at Nyquist), medium-time power
    (``M = 2``), asymmetric noise suppression (asymmetric lowpass filter
    ``lambda_a = 0.999``, ``lambda_b = 0.5``, half-wave rectification,
    temporal masking ``lambda_t = 0.85``, ``mu_t = 0.2``, excitation
    threshold ``c = 2``), spectral weight smoothing (``N = 4`` channels),
    mean power normalisation (``lambda_mu = 0.999``), power law ``1/15`` and
    DCT. The recursive stages restart at each clip. Equal to
    :func:`sklaudio.functional.pncc` frame by frame, where every formula,
    initial value and remaining choice is documented. The result does not
    depend on the input gain; a silent clip gives zeros.

    Parameters
    ----------
    sample_rate : float, default=22050
        Sampling rate of the clips in Hz.
    Attributes
    ----------
    n_fft_, hop_length_, win_length_ : int
        The resolved framing in samples.
    n_features_frame_ : int
        ``n_pncc``.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    sklaudio.functional.pncc, sklaudio.functional.pncc_filterbank, MFCC

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import PNCC
    >>> X = np.random.default_rng(0).standard_normal((3, 8000))
    >>> est = PNCC(sample_rate=8000).fit(X)
    >>> (est.n_fft_, est.hop_length_, est.win_length_)
    (512, 80, 205)
    >>> est.transform(X).shape
    (3, 26)
    >>> est.get_feature_names_out()[:2].tolist()
    ['pncc_0_mean', 'pncc_1_mean']
    """

    def __init__(self, *, sample_rate=22050, n_pncc=13, n_filters=40, fmin=200.0, fmax=8000.0,
                 n_fft=None, hop_length=None, win_length=None, window="hamming", center=True,
                 pad_mode="constant", preemphasis=0.97, medium_time=2, smoothing_width=4,
                 lambda_a=0.999, lambda_b=0.5, lambda_t=0.85, mu_t=0.2,
                 excitation_threshold=2.0, lambda_mu=0.999, power_exponent=1 / 15, cmn=False,
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None,
                 n_bands=DEPRECATED):
        self.sample_rate = sample_rate
        self.n_pncc = n_pncc
        self.n_filters = n_filters
        self.fmin = fmin
        self.fmax = fmax
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.preemphasis = preemphasis
        self.medium_time = medium_time
        self.smoothing_width = smoothing_width
        self.lambda_a = lambda_a
        self.lambda_b = lambda_b
        self.lambda_t = lambda_t
        self.mu_t = mu_t
        self.excitation_threshold = excitation_threshold
        self.lambda_mu = lambda_mu
        self.power_exponent = power_exponent
        self.cmn = cmn
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.n_bands = n_bands

    _parameter_constraints = combine(
        SAMPLE_RATE, STFT, POOLING,
        n_fft=STFT["n_fft"] + [None], hop_length=STFT["hop_length"] + [None],
        n_pncc=[POSITIVE_INT], n_filters=[POSITIVE_INT],
        n_bands=[POSITIVE_INT, StrOptions({DEPRECATED})], fmin=[NONNEGATIVE_REAL],
        fmax=[POSITIVE_REAL], preemphasis=[UNIT_INTERVAL], medium_time=[NONNEGATIVE_INT],
        smoothing_width=[NONNEGATIVE_INT], lambda_a=[_FORGETTING], lambda_b=[_FORGETTING],
        lambda_t=[_FORGETTING], mu_t=[NONNEGATIVE_REAL],
        excitation_threshold=[NONNEGATIVE_REAL], lambda_mu=[_FORGETTING],
        power_exponent=[Interval(numbers.Real, 0, 1, closed="right")], cmn=["boolean"],
    )

    def _check_params(self):
        self.n_filters_ = resolve_renamed("PNCC", "n_bands", "n_filters", self.n_bands,
                                          self.n_filters, stacklevel=6)
        _, n_filters, _, _ = check_pncc_band(self.sample_rate, self.n_filters_, self.fmin,
                                                self.fmax)
        check_int("n_pncc", self.n_pncc, 1, n_filters, hint=" (at most n_filters)")
        self.n_fft_, self.hop_length_, self.win_length_ = resolve_pncc_frames(
            self.sample_rate, self.n_fft, self.hop_length, self.win_length)
        super()._check_params()

    def _plan_params(self):
        return dict(n_fft=self.n_fft_, hop_length=self.hop_length_, win_length=self.win_length_,
                    window=self.window, center=self.center, pad_mode=self.pad_mode)

    def _specs(self, dtype):
        return [pncc_spec(self.sample_rate, self.n_fft_, dtype, n_pncc=self.n_pncc,
                          n_filters=self.n_filters_, fmin=self.fmin, fmax=self.fmax,
                          medium_time=self.medium_time, smoothing_width=self.smoothing_width,
                          lambda_a=self.lambda_a, lambda_b=self.lambda_b,
                          lambda_t=self.lambda_t, mu_t=self.mu_t,
                          excitation_threshold=self.excitation_threshold,
                          lambda_mu=self.lambda_mu, power_exponent=self.power_exponent,
                          cmn=self.cmn)]

    def _frame_features(self, batch):
        return super()._frame_features(preemphasize(batch, self.preemphasis))

    def _stream_setup(self, dtype):
        setup = super()._stream_setup(dtype)
        setup.prefilter = lambda: PreemphasisStream(self.preemphasis, dtype)
        return setup

    def _frame_feature_names(self):
        return [f"pncc_{k}" for k in range(self.n_pncc)]
