//! The cryptography the runtime does outside TLS, from the same library as
//! the TLS provider, so a build carries one crypto library: SHA-256 and
//! HMAC-SHA-256 for SigV4, SHA-1 for the IAM Identity Center token cache's
//! file names, random bytes for jitter and idempotency tokens.
//!
//! - feature `aws-lc-rs` (default): `aws_lc_rs`;
//! - feature `ring` alone: `ring` (the same API);
//! - neither: the rustls provider the application installed
//!   (`rustls::crypto::CryptoProvider::install_default`), as for TLS: its
//!   SHA-256 (from its cipher suites), HMAC built on that hash (RFC 2104),
//!   its random generator. Without an installed provider, signing fails
//!   with an error saying so; rustls providers offer no SHA-1, so the token
//!   cache needs one of the features.

#[cfg(feature = "aws-lc-rs")]
use aws_lc_rs as lib;
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
use ring as lib;

/// A crypto library compiled in.
#[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
mod imp {
    use super::lib::{digest, hmac, rand};

    /// SHA-256 and HMAC-SHA-256 of the library compiled in.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Crypto;

    impl Crypto {
        /// Always there with a library feature.
        pub(crate) fn get() -> Option<Crypto> {
            Some(Crypto)
        }

        pub(crate) fn sha256(self, data: &[u8]) -> [u8; 32] {
            to_array(digest::digest(&digest::SHA256, data).as_ref())
        }

        pub(crate) fn hmac_key(self, key: &[u8]) -> HmacKey {
            HmacKey(hmac::Key::new(hmac::HMAC_SHA256, key))
        }
    }

    /// An HMAC-SHA-256 key, ready to sign.
    #[derive(Clone)]
    pub(crate) struct HmacKey(hmac::Key);

    impl HmacKey {
        pub(crate) fn sign(&self, data: &[u8]) -> [u8; 32] {
            to_array(hmac::sign(&self.0, data).as_ref())
        }
    }

    /// SHA-1, for file names only (never for security).
    pub(crate) fn sha1(data: &[u8]) -> Option<[u8; 20]> {
        let digest = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, data);
        let mut out = [0u8; 20];
        out.copy_from_slice(digest.as_ref());
        Some(out)
    }

    /// Fills `buf` from the operating system's generator; false if it has none.
    pub(crate) fn fill_random(buf: &mut [u8]) -> bool {
        rand::SecureRandom::fill(&rand::SystemRandom::new(), buf).is_ok()
    }

    fn to_array(bytes: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(bytes);
        out
    }
}

/// The installed rustls provider.
#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
mod imp {
    pub(crate) use super::provider::{Crypto, HmacKey};

    impl Crypto {
        /// The installed rustls provider's SHA-256, if there is one.
        pub(crate) fn get() -> Option<Crypto> {
            Crypto::of(rustls::crypto::CryptoProvider::get_default()?)
        }
    }

    /// No SHA-1 without a library feature (rustls providers have none).
    pub(crate) fn sha1(_data: &[u8]) -> Option<[u8; 20]> {
        None
    }

    /// From the installed rustls provider's generator; false without one.
    pub(crate) fn fill_random(buf: &mut [u8]) -> bool {
        rustls::crypto::CryptoProvider::get_default()
            .is_some_and(|provider| provider.secure_random.fill(buf).is_ok())
    }
}

/// SHA-256 and HMAC-SHA-256 from a rustls provider: what the runtime uses
/// without a library feature (compiled for the default build's tests too,
/// which check it on the aws-lc-rs provider).
#[cfg(any(
    all(test, feature = "aws-lc-rs"),
    not(any(feature = "aws-lc-rs", feature = "ring"))
))]
mod provider {
    use rustls::crypto::hash::{Context, Hash, HashAlgorithm};
    use rustls::crypto::CryptoProvider;
    use rustls::SupportedCipherSuite;

    const BLOCK: usize = 64;

    /// A provider's SHA-256.
    #[derive(Clone, Copy)]
    pub(crate) struct Crypto {
        hash: &'static dyn Hash,
    }

    impl std::fmt::Debug for Crypto {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Crypto(rustls provider)")
        }
    }

    impl Crypto {
        /// The SHA-256 of one of `provider`'s cipher suites; None if none uses it.
        pub(crate) fn of(provider: &CryptoProvider) -> Option<Crypto> {
            provider
                .cipher_suites
                .iter()
                .map(|suite| match suite {
                    SupportedCipherSuite::Tls12(s) => s.common.hash_provider,
                    SupportedCipherSuite::Tls13(s) => s.common.hash_provider,
                })
                .find(|hash| hash.algorithm() == HashAlgorithm::SHA256 && hash.output_len() == 32)
                .map(|hash| Crypto { hash })
        }

        pub(crate) fn sha256(self, data: &[u8]) -> [u8; 32] {
            to_array(self.hash.hash(data).as_ref())
        }

        /// RFC 2104: a key longer than the block is hashed first, then
        /// padded with zeros; the inner and outer hashes start from the key
        /// XORed with 0x36 and 0x5c.
        pub(crate) fn hmac_key(self, key: &[u8]) -> HmacKey {
            let mut block = [0u8; BLOCK];
            if key.len() > BLOCK {
                block[..32].copy_from_slice(&self.sha256(key));
            } else {
                block[..key.len()].copy_from_slice(key);
            }
            let start = |pad: u8| {
                let mut padded = block;
                for b in &mut padded {
                    *b ^= pad;
                }
                let mut context = self.hash.start();
                context.update(&padded);
                context
            };
            HmacKey {
                inner: start(0x36),
                outer: start(0x5c),
            }
        }
    }

    /// The inner and outer hashes with the padded key already absorbed.
    pub(crate) struct HmacKey {
        inner: Box<dyn Context>,
        outer: Box<dyn Context>,
    }

    impl Clone for HmacKey {
        fn clone(&self) -> Self {
            HmacKey {
                inner: self.inner.fork(),
                outer: self.outer.fork(),
            }
        }
    }

    impl HmacKey {
        pub(crate) fn sign(&self, data: &[u8]) -> [u8; 32] {
            let mut inner = self.inner.fork();
            inner.update(data);
            let inner = inner.finish();
            let mut outer = self.outer.fork();
            outer.update(inner.as_ref());
            to_array(outer.finish().as_ref())
        }
    }

    fn to_array(bytes: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(bytes);
        out
    }
}

pub(crate) use imp::{fill_random, sha1, Crypto, HmacKey};

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn crypto() -> Crypto {
        Crypto::get().expect("a crypto library or an installed provider")
    }

    // FIPS 180-2 appendix B.1 and RFC 4231 test cases 1, 2 and 6 (a key
    // longer than the block).
    const SHA256_ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const HMAC_CASES: &[(&[u8], &[u8], &str)] = &[
        (
            &[0x0b; 20],
            b"Hi There",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        (
            b"Jefe",
            b"what do ya want for nothing?",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        (
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
    ];

    #[test]
    fn sha256_and_hmac_match_the_published_vectors() {
        assert_eq!(hex(&crypto().sha256(b"abc")), SHA256_ABC);
        for (key, data, want) in HMAC_CASES {
            let key = crypto().hmac_key(key);
            assert_eq!(hex(&key.sign(data)), *want);
            assert_eq!(hex(&key.clone().sign(data)), *want, "a clone signs alike");
        }
    }

    /// The code used without a library feature, on a rustls provider's hash.
    #[cfg(feature = "aws-lc-rs")]
    #[test]
    fn hmac_on_a_rustls_providers_hash_matches_the_published_vectors() {
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let crypto = provider::Crypto::of(&provider).expect("aws-lc-rs has SHA-256 suites");
        assert_eq!(hex(&crypto.sha256(b"abc")), SHA256_ABC);
        for (key, data, want) in HMAC_CASES {
            let key = crypto.hmac_key(key);
            assert_eq!(hex(&key.sign(data)), *want);
            assert_eq!(hex(&key.sign(data)), *want, "a key signs again");
            assert_eq!(hex(&key.clone().sign(data)), *want, "a clone signs alike");
        }
        let no_sha256 = rustls::crypto::CryptoProvider {
            cipher_suites: Vec::new(),
            ..provider
        };
        assert!(provider::Crypto::of(&no_sha256).is_none());
    }

    #[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
    #[test]
    fn sha1_and_random_bytes() {
        let digest = sha1(b"abc").expect("a library feature is on");
        assert_eq!(hex(&digest), "a9993e364706816aba3e25717850c26c9cd0d89d");
        let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
        assert!(fill_random(&mut a) && fill_random(&mut b));
        assert_ne!(a, b);
    }
}
