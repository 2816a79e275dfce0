"""
Spectrogram, mel spectrogram and chroma of a spoken digit
=========================================================

:mod:`sklaudio.display` draws a spectrogram-like matrix with its axes in
physical units: time in seconds, frequency in Hz (linear, or on the mel scale
with ticks evenly spaced in mel and labelled in Hz) and chroma in pitch
classes. The ``plot_*`` helpers compute the matrix with
:mod:`sklaudio.functional` and draw it; :func:`~sklaudio.display.specshow`
draws any matrix you computed yourself.
"""

import matplotlib.pyplot as plt

from sklaudio import functional as F
from sklaudio.datasets import fetch_fsdd
from sklaudio.display import plot_chroma, plot_melspectrogram, plot_spectrogram, waveshow

fsdd = fetch_fsdd()
i = next(k for k, f in enumerate(fsdd.filenames) if f.endswith("7_jackson_32.wav"))
y, sr = fsdd.data[i], fsdd.sample_rate
print(f"'{fsdd.target[i]}' spoken by {fsdd.speaker[i]}: {len(y)} samples at {sr} Hz")

fig, axes = plt.subplots(4, 1, figsize=(7, 10), sharex=True, layout="constrained")
waveshow(y, sample_rate=sr, ax=axes[0])
axes[0].set(title="Waveform", ylabel="Amplitude")
img = plot_spectrogram(y, sample_rate=sr, n_fft=256, hop_length=64, ax=axes[1])
axes[1].set(title="Power spectrogram")
fig.colorbar(img, ax=axes[1], format="%+.0f dB")
img = plot_melspectrogram(y, sample_rate=sr, n_fft=256, hop_length=64, n_mels=40, ax=axes[2])
axes[2].set(title="Mel spectrogram (40 bands)")
fig.colorbar(img, ax=axes[2], format="%+.0f dB")
img = plot_chroma(y, sample_rate=sr, n_fft=1024, hop_length=64, ax=axes[3])
axes[3].set(title="Chroma")
fig.colorbar(img, ax=axes[3])
for ax in axes[:-1]:
    ax.set_xlabel("")

# %%
# The same mel spectrogram from :func:`sklaudio.functional.melspectrogram`,
# drawn with :func:`~sklaudio.display.specshow` on a logarithmic colour scale of
# our own choice. ``fmin``/``fmax`` must be those of the filterbank, so that
# each band sits at its filter's centre frequency.
from sklaudio.display import specshow  # noqa: E402

M = F.melspectrogram(y, sample_rate=sr, n_fft=256, hop_length=64, n_mels=40, fmin=100,
                     fmax=3800)
fig, ax = plt.subplots(figsize=(7, 3), layout="constrained")
img = specshow(F.power_to_db(M, ref=M.max()), x_axis="time", y_axis="mel", sample_rate=sr,
               hop_length=64, fmin=100, fmax=3800, ax=ax, cmap="viridis")
ax.set_title("Mel spectrogram, 100-3800 Hz")
fig.colorbar(img, ax=ax, format="%+.0f dB")
plt.show()
