/**
 * The Node options a facade process should run with (`NODE_OPTIONS`), set wherever this project
 * starts one (the Kubernetes export, the demo, the benchmark) and documented in docs/facade.md.
 *
 * A smaller cap on V8's young generation (8 MB semi-spaces instead of Node 20's 16 MB). Why: after
 * a burst of load has grown the young generation to its cap, Node 20's V8 keeps the old
 * generation's limit so close to its live size (about 16 MB in a facade) that the slack is less
 * than the young generation, and from then on every allocation in old space starts a full
 * mark-compact: one every ~0.5 s, each 3–20 ms on the users' requests. bench:facade measured it as
 * +19 ms on the p99 of 1,000 req/s with 1 MiB answers mirrored (15–17 full collections per 10 s
 * against 0–2), and as +15–20 ms on an idle-after-saturation facade with no shadowing at all;
 * with 8 MB: 0–2 full collections and the p99 back within a millisecond or two.
 */
export const FACADE_NODE_OPTIONS = '--max-semi-space-size=8';
