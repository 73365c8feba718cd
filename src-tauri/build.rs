//! Generates the Tauri context (config, embedded `ui/dist`, capabilities).

fn main() {
    tauri_build::build();
}
