//! Keeping the database private to the user who owns it.

use crate::StoreError;
use std::path::Path;

/// Creates the database's folder (0700, with any missing parents) and the
/// database file (0600) if they do not exist, and tightens the database file
/// and its `-wal`/`-shm` companions to 0600 if they do.
///
/// An existing folder is left as it is: it may be one the user chose and
/// shares on purpose (e.g. set through `INVOICER_DATA_DIR`); the files in it
/// that hold the data are private either way.
pub(crate) fn prepare(db: &Path) -> Result<(), StoreError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            create_private_dir(dir).map_err(io(dir))?;
        }
    }
    create_private_file(db).map_err(io(db))?;
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        let file = Path::new(&name);
        if file.exists() {
            make_private(file).map_err(io(file))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    // Folders under the user's profile are private by default on Windows.
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn create_private_file(db: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    // Opening without truncating leaves an existing database untouched.
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(db)
        .map(drop)
}

#[cfg(not(unix))]
fn create_private_file(_db: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn make_private(file: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file)?.permissions().mode();
    if mode & 0o077 != 0 {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_file: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::prepare;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn an_existing_world_readable_database_is_tightened_and_keeps_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("invoicer.db");
        // Allowed: plants a database file whose permissions the test then checks.
        #[allow(clippy::disallowed_methods)]
        std::fs::write(&db, b"data").unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        prepare(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        assert_eq!(std::fs::read(&db).unwrap(), b"data");
    }
}
