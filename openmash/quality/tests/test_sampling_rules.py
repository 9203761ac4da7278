"""How a case-file audit sample is drawn (quality.sampling): plain inputs, no database."""

from openmash.quality.sampling import (
    random_draw,
    sample_size_problem,
    strata_allocate,
    strata_group,
    stratified_draw,
)


def test_the_same_seed_draws_the_same_items_in_the_same_order() -> None:
    items = [f"c{n}" for n in range(30)]
    first = random_draw(items, 5, seed=42)
    assert first == random_draw(items, 5, seed=42)
    assert len({item for item, _ in first}) == 5
    assert all(stratum == "" for _, stratum in first)
    assert random_draw(items, 5, seed=43) != first


def test_a_random_draw_never_takes_more_than_the_population() -> None:
    assert sorted(item for item, _ in random_draw(["a", "b"], 10, seed=1)) == ["a", "b"]


def test_strata_are_in_key_order_and_an_item_with_two_keys_is_in_both() -> None:
    keys = {"a": ["police"], "b": ["health", "police"], "c": ["health"]}
    assert strata_group(["a", "b", "c"], keys) == {"health": ["b", "c"], "police": ["a", "b"]}


def test_every_stratum_gets_one_and_the_rest_go_in_proportion() -> None:
    assert strata_allocate({"red": 2, "amber": 6, "green": 12}, 10) == {
        "red": 1,
        "amber": 3,
        "green": 6,
    }


def test_allocation_never_exceeds_a_stratum_size() -> None:
    assert strata_allocate({"red": 1, "green": 3}, 10) == {"red": 1, "green": 3}


def test_a_stratified_draw_takes_an_item_in_two_strata_only_once() -> None:
    strata = {"health": ["b", "c"], "police": ["a", "b"]}
    chosen = stratified_draw(strata, 3, seed=7)
    items = [item for item, _ in chosen]
    assert len(items) == len(set(items)) == 3
    assert chosen == stratified_draw(strata, 3, seed=7)
    assert {stratum for _, stratum in chosen} == {"health", "police"}


def test_a_sample_too_big_or_too_small_for_its_groups_is_explained() -> None:
    assert sample_size_problem(size=5, population=4, strata=None) == (
        "Only 4 case files can be sampled in this period"
    )
    assert sample_size_problem(size=2, population=10, strata=3) == (
        "The sample must have at least 3 case files: one from each group"
    )
    assert sample_size_problem(size=3, population=10, strata=3) == ""
