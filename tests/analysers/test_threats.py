import proplens
from proplens.models.threats import severity_of


def test_threats_are_flagged_with_severity_and_target() -> None:
    text = (
        "Letters to the editor\n"
        "The council met on Tuesday to discuss the bus routes. "
        "We will kill Mayor Tom Hale if he shows his face here again. "
        "Police said two men attacked a shopkeeper outside the station on Friday.\n"
    )
    analysis = proplens.analyse(text, lang="en")
    flagged = [text[t.start : t.end] for t in analysis.threats]
    assert flagged == ["We will kill Mayor Tom Hale if he shows his face here again."]
    (threat,) = analysis.threats
    assert threat.severity == "high" and 0.5 <= threat.score <= 1
    assert threat.target == "Tom Hale"
    assert analysis.to_dict()["threats"][0]["text"] == flagged[0]


def test_severity_rules() -> None:
    assert severity_of("We will shoot them on sight.") == "high"
    assert severity_of("I hope they die a slow death.") == "medium"
    assert severity_of("We will break every bone in their bodies.") == "medium"
    assert severity_of("They would be wise to leave town while they still can.") == "low"


def test_other_languages_get_the_multilingual_head() -> None:
    calm = proplens.analyse("Titre\nLe conseil municipal a voté le budget mardi.\n", lang="fr")
    assert calm.threats == ()
    text = "Notre message\nNous allons abattre le maire et brûler sa maison avec lui dedans.\n"
    analysis = proplens.analyse(text, lang="fr")
    (threat,) = analysis.threats
    assert text[threat.start : threat.end].startswith("Nous allons abattre")
    assert threat.severity in {"medium", "high"}
    german = "Drohung\nWir werden den Bürgermeister töten.\n"
    assert severity_of("Wir werden den Bürgermeister töten.") == "high"
    assert len(proplens.analyse(german, lang="de").threats) == 1


def test_unknown_languages_get_no_threats() -> None:
    assert proplens.analyse("Title\nWe will kill the mayor.\n", lang="xx").threats == ()


def test_a_quoted_threat_is_charged_to_its_speaker() -> None:
    text = (
        "Court report\n"
        'The note read: "We will kill Mayor Tom Hale if he shows his face here again."\n'
        "We will kill Mayor Tom Hale if he shows his face here again.\n"
    )
    analysis = proplens.analyse(text, lang="en")
    speakers = [t.speaker for t in analysis.threats]
    assert speakers == ["The note", "author"]
    assert [t["speaker"] for t in analysis.to_dict()["threats"]] == speakers


def test_intimidation_said_to_the_face_is_flagged_and_complaints_are_not() -> None:
    text = (
        "Letters\n\n"
        "We know where you live, Pratt. You will pay dearly for this.\n\n"
        "Every single week the council promises repairs and nothing happens.\n"
    )
    flagged = [text[t.start : t.end] for t in proplens.analyse(text, lang="en").threats]
    assert flagged and flagged[0].startswith("We know where you live")
    assert not any("Every single week" in f for f in flagged)
