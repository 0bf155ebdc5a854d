"""The service catalogue: curated YAML entries plus the long tail of real service-bw Leistungen.

Curated entries (``data/catalogue/services/*.yml``) carry synonyms, documents, online availability
and a responsibility rule. The long tail is every high-confidence Leistung of the shared
``servicebw_ids.csv`` that no curated entry covers; it is answered with its official name, link
and, where a long-tail rule matches, the Zuständigkeit.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.config import require_file
from bot.facts import FactsError, Fee, ProcessingTime, parse_fee, parse_processing_time

SERVICEBW_FILE = "services/servicebw_ids.csv"
SERVICEBW_URL = "https://www.service-bw.de/zufi/leistungen/{id}"
ONLINE_VALUES = ("ja", "teilweise", "nein")
#: Leistungen whose office follows another place than the residence (texts: utter_place_role_* in domain/places.yml).
PLACE_ROLES = ("sterbeort", "geburtsort", "eheschliessung", "trauort", "fundort", "grundstueck")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SBW_RE = re.compile(r"^[0-9]{1,9}$")


class CatalogueError(ValueError):
    """A catalogue file breaks the schema. The message names file and entry."""


@dataclass(frozen=True)
class Assignment:
    """Which rule decides the Zuständigkeit, and which department is named."""

    rule: str
    department: str = ""


@dataclass(frozen=True)
class Service:
    """One Verwaltungsleistung as the assistant presents it."""

    id: str
    name: str
    topic: str
    curated: bool
    synonyms: tuple[str, ...] = ()
    description: str = ""
    documents: tuple[str, ...] = ()
    online: str = "unbekannt"
    online_note: str = ""
    fees: str = ""  # plain summary of ``fee`` (amount or "gebührenfrei"), kept for API clients
    responsibility: Assignment | None = None
    servicebw_id: str | None = None
    source: str = ""
    stand: str = ""
    fee: Fee | None = None
    processing_time: ProcessingTime | None = None
    place_role: str = ""
    file: str = field(default="", compare=False)

    def servicebw_url(self, plz: str | None = None, ags: str | None = None) -> str | None:
        """The service-bw page, localised with ``?plz=&ags=`` when a place is known."""
        if not self.servicebw_id:
            return None
        url = SERVICEBW_URL.format(id=self.servicebw_id)
        if plz and ags:
            url += f"?plz={plz}&ags={ags}"
        return url

    def summary(self) -> dict:
        return {"id": self.id, "name": self.name, "servicebw_id": self.servicebw_id}

    def to_dict(self) -> dict:
        """The full record (API ``GET /services/{id}``)."""
        return {
            "id": self.id,
            "name": self.name,
            "topic": self.topic,
            "curated": self.curated,
            "servicebw_id": self.servicebw_id,
            "servicebw_url": self.servicebw_url(),
            "description": self.description,
            "documents": list(self.documents),
            "online": self.online,
            "online_note": self.online_note,
            "fees": self.fees,
            "synonyms": list(self.synonyms),
            "responsibility": (
                {"rule": self.responsibility.rule, "department": self.responsibility.department}
                if self.responsibility else None
            ),
            "source": self.source,
            "stand": self.stand,
            "fee": self.fee.to_dict() if self.fee else None,
            "processing_time": self.processing_time.to_dict() if self.processing_time else None,
            "place_role": self.place_role,
        }


@dataclass(frozen=True)
class ServicebwEntry:
    """A row of the shared service-bw id list."""

    id: str
    kind: str
    name: str
    topic: str
    confidence: str


def load_servicebw_ids(data_dir: Path) -> dict[str, ServicebwEntry]:
    """Every service-bw id of the shared list (Leistungen and Lebenslagen)."""
    out: dict[str, ServicebwEntry] = {}
    with require_file(data_dir / SERVICEBW_FILE).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["servicebw_id"]] = ServicebwEntry(
                row["servicebw_id"], row["kind"], row["name_as_in_source"].strip(),
                row["topic_guess"], row["confidence"],
            )
    return out


def _str(entry: dict, key: str, where: str, required: bool = True) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            raise CatalogueError(f"{where}: Pflichtfeld '{key}' fehlt")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise CatalogueError(f"{where}: Feld '{key}' muss Text sein")
    return str(value).strip()


def _list(entry: dict, key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if not isinstance(value, list):
        raise CatalogueError(f"{where}: Feld '{key}' muss eine Liste von Texten sein")
    for pos, item in enumerate(value, 1):
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            hint = " (enthält der Text einen Doppelpunkt? Dann in Anführungszeichen setzen)" if isinstance(item, dict) else ""
            raise CatalogueError(f"{where}: Eintrag {pos} in '{key}' ist kein Text{hint}")
    return tuple(str(v).strip() for v in value if str(v).strip())


def parse_service(entry: object, file: Path, defaults: dict, servicebw: dict[str, ServicebwEntry]) -> Service:
    """Check one catalogue entry against the schema and build the :class:`Service`."""
    if not isinstance(entry, dict):
        raise CatalogueError(f"{file.name}: Eintrag ist kein Objekt: {entry!r:.60}")
    sid = _str(entry, "id", f"{file.name}")
    where = f"{file.name}, Leistung '{sid}'"
    if not _ID_RE.match(sid):
        raise CatalogueError(f"{where}: id muss aus Kleinbuchstaben, Ziffern und _ bestehen")
    online = _str(entry, "online", where).lower()
    if online not in ONLINE_VALUES:
        raise CatalogueError(f"{where}: online muss 'ja', 'teilweise' oder 'nein' sein, nicht '{online}'")
    sbw = _str(entry, "servicebw_id", where, required=False) or None
    if sbw is not None:
        if not _SBW_RE.match(sbw):
            raise CatalogueError(f"{where}: servicebw_id '{sbw}' ist keine Zahl")
        known = servicebw.get(sbw)
        if servicebw and (known is None or known.kind != "leistung"):
            raise CatalogueError(f"{where}: servicebw_id {sbw} steht nicht als Leistung in {SERVICEBW_FILE}")
    place_role = _str(entry, "place_role", where, required=False)
    if place_role and place_role not in PLACE_ROLES:
        raise CatalogueError(f"{where}: place_role muss eines von {', '.join(PLACE_ROLES)} sein, nicht '{place_role}'")
    resp = entry.get("responsibility")
    if not isinstance(resp, dict) or not resp.get("rule"):
        raise CatalogueError(f"{where}: responsibility mit 'rule' fehlt")
    if entry.get("fee") is not None and entry.get("fees") is not None:
        raise CatalogueError(f"{where}: bitte nur 'fee' angeben (das alte Feld 'fees' entfernen)")
    try:
        fee = parse_fee(entry.get("fee", entry.get("fees")))
        processing_time = parse_processing_time(entry.get("processing_time"))
    except FactsError as exc:
        raise CatalogueError(f"{where}: {exc}") from None
    return Service(
        id=sid,
        name=_str(entry, "name", where),
        topic=_str(entry, "topic", where, required=False) or defaults.get("topic", ""),
        curated=True,
        synonyms=_list(entry, "synonyms", where),
        description=" ".join(_str(entry, "description", where).split()),
        documents=_list(entry, "documents", where),
        online=online,
        online_note=_str(entry, "online_note", where, required=False),
        fees=fee.short if fee else "",
        responsibility=Assignment(str(resp["rule"]), str(resp.get("department") or "")),
        servicebw_id=sbw,
        source=_str(entry, "source", where, required=False) or str(defaults.get("source") or ""),
        stand=_str(entry, "stand", where, required=False) or str(defaults.get("stand") or ""),
        fee=fee,
        processing_time=processing_time,
        place_role=place_role,
        file=str(file),
    )


class Catalogue:
    """All services, curated first, with lookup by id."""

    def __init__(self, services: list[Service]) -> None:
        self.services = services
        self.by_id = {s.id: s for s in services}

    @property
    def curated(self) -> list[Service]:
        return [s for s in self.services if s.curated]

    def get(self, service_id: str) -> Service | None:
        return self.by_id.get(service_id)

    @classmethod
    def load(cls, catalogue_dir: Path, data_dir: Path, longtail: dict | None = None) -> Catalogue:
        """Read curated YAML files, then add the long tail of the shared service-bw list."""
        servicebw = load_servicebw_ids(data_dir)
        services: list[Service] = []
        seen: dict[str, str] = {}
        files = sorted((catalogue_dir / "services").glob("*.yml"))
        if not files:
            raise CatalogueError(f"Keine Katalogdateien in {catalogue_dir / 'services'}")
        for file in files:
            try:
                doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise CatalogueError(f"{file.name}: kein gültiges YAML ({exc})") from None
            if not isinstance(doc, dict) or not isinstance(doc.get("services"), list):
                raise CatalogueError(f"{file.name}: Schlüssel 'services' mit einer Liste fehlt")
            for entry in doc["services"]:
                service = parse_service(entry, file, doc, servicebw)
                if service.id in seen:
                    raise CatalogueError(f"{file.name}: id '{service.id}' doppelt (auch in {seen[service.id]})")
                seen[service.id] = file.name
                services.append(service)
        used = {s.servicebw_id for s in services if s.servicebw_id}
        longtail = longtail or {}
        for entry in servicebw.values():
            if entry.kind != "leistung" or entry.confidence != "high" or entry.id in used:
                continue
            services.append(
                Service(
                    id=f"sbw-{entry.id}", name=entry.name, topic=entry.topic, curated=False,
                    servicebw_id=entry.id, source=str(longtail.get("source", "")),
                    stand=str(longtail.get("stand", "")),
                )
            )
        return cls(services)
