"""MFCC/MelSpectrogram options beyond the foundation: ref="max" (per-clip level normalisation)."""

from __future__ import annotations

import librosa
import numpy as np
import pytest

from sklaudio import MFCC, MelSpectrogram


def test_ref_max_equals_librosa_power_to_db_ref_max(fsdd_sample):
    kw = dict(n_fft=256, hop_length=80, n_mels=40)
    est = MFCC(sample_rate=8000, ref="max", dtype="float64", **kw).fit(fsdd_sample)
    for x, fr in zip(fsdd_sample[:8], est.transform_frames(fsdd_sample[:8])):
        S = librosa.feature.melspectrogram(y=x.astype(np.float64), sr=8000, **kw)
        ref = librosa.feature.mfcc(S=librosa.power_to_db(S, ref=np.max), n_mfcc=20)
        np.testing.assert_allclose(fr, ref, rtol=1e-6, atol=1e-6 * np.abs(ref).max())


def test_ref_max_makes_features_level_invariant(fsdd_sample):
    x = fsdd_sample[3]
    # top_db=60 keeps every kept value far above the amin floor (-100 dB) at both levels
    est = MelSpectrogram(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40, ref="max",
                         top_db=60.0, dtype="float64").fit([x])
    a, b = est.transform([x, 0.25 * x])
    np.testing.assert_allclose(a, b, atol=1e-6)
    lvl = MelSpectrogram(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40,
                         dtype="float64").fit([x]).transform([x, 0.25 * x])
    assert np.abs(lvl[0] - lvl[1]).max() > 10  # the default ref=1.0 keeps the level (dB)


@pytest.mark.parametrize("ref", [0.0, -1.0, "min", np.inf])
def test_bad_ref_raises(ref):
    with pytest.raises(ValueError, match="ref"):
        MFCC(ref=ref).fit(np.zeros((1, 100)))


@pytest.mark.parametrize("cls", [MFCC, MelSpectrogram])
def test_norm_is_a_deprecated_alias_of_mel_norm(cls):
    X = np.random.default_rng(4).standard_normal((2, 4000))
    kw = dict(sample_rate=8000, n_fft=256, hop_length=80, n_mels=32)
    with pytest.warns(FutureWarning, match="'norm' was renamed 'mel_norm'"):
        old = cls(**kw, norm=None).fit_transform(X)
    np.testing.assert_array_equal(old, cls(**kw, mel_norm=None).fit_transform(X))
    assert not np.array_equal(old, cls(**kw).fit_transform(X))
