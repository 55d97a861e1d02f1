//! Explanations agree with the figures they explain: a "why", a break-even's note or a position
//! row's reason never states what the recommendation or the counts contradict (the ELP review of
//! session 22).
