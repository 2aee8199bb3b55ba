"""The budget maths of a bucket and the plan of calls for followed servers."""

from __future__ import annotations

import math

import pytest

from arianet_tui.api import Bucket, BucketState
from arianet_tui.api.models import ServerStatus
from arianet_tui.live.budget import allowance, bucket_budget, stretch
from arianet_tui.live.follow import FollowCall, Followed, in_transition, plan_calls

NOW = 10_000.0


def state(remaining: int, reset_in: float | None = 600.0, **extra: float) -> BucketState:
    reset = NOW + reset_in if reset_in is not None else None
    return BucketState(Bucket.READ, 100, remaining, reset, observed_at=NOW - 1, **extra)


def test_background_keeps_the_last_fifth_for_the_user() -> None:
    budget = bucket_budget(state(50), share=0.8, in_flight=2, now=NOW, last_reset=None)
    assert budget.background_allowance == 80
    assert budget.reserve == 20
    assert budget.background_left == 28
    assert budget.user_left == 48
    assert budget.background_rate(NOW) == pytest.approx(28 / 600)


def test_a_fresh_bucket_spreads_its_share_over_a_whole_window() -> None:
    fresh = BucketState(Bucket.READ, 100, 100)
    budget = bucket_budget(fresh, share=0.8, in_flight=0, now=NOW, last_reset=None)
    assert budget.background_left == 80
    assert 1 / budget.background_rate(NOW) == pytest.approx(11.25)


def test_a_blocked_bucket_holds_everything_until_just_after_its_reset() -> None:
    blocked = state(0, reset_in=30, blocked_until=NOW + 30)
    budget = bucket_budget(blocked, share=0.8, in_flight=0, now=NOW, last_reset=NOW + 30)
    assert budget.held(NOW)
    assert budget.background_left == 0
    assert budget.next_window(NOW) == NOW + 31


def test_the_moment_after_a_reset_is_held_too() -> None:
    refilled = BucketState(Bucket.READ, 100, 100, observed_at=NOW - 100)
    budget = bucket_budget(refilled, share=0.8, in_flight=0, now=NOW, last_reset=NOW - 0.5)
    assert budget.held(NOW)
    later = bucket_budget(refilled, share=0.8, in_flight=0, now=NOW + 1, last_reset=NOW - 0.5)
    assert not later.held(NOW + 1)


def test_headers_without_a_reset_assume_the_documented_window() -> None:
    budget = bucket_budget(
        state(70, reset_in=None), share=0.8, in_flight=0, now=NOW, last_reset=None
    )
    assert budget.reset_at == NOW - 1 + 900


@pytest.mark.parametrize(
    ("demand", "rate", "factor"),
    [(1 / 12, 80 / 900, 1.0), (2 / 12, 1 / 12, 2.0), (0.0, 0.0, 1.0), (0.1, 0.0, math.inf)],
)
def test_intervals_stretch_to_the_rate(demand: float, rate: float, factor: float) -> None:
    assert stretch(demand, rate) == factor


def test_allowance_rounds_down() -> None:
    assert allowance(100, 0.8) == 80
    assert allowance(7, 0.8) == 5
    assert allowance(1, 0.8) == 0


def followed(server_id: int, status: str | None = None, page: int | None = None) -> Followed:
    f = Followed(server_id, since=NOW, page=page)
    if status is not None:
        f.record(ServerStatus(status=status), NOW)
    return f


def test_one_server_costs_one_status_call() -> None:
    assert plan_calls([followed(7)], None) == [FollowCall("status", server_id=7)]


def test_servers_waiting_in_one_status_cost_one_filtered_list() -> None:
    calls = plan_calls([followed(1, "creating"), followed(2, "creating")], 500)
    assert calls == [FollowCall("list", status="creating")]


def test_servers_on_shared_pages_cost_one_list_call_a_page() -> None:
    many = [followed(1, page=1), followed(2, page=1), followed(3, page=4)]
    assert plan_calls(many, 500) == [FollowCall("list", page=1), FollowCall("list", page=4)]
    # Spread over as many pages as there are servers: status calls are no dearer.
    spread = [followed(1, page=1), followed(2, page=2)]
    assert [c.kind for c in plan_calls(spread, 500)] == ["status", "status"]
    # Nowhere known in a fleet of several pages: each gets its status call.
    assert [c.kind for c in plan_calls([followed(1), followed(2)], 500)] == ["status"] * 2


def test_transition_and_settling() -> None:
    assert in_transition(ServerStatus(status="active", instance_status="restarting"))
    assert in_transition(ServerStatus(status="request_suspend"))
    assert not in_transition(ServerStatus(status="active", instance_status="running"))
    f = followed(1)
    f.record(ServerStatus(status="active", instance_status="running"), NOW)
    assert not f.settled
    f.record(ServerStatus(status="active", instance_status="running"), NOW + 3)
    assert f.settled
