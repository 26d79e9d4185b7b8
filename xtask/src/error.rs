//! The one error type of the xtask. Every failure the user can cause (bad
//! input, unreachable URL, a spec the generator cannot handle) ends up here
//! and is printed as a single line with exit code 2.

use std::path::PathBuf;

/// Errors reported by `cargo xtask`.
#[derive(Debug, thiserror::Error)]
pub enum XtaskError {
    /// A command-line argument was not understood.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A URL could not be fetched.
    #[error("cannot fetch {url}: {message}")]
    Fetch {
        /// The URL that was asked for.
        url: String,
        /// Why it failed.
        message: String,
    },
    /// The input is not a usable OpenAPI/Swagger document.
    #[error("{source_name}: {message}")]
    BadSpec {
        /// File or URL the document came from.
        source_name: String,
        /// What is wrong with it.
        message: String,
    },
    /// progenitor refused the spec or panicked on it.
    #[error("code generation failed for {variant}: {message}")]
    Generate {
        /// Which variant was being generated.
        variant: String,
        /// The generator's message, naming the operation where known.
        message: String,
    },
    /// Generated code is out of date (`generate --check`).
    #[error("generated code is stale: {0}")]
    Stale(String),
}

impl XtaskError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        XtaskError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result alias for the xtask.
pub type Result<T, E = XtaskError> = std::result::Result<T, E>;
