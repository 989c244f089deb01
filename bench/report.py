"""Writing reports/bench.md and the latency picture."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.cluster import (
    ONE_SERVER,
    ONE_SERVER_NO_CACHE,
    TWO_SERVERS,
    SideBySide,
    servers_needed,
)
from bench.retention import HELD_UP_TARGET_MS, RetentionResult, describe
from bench.stats import LoadResult
from bench.turns import TURNS, TurnCost

THIS_BOT = "this bot"
PEER = "peer (rasa init)"


@dataclass(frozen=True)
class Machine:
    """What the numbers were measured on."""

    cores: int
    memory_gb: float
    cpu: str
    python: str
    load_average: float = 0.0  # over the last 15 minutes of the run


@dataclass(frozen=True)
class Measurements:
    """Everything one `make bench` run measured."""

    train_seconds: float
    peer_train_seconds: float
    ready_seconds: float
    peer_ready_seconds: float
    memory_idle_mb: dict[str, float]
    memory_loaded_mb: dict[str, float]
    load: list[LoadResult]
    seconds_per_level: float
    cluster: list[LoadResult] = field(default_factory=list)
    side_by_side: SideBySide | None = None
    retention: RetentionResult | None = None
    turn_costs: list[TurnCost] = field(default_factory=list)


def cpu_cell(result: LoadResult) -> str:
    """The server's CPU per reply, or a dash when it was not measured."""
    per_reply = result.server_cpu_ms_per_reply
    return f"{per_reply:.1f} ms" if per_reply is not None else "–"


def find(load: list[LoadResult], target: str, concurrency: int) -> LoadResult | None:
    """The result of one target at one level, if measured."""
    return next(
        (r for r in load if r.target == target and r.concurrency == concurrency), None
    )


def cluster_share_check(
    sqlite: LoadResult, cluster: LoadResult, side_by_side: SideBySide | None
) -> tuple[str, str, bool]:
    """One cluster server against the SQLite process: taking turns if measured.

    The separate runs (minutes apart) are shown beside the turns' median.
    """
    apart = cluster.replies_per_second / sqlite.replies_per_second
    separately = (
        f"{cluster.replies_per_second:.0f}/s against {sqlite.replies_per_second:.0f}/s"
    )
    name = (
        "one server on PostgreSQL + Redis ≥ 80 % of one on SQLite (ten conversations)"
    )
    if side_by_side is None or not side_by_side.shares:
        return name, f"{apart:.0%} ({separately})", apart >= 0.8
    share = side_by_side.median_share
    rounds = len(side_by_side.shares)
    return (
        name,
        f"{share:.0%}: the median of {rounds} rounds, both up and taking turns "
        f"({side_by_side.seconds:.0f} s each; rounds "
        f"{min(side_by_side.shares):.0%}-{max(side_by_side.shares):.0%}); "
        f"{apart:.0%} in the separate runs minutes apart ({separately})",
        share >= 0.8,
    )


def target_checks(m: Measurements) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each speed and cost target of the project."""
    checks: list[tuple[str, str, bool]] = []
    one = find(m.load, THIS_BOT, 1)
    ten = find(m.load, THIS_BOT, 10)
    fifty = find(m.load, THIS_BOT, 50)
    peer_ten = find(m.load, PEER, 10)
    if one:
        checks.append(
            ("one conversation: p50 ≤ 6 ms", f"{one.p50_ms:.1f} ms", one.p50_ms <= 6)
        )
    if ten:
        if peer_ten and peer_ten.replies_per_second:
            ratio = ten.replies_per_second / peer_ten.replies_per_second
            checks.append(
                (
                    "ten conversations: ≥ 8× the peer's replies/s (goal 10×)",
                    f"{ratio:.1f}× ({ten.replies_per_second:.0f}/s against "
                    f"{peer_ten.replies_per_second:.1f}/s)",
                    ratio >= 8,
                )
            )
        checks.append(
            (
                "ten conversations: p95 ≤ 100 ms",
                f"{ten.p95_ms:.0f} ms",
                ten.p95_ms <= 100,
            )
        )
        checks.append(
            ("ten conversations: no errors", str(ten.errors), ten.errors == 0)
        )
    if fifty:
        checks.append(
            ("fifty conversations: no errors", str(fifty.errors), fifty.errors == 0)
        )
        checks.append(
            (
                "fifty conversations: p99 ≤ 1.0 s",
                f"{fifty.p99_ms:.0f} ms",
                fifty.p99_ms <= 1000,
            )
        )
    ours = next((t for t in m.turn_costs if t.target == THIS_BOT), None)
    if ours:
        checks.append(
            (
                f"a reply at turn {TURNS[-1]} costs ≤ 1.3× one at turn {TURNS[0]}",
                f"{ours.growth:.2f}× ({ours.milliseconds[TURNS[-1]]:.1f} ms against "
                f"{ours.milliseconds[TURNS[0]]:.1f} ms)",
                ours.growth <= 1.3,
            )
        )
    cluster_one = find(m.cluster, ONE_SERVER, 10)
    if ten and cluster_one and ten.replies_per_second:
        checks.append(cluster_share_check(ten, cluster_one, m.side_by_side))
    one_core = cluster_one.replies_per_server_core if cluster_one else None
    sqlite_core = ten.replies_per_server_core if ten else None
    if one_core and sqlite_core:
        share = one_core / sqlite_core
        checks.append(
            (
                "the same, per core of the Rasa server's own (projected from the "
                "server's CPU time per reply, not measured throughput)",
                f"{share:.0%} ({one_core:.0f}/s against {sqlite_core:.0f}/s: "
                f"{cluster_one.server_cpu_ms_per_reply:.1f} ms against "  # type: ignore[union-attr]
                f"{ten.server_cpu_ms_per_reply:.1f} ms CPU per reply)",  # type: ignore[union-attr]
                share >= 0.8,
            )
        )
    checks.append(
        ("ready in ≤ 30 s", f"{m.ready_seconds:.1f} s", m.ready_seconds <= 30)
    )
    memory = m.memory_loaded_mb.get("Rasa server", 0.0)
    checks.append(
        ("Rasa server ≤ 700 MB resident after load (goal 600 MB)",
         f"{memory:.0f} MB", memory <= 700)
    )  # fmt: skip
    checks.append(
        (
            "training from scratch ≤ 3 min",
            f"{m.train_seconds:.0f} s",
            m.train_seconds <= 180,
        )
    )
    if m.retention:
        r = m.retention
        checks.append(
            (
                f"purge of {r.events:,} events holds no reply up "
                f"> {HELD_UP_TARGET_MS:.0f} ms",
                f"{r.held_up_ms:.0f} ms (event-loop stall "
                f"{r.longest_stall_during_ms:.0f} ms)",
                r.target_met,
            )
        )
    return checks


def turn_cost_section(m: Measurements) -> list[str]:
    """What a reply costs as one conversation grows (bench/turns.py)."""
    if not m.turn_costs:
        return []
    lines = [
        "## A reply's cost as the conversation grows",
        "",
        f"One conversation of {TURNS[-1] + 4} FAQ questions on the REST channel, "
        "one at a time, nothing else running (bench/turns.py); the median reply "
        "of the nine turns around each.",
        "",
        "| target | "
        + " | ".join(f"turn {turn}" for turn in TURNS)
        + f" | turn {TURNS[-1]} / turn {TURNS[0]} |",
        "|---|" + "---|" * (len(TURNS) + 1),
    ]
    for cost in m.turn_costs:
        lines.append(
            f"| {cost.target} | "
            + " | ".join(f"{cost.milliseconds[turn]:.1f} ms" for turn in TURNS)
            + f" | {cost.growth:.2f}× |"
        )
    return [*lines, ""]


def retention_section(m: Measurements) -> list[str]:
    """The purge of old conversations while the server answers."""
    if not m.retention:
        return []
    r = m.retention
    return [
        "## Purging old conversations while answering",
        "",
        f"The server's own hourly purge (`assistant/stores/retention_schedule.py`) "
        f"of {r.conversations:,} conversations with {r.events:,} events, all 40 "
        "days old, in SQLite, while two conversations talk to it and a route that "
        "does no work is asked every 10 ms (bench/retention.py). The scan and "
        "the deletes run in a worker thread, at most 2,000 events per "
        "transaction.",
        "",
        *(f"- {line}" for line in describe(r)),
        "",
        "*Held up*: the worst reply during the purge minus the median reply "
        "outside it. *Stall*: the slowest answer of the no-work route, which "
        "waits for nothing but the event loop.",
        "",
        *(
            [
                "The long stall outside the purge is not the purge's: one of about "
                "400 ms, some 15 s after start, showed as well when the purge "
                "deleted a single conversation (seen while this step was built; "
                "not profiled yet).",
                "",
            ]
            if r.longest_stall_outside_ms > HELD_UP_TARGET_MS
            else []
        ),
    ]


BAR_FLOOR_MS = 0.1  # shorter latencies are drawn this tall on the log axis
# this bot's latency target per level, drawn as a dashed line
LATENCY_TARGET_LINES = {
    1: (6.0, "target: this bot's p50 ≤ 6 ms"),
    10: (100.0, "target: this bot's p95 ≤ 100 ms"),
    50: (1000.0, "target: this bot's p99 ≤ 1.0 s"),
}


def latency_png(load: list[LoadResult], path: Path) -> None:
    """p50/p95/p99 per target and level, log scale."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    targets = list(dict.fromkeys(r.target for r in load))
    levels = sorted({r.concurrency for r in load})
    figure, axes = plt.subplots(
        1, len(levels), figsize=(5 * len(levels), 4.5), sharey=True
    )
    axes_list = axes if len(levels) > 1 else [axes]
    slowest = max((r.p99_ms for r in load), default=1.0)
    for ax, level in zip(axes_list, levels, strict=True):
        for offset, (name, attribute) in enumerate(
            [("p50", "p50_ms"), ("p95", "p95_ms"), ("p99", "p99_ms")]
        ):
            values = [
                max(BAR_FLOOR_MS, getattr(find(load, t, level), attribute, 0.0))
                for t in targets
            ]
            positions = [i + (offset - 1) * 0.27 for i in range(len(targets))]
            ax.bar(positions, values, width=0.27, label=name)
        ax.set_xticks(range(len(targets)), targets, rotation=20, fontsize=8)
        ax.set_yscale("log")
        # fixed limits: the HTTP floor is under 1 ms, and a log axis left to
        # itself stretches to absurd powers of ten around such bars
        ax.set_ylim(BAR_FLOOR_MS, max(10.0, 2 * slowest))
        if level in LATENCY_TARGET_LINES:
            value, label = LATENCY_TARGET_LINES[level]
            ax.axhline(value, color="crimson", linestyle="--", linewidth=1)
            ax.text(len(targets) - 0.5, value * 1.15, label, color="crimson",
                    ha="right", fontsize=8)  # fmt: skip
        ax.set_title(f"{level} concurrent conversation{'s' if level > 1 else ''}")
        ax.grid(axis="y", alpha=0.3)
    axes_list[0].set_ylabel("reply latency (ms, log scale)")
    axes_list[0].legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


WHAT_MOVED_THE_NUMBERS = [
    "## What moved the numbers",
    "",
    "Found with py-spy on the Rasa server under the bench conversation, one step "
    "at a time. *p50 under py-spy*: one conversation while the profiler samples "
    "(slower than without it, but the same for every step); the other columns "
    "are quick runs without the profiler (12 s per level, same machine).",
    "",
    "| step | p50 under py-spy | one: p50 | ten: replies/s, p95 | fifty: p99 "
    "| Rasa resident |",
    "|---|---|---|---|---|---|",
    "| first report: DIET + ResponseSelector, Rasa's SQL store, Memoization "
    "| 58 ms | 49 ms | 21.8/s, 937 ms | 4318 ms | 1384 MB |",
    "| action server responses checked with a schema validator built once: "
    "`jsonschema.validate` re-checked Rasa's schema against the meta-schema on "
    "every call, 47 % of the server's CPU "
    "(`assistant/server/action_response_check.py`) "
    "| 39 ms | | | | |",
    "| one logistic regression for intents and topics instead of DIET + "
    "ResponseSelector (`assistant/nlu/linear_classifier.py`; model 95 MB → 3.5 MB, "
    "training under a minute) "
    "| 28 ms | | | | |",
    "| conversations in progress kept in memory by the SQL tracker store, new "
    "events in one insert, SQLite in WAL mode (`assistant/stores/tracker_store.py`); "
    "the classifier's weights laid out for sparse products "
    "| 17 ms | | | | |",
    "| RulePolicy alone: every story is also a rule, MemoizationPolicy only "
    "repeated it | | 13.5 ms | 87/s, 284 ms | 1637 ms | 915 MB |",
    "| messages admitted two at a time, first come first served; a slow action "
    "gives its place up (`assistant/server/admission.py`) "
    "| | 11.6 ms | 91/s, 161 ms | 972 ms | 915 MB |",
    "| valid action server responses recognised by checking each event against "
    "its own type's branch of the schema, not all 23; TF-IDF of one message "
    "computed directly instead of through scikit-learn's sparse transforms "
    "| | 12.0 ms | 112/s, 120 ms | 808 ms | 920 MB |",
    "| issue 21, the cost of one FAQ reply in-process (the message processor "
    "alone, no HTTP) at turns 5 / 50 / 200 of one conversation: 9.9 / 30 / "
    "151 ms before. RulePolicy matches the last turns its rules can see "
    "(`assistant/policies/rule_policy.py`): 7.5 / 8.4 / 12.2 ms; the tracker's "
    "applied events and copies carried on from the previous turn "
    "(`assistant/policies/tracker_history.py`): 5.9 / 5.8 / 5.5 ms; the model "
    "graph run node after node instead of through dask's scheduler "
    "(`assistant/server/graph_runner.py`): 2.5 / 2.5 / 2.6 ms "
    "| | | | | |",
    "| the project's REST channel takes the admission fast path; a message is "
    "counted in line before it takes a place (so a flood is refused again); "
    "the patches installed at server start, not by a policy in the model "
    "(the report of 2026-12-04, a104164) | | 13.6 ms | 84.5/s, 182 ms | 1052 ms "
    "| 906 MB |",
    "| an end-to-end profile of one conversation (py-spy on both servers): the "
    "action server parses a call once, not twice (one validation call 3.27 -> "
    "2.63 ms); the SQL store's statements built once (0.16 -> 0.03 ms a query) "
    "and a cached save one INSERT and one SELECT instead of two SELECTs around "
    "it; the actions send responses by name, so Rasa sends the 88 KB domain "
    "only to the ask-back and the form's validation; custom action calls on "
    "kept connections (1.0-1.4 -> 0.6-0.7 ms a call) and their JSON written by "
    "ujson (0.93 -> 0.41 ms for a validation call's body); with issue 23's "
    "sources in every FAQ reply's metadata (the report of 2026-12-05, defbaf5: "
    "one cluster server 8.4 ms of CPU per reply) | | 8.0 ms | 162.3/s, 87 ms | "
    "661 ms | 907 MB |",
    "| a message's Redis lock taken and given back by two atomic Lua scripts "
    "instead of optimistic transactions (eleven Redis commands in seven round "
    "trips -> two; `assistant/stores/lock_store.py`): it moves the cluster's "
    "figures (the Rasa server's CPU per reply in the cluster table), not the "
    "single process's (the report of 2026-12-05, aa64e64) | | 10.7 ms "
    "| 141.4/s, 106 ms | 903 ms | 907 MB |",
    "| a turn-by-turn profile of the referral check (py-spy on both servers, and "
    "each phase of a turn timed in-process): the form's validation gets the "
    "domain without its responses (Rasa sends every validate_<form> all 90 KB, "
    "87 of them responses the validation never reads; "
    "`assistant/server/action_call.py`); Domain.is_empty compares with an empty "
    "domain built once, not twice a message; RulePolicy reads each rule from its "
    "key once per lookup (78 -> 52 us a match); the action server checks a "
    "call's events with a loop, not jsonschema's walk (0.32 -> 0.05 ms a call); "
    "check turns 1.2-1.4 ms faster (the report of 2026-12-05, 34ccea2) "
    "| | 7.3 ms | 157.7/s, 86 ms | 688 ms | 907 MB |",
    "| each phase of a referral check turn timed in-process with Rasa's log "
    "settings (the earlier timings ran with structlog unconfigured: its debug "
    "records cost 0.65 ms a turn that the server never pays), then cProfile "
    "and py-spy: the form's validation gets the events since her last message, "
    "not the whole conversation (a call 2.3 -> 1.75 ms, and it no longer grows "
    "with the conversation); Rasa's deep copies for debug logs that are not "
    "written are not made, and a call's state is built without deep-copying "
    "the message that started the form (0.26 ms a call; "
    "`assistant/server/debug_log_copies.py`, `action_call.tracker_state`); the "
    "form's temporary tracker is a copy, not a replay of every event, twice a "
    "check turn; a tracker's copy copies each slot once and directly; RulePolicy "
    "tests only the rules filed under the last turn (at most a quarter of the "
    "68, was all); the action response check reads each event once (147 -> 101 "
    "us a response); red flags looked for before their context; the store's "
    "check after a save reads only the new rows, its INSERT is written once per "
    "row count, a new conversation's save asks nothing of what is stored, and "
    "on PostgreSQL a message takes five round trips, not nine (no ping before "
    "use, the freshness query outside a transaction). Alternating in-process "
    "runs: check turns 5.6-5.9 -> 5.0-5.4 ms with the first two steps, every "
    "turn's median 5.3-5.4 -> 4.9 ms with the next four"
    " (the report of 2026-12-05, 3467bad) | | 6.8 ms | 215.5/s, 65 ms | 530 ms "
    "| 908 MB |",
    "| "
    "a fresh-clone profile (py-spy on both servers, one conversation; "
    "cProfile of the store on PostgreSQL): Rasa's lookup of an event's class "
    "walked every subclass of Event for each event read back, now a dictionary "
    "(`assistant/server/event_lookup.py`; 122 events deserialised 3.56 -> 0.20 "
    "ms); a save is a connection's own transaction, not an ORM session (a save "
    "on SQLite 0.24 -> 0.16 ms), and on PostgreSQL the freshness read's "
    "connections stay in autocommit instead of being switched there and back "
    "for each read (340 -> 180 us a read; retrieve and save of a message CPU "
    "1.26 -> 1.10 ms); a referral check turn no longer works out the applied "
    "events and RulePolicy's states from the first event: Rasa's fold of the "
    "applied events continued with its own step, and a form run Rasa folds "
    "into its previous run goes back to a copy of the replay kept there "
    "(0.37 -> 0.14 ms a check turn after 5 FAQ turns, 1.44 -> 0.14 ms after 50)"
    " (the report of 2026-12-06, c394531) | | 4.5 ms | 248.4/s, 53 ms | 533 ms "
    "| 910 MB |",
    "| "
    "the cluster's server profiled with py-spy under ten conversations (its "
    "event loop waited a quarter of the time on PostgreSQL's round trips, "
    "which SQLAlchemy's calls make blocking, and a tenth on Redis's): on "
    "PostgreSQL a cached conversation's new events go in with one INSERT that "
    "inserts them only if the newest stored event is still the one the copy "
    "was read at, its own transaction, instead of BEGIN, INSERT, a check and "
    "COMMIT (a message two round trips, not five; a message's retrieve and "
    "save 0.55 -> 0.33 ms of CPU, 1.4 -> 0.85 ms in all). A worker thread for "
    "the round trips and an asyncio client for the lock's Redis calls were "
    "measured in alternating cluster runs and gave nothing measurable on 2 "
    "cores, so they were not kept"
    " (the report of 2026-12-06, 922f12e; on an AMD EPYC, the rows above on a "
    "Xeon) | | 4.0 ms | 309.9/s, 44 ms | 535 ms | 910 MB |",
    "| a profile of the SQLite server under ten conversations (py-spy), each "
    "step then measured with both servers up and short loads alternating (12 x "
    "5 s each: on this VM the same server's CPU per reply moved 20 % between "
    "runs minutes apart): the garbage collector (timed with gc.callbacks) took "
    "4.4 % of the CPU, and once in 20 s a full collection walked the 550,000 "
    "objects of the loaded server (0.43 s without a reply); they are frozen "
    "once the model is loaded and the young generation is collected every "
    "20,000 objects, not 700 (`assistant/server/garbage_collection.py`). A "
    "response's variations are split once per channel and picked with "
    "random.choice, not filtered six times and picked by np.random.choice on "
    "every render (`assistant/nlg/variations.py`). On SQLite a cached "
    "conversation's save is the same conditional INSERT ... RETURNING as on "
    "PostgreSQL, and on both the freshness read and that insert go on a driver "
    "connection of the store's own, without SQLAlchemy around each "
    "(`assistant/stores/direct_statements.py`; a retrieve and save 0.16 -> "
    "0.06-0.10 ms). Custom action calls over http:// go out on the project's "
    "own HTTP/1.1 client on kept connections, not aiohttp's (a call 200 -> 100 "
    "us, `assistant/server/action_http.py`), carry only this turn's events "
    "unless the action declares send_domain (the advice took all 78), and their"
    " responses are checked by plain Python compiled from Rasa's schema "
    "(`assistant/server/schema_check.py`; a reset's response 169 -> 42 us). The"
    " red flags' patterns match the lowered message without IGNORECASE (529 -> "
    "298 us for 8 messages), and Sanic no longer builds access log lines Rasa's"
    " log level drops. Against the start of the day, alternating: CPU per reply"
    " median ratio 0.83 (before the last step) (the report of 2026-12-06, "
    "ee29187) | | 2.9 ms | 431.9/s, 39 ms | 169 ms | 909 MB |",
]

# The steps measured in this report's own run (its figures in the last row).
THIS_RUN_STEPS = (
    "the cluster's server used 0.74 of its core under ten conversations while "
    "the machine had CPU to spare (every piece's CPU read from /proc): its "
    "event loop waited for PostgreSQL's two statements of every message and "
    "for the lock's two Redis scripts, sent by blocking clients. PostgreSQL's "
    "now go on psycopg2's asynchronous connections, a pool per event loop "
    "(`assistant/stores/async_statements.py`), and the lock's scripts on a "
    "pipelined asyncio Redis client of the project's own "
    "(`assistant/stores/redis_client.py`; redis-py's blocking reads were a "
    "tenth of the loop's time in py-spy after the first step), so the loop "
    "serves other conversations meanwhile; a conversation Rasa saves before "
    "its first event costs one freshness read, not BEGIN, a check and COMMIT. "
    "One cluster server, the start of the day's code and this one taking "
    "turns (2 x 15 s each, twice): 191-197 -> 228-305 replies/s, its CPU per "
    "reply 3.8-4.0 -> 3.0-4.0 ms. The 80 % target is now measured with the "
    "SQLite process still up, one cluster server and it taking turns (8 "
    "rounds of 5 s), beside the separate runs minutes apart"
)
WHAT_IS_LEFT = (
    "What is left: the Rasa server at ten conversations is one busy core, so "
    "its replies/s are the inverse of its CPU per reply (3.1 ms in this run, "
    "2.3 ms in the run of ee29187 on the same AMD EPYC: the machine was slower "
    "all day today, the peer 36.0 against 46.9 replies/s), so 10x needs about a"
    " tenth less CPU a reply. The last report's profile of the SQLite server is"
    " still the map: the save an eighth (most of it SQLite's own insert and "
    "commit; the events' JSON, written as Rasa's store writes it, 3 %), NLU a "
    "sixth, the two predictions a seventh, Rasa's slot extraction before each "
    "reply 4 % (its check of every slot mapping's intents), and Sanic-CORS 2 % "
    "(a debug message formatted on every response). The cluster: one server's "
    "share of the SQLite rate moved between 66 % and 87 % from one 5 s round to"
    " the next, and the two-server row between runs (233/s here; 260-304/s for "
    "this code against 179-238/s for the start of the day's, in alternating "
    "runs the same afternoon): on 2 shared cores PostgreSQL's backend, Redis, "
    "HAProxy, the action server and the load generator compete with the "
    "servers. In the cluster server's own path the largest item left is the "
    "kernel's work behind each statement sent to PostgreSQL on loopback (py-spy"
    " puts 5-6 % of the loop in psycopg2's execute, which takes 26 us on a "
    "quiet machine). A message sent again after its server died may be answered"
    " twice, in two states (the dead server stored it before its answer reached"
    " her): the REST channel carries no message id to recognise it by. "
    "TensorFlow is still imported, because Rasa's featurizer and training "
    "utilities subclass its classes when their modules load "
    "(`rasa/utils/tensorflow/callback.py`, imported by "
    "`rasa/utils/train_utils.py` from `rasa/nlu/extractors/extractor.py`), so "
    "no lazy import can keep it out: about 420 MB of the resident memory."
)


def what_moved_the_numbers(m: Measurements) -> list[str]:
    """The table of steps, the last row with this run's own figures."""
    one = find(m.load, THIS_BOT, 1)
    ten = find(m.load, THIS_BOT, 10)
    fifty = find(m.load, THIS_BOT, 50)
    resident = m.memory_loaded_mb.get("Rasa server", 0.0)
    row = (
        f"| {THIS_RUN_STEPS} (this report's run) | | "
        + (f"{one.p50_ms:.1f} ms" if one else "–")
        + " | "
        + (f"{ten.replies_per_second:.1f}/s, {ten.p95_ms:.0f} ms" if ten else "–")
        + " | "
        + (f"{fifty.p99_ms:.0f} ms" if fifty else "–")
        + f" | {resident:.0f} MB |"
    )
    return [*WHAT_MOVED_THE_NUMBERS, row, "", WHAT_IS_LEFT, ""]


def busy_machine_note(machine: Machine) -> list[str]:
    """A warning when other processes competed for the cores during the run."""
    if machine.load_average <= machine.cores + 1:
        return []
    return [
        f"**Measured on a busy machine:** the load average over the run's last 15 "
        f"minutes was {machine.load_average:.1f} on {machine.cores} cores (the "
        f"bench alone keeps at most about {machine.cores} busy), so other "
        "processes competed for the CPU and every figure here is lower than on "
        "an idle machine. Compare the rows with each other, not with the "
        "targets; run `make bench` on a quiet machine to check the targets.",
        "",
    ]


# a person chatting sends a message about this often (reading, typing)
SECONDS_BETWEEN_MESSAGES = 15
STATED_LOAD_CONVERSATIONS = 1000


def side_by_side_paragraph(side_by_side: SideBySide | None) -> list[str]:
    """The rounds in which one cluster server and the SQLite process took turns."""
    if side_by_side is None or not side_by_side.shares:
        return []
    rounds = ", ".join(
        f"{c:.0f}/{s:.0f}"
        for s, c in zip(side_by_side.sqlite, side_by_side.cluster, strict=True)
    )
    return [
        "**Taking turns.** With the SQLite process still up, one cluster server "
        f"and it took turns with ten conversations, {side_by_side.seconds:.0f} s "
        "each, who went first swapping every round (on this VM the same "
        "server's rate drifts by a fifth within minutes, so runs minutes apart "
        "compare the machine's moods as much as the servers). Cluster/SQLite "
        f"replies/s per round: {rounds}; the cluster's share, median "
        f"{side_by_side.median_share:.0%}.",
        "",
    ]


def cluster_section(m: Measurements, cores: int) -> list[str]:
    """The cluster figures beside the single-process ones, and what they mean."""
    if not m.cluster:
        return []
    lines = [
        "## Cluster: PostgreSQL, Redis, HAProxy",
        "",
        "The same conversation through HAProxy (routing by conversation id) to "
        "Rasa servers sharing PostgreSQL and Redis (`make cluster`, "
        "bench/cluster.py), beside the single process on SQLite above. "
        "*No tracker cache*: TRACKER_CACHE_CONVERSATIONS=0, every message reads "
        "the conversation back from PostgreSQL.",
        "",
        "| target | conversations | p50 | p95 | p99 | replies/s | errors "
        "| Rasa CPU per reply |",
        "|---|---|---|---|---|---|---|---|",
    ]
    single = [r for r in m.load if r.target == THIS_BOT and r.concurrency >= 10]
    for r in single + m.cluster:
        name = "1 process, SQLite (above)" if r.target == THIS_BOT else r.target
        lines.append(
            f"| {name} | {r.concurrency} | {r.p50_ms:.0f} ms | {r.p95_ms:.0f} ms | "
            f"{r.p99_ms:.0f} ms | {r.replies_per_second:.1f} | {r.errors} "
            f"| {cpu_cell(r)} |"
        )
    one = find(m.cluster, ONE_SERVER, 10)
    no_cache = find(m.cluster, ONE_SERVER_NO_CACHE, 10)
    two = find(m.cluster, TWO_SERVERS, 10)
    lines.append("")
    if one and no_cache and no_cache.replies_per_second:
        gain = one.replies_per_second / no_cache.replies_per_second - 1
        lines.append(
            f"**Tracker cache with PostgreSQL:** {one.replies_per_second:.1f} "
            f"replies/s with it, {no_cache.replies_per_second:.1f} without "
            f"({gain:+.0%}); p95 {one.p95_ms:.0f} ms against {no_cache.p95_ms:.0f} ms "
            "at ten conversations."
        )
        lines.append("")
    lines += side_by_side_paragraph(m.side_by_side)
    if one and one.replies_per_server_core and two and two.server_cpu_ms_per_reply:
        lines += [
            "**Per core of their own.** The Rasa server itself spent "
            f"{one.server_cpu_ms_per_reply:.1f} ms of CPU per reply on PostgreSQL and "
            f"Redis (one server, ten conversations), so a core of its own would give "
            f"it about {one.replies_per_server_core:.0f} replies/s; two servers spent "
            f"{two.server_cpu_ms_per_reply:.1f} ms each per reply, so two servers on "
            "two machines' worth of cores would answer about "
            f"{2 * (two.replies_per_server_core or 0):.0f} replies/s. This is a "
            "projection from the servers' own CPU time, not a measured throughput: "
            "on this machine PostgreSQL, Redis, HAProxy, the action server and the "
            "load generator take the rest of the cores.",
            "",
        ]
    if one and one.replies_per_second:
        needed = servers_needed(
            STATED_LOAD_CONVERSATIONS, SECONDS_BETWEEN_MESSAGES, one.replies_per_second
        )
        lines += [
            "**Capacity.** One Rasa server is one Python process, so it uses at "
            f"most one core: here it answered {one.replies_per_second:.0f} replies/s "
            f"per core (p95 {one.p95_ms:.0f} ms) at ten closed-loop conversations, "
            "while sharing this machine's "
            f"{cores} cores with PostgreSQL, Redis, HAProxy, the action server and "
            "the load generator."
            + (
                f" Two servers on the same {cores} cores answered "
                f"{two.replies_per_second:.0f} replies/s: they compete for the same "
                "cores, so this machine cannot show scale-out; on machines of their "
                "own the servers share nothing but PostgreSQL and Redis, and "
                "throughput adds up per server."
                if two
                else ""
            ),
            "",
            f"{STATED_LOAD_CONVERSATIONS:,} people chatting at once, each sending "
            f"a message every {SECONDS_BETWEEN_MESSAGES} s, send "
            f"{STATED_LOAD_CONVERSATIONS / SECONDS_BETWEEN_MESSAGES:.0f} messages/s. "
            "Run at half of the measured rate (headroom for bursts and p95), that "
            f"needs **{needed} Rasa server{'' if needed == 1 else 's'}** (one core "
            "and ~1 GB each), plus one "
            "more so that losing one changes nothing, an action server per two or "
            "three Rasa servers, and one PostgreSQL and one Redis, which at this "
            "rate (a few inserts and indexed reads per message) are far from "
            "their limits.",
            "",
        ]
    return lines


def write_report(out: Path, machine: Machine, m: Measurements) -> None:
    """Write reports/bench.md and reports/bench_latency.png."""
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Speed and cost",
        "",
        f"Written by `make bench` on {date.today().isoformat()}: {machine.cores} cores "
        f"({machine.cpu}), {machine.memory_gb:.0f} GB, Python {machine.python}. "
        "Everything on 127.0.0.1; each load level ran "
        f"{m.seconds_per_level:.0f} s, closed loop (each conversation sends its next "
        "message as soon as it has the reply).",
        "",
        *busy_machine_note(machine),
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    for target, measured, met in target_checks(m):
        lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")
    lines += [
        "",
        *what_moved_the_numbers(m),
        "## Start-up and memory",
        "",
        "| | this bot | peer (rasa init) |",
        "|---|---|---|",
        f"| training from scratch | {m.train_seconds:.0f} s | "
        f"{m.peer_train_seconds:.0f} s (with `rasa init` creating the project) |",
        f"| start to ready | {m.ready_seconds:.1f} s | {m.peer_ready_seconds:.1f} s |",
        f"| Rasa server resident, idle / after load | "
        f"{m.memory_idle_mb['Rasa server']:.0f} / "
        f"{m.memory_loaded_mb['Rasa server']:.0f} MB | "
        f"{m.memory_idle_mb['peer Rasa server']:.0f} / "
        f"{m.memory_loaded_mb['peer Rasa server']:.0f} MB |",
        f"| action server resident, idle / after load | "
        f"{m.memory_idle_mb['action server']:.0f} / "
        f"{m.memory_loaded_mb['action server']:.0f} MB | – |",
        "",
        "## Reply latency and throughput",
        "",
        "| target | conversations | p50 | p95 | p99 | replies/s | errors "
        "| server CPU per reply |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in m.load:
        lines.append(
            f"| {r.target} | {r.concurrency} | {r.p50_ms:.0f} ms | {r.p95_ms:.0f} ms | "
            f"{r.p99_ms:.0f} ms | {r.replies_per_second:.1f} | {r.errors} "
            f"| {cpu_cell(r)} |"
        )
    lines += ["", *turn_cost_section(m)]
    lines += cluster_section(m, machine.cores)
    lines += retention_section(m)
    lines += [
        "Resident memory is VmRSS. Before each Rasa server starts, the bench drops "
        "the virtualenv's shared libraries from the page cache "
        "(`bench/page_cache.py`): right after an install, the same server maps "
        "about 200 MB more of TensorFlow's library and looks that much bigger.",
        "",
        "This bot's conversation: greeting, a Danish and an English FAQ question, the "
        "referral check (7 answers) and goodbye; the peer's: greeting, \"I am feeling "
        'very sad", yes, goodbye. The HTTP floor is a bare Sanic endpoint with a '
        "fixed reply; /model/parse is this bot's NLU alone.",
        "",
        "![Reply latency](bench_latency.png)",
        "",
    ]
    (out / "bench.md").write_text("\n".join(lines), "utf-8")
    latency_png(m.load, out / "bench_latency.png")
