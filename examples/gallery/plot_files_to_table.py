"""
From a folder of files to a feature table
=========================================

:func:`sklaudio.io.find_audio_files` expands folders into audio files and
:func:`sklaudio.io.transform_files` runs them through a fitted transformer in
batches, listing the files that fail instead of stopping. The same call runs
on a Dask cluster with ``client=``. The command line does the same and writes
a CSV or Parquet file: ``sklaudio extract recordings/ -o features.parquet``.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklaudio import AudioFeatures
from sklaudio.datasets import get_data_home
from sklaudio.io import find_audio_files, transform_files

folder = os.path.join(get_data_home(), "fsdd", "recordings")
paths = find_audio_files(folder)
print(f"{len(paths)} files in {folder}")

est = AudioFeatures(features=("mfcc", "chroma"), sample_rate=8000, n_fft=256,
                    hop_length=80, n_mels=40).fit([np.zeros(256)])
X, done, failed = transform_files(est, paths, n_jobs=2)
print(f"{X.shape[0]} rows of {X.shape[1]} features, {len(failed)} failures")
print(list(est.get_feature_names_out()[:4]), "...")

# %%
# A two-dimensional view of the table: principal components of the
# standardised features, coloured by the digit in each file name.
digit = np.array([int(os.path.basename(p)[0]) for p in done])
Z = make_pipeline(StandardScaler(), PCA(n_components=2)).fit_transform(X)
fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
sc = ax.scatter(Z[:, 0], Z[:, 1], c=digit, cmap="tab10", s=6)
ax.legend(*sc.legend_elements(), title="digit", fontsize="small", loc="best")
ax.set(xlabel="PC 1", ylabel="PC 2", title="FSDD: MFCC + chroma, mean and std")
plt.show()
