//! First-run setup, sign-in and sign-out.

use super::{arg::Arg, blocking};
use crate::state::AppState;
use invoicer_app::api::{SetupInput, SetupStatus, SignInInput, UserView};
use invoicer_app::AppResult;
use tauri::State;

/// Whether setup is done and who is signed in to this window.
#[tauri::command]
pub async fn setup_status(state: State<'_, AppState>) -> AppResult<SetupStatus> {
    let current = state.current();
    blocking(&state, "setup_status", move |inv| {
        Ok(SetupStatus {
            initialized: inv.is_initialized()?,
            signed_in: current.map(|s| inv.session_user(&s)),
        })
    })
    .await
}

/// Creates the company and its first admin, and signs the admin in.
#[tauri::command]
pub async fn setup(state: State<'_, AppState>, input: Arg<SetupInput>) -> AppResult<UserView> {
    let session = blocking(&state, "setup", move |inv| inv.setup(&input.0)).await?;
    tracing::info!(user = %session.user().email, "setup done; admin signed in");
    let user = state.invoicer().session_user(&session);
    state.sign_in(session);
    Ok(user)
}

/// Signs a user in to this window.
#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, input: Arg<SignInInput>) -> AppResult<UserView> {
    let session = blocking(&state, "sign_in", move |inv| inv.sign_in(&input.0)).await?;
    tracing::info!(user = %session.user().email, "signed in");
    let user = state.invoicer().session_user(&session);
    state.sign_in(session);
    Ok(user)
}

/// Signs the current user out.
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> AppResult<()> {
    state.sign_out();
    tracing::info!("signed out");
    Ok(())
}
