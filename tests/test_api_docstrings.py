"""Every public function and method of the Python API has a docstring: a notebook user reads ``help(cp.path)``
or ``cp.close?``, not the source, and the API is the product for them as the CLI's --help is for a shell user."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest

import crewparity
from crewparity import api, api_gender, api_sources, client


def _public() -> Iterator[tuple[str, object]]:
    for name in crewparity.__all__:
        obj = getattr(crewparity, name)
        if callable(obj):
            yield f"crewparity.{name}", obj
    for module in (api, api_gender, api_sources):
        for name in getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and obj.__module__.startswith("crewparity"):
                yield f"{module.__name__}.{name}", obj
    for name in ("open_client", "Crewparity", "UnlistedTitlesWarning"):
        yield f"crewparity.client.{name}", getattr(client, name)
    for name, member in vars(client.Crewparity).items():
        if not name.startswith("_"):
            yield f"Crewparity.{name}", member.fget if isinstance(member, property) else member


PUBLIC = dict(_public())


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_has_a_docstring(name: str) -> None:
    assert (inspect.getdoc(PUBLIC[name]) or "").strip(), f"{name} has no docstring"


def test_the_methods_are_all_there() -> None:
    assert {"Crewparity.share", "Crewparity.series", "Crewparity.distribution", "Crewparity.compare",
            "Crewparity.path", "Crewparity.close"} <= set(PUBLIC)
