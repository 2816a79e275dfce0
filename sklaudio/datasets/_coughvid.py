"""COUGHVID (crowdsourced cough recordings with self-reported COVID-19 status) loader.

Layout: ``<data_home>/coughvid/<uuid>.{webm,ogg,wav}`` and
``<data_home>/coughvid/metadata_compiled.csv``: the members of Zenodo's
``public_dataset_v3.zip`` (record 7024894, version 3, 34,434 recordings) without
their top folder ``coughvid_20211012/``. The archive is pinned by the MD5 that
Zenodo lists for it.

The recordings come from web browsers: 29,348 ``.webm`` (Opus), 1,777 ``.ogg``
and 3,309 ``.wav``. libsndfile reads the last two; ``.webm`` files are decoded
with PyAV (``pip install 'sklaudio[coughvid]'``).
"""

from __future__ import annotations

import os
from typing import Union

import numpy as np

from ._base import get_data_home
from ._fetch import (
    Remote,
    check_choice,
    check_flag,
    ensure,
    fetch,
    listing,
    native_path,
    require_pandas,
)
from ._tabular import make_bunch

__all__ = ["fetch_coughvid"]

PathLike = Union[str, "os.PathLike[str]"]

_FOLDER = "coughvid"
#: Pinned publisher archive and its published checksum. Tests monkeypatch this.
_REMOTE = Remote("https://zenodo.org/records/7024894/files/public_dataset_v3.zip?download=1",
                 "public_dataset_v3.zip", "md5:7c6cdf184748a2600538c331ba0ba718")
_META = "metadata_compiled.csv"
_EXTS = (".webm", ".ogg", ".wav")
_SUBSETS = ("labelled", "all")
STATUSES = ("COVID-19", "healthy", "symptomatic")


def _locate(member: str):
    parts = member.replace("\\", "/").split("/")
    if len(parts) == 2 and (parts[1] == _META or parts[1].endswith(_EXTS)):
        return parts[1]
    return None


def _expected(root: str) -> list[str]:
    """The metadata file and every recording the metadata lists, as found in ``root``."""
    import pandas as pd

    uuids = pd.read_csv(os.path.join(root, _META))["uuid"]
    present = {os.path.splitext(n)[0]: n for n in os.listdir(root) if n.endswith(_EXTS)}
    return [_META] + [present.get(u, f"{u}.webm") for u in uuids]


def _decode_webm(paths, sample_rate):
    """Decode ``.webm`` files with PyAV, mono float32 at ``sample_rate``."""
    try:
        import av
    except ImportError as exc:
        raise ImportError(
            f"{len(paths)} COUGHVID recordings are .webm (Opus), which libsndfile cannot "
            "read; install PyAV: pip install 'sklaudio[coughvid]' (or av)."
        ) from exc
    import soxr

    out, bad = [], []
    for p in paths:
        try:
            with av.open(p) as container:
                stream = container.streams.audio[0]
                rate = stream.codec_context.sample_rate
                frames = [f.to_ndarray() for f in container.decode(stream)]
            x = np.concatenate([f.reshape(-1, f.shape[-1]) if f.ndim > 1 else f[None]
                                for f in frames], axis=1).mean(axis=0)
            if x.dtype.kind in "iu":
                x = x / float(np.iinfo(x.dtype).max)
            x = x.astype(np.float32)
            if sample_rate is not None and sample_rate != rate:
                x = soxr.resample(x, rate, sample_rate).astype(np.float32)
            out.append(x)
        except Exception as exc:  # noqa: BLE001 - collected and reported together
            bad.append(f"{p}: {exc}")
    if bad:
        raise ValueError(f"Could not decode {len(bad)} of {len(paths)} COUGHVID .webm "
                         "recordings; nothing was returned:\n" + listing(bad))
    return out


def fetch_coughvid(
    data_home: PathLike | None = None,
    *,
    subset: str = "labelled",
    min_cough_detected: float = 0.0,
    sample_rate: int | None = 22050,
    download_if_missing: bool = True,
    n_jobs: int | None = None,
    verbose: bool = False,
    return_X_y: bool = False,
):
    """Load COUGHVID (version 3), downloading it if needed.

    34,434 cough recordings (up to 10 s) submitted through a web application in
    2020-2021, with the submitter's self-reported status (healthy, symptomatic,
    COVID-19), age, gender and symptoms, a cough-detector score for each
    recording, and, for about 2,800 recordings, the labels of up to four
    physicians.

    =================   ================================================
    Target              ``status`` as the publisher gives it:
                        COVID-19 / healthy / symptomatic (self-reported)
    Recordings          34,434; 20,664 with a status
    Sample rate         mixed (browser audio); resampled
    =================   ================================================

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        Folder holding ``coughvid/metadata_compiled.csv`` and the recordings.
        ``None`` uses :func:`get_data_home`.
    subset : {"labelled", "all"}, default="labelled"
        Only the recordings with a ``status``, or all (the target of a
        recording without status is then -1).
    min_cough_detected : float, default=0.0
        Keep the recordings whose ``cough_detected`` score (the publisher's
        cough classifier, 0-1) is at least this; the publisher suggests 0.8
        to leave out recordings that are not coughs.
    sample_rate : int or None, default=22050
        Resample every recording to this rate in Hz.
    download_if_missing : bool, default=True
        If files are missing, download ``public_dataset_v3.zip`` (2.3 GB)
        and check its MD5 as Zenodo lists it. If ``False``, raise ``OSError``.
    n_jobs : int or None, default=None
        Number of threads used to decode the ``.ogg`` and ``.wav`` files.
    verbose : bool, default=False
        Show progress bars while downloading, extracting and decoding.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, rows in ``metadata_compiled.csv`` order.

        data : list of ndarray of shape (n_samples_i,), float32
            The recordings, mono.
        target : ndarray of shape (n_clips,), int64
            ``status`` as an index into ``target_names`` (-1 when missing).
        target_names : list of str
            ``["COVID-19", "healthy", "symptomatic"]``.
        groups : ndarray of shape (n_clips,), object
            The recording's ``uuid``. COUGHVID has no participant id, so
            recordings of one person cannot be kept together: any split is
            by recording, and leakage between folds cannot be excluded.
        filenames : ndarray of shape (n_clips,), object
            Absolute path of each file.
        metadata : pandas.DataFrame
            The rows of ``metadata_compiled.csv`` (52 columns, including the
            physicians' labels).
        sample_rate : int
            Sample rate of the recordings in Hz.
        DESCR : str
            Description of the data set, with its licence and citation.

    (data, target) : tuple
        If ``return_X_y`` is True.

    Raises
    ------
    ValueError
        If a parameter is invalid, or recordings cannot be decoded (the
        message lists every such file).
    OSError
        If files are missing and ``download_if_missing`` is False, or the
        download fails or does not match the published MD5.
    ImportError
        If pandas is missing, or PyAV is missing and ``.webm`` recordings
        are selected (``pip install 'sklaudio[coughvid]'``).

    Notes
    -----
    COUGHVID is licensed CC BY 4.0; cite Orlandic, Teijeiro & Atienza (2021).
    The status is self-reported, not a test result.

    Examples
    --------
    >>> from sklaudio.datasets import fetch_coughvid
    >>> cv = fetch_coughvid(min_cough_detected=0.8)  # doctest: +SKIP
    """
    subset = check_choice("subset", subset, _SUBSETS)
    if isinstance(min_cough_detected, (bool, np.bool_)) or not isinstance(
            min_cough_detected, (int, float, np.integer, np.floating)) \
            or not 0 <= min_cough_detected <= 1:
        raise ValueError(f"min_cough_detected must be a number in [0, 1], got "
                         f"{min_cough_detected!r}.")
    download_if_missing = check_flag("download_if_missing", download_if_missing)
    return_X_y = check_flag("return_X_y", return_X_y)
    pd = require_pandas("fetch_coughvid")

    home = os.path.join(get_data_home(data_home), _FOLDER)

    def download():
        fetch("COUGHVID", home, [_REMOTE], _locate, _expected, verbose=verbose)

    ensure("COUGHVID", "fetch_coughvid", home, [_META], download_if_missing, download)
    meta = pd.read_csv(os.path.join(home, _META))
    if subset == "labelled":
        meta = meta[meta["status"].isin(STATUSES)]
    meta = meta[meta["cough_detected"] >= min_cough_detected]
    present = {os.path.splitext(n)[0]: n for n in os.listdir(home) if n.endswith(_EXTS)}
    rels = [present.get(u, f"{u}.webm") for u in meta["uuid"]]
    ensure("COUGHVID", "fetch_coughvid", home, rels, download_if_missing, download)

    webm = [i for i, r in enumerate(rels) if r.endswith(".webm")]
    other = [i for i, r in enumerate(rels) if not r.endswith(".webm")]
    meta = meta.assign(_status=meta["status"].where(meta["status"].isin(STATUSES), "none"))
    names = list(STATUSES) + ["none"]
    bunch = make_bunch("COUGHVID", home, meta.iloc[other], [rels[i] for i in other], "_status",
                       names, meta["uuid"].to_numpy()[other], sample_rate, n_jobs, verbose,
                       False, "coughvid.rst")
    data = [None] * len(rels)
    for i, x in zip(other, bunch.data):
        data[i] = x
    if webm:
        home_abs = os.path.abspath(home)
        for i, x in zip(webm, _decode_webm([native_path(home_abs, rels[i]) for i in webm],
                                           sample_rate)):
            data[i] = x
    target = np.array([names.index(s) for s in meta["_status"]], dtype=np.int64)
    target[target == len(STATUSES)] = -1
    if return_X_y:
        return data, target
    bunch.update(
        data=data, target=target, target_names=list(STATUSES),
        groups=meta["uuid"].to_numpy(dtype=object),
        filenames=np.array([native_path(os.path.abspath(home), r) for r in rels], dtype=object),
        metadata=meta.drop(columns="_status").reset_index(drop=True),
        sample_rate=sample_rate if sample_rate is not None else bunch.sample_rate,
    )
    return bunch
