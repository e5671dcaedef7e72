//! Runtime for generated AWS JSON clients.
