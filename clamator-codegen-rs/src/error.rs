//! Everything that can go wrong, each naming where: the manifest file, `service.method`, the
//! side (params or result) and a JSON pointer into its schema.

use std::fmt;

/// Which schema of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The params schema.
    Params,
    /// The result schema.
    Result,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Params => "params",
            Side::Result => "result",
        })
    }
}

/// A place inside a manifest: `service.method side` and a JSON pointer into that schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Wire service name.
    pub service: String,
    /// Wire method name.
    pub method: String,
    /// Params or result.
    pub side: Side,
    /// JSON pointer into the schema (`""` for its root).
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{} {}", self.service, self.method, self.side)?;
        if !self.pointer.is_empty() {
            write!(f, " at {}", self.pointer)?;
        }
        Ok(())
    }
}

/// A failure to generate. Display gives one line fit for a terminal, naming the place; so does
/// Debug, so that `.unwrap()` and `fn main() -> Result<…>` in a build script print the same
/// message as the command line.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The manifest is not JSON.
    #[error("{file}:{line}:{column}: not valid JSON: {message}")]
    Json {
        /// Manifest file name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The manifest is JSON but not a clamator manifest.
    #[error("{file}: {pointer}: {message}")]
    Shape {
        /// Manifest file name.
        file: String,
        /// JSON pointer into the manifest.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// A hash-only manifest was given where schemas are needed.
    #[error(
        "{file}: this manifest has hashes but no schemas (the form @clamator/codegen writes), so no types can be generated from it. \
         Make a schema manifest from the Zod contracts with `clamator-manifest --src <contracts dir> --out <file>`, \
         or use --check to compare generated code against these hashes"
    )]
    HashesOnly {
        /// Manifest file name.
        file: String,
    },
    /// A schema's hash does not match the schema.
    #[error("{0}")]
    HashMismatch(Box<HashMismatch>),
    /// A schema uses something the generator does not turn into Rust.
    #[error("{file}: {location}: {message}")]
    Unsupported {
        /// Manifest file name.
        file: String,
        /// Where (boxed: it is the largest variant by far).
        location: Box<Location>,
        /// What, and what to do about it.
        message: String,
    },
    /// An option names no generated type, or holds a path or attribute that does not parse.
    #[error("{file}: options: {message}")]
    Options {
        /// Manifest file name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What failed.
        message: String,
    },
    /// The options file is not what [`Options::from_config_file`](crate::Options::from_config_file)
    /// reads.
    #[error("{file}: {message}")]
    Config {
        /// The options file.
        file: String,
        /// What is wrong, and where in it.
        message: String,
    },
    /// The output directory could not be written as asked (a file there was not generated, or
    /// was generated from another manifest) or could not be read; nothing was changed.
    #[error("{0}")]
    Output(String),
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A recorded hash that is not the hash of its schema.
#[derive(Debug, thiserror::Error)]
#[error(
    "{file}: {service}.{method} {side}: recorded hash {recorded} does not match the schema (which hashes to {computed}); \
     the manifest was edited by hand or corrupted: regenerate it with clamator-manifest"
)]
pub struct HashMismatch {
    /// Manifest file name.
    pub file: String,
    /// Wire service name.
    pub service: String,
    /// Wire method name.
    pub method: String,
    /// Params or result.
    pub side: Side,
    /// Hash in the manifest.
    pub recorded: String,
    /// Hash of the schema.
    pub computed: String,
}
