"""The committed query-count baseline (tests/query_counts.json) fails a
request that runs more queries than its entry allows, naming it."""

import pytest

from production.models import Person
from tests.helpers import assert_query_baseline, query_counts

KEY = "GET data/tasks/<id>/last-working-files"


def test_going_over_a_baseline_fails_naming_the_route_and_both_numbers(db, django_assert_max_num_queries):
    limit = query_counts()[KEY]
    with pytest.raises(pytest.fail.Exception) as failure:
        with assert_query_baseline(django_assert_max_num_queries, KEY):
            for _ in range(limit + 1):
                Person.objects.count()
    message = str(failure.value)
    assert f"Expected to perform {limit} queries or less but {limit + 1} were done" in message
    assert f"{KEY}: its baseline in tests/query_counts.json is {limit} queries" in message


def test_a_route_without_a_baseline_is_an_error_not_a_free_pass(django_assert_max_num_queries):
    with pytest.raises(KeyError, match="add it to tests/query_counts.json"):
        assert_query_baseline(django_assert_max_num_queries, "GET data/nowhere")


def test_every_baseline_is_a_positive_count():
    assert query_counts() and all(isinstance(n, int) and n > 0 for n in query_counts().values())
