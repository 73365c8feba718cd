//! Where the data lives by default.

use std::path::PathBuf;

/// The data folder: `INVOICER_DATA_DIR` if set, else the OS data folder
/// (`~/.local/share/invoicer` on Linux), else `./invoicer-data`.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("INVOICER_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "invoicer")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("invoicer-data"))
}
