"""AudioFeatures: many frame features from one framing / STFT pass."""

from __future__ import annotations

from ._base import STFTFeatureTransformer
from ._cepstral import BFCC, GFCC, LFCC, GammatoneSpectrogram
from ._chroma import Chroma
from ._deprecation import DEPRECATED
from ._docstrings import fill_params
from ._energy import EnergyEntropy, ShortTermEnergy
from ._engine import run_features
from ._lpc import LPC, LPCC, Cepstrum
from ._mel import MFCC, MelSpectrogram
from ._params import (
    POOLING,
    SAMPLE_RATE,
    STFT,
    combine,
    raise_invalid,
    validate_estimator_params,
)
from ._pitch import Pitch
from ._spectral import (
    SpectralBandwidth,
    SpectralCentroid,
    SpectralContrast,
    SpectralEntropy,
    SpectralFlatness,
    SpectralFlux,
    SpectralRolloff,
)
from ._streaming import StreamSetup
from ._temporal import RMS, ZeroCrossingRate

__all__ = ["AudioFeatures"]


#: Feature name -> (estimator class, {estimator parameter: AudioFeatures parameter}).
#: The composite builds that estimator with its own STFT parameters plus these, and takes
#: its FrameSpecs and column names, so each feature equals its estimator exactly.
FEATURES = {
    "mfcc": (MFCC, {"n_mfcc": "n_mfcc", "n_mels": "n_mels", "fmin": "fmin", "fmax": "fmax",
                    "htk": "htk", "mel_norm": "mel_norm", "norm": "norm",
                    "dct_type": "dct_type", "lifter": "lifter", "ref": "ref",
                    "top_db": "top_db"}),
    "melspectrogram": (MelSpectrogram, {"n_mels": "n_mels", "fmin": "fmin", "fmax": "fmax",
                                        "htk": "htk", "mel_norm": "mel_norm", "norm": "norm",
                                        "ref": "ref", "top_db": "top_db"}),
    "spectral_centroid": (SpectralCentroid, {}),
    "spectral_bandwidth": (SpectralBandwidth, {}),
    "spectral_rolloff": (SpectralRolloff, {"roll_percent": "roll_percent"}),
    "spectral_flatness": (SpectralFlatness, {}),
    "spectral_contrast": (SpectralContrast, {"n_bands": "contrast_n_bands",
                                                          "fmin": "contrast_fmin"}),
    "spectral_flux": (SpectralFlux, {"kind": "flux_kind"}),
    "spectral_entropy": (SpectralEntropy, {}),
    "chroma": (Chroma, {"n_chroma": "n_chroma", "tuning": "tuning"}),
    "zero_crossing_rate": (ZeroCrossingRate, {}),
    "rms": (RMS, {}),
    "short_term_energy": (ShortTermEnergy, {}),
    "energy_entropy": (EnergyEntropy, {}),
    "pitch": (Pitch, {"fmin": "pitch_fmin", "fmax": "pitch_fmax"}),
    "gfcc": (GFCC, {"n_gfcc": "n_gfcc", "n_filters": "gammatone_n_filters",
                                 "fmin": "gammatone_fmin", "compression": "gfcc_compression",
                                 "dct_type": "dct_type", "lifter": "lifter", "ref": "ref",
                                 "top_db": "top_db"}),
    "gammatone_spectrogram": (GammatoneSpectrogram,
                              {"n_filters": "gammatone_n_filters", "fmin": "gammatone_fmin",
                               "ref": "ref", "top_db": "top_db"}),
    "bfcc": (BFCC, {"n_bfcc": "n_bfcc", "dct_type": "dct_type", "lifter": "lifter",
                                 "ref": "ref", "top_db": "top_db"}),
    "lfcc": (LFCC, {"n_lfcc": "n_lfcc", "dct_type": "dct_type", "lifter": "lifter",
                                 "ref": "ref", "top_db": "top_db"}),
    "cepstrum": (Cepstrum, {"qmax": "cepstrum_qmax"}),
    "lpc": (LPC, {"order": "lpc_order"}),
    "lpcc": (LPCC, {"order": "lpc_order", "n_lpcc": "n_lpcc"}),
}

_SHARED = ("sample_rate", "n_fft", "hop_length", "win_length", "window", "center", "pad_mode",
           "dtype")
#: Features whose standalone estimator frames differently at the clip edges (librosa pads
#: zero_crossing_rate with "edge"); inside AudioFeatures they use its own pad_mode.
EDGE_DIFFERENCES = ("zero_crossing_rate",)




def check_features(features) -> tuple[str, ...]:
    """``features`` as a tuple of distinct known names, or :class:`InvalidParameterError`."""
    feats = (features,) if isinstance(features, str) else features
    try:
        feats = tuple(feats)
    except TypeError:
        feats = ()
    if not feats or not all(isinstance(f, str) for f in feats):
        raise_invalid("features", f"a feature name or a non-empty tuple of names from "
                      f"{tuple(FEATURES)}", features)
    unknown = [f for f in feats if f not in FEATURES]
    if unknown:
        raise_invalid("features", f"names from {tuple(FEATURES)} (unknown: {unknown})",
                      features)
    if len(set(feats)) != len(feats):
        raise_invalid("features", "a tuple of distinct names (one is listed twice)", features)
    return feats

def _composite_constraints() -> dict:
    """Each AudioFeatures parameter takes the constraints of the sub-estimator parameter it sets."""
    out = combine(SAMPLE_RATE, STFT, POOLING)
    for Est, mapping in FEATURES.values():
        for sub_param, param in mapping.items():
            out.setdefault(param, Est._parameter_constraints[sub_param])
    return out

def _sub_estimator(est, name):
    Est, mapping = FEATURES[name]
    accepted = Est().get_params()
    params = {k: getattr(est, k) for k in _SHARED if k in accepted}
    if "frame_length" in accepted:
        params["frame_length"] = est.n_fft
    params.update({k: getattr(est, v) for k, v in mapping.items()})
    sub = Est(**params)
    validate_estimator_params(sub)
    sub._check_params()
    return sub


#: Features computed together in one pass over each frame's magnitude spectrum when at least
#: two of them are requested: name -> (descriptor of ``descriptor_group_spec``, estimator
#: parameters passed on). The bandwidth joins only with ``p = 2``.
GROUPED = {
    "spectral_centroid": ("centroid", ()),
    "spectral_bandwidth": ("bandwidth", ("norm", "p")),
    "spectral_rolloff": ("rolloff", ("roll_percent",)),
    "spectral_flatness": ("flatness", ("amin", "power")),
}


def _grouped_descriptor(name, est):
    """``(descriptor, params)`` if feature ``name`` (estimator ``est``) can join the group."""
    if name not in GROUPED:
        return None
    desc, keys = GROUPED[name]
    if desc == "bandwidth" and float(est.p) != 2.0:
        return None
    return desc, {k: getattr(est, k) for k in keys}


DEFAULT_FEATURES = ("mfcc", "chroma", "spectral_centroid", "spectral_bandwidth",
                    "spectral_rolloff", "spectral_flatness", "spectral_contrast")


@fill_params("mel", "deprecated")
class AudioFeatures(STFTFeatureTransformer):
    __doc__ = f"""Many frame features from one STFT pass, pooled per clip.

    Every requested feature reads the same framing and the same rFFT (and
    the same ``|X|`` or ``|X|**2``) of each chunk of frames, unlike a
    :class:`~sklearn.pipeline.FeatureUnion` of separate transformers that
    recomputes the STFT in every branch; centroid, bandwidth, rolloff and
    flatness also share one kernel pass. MFCC plus chroma plus five spectral
    descriptors cost about 2.3x MFCC alone (``benchmarks/bench_composite.py``). Each feature
    equals its own estimator / :mod:`sklaudio.functional` function with the
    same parameters. Time-domain features (``"zero_crossing_rate"``,
    ``"rms"``, ``"short_term_energy"``, ``"energy_entropy"``, ``"pitch"``)
    read the raw (un-windowed) frames of the same grid: ``frame_length =
    n_fft``, ``hop_length``, ``center`` and ``pad_mode``; so the zero-crossing
    rate differs from librosa's (which pads with ``"edge"``) in the first and
    last ``n_fft // (2 hop_length)`` frames of each clip when ``pad_mode``
    is not ``"edge"``.

    Parameters
    ----------
    features : tuple of str, default={DEFAULT_FEATURES!r}
        Which features to compute, in output order, from
        ``AudioFeatures.available_features()``. Tunable by GridSearchCV like
        any parameter (e.g. ``{{"feats__features": [("mfcc",),
        ("mfcc", "chroma")]}}``).
    tuning : float, default=0.0
        Chroma tuning offset in fractions of a chroma bin (per-clip estimation,
        ``tuning=None``, needs its own pass: use :class:`sklaudio.Chroma`).
    roll_percent : float, default=0.85
        Energy fraction of the spectral rolloff, in (0, 1).
    contrast_n_bands : int or "auto", default="auto"
        Octave bands of the spectral contrast (``n_bands + 1`` columns);
        ``"auto"`` is 6, or fewer where 6 would pass Nyquist
        (:class:`sklaudio.SpectralContrast`), so the defaults run at any rate.
    contrast_fmin : float, default=200.0
        Upper edge of the first contrast band in Hz (``contrast_fmin *
        2 ** (contrast_n_bands - 1)`` must stay below Nyquist).
    flux_kind : {{"onset", "normalized"}}, default="onset"
        Spectral-flux definition (:class:`sklaudio.SpectralFlux`).
    pitch_fmin, pitch_fmax : float, default=65.4064 (C2), 2093.0045 (C7)
        YIN search range in Hz for ``"pitch"`` (:class:`sklaudio.Pitch`).
    n_gfcc : int, default=20
        Coefficients of ``"gfcc"`` (:class:`sklaudio.GFCC`, FFT-domain
        gammatone weighting; the time-domain IIR mode needs its own pass).
    gammatone_n_filters : int, default=64
        Gammatone channels of ``"gfcc"`` and ``"gammatone_spectrogram"``.
    gammatone_fmin : float, default=50.0
        Lowest gammatone centre frequency in Hz.
    gfcc_compression : {{"cubic", "log"}}, default="cubic"
        Loudness compression of ``"gfcc"``.
    n_bfcc, n_lfcc : int, default=20
        Coefficients of ``"bfcc"`` (:class:`sklaudio.BFCC`) and ``"lfcc"``
        (:class:`sklaudio.LFCC`), with their default filterbanks.
    cepstrum_qmax : int or None, default=None
        Highest quefrency (samples) of ``"cepstrum"`` (:class:`sklaudio.Cepstrum`).
    lpc_order : int, default=12
        Order of ``"lpc"`` and ``"lpcc"`` (:class:`sklaudio.LPC`,
        :class:`sklaudio.LPCC`), computed on frames of ``n_fft`` samples with
        this estimator's ``window``.
    n_lpcc : int, default=13
        Coefficients of ``"lpcc"``.

    Attributes
    ----------
    estimators_ : list of estimators
        The single-feature estimators whose frame computations are shared.
    feature_names_frame_ : list of str
        Names of the per-frame columns (before pooling).
    n_features_frame_ : int
    n_features_out_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from sklaudio import AudioFeatures
    >>> X = np.random.default_rng(0).standard_normal((2, 8000))
    >>> est = AudioFeatures(features=("mfcc", "spectral_centroid"), sample_rate=8000,
    ...                     n_fft=256, hop_length=80, n_mels=40, n_mfcc=13)
    >>> est.fit_transform(X).shape
    (2, 28)
    >>> est.get_feature_names_out()[[0, 13]].tolist()
    ['mfcc_0_mean', 'spectral_centroid_mean']
    """

    _parameter_constraints = combine(
        _composite_constraints(),
        features=[str, tuple, list],
    )

    def __init__(self, *, features=DEFAULT_FEATURES, sample_rate=22050, n_fft=2048,
                 hop_length=512, win_length=None, window="hann", center=True,
                 pad_mode="constant", n_mfcc=20, n_mels=128, fmin=0.0, fmax=None, htk=False,
                 mel_norm="slaney", dct_type=2, lifter=0, ref=1.0, top_db=80.0, n_chroma=12,
                 tuning=0.0, roll_percent=0.85, contrast_n_bands="auto", contrast_fmin=200.0,
                 flux_kind="onset", pitch_fmin=65.40639132514966, pitch_fmax=2093.004522404789,
                 n_gfcc=20, gammatone_n_filters=64, gammatone_fmin=50.0, gfcc_compression="cubic",
                 n_bfcc=20, n_lfcc=20, cepstrum_qmax=None, lpc_order=12, n_lpcc=13,
                 pooling=("mean", "std"), trajectory_length=32, dtype="float32", n_jobs=None,
                 norm=DEPRECATED):
        self.features = features
        self.sample_rate = sample_rate
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.window = window
        self.center = center
        self.pad_mode = pad_mode
        self.n_mfcc = n_mfcc
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.htk = htk
        self.mel_norm = mel_norm
        self.dct_type = dct_type
        self.lifter = lifter
        self.ref = ref
        self.top_db = top_db
        self.n_chroma = n_chroma
        self.tuning = tuning
        self.roll_percent = roll_percent
        self.contrast_n_bands = contrast_n_bands
        self.contrast_fmin = contrast_fmin
        self.flux_kind = flux_kind
        self.pitch_fmin = pitch_fmin
        self.pitch_fmax = pitch_fmax
        self.n_gfcc = n_gfcc
        self.gammatone_n_filters = gammatone_n_filters
        self.gammatone_fmin = gammatone_fmin
        self.gfcc_compression = gfcc_compression
        self.n_bfcc = n_bfcc
        self.n_lfcc = n_lfcc
        self.cepstrum_qmax = cepstrum_qmax
        self.lpc_order = lpc_order
        self.n_lpcc = n_lpcc
        self.pooling = pooling
        self.trajectory_length = trajectory_length
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.norm = norm

    @staticmethod
    def available_features() -> tuple[str, ...]:
        """Return the names accepted in ``features``.

        Returns
        -------
        tuple of str
            Feature names, in the order of the feature table.
        """
        return tuple(FEATURES)

    def _feature_list(self):
        return check_features(self.features)

    def _check_params(self):
        self._check_framing()
        # each sub-estimator validates its own parameters (errors name them)
        self.estimators_ = [_sub_estimator(self, f) for f in self._feature_list()]
        self.feature_names_frame_ = [n for e in self.estimators_ for n in e._frame_feature_names()]

    def _specs(self, dtype):
        """Every sub-estimator's specs, in feature order (ungrouped)."""
        return [s for e in self.estimators_ for s in e._specs(dtype)]

    def _grouped_specs(self, dtype):
        """Specs with the magnitude descriptors grouped, and how to split their outputs.

        Returns ``(specs, layout)``: ``layout[i]`` lists, for feature ``i``,
        ``(spec index, first column, n columns)`` blocks whose side-by-side
        concatenation is that feature's frame columns.
        """
        from .functional._spectral import descriptor_group_spec

        feats = self._feature_list()
        grouped = [_grouped_descriptor(f, e) for f, e in zip(feats, self.estimators_)]
        n_grouped = sum(g is not None for g in grouped)
        specs, layout = [], []
        group_index = None
        members = []
        for f, e, g in zip(feats, self.estimators_, grouped):
            if g is not None and n_grouped >= 2:
                if group_index is None:
                    group_index = len(specs)
                    specs.append(None)  # filled below, once all members are known
                layout.append([(group_index, len(members), 1)])
                members.append(g)
                continue
            blocks = []
            for s in e._specs(dtype):
                blocks.append((len(specs), 0, s.n_out))
                specs.append(s)
            layout.append(blocks)
        if group_index is not None:
            specs[group_index] = descriptor_group_spec(self.sample_rate, self.n_fft, dtype,
                                                       members)
        return specs, layout

    def _run_specs(self, batch):
        plan = self._plan(batch)
        specs, layout = self._grouped_specs(batch.samples.dtype)
        outs = run_features(batch, plan, specs, self.n_jobs)
        return self._assemble(outs, layout), plan.frame_offsets

    def _stream_setup(self, dtype):
        specs, layout = self._grouped_specs(dtype)
        return StreamSetup(framing=self._plan_params(), specs=specs,
                           assemble=lambda outs: self._assemble(outs, layout))

    @staticmethod
    def _assemble(outs, layout):
        """The specs' outputs as the features' column blocks, adjacent columns merged."""
        parts = []
        for blocks in layout:
            for i, a, n in blocks:
                last = parts[-1] if parts else None
                if last is not None and last[0] == i and last[1] + last[2] == a:
                    parts[-1] = (i, last[1], last[2] + n)  # adjacent columns: one block
                else:
                    parts.append((i, a, n))
        return [outs[i] if n == outs[i].shape[1] else outs[i][:, a:a + n]
                for i, a, n in parts]

    def _frame_feature_names(self):
        return list(self.feature_names_frame_)
