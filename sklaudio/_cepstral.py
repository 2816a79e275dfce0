"""Cepstral estimators on auditory and linear filterbanks: GFCC, GammatoneSpectrogram, BFCC, LFCC.

The STFT-based computations are one engine spec each
(:func:`sklaudio.functional._cepstral.cepstral_spec`, shared with MFCC's
construction); the time-domain gammatone mode (``filterbank="iir"``) runs
Slaney's IIR filterbank in one Numba kernel over the whole batch and takes the
channel energies on the same frame grid.
"""

from __future__ import annotations

import numpy as np

from . import filters
from . import functional as F
from ._base import STFTFeatureTransformer
from ._docstrings import fill_params
from ._params import (
    CEPSTRUM,
    DB,
    NONNEGATIVE_REAL,
    POOLING,
    POSITIVE_INT,
    POSITIVE_REAL,
    SAMPLE_RATE,
    STFT,
    StrOptions,
    check_int,
    combine,
)
from ._streaming import StreamSetup
from .filters._auditory import check_band
from .functional._cepstral import (
    COMPRESSIONS,
    FILTERBANK_MODES,
    cepstral_spec,
    gammatone_iir_features,
    gammatone_iir_stream,
)
from .functional._core import lifter_weights

__all__ = ["BFCC", "GFCC", "LFCC", "GammatoneSpectrogram"]


class _CepstralBase(STFTFeatureTransformer):
    """Shared validation of the compression, dB and DCT parameters."""

    _prefix = ""
    _n_ceps_param = ""

    def _check_ceps(self):
        n_ceps = getattr(self, self._n_ceps_param)
        check_int(self._n_ceps_param, n_ceps, 1, self.n_filters, hint=" (at most n_filters)")
        self.dct_basis_ = filters.dct(self.n_filters, n_ceps, dct_type=self.dct_type,
                                      dtype=np.float64).astype(self.dtype)
        self.lifter_ = lifter_weights(n_ceps, self.lifter)

    def _ceps_kwargs(self):
        return dict(compression=self.compression, ref=self.ref, top_db=self.top_db,
                    dct_basis=self.dct_basis_.astype(np.float64), lifter=self.lifter)

    def _frame_feature_names(self):
        n = getattr(self, self._n_ceps_param)
        return [f"{self._prefix}_{i}" for i in range(n)]


class _GammatoneMixin:
    """Gammatone filterbank in either mode, with ``filterbank="iir"`` dispatch."""

    def _check_gammatone(self):
        self._check_framing()
        sr, n, fmin, fmax = check_band(self.sample_rate, self.n_filters, self.fmin, self.fmax)
        self.center_freqs_ = filters.erb_frequencies(n, fmin=fmin, fmax=fmax)
        self.gammatone_basis_ = filters.gammatone(sample_rate=sr, n_fft=self.n_fft, n_filters=n,
                                                  fmin=fmin, fmax=fmax, dtype=self.dtype)

    def _gammatone_spec(self, **kwargs):
        if self.filterbank != "fft":
            raise ValueError(
                "filterbank='iir' filters the clips in the time domain and is not an STFT "
                "frame spec; use filterbank='fft' to share an STFT pass."
            )
        fb = filters.sparse_gammatone(sample_rate=self.sample_rate, n_fft=self.n_fft,
                                      n_filters=self.n_filters, fmin=self.fmin, fmax=self.fmax,
                                      dtype=np.float64)
        return cepstral_spec(fb, power=2.0, **kwargs)

    def _frame_features(self, batch):
        if self.filterbank == "fft":
            return super()._frame_features(batch)
        plan = self._plan(batch)
        kwargs = self._feature_kwargs()
        rows = gammatone_iir_features(batch, plan, sample_rate=float(self.sample_rate),
                                      center_freqs=self.center_freqs_, n_jobs=self.n_jobs,
                                      **kwargs)
        return rows, plan.frame_offsets

    def _stream_setup(self, dtype):
        if self.filterbank == "fft":
            return super()._stream_setup(dtype)
        source, rows = gammatone_iir_stream(sample_rate=float(self.sample_rate),
                                            center_freqs=self.center_freqs_,
                                            **self._feature_kwargs())
        return StreamSetup(framing=self._plan_params(), source=source, row_streams=[rows])


@fill_params("gammatone", "cepstral", references_from=F.gammatone_spectrogram)
class GammatoneSpectrogram(_GammatoneMixin, _CepstralBase):
    """Gammatone spectrogram (energy per ERB-spaced auditory channel), pooled per clip.

    ``n_filters`` 4th-order gammatone channels of bandwidth ``1.019 ERB(fc)``
    (Glasberg & Moore 1990; Patterson et al. 1992), centred uniformly on the
    ERB-rate scale ``21.4 log10(1 + 0.00437 f)`` from ``fmin``. Per frame,
    channel ``m`` has energy ``E[m] = sum_k W[m, k] |X[k]|^2`` (FFT mode) or
    the windowed energy of the time-domain channel output (IIR mode), then
    ``compression``. Equal to
    :func:`sklaudio.functional.gammatone_spectrogram` frame by frame.

    Parameters
    ----------
    compression : {"log", "cubic", None}, default="log"
        ``"log"``: ``10 log10(max(1e-10, E))`` dB with ``ref`` and
        ``top_db`` per clip (as :class:`MelSpectrogram`); ``"cubic"``:
        ``E ** (1/3)``; ``None``: the energies.

    Attributes
    ----------
    center_freqs_ : ndarray of shape (n_filters,)
        Channel centre frequencies in Hz, increasing.
    gammatone_basis_ : ndarray of shape (n_filters, 1 + n_fft // 2)
        The FFT-domain weights (used when ``filterbank="fft"``).
    n_features_frame_ : int
        ``n_filters``.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    GFCC, sklaudio.functional.gammatone_spectrogram

    Notes
    -----
    A silent clip gives ``-100 dB`` in every channel (``compression="log"``,
    ``ref=1``) or zeros (``"cubic"``, ``None``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import GammatoneSpectrogram
    >>> t = np.arange(8000) / 8000
    >>> X = np.stack([np.sin(2 * np.pi * 500 * t), np.sin(2 * np.pi * 2000 * t)])
    >>> est = GammatoneSpectrogram(sample_rate=8000, n_filters=32, n_fft=256, hop_length=80,
    ...                            pooling="mean").fit(X)
    >>> peak = est.transform(X).argmax(axis=1)      # loudest channel of each clip
    >>> nearest = np.abs(est.center_freqs_ - [[500.0], [2000.0]]).argmin(axis=1)
    >>> (peak == nearest).tolist()
    [True, True]
    """

    _prefix = "gammatone"

    def __init__(self, *, sample_rate=22050, n_filters=64, fmin=50.0, fmax=None,
                 filterbank="fft", compression="log", ref=1.0, top_db=80.0, n_fft=2048,
                 hop_length=512, win_length=None, window="hann", center=True,
                 pad_mode="constant", pooling=("mean", "std"), trajectory_length=32,
                 dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.n_filters = n_filters
        self.fmin = fmin
        self.fmax = fmax
        self.filterbank = filterbank
        self.compression = compression
        self.ref = ref
        self.top_db = top_db
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(
        SAMPLE_RATE, STFT, POOLING, DB, n_filters=[POSITIVE_INT], fmin=[NONNEGATIVE_REAL],
        fmax=[POSITIVE_REAL, None], filterbank=[StrOptions(FILTERBANK_MODES)],
        compression=[StrOptions(COMPRESSIONS), None],
    )

    def _check_params(self):
        self._check_gammatone()

    def _feature_kwargs(self):
        return dict(compression=self.compression, ref=self.ref, top_db=self.top_db)

    def _specs(self, dtype):
        return [self._gammatone_spec(**self._feature_kwargs())]

    def _frame_feature_names(self):
        return [f"gammatone_{i}" for i in range(self.n_filters)]


@fill_params("gammatone", "cepstral", references_from=F.gfcc)
class GFCC(_GammatoneMixin, _CepstralBase):
    """Gammatone frequency cepstral coefficients per frame, pooled per clip.

    The DCT of the compressed gammatone spectrogram (see
    :class:`GammatoneSpectrogram`): per frame, ``c = lift * DCT(C(E))[:n_gfcc]``
    with ``C`` the cube root by default, following Shao & Wang (2008),
    "Robust speaker identification using auditory features and computational
    auditory scene analysis", ICASSP: 64 gammatone channels from 50 Hz,
    cubic-root loudness compression (Stevens' power law) instead of the log,
    and an orthonormal DCT-II. Equal to :func:`sklaudio.functional.gfcc`
    frame by frame.

    Parameters
    ----------
    n_gfcc : int, default=20
        Number of coefficients, ``<= n_filters`` (named like librosa's
        ``n_mfcc``; the other cepstra use ``n_bfcc`` and ``n_lfcc``).
    compression : {"cubic", "log"}, default="cubic"
        ``"cubic"``: ``E ** (1/3)`` (Shao & Wang 2008). ``"log"``: dB with
        ``ref`` and ``top_db`` per clip, as MFCC.

    Attributes
    ----------
    center_freqs_ : ndarray of shape (n_filters,)
        Channel centre frequencies in Hz, increasing.
    gammatone_basis_ : ndarray of shape (n_filters, 1 + n_fft // 2)
        The FFT-domain weights (used when ``filterbank="fft"``).
    dct_basis_ : ndarray of shape (n_gfcc, n_filters)
        The DCT basis.
    n_features_frame_ : int
        ``n_gfcc``.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    GammatoneSpectrogram, sklaudio.functional.gfcc, MFCC

    Notes
    -----
    A silent clip gives all-zero coefficients (``"cubic"``) or the DCT of a
    constant ``-100 dB`` (``"log"``, ``ref=1``): finite in both cases.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import GFCC
    >>> X = np.random.default_rng(0).standard_normal((3, 8000))
    >>> est = GFCC(sample_rate=8000, n_gfcc=13, n_fft=256, hop_length=80)
    >>> est.fit_transform(X).shape
    (3, 26)
    >>> est.get_feature_names_out()[:2].tolist()
    ['gfcc_0_mean', 'gfcc_1_mean']
    >>> GFCC(sample_rate=8000, n_gfcc=13, n_fft=256, hop_length=80,
    ...      filterbank="iir").fit_transform(X).shape
    (3, 26)
    """

    _prefix = "gfcc"
    _n_ceps_param = "n_gfcc"

    def __init__(self, *, sample_rate=22050, n_gfcc=20, n_filters=64, fmin=50.0, fmax=None,
                 filterbank="fft", compression="cubic", ref=1.0, top_db=80.0, dct_type=2,
                 lifter=0, n_fft=2048, hop_length=512, win_length=None, window="hann",
                 center=True, pad_mode="constant", pooling=("mean", "std"),
                 trajectory_length=32, dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.n_gfcc = n_gfcc
        self.n_filters = n_filters
        self.fmin = fmin
        self.fmax = fmax
        self.filterbank = filterbank
        self.compression = compression
        self.ref = ref
        self.top_db = top_db
        self.dct_type = dct_type
        self.lifter = lifter
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    _parameter_constraints = combine(
        GammatoneSpectrogram._parameter_constraints, CEPSTRUM, n_gfcc=[POSITIVE_INT],
        compression=[StrOptions(COMPRESSIONS)],
    )

    def _check_params(self):
        self._check_gammatone()
        self._check_ceps()

    def _feature_kwargs(self):
        return self._ceps_kwargs()

    def _specs(self, dtype):
        return [self._gammatone_spec(**self._feature_kwargs())]


class _TriangularCepstrum(_CepstralBase):
    """BFCC / LFCC: a triangular filterbank through :func:`cepstral_spec`."""

    def _sparse_fb(self):  # pragma: no cover - abstract
        raise NotImplementedError

    _parameter_constraints = combine(
        SAMPLE_RATE, STFT, POOLING, DB, CEPSTRUM, n_filters=[POSITIVE_INT],
        fmin=[NONNEGATIVE_REAL], fmax=[POSITIVE_REAL, None],
        filter_norm=[StrOptions({"area"}), None], power=[POSITIVE_REAL],
        compression=[StrOptions(COMPRESSIONS)],
    )

    def _check_params(self):
        self._check_framing()
        check_band(self.sample_rate, self.n_filters, self.fmin, self.fmax)
        self._check_ceps()
        fb = self._sparse_fb()  # validates the filterbank (and warns about empty filters)
        cepstral_spec(fb, power=self.power, **self._ceps_kwargs())  # validates power, lifter
        self.filter_basis_ = fb.to_dense().astype(self.dtype)

    def _specs(self, dtype):
        return [cepstral_spec(self._sparse_fb(), power=self.power, **self._ceps_kwargs())]


@fill_params("triangular", "cepstral", references_from=F.bfcc)
class BFCC(_TriangularCepstrum):
    """Bark-frequency cepstral coefficients per frame, pooled per clip.

    MFCC with the mel scale replaced by the Bark scale of Traunmüller (1990),
    ``z = 26.81 f / (1960 + f) - 0.53`` (with his corrections below 2 and
    above 20.1 Bark): ``n_filters`` triangular filters whose ``n_filters + 2``
    edges are equally spaced in Bark from ``fmin`` to ``fmax``; per frame
    ``E[m] = sum_k W[m, k] |X[k]| ** power``, compressed, an orthonormal DCT
    keeping ``n_bfcc`` coefficients, and the lifter. Equal to
    :func:`sklaudio.functional.bfcc` frame by frame.

    Parameters
    ----------
    n_bfcc : int, default=20
        Number of coefficients, ``<= n_filters``.
    n_filters : int, default=64
        Number of Bark filters.

    Attributes
    ----------
    filter_basis_ : ndarray of shape (n_filters, 1 + n_fft // 2)
        The Bark filterbank.
    dct_basis_ : ndarray of shape (n_bfcc, n_filters)
    n_features_frame_ : int
        ``n_bfcc``.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    LFCC, MFCC, GFCC, sklaudio.functional.bfcc

    Notes
    -----
    A silent clip gives the DCT of a constant ``-100 dB`` (``"log"``,
    ``ref=1``) or zeros (``"cubic"``). Too many filters for ``n_fft`` leave
    some filters without an FFT bin: a ``UserWarning`` is raised and those
    channels sit at the floor.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import BFCC
    >>> X = np.random.default_rng(0).standard_normal((3, 8000))
    >>> BFCC(sample_rate=8000, n_bfcc=13, n_filters=32, n_fft=512,
    ...      hop_length=160).fit_transform(X).shape
    (3, 26)
    """

    _prefix = "bfcc"
    _n_ceps_param = "n_bfcc"

    _parameter_constraints = combine(_TriangularCepstrum._parameter_constraints,
                                     n_bfcc=[POSITIVE_INT])

    def __init__(self, *, sample_rate=22050, n_bfcc=20, n_filters=64, fmin=0.0, fmax=None,
                 filter_norm=None, power=2.0, compression="log", ref=1.0, top_db=80.0,
                 dct_type=2, lifter=0, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", pooling=("mean", "std"),
                 trajectory_length=32, dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.n_bfcc = n_bfcc
        self.n_filters = n_filters
        self.fmin = fmin
        self.fmax = fmax
        self.filter_norm = filter_norm
        self.power = power
        self.compression = compression
        self.ref = ref
        self.top_db = top_db
        self.dct_type = dct_type
        self.lifter = lifter
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    def _sparse_fb(self):
        return filters.sparse_bark(sample_rate=self.sample_rate, n_fft=self.n_fft,
                                   n_filters=self.n_filters, fmin=self.fmin, fmax=self.fmax,
                                   norm=self.filter_norm, dtype=np.float64)


@fill_params("triangular", "cepstral", references_from=F.lfcc)
class LFCC(_TriangularCepstrum):
    """Linear-frequency cepstral coefficients per frame, pooled per clip.

    MFCC with linearly spaced triangular filters: ``n_filters + 2`` edges
    ``linspace(fmin, fmax, n_filters + 2)`` Hz (the filterbank of torchaudio's
    ``LFCC``); per frame ``E[m] = sum_k W[m, k] |X[k]| ** power``, compressed,
    an orthonormal DCT keeping ``n_lfcc`` coefficients, and the lifter. Equal
    to :func:`sklaudio.functional.lfcc` frame by frame.

    Parameters
    ----------
    n_lfcc : int, default=20
        Number of coefficients, ``<= n_filters`` (torchaudio's name).
    n_filters : int, default=128
        Number of linear filters (torchaudio's default).

    Attributes
    ----------
    filter_basis_ : ndarray of shape (n_filters, 1 + n_fft // 2)
        The linear filterbank.
    dct_basis_ : ndarray of shape (n_lfcc, n_filters)
    n_features_frame_ : int
        ``n_lfcc``.
    n_features_out_ : int
        Columns of ``transform``'s output.

    See Also
    --------
    BFCC, MFCC, GFCC, sklaudio.functional.lfcc

    Notes
    -----
    A silent clip gives the DCT of a constant ``-100 dB`` (``"log"``,
    ``ref=1``) or zeros (``"cubic"``). With fewer rFFT bins than about
    ``n_filters`` some filters are empty (``UserWarning``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import LFCC
    >>> X = np.random.default_rng(0).standard_normal((3, 8000))
    >>> LFCC(sample_rate=8000, n_lfcc=13, n_filters=40, n_fft=512,
    ...      hop_length=160).fit_transform(X).shape
    (3, 26)
    """

    _prefix = "lfcc"
    _n_ceps_param = "n_lfcc"

    _parameter_constraints = combine(_TriangularCepstrum._parameter_constraints,
                                     n_lfcc=[POSITIVE_INT])

    def __init__(self, *, sample_rate=22050, n_lfcc=20, n_filters=128, fmin=0.0, fmax=None,
                 filter_norm=None, power=2.0, compression="log", ref=1.0, top_db=80.0,
                 dct_type=2, lifter=0, n_fft=2048, hop_length=512, win_length=None,
                 window="hann", center=True, pad_mode="constant", pooling=("mean", "std"),
                 trajectory_length=32, dtype="float32", n_jobs=None):
        self.sample_rate = sample_rate
        self.n_lfcc = n_lfcc
        self.n_filters = n_filters
        self.fmin = fmin
        self.fmax = fmax
        self.filter_norm = filter_norm
        self.power = power
        self.compression = compression
        self.ref = ref
        self.top_db = top_db
        self.dct_type = dct_type
        self.lifter = lifter
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs

    def _sparse_fb(self):
        return filters.sparse_linear(sample_rate=self.sample_rate, n_fft=self.n_fft,
                                     n_filters=self.n_filters, fmin=self.fmin, fmax=self.fmax,
                                     norm=self.filter_norm, dtype=np.float64)
