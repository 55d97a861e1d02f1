//! Import of directory, device, usage and licence exports (in progress).
