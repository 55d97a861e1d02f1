//! The yew web app (in progress).
