"""What a notebook needs is importable from ``crewparity`` itself: the class ``open`` returns (for type hints) and
the warnings its methods give (to filter them). docs/api.md names ``EmptyResultWarning``, but only
``crewparity.metrics.empty.EmptyResultWarning`` existed, so ``warnings.simplefilter("ignore",
crewparity.EmptyResultWarning)`` was an AttributeError."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import crewparity
from crewparity import client
from crewparity.metrics import empty


def test_the_names_are_the_classes_themselves() -> None:
    assert crewparity.Crewparity is client.Crewparity
    assert crewparity.UnlistedTitlesWarning is client.UnlistedTitlesWarning
    assert crewparity.EmptyResultWarning is empty.EmptyResultWarning
    assert {"Crewparity", "EmptyResultWarning", "UnlistedTitlesWarning"} <= set(crewparity.__all__)
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        crewparity.Nothing  # type: ignore[attr-defined]  # noqa: B018


def test_filtering_the_top_level_name_silences_the_warning(demo_db_names_only: Path) -> None:
    with crewparity.open(demo_db_names_only) as cp, warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", crewparity.EmptyResultWarning)
        assert cp.share(sample="top:10").num_rows == 0
        assert isinstance(cp, crewparity.Crewparity)
