"""Enveloped XML signatures over evidence manifests (XMLDSig, through signxml: the ``sign`` extra).

One profile, signed and checked: a single ``ds:Signature`` as the last child of
``e:evidenceManifest``, with one reference whose URI is ``""`` (the whole manifest), the
enveloped-signature transform then exclusive canonicalisation, SHA-256 digests, RSA-SHA256 or
ECDSA-SHA256 by the key, and the signer's certificate in ``KeyInfo/X509Data``. :func:`check`
accepts nothing else, so a signature over a part of the manifest, extra references or a second
signature (the "signature wrapping" attacks) is invalid, never half-trusted.

signxml re-parses XML internally; the subclasses below route every such parse through
:mod:`interop.xmlio`, so signxml never sees a DTD, an entity or a network location either.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from lxml import etree

from interop.errors import InteropError, UnreadableInput, UsageError
from interop.xmlio import parse_bytes, serialize

try:
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
        load_pem_private_key,
    )
    from signxml import (  # type: ignore[attr-defined]
        CanonicalizationMethod,
        DigestAlgorithm,
        SignatureConstructionMethod,
        SignatureMethod,
        XMLSigner,
        XMLVerifier,
    )
    from signxml.exceptions import InvalidDigest, InvalidSignature, SignXMLException
    from signxml.verifier import SignatureConfiguration
except ImportError as exc:  # the command is used without the optional extra
    raise UsageError(
        f"XML signatures need the optional 'sign' extra ({exc.name} is missing): "
        "pip install 'interop[sign]'"
    ) from None

EVIDENCE_NS: Final = "urn:interop:evidence:1"
DS: Final = "http://www.w3.org/2000/09/xmldsig#"
_MANIFEST: Final = f"{{{EVIDENCE_NS}}}evidenceManifest"
_SIGNATURE: Final = f"{{{DS}}}Signature"
_ENVELOPED: Final = SignatureConstructionMethod.enveloped.value
_EXC_C14N: Final = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0.value
_SIGNATURE_METHODS: Final = frozenset(
    {
        SignatureMethod.RSA_SHA256,
        SignatureMethod.RSA_SHA384,
        SignatureMethod.RSA_SHA512,
        SignatureMethod.ECDSA_SHA256,
        SignatureMethod.ECDSA_SHA384,
        SignatureMethod.ECDSA_SHA512,
    }
)
_DIGESTS: Final = frozenset(
    {DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512}
)
_MIN_RSA_BITS: Final = 2048
_MIN_EC_BITS: Final = 256

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """The outcome of :func:`check`.

    Attributes:
        valid: True when the signature covers the whole manifest and verifies.
        signer: subject of the certificate the signature verified with (None when invalid).
        reason: one line: why the signature is invalid, or that it is valid and how far the
            certificate is trusted.
    """

    valid: bool
    signer: str | None
    reason: str


class _Hardened:
    """Makes signxml parse through interop.xmlio (no DTD, no entities, no network, caps)."""

    source = "signed manifest"

    def _fromstring(self, xml_string: bytes | str, **_: object) -> etree._Element:
        data = xml_string.encode() if isinstance(xml_string, str) else xml_string
        return parse_bytes(data, self.source).getroot()


class _Signer(_Hardened, XMLSigner):
    pass


class _Verifier(_Hardened, XMLVerifier):
    pass


def sign(
    manifest: bytes,
    key_pem: bytes,
    cert_pem: bytes,
    *,
    key_password: bytes | None = None,
    source: str = "manifest",
    key_source: str = "key",
    cert_source: str = "certificate",
) -> bytes:
    """Sign a whole evidence manifest with an enveloped XML signature.

    Args:
        manifest: the unsigned manifest (XML bytes).
        key_pem: the signer's private key, PEM (RSA of 2048 bits or more, or EC).
        cert_pem: the signer's X.509 certificate, PEM; embedded in the signature.
        key_password: the password of an encrypted key.
        source, key_source, cert_source: names of the inputs for error messages (file paths).

    Returns:
        The signed manifest, UTF-8 with an XML declaration.

    Raises:
        UnreadableInput: a manifest, key or certificate that cannot be read (HostileInput for
            a DOCTYPE).
        UsageError: a manifest that cannot be signed as it is, a wrong or missing password, a
            key that does not belong to the certificate, an unusable key or certificate.
    """
    tree = _parse_manifest(manifest, source)
    root = tree.getroot()
    if next(root.iter(_SIGNATURE), None) is not None:
        raise UsageError(f"{source}: the manifest is already signed; sign the unsigned manifest")
    problem = _uncovered_content(tree)
    if problem:
        raise UsageError(f"{source}: {problem}; remove it before signing")
    key = _load_key(key_pem, key_password, key_source)
    cert = _load_certificate(cert_pem, cert_source)
    _check_pair(key, cert, key_source, cert_source)
    expired = _validity_problem(cert, datetime.now(UTC))
    if expired:
        raise UsageError(f"{cert_source}: {expired}; sign with a valid certificate")
    signer = _Signer(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=(
            SignatureMethod.RSA_SHA256
            if isinstance(key, rsa.RSAPrivateKey)
            else SignatureMethod.ECDSA_SHA256
        ),
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signer.source = source
    # signxml signs a copy of the root; its signature moves to our tree, which keeps the
    # prolog (comments before the root) that the copy lost.
    signed_copy = signer.sign(root, key=key, cert=[cert])
    signature = signed_copy.find(_SIGNATURE)
    assert signature is not None  # signxml appends it to the enveloping root
    root.append(signature)
    data = serialize(tree)
    result = _verify(parse_bytes(data, source), cert, None, source)
    if not result.valid:  # a defect here, never the user's: refuse to write it
        raise InteropError(f"{source}: the signature just made does not verify: {result.reason}")
    return data


def check(
    signed: bytes,
    cert_pem: bytes | None = None,
    *,
    at: datetime | None = None,
    source: str = "signed manifest",
    cert_source: str = "certificate",
) -> SignatureCheck:
    """Check the signature of a signed evidence manifest.

    Args:
        signed: the signed manifest.
        cert_pem: the signer's certificate (PEM) obtained from the signer; without it the
            certificate embedded in the signature is used, which proves integrity but not who
            signed (anyone can re-sign a changed manifest with a certificate of their own).
        at: the instant at which the certificate must be valid (default: now), e.g. the
            signing date for a manifest whose certificate has expired since.
        source, cert_source: names of the inputs for error messages.

    Returns:
        Whether the signature is valid, for whom, and why (one line).

    Raises:
        UnreadableInput: a document that is not well-formed or not an evidence manifest, or an
            unreadable certificate; HostileInput for a DOCTYPE.
    """
    tree = _parse_manifest(signed, source)
    trusted = _load_certificate(cert_pem, cert_source) if cert_pem is not None else None
    return _verify(tree, trusted, at, source)


def _parse_manifest(data: bytes, source: str) -> etree._ElementTree:
    tree = parse_bytes(data, source)
    root = tree.getroot()
    if root.tag != _MANIFEST:
        raise UnreadableInput(
            source,
            f"the root element is {etree.QName(root).text}, not an evidence manifest "
            f"({{{EVIDENCE_NS}}}evidenceManifest)",
        )
    return tree


def _uncovered_content(tree: etree._ElementTree) -> str | None:
    """Content an XML signature would not cover, that a reader might still take for content."""
    root = tree.getroot()
    # URI="" excludes comments by the standard; inside the manifest they could be taken for
    # content. Processing instructions outside the root are outside what signxml digests, and
    # an xml-stylesheet one changes what a browser shows.
    if next(root.iter(etree.Comment), None) is not None:
        return "the manifest contains an XML comment, which a signature does not cover"
    outside = [*root.itersiblings(preceding=True), *root.itersiblings()]
    if any(isinstance(node, etree._ProcessingInstruction) for node in outside):
        return "a processing instruction stands outside the manifest, uncovered by a signature"
    return None


def _verify(
    tree: etree._ElementTree, trusted: x509.Certificate | None, at: datetime | None, source: str
) -> SignatureCheck:
    found = _signature_certificate(tree, trusted)
    if isinstance(found, str):
        return _invalid(found)
    cert, embedded = found
    moment = at or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    problem = (
        _validity_problem(cert, moment)
        or _run_signxml(tree.getroot(), cert, moment, source)
        or _key_info_problem(embedded, trusted)
    )
    if problem:
        return _invalid(problem)
    subject = cert.subject.rfc4514_string()
    if trusted is None:
        return SignatureCheck(
            True,
            subject,
            "signature valid, but the certificate was taken from the document and is not "
            "trusted by itself: compare its SHA-256 fingerprint "
            f"{_fingerprint(cert)} with the signer's, or give the signer's certificate",
        )
    return SignatureCheck(True, subject, f"signature valid: signed by {subject}")


def _signature_certificate(
    tree: etree._ElementTree, trusted: x509.Certificate | None
) -> tuple[x509.Certificate, x509.Certificate | None] | str:
    """The certificate to verify with and the embedded one, or why the signature is invalid."""
    root = tree.getroot()
    signatures = list(root.iter(_SIGNATURE))
    if len(signatures) != 1:
        if not signatures:
            return "the manifest is not signed (no ds:Signature element)"
        return f"{len(signatures)} ds:Signature elements; a signed manifest has exactly one"
    problem = _uncovered_content(tree) or _profile_problem(root, signatures[0])
    if problem:
        return problem
    embedded = _embedded_certificate(signatures[0])
    if isinstance(embedded, str):
        return embedded
    cert = trusted or embedded
    if cert is None:
        return "no certificate in the signature; give the signer's certificate"
    return cert, embedded


def _key_info_problem(
    embedded: x509.Certificate | None, trusted: x509.Certificate | None
) -> str | None:
    """A certificate in the signature (not itself signed) that names another key than given."""
    if embedded is None or trusted is None or _same_key(embedded, trusted):
        return None
    return (
        "the certificate in the signature is not the given one "
        f"({embedded.subject.rfc4514_string()}): the key info was changed"
    )


def _invalid(reason: str) -> SignatureCheck:
    return SignatureCheck(False, None, reason)


def _profile_problem(root: etree._Element, signature: etree._Element) -> str | None:
    """What makes a signature fall outside the one profile we sign and accept."""
    if signature.getparent() is not root or signature.getnext() is not None:
        return "the ds:Signature is not the last child of the manifest, so it may cover a part"
    names = [etree.QName(child).localname for child in signature]
    if names not in (["SignedInfo", "SignatureValue"], ["SignedInfo", "SignatureValue", "KeyInfo"]):
        return f"unexpected signature structure ({', '.join(names)}); ds:Object is not accepted"
    return _signed_info_problem(signature[0])


def _signed_info_problem(signed_info: etree._Element) -> str | None:
    parts = [etree.QName(child).localname for child in signed_info]
    if parts != ["CanonicalizationMethod", "SignatureMethod", "Reference"]:
        if parts.count("Reference") > 1:
            return f"{parts.count('Reference')} references; only one, to the whole manifest"
        return f"unexpected SignedInfo structure ({', '.join(parts)})"
    c14n, method, reference = signed_info
    if c14n.get("Algorithm") != _EXC_C14N or len(c14n):
        return f"canonicalisation {c14n.get('Algorithm')} is not exclusive XML canonicalisation"
    if method.get("Algorithm") not in {m.value for m in _SIGNATURE_METHODS}:
        return f"signature method {method.get('Algorithm')} is not accepted"
    return _reference_problem(reference)


def _reference_problem(reference: etree._Element) -> str | None:
    if reference.get("URI") != "":
        return (
            f"the signature covers {reference.get('URI')!r}, not the whole manifest "
            '(reference URI "")'
        )
    parts = [etree.QName(child).localname for child in reference]
    if parts != ["Transforms", "DigestMethod", "DigestValue"]:
        return f"unexpected Reference structure ({', '.join(parts)})"
    transforms = [(t.get("Algorithm"), len(t)) for t in reference[0]]
    if transforms != [(_ENVELOPED, 0), (_EXC_C14N, 0)]:
        return "the transforms are not exactly enveloped-signature then exclusive canonicalisation"
    if reference[1].get("Algorithm") not in {d.value for d in _DIGESTS}:
        return f"digest method {reference[1].get('Algorithm')} is not accepted"
    return None


def _embedded_certificate(signature: etree._Element) -> x509.Certificate | str | None:
    """The one certificate in KeyInfo/X509Data, None without KeyInfo, or what is wrong."""
    key_info = signature.find(f"{{{DS}}}KeyInfo")
    if key_info is None:
        return None
    shape = [etree.QName(c).localname for c in key_info] + [
        etree.QName(c).localname for c in key_info.iterfind(f"{{{DS}}}X509Data/*")
    ]
    if shape != ["X509Data", "X509Certificate"]:
        return f"KeyInfo holds {', '.join(shape) or 'nothing'}; expected one X509Certificate"
    text = "".join((key_info[0][0].text or "").split())
    body = "\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    pem = f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"
    try:
        return x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return "the certificate in the signature cannot be read"


def _run_signxml(root: etree._Element, cert: x509.Certificate, at: datetime, source: str) -> str:
    """Verify cryptographically; return what failed, or an empty string."""
    verifier = _Verifier()
    verifier.source = source
    config = SignatureConfiguration(
        require_x509=True,
        location="./",
        expect_references=1,
        signature_methods=_SIGNATURE_METHODS,
        digest_algorithms=_DIGESTS,
        verification_time=at,
    )
    other_key = (
        "the signature does not verify with the certificate of "
        f"{cert.subject.rfc4514_string()}: signed with another key, or the signed "
        "information was changed"
    )
    method = root.find(f"{{{DS}}}Signature/{{{DS}}}SignedInfo/{{{DS}}}SignatureMethod")
    is_ec = method is not None and "#ecdsa-" in (method.get("Algorithm") or "")
    if is_ec != isinstance(cert.public_key(), ec.EllipticCurvePublicKey):
        return other_key  # signxml would call it malformed; it is another signer's key
    try:
        result = verifier.verify(root, x509_cert=cert, expect_config=config)
    except InteropError:
        raise
    except InvalidDigest:
        return "the manifest was changed after it was signed (its digest does not match)"
    except InvalidSignature:
        return other_key
    except (SignXMLException, ValueError, TypeError, LookupError) as exc:
        return f"malformed signature: {exc}"
    # See what is signed: the signed bytes must be this manifest without its signature.
    assert not isinstance(result, list)  # expect_references=1 gives one result
    if result.signed_data != _c14n_without_signature(root):
        return "the signed content is not this manifest"
    return ""


def _c14n_without_signature(root: etree._Element) -> bytes:
    copied = copy.deepcopy(root)
    signature = copied.find(_SIGNATURE)
    assert signature is not None
    # As the enveloped-signature transform does: the signature's tail stays in the document.
    previous = signature.getprevious()
    if signature.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + signature.tail
        else:
            copied.text = (copied.text or "") + signature.tail
    copied.remove(signature)
    return etree.tostring(copied, method="c14n", exclusive=True, with_comments=False)


def _load_key(key_pem: bytes, password: bytes | None, name: str) -> PrivateKey:
    if b"-----BEGIN" not in key_pem or b"PRIVATE KEY-----" not in key_pem:
        raise UnreadableInput(
            name,
            "not a PEM private key (no '-----BEGIN ... PRIVATE KEY-----' line); "
            "convert it with 'openssl pkey -in KEY -out KEY.pem'",
        )
    try:
        key = load_pem_private_key(key_pem, password)
    except TypeError:
        if password is None:
            raise UsageError(f"{name}: the private key is encrypted; give its password") from None
        raise UsageError(f"{name}: the private key is not encrypted; give no password") from None
    except ValueError:
        if password is not None and b"ENCRYPTED" in key_pem:
            raise UsageError(f"{name}: wrong password for the encrypted private key") from None
        raise UnreadableInput(name, "the PEM private key is damaged or not supported") from None
    except UnsupportedAlgorithm:
        raise UnreadableInput(name, "the private key's encryption is not supported") from None
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < _MIN_RSA_BITS:
            raise UsageError(
                f"{name}: an RSA key of {key.key_size} bits is too weak; "
                f"use {_MIN_RSA_BITS} bits or more"
            )
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if key.key_size < _MIN_EC_BITS:
            raise UsageError(f"{name}: the EC curve {key.curve.name} is too weak; use P-256")
        return key
    raise UsageError(f"{name}: {type(key).__name__} keys are not supported; use an RSA or EC key")


def _load_certificate(cert_pem: bytes, name: str) -> x509.Certificate:
    try:
        certs = x509.load_pem_x509_certificates(cert_pem)
    except ValueError:
        raise UnreadableInput(
            name,
            "not a PEM certificate (no readable '-----BEGIN CERTIFICATE-----' block); convert "
            "a DER certificate with 'openssl x509 -inform DER -in CERT -out CERT.pem'",
        ) from None
    if len(certs) != 1:
        raise UsageError(f"{name}: {len(certs)} certificates; give only the signer's certificate")
    return certs[0]


def _check_pair(key: PrivateKey, cert: x509.Certificate, key_name: str, cert_name: str) -> None:
    if not _same_key(key, cert):
        raise UsageError(
            f"{key_name} does not belong to {cert_name} "
            f"({cert.subject.rfc4514_string()}); give the certificate of this key"
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise UsageError(f"{cert_name}: the certificate's key usage does not allow signing")


def _validity_problem(cert: x509.Certificate, at: datetime) -> str | None:
    subject = cert.subject.rfc4514_string()
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    if at < cert.not_valid_before_utc:
        return f"the certificate of {subject} is valid only from {_utc(cert.not_valid_before_utc)}"
    if at > cert.not_valid_after_utc:
        return f"the certificate of {subject} expired on {_utc(cert.not_valid_after_utc)}"
    return None


def _utc(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}"


def _same_key(one: x509.Certificate | PrivateKey, other: x509.Certificate) -> bool:
    def spki(item: x509.Certificate | PrivateKey) -> bytes:
        return item.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)

    return spki(one) == spki(other)


def _fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()
