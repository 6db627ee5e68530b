import { parentPort, workerData } from 'node:worker_threads';
import type { ScanOptions } from '../scan';
import type { DataLibraries } from '../tables/libraries';
import { parseFile } from './file';

/** A parse worker: receives batches of [file, id], answers with their FileFacts. */
const { scanOptions, libs } = workerData as { scanOptions: ScanOptions; libs?: DataLibraries };
parentPort!.on('message', (batch: [string, string][] | null) => {
  // null: no more work; closing the port lets the thread end normally
  if (batch === null) parentPort!.close();
  else parentPort!.postMessage(batch.map(([file, id]) => parseFile(file, id, scanOptions, libs)));
});
parentPort!.postMessage('ready');
