import { parentPort, workerData } from 'node:worker_threads';
import type { ScanOptions } from '../scan';
import type { DataLibraries } from '../tables/libraries';
import { parseFile } from './file';
import type { ParseJob } from './index';

/** A parse worker: receives batches of [file, id, options index], answers with their FileFacts. */
const { scanOptions, libs } = workerData as { scanOptions: ScanOptions[]; libs?: DataLibraries };
parentPort!.on('message', (batch: ParseJob[] | null) => {
  // null: no more work; closing the port lets the thread end normally
  if (batch === null) parentPort!.close();
  else parentPort!.postMessage(batch.map(([file, id, o]) => parseFile(file, id, scanOptions[o], libs)));
});
parentPort!.postMessage('ready');
