"""UrbanSound8K (8,732 urban sound slices, 10 classes, 10 folds) loader.

Layout: ``<data_home>/urbansound8k/audio/fold<k>/*.wav`` and
``<data_home>/urbansound8k/metadata/UrbanSound8K.csv``, the publisher's archive
without its top folder. The archive is Zenodo's ``UrbanSound8K.tar.gz`` (record
1203745), checked against the MD5 that Zenodo publishes for it.
"""

from __future__ import annotations

import os
from typing import Union

from ._base import get_data_home
from ._fetch import Remote, check_flag, check_selection, ensure, fetch, require_pandas
from ._tabular import make_bunch

__all__ = ["fetch_urbansound8k"]

PathLike = Union[str, "os.PathLike[str]"]

_FOLDER = "urbansound8k"
#: Pinned publisher archive and its published checksum. Tests monkeypatch this.
_REMOTE = Remote("https://zenodo.org/records/1203745/files/UrbanSound8K.tar.gz?download=1",
                 "UrbanSound8K.tar.gz", "md5:9aa69802bbf37fb986f71ec1483a196e")
_META = "metadata/UrbanSound8K.csv"
_FOLDS = tuple(range(1, 11))
#: by classID, as the publisher numbers them
CLASSES = ("air_conditioner", "car_horn", "children_playing", "dog_bark", "drilling",
           "engine_idling", "gun_shot", "jackhammer", "siren", "street_music")


def _locate(member: str):
    parts = member.replace("\\", "/").split("/")
    if len(parts) == 4 and parts[1] == "audio" and parts[2].startswith("fold") \
            and parts[3].endswith(".wav"):
        return "/".join(parts[1:])
    if "/".join(parts[1:]) == _META:
        return _META
    return None


def _expected(root: str) -> list[str]:
    import pandas as pd

    meta = pd.read_csv(os.path.join(root, *_META.split("/")))
    return [_META] + [f"audio/fold{k}/{n}" for k, n in zip(meta["fold"], meta["slice_file_name"])]


def fetch_urbansound8k(
    data_home: PathLike | None = None,
    *,
    folds=None,
    sample_rate: int | None = 22050,
    download_if_missing: bool = True,
    n_jobs: int | None = None,
    verbose: bool = False,
    return_X_y: bool = False,
):
    """Load UrbanSound8K, downloading it if needed.

    8,732 labelled slices (up to 4 s) of field recordings from Freesound in 10
    urban classes (air conditioner, car horn, children playing, dog bark,
    drilling, engine idling, gun shot, jackhammer, siren, street music), in 10
    pre-arranged folds. The files keep their original rates (8-192 kHz), bit
    depths and channel counts, so they are mixed to mono and resampled.

    =================   =============================================
    Classes             10
    Slices              8,732 (at most 1,000 per class)
    Folds               10 (pre-arranged; use them, do not reshuffle)
    Sample rate         mixed; resampled to ``sample_rate``
    =================   =============================================

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        Folder holding ``urbansound8k/audio/fold*/`` and
        ``urbansound8k/metadata/UrbanSound8K.csv``. ``None`` uses
        :func:`get_data_home`.
    folds : int, list of int or None, default=None
        Load only these folds (1-10); ``None`` loads all. Only the selected
        folds' files need to be present.
    sample_rate : int or None, default=22050
        Resample every slice to this rate in Hz. ``None`` keeps each file's
        rate, which raises ``ValueError`` when the rates differ (they do in
        every fold).
    download_if_missing : bool, default=True
        If files are missing, download the archive (about 6 GB) and check its
        MD5 as published by Zenodo. If ``False``, raise ``OSError`` instead.
    n_jobs : int or None, default=None
        Number of threads used to decode the files.
    verbose : bool, default=False
        Show progress bars while downloading, extracting and decoding.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, rows in ``UrbanSound8K.csv`` order.

        data : list of ndarray of shape (n_samples_i,), float32
            The slices, mono, in [-1, 1).
        target : ndarray of shape (n_clips,), int64
            The publisher's ``classID`` (0-9), an index into ``target_names``.
        target_names : list of str
            The class names by ``classID``.
        groups : ndarray of shape (n_clips,), int64
            ``fsID``: the Freesound recording a slice was cut from.
        fold : ndarray of shape (n_clips,), int64
            The pre-arranged fold (1-10).
        filenames : ndarray of shape (n_clips,), object
            Absolute path of each file.
        metadata : pandas.DataFrame
            The rows of ``UrbanSound8K.csv``: ``slice_file_name``, ``fsID``,
            ``start``, ``end``, ``salience``, ``fold``, ``classID``, ``class``.
        sample_rate : int
            Sample rate of the slices in Hz.
        DESCR : str
            Description of the data set, with its licence and citation.

    (data, target) : tuple
        If ``return_X_y`` is True.

    Raises
    ------
    ValueError
        If a parameter is invalid, or a local file cannot be decoded (the
        message lists every such file).
    OSError
        If files are missing and ``download_if_missing`` is False, the
        download fails or does not match the published MD5, or files listed
        in the metadata are missing from it (the message lists them).
    ImportError
        If pandas is not installed (``pip install 'sklaudio[datasets]'``).

    Notes
    -----
    UrbanSound8K is licensed CC BY-NC 3.0; cite Salamon, Jacoby & Bello
    (2014). Report results as the mean over the 10 given folds.

    Examples
    --------
    >>> from sklaudio.datasets import fetch_urbansound8k
    >>> us8k = fetch_urbansound8k(folds=[1, 2], sample_rate=16000)  # doctest: +SKIP
    """
    folds = check_selection("folds", folds, _FOLDS) or list(_FOLDS)
    download_if_missing = check_flag("download_if_missing", download_if_missing)
    return_X_y = check_flag("return_X_y", return_X_y)
    pd = require_pandas("fetch_urbansound8k")

    home = os.path.join(get_data_home(data_home), _FOLDER)

    def download():
        fetch("UrbanSound8K", home, [_REMOTE], _locate, _expected, verbose=verbose)

    ensure("UrbanSound8K", "fetch_urbansound8k", home, [_META], download_if_missing, download)
    needed = [r for r in _expected(home)[1:] if int(r.split("/")[1][4:]) in folds]
    ensure("UrbanSound8K", "fetch_urbansound8k", home, needed, download_if_missing, download)

    meta = pd.read_csv(os.path.join(home, *_META.split("/")))
    names = list(CLASSES)
    meta = meta[meta["fold"].isin(folds)]
    rels = [f"audio/fold{k}/{n}" for k, n in zip(meta["fold"], meta["slice_file_name"])]
    return make_bunch("UrbanSound8K", home, meta, rels, "class", names,
                      meta["fsID"].to_numpy(), sample_rate, n_jobs, verbose, return_X_y,
                      "urbansound8k.rst", {"fold": meta["fold"].to_numpy()})
