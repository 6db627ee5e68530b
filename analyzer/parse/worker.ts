import { parentPort, workerData } from 'node:worker_threads';
import type { ScanOptions } from '../scan';
import { parseFile } from './file';

/** A parse worker: receives batches of [file, id], answers with their FileFacts. */
const { scanOptions } = workerData as { scanOptions: ScanOptions };
parentPort!.on('message', (batch: [string, string][]) => {
  parentPort!.postMessage(batch.map(([file, id]) => parseFile(file, id, scanOptions)));
});
parentPort!.postMessage('ready');
