"""Clustered 1024-dimension vectors with the rows around them, for the search benchmark.

Uniformly random vectors make HNSW recall meaningless: in 1,024 dimensions every point is about
as far from every other, so "the 10 nearest" are an arbitrary pick. Real embeddings have far
fewer degrees of freedom than dimensions and group by topic. So the vectors here are drawn in a
32-dimension latent space as a two-level mixture (12 categories, each holding clusters of uneven
size, about 1,000 clusters in all), mapped into 1,024 dimensions by a fixed random orthonormal
map, shifted by a shared mean direction (embeddings are anisotropic: unrelated texts still have a
positive cosine), given a little full-dimensional noise and normalised. `describe()` prints the
resulting cosines (random pairs, same category, 1st and 10th neighbour) so a reader can compare
them with real embeddings.

Each vector's cluster also picks the words of its summary, tags and description (from the
category's vocabulary), so full-text search matches the same neighbourhoods the vectors do. Items
belong to 10 users (about 10% each, independent of the cluster) and were created over three years.

Queries are fresh draws from the same clusters (near them, never in the set). The ground truth
is the exact cosine top 10 computed with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIMENSIONS = 1024
LATENT = 32
USERS = [f"user{n:02d}" for n in range(10)]
SEED = 20240801

VOCABULARY = {
    "landscape": "mountain valley river lake forest meadow hill cliff glacier canyon sunset horizon fog".split(),
    "beach": "sand wave ocean shore surf palm dune pier lighthouse tide shell seagull boat".split(),
    "city": "street skyline bridge tower traffic crosswalk alley neon tram facade rooftop plaza taxi".split(),
    "food": "bread cheese pasta salad soup coffee cake fruit plate bowl kitchen spoon breakfast".split(),
    "animal": "dog cat horse bird fox deer owl rabbit squirrel cow sheep duck puppy".split(),
    "plant": "flower rose tulip leaf fern cactus garden blossom moss orchid sunflower ivy daisy".split(),
    "people": "portrait smile child family crowd dancer runner musician wedding friend hiker couple face".split(),
    "interior": "sofa lamp window table chair shelf bookcase bedroom carpet curtain fireplace desk mirror".split(),
    "vehicle": "car bicycle train truck motorcycle airplane bus tractor scooter van ship helicopter wheel".split(),
    "document": "receipt invoice letter page notebook whiteboard sign poster menu ticket map diagram form".split(),
    "night": "moon star lantern candle firework streetlight aurora galaxy neon midnight darkness glow sky".split(),
    "art": "painting sculpture mural canvas gallery statue mosaic sketch graffiti pottery frame museum ink".split(),
}
CATEGORIES = list(VOCABULARY)
ADJECTIVES = "bright dark quiet busy old new small large colorful misty sunny rainy snowy warm cold".split()


@dataclass
class Corpus:
    """The generated set: unit vectors, each row's cluster, category, user, day and words."""

    vectors: np.ndarray  # (n, 1024) float32, unit length
    clusters: np.ndarray  # (n,) cluster index
    categories: np.ndarray  # (n,) category index
    users: np.ndarray  # (n,) index into USERS
    days: np.ndarray  # (n,) days before 2025-01-01
    cluster_words: list[list[str]]  # the words each cluster's texts use


@dataclass
class Queries:
    """Held-out query vectors with their cluster, and the exact answers."""

    vectors: np.ndarray  # (q, 1024) float32
    clusters: np.ndarray  # (q,)
    words: list[str]  # a two-word text query drawn from each query's cluster
    truth: np.ndarray  # (q, 10) row indexes into the corpus, nearest first
    user_truth: np.ndarray  # (q, 10) the same, among one user's rows only
    user: int  # the user of user_truth


class Generator:
    """Draws corpus rows and queries from one fixed mixture (seeded, so every run is the same)."""

    def __init__(self, clusters: int, seed: int = SEED):
        self.rng = np.random.default_rng(seed)
        rng = self.rng
        self.cluster_category = rng.integers(0, len(CATEGORIES), clusters)
        topics = rng.normal(0, 1.0, (len(CATEGORIES), LATENT))
        self.centres = topics[self.cluster_category] + rng.normal(0, 0.75, (clusters, LATENT))
        # Clusters differ in size (a few large, many small) and in spread.
        self.weights = rng.lognormal(0, 0.8, clusters)
        self.weights /= self.weights.sum()
        self.spread = rng.uniform(0.6, 0.9, clusters)
        basis, _ = np.linalg.qr(rng.normal(0, 1, (DIMENSIONS, LATENT)))
        self.basis = basis.T.astype(np.float32)  # (LATENT, DIMENSIONS), orthonormal rows
        mean = rng.normal(0, 1, DIMENSIONS)
        self.mean = (mean / np.linalg.norm(mean)).astype(np.float32)
        self.words = [self._cluster_words(int(c)) for c in self.cluster_category]

    def _cluster_words(self, category: int) -> list[str]:
        own = VOCABULARY[CATEGORIES[category]]
        picked = list(self.rng.choice(own, 6, replace=False))
        other = VOCABULARY[CATEGORIES[int(self.rng.integers(0, len(CATEGORIES)))]]
        return picked + [str(self.rng.choice(other))]

    def draw(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """`count` unit vectors and their clusters."""
        rng = self.rng
        clusters = rng.choice(len(self.weights), count, p=self.weights)
        vectors = np.empty((count, DIMENSIONS), np.float32)
        for start in range(0, count, 20_000):
            part = clusters[start : start + 20_000]
            latent = self.centres[part] + rng.normal(0, 1, (len(part), LATENT)) * self.spread[part, None]
            # In latent units a point's norm is about sqrt(LATENT); the mean shift and the noise
            # are sized against it.
            scale = np.sqrt(LATENT)
            full = latent.astype(np.float32) @ self.basis + scale * self.mean
            full += rng.normal(0, 0.4 * scale / np.sqrt(DIMENSIONS), full.shape).astype(np.float32)
            full /= np.linalg.norm(full, axis=1, keepdims=True)
            vectors[start : start + len(part)] = full
        return vectors, clusters

    def corpus(self, count: int) -> Corpus:
        vectors, clusters = self.draw(count)
        return Corpus(
            vectors=vectors,
            clusters=clusters,
            categories=self.cluster_category[clusters],
            users=self.rng.integers(0, len(USERS), count),
            days=self.rng.integers(0, 3 * 365, count),
            cluster_words=self.words,
        )

    def queries(self, corpus: Corpus, count: int, user: int = 3) -> Queries:
        vectors, clusters = self.draw(count)
        words = [" ".join(self.rng.choice(self.words[c][:6], 2, replace=False)) for c in clusters]
        return Queries(
            vectors=vectors,
            clusters=clusters,
            words=words,
            truth=exact_top(corpus.vectors, vectors, 10),
            user_truth=exact_top(corpus.vectors, vectors, 10, mask=corpus.users == user),
            user=user,
        )


def exact_top(corpus: np.ndarray, queries: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Row indexes of the exact `k` nearest rows by cosine (vectors are unit length), nearest first."""
    rows = np.arange(len(corpus)) if mask is None else np.flatnonzero(mask)
    similarity = queries @ corpus[rows].T
    top = np.argpartition(-similarity, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(similarity, top, axis=1), axis=1)
    return rows[np.take_along_axis(top, order, axis=1)]


def describe(corpus: Corpus, queries: Queries) -> dict[str, float]:
    """Median cosines that characterise the set: random pairs, same category, the 1st and 10th neighbour."""
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, len(corpus.vectors), (2, 20_000))
    random_pairs = np.sum(corpus.vectors[a] * corpus.vectors[b], axis=1)
    same = corpus.categories[a] == corpus.categories[b]
    first = np.sum(queries.vectors * corpus.vectors[queries.truth[:, 0]], axis=1)
    tenth = np.sum(queries.vectors * corpus.vectors[queries.truth[:, 9]], axis=1)
    return {
        "random pair": float(np.median(random_pairs)),
        "same category": float(np.median(random_pairs[same])),
        "1st neighbour": float(np.median(first)),
        "10th neighbour": float(np.median(tenth)),
    }


def summary(words: list[str], rng: np.random.Generator) -> tuple[str, list[str], str]:
    """A summary, tags and description made of a cluster's words."""
    picked = list(rng.choice(words, 4, replace=False))
    adjective = str(rng.choice(ADJECTIVES))
    text = f"A {adjective} photo of a {picked[0]} with a {picked[1]} and a {picked[2]}"
    description = f"{text}, {picked[3]} in the background; {adjective} light."
    return text, picked, description
