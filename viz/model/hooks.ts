/**
 * What the page exposes on `window.strangler`, read-only, for the browser tests and the
 * benchmark: what is drawn (with screen positions and highlight states) and how it is going.
 */
import type { EdgeState, NodeState } from './focus';

export interface DrawnNode {
  key: string;
  kind: 'module' | 'folder';
  /** Module id or folder path. */
  id: string;
  /** Centre on the canvas, in CSS pixels from its top-left corner. */
  x: number;
  y: number;
  r: number;
  state: NodeState;
  fill: string;
}

export interface DrawnEdge {
  source: string;
  target: string;
  pairs: number;
  state: EdgeState;
  typeOnly: boolean;
  inCycle: boolean;
}

export interface ViewerHooks {
  /** The error the page shows, if any. */
  error: string | null;
  /** performance.now() when the first frame with every node placed was drawn. */
  firstPictureMs: number | null;
  /** The layout has finished and the view is not moving. */
  settled(): boolean;
  nodes(): DrawnNode[];
  edges(): DrawnEdge[];
  transform(): { x: number; y: number; k: number };
  layoutWhere(): 'worker' | 'main thread' | null;
  /** Reports received after the first (--watch). */
  updates(): number;
  /** Date.now() when the last update was drawn (0 before any). */
  lastUpdateDrawnAt(): number;
  /** Renderer figures: full draws, bitmap frames, the last full draw's time. */
  stats(): { lastFullDrawMs: number; frames: number; fullDraws: number; bitmapFrames: number; drawnNodes: number; drawnEdges: number };
}

declare global {
  interface Window {
    strangler?: ViewerHooks;
  }
}
