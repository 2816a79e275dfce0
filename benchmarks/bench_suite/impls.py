"""Implementations of each feature: sklaudio, librosa and the optional peers.

Every implementation turns a workload's input (list of clips, 1-D signal or
2-D batch, see :meth:`Workload.data`) into a list of per-clip arrays of shape
``(n_features, n_frames)`` (librosa's orientation), so outputs can be compared
clip by clip. Untimed set-up (estimator ``fit``, filterbanks, transform
objects) happens in ``prepare``.

sklaudio features are detected at run time, so the suite keeps working while
the library grows: an estimator (its ``transform_frames``, the batched
"frames out" path) is preferred; without one the functional is called per
clip (ragged workloads) or on the whole array (W3, W4).
"""

from __future__ import annotations

import importlib
import inspect
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

FEATURES = ["stft", "mel", "mfcc", "chroma", "centroid", "rolloff", "flux", "zcr", "rms", "gfcc"]

FEATURE_LABELS = {
    "stft": "STFT (complex)", "mel": "log-mel (dB)", "mfcc": "MFCC-20", "chroma": "chroma",
    "centroid": "spectral centroid", "rolloff": "spectral rolloff",
    "flux": "spectral flux (onset strength)", "zcr": "zero-crossing rate", "rms": "RMS",
    "gfcc": "GFCC-20",
}

#: Where sklaudio's functions and estimators may live (other modules are added as they land).
FUNC_MODULES = ["sklaudio.functional", "sklaudio.functional._spectral",
                "sklaudio.functional._chroma", "sklaudio.functional._temporal",
                "sklaudio.functional._cepstral", "sklaudio.functional._core"]
EST_MODULES = ["sklaudio", "sklaudio._mel", "sklaudio._spectral", "sklaudio._chroma",
               "sklaudio._temporal", "sklaudio._cepstral"]

SK_NAMES = {
    "stft": (["stft"], []),
    "mel": ([], ["MelSpectrogram"]),
    "mfcc": (["mfcc"], ["MFCC"]),
    "chroma": (["chroma_stft", "chroma"], ["ChromaSTFT", "Chroma", "ChromaStft"]),
    "centroid": (["spectral_centroid"], ["SpectralCentroid"]),
    "rolloff": (["spectral_rolloff"], ["SpectralRolloff"]),
    "flux": (["spectral_flux"], ["SpectralFlux"]),
    "zcr": (["zero_crossing_rate"], ["ZeroCrossingRate"]),
    "rms": (["rms"], ["RMS", "Rms"]),
    "gfcc": (["gfcc"], ["GFCC", "Gfcc"]),
}

N_CEPS = 20
TOP_DB = 80.0
_GFCC_BAND_PARAMS = ("n_bands", "n_filters", "n_gammatone", "n_erb", "n_channels")
_GFCC_CEPS_PARAMS = ("n_gfcc", "n_ceps", "n_coefficients", "n_cc")


@dataclass
class Impl:
    """One way of computing a feature on a workload."""

    lib: str
    call: str
    run: Callable[[object], list]
    prepare: Callable[[object], None] = lambda X: None
    compare: bool = True  # report the error against librosa's per-clip output
    is_ref: bool = False  # this is librosa's per-clip output (the reference)
    note: str = ""
    extra: dict = field(default_factory=dict)


# ----------------------------------------------------------------------- helpers
def as_clips(X) -> list:
    """The clips of a workload input: list as is, 1-D -> [x], 2-D -> rows."""
    if isinstance(X, list):
        return X
    X = np.asarray(X)
    return [X] if X.ndim == 1 else list(X)


def _split(out, X) -> list:
    """Functional output on ``X`` -> list of per-clip 2-D arrays."""
    out = np.asarray(out)
    if isinstance(X, list):
        raise TypeError("functional output on a list")
    if np.ndim(X) == 1:
        return [out if out.ndim == 2 else out[None, :]]
    return list(out if out.ndim == 3 else out[:, None, :])


def _params(fn) -> dict:
    try:
        return dict(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return {}


def _kw(fn, **cands) -> dict:
    """Keep the candidate keyword arguments that ``fn`` accepts."""
    p = _params(fn)
    if any(v.kind is inspect.Parameter.VAR_KEYWORD for v in p.values()):
        return cands
    return {k: v for k, v in cands.items() if k in p}


def _default(fn, names):
    p = _params(fn)
    for n in names:
        if n in p and p[n].default is not inspect.Parameter.empty:
            return n, p[n].default
    return None, None


_IMPORT_ERRORS: dict[str, str] = {}


def _find(names, modules):
    for mod in modules:
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError:
            continue
        except Exception as e:  # a module being edited: say so, keep going
            _IMPORT_ERRORS[mod] = f"{type(e).__name__}: {e}"
            continue
        for n in names:
            obj = getattr(m, n, None)
            if obj is not None:
                return obj, f"{mod}.{n}"
    return None, None


def import_errors() -> dict:
    return dict(_IMPORT_ERRORS)


def _optional(name):
    try:
        return importlib.import_module(name)
    except Exception as e:  # ImportError, or a broken install (OSError from a shared library)
        return e


PEERS = ["torchaudio", "audioflux", "python_speech_features", "spafe"]


def peer_status() -> dict:
    """``{peer: version or None}`` and a reason when not importable."""
    out = {}
    for name in PEERS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mod = _optional(name)
        if isinstance(mod, Exception):
            out[name] = dict(available=False, reason=f"{type(mod).__name__}: {mod}"[:200])
        else:
            ver = getattr(mod, "__version__", None)
            if ver is None:
                try:
                    from importlib.metadata import version

                    ver = version(name)
                except Exception:
                    ver = "?"
            out[name] = dict(available=True, version=str(ver))
    return out


# ----------------------------------------------------------------------- sklaudio
def _est_input(X):
    """Estimators take a list of clips or a 2-D array; a single signal goes in as
    ``signal[np.newaxis]`` (a 2-D view: a list would be copied into a new buffer)."""
    if isinstance(X, np.ndarray) and X.ndim == 1:
        return X[np.newaxis]
    return X


def _sk_kwargs(feature, fn, wl, n_jobs):
    cands = dict(sample_rate=wl.sr, n_fft=wl.n_fft, hop_length=wl.hop, dtype="float32",
                 n_jobs=n_jobs)
    if feature in ("mel", "mfcc", "flux"):
        cands["n_mels"] = wl.n_mels
    if feature == "mfcc":
        cands["n_mfcc"] = N_CEPS
    if feature == "chroma":
        cands["tuning"] = 0.0
    if feature in ("zcr", "rms"):
        cands["frame_length"] = wl.n_fft
        if "frame_length" in _params(fn):
            cands.pop("n_fft")
    if feature == "gfcc":
        for n in _GFCC_CEPS_PARAMS:
            cands[n] = N_CEPS
    return _kw(fn, **cands)


def sklaudio_impls(feature, wl, n_jobs) -> tuple[list[Impl], list[str]]:
    func_names, est_names = SK_NAMES[feature]
    fn, fn_name = _find(func_names, FUNC_MODULES)
    est_cls, est_name = _find(est_names, EST_MODULES)
    impls, notes = [], []
    ragged = wl.kind == "clips"

    if est_cls is not None:
        kw = _sk_kwargs(feature, est_cls, wl, n_jobs)
        state = {}

        def prepare(X, kw=kw):
            state["est"] = est_cls(**kw).fit(_est_input(X))

        def run(X):
            return state["est"].transform_frames(_est_input(X))

        short = est_name.split(".")[-1]
        impls.append(Impl("sklaudio", f"{short}(...).transform_frames(batch)", run, prepare,
                          extra=dict(kwargs=kw, source=est_name)))
    if fn is not None and (est_cls is None or (feature == "mfcc" and not ragged)):
        kw = _sk_kwargs(feature, fn, wl, n_jobs)
        if "dtype" in kw:
            kw.pop("dtype")  # functionals follow the input dtype (float32 here)
        short = fn_name.split(".")[-1]
        if ragged:
            def run(X, kw=kw):
                return [np.atleast_2d(fn(x, **kw)) for x in X]

            call = f"functional.{short} per clip"
        else:
            def run(X, kw=kw):
                return _split(fn(X, **kw), X)

            call = f"functional.{short}({'2-D batch' if wl.kind == 'batch' else '1-D signal'})"
        lib = "sklaudio" if est_cls is None else "sklaudio (functional)"
        impls.append(Impl(lib, call, run, extra=dict(kwargs=kw, source=fn_name)))
    if not impls:
        notes.append(f"sklaudio has no {FEATURE_LABELS[feature]} yet "
                     f"(looked for {func_names + est_names})")
    return impls, notes


# ------------------------------------------------------------------------ librosa
def librosa_impls(feature, wl) -> tuple[list[Impl], list[str]]:
    try:
        import librosa
    except ImportError:
        return [], ["librosa is not installed"]
    sr, n_fft, hop, n_mels = wl.sr, wl.n_fft, wl.hop, wl.n_mels
    f = {
        "stft": lambda y: librosa.stft(y, n_fft=n_fft, hop_length=hop),
        "mel": lambda y: librosa.power_to_db(
            librosa.feature.melspectrogram(y=y, sr=sr, n_fft=n_fft, hop_length=hop,
                                           n_mels=n_mels), top_db=TOP_DB),
        "mfcc": lambda y: librosa.feature.mfcc(y=y, sr=sr, n_mfcc=N_CEPS, n_fft=n_fft,
                                               hop_length=hop, n_mels=n_mels),
        "chroma": lambda y: librosa.feature.chroma_stft(y=y, sr=sr, n_fft=n_fft,
                                                        hop_length=hop, tuning=0.0),
        "centroid": lambda y: librosa.feature.spectral_centroid(y=y, sr=sr, n_fft=n_fft,
                                                                hop_length=hop),
        "rolloff": lambda y: librosa.feature.spectral_rolloff(y=y, sr=sr, n_fft=n_fft,
                                                              hop_length=hop),
        "flux": lambda y: np.expand_dims(librosa.onset.onset_strength(
            y=y, sr=sr, n_fft=n_fft, hop_length=hop, n_mels=n_mels), -2),
        "zcr": lambda y: librosa.feature.zero_crossing_rate(y, frame_length=n_fft,
                                                            hop_length=hop),
        "rms": lambda y: librosa.feature.rms(y=y, frame_length=n_fft, hop_length=hop),
    }.get(feature)
    if f is None:
        return [], [f"librosa has no {FEATURE_LABELS[feature]}"]

    def per_clip(X):
        with _quiet():
            return [f(y) for y in as_clips(X)]

    impls = [Impl("librosa", "per clip", per_clip, is_ref=True)]
    if wl.kind == "batch":
        def batch(X):
            with _quiet():
                return list(f(X))

        note = ("top_db / dB reference over the whole batch"
                if feature in ("mel", "mfcc", "flux") else "")
        impls.append(Impl("librosa", "2-D batch", batch, note=note))
    return impls, []


class _quiet(warnings.catch_warnings):
    """Hide librosa's 'n_fft=... is too large for input signal' warnings on short clips."""

    def __enter__(self):
        super().__enter__()
        warnings.filterwarnings("ignore", message=r"n_fft=\d+ is too large")
        warnings.filterwarnings("ignore", category=FutureWarning)


# -------------------------------------------------------------------------- peers
def _radix2(n_fft):
    e = int(round(np.log2(n_fft)))
    return e if 2 ** e == n_fft else None


def torchaudio_impls(feature, wl) -> list[Impl]:
    if feature not in ("stft", "mel", "mfcc"):
        return []
    ta = _optional("torchaudio")
    if isinstance(ta, Exception):
        return []
    import torch
    import torchaudio.transforms as T

    spec_kw = dict(n_fft=wl.n_fft, hop_length=wl.hop, center=True, pad_mode="constant")
    mel_kw = dict(spec_kw, n_mels=wl.n_mels, power=2.0, norm="slaney", mel_scale="slaney",
                  f_min=0.0, f_max=None)
    if feature == "stft":
        mod = T.Spectrogram(power=None, **spec_kw)
    elif feature == "mel":
        mod = torch.nn.Sequential(T.MelSpectrogram(sample_rate=wl.sr, **mel_kw),
                                  T.AmplitudeToDB(stype="power", top_db=TOP_DB))
    else:
        mod = T.MFCC(sample_rate=wl.sr, n_mfcc=N_CEPS, dct_type=2, norm="ortho", log_mels=False,
                     melkwargs=mel_kw)

    def per_clip(X):
        with torch.inference_mode():
            return [mod(torch.from_numpy(np.ascontiguousarray(y))).numpy() for y in as_clips(X)]

    def batch(X):
        # (B, 1, N): AmplitudeToDB then clamps top_db per clip, as librosa per clip.
        with torch.inference_mode():
            out = mod(torch.from_numpy(np.ascontiguousarray(X))[:, None, :]).numpy()
        return list(out[:, 0])

    if wl.kind == "batch":
        return [Impl("torchaudio", "transforms, (B, 1, N) batch", batch)]
    return [Impl("torchaudio", "transforms per clip", per_clip)]


def audioflux_impls(feature, wl) -> list[Impl]:
    if feature not in ("mfcc", "gfcc"):
        return []
    af = _optional("audioflux")
    if isinstance(af, Exception):
        return []
    from audioflux.type import (SpectralDataType, SpectralFilterBankNormalType,
                                SpectralFilterBankScaleType, SpectralFilterBankStyleType)

    r2 = _radix2(wl.n_fft)
    if r2 is None:
        return []
    if feature == "mfcc":
        scale, style, num = (SpectralFilterBankScaleType.MEL, SpectralFilterBankStyleType.SLANEY,
                             wl.n_mels)
    else:
        scale, style, num = (SpectralFilterBankScaleType.ERB,
                             SpectralFilterBankStyleType.GAMMATONE, gfcc_bands(wl))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bft = af.BFT(num=num, radix2_exp=r2, samplate=wl.sr, slide_length=wl.hop,
                     scale_type=scale, style_type=style,
                     normal_type=SpectralFilterBankNormalType.AREA,
                     data_type=SpectralDataType.POWER, is_reassign=False)
        xxcc = af.XXCC(num=bft.num)

    def one(y):
        # What audioflux.mfcc / gtcc do, with the BFT and XXCC objects built once, except that
        # the BFT returns its real spectrum (result_type=1): audioflux's fastest path, ~9x
        # faster than the complex result (result_type=0) that audioflux.mfcc passes on.
        spec = bft.bft(y, result_type=1)
        xxcc.set_time_length(time_length=spec.shape[-1])
        return xxcc.xxcc(spec, cc_num=N_CEPS)

    name = ("BFT(real)+XXCC" if feature == "mfcc" else "BFT(ERB gammatone, real)+XXCC (gtcc)")
    if wl.kind == "batch":
        return [Impl("audioflux", f"{name}, 2-D batch", lambda X: list(one(X)), compare=False,
                     note="own definition (no centring)")]
    return [Impl("audioflux", f"{name} per clip", lambda X: [one(y) for y in as_clips(X)],
                 compare=False, note="own definition (no centring)")]


def psf_impls(feature, wl) -> list[Impl]:
    if feature != "mfcc":
        return []
    psf = _optional("python_speech_features")
    if isinstance(psf, Exception):
        return []
    kw = dict(samplerate=wl.sr, winlen=wl.n_fft / wl.sr, winstep=wl.hop / wl.sr, numcep=N_CEPS,
              nfilt=wl.n_mels, nfft=wl.n_fft, lowfreq=0, highfreq=None, preemph=0.0,
              ceplifter=0, appendEnergy=False, winfunc=np.hanning)

    def run(X):
        return [psf.mfcc(y, **kw).T for y in as_clips(X)]

    return [Impl("python_speech_features", "mfcc per clip", run, compare=False,
                 note="own definition (HTK mel, ln, no centring)")]


def spafe_impls(feature, wl) -> list[Impl]:
    if feature not in ("mfcc", "gfcc"):
        return []
    mod = _optional("spafe.features." + feature)
    if isinstance(mod, Exception):
        return []
    from spafe.utils.preprocessing import SlidingWindow

    window = SlidingWindow(wl.n_fft / wl.sr, wl.hop / wl.sr, "hanning")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if feature == "mfcc":
            from spafe.fbanks.mel_fbanks import mel_filter_banks

            nf = wl.n_mels
            fb, _ = mel_filter_banks(nfilts=nf, nfft=wl.n_fft, fs=wl.sr, low_freq=0,
                                     high_freq=wl.sr / 2)
            fn = mod.mfcc
        else:
            from spafe.fbanks.gammatone_fbanks import gammatone_filter_banks

            nf = gfcc_bands(wl)
            fb, _ = gammatone_filter_banks(nfilts=nf, nfft=wl.n_fft, fs=wl.sr, low_freq=0,
                                           high_freq=wl.sr / 2)
            fn = mod.gfcc
    kw = dict(fs=wl.sr, num_ceps=N_CEPS, pre_emph=False, window=window, nfilts=nf,
              nfft=wl.n_fft, low_freq=0, high_freq=wl.sr / 2, normalize=None, fbanks=fb)

    def run(X):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [fn(y, **kw).T for y in as_clips(X)]

    return [Impl("spafe", f"{feature} per clip (filterbank precomputed)", run, compare=False,
                 note="own definition")]


def gfcc_bands(wl) -> int:
    """Band count of sklaudio's GFCC (its default), used for the peers; 64 otherwise."""
    fn, _ = _find(SK_NAMES["gfcc"][0], FUNC_MODULES)
    if fn is not None:
        _, v = _default(fn, _GFCC_BAND_PARAMS)
        if isinstance(v, (int, np.integer)):
            return int(v)
    return 64


def all_impls(feature, wl, n_jobs, peers=True) -> tuple[list[Impl], list[str]]:
    """librosa (reference first), sklaudio, then the peers."""
    lib, notes = librosa_impls(feature, wl)
    sk, sk_notes = sklaudio_impls(feature, wl, n_jobs)
    impls = lib + sk
    notes = notes + sk_notes
    if peers:
        for make in (torchaudio_impls, audioflux_impls, psf_impls, spafe_impls):
            try:
                impls += make(feature, wl)
            except Exception as e:  # a peer's API changed: note it, keep going
                notes.append(f"{make.__name__[:-6]}: {type(e).__name__}: {e}")
    return impls, notes


# -------------------------------------------------------------------------- error
def max_rel_err(got: list, ref: list) -> tuple[float | None, str]:
    """Largest per-clip ``max|got - ref| / max|ref|`` (float64), and a note on mismatch."""
    if len(got) != len(ref):
        return None, f"{len(got)} clips vs {len(ref)}"
    worst = 0.0
    for i, (g, r) in enumerate(zip(got, ref)):
        g = np.asarray(g)
        r = np.asarray(r)
        if g.shape != r.shape:
            return None, f"shape {g.shape} vs librosa {r.shape} (clip {i})"
        wide = np.complex128 if (np.iscomplexobj(g) or np.iscomplexobj(r)) else np.float64
        d = np.abs(g.astype(wide) - r.astype(wide)).max() if g.size else 0.0
        s = np.abs(r.astype(wide)).max() if r.size else 0.0
        worst = max(worst, float(d / max(s, np.finfo(np.float64).tiny)))
    return worst, ""
