"""Sound event annotations, frame targets and sed_eval-equal metrics.

An *event table* is a :class:`pandas.DataFrame` with one row per event:
``onset`` and ``offset`` in seconds, ``event_label``, and ``filename`` when
it covers several recordings (:func:`check_events`). pandas is an optional
dependency: ``pip install sklaudio[events]``. Importing this package does not
import pandas; the functions do, with an error naming the extra if it is
missing. ``import sklaudio`` does not import this package.

- :func:`read_events`, :func:`write_events`: the DCASE / sed_eval
  tab-separated text files.
- :func:`check_events`: validation with errors that name the row.
- :func:`events_to_frames`: 0/1 frame targets aligned with sklaudio's frames.
- :func:`event_based_metrics`, :func:`segment_based_metrics`: sed_eval's
  metrics (Mesaros, Heittola and Virtanen, 2016), equal to it.
- :class:`EventDetector`: frame features, a frame classifier and
  post-processing into events, as a scikit-learn meta-estimator.
"""

from ._annotations import check_events, events_to_frames, read_events, write_events
from ._detector import EventDetector, FrameScores
from ._metrics import MetricsResult, event_based_metrics, segment_based_metrics

__all__ = [
    "EventDetector",
    "FrameScores",
    "MetricsResult",
    "check_events",
    "event_based_metrics",
    "events_to_frames",
    "read_events",
    "segment_based_metrics",
    "write_events",
]
