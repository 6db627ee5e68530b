/** The layout worker: runs the force layout off the main thread and posts positions as it goes. */
import { ForceLayout, type LayoutFrame, type LayoutRequest } from './sim';

interface WorkerScope {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutFrame, transfer: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

let current: ForceLayout | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

scope.onmessage = (e) => {
  clearTimeout(timer);
  current = new ForceLayout(e.data);
  const layout = current;
  const step = (): void => {
    if (layout !== current) return;
    // ~30 frames a second: enough to watch it settle, few enough messages to stay cheap
    const frame = layout.step(30);
    scope.postMessage(frame, [frame.x.buffer, frame.y.buffer]);
    if (!frame.done) timer = setTimeout(step, 0);
  };
  step();
};
