"""The fused magnitude-descriptor pass equals the separate descriptor kernels.

``descriptor_group_spec`` (one pass for centroid, bandwidth, roll-off and
flatness, used by ``AudioFeatures``) is compared with each descriptor's own
spec on real FSDD clips and on random spectra with silent and quiet frames.
float32 output must be identical; float64 output may differ by the order of
float64 sums (a few ulp; bandwidth's one-pass formula amplifies it on
near-pure tones, hence its own relative bound).
"""

from __future__ import annotations

import numpy as np
import pytest

from sklaudio import AudioFeatures
from sklaudio.functional import spectrogram
from sklaudio.functional._core import _frame_feature
from sklaudio.functional._spectral import (
    bandwidth_spec,
    centroid_spec,
    descriptor_group_spec,
    flatness_spec,
    rolloff_spec,
)

ALL = (("centroid", {}), ("bandwidth", {"norm": True, "p": 2.0}),
       ("rolloff", {"roll_percent": 0.85}), ("flatness", {"amin": 1e-10, "power": 2.0}))


def _separate(S, name, params, sr, n_fft, dtype):
    if name == "centroid":
        spec = centroid_spec(sr, n_fft, dtype)
    elif name == "bandwidth":
        spec = bandwidth_spec(sr, n_fft, dtype, **params)
    elif name == "rolloff":
        spec = rolloff_spec(sr, n_fft, dtype, **params)
    else:
        spec = flatness_spec(sr, n_fft, dtype, **params)
    return _frame_feature(None, S, [spec])[0]


def _check(S, sr, descriptors):
    dtype = S.dtype
    n_fft = 2 * (S.shape[-2] - 1)
    fused = _frame_feature(None, S, [descriptor_group_spec(sr, n_fft, dtype, descriptors)])[0]
    assert fused.shape[-2] == len(descriptors)
    for j, (name, params) in enumerate(descriptors):
        ref = _separate(S, name, params, sr, n_fft, dtype)[..., 0, :]
        got = fused[..., j, :]
        assert got.dtype == ref.dtype
        if dtype == np.float32:
            np.testing.assert_array_equal(got, ref, err_msg=name)
        else:
            rtol = 1e-9 if name == "bandwidth" else 4 * np.finfo(np.float64).eps
            np.testing.assert_allclose(got, ref, rtol=rtol, atol=0, err_msg=name)


def _random_spectra(dtype, n_bins=257, n_frames=64):
    rng = np.random.default_rng(1)
    S = rng.random((n_bins, n_frames)) ** 3
    S[:, 3] = 0.0  # silence
    S[:, 5] *= 1e-20  # very quiet
    S[:, 7] = 0.0
    S[40, 7] = 1.0  # a single bin (pure tone)
    S[:, 9] = 1.0  # flat
    return S.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_bins", [129, 257, 1025])
def test_fused_equals_separate_on_random_spectra(dtype, n_bins):
    _check(_random_spectra(dtype, n_bins), 22050, ALL)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_equals_separate_on_fsdd(fsdd_sample, dtype):
    for y in fsdd_sample[:20]:
        S = spectrogram(np.asarray(y, dtype=dtype), n_fft=256, hop_length=80, power=1.0)
        _check(S, 8000, ALL)


@pytest.mark.parametrize("subset", [ALL[:2], ALL[2:], (ALL[3], ALL[0]), (ALL[2],),
                                    (("bandwidth", {"norm": False}), ("flatness",
                                                                      {"power": 1.0}))])
def test_any_subset_and_order(subset):
    _check(_random_spectra(np.float32), 8000, subset)
    _check(_random_spectra(np.float64), 8000, subset)


def test_invalid_groups_raise():
    with pytest.raises(ValueError, match="unknown descriptor"):
        descriptor_group_spec(8000, 256, np.float32, [("contrast", {})])
    with pytest.raises(ValueError, match="twice"):
        descriptor_group_spec(8000, 256, np.float32, [ALL[0], ALL[0]])
    with pytest.raises(ValueError, match="p=2 only"):
        descriptor_group_spec(8000, 256, np.float32, [("bandwidth", {"p": 1.0})])
    with pytest.raises(ValueError, match="roll_percent"):
        descriptor_group_spec(8000, 256, np.float32, [("rolloff", {"roll_percent": 1.5})])
    with pytest.raises(ValueError, match="takes parameters"):
        descriptor_group_spec(8000, 256, np.float32, [("centroid", {"norm": True})])


def test_audiofeatures_groups_scattered_descriptors(fsdd_sample):
    """Grouped descriptors between other features keep their columns and values."""
    feats = ("spectral_flatness", "mfcc", "spectral_centroid", "spectral_contrast",
             "spectral_bandwidth")
    kw = dict(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40, n_mfcc=13,
              contrast_n_bands=4)
    est = AudioFeatures(features=feats, **kw).fit(fsdd_sample)
    specs, layout = est._grouped_specs(np.dtype(np.float32))
    assert len(specs) == 3  # mfcc, the group, contrast
    Z = est.transform(fsdd_sample)
    names = list(est.get_feature_names_out())
    for f in feats:
        ref = AudioFeatures(features=(f,), **kw).fit(fsdd_sample)
        cols = [names.index(n) for n in ref.get_feature_names_out()]
        np.testing.assert_array_equal(Z[:, cols], ref.transform(fsdd_sample), err_msg=f)
    frames = est.transform_frames(fsdd_sample[:3])
    assert frames[0].shape[0] == len(est.feature_names_frame_)
