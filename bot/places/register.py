"""Loads the official register of BW's Gemeinden (Destatis GV-ISys + OSM PLZ table).

Source files live in the shared data directory (see its SOURCE.md); they are read, never copied.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from bot.config import require_file

GEMEINDEN_FILE = "municipalities/bw_gemeinden.csv"
GERMANY_FILE = "municipalities/AuszugGV4QAktuell.csv"
PLZ_FILE = "municipalities/zuordnung_plz_ort_landkreis.csv"

LAENDER = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland", "11": "Berlin",
    "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen",
    "15": "Sachsen-Anhalt", "16": "Thüringen",
}


@dataclass(frozen=True)
class Gemeinde:
    """One BW Gemeinde as the register lists it."""

    ags: str
    ars: str
    name: str  # official, e.g. "Fellbach, Stadt"
    short_name: str  # e.g. "Fellbach"
    gemeindetyp: str  # Stadtkreis | Große Kreisstadt | Stadt | Gemeinde
    kreis_schluessel: str
    kreis: str  # e.g. "Rems-Murr-Kreis", "Stuttgart, Stadtkreis"
    kreis_typ: str  # Landkreis | Stadtkreis
    rb_schluessel: str
    regierungsbezirk: str  # e.g. "Reg.-Bez. Stuttgart"
    verband_schluessel: str
    verband_name: str
    verband_typ: str
    plz: tuple[str, ...]
    plz_verwaltungssitz: str
    einwohner: int
    lat: float | None
    lon: float | None

    @property
    def authority_name(self) -> str:
        """How the Gemeinde names itself as an authority: "Stadt Fellbach", "Gemeinde Aidlingen"."""
        if ", " in self.name:
            base, title = self.name.rsplit(", ", 1)
            return f"{title} {base}"
        return f"Gemeinde {self.name}"

    @property
    def kreis_display(self) -> str:
        """The Kreis for humans: "Rems-Murr-Kreis", "Landkreis Böblingen", "Stadtkreis Stuttgart"."""
        if self.kreis_typ == "Stadtkreis":
            return f"Stadtkreis {self.kreis.split(', ')[0]}"
        return self.kreis if self.kreis.lower().endswith("kreis") else f"Landkreis {self.kreis}"

    @property
    def rp_name(self) -> str:
        """The Regierungspräsidium of the Gemeinde's Regierungsbezirk."""
        return "Regierungspräsidium " + self.regierungsbezirk.replace("Reg.-Bez. ", "")

    def plz_in(self, text: str) -> str | None:
        """The one of this Gemeinde's PLZ that ``text`` names, if any (for the localised link)."""
        return next((p for p in self.plz if p in text), None)

    def to_dict(self) -> dict:
        """The CLI/API shape of a candidate."""
        return {
            "ags": self.ags,
            "name": self.short_name,
            "official_name": self.name,
            "gemeindetyp": self.gemeindetyp,
            "kreis": self.kreis_display,
            "regierungsbezirk": self.regierungsbezirk.replace("Reg.-Bez. ", ""),
            "plz": list(self.plz),
        }


@dataclass(frozen=True)
class ForeignPlace:
    """A German Gemeinde outside BW (only what is needed to say "outside BW")."""

    ags: str
    name: str
    land: str
    einwohner: int = 0


def _float(value: str) -> float | None:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return None


def _strip_title(name: str) -> str:
    """"Freiburg im Breisgau, Stadt" -> "Freiburg im Breisgau"; "Burg (Dithmarschen)" -> "Burg"."""
    name = name.split(",")[0]
    return name.split("(")[0].strip()


class Register:
    """All 1,101 BW Gemeinden with lookups by AGS and PLZ, plus the rest of Germany for contrast."""

    def __init__(
        self,
        gemeinden: list[Gemeinde],
        foreign: list[ForeignPlace] | None = None,
        foreign_plz: dict[str, str] | None = None,
    ) -> None:
        self.gemeinden = gemeinden
        self.by_ags_map = {g.ags: g for g in gemeinden}
        self.plz_map: dict[str, list[Gemeinde]] = {}
        for g in gemeinden:
            for plz in g.plz:
                self.plz_map.setdefault(plz, []).append(g)
        self.foreign = foreign or []
        self.foreign_by_ags = {f.ags: f for f in self.foreign}
        self.foreign_plz = foreign_plz or {}

    @classmethod
    def load(cls, data_dir: Path) -> Register:
        """Read the register from the shared data directory."""
        gemeinden = []
        with require_file(data_dir / GEMEINDEN_FILE).open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                plz = tuple(p for p in row["plz_alle"].split(";") if p)
                gemeinden.append(
                    Gemeinde(
                        ags=row["ags"], ars=row["ars"], name=row["name"],
                        short_name=row["name_kurz"], gemeindetyp=row["gemeindetyp"],
                        kreis_schluessel=row["kreis_schluessel"], kreis=row["kreis_name"],
                        kreis_typ=row["kreis_typ"], rb_schluessel=row["rb_schluessel"],
                        regierungsbezirk=row["rb_name"],
                        verband_schluessel=row["gemeindeverband_schluessel"],
                        verband_name=row["gemeindeverband_name"],
                        verband_typ=row["gemeindeverband_typ"], plz=plz,
                        plz_verwaltungssitz=row["plz_verwaltungssitz"],
                        einwohner=int(row["einwohner_2019_12_31"] or 0),
                        lat=_float(row["lat"]), lon=_float(row["lon"]),
                    )
                )
        foreign: list[ForeignPlace] = []
        germany = data_dir / GERMANY_FILE
        if germany.is_file():
            with germany.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    if row["satzart"] == "60" and row["land"] != "08" and row["textkennzeichen"] != "66":
                        ags = row["land"] + row["rb"] + row["kreis"] + row["gemeinde"]
                        foreign.append(
                            ForeignPlace(
                                ags, _strip_title(row["gemeindename"]), LAENDER.get(row["land"], ""),
                                int(row["bevoelkerung"].replace(" ", "") or 0),
                            )
                        )
        foreign_plz: dict[str, str] = {}
        plz_file = data_dir / PLZ_FILE
        if plz_file.is_file():
            with plz_file.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    if row["bundesland"] != "Baden-Württemberg":
                        foreign_plz.setdefault(row["plz"], row["bundesland"])
        return cls(gemeinden, foreign, foreign_plz)

    def by_ags(self, ags: str) -> Gemeinde | None:
        """The Gemeinde with this 8-digit AGS, or None."""
        return self.by_ags_map.get(ags.strip())

    def by_plz(self, plz: str) -> list[Gemeinde]:
        """Every Gemeinde that has (part of) this PLZ; several for shared PLZ."""
        return list(self.plz_map.get(plz.strip(), []))
