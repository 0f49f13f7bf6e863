"""COMET scoring spread over a Ray cluster: Ray Data ``map_batches`` over an actor pool.

Only the pairs the score cache lacks are sent. Each actor loads the model once and scores
whole pairs exactly as the in-process path does (chunking, length-sorted batches, the same
precision), so scores agree with in-process scoring to float rounding (the batches differ, and
with them the padding). Results stream back to the driver, which writes them to the cache as
they arrive: a run killed half-way resumes with the pairs that were still missing.

Actors: one per GPU (``num_gpus=1`` each) when the cluster has GPUs, else one per node using
that node's CPUs (``--ray-actors N`` sets the number; the CPUs are then shared out). The
precision ``auto`` is resolved where the scoring happens, by a probe task on a worker (its
GPU's or CPU's bfloat16 support), not on the driver.

The model must be reachable from every node: a path on a shared filesystem, or a hub name that
each node can download or finds in its Hugging Face cache. Each actor checks that its
checkpoint hashes to the driver's, so scores of another model are never cached under this one.
Ray, Ray Data and pyarrow are the ``ray`` extra; nothing here is imported without ``--ray``.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from dataclasses import dataclass
from typing import Callable

from transaudit.scoring.models import ModelUnavailable

# Pairs per Ray Data batch: what one actor call scores, and how much a killed run can lose.
RAY_BATCH_PAIRS = 32


@dataclass(frozen=True)
class ActorPlan:
    actors: int
    num_gpus: float  # per actor
    num_cpus: float  # per actor; also torch's thread count in the actor

    def describe(self) -> str:
        if self.num_gpus:
            return f"{self.actors} GPU actor(s), one GPU each"
        return f"{self.actors} CPU actor(s), {self.num_cpus:g} CPU(s) each"


def plan_actors(resources: dict, nodes: int, actors: int | None = None) -> ActorPlan:
    """How many actors and what each reserves, from the cluster's total resources."""
    gpus = int(resources.get("GPU", 0))
    cpus = max(1, int(resources.get("CPU", 1)))
    if gpus >= 1:
        return ActorPlan(actors=min(actors or gpus, gpus), num_gpus=1, num_cpus=1)
    count = actors or max(1, nodes)
    return ActorPlan(actors=count, num_gpus=0, num_cpus=max(1, cpus // count))


def _resolve_here(requested: str, on_gpu: bool):
    """Run on a worker: what ``requested`` means on that worker's hardware."""
    from transaudit.scoring.precision import resolve

    return resolve(requested, gpus=1 if on_gpu else 0)


class PairScorer:
    """Ray Data callable class: one model load per actor, whole pairs in, pair results out."""

    def __init__(self, spec: str, sha256: str, precision: str, on_gpu: bool, threads: int,
                 batch_size: int | None):
        if not on_gpu:
            import torch

            torch.set_num_threads(max(1, int(threads)))
        from transaudit.scoring import models
        from transaudit.scoring.comet_scorer import CometScorer

        ref = models.ensure_files(models.locate(spec))
        here = models.checkpoint_sha256(ref.checkpoint)
        if here != sha256:
            raise ModelUnavailable(f"the COMET model {spec} on this node ({here[:12]}) is not the driver's "
                                   f"({sha256[:12]})")
        self.scorer = CometScorer.load(ref, gpus=1 if on_gpu else 0, batch_size=batch_size, precision=precision)

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        from transaudit.scoring.run import score_with

        pairs = list(zip(batch["source"].tolist(), batch["translation"].tolist()))
        results = score_with(self.scorer, pairs)
        return {"key": batch["key"], "result": np.array([json.dumps(r, ensure_ascii=False) for r in results],
                                                        dtype=object)}


def quiet_ray_data() -> None:
    """No progress bars or execution logs from Ray Data on the user's terminal."""
    import ray.data

    for name in ("ray", "ray.data", "ray.serve", "ray.tune"):
        logging.getLogger(name).setLevel(logging.ERROR)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    for option in ("verbose_progress", "print_on_execution_start", "enable_operator_progress_bars"):
        if hasattr(ctx, option):
            setattr(ctx, option, False)


class RaySession:
    """A connection to a Ray cluster for one run (shut down at the end if this run started it)."""

    def __init__(self, address: str, plan: ActorPlan, started: bool):
        self.address = address
        self.plan = plan
        self.started = started

    @classmethod
    def connect(cls, address: str, actors: int | None, notify: Callable[[str], None],
                verbose: bool = False) -> "RaySession":
        try:
            import ray
            import ray.data  # noqa: F401
        except ImportError as exc:
            raise ModelUnavailable(f"--ray needs the ray extra ({exc}); pip install 'transaudit[ray]'") from None
        os.environ.setdefault("RAY_DEDUP_LOGS", "0")
        started = False
        if not ray.is_initialized():
            target = os.environ.get("RAY_ADDRESS", "") if address == "auto" else address
            if target and target != "auto":
                _reachable_or_raise(target)
            try:
                ray.init(address=None if address == "auto" else address, include_dashboard=False,
                         log_to_driver=False, logging_level=logging.ERROR, configure_logging=False)
            except Exception as exc:
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise ModelUnavailable(f"cannot connect to the Ray cluster at {address} ({first})") from None
            started = True
        quiet_ray_data()
        nodes = len([n for n in ray.nodes() if n.get("Alive")])
        plan = plan_actors(ray.cluster_resources(), nodes, actors)
        if verbose:
            notify(f"Ray cluster {address}: {nodes} node(s), {plan.describe()}")
        return cls(address, plan, started)

    def resolve(self, requested: str):
        """``requested`` resolved on a worker with the resources an actor will have."""
        if requested != "auto":
            from transaudit.scoring.precision import Resolved

            return Resolved(requested, requested, "cuda" if self.plan.num_gpus else "cpu",
                            f"--comet-precision {requested}")
        import ray

        probe = ray.remote(_resolve_here).options(num_cpus=min(1, self.plan.num_cpus),
                                                  num_gpus=self.plan.num_gpus)
        return ray.get(probe.remote(requested, bool(self.plan.num_gpus)))

    def score(self, spec: str, sha256: str, pairs: dict[str, tuple[str, str]], precision: str,
              batch_size: int | None, arrived: Callable[[dict[str, dict]], None]) -> None:
        """Score ``pairs`` (key -> (source, translation)); ``arrived`` gets each batch's results."""
        import ray
        import ray.data

        # Longest first, so each batch holds pairs of like length (little padding) and the
        # slowest batches start early.
        keys = sorted(pairs, key=lambda k: len(pairs[k][0]) + len(pairs[k][1]), reverse=True)
        items = [{"key": k, "source": pairs[k][0], "translation": pairs[k][1]} for k in keys]
        # A block per batch (results stream back batch by batch), and at least one per actor.
        blocks = max(1, min(len(items), max(self.plan.actors, -(-len(items) // RAY_BATCH_PAIRS))))
        try:
            ds = ray.data.from_items(items, override_num_blocks=blocks)
        except TypeError:  # Ray before 2.10 names it parallelism
            ds = ray.data.from_items(items, parallelism=blocks)
        mapping = dict(
            fn_constructor_kwargs={"spec": spec, "sha256": sha256, "precision": precision,
                                   "on_gpu": bool(self.plan.num_gpus), "threads": int(self.plan.num_cpus),
                                   "batch_size": batch_size},
            batch_size=RAY_BATCH_PAIRS, batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.plan.actors),
            num_cpus=self.plan.num_cpus, num_gpus=self.plan.num_gpus or None,
        )
        try:
            # An actor that dies is not restarted: the run fails in one line and resumes from the
            # cache. (Restartable actors also make Ray log a warning about their arguments.)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # named actor options are deprecated from Ray 2.5x
                scored = ds.map_batches(PairScorer, max_restarts=0, **mapping)
        except TypeError:  # a Ray that takes no extra actor options here
            scored = ds.map_batches(PairScorer, **mapping)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Ray Data's tuning hints are not the user's business
                for batch in scored.iter_batches(batch_size=None, batch_format="numpy"):
                    arrived({str(k): json.loads(r) for k, r in zip(batch["key"].tolist(), batch["result"].tolist())})
        except Exception as exc:
            raise ModelUnavailable(f"COMET scoring on Ray failed ({_cause(exc)})") from None

    def close(self) -> None:
        if self.started:
            import ray

            ray.shutdown()


# Seconds a cluster address gets to accept a connection (Ray itself retries for minutes).
CONNECT_DEADLINE = 5.0


def _reachable_or_raise(address: str) -> None:
    """A quick TCP connect to ``host:port`` (or ``ray://host:port``) before Ray gets the address."""
    import socket

    hostport = address.split("://", 1)[-1].rstrip("/")
    host, sep, port = hostport.rpartition(":")
    if not sep or not port.isdigit():
        raise ModelUnavailable(f"--ray {address}: expected 'auto', host:port or ray://host:port")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_DEADLINE):
            pass
    except OSError as exc:
        raise ModelUnavailable(f"cannot connect to the Ray cluster at {address} "
                               f"({exc.strerror or type(exc).__name__})") from None


def _cause(exc: BaseException) -> str:
    """The worker's own exception behind Ray's wrappers, in one line."""
    seen = 0
    while seen < 5:
        inner = getattr(exc, "cause", None) or exc.__cause__
        if inner is None or inner is exc:
            break
        exc, seen = inner, seen + 1
    text = str(exc).strip()
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith(("ray::", "Traceback", "  "))]
    return f"{type(exc).__name__}: {lines[-1] if lines else text[:200]}"
