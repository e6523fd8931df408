"""Values computed once per loaded treatment, kept beside it rather than on it.

A ``Treatment`` is pure data, compared and hashed by identity. ``per_treatment`` caches a
function of (treatment, *arguments) in a table keyed weakly by the treatment: when the preview
loads the content again, the old treatment and everything computed from it go away together.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

R = TypeVar("R")


def per_treatment(function: Callable[..., R]) -> Callable[..., R]:
    """``function(treatment, *args)`` computed once per treatment and arguments (all hashable)."""
    table: weakref.WeakKeyDictionary[Any, dict[Hashable, R]] = weakref.WeakKeyDictionary()

    @functools.wraps(function)
    def cached(treatment: Any, *args: Hashable, **kwargs: Hashable) -> R:
        made = table.setdefault(treatment, {})
        key = (args, tuple(sorted(kwargs.items())))
        if key not in made:
            made[key] = function(treatment, *args, **kwargs)
        return made[key]

    return cached
