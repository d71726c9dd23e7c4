"""Near-duplicate texts and similar texts, as pure functions (no Django): what analysis.campaigns stores
and compares.

A response's text is normalised (``normalise``), then described twice with datasketch's MinHash:

- its word shingles (``SHINGLE_WORDS`` words in a row): two copies of a form letter share most of them,
  two texts written independently almost none, even on the same topic. Campaigns compare these.
- the set of its words (longer than ``MIN_WORD_LENGTH``): texts on the same matter share many. Similar
  responses ("Lignende høringssvar") compare these.

A signature is a row of ``num_perm`` unsigned 32-bit hash values (datasketch's default "affine32"
scheme), stored as little-endian bytes (``to_bytes``/``from_bytes``). The share of equal positions of
two signatures estimates the Jaccard similarity of the two sets (``jaccard``, ``jaccard_many``).

Candidates are found by locality-sensitive hashing: a signature is cut into ``bands`` of ``rows``
values, each band hashed to a signed 64-bit key (``band_keys``) that fits a BigIntegerField; two texts
that share a key in the same band are candidates, and only candidates are compared. The parameters were
chosen by measuring bench/analysis_corpus.py (docs/benchmarks-campaigns.md): copies of a form letter with
up to 15 % of the words changed have a shingle Jaccard of 0.18 or more (1 % quantile), independent texts
0.06 at most.
"""

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SHINGLE_WORDS = 3
MIN_WORD_LENGTH = 3  # words of fewer letters ("i", "og", "at") say nothing about what a text is about


@dataclass(frozen=True)
class Scheme:
    """How one kind of signature is made and cut: ``bands`` × ``rows`` = ``num_perm``. ``seed`` fixes
    the permutations, so a signature stored today compares with one made next year."""

    num_perm: int
    bands: int
    rows: int
    seed: int

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.num_perm:
            raise ValueError("bands × rows must equal num_perm")


# Campaigns: a pair with shingle Jaccard 0.2 shares a band with probability 1-(1-0.2³)³² ≈ 0.23, at 0.4
# 0.88, at 0.05 0.004. A campaign's members are linked through each other (union-find), so a pair need not
# be a candidate itself for both to join.
SHINGLES = Scheme(num_perm=96, bands=32, rows=3, seed=14)
# Similar responses: at words Jaccard 0.5 a pair is a candidate with probability 1-(1-0.5⁴)¹⁶ ≈ 0.64, at
# 0.3 0.12, at 0.15 0.008: the closest ones are found, and the many loosely related pairs are not compared.
WORDS = Scheme(num_perm=64, bands=16, rows=4, seed=15)

_PUNCTUATION = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")

# Characters of a response's attachments' text that its signatures take in: a letter attached as a PDF is a
# few thousand; a 500-page report would only slow the MinHash and drown the response's own words.
ATTACHMENT_TEXT_MAX = 50_000


def response_text(text: str, attachment_texts: Iterable[str] = ()) -> str:
    """What a response's signatures are made of: its own text, then its attachments' extracted text in
    order (issue 15: a campaign letter sent as an attachment with a short note of one's own is a copy of
    the letter), the attachments' part cut at ``ATTACHMENT_TEXT_MAX`` characters. Without attachments,
    the text itself."""
    parts = [text]
    room = ATTACHMENT_TEXT_MAX
    for attached in attachment_texts:
        if room <= 0:
            break
        parts.append(attached[:room])
        room -= len(attached)
    return "\n\n".join(part for part in parts if part)


def normalise(text: str) -> str:
    """``text`` in NFKC, lower case, punctuation replaced by spaces, runs of white space made one space,
    stripped: two copies that differ only in punctuation, case or line breaks normalise alike."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def shingles(normalised: str, *, size: int = SHINGLE_WORDS) -> list[bytes]:
    """The distinct runs of ``size`` consecutive words of a normalised text, UTF-8 encoded; a text of
    fewer words gives itself as its one shingle, an empty text none."""
    words = normalised.split()
    if not words:
        return []
    if len(words) < size:
        return [" ".join(words).encode()]
    return list({" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)})


def words(normalised: str) -> list[bytes]:
    """The distinct words of a normalised text with at least ``MIN_WORD_LENGTH`` characters, UTF-8."""
    return list({word.encode() for word in normalised.split() if len(word) >= MIN_WORD_LENGTH})


def _empty(scheme: Scheme) -> np.ndarray:
    return np.full(scheme.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)


def minhashes(token_sets: Iterable[Sequence[bytes]], scheme: Scheme) -> np.ndarray:
    """The MinHash signatures of many sets at once: an array of shape (number of sets, ``num_perm``),
    dtype uint32. An empty set gets the all-maximum signature (it matches nothing but another empty one;
    callers skip empty texts). Tokens are hashed with CRC-32, which datasketch's affine32 scheme mixes
    with the MurmurHash3 finalizer before permuting: as good as its SHA-1 default, and twice as fast."""
    sets = list(token_sets)
    out = np.empty((len(sets), scheme.num_perm), dtype=np.uint32)
    empty = _empty(scheme)
    # datasketch is imported here, not when the portal starts: it loads SciPy (about half a second), which
    # only the analysis' worker needs (tests/portal/test_startup.py).
    from datasketch import MinHash

    generator = MinHash.generator(sets, num_perm=scheme.num_perm, seed=scheme.seed, hashfunc=zlib.crc32)
    for i, (tokens, minhash) in enumerate(zip(sets, generator, strict=True)):
        out[i] = minhash.hashvalues if tokens else empty
    return out


def signatures(normalised_texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The shingle and word signatures (schemes ``SHINGLES`` and ``WORDS``) of normalised texts: two
    arrays of shape (number of texts, num_perm)."""
    return (
        minhashes((shingles(text) for text in normalised_texts), SHINGLES),
        minhashes((words(text) for text in normalised_texts), WORDS),
    )


def text_hash(normalised: str) -> str:
    """The SHA-256 (hex) of a normalised text: an unchanged text is not computed again."""
    return hashlib.sha256(normalised.encode()).hexdigest()


# One odd 64-bit multiplier per row position and band, fixed for ever (keys are stored).
_RANDOM = np.random.default_rng(20261130)
_MULTIPLIERS = _RANDOM.integers(1, 2**63, size=(256, 64), dtype=np.uint64) | 1
_SALTS = _RANDOM.integers(1, 2**63, size=256, dtype=np.uint64)  # one per band


def band_keys(signatures: np.ndarray, scheme: Scheme) -> np.ndarray:
    """The LSH keys of signatures (shape (n, num_perm) or (num_perm,)): shape (n, bands) or (bands,),
    dtype int64. A band's key is a random linear combination of its values modulo 2⁶⁴, mixed, and differs
    between bands even for equal values, so a key alone names its band too."""
    single = signatures.ndim == 1
    values = np.atleast_2d(signatures).astype(np.uint64).reshape(-1, scheme.bands, scheme.rows)
    multipliers = _MULTIPLIERS[: scheme.bands, : scheme.rows]
    with np.errstate(over="ignore"):
        keys = (values * multipliers).sum(axis=2, dtype=np.uint64) + _SALTS[: scheme.bands]
        keys ^= keys >> np.uint64(29)
        keys *= np.uint64(0xBF58476D1CE4E5B9)
        keys ^= keys >> np.uint64(32)
    result = keys.view(np.int64)
    return result[0] if single else result


def to_bytes(signature: np.ndarray) -> bytes:
    """A signature as bytes for a BinaryField: ``num_perm`` little-endian unsigned 32-bit values."""
    return np.asarray(signature, dtype="<u4").tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    """The signature ``to_bytes`` wrote (a uint32 array)."""
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """The estimated Jaccard similarity (0–1) of the sets of two signatures of the same scheme."""
    return float(np.count_nonzero(first == second)) / len(first)


def jaccard_many(signature: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The estimated Jaccard similarity of one signature to each row of ``others`` (shape (n, num_perm)):
    a float array of n values."""
    if len(others) == 0:
        return np.zeros(0)
    return np.count_nonzero(others == signature, axis=1) / others.shape[1]


def jaccard_pairs(
    matrix: np.ndarray, left: np.ndarray, right: np.ndarray, *, chunk: int = 200_000
) -> np.ndarray:
    """The estimated Jaccard similarity of the pairs (``matrix[left[i]]``, ``matrix[right[i]]``), in
    chunks so that memory stays bounded: a float32 array as long as ``left``."""
    out = np.empty(len(left), dtype=np.float32)
    width = matrix.shape[1]
    for start in range(0, len(left), chunk):
        a = matrix[left[start : start + chunk]]
        b = matrix[right[start : start + chunk]]
        out[start : start + chunk] = np.count_nonzero(a == b, axis=1) / width
    return out


def band_pairs(column: np.ndarray, *, full_bucket: int = 64, leaders: int = 8) -> np.ndarray:
    """Pairs of rows that share a key in one band (``column``: one key per row): an int array of shape
    (m, 2) with ``i < j``. A bucket of up to ``full_bucket`` rows gives all its pairs; a larger one (a
    big campaign's copies share many keys) pairs every row with its first ``leaders`` rows only, which
    keeps the count linear while still linking every member to the bucket. Vectorised by bucket size."""
    n = len(column)
    order = np.argsort(column, kind="stable")
    sorted_keys = column[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, n])
    chunks: list[np.ndarray] = [np.zeros((0, 2), dtype=np.int64)]
    for size in np.unique(sizes[sizes > 1]).tolist():
        firsts = starts[sizes == size]
        members = order[firsts[:, None] + np.arange(size)]  # (buckets, size)
        if size <= full_bucket:
            i, j = np.triu_indices(size, k=1)
        else:
            i = np.repeat(np.arange(leaders), size)
            j = np.tile(np.arange(size), leaders)
            keep = i < j
            i, j = i[keep], j[keep]
        a, b = members[:, i].reshape(-1), members[:, j].reshape(-1)
        chunks.append(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1))
    return np.concatenate(chunks).astype(np.int64)


def similar_pairs(signatures: np.ndarray, scheme: Scheme, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs (sharing a band key) whose estimated Jaccard is at least ``floor``, band by
    band so that memory holds only those kept: (pairs of shape (m, 2) with ``i < j``, each once;
    their similarities)."""
    n = len(signatures)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float32)
    keys = band_keys(signatures, scheme)
    kept: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for band in range(scheme.bands):
        pairs = band_pairs(keys[:, band])
        values = jaccard_pairs(signatures, pairs[:, 0], pairs[:, 1])
        pairs = pairs[values >= floor]
        kept.append(np.unique(pairs[:, 0] * n + pairs[:, 1]))
    codes = np.unique(np.concatenate(kept))
    left, right = codes // n, codes % n
    return np.stack([left, right], axis=1), jaccard_pairs(signatures, left, right)


def groups(pairs: np.ndarray, n: int, *, tags: Sequence[int] | None = None) -> np.ndarray:
    """Union–find over ``pairs`` (shape (m, 2)) of ``n`` rows: each row's group, the smallest row index
    in it (an int array of n values; a row in no pair is its own group). ``tags`` (n values, -1 for none)
    keep apart what must stay apart: two groups whose rows carry different tags are never joined (staff
    pinned them to different campaigns); rows with the same tag are joined first."""
    parent = list(range(n))
    tag = list(tags) if tags is not None else [-1] * n

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra == rb or (tag[ra] != -1 and tag[rb] != -1 and tag[ra] != tag[rb]):
            return
        low, high = min(ra, rb), max(ra, rb)
        parent[high] = low
        tag[low] = tag[low] if tag[low] != -1 else tag[high]

    first_of_tag: dict[int, int] = {}
    for row, value in enumerate(tag):
        if value != -1:
            union(first_of_tag.setdefault(value, row), row)
    for a, b in pairs.tolist():
        union(a, b)
    return np.array([find(x) for x in range(n)], dtype=np.int64)


def campaign_groups(signatures: np.ndarray, threshold: float, *, tags: Sequence[int] | None = None,
                    fixed: Sequence[bool] | None = None) -> np.ndarray:  # fmt: skip
    """Campaigns from nothing: the shingle signatures (shape (n, num_perm), scheme ``SHINGLES``) of one
    hearing's texts grouped by linking every candidate pair whose estimated Jaccard is at least
    ``threshold``: each row's group (the smallest row index in it). ``tags`` as for ``groups``; rows
    that are ``fixed`` (pinned out of every campaign) are linked to nothing."""
    n = len(signatures)
    pairs, _values = similar_pairs(signatures, SHINGLES, threshold)
    if fixed is not None and len(pairs):
        alone = np.asarray(fixed, dtype=bool)
        pairs = pairs[~(alone[pairs[:, 0]] | alone[pairs[:, 1]])]
    return groups(pairs, n, tags=tags)


def _top(
    rows: np.ndarray, others: np.ndarray, values: np.ndarray, *, k: int, n: int
) -> tuple[np.ndarray, ...]:
    """(row, other, value) triples made unique by (row, other) and cut to each row's ``k`` highest values,
    sorted by row, then falling value, then other."""
    _codes, first = np.unique(rows * n + others, return_index=True)
    rows, others, values = rows[first], others[first], values[first]
    order = np.lexsort((others, -values, rows))
    rows, others, values = rows[order], others[order], values[order]
    if not len(rows):
        return rows, others, values
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    top = rank < k
    return rows[top], others[top], values[top]


def top_neighbours(
    signatures: np.ndarray, *, k: int, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's at most ``k`` most similar rows among its LSH candidates whose estimated Jaccard is at
    least ``floor``, from word signatures (scheme ``WORDS``): arrays (row, other row, similarity),
    sorted by row then falling similarity. Cut to ``k`` after every band, so memory stays about
    n × k however many pairs are alike."""
    n = len(signatures)
    rows = others = np.zeros(0, dtype=np.int64)
    values = np.zeros(0, dtype=np.float32)
    if n < 2:
        return rows, others, values
    keys = band_keys(signatures, WORDS)
    for band in range(WORDS.bands):
        pairs = band_pairs(keys[:, band])
        similarity = jaccard_pairs(signatures, pairs[:, 0], pairs[:, 1])
        keep = similarity >= floor
        left, right, similarity = pairs[keep, 0], pairs[keep, 1], similarity[keep]
        rows = np.concatenate([rows, left, right])
        others = np.concatenate([others, right, left])
        values = np.concatenate([values, similarity, similarity])
        rows, others, values = _top(rows, others, values, k=k, n=n)
    return rows, others, values
