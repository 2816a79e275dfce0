"""Cepstral features on auditory and linear filterbanks: GFCC, BFCC, LFCC, gammatone spectrogram.

All STFT-based variants share one engine spec, :func:`cepstral_spec`: the fused
Numba pass ``|X| ** power -> sparse filterbank -> (dB)`` of MFCC
(:func:`sklaudio._kernels.spectral.power_filterbank`), then per clip the dB
reference and ``top_db`` clamp (or a cube root), the DCT and the lifter. With
the mel filterbank it is exactly :func:`sklaudio.functional.mfcc`.

The gammatone features also have a time-domain mode (``filterbank="iir"``):
Slaney's (1993) IIR gammatone filterbank runs over every clip in one Numba
kernel and each channel's windowed energy is taken on the STFT's frame grid,
so both modes give the same frames.
"""

from __future__ import annotations

import numpy as np

from .. import filters
from .._docstrings import fill_params
from .._engine import (
    FrameSpec,
    effective_n_jobs,
    plan_frames,
    run_blocks,
)
from .._kernels.gammatone import gammatone_frame_energy, gammatone_stream_energy
from .._kernels.spectral import power_filterbank
from .._params import (
    DB,
    StrOptions,
    check_int,
    check_real,
    raise_invalid,
    validate_parameter_constraints,
    validate_params,
)
from .._streaming import Chain, FrameLocal, RunningDBClamp
from .._validation import ClipBatch
from ..filters._auditory import check_band
from ._core import (
    _as_audio,
    _as_spectrogram,
    _frame_feature,
    _unbatch,
    apply_db_reference,
    cepstra_from_bands,
    cepstrum_rows,
    lifter_weights,
)

__all__ = [
    "COMPRESSIONS",
    "FILTERBANK_MODES",
    "bfcc",
    "cepstral_spec",
    "gammatone_iir_energy",
    "gammatone_iir_stream",
    "gammatone_spectrogram",
    "gfcc",
    "lfcc",
]

#: Compressions of the filterbank energies: dB (``"log"``) or cube root (``"cubic"``).
COMPRESSIONS = ("log", "cubic")
#: How the gammatone channels are computed.
FILTERBANK_MODES = ("fft", "iir")

_AMIN = 1e-10


def check_compression(compression, *, allow_none=False):
    """Validate ``compression``; ``None`` (raw energies) only where ``allow_none``."""
    validate_parameter_constraints(
        {"compression": [StrOptions(COMPRESSIONS)] + ([None] if allow_none else [])},
        {"compression": compression})
    return compression


def check_filterbank_mode(filterbank):
    validate_parameter_constraints({"filterbank": [StrOptions(FILTERBANK_MODES)]},
                                   {"filterbank": filterbank})
    return filterbank


def check_db_params(ref, top_db):
    """``ref`` is a positive number or ``"max"``; ``top_db`` is ``>= 0`` or None."""
    validate_parameter_constraints(DB, {"ref": ref, "top_db": top_db})


def _finalizer(compression, ref, top_db, dct_basis, lift, post):
    """Whole-clip steps after the filterbank: dB reference/top_db, DCT + lifter, ``post``."""

    def finalize(rows, frame_offsets):
        if compression == "log":
            apply_db_reference(rows, frame_offsets, ref=ref, amin=_AMIN, top_db=top_db)
        if dct_basis is not None:
            rows = cepstrum_rows(rows, dct_basis, lift)
        return rows if post is None else post(rows, frame_offsets)

    return finalize


def _stream_finalizer(compression, ref, top_db, dct_basis, lift, post):
    """Factory of the streaming form of :func:`_finalizer`: the dB clamp below the running
    maximum (``"log"``; ``ref="max"`` raises), then the DCT and lifter frame by frame."""

    def make():
        if post is not None:
            raise ValueError("This cepstral spec's post step has no streaming form.")
        db = RunningDBClamp(ref, top_db, amin=_AMIN) if compression == "log" else None
        dct = None
        if dct_basis is not None:
            dct = FrameLocal(lambda rows, offs: cepstrum_rows(rows, dct_basis, lift))
        return Chain(db, dct)

    return make


def _compress(E, compression):
    """In place: ``10 log10(max(1e-10, E))`` (``"log"``), ``E ** (1/3)`` (``"cubic"``) or E."""
    if compression == "log":
        np.maximum(E, _AMIN, out=E)
        np.log10(E, out=E)
        E *= 10.0
    elif compression == "cubic":
        np.cbrt(E, out=E)
    return E


def cepstral_spec(fb: filters.SparseFilterbank, *, power: float = 2.0,
                  compression: str | None = "log", ref=1.0, top_db: float | None = 80.0,
                  dct_basis: np.ndarray | None = None, lifter: float = 0.0,
                  post=None) -> FrameSpec:
    """Engine spec of a filterbank cepstrum (or of compressed filterbank energies).

    Per frame, in one fused Numba pass over the rFFT ``X``
    (:func:`~sklaudio._kernels.spectral.power_filterbank`)::

        E[m] = sum_k W[m, k] |X[k]| ** power

    compressed to ``10 log10(max(1e-10, E))`` dB (``"log"``), ``E ** (1/3)``
    (``"cubic"``, the intensity-loudness power law; Stevens 1957, as used for
    GFCC by Shao & Wang 2008) or left as is (``None``). Then, per clip, for
    ``"log"``: subtract the reference ``10 log10(ref)`` (or the clip's
    maximum for ``ref="max"``) after clamping to ``top_db`` below the clip's
    maximum (librosa ``power_to_db``, per clip). Finally, if ``dct_basis``
    is given, ``c = lift * (dct_basis @ row)`` with the librosa lifter
    ``1 + (lifter / 2) sin(pi (k + 1) / lifter)``.

    With ``fb = filters.sparse_mel(...)``, ``compression="log"``, ``ref=1``
    and ``dct_basis = filters.dct(n_mels, n_mfcc)`` this is exactly
    :func:`sklaudio.functional.mfcc` (Davis & Mermelstein 1980).

    Parameters
    ----------
    fb : SparseFilterbank
        Non-negative filterbank over the ``1 + n_fft // 2`` rFFT bins.
    power : float, default=2.0
        Exponent on the STFT magnitude, ``> 0``.
    compression : {"log", "cubic", None}, default="log"
    ref : float or "max", default=1.0
        dB reference power (``"log"`` only).
    top_db : float or None, default=80.0
        Dynamic range kept per clip in dB (``"log"`` only).
    dct_basis : ndarray of shape (n_ceps, n_filters), optional
        Cepstral basis (e.g. :func:`sklaudio.filters.dct`); ``None`` returns
        the compressed energies.
    lifter : float, default=0
        Liftering coefficient ``>= 0`` (0: none); needs ``dct_basis``.
    post : callable, optional
        ``post(rows, frame_offsets)`` applied last (e.g. deltas).

    Returns
    -------
    FrameSpec
        ``input="complex"``, ``n_out = n_filters`` (the energies the engine
        stores); its ``finalize`` returns ``n_ceps`` columns when
        ``dct_basis`` is given.

    Raises
    ------
    ValueError
        For an unknown ``compression``, ``power <= 0``, a bad ``ref`` or
        ``top_db``, a negative ``lifter``, or a basis whose width is not
        ``n_filters``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import filters
    >>> from sklaudio.functional._cepstral import cepstral_spec
    >>> fb = filters.sparse_mel(sample_rate=8000, n_fft=512, n_mels=40)
    >>> spec = cepstral_spec(fb, dct_basis=filters.dct(40, 13))
    >>> spec.n_out, spec.input
    (40, 'complex')
    """
    power = check_real("power", power, low=0, low_open=True)
    compression = check_compression(compression, allow_none=True)
    check_db_params(ref, top_db)
    n_filt = len(fb.start)
    lift = None
    if dct_basis is not None:
        dct_basis = np.asarray(dct_basis)
        if dct_basis.ndim != 2 or dct_basis.shape[1] != n_filt:
            raise ValueError(
                f"dct_basis must have shape (n_ceps, {n_filt}) (n_filters columns), got "
                f"{dct_basis.shape}."
            )
        lift = lifter_weights(dct_basis.shape[0], lifter)
    elif lifter:
        raise ValueError("lifter needs a dct_basis (liftering applies to cepstra).")
    log = compression == "log"
    cubic = compression == "cubic"
    w_by_dtype = {np.dtype(np.complex64): fb.weights.astype(np.float32),
                  np.dtype(np.complex128): fb.weights.astype(np.float64)}

    def reduce(spec, out):
        w = w_by_dtype[spec.dtype]
        power_filterbank(spec, power, fb.start, fb.stop, fb.offset, w, log, _AMIN, out, 0)
        if cubic:
            np.cbrt(out, out=out)

    finalize = _finalizer(compression, ref, top_db, dct_basis, lift, post)
    # the engine's rows hold the filterbank energies; finalize returns the cepstra
    return FrameSpec(n_out=n_filt, reduce=reduce, input="complex", finalize=finalize,
                     stream=_stream_finalizer(compression, ref, top_db, dct_basis, lift, post))


# -- time-domain gammatone ------------------------------------------------------------------------
def gammatone_iir_energy(batch: ClipBatch, plan, *, sample_rate: float, center_freqs,
                         n_jobs=None) -> np.ndarray:
    """Windowed energy of Slaney's IIR gammatone channels on the engine's frame grid.

    Every clip of ``batch`` is filtered (padded as ``plan`` pads it) by the
    4th-order gammatone cascade of each channel
    (:func:`sklaudio.filters.gammatone_iir_coefficients`), and frame
    ``t`` of channel ``m`` gets ``(n_fft / 2) sum_j w[j] ** 2 y_m[t hop + j] ** 2``
    with ``w`` the plan's window. By Parseval, for a narrow-band channel
    this equals the FFT-domain energy ``sum_k W[m, k] |X[k]| ** 2`` of
    :func:`sklaudio.filters.gammatone` (same scale in both modes).

    Parameters
    ----------
    batch : ClipBatch
    plan : FramePlan
        From :func:`sklaudio._engine.plan_frames` (window, hop, padding).
    sample_rate : float
        Hz.
    center_freqs : ndarray of shape (n_filters,)
        Channel centre frequencies in Hz, in ``(0, sample_rate / 2)``.
    n_jobs : int or None
        Threads over clips.

    Returns
    -------
    ndarray of shape (n_frames_total, n_filters)
        In the batch's float dtype (accumulated in float64).
    """
    coefs = filters.gammatone_iir_coefficients(sample_rate, center_freqs)
    fo = plan.frame_offsets
    N = plan.n_frames
    out = np.empty((N, coefs.shape[1]), dtype=batch.samples.dtype)
    if N == 0:
        return out
    wsq = plan.window.astype(np.float64) ** 2
    scale = plan.n_fft / 2.0
    args = (coefs, wsq, plan.w0, plan.w1, plan.hop_length, plan.pad, plan.pad_mode, scale, out)
    n_clips = len(fo) - 1

    def work(a, b):
        gammatone_frame_energy(batch.samples, batch.offsets, fo, a, b, *args)

    # contiguous clip blocks of about equal frame counts, under the engine's thread budget
    run_blocks(work, n_clips, effective_n_jobs(n_jobs), weights=fo)
    return out


def gammatone_iir_features(batch: ClipBatch, plan, *, sample_rate, center_freqs, compression,
                           ref=1.0, top_db=80.0, dct_basis=None, lifter=0.0, post=None,
                           n_jobs=None) -> np.ndarray:
    """:func:`gammatone_iir_energy`, compressed and finalised as :func:`cepstral_spec` does."""
    compression = check_compression(compression, allow_none=True)
    check_db_params(ref, top_db)
    lift = None if dct_basis is None else lifter_weights(dct_basis.shape[0], lifter)
    E = gammatone_iir_energy(batch, plan, sample_rate=sample_rate, center_freqs=center_freqs,
                             n_jobs=n_jobs)
    _compress(E, compression)
    return _finalizer(compression, ref, top_db, dct_basis, lift, post)(E, plan.frame_offsets)


class GammatoneIIRSource:
    """:func:`gammatone_iir_energy` (compressed) of a padded signal arriving in pieces.

    A stream source (:mod:`sklaudio._streaming`): ``push(x)`` takes the next
    samples of the padded signal (the stream's :class:`~sklaudio._streaming.PadStream`
    output), runs them through the filterbank from the carried IIR state
    (:func:`~sklaudio._kernels.gammatone.gammatone_stream_energy`, the
    arithmetic of the whole-clip kernel) and returns ``[E]``, the compressed
    energies of the frames now complete (frame ``t`` once positions up to
    ``t hop + n_fft`` have arrived), or None. Only the state and the
    energy sums of the open frames are carried.
    """

    def __init__(self, plan, dtype, *, sample_rate, center_freqs, compression):
        self.coefs = filters.gammatone_iir_coefficients(sample_rate, center_freqs)
        self.st = np.zeros((8, self.coefs.shape[1]))
        self.wsq = plan.window.astype(np.float64) ** 2
        self.w0, self.w1, self.hop, self.n_fft = plan.w0, plan.w1, plan.hop_length, plan.n_fft
        self.scale = plan.n_fft / 2.0
        self.dtype = np.dtype(dtype)
        self.compression = compression
        self.pos = 0  # padded positions received
        self.t = 0  # first open frame (row 0 of acc)
        self.acc = np.zeros((0, self.coefs.shape[1]))

    def push(self, x):
        n = len(x)
        if n == 0:
            return None
        ip0 = self.pos
        self.pos += n
        open_to = (self.pos - 1 - self.w0) // self.hop  # last frame these positions reach
        grow = open_to - self.t + 1 - len(self.acc)
        if grow > 0:
            self.acc = np.concatenate((self.acc, np.zeros((grow, self.acc.shape[1]))))
        gammatone_stream_energy(x, ip0, self.coefs, self.st, self.wsq, self.w0, self.w1,
                                self.hop, self.t, self.acc)
        done = (self.pos - self.n_fft) // self.hop + 1 if self.pos >= self.n_fft else 0
        k = done - self.t
        if k <= 0:
            return None
        E = (self.scale * self.acc[:k]).astype(self.dtype)
        self.acc = self.acc[k:]
        self.t = done
        return [_compress(E, self.compression)]

    def flush(self):
        return None


def gammatone_iir_stream(*, sample_rate, center_freqs, compression, ref=1.0, top_db=80.0,
                         dct_basis=None, lifter=0.0):
    """``(source, row_stream)`` factories streaming :func:`gammatone_iir_features`.

    ``source(plan, dtype)`` builds a :class:`GammatoneIIRSource`;
    ``row_stream()`` the streaming form of its whole-clip steps (dB clamp
    below the running maximum for ``"log"``, DCT and lifter).
    """
    compression = check_compression(compression, allow_none=True)
    check_db_params(ref, top_db)
    lift = None if dct_basis is None else lifter_weights(dct_basis.shape[0], lifter)

    def source(plan, dtype):
        return GammatoneIIRSource(plan, dtype, sample_rate=float(sample_rate),
                                  center_freqs=center_freqs, compression=compression)

    return source, _stream_finalizer(compression, ref, top_db, dct_basis, lift, None)


# -- functional API ---------------------------------------------------------------------------


def _gammatone_from_power(S, *, sample_rate, n_filters, fmin, fmax, filterbank, compression,
                          ref, top_db):
    """:func:`gammatone_spectrogram` of a precomputed power spectrogram (FFT weighting)."""
    if check_filterbank_mode(filterbank) != "fft":
        raise_invalid("filterbank", '"fft" when a precomputed S is given (the "iir" mode '
                      'filters the audio itself; pass y)', filterbank)
    compression = check_compression(compression, allow_none=True)
    check_db_params(ref, top_db)
    rows, offs, lead = _as_spectrogram(S)
    n_fft = 2 * (rows.shape[1] - 1)
    sample_rate, n_filters, fmin, fmax = check_band(sample_rate, n_filters, fmin, fmax)
    W = filters.gammatone(sample_rate=sample_rate, n_fft=max(n_fft, 2), n_filters=n_filters,
                          fmin=fmin, fmax=fmax, dtype=np.float64)
    E = (rows @ W.T.astype(rows.dtype, copy=False)).astype(rows.dtype, copy=False)
    if compression == "log":
        np.maximum(E, _AMIN, out=E)
        np.log10(E, out=E)
        E *= 10.0
    elif compression == "cubic":
        np.cbrt(E, out=E)
    return _unbatch(_finalizer(compression, ref, top_db, None, None, None)(E, offs), offs, lead)


def _gammatone_frames(y, *, sample_rate, n_filters, fmin, fmax, filterbank, compression, ref,
                      top_db, dct_basis, lifter, n_fft, hop_length, win_length, window, center,
                      pad_mode, n_jobs):
    filterbank = check_filterbank_mode(filterbank)
    sample_rate, n_filters, fmin, fmax = check_band(sample_rate, n_filters, fmin, fmax)
    if filterbank == "fft":
        fb = filters.sparse_gammatone(sample_rate=sample_rate, n_fft=n_fft, n_filters=n_filters,
                                      fmin=fmin, fmax=fmax, dtype=np.float64)
        spec = cepstral_spec(fb, power=2.0, compression=compression, ref=ref, top_db=top_db,
                             dct_basis=dct_basis, lifter=lifter)
        return _frame_feature(y, None, [spec], n_fft=n_fft, hop_length=hop_length,
                              win_length=win_length, window=window, center=center,
                              pad_mode=pad_mode, n_jobs=n_jobs)[0]
    batch, lead = _as_audio(y)
    plan = plan_frames(batch, n_fft=n_fft, hop_length=hop_length, win_length=win_length,
                       window=window, center=center, pad_mode=pad_mode,
                       dtype=batch.samples.dtype)
    rows = gammatone_iir_features(
        batch, plan, sample_rate=sample_rate,
        center_freqs=filters.erb_frequencies(n_filters, fmin=fmin, fmax=fmax),
        compression=compression, ref=ref, top_db=top_db, dct_basis=dct_basis, lifter=lifter,
        n_jobs=n_jobs)
    return _unbatch(rows, plan.frame_offsets, lead)


@fill_params("gammatone", "cepstral")
@validate_params({})
def gammatone_spectrogram(y=None, *, sample_rate: float = 22050, S=None, n_filters: int = 64,
                          fmin: float = 50.0, fmax: float | None = None, filterbank: str = "fft",
                          compression: str | None = "log", ref=1.0,
                          top_db: float | None = 80.0, n_fft: int = 2048, hop_length: int = 512,
                          win_length: int | None = None, window="hann", center: bool = True,
                          pad_mode: str = "constant", n_jobs=None) -> np.ndarray:
    """Gammatone spectrogram ("gammatonegram"): energy per ERB-spaced gammatone channel and frame.

    ``n_filters`` 4th-order gammatone channels (bandwidth ``1.019 ERB``,
    Glasberg & Moore 1990; Patterson et al. 1992) centred at
    :func:`sklaudio.filters.erb_frequencies` between ``fmin`` and
    ``fmax``. Per frame, channel ``m`` has energy

    * ``filterbank="fft"`` (Ellis 2009): ``E[m] = sum_k W[m, k] |X[k]| ** 2``
      with ``X`` the frame's rFFT and ``W`` the gammatone's squared magnitude
      response (:func:`sklaudio.filters.gammatone`); one STFT pass;
    * ``filterbank="iir"`` (Slaney 1993): the clip is filtered by the
      digital gammatone cascade of each channel and
      ``E[m] = (n_fft / 2) sum_j w[j] ** 2 y_m[t hop + j] ** 2`` over the same
      frames (same padding and window), which matches the FFT mode's scale.

    Then ``E`` is compressed (see ``compression``).

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio; integers are cast to float64. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., 1 + n_fft // 2, n_frames), optional
        Precomputed power spectrogram ``|STFT| ** 2`` (e.g.
        :func:`spectrogram`), used instead of ``y`` with ``filterbank="fft"``;
        ``n_fft`` is then ``2 (n_bins - 1)`` and the framing parameters are
        unused.
    compression : {"log", "cubic", None}, default="log"
        ``"log"``: ``10 log10(max(1e-10, E))`` dB, then per clip ``ref`` and
        ``top_db`` as :func:`sklaudio.functional.power_to_db`; ``"cubic"``:
        ``E ** (1/3)``; ``None``: the energies.

    Returns
    -------
    ndarray of shape (..., n_filters, n_frames)
        Rows ordered by increasing centre frequency. A silent clip gives
        ``-100 dB`` (``ref=1``, log), 0 (cubic) or 0 (None).

    Raises
    ------
    ValueError
        For invalid audio, band, ``filterbank``, ``compression``, ``ref``,
        ``top_db`` or STFT parameters.

    References
    ----------
    .. [1] R. D. Patterson, K. Robinson, J. Holdsworth, D. McKeown, C. Zhang and
       M. Allerhand, "Complex sounds and auditory images", in Auditory Physiology and
       Perception, Pergamon, 1992, pp. 429-446.
    .. [2] B. R. Glasberg and B. C. J. Moore, "Derivation of auditory filter shapes from
       notched-noise data", Hearing Research 47(1-2), 1990.
    .. [3] M. Slaney, "An efficient implementation of the Patterson-Holdsworth auditory
       filter bank", Apple Computer Technical Report #35, 1993.
    .. [4] D. P. W. Ellis, "Gammatone-like spectrograms", web resource, 2009,
       https://www.ee.columbia.edu/~dpwe/resources/matlab/gammatonegram/

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import gammatone_spectrogram
    >>> t = np.arange(8000) / 8000
    >>> G = gammatone_spectrogram(np.sin(2 * np.pi * 1000 * t), sample_rate=8000,
    ...                           n_filters=32, n_fft=512, hop_length=256)
    >>> G.shape
    (32, 32)
    """
    if S is not None:
        return _gammatone_from_power(S, sample_rate=sample_rate, n_filters=n_filters, fmin=fmin,
                                     fmax=fmax, filterbank=filterbank, compression=compression,
                                     ref=ref, top_db=top_db)
    return _gammatone_frames(y, sample_rate=sample_rate, n_filters=n_filters, fmin=fmin,
                             fmax=fmax, filterbank=filterbank, compression=compression, ref=ref,
                             top_db=top_db, dct_basis=None, lifter=0.0, n_fft=n_fft,
                             hop_length=hop_length, win_length=win_length, window=window,
                             center=center, pad_mode=pad_mode, n_jobs=n_jobs)




def _dct(n_filters, n_ceps, dct_type, norm, what):
    n_ceps = check_int(what, n_ceps, 1, n_filters, hint=" (at most n_filters)")
    return filters.dct(n_filters, int(n_ceps), dct_type=dct_type, norm=norm)


@fill_params("gammatone", "cepstral", "dct")
@validate_params({})
def gfcc(y=None, *, sample_rate: float = 22050, S=None, n_gfcc: int = 20, n_filters: int = 64,
         fmin: float = 50.0, fmax: float | None = None, filterbank: str = "fft",
         compression: str = "cubic", ref=1.0, top_db: float | None = 80.0, dct_type: int = 2,
         norm: str | None = "ortho", lifter: float = 0, n_fft: int = 2048, hop_length: int = 512,
         win_length: int | None = None, window="hann", center: bool = True,
         pad_mode: str = "constant", n_jobs=None) -> np.ndarray:
    """Gammatone frequency cepstral coefficients (GFCC).

    The DCT of the compressed gammatone spectrogram
    (:func:`gammatone_spectrogram`): ``c = lift * DCT(C(E))[:n_gfcc]`` with
    ``C`` the cube root by default, as in Shao & Wang (2008), "Robust speaker
    identification using auditory features and computational auditory scene
    analysis", ICASSP (64 channels from 50 Hz, cubic-root loudness, DCT), and
    an orthonormal DCT-II (librosa's MFCC conventions for ``dct_type``,
    ``norm`` and ``lifter``).

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., n_bands, n_frames), optional
        Precomputed compressed gammatone band energies (:func:`gammatone_spectrogram` with the same ``compression``),
        used instead of ``y``: only the DCT (``dct_type``, ``norm``) and the
        lifter are applied, as :func:`mfcc` does with ``S``.
    n_gfcc : int, default=20
        Number of coefficients, ``<= n_filters``.

    Returns
    -------
    ndarray of shape (..., n_gfcc, n_frames)
        A silent clip gives all-zero coefficients (cubic) or the DCT of a
        constant ``-100 dB`` (log).

    Raises
    ------
    ValueError
        For ``n_gfcc`` outside ``[1, n_filters]`` and the errors of
        :func:`gammatone_spectrogram`.

    References
    ----------
    .. [1] Y. Shao and D. Wang, "Robust speaker identification using auditory features
       and computational auditory scene analysis", Proc. IEEE ICASSP, 2008.
    .. [2] R. D. Patterson, K. Robinson, J. Holdsworth, D. McKeown, C. Zhang and
       M. Allerhand, "Complex sounds and auditory images", in Auditory Physiology and
       Perception, Pergamon, 1992, pp. 429-446.
    .. [3] B. R. Glasberg and B. C. J. Moore, "Derivation of auditory filter shapes from
       notched-noise data", Hearing Research 47(1-2), 1990.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import gfcc
    >>> y = np.random.default_rng(0).standard_normal(8000)
    >>> gfcc(y, sample_rate=8000, n_fft=512, hop_length=256).shape
    (20, 32)
    >>> gfcc(y, sample_rate=8000, n_fft=512, hop_length=256, filterbank="iir").shape
    (20, 32)
    """
    if S is not None:
        return cepstra_from_bands(S, n_gfcc, name="n_gfcc", dct_type=dct_type, norm=norm,
                                  lifter=lifter)
    compression = check_compression(compression)
    _valid_count(n_filters)
    basis = _dct(int(n_filters), n_gfcc, dct_type, norm, "n_gfcc")
    return _gammatone_frames(y, sample_rate=sample_rate, n_filters=n_filters, fmin=fmin,
                             fmax=fmax, filterbank=filterbank, compression=compression, ref=ref,
                             top_db=top_db, dct_basis=basis, lifter=lifter, n_fft=n_fft,
                             hop_length=hop_length, win_length=win_length, window=window,
                             center=center, pad_mode=pad_mode, n_jobs=n_jobs)




def _valid_count(n):
    check_int("n_filters", n, 1)
    return True


def _triangular_cepstrum(y, sparse_fb, n_ceps, what, *, n_filters, power, compression, ref,
                         top_db, dct_type, norm, lifter, n_fft, hop_length, win_length, window,
                         center, pad_mode, n_jobs):
    _valid_count(n_filters)
    compression = check_compression(compression)
    basis = _dct(int(n_filters), n_ceps, dct_type, norm, what)
    spec = cepstral_spec(sparse_fb(), power=power, compression=compression, ref=ref,
                         top_db=top_db, dct_basis=basis, lifter=lifter)
    return _frame_feature(y, None, [spec], n_fft=n_fft, hop_length=hop_length,
                          win_length=win_length, window=window, center=center,
                          pad_mode=pad_mode, n_jobs=n_jobs)[0]


@fill_params("triangular", "cepstral", "dct")
@validate_params({})
def bfcc(y=None, *, sample_rate: float = 22050, S=None, n_bfcc: int = 20, n_filters: int = 64,
         fmin: float = 0.0, fmax: float | None = None, filter_norm: str | None = None,
         power: float = 2.0, compression: str = "log", ref=1.0, top_db: float | None = 80.0,
         dct_type: int = 2, norm: str | None = "ortho", lifter: float = 0, n_fft: int = 2048,
         hop_length: int = 512, win_length: int | None = None, window="hann",
         center: bool = True, pad_mode: str = "constant", n_jobs=None) -> np.ndarray:
    """Bark-frequency cepstral coefficients (BFCC).

    MFCC with the mel filterbank replaced by triangular filters equally
    spaced on Traunmüller's (1990) Bark scale
    (:func:`sklaudio.filters.bark`): per frame
    ``E[m] = sum_k W[m, k] |X[k]| ** power``, compressed (dB with per-clip
    ``ref``/``top_db``, or cube root), an orthonormal DCT keeping ``n_bfcc``
    coefficients, and the librosa lifter. Computed by :func:`cepstral_spec`.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., n_bands, n_frames), optional
        Precomputed compressed Bark band energies (the log or cube-root Bark band energies),
        used instead of ``y``: only the DCT (``dct_type``, ``norm``) and the
        lifter are applied, as :func:`mfcc` does with ``S``.
    n_bfcc : int, default=20
        Number of coefficients, ``<= n_filters``.
    n_filters : int, default=64
        Number of Bark filters.

    Returns
    -------
    ndarray of shape (..., n_bfcc, n_frames)
        The coefficients per frame.

    Raises
    ------
    ValueError
        For invalid audio or parameters.

    Warns
    -----
    UserWarning
        If some Bark filters cover no FFT bin.

    References
    ----------
    .. [1] H. Traunmüller, "Analytical expressions for the tonotopic sensory scale",
       J. Acoust. Soc. Am. 88(1), 1990.
    .. [2] S. B. Davis and P. Mermelstein, "Comparison of parametric representations for
       monosyllabic word recognition in continuously spoken sentences", IEEE Trans. ASSP
       28(4), 1980.

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import bfcc
    >>> y = np.random.default_rng(0).standard_normal(8000)
    >>> bfcc(y, sample_rate=8000, n_bfcc=13, n_filters=32, n_fft=512, hop_length=256).shape
    (13, 32)
    """
    if S is not None:
        return cepstra_from_bands(S, n_bfcc, name="n_bfcc", dct_type=dct_type, norm=norm,
                                  lifter=lifter)
    return _triangular_cepstrum(
        y, lambda: filters.sparse_bark(sample_rate=sample_rate, n_fft=n_fft, n_filters=n_filters,
                                       fmin=fmin, fmax=fmax, norm=filter_norm, dtype=np.float64),
        n_bfcc, "n_bfcc", n_filters=n_filters, power=power, compression=compression, ref=ref,
        top_db=top_db, dct_type=dct_type, norm=norm, lifter=lifter, n_fft=n_fft,
        hop_length=hop_length, win_length=win_length, window=window, center=center,
        pad_mode=pad_mode, n_jobs=n_jobs)




@fill_params("triangular", "cepstral", "dct")
@validate_params({})
def lfcc(y=None, *, sample_rate: float = 22050, S=None, n_lfcc: int = 20, n_filters: int = 128,
         fmin: float = 0.0, fmax: float | None = None, filter_norm: str | None = None,
         power: float = 2.0, compression: str = "log", ref=1.0, top_db: float | None = 80.0,
         dct_type: int = 2, norm: str | None = "ortho", lifter: float = 0, n_fft: int = 2048,
         hop_length: int = 512, win_length: int | None = None, window="hann",
         center: bool = True, pad_mode: str = "constant", n_jobs=None) -> np.ndarray:
    """Linear-frequency cepstral coefficients (LFCC).

    MFCC with the mel filterbank replaced by triangular filters equally
    spaced in Hz (:func:`sklaudio.filters.linear`; torchaudio
    ``transforms.LFCC`` uses the same filterbank): per frame
    ``E[m] = sum_k W[m, k] |X[k]| ** power``, compressed (dB with per-clip
    ``ref``/``top_db``, or cube root), an orthonormal DCT keeping ``n_lfcc``
    coefficients, and the librosa lifter. Computed by :func:`cepstral_spec`.

    Parameters
    ----------
    y : ndarray of shape (..., n_samples), optional
        Audio. Either ``y`` or ``S`` is required.
    S : ndarray of shape (..., n_bands, n_frames), optional
        Precomputed compressed linear band energies (the log or cube-root linear band energies),
        used instead of ``y``: only the DCT (``dct_type``, ``norm``) and the
        lifter are applied, as :func:`mfcc` does with ``S``.
    n_lfcc : int, default=20
        Number of coefficients, ``<= n_filters``.
    n_filters : int, default=128
        Number of linear filters.

    Returns
    -------
    ndarray of shape (..., n_lfcc, n_frames)
        The coefficients per frame.

    Raises
    ------
    ValueError
        For invalid audio or parameters.

    Warns
    -----
    UserWarning
        If some filters cover no FFT bin.

    References
    ----------
    .. [1] S. B. Davis and P. Mermelstein, "Comparison of parametric representations for
       monosyllabic word recognition in continuously spoken sentences", IEEE Trans. ASSP
       28(4), 1980.
    .. [2] torchaudio ``transforms.LFCC``,
       https://pytorch.org/audio/stable/generated/torchaudio.transforms.LFCC.html

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio.functional import lfcc
    >>> y = np.random.default_rng(0).standard_normal(8000)
    >>> lfcc(y, sample_rate=8000, n_filters=40, n_fft=512, hop_length=256).shape
    (20, 32)
    """
    if S is not None:
        return cepstra_from_bands(S, n_lfcc, name="n_lfcc", dct_type=dct_type, norm=norm,
                                  lifter=lifter)
    return _triangular_cepstrum(
        y, lambda: filters.sparse_linear(sample_rate=sample_rate, n_fft=n_fft, n_filters=n_filters,
                                         fmin=fmin, fmax=fmax, norm=filter_norm, dtype=np.float64),
        n_lfcc, "n_lfcc", n_filters=n_filters, power=power, compression=compression, ref=ref,
        top_db=top_db, dct_type=dct_type, norm=norm, lifter=lifter, n_fft=n_fft,
        hop_length=hop_length, win_length=win_length, window=window, center=center,
        pad_mode=pad_mode, n_jobs=n_jobs)


