//! Tests: import (in progress).
