"""Mask personal data in citizen messages before staff see them (DSGVO: data minimisation).

Pure functions, no I/O. ``mask(text)`` replaces e-mail addresses, IBANs, phone numbers, street
addresses (street + house number) and names introduced by "ich heiße", "mein Name ist", "ich bin
der/die" or a closing greeting by placeholders. Postcodes and Gemeinde names are *not* masked: they
are what staff need to see, and they do not identify a person on their own.

The order matters: IBANs contain digit groups that look like phone numbers ("0044"), e-mail
addresses contain names, house numbers would otherwise be read as parts of phone numbers.
"""

from __future__ import annotations

import re

EMAIL, PHONE, IBAN, NAME, ADDRESS = "[E-MAIL]", "[TELEFON]", "[IBAN]", "[NAME]", "[ADRESSE]"

_EMAIL_RE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")

# --- IBAN ------------------------------------------------------------------------------------------
#: IBAN length per country (SEPA countries and common neighbours; others are accepted by checksum).
IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BA": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
    "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "ME": 22, "MK": 19, "MT": 31,
    "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "TR": 26, "UA": 29, "VA": 22, "XK": 20,
}
# Country code + check digits, then groups of letters/digits separated by single spaces.
_IBAN_START_RE = re.compile(r"(?<![\w])([A-Za-z]{2})\s?(\d{2})")
_IBAN_GROUP_RE = re.compile(r"[ ]?([A-Za-z0-9]{1,34})")


def iban_checksum_ok(compact: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN without spaces."""
    rearranged = compact[4:] + compact[:4]
    try:
        digits = "".join(str(int(ch, 36)) for ch in rearranged)
    except ValueError:
        return False
    return int(digits) % 97 == 1


def _is_iban(compact: str) -> bool:
    country = compact[:2].upper()
    if not 15 <= len(compact) <= 34:
        return False
    if country == "DE":  # DE + 20 digits, masked even with a typo in the check digits
        return len(compact) == 22 and compact[2:].isdigit()
    if IBAN_LENGTHS.get(country) == len(compact):
        return True
    return iban_checksum_ok(compact.upper())


def _mask_ibans(text: str) -> str:
    out: list[str] = []
    pos = 0
    for start in _IBAN_START_RE.finditer(text):
        if start.start() < pos:
            continue
        compact, end, best = start.group(1) + start.group(2), start.end(), -1
        while (group := _IBAN_GROUP_RE.match(text, end)) and len(compact) < 34:
            compact += group.group(1)
            end = group.end()
            if _is_iban(compact):
                best = end  # keep the longest candidate that ends on a group boundary
        if best > 0:
            out += [text[pos:start.start()], IBAN]
            pos = best
    return "".join(out) + text[pos:]


# --- phone numbers -----------------------------------------------------------------------------------
# International (+49 / 0049) or national (0 + area code) prefix, then digit groups separated by a
# space, "-", "/" or "(0)". A single block needs >= 8 digits so that PLZ ("01067") stay visible.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)\d{1,3}(?:[ \t]?\(0\))?(?:[ \t/-]{0,3}\(?\d{1,5}\)?){2,6}"  # +49 711 123456, 0049-171-...
    r"|\(0\d{2,5}\)[ \t/-]{0,3}\d{2,8}(?:[ \t-]\d{1,6}){0,3}"  # (0711) 123456
    r"|0\d{2,5}(?:[ \t]?[/-][ \t]?|[ \t])\d{2,8}(?:[ \t-]\d{1,6}){0,3}"  # 0711 123456, 0171/1234567
    r"|0\d{7,13}"  # 07111234567
    r")(?!\w)"
)
# A number after a telephone keyword, also without an area code ("Tel. 123456").
_PHONE_KEYWORD_RE = re.compile(
    r"(?i)\b((?:tel|telefon|telefonnummer|handy|handynummer|mobil|mobilnummer|rufnummer|festnetz|fax|"
    r"whatsapp)\b\.?:?(?:[ \t]+(?:ist|lautet))?[ \t]*:?[ \t]*)(\+?\d[\d \t/-]{4,}\d)(?!\w)"
)


def _mask_phones(text: str) -> str:
    text = _PHONE_KEYWORD_RE.sub(lambda m: m.group(1) + PHONE, text)

    def repl(m: re.Match[str]) -> str:
        return PHONE if sum(ch.isdigit() for ch in m.group(0)) >= 6 else m.group(0)

    return _PHONE_RE.sub(repl, text)


# --- street addresses -------------------------------------------------------------------------------
_STREET_SUFFIX = r"(?:stra(?:ß|ss)e|str\.|str|weg|gasse|gässle|platz|allee|ring|steige|staffel|damm|ufer|pfad)"
_HOUSE_NO = r"\d{1,4}(?:[ \t]?[a-zA-Z](?![\w]))?(?:[ \t]?[-/][ \t]?\d{1,4}(?:[a-zA-Z](?![\w]))?)?"
_ADDRESS_RE = re.compile(
    r"(?i)(?<![\w-])(?:"
    r"[\w][\w-]*" + _STREET_SUFFIX +  # Hauptstraße, Theodor-Heuss-Str., Marktplatz
    r"|[\w-]+(?:er|sche|schen)[ \t]+(?:stra(?:ß|ss)e|str\.?|weg|gasse|platz|allee|ring|steige)"  # Stuttgarter Straße
    r")(?:(?<=\.)[ \t]*|[ \t]+)" + _HOUSE_NO + r"(?![\d])"
)


def _mask_addresses(text: str) -> str:
    return _ADDRESS_RE.sub(ADDRESS, text)


# --- names ------------------------------------------------------------------------------------------
_INTRO = (r"ich[ \t]+hei(?:ß|ss|s)e?|mein[ \t]+(?:vor|nach|familien)?name[ \t]+(?:ist|is|lautet|wäre)"
          r"|my[ \t]+name[ \t]+is|name[ \t]*:")
_SELF = r"ich[ \t]+bin[ \t]+(?:der|die)"
_CLOSING = r"(?:viele|liebe|beste|freundliche)[ \t]+grü(?:ß|ss)e|mit[ \t]+freundlichen[ \t]+grü(?:ß|ss)en|mfg|lg|gruß"
_TRIGGER_RE = re.compile(rf"(?i)\b(?P<kind>{_INTRO}|{_SELF}|{_CLOSING})(?!\w)[ \t,:]*")
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_PARTICLES = {"von", "van", "de", "der", "den", "zu", "zur", "vom", "di", "da", "del", "la", "le", "ten", "ter"}
#: Lower-case words that end a name typed in lower case ("ich heiße anna und brauche ...").
_STOP = {
    "und", "oder", "aber", "ich", "aus", "in", "im", "bei", "mit", "wohne", "wohnhaft", "brauche", "bin",
    "habe", "hab", "möchte", "moechte", "will", "würde", "wuerde", "suche", "komme", "frage", "bitte",
    "danke", "hallo", "wie", "was", "wo", "wann", "warum", "wer", "nicht", "kein", "keine", "auch",
    "schon", "noch", "jetzt", "hier", "da", "so", "mal", "eine", "einen", "ein", "der", "die", "das",
    "für", "fuer", "zum", "zur", "an", "am", "auf", "nach", "weil", "dass", "denn", "wir", "sie", "er",
}
#: Capitalised nouns after "ich bin der/die" that are roles or phrases, not names.
_ROLES = {
    "meinung", "ansicht", "auffassung", "überzeugung", "eigentümer", "eigentümerin", "mieter", "mieterin",
    "vermieter", "vermieterin", "halter", "halterin", "vater", "mutter", "sohn", "tochter", "ehemann",
    "ehefrau", "betreuer", "betreuerin", "vormund", "antragsteller", "antragstellerin", "inhaber",
    "inhaberin", "arbeitgeber", "arbeitgeberin", "nachbar", "nachbarin", "erbe", "erbin", "besitzer",
    "besitzerin", "hausverwaltung", "verwalter", "verwalterin", "bevollmächtigte", "bevollmächtigter",
    "neue", "neuer", "einzige", "letzte", "erste", "zuständige", "zuständig", "großvater", "großmutter",
    "oma", "opa", "bruder", "schwester", "enkel", "enkelin", "pate", "patin", "chef", "chefin",
    "ansprechpartner", "ansprechpartnerin", "geschäftsführer", "geschäftsführerin", "vorsitzende",
    "vorsitzender", "lehrer", "lehrerin", "hundehalter", "hundehalterin", "fahrer", "fahrerin",
}


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _name_span(text: str, start: int, kind: str) -> int:
    """End of the name that starts at ``start`` (``start`` itself when there is none)."""
    words: list[re.Match[str]] = []
    pos = start
    while len(words) < 4 and (m := _WORD_RE.match(text, pos)):
        words.append(m)
        gap = re.match(r"[ \t]+", text[m.end():])
        if not gap:
            break
        pos = m.end() + gap.end()
    if not words:
        return start
    first = words[0].group(0)
    self_intro = kind.lower().startswith("ich") and "bin" in kind.lower()
    closing = not self_intro and not re.match(rf"(?i){_INTRO}", kind)
    if _is_cap(first):
        if self_intro and (first.lower() in _ROLES or re.search(r"(?i)(ung|heit|keit|schaft)$", first)):
            return start
        end, count = start, 0
        for i, m in enumerate(words):
            w = m.group(0)
            if _is_cap(w) and count < 3 and w.lower() not in _STOP:
                end, count = m.end(), count + 1
            elif w.lower() in _PARTICLES and i + 1 < len(words) and _is_cap(words[i + 1].group(0)) and i > 0:
                continue
            else:
                break
        return end
    if self_intro or closing or first.lower() in _STOP:
        return start  # lower case after "ich bin die" / a greeting is usually not a name
    end = start
    for m in words[:2]:
        if m.group(0).lower() in _STOP:
            break
        end = m.end()
    return end


def _mask_names(text: str) -> str:
    out: list[str] = []
    pos = 0
    for trig in _TRIGGER_RE.finditer(text):
        if trig.start() < pos:
            continue
        end = _name_span(text, trig.end(), trig.group("kind"))
        if end > trig.end():
            out += [text[pos:trig.end()], NAME]
            pos = end
    return "".join(out) + text[pos:]


def mask(text: str) -> str:
    """The text with personal data replaced by ``[E-MAIL]``, ``[IBAN]``, ``[TELEFON]``, ``[ADRESSE]``, ``[NAME]``."""
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _mask_ibans(text)
    text = _mask_addresses(text)
    text = _mask_phones(text)
    return _mask_names(text)
