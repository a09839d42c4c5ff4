"""The coder's accuracy on the development data stays at or above the pinned floors (which only go up).

Runs `bench/eval_events.py` (5-fold cross-validated: each fold's classifier is trained without it).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "eval" / "conflibert_train.jsonl"
STORIES = ROOT.parent / "shared" / "train" / "plover_synthetic_stories.csv"


@pytest.mark.slow
@pytest.mark.skipif(not DATA.exists() or not STORIES.exists(), reason="needs ../shared/eval and ../shared/train")
def test_eval_gate_coder_figures_stay_above_floors() -> None:
    spec = importlib.util.spec_from_file_location("eval_events", ROOT / "bench" / "eval_events.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    scores = module.main(["--data", str(DATA), "--stories", str(STORIES)])
    floors = json.loads((ROOT / "bench" / "eval_baseline.json").read_text("utf-8"))
    for name in ("macro_f1", "accuracy", "source_accuracy", "target_accuracy", "dyad_accuracy"):
        assert scores[name] >= floors[f"coder_{name}"], (name, scores[name])
