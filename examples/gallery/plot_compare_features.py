"""
Which features recognise unseen speakers?
=========================================

Cross-validation with the speakers held out (:class:`~sklearn.model_selection.GroupKFold`
over ``fsdd.groups``): each fold scores on voices the model never heard, the
honest test for a digit recogniser. Each feature set is one
:class:`~sklaudio.AudioFeatures` (one STFT pass) in the same pipeline.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklaudio import AudioFeatures
from sklaudio.datasets import fetch_fsdd

fsdd = fetch_fsdd()
common = dict(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40, n_mfcc=13,
              contrast_n_bands=4, contrast_fmin=200.0)
sets = {
    "spectral shape": dict(features=("spectral_centroid", "spectral_bandwidth",
                                     "spectral_rolloff", "spectral_flatness")),
    "chroma": dict(features=("chroma",)),
    "MFCC mean+std": dict(features=("mfcc",)),
    "MFCC + contrast": dict(features=("mfcc", "spectral_contrast")),
    "MFCC trajectory": dict(features=("mfcc",), pooling=("mean", "std", "trajectory"),
                            trajectory_length=16),
}
cv = GroupKFold(n_splits=3)
scores = {}
for name, params in sets.items():
    pipe = make_pipeline(AudioFeatures(**common, **params), StandardScaler(), SVC())
    scores[name] = cross_val_score(pipe, fsdd.data, fsdd.target, groups=fsdd.groups, cv=cv)
    print(f"{name:>16s}: {scores[name].mean():.3f} +- {scores[name].std():.3f}")

fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
names = list(scores)
means = [scores[n].mean() for n in names]
ax.barh(names, means, xerr=[scores[n].std() for n in names], color="C0")
for k, n in enumerate(names):
    ax.plot(scores[n], np.full(3, k), "k.", alpha=0.6)
ax.set(xlim=(0, 1), xlabel="accuracy (3 folds, speakers held out)",
       title="FSDD digits: feature sets")
plt.show()
