"""XML signatures over evidence manifests: every change is caught, only one profile is trusted.

Keys and self-signed certificates are made here, with cryptography; nothing is read from disk
but the bundled example manifests.
"""

from __future__ import annotations

import base64
import copy
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from signxml import XMLVerifier
from signxml.verifier import SignatureConfiguration

from interop.errors import HostileInput, UnreadableInput, UsageError
from interop.evidence import signing
from interop.evidence.signing import SignatureCheck, check, sign
from interop.validate.validator import ValidationSettings, Validator
from interop.xmlio import parse_bytes, serialize
from tests.conftest import EXAMPLES, ROOT

MANIFESTS = sorted((EXAMPLES / "evidence").glob("*.xml"))
LAPTOP = EXAMPLES / "evidence" / "evidence-laptop-image-de-pl.xml"
E = "urn:interop:evidence:1"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"e": E, "ds": DS}
NOW = datetime.now(UTC)


@dataclass(frozen=True)
class Identity:
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    key_pem: bytes
    cert: x509.Certificate
    cert_pem: bytes


def make_identity(
    kind: str,
    name: str = "Evidence Store, LKA Berlin",
    *,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None,
    valid_from: datetime = NOW - timedelta(days=1),
    valid_to: datetime = NOW + timedelta(days=365),
    signing_allowed: bool = True,
    password: bytes | None = None,
) -> Identity:
    if key is None:
        key = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            if kind == "rsa"
            else ec.generate_private_key(ec.SECP256R1())
        )
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} ({kind})")])
    usage = x509.KeyUsage(
        digital_signature=signing_allowed,
        content_commitment=False,
        key_encipherment=not signing_allowed,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_to)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    return Identity(key, key_pem, cert, cert.public_bytes(serialization.Encoding.PEM))


@pytest.fixture(scope="module", params=["rsa", "ec"])
def signer(request: pytest.FixtureRequest) -> Identity:
    return make_identity(request.param)


@pytest.fixture(scope="module")
def rsa_signer() -> Identity:
    return make_identity("rsa")


@pytest.fixture(scope="module")
def stranger() -> Identity:
    return make_identity("rsa", "Somebody Else")


@pytest.fixture(scope="module")
def laptop() -> bytes:
    return LAPTOP.read_bytes()


@pytest.fixture(scope="module")
def signed(signer: Identity, laptop: bytes) -> bytes:
    return sign(laptop, signer.key_pem, signer.cert_pem)


# ----- helpers: structural edits through the hardened parser, re-signing like an attacker -----


def edit(data: bytes, change: Callable[[etree._Element], None]) -> bytes:
    tree = parse_bytes(data, "test")
    change(tree.getroot())
    return serialize(tree)


def one(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    assert found, path
    node = found[0]
    assert isinstance(node, etree._Element)
    return node


def resign(data: bytes, key: rsa.RSAPrivateKey, change: Callable[[etree._Element], None]) -> bytes:
    """Change the signed information, then make the signature value right again.

    This is what an attacker holding the signer's key could not do; here it proves that the
    profile checks, not only the cryptography, reject signatures that cover the wrong thing.
    """
    tree = parse_bytes(data, "test")
    root = tree.getroot()
    change(root)
    signed_info = one(root, "ds:Signature/ds:SignedInfo")
    c14n = etree.tostring(signed_info, method="c14n", exclusive=True)
    value = key.sign(c14n, padding.PKCS1v15(), hashes.SHA256())
    one(root, "ds:Signature/ds:SignatureValue").text = base64.b64encode(value).decode()
    return serialize(tree)


def digest_of(element: etree._Element) -> str:
    hasher = hashes.Hash(hashes.SHA256())
    hasher.update(etree.tostring(element, method="c14n", exclusive=True))
    return base64.b64encode(hasher.finalize()).decode()


def add_reference(root: etree._Element, uri: str, target: etree._Element) -> etree._Element:
    signed_info = one(root, "ds:Signature/ds:SignedInfo")
    reference = copy.deepcopy(one(signed_info, "ds:Reference"))
    reference.set("URI", uri)
    transforms = one(reference, "ds:Transforms")
    del transforms[0]  # the enveloped-signature transform: the target holds no signature
    one(reference, "ds:DigestValue").text = digest_of(target)
    signed_info.append(reference)
    return reference


# ----- signing -----


def test_a_signed_manifest_checks_valid_with_the_signers_certificate(
    signed: bytes, signer: Identity
) -> None:
    result = check(signed, signer.cert_pem)
    assert result == SignatureCheck(
        True,
        signer.cert.subject.rfc4514_string(),
        f"signature valid: signed by {signer.cert.subject.rfc4514_string()}",
    )


def test_the_signature_uses_the_one_profile(signed: bytes, signer: Identity) -> None:
    root = parse_bytes(signed, "signed").getroot()
    signature = root[-1]
    assert signature.tag == f"{{{DS}}}Signature"
    method = "rsa-sha256" if isinstance(signer.key, rsa.RSAPrivateKey) else "ecdsa-sha256"
    assert one(signature, "ds:SignedInfo/ds:SignatureMethod").get("Algorithm") == (
        f"http://www.w3.org/2001/04/xmldsig-more#{method}"
    )
    exc_c14n = "http://www.w3.org/2001/10/xml-exc-c14n#"
    assert one(signature, "ds:SignedInfo/ds:CanonicalizationMethod").get("Algorithm") == exc_c14n
    references = signature.findall("ds:SignedInfo/ds:Reference", NS)
    assert [r.get("URI") for r in references] == [""]
    assert [t.get("Algorithm") for t in references[0].iterfind("ds:Transforms/*", NS)] == [
        f"{DS}enveloped-signature",
        exc_c14n,
    ]
    assert one(references[0], "ds:DigestMethod").get("Algorithm") == (
        "http://www.w3.org/2001/04/xmlenc#sha256"
    )
    embedded = "".join(
        (one(signature, "ds:KeyInfo/ds:X509Data/ds:X509Certificate").text or "").split()
    )
    der = signer.cert.public_bytes(serialization.Encoding.DER)
    assert base64.b64decode(embedded) == der


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_signed_examples_stay_schema_and_rule_valid(path: Path, signer: Identity) -> None:
    signed_bytes = sign(path.read_bytes(), signer.key_pem, signer.cert_pem)
    report = Validator(ValidationSettings()).check_bytes(signed_bytes, path.name)
    assert report.format == "evidence-manifest"
    assert report.findings == ()
    assert check(signed_bytes, signer.cert_pem).valid


def test_signing_keeps_the_manifest_and_its_prolog(laptop: bytes, signed: bytes) -> None:
    original = parse_bytes(laptop, "original")
    after = parse_bytes(signed, "signed")
    root = after.getroot()
    root.remove(root[-1])
    assert etree.tostring(root, method="c14n") == etree.tostring(original.getroot(), method="c14n")
    # The scenario comment before the root element is kept (it is outside the manifest).
    assert b"<!--\n  Scenario:" in signed


def test_the_input_bytes_are_not_modified(laptop: bytes, signer: Identity) -> None:
    before = bytes(laptop)
    sign(laptop, signer.key_pem, signer.cert_pem)
    assert laptop == before == LAPTOP.read_bytes()


def test_an_encrypted_key_signs_with_its_password(laptop: bytes) -> None:
    owner = make_identity("ec", password=b"correct horse")
    signed_bytes = sign(laptop, owner.key_pem, owner.cert_pem, key_password=b"correct horse")
    assert check(signed_bytes, owner.cert_pem).valid


def test_reserialising_a_signed_manifest_keeps_it_valid(signed: bytes, signer: Identity) -> None:
    assert check(edit(signed, lambda root: None), signer.cert_pem).valid


# ----- every change fails the check -----


def _flip_hash_byte(data: bytes) -> bytes:
    match = re.search(rb'algorithm="SHA-256">([0-9a-f]+)<', data)
    assert match
    at = match.start(1) + 10
    flipped = b"0" if data[at : at + 1] != b"0" else b"1"
    return data[:at] + flipped + data[at + 1 :]


def _whitespace_in_hash(data: bytes) -> bytes:
    # xs:token collapses it, so the manifest stays schema-equivalent; the signature must not.
    return re.sub(rb'(algorithm="SHA-256">)', rb"\1 ", data, count=1)


def _add_custody_event(root: etree._Element) -> None:
    last = one(root, "e:custody/e:custodyEvent[last()]")
    added = copy.deepcopy(last)
    added.set("id", "E99")
    last.addnext(added)


def _remove_item(root: etree._Element) -> None:
    item = one(root, "e:items/e:item[last()]")
    item.getparent().remove(item)  # type: ignore[union-attr]


def _change_attribute(root: etree._Element) -> None:
    one(root, "e:custody/e:custodyEvent[last()]").set("items", "I1 I2")


def _change_text(root: etree._Element) -> None:
    one(root, "e:custody/e:custodyEvent[last()]/e:means/e:carrier").text = "DHL Expres"


def _add_comment(root: etree._Element) -> None:
    one(root, "e:items").append(etree.Comment(" item I4 returned to its owner "))


def _add_stylesheet(root: etree._Element) -> None:
    root.addprevious(etree.ProcessingInstruction("xml-stylesheet", 'href="x.xsl"'))


def _flip_signature_value(root: etree._Element) -> None:
    value = one(root, "ds:Signature/ds:SignatureValue")
    raw = bytearray(base64.b64decode(value.text or ""))
    raw[5] ^= 1
    value.text = base64.b64encode(bytes(raw)).decode()


def _change_digest_method(root: etree._Element) -> None:
    method = one(root, "ds:Signature/ds:SignedInfo/ds:Reference/ds:DigestMethod")
    method.set("Algorithm", "http://www.w3.org/2001/04/xmlenc#sha512")


BYTE_CHANGES: dict[str, Callable[[bytes], bytes]] = {
    "one byte of a hash": _flip_hash_byte,
    "whitespace inside a hash value": _whitespace_in_hash,
    "a space between elements": lambda data: data.replace(b"<e:items>", b"<e:items> ", 1),
    "a space at the end of a text": lambda data: data.replace(
        b"Berlin</c:locality>", b"Berlin </c:locality>", 1
    ),
    "a namespace prefix renamed": lambda data: data.replace(
        b"<c:locality>Berlin</c:locality>",
        b'<cc:locality xmlns:cc="urn:interop:common:1">Berlin</cc:locality>',
        1,
    ),
}
CHANGED = "the manifest was changed after it was signed (its digest does not match)"
OTHER_KEY = "the signature does not verify with the certificate of"
TREE_CHANGES: dict[str, tuple[Callable[[etree._Element], None], str]] = {
    "a custody event added": (_add_custody_event, CHANGED),
    "an item removed": (_remove_item, CHANGED),
    "an attribute changed": (_change_attribute, CHANGED),
    "a text changed": (_change_text, CHANGED),
    "a comment added inside": (_add_comment, "the manifest contains an XML comment"),
    "a stylesheet instruction added": (_add_stylesheet, "a processing instruction stands"),
    "the signature value changed": (_flip_signature_value, OTHER_KEY),
    "the signed information changed": (_change_digest_method, OTHER_KEY),
}


@pytest.mark.parametrize("change", BYTE_CHANGES.values(), ids=BYTE_CHANGES.keys())
def test_a_byte_change_fails_the_check(
    signed: bytes, signer: Identity, change: Callable[[bytes], bytes]
) -> None:
    changed = change(signed)
    assert changed != signed
    assert check(changed, signer.cert_pem) == SignatureCheck(False, None, CHANGED)
    # Without the certificate too: integrity does not depend on trusting the signer.
    assert check(changed) == SignatureCheck(False, None, CHANGED)


@pytest.mark.parametrize(("change", "reason"), TREE_CHANGES.values(), ids=TREE_CHANGES.keys())
def test_a_structural_change_fails_the_check(
    signed: bytes, signer: Identity, change: Callable[[etree._Element], None], reason: str
) -> None:
    changed = edit(signed, change)
    for result in (check(changed, signer.cert_pem), check(changed)):
        assert not result.valid
        assert result.signer is None
        assert result.reason.startswith(reason), result.reason
        assert "\n" not in result.reason


@pytest.fixture(scope="module")
def ec_signed(laptop: bytes) -> tuple[bytes, Identity]:
    owner = make_identity("ec")
    return sign(laptop, owner.key_pem, owner.cert_pem), owner


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_changing_any_character_of_any_value_fails_the_check(
    ec_signed: tuple[bytes, Identity], data: st.DataObject
) -> None:
    """The law: one character of one text or attribute value changed, and the check fails."""
    signed_bytes, owner = ec_signed
    tree = parse_bytes(signed_bytes, "signed")
    root = tree.getroot()
    values = [
        (element, name)
        for element in root.iter(etree.Element)
        if not element.tag.startswith(f"{{{DS}}}")
        for name in [None, *element.keys()]
        if ((element.text if name is None else element.get(name)) or "").strip()
    ]
    element, name = data.draw(st.sampled_from(values))
    value = element.text if name is None else element.get(name)
    assert value
    at = data.draw(st.integers(0, len(value) - 1))
    other = data.draw(
        st.characters(exclude_categories=("Cs", "Cc", "Cn"), exclude_characters=value[at])
    )
    changed = value[:at] + other + value[at + 1 :]
    if name is None:
        element.text = changed
    else:
        element.set(name, changed)
    assert not check(serialize(tree), owner.cert_pem).valid


def test_changes_that_leave_the_canonical_form_alone_keep_it_valid(
    signed: bytes, signer: Identity
) -> None:
    # Whitespace inside a start tag, the other quote character: the same XML, the same bytes
    # after canonicalisation, so the same signed content.
    same = signed.replace(b"<e:items>", b"<e:items >", 1).replace(b'id="I1"', b"id='I1'", 1)
    assert same != signed
    assert check(same, signer.cert_pem).valid


# ----- who signed -----


def test_the_wrong_certificate_is_invalid(signed: bytes, stranger: Identity) -> None:
    result = check(signed, stranger.cert_pem)
    assert not result.valid
    assert "does not verify with the certificate of CN=Somebody Else (rsa)" in result.reason


def test_without_a_certificate_the_embedded_one_is_used_but_not_trusted(
    signed: bytes, signer: Identity
) -> None:
    result = check(signed)
    assert result.valid
    assert result.signer == signer.cert.subject.rfc4514_string()
    assert "taken from the document and is not trusted by itself" in result.reason
    fingerprint = signer.cert.fingerprint(hashes.SHA256()).hex(":").upper()
    assert fingerprint in result.reason


def test_a_manifest_changed_and_resigned_by_someone_else(
    signed: bytes, signer: Identity, stranger: Identity
) -> None:
    unsigned = edit(signed, lambda root: root.remove(root[-1]))
    forged = sign(edit(unsigned, _change_text), stranger.key_pem, stranger.cert_pem)
    assert not check(forged, signer.cert_pem).valid
    # Alone, the forged document is consistent; only the signer's name gives it away.
    alone = check(forged)
    assert alone.valid
    assert alone.signer == stranger.cert.subject.rfc4514_string()


def test_a_replaced_embedded_certificate_is_invalid_with_the_trusted_one(
    rsa_signer: Identity, stranger: Identity, laptop: bytes
) -> None:
    signed_bytes = sign(laptop, rsa_signer.key_pem, rsa_signer.cert_pem)
    other = base64.b64encode(stranger.cert.public_bytes(serialization.Encoding.DER)).decode()

    def swap(root: etree._Element) -> None:
        one(root, "ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate").text = other

    result = check(edit(signed_bytes, swap), rsa_signer.cert_pem)
    assert not result.valid
    assert "certificate in the signature is not the given one" in result.reason


def test_an_expired_certificate_is_invalid_unless_checked_at_signing_time(
    rsa_signer: Identity, laptop: bytes
) -> None:
    signed_bytes = sign(laptop, rsa_signer.key_pem, rsa_signer.cert_pem)
    assert isinstance(rsa_signer.key, rsa.RSAPrivateKey)
    expired = make_identity(
        "rsa", key=rsa_signer.key, valid_from=NOW - timedelta(days=30), valid_to=NOW - timedelta(1)
    )
    result = check(signed_bytes, expired.cert_pem)
    assert not result.valid
    assert "expired on" in result.reason
    assert check(signed_bytes, expired.cert_pem, at=NOW - timedelta(days=2)).valid


# ----- signature wrapping: only the whole manifest, one reference, one signature -----


def test_two_signatures_are_invalid(signed: bytes, signer: Identity) -> None:
    def duplicate(root: etree._Element) -> None:
        one(root, "e:items/e:item[1]").append(copy.deepcopy(root[-1]))

    result = check(edit(signed, duplicate), signer.cert_pem)
    assert result == SignatureCheck(
        False, None, "2 ds:Signature elements; a signed manifest has exactly one"
    )


def test_a_signature_moved_inside_the_manifest_is_invalid(signed: bytes, signer: Identity) -> None:
    def move(root: etree._Element) -> None:
        one(root, "e:custody").append(root[-1])

    result = check(edit(signed, move), signer.cert_pem)
    assert not result.valid
    assert "not the last child of the manifest" in result.reason


def test_a_signature_over_one_item_is_invalid(laptop: bytes, rsa_signer: Identity) -> None:
    signed_bytes = sign(laptop, rsa_signer.key_pem, rsa_signer.cert_pem)
    assert isinstance(rsa_signer.key, rsa.RSAPrivateKey)

    def cover_one_item(root: etree._Element) -> None:
        whole = one(root, "ds:Signature/ds:SignedInfo/ds:Reference")
        add_reference(root, "#I1", one(root, "e:items/e:item[@id='I1']"))
        whole.getparent().remove(whole)  # type: ignore[union-attr]

    wrapped = resign(signed_bytes, rsa_signer.key, cover_one_item)
    # Then everything outside item I1 is changed: the custody chain, the other items.
    attacked = edit(wrapped, _change_text)
    # signxml alone, asked for one reference, accepts it: the profile check is what stops it.
    verified = XMLVerifier().verify(
        attacked,
        x509_cert=rsa_signer.cert,
        expect_config=SignatureConfiguration(location="./"),
    )
    assert not isinstance(verified, list)
    result = check(attacked, rsa_signer.cert_pem)
    assert not result.valid
    assert "covers '#I1', not the whole manifest" in result.reason


def test_an_extra_reference_is_invalid(laptop: bytes, rsa_signer: Identity) -> None:
    signed_bytes = sign(laptop, rsa_signer.key_pem, rsa_signer.cert_pem)
    assert isinstance(rsa_signer.key, rsa.RSAPrivateKey)

    def extra(root: etree._Element) -> None:
        add_reference(root, "#I2", one(root, "e:items/e:item[@id='I2']"))

    result = check(resign(signed_bytes, rsa_signer.key, extra), rsa_signer.cert_pem)
    assert result == SignatureCheck(False, None, "2 references; only one, to the whole manifest")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda root: one(root, "ds:Signature/ds:SignedInfo/ds:Reference/ds:Transforms").remove(
                one(root, "ds:Signature/ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform[2]")
            ),
            "the transforms are not exactly enveloped-signature then exclusive canonicalisation",
        ),
        (
            lambda root: one(root, "ds:Signature/ds:SignedInfo/ds:CanonicalizationMethod").set(
                "Algorithm", "http://www.w3.org/2006/12/xml-c14n11"
            ),
            "canonicalisation http://www.w3.org/2006/12/xml-c14n11 is not exclusive XML "
            "canonicalisation",
        ),
        (
            lambda root: one(root, "ds:Signature").append(etree.Element(f"{{{DS}}}Object")),
            "unexpected signature structure (SignedInfo, SignatureValue, KeyInfo, Object); "
            "ds:Object is not accepted",
        ),
    ],
    ids=["no canonicalisation transform", "inclusive canonicalisation", "an Object"],
)
def test_signatures_outside_the_profile_are_invalid(
    laptop: bytes,
    rsa_signer: Identity,
    change: Callable[[etree._Element], None],
    reason: str,
) -> None:
    signed_bytes = sign(laptop, rsa_signer.key_pem, rsa_signer.cert_pem)
    assert isinstance(rsa_signer.key, rsa.RSAPrivateKey)
    result = check(resign(signed_bytes, rsa_signer.key, change), rsa_signer.cert_pem)
    assert result == SignatureCheck(False, None, reason)


def test_an_unsigned_manifest_is_invalid(laptop: bytes, signer: Identity) -> None:
    assert check(laptop, signer.cert_pem) == SignatureCheck(
        False, None, "the manifest is not signed (no ds:Signature element)"
    )


# ----- hostile and unreadable input -----

DOCTYPE = b'<!DOCTYPE e:evidenceManifest [<!ENTITY x "expanded">]>\n'


def test_a_signed_manifest_with_a_doctype_is_refused(signed: bytes, signer: Identity) -> None:
    at = signed.index(b"<e:evidenceManifest")
    hostile = signed[:at] + DOCTYPE + signed[at:]
    with pytest.raises(HostileInput, match="DOCTYPE declarations are refused"):
        check(hostile, signer.cert_pem, source="signed.xml")
    with pytest.raises(HostileInput):
        check(hostile)


def test_a_manifest_with_a_doctype_is_not_signed(laptop: bytes, signer: Identity) -> None:
    at = laptop.index(b"<e:evidenceManifest")
    with pytest.raises(HostileInput):
        sign(laptop[:at] + DOCTYPE + laptop[at:], signer.key_pem, signer.cert_pem)


def test_signxml_parses_only_through_the_hardened_reader() -> None:
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>'
    for processor in (signing._Signer(), signing._Verifier()):
        with pytest.raises(HostileInput):
            processor._fromstring(bomb)


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"<e:evidenceManifest xmlns:e='urn:interop:evidence:1'>", UnreadableInput, "well-formed"),
        (b"<x/>", UnreadableInput, "the root element is x, not an evidence manifest"),
    ],
    ids=["not well-formed", "not a manifest"],
)
def test_unreadable_documents_raise(
    signer: Identity, data: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        check(data, signer.cert_pem, source="in.xml")
    with pytest.raises(error, match=f"^in.xml.*{message}"):
        sign(data, signer.key_pem, signer.cert_pem, source="in.xml")


def test_an_already_signed_manifest_is_not_signed_again(signed: bytes, signer: Identity) -> None:
    with pytest.raises(UsageError, match="already signed; sign the unsigned manifest"):
        sign(signed, signer.key_pem, signer.cert_pem)


def test_a_comment_inside_the_manifest_is_not_signed(laptop: bytes, signer: Identity) -> None:
    commented = edit(laptop, _add_comment)
    with pytest.raises(UsageError, match="comment, which a signature does not cover; remove it"):
        sign(commented, signer.key_pem, signer.cert_pem)


def _der_key(identity: Identity) -> bytes:
    return identity.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _two_certs(identity: Identity) -> bytes:
    return identity.cert_pem * 2


ENCRYPTED = make_identity("ec", password=b"right")
KEY_PROBLEMS = {
    "wrong password": (
        ENCRYPTED,
        b"wrong",
        "key.pem: wrong password for the encrypted private key",
    ),
    "missing password": (
        ENCRYPTED,
        None,
        "key.pem: the private key is encrypted; give its password",
    ),
    "password for a plain key": (
        make_identity("ec"),
        b"unneeded",
        "key.pem: the private key is not encrypted; give no password",
    ),
}


@pytest.mark.parametrize(
    ("owner", "password", "message"), KEY_PROBLEMS.values(), ids=KEY_PROBLEMS.keys()
)
def test_key_password_problems(
    laptop: bytes, owner: Identity, password: bytes | None, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        sign(laptop, owner.key_pem, owner.cert_pem, key_password=password, key_source="key.pem")
    assert str(caught.value) == message


def test_unreadable_keys_and_certificates(laptop: bytes, signer: Identity) -> None:
    cases: list[tuple[bytes, bytes, type[Exception], str]] = [
        (_der_key(signer), signer.cert_pem, UnreadableInput, "key.pem: not a PEM private key"),
        (
            b"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
            signer.cert_pem,
            UnreadableInput,
            "key.pem: the PEM private key is damaged or not supported",
        ),
        (
            signer.key_pem,
            signer.cert.public_bytes(serialization.Encoding.DER),
            UnreadableInput,
            "cert.pem: not a PEM certificate",
        ),
        (signer.key_pem, _two_certs(signer), UsageError, "cert.pem: 2 certificates"),
        (
            make_identity("ec").key_pem,
            signer.cert_pem,
            UsageError,
            "key.pem does not belong to cert.pem (CN=Evidence Store",
        ),
    ]
    for key_pem, cert_pem, error, message in cases:
        with pytest.raises(error) as caught:
            sign(laptop, key_pem, cert_pem, key_source="key.pem", cert_source="cert.pem")
        text = str(caught.value)
        assert text.startswith(message), text
        assert "\n" not in text


def test_an_unreadable_certificate_to_check_with(signed: bytes) -> None:
    with pytest.raises(UnreadableInput, match=r"^trusted.pem: not a PEM certificate"):
        check(signed, b"not a certificate", cert_source="trusted.pem")


def test_unsuitable_keys_and_certificates(laptop: bytes) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    weak_pem = weak.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    edwards = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    good = make_identity("ec")
    encipher_only = make_identity("ec", signing_allowed=False)
    expired = make_identity("ec", valid_from=NOW - timedelta(30), valid_to=NOW - timedelta(1))
    cases = [
        (weak_pem, good.cert_pem, "key.pem: an RSA key of 1024 bits is too weak"),
        (edwards, good.cert_pem, "key.pem: Ed25519PrivateKey keys are not supported"),
        (
            encipher_only.key_pem,
            encipher_only.cert_pem,
            "cert.pem: the certificate's key usage does not allow signing",
        ),
        (expired.key_pem, expired.cert_pem, "cert.pem: the certificate of CN=Evidence Store"),
    ]
    for key_pem, cert_pem, message in cases:
        with pytest.raises(UsageError) as caught:
            sign(laptop, key_pem, cert_pem, key_source="key.pem", cert_source="cert.pem")
        assert str(caught.value).startswith(message), caught.value


def test_without_the_sign_extra_the_error_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['signxml'] = None\n"
        "from interop.errors import UsageError\n"
        "try:\n"
        "    import interop.evidence.signing\n"
        "except UsageError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout == (
        "XML signatures need the optional 'sign' extra (signxml is missing): "
        "pip install 'interop[sign]'\n"
    )
