"""The bench's figures, computed on tiny fixed inputs."""

import pytest

from bench.load import reply_is_not_empty, rest_conversation
from bench.report import Measurements, target_checks
from bench.stats import percentile, summarise
from bench.turns import TurnCost


def test_percentiles_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1..100 ms
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7
    assert percentile([], 50) == 0


def test_summary_counts_replies_errors_and_throughput():
    result = summarise("this bot", 10, [10.0, 20.0, 30.0, 40.0], errors=1, seconds=2.0)
    assert result.replies == 4 and result.errors == 1
    assert result.replies_per_second == pytest.approx(2.0)
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (20.0, 40.0, 40.0)


def test_an_empty_reply_list_counts_as_an_error():
    assert reply_is_not_empty(200, [{"text": "hej"}])
    assert not reply_is_not_empty(200, [])
    assert not reply_is_not_empty(500, [{"text": "x"}])


def test_conversation_messages_cycle_per_sender():
    request = rest_conversation("http://127.0.0.1:1", ["a", "b"])
    assert request("s", 0) == (
        "http://127.0.0.1:1/webhooks/rest/webhook",
        {"sender": "s", "message": "a"},
    )
    assert request("s", 3)[1]["message"] == "b"


def _measurements(p50_one, rps_ten, rps_peer, train_seconds, turn_costs=()):
    return Measurements(
        train_seconds=train_seconds,
        peer_train_seconds=60,
        ready_seconds=20,
        peer_ready_seconds=15,
        memory_idle_mb={
            "Rasa server": 600,
            "action server": 90,
            "peer Rasa server": 600,
        },
        memory_loaded_mb={
            "Rasa server": 650,
            "action server": 95,
            "peer Rasa server": 650,
        },
        load=[
            summarise("this bot", 1, [p50_one] * 10, 0, 1.0),
            summarise("this bot", 10, [80.0] * int(rps_ten), 0, 1.0),
            summarise("peer (rasa init)", 10, [300.0] * int(rps_peer), 0, 1.0),
            summarise("this bot", 50, [900.0] * 40, 2, 1.0),
        ],
        seconds_per_level=15,
        turn_costs=list(turn_costs),
    )


def test_target_checks_say_which_targets_are_met():
    flat = TurnCost("this bot", {5: 4.0, 50: 4.2, 200: 5.0})
    checks = {
        name: met
        for name, _, met in target_checks(_measurements(5, 250, 25, 150, [flat]))
    }
    assert checks["one conversation: p50 ≤ 6 ms"]
    assert checks["ten conversations: ≥ 8× the peer's replies/s (goal 10×)"]
    assert checks["ten conversations: p95 ≤ 100 ms"]
    assert not checks["fifty conversations: no errors"]
    assert checks["training from scratch ≤ 3 min"]
    assert checks["a reply at turn 200 costs ≤ 1.3× one at turn 5"]
    assert checks["Rasa server ≤ 700 MB resident after load (goal 600 MB)"]
    growing = TurnCost("this bot", {5: 4.0, 50: 6.0, 200: 16.0})
    missed = {
        name: met
        for name, _, met in target_checks(_measurements(7, 190, 25, 200, [growing]))
    }
    assert not missed["one conversation: p50 ≤ 6 ms"]
    assert not missed["ten conversations: ≥ 8× the peer's replies/s (goal 10×)"]
    assert not missed["training from scratch ≤ 3 min"]
    assert not missed["a reply at turn 200 costs ≤ 1.3× one at turn 5"]


def test_the_turn_cost_is_the_median_around_each_turn():
    from bench.turns import turn_windows

    windows = turn_windows((5, 50, 200), 4)
    assert list(windows[5]) == list(range(1, 10))
    assert list(windows[200]) == list(range(196, 205))
    assert TurnCost("x", {5: 2.0, 50: 2.0, 200: 3.0}).growth == 1.5


def test_the_report_shows_the_turn_costs():
    from bench.report import turn_cost_section

    lines = turn_cost_section(
        _measurements(5, 250, 25, 150, [TurnCost("this bot", {5: 4, 50: 4, 200: 5})])
    )
    assert "| this bot | 4.0 ms | 4.0 ms | 5.0 ms | 1.25× |" in lines


def test_servers_needed_for_a_stated_load():
    from bench.cluster import servers_needed

    # 1,000 people, a message every 15 s = 67/s; 40/s per server at half load = 20/s
    assert servers_needed(1000, 15, 40) == 4
    assert servers_needed(10, 15, 40) == 1
    assert servers_needed(1000, 15, 40, headroom=0) == 2
    with pytest.raises(ValueError):
        servers_needed(1000, 15, 0)


def test_the_report_shows_the_cluster_beside_the_single_process():
    from bench.cluster import ONE_SERVER, ONE_SERVER_NO_CACHE, TWO_SERVERS
    from bench.report import cluster_section

    m = _measurements(20, 100, 20, 150)
    m.cluster.extend(
        summarise(name, 10, [80.0] * replies, 0, 1.0)
        for name, replies in [
            (ONE_SERVER_NO_CACHE, 50),
            (ONE_SERVER, 60),
            (TWO_SERVERS, 70),
        ]
    )
    text = "\n".join(cluster_section(m, cores=2))
    assert "| 1 process, SQLite (above) | 10 | 80 ms |" in text
    assert "| 1 process, SQLite (above) | 50 | 900 ms |" in text
    assert "| cluster, 2 Rasa servers | 10 | 80 ms |" in text
    assert "60.0 replies/s with it, 50.0 without (+20%)" in text
    assert "needs **3 Rasa servers**" in text  # 67/s at 30/s per server


def test_one_server_is_named_in_the_singular():
    from bench.cluster import ONE_SERVER
    from bench.report import cluster_section

    m = _measurements(20, 100, 20, 150)
    m.cluster.append(summarise(ONE_SERVER, 10, [50.0] * 200, 0, 1.0))
    text = "\n".join(cluster_section(m, cores=2))
    assert "needs **1 Rasa server** (one core" in text  # 67/s at 100/s per server


def test_a_busy_machine_is_named_in_the_report():
    from bench.report import Machine, busy_machine_note

    assert busy_machine_note(Machine(2, 24, "cpu", "3.10", load_average=2.5)) == []
    note = busy_machine_note(Machine(2, 24, "cpu", "3.10", load_average=6.2))
    assert "load average over the run's last 15 minutes was 6.2 on 2 cores" in note[0]


def _retention(worst_during, stall_during, p50_outside=15.0, errors=0):
    from bench.retention import RetentionResult

    return RetentionResult(
        events=100_000,
        conversations=2_000,
        scan_seconds=0.02,
        purge_seconds=1.8,
        purge_started_after_seconds=5.0,
        replies_during=300,
        errors=errors,
        p50_reply_during_ms=16.0,
        worst_reply_during_ms=worst_during,
        longest_stall_during_ms=stall_during,
        p50_reply_outside_ms=p50_outside,
        worst_reply_outside_ms=300.0,
        longest_stall_outside_ms=280.0,
    )


def test_the_purge_window_takes_in_the_scan_before_the_first_delete():
    from bench.retention import outside, purge_window, within

    assert purge_window(10.0, 12.0, scan_seconds=0.02) == (9.0, 12.0)
    assert purge_window(10.0, 12.0, scan_seconds=0.5) == (8.5, 12.0)
    samples = [(1.0, 400.0), (8.6, 30.0), (11.0, 50.0), (12.5, 14.0), (13.0, 16.0)]
    assert within(samples, 8.5, 12.0) == [30.0, 50.0]
    assert outside(samples, (8.5, 12.0), after=2.0) == [14.0, 16.0]  # no warm-up


def test_a_reply_held_up_over_100_ms_by_the_purge_misses_the_target():
    from bench.report import retention_section

    met = _retention(worst_during=46.0, stall_during=9.0)
    assert met.held_up_ms == 31.0 and met.target_met
    assert not _retention(worst_during=254.0, stall_during=9.0).target_met
    assert not _retention(worst_during=46.0, stall_during=228.0).target_met
    assert not _retention(worst_during=46.0, stall_during=9.0, errors=1).target_met

    m = _measurements(20, 90, 20, 150)
    assert retention_section(m) == []
    m = Measurements(**{**m.__dict__, "retention": met})
    checks = {name: (value, ok) for name, value, ok in target_checks(m)}
    assert checks["purge of 100,000 events holds no reply up > 100 ms"] == (
        "31 ms (event-loop stall 9 ms)",
        True,
    )
    text = "\n".join(retention_section(m))
    assert "longest event-loop stall 9 ms" in text and "worst 46 ms" in text


def test_the_servers_cpu_per_reply_and_what_a_core_of_its_own_would_give():
    result = summarise("this bot", 10, [80.0] * 100, 0, 1.0, server_cpu_seconds=0.5)
    assert result.server_cpu_ms_per_reply == pytest.approx(5.0)
    assert result.replies_per_server_core == pytest.approx(200.0)
    unmeasured = summarise("this bot", 10, [80.0] * 100, 0, 1.0)
    assert unmeasured.server_cpu_ms_per_reply is None
    assert unmeasured.replies_per_server_core is None


def test_cpu_seconds_counts_what_a_process_spends():
    import os
    import time

    from bench.cpu import cpu_seconds

    before = cpu_seconds([os.getpid()])
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass  # spend 0.2 s of CPU
    assert cpu_seconds([os.getpid()]) - before >= 0.1
    assert cpu_seconds([2**22 + 12345]) == 0  # a process that is not there


def test_the_cluster_target_per_core_is_stated_as_a_projection():
    from bench.cluster import ONE_SERVER, TWO_SERVERS
    from bench.report import cluster_section

    m = _measurements(20, 100, 20, 150)
    m.load[1] = summarise("this bot", 10, [80.0] * 100, 0, 1.0, 0.5)  # 5 ms/reply
    m.cluster.append(summarise(ONE_SERVER, 10, [80.0] * 40, 0, 1.0, 0.24))  # 6 ms
    m.cluster.append(summarise(TWO_SERVERS, 10, [80.0] * 60, 0, 1.0, 0.42))  # 7 ms
    checks = {name: (measured, met) for name, measured, met in target_checks(m)}
    measured, met = next(v for k, v in checks.items() if "per core" in k)
    assert met and measured.startswith("83% (167/s against 200/s")
    text = "\n".join(cluster_section(m, cores=2))
    assert (
        "| cluster, 1 Rasa server | 10 | 80 ms | 80 ms | 80 ms | 40.0 | 0 | 6.0 ms |"
        in text
    )
    assert "about 286 replies/s" in text  # 2 x 1000 / 7
    assert "projection from the servers' own CPU time" in text


def test_side_by_side_rounds_give_the_median_share():
    from bench.cluster import SideBySide

    turns = SideBySide(5.0, sqlite=(300.0, 200.0, 400.0), cluster=(240.0, 190.0, 280.0))
    assert turns.shares == [0.8, 0.95, 0.7]
    assert turns.median_share == 0.8
    assert SideBySide(5.0, (), ()).median_share == 0.0
    assert SideBySide(5.0, (0.0,), (10.0,)).shares == []  # SQLite answered nothing


def test_who_goes_first_swaps_every_round():
    from bench.cluster import side_by_side_order

    assert [side_by_side_order(n)[0] for n in range(4)] == [
        "sqlite",
        "cluster",
        "sqlite",
        "cluster",
    ]


def test_the_cluster_target_is_the_median_of_the_turns_beside_the_separate_runs():
    from bench.cluster import ONE_SERVER, SideBySide
    from bench.report import cluster_share_check

    sqlite = summarise("this bot", 10, [80.0] * 300, 0, 1.0)
    cluster = summarise(ONE_SERVER, 10, [80.0] * 210, 0, 1.0)
    name, measured, met = cluster_share_check(sqlite, cluster, None)
    assert (measured, met) == ("70% (210/s against 300/s)", False)
    turns = SideBySide(5.0, (300.0, 310.0, 290.0), (250.0, 240.0, 260.0))
    name, measured, met = cluster_share_check(sqlite, cluster, turns)
    assert "≥ 80 %" in name and met
    assert measured.startswith("83%: the median of 3 rounds, both up and taking turns")
    assert "rounds 77%-90%" in measured
    assert measured.endswith(
        "70% in the separate runs minutes apart (210/s against 300/s)"
    )
    turns = SideBySide(5.0, (300.0, 300.0), (200.0, 230.0))
    assert cluster_share_check(sqlite, cluster, turns)[2] is False  # median 72 %


def test_the_report_names_each_round_of_the_turns():
    from bench.cluster import SideBySide
    from bench.report import side_by_side_paragraph

    assert side_by_side_paragraph(None) == []
    text = side_by_side_paragraph(SideBySide(5.0, (300.0, 310.0), (250.0, 240.0)))[0]
    assert "per round: 250/300, 240/310; the cluster's share, median 80%." in text
