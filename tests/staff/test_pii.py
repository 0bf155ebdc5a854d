"""Masking of personal data in citizen messages (bot.staff.pii)."""

from __future__ import annotations

import pytest

from bot.staff.pii import ADDRESS, EMAIL, IBAN, NAME, PHONE, iban_checksum_ok, mask


@pytest.mark.parametrize("text, expected", [
    ("Meine Mail ist anna.mueller@web.de, bitte", f"Meine Mail ist {EMAIL}, bitte"),
    ("schreiben Sie an Max_Mustermann+amt@gemeinde-fellbach.de.", f"schreiben Sie an {EMAIL}."),
    ("müller@t-online.de", EMAIL),
])
def test_email(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("text", [
    "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "de89 3704 0044 0532 0130 00",
    "DE12 3456 7890 1234 5678 90",  # wrong check digits: masked anyway (DE + 20 digits)
    "AT61 1904 3002 3457 3201", "CH9300762011623852957", "FR14 2004 1010 0505 0001 3M02 606",
    "GB82 WEST 1234 5698 7654 32", "NL91ABNA0417164300", "IT60X0542811101000000123456",
])
def test_iban(text: str) -> None:
    assert mask(f"Meine IBAN ist {text} danke") == f"Meine IBAN ist {IBAN} danke"


def test_iban_checksum_and_no_false_positive() -> None:
    assert iban_checksum_ok("DE89370400440532013000")
    assert not iban_checksum_ok("DE88370400440532013000")
    assert mask("Formular A1 2023 und B12 4567") == "Formular A1 2023 und B12 4567"
    assert mask("ab12 wird das teurer") == "ab12 wird das teurer"


@pytest.mark.parametrize("text", [
    "+49 711 123456", "+49 (0) 711 123456", "+49-171-1234567", "+491711234567", "0049 171 1234567",
    "0711 123456", "0711-123456", "0711/123456", "0171/1234567", "0171 / 123 45 67", "0711 216-0",
    "(0711) 2163-0", "07111234567", "+43 1 5879876", "+41 44 668 18 00",
])
def test_phone(text: str) -> None:
    assert mask(f"Erreichbar unter {text}.") == f"Erreichbar unter {PHONE}."


def test_phone_after_keyword_without_area_code() -> None:
    assert mask("Tel. 123456") == f"Tel. {PHONE}"
    assert mask("meine Handynummer ist 0176 12345678") == f"meine Handynummer ist {PHONE}"


@pytest.mark.parametrize("text", [
    "ich wohne in 70734 Fellbach", "PLZ 01067 Dresden", "Termin am 01.02.2026 um 10:30",
    "kostet 37 Euro", "im Jahr 2026", "Ich brauche 2 Reisepässe", "Öffnungszeiten 08:00 - 12:00",
    "Fellbach", "Bad Friedrichshall", "74177 Bad Friedrichshall", "Schwäbisch Gmünd 73525",
])
def test_places_postcodes_and_numbers_stay(text: str) -> None:
    assert mask(text) == text


@pytest.mark.parametrize("text, expected", [
    ("Ich heiße Anna Müller und brauche einen Pass", f"Ich heiße {NAME} und brauche einen Pass"),
    ("ich heisse anna müller und brauche einen pass", f"ich heisse {NAME} und brauche einen pass"),
    ("ich heiße anna, wohne in Ulm", f"ich heiße {NAME}, wohne in Ulm"),
    ("Mein Name ist Karl von Weizsäcker.", f"Mein Name ist {NAME}."),
    ("mein name is Peter", f"mein name is {NAME}"),
    ("Mein Nachname lautet Schmidt-Öztürk", f"Mein Nachname lautet {NAME}"),
    ("Ich bin der Thomas Schmidt aus Fellbach", f"Ich bin der {NAME} aus Fellbach"),
    ("ich bin die Anna", f"ich bin die {NAME}"),
    ("Ich heiße Anna Ich brauche Hilfe", f"Ich heiße {NAME} Ich brauche Hilfe"),
    ("Mit freundlichen Grüßen Erika Mustermann", f"Mit freundlichen Grüßen {NAME}"),
    ("Name: Müller", f"Name: {NAME}"),
])
def test_names(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("text", [
    "ich bin der Meinung, dass das zu teuer ist", "ich bin die Eigentümerin", "Ich bin der Vater",
    "ich bin die neue Mieterin", "Ich brauche einen neuen Perso für Anna",  # no trigger phrase
])
def test_no_name_without_trigger_or_for_roles(text: str) -> None:
    assert mask(text) == text


@pytest.mark.parametrize("text, expected", [
    ("Ich wohne in der Hauptstraße 12, 70734 Fellbach", f"Ich wohne in der {ADDRESS}, 70734 Fellbach"),
    ("Stuttgarter Straße 12a", ADDRESS),
    ("Theodor-Heuss-Str. 3-5 in Ulm", f"{ADDRESS} in Ulm"),
    ("hauptstr 7", ADDRESS),
    ("Am Rosenweg 12 b", f"Am {ADDRESS}"),
    ("Kirchgasse 4/1", ADDRESS),
    ("Marktplatz 1, 89073 Ulm", f"{ADDRESS}, 89073 Ulm"),
    ("Königsallee 20", ADDRESS),
    ("Alleenring 5", ADDRESS),
    ("Neue Weinsteige 44", f"Neue {ADDRESS}"),
    ("Bahnhofstrasse 3 70173 Stuttgart", f"{ADDRESS} 70173 Stuttgart"),
])
def test_street_addresses(text: str, expected: str) -> None:
    assert mask(text) == expected


def test_street_without_house_number_stays() -> None:
    assert mask("Wo ist die Hauptstraße?") == "Wo ist die Hauptstraße?"
    assert mask("Parkplatz am Schillerplatz") == "Parkplatz am Schillerplatz"


def test_everything_in_one_message() -> None:
    text = ("Hallo, mein Name ist Erika Mustermann, Hauptstraße 12, 70734 Fellbach, Tel. 0711 5851-0, "
            "erika@example.org, IBAN DE89 3704 0044 0532 0130 00. Was kostet der Perso?")
    assert mask(text) == (f"Hallo, mein Name ist {NAME}, {ADDRESS}, 70734 Fellbach, Tel. {PHONE}, "
                          f"{EMAIL}, IBAN {IBAN}. Was kostet der Perso?")


def test_idempotent() -> None:
    once = mask("Ich heiße Anna Müller, Hauptstraße 12, 0711 123456")
    assert mask(once) == once
