//! Container image references as registries parse them (the grammar of the OCI distribution
//! reference: `[HOST[:PORT]/]PATH[:TAG][@ALGORITHM:HEX]`), so `fleet k8s --image` refuses what
//! the kubelet could never pull before a manifest is written with it.
//!
//! - `HOST`: dot-separated components of letters, digits and inner hyphens, or `localhost`; the
//!   first segment is a host only when it has a `.` or a `:` or is `localhost` (as Docker reads
//!   `library/ubuntu`).
//! - `PATH`: `/`-separated components of lower-case letters and digits, joined inside by `.`,
//!   `_`, `__` or hyphens.
//! - `TAG`: a word character then up to 127 word characters, `.` or `-`.
//! - `DIGEST`: an algorithm (`sha256`) and at least 32 hex digits.
//! - The name (host and path) at most 255 characters.

use crate::term::visible;

/// Why `v` is not an image reference, if it is not; the part named is quoted with its control
/// characters shown ([`visible`]).
pub fn problem(v: &str) -> Option<String> {
    if v.is_empty() {
        return Some("it is empty".into());
    }
    let (rest, digest) = match v.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (v, None),
    };
    if let Some(d) = digest {
        if !is_digest(d) {
            return Some(format!(
                "its digest '{}' is not ALGORITHM:HEX (e.g. sha256: and 64 hex digits)",
                visible(d)
            ));
        }
    }
    // A tag is after the last ':' that follows the last '/' (a ':' before it is a port).
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        if !is_tag(t) {
            return Some(format!(
                "its tag '{}' is not a tag (a letter, digit or _, then up to 127 of those, . or -)",
                visible(t)
            ));
        }
    }
    if name.len() > 255 {
        return Some(format!(
            "its name is {} characters, over the 255 registries take",
            name.len()
        ));
    }
    let mut segments: Vec<&str> = name.split('/').collect();
    if segments.len() > 1 && is_host_like(segments[0]) {
        let host = segments.remove(0);
        if !is_host(host) {
            return Some(format!(
                "its registry '{}' is not a host name with an optional :PORT",
                visible(host)
            ));
        }
    }
    segments.iter().find(|s| !is_path_component(s)).map(|bad| {
        format!(
            "'{}' is not a path component (lower-case letters and digits, joined by ., _, __ \
             or -)",
            visible(bad)
        )
    })
}

fn is_host_like(s: &str) -> bool {
    s.contains(['.', ':']) || s == "localhost" || s.chars().any(|c| c.is_ascii_uppercase())
}

fn is_host(s: &str) -> bool {
    let (host, port) = match s.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    port_ok && host.split('.').all(label_ok)
}

fn is_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    // Separators between alphanumeric runs: one '.', one '_', "__", or any run of '-'.
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &s[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|c| c == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn is_tag(t: &str) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b.iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

fn is_digest(d: &str) -> bool {
    let Some((algorithm, hex)) = d.split_once(':') else {
        return false;
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.split(['+', '.', '_', '-']).all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn references_registries_pull_are_accepted() {
        let digest = format!("sha256:{}", "a1".repeat(32));
        for ok in [
            "flopledger",
            "flopledger:0.1",
            "library/ubuntu:24.04",
            "registry.example.com/flopledger:0.1",
            "localhost:5000/team/flopledger",
            "localhost/flopledger:latest",
            "ghcr.io/org/sub-team/flop_ledger.x:v1.2.3-rc_1",
            "my--name",
            "a__b",
            &format!("registry.example.com:443/flopledger@{digest}"),
            &format!("flopledger:0.1@{digest}"),
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn strings_no_registry_can_pull_are_refused_with_the_part_named() {
        for (bad, names) in [
            ("", "empty"),
            ("FlopLedger", "'FlopLedger'"),
            ("flopledger:", "tag ''"),
            ("flopledger:-x", "tag '-x'"),
            ("flopledger:a b", "tag 'a b'"),
            ("registry.example.com/", "''"),
            ("a//b", "''"),
            ("-lead/x", "'-lead'"),
            ("name_", "'name_'"),
            ("a___b", "'a___b'"),
            ("a._b", "'a._b'"),
            ("reg_istry.io/x", "registry 'reg_istry.io'"),
            ("registry.io:port/x", "registry 'registry.io:port'"),
            ("x@sha256:abc", "digest"),
            ("x@sha256", "digest"),
            ("<script>", "'<script>'"),
            ("x:{{tag}}", "tag"),
            ("img\u{1b}[2J", "'img\\u{1b}[2J'"),
            ("img:v1\u{7}", "tag 'v1\\u{7}'"),
        ] {
            let why = problem(bad).unwrap_or_else(|| panic!("{bad:?} accepted"));
            assert!(why.contains(names), "{bad:?}: {why}");
        }
        let long_tag = format!("x:{}", "t".repeat(129));
        assert!(problem(&long_tag).unwrap().contains("tag"));
        let long_name = format!("r.io/{}", "n".repeat(260));
        assert!(problem(&long_name).unwrap().contains("255"));
    }
}
