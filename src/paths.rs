//! Where the app keeps its files: the data dir (exports, the clipboard fallback file), the
//! state dir (basket and bookmarks), the cache dir (decoded datasets) and the config file,
//! from `directories`, each of which an environment variable can redirect (tests use them
//! so they never touch a real home).

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// Redirects the data dir.
pub const DATA_DIR_ENV: &str = "HANOI_TUI_DATA_DIR";
/// Redirects the state dir.
pub const STATE_DIR_ENV: &str = "HANOI_TUI_STATE_DIR";
/// Redirects the cache dir.
pub const CACHE_DIR_ENV: &str = "HANOI_TUI_CACHE_DIR";
/// Names the config file (as `--config` does, which wins over it).
pub const CONFIG_ENV: &str = "HANOI_TUI_CONFIG";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// Exports and the clipboard fallback file. `None` when no home directory is known.
    pub data_dir: Option<PathBuf>,
    /// The saved basket and bookmarks.
    pub state_dir: Option<PathBuf>,
    /// The dataset cache (see `dataset::DatasetCache`); anything in it may be deleted.
    pub cache_dir: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
}

impl Paths {
    /// The paths for this user, with the environment's overrides, and `config_flag`
    /// (from `--config`) over both.
    pub fn from_env(config_flag: Option<&Path>) -> Self {
        let dirs = ProjectDirs::from("", "", "hanoi-tui");
        let env_dir = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let data_dir = env_dir(DATA_DIR_ENV).or_else(|| dirs.as_ref().map(|d| d.data_dir().into()));
        // Only Linux has a state dir; elsewhere the state lives beside the data.
        let state_dir = env_dir(STATE_DIR_ENV).or_else(|| {
            dirs.as_ref()
                .map(|d| d.state_dir().unwrap_or_else(|| d.data_local_dir()).into())
        });
        let cache_dir =
            env_dir(CACHE_DIR_ENV).or_else(|| dirs.as_ref().map(|d| d.cache_dir().into()));
        let config_file = config_flag
            .map(Path::to_owned)
            .or_else(|| env_dir(CONFIG_ENV))
            .or_else(|| dirs.as_ref().map(|d| d.config_dir().join("config.ron")));
        Self {
            data_dir,
            state_dir,
            cache_dir,
            config_file,
        }
    }

    /// Paths all inside `root`, for tests.
    pub fn under(root: &Path) -> Self {
        Self {
            data_dir: Some(root.join("data")),
            state_dir: Some(root.join("state")),
            cache_dir: Some(root.join("cache")),
            config_file: Some(root.join("config.ron")),
        }
    }

    /// The saved basket and bookmarks.
    pub fn state_file(&self) -> Option<PathBuf> {
        self.state_dir.as_ref().map(|d| d.join("saved.ron"))
    }

    /// The dataset cache, where there is a cache dir.
    pub fn dataset_cache(&self) -> Option<crate::dataset::DatasetCache> {
        self.cache_dir
            .clone()
            .map(crate::dataset::DatasetCache::new)
    }

    /// Where a copy goes when no clipboard can take it.
    pub fn clipboard_file(&self) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|d| d.join("clipboard.txt"))
    }

    /// The default file for a basket export with this extension.
    pub fn export_file(&self, extension: &str) -> PathBuf {
        let name = format!("quotes.{extension}");
        match &self.data_dir {
            Some(dir) => dir.join(name),
            None => PathBuf::from(name),
        }
    }
}

/// `path` with a leading `~/` replaced by the home directory, as a shell would: a path
/// typed into the export prompt is not seen by a shell.
pub fn expand_home(path: &Path) -> PathBuf {
    let home = directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_owned());
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_tilde_is_the_home_directory_and_nothing_else_changes() {
        let home = directories::BaseDirs::new().map(|d| d.home_dir().to_owned());
        if let Some(home) = home {
            assert_eq!(expand_home(Path::new("~/q.md")), home.join("q.md"));
        }
        assert_eq!(expand_home(Path::new("/a/~/q.md")), Path::new("/a/~/q.md"));
        assert_eq!(
            expand_home(Path::new("~user/q.md")),
            Path::new("~user/q.md")
        );
    }
}
