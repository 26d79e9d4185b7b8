//! The little DER (X.690) the OAuth keys need: one element at a time, by
//! its expected tag (PKCS#1 and PKCS#8 private keys in auth/rsa.rs, PKCS#3
//! Diffie-Hellman parameters in auth/oauth1.rs).

pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const OID: u8 = 0x06;

/// The contents of the DER element at the start of `input` if its tag is
/// `tag`, and what follows it.
pub(crate) fn element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let width = usize::from(first & 0x7f);
        if width == 0 || width > 4 || rest.len() < width {
            return None;
        }
        let (len, r) = rest.split_at(width);
        rest = r;
        len.iter().fold(0, |acc, &b| acc << 8 | usize::from(b))
    };
    if found != tag || rest.len() < len {
        return None;
    }
    Some(rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_short_and_long() {
        assert_eq!(
            element(&[0x02, 1, 5, 9], INTEGER),
            Some((&[5][..], &[9][..]))
        );
        let mut long = vec![0x04, 0x81, 200];
        long.extend([7; 200]);
        assert_eq!(element(&long, OCTET_STRING).unwrap().0.len(), 200);
        assert_eq!(element(&[0x04, 0x81, 200, 1], OCTET_STRING), None);
        assert_eq!(element(&[0x02, 1, 5], SEQUENCE), None);
        assert_eq!(element(&[0x02, 0x80], INTEGER), None);
    }
}
