"""Power-normalised cepstral coefficients (PNCC), Kim & Stern (2016).

C. Kim and R. M. Stern, "Power-Normalized Cepstral Coefficients (PNCC) for
Robust Speech Recognition", IEEE/ACM Transactions on Audio, Speech, and
Language Processing 24(7):1315-1329, 2016 (doi:10.1109/TASLP.2016.2545928);
constants and initial values cross-checked with the authors' MATLAB
reference ``PNCC_IEEETran.m``.

The per-frame part (gammatone integration of the power spectrum) is an engine
:class:`~sklaudio._engine.FrameSpec` reduction; the temporal stages, which
are recursive over each clip's frames, run in one Numba pass over the
frames-first array in the spec's ``finalize``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import filters
from .._deprecation import DEPRECATED, resolve_renamed
from .._docstrings import fill_params
from .._engine import FrameSpec, plan_frames, run_features
from .._kernels.pncc import (
    filterbank_rows,
    medium_time_power,
    pncc_clips,
    pncc_frames,
    preemphasis_clips,
    subtract_clip_means,
)
from .._params import check_bool, check_int, check_real, raise_invalid, validate_params
from .._streaming import Chain, FrameLocal, RowStream, Windowed
from .._validation import ClipBatch
from ..filters import gammatone
from ..filters._common import _readonly_sparse
from ._core import (
    _as_audio,
    _check_spectrogram,
    _float_dtype,
    _frame_feature,
    _unbatch,
    cepstrum_rows,
)

__all__ = ["pncc", "pncc_spec", "pncc_filterbank", "preemphasize", "resolve_pncc_frames",
           "PreemphasisStream"]

#: Responses ``|H|`` below this fraction of each filter's peak are set to 0 (the authors' code).
GAMMATONE_THRESHOLD = 0.005


def check_pncc_band(sample_rate, n_filters, fmin, fmax):
    sr = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    n_filters = check_int("n_filters", n_filters, 1)
    fmin = check_real("fmin", fmin, low=0, unit="Hz")
    fmax = check_real("fmax", fmax, low=0, low_open=True, unit="Hz")
    fmax = min(fmax, sr / 2)
    if fmin >= fmax:
        raise_invalid("fmin", f"below fmax capped at the Nyquist frequency "
                      f"(min(fmax, sample_rate / 2) = {fmax} Hz)", fmin)
    return sr, n_filters, fmin, fmax


@fill_params("deprecated")
@validate_params({})
def pncc_filterbank(*, sample_rate: float, n_fft: int, n_filters: int = 40, fmin: float = 200.0,
                    fmax: float = 8000.0, dtype=np.float64, n_bands=DEPRECATED) -> np.ndarray:
    """Squared gammatone frequency responses ``|H_l(f_k)| ** 2`` used by :func:`pncc`.

    The channels of :func:`sklaudio.filters.gammatone` (4th-order gammatones
    of bandwidth ``1.019 ERB(f_l)``, ``ERB(f) = 24.7 (0.00437 f + 1)``,
    squared magnitude response normalised to 1 at the centre frequency;
    Patterson et al. 1992, Slaney 1993) with ``n_filters`` centre frequencies
    equally spaced on the ERB-rate scale from ``fmin`` up to one step below
    ``min(fmax, sample_rate / 2)`` (Slaney's ``ERBSpace``, which the
    authors' implementation uses). As in the authors' code
    (``PNCC_IEEETran.m``), responses ``|H|`` below 0.5 % of each filter's
    largest value on the FFT grid are set to 0 (``|H|^2`` below
    ``0.005 ** 2`` of its peak). ``P[l] = sum_k |X[k]|^2 |H_l(f_k)|^2`` is
    then the power in channel ``l``.

    Parameters
    ----------
    n_filters : int, default=40
        Number of channels.
    fmin, fmax : float, default=200.0, 8000.0
        Lowest centre frequency and upper end of the ERB-spaced band in Hz;
        ``fmax`` is capped at ``sample_rate / 2``.
    dtype : numpy dtype, default=np.float64
        Data type of the returned weights.

    Returns
    -------
    ndarray of shape (n_filters, 1 + n_fft // 2)
        Weights in ``[0, 1]``.

    Raises
    ------
    ValueError
        For ``n_filters < 1``, negative ``fmin``, or ``fmin`` not below the
        capped ``fmax``.

    References
    ----------
    .. [1] C. Kim and R. M. Stern, "Power-normalized cepstral coefficients (PNCC) for
       robust speech recognition", IEEE/ACM Trans. Audio, Speech, Lang. Process. 24(7),
       2016.
    .. [2] R. D. Patterson, K. Robinson, J. Holdsworth, D. McKeown, C. Zhang and
       M. Allerhand, "Complex sounds and auditory images", in Auditory Physiology and
       Perception, Pergamon, 1992, pp. 429-446.
    .. [3] M. Slaney, "An efficient implementation of the Patterson-Holdsworth auditory
       filter bank", Apple Computer Technical Report #35, 1993.

    Examples
    --------
    >>> from sklaudio.functional import pncc_filterbank
    >>> W = pncc_filterbank(sample_rate=16000, n_fft=1024)
    >>> W.shape, bool(0.99 < W.max() <= 1.0)
    ((40, 513), True)
    """
    sr, n_filters, fmin, fmax = check_pncc_band(sample_rate, n_filters, fmin, fmax)
    n_fft = check_int("n_fft", n_fft, 2)
    return _pncc_fb_cached(sr, n_fft, n_filters, fmin, fmax).astype(dtype)


@lru_cache(maxsize=32)
def _pncc_fb_cached(sr, n_fft, n_filters, fmin, fmax):
    W = gammatone(sample_rate=sr, n_fft=n_fft, n_filters=n_filters, fmin=fmin, fmax=fmax,
                  dtype=np.float64)
    W[W < GAMMATONE_THRESHOLD ** 2 * W.max(axis=1, keepdims=True)] = 0.0
    W.flags.writeable = False
    return W


@lru_cache(maxsize=32)
def _pncc_sparse_cached(sr, n_fft, n_filters, fmin, fmax, dtype):
    return _readonly_sparse(_pncc_fb_cached(sr, n_fft, n_filters, fmin, fmax).astype(dtype))


def resolve_pncc_frames(sample_rate, n_fft=None, hop_length=None, win_length=None):
    """PNCC's framing in samples, defaulting to the paper's 25.6 ms / 10 ms.

    ``win_length`` defaults to ``round(0.0256 sample_rate)`` (at most
    ``n_fft`` when that is given), ``hop_length`` to
    ``round(0.010 sample_rate)``, and ``n_fft`` to the smallest power of two
    ``>= 2 win_length`` (1024 at 16 kHz, as in the paper). Returns
    ``(n_fft, hop_length, win_length)``; validity is checked by the framing.
    """
    sr = check_real("sample_rate", sample_rate, low=0, low_open=True, unit="Hz")
    if win_length is None:
        win_length = max(1, int(round(0.0256 * sr)))
        if n_fft is not None and isinstance(n_fft, (int, np.integer)):
            win_length = min(win_length, int(n_fft))
    if n_fft is None:
        if not isinstance(win_length, (int, np.integer)) or win_length < 1:
            raise ValueError(f"win_length must be a positive integer (samples), got {win_length!r}.")
        n_fft = max(2, 1 << int(np.ceil(np.log2(2 * int(win_length)))))
    if hop_length is None:
        hop_length = max(1, int(round(0.010 * sr)))
    return n_fft, hop_length, win_length


def _check_temporal(medium_time, smoothing_width, lambda_a, lambda_b, lambda_t, mu_t,
                    excitation_threshold, lambda_mu, power_exponent):
    return dict(
        M=check_int("medium_time", medium_time, 0, hint=" (frames)"),
        N=check_int("smoothing_width", smoothing_width, 0, hint=" (channels)"),
        lam_a=check_real("lambda_a", lambda_a, low=0, high=1, high_open=True),
        lam_b=check_real("lambda_b", lambda_b, low=0, high=1, high_open=True),
        lam_t=check_real("lambda_t", lambda_t, low=0, high=1, high_open=True),
        mu_t=check_real("mu_t", mu_t, low=0),
        c=check_real("excitation_threshold", excitation_threshold, low=0),
        lam_mu=check_real("lambda_mu", lambda_mu, low=0, high=1, high_open=True),
        exponent=check_real("power_exponent", power_exponent, low=0, high=1, low_open=True),
    )


def pncc_spec(sample_rate, n_fft, dtype, *, n_pncc=13, n_filters=40, fmin=200.0, fmax=8000.0,
              medium_time=2, smoothing_width=4, lambda_a=0.999, lambda_b=0.5, lambda_t=0.85,
              mu_t=0.2, excitation_threshold=2.0, lambda_mu=0.999, power_exponent=1 / 15,
              cmn=False) -> FrameSpec:
    """Engine spec of :func:`pncc` on an already pre-emphasised signal.

    ``reduce`` integrates the power spectrum (input ``"spectrum"``,
    ``power=2``) with :func:`pncc_filterbank` into ``n_filters`` columns;
    ``finalize`` runs the temporal stages per clip, the power law, the DCT
    (and the optional per-clip mean normalisation) and returns ``n_pncc``
    columns. Parameters as in :func:`pncc`.

    Raises
    ------
    ValueError
        For any invalid parameter (named).
    """
    sr, n_filters, fmin, fmax = check_pncc_band(sample_rate, n_filters, fmin, fmax)
    n_pncc = check_int("n_pncc", n_pncc, 1, n_filters, hint=" (at most n_filters)")
    cmn = check_bool("cmn", cmn)
    t = _check_temporal(medium_time, smoothing_width, lambda_a, lambda_b, lambda_t, mu_t,
                        excitation_threshold, lambda_mu, power_exponent)
    n_fft = check_int("n_fft", n_fft, 2)
    dtype = np.dtype(dtype)
    fb = _pncc_sparse_cached(sr, n_fft, n_filters, fmin, fmax, dtype.str)
    basis = filters.dct(n_filters, n_pncc, dct_type=2, norm="ortho", dtype=np.float64)
    lift = np.ones(n_pncc)

    def reduce(S, out):
        filterbank_rows(S, fb.start, fb.stop, fb.offset, fb.weights, out)

    def finalize(P, frame_offsets):
        V = np.empty_like(P)
        pncc_clips(P, frame_offsets, t["M"], t["lam_a"], t["lam_b"], t["lam_t"], t["mu_t"],
                   t["c"], t["N"], t["lam_mu"], t["exponent"], V)
        ceps = cepstrum_rows(V, basis, lift)
        if cmn:
            subtract_clip_means(ceps, frame_offsets)
        return ceps

    def medium_time(P, frame_offsets):  # [P, Q] in float64, as pncc_clips holds them
        Pc = P.astype(np.float64)
        Q = np.empty_like(Pc)
        medium_time_power(Pc, t["M"], Q)
        return np.concatenate((Pc, Q), axis=1)

    class Recursions(RowStream):
        """Stages 5-11 on each block's frames, their recursions' state carried."""

        def __init__(self):
            self.state = np.zeros((4, n_filters))
            self.fresh = True

        def push(self, PQ):
            if PQ is None or len(PQ) == 0:
                return None
            n = len(PQ)
            Pc = np.ascontiguousarray(PQ[:, :n_filters])
            Q = np.ascontiguousarray(PQ[:, n_filters:])
            scratch = [np.empty((n, n_filters)) for _ in range(5)]
            V = np.empty((n, n_filters), dtype=dtype)
            pncc_frames(Pc, Q, t["lam_a"], t["lam_b"], t["lam_t"], t["mu_t"], t["c"], t["N"],
                        t["lam_mu"], t["exponent"], self.state, self.fresh, False, V, *scratch)
            self.fresh = False
            return V

    def stream():
        if cmn:
            raise_invalid("cmn", "False to stream the features (cmn subtracts each clip's mean "
                          "over all its frames, known only at the end of a stream)", cmn)
        if t["lam_mu"] != 0.0:
            raise_invalid("lambda_mu", "0 to stream the features (the mean power recursion "
                          "starts from the mean power of the whole clip, known only at the "
                          "end of a stream; with lambda_mu=0 each frame is normalised by its "
                          "own mean power and the rest streams exactly)", lambda_mu)
        return Chain(Windowed(medium_time, left=t["M"], right=t["M"]), Recursions(),
                     FrameLocal(lambda V, offs: cepstrum_rows(V, basis, lift)))

    return FrameSpec(n_out=n_filters, reduce=reduce, input="spectrum", power=2.0,
                     finalize=finalize, stream=stream)


def preemphasize(batch: ClipBatch, coef: float) -> ClipBatch:
    """``y[n] - coef * y[n - 1]`` within every clip of a batch (``y[0]`` kept)."""
    coef = check_real("preemphasis", coef, low=0, high=1)
    if coef == 0.0:
        return batch
    out = np.empty_like(batch.samples)
    preemphasis_clips(batch.samples, batch.offsets, coef, out)
    return ClipBatch(out, batch.offsets)


class PreemphasisStream:
    """:func:`preemphasize` of one clip arriving in blocks: ``push(x)`` returns the filtered
    block (the previous block's last sample carried), ``flush()`` None."""

    def __init__(self, coef: float, dtype):
        self.coef = check_real("preemphasis", coef, low=0, high=1)
        self.dtype = np.dtype(dtype)
        self.last = None

    def push(self, x):
        n = len(x)
        if n == 0 or self.coef == 0.0:
            return x
        if self.last is None:
            buf, out = x, np.empty(n, dtype=self.dtype)
        else:
            buf = np.concatenate((self.last, x))
            out = np.empty(n + 1, dtype=self.dtype)
        preemphasis_clips(buf, np.array([0, len(buf)], dtype=np.int64), self.coef, out)
        self.last = x[-1:].copy()
        return out if len(out) == n else out[1:]

    def flush(self):
        return None


@fill_params("pncc", "deprecated")
@validate_params({})
def pncc(y=None, *, sample_rate: float = 22050, S=None, n_pncc: int = 13, n_filters: int = 40,
         fmin: float = 200.0, fmax: float = 8000.0, n_fft: int | None = None,
         hop_length: int | None = None, win_length: int | None = None, window="hamming",
         center: bool = True, pad_mode: str = "constant", preemphasis: float = 0.97,
         medium_time: int = 2, smoothing_width: int = 4, lambda_a: float = 0.999,
         lambda_b: float = 0.5, lambda_t: float = 0.85, mu_t: float = 0.2,
         excitation_threshold: float = 2.0, lambda_mu: float = 0.999,
         power_exponent: float = 1 / 15, cmn: bool = False, n_jobs=None,
         n_bands=DEPRECATED) -> np.ndarray:
    """Power-normalised cepstral coefficients (Kim & Stern 2016).

    Every stage of the paper, per clip (frame index ``m``, channel ``l``):

    1. pre-emphasis ``y[n] - 0.97 y[n-1]``;
    2. STFT (25.6 ms Hamming window, 10 ms hop by default) and power
       ``|X[m, k]|^2``;
    3. gammatone integration ``P[m, l] = sum_k |X[m, k]|^2 |H_l(f_k)|^2``
       with 40 ERB-spaced gammatone channels from 200 Hz to 8 kHz (capped at
       Nyquist), :func:`pncc_filterbank`;
    4. medium-time power ``Q[m, l] = mean(P[m-M .. m+M, l])``, ``M = 2``
       (at clip edges over the frames that exist);
    5. asymmetric noise suppression: the asymmetric lowpass filter ``AF``
       (``y[m] = lambda_a y[m-1] + (1 - lambda_a) x[m]`` if
       ``x[m] >= y[m-1]``, else with ``lambda_b``; ``lambda_a = 0.999``,
       ``lambda_b = 0.5``) gives the lower envelope ``Q_le = AF[Q]``; the
       half-wave rectified ``Q0 = max(Q - Q_le, 0)``; the floor
       ``Q_f = AF[Q0]``;
    6. temporal masking: the peak ``Q_p[m] = max(lambda_t Q_p[m-1], Q0[m])``
       and ``R_tm = Q0`` if ``Q0 >= lambda_t Q_p[m-1]`` else
       ``mu_t Q_p[m-1]`` (``lambda_t = 0.85``, ``mu_t = 0.2``);
       ``R_sp = max(R_tm, Q_f)``;
    7. excitation switch: ``R = R_sp`` where ``Q >= c Q_le`` (``c = 2``),
       else ``R = Q_f``;
    8. spectral weight smoothing ``S[m, l] = mean(R / Q)`` over channels
       ``l - N .. l + N`` (clipped to the band range), ``N = 4``;
    9. time-frequency normalisation ``T = P S``;
    10. mean power normalisation ``U = T / mu[m]``,
        ``mu[m] = lambda_mu mu[m-1] + (1 - lambda_mu) mean_l T[m, l]``,
        ``lambda_mu = 0.999``;
    11. power-law nonlinearity ``V = U ** (1/15)``;
    12. orthonormal DCT-II over channels, keeping ``n_pncc`` coefficients
        (and, with ``cmn``, subtracting each clip's mean: the paper's final
        mean normalisation).

    The recursive filters start, as in the authors' MATLAB
    (``PNCC_IEEETran.m``), from ``0.9`` times their first input (``AF``) and
    from ``Q_p[-1] = Q0[0]``. Choices the paper leaves open: ``mu[-1]`` is
    the clip's mean of ``mean_l T`` (the MATLAB starts from a constant tuned
    to 16-bit WSJ audio, which on short clips would make the output depend on
    the recording level), the constant ``k`` of ``U = k T / mu`` is 1, a
    channel with ``Q = 0`` contributes a weight ratio of 1, and ``U = 0``
    wherever ``mu = 0``. With these, PNCC is invariant to the input gain and
    a silent clip gives all zeros. The paper's masking rule is used
    (``mu_t Q_p[m-1]``; the MATLAB uses ``mu_t lambda_t Q_p[m-1]``).

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed power spectrogram ``|STFT|^2`` of the pre-emphasised
        audio (``preemphasis`` is then not applied); ``n_fft`` is
        ``2 * (S.shape[-2] - 1)``.
    Returns
    -------
    ndarray of shape (..., n_pncc, n_frames)
        The coefficients per frame.

    Raises
    ------
    ValueError
        For invalid audio or spectrogram, or any invalid parameter (named).

    References
    ----------
    .. [1] C. Kim and R. M. Stern, "Power-normalized cepstral coefficients (PNCC) for
       robust speech recognition", IEEE/ACM Trans. Audio, Speech, Lang. Process. 24(7),
       2016.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import pncc
    >>> y = np.random.default_rng(0).standard_normal(16000)
    >>> c = pncc(y, sample_rate=16000)
    >>> c.shape                                  # 10 ms hop: 1 + 16000 // 160 frames
    (13, 101)
    >>> bool(np.allclose(pncc(3.0 * y, sample_rate=16000), c, atol=1e-9))   # gain-invariant
    True
    """
    preemphasis = check_real("preemphasis", preemphasis, low=0, high=1)
    if S is not None:
        S = _check_spectrogram(S, nonnegative="pncc needs a non-negative power spectrogram S "
                               "(|STFT|^2)")
        n_fft = 2 * (S.shape[-2] - 1)
    n_fft, hop_length, win_length = resolve_pncc_frames(sample_rate, n_fft, hop_length,
                                                        win_length)
    n_filters = resolve_renamed("pncc", "n_bands", "n_filters", n_bands, n_filters)
    dt = _float_dtype(S if S is not None else (0.0 if y is None else y))
    spec = pncc_spec(sample_rate, n_fft, dt, n_pncc=n_pncc, n_filters=n_filters, fmin=fmin,
                     fmax=fmax, medium_time=medium_time, smoothing_width=smoothing_width,
                     lambda_a=lambda_a, lambda_b=lambda_b, lambda_t=lambda_t, mu_t=mu_t,
                     excitation_threshold=excitation_threshold, lambda_mu=lambda_mu,
                     power_exponent=power_exponent, cmn=cmn)
    if S is not None:
        return _frame_feature(None, S, [spec], n_fft=n_fft, name="S")[0]
    batch, lead = _as_audio(y)
    batch = preemphasize(batch, preemphasis)
    plan = plan_frames(batch, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                       window=window, center=center, pad_mode=pad_mode,
                       dtype=batch.samples.dtype)
    out = run_features(batch, plan, [spec], n_jobs)[0]
    return _unbatch(out, plan.frame_offsets, lead)
