//! The options of `cargo xtask bench`.

use crate::error::{Result, XtaskError};

/// What the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// A shorter run: one repetition, the facade's builds only, fewer
    /// iterations in the benches.
    pub quick: bool,
    /// Repetitions of the code generation and incremental measurements.
    pub runs: usize,
    /// Skip the code generation timings.
    pub skip_codegen: bool,
    /// Skip the build timings (the slowest part); the side-by-side builds
    /// with the peer too.
    pub skip_builds: bool,
    /// Skip the side-by-side builds with the peer (bezant-core).
    pub skip_peer: bool,
    /// Skip the overhead bench.
    pub skip_overhead: bool,
    /// Skip the pacing bench.
    pub skip_pacing: bool,
    /// Skip the streaming bench.
    pub skip_stream: bool,
}

impl Options {
    /// Validates the command line; `runs` is the text given to `--runs`.
    pub fn new(quick: bool, runs: Option<&str>) -> Result<Options> {
        let runs = match runs {
            None => {
                if quick {
                    1
                } else {
                    3
                }
            }
            Some(text) => match text.trim().parse::<usize>() {
                Ok(n) if (1..=50).contains(&n) => n,
                _ => {
                    return Err(XtaskError::InvalidArgument(format!(
                        "--runs {text:?}: expected a whole number from 1 to 50"
                    )));
                }
            },
        };
        Ok(Options {
            quick,
            runs,
            skip_codegen: false,
            skip_builds: false,
            skip_peer: false,
            skip_overhead: false,
            skip_pacing: false,
            skip_stream: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_validated() {
        assert_eq!(Options::new(false, None).unwrap().runs, 3);
        assert_eq!(Options::new(true, None).unwrap().runs, 1);
        assert_eq!(Options::new(true, Some("5")).unwrap().runs, 5);
        for bad in ["0", "-1", "x", "51", ""] {
            let e = Options::new(false, Some(bad)).unwrap_err().to_string();
            assert!(e.starts_with("invalid argument: --runs"), "{e}");
            assert!(!e.contains('\n'));
        }
    }

    #[test]
    fn nothing_is_skipped_unless_asked() {
        for quick in [false, true] {
            let o = Options::new(quick, None).unwrap();
            assert_eq!(o.quick, quick);
            let skips = [
                o.skip_codegen,
                o.skip_builds,
                o.skip_peer,
                o.skip_overhead,
                o.skip_pacing,
                o.skip_stream,
            ];
            assert_eq!(skips, [false; 6]);
        }
    }
}
