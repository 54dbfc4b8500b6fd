"""Compose data/threats/threats.jsonl from the base sentences below (written for proplens).

Each base sentence has a {T} slot filled with three made-up targets, so the set holds three
variants of each; the variants of a base share its ``group`` so that folds never split them and a
held-out fold always tests unseen wording. No real people, no operational detail.
Run: python data/threats/compose.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

TARGETS = [
    "the mayor", "the council", "those journalists", "the judge", "the Valdorian settlers",
    "the editor of the Northbay Gazette", "the traitors in parliament", "the new neighbours",
    "the union leaders", "the professor", "the Orrin family", "the border guards",
    "the bankers", "the health minister", "the foreigners on Mill Street", "the priest",
    "the activists", "the police chief", "the Karsk minority", "the witnesses",
]  # fmt: skip

# (kind, severity, sentence); kind None = not a threat.
THREATS = [
    # explicit threats of lethal or grave violence: high
    ("explicit", "high", "We will kill {T} if they show their faces here again."),
    ("explicit", "high", "{T} will be dead before the end of the month, I promise you."),
    ("explicit", "high", "I am going to put a bullet in {T}."),
    ("explicit", "high", "Mark my words: {T} will not survive the next election night."),
    ("explicit", "high", "We are coming for {T}, and this time nobody walks away alive."),
    ("explicit", "high", "If {T} testify, we will burn their houses down with them inside."),
    ("explicit", "high", "Tonight we will hang {T} from the lamp posts."),
    ("explicit", "high", "I will slit the throat of {T} myself."),
    ("explicit", "high", "{T} should know that we will shoot them on sight."),
    ("explicit", "high", "Every one of {T} will be executed when our day comes."),
    ("explicit", "high", "We will blow up the offices of {T}."),
    ("explicit", "high", "One more word and {T} will end up in a coffin."),
    ("explicit", "medium", "We will beat {T} until they cannot stand."),
    ("explicit", "medium", "Touch our school again and we will break every bone of {T}."),
    ("explicit", "medium", "{T} are going to get hurt, badly, and soon."),
    ("explicit", "medium", "We will smash the windows of {T} and drag them into the street."),
    ("explicit", "medium", "I swear I will make {T} bleed for this."),
    ("explicit", "medium", "Next time we meet, {T} will be carried out on a stretcher."),
    ("explicit", "medium", "We will set the cars of {T} on fire."),
    ("explicit", "medium", "Keep talking and we will teach {T} a lesson with our fists."),
    # calls to violence: high/medium
    ("call_to_violence", "high", "Brothers, take up arms and wipe out {T}."),
    ("call_to_violence", "high", "It is the duty of every true believer to kill {T}."),
    ("call_to_violence", "high", "Rise up and slaughter {T} wherever you find them."),
    ("call_to_violence", "high", "Only blood will cleanse our land of {T}; go and spill it."),
    ("call_to_violence", "high", "Arm yourselves: the war against {T} begins now."),
    ("call_to_violence", "high", "Whoever kills {T} will be rewarded as a hero."),
    ("call_to_violence", "high", "Join the armed struggle and drive {T} into the sea."),
    ("call_to_violence", "high", "Strike {T} with everything you have until none are left."),
    ("call_to_violence", "high", "The time for words is over; the time for the sword against {T} has come."),
    ("call_to_violence", "high", "Every patriot must be ready to fight and kill {T}."),
    ("call_to_violence", "medium", "Go to their homes and make {T} afraid to sleep at night."),
    ("call_to_violence", "medium", "Attack {T} in the streets until they leave our city."),
    ("call_to_violence", "medium", "Storm the building and drag {T} out by force."),
    ("call_to_violence", "medium", "Show {T} with your fists what this town thinks of them."),
    ("call_to_violence", "medium", "Burn the offices of {T} to the ground."),
    ("call_to_violence", "medium", "Make {T} pay in blood for what they did."),
    ("call_to_violence", "medium", "Our youth must stand ready for jihad against {T}."),
    ("call_to_violence", "medium", "Take the fight to {T}: no mercy, no retreat."),
    ("call_to_violence", "medium", "People of the valley, rise and crush {T} by force."),
    ("call_to_violence", "medium", "Chase {T} out with sticks and stones if you have to."),
    ("call_to_violence", "low", "Someone should finally give {T} the beating they deserve."),
    ("call_to_violence", "low", "If the courts will not act, the people should take care of {T} themselves."),
    ("call_to_violence", "low", "It is time ordinary people dealt with {T} the old way."),
    # death wishes and wished punishment: medium/low
    ("death_wish", "medium", "I hope {T} die a slow and painful death."),
    ("death_wish", "medium", "May {T} burn in hell, and the sooner the better."),
    ("death_wish", "medium", "The world will be a better place when {T} are dead."),
    ("death_wish", "medium", "I pray that {T} are wiped from the face of the earth."),
    ("death_wish", "medium", "Death to {T}!"),
    ("death_wish", "medium", "{T} deserve to be shot, every last one of them."),
    ("death_wish", "medium", "I would dance on the grave of {T}."),
    ("death_wish", "medium", "{T} deserve the rope, nothing less."),
    ("death_wish", "medium", "Let {T} rot in the ground where they belong."),
    ("death_wish", "low", "I hope something terrible happens to {T}."),
    ("death_wish", "low", "Nobody would cry if {T} had an accident tomorrow."),
    ("death_wish", "low", "May God strike down {T} for their lies."),
    ("punishment", "medium", "{T} should be lined up against a wall."),
    ("punishment", "medium", "{T} deserve to be publicly flogged for this betrayal."),
    ("punishment", "medium", "Hang {T} for treason, that is the only fitting punishment."),
    ("punishment", "low", "{T} must be made to suffer for what they have done."),
    ("punishment", "low", "{T} will get what is coming to them, one way or another."),
    ("punishment", "low", "{T} should be punished so hard they never forget it."),
    # veiled threats and intimidation
    ("veiled", "medium", "We know where {T} live, and we know when they are alone."),
    ("veiled", "medium", "Nice house {T} have there; it would be a shame if it caught fire."),
    ("veiled", "medium", "{T} have children too, they should remember that."),
    ("veiled", "medium", "Tell {T} to watch their backs on the way home."),
    ("veiled", "medium", "Accidents happen to people like {T} all the time."),
    ("veiled", "medium", "{T} will not be protected by the police forever."),
    ("veiled", "medium", "Soon {T} will learn what happens to those who cross us."),
    ("veiled", "low", "{T} would be wise to leave town while they still can."),
    ("veiled", "low", "If I were {T}, I would not go out after dark."),
    ("veiled", "low", "{T} should be careful what they write from now on."),
    ("veiled", "low", "Let us just say {T} will regret this, and leave it there."),
    ("veiled", "low", "The day of reckoning for {T} is closer than they think."),
    ("veiled", "low", "{T} are being watched, every single day."),
    ("veiled", "low", "Remind {T} that people have long memories around here."),
    ("explicit", "high", "By Sunday {T} will be lying in the street with their heads cut off."),
    ("explicit", "high", "We have a list, and {T} are at the top of it; they will all die."),
    ("explicit", "high", "The next car bomb is for {T}."),
    ("explicit", "medium", "Come near our village again and {T} will lose their teeth."),
    ("explicit", "medium", "We will hunt down {T} one by one and make them suffer."),
    ("call_to_violence", "high", "Kill {T} in their beds, spare no one."),
    ("call_to_violence", "high", "Our fighters must attack {T} until the last of them falls."),
    ("call_to_violence", "medium", "Gather at the square tonight and give {T} the fight they asked for."),
    ("call_to_violence", "medium", "Throw {T} out of the country, by force if necessary."),
    ("call_to_violence", "low", "Maybe a few broken windows would make {T} listen."),
    ("death_wish", "medium", "Hopefully {T} choke on their own lies and drop dead."),
    ("death_wish", "low", "I would not mind if {T} disappeared for good."),
    ("punishment", "medium", "{T} should be stoned in the public square."),
    ("punishment", "low", "A night in a cell and a good hiding is what {T} need."),
    ("veiled", "medium", "{T} keep forgetting that bridges can collapse and cars can crash."),
    ("veiled", "low", "Things could get very unpleasant for {T} very quickly."),
    # styles added after reading the sample articles: afterlife punishment, conquest,
    # rhetorical calls to armed resistance
    ("death_wish", "medium", "And you, {T}, will perish in disgrace, and a severe punishment awaits you in the next life."),
    ("death_wish", "medium", "{T} will be destroyed, in this world and in the next."),
    ("punishment", "low", "The fire of punishment is already waiting for {T}."),
    ("veiled", "medium", "Your end is near, {T}, and no army on earth will save you."),
    ("veiled", "medium", "Soon the capital of {T} will be ours, and their rulers will kneel before us."),
    ("veiled", "low", "One day the palaces of {T} will belong to us."),
    ("call_to_violence", "low", "Our grandfathers answered {T} with the sword; will we now meekly submit?"),
    ("call_to_violence", "low", "Will we sit quietly while {T} swallow our land, or will we answer as our fathers did?"),
    ("call_to_violence", "medium", "Remember how our people drove out {T} with rifles a century ago, and be ready to do it again."),
    ("call_to_violence", "low", "Those who resisted {T} with arms showed us the only way."),
    # intimidation said to the target's face, added after the #22 probes: the set had
    # threats about a target, hardly any addressed to one
    ("veiled", "medium", "We know where you live, {T}."),
    ("veiled", "medium", "We know where you live, {T}; you will pay dearly for what you wrote."),
    ("veiled", "low", "You will pay dearly for this, {T}, and sooner than you think."),
    ("veiled", "low", "Keep going, {T}, and you will find out what we do to people like you."),
    ("veiled", "medium", "You and your family are not safe here any more, {T}."),
    ("veiled", "low", "You have been warned, {T}: next time there will be no warning."),
    ("veiled", "low", "We are watching you, {T}, and we will not forget."),
]

NEGATIVES = [
    # reports of violence (news voice)
    ("report", "Police said two men attacked {T} outside the station on Friday."),
    ("report", "{T} were injured when a crowd threw stones at their car."),
    ("report", "The court sentenced the man who threatened {T} to two years in prison."),
    ("report", "Prosecutors say the suspect had sent death threats to {T}."),
    ("report", "Three people were killed in the attack, according to {T}."),
    ("report", "{T} reported receiving threatening letters last month."),
    ("report", "Witnesses described how the gunman opened fire near the market."),
    ("report", "The explosion damaged the building where {T} had their offices."),
    ("report", "An investigation into the assault on {T} is under way."),
    ("report", "The riot left dozens wounded, {T} said in a statement."),
    ("report", "Officers arrested a man suspected of planning to harm {T}."),
    ("report", "The victims' families met {T} to demand answers."),
    ("report", "Firefighters spent the night fighting the blaze that destroyed the warehouse."),
    ("report", "{T} condemned the killing of the two aid workers."),
    ("report", "The soldiers were shot during a patrol, the ministry confirmed."),
    ("report", "A bomb disposal team was called after a suspicious package reached {T}."),
    # history
    ("history", "In 1848 the rebels stormed the palace and executed the governor."),
    ("history", "The war killed millions and left the continent in ruins."),
    ("history", "Historians still debate why the army massacred the villagers."),
    ("history", "The old fortress was burned to the ground during the siege of 1620."),
    ("history", "The general ordered his troops to fight to the last man."),
    ("history", "After the revolution, the king and his ministers were beheaded."),
    ("history", "The museum remembers those who died when the city was bombed."),
    ("history", "The partisans ambushed the convoy in the winter of 1943."),
    ("history", "For centuries, duels were how nobles settled questions of honour."),
    ("history", "The chronicle describes how the invaders burned every village in the valley."),
    # metaphors, sports, games, idioms
    ("metaphor", "Our team is going to kill it at the championship next week."),
    ("metaphor", "{T} destroyed the opposition in last night's debate."),
    ("metaphor", "This budget will murder small businesses in the region."),
    ("metaphor", "We will fight {T} at the ballot box and win."),
    ("metaphor", "The striker shot the ball straight into the corner."),
    ("metaphor", "{T} are fighting a losing battle against inflation."),
    ("metaphor", "The comedian absolutely slayed the audience."),
    ("metaphor", "Let us crush the competition with better products."),
    ("metaphor", "The new tax is a bullet to the heart of the farming sector."),
    ("metaphor", "My boss will kill me if I am late again."),
    ("metaphor", "We will bury {T} in paperwork until they give up the plan."),
    ("metaphor", "The chess champion attacked the king with both rooks."),
    ("metaphor", "The campaign is a war for the hearts and minds of voters."),
    ("metaphor", "{T} took a beating in the polls this week."),
    ("metaphor", "That joke really knocked the audience dead."),
    ("metaphor", "The critics tore the new film to pieces."),
    ("metaphor", "We will fight tooth and nail to keep {T} from closing the library."),
    ("metaphor", "The storm hammered the coast for three days."),
    # quoted threats being criticised or reported
    ("quoted_criticism", 'The minister condemned the slogan "death to {T}" as disgraceful.'),
    ("quoted_criticism", 'Posting "we will kill {T}" is a crime, the court reminded users.'),
    ("quoted_criticism", "The editorial called the threats against {T} cowardly and unacceptable."),
    ("quoted_criticism", "We reject every call to violence against {T}."),
    ("quoted_criticism", "Threatening {T} is never an acceptable way to win an argument."),
    ("quoted_criticism", "The platform removed posts that urged people to attack {T}."),
    ("quoted_criticism", "Those who shout that {T} should hang are poisoning our democracy."),
    ("quoted_criticism", "The letter writer's wish to see {T} dead shocked the community."),
    ("quoted_criticism", "Calls to burn the offices of {T} must be investigated by police."),
    ("quoted_criticism", "She said the chants against {T} crossed a line and must stop."),
    ("quoted_criticism", "No grievance justifies violence against {T}, the bishop said."),
    ("quoted_criticism", "The report documents a rise in online threats against {T}."),
    # strong but non-violent criticism, protest and lawful demands
    ("condemnation", "{T} must resign immediately after this scandal."),
    ("condemnation", "{T} should be investigated and, if guilty, tried in court."),
    ("condemnation", "We will protest peacefully outside the offices of {T} every day."),
    ("condemnation", "{T} have betrayed the trust of every voter in this town."),
    ("condemnation", "Vote {T} out in the next election."),
    ("condemnation", "{T} are liars and hypocrites, and everyone knows it."),
    ("condemnation", "Boycott the shops that support {T}."),
    ("condemnation", "We demand that {T} answer for their decisions in public."),
    ("condemnation", "{T} should be ashamed of themselves."),
    ("condemnation", "The people will hold {T} accountable at the polls."),
    ("condemnation", "{T} deserve to lose their jobs over this."),
    ("condemnation", "Sign the petition to stop {T} from selling the park."),
    ("condemnation", "We will take {T} to court and we will win."),
    ("condemnation", "{T} are destroying everything our parents built."),
    ("condemnation", "Shame on {T} for abandoning the refugees."),
    ("condemnation", "{T} have blood on their hands for ignoring the warnings."),
    ("condemnation", "Strike! Let {T} see that the workers are united."),
    ("condemnation", "{T} will pay a heavy political price for this decision."),
    # neutral statements mentioning targets
    ("neutral", "{T} met on Tuesday to discuss the new bus routes."),
    ("neutral", "{T} have published their annual report."),
    ("neutral", "The festival, organised with {T}, drew thousands of visitors."),
    ("neutral", "{T} declined to comment on the proposal."),
    ("neutral", "Tickets for the concert are available from {T}."),
    ("neutral", "{T} will open the new bridge on Saturday morning."),
    ("neutral", "According to {T}, the school will reopen in September."),
    ("neutral", "{T} thanked the volunteers who cleaned the beach."),
    ("neutral", "The weather forecast promises sunshine for the harvest."),
    ("neutral", "{T} plan to plant two hundred trees along the river."),
    # self-defence, safety and health language
    ("safety", "Lock your doors at night and call the police if you see anything suspicious."),
    ("safety", "The vaccine kills the virus before it can spread."),
    ("safety", "The pest control company will exterminate the rats in the cellar."),
    ("safety", "Self-defence classes for {T} start next week at the gym."),
    ("safety", "The surgeon had to cut deep to remove the tumour."),
    ("safety", "Hunters shot three deer during the season, the forestry office said."),
    ("report", "The attacker shouted threats at {T} before he was overpowered."),
    ("report", "A man was charged with arson after the fire at the offices of {T}."),
    ("report", "{T} received police protection after the threats became public."),
    ("history", "The rebels promised death to the emperor, and in 1792 they kept that promise."),
    ("history", "Ancient laws punished theft by cutting off a hand."),
    ("metaphor", "{T} shot down every idea the students proposed."),
    ("metaphor", "We are going to knock {T} out of the tournament."),
    ("metaphor", "This heat is killing me."),
    ("quoted_criticism", 'Graffiti reading "hang {T}" was painted over by volunteers.'),
    ("quoted_criticism", "Threats like these against {T} have no place in our society."),
    ("quoted_criticism", "The trial heard that the defendant wrote he wanted {T} dead."),
    ("condemnation", "{T} are a disgrace and should never hold office again."),
    ("condemnation", "Fight for your rights: march with us against {T} on Saturday."),
    ("condemnation", "Let us defeat {T} in a fair vote."),
    ("neutral", "{T} visited the hospital to open the new children's ward."),
    ("neutral", "The library lends books to {T} free of charge."),
    ("history", "A century ago the empire fell and its capital was occupied by foreign armies."),
    ("history", "In the old days the villagers resisted {T} for three generations."),
    ("metaphor", "This season the trophy will be ours, the captain promised."),
    ("condemnation", "History will judge {T} harshly for this decision."),
    ("condemnation", "Will we quietly accept the lies of {T}, or will we vote them out?"),
    ("quoted_criticism", "The preacher's talk of punishing {T} in the afterlife was criticised as hateful."),
    # complaints and warnings that share a threat's words ("every single", "pay dearly")
    ("condemnation", "Every single week {T} promise repairs and nothing happens."),
    ("condemnation", "Every single day {T} ignore the letters of the residents."),
    ("condemnation", "Month after month we wait, and {T} do nothing at all."),
    ("condemnation", "You will pay dearly for this at the ballot box, {T}."),
    ("condemnation", "We are watching how {T} spend our taxes, and we will vote accordingly."),
    ("neutral", "We know where the money went, {T}, and we will publish the accounts."),
    ("neutral", "Residents will pay more for water from next week, {T} announced."),
]


def compose(seed: int = 2026) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for group, (kind, severity, base) in enumerate(THREATS):
        for target in _targets(base, rng):
            rows.append(_row(f"t{group:03d}", base, target, kind, severity))
    for group, (negative, base) in enumerate(NEGATIVES):
        for target in _targets(base, rng):
            rows.append(_row(f"n{group:03d}", base, target, None, "none", negative))
    for i, row in enumerate(rows):
        row["id"] = f"th{i:04d}"
    return rows


def _targets(base: str, rng: random.Random) -> list[str | None]:
    return rng.sample(TARGETS, 3) if "{T}" in base else [None]


def _row(
    group: str, base: str, target: str | None, kind: str | None, severity: str,
    negative: str | None = None,
) -> dict[str, object]:  # fmt: skip
    text = base.replace("{T}", target or "")
    text = text[0].upper() + text[1:]
    return {
        "id": "",
        "group": group,
        "text": text,
        "threat": kind is not None,
        "kind": kind or "none",
        "severity": severity,
        "target": target,
        "negative_type": negative,
    }


if __name__ == "__main__":
    rows = compose()
    out = Path(__file__).with_name("threats.jsonl")
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    n_pos = sum(1 for r in rows if r["threat"])
    print(f"{len(rows)} sentences ({n_pos} threats, {len(rows) - n_pos} negatives) -> {out}")
