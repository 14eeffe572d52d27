//! Where files live: `--db`, else `$HOTLINE_DB`, else the XDG data directory.
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "hotline")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".hotline"))
}

pub fn default_db() -> PathBuf {
    match std::env::var_os("HOTLINE_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => data_dir().join("hotline.db"),
    }
}

pub fn demo_db() -> PathBuf {
    data_dir().join("demo.db")
}

pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "hotline").map(|d| d.config_dir().to_path_buf())
}

/// The server's IANA time zone, the default for `calendar.timezone` (R13).
pub fn server_timezone() -> String {
    if let Ok(tz) = std::env::var("TZ")
        && tz.parse::<chrono_tz::Tz>().is_ok()
    {
        return tz;
    }
    if let Ok(link) = std::fs::read_link("/etc/localtime") {
        let s = link.to_string_lossy();
        if let Some(i) = s.find("zoneinfo/") {
            let name = &s[i + "zoneinfo/".len()..];
            if name.parse::<chrono_tz::Tz>().is_ok() {
                return name.to_string();
            }
        }
    }
    if let Ok(s) = std::fs::read_to_string("/etc/timezone")
        && s.trim().parse::<chrono_tz::Tz>().is_ok()
    {
        return s.trim().to_string();
    }
    "UTC".to_string()
}
