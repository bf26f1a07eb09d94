"""The Argos engine: neural translation with the Argos packages in the model store.

An installed package (see :mod:`interop.translate.models`) is a CTranslate2 model and a
SentencePiece model; this engine drives them directly rather than through argostranslate's
translation functions, for three reasons:

- **Offline, always.** argostranslate splits text into sentences with MiniSBD, Stanza or spaCy,
  which download their models on first use, and its package functions read a package index
  over the network. Here segments arrive already split (``interop.translate.segment``) and the
  only files read are those of the store; argostranslate itself is never imported.
- **Batching.** All segments of a call go to one ``translate_batch`` with 32 sentences per
  batch (argostranslate batches by 32 *tokens*, about one sentence), beam size 2 and one
  intra-op thread: on the 2-core machine this was measured on, that is about 3x faster, and
  one thread beat two (benchmarks/translate_argos.py).
- **Pivots.** With no direct package, a pair is translated through English (de->en->fr); the
  provenance then names both models (``translate-de_en+translate-en_fr``).

Decoding is argostranslate's: SentencePiece pieces joined, and both ``▁`` and ``_`` turned into
spaces (the models were built and evaluated with that decoder). So an underscore never survives
an Argos translation: ``ref_12`` comes back as ``ref 12``, and placeholders must not use ``_``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from interop.translate import models
from interop.translate.engine import EngineError, EngineInfo

if TYPE_CHECKING:
    from interop.translate.models import InstalledModel

ENGINE: Final = "argos-translate"
PIVOT: Final = "en"
BATCH_SIZE: Final = 32  # sentences per CTranslate2 call
BEAM_SIZE: Final = 2
# CTranslate2 silently truncates long inputs; longer ones are cut at a word start into chunks
# translated one by one. Argos models are trained on sentences well below this.
MAX_TOKENS: Final = 250
MISSING_EXTRA: Final = (
    "the argos engine needs the [argos] extra: pip install 'interop[argos]' "
    "(install the CPU build of torch first, as scripts/dev does)"
)


@dataclass(frozen=True, slots=True)
class _Loaded:
    translator: Any  # ctranslate2.Translator (untyped library)
    tokenizer: Any  # sentencepiece.SentencePieceProcessor
    stamp: tuple[str, int]  # version and model.bin mtime: a reinstalled model is reloaded


class ArgosEngine:
    """Translates with the installed Argos packages, offline, in batches."""

    name = "argos"

    def __init__(
        self,
        store: Path | None = None,
        *,
        batch_size: int = BATCH_SIZE,
        beam_size: int = BEAM_SIZE,
        threads: int = 1,
    ) -> None:
        """Check that CTranslate2 and SentencePiece are installed (models load on first use).

        Args:
            store: the model store; ``None``: :func:`interop.translate.models.store_dir`,
                read on every call so that newly installed models are seen.
            batch_size: sentences per CTranslate2 batch.
            beam_size: beam search width.
            threads: intra-op threads per translation.

        Raises:
            EngineError: the ``[argos]`` extra is not installed.
        """
        try:
            import ctranslate2  # noqa: PLC0415
            import sentencepiece  # noqa: PLC0415
        except ImportError:
            raise EngineError(MISSING_EXTRA) from None
        self._ctranslate2 = ctranslate2
        self._sentencepiece = sentencepiece
        self.store = store
        self.batch_size = batch_size
        self.beam_size = beam_size
        self.threads = threads
        self._loaded: dict[Path, _Loaded] = {}

    def pairs(self) -> frozenset[tuple[str, str]]:
        """Pairs of the installed packages, and those reachable through English."""
        direct = {(m.source, m.target) for m in models.installed(self.store)}
        into_pivot = {source for source, target in direct if target == PIVOT}
        from_pivot = {target for source, target in direct if source == PIVOT}
        pivoted = {(s, t) for s in into_pivot for t in from_pivot if s != t}
        return frozenset(direct | pivoted)

    def info(self, source: str, target: str) -> EngineInfo:
        """The package (or both packages, ``+``-joined, through a pivot) and version(s).

        Raises:
            EngineError: no package, direct or through English, for the pair.
        """
        route = self._route(source, target)
        return EngineInfo(
            engine=ENGINE,
            model="+".join(m.name for m in route),
            model_version="+".join(m.version for m in route),
        )

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """Translate sentences; the whitespace around each is kept, empty ones stay empty.

        Raises:
            EngineError: no package for the pair, or a model cannot be loaded.
        """
        texts = list(segments)
        for model in self._route(source, target):
            texts = self._translate(model, texts)
        return texts

    def _route(self, source: str, target: str) -> list[InstalledModel]:
        by_pair = {(m.source, m.target): m for m in models.installed(self.store)}
        if (source, target) in by_pair:
            return [by_pair[source, target]]
        first, second = by_pair.get((source, PIVOT)), by_pair.get((PIVOT, target))
        if first is not None and second is not None:
            return [first, second]
        raise EngineError(
            f"no Argos package for {source}->{target} (nor {source}->{PIVOT} and "
            f"{PIVOT}->{target}): install one with `interop models install FILE.argosmodel`"
        )

    def _translate(self, model: InstalledModel, texts: list[str]) -> list[str]:
        loaded = self._load(model)
        cores = [text.strip() for text in texts]
        todo = [i for i, core in enumerate(cores) if core]
        if not todo:
            return texts
        encoded = loaded.tokenizer.encode([cores[i] for i in todo], out_type=str)
        chunked = [_chunks(pieces) for pieces in encoded]
        tokens = [chunk for chunks in chunked for chunk in chunks]
        prefix = [[model.target_prefix]] * len(tokens) if model.target_prefix else None
        try:
            results = iter(
                loaded.translator.translate_batch(
                    tokens,
                    target_prefix=prefix,
                    max_batch_size=self.batch_size,
                    batch_type="examples",
                    beam_size=self.beam_size,
                    replace_unknowns=True,
                    length_penalty=0.2,  # argostranslate's value
                )
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"the Argos model {model.name} failed to translate: {exc}") from None
        outputs = list(texts)
        for i, chunks in zip(todo, chunked, strict=True):
            parts = [
                _decode(loaded.tokenizer, next(results).hypotheses[0], model.target_prefix)
                for _ in chunks
            ]
            outputs[i] = _rewrap(texts[i], cores[i], " ".join(parts))
        return outputs

    def _load(self, model: InstalledModel) -> _Loaded:
        weights = model.path / "model" / "model.bin"
        try:
            stamp = (model.version, weights.stat().st_mtime_ns)
            loaded = self._loaded.get(model.path)
            if loaded is None or loaded.stamp != stamp:
                translator = self._ctranslate2.Translator(
                    str(model.path / "model"),
                    device="cpu",
                    inter_threads=1,
                    intra_threads=self.threads,
                )
                tokenizer = self._sentencepiece.SentencePieceProcessor(
                    model_file=str(model.path / "sentencepiece.model")
                )
                loaded = self._loaded[model.path] = _Loaded(translator, tokenizer, stamp)
        except (OSError, RuntimeError, ValueError) as exc:
            raise EngineError(
                f"{model.path}: the Argos model {model.name} cannot be loaded ({exc}); "
                "reinstall it with `interop models install FILE.argosmodel`"
            ) from None
        return loaded


def _chunks(pieces: list[str]) -> list[list[str]]:
    chunks = []
    while len(pieces) > MAX_TOKENS:
        starts = [i for i in range(1, MAX_TOKENS + 1) if pieces[i].startswith("▁")]
        cut = starts[-1] if starts else MAX_TOKENS
        chunks.append(pieces[:cut])
        pieces = pieces[cut:]
    chunks.append(pieces)
    return chunks


def _decode(tokenizer: Any, pieces: list[str], prefix: str) -> str:
    if prefix and pieces and pieces[0] == prefix:
        pieces = pieces[1:]
    text: str = tokenizer.decode_pieces(pieces)
    return text.replace("▁", " ").replace("_", " ").strip()


def _rewrap(original: str, core: str, translated: str) -> str:
    start = original.index(core)
    return original[:start] + translated + original[start + len(core) :]
