//! RFC 3986 percent-encoding, as SigV4 canonicalisation and the endpoint
//! rules' `uriEncode` both define it: every byte but the unreserved
//! `A-Z a-z 0-9 - _ . ~` becomes `%XX` with upper-case hex.

/// Appends `bytes` to `out`, encoded.
pub(crate) fn encode_into(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

/// `text`'s UTF-8 bytes, encoded.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    encode_into(&mut out, text.as_bytes());
    out
}

/// Decodes `%XX` escapes (either case); a `%` not followed by two hex digits
/// stays as is. With `plus_as_space`, `+` is a space, as in form encoding.
pub(crate) fn decode(text: &str, plus_as_space: bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', hi, lo]) => hex_value(*hi).zip(hex_value(*lo)),
            _ => None,
        };
        match (escaped, b) {
            (Some((hi, lo)), _) => {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
            (None, b'+') if plus_as_space => out.push(b' '),
            (None, b) => out.push(b),
        }
        i += 1;
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_bytes_stay() {
        assert_eq!(encode("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(encode("a b/c+d%"), "a%20b%2Fc%2Bd%25");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn decode_inverts_encode_and_keeps_stray_percents() {
        for text in ["", "a b", "%", "é/+?&=", "\u{1F431}"] {
            assert_eq!(decode(&encode(text), false), text.as_bytes());
        }
        assert_eq!(decode("%zz%4", false), b"%zz%4");
        assert_eq!(decode("%2f%2F", false), b"//");
        assert_eq!(decode("a+b", true), b"a b");
        assert_eq!(decode("a+b", false), b"a+b");
    }
}
