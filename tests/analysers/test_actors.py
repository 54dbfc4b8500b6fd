import pytest

import proplens
from proplens.analysers.actors import actor_key, assign_targets, group_mentions, is_vocative
from proplens.analysers.parse import Entity, parse_english
from proplens.analysis import TechniqueSpan

TEXT = (
    "Northbay news\n"
    "Mayor Tom Hale opened the bridge on Friday. Critics say Hale is a corrupt liar and a "
    "shameful coward. The Harbour Council praised the engineers for their excellent work.\n"
    'Hale\'s office said: "The bridge is safe".\n'
)


def test_mentions_merge_by_surname_and_possessive() -> None:
    entities = [
        Entity(0, 12, "PERSON", "Vladimir Putin"),
        Entity(20, 25, "PERSON", "Putin"),
        Entity(30, 37, "PERSON", "Putin's"),
        Entity(40, 45, "ORG", "Stone"),
        Entity(50, 62, "PERSON", "Oliver Stone"),
        Entity(70, 77, "NORP", "Muslims"),
        Entity(80, 86, "NORP", "Muslim"),
    ]
    groups = group_mentions(entities)
    assert {g.name: len(g.mentions) for g in groups.values()} == {
        "Vladimir Putin": 3,
        "Oliver Stone": 2,
        "Muslims": 2,
    }
    assert actor_key(Entity(0, 6, "PERSON", "Путина")) == actor_key(Entity(0, 5, "PERSON", "Путин"))


def test_acronyms_and_relabelled_names_join_their_actor() -> None:
    entities = [
        Entity(0, 42, "ORG", "the Northern Harbour Defence League"),
        Entity(50, 55, "ORG", "NHDL's"),
        Entity(60, 98, "LOC", "the United Provinces of Westmark"),
        Entity(100, 103, "LOC", "UPW"),
        Entity(110, 116, "NORP", "Valdan"),
        Entity(120, 126, "ORG", "Valdan"),
        Entity(130, 136, "NORP", "Valdan"),
        Entity(137, 144, "PERSON", "Valdans"),
        Entity(150, 153, "ORG", "BBC"),
    ]
    groups = group_mentions(entities)
    assert {g.name: (len(g.mentions), g.type) for g in groups.values()} == {
        "the Northern Harbour Defence League": (2, "organisation"),
        "the United Provinces of Westmark": (2, "place"),
        "Valdan": (4, "group"),
        "BBC": (1, "organisation"),
    }


def test_author_attacks_give_negative_stance_and_targets() -> None:
    analysis = proplens.analyse(TEXT, lang="en")
    actors = {a.name: a for a in analysis.actors}
    assert "Tom Hale" in actors and actors["Tom Hale"].type == "person"
    assert len(actors["Tom Hale"].mentions) == 3
    assert actors["Tom Hale"].stance is not None and actors["Tom Hale"].stance < 0
    council = next(a for a in analysis.actors if "Council" in a.name)
    assert council.stance is not None and council.stance > actors["Tom Hale"].stance
    for start, end in actors["Tom Hale"].mentions:
        assert TEXT[start:end].startswith(("Tom Hale", "Hale"))
    aimed = [t for t in analysis.techniques if t.target == "Tom Hale"]
    assert aimed, "an attack span in 'Hale is a corrupt liar' is aimed at Hale"
    payload = analysis.to_dict()
    assert any(t["target"] == "Tom Hale" for t in payload["techniques"])


def test_other_languages_get_no_actors_without_a_parser() -> None:
    analysis = proplens.analyse("Title\nLe maire a ouvert le pont vendredi.\n", lang="fr")
    assert analysis.actors == ()


def test_russian_actors_come_from_natasha_and_merge_case_forms() -> None:
    text = (
        "Заголовок\n"
        "Мэр Иван Петров открыл мост. Критики называют Петрова лжецом и трусом. "
        "Петрову не верит никто в городе Северск.\n"
    )
    analysis = proplens.analyse(text, lang="ru")
    actors = {a.name: a for a in analysis.actors}
    petrov = next(a for a in analysis.actors if "Петров" in a.name)
    assert petrov.type == "person" and len(petrov.mentions) == 3
    assert any(a.type == "place" for a in actors.values())


def test_russian_names_merge_by_dictionary_form_and_show_it() -> None:
    text = (
        "Заголовок\n"
        "Власти Грузии снова обратились к Брюсселю. Грузия ждёт ответа уже десять лет. "
        "Премьер Грузии Ираклий Ломидзе заявил, что в Грузию приедут эксперты. "
        "Ломидзе встретился с послом в Тбилиси.\n"
    )
    actors = {a.name: a for a in proplens.analyse(text, lang="ru").actors}
    assert len(actors["Грузия"].mentions) == 4  # Грузии, Грузия, Грузии, Грузию
    assert "Брюссель" in actors  # written only as "Брюсселю"
    assert len(actors["Ираклий Ломидзе"].mentions) == 2


def test_russian_stance_reads_the_learned_sentence_sentiment() -> None:
    text = (
        "Заголовок\n"
        "Мэр Иван Петров открыл новую больницу, и жители ему благодарны. "
        "Директор завода Сергей Волков — лжец и вор, он разорил город. "
        "Волков снова обманул рабочих.\n"
    )
    analysis = proplens.analyse(text, lang="ru")
    stance = {a.name: a.stance for a in analysis.actors}
    assert stance["Иван Петров"] is not None and stance["Иван Петров"] > 0.2
    assert stance["Сергей Волков"] is not None and stance["Сергей Волков"] < -0.1


WAR_TEXT = (
    "The long war\n"
    "General Marcus Vosk is a butcher and a liar. Vosk ordered the shelling again. "
    "His troops attacked the Delmarans at dawn, and the Delmarans were killed in their homes. "
    "We Delmarans will not forget our dead.\n"
)


def test_victims_and_the_authors_side_are_not_scored_as_attacked() -> None:
    analysis = proplens.analyse(WAR_TEXT, lang="en")
    actors = {a.name: a for a in analysis.actors}
    vosk = next(a for a in analysis.actors if "Vosk" in a.name)
    delmarans = next(a for a in analysis.actors if "Delmaran" in a.name)
    assert vosk.stance is not None and vosk.stance < -0.3
    assert delmarans.stance is not None and delmarans.stance >= 0, actors


def test_patient_and_ingroup_cues_in_mention_scores() -> None:
    from proplens.analysers.actors import MentionScore, article_baseline, stance

    attacked = [MentionScore(-0.2, -0.8, 0.0)]
    victim = [MentionScore(0.0, 0.0, 0.0), MentionScore(0.0, 0.0, 0.4)]
    assert stance(attacked) is not None and stance(attacked) < -0.5  # type: ignore[operator]
    assert stance(victim) is not None and stance(victim) > 0  # type: ignore[operator]
    assert stance([]) is None
    dark = [MentionScore(-0.3, 0.0, 0.0)] * 10
    assert article_baseline(dark) == pytest.approx(-0.3) and article_baseline(dark[:3]) == 0.0
    assert stance(dark[:1], article_baseline(dark)) == 0.0  # as dark as the article: neutral


def test_a_headline_is_not_an_actor() -> None:
    from proplens.analysers.parse import plausible_name

    assert plausible_name("Harbour Council") and plausible_name("Kasym-Zhomart Tokayev")
    assert not plausible_name("The Harbour Bridge Scandal: Wake Up Before It Is Too Late")
    assert not plausible_name("Bridge Scandal\nThe")
    text = "The Harbour Bridge Scandal: Wake Up Before It Is Too Late\nMayor Tom Hale lied.\n"
    names = {a.name for a in proplens.analyse(text, lang="en").actors}
    assert not any(":" in n for n in names)


@pytest.mark.parametrize(
    ("sentence", "addressed"),
    [
        ("Is it not shameful to betray your own town, Hale?", True),
        ("And you, Hale, will answer for this betrayal.", True),
        ("Shame on you, Hale!", True),
        ("The council thanked Ardia, Hale, and Corvo.", False),
        ("Yesterday, Hale, the mayor, spoke.", False),
        ("In 2004, Hale said no.", False),
    ],
)
def test_a_name_the_author_addresses_is_vocative(sentence: str, addressed: bool) -> None:
    doc = proplens.Document.from_text(sentence)
    start = sentence.index("Hale")
    mention = Entity(start, start + 4, "PERSON", "Hale")
    assert is_vocative(doc.text, mention, doc.sentences[0]) is addressed


def test_what_is_said_to_an_actor_counts_for_its_stance() -> None:
    text = (
        "Bridge vote\n"
        "The council met on Monday to vote on the bridge. Mayor Tom Hale chaired the meeting.\n"
        "Why did you betray and ruin the families who trusted you, Hale?\n"
    )
    hale = next(a for a in proplens.analyse(text, lang="en").actors if a.name == "Tom Hale")
    assert hale.stance is not None and hale.stance < -0.2


def _target_of(text: str, word: str) -> str | None:
    """The actor a loaded-language span on ``word`` is aimed at, by the English parse."""
    doc = proplens.Document.from_text(text, lang="en")
    parse = parse_english(text)
    start = text.index(word)
    span = TechniqueSpan(start, start + len(word), "Loaded_Language", 0.9, "test")
    (aimed,) = assign_targets(doc, [span], group_mentions(parse.entities), parse.spacy_doc)
    return aimed.target


def test_an_attack_on_a_possessed_noun_targets_its_owner() -> None:
    text = (
        "The Northbay Harbour Council's plan and Tom Hale's pathetic excuse were both "
        "rejected by the voters."
    )
    assert _target_of(text, "excuse") == "Tom Hale", "the excuse is Hale's, not the council's"


def test_a_place_in_a_clause_beside_the_subject_is_not_its_target() -> None:
    text = (
        "Thus the old empire, having lost its army in Norland, but having managed to "
        "devour Westmark, has decided to march on the coast."
    )
    target = _target_of(text, "devour")
    assert target not in {"Norland", "Westmark"}, "the clause names places, not the agent"


def test_a_place_where_things_happen_is_not_blamed_for_them() -> None:
    text = (
        "Harbour news\nThe brutal, bloody and shameful occupation in Norland goes on. "
        "The cruel regime has ruined every village in Norland.\n"
    )
    norland = next(a for a in proplens.analyse(text, lang="en").actors if a.name == "Norland")
    assert norland.stance is not None and norland.stance >= 0


COUNCIL = (
    "Riverton Council Votes on the New Road\n\n"
    "Councilman Greg Pratt said the road would open in spring. Residents in Riverton were not "
    "convinced. Greg Pratt promised a public meeting, and Pratt repeated that the money was "
    "there.\n\n"
    "Copyright 2024 Riverton Gazette. All rights reserved.\n"
)


def test_headlines_titles_towns_and_papers_are_not_people() -> None:
    actors = {a.name: a for a in proplens.analyse(COUNCIL, lang="en").actors}
    assert set(actors) == {"Greg Pratt", "Riverton", "Riverton Gazette"}
    assert len(actors["Greg Pratt"].mentions) == 3 and actors["Greg Pratt"].type == "person"
    assert actors["Riverton"].type == "place" and len(actors["Riverton"].mentions) == 2
    assert actors["Riverton Gazette"].type == "organisation"


def test_a_headline_name_joins_the_person_the_body_names() -> None:
    text = (
        "Putin Again Frightened the West With His Nuclear Talk\n\n"
        "Vladimir Putin told reporters on Tuesday that the missiles were ready. Putin has "
        "said this many times before.\n"
    )
    (actor,) = proplens.analyse(text, lang="en").actors
    assert actor.name == "Vladimir Putin" and actor.mentions[0] == (0, 5)


def test_a_speaker_is_not_the_target_of_his_own_words() -> None:
    text = (
        "The Bridge\n\n"
        "Everyone in town knows the truth. Can we really trust anything this committee says?\n\n"
        '"The new bridge is a disgrace and a betrayal of the people who built this harbour," '
        "said Marta Olsen, who has run the fish market for thirty years.\n"
    )
    analysis = proplens.analyse(text, lang="en")
    quoted = text.index("disgrace")
    olsen = [t for t in analysis.techniques if t.target == "Marta Olsen"]
    assert olsen == [], [(text[t.start : t.end], t.technique) for t in olsen]
    inside = [t for t in analysis.techniques if t.start <= quoted < t.end]
    assert inside and all(t.speaker == "Marta Olsen" for t in inside)
