//! Finding the end of plain string content, eight bytes at a time: what
//! the reader does for every string it reads and the writer for every
//! string it escapes.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The flags of the bytes of `v` that end plain string content: `"`, `\`
/// and the control characters (below 0x20). The "has a zero byte" and "has
/// a byte less than" word tricks: a flag can be wrong only above a true
/// one, so the lowest flagged byte is always a true stop.
#[inline]
fn stops(v: u64) -> u64 {
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    has_zero(v ^ (ONES * u64::from(b'"')))
        | has_zero(v ^ (ONES * u64::from(b'\\')))
        | (v.wrapping_sub(ONES * 0x20) & !v & HIGH)
}

/// The length of the plain string content at the start of `bytes`: the
/// index of the first `"`, `\` or control character; `None` when there is
/// none. Whole words, then the last partial word as the word that ends
/// the input (its first bytes were found plain already), or byte by byte
/// when the input is shorter than a word.
#[inline]
pub(super) fn plain_len(bytes: &[u8]) -> Option<usize> {
    let word_at = |i: usize| -> Option<u64> {
        let chunk = bytes.get(i..i + 8)?;
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        Some(u64::from_le_bytes(word))
    };
    let len = bytes.len();
    if len < 8 {
        return bytes
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\');
    }
    let mut offset = 0;
    while offset + 8 <= len {
        let flags = stops(word_at(offset)?);
        if flags != 0 {
            return Some(offset + (flags.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    if offset == len {
        return None;
    }
    let last = len - 8;
    let flags = stops(word_at(last)?);
    (flags != 0).then(|| last + (flags.trailing_zeros() / 8) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_scan_stops_at_the_first_quote_escape_or_control_character() {
        assert_eq!(plain_len(b""), None);
        assert_eq!(plain_len(b"no end in sight"), None);
        assert_eq!(plain_len(b"1234567"), None);
        assert_eq!(plain_len(b"12345678"), None);
        for stop in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
            // Every position, inside and after the 8-byte words, with
            // bytes that look like stops in other lanes after it, in
            // lengths that end in a whole word and in a partial one.
            for len in [20, 24] {
                for at in 0..len - 1 {
                    let mut text = vec![b'a'; len];
                    text[at] = stop;
                    text[at + 1..].iter_mut().step_by(3).for_each(|b| *b = b'"');
                    assert_eq!(plain_len(&text), Some(at), "{stop:#x} at {at} of {len}");
                    assert_eq!(plain_len(&text[..=at]), Some(at), "{stop:#x} last of {at}");
                }
            }
        }
        // Non-ASCII bytes and everything from 0x20 up are plain.
        let plain: Vec<u8> = (0x20u8..=0xff)
            .filter(|b| *b != b'"' && *b != b'\\')
            .collect();
        for end in 0..plain.len() {
            assert_eq!(plain_len(&plain[..end]), None, "{end}");
        }
        assert_eq!(plain_len("é\"".as_bytes()), Some(2));
        assert_eq!(plain_len(&[0xff, 0x80, 0x9f, 0x1f]), Some(3));
    }
}
