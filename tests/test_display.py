"""sklaudio.display: axes in seconds, Hz (linear, log, mel) and pitch classes (Agg backend)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sklaudio import filters  # noqa: E402
from sklaudio import functional as F  # noqa: E402
from sklaudio.display import (  # noqa: E402
    plot_chroma,
    plot_features,
    plot_melspectrogram,
    plot_spectrogram,
    specshow,
    waveshow,
)

SR = 8000
RNG = np.random.default_rng(0)
Y = (np.sin(2 * np.pi * 440 * np.arange(SR) / SR) + 0.1 * RNG.standard_normal(SR)).astype(
    np.float32)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _lim(get):
    return tuple(float(v) for v in get())


def test_importing_sklaudio_imports_neither_matplotlib_nor_dask():
    code = ("import sys, sklaudio, sklaudio.display, sklaudio.io, sklaudio.cli; "
            "bad = [m for m in ('matplotlib', 'distributed', 'dask') if m in sys.modules]; "
            "assert not bad, bad")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr


def test_missing_matplotlib_names_the_extra():
    code = ("import sys; sys.modules['matplotlib'] = None; "
            "import numpy as np; from sklaudio.display import specshow\n"
            "try:\n    specshow(np.zeros((3, 4)))\n"
            "except ImportError as e:\n    print(e)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert "sklaudio[display]" in res.stdout, res.stdout + res.stderr


def test_time_and_linear_frequency_axes(ax):
    S = F.spectrogram(Y, n_fft=256, hop_length=80)
    mesh = specshow(S, x_axis="time", y_axis="linear", sample_rate=SR, hop_length=80, ax=ax)
    assert mesh.axes is ax
    n = S.shape[1]
    # frame t centred at t * hop / sr seconds (center=True framing), as librosa draws it
    assert _lim(ax.get_xlim) == pytest.approx((-0.5 * 80 / SR, (n - 0.5) * 80 / SR))
    assert _lim(ax.get_ylim) == (0.0, SR / 2)
    assert ax.get_xlabel() == "Time (s)" and ax.get_ylabel() == "Frequency (Hz)"
    np.testing.assert_array_equal(mesh.get_array(), S)


def test_time_axis_matches_librosa_specshow(ax):
    librosa_display = pytest.importorskip("librosa.display")
    S = F.spectrogram(Y, n_fft=256, hop_length=80)
    specshow(S, x_axis="time", sample_rate=SR, hop_length=80, ax=ax)
    fig2, ax2 = plt.subplots()
    librosa_display.specshow(S, x_axis="time", sr=SR, hop_length=80, ax=ax2)
    assert _lim(ax.get_xlim) == pytest.approx(_lim(ax2.get_xlim))
    plt.close(fig2)


def test_log_axis(ax):
    S = F.spectrogram(Y, n_fft=256, hop_length=80)
    specshow(S, y_axis="log", x_axis="s", sample_rate=SR, hop_length=80, ax=ax)
    assert ax.get_yscale() == "symlog"
    assert _lim(ax.get_ylim) == (0.0, SR / 2)
    assert "Hz" in ax.get_ylabel()


@pytest.mark.parametrize("htk", [False, True])
def test_mel_axis_in_hz_with_mel_spaced_ticks(ax, htk):
    fmin, fmax, n_mels = 60.0, 3800.0, 40
    S = F.melspectrogram(Y, sample_rate=SR, n_fft=256, hop_length=80, n_mels=n_mels,
                         fmin=fmin, fmax=fmax, htk=htk)
    mesh = specshow(F.power_to_db(S), x_axis="time", y_axis="mel", sample_rate=SR,
                    hop_length=80, fmin=fmin, fmax=fmax, htk=htk, ax=ax)
    assert ax.get_yscale() == "function"
    # each band is centred (in mel) on its filter's centre frequency
    centres = filters.mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=htk)[1:-1]
    lo, hi = _lim(ax.get_ylim)
    m_lo, m_hi = filters.hz_to_mel(np.array([lo, hi]), htk=htk)
    step = (m_hi - m_lo) / n_mels
    np.testing.assert_allclose(filters.hz_to_mel(centres, htk=htk),
                               m_lo + step * (np.arange(n_mels) + 0.5), rtol=1e-9)
    assert fmin < lo < centres[0] < centres[-1] < hi < fmax
    # ticks: Hz values (two significant digits) evenly spaced in mel to within that rounding
    ticks = np.asarray(ax.get_yticks())
    assert len(ticks) >= 5 and np.all((ticks >= lo) & (ticks <= hi))
    gaps = np.diff(filters.hz_to_mel(ticks, htk=htk))
    assert gaps.max() / gaps.min() < 1.35
    # ...while they are far from evenly spaced in Hz
    assert np.diff(ticks).max() / np.diff(ticks).min() > 2
    fig = ax.figure
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{t:.0f}" for t in ticks]
    assert ax.get_ylabel() == "Frequency (Hz, mel scale)"
    assert mesh.get_array().shape == S.shape


def test_chroma_axis_in_pitch_classes(ax):
    C = F.chroma_stft(Y, sample_rate=SR, n_fft=512, hop_length=80, tuning=0.0)
    mesh = plot_chroma(Y, sample_rate=SR, n_fft=512, hop_length=80, ax=ax)
    np.testing.assert_array_equal(mesh.get_array(), C)
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    assert _lim(ax.get_ylim) == (-0.5, 11.5)
    assert ax.get_ylabel() == "Pitch class" and ax.get_xlabel() == "Time (s)"
    # the 440 Hz tone lights up A
    assert int(np.argmax(C.mean(axis=1))) == 9


def test_plot_spectrogram_and_melspectrogram_draw_db_relative_to_the_maximum(ax):
    mesh = plot_spectrogram(Y, sample_rate=SR, n_fft=256, hop_length=80, ax=ax)
    S = F.spectrogram(Y, n_fft=256, hop_length=80)
    np.testing.assert_allclose(mesh.get_array(), F.power_to_db(S, ref=float(S.max())),
                               rtol=1e-6, atol=1e-5)
    assert float(mesh.get_array().max()) == pytest.approx(0.0, abs=1e-5)
    assert _lim(ax.get_ylim) == (0.0, SR / 2)
    fig, ax2 = plt.subplots()
    mesh = plot_melspectrogram(Y, sample_rate=SR, n_fft=256, hop_length=80, n_mels=32,
                               fmax=3000, ax=ax2)
    assert mesh.get_array().shape == (32, 1 + SR // 80)
    assert _lim(ax2.get_ylim)[1] < 3000
    plt.close(fig)


def test_plot_features_curves_against_seconds(ax):
    c = F.spectral_centroid(Y, sample_rate=SR, n_fft=256, hop_length=80)
    r = F.spectral_rolloff(Y, sample_rate=SR, n_fft=256, hop_length=80)
    lines = plot_features(np.vstack([c, r]), feature_names=["centroid", "rolloff"],
                          sample_rate=SR, hop_length=80, ax=ax)
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_xdata(), np.arange(c.shape[1]) * 80 / SR)
    np.testing.assert_allclose(lines[1].get_ydata(), r[0])
    assert _lim(ax.get_xlim) == (0.0, (c.shape[1] - 1) * 80 / SR)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["centroid", "rolloff"]
    with pytest.raises(ValueError, match="names"):
        plot_features(c, feature_names=["a", "b"], ax=ax)


def test_waveshow_short_and_long(ax):
    line = waveshow(Y, sample_rate=SR, ax=ax)
    assert _lim(ax.get_xlim) == (0.0, 1.0) and len(line.get_xdata()) == SR
    fig, ax2 = plt.subplots()
    long = np.tile(Y, 30)
    band = waveshow(long, sample_rate=SR, max_points=2000, ax=ax2)
    assert _lim(ax2.get_xlim) == (0.0, 30.0)
    assert type(band).__name__ in ("PolyCollection", "FillBetweenPolyCollection")
    plt.close(fig)


def test_current_axes_and_image_when_ax_is_none():
    fig = plt.figure()
    mesh = specshow(np.ones((5, 7)), x_axis="frames")
    assert mesh.axes is plt.gca() and plt.gci() is mesh
    assert _lim(plt.gca().get_xlim) == (-0.5, 6.5)
    plt.close(fig)


def test_coordinates_and_errors(ax):
    mesh = specshow(np.ones((3, 4)), x_coords=np.arange(5.0), y_coords=[0, 1, 5, 9], ax=ax)
    assert _lim(ax.get_xlim) == (0.0, 4.0) and _lim(ax.get_ylim) == (0.0, 9.0)
    assert mesh.axes is ax
    with pytest.raises(ValueError, match="axis type"):
        specshow(np.ones((3, 4)), y_axis="bark", ax=ax)
    with pytest.raises(ValueError, match="n_fft"):
        specshow(np.ones((10, 4)), y_axis="linear", n_fft=256, ax=ax)
    with pytest.raises(ValueError, match="cell edges"):
        specshow(np.ones((3, 4)), x_coords=np.arange(4.0), ax=ax)
    with pytest.raises(ValueError, match="2-D"):
        specshow(np.ones(4), ax=ax)
    with pytest.raises(TypeError, match="Axes"):
        specshow(np.ones((3, 4)), ax="nope")
