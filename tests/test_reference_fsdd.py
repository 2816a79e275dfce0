"""Every feature against its reference on real FSDD clips (issue "full feature set").

Done means of the issue: "The librosa-equal functions match librosa to <= 1e-4 relative error
on real clips" and "every feature has a test against its reference on real FSDD clips: librosa
where librosa has the feature, otherwise a naive NumPy twin from the paper's formula".

librosa-equal functions -- :func:`test_equals_librosa_on_fsdd`, one parametrized test
----------------------------------------------------------------------------------------
``stft`` (magnitude), ``melspectrogram``, ``mfcc``, ``power_to_db``, ``delta``,
``chroma_stft`` (``tuning=0``), ``spectral_centroid``, ``spectral_bandwidth``,
``spectral_rolloff``, ``spectral_flatness``, ``spectral_contrast``, ``spectral_flux``
(``kind="onset"`` == ``librosa.onset.onset_strength(...)``, taken as ``[..., 0, :]``, see its
docstring), ``zero_crossing_rate``, ``rms`` and ``yin``, each with the same parameters as the
librosa call, on 10 real FSDD clips (every 3rd clip of the ``fsdd_sample`` fixture plus the
shortest and the longest recording) in three settings:

* ``8k-speech``: the FSDD rate (8 kHz), ``n_fft=256, hop_length=80, n_mels=40``;
* ``8k-default``: 8 kHz with librosa's ``n_fft=2048, hop_length=512`` (3 frames for the
  shortest clip);
* ``22k-default``: the clips resampled to librosa's default 22,050 Hz (``soxr``, a package
  dependency), librosa's defaults (``n_fft=2048``, ``n_mels=128``, contrast ``fmin=200,
  n_bands=6``).

The reference is always librosa at float64. float64 input: ``max|a - b| / max|b| <= 1e-4`` per
clip (the issue's bar) and an elementwise ``assert_allclose`` with a much smaller ``rtol`` (see
``ELEMENTWISE``). float32 input (the same samples): ``<= 1e-3``, the float32 tolerance stated in
``docs/librosa_differences.md``.

Known failure, kept as a strict xfail and reported: ``spectral_contrast`` of float32 audio at
22,050 Hz is off by up to ~0.1 x max (~5 dB). The float32 FFT has an absolute noise floor of
~1e-7 x the spectrum's maximum; the resampled clips have (almost) nothing above 4 kHz, so the
valleys of the top octave bands lie below that floor and their dB level is wrong. The kernel
is not at fault: ``spectral_contrast(S=np.abs(librosa.stft(y32)))`` (float64 FFT rounded to
float32) matches to 7e-8. At 8 kHz ~1-2 % of FSDD clips also exceed 1e-3 (max 4.6e-3).

``lpc`` is not librosa-equal: ``librosa.lpc`` fits one polynomial to the whole signal by Burg's
method, ``sklaudio.functional.lpc`` frames the signal and uses the autocorrelation method
(documented in its docstring). On whole FSDD clips the two differ by 1e-5 to 4e-3 x max, as
two different estimators should. Its reference is ``scipy.linalg.solve_toeplitz`` on real
clips (``tests/test_lpc.py::test_lpc_equals_solve_toeplitz_on_fsdd``).

Features without a librosa equivalent: naive twin on real FSDD clips
--------------------------------------------------------------------
=======================  =====================================================================
feature                  naive-twin test (all on ``fsdd_sample`` clips)
=======================  =====================================================================
GFCC, gammatone spectr.  here: :func:`test_gfcc_fft_equals_naive_twin_on_fsdd` and
                         :func:`test_gfcc_iir_equals_scipy_gammatone_on_fsdd` (``test_gammatone``
                         checks both modes on noise and against each other on FSDD, but had no
                         real-clip twin)
BFCC, LFCC               ``test_cepstral_variants.py::test_bfcc_lfcc_equal_naive_pipeline``
PNCC                     ``test_pncc.py::test_pncc_equals_naive_twin_on_fsdd``
SpectralEntropy          ``test_spectral.py::test_kernels_equal_naive_twins`` (float64; the
                         float32 kernel is in ``test_descriptor_kernels.py``)
normalized flux          ``test_spectral.py::test_kernels_equal_naive_twins`` and
                         ``::test_normalized_flux_stitches_chunks_and_never_crosses_clips``
ShortTermEnergy          ``test_energy.py::test_energy_equals_pyaudioanalysis_twin`` (and
                         ``::test_energy_is_librosa_rms_squared``)
EnergyEntropy            ``test_energy.py::test_entropy_equals_pyaudioanalysis_twin``
Cepstrum                 ``test_lpc.py::test_cepstrum_equals_naive_on_fsdd``
LPCC                     ``test_lpc.py::test_lpcc_equals_naive_and_model_cepstrum_on_fsdd``
LPC                      ``test_lpc.py::test_lpc_equals_solve_toeplitz_on_fsdd``
=======================  =====================================================================
"""

from __future__ import annotations

import warnings

import naive
import numpy as np
import pytest
import scipy.fft
import scipy.signal

from sklaudio import functional as F

librosa = pytest.importorskip("librosa")
soxr = pytest.importorskip("soxr")

# -- settings ----------------------------------------------------------------------------------
CONFIGS = {
    "8k-speech": dict(sr=8000, n_fft=256, hop=80, n_mels=40,
                      contrast=dict(fmin=200.0, n_bands=5),  # 200 * 2**5 would pass Nyquist
                      yin=dict(fmin=65.40639132514966, fmax=1000.0)),  # 2 periods in 256
    "8k-default": dict(sr=8000, n_fft=2048, hop=512, n_mels=128,
                       contrast=dict(fmin=100.0, n_bands=6),
                       yin=dict(fmin=65.40639132514966, fmax=1000.0)),
    "22k-default": dict(sr=22050, n_fft=2048, hop=512, n_mels=128,
                        contrast=dict(),  # librosa's fmin=200, n_bands=6
                        yin=dict(fmin=65.40639132514966, fmax=2093.004522404789)),  # C2..C7
}

#: float64 elementwise check: (rtol, atol as a fraction of max|reference|). librosa builds its
#: mel and chroma filterbanks in float32 (``docs/librosa_differences.md``), which limits the
#: agreement of the features that use them to ~1e-7 relative; the rest agree to rounding.
BASIS_F32 = (1e-6, 1e-9)
ROUNDING = (1e-10, 1e-12)
ELEMENTWISE = {
    "stft": ROUNDING, "power_to_db": ROUNDING, "delta": ROUNDING, "centroid": ROUNDING,
    "bandwidth": ROUNDING, "rolloff": ROUNDING, "flatness": ROUNDING, "contrast": ROUNDING,
    "zero_crossing_rate": ROUNDING, "rms": ROUNDING, "yin": ROUNDING,
    "melspectrogram": BASIS_F32, "mfcc": BASIS_F32, "chroma_stft": BASIS_F32,
    "flux_onset": BASIS_F32,
}
FEATURES = sorted(ELEMENTWISE)
TOL = {"float64": 1e-4, "float32": 1e-3}
#: float32 elementwise check (all features but contrast, see the module docstring).
ELEMENTWISE_F32 = (1e-4, 1e-5)


def _quiet(fn, *args, **kwargs):
    """librosa warns that n_fft is too large for the shortest clips; that is intended."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _rel(a, b):
    """max|a - b| / max|b|; max|a| when the reference is all zero (e.g. onset strength of a
    clip with no more frames than its shift)."""
    scale = np.max(np.abs(b))
    return float(np.max(np.abs(a - b)) / scale if scale > 0 else np.max(np.abs(a)))


def _mfcc_ref(x, c):
    return _quiet(librosa.feature.mfcc, y=x, sr=c["sr"], n_fft=c["n_fft"], hop_length=c["hop"],
                  n_mels=c["n_mels"])


def _mel_ref(x, c):
    return _quiet(librosa.feature.melspectrogram, y=x, sr=c["sr"], n_fft=c["n_fft"],
                  hop_length=c["hop"], n_mels=c["n_mels"])


def _delta_width(n_frames):
    """librosa's default width 9, or the largest odd width the clip's frames allow."""
    return min(9, n_frames if n_frames % 2 else n_frames - 1)


def _pair(name, x, c):
    """(sklaudio on x, librosa on x as float64) with the same parameters."""
    sr, n_fft, hop = c["sr"], c["n_fft"], c["hop"]
    st = dict(n_fft=n_fft, hop_length=hop)
    x64 = x.astype(np.float64)
    if name == "stft":
        return np.abs(F.stft(x, **st)), np.abs(_quiet(librosa.stft, x64, **st))
    if name == "melspectrogram":
        return F.melspectrogram(x, sample_rate=sr, n_mels=c["n_mels"], **st), _mel_ref(x64, c)
    if name == "mfcc":
        return F.mfcc(x, sample_rate=sr, n_mels=c["n_mels"], **st), _mfcc_ref(x64, c)
    if name == "power_to_db":  # on librosa's float64 mel power spectrogram (cast to x's dtype)
        S = _mel_ref(x64, c)
        return F.power_to_db(S.astype(x.dtype)), librosa.power_to_db(S)
    if name == "delta":  # on librosa's float64 MFCC (cast to x's dtype)
        M = _mfcc_ref(x64, c)
        w = _delta_width(M.shape[1])
        return (F.delta(M.astype(x.dtype), width=w), librosa.feature.delta(M, width=w))
    if name == "chroma_stft":
        return (F.chroma_stft(x, sample_rate=sr, tuning=0.0, **st),
                _quiet(librosa.feature.chroma_stft, y=x64, sr=sr, tuning=0.0, **st))
    if name == "centroid":
        return (F.spectral_centroid(x, sample_rate=sr, **st),
                _quiet(librosa.feature.spectral_centroid, y=x64, sr=sr, **st))
    if name == "bandwidth":
        return (F.spectral_bandwidth(x, sample_rate=sr, **st),
                _quiet(librosa.feature.spectral_bandwidth, y=x64, sr=sr, **st))
    if name == "rolloff":
        return (F.spectral_rolloff(x, sample_rate=sr, **st),
                _quiet(librosa.feature.spectral_rolloff, y=x64, sr=sr, **st))
    if name == "flatness":
        return (F.spectral_flatness(x, **st),
                _quiet(librosa.feature.spectral_flatness, y=x64, **st))
    if name == "contrast":
        return (F.spectral_contrast(x, sample_rate=sr, **c["contrast"], **st),
                _quiet(librosa.feature.spectral_contrast, y=x64, sr=sr, **c["contrast"], **st))
    if name == "flux_onset":  # (..., 1, n_frames) vs onset_strength's (..., n_frames)
        return (F.spectral_flux(x, sample_rate=sr, kind="onset", n_mels=c["n_mels"], **st)[0],
                _quiet(librosa.onset.onset_strength, y=x64, sr=sr, n_mels=c["n_mels"], **st))
    if name == "zero_crossing_rate":
        return (F.zero_crossing_rate(x, frame_length=n_fft, hop_length=hop),
                librosa.feature.zero_crossing_rate(x64, frame_length=n_fft, hop_length=hop))
    if name == "rms":
        return (F.rms(x, frame_length=n_fft, hop_length=hop),
                librosa.feature.rms(y=x64, frame_length=n_fft, hop_length=hop,
                                    dtype=np.float64))
    if name == "yin":
        return (F.yin(x, sample_rate=sr, frame_length=n_fft, hop_length=hop, **c["yin"]),
                librosa.yin(x64, sr=sr, frame_length=n_fft, hop_length=hop, **c["yin"]))
    raise AssertionError(name)


_CLIPS: dict = {}


@pytest.fixture(scope="module")
def clips(fsdd_sample):
    """Per rate: 10 real FSDD clips (float32 samples), resampled with soxr for 22,050 Hz."""
    if not _CLIPS:
        base = fsdd_sample[::3] + fsdd_sample[-2:]  # + shortest and longest recordings
        assert min(len(x) for x in base) < 2048 < max(len(x) for x in base)
        _CLIPS[8000] = base
        _CLIPS[22050] = [soxr.resample(x, 8000, 22050).astype(np.float32) for x in base]
    return _CLIPS


_CONTRAST_F32_22K = pytest.mark.xfail(
    strict=True,
    reason="float32 spectral_contrast at 22,050 Hz: valleys of the (empty) bands above 4 kHz "
           "sit below the float32 FFT noise floor, error up to ~0.1 x max (~5 dB) > the "
           "documented 1e-3; reported, not fixed here")


def _cases():
    for cfg in CONFIGS:
        for dtype in ("float64", "float32"):
            for name in FEATURES:
                marks = ([_CONTRAST_F32_22K]
                         if (name, cfg, dtype) == ("contrast", "22k-default", "float32") else [])
                yield pytest.param(name, cfg, dtype, marks=marks, id=f"{name}-{cfg}-{dtype}")


@pytest.mark.parametrize("name,cfg,dtype", list(_cases()))
def test_equals_librosa_on_fsdd(clips, name, cfg, dtype):
    c = CONFIGS[cfg]
    worst = 0.0
    for x in clips[c["sr"]]:
        x = x.astype(dtype)
        ours, ref = _pair(name, x, c)
        assert ours.shape == ref.shape, (ours.shape, ref.shape)
        assert ours.dtype == np.dtype(dtype), ours.dtype
        assert np.all(np.isfinite(ours))
        err = _rel(ours.astype(np.float64), ref)
        worst = max(worst, err)
        assert err <= TOL[dtype], f"{name} {cfg} {dtype}: max rel error {err:.3g}"
        if dtype == "float64":
            rtol, atol = ELEMENTWISE[name]
        elif name != "contrast":
            rtol, atol = ELEMENTWISE_F32
        else:
            continue
        np.testing.assert_allclose(ours, ref, rtol=rtol, atol=atol * np.max(np.abs(ref)),
                                   err_msg=f"{name} {cfg} {dtype}")
    assert worst <= TOL[dtype]


# -- GFCC: naive twins on real clips -------------------------------------------------------------
def naive_erb_centres(n, fmin, fmax):
    """ERB-rate E(f) = 21.4 log10(1 + 0.00437 f) (Glasberg & Moore 1990); n centres from fmin
    in equal E steps of (E(fmax) - E(fmin)) / n (Slaney's ERBSpace, ascending)."""
    E = lambda f: 21.4 * np.log10(1.0 + 0.00437 * f)  # noqa: E731
    e = E(fmin) + np.arange(n) * (E(fmax) - E(fmin)) / n
    return (10.0 ** (e / 21.4) - 1.0) / 0.00437


def naive_gammatone_weights(sr, n_fft, n, fmin, fmax):
    """|H(f)|^2 / |H(fc)|^2 of the 4th-order gammatone t^3 exp(-2 pi b t) cos(2 pi fc t),
    b = 1.019 ERB(fc), ERB(f) = 24.7 (4.37 f / 1000 + 1): its Fourier transform is
    proportional to (b + i (f - fc))^-4 + (b + i (f + fc))^-4 (Patterson et al. 1992)."""
    fc = naive_erb_centres(n, fmin, fmax)
    W = np.zeros((n, n_fft // 2 + 1))
    f = np.arange(n_fft // 2 + 1) * sr / n_fft
    for m in range(n):
        b = 1.019 * 24.7 * (4.37 * fc[m] / 1000.0 + 1.0)
        H = lambda v: (b + 1j * (v - fc[m])) ** -4 + (b + 1j * (v + fc[m])) ** -4  # noqa: E731
        W[m] = np.abs(H(f)) ** 2 / np.abs(H(fc[m])) ** 2
    return W


def naive_compress_dct(E, n_ceps, compression, top_db=80.0):
    """Cube root (Shao & Wang 2008) or per-clip dB with top_db, then orthonormal DCT-II."""
    if compression == "cubic":
        C = np.cbrt(E)
    else:
        C = 10.0 * np.log10(np.maximum(E, 1e-10))
        C = np.maximum(C, C.max() - top_db)
    return scipy.fft.dct(C, type=2, norm="ortho", axis=0)[:n_ceps]


GFCC_SETS = [dict(sr=8000, n_fft=256, hop=80, n_filters=32, fmin=50.0, n_gfcc=13),
             dict(sr=8000, n_fft=512, hop=128, n_filters=64, fmin=100.0, n_gfcc=20)]


@pytest.mark.parametrize("compression", ["cubic", "log"])
@pytest.mark.parametrize("p", GFCC_SETS, ids=lambda p: f"{p['n_fft']}-{p['n_filters']}")
def test_gfcc_fft_equals_naive_twin_on_fsdd(fsdd_sample, p, compression):
    """FFT mode: E = W |DFT|^2 (Ellis 2009) from a naive DFT STFT and the formula's weights."""
    sr, n_fft, hop = p["sr"], p["n_fft"], p["hop"]
    W = naive_gammatone_weights(sr, n_fft, p["n_filters"], p["fmin"], sr / 2)
    kw = dict(sample_rate=sr, n_fft=n_fft, hop_length=hop, n_filters=p["n_filters"],
              fmin=p["fmin"], filterbank="fft")
    for x in fsdd_sample[::4]:
        x = x.astype(np.float64)
        E = W @ np.abs(naive.stft.stft(x, n_fft, hop, naive.stft.hann_periodic(n_fft))) ** 2
        got_E = F.gammatone_spectrogram(x, compression=None, **kw)
        assert _rel(got_E, E) <= 1e-10
        ref = naive_compress_dct(E, p["n_gfcc"], compression)
        got = F.gfcc(x, n_gfcc=p["n_gfcc"], compression=compression, **kw)
        assert got.shape == ref.shape
        assert _rel(got, ref) <= 1e-9


def naive_iir_energy_scipy(y, sr, fc, n_fft, hop):
    """Each channel filtered by scipy.signal.gammatone(fc, "iir") (Slaney 1993, an independent
    implementation) on the centre-padded clip, then (n_fft / 2) sum_j w[j]^2 y_m[t hop + j]^2
    with the periodic Hann window (the Parseval scale of gammatone_spectrogram's docstring)."""
    w = naive.stft.hann_periodic(n_fft)
    yp = np.pad(y, n_fft // 2)
    n_frames = 1 + (len(yp) - n_fft) // hop
    E = np.zeros((len(fc), n_frames))
    for m, f in enumerate(fc):
        b, a = scipy.signal.gammatone(f, "iir", fs=sr)
        out = scipy.signal.lfilter(b, a, yp)
        for t in range(n_frames):
            E[m, t] = n_fft / 2 * np.sum(w ** 2 * out[t * hop:t * hop + n_fft] ** 2)
    return E


def test_gfcc_iir_equals_scipy_gammatone_on_fsdd(fsdd_sample):
    """IIR mode vs scipy's own gammatone IIR design on real clips.

    scipy builds one 8th-order polynomial per channel (sklaudio: four second-order sections),
    and uses ERB = 24.7 + f / 9.26449 (equal to Glasberg & Moore's to 1e-6); its impulse
    responses agree with the cascade to ~3e-7, ~7e-5 at the 50 Hz channel where the
    8th-order polynomial loses digits. Hence 1e-4 on the energies, not 1e-10.
    """
    sr, n_fft, hop, n = 8000, 256, 80, 32
    fc = naive_erb_centres(n, 50.0, sr / 2)
    kw = dict(sample_rate=sr, n_fft=n_fft, hop_length=hop, n_filters=n, fmin=50.0,
              filterbank="iir")
    for x in fsdd_sample[::6]:
        x = x.astype(np.float64)
        E = naive_iir_energy_scipy(x, sr, fc, n_fft, hop)
        got_E = F.gammatone_spectrogram(x, compression=None, **kw)
        assert got_E.shape == E.shape
        assert _rel(got_E, E) <= 1e-4
        got = F.gfcc(x, n_gfcc=13, **kw)
        assert _rel(got, naive_compress_dct(E, 13, "cubic")) <= 1e-4
