//! The RSA private keys of OAuth 1.0a and OAuth 2.0: RSA-SHA256 signatures
//! (PKCS#1 v1.5) through `ring` (the crypto provider the TLS stack already
//! builds), and the one PKCS#1 v1.5 decryption OAuth 1.0a needs (the access
//! token secret) on `num-bigint`, which its Diffie-Hellman exchange already
//! uses.
//!
//! Not the `rsa` crate: with its bignum, prime and DER crates it was about
//! 14 s of a cold build's CPU (BENCHMARKS.md, issue #12), for one signature
//! scheme and one decryption.
//!
//! The decryption is not constant-time. It runs once, when a provider is
//! made, on the ciphertext from the user's own configuration; no attacker
//! can submit ciphertexts and time it. A ciphertext that does not decrypt
//! to a well-formed PKCS#1 v1.5 block is an error (explicit rejection).

use std::fmt;

use num_bigint::BigUint;
use ring::rsa::{KeyPairComponents, PublicKeyComponents};
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;

use crate::auth::der::{INTEGER, OCTET_STRING, OID, SEQUENCE, element};
use crate::error::Error;

/// An RSA signing key (RSA-SHA256, PKCS#1 v1.5). It holds `ring`'s key
/// pair only: the decryption's numbers are never kept (see
/// [`decrypt_pkcs1v15`]).
pub(crate) struct RsaKey {
    pair: RsaKeyPair,
}

impl fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bits = self.pair.public().modulus_len() * 8;
        write!(f, "RsaKey(<redacted>, {bits} bits)")
    }
}

/// The OID of `rsaEncryption` (1.2.840.113549.1.1.1), DER contents.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

impl RsaKey {
    /// Parses a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE
    /// KEY`) PEM key; `what` names it in errors, which never show the key.
    pub(crate) fn from_pem(pem: &str, what: &str) -> Result<RsaKey, Error> {
        with_components(pem, what, |pair, _| Ok(RsaKey { pair }))
    }

    /// The RSA-SHA256 (PKCS#1 v1.5) signature of `message`.
    pub(crate) fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let mut signature = vec![0; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| Error::InvalidArgument("the RSA key cannot sign".into()))?;
        Ok(signature)
    }
}

/// Reads the PEM key `pem`, has `ring` check it (consistent numbers, 2048
/// to 4096 bits), and hands its key pair and its eight integers (n, e, d,
/// p, q, dP, dQ, qInv) to `then`; the integers live only as long as the
/// call.
fn with_components<T>(
    pem: &str,
    what: &str,
    then: impl FnOnce(RsaKeyPair, &[&[u8]; 8]) -> Result<T, Error>,
) -> Result<T, Error> {
    let malformed = || {
        Error::InvalidArgument(format!(
            "the {what} is not an unencrypted RSA private key in PEM form (PKCS#8 or PKCS#1)"
        ))
    };
    let der = PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|_| malformed())?;
    let pkcs1 = match &der {
        PrivateKeyDer::Pkcs1(key) => key.secret_pkcs1_der(),
        PrivateKeyDer::Pkcs8(key) => pkcs8_rsa_key(key.secret_pkcs8_der()).ok_or_else(malformed)?,
        _ => return Err(malformed()),
    };
    let parts = rsa_private_key(pkcs1).ok_or_else(malformed)?;
    let pair = RsaKeyPair::from_components(&KeyPairComponents {
        public_key: PublicKeyComponents {
            n: parts[0],
            e: parts[1],
        },
        d: parts[2],
        p: parts[3],
        q: parts[4],
        dP: parts[5],
        dQ: parts[6],
        qInv: parts[7],
    })
    .map_err(|rejected| {
        Error::InvalidArgument(format!(
            "the {what} is not a usable RSA key ({rejected}; 2048 to 4096 bits)"
        ))
    })?;
    then(pair, &parts)
}

/// RSAES-PKCS1-v1_5 decryption (RFC 8017 section 7.2.2) of `ciphertext`
/// with the PEM key `pem` (`what` names it in errors): `Ok(None)` when
/// `ciphertext` is not one for this key. The key is read for this one
/// decryption and dropped; nothing of it is kept.
pub(crate) fn decrypt_pkcs1v15(
    pem: &str,
    what: &str,
    ciphertext: &[u8],
) -> Result<Option<Vec<u8>>, Error> {
    with_components(pem, what, |_, parts| {
        // d is not needed: the CRT exponents stand for it.
        let [n, e, _d, p, q, dp, dq, qinv] = *parts;
        let big = BigUint::from_bytes_be;
        let crt = [p, q, dp, dq, qinv].map(big);
        Ok(crt_decrypt(&big(n), &big(e), &crt, ciphertext))
    })
}

/// The decryption with Garner's CRT, checked by `m^e = c`, unpadded.
fn crt_decrypt(n: &BigUint, e: &BigUint, crt: &[BigUint; 5], ciphertext: &[u8]) -> Option<Vec<u8>> {
    let [p, q, dp, dq, qinv] = crt;
    let k = n.bits().div_ceil(8) as usize;
    let c = BigUint::from_bytes_be(ciphertext);
    if ciphertext.len() != k || c >= *n {
        return None;
    }
    // m1 = c^dP mod p, m2 = c^dQ mod q, h = qInv·(m1 − m2) mod p,
    // m = m2 + h·q.
    let m1 = c.modpow(dp, p);
    let m2 = c.modpow(dq, q);
    let h = (qinv * ((m1 + p) - (&m2 % p))) % p;
    let m = m2 + h * q;
    // A fault or an inconsistent key would not read back.
    if m.modpow(e, n) != c {
        return None;
    }
    let bytes = m.to_bytes_be();
    let mut block = vec![0; k - bytes.len()];
    block.extend_from_slice(&bytes);
    unpad_pkcs1v15(&block)
}

/// The message of an encryption block `00 02 PS 00 M`, with at least
/// eight non-zero padding bytes.
fn unpad_pkcs1v15(block: &[u8]) -> Option<Vec<u8>> {
    let rest = block.strip_prefix(&[0x00, 0x02])?;
    let end = rest.iter().position(|&b| b == 0)?;
    (end >= 8).then(|| rest[end + 1..].to_vec())
}

/// The `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo` whose algorithm is
/// `rsaEncryption`.
fn pkcs8_rsa_key(der: &[u8]) -> Option<&[u8]> {
    let (info, _) = element(der, SEQUENCE)?;
    let (_version, rest) = element(info, INTEGER)?;
    let (algorithm, rest) = element(rest, SEQUENCE)?;
    let (oid, _parameters) = element(algorithm, OID)?;
    if oid != RSA_ENCRYPTION {
        return None;
    }
    let (key, _attributes) = element(rest, OCTET_STRING)?;
    Some(key)
}

/// The eight integers of a PKCS#1 `RSAPrivateKey` (version 0, two primes):
/// n, e, d, p, q, dP, dQ, qInv, big-endian without leading zeros.
fn rsa_private_key(der: &[u8]) -> Option<[&[u8]; 8]> {
    let (mut rest, trailing) = element(der, SEQUENCE)?;
    if !trailing.is_empty() {
        return None;
    }
    let (version, r) = element(rest, INTEGER)?;
    if version != [0] {
        return None;
    }
    rest = r;
    let mut parts: [&[u8]; 8] = [&[]; 8];
    for part in &mut parts {
        let (int, r) = element(rest, INTEGER)?;
        // DER integers are signed: a leading zero keeps a positive one's
        // top bit clear. A negative one is not a key's.
        if int.first().is_none_or(|&b| b & 0x80 != 0) {
            return None;
        }
        *part = int.strip_prefix(&[0]).unwrap_or(int);
        rest = r;
    }
    rest.is_empty().then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_needs_eight_bytes_and_a_separator() {
        let mut block = vec![0, 2];
        block.extend([0xff; 8]);
        block.push(0);
        block.extend(b"msg");
        assert_eq!(unpad_pkcs1v15(&block).as_deref(), Some(&b"msg"[..]));
        let short = [0, 2, 1, 2, 3, 4, 5, 6, 7, 0, b'm'];
        assert_eq!(unpad_pkcs1v15(&short), None);
        assert_eq!(unpad_pkcs1v15(&[0, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]), None);
        assert_eq!(unpad_pkcs1v15(&[0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]), None);
    }

    #[test]
    fn a_negative_integer_is_not_a_key() {
        let der = [0x30, 6, 0x02, 1, 0, 0x02, 1, 0x80];
        assert_eq!(rsa_private_key(&der), None);
    }
}
