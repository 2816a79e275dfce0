"""ESC-50 (environmental sound classification, 50 classes, 2,000 clips) loader.

Layout: ``<data_home>/esc50/audio/<fold>-<source>-<take>-<class>.wav`` and
``<data_home>/esc50/meta/esc50.csv``, as in the publisher's GitHub repository.

The archive is GitHub's zip of the repository at a pinned commit (generated on
the fly, so its own hash is not stable); every file is checked against
``esc50_md5.txt``: the MD5 of the 2,000 clips and of ``meta/esc50.csv``, taken
from soundata's ESC-50 index (``soundata/datasets/indexes/esc50_index.json`` of
soundata 0.1.2, computed from the publisher's repository) and cross-checked
against an independent copy of fold 4 (400 of 400 clips equal).
"""

from __future__ import annotations

import os
import re
from typing import Union

from ._base import get_data_home
from ._fetch import (
    Remote,
    check_choice,
    check_flag,
    check_selection,
    ensure,
    fetch,
    load_manifest,
    require_pandas,
)
from ._tabular import make_bunch

__all__ = ["fetch_esc50"]

PathLike = Union[str, "os.PathLike[str]"]

_FOLDER = "esc50"
_COMMIT = "f2fd956acf66ebd9ac7e2110711aa78dd684d042"
#: Pinned publisher archive. Tests monkeypatch this.
_URL = f"https://github.com/karolpiczak/ESC-50/archive/{_COMMIT}.zip"
_MANIFEST = "esc50_md5.txt"
_META = "meta/esc50.csv"
_SUBSETS = ("esc50", "esc10")
_FOLDS = (1, 2, 3, 4, 5)
_AUDIO_RE = re.compile(r"^audio/(?P<fold>[1-5])-[0-9]+-[A-Z]-[0-9]+\.wav$")


def _locate(member: str):
    parts = member.replace("\\", "/").split("/", 1)
    if len(parts) == 2 and (parts[1] == _META or _AUDIO_RE.match(parts[1])):
        return parts[1]
    return None


def fetch_esc50(
    data_home: PathLike | None = None,
    *,
    subset: str = "esc50",
    folds=None,
    sample_rate: int | None = None,
    download_if_missing: bool = True,
    n_jobs: int | None = None,
    verbose: bool = False,
    return_X_y: bool = False,
):
    """Load ESC-50 (or its ESC-10 subset), downloading it if needed.

    2,000 five-second environmental recordings (animals, natural soundscapes,
    human non-speech sounds, domestic and urban noises) from Freesound, 40 per
    class, mono 44.1 kHz, arranged by the author in five folds such that clips
    cut from one source recording share a fold.

    =================   ==========================================
    Classes             50 (ESC-10: 10 of them)
    Clips               2,000 (ESC-10: 400)
    Folds               5 (pre-arranged; cross-validate on them)
    Sample rate         44,100 Hz, 5.0 s per clip
    =================   ==========================================

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        Folder holding ``esc50/audio/*.wav`` and ``esc50/meta/esc50.csv``.
        ``None`` uses :func:`get_data_home`.
    subset : {"esc50", "esc10"}, default="esc50"
        All 50 classes, or the 10 classes of ESC-10 (``esc10`` column).
    folds : int, list of int or None, default=None
        Load only these folds (1-5); ``None`` loads all. Only the selected
        folds' files need to be present.
    sample_rate : int or None, default=None
        Resample every clip to this rate in Hz; ``None`` keeps 44.1 kHz.
    download_if_missing : bool, default=True
        If files are missing, download the publisher's repository archive
        (about 600 MB) and check every file's MD5. If ``False``, raise
        ``OSError`` instead.
    n_jobs : int or None, default=None
        Number of threads used to decode the files.
    verbose : bool, default=False
        Show progress bars while downloading, extracting, verifying and
        decoding.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, rows in ``esc50.csv`` order.

        data : list of ndarray of shape (n_samples_i,), float32
            The clips, mono, in [-1, 1).
        target : ndarray of shape (n_clips,), int64
            Index into ``target_names``; for ``"esc50"`` it equals the
            publisher's ``target`` column.
        target_names : list of str
            The class names, by the publisher's class number.
        groups : ndarray of shape (n_clips,), int64
            ``src_file``: the Freesound recording a clip was cut from. Clips of
            one source must not be split between training and test.
        fold : ndarray of shape (n_clips,), int64
            The pre-arranged fold (1-5); pass ``PredefinedSplit(fold)`` or
            ``LeaveOneGroupOut`` with ``groups=fold``.
        filenames : ndarray of shape (n_clips,), object
            Absolute path of each file.
        metadata : pandas.DataFrame
            The rows of ``esc50.csv``: ``filename``, ``fold``, ``target``,
            ``category``, ``esc10``, ``src_file``, ``take``.
        sample_rate : int
            Sample rate of the clips in Hz.
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
        If files are missing and ``download_if_missing`` is False, or the
        download fails or a file does not match its MD5 (the message lists
        every missing or corrupt file; nothing is installed).
    ImportError
        If pandas is not installed (``pip install 'sklaudio[datasets]'``).

    Notes
    -----
    ESC-50 is licensed CC BY-NC 3.0 (ESC-10: CC BY 3.0); cite Piczak (2015).

    Examples
    --------
    >>> from sklaudio.datasets import fetch_esc50
    >>> esc = fetch_esc50(folds=4)  # doctest: +SKIP
    >>> len(esc.data), esc.sample_rate  # doctest: +SKIP
    (400, 44100)
    """
    subset = check_choice("subset", subset, _SUBSETS)
    folds = check_selection("folds", folds, _FOLDS) or list(_FOLDS)
    download_if_missing = check_flag("download_if_missing", download_if_missing)
    return_X_y = check_flag("return_X_y", return_X_y)
    pd = require_pandas("fetch_esc50")

    home = os.path.join(get_data_home(data_home), _FOLDER)
    manifest = load_manifest(_MANIFEST, "md5")
    needed = [_META] + [r for r in manifest if (m := _AUDIO_RE.match(r)) and
                        int(m["fold"]) in folds]

    def download():
        fetch("ESC-50", home, [Remote(_URL, "ESC-50.zip", None)], _locate, list(manifest),
              manifest=manifest, alg="md5", verbose=verbose)

    ensure("ESC-50", "fetch_esc50", home, needed, download_if_missing, download)

    meta = pd.read_csv(os.path.join(home, *_META.split("/")))
    names = meta.drop_duplicates("target").sort_values("target")
    if subset == "esc10":
        meta = meta[meta["esc10"].astype(bool)]
        names = names[names["esc10"].astype(bool)]
    meta = meta[meta["fold"].isin(folds)]
    target_names = names["category"].tolist()
    bunch = make_bunch("ESC-50", home, meta, [f"audio/{f}" for f in meta["filename"]],
                       "category", target_names, meta["src_file"].to_numpy(), sample_rate,
                       n_jobs, verbose, return_X_y, "esc50.rst",
                       {"fold": meta["fold"].to_numpy()})
    return bunch
