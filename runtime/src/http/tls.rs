//! Which certificate authorities HTTPS connections trust: the Mozilla
//! roots compiled in (always), a custom CA bundle (`AWS_CA_BUNDLE`, the
//! profile's `ca_bundle`, or `ConfigLoader::ca_bundle`), and, with the
//! `native-roots` feature, the operating system's store.
//!
//! A bundle adds to the compiled-in roots rather than replacing them, so a
//! corporate CA for a TLS-inspecting proxy does not cut off AWS itself.
//! A bundle that cannot be read, holds no certificate, or holds one that
//! is not valid is an error naming the file: trust is never silently
//! narrower or wider than asked.

use crate::bounded;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;
use std::fmt;
use std::path::Path;

/// The largest CA bundle read (the Mozilla bundle is about 250 KiB).
pub const MAX_CA_BUNDLE_BYTES: usize = 16 * 1024 * 1024;

/// The trust settings of the default HTTP client.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TlsTrust {
    /// PEM bundles, each with where it came from (for errors).
    bundles: Vec<(String, Vec<u8>)>,
    native_roots: bool,
}

impl fmt::Debug for TlsTrust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsTrust")
            .field(
                "ca_bundles",
                &self
                    .bundles
                    .iter()
                    .map(|(from, _)| from)
                    .collect::<Vec<_>>(),
            )
            .field("native_roots", &self.native_roots)
            .finish()
    }
}

/// A CA bundle or native store that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsTrustError(String);

impl fmt::Display for TlsTrustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsTrustError {}

impl TlsTrust {
    /// The compiled-in Mozilla roots only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also trusts the certificates of a PEM bundle; `from` says where it
    /// came from in errors (`AWS_CA_BUNDLE (/etc/corp.pem)`).
    pub fn with_ca_bundle_pem(mut self, from: impl Into<String>, pem: impl Into<Vec<u8>>) -> Self {
        self.bundles.push((from.into(), pem.into()));
        self
    }

    /// Also trusts the PEM bundle in `path` (read now, at most
    /// [`MAX_CA_BUNDLE_BYTES`]).
    pub fn with_ca_bundle_file(self, from: &str, path: &Path) -> Result<Self, TlsTrustError> {
        let pem = bounded::read_file(path, MAX_CA_BUNDLE_BYTES).map_err(|e| {
            TlsTrustError(format!(
                "the CA bundle {} ({from}) cannot be read: {e}",
                path.display()
            ))
        })?;
        let described = format!("{from} ({})", path.display());
        Ok(self.with_ca_bundle_pem(described, pem))
    }

    /// Also trusts the operating system's certificate store (read when the
    /// client is built, through `rustls-native-certs`).
    #[cfg(feature = "native-roots")]
    pub fn with_native_roots(mut self, native_roots: bool) -> Self {
        self.native_roots = native_roots;
        self
    }

    /// Whether anything beyond the compiled-in roots is trusted.
    pub fn is_default(&self) -> bool {
        self.bundles.is_empty() && !self.native_roots
    }

    /// The roots to verify servers with.
    pub fn root_store(&self) -> Result<RootCertStore, TlsTrustError> {
        let mut store = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for (from, pem) in &self.bundles {
            let mut count = 0;
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| {
                    TlsTrustError(format!("the CA bundle {from} is not valid PEM: {e}"))
                })?;
                store.add(cert).map_err(|e| {
                    TlsTrustError(format!(
                        "certificate {} of the CA bundle {from} cannot be used: {e}",
                        count + 1
                    ))
                })?;
                count += 1;
            }
            if count == 0 {
                return Err(TlsTrustError(format!(
                    "the CA bundle {from} holds no PEM certificate (`-----BEGIN CERTIFICATE-----`)"
                )));
            }
        }
        if self.native_roots {
            self.add_native(&mut store)?;
        }
        Ok(store)
    }

    #[cfg(feature = "native-roots")]
    fn add_native(&self, store: &mut RootCertStore) -> Result<(), TlsTrustError> {
        let found = rustls_native_certs::load_native_certs();
        if found.certs.is_empty() {
            let why: Vec<String> = found.errors.iter().map(|e| e.to_string()).collect();
            return Err(TlsTrustError(format!(
                "no certificate found in the operating system's store{}",
                if why.is_empty() {
                    String::new()
                } else {
                    format!(": {}", why.join("; "))
                }
            )));
        }
        // Unusable entries of a system store are skipped, as browsers do.
        let (_added, _ignored) = store.add_parsable_certificates(found.certs);
        Ok(())
    }

    #[cfg(not(feature = "native-roots"))]
    fn add_native(&self, _store: &mut RootCertStore) -> Result<(), TlsTrustError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_trust_is_the_mozilla_roots() {
        let store = TlsTrust::new().root_store().unwrap();
        assert_eq!(store.len(), webpki_roots::TLS_SERVER_ROOTS.len());
        assert!(TlsTrust::new().is_default());
    }

    #[test]
    fn unusable_bundles_are_errors_naming_them() {
        for (pem, want) in [
            ("", "the CA bundle AWS_CA_BUNDLE holds no PEM certificate"),
            (
                "just text\n",
                "the CA bundle AWS_CA_BUNDLE holds no PEM certificate",
            ),
            (
                "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
                "the CA bundle AWS_CA_BUNDLE is not valid PEM",
            ),
            (
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "certificate 1 of the CA bundle AWS_CA_BUNDLE cannot be used",
            ),
        ] {
            let err = TlsTrust::new()
                .with_ca_bundle_pem("AWS_CA_BUNDLE", pem)
                .root_store()
                .unwrap_err();
            assert!(err.to_string().starts_with(want), "{pem:?}: {err}");
        }
        let dir = tempfile::tempdir().unwrap();
        let err = TlsTrust::new()
            .with_ca_bundle_file("AWS_CA_BUNDLE", &dir.path().join("missing.pem"))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("missing.pem (AWS_CA_BUNDLE) cannot be read"),
            "{err}"
        );
        // Debug names where bundles came from, not their contents.
        let debug = format!(
            "{:?}",
            TlsTrust::new().with_ca_bundle_pem("code", "PEM TEXT")
        );
        assert_eq!(
            debug,
            "TlsTrust { ca_bundles: [\"code\"], native_roots: false }"
        );
    }
}
