//! Maximum flow / minimum cut (Dinic's algorithm) on integer capacities in minor units.
//!
//! The optimiser reduces every coverage rule (cal-rules.md §1.3, §1.6, §1.10, §1.12, §5) to a
//! minimum s–t cut; this module only knows graphs. Capacities are `i64`; the caller guarantees
//! that the sum of all finite capacities stays below `i64::MAX / 4` and uses a value above that
//! sum for "infinite" edges, so no addition here can overflow.
//!
//! Speed: the arcs are stored in compressed rows (one `Vec` per field), a greedy pass first pushes
//! flow along every path of length two and three from the source (which saturates most of a
//! bipartite cover graph at once), then Dinic's phases finish the job with an iterative
//! depth-first search and current-arc pointers.

/// A directed graph with capacities, built edge by edge and then frozen for solving.
#[derive(Debug, Default, Clone)]
pub struct FlowGraph {
    n: usize,
    edges: Vec<(u32, u32, i64)>,
}

/// The arcs of a frozen graph: arc `2i` is edge `i`, arc `2i+1` its reverse.
#[derive(Debug)]
pub struct MaxFlow {
    n: usize,
    start: Vec<u32>,
    /// Arc ids sorted by tail, `start[v]..start[v+1]` are the arcs out of `v`.
    order: Vec<u32>,
    head: Vec<u32>,
    cap: Vec<i64>,
    level: Vec<i32>,
    iter: Vec<u32>,
    /// Total flow sent from `s` to `t`.
    pub value: i64,
}

impl FlowGraph {
    pub fn new() -> Self {
        FlowGraph::default()
    }

    /// Adds a node and returns its index.
    pub fn add_node(&mut self) -> usize {
        self.n += 1;
        self.n - 1
    }

    /// Makes room for `more` edges at once (the model knows its edge count before adding them).
    pub fn reserve_edges(&mut self, more: usize) {
        self.edges.reserve(more);
    }

    /// Adds a directed edge `from → to` with capacity `cap` (zero-capacity edges are dropped).
    pub fn add_edge(&mut self, from: usize, to: usize, cap: i64) {
        if cap > 0 && from != to {
            self.edges.push((from as u32, to as u32, cap));
        }
    }

    /// Freezes the graph and computes a maximum flow from `s` to `t`.
    pub fn max_flow(self, s: usize, t: usize) -> MaxFlow {
        let n = self.n;
        let m = self.edges.len();
        // Filled in place rather than pushed: `Vec::push` is a call in the size-optimised build.
        let mut head = vec![0u32; 2 * m];
        let mut cap = vec![0i64; 2 * m];
        let mut deg = vec![0u32; n + 1];
        {
            let (head, cap, deg) = (&mut head[..], &mut cap[..], &mut deg[..]);
            for (i, &(a, b, c)) in self.edges.iter().enumerate() {
                head[2 * i] = b;
                cap[2 * i] = c;
                head[2 * i + 1] = a;
                deg[a as usize] += 1;
                deg[b as usize] += 1;
            }
        }
        let mut start = vec![0u32; n + 1];
        for v in 0..n {
            start[v + 1] = start[v] + deg[v];
        }
        let mut fill = start.clone();
        let mut order = vec![0u32; 2 * m];
        {
            let (fill, order) = (&mut fill[..], &mut order[..]);
            for (i, &(a, b, _)) in self.edges.iter().enumerate() {
                order[fill[a as usize] as usize] = (2 * i) as u32;
                fill[a as usize] += 1;
                order[fill[b as usize] as usize] = (2 * i + 1) as u32;
                fill[b as usize] += 1;
            }
        }
        let mut f = MaxFlow {
            n,
            start,
            order,
            head,
            cap,
            level: vec![-1; n],
            iter: vec![0; n],
            value: 0,
        };
        if s != t && s < n && t < n {
            f.greedy(s, t);
            f.dinic(s, t);
        }
        f
    }
}

impl MaxFlow {
    /// Pushes flow along s→u→t and s→u→w→t paths before the phases start.
    fn greedy(&mut self, s: usize, t: usize) {
        // Slices, not the `Vec`s: indexing a slice is built in, indexing a `Vec` is a call
        // that the size-optimised release build does not inline (13 % of the sample's
        // instructions went to `Vec::index` calls here).
        let (start, order, head) = (&self.start[..], &self.order[..], &self.head[..]);
        let cap = &mut self.cap[..];
        // Residual capacity of the arc v→t, found once per node.
        let mut to_t: Vec<u32> = vec![u32::MAX; self.n];
        let to_t = &mut to_t[..];
        for k in arcs(start, t) {
            let back = order[k] as usize; // arc t→v (reverse of v→t when odd)
            let v = head[back] as usize;
            to_t[v] = (back ^ 1) as u32;
        }
        for ks in arcs(start, s) {
            let a = order[ks] as usize;
            let u = head[a] as usize;
            if cap[a] == 0 || u == t {
                if u == t {
                    let d = cap[a];
                    push(cap, a, d);
                    self.value += d;
                }
                continue;
            }
            if to_t[u] != u32::MAX {
                let b = to_t[u] as usize;
                let d = cap[a].min(cap[b]);
                if d > 0 {
                    push(cap, a, d);
                    push(cap, b, d);
                    self.value += d;
                }
            }
            for ku in arcs(start, u) {
                if cap[a] == 0 {
                    break;
                }
                let b = order[ku] as usize;
                let w = head[b] as usize;
                if cap[b] == 0 || w == s || to_t[w] == u32::MAX {
                    continue;
                }
                let c = to_t[w] as usize;
                let d = cap[a].min(cap[b]).min(cap[c]);
                if d > 0 {
                    push(cap, a, d);
                    push(cap, b, d);
                    push(cap, c, d);
                    self.value += d;
                }
            }
        }
    }

    /// Levels from `s` in the residual graph; whether `t` is reached. `queue` is the caller's,
    /// one slot per node (each node enters once), reused across phases: indexing it is cheaper
    /// than `Vec::push`, a call in the size-optimised build.
    fn bfs(&mut self, s: usize, t: usize, queue: &mut [u32]) -> bool {
        let (start, order, head, cap) = (
            &self.start[..],
            &self.order[..],
            &self.head[..],
            &self.cap[..],
        );
        let level = &mut self.level[..];
        level.iter_mut().for_each(|l| *l = -1);
        level[s] = 0;
        queue[0] = s as u32;
        let (mut qi, mut tail) = (0, 1);
        while qi < tail {
            let v = queue[qi] as usize;
            qi += 1;
            for k in arcs(start, v) {
                let a = order[k] as usize;
                let w = head[a] as usize;
                if cap[a] > 0 && level[w] < 0 {
                    level[w] = level[v] + 1;
                    if w == t {
                        return true;
                    }
                    queue[tail] = w as u32;
                    tail += 1;
                }
            }
        }
        level[t] >= 0
    }

    /// One blocking flow by iterative DFS with current-arc pointers. `path` is the caller's, one
    /// slot per node (a path climbs one level an arc, so it is shorter than that), reused across
    /// phases.
    fn blocking(&mut self, s: usize, t: usize, path: &mut [u32]) -> i64 {
        let (start, order, head) = (&self.start[..], &self.order[..], &self.head[..]);
        let (cap, level, iter) = (&mut self.cap[..], &mut self.level[..], &mut self.iter[..]);
        let mut total = 0i64;
        let mut len = 0; // arcs from s: path[..len]
        loop {
            let v = match len {
                0 => s,
                _ => head[path[len - 1] as usize] as usize,
            };
            if v == t {
                let mut d = i64::MAX;
                for &a in &path[..len] {
                    d = d.min(cap[a as usize]);
                }
                let mut cut_at = len;
                for (i, &a) in path[..len].iter().enumerate() {
                    let a = a as usize;
                    cap[a] -= d;
                    cap[a ^ 1] += d;
                    if cap[a] == 0 && cut_at == len {
                        cut_at = i;
                    }
                }
                total += d;
                len = cut_at;
                continue;
            }
            let end = start[v + 1];
            let mut advanced = false;
            while iter[v] < end {
                let a = order[iter[v] as usize];
                let w = head[a as usize] as usize;
                if cap[a as usize] > 0 && level[w] == level[v] + 1 {
                    path[len] = a;
                    len += 1;
                    advanced = true;
                    break;
                }
                iter[v] += 1;
            }
            if !advanced {
                // Dead end: no more flow through v in this phase.
                level[v] = -1;
                if len == 0 {
                    return total;
                }
                len -= 1;
                let u = head[path[len] as usize ^ 1] as usize;
                iter[u] += 1;
            }
        }
    }

    fn dinic(&mut self, s: usize, t: usize) {
        let mut queue = vec![0u32; self.n];
        let mut path = vec![0u32; self.n];
        while self.bfs(s, t, &mut queue) {
            self.iter.copy_from_slice(&self.start[..self.n]);
            let f = self.blocking(s, t, &mut path);
            if f == 0 {
                break;
            }
            self.value += f;
        }
    }

    /// Nodes on the source side of a minimum cut (reachable from `s` in the residual graph).
    pub fn source_side(&self, s: usize) -> Vec<bool> {
        let mut seen = vec![false; self.n];
        if s >= self.n {
            return seen;
        }
        let (start, order, head, cap) = (
            &self.start[..],
            &self.order[..],
            &self.head[..],
            &self.cap[..],
        );
        // Each node is stacked once, when first seen: one slot per node, no `Vec::push`.
        let mut stack = vec![0u32; self.n];
        let (stack, seen_s) = (&mut stack[..], &mut seen[..]);
        stack[0] = s as u32;
        seen_s[s] = true;
        let mut top = 1;
        while top > 0 {
            top -= 1;
            let v = stack[top] as usize;
            for k in arcs(start, v) {
                let a = order[k] as usize;
                let w = head[a] as usize;
                if cap[a] > 0 && !seen_s[w] {
                    seen_s[w] = true;
                    stack[top] = w as u32;
                    top += 1;
                }
            }
        }
        seen
    }
}

/// The arcs out of `v`: `start[v]..start[v+1]` of the arc order.
#[inline(always)]
fn arcs(start: &[u32], v: usize) -> std::ops::Range<usize> {
    start[v] as usize..start[v + 1] as usize
}

/// Sends `d` along `arc`: less residual capacity on it, more on its reverse.
#[inline(always)]
fn push(cap: &mut [i64], arc: usize, d: i64) {
    cap[arc] -= d;
    cap[arc ^ 1] += d;
}
