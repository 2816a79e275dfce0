"""
Frame features of one clip and their pooled summary
===================================================

Every sklaudio estimator computes features per frame and pools them per clip
(``pooling``, default mean and standard deviation). ``transform_frames``
returns the frames themselves, in librosa's orientation ``(n_features,
n_frames)``; :func:`sklaudio.display.plot_features` draws them against time.
:class:`~sklaudio.AudioFeatures` computes many features from one STFT pass.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklaudio import AudioFeatures
from sklaudio.datasets import fetch_fsdd
from sklaudio.display import plot_features

fsdd = fetch_fsdd()
y, sr = fsdd.data[1500], fsdd.sample_rate

est = AudioFeatures(features=("spectral_centroid", "spectral_bandwidth", "spectral_rolloff",
                              "rms", "zero_crossing_rate"),
                    sample_rate=sr, n_fft=256, hop_length=80).fit([y])
frames = est.transform_frames([y])[0]
names = est.feature_names_frame_
print(frames.shape, names)

fig, axes = plt.subplots(3, 1, figsize=(7, 8), sharex=True, layout="constrained")
plot_features(frames[:3], feature_names=names[:3], sample_rate=sr, hop_length=80, ax=axes[0])
axes[0].set(title=f"Spectral shape of '{fsdd.target[1500]}' ({fsdd.speaker[1500]})",
            ylabel="Hz")
plot_features(frames[3], feature_names=names[3:4], sample_rate=sr, hop_length=80, ax=axes[1])
axes[1].set(ylabel="RMS")
plot_features(frames[4], feature_names=names[4:5], sample_rate=sr, hop_length=80, ax=axes[2],
              color="C2")
axes[2].set(ylabel="crossings / sample")

# %%
# Pooling turns the frames into one row per clip. ``"trajectory"`` keeps the
# time course: the frames resampled to ``trajectory_length`` points.
pooled = AudioFeatures(features=("spectral_centroid", "rms"), sample_rate=sr, n_fft=256,
                       hop_length=80, pooling=("mean", "std", "p90", "slope")).fit([y])
row = pooled.transform([y])[0]
for name, value in zip(pooled.get_feature_names_out(), row):
    print(f"{name:>28s} {value:10.4f}")

traj = AudioFeatures(features=("spectral_centroid",), sample_rate=sr, n_fft=256, hop_length=80,
                     pooling=("trajectory",), trajectory_length=16).fit([y])
fig, ax = plt.subplots(figsize=(7, 3), layout="constrained")
t = np.arange(frames.shape[1]) * 80 / sr
ax.plot(t, frames[0], color="0.7", label="frames")
ax.plot(np.linspace(t[0], t[-1], 16), traj.transform([y])[0], "o-", label="trajectory (16)")
ax.set(xlabel="Time (s)", ylabel="Hz", title="Spectral centroid: frames and trajectory pooling")
ax.legend()
plt.show()
