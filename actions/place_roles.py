"""Leistungen whose office follows another place than the residence (``place_role`` in the catalogue).

The office the assistant names is the one for the citizen's place; for these Leistungen the
sentence says which place really decides and asks for it, so the citizen can name it next.
"""

from __future__ import annotations

from bot.catalogue import Service
from bot.places import Gemeinde

SENTENCES = {
    "sterbeort": ("Zuständig ist das Standesamt des Orts, an dem die Person gestorben ist, nicht das des Wohnorts. "
                  "Oben steht das Standesamt für {place}; ist der Sterbeort ein anderer, nennen Sie mir bitte diesen Ort. "
                  "Häufig übernimmt der Bestatter die Anzeige."),
    "geburtsort": ("Zuständig ist das Standesamt des Geburtsorts (bei einer Klinikgeburt der Ort der Klinik), nicht "
                   "unbedingt das des Wohnorts. Oben steht das Standesamt für {place}; war der Geburtsort ein anderer, "
                   "nennen Sie mir bitte diesen Ort."),
    "eheschliessung": ("Anmelden können Sie die Eheschließung beim Standesamt des Wohnorts einer der beiden Verlobten "
                       "(oben das für {place}). Heiraten können Sie danach bei jedem Standesamt in Deutschland."),
    "trauort": ("Eheurkunden stellt das Standesamt aus, bei dem die Ehe geschlossen wurde. Oben steht das Standesamt "
                "für {place}; haben Sie woanders geheiratet, nennen Sie mir bitte diesen Ort."),
    "fundort": ("Zuständig ist das Fundbüro der Gemeinde, in der die Sache gefunden wurde oder verloren ging. Oben steht "
                "die Stelle für {place}; war es ein anderer Ort, nennen Sie mir bitte diesen Ort."),
    "grundstueck": ("Zuständig ist das Finanzamt, in dessen Bezirk das Grundstück liegt. Oben steht das Finanzamt für "
                    "{place}; liegt das Grundstück in einer anderen Gemeinde, nennen Sie mir bitte diese."),
}


def sentence(service: Service, g: Gemeinde) -> str | None:
    """The hint for ``service`` with the office shown for ``g``; None if the residence decides."""
    template = SENTENCES.get(service.place_role)
    return template.format(place=g.short_name) if template else None
