"""Filterbanks and bases against their defining formulas (tests/naive/) and scipy."""

from __future__ import annotations

import naive
import numpy as np
import pytest
import scipy.fft
import scipy.signal

from sklaudio import filters


@pytest.mark.parametrize("htk", [False, True])
def test_mel_scale_matches_formula_and_inverts(htk):
    f = np.array([0.0, 100.0, 999.0, 1000.0, 1001.0, 4000.0, 11025.0, 24000.0])
    np.testing.assert_allclose(filters.hz_to_mel(f, htk=htk), naive.filters.hz_to_mel(f, htk), rtol=1e-12)
    np.testing.assert_allclose(filters.mel_to_hz(filters.hz_to_mel(f, htk=htk), htk=htk), f,
                               rtol=1e-12, atol=1e-9)
    assert np.isscalar(filters.hz_to_mel(440.0, htk=htk)) or filters.hz_to_mel(440.0).ndim == 0


@pytest.mark.parametrize("sr,n_fft,n_mels", [(8000, 256, 40), (22050, 2048, 128), (48000, 1024, 64)])
@pytest.mark.parametrize("htk", [False, True])
@pytest.mark.parametrize("norm", ["slaney", None])
def test_mel_filterbank_matches_triangle_definition(sr, n_fft, n_mels, htk, norm):
    W = filters.mel(sample_rate=sr, n_fft=n_fft, n_mels=n_mels, htk=htk, norm=norm, dtype=np.float64)
    ref = naive.filters.mel_filterbank(sr, n_fft, n_mels, htk=htk, norm=norm)
    assert W.shape == (n_mels, 1 + n_fft // 2)
    np.testing.assert_allclose(W, ref, rtol=1e-9, atol=1e-12 * np.abs(ref).max())
    assert (W >= 0).all()


def test_mel_filterbank_is_cached_but_returns_copies():
    a = filters.mel(sample_rate=8000, n_fft=256, n_mels=20)
    a[:] = -1
    b = filters.mel(sample_rate=8000, n_fft=256, n_mels=20)
    assert (b >= 0).all()


@pytest.mark.parametrize("kwargs,match", [
    (dict(sample_rate=-1), "sample_rate"),
    (dict(n_fft=1), "n_fft"),
    (dict(n_mels=0), "n_mels"),
    (dict(fmin=5000.0, fmax=4000.0), "fmin < fmax"),
    (dict(fmax=9000.0), "Nyquist"),
    (dict(norm="l2"), "norm"),
])
def test_mel_filterbank_rejects_impossible_parameters(kwargs, match):
    params = dict(sample_rate=8000, n_fft=256, n_mels=20) | kwargs
    with pytest.raises(ValueError, match=match):
        filters.mel(**params)


def test_mel_filterbank_warns_on_empty_filters():
    for _ in range(2):  # cached the second time, and still warns
        with pytest.warns(UserWarning, match="Empty filters"):
            filters.mel(sample_rate=8000, n_fft=64, n_mels=64)
        with pytest.warns(UserWarning, match="Empty filters"):
            filters.sparse_mel(sample_rate=8000, n_fft=64, n_mels=64)


def test_sparse_mel_equals_dense_mel():
    fb = filters.sparse_mel(sample_rate=16000, n_fft=512, n_mels=40, fmin=20.0, htk=True)
    W = filters.mel(sample_rate=16000, n_fft=512, n_mels=40, fmin=20.0, htk=True)
    np.testing.assert_array_equal(fb.to_dense(), W)


@pytest.mark.parametrize("dct_type", [1, 2, 3])
@pytest.mark.parametrize("norm", ["ortho", None])
def test_dct_basis_equals_scipy(dct_type, norm):
    x = np.random.default_rng(0).standard_normal((12, 5))
    C = filters.dct(12, 7, dct_type=dct_type, norm=norm)
    ref = scipy.fft.dct(x, type=dct_type, norm=norm, axis=0)[:7]
    np.testing.assert_allclose(C @ x, ref, rtol=1e-12, atol=1e-12)


def test_dct2_matches_defining_sum():
    x = np.random.default_rng(1).standard_normal((9, 3))
    np.testing.assert_allclose(filters.dct(9, 9) @ x, naive.cepstral.dct2_ortho(x), atol=1e-12)


def test_dct_rejects_bad_parameters():
    with pytest.raises(ValueError, match="dct_type"):
        filters.dct(10, 5, dct_type=4)
    with pytest.raises(ValueError, match=r"'n_out' parameter of dct must be an int in the range \[1, 10\]"):
        filters.dct(10, 11)


@pytest.mark.parametrize("window", ["hann", "hamming", ("kaiser", 4.0), "blackman"])
def test_window_is_periodic_scipy_window_centred(window):
    w = filters.get_window(window, 100, 128)
    ref = scipy.signal.get_window(window, 100, fftbins=True)
    np.testing.assert_allclose(w[14:114], ref, rtol=1e-12)
    assert (w[:14] == 0).all() and (w[114:] == 0).all()
    np.testing.assert_allclose(filters.get_window("hann", 16), naive.stft.hann_periodic(16), atol=1e-15)


def test_window_errors():
    with pytest.raises(ValueError, match="Unknown window"):
        filters.get_window("no-such-window", 16)
    with pytest.raises(ValueError, match="shape"):
        filters.get_window(np.ones(5), 16)
    with pytest.raises(ValueError, match="win_length"):
        filters.get_window("hann", 32, 16)


def test_sparse_filterbank_round_trip():
    W = filters.mel(sample_rate=16000, n_fft=512, n_mels=40)
    fb = filters.SparseFilterbank.from_dense(W)
    np.testing.assert_array_equal(fb.to_dense(), W)
    assert fb.weights.size < W.size / 5  # the point of being sparse


# -- package layout: sklaudio.filters is a package of family modules without an import circle ---
PUBLIC_FILTERS = [
    "SparseFilterbank", "bark", "bark_frequencies", "bark_to_hz", "chroma", "chroma_names", "dct",
    "erb_bandwidth", "erb_frequencies", "erb_to_hz", "fft_frequencies", "gammatone",
    "gammatone_iir_coefficients", "get_window", "hz_to_bark", "hz_to_erb", "hz_to_mel", "linear",
    "mel", "mel_frequencies", "mel_to_hz", "sparse_bark", "sparse_gammatone", "sparse_linear",
    "sparse_mel",
]
FAMILY_MODULES = ["_auditory", "_chroma", "_common", "_dct", "_mel", "_windows"]

# Run in a fresh interpreter with `sklaudio` and `sklaudio.filters` stubbed as empty packages, so
# neither __init__ runs: the module must import on its own, pulling in at most `_common`.
_ISOLATED_IMPORT = """
import importlib, pathlib, sys, types
root = pathlib.Path(sys.argv[1])
for name, path in (("sklaudio", root), ("sklaudio.filters", root / "filters")):
    stub = types.ModuleType(name)
    stub.__path__ = [str(path)]
    sys.modules[name] = stub
mod = importlib.import_module("sklaudio.filters." + sys.argv[2])
loaded = sorted(k for k in sys.modules if k.startswith("sklaudio"))
print(" ".join(loaded))
"""


def test_filters_family_modules_are_exactly_the_expected_ones():
    import pkgutil

    assert sorted(m.name for m in pkgutil.iter_modules(filters.__path__)) == FAMILY_MODULES


@pytest.mark.parametrize("name", FAMILY_MODULES)
def test_filters_family_module_imports_alone_without_the_package(name):
    import pathlib
    import subprocess
    import sys

    import sklaudio

    root = pathlib.Path(sklaudio.__file__).parent
    res = subprocess.run([sys.executable, "-c", _ISOLATED_IMPORT, str(root), name],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    loaded = set(res.stdout.split())
    allowed = {"sklaudio", "sklaudio.filters", "sklaudio.filters._common", f"sklaudio.filters.{name}",
               "sklaudio._docstrings",  # a leaf module (imports only the stdlib)
               # the one validation module, and the pad-mode constants it reads
               "sklaudio._params", "sklaudio._kernels", "sklaudio._kernels._jit",
               "sklaudio._kernels.stft"}
    assert loaded <= allowed, f"{name} imports {sorted(loaded - allowed)}"


def test_filters_public_api():
    assert filters.__all__ == PUBLIC_FILTERS
    assert filters.__doc__
    public = {n for n in vars(filters) if not n.startswith("_")}
    assert public == set(PUBLIC_FILTERS), sorted(public ^ set(PUBLIC_FILTERS))
    for n in PUBLIC_FILTERS:
        obj = getattr(filters, n)
        assert obj.__module__.startswith("sklaudio.filters._"), (n, obj.__module__)
