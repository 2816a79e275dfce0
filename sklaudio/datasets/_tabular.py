"""The part the CSV-described data sets share (ESC-50, UrbanSound8K, COUGHVID): a Bunch
from a metadata table, the selected rows' files and their decoded clips."""

from __future__ import annotations

import os

import numpy as np
from sklearn.utils import Bunch

from ._fetch import load_audio, load_text, native_path


def make_bunch(dataset: str, home: str, meta, rels: list[str], target_col: str,
               target_names: list[str], groups, sample_rate, n_jobs, verbose: bool,
               return_X_y: bool, descr: str, extra: dict | None = None):
    """Decode ``rels`` (relative to ``home``) and assemble the loaders' Bunch."""
    home_abs = os.path.abspath(home)
    paths = [native_path(home_abs, r) for r in rels]
    data, sr = load_audio(paths, sample_rate, n_jobs, verbose, dataset, home)
    index = {name: i for i, name in enumerate(target_names)}
    target = np.array([index[v] for v in meta[target_col]], dtype=np.int64)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=list(target_names),
        groups=np.asarray(groups),
        filenames=np.array(paths, dtype=object),
        metadata=meta.reset_index(drop=True),
        sample_rate=int(sr) if sr is not None else None,
        DESCR=load_text(descr),
        **(extra or {}),
    )
