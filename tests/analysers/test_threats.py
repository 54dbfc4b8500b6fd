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


def test_languages_without_a_threat_model_get_none() -> None:
    assert proplens.analyse("Titre\nNous allons gagner.\n", lang="fr").threats == ()
