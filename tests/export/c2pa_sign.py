"""Sign a sample file with C2PA Content Credentials, with a throwaway certificate chain.

The chain (a CA and an ES256 leaf with the emailProtection usage C2PA signers need) is made
here with ``cryptography`` for each test run; nothing is fetched, nothing is trusted.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TwinProof Test")])


def _usage(sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=not sign,
                         crl_sign=not sign, encipher_only=False, decipher_only=False)


def throwaway_chain() -> tuple[bytes, bytes]:
    """(PEM chain leaf+CA, PEM private key of the leaf)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Test CA")).issuer_name(_name("Test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(_usage(False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(_name("Twin Generator Test Signer"))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return chain, pem


def _manifest(path: Path, generator: str, version: str, source: str) -> str:
    return json.dumps({
        "claim_generator_info": [{"name": generator, "version": version}],
        "title": path.name,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
            "action": "c2pa.created", "digitalSourceType": source,
            "softwareAgent": {"name": generator, "version": version}}]}}],
    })


def _signer():
    import c2pa

    chain, key = throwaway_chain()
    return c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, key, None))


def sign_in_place(path: Path, generator: str = "TwinGen", version: str = "2.1",
                  source: str = TRAINED) -> None:
    """Replace ``path`` by a signed copy stating a generated image (c2pa.created)."""
    import c2pa

    out = path.with_name("signed-" + path.name)
    builder = c2pa.Builder(_manifest(path, generator, version, source))
    builder.sign_file(str(path), str(out), _signer())
    out.replace(path)


def sign_remote(path: Path, url: str = "https://cai-manifests.adobe.com/manifests/urn-uuid-twinproof-test"
                ) -> None:
    """Replace ``path`` by a copy whose manifest is *remote*: the file holds only the URL
    (XMP ``dcterms:provenance``), as Adobe's cloud-stored Content Credentials do."""
    import c2pa

    builder = c2pa.Builder(_manifest(path, "TwinGen", "2.1", TRAINED))
    builder.set_no_embed()
    builder.set_remote_url(url)
    out = path.with_name("remote-" + path.name)
    with open(path, "rb") as src, open(out, "w+b") as dst:
        builder.sign(_signer(), "image/jpeg", src, dst)
    out.replace(path)


def tamper(path: Path) -> None:
    """Change image bytes after signing (the last bytes before EOI): the hash no longer matches."""
    data = bytearray(path.read_bytes())
    end = data.rindex(b"\xff\xd9")
    for i in range(end - 40, end - 8):
        if data[i] < 0xFE and data[i - 1] != 0xFF:  # never make or break a JPEG marker
            data[i] ^= 0x01
    path.write_bytes(bytes(data))
