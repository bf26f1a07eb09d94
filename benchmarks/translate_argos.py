"""Benchmark: our Argos engine against argostranslate's own translate(), field by field, in one run.

    .venv/bin/python benchmarks/translate_argos.py [--documents 200] [--model-dir DIR]

Model: an Argos package of Argos size with random weights (6 encoder and 6 decoder layers,
d=512, 8 heads, feed-forward 2048, a 32,000-token vocabulary, int8 like the published packages),
built once into ``$TMPDIR/interop-bench-argos-<version>`` and reused. Random weights never emit
``</s>`` by chance, so every output would run to the 256-token cap; a few reserved dimensions
carry a position ramp and a constant (nothing else writes to them), and the ``</s>`` logit reads
the ramp, so every output ends after about as many tokens as an average input sentence has. Both
ways therefore decode the same lengths, as real models would roughly do.

Text: the original free text of the bundled examples (``c:text[@origin='original']``), copied
for ``--documents`` documents with every sentence made unique by a file number in front (so a
translation memory never finds a sentence it was not given in this run); all of it is fed as
German into a de->en package (the weights are random: the language does not matter).

* **naive**: ``argostranslate.translate.translate(text, "de", "en")`` once per free-text field,
  argostranslate's defaults (beam 4, batches of 32 *tokens*, all cores). Its sentence splitter
  (MiniSBD, Stanza or spaCy) would download a model on first use; it is replaced by our offline
  ``interop.translate.segment.sentences`` (the same splitting both ways), and the process
  refuses every network connection.
* **ours**: the same fields split into sentences, one ``ArgosEngine.translate`` call per document
  (beam 2, 32 sentences per CTranslate2 batch, one intra-op thread).
* **memory**: ours again with ``interop.translate.memory.Memory`` in front: cold (empty memory,
  every sentence looked up, translated and stored) and warm (every sentence found).

The ways take turns document by document (ours, naive, cold), so a load that comes and goes on
a shared machine weighs on each alike. Prints documents/second for each, and the ratios.
Targets: ours / naive >= 3 on a cold memory; warm >= 20x faster than cold.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interop import xmlio  # noqa: E402
from interop.translate import models  # noqa: E402
from interop.translate.engines.argos import ArgosEngine  # noqa: E402
from interop.translate.segment import sentences  # noqa: E402

BUILD_VERSION = "1"
LAYERS, D, HEADS, FFN, VOCABULARY, POSITIONS = 6, 512, 8, 2048, 32_000, 512
# Reserved dimensions of the residual stream: two constants (+K, -K) that keep layer norm's
# scale steady, and a ramp t/RAMP over the decoder positions that the </s> logit reads.
PLUS, MINUS, RAMP_DIM = D - 3, D - 2, D - 1
K, RAMP = 50.0, 10.0
C = "{urn:interop:common:1}"


def refuse_network() -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access refused by the benchmark")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign, assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def fields(documents: int) -> list[list[str]]:
    """Free-text fields per document; every sentence made unique by a file number in front.

    Copies of the bundled examples would otherwise repeat their sentences, and a translation
    memory would find them: "cold" must mean that the memory has never seen a sentence.
    """
    originals = []
    for path in sorted((ROOT / "examples").glob("*/*.xml")):
        tree = xmlio.parse_file(path)
        texts = [e.text.strip() for e in tree.iter(f"{C}text") if e.get("origin") == "original"]
        if any(texts):
            originals.append([t for t in texts if t])
    return [
        [
            " ".join(
                f"Az. {n}/{i}.{j}: {sentence.strip()}"
                for j, sentence in enumerate(sentences(text, "de"))
                if sentence.strip()
            )
            for i, text in enumerate(originals[n % len(originals)])
        ]
        for n in range(documents)
    ]


def build_model(folder: Path, corpus: list[str]) -> Path:
    """An Argos-size de->en package with random weights (see the module docstring)."""
    import ctranslate2.specs.transformer_spec as ts  # noqa: PLC0415
    import sentencepiece as spm  # noqa: PLC0415

    package = folder / "translate-de_en-random.argosmodel"
    if package.exists():
        return package
    folder.mkdir(parents=True, exist_ok=True)
    print(f"building the model into {folder} (once)", flush=True)
    tokenizer_model = folder / "sentencepiece.model"
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_prefix=str(folder / "sentencepiece"),
        vocab_size=8000,
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
    )
    tokenizer = spm.SentencePieceProcessor(model_file=str(tokenizer_model))
    pieces = [tokenizer.id_to_piece(i) for i in range(tokenizer.get_piece_size())]
    vocabulary = pieces + [f"<extra{i}>" for i in range(VOCABULARY - len(pieces))]
    mean_tokens = float(np.mean([len(tokenizer.encode(s)) for s in corpus]))
    spec = _random_spec(ts, eos_step=round(mean_tokens), eos_id=vocabulary.index("</s>"))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization="int8")
    model_dir = folder / "model"
    model_dir.mkdir(exist_ok=True)
    spec.save(str(model_dir))
    metadata = {"package_version": "0.0-random", "from_code": "de", "to_code": "en"}
    top = "translate-de_en-random"
    with zipfile.ZipFile(package, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(f"{top}/metadata.json", json.dumps(metadata))
        archive.write(tokenizer_model, f"{top}/sentencepiece.model")
        for file in sorted(model_dir.iterdir()):
            archive.write(file, f"{top}/model/{file.name}")
    print(f"  mean input sentence: {mean_tokens:.1f} tokens; outputs end there", flush=True)
    return package


def _random_spec(ts: Any, eos_step: int, eos_id: int) -> Any:
    rng = np.random.default_rng(5)

    def weight(rows: int, columns: int, keep_reserved: bool = False) -> np.ndarray:
        value = rng.normal(0, 0.02, (rows, columns)).astype(np.float32)
        if keep_reserved:  # nothing writes into the reserved dimensions
            value[[PLUS, MINUS, RAMP_DIM], :] = 0
        return value

    def norm(spec: Any) -> None:
        spec.gamma = np.ones(D, dtype=np.float32)
        spec.beta = np.zeros(D, dtype=np.float32)

    def positions(ramp: bool) -> np.ndarray:
        t = np.arange(POSITIONS)[:, None]
        rates = 1 / 10000 ** (np.arange(0, D, 2) / D)
        table = np.concatenate([np.sin(t * rates), np.cos(t * rates)], axis=1)
        if ramp:
            table[:, [PLUS, MINUS, RAMP_DIM]] = 0
            table[:, PLUS], table[:, MINUS] = K, -K
            table[:, RAMP_DIM] = np.arange(POSITIONS) / RAMP
        return table.astype(np.float32)

    encoder = ts.TransformerEncoderSpec(LAYERS, HEADS)
    decoder = ts.TransformerDecoderSpec(LAYERS, HEADS)
    encoder.embeddings[0].weight = weight(VOCABULARY, D)
    encoder.position_encodings.encodings = positions(ramp=False)
    decoder.embeddings.weight = weight(VOCABULARY, D)
    decoder.embeddings.weight[:, [PLUS, MINUS, RAMP_DIM]] = 0
    decoder.position_encodings.encodings = positions(ramp=True)
    for side, reserve in ((encoder, False), (decoder, True)):
        norm(side.layer_norm)
        for layer in side.layer:
            attentions = [layer.self_attention]
            if hasattr(layer, "attention"):
                attentions.append(layer.attention)
            for attention in attentions:
                norm(attention.layer_norm)
                *inputs, output = attention.linear
                for linear in inputs:
                    rows = 3 * D if len(inputs) == 1 else (D if linear is inputs[0] else 2 * D)
                    linear.weight = weight(rows, D)
                output.weight = weight(D, D, keep_reserved=reserve)
            norm(layer.ffn.layer_norm)
            layer.ffn.linear_0.weight = weight(FFN, D)
            layer.ffn.linear_1.weight = weight(D, FFN, keep_reserved=reserve)
    projection = weight(VOCABULARY, D)
    projection[:, [PLUS, MINUS, RAMP_DIM]] = 0
    # After the final layer norm the ramp is about t / sigma, sigma ~ K * sqrt(2 / D): the </s>
    # logit rises by 1 a step and overtakes the other (near-zero) logits at eos_step.
    sigma = K * np.sqrt(2 / D)
    projection[eos_id, :] = 0
    projection[eos_id, RAMP_DIM] = sigma * RAMP
    bias = np.zeros(VOCABULARY, dtype=np.float32)
    bias[eos_id] = 0.5 - eos_step
    decoder.projection.weight = projection
    decoder.projection.bias = bias
    return ts.TransformerSpec(encoder, decoder)


def naive_translator(store: Path) -> Any:
    """argostranslate.translate.translate per field, its sentencizer replaced by ours."""
    os.environ["ARGOS_PACKAGES_DIR"] = str(store)  # our store holds ordinary Argos packages
    from argostranslate import translate  # noqa: PLC0415

    class OfflineSentencizer:
        def split_sentences(self, text: str) -> list[str]:
            return [s.strip() for s in sentences(text, "de") if s.strip()]

    translation: Any = translate.get_translation_from_codes("de", "en")
    translation.underlying.sentencizer = OfflineSentencizer()  # it keeps this object

    def run(document: list[str]) -> None:
        for text in document:
            translate.translate(text, "de", "en")

    return run


def ours(document: list[str], engine: ArgosEngine) -> None:
    engine.translate([s for text in document for s in sentences(text, "de")], "de", "en")


def with_memory(document: list[str], engine: ArgosEngine, memory: Any) -> None:
    from interop.translate.memory import MemoryEntry, now  # noqa: PLC0415

    info = engine.info("de", "en")
    segments = [s for text in document for s in sentences(text, "de")]
    found = [memory.lookup(s, "de", "en") for s in segments]
    missing = [s for s, entry in zip(segments, found, strict=True) if entry is None]
    translated = engine.translate(missing, "de", "en")
    for source, target in zip(missing, translated, strict=True):
        provenance = (info.engine, info.model, info.model_version, None, now())
        memory.store(MemoryEntry(source, target, "de", "en", "machine", "unreviewed", *provenance))


def timed(run: Any, *args: Any) -> float:
    start = time.perf_counter()
    run(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    default_dir = Path(tempfile.gettempdir()) / f"interop-bench-argos-{BUILD_VERSION}"
    parser.add_argument("--model-dir", type=Path, default=default_dir)
    args = parser.parse_args()
    refuse_network()

    documents = fields(args.documents)
    corpus = [s.strip() for d in fields(22) for text in d for s in sentences(text, "de")]
    package = build_model(args.model_dir, corpus)
    work = Path(tempfile.mkdtemp(prefix="interop-bench-"))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[variable] = str(work)  # argostranslate creates its folders at import
    store = work / "models"
    models.install(package, store=store)
    n_fields = sum(len(d) for d in documents)
    n_sentences = sum(len(sentences(t, "de")) for d in documents for t in d)
    print(f"{len(documents)} documents, {n_fields} fields, {n_sentences} sentences", flush=True)

    engine = ArgosEngine(store)
    engine.translate(["Warm-up."], "de", "en")  # load the models outside the timing
    naive = naive_translator(store)
    naive(["Warm-up."])
    from interop.translate.memory import Memory  # noqa: PLC0415

    memory = Memory(work / "memory.sqlite")

    # The ways take turns document by document, so that a load that comes and goes on a shared
    # machine weighs on each of them alike; the warm pass needs every sentence stored first.
    totals = {"ours": 0.0, "naive": 0.0, "cold": 0.0, "warm": 0.0}
    for number, document in enumerate(documents, 1):
        totals["ours"] += timed(ours, document, engine)
        totals["naive"] += timed(naive, document)
        totals["cold"] += timed(with_memory, document, engine, memory)
        if number % 20 == 0:
            print(f"  {number} documents: {fmt(totals)}", flush=True)
    for document in documents:
        totals["warm"] += timed(with_memory, document, engine, memory)
    memory.close()

    def rate(seconds: float) -> str:
        return f"{len(documents) / seconds:8.2f} documents/s ({seconds:7.1f} s)"

    print(f"ours   ArgosEngine, one call per document:   {rate(totals['ours'])}")
    print(f"naive  argostranslate.translate() per field: {rate(totals['naive'])}")
    print(f"cold   memory empty, then filled:            {rate(totals['cold'])}")
    print(f"warm   every sentence in the memory:         {rate(totals['warm'])}")
    print(f"ratio  ours / naive: {totals['naive'] / totals['ours']:.2f}x (target >= 3)")
    print(f"ratio  cold ours / naive: {totals['naive'] / totals['cold']:.2f}x (target >= 3)")
    print(f"ratio  warm / cold: {totals['cold'] / totals['warm']:.1f}x (target >= 20)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def fmt(totals: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in totals.items() if seconds)


if __name__ == "__main__":
    main()
