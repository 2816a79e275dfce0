"""The Numba policy: lazy compilation, safe fastmath flags, cache fallback."""

from __future__ import annotations

import subprocess
import sys

import numba
import numpy as np

from sklaudio._kernels import _jit


def test_fastmath_keeps_nan_and_inf_visible():
    assert "nnan" not in _jit.FASTMATH and "ninf" not in _jit.FASTMATH

    @_jit.jit(cache=False)
    def total(x):
        s = 0.0
        for v in x:
            s += v
        return s

    assert np.isnan(total(np.array([1.0, np.nan])))
    assert np.isinf(total(np.array([1.0, np.inf])))


def test_falls_back_to_no_cache_when_no_cache_dir_is_writable(monkeypatch):
    real = numba.njit
    calls = []

    def njit(*args, cache=False, **kwargs):
        calls.append(cache)
        if cache:
            raise RuntimeError("cannot cache function 'f': no locator available for file")
        return real(*args, cache=cache, **kwargs)

    monkeypatch.setattr(_jit.numba, "njit", njit)

    @_jit.jit
    def f(x):
        return x + 1

    assert f(1) == 2
    assert calls == [True, False]


def test_import_compiles_nothing():
    code = ("import numba.core.registry as r, sklaudio, sklaudio.functional;"
            "from sklaudio._kernels import spectral;"
            "print(len(spectral.power_filterbank.signatures))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
