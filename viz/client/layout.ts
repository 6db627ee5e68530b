/**
 * The page's side of the layout: starts the worker from a blob (so the one-file export works from
 * file:// too) and falls back to slices on the main thread where no worker can start.
 */
import { ForceLayout, type LayoutFrame, type LayoutRequest } from './sim';

declare const __LAYOUT_WORKER__: string;

export class Layout {
  private worker: Worker | null = null;
  private run = 0;
  private fallback: ForceLayout | null = null;
  /** Where the layout runs: shown in the page's about line and read by the benchmark. */
  readonly where: 'worker' | 'main thread';

  constructor(private readonly onFrame: (frame: LayoutFrame) => void) {
    try {
      const url = URL.createObjectURL(new Blob([__LAYOUT_WORKER__], { type: 'text/javascript' }));
      this.worker = new Worker(url);
      this.worker.onmessage = (e: MessageEvent<LayoutFrame>) => {
        if (e.data.run === this.run) this.onFrame(e.data);
      };
    } catch {
      this.worker = null;
    }
    this.where = this.worker ? 'worker' : 'main thread';
  }

  start(req: Omit<LayoutRequest, 'run'>): void {
    const full: LayoutRequest = { ...req, run: ++this.run };
    if (this.worker) {
      this.worker.postMessage(full, [full.x.buffer, full.y.buffer, full.r.buffer, full.group.buffer, full.links.buffer, full.weights.buffer]);
      return;
    }
    // no worker: a few milliseconds a frame, so the page keeps answering
    this.fallback = new ForceLayout(full);
    const layout = this.fallback;
    const step = (): void => {
      if (layout !== this.fallback) return;
      const frame = layout.step(6);
      this.onFrame(frame);
      if (!frame.done) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }

  stop(): void {
    this.run++;
    this.fallback = null;
  }
}
