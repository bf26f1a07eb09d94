"""Builds a tiny offline Argos package whose "translation" copies its input exactly.

Real Argos models cannot be downloaded here, so the tests make one: a SentencePiece model trained
in-process (identity normalisation, byte fallback, so any text encodes and decodes unchanged)
and a one-layer CTranslate2 Transformer whose weights make the decoder copy the source token by
token:

- the residual stream has a token block (one dimension per vocabulary entry) and a position
  block (one per position); embeddings and position encodings are one-hot in them;
- every self-attention and feed-forward sublayer writes zeros, so the stream of a token is
  exactly ``onehot(token) + onehot(position)``: two ones. Layer norm maps every such vector
  alike, and its gamma/beta undo that map, so the encoder output and the cross-attention input
  are those one-hot vectors again;
- the cross-attention at decoder step ``t`` queries position ``t`` (keys: the source positions,
  scaled so that the softmax is one-hot) and reads the source token there (values: the token
  block), adding it twice into the token block;
- the output projection reads the token block, where the copied token (2) beats the current one
  (1). The source gets ``</s>`` appended (``add_source_eos``), so copying it ends the output.

Building takes well under a second; the package is an ordinary ``.argosmodel`` zip.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ctranslate2.specs.transformer_spec as ts
import numpy as np
import sentencepiece as spm

MAX_POSITIONS = 256
CORPUS = (
    "Die Beschuldigten haben seit Januar 2026 begonnen, Gelder zu überweisen.",
    "Das Gericht ordnet die Durchsuchung der Wohnung an.",
    "The court ordered the search of the premises.",
    "The suspect shall be heard by videoconference.",
    "Le tribunal a ordonné la perquisition du domicile.",
    "El tribunal ordenó el registro del domicilio.",
)


def build_copy_model(
    folder: Path, *, source: str = "de", target: str = "en", version: str = "1.0"
) -> Path:
    """Write ``translate-<source>_<target>-<version>.argosmodel`` into ``folder``; return it."""
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS * 10),
        model_writer=model,
        vocab_size=300,
        hard_vocab_limit=False,
        byte_fallback=True,
        character_coverage=1.0,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        num_threads=1,
        minloglevel=2,
    )
    tokenizer = spm.SentencePieceProcessor(model_proto=model.getvalue())
    vocabulary = [tokenizer.id_to_piece(i) for i in range(tokenizer.get_piece_size())]
    spec = _copy_spec(len(vocabulary))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize()  # aliases the many identical zero matrices: a 7 MB model.bin
    work = folder / f"copy-{source}-{target}"
    (work / "model").mkdir(parents=True, exist_ok=True)
    spec.save(str(work / "model"))
    metadata = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": source,
        "from_name": source,
        "to_code": target,
        "to_name": target,
        "type": "translate",
    }
    files = {
        "metadata.json": json.dumps(metadata).encode(),
        "sentencepiece.model": model.getvalue(),
        "model/model.bin": (work / "model" / "model.bin").read_bytes(),
        "model/config.json": (work / "model" / "config.json").read_bytes(),
        "model/shared_vocabulary.json": (work / "model" / "shared_vocabulary.json").read_bytes(),
    }
    name = f"translate-{source}_{target}-{version.replace('.', '_')}"
    return write_package(folder / f"{name}.argosmodel", name, files)


def write_package(path: Path, top: str, files: Mapping[str, bytes]) -> Path:
    """Zip ``files`` (relative names) under the top folder ``top``, as Argos packages are."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{top}/", b"")
        for name, data in files.items():
            archive.writestr(f"{top}/{name}", data)
    return path


def package_files(path: Path) -> dict[str, bytes]:
    """The files of a package, by name relative to its top folder (to build variants)."""
    with zipfile.ZipFile(path) as archive:
        return {
            info.filename.split("/", 1)[1]: archive.read(info)
            for info in archive.infolist()
            if not info.is_dir()
        }


def _copy_spec(vocabulary_size: int) -> ts.TransformerSpec:
    v, positions = vocabulary_size, MAX_POSITIONS
    d = v + positions
    tokens, places = np.arange(v), v + np.arange(positions)

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=np.float32)

    embeddings = zeros(v, d)
    embeddings[tokens, tokens] = 1
    position_encodings = zeros(positions, d)
    position_encodings[np.arange(positions), places] = 1
    # Layer norm of a vector with two ones and d-2 zeros: (x - mean) / std, the same for all.
    mean = 2.0 / d
    std = np.sqrt(2.0 / d - mean * mean + 1e-6)

    encoder = ts.TransformerEncoderSpec(1, 1)
    decoder = ts.TransformerDecoderSpec(1, 1)
    for side in (encoder, decoder):
        side.scale_embeddings = False
        side.position_encodings.encodings = position_encodings
        layer = side.layer[0]
        layer.self_attention.linear[0].weight = zeros(3 * d, d)
        layer.self_attention.linear[1].weight = zeros(d, d)
        layer.ffn.linear_0.weight = zeros(4, d)
        layer.ffn.linear_1.weight = zeros(d, 4)
        _norm(layer.self_attention.layer_norm, d)
        _norm(layer.ffn.layer_norm, d)
    encoder.embeddings[0].weight = embeddings
    _norm(encoder.layer_norm, d, std, mean)  # undone: the memory is the one-hot stream
    decoder.embeddings.weight = embeddings

    attention = decoder.layer[0].attention
    _norm(attention.layer_norm, d, std, mean)
    query = zeros(d, d)
    query[places, places] = 40 * np.sqrt(d)  # score 40 where positions match, 0 elsewhere
    keys_values = zeros(2 * d, d)
    keys_values[places, places] = 1  # keys: the source position
    keys_values[d + tokens, tokens] = 1  # values: the source token
    output = zeros(d, d)
    output[tokens, tokens] = 2
    attention.linear[0].weight = query
    attention.linear[1].weight = keys_values
    attention.linear[2].weight = output
    _norm(decoder.layer_norm, d)
    projection = zeros(v, d)
    projection[tokens, tokens] = 10
    decoder.projection.weight = projection

    spec = ts.TransformerSpec(encoder, decoder)
    spec.config.add_source_eos = True
    return spec


def _norm(spec: Any, d: int, gamma: float = 1.0, beta: float = 0.0) -> None:
    spec.gamma = np.full(d, gamma, dtype=np.float32)
    spec.beta = np.full(d, beta, dtype=np.float32)
