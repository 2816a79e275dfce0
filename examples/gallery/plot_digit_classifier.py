"""
Spoken digits: MFCC + StandardScaler + SVC
==========================================

The main job of the library: a scikit-learn pipeline that starts from raw
clips, trained on FSDD's official training takes (5-49) and scored on the test
takes (0-4). The test takes are recorded by the same speakers, so this is an
easy split; :ref:`the feature comparison <sphx_glr_auto_examples_plot_compare_features.py>`
holds speakers out.
"""

import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score, f1_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklaudio import MFCC
from sklaudio.datasets import fetch_fsdd

train = fetch_fsdd(subset="train")
test = fetch_fsdd(subset="test")
print(f"{len(train.data)} training clips, {len(test.data)} test clips")

clf = Pipeline([
    ("mfcc", MFCC(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40,
                  pooling=("mean", "std", "trajectory"), trajectory_length=16)),
    ("scale", StandardScaler()),
    ("svc", SVC()),
])
clf.fit(train.data, train.target)
pred = clf.predict(test.data)
print(f"accuracy {accuracy_score(test.target, pred):.3f}, "
      f"macro-F1 {f1_score(test.target, pred, average='macro'):.3f}")

fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
ConfusionMatrixDisplay.from_predictions(test.target, pred, ax=ax, colorbar=False)
ax.set_title("FSDD official test split")
plt.show()
