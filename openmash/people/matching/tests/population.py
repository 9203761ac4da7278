"""A small, deterministic synthetic population with known truth, for the matcher's own tests.

Independent of ``openmash.testing.synthetic`` (another team's, fuller generator) so these tests
never wait on it. Each person gets 1-4 records as different agencies might hold them, with the
UK realities the matcher must survive: nicknames, typos, transposed day/month, hyphenated and
changed surnames, name swaps, partial postcodes, house moves and missing fields. Some people are
twins (same surname, date of birth and address; different given names).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, replace
from datetime import date, timedelta

from openmash.people.matching.records import PersonRecord


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(separator))


GIRLS = _words(
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Evie Ella Poppy "
    "Emily Florence Charlotte Sienna Daisy Elsie Phoebe Harper Matilda Ruby Alice Sophie Millie "
    "Evelyn Maya Hannah Chloe Jessica Lucy Megan Amber Holly Zara Aisha Fatima Maryam Niamh Erin "
    "Margaret Catherine Elizabeth Rebecca Victoria Samantha Jennifer Deborah Susan Patricia"
)
BOYS = _words(
    "Oliver George Noah Arthur Muhammad Leo Oscar Harry Archie Jack Henry Charlie Freddie Theo "
    "Thomas Alfie Jacob William Isaac Lucas Joshua James Edward Max Samuel Daniel Joseph Ethan "
    "Mason Logan Dylan Adam Callum Connor Kyle Liam Ryan Tyler Ibrahim Yusuf Omar Ali Hassan "
    "Robert Michael Richard Anthony Christopher Alexander Nicholas Stephen Benjamin Matthew"
)
SURNAMES = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen "
    "James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook "
    "Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson "
    "Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali "
    "Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell "
    "Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur "
    "Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks "
    "West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose "
    "Booth Perry Ryan Grant Wells Armstrong Francis Rees Hunter Hayes Nowak Kowalski Okafor "
    "Adeyemi Mensah Nguyen Chen Wang Da-Silva Rahman Uddin Miah Islam Hossain Chowdhury"
)
STREETS = _words(
    "High Street, Station Road, Church Lane, Park Avenue, Victoria Road, Mill Lane, "
    "Queens Road, Kings Road, New Road, Green Lane, Manor Road, Church Street, The Crescent, "
    "Grange Road, Windsor Close, Orchard Way, Chestnut Grove, Springfield Road, Albert Street, "
    "Castle Street, North Road, School Lane, Bridge Street, Meadow Close, London Road",
    ", ",
)
TOWNS = (
    "Guildford",
    "Woking",
    "Redhill",
    "Epsom",
    "Reigate",
    "Camberley",
    "Farnham",
    "Leatherhead",
)
AREAS = ("GU", "KT", "RH", "SM", "CR", "TW")
# Diminutives the population uses: a separate, smaller list from the matcher's table on
# purpose (a few are not in the matcher's table at all, to keep accuracy figures honest).
DIMINUTIVES = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Margaret": ("Peggy", "Maggie", "Meg"),
    "Catherine": ("Kate", "Cathy", "Katie"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Alexander": ("Alex", "Sasha"),
    "Michael": ("Mike", "Mick"),
    "Richard": ("Rick", "Dick", "Richie"),
    "Anthony": ("Tony",),
    "Christopher": ("Chris",),
    "Nicholas": ("Nick",),
    "Stephen": ("Steve",),
    "Benjamin": ("Ben",),
    "Matthew": ("Matt",),
    "Samuel": ("Sam",),
    "Daniel": ("Dan", "Danny"),
    "Joseph": ("Joe",),
    "Thomas": ("Tom", "Tommy"),
    "Edward": ("Ed", "Ted"),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Samantha": ("Sam",),
    "Jennifer": ("Jen", "Jenny"),
    "Deborah": ("Debbie", "Debs"),
    "Susan": ("Sue", "Suzy"),
    "Patricia": ("Pat", "Trish"),
    "Jessica": ("Jess",),
    "Charlotte": ("Lottie",),
    "Muhammad": ("Mohammed", "Mohamed"),
    "Frederick": ("Fred",),
}


@dataclass(frozen=True)
class Person:
    person_id: str
    given: str
    family: str
    dob: date
    sex: str
    house: int
    street: str
    town: str
    postcode: str
    nhs: str


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def postcode(rng: random.Random, area: str | None = None) -> str:
    area = area or rng.choice(AREAS)
    return (
        f"{area}{rng.randint(1, 30)} {rng.randint(0, 9)}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    )


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.35:
        return word[:i] + word[i + 1 :]
    if op < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def _new_person(rng: random.Random, pid: int) -> Person:
    sex = rng.choice("MF")
    given = rng.choice(BOYS if sex == "M" else GIRLS)
    family = rng.choice(SURNAMES)
    if rng.random() < 0.04:
        family = f"{family}-{rng.choice(SURNAMES)}"
    dob = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 74))
    if rng.random() < 0.5:  # MASH data is mostly about children
        dob = date(2006, 1, 1) + timedelta(days=rng.randrange(0, 365 * 18))
    return Person(
        person_id=f"P{pid:06d}",
        given=given,
        family=family,
        dob=dob,
        sex=sex,
        house=rng.randint(1, 200),
        street=rng.choice(STREETS),
        town=rng.choice(TOWNS),
        postcode=postcode(rng),
        nhs=nhs_number(rng),
    )


def _record(rng: random.Random, person: Person, record_id: str, *, clean: bool) -> PersonRecord:
    given, family, dob = person.given, person.family, person.dob
    house, street, town, pc = person.house, person.street, person.town, person.postcode
    sex, nhs = person.sex, person.nhs
    aliases: tuple[str, ...] = ()
    if not clean:
        # The draws happen in a fixed order, so a seed always gives the same population.
        r = rng.random
        given, family, aliases = _blur_names(rng, given, family)
        dob = _blur_date_of_birth(rng, dob)
        house, street, town, pc = _blur_address(rng, house, street, town, pc)
        if r() < 0.4:
            nhs = ""
        if r() < 0.08:
            sex = ""
        if r() < 0.03:
            dob = None  # type: ignore[assignment]
        if r() < 0.1:
            house, street, pc = 0, "", ""
    return PersonRecord(
        record_id=record_id,
        given_name=given,
        family_name=family,
        aliases=aliases,
        date_of_birth=dob,
        sex=sex,
        address_line_1=f"{house} {street}" if street else "",
        town=town if street or pc else "",
        postcode=pc,
        nhs_number=nhs,
    )


def _blur_names(rng: random.Random, given: str, family: str) -> tuple[str, str, tuple[str, ...]]:
    """A diminutive, typos, a changed or hyphenated surname, names swapped."""
    r = rng.random
    aliases: tuple[str, ...] = ()
    if r() < 0.12 and given in DIMINUTIVES:
        given = rng.choice(DIMINUTIVES[given])
    if r() < 0.06:
        given = _typo(rng, given)
    if r() < 0.05:
        family = _typo(rng, family)
    if r() < 0.05:  # surname changed (marriage, step-parent), sometimes the old one kept
        old = family
        family = rng.choice(SURNAMES)
        if r() < 0.4:
            aliases = (f"{given} {old}",)
    elif "-" in family and r() < 0.4:
        family = rng.choice(family.split("-"))
    elif r() < 0.02:
        family = f"{family}-{rng.choice(SURNAMES)}"
    if r() < 0.02:
        given, family = family, given
    return given, family, aliases


def _blur_date_of_birth(rng: random.Random, dob: date) -> date:
    """Day and month swapped, or a day off."""
    r = rng.random
    if r() < 0.04 and dob.day <= 12 and dob.day != dob.month:
        dob = dob.replace(day=dob.month, month=dob.day)
    elif r() < 0.03:
        dob = dob.replace(day=min(28, max(1, dob.day + rng.choice((-1, 1, 10)))))
    return dob


def _blur_address(
    rng: random.Random, house: int, street: str, town: str, pc: str
) -> tuple[int, str, str, str]:
    """A house move (sometimes nearby), an outward code only, a postcode written loosely."""
    r = rng.random
    if r() < 0.2:  # house move
        house, street = rng.randint(1, 200), rng.choice(STREETS)
        town = rng.choice(TOWNS)
        pc = postcode(rng, pc[:2].rstrip("0123456789") if r() < 0.5 else None)
    if r() < 0.05:
        pc = pc.split()[0]  # outward code only
    if r() < 0.05:
        pc = pc.replace(" ", "").lower()
    return house, street, town, pc


@dataclass(frozen=True)
class Population:
    records: list[PersonRecord]
    truth: dict[str, str]  # record_id -> person_id
    twins: list[tuple[str, str]]  # record ids of twin pairs (must never match)

    def true_pairs(self) -> set[tuple[str, str]]:
        by_person: dict[str, list[str]] = {}
        for rid, pid in self.truth.items():
            by_person.setdefault(pid, []).append(rid)
        pairs = set()
        for ids in by_person.values():
            ids.sort()
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    pairs.add((a, b))
        return pairs


def make_population(people: int, *, seed: int = 7, twin_rate: float = 0.03) -> Population:
    rng = random.Random(seed)
    records: list[PersonRecord] = []
    truth: dict[str, str] = {}
    twins: list[tuple[str, str]] = []
    n = 0
    pid = 0
    while pid < people:
        person = _new_person(rng, pid)
        group = [person]
        if rng.random() < twin_rate:
            pid += 1
            other_sex = rng.choice("MF")
            names = BOYS if other_sex == "M" else GIRLS
            other_given = rng.choice([g for g in names if g != person.given])
            group.append(
                replace(
                    person,
                    person_id=f"P{pid:06d}",
                    given=other_given,
                    sex=other_sex,
                    nhs=nhs_number(rng),
                )
            )
        first_ids = []
        for member in group:
            count = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
            for k in range(count):
                record_id = f"R{n:07d}"
                n += 1
                records.append(_record(rng, member, record_id, clean=k == 0))
                truth[record_id] = member.person_id
                if k == 0:
                    first_ids.append(record_id)
        if len(first_ids) == 2:
            twins.append((first_ids[0], first_ids[1]))
        pid += 1
    rng.shuffle(records)
    return Population(records=records, truth=truth, twins=twins)
