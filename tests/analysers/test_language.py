"""Language identification (lingua, the six training languages and a few more)."""

from __future__ import annotations

import pytest

from proplens.analysers.language import detect_language

LONG = {
    "en": "The town council met on Tuesday evening to argue once more about the new bus lanes, "
    "which shopkeepers say have emptied the high street since the spring.",
    "ru": "Городской совет во вторник вечером снова спорил о новых автобусных полосах, которые, "
    "по словам владельцев магазинов, опустошили главную улицу с весны.",
    "fr": "Le conseil municipal s'est réuni mardi soir pour débattre une fois de plus des "
    "nouvelles voies de bus, qui selon les commerçants ont vidé la rue principale.",
    "de": "Der Stadtrat kam am Dienstagabend zusammen, um erneut über die neuen Busspuren zu "
    "streiten, die nach Ansicht der Händler die Hauptstraße seit dem Frühjahr leeren.",
    "it": "Il consiglio comunale si è riunito martedì sera per discutere ancora una volta delle "
    "nuove corsie degli autobus, che secondo i negozianti hanno svuotato la via principale.",
    "pl": "Rada miasta zebrała się we wtorek wieczorem, aby ponownie spierać się o nowe "
    "buspasy, które według sklepikarzy opustoszyły główną ulicę od wiosny.",
}


@pytest.mark.parametrize("lang", sorted(LONG))
def test_paragraphs_of_the_training_languages(lang: str) -> None:
    assert detect_language(LONG[lang]) == lang


def test_a_short_line() -> None:
    assert detect_language("Der Stadtrat tagt heute.") == "de"


def test_too_little_text_is_undetermined() -> None:
    assert detect_language("12 - 7 = 5 !") == "und"
