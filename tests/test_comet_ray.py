"""COMET on a Ray cluster (``--ray``): a local 2-CPU Ray started here, the tiny checkpoint.

Ray is the ``ray`` extra: these tests skip where it is not installed (CI installs it through
the ``test`` extra). The GPU path cannot run on this machine; what decides it (the actor plan,
``num_gpus=1`` per actor) is tested with the cluster's resources mocked.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from test_comet_scoring import DIGEST, check, cli_subprocess, comet_records
from tiny_comet import session_model
from transaudit.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return session_model(tmp_path_factory)


@pytest.fixture(scope="module")
def ray_cluster():
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    if ray.is_initialized():
        ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def chunk_scores(data: dict) -> list[tuple[str, float]]:
    return [(c["source"], c["score"]) for rec in comet_records(data).values() for c in rec["chunks"]]


def test_ray_scores_equal_in_process_and_only_missing_pairs_are_sent(tiny, tmp_path, ray_cluster, monkeypatch):
    from transaudit.scoring import ray_scoring

    sent: list[int] = []
    original = ray_scoring.RaySession.score

    def counting(self, spec, sha, pairs, *args, **kwargs):
        sent.append(len(pairs))
        return original(self, spec, sha, pairs, *args, **kwargs)

    monkeypatch.setattr(ray_scoring.RaySession, "score", counting)
    _, local = check(tmp_path, tiny, cache=tmp_path / "local")
    result, remote = check(tmp_path, tiny, "--ray", "auto", "--ray-actors", "2", "--verbose", cache=tmp_path / "ray")
    assert sent == [5] and "2 CPU actor(s), 1 CPU(s) each" in result.stderr
    assert remote["summary"]["comet"]["scored"] == 5 and remote["summary"]["comet"]["cached"] == 0
    assert remote["summary"]["comet"]["signature"] == local["summary"]["comet"]["signature"]
    a, b = chunk_scores(local), chunk_scores(remote)
    assert [s for s, _ in a] == [s for s, _ in b] and len(a) > 5  # the same chunks, long pairs split
    assert max(abs(x - y) for (_, x), (_, y) in zip(a, b)) <= 1e-6
    for p, q in zip(local["pairs"], remote["pairs"]):
        assert q["comet"]["score"] == pytest.approx(p["comet"]["score"], abs=1e-6)

    # One pair edited: only it goes to the cluster, the rest comes from the cache Ray filled.
    edited = tmp_path / "edited.txt"
    edited.write_text(DIGEST.read_text(encoding="utf-8").replace("खोज करता है।", "खोज करता है!"), encoding="utf-8")
    _, again = check(tmp_path, tiny, "--ray", "auto", digest=edited, cache=tmp_path / "ray")
    assert sent == [5, 1] and again["summary"]["comet"]["cached"] == 4


def test_a_killed_ray_run_resumes_from_the_cache(tiny, tmp_path, ray_cluster, monkeypatch):
    from transaudit.parsing import load_paths
    from transaudit.scoring import ray_scoring
    from transaudit.scoring.cache import ScoreCache
    from transaudit.scoring.run import ScoringOptions, score_documents

    monkeypatch.setattr(ray_scoring, "RAY_BATCH_PAIRS", 2)
    documents, _ = load_paths([str(DIGEST)])
    options = ScoringOptions(model=str(tiny), precision="fp32", cache_dir=tmp_path / "cache", ray="auto")
    written: list[int] = []
    put_many = ScoreCache.put_many

    def killed_after_the_first_batch(self, model, items):
        put_many(self, model, items)
        written.append(len(items))
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C once a batch was in

    monkeypatch.setattr(ScoreCache, "put_many", killed_after_the_first_batch)
    with pytest.raises(KeyboardInterrupt):
        score_documents(documents, options, notify=lambda m: None)
    monkeypatch.setattr(ScoreCache, "put_many", put_many)
    assert written == [2]

    run = score_documents(documents, options, notify=lambda m: None)
    assert (run.scored, run.cached) == (5, 2)


def test_ray_precision_auto_is_resolved_on_a_worker(tiny, tmp_path, ray_cluster):
    from transaudit.scoring import precision

    result, data = check(tmp_path, tiny, "--ray", "auto", "--verbose", "--no-cache", precision=None)
    here = precision.resolve("auto")  # the local cluster's workers run on this CPU
    assert data["summary"]["comet"]["precision"] == here.precision
    assert f"COMET precision: {here.precision} ({here.reason})" in result.stderr


# -- the GPU path, with the cluster's resources mocked ---------------------------------------


def test_actor_plan_puts_one_actor_on_each_gpu_else_one_per_node():
    from transaudit.scoring.ray_scoring import ActorPlan, plan_actors

    assert plan_actors({"CPU": 64.0, "GPU": 4.0}, nodes=2) == ActorPlan(actors=4, num_gpus=1, num_cpus=1)
    assert plan_actors({"CPU": 64.0, "GPU": 4.0}, nodes=2, actors=2) == ActorPlan(2, 1, 1)
    assert plan_actors({"CPU": 64.0, "GPU": 4.0}, nodes=2, actors=9) == ActorPlan(4, 1, 1)  # no GPU shared
    assert plan_actors({"CPU": 2.0}, nodes=1) == ActorPlan(1, 0, 2)
    assert plan_actors({"CPU": 2.0}, nodes=1, actors=2) == ActorPlan(2, 0, 1)
    assert plan_actors({"CPU": 32.0}, nodes=2) == ActorPlan(2, 0, 16)


def test_on_a_gpu_cluster_each_actor_asks_for_one_gpu(ray_cluster, monkeypatch):
    import ray.data

    from transaudit.scoring import ray_scoring

    monkeypatch.setattr(ray_cluster, "cluster_resources", lambda: {"CPU": 16.0, "GPU": 2.0})
    session = ray_scoring.RaySession.connect("auto", None, notify=lambda m: None)
    assert session.plan == ray_scoring.ActorPlan(actors=2, num_gpus=1, num_cpus=1)
    assert session.resolve("bf16").device == "cuda"
    seen = {}

    def fake_map_batches(self, fn, **kwargs):
        seen.update(kwargs, fn=fn)
        raise RuntimeError("stop here: no GPU on this machine")

    monkeypatch.setattr(ray.data.Dataset, "map_batches", fake_map_batches)
    with pytest.raises(RuntimeError, match="stop here"):
        session.score("m", "0" * 64, {"k": ("a", "b")}, "bf16", None, lambda fresh: None)
    assert seen["fn"] is ray_scoring.PairScorer and seen["num_gpus"] == 1
    assert seen["compute"].min_size == seen["compute"].max_size == 2
    assert seen["fn_constructor_kwargs"]["on_gpu"] is True and seen["fn_constructor_kwargs"]["precision"] == "bf16"


# -- when Ray cannot be used -----------------------------------------------------------------


def test_an_unreachable_cluster_is_one_line_and_the_audit_goes_on(tiny, tmp_path):
    pytest.importorskip("ray")
    base = ["check", str(DIGEST), "--no-report", "--comet-model", str(tiny), "--no-cache"]
    started = time.monotonic()
    rc, out, stderr, _, _ = cli_subprocess(base + ["--ray", "127.0.0.1:9"])
    assert time.monotonic() - started < 60
    rc_off, out_off, _, _, _ = cli_subprocess(base + ["--no-comet"])
    assert (rc, out) == (rc_off, out_off)
    (line,) = stderr.splitlines()
    assert "cannot connect to the Ray cluster at 127.0.0.1:9" in line and "Traceback" not in stderr


def test_ray_flags_are_checked_and_a_missing_extra_is_named(tmp_path):
    for bad, why in ((["--ray-actors", "2"], "--ray-actors needs --ray"),
                     (["--ray", "auto", "--ray-actors", "0"], "--ray-actors must be at least 1")):
        result = runner.invoke(app, ["check", str(DIGEST), "--no-report", *bad])
        assert result.exit_code == 2 and why in result.stderr, result.stderr
    hide = "sys.modules['ray'] = None  # as if the ray extra were not installed"
    rc, out, stderr, _, _ = cli_subprocess(["check", str(DIGEST), "--no-report", "--ray", "auto"], prelude=hide)
    assert rc == 2 and out == "" and stderr == "transaudit: --ray needs the ray extra: pip install 'transaudit[ray]'"
