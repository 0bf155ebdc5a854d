"""Leistungen whose office follows another place than the residence (``place_role`` in the catalogue).

The office the assistant names is the one for the citizen's place; for these Leistungen the
response (domain/places.yml) says which place really decides and asks for it, so the citizen can name it next.
"""

from __future__ import annotations

from bot.catalogue import Service

#: The response (domain/places.yml) per ``place_role``; its variable {place} is the Gemeinde shown above.
RESPONSES = {
    "sterbeort": "utter_place_role_sterbeort",
    "geburtsort": "utter_place_role_geburtsort",
    "eheschliessung": "utter_place_role_eheschliessung",
    "trauort": "utter_place_role_trauort",
    "fundort": "utter_place_role_fundort",
    "grundstueck": "utter_place_role_grundstueck",
}


def response(service: Service) -> str | None:
    """The hint for ``service`` (which place really decides); None if the residence decides."""
    return RESPONSES.get(service.place_role)
