"""Typed models of the content files, validated by pydantic before anything is rendered.

Models forbid unknown fields so that a typo in a field name is an error, not a silent default.
Cross-file rules (an id that must exist elsewhere) live in ``content``; the rules here need
only the model itself. ``python -m patientinfo schema`` writes JSON Schemas from these models.
"""

from patientinfo.content.schema.base import *  # noqa: F403
from patientinfo.content.schema.facts import *  # noqa: F403
from patientinfo.content.schema.project import *  # noqa: F403
from patientinfo.content.schema.texts import *  # noqa: F403
