"""Cepstra and the gammatone spectrogram accept a precomputed ``S``, like ``mfcc``."""

from __future__ import annotations

import numpy as np
import pytest

import sklaudio.filters as FL
import sklaudio.functional as F
from sklaudio._params import InvalidParameterError

SR = 8000
KW = dict(n_fft=512, hop_length=128)


@pytest.fixture(scope="module")
def clips():
    rng = np.random.default_rng(3)
    t = np.arange(SR) / SR
    tone = np.sin(2 * np.pi * 440 * t) * np.linspace(0.1, 1, SR)
    return np.stack([tone, rng.standard_normal(SR) * 0.3])


@pytest.mark.parametrize("compression", ["log", "cubic", None])
@pytest.mark.parametrize("ref", [1.0, "max"])
def test_gammatone_spectrogram_of_power_spectrogram_equals_audio_path(clips, compression, ref):
    P = F.spectrogram(clips, **KW)
    a = F.gammatone_spectrogram(clips, sample_rate=SR, n_filters=40, compression=compression,
                                ref=ref, top_db=60.0, **KW)
    b = F.gammatone_spectrogram(S=P, sample_rate=SR, n_filters=40, compression=compression,
                                ref=ref, top_db=60.0)
    assert b.shape == a.shape == (2, 40, P.shape[-1])
    np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-10 * np.abs(a).max())


def test_gammatone_spectrogram_S_refuses_the_iir_mode(clips):
    with pytest.raises(InvalidParameterError, match="filterbank.*precomputed S"):
        F.gammatone_spectrogram(S=F.spectrogram(clips[0], **KW), filterbank="iir")


def test_gfcc_of_gammatone_bands_equals_audio_path(clips):
    G = F.gammatone_spectrogram(clips, sample_rate=SR, n_filters=48, compression="cubic", **KW)
    a = F.gfcc(clips, sample_rate=SR, n_filters=48, n_gfcc=16, lifter=12, **KW)
    b = F.gfcc(S=G, n_gfcc=16, lifter=12)
    np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-10 * np.abs(a).max())


@pytest.mark.parametrize("name,builder", [("bfcc", FL.bark), ("lfcc", FL.linear)])
def test_triangular_cepstra_of_log_bands_equal_audio_path(clips, name, builder):
    y = clips[0]
    W = builder(sample_rate=SR, n_fft=512, n_filters=32, dtype=np.float64)
    bands = F.power_to_db(W @ F.spectrogram(y, **KW), ref=1.0, top_db=80.0)
    func = getattr(F, name)
    a = func(y, sample_rate=SR, n_filters=32, **{f"n_{name}": 13}, dct_type=2, **KW)
    b = func(S=bands, **{f"n_{name}": 13})
    np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-9 * np.abs(a).max())


@pytest.mark.parametrize("name", ["mfcc", "gfcc", "bfcc", "lfcc"])
def test_S_errors_name_the_parameter(name):
    func = getattr(F, name)
    S = np.zeros((10, 5))
    with pytest.raises(InvalidParameterError, match=f"n_{name}"):
        func(S=S, **{f"n_{name}": 11})
    S[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        func(S=S, **{f"n_{name}": 4})


@pytest.mark.parametrize("name", ["gfcc", "bfcc", "lfcc", "gammatone_spectrogram"])
def test_neither_y_nor_S_is_a_clear_error(name):
    with pytest.raises(ValueError, match="y is required"):
        getattr(F, name)()
