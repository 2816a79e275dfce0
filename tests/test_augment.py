"""sklaudio.augment: the transforms, reproducibility, and augmentation in fit only."""

from __future__ import annotations

import inspect
import subprocess
import sys

import numpy as np
import pytest
from numpydoc.docscrape import ClassDoc
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio import MFCC
from sklaudio._params import InvalidParameterError, validate_parameter_constraints
from sklaudio.augment import (
    AddNoise,
    AugmentedClassifier,
    AugmentSampler,
    Compose,
    Gain,
    MixBackground,
    PitchShift,
    TimeShift,
    TimeStretch,
    augment_clips,
)

SR = 8000
CLASSES = [TimeShift, TimeStretch, PitchShift, AddNoise, Gain, MixBackground, Compose,
           AugmentSampler, AugmentedClassifier]
ESTIMATORS = [AugmentedClassifier(LogisticRegression(), Gain(), n_copies=1, random_state=0),
              AugmentedClassifier(LogisticRegression(), AddNoise(20, 40), n_copies=2,
                                  random_state=0)]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check):
    # No expected failures: with same-length copies the wrapped estimator sees a 2-D array,
    # and predict delegates to it, so it checks n_features_in_ itself.
    check(estimator)


def _tone(f, n=SR, sr=SR):
    return np.sin(2 * np.pi * f * np.arange(n) / sr).astype(np.float32)


def _peak_hz(x, sr=SR):
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return np.argmax(spec) * sr / len(x)


# -- the transforms -------------------------------------------------------------------------------
def test_time_shift_circular_and_zero_filled():
    x = np.arange(1.0, 101.0)
    for seed in range(5):
        y = TimeShift(0.3).augment(x, sample_rate=SR, random_state=seed)
        k = int(np.argmax(y == 1.0))
        np.testing.assert_array_equal(y, np.roll(x, k))
        assert min(k, 100 - k) <= 30
        z = TimeShift(0.3, mode="zeros").augment(x, sample_rate=SR, random_state=seed)
        assert len(z) == 100
        nz = z[z != 0]
        # a contiguous run of the original samples, the rest zeros
        assert np.all(np.diff(nz) == 1) and (nz[0] == 1 or nz[-1] == 100)
        assert 70 <= len(nz) <= 100
    np.testing.assert_array_equal(TimeShift(0.0).augment(x, sample_rate=SR), x)


def test_noise_gain_and_background_levels():
    x = _tone(440).astype(np.float64)
    rng = np.random.default_rng(0)
    snrs = []
    for seed in range(20):
        y = AddNoise(5, 25).augment(x, sample_rate=SR, random_state=seed)
        snrs.append(10 * np.log10(np.mean(x ** 2) / np.mean((y - x) ** 2)))
    assert 5 - 0.3 <= min(snrs) and max(snrs) <= 25 + 0.3 and np.ptp(snrs) > 5
    g = Gain(-12, -12).augment(x, sample_rate=SR)
    np.testing.assert_allclose(g, x * 10 ** (-12 / 20))
    bg = rng.standard_normal(3000) * 7.0  # shorter than the clip: tiled
    m = MixBackground([bg], min_snr_db=10, max_snr_db=10).augment(x, sample_rate=SR,
                                                                  random_state=1)
    assert 10 * np.log10(np.mean(x ** 2) / np.mean((m - x) ** 2)) == pytest.approx(10, abs=1e-6)
    silent = np.zeros(100)
    for aug in (AddNoise(), MixBackground([bg])):
        np.testing.assert_array_equal(aug.augment(silent, sample_rate=SR, random_state=0), 0)


def test_probability_p_and_input_untouched():
    x = np.ones(50)
    outs = [Gain(6, 6, p=0.5).augment(x, sample_rate=SR, random_state=s)[0] for s in range(200)]
    changed = np.mean(np.isclose(outs, 10 ** (6 / 20)))
    assert 0.35 < changed < 0.65 and set(np.round(outs, 6)) == {1.0, round(10 ** 0.3, 6)}
    assert np.all(x == 1) and Gain(p=0.0).augment(x, sample_rate=SR) is not x


def test_time_stretch_changes_length_and_keeps_pitch():
    pytest.importorskip("audiomentations")
    x = _tone(500)
    y = TimeStretch(1.6, 1.6).augment(x, sample_rate=SR)
    assert y.dtype == np.float32
    assert len(y) == pytest.approx(SR / 1.6, rel=0.02)
    assert _peak_hz(y) == pytest.approx(500, abs=15)
    z = TimeStretch(0.5, 0.5, keep_length=True).augment(x, sample_rate=SR)
    assert len(z) == SR


def test_pitch_shift_moves_the_frequency_and_keeps_length():
    pytest.importorskip("audiomentations")
    x = _tone(500)
    y = PitchShift(12, 12).augment(x, sample_rate=SR)
    assert len(y) == len(x)
    assert _peak_hz(y) == pytest.approx(1000, abs=20)
    y = PitchShift(-5, -5).augment(x, sample_rate=SR)
    assert _peak_hz(y) == pytest.approx(500 * 2 ** (-5 / 12), abs=15)


def test_augmenters_are_reproducible_with_random_state():
    pytest.importorskip("audiomentations")
    chain = Compose([TimeShift(0.2), TimeStretch(), PitchShift(), AddNoise(), Gain(),
                     MixBackground([np.random.default_rng(1).standard_normal(9000)])])
    clips = [_tone(300, 4000), _tone(700, 6000)]
    a, _, _ = augment_clips(clips, augmenter=chain, n_copies=2, sample_rate=SR, random_state=7)
    b, _, _ = augment_clips(clips, augmenter=chain, n_copies=2, sample_rate=SR, random_state=7)
    c, _, _ = augment_clips(clips, augmenter=chain, n_copies=2, sample_rate=SR, random_state=8)
    assert len(a) == 6
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert any(len(u) != len(w) or not np.array_equal(u, w) for u, w in zip(a[2:], c[2:]))
    np.testing.assert_array_equal(a[0], clips[0])  # originals first, unchanged


def test_invalid_parameters_are_named():
    with pytest.raises(InvalidParameterError, match=r"^The 'min_snr_db' parameter of AddNoise"):
        AddNoise(30, 10).augment(np.ones(10), sample_rate=SR)
    with pytest.raises(InvalidParameterError, match=r"^The 'max_shift' parameter of TimeShift"):
        TimeShift(1.5).augment(np.ones(10), sample_rate=SR)
    with pytest.raises(InvalidParameterError, match=r"^The 'min_rate' parameter of TimeStretch"):
        TimeStretch(0.01).augment(np.ones(10), sample_rate=SR)
    with pytest.raises(InvalidParameterError, match=r"^The 'backgrounds' parameter of MixBack"):
        MixBackground([]).augment(np.ones(10), sample_rate=SR)
    with pytest.raises(InvalidParameterError, match=r"^The 'n_copies' parameter of AugmentSampler"):
        AugmentSampler(n_copies=-1).fit_resample([np.ones(10)], [0])
    with pytest.raises(InvalidParameterError, match=r"'augmenter' parameter of AugmentedClass"):
        AugmentedClassifier(augmenter=Gain).fit([np.ones(10)], [0])
    with pytest.raises(InvalidParameterError, match=r"'random_state' parameter of AugmentSampler"):
        AugmentSampler(random_state="seed").fit_resample([np.ones(10)], [0])


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_signature_constraints_and_documented_parameters_are_one_set(cls):
    signature = set(inspect.signature(cls).parameters)
    documented = {name.strip() for p in ClassDoc(cls)["Parameters"] for name in p.name.split(",")}
    assert set(cls._parameter_constraints) == signature == documented
    defaults = {k: p.default for k, p in inspect.signature(cls).parameters.items()
                if p.default is not inspect.Parameter.empty}
    validate_parameter_constraints(cls._parameter_constraints, defaults, cls.__name__)


# -- in fit only -----------------------------------------------------------------------------------
class Probe(ClassifierMixin, BaseEstimator):
    """Records every batch of clips it is given, by method."""

    def fit(self, X, y, sample_weight=None):
        self.seen_ = {"fit": [np.asarray(x).copy() for x in X]}
        self.y_fit_ = np.asarray(y)
        self.sample_weight_ = sample_weight
        self.classes_ = np.unique(y)
        return self

    def _record(self, method, X):
        self.seen_.setdefault(method, []).append([np.asarray(x).copy() for x in X])

    def predict(self, X):
        self._record("predict", X)
        return np.full(len(X), self.classes_[0])

    def predict_proba(self, X):
        self._record("predict_proba", X)
        return np.tile([1.0] + [0.0] * (len(self.classes_) - 1), (len(X), 1))


def _same(batch, clips):
    return len(batch) == len(clips) and all(np.array_equal(a, b) for a, b in zip(batch, clips))


def test_augmented_classifier_augments_in_fit_only():
    rng = np.random.default_rng(0)
    X = [rng.standard_normal(n) for n in (400, 500, 600)]
    clf = AugmentedClassifier(Probe(), Gain(-6, 6), n_copies=3, sample_rate=SR, random_state=0)
    clf.fit(X, [0, 1, 0], sample_weight=[1.0, 2.0, 3.0])
    probe = clf.estimator_
    assert len(probe.seen_["fit"]) == 12 and clf.n_train_ == 12
    assert _same(probe.seen_["fit"][:3], X)  # originals kept
    assert not any(np.allclose(a, b) for a, b in zip(probe.seen_["fit"][3:6], X))
    assert probe.y_fit_.tolist() == [0, 1, 0] * 4
    assert list(probe.sample_weight_) == [1.0, 2.0, 3.0] * 4
    clf.predict(X)
    clf.predict_proba(X)
    clf.score(X, [0, 1, 0])
    assert len(probe.seen_["predict"]) == 2 and len(probe.seen_["predict_proba"]) == 1
    for batch in probe.seen_["predict"] + probe.seen_["predict_proba"]:
        assert _same(batch, X)  # never augmented
    # reproducible fits
    again = clone(clf).fit(X, [0, 1, 0]).estimator_.seen_["fit"]
    assert _same(again, probe.seen_["fit"])


def test_sampler_in_an_imblearn_pipeline_augments_in_fit_only():
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    rng = np.random.default_rng(0)
    X = [rng.standard_normal(n) for n in (400, 500, 600, 700)]
    y = [0, 1, 0, 1]
    pipe = imblearn_pipeline.Pipeline([
        ("augment", AugmentSampler(TimeShift(0.5), n_copies=2, sample_rate=SR, random_state=0)),
        ("probe", Probe())])
    pipe.fit(X, y)
    probe = pipe.named_steps["probe"]
    assert len(probe.seen_["fit"]) == 12 and _same(probe.seen_["fit"][:4], X)
    pipe.predict(X)
    pipe.predict_proba(X)
    pipe.score(X, y)
    for batch in probe.seen_["predict"] + probe.seen_["predict_proba"]:
        assert _same(batch, X)


def test_cross_validation_augments_only_the_training_folds():
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    rng = np.random.default_rng(0)
    X = [rng.standard_normal(300 + 10 * i) for i in range(12)]
    y = np.arange(12) % 2
    groups = np.arange(12) // 2  # 6 "speakers"
    seen = []

    class Recorder(Probe):
        def fit(self, X, y, sample_weight=None):
            seen.append(("fit", [len(x) for x in X]))
            return super().fit(X, y)

        def predict(self, X):
            seen.append(("predict", [len(x) for x in X]))
            return super().predict(X)

    for est in (imblearn_pipeline.Pipeline([("a", AugmentSampler(Gain(), n_copies=1,
                                                                 random_state=0)),
                                            ("p", Recorder())]),
                AugmentedClassifier(Recorder(), Gain(), n_copies=1, random_state=0)):
        seen.clear()
        cross_val_score(est, X, y, groups=groups, cv=GroupKFold(3))
        fits = [lengths for kind, lengths in seen if kind == "fit"]
        preds = [lengths for kind, lengths in seen if kind == "predict"]
        assert len(fits) == 3 and all(len(f) == 16 for f in fits)  # 8 training clips x 2
        assert len(preds) == 3 and all(len(p) == 4 for p in preds)  # 4 test clips, as given
        for f, p in zip(fits, preds):
            assert not set(f) & set(p)  # no test clip is ever trained on (lengths are ids)


def test_augmentation_helps_a_level_sensitive_pipeline():
    """Gain augmentation teaches level invariance to features that depend on the level."""
    rng = np.random.default_rng(0)
    t = np.arange(SR // 2) / SR

    def clip(f, level):
        return (level * (np.sin(2 * np.pi * f * t) + 0.05 * rng.standard_normal(len(t))))

    # training: class 0 (300 Hz) is quiet, class 1 (600 Hz) is loud; at test the levels swap.
    # With two MFCCs the level (c0) is the strongest cue, and a wrong one at test time.
    Xtr = [clip(300 + 5 * i, 0.05) for i in range(10)] + [clip(600 + 5 * i, 1.0)
                                                          for i in range(10)]
    ytr = [0] * 10 + [1] * 10
    Xte = [clip(302 + 5 * i, 1.0) for i in range(10)] + [clip(602 + 5 * i, 0.05)
                                                         for i in range(10)]
    yte = np.array([0] * 10 + [1] * 10)
    mfcc = MFCC(sample_rate=SR, n_fft=256, hop_length=80, n_mels=40, n_mfcc=2)
    plain = make_pipeline(clone(mfcc), StandardScaler(), LogisticRegression(C=0.1))
    aug = AugmentedClassifier(clone(plain), Gain(-30, 30), n_copies=4, sample_rate=SR,
                              random_state=0)
    acc_plain = plain.fit(Xtr, ytr).score(Xte, yte)
    acc_aug = aug.fit(Xtr, ytr).score(Xte, yte)
    assert acc_plain <= 0.9 and acc_aug == 1.0, (acc_plain, acc_aug)  # 0.85 and 1.0 here


def test_importing_sklaudio_and_augment_imports_no_optional_library():
    code = ("import sys, sklaudio, sklaudio.augment; "
            "bad = [m for m in ('audiomentations', 'imblearn', 'torch', 'skorch', 'matplotlib', "
            "'dask', 'librosa') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
