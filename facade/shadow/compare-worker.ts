/** Worker-thread entry: compares shadow bodies (compare.ts) off the proxy's event loop, one message per job. */
import { parentPort } from 'node:worker_threads';
import { compareBodies, type BodyJob } from './compare';

parentPort!.on('message', (msg: { id: number; job: BodyJob }) => {
  compareBodies(msg.job).then(
    (result) => parentPort!.postMessage({ id: msg.id, result }),
    (err: unknown) => parentPort!.postMessage({ id: msg.id, error: String(err) }),
  );
});
